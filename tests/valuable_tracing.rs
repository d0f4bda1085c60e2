//! Structured values in tracing: `tracing::field::valuable(&member)` hands the subscriber the
//! derived `Valuable`, and `tracing_subscriber`'s JSON formatter writes it as a JSON object with
//! the real field names, safe values typed and classified ones redacted; the text formatter
//! writes valuable's `Debug` of it. No planted marker reaches either.
//!
//! tracing's `valuable` support is unstable: it exists only when tracing itself is built with
//! `--cfg tracing_unstable`. `.ci/run` runs this file so, in a target directory of its own:
//!
//! ```text
//! RUSTFLAGS="--cfg tracing_unstable" CARGO_TARGET_DIR=target/tracing-unstable \
//!     cargo test --features valuable --test valuable_tracing
//! ```

#![cfg(all(feature = "valuable", tracing_unstable))]

use serde_json::Value;
use tracing::field::valuable;

mod fixture;

use fixture::capture::{captured, Format};
use fixture::{assert_no_leak, assert_safe_values_shown, member, organization, safe};

fn log_structured() {
    let member = member();
    tracing::info!(member = valuable(&member), "member joined");
    let organization = organization();
    let span = tracing::info_span!("export", organization = valuable(&organization));
    let _entered = span.enter();
    tracing::info!(group_id = safe::GROUP_ID, "inside the span");
}

fn json_lines() -> Vec<Value> {
    let output = captured(Format::Json, log_structured);
    assert_no_leak(&output);
    assert_safe_values_shown(&output);
    output
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect()
}

#[test]
fn the_json_formatter_writes_a_redacted_object() {
    let lines = json_lines();
    assert_eq!(lines.len(), 2);
    let member = lines[0]
        .pointer("/fields/member")
        .expect("the member field");
    let at = |pointer: &str| {
        member
            .pointer(pointer)
            .unwrap_or_else(|| panic!("no `{pointer}` in {member}"))
    };

    // Safe values keep their type; classified ones are the text `Debug` shows.
    assert_eq!(at("/id"), &Value::from(safe::MEMBER_ID));
    assert_eq!(at("/level"), &Value::from(safe::LEVEL));
    assert_eq!(at("/score"), &Value::from(safe::SCORE));
    assert_eq!(at("/label"), &Value::from(safe::LABEL));
    assert_eq!(at("/timeout"), &Value::from(safe::TIMEOUT_DEBUG));
    assert_eq!(at("/name"), "<pii:name>");
    assert_eq!(at("/phone"), r#"<pii:phone …"0958">"#);
    assert_eq!(at("/email"), r#"<pii:email …@"mail.example">"#);
    assert_eq!(at("/ip"), "<pii:ip 203.0.113.0/24>");
    assert_eq!(at("/passport"), "<pii:government_id 12 chars>");
    assert!(at("/card")
        .as_str()
        .unwrap()
        .starts_with("<pii:payment_card #"));
    assert_eq!(at("/nickname"), "<pii>");
    assert_eq!(at("/aliases"), &serde_json::json!(["<pii>", "<pii>"]));
    assert_eq!(at("/avatar/url"), "<pii:photo_url>");
    assert_eq!(at("/avatar/size"), &Value::from(safe::SIZE));
    assert_eq!(at("/tagged/tag"), &Value::from(safe::TAG));
    assert_eq!(
        at("/badge"),
        &serde_json::json!([r#"<pii:account_id …"H5">"#, safe::LEVEL])
    );
    assert_eq!(
        at("/contacts"),
        &serde_json::json!([
            { "Device": r#"<pii:device_id "QZ"…>"# },
            { "Org": { "org": "<oii>" } },
            { "Phone": { "number": r#"<pii:phone …"U2">"#, "primary": true } },
            // valuable has no unit variant: a variant without fields is a tuple of none.
            { "Nobody": [] },
        ])
    );
    let names: Vec<&str> = member
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert!(!names.contains(&"password"), "{names:?}");
    assert_eq!(names.len(), 20, "{names:?}");
}

#[test]
fn a_span_field_is_a_redacted_object_too() {
    let lines = json_lines();
    let organization = lines[1]
        .pointer("/span/organization")
        .expect("the span's organization field");
    assert_eq!(organization["name"], "<oii:org_name>");
    assert_eq!(
        organization.pointer("/groups/0/id"),
        Some(&Value::from(safe::GROUP_ID))
    );
    assert_eq!(
        organization.pointer("/groups/0/admins/<pii>#1/phone"),
        Some(&Value::from(r#"<pii:phone …"0958">"#))
    );
    assert_eq!(
        organization.pointer("/groups/0/pinned/0"),
        Some(&Value::from("<pii>"))
    );
}

#[test]
fn the_text_formatter_writes_the_redacted_value() {
    let output = captured(Format::Text, log_structured);
    assert_no_leak(&output);
    assert_safe_values_shown(&output);
    assert!(
        output.contains(
            r#"member=Member { id: 918273645, name: "<pii:name>", phone: "<pii:phone …\"0958\">""#
        ),
        "{output}"
    );
}
