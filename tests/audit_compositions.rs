//! Reveals written through real `tracing_subscriber` compositions: the `fmt` text and JSON
//! formatters, global and per-layer filters (`Targets`, `EnvFilter`, `filter_fn`, a layer that
//! drops events in `event_enabled`), layers of this file's own, threads, async tasks, panics,
//! subscribers switched mid-run, the global subscriber, `#[privacy::instrument]`, telemetry and
//! audit sinks of this file's own.
//!
//! The contract: a view writes a raw value only once the audit record of what it shows has been
//! accepted, one record per write; where nothing accepts it, the view writes redacted. Markers
//! are planted in every classified field; the records hold none of them, the fields that no
//! permit here allows never show, and the safe values always do.

// Like std's derive, the redacted output does not count as reading a field.
#![allow(dead_code)]

#[path = "fixture/capture.rs"]
mod capture;
#[path = "fixture/leak_check.rs"]
mod leak_check;

use std::fmt::{self, Write as _};
use std::future::Future;
use std::net::IpAddr;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::Pin;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, Mutex, PoisonError};
use std::task::{Context as TaskContext, Poll};
use std::time::{Duration, Instant};

use capture::Buffer;
use privacy::audit::{self, AuditError, AuditRecord, AuditSink, MemorySink};
use privacy::consent::{ConsentStore, Evidence, MemoryConsentStore};
use privacy::purpose::Support;
use privacy::{telemetry, Consent, Disclosure, Kind, Pii, Privacy, Reveal, SubjectId};
use serde_json::Value;
use tracing::field::{Field, Visit};
use tracing::level_filters::LevelFilter;
use tracing::{Dispatch, Event, Instrument as _, Level, Subscriber};
use tracing_subscriber::filter::{filter_fn, EnvFilter, Targets};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt as _};
use tracing_subscriber::registry::Registry;

// ---------------------------------------------------------------------------------------------
// What is revealed.

/// Markers: upper-case letters and digits, so that no window of one occurs by chance in output
/// made of field names, placeholders, pseudonyms (lower-case hex) and safe values.
mod marker {
    /// Shown by every permit of this file, where the record of it is accepted.
    pub const PHONE: &str = "QZPHONEX5H9J6";
    /// A wrapped phone, `Pii<String>` in a `#[pii(phone)]` field.
    pub const WRAPPED_PHONE: &str = "QZWRAPX4M1V7";
    /// Sent by telemetry under a consent for support.
    pub const DEVICE: &str = "QZDEVICEX1Y7E4";
    pub const NAME: &str = "QZNAMEX3K8W2T";
    pub const EMAIL_LOCAL: &str = "QZMAILX7T4N1";
    pub const ORG: &str = "QZORGX2P6R9F";
    pub const NICK: &str = "QZNICKX8D3B5";
    pub const WRAPPED_NAME: &str = "QZWRNX6C2L8";
    pub const NOTE: &str = "QZNOTEX9S5G3";
    pub const IP: &str = "203.0.113.77";
    /// What a permit of this file may show.
    pub const MAY_SHOW: &[&str] = &[PHONE, WRAPPED_PHONE, DEVICE];
    /// What no permit of this file allows: never in any output.
    pub const NEVER: &[&str] = &[NAME, EMAIL_LOCAL, ORG, NICK, WRAPPED_NAME, NOTE];
    pub const ALL: &[&str] = &[
        PHONE,
        WRAPPED_PHONE,
        DEVICE,
        NAME,
        EMAIL_LOCAL,
        ORG,
        NICK,
        WRAPPED_NAME,
        NOTE,
    ];
}

/// Safe values, which must appear.
mod safe {
    pub const ID: u64 = 918_273_645;
    pub const ID_TEXT: &str = "918273645";
    pub const LABEL: &str = "safe-label-visible";
    pub const CODE: u32 = 5_647_382;
    pub const CODE_TEXT: &str = "5647382";
}

#[derive(Privacy)]
struct Member {
    #[safe]
    #[privacy(subject)]
    id: u64,
    #[pii(phone, purposes(Support))]
    phone: String,
    #[pii(name)]
    name: String,
    #[pii(email, redact = email)]
    email: String,
    #[pii(ip, redact = ip_prefix)]
    ip: IpAddr,
    #[oii(org_name)]
    org: String,
    nick: Pii<String>,
    #[safe]
    label: &'static str,
}

fn member() -> Member {
    Member {
        id: safe::ID,
        phone: marker::PHONE.into(),
        name: marker::NAME.into(),
        email: format!("{}@mail.example", marker::EMAIL_LOCAL),
        ip: marker::IP.parse().unwrap(),
        org: marker::ORG.into(),
        nick: Pii::new(marker::NICK.into()),
        label: safe::LABEL,
    }
}

/// A classified field whose type is a wrapper.
#[derive(Privacy)]
struct Card {
    #[safe]
    #[privacy(subject)]
    id: u64,
    #[pii(phone, redact = last(4), purposes(Support))]
    phone: Pii<String>,
    #[pii(name)]
    name: Pii<String>,
    #[safe]
    label: &'static str,
}

fn card() -> Card {
    Card {
        id: safe::ID,
        phone: Pii::new(marker::WRAPPED_PHONE.into()),
        name: Pii::new(marker::WRAPPED_NAME.into()),
        label: safe::LABEL,
    }
}

#[derive(Privacy)]
#[privacy(telemetry)]
struct Crash {
    #[safe]
    #[privacy(subject)]
    user: u64,
    #[safe]
    code: u32,
    #[pii(device_id, purposes(Support))]
    device: String,
    #[pii(message, purposes(Diagnostics))]
    note: String,
}

fn crash() -> Crash {
    Crash {
        user: safe::ID,
        code: safe::CODE,
        device: marker::DEVICE.into(),
        note: marker::NOTE.into(),
    }
}

/// The permit where a test only needs one: shows the phone, for anybody.
fn rule() -> Disclosure {
    Disclosure::of([Kind::Phone]).because("caller id in the support console")
}

/// A consent of the member for support: shows the phone (its purposes include support), and
/// nothing that names no purpose.
fn support() -> Consent<Support> {
    let store = MemoryConsentStore::new();
    let member = SubjectId::from(safe::ID);
    store
        .grant(
            &member,
            Support,
            Evidence::new("support chat, consent button v3"),
        )
        .unwrap();
    store.consent::<Support>(&member).unwrap()
}

// ---------------------------------------------------------------------------------------------
// Subscribers, and reading what they wrote.

#[derive(Clone, Copy, Debug)]
enum Format {
    Text,
    Json,
}

const FORMATS: [Format; 2] = [Format::Text, Format::Json];

/// A `fmt` subscriber writing `format` into `buffer`, at `INFO`.
fn fmt_dispatch(format: Format, buffer: &Buffer) -> Dispatch {
    let builder = tracing_subscriber::fmt()
        .with_writer(buffer.clone())
        .with_max_level(LevelFilter::INFO)
        .without_time();
    match format {
        Format::Text => builder.finish().into(),
        Format::Json => builder.json().finish().into(),
    }
}

/// A `fmt` layer writing JSON into `buffer`.
fn json_layer<S>(buffer: &Buffer) -> impl Layer<S>
where
    S: Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
{
    tracing_subscriber::fmt::layer()
        .json()
        .without_time()
        .with_writer(buffer.clone())
}

