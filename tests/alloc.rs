//! Formatting a derived type allocates nothing: checked with a counting global allocator.

// Like std's derive, the redacted `Debug` does not count as reading a field.
#![allow(dead_code)]

#[path = "fixture/counting_alloc.rs"]
mod counting_alloc;

use std::fmt::{self, Write};
use std::net::IpAddr;

use counting_alloc::allocations_during;
use privacy::{Oii, Pii, Privacy};

/// A writer that keeps nothing, so the only allocations are the formatting code's own.
struct Sink(usize);

impl Write for Sink {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0 += s.len();
        Ok(())
    }
}

/// Allocations made on this thread while formatting `value` with `{:?}` and `{:#?}`.
fn allocations(value: &dyn fmt::Debug) -> usize {
    let mut sink = Sink(0);
    let made = allocations_during(|| {
        write!(sink, "{value:?}").unwrap();
        write!(sink, "{value:#?}").unwrap();
    });
    assert!(sink.0 > 0);
    made
}

/// Allocations made on this thread while serializing `value` to JSON into a `Vec` that already
/// has room.
fn serialize_allocations<T: serde::Serialize>(value: &T) -> usize {
    let mut out = Vec::with_capacity(64 * 1024);
    let made = allocations_during(|| serde_json::to_writer(&mut out, value).unwrap());
    assert!(out.len() > 2);
    made
}

fn redact_len(value: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    write!(f, "{} chars", value.chars().count())
}

#[derive(Privacy)]
struct Member {
    #[safe]
    id: u64,
    #[safe]
    joined_days: u32,
    #[safe]
    role: &'static str,
    #[pii(name)]
    name: String,
    #[pii(phone, redact = last(4))]
    phone: String,
    #[pii(name, redact = first(2))]
    first: String,
    #[pii(email, redact = email)]
    email: String,
    #[oii(org_name)]
    org: String,
    #[pii(ip, redact = ip_prefix)]
    ip: IpAddr,
    #[pii(ip, redact = ip_prefix)]
    ip_text: String,
    #[pii(account_id, with = redact_len)]
    custom: String,
    #[pii(redact = skip)]
    password: String,
    nickname: Option<Pii<String>>,
    tenant: Oii<u32>,
    contact: Contact,
}

/// The same data, unclassified, with serde's own derive: the reference.
#[derive(serde::Serialize)]
struct PlainMember {
    id: u64,
    joined_days: u32,
    role: &'static str,
    name: String,
    phone: String,
    first: String,
    email: String,
    org: String,
    ip: IpAddr,
    ip_text: String,
    custom: String,
    nickname: Option<String>,
    tenant: u32,
}

#[derive(Privacy)]
enum Contact {
    Phone(#[pii(phone, redact = last(2))] String),
}

#[derive(Privacy)]
struct Hashed {
    #[safe]
    id: u64,
    #[pii(email, redact = hash)]
    email: String,
}

fn member() -> Member {
    Member {
        id: 7,
        joined_days: 420,
        role: "admin",
        name: "Alice Example".into(),
        phone: "+44 20 7946 0958".into(),
        first: "Alice".into(),
        email: "alice@example.com".into(),
        org: "Contoso".into(),
        ip: "2001:db8:85a3::8a2e:370:7334".parse().unwrap(),
        ip_text: "203.0.113.9".into(),
        custom: "acct-1234".into(),
        password: "hunter2".into(),
        nickname: Some(Pii::new("Ali".into())),
        tenant: Oii::new(12),
        contact: Contact::Phone("5550134".into()),
    }
}

#[test]
fn redacted_debug_allocates_nothing() {
    let member = member();
    assert_eq!(allocations(&member), 0);
}

#[test]
fn hash_allocates_nothing_once_the_key_is_there() {
    let hashed = Hashed {
        id: 1,
        email: "alice@example.com".into(),
    };
    // The first pseudonym draws the process key, once; every later one only computes.
    let _ = privacy::pseudonym::key();
    assert_eq!(allocations(&hashed), 0);
}

#[test]
fn the_counter_sees_allocations() {
    let mut text = String::new();
    let made = allocations_during(|| text = format!("{:?}", member()));
    assert!(made > 0, "formatting into a String must be counted");
    assert!(text.contains("<pii:phone"));
}

#[test]
fn redacted_serialize_allocates_no_more_than_serde_derive() {
    let member = member();
    let plain = PlainMember {
        id: member.id,
        joined_days: member.joined_days,
        role: member.role,
        name: member.name.clone(),
        phone: member.phone.clone(),
        first: member.first.clone(),
        email: member.email.clone(),
        org: member.org.clone(),
        ip: member.ip,
        ip_text: member.ip_text.clone(),
        custom: member.custom.clone(),
        nickname: Some("Ali".into()),
        tenant: 12,
    };
    let reference = serialize_allocations(&plain);
    assert_eq!(
        reference, 0,
        "serde's derive into a Vec with room allocates nothing"
    );
    assert_eq!(serialize_allocations(&member), reference);
    let _ = privacy::pseudonym::key();
    assert_eq!(
        serialize_allocations(&Hashed {
            id: 1,
            email: "alice@example.com".into()
        }),
        0
    );
}
