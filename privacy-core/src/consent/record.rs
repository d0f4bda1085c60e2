//! What a consent record holds: the content ISO/IEC TS 27560 asks of one, and the times every
//! store keeps alike.

use core::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::ConsentError;
use crate::SubjectId;

/// The id a store gives each record; the id of a grant is carried by the
/// [`Consent`](super::Consent) it issues and named in audit events.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RecordId(pub u64);

impl fmt::Display for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "r{}", self.0)
    }
}

/// How a person's answer reached the controller (ISO/IEC TS 27560 and the Kantara Consent
/// Receipt's "collection method").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CollectionMethod {
    /// The person answered in the product's own user interface: a prompt, a settings screen.
    Ui,
    /// Another system sent the answer through an API, on the person's behalf.
    Api,
    /// A signed form on paper, or its scan.
    Paper,
    /// Taken over from records kept elsewhere (a previous system, a migration).
    Imported,
}

impl CollectionMethod {
    /// `ui`, `api`, `paper` or `imported`: how stores keep it.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            CollectionMethod::Ui => "ui",
            CollectionMethod::Api => "api",
            CollectionMethod::Paper => "paper",
            CollectionMethod::Imported => "imported",
        }
    }

    /// The method [`as_str`](Self::as_str) names.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        [Self::Ui, Self::Api, Self::Paper, Self::Imported]
            .into_iter()
            .find(|method| method.as_str() == name)
    }
}

/// How the consent was expressed (ISO/IEC TS 27560's "consent type").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ConsentType {
    /// An action that says nothing but yes: ticking an unticked box, pressing "I agree".
    Explicit,
    /// Implied by an action that says something else too: using a feature after being told
    /// what it processes.
    Implicit,
    /// Assumed until the person objects: processing that goes on unless they opt out.
    OptOut,
}

impl ConsentType {
    /// `explicit`, `implicit` or `opt-out`: how stores keep it.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            ConsentType::Explicit => "explicit",
            ConsentType::Implicit => "implicit",
            ConsentType::OptOut => "opt-out",
        }
    }

    /// The type [`as_str`](Self::as_str) names.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        [Self::Explicit, Self::Implicit, Self::OptOut]
            .into_iter()
            .find(|kind| kind.as_str() == name)
    }
}

/// Where and how a person answered, and for how long a yes holds: the evidence a record keeps.
///
/// Only the source is required; every other part is recorded when given and `None` when not.
/// A privacy reviewer will ask for the notice version, the language and the method, so give
/// them.
///
/// ```
/// use std::time::Duration;
/// use privacy::consent::{CollectionMethod, ConsentType, Evidence};
///
/// let evidence = Evidence::new("crash-report prompt, settings screen")
///     .notice("privacy notice v3")
///     .language("en-GB")
///     .jurisdiction("GB")
///     .collected_by(CollectionMethod::Ui)
///     .consent_type(ConsentType::Explicit)
///     .controller("Kaizala Ltd")
///     .valid_for(Duration::from_secs(86_400 * 365));
/// assert_eq!(evidence.source(), "crash-report prompt, settings screen");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Evidence {
    pub(super) source: String,
    pub(super) notice: Option<String>,
    pub(super) language: Option<String>,
    pub(super) jurisdiction: Option<String>,
    pub(super) method: Option<CollectionMethod>,
    pub(super) consent_type: Option<ConsentType>,
    pub(super) controller: Option<String>,
    pub(super) expiry: Option<Expiry>,
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
    /// Evidence of an answer given through `source`: the prompt, the screen, the form, the
    /// support ticket.
    #[must_use]
    pub fn new(source: impl Into<String>) -> Self {
        Evidence {
            source: source.into(),
            ..Evidence::default()
        }
    }

    /// The version of the notice or policy the person saw when they answered.
    #[must_use]
    pub fn notice(mut self, version: impl Into<String>) -> Self {
        self.notice = Some(version.into());
        self
    }

    /// The language the notice was shown in, as a BCP 47 tag (`en`, `de-CH`).
    #[must_use]
    pub fn language(mut self, tag: impl Into<String>) -> Self {
        self.language = Some(tag.into());
        self
    }

    /// The jurisdiction whose law the consent is given under (`EU`, `GB`, `US-CA`).
    #[must_use]
    pub fn jurisdiction(mut self, jurisdiction: impl Into<String>) -> Self {
        self.jurisdiction = Some(jurisdiction.into());
        self
    }

    /// How the answer reached the controller.
    #[must_use]
    pub fn collected_by(mut self, method: CollectionMethod) -> Self {
        self.method = Some(method);
        self
    }

    /// How the consent was expressed.
    #[must_use]
    pub fn consent_type(mut self, consent_type: ConsentType) -> Self {
        self.consent_type = Some(consent_type);
        self
    }

    /// The controller the consent is given to: the organization accountable for the
    /// processing (not personal data: it is the operator of the service).
    #[must_use]
    pub fn controller(mut self, name: impl Into<String>) -> Self {
        self.controller = Some(name.into());
        self
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

    /// Where and how the person answered.
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

/// What a record says happened. A record changes the state of its subject's consent for its
/// purpose to what its action says; expiry is not a record, but time passing over a grant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Action {
    /// Consent was given, where none was in force: never asked before, or after a refusal or
    /// a withdrawal.
    Granted,
    /// The person was asked and said no: not the same as never asked.
    Refused,
    /// Consent was withdrawn.
    Withdrawn,
    /// Consent was given again over an earlier grant, in force or expired, with new evidence
    /// and a new expiry.
    Renewed,
}

