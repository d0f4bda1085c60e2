//! Consent: what a person agreed to, for which purpose, until when, kept with its whole history.
//!
//! A [`ConsentStore`] records grants and withdrawals, append-only, and hands out a
//! [`Consent<P>`](Consent) only while the subject's latest record for purpose `P` is a grant that
//! has not expired. A `Consent` is the permit that [`Reveal`](crate::Reveal) needs to show a
//! classified field in the clear: there is no other way to make one.
//!
//! ```
//! use privacy::consent::{ConsentError, ConsentStore, Evidence, MemoryConsentStore};
//! use privacy::purpose::Diagnostics;
//! use privacy::SubjectId;
//!
//! let store = MemoryConsentStore::new();
//! let alice = SubjectId::from("7");
//! assert!(matches!(store.consent::<Diagnostics>(&alice), Err(ConsentError::NotGranted { .. })));
//!
//! store.grant(&alice, Diagnostics, Evidence::new("crash-report prompt v2"))?;
//! let consent = store.consent::<Diagnostics>(&alice)?;
//! assert_eq!(consent.subject(), &alice);
//!
//! store.withdraw(&alice, Diagnostics)?;
//! assert!(matches!(store.consent::<Diagnostics>(&alice), Err(ConsentError::Withdrawn { .. })));
//! assert_eq!(store.history(&alice)?.len(), 2);
//! # Ok::<(), ConsentError>(())
//! ```

mod clock;
mod memory;
#[cfg(feature = "sqlite")]
mod sqlite;

use core::fmt;
use core::marker::PhantomData;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

pub use clock::{Clock, ManualClock, SystemClock};
pub use memory::MemoryConsentStore;
#[cfg(feature = "sqlite")]
pub use sqlite::SqliteConsentStore;

use crate::purpose::{self, CheckedName, NameTaken};
use crate::{Purpose, SubjectId};

/// The id a store gives each record; the id of a grant is carried by the [`Consent`] it
/// issues and named in audit events.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RecordId(pub u64);

impl fmt::Display for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "r{}", self.0)
    }
}

/// Where and how consent was given, and for how long.
///
/// ```
/// use std::time::Duration;
/// use privacy::consent::Evidence;
///
/// let evidence = Evidence::new("crash-report prompt v2, settings screen").valid_for(Duration::from_secs(86_400 * 365));
/// assert_eq!(evidence.source(), "crash-report prompt v2, settings screen");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Evidence {
    source: String,
    expiry: Option<Expiry>,
}

/// When a grant stops being valid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expiry {
    /// At a point in time.
    At(SystemTime),
    /// This long after the grant, by the store's clock.
    After(Duration),
}

impl Evidence {
    /// Evidence of consent given through `source`: the prompt and its text version, the screen,
    /// the form, the support ticket.
    #[must_use]
    pub fn new(source: impl Into<String>) -> Self {
        Evidence {
            source: source.into(),
            expiry: None,
        }
    }

    /// The grant expires at `at`. Every store keeps times to some 292 million years from
    /// 1970: an expiry later than that never comes, and is recorded as none; one earlier has
    /// passed, and is recorded as the earliest time kept.
    #[must_use]
    pub fn expires_at(mut self, at: SystemTime) -> Self {
        self.expiry = Some(Expiry::At(at));
        self
    }

    /// The grant expires `duration` after it is recorded (never, if that is past the end of the
    /// time every store keeps: `Duration::MAX` never expires).
    #[must_use]
    pub fn valid_for(mut self, duration: Duration) -> Self {
        self.expiry = Some(Expiry::After(duration));
        self
    }

    /// Where and how consent was given.
    #[must_use]
    pub fn source(&self) -> &str {
        &self.source
    }

    /// When the grant expires, if it does.
    #[must_use]
    pub fn expiry(&self) -> Option<Expiry> {
        self.expiry
    }
}

/// What a record says happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// Consent was given.
    Granted,
    /// Consent was withdrawn.
    Withdrawn,
}

impl Action {
    /// `granted` or `withdrawn`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Action::Granted => "granted",
            Action::Withdrawn => "withdrawn",
        }
    }
}