/// Whether a line that a subscriber wrote is an audit record.
fn is_record(line: &str) -> bool {
    line.contains("privacy::audit")
}

/// What a subscriber wrote, split into audit records and the other lines, with the checks that
/// hold whatever was revealed: no record holds a marker, nothing shows a field that no permit
/// here allows (nor six characters of one, nor the whole IP address), and a marker a permit may
/// show is shown whole or not at all.
struct Seen {
    records: Vec<String>,
    lines: Vec<String>,
}

fn seen(output: &str) -> Seen {
    leak_check::assert_no_leak(output, marker::NEVER, marker::IP, &[]);
    let (records, lines): (Vec<String>, Vec<String>) = output
        .lines()
        .map(str::to_owned)
        .partition(|l| is_record(l));
    for record in &records {
        leak_check::assert_no_leak(record, marker::ALL, marker::IP, &[]);
    }
    for line in &lines {
        for may in marker::MAY_SHOW {
            if !line.contains(may) {
                leak_check::assert_no_leak(line, &[may], marker::IP, &[]);
            }
        }
    }
    Seen { records, lines }
}

impl Seen {
    /// The lines other than records that show `marker` raw.
    fn raw(&self, marker: &str) -> usize {
        self.lines.iter().filter(|l| l.contains(marker)).count()
    }

    /// Every line that shows the phone raw has a record of its own written before it, and
    /// there are as many records as such lines: each event here is one write.
    fn assert_one_record_per_raw_event(&self, output: &str) {
        let mut unclaimed = 0_usize;
        for line in output.lines() {
            if is_record(line) {
                unclaimed += 1;
            } else if line.contains(marker::PHONE) {
                assert!(
                    unclaimed > 0,
                    "a raw value was written before its record:\n{output}"
                );
                unclaimed -= 1;
            }
        }
        assert_eq!(
            self.records.len(),
            self.raw(marker::PHONE),
            "one record per write that showed the phone:\n{output}"
        );
    }

