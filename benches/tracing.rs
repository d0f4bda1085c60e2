//! What logging a `Member` through tracing costs, against its plain twin: an event with the
//! member recorded with `?`, and a function instrumented with `#[privacy::instrument]` against
//! the same function under `#[tracing::instrument]`. Both go through a `tracing_subscriber::fmt`
//! subscriber whose writer is `std::io::sink()`, so everything up to the write is measured.
//!
//! `cargo bench --bench tracing`

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};

#[path = "common/member.rs"]
mod member;

use member::{hidden, partial, plain};

fn info(c: &mut Criterion) {
    let mut group = c.benchmark_group("tracing/info");
    let member = plain::member();
    group.bench_function("plain twin", |b| {
        b.iter(|| tracing::info!(member = ?black_box(&member), "joined"));
    });
    let member = hidden::member();
    group.bench_function("privacy hide", |b| {
        b.iter(|| tracing::info!(member = ?black_box(&member), "joined"));
    });
    let member = partial::member();
    group.bench_function("privacy partial", |b| {
        b.iter(|| tracing::info!(member = ?black_box(&member), "joined"));
    });
    group.finish();
}

#[tracing::instrument]
#[inline(never)]
fn invite_plain(group: u32, phone: &str, sender: &plain::Member) -> usize {
    black_box(phone.len() + sender.display_name.len()) + group as usize
}

#[privacy::instrument]
#[inline(never)]
fn invite(
    #[safe] group: u32,
    #[pii(phone, redact = last(4))] phone: &str,
    sender: &partial::Member,
) -> usize {
    black_box(phone.len() + sender.display_name.len()) + group as usize
}

fn instrument(c: &mut Criterion) {
    let mut group = c.benchmark_group("tracing/instrument");
    let sender = plain::member();
    group.bench_function("tracing::instrument (plain twin)", |b| {
        b.iter(|| invite_plain(black_box(42), black_box(member::PHONE), &sender));
    });
    let sender = partial::member();
    group.bench_function("privacy::instrument", |b| {
        b.iter(|| invite(black_box(42), black_box(member::PHONE), &sender));
    });
    group.finish();
}

/// Installs the subscriber every measurement goes through.
fn subscriber(c: &mut Criterion) {
    let subscriber = tracing_subscriber::fmt()
        .with_writer(std::io::sink)
        .finish();
    tracing::subscriber::set_global_default(subscriber).expect("the only subscriber");
    info(c);
    instrument(c);
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2));
    targets = subscriber
}
criterion_main!(benches);
