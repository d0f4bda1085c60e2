//! How long `consent::<P>()` takes on each store: the lookup every consent-gated reveal starts
//! with. The SQLite store is measured on a file, from a warm connection (statements prepared,
//! pages cached), with a thousand records of other subjects around the one looked up.
//!
//! `cargo bench --bench consent`

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use privacy::consent::{ConsentStore, Evidence, MemoryConsentStore, SqliteConsentStore};
use privacy::purpose::{Analytics, Diagnostics};
use privacy::SubjectId;

/// Other subjects, so a lookup has records to skip. Every grant to the SQLite store is its own
/// flushed transaction, which keeps this small enough to fill in a few seconds.
const OTHERS: usize = 500;

/// Grants consent to the subject looked up, then to the others: the memory store searches
/// from the newest record back, so it has all of them to skip.
fn fill(store: &impl ConsentStore) -> SubjectId {
    let alice = SubjectId::from("alice");
    store
        .grant(&alice, Diagnostics, Evidence::new("bench"))
        .expect("grant");
    for i in 0..OTHERS {
        let other = SubjectId::from(i);
        store
            .grant(&other, Diagnostics, Evidence::new("bench"))
            .expect("grant");
        store
            .grant(&other, Analytics, Evidence::new("bench"))
            .expect("grant");
    }
    alice
}

fn consent(c: &mut Criterion) {
    let mut group = c.benchmark_group("consent");

    let memory = MemoryConsentStore::new();
    let alice = fill(&memory);
    group.bench_function("memory", |b| {
        b.iter(|| {
            memory
                .consent::<Diagnostics>(black_box(&alice))
                .expect("consent")
        });
    });

    let dir = std::env::temp_dir().join(format!("privacy-bench-consent-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temporary directory");
    let sqlite = SqliteConsentStore::open(dir.join("consent.sqlite3")).expect("open");
    let alice = fill(&sqlite);
    sqlite.consent::<Diagnostics>(&alice).expect("warm up");
    group.bench_function("sqlite", |b| {
        b.iter(|| {
            sqlite
                .consent::<Diagnostics>(black_box(&alice))
                .expect("consent")
        });
    });

    group.finish();
    drop(sqlite);
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = consent
}
criterion_main!(benches);