    /// Every record names the phone of a `Member`, and nothing else.
    fn assert_records_name_the_phone(&self) {
        for record in &self.records {
            assert!(
                record.contains("fields=phone ") || record.contains(r#""fields":"phone""#),
                "{record}"
            );
            assert!(record.contains("Member"), "{record}");
        }
    }

    fn assert_safe_values_shown(&self) {
        let lines = self.lines.join("\n");
        leak_check::assert_safe_values_shown(&lines, [safe::ID_TEXT, safe::LABEL]);
    }
}

/// The target of each JSON line.
fn targets(output: &str) -> Vec<String> {
    output
        .lines()
        .map(|line| {
            let event: Value = serde_json::from_str(line).expect("each JSON line parses");
            event["target"].as_str().unwrap_or_default().to_owned()
        })
        .collect()
}

/// Checks one plain write of a view: raw where `shown`, and then with a record in `records` of
/// its own; redacted otherwise.
fn assert_written(text: &str, shown: bool) {
    leak_check::assert_no_leak(text, marker::NEVER, marker::IP, &[]);
    leak_check::assert_safe_values_shown(text, [safe::ID_TEXT, safe::LABEL]);
    if shown {
        assert!(text.contains(marker::PHONE), "{text}");
    } else {
        assert!(text.contains("phone: <pii:phone>"), "{text}");
        leak_check::assert_no_leak(text, marker::MAY_SHOW, marker::IP, &[]);
    }
}

/// Runs `scenario` in a process of its own, where it may install the global subscriber: the
/// test binary runs again, with only the test `name`. Fails if the scenario fails, or if it
/// never finishes (a deadlock).
fn in_own_process(name: &str, scenario: impl FnOnce()) {
    const CHILD: &str = "PRIVACY_AUDIT_COMPOSITIONS_CHILD";
    if std::env::var(CHILD).as_deref() == Ok(name) {
        scenario();
        return;
    }
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([name, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD, name)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || std::io::read_to_string(&mut stdout).unwrap());
    let err = std::thread::spawn(move || std::io::read_to_string(&mut stderr).unwrap());
    // Not a measure of speed: a scenario takes well under a second; one still running after
    // half a minute is stuck.
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let (out, err) = (out.join().unwrap(), err.join().unwrap());
    let Some(status) = status else {
        panic!("the scenario never finished (a deadlock):\n{out}\n{err}");
    };
    assert!(status.success(), "the scenario failed:\n{out}\n{err}");
    assert!(out.contains("1 passed"), "the scenario did not run:\n{out}");
}

// ---------------------------------------------------------------------------------------------
// 1. The fmt formatters: a view in an event, in a span, recorded into a span.

#[test]
fn fmt_text_and_json_a_view_in_an_event_field_is_shown_once_its_record_is_written() {
    let (member, rule) = (member(), rule());
    for format in FORMATS {
        let buffer = Buffer::default();
        tracing::dispatcher::with_default(&fmt_dispatch(format, &buffer), || {
            for attempt in 0..3 {
                tracing::info!(attempt, view = ?member.reveal(&rule), "lookup");
            }
            tracing::info!("{:?}", member.reveal(&rule));
        });
        let output = buffer.contents();
        let seen = seen(&output);
        assert_eq!(seen.raw(marker::PHONE), 4, "{format:?}:\n{output}");
        seen.assert_one_record_per_raw_event(&output);
        seen.assert_records_name_the_phone();
        seen.assert_safe_values_shown();
    }
}

#[test]
fn fmt_text_and_json_a_view_in_a_span_field_is_recorded_once_for_its_one_write() {
    let (member, consent) = (member(), support());
    for format in FORMATS {
        let buffer = Buffer::default();
        tracing::dispatcher::with_default(&fmt_dispatch(format, &buffer), || {
            let span = tracing::info_span!("lookup", view = ?member.reveal(&consent));
            span.in_scope(|| {
                tracing::info!("first");
                tracing::info!("second");
            });
        });
        let output = buffer.contents();
        let seen = seen(&output);
        // The span's fields are written once, when it is made, and repeated in each line in it.
        assert_eq!(seen.records.len(), 1, "{format:?}:\n{output}");
        assert_eq!(seen.raw(marker::PHONE), 2, "{format:?}:\n{output}");
        assert!(is_record(output.lines().next().unwrap()), "{output}");
        assert!(seen.records[0].contains("consent"), "{output}");
        seen.assert_records_name_the_phone();
        seen.assert_safe_values_shown();
    }
}

#[test]
fn fmt_text_and_json_a_view_recorded_into_a_span_later_is_recorded_once() {
    let (member, rule) = (member(), rule());
    for format in FORMATS {
        let buffer = Buffer::default();
        tracing::dispatcher::with_default(&fmt_dispatch(format, &buffer), || {
            let span = tracing::info_span!("lookup", view = tracing::field::Empty);
            span.record("view", tracing::field::debug(member.reveal(&rule)));
            span.in_scope(|| tracing::info!("inside"));
        });
        let output = buffer.contents();
        let seen = seen(&output);
        assert_eq!(seen.records.len(), 1, "{format:?}:\n{output}");
        assert_eq!(seen.raw(marker::PHONE), 1, "{format:?}:\n{output}");
        seen.assert_records_name_the_phone();
        seen.assert_safe_values_shown();
    }
}

#[test]
fn a_record_written_inside_a_span_carries_no_raw_value_of_the_span() {
    // The span shows the phone (audited when it was made); the plain write after it, inside
    // it, is recorded: that record must not carry the span's raw phone along.
    let (member, rule) = (member(), rule());
    for format in FORMATS {
        let buffer = Buffer::default();
        let mut written = String::new();
        tracing::dispatcher::with_default(&fmt_dispatch(format, &buffer), || {
            let _span = tracing::info_span!("lookup", view = ?member.reveal(&rule)).entered();
            written = format!("{:?}", member.reveal(&rule));
        });
        assert_written(&written, true);
        let output = buffer.contents();
        let seen = seen(&output);
        assert_eq!(seen.records.len(), 2, "{format:?}:\n{output}");
    }
}

// ---------------------------------------------------------------------------------------------
// 2. Filters.

/// A filter that leaves out the audit target and lets the rest through at `INFO`.
fn without_audit() -> Targets {
    Targets::new()
        .with_default(Level::INFO)
        .with_target("privacy::audit", LevelFilter::OFF)
}

/// Writes the view once outside any event and once inside one under `dispatch`, which writes
/// into `buffer`, and checks that both are redacted and nothing is recorded.
fn assert_redacted_under(what: &str, dispatch: &Dispatch, buffer: &Buffer) {
    let (member, rule) = (member(), rule());
    let mut written = String::new();
    tracing::dispatcher::with_default(dispatch, || {
        written = format!("{:?}", member.reveal(&rule));
        tracing::info!(view = ?member.reveal(&rule), "lookup");
    });
    let output = buffer.take();
    let seen = seen(&output);
    assert_eq!(seen.lines.len(), 1, "{what}:\n{output}");
    assert!(
        !written.contains(marker::PHONE) && seen.raw(marker::PHONE) == 0,
        "{what}: shown where no record can be kept:\n{written}\n{output}"
    );
    assert_written(&written, false);
    assert!(seen.records.is_empty(), "{what}:\n{output}");
    assert!(output.contains("phone: <pii:phone>"), "{what}:\n{output}");
    seen.assert_safe_values_shown();
}

#[test]
fn a_global_targets_filter_that_leaves_out_the_audit_target_makes_views_redacted() {
    let buffer = Buffer::default();
    let dispatch = Registry::default()
        .with(without_audit())
        .with(json_layer(&buffer))
        .into();
    assert_redacted_under("a global `Targets`", &dispatch, &buffer);
}

#[test]
fn per_layer_filters_that_all_leave_out_the_audit_target_make_views_redacted() {
    // The only layer's own filter, and two layers whose filters both leave the audit out.
    let buffer = Buffer::default();
    let one = Registry::default()
        .with(json_layer(&buffer).with_filter(without_audit()))
        .into();
    assert_redacted_under("one layer with a `Targets` of its own", &one, &buffer);
    let env = Registry::default()
        .with(
            json_layer(&buffer).with_filter(EnvFilter::try_new("info,privacy::audit=off").unwrap()),
        )
        .into();
    assert_redacted_under("one layer with an `EnvFilter` of its own", &env, &buffer);
    let other = Buffer::default();
    let two = Registry::default()
        .with(json_layer(&buffer).with_filter(without_audit()))
        .with(json_layer(&other).with_filter(Targets::new().with_target("telemetry", Level::INFO)))
        .into();
    assert_redacted_under("two layers, neither taking the audit", &two, &buffer);
    assert!(other.contents().is_empty(), "{}", other.contents());
}

/// A layer that drops the audit events in `Layer::event_enabled`, after their callsite was
/// found interesting: no layer behind it ever gets them.
struct DropsAuditEvents;

impl<S: Subscriber> Layer<S> for DropsAuditEvents {
    fn event_enabled(&self, event: &Event<'_>, _: Context<'_, S>) -> bool {
        event.metadata().target() != "privacy::audit"
    }
}

/// A layer that takes every event and reads none of them.
struct CountsEvents(Arc<AtomicUsize>);

impl<S: Subscriber> Layer<S> for CountsEvents {
    fn on_event(&self, _: &Event<'_>, _: Context<'_, S>) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

#[test]
fn a_layer_that_drops_the_record_in_event_enabled_makes_views_redacted() {
    let buffer = Buffer::default();
    let dispatch = Registry::default()
        .with(json_layer(&buffer))
        .with(DropsAuditEvents)
        .into();
    assert_redacted_under(
        "a layer dropping records in `event_enabled`",
        &dispatch,
        &buffer,
    );
}

#[test]
fn a_subscriber_that_takes_records_without_reading_them_makes_views_redacted() {
    let (member, rule) = (member(), rule());
    let counted = Arc::new(AtomicUsize::new(0));
    let dispatches: [(&str, Dispatch); 2] = [
        ("a bare registry", Registry::default().into()),
        (
            "a layer that only counts",
            Registry::default()
                .with(CountsEvents(Arc::clone(&counted)))
                .into(),
        ),
    ];
    for (what, dispatch) in dispatches {
        let written =
            tracing::dispatcher::with_default(&dispatch, || format!("{:?}", member.reveal(&rule)));
        assert!(!written.contains(marker::PHONE), "{what}: {written}");
        assert_written(&written, false);
    }
    assert!(
        counted.load(Ordering::Relaxed) > 0,
        "the counting layer got the record"
    );
}

#[test]
fn env_filters_that_leave_out_the_audit_target_make_views_redacted_and_info_shows_them() {
    let (member, rule) = (member(), rule());
    for (directives, shown) in [
        ("privacy=warn", false),
        ("privacy::audit=off", false),
        ("info", true),
    ] {
        // The directives alone, for a view written outside any event; with the events of this
        // file enabled too, for a view inside one.
        let in_event = if directives == "info" {
            directives.to_owned()
        } else {
            format!("info,{directives}")
        };
        let buffer = Buffer::default();
        let alone: Dispatch = Registry::default()
            .with(EnvFilter::try_new(directives).unwrap())
            .with(json_layer(&buffer))
            .into();
        let mut written = String::new();
        tracing::dispatcher::with_default(&alone, || {
            written = format!("{:?}", member.reveal(&rule));
        });
        assert_written(&written, shown);
        let records = seen(&buffer.take()).records.len();
        assert_eq!(records, usize::from(shown), "{directives}");

        let with_events: Dispatch = Registry::default()
            .with(EnvFilter::try_new(&in_event).unwrap())
            .with(json_layer(&buffer))
            .into();
        tracing::dispatcher::with_default(&with_events, || {
            tracing::info!(view = ?member.reveal(&rule), "lookup");
        });
        let output = buffer.take();
        let seen = seen(&output);
        assert_eq!(seen.lines.len(), 1, "{in_event}:\n{output}");
        assert_eq!(
            seen.raw(marker::PHONE),
            usize::from(shown),
            "{in_event}:\n{output}"
        );
        seen.assert_one_record_per_raw_event(&output);
        seen.assert_safe_values_shown();
    }
}

// ---------------------------------------------------------------------------------------------
// 3. Per-layer filters: an application log that leaves the audit out, and an audit log.

/// The layers of an application log without audit and telemetry, an audit-only log and a
/// telemetry-only log, each with its own per-layer filter.
struct Logs {
    dispatch: Dispatch,
    app: Buffer,
    audit: Buffer,
    telemetry: Buffer,
}

fn logs() -> Logs {
    let (app, audit, telemetry) = (Buffer::default(), Buffer::default(), Buffer::default());
    let dispatch = Registry::default()
        .with(json_layer(&app).with_filter(filter_fn(|metadata| {
            !metadata.target().starts_with("privacy::audit") && metadata.target() != "telemetry"
        })))
        .with(
            json_layer(&audit)
                .with_filter(Targets::new().with_target("privacy::audit", Level::INFO)),
        )
        .with(
            json_layer(&telemetry)
                .with_filter(Targets::new().with_target("telemetry", Level::INFO)),
        )
        .into();
    Logs {
        dispatch,
        app,
        audit,
        telemetry,
    }
}

impl Logs {
    /// Each log holds its own events only, and every write of a raw phone has its record in
    /// the audit log; returns the application log and the number of records.
    fn check(&self) -> (String, usize) {
        let (app, audit, telemetry) = (
            self.app.contents(),
            self.audit.contents(),
            self.telemetry.contents(),
        );
        let all = format!("{app}\n{audit}\n{telemetry}");
        assert!(
            targets(&app)
                .iter()
                .all(|t| t != "privacy::audit" && t != "telemetry"),
            "no audit or telemetry event in the application log:\n{app}"
        );
        assert!(
            targets(&audit).iter().all(|t| t == "privacy::audit"),
            "nothing but records in the audit log:\n{audit}"
        );
        assert!(
            targets(&telemetry).iter().all(|t| t == "telemetry"),
            "nothing but telemetry in the telemetry log:\n{telemetry}"
        );
        let seen = seen(&all);
        leak_check::assert_no_leak(&audit, marker::ALL, marker::IP, &[]);
        (app, seen.records.len())
    }
}

#[test]
fn per_layer_filters_keep_records_out_of_the_app_log_and_views_are_shown() {
    let (member, rule) = (member(), rule());
    let logs = logs();
    tracing::dispatcher::with_default(&logs.dispatch, || {
        tracing::info!(view = ?member.reveal(&rule), "lookup");
        let span = tracing::info_span!("request", view = ?member.reveal(&rule));
        span.in_scope(|| tracing::info!("inside"));
        tracing::info!("{:?}", member.reveal(&rule));
    });
    let (app, records) = logs.check();
    let app_seen = seen(&app);
    assert_eq!(app_seen.lines.len(), 3, "{app}");
    assert_eq!(app_seen.raw(marker::PHONE), 3, "shown: {app}");
    assert_eq!(records, 3, "one per write: event, span, message");
    app_seen.assert_safe_values_shown();
}

#[test]
fn per_layer_filters_hold_for_a_view_written_while_its_event_is_being_made() {
    // `%format!(...)` writes the view after tracing asked the layers whether they want the
    // event, and before it hands them the event: the record dispatched in between must not
    // change which layer gets the event.
    let (member, rule) = (member(), rule());
    let logs = logs();
    tracing::dispatcher::with_default(&logs.dispatch, || {
        tracing::info!(view = %format!("{:?}", member.reveal(&rule)), "lookup");
        tracing::info!(plain = true, "after");
    });
    let (app, records) = logs.check();
    let app_seen = seen(&app);
    assert_eq!(app_seen.lines.len(), 2, "{app}");
    assert_eq!(app_seen.raw(marker::PHONE), records, "{app}");
    assert_eq!(records, 1);
}

#[test]
fn per_layer_filters_keep_telemetry_and_its_record_each_in_their_own_log() {
    let (member, rule, consent) = (member(), rule(), support());
    let logs = logs();
    tracing::dispatcher::with_default(&logs.dispatch, || {
        tracing::info!(view = ?member.reveal(&rule), "before");
        telemetry::emit_with(&crash(), &consent);
        tracing::info!(view = ?member.reveal(&rule), "after");
    });
    let (app, records) = logs.check();
    let telemetry = logs.telemetry.contents();
    assert!(telemetry.contains(marker::DEVICE), "{telemetry}");
    assert!(telemetry.contains(safe::CODE_TEXT), "{telemetry}");
    assert_eq!(seen(&app).raw(marker::PHONE), 2, "{app}");
    assert_eq!(records, 3, "two views and one telemetry event");
    let audit = logs.audit.contents();
    assert!(audit.contains("revealed in telemetry"), "{audit}");
}

// ---------------------------------------------------------------------------------------------
// 4. Layers of this file's own, which format the fields themselves.

/// Every event a [`Visiting`] layer saw: its target and its fields as its visitor wrote them.
#[derive(Clone, Default)]
struct Store(Arc<Mutex<Vec<(String, String)>>>);

impl Store {
    fn events(&self) -> Vec<(String, String)> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Waits until no thread but the test's holds the layer (an audit record still being
    /// dispatched from another thread holds it), so that every event it will ever get is in.
    fn settle(self) -> Vec<(String, String)> {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Arc::strong_count(&self.0) > 1 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        self.events()
    }
}

/// A layer that formats each event's fields with a visitor of its own: each once, or each
/// twice (`{:?}` and `{:#?}`), and either before taking the lock of its store or while holding
/// it, as a layer writing straight into a locked file does.
struct Visiting {
    store: Store,
    twice: bool,
    lock_while_formatting: bool,
}

struct Fields<'a> {
    out: &'a mut String,
    twice: bool,
}

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        let _ = write!(self.out, "{}={value:?}; ", field.name());
        if self.twice {
            let _ = write!(self.out, "{}(again)={value:#?}; ", field.name());
        }
    }
}

