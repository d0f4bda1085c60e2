//! The default sink: audit records as tracing events on target `privacy::audit`.
//!
//! A view is most often written while a subscriber formats the event it is a field of
//! (`tracing::info!(view = ?member.reveal(&consent))`). tracing drops an event dispatched from
//! there, and dispatching it anyway, on the same thread, would corrupt the per-layer filter
//! state of `tracing_subscriber`, which is kept per thread for the event in progress: the outer
//! event could reach a layer that had filtered it out. So the record is dispatched from another
//! thread, to the subscriber that was current where the view was made, and the view waits for
//! it (up to a timeout) before it writes. Outside a subscriber it is dispatched on the thread
//! itself. The event's callsite is this module's own, registered once from a thread that is
//! not dispatching, and asked each time whether the subscriber is interested: no state settled
//! while dispatch was blocked can silence later records.

use std::cell::RefCell;
use std::sync::mpsc;
use std::time::Duration;

use tracing::callsite::{Callsite, DefaultCallsite, Identifier};
use tracing::field::{FieldSet, Value};
use tracing::metadata::Kind;
use tracing::subscriber::NoSubscriber;
use tracing::{Dispatch, Event, Level, Metadata};

use super::record::Joined;
use super::{AuditError, AuditRecord, AuditSink, Output};

/// Audit records as tracing events on target `privacy::audit`, at level `INFO`, named
/// `revealed` (`revealed in telemetry` for telemetry), with the fields `type_name`, `fields`,
/// `permit`, `basis`, `subject`, `grant`, `viewer`, `output` and `instance`.
///
/// A record is accepted when the subscriber is interested in the event: a filter that leaves
/// out `privacy::audit` (or `privacy`) makes every view write redacted. tracing gives no
/// acknowledgement beyond that interest: where a record must be kept, use a ledger.
#[derive(Clone, Copy, Debug)]
pub struct TracingSink {
    timeout: Duration,
}

impl TracingSink {
    /// The sink, waiting up to one second for a record dispatched from inside a subscriber.
    #[must_use]
    pub const fn new() -> Self {
        TracingSink {
            timeout: Duration::from_secs(1),
        }
    }

    /// The sink, waiting up to `timeout` for a record dispatched from inside a subscriber;
    /// past it, the view writes redacted.
    #[must_use]
    pub const fn with_timeout(timeout: Duration) -> Self {
        TracingSink { timeout }
    }
}

impl Default for TracingSink {
    fn default() -> Self {
        TracingSink::new()
    }
}

impl AuditSink for TracingSink {
    fn record(&self, record: &AuditRecord<'_>) -> Result<(), AuditError> {
        if let Some(dispatch) = current() {
            return dispatch_record(&dispatch, record);
        }
        let Some(dispatch) = CAPTURED.with(|captured| captured.borrow().clone()) else {
            return Err(AuditError::NotRecorded);
        };
        // Inside a subscriber (or on a thread without one): from another thread, which has
        // its own dispatch state.
        let (sent, answer) = mpsc::sync_channel(1);
        let record = record.clone().into_owned();
        std::thread::Builder::new()
            .name("privacy-audit".into())
            .spawn(move || {
                let _ = sent.send(dispatch_record(&dispatch, &record));
            })
            .map_err(|error| AuditError::Sink(Box::new(error)))?;
        match answer.recv_timeout(self.timeout) {
            Ok(result) => result,
            Err(mpsc::RecvTimeoutError::Timeout) => Err(AuditError::TimedOut(self.timeout)),
            Err(mpsc::RecvTimeoutError::Disconnected) => Err(AuditError::NotRecorded),
        }
    }

    fn accepts(&self) -> bool {
        match current() {
            Some(dispatch) => {
                register();
                dispatch.enabled(CALLSITE.metadata())
            }
            // Maybe: the subscriber where the view was made decides.
            None => CAPTURED.with(|captured| captured.borrow().is_some()),
        }
    }
}

thread_local! {
    /// The subscriber that was current where the view being written was made.
    static CAPTURED: RefCell<Option<Dispatch>> = const { RefCell::new(None) };
}

/// The subscriber current here, unless there is none, or this thread is inside a subscriber
/// (where tracing hands out none).
fn current() -> Option<Dispatch> {
    tracing::dispatcher::get_default(|dispatch| {
        (!dispatch.is::<NoSubscriber>()).then(|| dispatch.clone())
    })
}

