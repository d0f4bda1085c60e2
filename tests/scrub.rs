//! The log scrubber: a corpus of personal data it must replace and of look-alikes it must leave
//! (times, UUIDs, versions, durations, sizes, hex ids, the framework's placeholders and
//! pseudonyms, Luhn-invalid numbers), each in the contexts a log line puts text in; real
//! `tracing_subscriber::fmt` subscribers, text and JSON, writing into a buffer; and inputs of
//! every shape, which must neither panic nor break the JSON they sit in.

#[path = "fixture/capture.rs"]
mod capture;

use std::error::Error;
use std::fmt;

use capture::Buffer;
use privacy::tracing::{PiiShape, ScrubStats, Scrubber};
use privacy::Privacy;
use serde_json::Value;

/// Values that must be replaced, with what they are.
const POSITIVES: &[(PiiShape, &str)] = &[
    (PiiShape::Email, "alice@example.com"),
    (PiiShape::Email, "bob.smith+newsletter@mail.example.co.uk"),
    (PiiShape::Email, "first_last@sub.example.org"),
    (PiiShape::Email, "x@example.io"),
    (PiiShape::Email, "ALICE@EXAMPLE.COM"),
    (PiiShape::Email, "user%relay@example.net"),
    (PiiShape::Email, "12345@example.com"),
    (PiiShape::Phone, "+44 20 7946 0958"),
    (PiiShape::Phone, "+44 (0)20 7946 0958"),
    (PiiShape::Phone, "+1 (425) 555-0143"),
    (PiiShape::Phone, "+1-425-555-0143"),
    (PiiShape::Phone, "+14255550143"),
    (PiiShape::Phone, "+33 1 23 45 67 89"),
    (PiiShape::Phone, "+49 30 12345678"),
    (PiiShape::Phone, "+81 3-1234-5678"),
    (PiiShape::Phone, "(425) 555-0143"),
    (PiiShape::Phone, "425-555-0143"),
    (PiiShape::Phone, "425.555.0143"),
    (PiiShape::Phone, "425 555 0143"),
    (PiiShape::Phone, "020 7946 0958"),
    (PiiShape::Phone, "0161 496 0000"),
    (PiiShape::Phone, "07700 900123"),
    (PiiShape::Phone, "01 23 45 67 89"),
    (PiiShape::Phone, "01.23.45.67.89"),
    (PiiShape::Phone, "030 12345678"),
    (PiiShape::Phone, "0151-12345678"),
    (PiiShape::Ip, "203.0.113.7"),
    (PiiShape::Ip, "198.51.100.255"),
    (PiiShape::Ip, "192.168.1.20"),
    (PiiShape::Ip, "10.0.0.1"),
    (PiiShape::Ip, "8.8.8.8"),
    (PiiShape::Ip, "172.16.254.3"),
    (PiiShape::Ip, "2001:db8::7"),
    (PiiShape::Ip, "2001:db8:85a3::8a2e:370:7334"),
    (PiiShape::Ip, "2001:0db8:0000:0000:0000:ff00:0042:8329"),
    (PiiShape::Ip, "fe80::1ff:fe23:4567:890a"),
    (PiiShape::Ip, "::ffff:203.0.113.7"),
    (PiiShape::Ip, "2a00:1450:4009:81d::200e"),
    (PiiShape::PaymentCard, "4111 1111 1111 1111"),
    (PiiShape::PaymentCard, "4111-1111-1111-1111"),
    (PiiShape::PaymentCard, "4111111111111111"),
    (PiiShape::PaymentCard, "5555 5555 5555 4444"),
    (PiiShape::PaymentCard, "5105105105105100"),
    (PiiShape::PaymentCard, "2223 0031 2200 3222"),
    (PiiShape::PaymentCard, "378282246310005"),
    (PiiShape::PaymentCard, "3782 822463 10005"),
    (PiiShape::PaymentCard, "6011 1111 1111 1117"),
    (PiiShape::PaymentCard, "6011-0009-9013-9424"),
    (PiiShape::PaymentCard, "4012888888881881"),
    (PiiShape::PaymentCard, "4222222222222"),
    (PiiShape::PaymentCard, "3530 1113 3330 0000"),
    (PiiShape::PaymentCard, "6200000000000005"),
    (PiiShape::PaymentCard, "30569309025904"),
];