impl Action {
    /// `granted`, `refused`, `withdrawn` or `renewed`: how stores keep it.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Action::Granted => "granted",
            Action::Refused => "refused",
            Action::Withdrawn => "withdrawn",
            Action::Renewed => "renewed",
        }
    }

    /// The action [`as_str`](Self::as_str) names.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        [Self::Granted, Self::Refused, Self::Withdrawn, Self::Renewed]
            .into_iter()
            .find(|action| action.as_str() == name)
    }

    /// Whether a record of this action gives consent (until it expires).
    #[must_use]
    pub const fn gives(self) -> bool {
        matches!(self, Action::Granted | Action::Renewed)
    }
}

/// The state a record leaves its subject's consent in, at some time: the lifecycle of
/// ISO/IEC TS 27560 (and the `ConsentStatus` of the W3C Data Privacy Vocabulary).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ConsentStatus {
    /// Given, and in force.
    Given,
    /// Given again over an earlier grant, and in force.
    Renewed,
    /// The person said no.
    Refused,
    /// The person took it back.
    Withdrawn,
    /// Given, but its time ran out.
    Expired,
}

impl ConsentStatus {
    /// `given`, `renewed`, `refused`, `withdrawn` or `expired`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            ConsentStatus::Given => "given",
            ConsentStatus::Renewed => "renewed",
            ConsentStatus::Refused => "refused",
            ConsentStatus::Withdrawn => "withdrawn",
            ConsentStatus::Expired => "expired",
        }
    }

    /// Whether consent in this state may justify processing.
    #[must_use]
    pub const fn in_force(self) -> bool {
        matches!(self, ConsentStatus::Given | ConsentStatus::Renewed)
    }
}

/// One entry of a subject's consent history. Records are never changed or deleted: a
/// withdrawal is a record of its own.
///
/// A record is made by a store, from a [`NewRecord`] the store's code built; it has no public
/// constructor, so that its fields can grow without breaking anyone.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConsentRecord {
    /// The record's id, in the order records were made.
    pub id: RecordId,
    /// Whose consent.
    pub subject: SubjectId,
    /// The stable name of the purpose ([`Purpose::NAME`](crate::Purpose::NAME)).
    pub purpose: String,
    /// What happened.
    pub action: Action,
    /// When, by the store's clock.
    pub at: SystemTime,
    /// Where and how the person answered; empty for a withdrawal.
    pub source: String,
    /// The version of the notice the person saw.
    pub notice: Option<String>,
    /// The language of the notice (BCP 47).
    pub language: Option<String>,
    /// The jurisdiction.
    pub jurisdiction: Option<String>,
    /// How the answer reached the controller.
    pub method: Option<CollectionMethod>,
    /// How the consent was expressed.
    pub consent_type: Option<ConsentType>,
    /// The controller the consent was given to.
    pub controller: Option<String>,
    /// When a grant expires; `None` for a grant without expiry and for the other actions.
    pub expires_at: Option<SystemTime>,
}

impl ConsentRecord {
    /// The state this record leaves its subject's consent in at `now`, while it is the latest
    /// record of its subject for its purpose.
    #[must_use]
    pub fn status_at(&self, now: SystemTime) -> ConsentStatus {
        let expired = self.expires_at.is_some_and(|at| at <= now);
        match self.action {
            Action::Granted | Action::Renewed if expired => ConsentStatus::Expired,
            Action::Granted => ConsentStatus::Given,
            Action::Renewed => ConsentStatus::Renewed,
            Action::Refused => ConsentStatus::Refused,
            Action::Withdrawn => ConsentStatus::Withdrawn,
        }
    }

    /// The evidence the record keeps (its expiry as the time it was recorded with).
    #[must_use]
    pub fn evidence(&self) -> Evidence {
        Evidence {
            source: self.source.clone(),
            notice: self.notice.clone(),
            language: self.language.clone(),
            jurisdiction: self.jurisdiction.clone(),
            method: self.method,
            consent_type: self.consent_type,
            controller: self.controller.clone(),
            expiry: self.expires_at.map(Expiry::At),
        }
    }
}

