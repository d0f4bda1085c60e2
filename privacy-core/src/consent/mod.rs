//! Consent: what a person agreed to or refused, for which purpose, until when, kept with its
//! whole history.
//!
//! A [`ConsentStore`] records grants, refusals and withdrawals, append-only, and hands out a
//! [`Consent<P>`](Consent) only while the subject's latest record for purpose `P` gives consent
//! that has not expired. A `Consent` is the permit that [`Reveal`](crate::Reveal) needs to show
//! a classified field in the clear.
//!
//! ```
//! use privacy::consent::{CollectionMethod, ConsentError, ConsentStore, Evidence, MemoryConsentStore};
//! use privacy::purpose::{Analytics, Diagnostics};
//! use privacy::SubjectId;
//!
//! let store = MemoryConsentStore::new();
//! let alice = SubjectId::from("7");
//! assert!(matches!(store.consent::<Diagnostics>(&alice), Err(ConsentError::NotGranted { .. })));
//!
//! let prompt = Evidence::new("crash-report prompt").notice("privacy notice v3").language("en")
//!     .collected_by(CollectionMethod::Ui);
//! store.grant(&alice, Diagnostics, prompt.clone())?;
//! store.refuse(&alice, Analytics, prompt)?;
//! let consent = store.consent::<Diagnostics>(&alice)?;
//! assert_eq!(consent.subject(), &alice);
//! assert!(matches!(store.consent::<Analytics>(&alice), Err(ConsentError::Refused { .. })));
//!
//! store.withdraw(&alice, Diagnostics)?;
//! assert!(matches!(store.consent::<Diagnostics>(&alice), Err(ConsentError::Withdrawn { .. })));
//! assert_eq!(store.history(&alice)?.len(), 3);
//! # Ok::<(), ConsentError>(())
//! ```
//!
//! # How a `Consent` comes to exist
//!
//! Only [`ConsentStore::consent`] makes one, from the latest record a store keeps for the
//! subject and purpose: `Consent` has no constructor, no `Default`, no `Deserialize`. Its code
//! is this crate's, the same for every store, and `ConsentStore` cannot be implemented outside
//! this crate. The stores are [`MemoryConsentStore`], `SqliteConsentStore` (feature `sqlite`),
//! and [`Trusted`]: a [`ConsentBackend`] written elsewhere, which stores records and decides
//! nothing, made a store by `Trusted::trusting(backend)`, an explicit trust decision that a
//! reviewer sees where it is made.
//!
//! # Records
//!
//! A record keeps what ISO/IEC TS 27560 asks of a consent record: who, which purpose, what
//! happened ([`Action`]: granted, refused, withdrawn, renewed) and when, and the [`Evidence`]
//! of the answer: its source, the notice version the person saw and its language, the
//! jurisdiction, the collection method, the consent type, the controller, and until when a
//! grant holds. Expiry is time passing over a grant ([`ConsentStatus::Expired`]), not a
//! record. A history becomes a consent receipt (Kantara Consent Receipt v1.1, W3C DPV) through
//! the `receipt` module (feature `serde`).

mod clock;
mod memory;
#[cfg(feature = "serde")]
pub mod receipt;
mod record;
#[cfg(feature = "sqlite")]
mod sqlite;
mod store;

use std::time::SystemTime;

pub use clock::{Clock, ManualClock, SystemClock};
pub use memory::MemoryConsentStore;
pub use record::{
    Action, CollectionMethod, ConsentRecord, ConsentStatus, ConsentType, Evidence, Expiry,
    NewRecord, RecordId,
};
#[cfg(feature = "sqlite")]
pub use sqlite::SqliteConsentStore;
pub use store::{Consent, ConsentBackend, ConsentStore, Trusted};

use crate::purpose::NameTaken;

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
    /// The subject was asked for consent to this purpose and said no.
    #[error("consent for `{purpose}` was refused")]
    Refused {
        /// The purpose's stable name.
        purpose: String,
        /// When the subject said no.
        at: SystemTime,
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