/// Values that must be left as they are.
const NEGATIVES: &[&str] = &[
    // Times and dates.
    "2026-11-29T00:01:48Z",
    "2026-11-29T00:01:48.123456Z",
    "2026-11-29T00:01:48+01:00",
    "2026-11-29 00:01:48.123",
    "00:01:48.123",
    "12:30:45",
    "Sun, 29 Nov 2026 00:01:48 GMT",
    "2026-11-29",
    "29/11/2026",
    "01.02.2026",
    "01.02.2026 12:00",
    "2026.11.29",
    "1732838508",
    "1732838508122",
    "173283850812345677",
    // UUIDs.
    "123e4567-e89b-12d3-a456-426614174000",
    "550e8400-e29b-41d4-a716-446655440000",
    "f47ac10b-58cc-4372-a567-0e02b2c3d479",
    "00000000-0000-0000-0000-000000000000",
    "12345678-1234-1234-1234-123456789012",
    // Versions.
    "1.95.0",
    "v2.0.119",
    "0.3.23",
    "10.0.19041.1",
    "rustc 1.95.0 (59807616e 2026-04-14)",
    "HTTP/1.1 200 OK",
    // Durations and sizes.
    "125ns",
    "1.5s",
    "250ms",
    "3m 20s",
    "0.000125s",
    "Duration { secs: 1, nanos: 500000000 }",
    "1024 bytes",
    "64KiB",
    "1.5 GiB",
    "10485760 bytes",
    // Hex ids.
    "4bf92f3577b34da6a3ce929d0e0e4736",
    "00f067aa0ba902b7",
    "0x7ffd5e8c",
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "90f1984",
    "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    // The framework's placeholders and pseudonyms.
    "<pii>",
    "<oii>",
    "<pii:phone>",
    r#"<pii:phone …"0958">"#,
    r#"<pii:email …@"example.com">"#,
    "<pii:ip 203.0.113.0/24>",
    "<pii:ip 2001:db8:85a3::/48>",
    "<oii:org_name>",
    r#"<pii:name "Al"…>"#,
    "<pii:government_id 12 chars>",
    "<pii:email #k2026:4f2a9c01d3b7e655>",
    "#k2026:4f2a9c01d3b7e655",
    "#ephemeral:4111111111111111",
    r#"Member { id: 7, phone: <pii:phone …"0958">, last_ip: <pii:ip 203.0.113.0/24>, nickname: Some(<pii>) }"#,
    // Numbers that are not cards: Luhn-invalid, or without a card network's prefix.
    "4111 1111 1111 1112",
    "4111-1111-1111-1112",
    "4111111111111112",
    "5555555555554445",
    "1234 5678 9012 3456",
    "1234567890123452",
    // Addresses that identify no one.
    "0.0.0.0",
    "127.0.0.1",
    "255.255.255.255",
    "::1",
    "::",
    // Other look-alikes.
    "privacy::tracing::scrub",
    "app::db",
    "cafe::face",
    "std::f64::consts",
    "f64::MAX",
    "localhost:8080",
    "src/main.rs:42:7",
    "ThreadId(2)",
    "00:1a:2b:3c:4d:5e",
    "16:9",
    "count=1234567",
    "99.95%",
    "3.14159",
    "-3141592",
    "$1,234.56",
    "ORD-2026-000123",
    "1.2.3",
    "user@localhost",
    "@mention",
    "1 2 3 4 5 6 7 8 9 10",
    "12 34 56 78 90",
    "+1.5",
    "+15",
];

