//! The two halves of a consent store: a [`ConsentBackend`] keeps records, and the
//! [`ConsentStore`] code of this crate decides what they mean and hands out [`Consent`].

use core::fmt;
use core::marker::PhantomData;
use std::sync::Arc;
use std::time::SystemTime;

use super::record::kept_time;
use super::{
    Action, Clock, ConsentError, ConsentRecord, Evidence, NewRecord, RecordId, StoreError,
};
use crate::purpose::{self, CheckedName};
use crate::{Purpose, SubjectId};

/// What a consent store keeps: records, appended and read back. It decides nothing.
///
/// Implement it to keep consent somewhere this crate has no store for, then wrap it in
/// [`Trusted::trusting`] to use it as a [`ConsentStore`]. A backend only stores: the code that
/// reads a record and decides whether it is a consent in force is this crate's, the same for
/// every store. What the wrapping vouches for is that the backend gives back what it was given:
/// a backend that invents a grant makes a [`Consent`] out of it.
///
/// Each method works in one atomic step, across every thread and process that shares the
/// records.
pub trait ConsentBackend {
    /// Appends `record`, only if the latest record of its subject for its purpose is still the
    /// one with id `expected` (`None`: there is none), reading and appending in one atomic
    /// step, and returns it with its id: the next after every id given before. `Ok(None)`,
    /// appending nothing, when another writer changed it in between. This is what makes a state
    /// change happen once: of concurrent withdrawals of one grant, one appends.
    fn append_if_latest(
        &self,
        record: NewRecord,
        expected: Option<RecordId>,
    ) -> Result<Option<ConsentRecord>, StoreError>;

    /// The latest record of `subject` for the purpose named `purpose`.
    fn latest_record(
        &self,
        subject: &SubjectId,
        purpose: &str,
    ) -> Result<Option<ConsentRecord>, StoreError>;

    /// Every record of `subject`, oldest first.
    fn history_of(&self, subject: &SubjectId) -> Result<Vec<ConsentRecord>, StoreError>;

    /// The clock that stamps records and decides expiry.
    fn record_clock(&self) -> Arc<dyn Clock>;
}

pub(super) mod sealed {
    use super::ConsentBackend;

    /// Only this crate's stores, and a backend wrapped in
    /// [`Trusted`](crate::consent::Trusted), are consent stores.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not a consent store of this crate",
        label = "a consent store cannot be implemented outside `privacy`",
        note = "to keep consent elsewhere, implement `privacy::consent::ConsentBackend` and use `privacy::consent::Trusted::trusting(backend)`: the trust in it is then written where the store is made"
    )]
    pub trait Sealed {
        /// Where the store keeps its records.
        fn backend(&self) -> &dyn ConsentBackend;
    }
}

/// A consent store: the only thing that hands out a [`Consent`].
///
/// Its operations are the same for every store, and written once, here; what differs between
/// stores is where the records are kept, a [`ConsentBackend`]. The stores are
/// [`MemoryConsentStore`](super::MemoryConsentStore), `SqliteConsentStore`, and any backend
/// wrapped in [`Trusted`]: the trait cannot be implemented outside this crate.
///
/// # State changes
///
/// `grant`, `renew`, `refuse` and `withdraw` each read the latest record of the subject for the
/// purpose, decide on it, and append their record only if it is still the latest, in one
/// atomic step of the backend; a change that loses the race to another writer decides again on
/// what that writer recorded. On the latest record:
///
/// - an answer that repeats the one in force (a grant while a grant with the same evidence is
///   in force, a refusal after a refusal with the same evidence) records nothing and returns
///   that record: the same answer given twice, or by two writers at once, is one answer;
/// - a grant with other evidence while one is in force, or over an expired grant, is recorded
///   as [`Renewed`](super::Action::Renewed); over nothing, a refusal or a withdrawal, as
///   [`Granted`](super::Action::Granted);
/// - [`renew`](Self::renew) names the grant it renews: of concurrent renewals of one grant, one
///   is recorded, and the others return it;
/// - a withdrawal names no grant but the latest: of concurrent withdrawals of one grant, one is
///   recorded, and the others answer [`ConsentError::Withdrawn`], as a withdrawal of a consent
///   already withdrawn does.
///
/// Expiry is not a change: a grant is expired when the store's clock passes its expiry.
///
/// Each operation first claims the purpose's name ([`purpose::claim`]) and fails with
/// [`ConsentError::PurposeNameTaken`], touching nothing, when another purpose type has it.
pub trait ConsentStore: sealed::Sealed {
    /// The latest record of `subject` for the purpose named `purpose`.
    fn latest(
        &self,
        subject: &SubjectId,
        purpose: &str,
    ) -> Result<Option<ConsentRecord>, ConsentError> {
        Ok(self.backend().latest_record(subject, purpose)?)
    }

