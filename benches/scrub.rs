//! What the log scrubber costs: the same batch of events (safe fields, the framework's
//! placeholders and pseudonyms, and a few raw e-mail addresses, phone numbers and IP addresses)
//! through a `tracing_subscriber::fmt` subscriber with the plain field formatter and with the
//! scrubbing one, in text and in JSON, writing into `std::io::sink()`. Throughput is the bytes
//! of log text the plain subscriber writes for the batch; the scrubber alone is measured on
//! that same text.
//!
//! `cargo bench --bench scrub`

use std::hint::black_box;
use std::io;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use privacy::tracing::Scrubber;
use tracing::Dispatch;

#[path = "../tests/fixture/capture.rs"]
mod capture;
#[path = "common/member.rs"]
mod member;

/// Ten events, as a service logs them: most are clean, some carry placeholders, three carry a
/// raw value nobody classified.
fn log_batch(redacted: &member::partial::Member, hashed: &member::hashed::Member) {
    tracing::info!(
        user_id = 918_273_645_u64,
        route = "/api/v2/orders",
        status = 200,
        elapsed = ?Duration::from_micros(1_250),
        "request done"
    );
    tracing::info!(member = ?redacted, "member joined");
    tracing::warn!(to = "alice@example.com", attempt = 3, "delivery failed");
    tracing::info!(
        trace_id = "4bf92f3577b34da6a3ce929d0e0e4736",
        version = "1.95.0",
        bytes = 1_024_u64,
        "cache refreshed at 2026-11-29T00:01:48Z"
    );
    tracing::error!(client = %"203.0.113.7", limit = 100, "rate limited");
    tracing::info!(member = ?hashed, order = "ORD-2026-000123", "payment accepted");
    tracing::info!(ticket = 48_213, "call back on +44 20 7946 0958");
    tracing::info!(
        request = "123e4567-e89b-12d3-a456-426614174000",
        duration = ?Duration::from_millis(125),
        cache_hit = true,
        "lookup"
    );
    tracing::debug!(shard = 7, queue_depth = 12, "skipped at the default level");
    tracing::info!(member = ?redacted, groups = 12, "roster synced");
    tracing::info!(
        job = "nightly-export",
        rows = 1_048_576_u64,
        size = "64KiB",
        "export finished in 1.5s"
    );
}

fn subscribers(scrubber: &Scrubber) -> [(&'static str, &'static str, Dispatch); 4] {
    let plain_text = tracing_subscriber::fmt().with_writer(io::sink).finish();
    let scrubbed_text = tracing_subscriber::fmt()
        .fmt_fields(scrubber.fields())
        .with_writer(io::sink)
        .finish();
    let plain_json = tracing_subscriber::fmt()
        .json()
        .with_writer(io::sink)
        .finish();
    let scrubbed_json = tracing_subscriber::fmt()
        .json()
        .fmt_fields(scrubber.json_fields())
        .map_event_format(|format| scrubber.events(format))
        .with_writer(io::sink)
        .finish();
    [
        ("text", "plain fields", plain_text.into()),
        ("text", "ScrubFields", scrubbed_text.into()),
        ("json", "plain fields", plain_json.into()),
        (
            "json",
            "ScrubJsonFields + ScrubEvents",
            scrubbed_json.into(),
        ),
    ]
}

/// What the plain subscriber writes for one batch: the bytes the throughput counts.
fn batch_text(json: bool, log: impl Fn()) -> String {
    let format = if json {
        capture::Format::Json
    } else {
        capture::Format::Text
    };
    capture::captured(format, log)
}

fn formatters(c: &mut Criterion) {
    let redacted = member::partial::member();
    let hashed = member::hashed::member();
    let log = || log_batch(black_box(&redacted), black_box(&hashed));
    let scrubber = Scrubber::new();

    for format in ["text", "json"] {
        let text = batch_text(format == "json", log);
        let mut group = c.benchmark_group(format!("scrub/{format}"));
        group.throughput(Throughput::Bytes(text.len() as u64));
        for (_, name, dispatch) in subscribers(&scrubber)
            .into_iter()
            .filter(|(f, _, _)| *f == format)
        {
            tracing::dispatcher::with_default(&dispatch, || {
                group.bench_function(name, |b| b.iter(log));
            });
        }
        group.bench_function("Scrubber::scrub_into alone", |b| {
            let mut out = String::with_capacity(text.len() * 2);
            b.iter(|| {
                out.clear();
                scrubber.scrub_into(black_box(&text), &mut out)
            });
        });
        group.finish();
    }
    // Every batch scrubs the same three raw values.
    assert!(scrubber.stats().total() > 0);
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2));
    targets = formatters
}
criterion_main!(benches);