/// A place a value takes in log text: a field as the text formatter writes it, a message, a
/// JSON string, a `Debug` string after an escaped newline, brackets.
type Context = (&'static str, fn(&str) -> String);

/// The places a value takes in log text, by name.
fn contexts() -> Vec<Context> {
    vec![
        ("alone", |v| v.to_owned()),
        ("message", |v| format!("value is {v} here")),
        ("field", |v| format!("key={v} next=1")),
        ("end of sentence", |v| format!("it was {v}.")),
        ("parentheses", |v| format!("({v})")),
        ("angle brackets", |v| format!("Alice <{v}>")),
        ("comma", |v| format!("a, {v}, b")),
        ("json", |v| {
            serde_json::json!({ "field": v, "message": format!("saw {v}\n") }).to_string()
        }),
        ("debug after newline", |v| {
            format!("{:?}", format!("line one\n{v}"))
        }),
        ("debug after tab", |v| format!("{:?}", format!("\t{v}\t"))),
        ("json after control", |v| {
            serde_json::to_string(&format!("\u{1b}{v}")).expect("a string")
        }),
    ]
}

/// One positive, in one context, against what it must become.
struct Miss {
    context: &'static str,
    input: String,
    output: String,
    expected: String,
}

impl fmt::Display for Miss {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "[{}]\n   input:    {}\n   output:   {}\n   expected: {}",
            self.context, self.input, self.output, self.expected
        )
    }
}

