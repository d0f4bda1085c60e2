//! Telemetry events: safe fields only by default, consented fields only with consent for their
//! purpose and subject, one structured field per field, nested fields under dotted names.

#![allow(dead_code)]

#[path = "fixture/capture.rs"]
mod capture;
#[path = "fixture/leak_check.rs"]
mod leak_check;

use capture::{captured, Format};
use privacy::consent::{ConsentStore, Evidence, MemoryConsentStore};
use privacy::purpose::{Diagnostics, Support};
use privacy::{telemetry, Privacy, SubjectId};
use serde_json::Value;

mod marker {
    pub const IP: &str = "203.0.113.77";
    pub const DEVICE: &str = "QZDEVICEX5Z7X3";
    pub const NOTE: &str = "QZNOTEX2H8J4L7";
    pub const PHONE: &str = "QZPHONEX8R3T0958";
    pub const ALL: &[&str] = &[IP, DEVICE, NOTE, PHONE];
}

#[derive(Privacy)]
#[privacy(telemetry)]
struct CrashReport {
    #[safe]
    #[privacy(subject)]
    user: u64,
    #[safe]
    code: u32,
    #[safe]
    build: &'static str,
    #[pii(ip, purposes(Diagnostics))]
    client_ip: std::net::IpAddr,
    #[pii(message, purposes(Support))]
    note: String,
    #[pii(phone, redact = skip)]
    phone: String,
    device: Device,
    previous: Option<Device>,
}

#[derive(Privacy)]
#[privacy(telemetry)]
struct Device {
    #[safe]
    os: &'static str,
    #[pii(device_id, purposes(Diagnostics, Support))]
    id: String,
}

#[derive(Privacy)]
#[privacy(telemetry = "app.started")]
struct Started {
    #[safe]
    cold: bool,
}

fn report() -> CrashReport {
    CrashReport {
        user: 7,
        code: 139,
        build: "2026.11.3",
        client_ip: marker::IP.parse().unwrap(),
        note: marker::NOTE.into(),
        phone: marker::PHONE.into(),
        device: Device {
            os: "android-15",
            id: marker::DEVICE.into(),
        },
        previous: None,
    }
}

/// The JSON events on target `telemetry`.
fn events(output: &str) -> Vec<Value> {
    output
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap())
        .filter(|event| event["target"] == "telemetry")
        .collect()
}

fn field_names(event: &Value) -> Vec<String> {
    let mut names: Vec<String> = event["fields"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    names.sort();
    names
}

/// Which markers appear in `output`.
fn leaked(output: &str) -> Vec<&'static str> {
    leak_check::shown(output, marker::ALL)
}

#[test]
fn without_consent_only_safe_fields_are_sent() {
    let output = captured(Format::Json, || telemetry::emit(&report()));
    let events = events(&output);
    assert_eq!(events.len(), 1, "{output}");
    let event = &events[0];
    assert_eq!(
        field_names(event),
        ["build", "code", "device.os", "message", "user"]
    );
    assert_eq!(event["fields"]["code"], 139, "numbers stay numbers");
    assert_eq!(event["fields"]["device.os"], "android-15");
    assert_eq!(event["fields"]["message"], "CrashReport");
    assert!(leaked(&output).is_empty(), "{output}");
    let text = captured(Format::Text, || telemetry::emit(&report()));
    assert!(
        text.contains("telemetry: CrashReport user=7 code=139"),
        "{text}"
    );
    assert!(
        !text.contains("client_ip") && leaked(&text).is_empty(),
        "absent, not even a placeholder: {text}"
    );
}

#[test]
fn consent_adds_the_fields_it_covers_and_is_audited() {
    let store = MemoryConsentStore::new();
    let user = SubjectId::from("7");
    store
        .grant(&user, Diagnostics, Evidence::new("crash dialog v2"))
        .unwrap();
    let diagnostics = store.consent::<Diagnostics>(&user).unwrap();
    let output = captured(Format::Json, || {
        telemetry::emit_with(&report(), &diagnostics);
    });
    let events = events(&output);
    assert_eq!(
        field_names(&events[0]),
        [
            "build",
            "client_ip",
            "code",
            "device.id",
            "device.os",
            "message",
            "user"
        ]
    );
    assert_eq!(events[0]["fields"]["client_ip"], marker::IP);
    assert_eq!(events[0]["fields"]["device.id"], marker::DEVICE);
    assert!(
        !output.contains(marker::NOTE) && !output.contains(marker::PHONE),
        "{output}"
    );
    let audit: Vec<Value> = output
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap())
        .filter(|event| event["target"] == "privacy::audit")
        .collect();
    assert_eq!(audit.len(), 1, "{output}");
    assert_eq!(audit[0]["fields"]["fields"], "client_ip,device.id");
    assert_eq!(audit[0]["fields"]["basis"], "diagnostics");
    let audit_text = audit[0].to_string();
    assert!(leaked(&audit_text).is_empty(), "{audit_text}");
}

#[test]
fn consent_for_another_purpose_or_person_adds_nothing_it_does_not_cover() {
    let store = MemoryConsentStore::new();
    let user = SubjectId::from("7");
    store
        .grant(&user, Support, Evidence::new("help chat"))
        .unwrap();
    let support = store.consent::<Support>(&user).unwrap();
    let output = captured(Format::Json, || telemetry::emit_with(&report(), &support));
    assert_eq!(
        field_names(&events(&output)[0]),
        [
            "build",
            "code",
            "device.id",
            "device.os",
            "message",
            "note",
            "user"
        ]
    );
    let other = SubjectId::from("8");
    store
        .grant(&other, Diagnostics, Evidence::new("crash dialog v2"))
        .unwrap();
    let someone_else = store.consent::<Diagnostics>(&other).unwrap();
    let output = captured(Format::Json, || {
        telemetry::emit_with(&report(), &someone_else);
    });
    assert_eq!(
        field_names(&events(&output)[0]),
        ["build", "code", "device.os", "message", "user"]
    );
    assert!(leaked(&output).is_empty(), "{output}");
}

#[test]
fn optional_nested_events_and_the_event_name() {
    let mut with_previous = report();
    with_previous.previous = Some(Device {
        os: "android-14",
        id: marker::DEVICE.into(),
    });
    let output = captured(Format::Json, || telemetry::emit(&with_previous));
    assert_eq!(events(&output)[0]["fields"]["previous.os"], "android-14");
    assert!(leaked(&output).is_empty(), "{output}");
    let output = captured(Format::Text, || telemetry::emit(&Started { cold: true }));
    assert!(
        output.contains("telemetry: app.started cold=true"),
        "{output}"
    );
}