/// One entry of a subject's consent history. Records are never changed or deleted: a
/// withdrawal is a record of its own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsentRecord {
    /// The record's id, in the order records were made.
    pub id: RecordId,
    /// Whose consent.
    pub subject: SubjectId,
    /// The stable name of the purpose ([`Purpose::NAME`]).
    pub purpose: String,
    /// Granted or withdrawn.
    pub action: Action,
    /// When, by the store's clock.
    pub at: SystemTime,
    /// Where and how consent was given; empty for a withdrawal.
    pub source: String,
    /// When a grant expires; `None` for a grant without expiry and for a withdrawal.
    pub expires_at: Option<SystemTime>,
}

/// A record about to be appended; the store gives it its id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewRecord {
    /// Whose consent.
    pub subject: SubjectId,
    /// The stable name of the purpose.
    pub purpose: String,
    /// Granted or withdrawn.
    pub action: Action,
    /// When.
    pub at: SystemTime,
    /// Where and how consent was given; empty for a withdrawal.
    pub source: String,
    /// When a grant expires.
    pub expires_at: Option<SystemTime>,
}

impl NewRecord {
    /// The record this becomes once the store has given it `id`.
    #[must_use]
    pub fn with_id(self, id: RecordId) -> ConsentRecord {
        let NewRecord {
            subject,
            purpose,
            action,
            at,
            source,
            expires_at,
        } = self;
        ConsentRecord {
            id,
            subject,
            purpose,
            action,
            at,
            source,
            expires_at,
        }
    }
}