#[test]
fn corpus_has_no_false_positives_or_negatives() {
    let scrubber = Scrubber::new();
    let contexts = contexts();
    let mut false_negatives = Vec::new();
    let mut false_positives = Vec::new();
    let mut expected_counts = [0u64; PiiShape::ALL.len()];

    for &(shape, value) in POSITIVES {
        for &(context, place) in &contexts {
            let input = place(value);
            let expected = place(shape.placeholder());
            expected_counts[PiiShape::ALL.iter().position(|&s| s == shape).unwrap()] +=
                input.matches(value).count().max(1) as u64;
            let output = scrubber.scrub(&input).into_owned();
            if output != expected {
                false_negatives.push(Miss {
                    context,
                    input,
                    output,
                    expected,
                });
            }
        }
    }
    let after_positives = scrubber.stats();
    let counts_after_positives: Vec<u64> = after_positives.iter().map(|(_, n)| n).collect();

    for &value in NEGATIVES {
        for &(context, place) in &contexts {
            let input = place(value);
            let output = scrubber.scrub(&input).into_owned();
            if output != input {
                false_positives.push(Miss {
                    context,
                    expected: input.clone(),
                    input,
                    output,
                });
            }
        }
    }

    let positives = POSITIVES.len() * contexts.len();
    let negatives = NEGATIVES.len() * contexts.len();
    println!(
        "corpus: {} positive values and {} negative values in {} contexts = {} items \
         ({positives} positive, {negatives} negative); \
         false negatives: {}, false positives: {}",
        POSITIVES.len(),
        NEGATIVES.len(),
        contexts.len(),
        positives + negatives,
        false_negatives.len(),
        false_positives.len(),
    );
    let report = |misses: &[Miss]| {
        misses
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert!(
        false_negatives.is_empty(),
        "{} false negatives:\n{}",
        false_negatives.len(),
        report(&false_negatives)
    );
    assert!(
        false_positives.is_empty(),
        "{} false positives:\n{}",
        false_positives.len(),
        report(&false_positives)
    );
    assert_eq!(counts_after_positives, expected_counts, "counted per shape");
}

#[test]
fn shapes_next_to_each_other_and_to_ports_and_prefixes() {
    let scrubber = Scrubber::new();
    for (input, expected) in [
        ("[2001:db8::1]:443", "[<scrubbed:ip>]:443"),
        ("203.0.113.7:8080", "<scrubbed:ip>:8080"),
        ("203.0.113.0/24", "<scrubbed:ip>/24"),
        ("fe80::1ff:fe23:4567:890a%eth0", "<scrubbed:ip>%eth0"),
        (
            "connect 2001:db8::1: refused",
            "connect <scrubbed:ip>: refused",
        ),
        ("https://203.0.113.7/login", "https://<scrubbed:ip>/login"),
        ("mailto:alice@example.com", "mailto:<scrubbed:email>"),
        ("tel:+14255550143", "tel:<scrubbed:phone>"),
        (
            "alice@example.com,bob@example.org",
            "<scrubbed:email>,<scrubbed:email>",
        ),
        ("+44 20 7946 0958 1024 bytes", "<scrubbed:phone> 1024 bytes"),
        (
            "card=4111111111111111 exp=12/28",
            "card=<scrubbed:payment_card> exp=12/28",
        ),
        (
            "<pii:ip 203.0.113.0/24> and 203.0.113.9",
            "<pii:ip 203.0.113.0/24> and <scrubbed:ip>",
        ),
        (
            "#k2026:4f2a9c01d3b7e655 alice@example.com",
            "#k2026:4f2a9c01d3b7e655 <scrubbed:email>",
        ),
        ("<scrubbed:email>", "<scrubbed:email>"),
    ] {
        assert_eq!(scrubber.scrub(input), expected, "input: {input}");
    }
}

#[test]
fn counts_are_shared_by_clones_and_formatters() {
    let scrubber = Scrubber::new();
    let stats: ScrubStats = scrubber.stats();
    let clone = scrubber.clone();
    let _ = clone.scrub("alice@example.com 203.0.113.7 2001:db8::7");
    let _ = scrubber.fields().scrubber().scrub("4111 1111 1111 1111");
    assert_eq!(stats.get(PiiShape::Email), 1);
    assert_eq!(stats.get(PiiShape::Ip), 2);
    assert_eq!(stats.get(PiiShape::PaymentCard), 1);
    assert_eq!(stats.get(PiiShape::Phone), 0);
    assert_eq!(stats.total(), 4);
    assert_eq!(
        format!("{stats:?}"),
        "{email: 1, phone: 0, ip: 2, payment_card: 1}"
    );
    let other = Scrubber::new();
    let _ = other.scrub("alice@example.com");
    assert_eq!(stats.total(), 4, "a new scrubber counts on its own");
    let shared = Scrubber::with_stats(stats.clone());
    let _ = shared.scrub("alice@example.com");
    assert_eq!(
        stats.total(),
        5,
        "with_stats counts into the given counters"
    );
}

#[test]
fn text_without_shapes_is_borrowed() {
    let scrubber = Scrubber::new();
    let text = "request done in 1.5s, 1024 bytes, <pii:phone …\"0958\">";
    assert!(matches!(
        scrubber.scrub(text),
        std::borrow::Cow::Borrowed(t) if std::ptr::eq(t, text)
    ));
}

// --- through real subscribers ---------------------------------------------------------------

#[derive(Privacy)]
struct Member {
    #[safe]
    id: u64,
    #[pii(phone, redact = last(4))]
    phone: String,
    #[pii(email, redact = email)]
    email: String,
    #[pii(ip, redact = ip_prefix)]
    last_ip: std::net::IpAddr,
    #[pii(email, redact = hash)]
    backup_email: String,
}

fn member() -> Member {
    Member {
        id: 7,
        phone: "+44 20 7946 0958".into(),
        email: "alice@example.com".into(),
        last_ip: "203.0.113.7".parse().unwrap(),
        backup_email: "alice@backup.example".into(),
    }
}

/// An error whose source quotes what it failed on.
#[derive(Debug)]
struct SendFailed(ParseFailed);

#[derive(Debug)]
struct ParseFailed(String);

impl fmt::Display for SendFailed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("could not send the invitation")
    }
}

impl Error for SendFailed {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(&self.0)
    }
}

impl fmt::Display for ParseFailed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no mailbox at {}", self.0)
    }
}

impl Error for ParseFailed {}

/// The raw values `log_everything` logs, none of which may reach the output.
const RAW: &[&str] = &[
    "alice@example.com",
    "bob@example.org",
    "carol@example.net",
    "dave@example.com",
    "+44 20 7946 0958",
    "(425) 555-0143",
    "198.51.100.23",
    "2001:db8::42",
    "4111 1111 1111 1111",
    "4111111111111111",
    "5555555555554444",
    "020 7946 0958",
];

/// How many raw values `log_everything` logs, per shape, each recorded once.
const LOGGED: [(PiiShape, u64); 4] = [
    (PiiShape::Email, 3),
    (PiiShape::Phone, 3),
    (PiiShape::Ip, 2),
    (PiiShape::PaymentCard, 3),
];

