//! `tracing::info!(member = ?member)` is safe by construction: through a real
//! `tracing_subscriber::fmt` subscriber, with its text and its JSON formatter, no marker planted
//! in a classified field reaches the output, in an event or in a span, while every safe value
//! does; each JSON line parses, and carries every field, redacted.

use privacy::{Oii, Pii};
use serde_json::Value;

mod fixture;

use fixture::capture::{self, Format};
use fixture::{
    assert_no_leak, assert_safe_values_shown, marker, member, organization, safe, MEMBER_REDACTIONS,
};

/// Everything the tests log, the way application code logs it.
fn log_everything() {
    let member = member();
    tracing::info!(member = ?member, "member joined");
    tracing::info!(?member, "shorthand");

    let name = Pii::new(marker::NAME.to_owned());
    let org = Oii::new(marker::ORG.to_owned());
    tracing::info!(
        pii_display = %name,
        pii_debug = ?name,
        oii_display = %org,
        oii_debug = ?org,
        "wrappers"
    );

    let organization = organization();
    let span = tracing::info_span!(
        "export",
        organization = ?organization,
        requester = %Pii::new(marker::PHONE),
        requester_debug = ?Pii::new(marker::PHONE),
    );
    let _entered = span.enter();
    tracing::info!(group_id = safe::GROUP_ID, "inside the span");
}

/// What the subscriber wrote while `log_everything` ran, in `format`.
fn captured(format: Format) -> String {
    let output = capture::captured(format, log_everything);
    assert_eq!(
        output.lines().count(),
        4,
        "one line per event in {format:?}:\n{output}"
    );
    output
}

#[test]
fn no_marker_reaches_the_text_or_json_output() {
    for format in [Format::Text, Format::Json] {
        let output = captured(format);
        assert_no_leak(&output);
        assert_safe_values_shown(&output);
    }
}

#[test]
fn the_text_output_shows_the_redacted_debug() {
    let output = captured(Format::Text);
    let mut lines = output.lines();
    let joined = lines.next().unwrap();
    assert!(
        joined.contains("member joined member=Member { id: 918273645"),
        "{joined}"
    );
    for redaction in MEMBER_REDACTIONS {
        assert!(
            joined.contains(redaction),
            "`{redaction}` missing from {joined}"
        );
    }
    assert!(!joined.contains("password"), "{joined}");
    assert!(lines.next().unwrap().contains("shorthand member=Member {"));
    let wrappers = lines.next().unwrap();
    assert!(
        wrappers.contains(
            "wrappers pii_display=<pii> pii_debug=<pii> oii_display=<oii> oii_debug=<oii>"
        ),
        "{wrappers}"
    );
    let inside = lines.next().unwrap();
    assert!(
        inside.contains(
            "export{organization=Organization { name: <oii:org_name>, tenant: <oii:tenant_id #"
        ),
        "{inside}"
    );
    assert!(
        inside.contains("requester=<pii> requester_debug=<pii>}"),
        "{inside}"
    );
}

/// One parsed line per event.
fn json_lines() -> Vec<Value> {
    captured(Format::Json)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect()
}

/// The string at `pointer`, which must be present.
fn text<'a>(line: &'a Value, pointer: &str) -> &'a str {
    line.pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no string at `{pointer}` in {line}"))
}

#[test]
fn every_json_line_carries_the_field_redacted() {
    let lines = json_lines();

    for (line, message) in lines[..2].iter().zip(["member joined", "shorthand"]) {
        assert_eq!(text(line, "/fields/message"), message);
        let member = text(line, "/fields/member");
        assert!(
            member.starts_with("Member { id: 918273645, name: <pii:name>"),
            "{member}"
        );
        for redaction in MEMBER_REDACTIONS {
            assert!(
                member.contains(redaction),
                "`{redaction}` missing from {member}"
            );
        }
        assert!(!member.contains("password"), "{member}");
        assert_no_leak(member);
    }

    let wrappers = &lines[2];
    for (field, placeholder) in [
        ("pii_display", "<pii>"),
        ("pii_debug", "<pii>"),
        ("oii_display", "<oii>"),
        ("oii_debug", "<oii>"),
    ] {
        assert_eq!(text(wrappers, &format!("/fields/{field}")), placeholder);
    }

    let inside = &lines[3];
    assert_eq!(
        inside.pointer("/fields/group_id"),
        Some(&Value::from(safe::GROUP_ID))
    );
    assert_eq!(text(inside, "/span/name"), "export");
    let organization = text(inside, "/span/organization");
    assert!(
        organization.starts_with("Organization { name: <oii:org_name>, tenant: <oii:tenant_id #"),
        "{organization}"
    );
    assert!(
        organization.contains(r#"contact_address: <oii:domain …@"mail.example">"#),
        "{organization}"
    );
    assert!(
        organization.contains(r#"topic: <pii:message "QZT"…>"#),
        "{organization}"
    );
    assert_no_leak(organization);
    assert_eq!(text(inside, "/span/requester"), "<pii>");
    assert_eq!(text(inside, "/span/requester_debug"), "<pii>");
    assert_eq!(text(inside, "/spans/0/requester"), "<pii>");
}

#[test]
#[should_panic(expected = "leaked into")]
fn the_leak_check_catches_a_planted_leak() {
    assert_no_leak(&format!("name: {}", &marker::NAME[3..10]));
}