/// Why consent could not be had, or a store could not answer.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConsentError {
    /// The subject never granted consent for this purpose.
    #[error("no consent for `{purpose}` has been granted by this subject")]
    NotGranted {
        /// The purpose's stable name.
        purpose: String,
    },
    /// The subject withdrew consent for this purpose.
    #[error("consent for `{purpose}` was withdrawn")]
    Withdrawn {
        /// The purpose's stable name.
        purpose: String,
        /// When it was withdrawn.
        at: SystemTime,
    },
    /// The store's clock says a time no store can keep (further than 292 million years from
    /// 1970): nothing was recorded.
    #[error("the clock says {at:?}, which no consent store can keep")]
    ClockOutOfRange {
        /// What the clock said.
        at: SystemTime,
    },
    /// The grant expired.
    #[error("consent for `{purpose}` expired")]
    Expired {
        /// The purpose's stable name.
        purpose: String,
        /// When it expired.
        at: SystemTime,
    },
    /// Another purpose type holds or also declares the purpose's name: nothing was recorded,
    /// and no consent is handed out for it (see
    /// [`purpose`](mod@crate::purpose#names-are-identities)).
    #[error(transparent)]
    PurposeNameTaken(#[from] NameTaken),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Why a store failed. Nothing was recorded when a change returns one of these.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// Another connection holds a lock on the store for longer than the busy timeout.
    #[error("the consent store is locked by another connection")]
    Locked,
    /// The store cannot be written: a read-only file or directory.
    #[error("the consent store is read-only")]
    ReadOnly,
    /// The file is not a consent store, or it is damaged.
    #[error("the consent store is corrupt or not a consent store: {0}")]
    Corrupt(String),
    /// The file was written by a newer version of this crate.
    #[error("the consent store has schema version {found}; this version of `privacy` reads up to {supported}")]
    SchemaTooNew {
        /// The version in the file.
        found: u32,
        /// The newest version this crate knows.
        supported: u32,
    },
    /// Any other failure of the store's backend.
    #[error("the consent store failed: {0}")]
    Backend(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// The furthest from 1970 a time every store keeps: whole milliseconds in 64 bits, some 292
/// million years either way.
const KEPT_MILLIS: u64 = i64::MAX.unsigned_abs();

/// Whether every store keeps `time`.
fn kept(time: SystemTime) -> bool {
    let millis = match time.duration_since(std::time::UNIX_EPOCH) {
        Ok(after) => after.as_millis(),
        Err(before) => before.duration().as_millis() + 1,
    };
    millis <= u128::from(KEPT_MILLIS)
}

/// The time of a record, which every store must keep alike: one past the range is refused,
/// before anything is recorded.
fn kept_time(time: SystemTime) -> Result<SystemTime, ConsentError> {
    if kept(time) {
        Ok(time)
    } else {
        Err(ConsentError::ClockOutOfRange { at: time })
    }
}

/// An expiry every store keeps alike: one later than any kept time never comes (`None`), and
/// one earlier than any has passed, which the earliest kept time says as well.
fn kept_expiry(expiry: SystemTime) -> Option<SystemTime> {
    if kept(expiry) {
        Some(expiry)
    } else if expiry > std::time::UNIX_EPOCH {
        None
    } else {
        std::time::UNIX_EPOCH.checked_sub(Duration::from_millis(KEPT_MILLIS - 1))
    }
}

/// Where consent is recorded.
///
/// A store implements four operations: append a record, append one only if the latest record
/// of its subject for its purpose is still a given one (atomically: the read and the append are
/// one step, across threads and processes), find the latest record of a subject for a purpose,
/// and list a subject's history. `grant`, `withdraw` and `consent` are built on them, the same
/// for every store; a withdrawal is appended only on the grant it withdraws, so concurrent
/// withdrawals of one grant record one withdrawal, and the others answer
/// [`ConsentError::Withdrawn`]: implement a store, and its `consent` answers exactly as
/// [`MemoryConsentStore`]'s and `SqliteConsentStore`'s do. Each of them first claims the
/// purpose's name ([`purpose::claim`]) and fails with [`ConsentError::PurposeNameTaken`],
/// touching nothing, when another purpose type has it; a store that overrides them takes that
/// duty on.
pub trait ConsentStore {
    /// Appends `record`, in one transaction, and returns it with its id.
    fn append(&self, record: NewRecord) -> Result<ConsentRecord, ConsentError>;

    /// Appends `record` only if the latest record of its subject for its purpose is still the
    /// one with id `expected` (`None`: there is none), reading and appending in one atomic step;
    /// `Ok(None)`, appending nothing, when another writer changed it in between. This is what
    /// makes a state change happen once: of concurrent withdrawals of one grant, one appends.
    fn append_if_latest(
        &self,
        record: NewRecord,
        expected: Option<RecordId>,
    ) -> Result<Option<ConsentRecord>, ConsentError>;

    /// The latest record of `subject` for the purpose named `purpose`.
    fn latest(
        &self,
        subject: &SubjectId,
        purpose: &str,
    ) -> Result<Option<ConsentRecord>, ConsentError>;

    /// Every record of `subject`, oldest first, withdrawals included.
    fn history(&self, subject: &SubjectId) -> Result<Vec<ConsentRecord>, ConsentError>;

    /// The store's clock, which stamps records and decides expiry.
    fn clock(&self) -> Arc<dyn Clock>;

    /// Records that `subject` consents to `purpose`, with `evidence` of how.
    fn grant<P: Purpose>(
        &self,
        subject: &SubjectId,
        purpose: P,
        evidence: Evidence,
    ) -> Result<ConsentRecord, ConsentError>
    where
        Self: Sized,
    {
        let _ = purpose;
        let name = P::CHECKED_NAME;
        purpose::claim::<P>()?;
        let at = kept_time(self.clock().now())?;
        let expires_at = evidence
            .expiry
            .and_then(|expiry| match expiry {
                Expiry::At(at) => Some(at),
                // A duration that reaches past the end of representable time never runs out.
                Expiry::After(duration) => at.checked_add(duration),
            })
            .and_then(kept_expiry);
        self.append(NewRecord {
            subject: subject.clone(),
            purpose: name.to_owned(),
            action: Action::Granted,
            at,
            source: evidence.source,
            expires_at,
        })
    }

    /// Records that `subject` withdraws consent to `purpose`; from now on `consent::<P>` fails.
    fn withdraw<P: Purpose>(
        &self,
        subject: &SubjectId,
        purpose: P,
    ) -> Result<ConsentRecord, ConsentError>
    where
        Self: Sized,
    {
        let _ = purpose;
        let name = P::CHECKED_NAME;
        purpose::claim::<P>()?;
        // Withdrawn once: the withdrawal is appended only if the grant it withdraws is still
        // the latest record. A writer that lost the race reads the state anew, and finds the
        // withdrawal (`Withdrawn`, recording nothing) or a new grant, which it withdraws.
        loop {
            match self.latest(subject, name)? {
                Some(record) if record.action == Action::Granted => {
                    let withdrawal = NewRecord {
                        subject: subject.clone(),
                        purpose: name.to_owned(),
                        action: Action::Withdrawn,
                        at: kept_time(self.clock().now())?,
                        source: String::new(),
                        expires_at: None,
                    };
                    if let Some(appended) = self.append_if_latest(withdrawal, Some(record.id))? {
                        return Ok(appended);
                    }
                }
                Some(record) => {
                    return Err(ConsentError::Withdrawn {
                        purpose: name.to_owned(),
                        at: record.at,
                    })
                }
                None => {
                    return Err(ConsentError::NotGranted {
                        purpose: name.to_owned(),
                    })
                }
            }
        }
    }

    /// The consent of `subject` for purpose `P`, if their latest record is a grant that has not
    /// expired.
    fn consent<P: Purpose>(&self, subject: &SubjectId) -> Result<Consent<P>, ConsentError>
    where
        Self: Sized,
    {
        let name = P::CHECKED_NAME;
        purpose::claim::<P>()?;
        let purpose = || name.to_owned();
        let Some(record) = self.latest(subject, name)? else {
            return Err(ConsentError::NotGranted { purpose: purpose() });
        };
        if record.action == Action::Withdrawn {
            return Err(ConsentError::Withdrawn {
                purpose: purpose(),
                at: record.at,
            });
        }
        let clock = self.clock();
        if let Some(at) = record.expires_at.filter(|&at| at <= clock.now()) {
            return Err(ConsentError::Expired {
                purpose: purpose(),
                at,
            });
        }
        Ok(Consent {
            subject: record.subject,
            grant: record.id,
            granted_at: record.at,
            expires_at: record.expires_at,
            clock,
            purpose: PhantomData,
        })
    }
}

/// A subject's consent to purpose `P`, as a store found it: the permit that reveals the fields of
/// that subject's values whose `purposes(...)` allow `P`.
///
/// Only [`ConsentStore::consent`] makes one: it has no public constructor, no `Default` and no
/// `Deserialize`. It is bound to one subject and one purpose (a `Consent<Analytics>` is not a
/// `Consent<Diagnostics>`), and it stops revealing anything once its grant expires. There is a
/// `Consent<P>` only for a `P` that holds its name in this process, so no other purpose type
/// with that name has one.
pub struct Consent<P: Purpose> {
    subject: SubjectId,
    grant: RecordId,
    granted_at: SystemTime,
    expires_at: Option<SystemTime>,
    clock: Arc<dyn Clock>,
    purpose: PhantomData<fn() -> P>,
}

impl<P: Purpose> Consent<P> {
    /// Whose consent this is.
    #[must_use]
    pub fn subject(&self) -> &SubjectId {
        &self.subject
    }

    /// The stable name of the purpose.
    #[must_use]
    pub fn purpose(&self) -> &'static str {
        P::NAME
    }

    /// The id of the grant record.
    #[must_use]
    pub fn grant_id(&self) -> RecordId {
        self.grant
    }

    /// When consent was granted.
    #[must_use]
    pub fn granted_at(&self) -> SystemTime {
        self.granted_at
    }

    /// When the grant expires, if it does.
    #[must_use]
    pub fn expires_at(&self) -> Option<SystemTime> {
        self.expires_at
    }

    /// Whether the grant has expired, by the clock of the store that issued it.
    #[must_use]
    pub fn is_expired(&self) -> bool {
        self.expires_at.is_some_and(|at| at <= self.clock.now())
    }
}

impl<P: Purpose> Clone for Consent<P> {
    fn clone(&self) -> Self {
        Consent {
            subject: self.subject.clone(),
            grant: self.grant,
            granted_at: self.granted_at,
            expires_at: self.expires_at,
            clock: Arc::clone(&self.clock),
            purpose: PhantomData,
        }
    }
}

impl<P: Purpose> fmt::Debug for Consent<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Consent")
            .field("subject", &self.subject)
            .field("purpose", &P::NAME)
            .field("grant", &self.grant)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}