/// Logs the way application code logs: classified values (redacted by the derive), and raw
/// values nobody classified, in messages, fields of every type, errors and spans.
fn log_everything() {
    let member = member();
    let span = tracing::info_span!(
        "checkout",
        card = "4111 1111 1111 1111",
        member = ?member,
        client = tracing::field::Empty,
    );
    let _entered = span.enter();
    // Recorded later: the JSON field formatter merges it into the span's object.
    span.record("client", "198.51.100.23");
    tracing::info!(member = ?member, "joined at {}", "2026-11-29T00:01:48Z");
    tracing::info!(
        to = "bob@example.org",
        phone = %"+44 20 7946 0958",
        callback = ?"(425) 555-0143",
        card = 5_555_555_555_554_444_u64,
        size = 1024_u64,
        ratio = 1.5_f64,
        ok = true,
        "sent to carol@example.net from 2001:db8::42, version 1.95.0, request 123e4567-e89b-12d3-a456-426614174000"
    );
    let error = SendFailed(ParseFailed("dave@example.com".into()));
    tracing::warn!(error = &error as &(dyn Error + 'static), "invite failed");
    tracing::info!(
        note = "multi\nline 4111111111111111\tand 020 7946 0958",
        "escaped"
    );
}

fn assert_no_raw_value(output: &str) {
    for raw in RAW {
        assert!(
            !output.contains(raw),
            "`{raw}` reached the output:\n{output}"
        );
    }
}

fn assert_counts(stats: &ScrubStats) {
    for (shape, count) in LOGGED {
        assert_eq!(
            stats.get(shape),
            count,
            "{shape} counted once per value:\n{stats:?}"
        );
    }
}

/// The member's redacted forms, which must pass through the scrubber unchanged.
fn assert_placeholders_kept(output: &str) {
    // Callers hand in text as the formatter recorded it: a JSON string's value, unescaped.
    for kept in [
        r#"<pii:phone …"0958">"#,
        r#"<pii:email …@"example.com">"#,
        "<pii:ip 203.0.113.0/24>",
        "<pii:email #",
    ] {
        assert!(output.contains(kept), "`{kept}` missing from:\n{output}");
    }
}

/// A JSON subscriber that scrubs both its fields and its events with `scrubber`, writing into
/// `buffer`.
fn scrubbing_json(scrubber: &Scrubber, buffer: &Buffer) -> impl tracing::Subscriber + Send + Sync {
    tracing_subscriber::fmt()
        .json()
        .fmt_fields(scrubber.json_fields())
        .map_event_format(|format| scrubber.events(format))
        .with_writer(buffer.clone())
        .finish()
}

#[test]
fn text_subscriber_scrubs_every_value_of_events_and_spans() {
    let scrubber = Scrubber::new();
    let buffer = Buffer::default();
    let subscriber = tracing_subscriber::fmt()
        .fmt_fields(scrubber.fields())
        .with_writer(buffer.clone())
        .with_ansi(false)
        .finish();
    tracing::subscriber::with_default(subscriber, log_everything);
    let output = buffer.contents();

    assert_eq!(output.lines().count(), 4, "one line per event:\n{output}");
    assert_no_raw_value(&output);
    assert_placeholders_kept(&output);
    for expected in [
        "joined at 2026-11-29T00:01:48Z",
        "sent to <scrubbed:email> from <scrubbed:ip>, version 1.95.0, request 123e4567-e89b-12d3-a456-426614174000",
        r#"to="<scrubbed:email>""#,
        "phone=<scrubbed:phone>",
        "callback=\"<scrubbed:phone>\"",
        "card=<scrubbed:payment_card> size=1024 ratio=1.5 ok=true",
        "invite failed error=could not send the invitation error.sources=[no mailbox at <scrubbed:email>]",
        r#"note="multi\nline <scrubbed:payment_card>\tand <scrubbed:phone>""#,
        // Span fields, written on every line inside the span, scrubbed once when recorded.
        r#"checkout{card="<scrubbed:payment_card>" member=Member { id: 7"#,
        r#"client="<scrubbed:ip>"}"#,
    ] {
        assert!(output.contains(expected), "`{expected}` missing from:\n{output}");
    }
    assert_counts(&scrubber.stats());
}

#[test]
fn json_subscriber_scrubs_every_value_of_events_and_spans() {
    let scrubber = Scrubber::new();
    let buffer = Buffer::default();
    let subscriber = scrubbing_json(&scrubber, &buffer);
    tracing::subscriber::with_default(subscriber, log_everything);
    let output = buffer.contents();

    assert_no_raw_value(&output);
    let lines: Vec<Value> = output
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    assert_eq!(lines.len(), 4, "one JSON object per event:\n{output}");
    let fields = |i: usize| &lines[i]["fields"];
    assert_placeholders_kept(fields(0)["member"].as_str().unwrap());
    assert_eq!(
        fields(0)["message"],
        "joined at 2026-11-29T00:01:48Z",
        "the time in the message is kept"
    );
    assert_eq!(
        fields(1)["message"],
        "sent to <scrubbed:email> from <scrubbed:ip>, version 1.95.0, request 123e4567-e89b-12d3-a456-426614174000"
    );
    assert_eq!(fields(1)["to"], "<scrubbed:email>");
    assert_eq!(fields(1)["phone"], "<scrubbed:phone>");
    assert_eq!(fields(1)["callback"], "\"<scrubbed:phone>\"");
    assert_eq!(fields(1)["card"], "<scrubbed:payment_card>");
    assert_eq!(fields(1)["size"], 1024, "numbers stay numbers");
    assert_eq!(fields(1)["ratio"], 1.5);
    assert_eq!(fields(1)["ok"], true);
    assert_eq!(fields(2)["error"], "could not send the invitation");
    assert_eq!(
        fields(3)["note"],
        "multi\nline <scrubbed:payment_card>\tand <scrubbed:phone>",
        "escapes kept, shapes after them found"
    );
    for line in &lines {
        let span = &line["span"];
        assert_eq!(span["name"], "checkout");
        assert_eq!(span["card"], "<scrubbed:payment_card>");
        assert_eq!(span["client"], "<scrubbed:ip>", "the recorded field merged");
        assert_placeholders_kept(span["member"].as_str().unwrap());
        assert_eq!(line["spans"][0], *span);
        assert!(line["timestamp"].as_str().is_some_and(|t| t.contains('T')));
    }
    // The JSON formatter writes the error's `Display` only; its source is not in the line.
    assert!(!output.contains("no mailbox"));
    let stats = scrubber.stats();
    let expected =
        LOGGED.map(|(shape, n)| (shape, if shape == PiiShape::Email { n - 1 } else { n }));
    for (shape, count) in expected {
        assert_eq!(stats.get(shape), count, "{shape}:\n{stats:?}");
    }
}

#[test]
fn custom_field_formatters_are_scrubbed_too() {
    let scrubber = Scrubber::new();
    let buffer = Buffer::default();
    let fields = tracing_subscriber::fmt::format::debug_fn(|writer, field, value| {
        write!(writer, "[{field}: {value:?}]")
    });
    let subscriber = tracing_subscriber::fmt()
        .fmt_fields(scrubber.fields_with(fields))
        .with_writer(buffer.clone())
        .without_time()
        .finish();
    tracing::subscriber::with_default(subscriber, || {
        tracing::info!(ip = "203.0.113.7", "from alice@example.com");
    });
    let output = buffer.contents();
    assert!(
        output.ends_with("[message: from <scrubbed:email>][ip: \"<scrubbed:ip>\"]\n"),
        "{output}"
    );
    assert_eq!(scrubber.stats().total(), 2);
}

// --- any input ------------------------------------------------------------------------------

/// A xorshift generator: the same inputs on every run, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).expect("below n")
    }
}

