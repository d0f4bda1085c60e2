//! What the redacted `Debug` and `Serialize` of `#[derive(Privacy)]` cost, each next to its
//! reference in the same group: std's `#[derive(Debug)]` and serde's `#[derive(Serialize)]` on
//! the plain twin of the same `Member`. For `redact = hash`, the group also measures the floor
//! of a pseudonym: one HMAC-SHA256 of the 15-byte email from a pre-keyed state.
//!
//! Every measurement writes into a buffer that already has room, so that what is measured is
//! the formatting, not the allocator.
//!
//! `cargo bench --bench redaction`

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use hmac::{Hmac, Mac};
use privacy::pseudonym::{self, PseudonymKey};
use sha2::Sha256;

#[path = "common/measure.rs"]
mod measure;
#[path = "common/member.rs"]
mod member;

use measure::{bench_format, bench_json, debug, pretty, to_json};
use member::{hashed, hidden, partial, plain};

fn debug_hide(c: &mut Criterion) {
    let mut group = c.benchmark_group("debug/hide");
    bench_format(
        &mut group,
        "std derive (plain twin)",
        &plain::member(),
        debug,
    );
    bench_format(&mut group, "privacy", &hidden::member(), debug);
    group.finish();
}

fn debug_partial(c: &mut Criterion) {
    let mut group = c.benchmark_group("debug/partial");
    bench_format(
        &mut group,
        "std derive (plain twin)",
        &plain::member(),
        debug,
    );
    bench_format(&mut group, "privacy", &partial::member(), debug);
    group.finish();
}

fn debug_hash(c: &mut Criterion) {
    let secret = [7u8; 32];
    pseudonym::install(PseudonymKey::new("bench", &secret).expect("key")).expect("install");

    let mut group = c.benchmark_group("debug/hash");
    bench_format(
        &mut group,
        "std derive (plain twin)",
        &plain::member(),
        debug,
    );
    bench_format(&mut group, "privacy", &hashed::member(), debug);
    let keyed = <Hmac<Sha256> as Mac>::new_from_slice(&secret).expect("any key length");
    group.bench_function("HMAC-SHA256 floor (15 bytes, pre-keyed)", |b| {
        b.iter(|| {
            let mut mac = keyed.clone();
            mac.update(black_box(member::EMAIL.as_bytes()));
            mac.finalize().into_bytes()
        });
    });
    group.finish();
}

fn debug_pretty(c: &mut Criterion) {
    let mut group = c.benchmark_group("debug/pretty");
    bench_format(
        &mut group,
        "std derive (plain twin)",
        &plain::member(),
        pretty,
    );
    bench_format(&mut group, "privacy hide", &hidden::member(), pretty);
    bench_format(&mut group, "privacy partial", &partial::member(), pretty);
    group.finish();
}

fn serialize(c: &mut Criterion) {
    let mut group = c.benchmark_group("serialize/json");
    bench_json(
        &mut group,
        "serde derive (plain twin)",
        &plain::member(),
        to_json,
    );
    bench_json(&mut group, "privacy hide", &hidden::member(), to_json);
    bench_json(&mut group, "privacy partial", &partial::member(), to_json);
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2));
    targets = debug_hide, debug_partial, debug_hash, debug_pretty, serialize
}
criterion_main!(benches);
