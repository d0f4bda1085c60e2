//! The audit of every reveal: a record of what a view showed, accepted by a sink before the
//! view writes anything raw.
//!
//! A view ([`Reveal::reveal`](crate::Reveal::reveal)) writes in two passes. The first decides,
//! field by field, what the permit allows, and writes nothing: it yields an [`AuditRecord`] of
//! what the second would show. The record goes to the audit sink; only once the sink has
//! accepted it does the second pass write, showing exactly the fields the record names. When no
//! sink accepts it (no subscriber records the tracing target `privacy::audit`, a filter drops
//! it, the ledger cannot write), the view writes every field redacted instead: a view never
//! shows a raw value that no record names.
//!
//! Each write of a view that shows anything is one record: formatting a view twice records
//! twice, and a write that shows nothing records nothing. A field the permit allows but whose
//! raw value the view cannot write (a type without `Debug`, or one that redacts itself, such as a
//! `Pii<T>` under a strategy) is written redacted, and not recorded as shown.
//!
//! # Sinks
//!
//! - [`TracingSink`], the default: an event on target `privacy::audit`, accepted when a
//!   subscriber is interested in it and a layer read it. It is dispatched safely from anywhere, also while a
//!   subscriber is formatting another event (`tracing::info!(view = ?member.reveal(&consent))`).
//! - [`SqliteLedger`] (feature `sqlite`): a durable, append-only, tamper-evident ledger; a record
//!   is accepted once it is committed to disk.
//! - [`MemorySink`]: keeps records in memory, for tests and examples.
//! - Your own: implement [`AuditSink`]. Returning `Ok` says the record is kept; a view then
//!   shows what it names.
//!
//! The process has one sink, [`install`]ed once at start-up ([`TracingSink`] until then);
//! [`with_sink`] routes the views written by a closure on the current thread to another one,
//! for tests.
//!
//! ```
//! use std::sync::{Arc, Mutex};
//!
//! use privacy::audit::{self, AuditError, AuditRecord, AuditSink};
//! use privacy::{Disclosure, Kind, Privacy, Reveal};
//!
//! #[derive(Privacy)]
//! struct Member {
//!     #[pii(phone)]
//!     phone: String,
//! }
//!
//! /// Keeps records in memory.
//! #[derive(Default)]
//! struct Kept(Mutex<Vec<String>>);
//!
//! impl AuditSink for Kept {
//!     fn record(&self, record: &AuditRecord<'_>) -> Result<(), AuditError> {
//!         self.0.lock().unwrap().push(record.fields.join(","));
//!         Ok(())
//!     }
//! }
//!
//! let member = Member { phone: "+44 20 7946 0958".into() };
//! let rule = Disclosure::of([Kind::Phone]).because("the member's own profile");
//! let kept = Arc::new(Kept::default());
//! let shown = audit::with_sink(kept.clone(), || format!("{:?}", member.reveal(&rule)));
//! assert_eq!(shown, r#"Member { phone: "+44 20 7946 0958" }"#);
//! assert_eq!(*kept.0.lock().unwrap(), ["phone"]);
//! ```

#[cfg(feature = "sqlite")]
mod ledger;
mod record;
mod tracing_sink;

use std::cell::RefCell;
use std::sync::{Arc, OnceLock};

#[cfg(feature = "sqlite")]
pub use ledger::{
    Anchor, ChainBreak, ChainKey, LedgerEntry, LedgerError, SqliteLedger, VerifyReport, HASH_LEN,
};
pub use record::{AuditRecord, Output};
pub use tracing_sink::TracingSink;

