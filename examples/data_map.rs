//! A data map of a messaging app's types: `cargo run --example data_map`.
//!
//! Every type that derives `Privacy` registers itself; `Report::collect()` gathers them, with
//! the Apple privacy-manifest and Google Play Data safety declarations their fields call for.
//! Run it in CI and keep the output in the repository: a new PII field then shows up in review
//! as a changed line of the data map. `Report::to_json()` writes the same report for tools.

// Nothing here builds values: the types exist to be described.
#![allow(dead_code)]

use std::collections::HashMap;
use std::net::IpAddr;

use privacy::inventory::Report;
use privacy::{Pii, Privacy};

/// A customer organization: a tenant of the service.
#[derive(Privacy)]
struct Organization {
    #[safe]
    id: u64,
    #[oii(tenant_id, redact = hash)]
    tenant: String,
    #[oii(org_name)]
    name: String,
    #[oii(domain)]
    email_domain: String,
    members: Vec<Member>,
}

/// A person in an organization.
#[derive(Privacy)]
struct Member {
    #[safe]
    #[privacy(subject)]
    id: u64,
    #[pii(account_id, redact = hash)]
    handle: String,
    #[pii(name, redact = first(1))]
    display_name: String,
    #[pii(phone, redact = last(4), purposes(Support))]
    phone: String,
    #[pii(email, redact = email, purposes(Support))]
    email: String,
    #[pii(address)]
    postal_address: Option<String>,
    #[pii(birthdate)]
    birthdate: Option<String>,
    nickname: Option<Pii<String>>,
    devices: HashMap<Pii<String>, Device>,
}

/// A device a member signed in from.
#[derive(Privacy)]
struct Device {
    #[pii(device_id, redact = hash)]
    id: String,
    #[safe]
    os_version: String,
}

/// What a member posts in a conversation.
#[derive(Privacy)]
enum Message {
    Text {
        #[safe]
        id: u64,
        #[safe]
        #[privacy(subject)]
        sender: u64,
        #[pii(message, purposes(Support))]
        body: String,
    },
    Location {
        #[safe]
        #[privacy(subject)]
        sender: u64,
        #[pii(location)]
        coordinates: (f64, f64),
    },
    Payment {
        #[safe]
        #[privacy(subject)]
        sender: u64,
        #[pii(payment_card, redact = last(4))]
        card: String,
        #[safe]
        amount_cents: u64,
    },
    Deleted,
}

/// What the app uploads when it crashes: a telemetry event.
#[derive(Privacy)]
#[privacy(telemetry)]
struct CrashReport {
    #[safe]
    code: u32,
    #[safe]
    app_version: &'static str,
    #[pii(ip, redact = ip_prefix, purposes(Diagnostics))]
    client_ip: IpAddr,
    #[pii(device_id, redact = hash, purposes(Diagnostics))]
    device: String,
    #[oii(tenant_id, redact = hash, purposes(Diagnostics))]
    tenant: String,
}

fn main() {
    print!("{}", Report::collect().to_markdown());
}