    /// Every record of `subject`, oldest first.
    fn history(&self, subject: &SubjectId) -> Result<Vec<ConsentRecord>, ConsentError> {
        Ok(self.backend().history_of(subject)?)
    }

    /// The store's clock, which stamps records and decides expiry.
    fn clock(&self) -> Arc<dyn Clock> {
        self.backend().record_clock()
    }

    /// Records that `subject` consents to `purpose`, with `evidence` of how.
    ///
    /// While a grant with the same evidence (its expiry aside) is in force, records nothing and
    /// returns that grant; see [State changes](Self#state-changes).
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
        let backend = self.backend();
        let clock = backend.record_clock();
        answer::<P>(
            P::CHECKED_NAME,
            backend,
            subject,
            &evidence,
            |latest| match latest {
                Some(record) if in_force(record, &*clock) && same_evidence(record, &evidence) => {
                    Ok(Decision::Stands(Box::new(record.clone())))
                }
                Some(record) if record.action.gives() => {
                    Ok(Decision::Append(Action::Renewed, Some(record.id)))
                }
                other => Ok(Decision::Append(
                    Action::Granted,
                    other.map(|record| record.id),
                )),
            },
        )
    }

    /// Records that the grant `consent` was made from is given again, with new `evidence` (a
    /// new notice version, a new expiry): a [`Renewed`](super::Action::Renewed) record.
    ///
    /// If that grant is no longer the latest record, records nothing: another writer renewed
    /// or granted since, and that record is returned, or the consent was withdrawn or refused
    /// since, and the error says so.
    fn renew<P: Purpose>(
        &self,
        consent: &Consent<P>,
        evidence: Evidence,
    ) -> Result<ConsentRecord, ConsentError>
    where
        Self: Sized,
    {
        let grant = consent.grant_id();
        answer::<P>(
            P::CHECKED_NAME,
            self.backend(),
            consent.subject(),
            &evidence,
            |latest| match latest {
                Some(record) if record.id == grant => {
                    Ok(Decision::Append(Action::Renewed, Some(grant)))
                }
                Some(record) if record.action.gives() => {
                    Ok(Decision::Stands(Box::new(record.clone())))
                }
                Some(record) => Err(not_in_force(P::NAME, record)),
                None => Err(ConsentError::NotGranted {
                    purpose: P::NAME.to_owned(),
                }),
            },
        )
    }

    /// Records that `subject` was asked for consent to `purpose` and said no, with `evidence`
    /// of how. From now on `consent::<P>` fails with [`ConsentError::Refused`]: a refusal
    /// after a grant ends it, as a withdrawal would, and keeps what the person said.
    ///
    /// After a refusal with the same evidence, records nothing and returns that refusal.
    fn refuse<P: Purpose>(
        &self,
        subject: &SubjectId,
        purpose: P,
        evidence: Evidence,
    ) -> Result<ConsentRecord, ConsentError>
    where
        Self: Sized,
    {
        let _ = purpose;
        answer::<P>(
            P::CHECKED_NAME,
            self.backend(),
            subject,
            &evidence,
            |latest| match latest {
                Some(record)
                    if record.action == Action::Refused && same_evidence(record, &evidence) =>
                {
                    Ok(Decision::Stands(Box::new(record.clone())))
                }
                other => Ok(Decision::Append(
                    Action::Refused,
                    other.map(|record| record.id),
                )),
            },
        )
    }

    /// Records that `subject` withdraws consent to `purpose`; from now on `consent::<P>` fails.
    ///
    /// Fails, recording nothing, with [`ConsentError::NotGranted`] if there is no grant,
    /// [`ConsentError::Withdrawn`] if it was withdrawn already, and [`ConsentError::Refused`] if
    /// the latest answer was no.
    fn withdraw<P: Purpose>(
        &self,
        subject: &SubjectId,
        purpose: P,
    ) -> Result<ConsentRecord, ConsentError>
    where
        Self: Sized,
    {
        let _ = purpose;
        answer::<P>(
            P::CHECKED_NAME,
            self.backend(),
            subject,
            &Evidence::default(),
            |latest| match latest {
                Some(record) if record.action.gives() => {
                    Ok(Decision::Append(Action::Withdrawn, Some(record.id)))
                }
                Some(record) => Err(not_in_force(P::NAME, record)),
                None => Err(ConsentError::NotGranted {
                    purpose: P::NAME.to_owned(),
                }),
            },
        )
    }

    /// The consent of `subject` for purpose `P`, if their latest record for it gives consent
    /// and has not expired.
    fn consent<P: Purpose>(&self, subject: &SubjectId) -> Result<Consent<P>, ConsentError>
    where
        Self: Sized,
    {
        let name = P::CHECKED_NAME;
        purpose::claim::<P>()?;
        let backend = self.backend();
        let Some(record) = backend.latest_record(subject, name)? else {
            return Err(ConsentError::NotGranted {
                purpose: name.to_owned(),
            });
        };
        // A backend is trusted to give back what it was given, not to answer the question it
        // was asked: a record of another subject or purpose is no consent for this one.
        if &record.subject != subject || record.purpose != name {
            return Err(StoreError::Corrupt(format!(
                "asked for the latest record of one subject and purpose, the store gave record {} of another",
                record.id
            ))
            .into());
        }
        if !record.action.gives() {
            return Err(not_in_force(name, &record));
        }
        let clock = backend.record_clock();
        if let Some(at) = record.expires_at.filter(|&at| at <= clock.now()) {
            return Err(ConsentError::Expired {
                purpose: name.to_owned(),
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

/// The error of a purpose whose latest record gives no consent.
fn not_in_force(purpose: &str, record: &ConsentRecord) -> ConsentError {
    let purpose = purpose.to_owned();
    match record.action {
        Action::Refused => ConsentError::Refused {
            purpose,
            at: record.at,
        },
        _ => ConsentError::Withdrawn {
            purpose,
            at: record.at,
        },
    }
}

/// What a change does, decided on the latest record.
enum Decision {
    /// Append a record of this action, on the latest record with this id.
    Append(Action, Option<RecordId>),
    /// The record in force already says what the change would: record nothing, return it.
    Stands(Box<ConsentRecord>),
}

/// Whether `record` gives consent that has not expired by `clock`.
fn in_force(record: &ConsentRecord, clock: &dyn Clock) -> bool {
    record.status_at(clock.now()).in_force()
}

/// Whether `record` keeps `evidence`, its expiry aside.
fn same_evidence(record: &ConsentRecord, evidence: &Evidence) -> bool {
    record.source == evidence.source
        && record.notice == evidence.notice
        && record.language == evidence.language
        && record.jurisdiction == evidence.jurisdiction
        && record.method == evidence.method
        && record.consent_type == evidence.consent_type
        && record.controller == evidence.controller
}

/// Makes a change about purpose `P`: `decide` says, from the latest record, what to do, and a
/// record is appended only on the latest record it was decided on. A writer that lost the race
/// to another decides again on what that one recorded.
///
/// `name` is `P::CHECKED_NAME`, read by the caller in its own body, so that a purpose whose name
/// breaks a rule fails to compile with a note that points at the user's call.
fn answer<P: Purpose>(
    name: &'static str,
    backend: &dyn ConsentBackend,
    subject: &SubjectId,
    evidence: &Evidence,
    decide: impl Fn(Option<&ConsentRecord>) -> Result<Decision, ConsentError>,
) -> Result<ConsentRecord, ConsentError> {
    purpose::claim::<P>()?;
    loop {
        let latest = backend.latest_record(subject, name)?;
        let (action, expected) = match decide(latest.as_ref())? {
            Decision::Stands(record) => return Ok(*record),
            Decision::Append(action, expected) => (action, expected),
        };
        let at = kept_time(backend.record_clock().now())?;
        let record = NewRecord::from_evidence(subject, name, action, at, evidence.clone());
        if let Some(appended) = backend.append_if_latest(record, expected)? {
            return Ok(appended);
        }
    }
}

/// A [`ConsentBackend`] from outside this crate, used as a [`ConsentStore`]: the trust in it is
/// written where it is made.
///
/// This crate's code still decides everything a store decides (what each change records, when
/// a grant is in force, whose consent a [`Consent`] is), and it refuses a record of another
/// subject or purpose than it asked for. What it cannot check is that the backend gives back
/// what it was given: a backend that returns a grant nobody made hands out a consent for it.
/// `Trusted::trusting` is that decision, visible in code review.
///
/// ```
/// use std::sync::{Arc, Mutex};
/// use privacy::consent::{
///     Clock, ConsentBackend, ConsentRecord, ConsentStore, Evidence, NewRecord, RecordId,
///     StoreError, SystemClock, Trusted,
/// };
/// use privacy::purpose::Diagnostics;
/// use privacy::SubjectId;
///
/// /// Records in a `Vec`: what a backend over another database looks like.
/// #[derive(Default)]
/// struct Records(Mutex<Vec<ConsentRecord>>);
///
/// impl ConsentBackend for Records {
///     fn append_if_latest(&self, record: NewRecord, expected: Option<RecordId>) -> Result<Option<ConsentRecord>, StoreError> {
///         let mut records = self.0.lock().unwrap();
///         let latest = records.iter().rev().find(|r| r.subject == record.subject && r.purpose == record.purpose);
///         if latest.map(|r| r.id) != expected {
///             return Ok(None);
///         }
///         let record = record.with_id(RecordId(records.len() as u64 + 1));
///         records.push(record.clone());
///         Ok(Some(record))
///     }
///     fn latest_record(&self, subject: &SubjectId, purpose: &str) -> Result<Option<ConsentRecord>, StoreError> {
///         let records = self.0.lock().unwrap();
///         Ok(records.iter().rev().find(|r| &r.subject == subject && r.purpose == purpose).cloned())
///     }
///     fn history_of(&self, subject: &SubjectId) -> Result<Vec<ConsentRecord>, StoreError> {
///         Ok(self.0.lock().unwrap().iter().filter(|r| &r.subject == subject).cloned().collect())
///     }
///     fn record_clock(&self) -> Arc<dyn Clock> {
///         Arc::new(SystemClock)
///     }
/// }
///
/// let store = Trusted::trusting(Records::default());
/// let alice = SubjectId::from("7");
/// store.grant(&alice, Diagnostics, Evidence::new("crash-report prompt v2"))?;
/// assert_eq!(store.consent::<Diagnostics>(&alice)?.subject(), &alice);
/// # Ok::<(), privacy::consent::ConsentError>(())
/// ```
pub struct Trusted<B> {
    backend: B,
}

impl<B: ConsentBackend> Trusted<B> {
    /// Uses `backend` as a consent store, trusting it to give back the records it was given.
    #[must_use]
    pub fn trusting(backend: B) -> Self {
        Trusted { backend }
    }
}

impl<B> Trusted<B> {
    /// The backend.
    #[must_use]
    pub fn backend(&self) -> &B {
        &self.backend
    }

    /// The backend, no longer used as a store.
    #[must_use]
    pub fn into_inner(self) -> B {
        self.backend
    }
}

impl<B: fmt::Debug> fmt::Debug for Trusted<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Trusted").field(&self.backend).finish()
    }
}

impl<B: ConsentBackend> sealed::Sealed for Trusted<B> {
    fn backend(&self) -> &dyn ConsentBackend {
        &self.backend
    }
}

impl<B: ConsentBackend> ConsentStore for Trusted<B> {}

/// A subject's consent to purpose `P`, as a store found it: the permit that reveals the fields of
/// that subject's values whose `purposes(...)` include `P`.
///
/// It has no public constructor, no `Default` and no `Deserialize`: [`ConsentStore::consent`]
/// is the only code that makes one, and only this crate's stores are consent stores (a backend
/// of another crate is one when wrapped in [`Trusted`], which says so where it is made). It is
/// bound to one subject and one purpose (a `Consent<Analytics>` is not a
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
