//! What keeping an audit record in `SqliteLedger` costs: one append, committed and flushed to
//! disk (WAL, `synchronous=FULL`) before it returns, from one thread and from four threads
//! sharing the ledger, with group commit (the default) and with a transaction per record.
//! With four threads, the time is per record of all the threads' together: its inverse is the
//! throughput.
//!
//! The figures depend on how long the disk under the temporary directory takes to flush.
//!
//! `cargo bench --bench audit_ledger`

use std::hint::black_box;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use privacy::audit::{self, AuditRecord, MemorySink, SqliteLedger};
use privacy::{Disclosure, Kind, Privacy, Reveal};

const THREADS: u64 = 4;

#[derive(Privacy)]
struct Member {
    #[safe]
    #[privacy(subject)]
    id: u64,
    #[pii(phone)]
    phone: String,
    #[pii(email)]
    email: String,
}

/// The record of a view of a member's phone and e-mail address, as a reveal makes it.
fn record() -> AuditRecord<'static> {
    let sink = MemorySink::new();
    let member = Member {
        id: 7,
        phone: "+44 20 7946 0958".into(),
        email: "ann@example.com".into(),
    };
    let rule = Disclosure::of([Kind::Phone, Kind::Email]).because("the member's own profile");
    audit::with_sink(Arc::new(sink.clone()), || {
        black_box(format!("{:?}", member.reveal(&rule)))
    });
    sink.records().pop().expect("the reveal is recorded")
}

fn append(c: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!("privacy-bench-ledger-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temporary directory");
    let record = record();
    let mut group = c.benchmark_group("ledger_append");
    group.throughput(Throughput::Elements(1));

    for together in [true, false] {
        let mode = if together {
            "group commit"
        } else {
            "a transaction each"
        };
        let path = dir.join(format!("audit-{together}.sqlite3"));
        let ledger = Arc::new(
            SqliteLedger::open(&path)
                .expect("open")
                .with_group_commit(together),
        );
        group.bench_function(format!("1 thread, {mode}"), |b| {
            b.iter(|| ledger.append(black_box(&record)).expect("append"));
        });
        group.bench_function(format!("{THREADS} threads, {mode}"), |b| {
            b.iter_custom(|iters| {
                let started = Instant::now();
                thread::scope(|scope| {
                    // `iters` records in all, shared as evenly as they go.
                    for thread in 0..THREADS {
                        let share = iters / THREADS + u64::from(thread < iters % THREADS);
                        let (ledger, record) = (&ledger, &record);
                        scope.spawn(move || {
                            for _ in 0..share {
                                ledger.append(black_box(record)).expect("append");
                            }
                        });
                    }
                });
                started.elapsed()
            });
        });
        ledger.verify().expect("the chain holds");
    }

    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
        .sample_size(20);
    targets = append
}
criterion_main!(benches);
