//! A leak test for your own types, written with `privacy::testing` alone (feature `testing`):
//! plant a unique marker in every classified field, render the value every way it leaves the
//! program (`Debug`, `Serialize`, tracing events and spans in text and JSON), and check that no
//! piece of a marker got through while every safe value did.
//!
//! `cargo test --features testing --test testing_kit`

#![cfg(feature = "testing")]
// Like std's derive, the redacted output does not count as reading a field.
#![allow(dead_code)]

use std::net::IpAddr;

use privacy::testing::{
    assert_no_leak, assert_no_leak_except, assert_shown, capture, json_lines, Format, Markers,
};
use privacy::{Disclosure, Kind, Pii, Privacy, Reveal};

#[derive(Privacy)]
struct Account {
    #[safe]
    #[privacy(subject)]
    id: u64,
    #[pii(name)]
    name: String,
    #[pii(phone, redact = last(4))]
    phone: String,
    #[pii(email, redact = email)]
    email: String,
    #[pii(ip, redact = ip_prefix)]
    last_ip: IpAddr,
    #[pii(account_id, redact = hash)]
    login: String,
    #[pii(redact = skip)]
    password: String,
    #[oii(org_name)]
    employer: String,
    nickname: Option<Pii<String>>,
    #[safe]
    plan: &'static str,
}

/// The safe values, which every output must show.
const SAFE: [&str; 2] = ["4242", "family"];

/// An account with a marker in every classified field: `markers` remembers each of them.
fn account(markers: &mut Markers) -> Account {
    Account {
        id: 4242,
        name: markers.next("name"),
        phone: markers.phone("phone"),
        email: markers.email("email"),
        last_ip: markers.ipv6("last_ip").into(),
        login: markers.next("login"),
        password: markers.next("password"),
        employer: markers.next("employer"),
        nickname: Some(Pii::new(markers.next("nickname"))),
        plan: "family",
    }
}

#[test]
fn debug_leaks_nothing() {
    let mut markers = Markers::new();
    let account = account(&mut markers);
    for output in [format!("{account:?}"), format!("{account:#?}")] {
        assert_no_leak(&output, &markers);
        assert_shown(&output, SAFE);
        assert_shown(&output, ["<pii:name>", "<pii:phone …", "@\"example.com\""]);
    }
}

#[test]
fn serialize_leaks_nothing() {
    let mut markers = Markers::new();
    let account = account(&mut markers);
    for output in [
        serde_json::to_string(&account).unwrap(),
        serde_json::to_string_pretty(&account).unwrap(),
    ] {
        assert_no_leak(&output, &markers);
        assert_shown(&output, SAFE);
    }
}

/// A function that takes personal data, instrumented: its span records the parameters.
#[privacy::instrument(ret)]
fn invite(#[pii(phone, redact = last(4))] phone: &str, from: &Account) -> Pii<String> {
    tracing::info!(from = ?from, "inviting");
    Pii::new(phone.to_owned())
}

#[test]
fn tracing_leaks_nothing() {
    let mut markers = Markers::new();
    let account = account(&mut markers);
    let invitee = markers.phone("invitee");
    for format in [Format::Text, Format::Json] {
        let output = capture(format, || {
            tracing::info!(account = ?account, "signed up");
            tracing::warn!(nickname = ?account.nickname, "renamed");
            let _ = invite(&invitee, &account);
        });
        assert_no_leak(&output, &markers);
        assert_shown(&output, SAFE);
        assert_shown(&output, ["signed up", "inviting"]);
    }

    let output = capture(
        Format::Json,
        || tracing::info!(account = ?account, "signed up"),
    );
    let lines = json_lines(&output);
    let recorded = lines[0]["fields"]["account"].as_str().unwrap();
    assert!(
        recorded.starts_with("Account { id: 4242, name: <pii:name>"),
        "{recorded}"
    );
}

#[derive(Privacy)]
struct Voucher {
    #[pii(account_id, redact = first(8))]
    code: String,
}

#[test]
fn a_partial_strategy_shows_only_its_declared_part() {
    let mut markers = Markers::new();
    let code = markers.next("voucher");
    let output = format!("{:?}", Voucher { code: code.clone() });
    // first(8) shows a window and more of the marker: declare what it may show.
    assert_no_leak_except(&output, &markers, [&code[..8]]);
    assert_shown(&output, [&code[..8]]);
}

#[test]
fn a_disclosure_shows_its_kind_and_nothing_else() {
    let mut markers = Markers::new();
    let account = account(&mut markers);
    let rule = Disclosure::of([Kind::Phone]).because("the viewer has this number already");
    let mut revealed = String::new();
    let audit = capture(Format::Json, || {
        revealed = format!("{:?}", account.reveal(&rule));
    });
    assert_shown(&revealed, [&account.phone]);
    assert_no_leak_except(&revealed, &markers, [&account.phone]);
    // The audit event names the field revealed, never its value.
    assert_shown(&audit, ["privacy::audit", "phone"]);
    assert_no_leak(&audit, &markers);
}

/// A type that classifies a field wrong: `#[safe]` on a name.
#[derive(Privacy)]
struct Mistaken {
    #[safe]
    name: String,
}

#[test]
#[should_panic(expected = "marker `name` (QZ")]
fn the_check_catches_a_field_marked_safe_by_mistake() {
    let mut markers = Markers::new();
    let mistaken = Mistaken {
        name: markers.next("name"),
    };
    assert_no_leak(&format!("{mistaken:?}"), &markers);
}
