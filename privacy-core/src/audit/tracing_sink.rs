//! The default sink: audit records as tracing events on target `privacy::audit`.
//!
//! A view is most often written while a subscriber formats the event it is a field of
//! (`tracing::info!(view = ?member.reveal(&consent))`), or while the values of an event are
//! being made (`info!(view = %format!("{:?}", member.reveal(&consent)))`). tracing drops an
//! event dispatched from inside a subscriber, a subscriber may hold a lock the record's event
//! needs, and an event dispatched between another event's `enabled` and its dispatch overwrites
//! the per-layer filter state `tracing_subscriber` keeps per thread for that event, which could
//! then reach a layer that had filtered it out. So no record is ever dispatched on the thread
//! that writes the view: a small pool of threads dispatches them, and the view waits (up to a
//! timeout) for the answer before it writes. The subscriber is the one current on the writing
//! thread, or, inside a subscriber, the one current where the view was made; it is asked about
//! the record's callsite each time, so no interest settled elsewhere silences later records.

use core::fmt;
use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};
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
/// A record is accepted when the subscriber is interested in the event and a layer read it:
/// the event's `message` was formatted while the subscriber had it. A filter that leaves out
/// `privacy::audit` (or `privacy`), globally or in every per-layer filter, a layer that drops
/// the event in `Layer::event_enabled`, and a subscriber that takes the event without reading
/// it (a bare `Registry`, a layer that only counts) make the view write redacted. tracing
/// gives no acknowledgement beyond that: a layer that reads the record and then throws it away
/// is not seen, so where a record must be kept, use a ledger (`SqliteLedger`, feature
/// `sqlite`). Also:
///
/// - a view made under one subscriber and written inside another's event is recorded by the
///   first (inside a subscriber, tracing does not say which one is dispatching);
/// - a record dispatched when the view has stopped waiting (a subscriber that answered after
///   the timeout) names a showing that did not happen, as the view then wrote redacted: a
///   record too many, never one too few.
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
        // The subscriber of this thread, or, inside a subscriber (where tracing hands out
        // none), the one current where the view was made.
        let Some(dispatch) = current().or_else(|| CAPTURED.with(|c| c.borrow().clone())) else {
            return Err(AuditError::NotRecorded);
        };
        worker::submit(dispatch, record.clone().into_owned(), self.timeout)
    }

    fn accepts(&self) -> bool {
        // Nothing is asked of the subscriber here: asking on this thread could disturb the
        // event it may be in the middle of.
        current().is_some() || CAPTURED.with(|captured| captured.borrow().is_some())
    }
}

/// The thread that dispatches every audit record.
///
/// A record is never dispatched on the thread that writes the view: that thread may be inside
/// a subscriber (which tracing would answer with no subscriber, and which may hold a lock the
/// record's event needs), or between the `enabled` and the `event` of another event, whose
/// per-layer filter state, kept per thread by `tracing_subscriber`, a nested event would
/// overwrite. The worker has no event of its own in progress.
mod worker {
    use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
    use std::sync::{mpsc, Arc, Mutex, OnceLock};
    use std::time::{Duration, Instant};

    use tracing::Dispatch;

    use super::{dispatch_record, AuditError, AuditRecord};

    const PENDING: u8 = 0;
    const STARTED: u8 = 1;
    const ABANDONED: u8 = 2;

    struct Job {
        dispatch: Dispatch,
        record: AuditRecord<'static>,
        state: Arc<AtomicU8>,
        answer: mpsc::SyncSender<Result<(), AuditError>>,
    }

    /// The queue of jobs, and how many workers wait on it.
    struct Pool {
        jobs: Mutex<Option<mpsc::Sender<Job>>>,
        queue: Arc<Mutex<mpsc::Receiver<Job>>>,
        idle: Arc<AtomicUsize>,
        workers: AtomicUsize,
    }

    /// At most this many workers: a subscriber that blocks holds one, not every audit.
    const MAX_WORKERS: usize = 16;

    static POOL: OnceLock<Pool> = OnceLock::new();