/// A record about to be appended; the store gives it its id.
///
/// The store's code builds the records it appends; a [`ConsentBackend`](super::ConsentBackend)
/// stores what it is given, and one that keeps records in its own format builds them back with
/// [`NewRecord::new`], by assigning the other fields, and [`with_id`](Self::with_id).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct NewRecord {
    /// Whose consent.
    pub subject: SubjectId,
    /// The stable name of the purpose.
    pub purpose: String,
    /// What happened.
    pub action: Action,
    /// When.
    pub at: SystemTime,
    /// Where and how the person answered; empty for a withdrawal.
    pub source: String,
    /// The version of the notice the person saw.
    pub notice: Option<String>,
    /// The language of the notice.
    pub language: Option<String>,
    /// The jurisdiction.
    pub jurisdiction: Option<String>,
    /// How the answer reached the controller.
    pub method: Option<CollectionMethod>,
    /// How the consent was expressed.
    pub consent_type: Option<ConsentType>,
    /// The controller.
    pub controller: Option<String>,
    /// When a grant expires.
    pub expires_at: Option<SystemTime>,
}

impl NewRecord {
    /// A record of `action` by `subject` for the purpose named `purpose` at `at`, with no
    /// evidence and no expiry: what a backend starts from to read a record back from its own
    /// format, assigning the fields it kept.
    ///
    /// ```
    /// use std::time::SystemTime;
    /// use privacy::consent::{Action, NewRecord, RecordId};
    /// use privacy::SubjectId;
    ///
    /// let mut stored = NewRecord::new(SubjectId::from("7"), "diagnostics", Action::Granted, SystemTime::UNIX_EPOCH);
    /// stored.source = "crash-report prompt v2".into();
    /// let record = stored.with_id(RecordId(1));
    /// assert_eq!(record.notice, None);
    /// ```
    #[must_use]
    pub fn new(
        subject: SubjectId,
        purpose: impl Into<String>,
        action: Action,
        at: SystemTime,
    ) -> Self {
        NewRecord {
            subject,
            purpose: purpose.into(),
            action,
            at,
            source: String::new(),
            notice: None,
            language: None,
            jurisdiction: None,
            method: None,
            consent_type: None,
            controller: None,
            expires_at: None,
        }
    }

    /// The record of `action` by `subject` for the purpose named `purpose` at `at`, with
    /// `evidence` (its expiry counted from `at`, and kept alike by every store).
    pub(super) fn from_evidence(
        subject: &SubjectId,
        purpose: &str,
        action: Action,
        at: SystemTime,
        evidence: Evidence,
    ) -> Self {
        let Evidence {
            source,
            notice,
            language,
            jurisdiction,
            method,
            consent_type,
            controller,
            expiry,
        } = evidence;
        let expires_at = expiry
            .filter(|_| action.gives())
            .and_then(|expiry| match expiry {
                Expiry::At(at) => Some(at),
                // A duration that reaches past the end of representable time never runs out.
                Expiry::After(duration) => at.checked_add(duration),
            })
            .and_then(kept_expiry);
        NewRecord {
            subject: subject.clone(),
            purpose: purpose.to_owned(),
            action,
            at,
            source,
            notice,
            language,
            jurisdiction,
            method,
            consent_type,
            controller,
            expires_at,
        }
    }

    /// The record this becomes once the store has given it `id`.
    #[must_use]
    pub fn with_id(self, id: RecordId) -> ConsentRecord {
        let NewRecord {
            subject,
            purpose,
            action,
            at,
            source,
            notice,
            language,
            jurisdiction,
            method,
            consent_type,
            controller,
            expires_at,
        } = self;
        ConsentRecord {
            id,
            subject,
            purpose,
            action,
            at,
            source,
            notice,
            language,
            jurisdiction,
            method,
            consent_type,
            controller,
            expires_at,
        }
    }
}

/// The furthest from 1970 a time every store keeps: whole milliseconds in 64 bits, some 292
/// million years either way.
const KEPT_MILLIS: u64 = i64::MAX.unsigned_abs();

/// Whether every store keeps `time`.
fn kept(time: SystemTime) -> bool {
    let millis = match time.duration_since(UNIX_EPOCH) {
        Ok(after) => after.as_millis(),
        Err(before) => before.duration().as_millis() + 1,
    };
    millis <= u128::from(KEPT_MILLIS)
}

/// The time of a record, which every store must keep alike: one past the range is refused,
/// before anything is recorded.
pub(super) fn kept_time(time: SystemTime) -> Result<SystemTime, ConsentError> {
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
    } else if expiry > UNIX_EPOCH {
        None
    } else {
        UNIX_EPOCH.checked_sub(Duration::from_millis(KEPT_MILLIS - 1))
    }
}