/// A string of pieces that the patterns react to, so that random text is mostly near-misses.
fn random_text(rng: &mut Rng) -> String {
    const PIECES: &[&str] = &[
        "0",
        "1",
        "4",
        "5",
        "9",
        "25",
        "255",
        "4111",
        "0958",
        "+",
        "+44",
        "(",
        ")",
        " ",
        "-",
        ".",
        ":",
        "::",
        "@",
        "a",
        "f",
        "u",
        "n",
        "x",
        "Z",
        "_",
        "%",
        "\\",
        "\\n",
        "\\u00",
        "\"",
        "<",
        ">",
        "<pii",
        "<pii:ip ",
        "#k1:",
        "0123456789abcdef",
        "example.com",
        "é",
        "日本",
        "🎉",
        "\n",
        "\t",
        "\u{1b}",
        "/",
        ",",
        "=",
        "alice",
        "2001:db8",
        "203.0.113.",
    ];
    let len = rng.below(40);
    (0..len).map(|_| PIECES[rng.below(PIECES.len())]).collect()
}

#[test]
fn any_input_is_scrubbed_without_panic_idempotently_and_json_stays_json() {
    let scrubber = Scrubber::new();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..20_000 {
        let text = random_text(&mut rng);
        let once = scrubber.scrub(&text).into_owned();
        assert_eq!(
            scrubber.scrub(&once),
            once,
            "scrubbing twice changes nothing: {text:?}"
        );

        let json = serde_json::to_string(&text).expect("a string");
        let json_out = scrubber.scrub(&json);
        let parsed: Result<String, _> = serde_json::from_str(&json_out);
        assert!(
            parsed.is_ok(),
            "broke the JSON of {text:?}: {json} -> {json_out}"
        );

        let debug = format!("{text:?}");
        let _ = scrubber.scrub(&debug);
    }
}