impl<S: Subscriber> Layer<S> for Visiting {
    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        let target = event.metadata().target().to_owned();
        let mut out = String::new();
        if self.lock_while_formatting {
            let mut events = self.store.0.lock().unwrap_or_else(PoisonError::into_inner);
            event.record(&mut Fields {
                out: &mut out,
                twice: self.twice,
            });
            events.push((target, out));
        } else {
            event.record(&mut Fields {
                out: &mut out,
                twice: self.twice,
            });
            self.store
                .0
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push((target, out));
        }
    }
}

/// Runs three events with a view in a [`Visiting`] layer; the records and the writes that
/// showed the phone.
fn through_visiting(twice: bool, lock_while_formatting: bool) -> (usize, usize) {
    let (member, rule) = (member(), rule());
    let store = Store::default();
    let dispatch: Dispatch = Registry::default()
        .with(Visiting {
            store: store.clone(),
            twice,
            lock_while_formatting,
        })
        .into();
    tracing::dispatcher::with_default(&dispatch, || {
        for attempt in 0..3 {
            tracing::info!(attempt, view = ?member.reveal(&rule));
        }
    });
    drop(dispatch);
    let events = store.settle();
    let mut all = String::new();
    for (target, fields) in &events {
        let _ = writeln!(all, "{target}: {fields}");
    }
    leak_check::assert_no_leak(&all, marker::NEVER, marker::IP, &[]);
    let mut records = 0;
    let mut raw = 0;
    for (target, fields) in &events {
        if target == "privacy::audit" {
            leak_check::assert_no_leak(fields, marker::ALL, marker::IP, &[]);
            assert!(fields.contains("fields=phone"), "{fields}");
            records += 1;
        } else {
            assert!(fields.contains(safe::LABEL), "{fields}");
            raw += fields.matches(marker::PHONE).count();
        }
    }
    assert_eq!(
        events.iter().filter(|(t, _)| t != "privacy::audit").count(),
        3,
        "{all}"
    );
    (records, raw)
}