/// The subscriber current where a view is made, for its records.
pub(crate) fn capture() -> Option<Dispatch> {
    current()
}

/// Runs `f` with `dispatch` as the subscriber of the view being written.
pub(crate) fn with_captured<R>(dispatch: Option<&Dispatch>, f: impl FnOnce() -> R) -> R {
    struct Restore(Option<Dispatch>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let previous = self.0.take();
            let _ = CAPTURED.try_with(|captured| *captured.borrow_mut() = previous);
        }
    }
    let _restore = Restore(CAPTURED.with(|captured| captured.replace(dispatch.cloned())));
    f()
}

static CALLSITE: DefaultCallsite = DefaultCallsite::new(&METADATA);
static TELEMETRY_CALLSITE: DefaultCallsite = DefaultCallsite::new(&TELEMETRY_METADATA);

const FIELDS: &[&str] = &[
    "message",
    "type_name",
    "fields",
    "permit",
    "basis",
    "subject",
    "grant",
    "viewer",
    "output",
    "instance",
];

static METADATA: Metadata<'static> = Metadata::new(
    "revealed",
    "privacy::audit",
    Level::INFO,
    Some(file!()),
    Some(line!()),
    Some(module_path!()),
    FieldSet::new(FIELDS, Identifier(&CALLSITE)),
    Kind::EVENT,
);

static TELEMETRY_METADATA: Metadata<'static> = Metadata::new(
    "revealed in telemetry",
    "privacy::audit",
    Level::INFO,
    Some(file!()),
    Some(line!()),
    Some(module_path!()),
    FieldSet::new(FIELDS, Identifier(&TELEMETRY_CALLSITE)),
    Kind::EVENT,
);

/// Registers the callsites, once; only ever called from a thread that is not dispatching.
fn register() {
    let _ = CALLSITE.interest();
    let _ = TELEMETRY_CALLSITE.interest();
}

/// Dispatches `record` to `dispatch`, on this thread: whether the subscriber took it.
fn dispatch_record(dispatch: &Dispatch, record: &AuditRecord<'_>) -> Result<(), AuditError> {
    register();
    let (callsite, message) = if record.output == Output::TelemetryEvent {
        (&TELEMETRY_CALLSITE, "revealed in telemetry")
    } else {
        (&CALLSITE, "revealed")
    };
    let metadata = callsite.metadata();
    if !dispatch.enabled(metadata) {
        return Err(AuditError::NotRecorded);
    }
    let fields = metadata.fields();
    let field = |name: &str| {
        fields
            .field(name)
            .expect("the audit callsite has every field")
    };
    let message = tracing::field::display(message);
    let names = tracing::field::display(Joined(&record.fields));
    // One text, as `fields` is, but quoted like the other texts: a pseudonym is a value.
    let joined;
    let subjects: Option<&str> = match &record.subjects[..] {
        [] => None,
        [one] => Some(one),
        several => {
            joined = Joined(several).to_string();
            Some(&joined)
        }
    };
    let type_name: &str = &record.type_name;
    let permit: &str = &record.permit;
    let basis: &str = &record.basis;
    let viewer = record.viewer.as_deref();
    let output = record.output.as_str();
    let instance: &str = &record.instance;
    let grant = record.grant.map(tracing::field::display);
    let values: [(&tracing::field::Field, Option<&dyn Value>); 10] = [
        (&field("message"), Some(&message)),
        (&field("type_name"), Some(&type_name)),
        (&field("fields"), Some(&names)),
        (&field("permit"), Some(&permit)),
        (&field("basis"), Some(&basis)),
        (
            &field("subject"),
            subjects.as_ref().map(|subjects| subjects as &dyn Value),
        ),
        (
            &field("grant"),
            grant.as_ref().map(|grant| grant as &dyn Value),
        ),
        (
            &field("viewer"),
            viewer.as_ref().map(|viewer| viewer as &dyn Value),
        ),
        (&field("output"), Some(&output)),
        (&field("instance"), Some(&instance)),
    ];
    let values = fields.value_set(&values);
    dispatch.event(&Event::new(metadata, &values));
    Ok(())
}