/// Inputs that make every position a candidate, or keep a candidate open to the end.
fn worst_cases(n: usize) -> Vec<String> {
    let long = |piece: &str| piece.repeat(n / piece.len());
    vec![
        long("1 "),
        long("a"),
        long("a") + "@example.com",
        long("+1 "),
        long(":"),
        long("1."),
        long("0 12 "),
        long("4111 "),
        long("<pii "),
        long("<pii \""),
        long("\\"),
        long("ab::"),
        long("1.1.1.1:"),
    ]
}

#[test]
fn time_grows_linearly_with_input() {
    let scrubber = Scrubber::new();
    // The best of a few runs: other tests share the machine.
    let time = |text: &str| {
        (0..5)
            .map(|_| {
                let started = std::time::Instant::now();
                let _ = scrubber.scrub(text);
                started.elapsed()
            })
            .min()
            .expect("five runs")
    };
    for (short, long) in worst_cases(8_000).iter().zip(worst_cases(32_000)) {
        // Four times the input: quadratic work would take sixteen times as long.
        let (short_time, long_time) = (time(short), time(&long));
        assert!(
            long_time < short_time * 10 + std::time::Duration::from_millis(20),
            "{:?}…: {short_time:?} for {} bytes, {long_time:?} for {}",
            &short[..12],
            short.len(),
            long.len()
        );
    }
}

#[test]
fn random_values_through_the_json_subscriber_stay_json() {
    let scrubber = Scrubber::new();
    let buffer = Buffer::default();
    let subscriber = scrubbing_json(&scrubber, &buffer);
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let events = 2_000;
    tracing::subscriber::with_default(subscriber, || {
        for _ in 0..events {
            let (a, b, c) = (
                random_text(&mut rng),
                random_text(&mut rng),
                random_text(&mut rng),
            );
            // Card-shaped integers, some Luhn-valid, written by the JSON formatter as numbers.
            let number = 4_111_111_111_111_000 + rng.next() % 1_000;
            let span = tracing::info_span!("s", a = %a, n = number);
            let _entered = span.enter();
            tracing::info!(b = %b, c = ?c, n = number, "{a}");
        }
    });
    let output = buffer.contents();
    assert_eq!(output.lines().count(), events);
    for line in output.lines() {
        let parsed: Result<Value, _> = serde_json::from_str(line);
        assert!(parsed.is_ok(), "not JSON: {line}");
    }
    assert!(scrubber.stats().get(PiiShape::PaymentCard) > 0);
}