#[test]
fn a_layer_of_its_own_that_formats_fields_with_a_visitor_sees_views_audited() {
    let (records, raw) = through_visiting(false, false);
    assert_eq!(raw, 3, "shown: the layer records the audit target");
    assert_eq!(records, raw, "one record per write");
}

#[test]
fn a_layer_that_formats_each_field_twice_gets_a_record_for_each_write() {
    let (records, raw) = through_visiting(true, false);
    assert_eq!(raw, 6, "shown twice per event");
    assert_eq!(records, raw, "one record per write");
}

#[test]
fn a_layer_that_holds_its_lock_while_formatting_writes_nothing_raw() {
    // The record goes to the same layer, which waits for the lock the formatting thread holds:
    // the view cannot have its record accepted in time, and writes redacted. A record that the
    // layer takes once the lock is free names a showing that did not happen: a record too
    // many, never one too few.
    let (records, raw) = through_visiting(false, true);
    assert_eq!(raw, 0, "nothing raw without an accepted record");
    assert!(records <= 3, "at most one record per write: {records}");
}

// ---------------------------------------------------------------------------------------------
// 5. Panics.

/// Panics in its `Debug` once it has been written `after` times.
struct Bomb {
    calls: AtomicUsize,
    after: usize,
}

impl fmt::Debug for Bomb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let call = self.calls.fetch_add(1, Ordering::SeqCst);
        assert!(call < self.after, "a Debug that panics");
        f.write_str("Bomb")
    }
}

impl serde::Serialize for Bomb {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str("Bomb")
    }
}

#[derive(Privacy)]
struct Holder {
    #[safe]
    #[privacy(subject)]
    id: u64,
    #[pii(phone)]
    phone: String,
    #[pii(name)]
    name: String,
    #[safe]
    bomb: Bomb,
}

fn holder(after: usize) -> Holder {
    Holder {
        id: safe::ID,
        phone: marker::PHONE.into(),
        name: marker::NAME.into(),
        bomb: Bomb {
            calls: AtomicUsize::new(0),
            after,
        },
    }
}

#[test]
fn a_later_field_that_panics_leaves_nothing_raw_without_its_record() {
    let rule = rule();
    // 0: the bomb goes off while the view decides what it shows; 1: once it writes.
    for after in [0, 1] {
        let holder = holder(after);
        let records = MemorySink::new();
        let mut out = String::new();
        let result = catch_unwind(AssertUnwindSafe(|| {
            audit::with_sink(Arc::new(records.clone()), || {
                write!(out, "{:?}", holder.reveal(&rule))
            })
        }));
        assert!(result.is_err(), "the bomb went off");
        leak_check::assert_no_leak(&out, marker::NEVER, marker::IP, &[]);
        let records = records.records();
        if out.contains(marker::PHONE) {
            assert_eq!(records.len(), 1, "shown: recorded first: {out}");
            assert_eq!(records[0].fields, ["phone"]);
            assert!(out.contains(safe::ID_TEXT), "{out}");
        } else {
            leak_check::assert_no_leak(&out, marker::MAY_SHOW, marker::IP, &[]);
        }
        if after == 0 {
            assert!(records.is_empty(), "nothing decided, nothing recorded");
        }
    }
}

#[test]
fn a_later_field_that_panics_inside_an_event_leaves_nothing_raw_without_its_record() {
    let rule = rule();
    for format in FORMATS {
        for after in [0, 1] {
            let holder = holder(after);
            let buffer = Buffer::default();
            tracing::dispatcher::with_default(&fmt_dispatch(format, &buffer), || {
                let result = catch_unwind(AssertUnwindSafe(|| {
                    tracing::info!(view = ?holder.reveal(&rule), "lookup");
                }));
                assert!(result.is_err(), "the bomb went off");
                // What the formatter had written of the line before the panic may come out
                // with the next event.
                tracing::info!(label = safe::LABEL, "after");
            });
            let output = buffer.contents();
            let seen = seen(&output);
            if seen.raw(marker::PHONE) > 0 {
                assert_eq!(seen.records.len(), 1, "{format:?}:\n{output}");
                let first_raw = output.find(marker::PHONE).unwrap();
                let record = output.find("privacy::audit").unwrap();
                assert!(record < first_raw, "recorded before it showed:\n{output}");
            }
            assert!(output.contains(safe::LABEL), "{output}");
        }
    }
}

/// A sink that panics.
struct Panicking;

impl AuditSink for Panicking {
    fn record(&self, _: &AuditRecord<'_>) -> Result<(), AuditError> {
        panic!("the audit sink failed");
    }
}

#[test]
fn a_sink_that_panics_lets_nothing_raw_out_and_is_put_back() {
    let (member, rule) = (member(), rule());
    let mut out = String::new();
    let result = catch_unwind(AssertUnwindSafe(|| {
        audit::with_sink(Arc::new(Panicking), || {
            write!(out, "{:?}", member.reveal(&rule))
        })
    }));
    assert!(result.is_err(), "the sink panicked");
    leak_check::assert_no_leak(&out, marker::ALL, marker::IP, &[]);
    // Inside an event, with the subscriber's line written or not.
    let buffer = Buffer::default();
    let records = MemorySink::new();
    let mut after = String::new();
    tracing::dispatcher::with_default(&fmt_dispatch(Format::Json, &buffer), || {
        let result = catch_unwind(AssertUnwindSafe(|| {
            audit::with_sink(Arc::new(Panicking), || {
                tracing::info!(view = ?member.reveal(&rule), "lookup");
            });
        }));
        assert!(result.is_err(), "the sink panicked");
        tracing::info!(label = safe::LABEL, "after");
        // The sink of before is back.
        audit::with_sink(Arc::new(records.clone()), || {
            after = format!("{:?}", member.reveal(&rule));
        });
    });
    let output = buffer.contents();
    leak_check::assert_no_leak(&output, marker::ALL, marker::IP, &[]);
    assert!(output.contains(safe::LABEL), "{output}");
    assert_written(&after, true);
    assert_eq!(records.records().len(), 1);
}

// ---------------------------------------------------------------------------------------------
// 6. Threads.

const THREADS: usize = 8;
const ROUNDS: usize = 5;

