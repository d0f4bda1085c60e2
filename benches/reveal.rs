//! What writing a consented view costs: `member.reveal(&consent)` formatted with `{:?}`, which
//! records one audit event and then shows every field in the clear, against its reference:
//! std's `#[derive(Debug)]` of the plain twin, plus that audit event alone (the same tracing
//! event, with the same fields and the subject's pseudonym, emitted on its own).
//!
//! The audit events go to a `tracing_subscriber::fmt` subscriber writing into `std::io::sink()`;
//! a second group measures the view under tracing's `NoSubscriber`, which accepts no record: the
//! view then writes every field redacted (it fails closed).
//!
//! `cargo bench --bench reveal`

use std::fmt::{self, Write as _};
use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use privacy::consent::{ConsentStore, Evidence, MemoryConsentStore};
use privacy::purpose::Diagnostics;
use privacy::{Consent, Permit, Reveal, SubjectId};
use tracing::subscriber::NoSubscriber;

#[path = "common/member.rs"]
mod member;

use member::{hidden, plain};

/// The fields a consent for the member shows, as the audit event lists them.
const SHOWN: &str = "display_name,phone,email,org,last_ip";

/// The reference audit event: what a view's audit emits, with its values at hand.
fn audit_event(consent: &Consent<Diagnostics>) {
    let audit = consent.audit();
    let subject = audit.subject.map(|s| s.pseudonym().to_string());
    let grant = audit.grant.map(|g| g.to_string());
    tracing::info!(
        target: "privacy::audit",
        type_name = "Member",
        fields = SHOWN,
        permit = audit.kind,
        basis = audit.basis,
        subject = subject.as_deref(),
        grant = grant.as_deref(),
        output = "debug",
        instance = privacy::audit::instance(),
        "revealed"
    );
}

fn write_debug(out: &mut String, value: &dyn fmt::Debug) {
    out.clear();
    write!(out, "{value:?}").expect("formatting into a String");
    black_box(out.len());
}

fn consent() -> Consent<Diagnostics> {
    let store = MemoryConsentStore::new();
    let subject = SubjectId::from(member::ID);
    store
        .grant(&subject, Diagnostics, Evidence::new("bench"))
        .expect("grant");
    store.consent::<Diagnostics>(&subject).expect("consent")
}

fn reveal(c: &mut Criterion) {
    let consent = consent();
    let plain = plain::member();
    let member = hidden::member();
    let mut out = String::with_capacity(1024);

    let sink = tracing_subscriber::fmt()
        .with_writer(std::io::sink)
        .finish();
    tracing::subscriber::set_global_default(sink).expect("the only global subscriber");
    // The view shows every field, exactly as the plain twin's `Debug` does.
    assert_eq!(
        format!("{:?}", member.reveal(&consent)),
        format!("{plain:?}")
    );
    let mut group = c.benchmark_group("reveal/audit to sink");
    group.bench_function("std derive (plain twin)", |b| {
        b.iter(|| write_debug(&mut out, black_box(&plain)));
    });
    group.bench_function("audit event alone", |b| {
        b.iter(|| audit_event(black_box(&consent)));
    });
    group.bench_function("privacy reveal(&consent)", |b| {
        b.iter(|| write_debug(&mut out, &black_box(&member).reveal(&consent)));
    });
    group.finish();

    tracing::subscriber::with_default(NoSubscriber::default(), || {
        assert_eq!(
            format!("{:?}", member.reveal(&consent)),
            format!("{member:?}"),
            "with no record accepted, the view is the redacted Debug"
        );
        let mut group = c.benchmark_group("reveal/no-op subscriber (fails closed)");
        group.bench_function("std derive (plain twin)", |b| {
            b.iter(|| write_debug(&mut out, black_box(&plain)));
        });
        group.bench_function("privacy reveal(&consent)", |b| {
            b.iter(|| write_debug(&mut out, &black_box(&member).reveal(&consent)));
        });
        group.finish();
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2));
    targets = reveal
}
criterion_main!(benches);
