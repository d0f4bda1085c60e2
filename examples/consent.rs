//! Consent, step by step: a person grants consent for a purpose, a support agent sees what that
//! consent reveals, every reveal is audited, the person withdraws, and the history stays.
//!
//! Run it with `cargo run --example consent`. The consent store is a SQLite file in a temporary
//! directory, removed at the end.

use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use privacy::consent::{ConsentError, ConsentStore, Evidence, SqliteConsentStore};
use privacy::purpose::Support;
use privacy::{Disclosure, Kind, Privacy, Reveal, SubjectId};

/// A member of a chat service, as the support tool loads it.
#[derive(Privacy)]
struct Member {
    #[safe]
    #[privacy(subject)]
    id: u64,
    #[pii(name)]
    display_name: String,
    #[pii(phone, redact = last(4), purposes(Support))]
    phone: String,
    #[pii(ip, redact = ip_prefix, purposes(Diagnostics))]
    last_ip: std::net::IpAddr,
    #[pii(message, purposes(Support))]
    last_message: String,
}

fn main() -> Result<(), ConsentError> {
    // Audit events (target `privacy::audit`) go to stdout, so they show up between the steps.
    tracing_subscriber::fmt()
        .with_target(true)
        .without_time()
        .with_ansi(false)
        .init();

    let dir = TempDir::new();
    let path = dir.0.join("consent.sqlite");
    let store = SqliteConsentStore::open(&path)?;
    let alice = SubjectId::from("7");
    let member = Member {
        id: 7,
        display_name: "Alice Example".into(),
        phone: "+44 20 7946 0958".into(),
        last_ip: "203.0.113.7".parse().expect("an address"),
        last_message: "my order never arrived".into(),
    };

    step("1. Without consent, the support tool sees the redacted member");
    println!("{member:?}");
    match store.consent::<Support>(&alice) {
        Err(error) => println!("consent::<Support>() -> {error}"),
        Ok(_) => unreachable!("nothing was granted yet"),
    }

    step("2. Alice grants consent for Support, in the help chat");
    let grant = store.grant(
        &alice,
        Support,
        Evidence::new("help chat: 'let the agent see my details' v3"),
    )?;
    println!(
        "recorded {} at {} ms: {}",
        grant.id,
        millis(grant.at),
        grant.source
    );

    step("3. With that consent, the agent sees the fields whose purposes include Support");
    let consent = store.consent::<Support>(&alice)?;
    // Formatting the view is the reveal: its audit event is logged as it is written.
    let shown = format!("{:#?}", member.reveal(&consent));
    println!("{shown}");
    println!("(the IP address is for Diagnostics only, and the name names no purpose, so no consent reveals it: both still redacted)");

    step("4. A disclosure rule needs no consent, but must say why, and is audited too");
    let rule = Disclosure::of([Kind::Name]).because("agents greet members by name");
    let shown = format!("{:?}", member.reveal(&rule));
    println!("{shown}");

    step("5. Alice withdraws; consent::<Support>() fails from now on");
    store.withdraw(&alice, Support)?;
    match store.consent::<Support>(&alice) {
        Err(error) => println!("consent::<Support>() -> {error}"),
        Ok(_) => unreachable!("consent was withdrawn"),
    }

    step("6. The history survives a restart: nothing is ever changed or deleted");
    drop(store);
    let reopened = SqliteConsentStore::open(&path)?;
    for record in reopened.history(&alice)? {
        println!(
            "{} {:<9} {:<12} at {} ms  {}",
            record.id,
            record.action.as_str(),
            record.purpose,
            millis(record.at),
            record.source
        );
    }
    Ok(())
}

fn millis(at: SystemTime) -> u128 {
    at.duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_millis()
}

fn step(title: &str) {
    println!("\n== {title} ==");
}

/// A directory of its own under the system's temporary directory, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos();
        let dir = std::env::temp_dir().join(format!(
            "privacy-consent-example-{}-{nanos}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