#[test]
fn views_on_eight_threads_under_one_subscriber_have_one_record_per_raw_write() {
    let (member, rule) = (member(), rule());
    let buffer = Buffer::default();
    let dispatch = fmt_dispatch(Format::Json, &buffer);
    let plain_raw = AtomicUsize::new(0);
    let start = Barrier::new(THREADS);
    std::thread::scope(|scope| {
        for _ in 0..THREADS {
            scope.spawn(|| {
                tracing::dispatcher::with_default(&dispatch, || {
                    start.wait();
                    for round in 0..ROUNDS {
                        tracing::info!(round, view = ?member.reveal(&rule));
                        let text = format!("{:?}", member.reveal(&rule));
                        assert_written(&text, true);
                        plain_raw.fetch_add(1, Ordering::SeqCst);
                    }
                });
            });
        }
    });
    let output = buffer.contents();
    let seen = seen(&output);
    let in_events = seen.raw(marker::PHONE);
    assert_eq!(in_events, THREADS * ROUNDS, "all shown:\n{output}");
    assert_eq!(
        seen.records.len(),
        in_events + plain_raw.load(Ordering::SeqCst),
        "one record per raw write"
    );
    seen.assert_records_name_the_phone();
}

#[test]
fn views_on_eight_threads_each_with_its_own_subscriber_are_recorded_by_their_own() {
    let (member, rule) = (member(), rule());
    let buffers: Vec<Buffer> = (0..THREADS).map(|_| Buffer::default()).collect();
    let start = Barrier::new(THREADS);
    std::thread::scope(|scope| {
        for buffer in &buffers {
            let (member, rule, start) = (&member, &rule, &start);
            scope.spawn(move || {
                let dispatch = fmt_dispatch(Format::Json, buffer);
                tracing::dispatcher::with_default(&dispatch, || {
                    start.wait();
                    for round in 0..ROUNDS {
                        tracing::info!(round, view = ?member.reveal(rule));
                    }
                    let text = format!("{:?}", member.reveal(rule));
                    assert_written(&text, true);
                });
            });
        }
    });
    for buffer in &buffers {
        let output = buffer.contents();
        let seen = seen(&output);
        assert_eq!(seen.raw(marker::PHONE), ROUNDS, "{output}");
        assert_eq!(seen.records.len(), ROUNDS + 1, "{output}");
    }
}

#[test]
fn a_view_made_on_one_thread_and_written_on_another_is_audited() {
    let (member, rule) = (member(), rule());
    let buffer = Buffer::default();
    let dispatch = fmt_dispatch(Format::Json, &buffer);
    let (view, inside) = tracing::dispatcher::with_default(&dispatch, || {
        (member.reveal(&rule), member.reveal(&rule))
    });
    let written = std::thread::scope(|scope| {
        scope
            .spawn(|| {
                // A thread with no subscriber of its own.
                let written = format!("{view:?}");
                tracing::dispatcher::with_default(&dispatch, || {
                    tracing::info!(view = ?inside, "lookup");
                });
                written
            })
            .join()
            .unwrap()
    });
    let output = buffer.contents();
    let seen = seen(&output);
    let raw_writes = usize::from(written.contains(marker::PHONE)) + seen.raw(marker::PHONE);
    assert_eq!(seen.records.len(), raw_writes, "{written}\n{output}");
}

// ---------------------------------------------------------------------------------------------
// 7. Async tasks.

/// Pending once, then ready: a suspension point.
struct YieldNow(bool);