    fn pool() -> &'static Pool {
        POOL.get_or_init(|| {
            let (sender, receiver) = mpsc::channel::<Job>();
            Pool {
                jobs: Mutex::new(Some(sender)),
                queue: Arc::new(Mutex::new(receiver)),
                idle: Arc::new(AtomicUsize::new(0)),
                workers: AtomicUsize::new(0),
            }
        })
    }

    /// The sender of jobs, with a worker free to take the next one if one can be had.
    fn jobs() -> Option<mpsc::Sender<Job>> {
        let pool = pool();
        if pool.idle.load(Ordering::Acquire) == 0
            && pool.workers.fetch_add(1, Ordering::AcqRel) < MAX_WORKERS
        {
            let (queue, idle) = (Arc::clone(&pool.queue), Arc::clone(&pool.idle));
            idle.fetch_add(1, Ordering::AcqRel);
            let spawned = std::thread::Builder::new()
                .name("privacy-audit".into())
                .spawn(move || run(&queue, &idle));
            if spawned.is_err() {
                pool.idle.fetch_sub(1, Ordering::AcqRel);
                pool.workers.fetch_sub(1, Ordering::AcqRel);
            }
        }
        pool.jobs
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// A worker: takes jobs until the process ends. It counts as idle while it waits.
    fn run(queue: &Mutex<mpsc::Receiver<Job>>, idle: &AtomicUsize) {
        loop {
            let job = {
                let queue = queue
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                // Records come in bursts (a roster, a page of views), and waking a parked thread
                // costs far more than a record: the one worker at the queue looks again for a
                // moment before it sleeps.
                spin(SPIN, || match queue.try_recv() {
                    Err(mpsc::TryRecvError::Empty) => None,
                    other => Some(other.map_err(|_| mpsc::RecvError)),
                })
                .unwrap_or_else(|| queue.recv())
            };
            let Ok(job) = job else { return };
            idle.fetch_sub(1, Ordering::AcqRel);
            run_job(&job);
            idle.fetch_add(1, Ordering::AcqRel);
        }
    }

    fn run_job(job: &Job) {
        // A view that stopped waiting wrote redacted: its record must not be made.
        if job
            .state
            .compare_exchange(PENDING, STARTED, Ordering::AcqRel, Ordering::Acquire)
            .is_err()
        {
            return;
        }
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            dispatch_record(&job.dispatch, &job.record)
        }))
        .unwrap_or_else(|_| Err(AuditError::Sink("the subscriber panicked".into())));
        let _ = job.answer.send(result);
    }

    /// How long the worker at the queue looks for the next record, and a view for its answer,
    /// before they sleep.
    const SPIN: Duration = Duration::from_micros(10);

    /// Asks `poll` until it answers or `budget` has passed.
    fn spin<T>(budget: Duration, mut poll: impl FnMut() -> Option<T>) -> Option<T> {
        let start = Instant::now();
        loop {
            if let Some(answer) = poll() {
                return Some(answer);
            }
            if start.elapsed() >= budget {
                return None;
            }
            std::hint::spin_loop();
        }
    }

    /// Hands `record` to the worker and waits up to `timeout` for the subscriber's answer.
    pub(super) fn submit(
        dispatch: Dispatch,
        record: AuditRecord<'static>,
        timeout: Duration,
    ) -> Result<(), AuditError> {
        let Some(jobs) = jobs() else {
            return Err(AuditError::NotRecorded);
        };
        let (answer, answered) = mpsc::sync_channel(1);
        let state = Arc::new(AtomicU8::new(PENDING));
        let job = Job {
            dispatch,
            record,
            state: Arc::clone(&state),
            answer,
        };
        if jobs.send(job).is_err() {
            return Err(AuditError::NotRecorded);
        }
        let answer = spin(SPIN, || match answered.try_recv() {
            Err(mpsc::TryRecvError::Empty) => None,
            Ok(result) => Some(Ok(result)),
            Err(mpsc::TryRecvError::Disconnected) => {
                Some(Err(mpsc::RecvTimeoutError::Disconnected))
            }
        })
        .unwrap_or_else(|| answered.recv_timeout(timeout));
        match answer {
            Ok(result) => result,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                // Not started: it never will be. Started: the subscriber has the record, and
                // the view, which writes redacted, is recorded as having shown it (a record too
                // many, never one too few).
                let _ =
                    state.compare_exchange(PENDING, ABANDONED, Ordering::AcqRel, Ordering::Acquire);
                Err(AuditError::TimedOut(timeout))
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => Err(AuditError::NotRecorded),
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

/// Dispatches `record` to `dispatch`, on this thread: whether the subscriber took it.
fn dispatch_record(dispatch: &Dispatch, record: &AuditRecord<'_>) -> Result<(), AuditError> {
    let (callsite, message) = if record.output == Output::TelemetryEvent {
        (&TELEMETRY_CALLSITE, "revealed in telemetry")
    } else {
        (&CALLSITE, "revealed")
    };
    let metadata = callsite.metadata();
    // This subscriber's own interest, asked each time: tracing's cached interest of a callsite
    // combines every subscriber's, and a filter of one subscriber would be another's. Its
    // `enabled` alone cannot be trusted where every per-layer filter left the event out.
    if dispatch.register_callsite(metadata).is_never() || !dispatch.enabled(metadata) {
        return Err(AuditError::NotRecorded);
    }
    let fields = metadata.fields();
    let field = |name: &str| {
        fields
            .field(name)
            .expect("the audit callsite has every field")
    };
    // Whether a layer read the record: formatting its message says so.
    let read = AtomicBool::new(false);
    let message = tracing::field::display(Read {
        text: message,
        read: &read,
    });
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
    // No parent: a record names no span, whose fields could hold a view.
    dispatch.event(&Event::new_child_of(None, metadata, &values));
    if read.load(Ordering::Acquire) {
        Ok(())
    } else {
        Err(AuditError::NotRecorded)
    }
}

/// A record's message, which notes that it was formatted: a layer read the record.
struct Read<'a> {
    text: &'static str,
    read: &'a AtomicBool,
}

impl fmt::Display for Read<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.read.store(true, Ordering::Release);
        f.write_str(self.text)
    }
}