/// Where audit records go. A sink must keep every record it accepts: a view writes raw values
/// only after [`record`](AuditSink::record) returns `Ok`.
pub trait AuditSink: Send + Sync {
    /// Keeps `record`, or says why it cannot.
    fn record(&self, record: &AuditRecord<'_>) -> Result<(), AuditError>;

    /// Whether a record now could be accepted at all, before a view spends a pass finding out
    /// what it would show. `false` only when no record can be: the view then writes redacted
    /// at once. The default: maybe.
    fn accepts(&self) -> bool {
        true
    }
}

/// Why a record was not kept, and so why a view showed nothing raw.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AuditError {
    /// Nothing would keep the record: no subscriber is interested in the audit target, a
    /// filter leaves it out, or no layer read it.
    #[error("no audit sink keeps the record: nothing records tracing target `privacy::audit`")]
    NotRecorded,
    /// The sink did not answer in time.
    #[error("the audit sink did not answer within {0:?}")]
    TimedOut(std::time::Duration),
    /// A sink is already installed for this process.
    #[error("an audit sink is already installed for this process")]
    AlreadyInstalled,
    /// The sink failed to keep the record.
    #[error("the audit sink failed: {0}")]
    Sink(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// Keeps records in memory, for tests and examples: every record is accepted, and
/// [`records`](MemorySink::records) lists them. Clones share their records.
///
/// ```
/// use privacy::audit::{self, MemorySink};
/// use privacy::{Disclosure, Kind, Privacy, Reveal};
///
/// #[derive(Privacy)]
/// struct Member {
///     #[pii(phone)]
///     phone: String,
/// }
///
/// let records = MemorySink::new();
/// audit::install(records.clone()).expect("the first sink of the process");
/// let rule = Disclosure::of([Kind::Phone]).because("the member's own profile");
/// let member = Member { phone: "+44 20 7946 0958".into() };
/// assert_eq!(format!("{:?}", member.reveal(&rule)), r#"Member { phone: "+44 20 7946 0958" }"#);
/// assert_eq!(records.records()[0].fields, ["phone"]);
/// ```
#[derive(Clone, Debug, Default)]
pub struct MemorySink(Arc<std::sync::Mutex<Vec<AuditRecord<'static>>>>);

impl MemorySink {
    /// An empty sink.
    #[must_use]
    pub fn new() -> Self {
        MemorySink::default()
    }

    /// The records kept, oldest first.
    #[must_use]
    pub fn records(&self) -> Vec<AuditRecord<'static>> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }
}

impl AuditSink for MemorySink {
    fn record(&self, record: &AuditRecord<'_>) -> Result<(), AuditError> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(record.clone().into_owned());
        Ok(())
    }
}

static SINK: OnceLock<Box<dyn AuditSink>> = OnceLock::new();
static DEFAULT: TracingSink = TracingSink::new();

thread_local! {
    /// The sink of [`with_sink`], for as long as its closure runs on this thread.
    static SCOPED: RefCell<Option<Arc<dyn AuditSink>>> = const { RefCell::new(None) };
}

/// Installs the audit sink of the process. Call it once, at start-up, before anything is
/// revealed: views written before use [`TracingSink`].
pub fn install(sink: impl AuditSink + 'static) -> Result<(), AuditError> {
    SINK.set(Box::new(sink))
        .map_err(|_| AuditError::AlreadyInstalled)
}

/// Runs `f` with the views it writes on this thread audited by `sink`, whatever sink is
/// installed.
pub fn with_sink<R>(sink: Arc<dyn AuditSink>, f: impl FnOnce() -> R) -> R {
    /// Puts the previous sink back, also when `f` panics.
    struct Restore(Option<Arc<dyn AuditSink>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let previous = self.0.take();
            let _ = SCOPED.try_with(|scoped| *scoped.borrow_mut() = previous);
        }
    }
    let _restore = Restore(SCOPED.with(|scoped| scoped.borrow_mut().replace(sink)));
    f()
}

/// Calls `f` with the sink of views written on this thread now.
pub(crate) fn with_current<R>(f: impl FnOnce(&dyn AuditSink) -> R) -> R {
    let scoped = SCOPED.with(|scoped| scoped.borrow().clone());
    match scoped {
        Some(sink) => f(&*sink),
        None => f(SINK
            .get()
            .map_or(&DEFAULT as &dyn AuditSink, |sink| &**sink)),
    }
}

/// Hands `record` to the sink of this thread; whether it was kept.
pub(crate) fn submit(record: &AuditRecord<'_>) -> bool {
    with_current(|sink| sink.record(record).is_ok())
}

/// The subscriber current where a view is made, where its records go if it is written inside
/// a subscriber.
pub(crate) fn capture_dispatch() -> Option<tracing::Dispatch> {
    tracing_sink::capture()
}

pub(crate) use tracing_sink::with_captured;

/// Whether the sink of this thread could keep a record now.
pub(crate) fn accepts() -> bool {
    with_current(|sink| sink.accepts())
}

static INSTANCE: OnceLock<String> = OnceLock::new();

/// Names this instance of the service in every record, so that the records of many instances
/// sharing one ledger or log can be told apart. Call it once, at start-up. Without it, records
/// name the process: `pid:<id>`.
pub fn set_instance(name: impl Into<String>) -> Result<(), AuditError> {
    INSTANCE
        .set(name.into())
        .map_err(|_| AuditError::AlreadyInstalled)
}

/// The name of this instance in records.
#[must_use]
pub fn instance() -> &'static str {
    INSTANCE.get_or_init(|| format!("pid:{}", std::process::id()))
}