impl Future for YieldNow {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

#[test]
fn views_in_an_instrumented_async_task_are_audited_across_await_points() {
    // The task's span shows the phone, and so does each event in the step inside it; the plain
    // writes come after the step, in the task's span alone, which shows nothing raw (a record
    // written inside a span that shows a raw value is the subject of its own test).
    let (member, rule) = (member(), rule());
    for format in FORMATS {
        let buffer = Buffer::default();
        let plain_raw = AtomicUsize::new(0);
        tracing::dispatcher::with_default(&fmt_dispatch(format, &buffer), || {
            let task = tracing::info_span!("task", label = safe::LABEL);
            futures_executor::block_on(
                async {
                    for round in 0..3 {
                        let step = tracing::info_span!("step", view = ?member.reveal(&rule));
                        async {
                            let held = member.reveal(&rule);
                            YieldNow(false).await;
                            tracing::info!(round, view = ?held);
                            YieldNow(false).await;
                        }
                        .instrument(step)
                        .await;
                        YieldNow(false).await;
                        let text = format!("{:?}", member.reveal(&rule));
                        assert_written(&text, true);
                        plain_raw.fetch_add(1, Ordering::SeqCst);
                    }
                }
                .instrument(task),
            );
        });
        let output = buffer.contents();
        let seen = seen(&output);
        assert_eq!(seen.lines.len(), 3, "{format:?}:\n{output}");
        assert_eq!(seen.raw(marker::PHONE), 3, "{format:?}:\n{output}");
        // Each round: the step's span, its event, and the plain write.
        assert_eq!(seen.records.len(), 3 * 3, "{format:?}:\n{output}");
        assert_eq!(plain_raw.load(Ordering::SeqCst), 3);
        seen.assert_records_name_the_phone();
    }
}

#[test]
fn a_task_polled_on_another_thread_has_its_views_audited() {
    let (member, rule) = (Arc::new(member()), Arc::new(rule()));
    let buffer = Buffer::default();
    let dispatch = fmt_dispatch(Format::Json, &buffer);
    let task = {
        let dispatch = dispatch.clone();
        async move {
            let mut raw = 0;
            for round in 0..3 {
                YieldNow(false).await;
                tracing::info!(round, view = ?member.reveal(&*rule));
                let text = format!("{:?}", member.reveal(&*rule));
                raw += usize::from(text.contains(marker::PHONE));
                assert!(!dispatch.is::<tracing::subscriber::NoSubscriber>());
            }
            raw
        }
    };
    let plain_raw = std::thread::spawn(move || {
        tracing::dispatcher::with_default(&dispatch, || futures_executor::block_on(task))
    })
    .join()
    .unwrap();
    let output = buffer.contents();
    let seen = seen(&output);
    assert_eq!(seen.raw(marker::PHONE), 3, "{output}");
    assert_eq!(plain_raw, 3);
    assert_eq!(seen.records.len(), 6, "{output}");
}

// ---------------------------------------------------------------------------------------------
// 8. Later views stay audited: interest is not settled by what came before.

#[test]
fn after_a_view_inside_an_event_later_plain_views_are_each_audited() {
    let (member, rule) = (member(), rule());
    for rebuild in [false, true] {
        let buffer = Buffer::default();
        let mut written = Vec::new();
        tracing::dispatcher::with_default(&fmt_dispatch(Format::Json, &buffer), || {
            tracing::info!(view = ?member.reveal(&rule), "first");
            if rebuild {
                tracing::callsite::rebuild_interest_cache();
            }
            for _ in 0..4 {
                written.push(format!("{:?}", member.reveal(&rule)));
            }
            tracing::info!(view = ?member.reveal(&rule), "last");
        });
        for text in &written {
            assert_written(text, true);
        }
        let output = buffer.contents();
        let seen = seen(&output);
        assert_eq!(seen.raw(marker::PHONE), 2, "{output}");
        assert_eq!(seen.records.len(), 2 + 4, "rebuild {rebuild}:\n{output}");
    }
}

#[test]
fn a_subscriber_switched_mid_run_decides_for_the_views_made_and_written_under_it() {
    let (member, rule) = (member(), rule());
    let (outer, silent, inner) = (Buffer::default(), Buffer::default(), Buffer::default());
    let outer_dispatch = fmt_dispatch(Format::Json, &outer);
    let silent_dispatch: Dispatch = Registry::default()
        .with(without_audit())
        .with(json_layer(&silent))
        .into();
    let inner_dispatch = fmt_dispatch(Format::Json, &inner);
    let mut written: Vec<(String, bool)> = Vec::new();
    tracing::dispatcher::with_default(&outer_dispatch, || {
        tracing::info!(view = ?member.reveal(&rule), "outer");
        written.push((format!("{:?}", member.reveal(&rule)), true));
        tracing::dispatcher::with_default(&silent_dispatch, || {
            tracing::info!(view = ?member.reveal(&rule), "silent");
            written.push((format!("{:?}", member.reveal(&rule)), false));
            tracing::callsite::rebuild_interest_cache();
            written.push((format!("{:?}", member.reveal(&rule)), false));
        });
        written.push((format!("{:?}", member.reveal(&rule)), true));
        tracing::dispatcher::with_default(&inner_dispatch, || {
            tracing::info!(view = ?member.reveal(&rule), "inner");
            written.push((format!("{:?}", member.reveal(&rule)), true));
        });
        tracing::info!(view = ?member.reveal(&rule), "outer again");
        written.push((format!("{:?}", member.reveal(&rule)), true));
    });
    for (text, shown) in &written {
        assert_written(text, *shown);
    }
    let (outer, silent, inner) = (outer.contents(), silent.contents(), inner.contents());
    let outer_seen = seen(&outer);
    assert_eq!(outer_seen.raw(marker::PHONE), 2, "{outer}");
    assert_eq!(outer_seen.records.len(), 2 + 3, "{outer}");
    let silent_seen = seen(&silent);
    assert_eq!(silent_seen.lines.len(), 1, "{silent}");
    assert_eq!(silent_seen.raw(marker::PHONE), 0, "{silent}");
    assert!(silent_seen.records.is_empty(), "{silent}");
    let inner_seen = seen(&inner);
    assert_eq!(inner_seen.raw(marker::PHONE), 1, "{inner}");
    assert_eq!(inner_seen.records.len(), 2, "{inner}");
}

#[test]
fn a_view_made_under_one_subscriber_and_written_in_anothers_event_is_audited_where_it_was_made() {
    // Made where the audit is recorded, written inside another subscriber's event (where
    // tracing hands out no subscriber): the record goes to the subscriber the view was made
    // under, one per raw write.
    let (member, rule) = (member(), rule());
    let (recording, silent) = (Buffer::default(), Buffer::default());
    let recording_dispatch = fmt_dispatch(Format::Json, &recording);
    let silent_dispatch: Dispatch = Registry::default()
        .with(without_audit())
        .with(json_layer(&silent))
        .into();
    let view = tracing::dispatcher::with_default(&recording_dispatch, || member.reveal(&rule));
    tracing::dispatcher::with_default(&silent_dispatch, || {
        tracing::info!(view = ?view, "lookup");
    });
    let silent = silent.contents();
    let silent_seen = seen(&silent);
    assert_eq!(silent_seen.lines.len(), 1, "{silent}");
    let recording = recording.contents();
    assert!(silent_seen.records.is_empty(), "{silent}");
    assert_eq!(
        silent_seen.raw(marker::PHONE),
        seen(&recording).records.len(),
        "one record per raw write:\n{silent}\nrecorded:\n{recording}"
    );
}

// ---------------------------------------------------------------------------------------------
// 9. `#[privacy::instrument]`.

#[derive(Privacy)]
struct Missing {
    #[safe]
    id: u64,
    #[pii(phone)]
    phone: String,
}

#[privacy::instrument(ret)]
fn load(#[safe] id: u64, #[pii(phone)] phone: &str) -> Member {
    Member {
        id,
        phone: phone.into(),
        ..member()
    }
}

#[privacy::instrument(ret, err(Debug))]
fn find(#[safe] id: u64) -> Result<Member, Missing> {
    if id == 0 {
        Err(Missing {
            id,
            phone: marker::PHONE.into(),
        })
    } else {
        Ok(member())
    }
}

#[test]
fn instrument_ret_and_err_record_redacted_values_that_callers_then_reveal() {
    let rule = rule();
    for format in FORMATS {
        let buffer = Buffer::default();
        let dispatch: Dispatch = match format {
            Format::Text => tracing_subscriber::fmt()
                .with_writer(buffer.clone())
                .with_max_level(LevelFilter::TRACE)
                .with_span_events(tracing_subscriber::fmt::format::FmtSpan::NEW)
                .without_time()
                .finish()
                .into(),
            Format::Json => tracing_subscriber::fmt()
                .with_writer(buffer.clone())
                .with_max_level(LevelFilter::TRACE)
                .with_span_events(tracing_subscriber::fmt::format::FmtSpan::NEW)
                .without_time()
                .json()
                .finish()
                .into(),
        };
        let mut written = Vec::new();
        tracing::dispatcher::with_default(&dispatch, || {
            let loaded = load(safe::ID, marker::PHONE);
            written.push(format!("{:?}", loaded.reveal(&rule)));
            let found = find(safe::ID).ok().unwrap();
            written.push(format!("{:?}", found.reveal(&rule)));
            let missing = find(0).err().unwrap();
            let shown = format!("{:?}", missing.reveal(&rule));
            assert!(shown.contains(marker::PHONE), "{shown}");
        });
        for text in &written {
            assert_written(text, true);
        }
        let output = buffer.contents();
        let seen = seen(&output);
        leak_check::assert_no_leak(&output, marker::ALL, marker::IP, &[]);
        assert_eq!(seen.records.len(), 3, "the callers' three views:\n{output}");
        assert!(output.contains("return"), "{output}");
        assert!(output.contains("<pii:phone>"), "{output}");
        seen.assert_safe_values_shown();
    }
}

// ---------------------------------------------------------------------------------------------
// 10. Telemetry inside the formatting of an event.

/// Sends the crash report with consent when it is written: telemetry from inside a subscriber
/// formatting an event.
struct SendsWhenWritten<'a> {
    consent: &'a Consent<Support>,
}

impl fmt::Debug for SendsWhenWritten<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        telemetry::emit_with(&crash(), self.consent);
        f.write_str("sent")
    }
}

#[test]
fn telemetry_sent_while_an_event_is_formatted_stays_in_its_own_log() {
    let (member, rule, consent) = (member(), rule(), support());
    let logs = logs();
    tracing::dispatcher::with_default(&logs.dispatch, || {
        let span = tracing::info_span!("request", view = ?member.reveal(&rule));
        span.in_scope(|| {
            tracing::info!(report = ?SendsWhenWritten { consent: &consent }, "crash");
            telemetry::emit_with(&crash(), &consent);
            tracing::info!(label = safe::LABEL, "after");
        });
    });
    let (app, records) = logs.check();
    let telemetry = logs.telemetry.contents();
    let sent = telemetry.matches(marker::DEVICE).count();
    assert!(
        sent >= 1,
        "the one sent outside the formatting:\n{telemetry}"
    );
    // The span's view, and each telemetry event that carried the device.
    assert_eq!(records, 1 + sent, "{}", logs.audit.contents());
    assert_eq!(seen(&app).raw(marker::PHONE), 2, "{app}");
}

// ---------------------------------------------------------------------------------------------
// 11. Audit sinks of this file's own.

/// Refuses every record.
struct Refusing;

impl AuditSink for Refusing {
    fn record(&self, _: &AuditRecord<'_>) -> Result<(), AuditError> {
        Err(AuditError::Sink("the ledger is offline".into()))
    }
}

/// Keeps every record, slowly.
struct Slow(MemorySink);

impl AuditSink for Slow {
    fn record(&self, record: &AuditRecord<'_>) -> Result<(), AuditError> {
        std::thread::sleep(Duration::from_millis(50));
        self.0.record(record)
    }
}

#[test]
fn a_sink_that_refuses_makes_views_redacted_inside_and_outside_events() {
    let (member, rule) = (member(), rule());
    let buffer = Buffer::default();
    let mut written = String::new();
    tracing::dispatcher::with_default(&fmt_dispatch(Format::Json, &buffer), || {
        audit::with_sink(Arc::new(Refusing), || {
            written = format!("{:?}", member.reveal(&rule));
            tracing::info!(view = ?member.reveal(&rule), "lookup");
            let span = tracing::info_span!("request", view = ?member.reveal(&rule));
            span.in_scope(|| tracing::info!("inside"));
        });
    });
    assert_written(&written, false);
    let output = buffer.contents();
    let seen = seen(&output);
    leak_check::assert_no_leak(&output, marker::ALL, marker::IP, &[]);
    assert!(seen.records.is_empty(), "{output}");
    assert_eq!(seen.lines.len(), 2, "{output}");
    seen.assert_safe_values_shown();
}

#[test]
fn a_slow_sink_still_shows_views_once_it_kept_their_records() {
    let (member, rule) = (member(), rule());
    let buffer = Buffer::default();
    let records = MemorySink::new();
    let mut written = String::new();
    tracing::dispatcher::with_default(&fmt_dispatch(Format::Json, &buffer), || {
        audit::with_sink(Arc::new(Slow(records.clone())), || {
            written = format!("{:?}", member.reveal(&rule));
            tracing::info!(view = ?member.reveal(&rule), "lookup");
        });
    });
    assert_written(&written, true);
    let output = buffer.contents();
    let seen = seen(&output);
    assert!(seen.records.is_empty(), "the sink, not tracing: {output}");
    assert_eq!(seen.raw(marker::PHONE), 1, "{output}");
    let records = records.records();
    assert_eq!(records.len(), 2);
    for record in &records {
        assert_eq!(record.fields, ["phone"]);
        assert_eq!(record.type_name, "Member");
    }
}

// ---------------------------------------------------------------------------------------------
// 12. A classified field whose type is a wrapper.

#[test]
fn a_wrapped_classified_field_is_shown_exactly_when_its_record_names_it() {
    let card = card();
    let rule = rule();
    let consent = support();
    let check = |written: &str, record: &[String]| {
        leak_check::assert_no_leak(written, marker::NEVER, marker::IP, &[]);
        assert!(written.contains(safe::LABEL), "{written}");
        let names_phone = record.iter().any(|f| f == "phone");
        assert_eq!(
            written.contains(marker::WRAPPED_PHONE),
            names_phone,
            "the record lists {record:?}, and the view wrote {written}"
        );
        if !names_phone {
            leak_check::assert_no_leak(written, marker::MAY_SHOW, marker::IP, &[]);
        }
    };
    let by_rule = |write: &dyn Fn() -> String| {
        let records = MemorySink::new();
        let written = audit::with_sink(Arc::new(records.clone()), write);
        let fields: Vec<String> = records
            .records()
            .iter()
            .flat_map(|r| r.fields.iter().map(ToString::to_string))
            .collect();
        (written, fields)
    };
    for (written, fields) in [
        by_rule(&|| format!("{:?}", card.reveal(&rule))),
        by_rule(&|| format!("{:#?}", card.reveal(&rule))),
        by_rule(&|| serde_json::to_string(&card.reveal(&rule)).unwrap()),
        by_rule(&|| format!("{:?}", card.reveal(&consent))),
        by_rule(&|| serde_json::to_string(&card.reveal(&consent)).unwrap()),
    ] {
        check(&written, &fields);
    }
    // Through a subscriber: the record in the log and the event agree.
    for format in FORMATS {
        let buffer = Buffer::default();
        tracing::dispatcher::with_default(&fmt_dispatch(format, &buffer), || {
            tracing::info!(card = ?card.reveal(&rule), "lookup");
        });
        let output = buffer.contents();
        let seen = seen(&output);
        assert_eq!(seen.lines.len(), 1, "{output}");
        let listed = seen
            .records
            .iter()
            .any(|r| r.contains("fields=phone") || r.contains(r#""fields":"phone""#));
        check(
            &seen.lines[0],
            &[if listed { "phone" } else { "" }.to_owned()],
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The global subscriber, set once per process: each scenario runs in a process of its own.

#[test]
fn global_fmt_subscriber_audits_views_inside_events() {
    in_own_process("global_fmt_subscriber_audits_views_inside_events", || {
        let (member, rule) = (member(), rule());
        let buffer = Buffer::default();
        tracing::dispatcher::set_global_default(fmt_dispatch(Format::Json, &buffer)).unwrap();
        tracing::info!(view = ?member.reveal(&rule), "lookup");
        let written = format!("{:?}", member.reveal(&rule));
        assert_written(&written, true);
        let output = buffer.contents();
        let seen = seen(&output);
        assert_eq!(seen.raw(marker::PHONE), 1, "{output}");
        assert!(is_record(output.lines().next().unwrap()), "first: {output}");
        assert_eq!(
            seen.records.len(),
            2,
            "the event's view and the plain one:\n{output}"
        );
    });
}

#[test]
fn global_subscriber_with_per_layer_filters_keeps_app_events_out_of_the_audit_log() {
    in_own_process(
        "global_subscriber_with_per_layer_filters_keeps_app_events_out_of_the_audit_log",
        || {
            let (member, rule) = (member(), rule());
            let logs = logs();
            tracing::dispatcher::set_global_default(logs.dispatch.clone()).unwrap();
            tracing::info!(view = ?member.reveal(&rule), "lookup");
            tracing::info!(label = safe::LABEL, "after");
            let (app, records) = logs.check();
            assert_eq!(seen(&app).lines.len(), 2, "{app}");
            assert_eq!(seen(&app).raw(marker::PHONE), records, "{app}");
        },
    );
}

#[test]
fn global_subscriber_a_view_recorded_into_the_entered_span_is_audited() {
    in_own_process(
        "global_subscriber_a_view_recorded_into_the_entered_span_is_audited",
        || {
            let (member, rule) = (member(), rule());
            let buffer = Buffer::default();
            tracing::dispatcher::set_global_default(fmt_dispatch(Format::Text, &buffer)).unwrap();
            let span = tracing::info_span!("lookup", view = tracing::field::Empty);
            let _entered = span.enter();
            span.record("view", tracing::field::debug(member.reveal(&rule)));
            tracing::info!("inside");
            let output = buffer.contents();
            let seen = seen(&output);
            assert_eq!(seen.raw(marker::PHONE), 1, "{output}");
        },
    );
}
