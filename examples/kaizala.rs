//! A group messaging service, told as a story a privacy reviewer can read from top to bottom.
//!
//! An organization runs groups; its staff join them with their names, phone numbers, e-mail
//! and IP addresses, and post messages. Every field of the domain types below says once whether
//! it is PII, OII or safe. The story then does what such a service does all day, and shows
//! what leaves it:
//!
//! - the log lines of ordinary operations, all redacted;
//! - two members' views of the same group roster, under the phone-book rule: a member's number
//!   and name are shown only to a viewer who already has that number;
//! - a crash report sent as telemetry after the member said no (no personal data), with the
//!   member's consent for Diagnostics (the IP address is included, the Support-only draft is
//!   not), and after the member withdrew it;
//! - the consent receipt given to the member (Kantara Consent Receipt v1.1), and the consent
//!   history, kept in a SQLite file, as W3C DPV statuses;
//! - what the types hold, read from their schemas;
//! - the audit trail: one event for every time a value was shown in the clear.
//!
//! Run it with `cargo run --example kaizala`: it needs no setup and no network, and removes
//! the temporary directory it keeps its consent store in. `tests/kaizala.rs` runs the same
//! story and checks where each planted value appears, and where it must not.

use std::collections::HashSet;
use std::error::Error;
use std::fmt::{self, Write as _};
use std::io::{self, Write};
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use privacy::audience::{Audience, Known, E164};
use privacy::audit::{self, AuditError, AuditRecord, AuditSink, SqliteLedger, TracingSink};
use privacy::consent::receipt::{Controller, Receipts};
use privacy::consent::{
    CollectionMethod, ConsentRecord, ConsentStore, ConsentType, Evidence, SqliteConsentStore,
};
use privacy::pseudonym::{self, KeyError, PseudonymKey};
use privacy::purpose::Diagnostics;
use privacy::{
    telemetry, Classified, Disclosure, Field, Kind, Privacy, Reveal, Schema, Shape, SubjectId,
};
use serde_json::Value;
use tracing_subscriber::filter::filter_fn;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::prelude::*;

// ---------------------------------------------------------------------------------------------
// The domain: every field classified once.

/// A customer of the service: its name and tenant id identify it, so they are OII.
#[derive(Privacy)]
pub(crate) struct Organization {
    #[oii(org_name)]
    name: String,
    #[oii(tenant_id, redact = hash)]
    tenant_id: String,
    #[safe]
    plan: &'static str,
}

/// A group: its title is written by people and often names them ("Priya's team"), so it is
/// PII, of a kind the built-in list does not have.
#[derive(Privacy)]
pub(crate) struct Group {
    #[safe]
    id: u64,
    #[pii(custom = "group_title")]
    title: String,
    #[safe]
    members: Vec<u64>,
}

/// A person on the staff of the organization.
#[derive(Privacy)]
pub(crate) struct Member {
    #[safe]
    #[privacy(subject)]
    id: u64,
    #[pii(name)]
    display_name: String,
    #[pii(phone, redact = last(4))]
    phone: String,
    #[pii(email, redact = hash)]
    email: String,
    #[pii(ip, redact = ip_prefix)]
    last_ip: IpAddr,
    #[safe]
    role: Role,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub(crate) enum Role {
    Admin,
    Member,
}

/// What someone wrote. Only the support team could ever be allowed to read it, and only with
/// the author's consent.
#[derive(Privacy)]
pub(crate) struct Message {
    #[safe]
    id: u64,
    #[safe]
    group: u64,
    #[safe]
    #[privacy(subject)]
    author: u64,
    #[pii(message, purposes(Support))]
    text: String,
}

/// A number in someone's phone book, as they saved it.
#[derive(Privacy)]
pub(crate) struct Contact {
    #[pii(phone)]
    number: String,
}

/// What the app sends when it crashes. A telemetry type: every PII field must say for which
/// purposes consent may ever include it, or the type does not compile.
#[derive(Privacy)]
#[privacy(telemetry)]
pub(crate) struct CrashReport {
    /// Whose app crashed. The service's own logs carry member ids (an internal number), but a
    /// crash report leaves the service for crash analysis, and tying a crash to a person takes
    /// that person's consent.
    #[pii(account_id, purposes(Diagnostics))]
    #[privacy(subject)]
    member: u64,
    #[safe]
    app_version: &'static str,
    #[safe]
    signal: &'static str,
    #[safe]
    screen: &'static str,
    #[pii(ip, purposes(Diagnostics))]
    client_ip: IpAddr,
    /// The message being typed when the app crashed: for Support at most, never Diagnostics.
    #[pii(message, purposes(Support))]
    unsent_draft: String,
}

// ---------------------------------------------------------------------------------------------
// The demo's data. Every value is made up, and unique enough for a test to look for it.

/// The organization.
#[must_use]
pub(crate) fn organization() -> Organization {
    Organization {
        name: "Contoso Health".into(),
        tenant_id: "3f2b8c1e-7d4a-4e59-9a61-0c5d2e8b7f14".into(),
        plan: "business",
    }
}

/// Its groups.
#[must_use]
pub(crate) fn groups() -> Vec<Group> {
    vec![
        Group {
            id: 42,
            title: "Ward 7 night shift".into(),
            members: vec![1, 2, 3, 4],
        },
        Group {
            id: 43,
            title: "Pharmacy on call".into(),
            members: vec![1, 3],
        },
    ]
}

/// The people in the groups.
#[must_use]
pub(crate) fn members() -> Vec<Member> {
    let ip = |text: &str| text.parse::<IpAddr>().expect("a valid address");
    vec![
        Member {
            id: 1,
            display_name: "Priya Raman".into(),
            phone: "+44 20 7946 0958".into(),
            email: "priya.raman@contoso.example".into(),
            last_ip: ip("203.0.113.87"),
            role: Role::Admin,
        },
        Member {
            id: 2,
            display_name: "Tomás Ortega".into(),
            phone: "+1 425 555 0143".into(),
            email: "tomas.ortega@contoso.example".into(),
            last_ip: ip("2001:db8:85a3:8d3:1319:8a2e:370:7348"),
            role: Role::Member,
        },
        Member {
            id: 3,
            display_name: "Wanjiru Kamau".into(),
            phone: "+254 20 555 0177".into(),
            email: "wanjiru.kamau@contoso.example".into(),
            last_ip: ip("198.51.100.142"),
            role: Role::Member,
        },
        Member {
            id: 4,
            display_name: "Chen Meiling".into(),
            phone: "+61 2 5550 4477".into(),
            email: "chen.meiling@contoso.example".into(),
            last_ip: ip("192.0.2.211"),
            role: Role::Member,
        },
    ]
}

/// What is posted: group, author, text.
#[must_use]
pub(crate) fn conversation() -> Vec<(u64, u64, &'static str)> {
    vec![
        (42, 1, "Handover at 7: bed 12 needs a check at midnight"),
        (42, 3, "Running late, call me on +254 20 555 0177"),
        (
            43,
            1,
            "Fridge 2 reads 9 degrees, moved the insulin to fridge 3",
        ),
    ]
}

/// The device each member signs in from.
#[must_use]
pub(crate) fn devices() -> Vec<(u64, &'static str)> {
    vec![
        (1, "android-7f3a91c2d4"),
        (2, "ios-4be0d915aa"),
        (3, "android-c81e77f035"),
        (4, "ios-9d02b6e48c"),
    ]
}

/// The two viewers whose rosters are compared, and the numbers in their phone books, written
/// the way people save numbers: not the way the members typed their own.
#[must_use]
pub(crate) fn viewers() -> [(u64, Vec<Contact>); 2] {
    let book = |numbers: &[&str]| {
        numbers
            .iter()
            .map(|number| Contact {
                number: (*number).to_owned(),
            })
            .collect()
    };
    [
        // Member 1 has saved members 2 and 3, and someone outside the group.
        (
            1,
            book(&["+1-425-555-0143", "+254 20 5550177", "+49 30 901820"]),
        ),
        // Member 4 has saved member 1, and member 2 without the country code: a number in
        // national form cannot be compared (whose country?), so it matches nobody.
        (4, book(&["+442079460958", "(425) 555-0143"])),
    ]
}

/// The crash: member 3's app, while they were typing a message.
#[must_use]
pub(crate) fn crash_report() -> CrashReport {
    CrashReport {
        member: 3,
        app_version: "2026.11.3",
        signal: "SIGSEGV",
        screen: "group_chat",
        client_ip: "198.51.100.142".parse().expect("a valid address"),
        unsent_draft: "Can someone swap shifts with me on Friday?".into(),
    }
}

// ---------------------------------------------------------------------------------------------
// The story.

/// The section headings, in order.
pub(crate) mod section {
    pub(crate) const START: &str = "0. Start-up";
    pub(crate) const ORGANIZATION: &str = "1. An organization and its groups: OII";
    pub(crate) const MEMBERS: &str = "2. Members join and sign in: PII in log lines";
    pub(crate) const MESSAGES: &str = "3. Messages: the text never reaches a log";
    pub(crate) const ROSTERS: &str = "4. Two rosters side by side: the phone-book rule";
    pub(crate) const NO_CONSENT: &str =
        "5. Asked, member 3 says no: a crash report without consent";
    pub(crate) const CONSENT: &str = "6. Consent for Diagnostics, and the crash report again";
    pub(crate) const WITHDRAWAL: &str = "7. Consent withdrawn, and a third crash report";
    pub(crate) const SCHEMA: &str = "8. What the types hold: the schema inventory";
    pub(crate) const AUDIT: &str = "9. The audit trail";
}

const AUDIT_TARGET: &str = "privacy::audit";
const TELEMETRY_TARGET: &str = "telemetry";
const PHONE_BOOK_RULE: &str = "the viewer has this member's number in their phone book";

fn main() -> Result<(), Box<dyn Error>> {
    let stdout = io::stdout();
    run(&mut stdout.lock())
}

/// Tells the whole story into `out`: the narration, every log line and telemetry event as it
/// happens, and at the end the audit trail that was captured on the side.
pub(crate) fn run(out: &mut dyn Write) -> Result<(), Box<dyn Error>> {
    let logs = Buffer::default();
    let audit = Buffer::default();
    // Ordinary log lines and telemetry go to `logs`, which the story writes out as it goes;
    // audit events (target `privacy::audit`) go to `audit`, printed in the last section.
    let subscriber = tracing_subscriber::registry()
        .with(
            tracing_subscriber::fmt::layer()
                .with_writer(logs.clone())
                .with_ansi(false)
                .without_time()
                .with_target(false)
                .with_filter(filter_fn(|meta| {
                    meta.target() != AUDIT_TARGET && meta.target() != TELEMETRY_TARGET
                })),
        )
        .with(
            tracing_subscriber::fmt::layer()
                .with_writer(logs.clone())
                .with_ansi(false)
                .without_time()
                .with_filter(filter_fn(|meta| meta.target() == TELEMETRY_TARGET)),
        )
        .with(
            tracing_subscriber::fmt::layer()
                .with_writer(audit.clone())
                .with_ansi(false)
                .without_time()
                .with_target(false)
                .with_level(false)
                .with_filter(filter_fn(|meta| meta.target() == AUDIT_TARGET)),
        );

    // Every record goes to a durable ledger first, and then, as an event, to the subscriber.
    let ledger_dir = TempDir::new()?;
    let ledger = Arc::new(SqliteLedger::open(ledger_dir.path.join("audit.sqlite"))?);
    let sink = Arc::new(LedgerAndEvents {
        ledger: Arc::clone(&ledger),
        events: TracingSink::new(),
    });

    let mut story = Story { out, logs };
    audit::with_sink(sink, || {
        tracing::subscriber::with_default(subscriber, || tell(&mut story))
    })?;
    story.audit_trail(&audit.take(), &ledger)?;
    story.flush_logs()?;
    drop(ledger);
    drop(ledger_dir);
    Ok(())
}

/// The demo's audit sink: a record is kept once the ledger has committed it, and is then
/// also an event on target `privacy::audit`, for the audit log.
struct LedgerAndEvents {
    ledger: Arc<SqliteLedger>,
    events: TracingSink,
}

impl AuditSink for LedgerAndEvents {
    fn record(&self, record: &AuditRecord<'_>) -> Result<(), AuditError> {
        self.ledger.record(record)?;
        // The ledger keeps it: the event is for reading along, and need not be taken.
        let _ = self.events.record(record);
        Ok(())
    }
}

fn tell(story: &mut Story<'_>) -> Result<(), Box<dyn Error>> {
    start_up(story)?;
    let groups = the_organization(story)?;
    let members = members_join(story, &groups)?;
    messages(story)?;
    rosters(story, &groups[0], &members)?;

    let dir = TempDir::new()?;
    let consents = SqliteConsentStore::open(dir.path.join("consent.sqlite"))?;
    no_consent(story, &consents)?;
    consent(story, &consents)?;
    withdrawal(story, &consents, &dir)?;
    drop(consents);
    drop(dir);
    story.say("")?;
    story.say("consent store closed, temporary directory removed")?;

    schema_inventory(story)?;
    Ok(())
}

/// Where the story is written, and the log lines waiting to be written into it.
struct Story<'a> {
    out: &'a mut dyn Write,
    logs: Buffer,
}

impl Story<'_> {
    /// Writes the log lines emitted since the last write, so that they appear where they
    /// happened.
    fn flush_logs(&mut self) -> io::Result<()> {
        let logs = self.logs.take();
        self.out.write_all(logs.as_bytes())
    }

    fn say(&mut self, text: impl fmt::Display) -> io::Result<()> {
        self.flush_logs()?;
        writeln!(self.out, "{text}")
    }

    /// A section's heading, and what to look for in it.
    fn heading(&mut self, title: &str, look_for: &str) -> io::Result<()> {
        self.flush_logs()?;
        writeln!(self.out)?;
        writeln!(self.out, "== {title} ==")?;
        writeln!(self.out, "{look_for}")?;
        writeln!(self.out)
    }

    fn audit_trail(&mut self, events: &str, ledger: &SqliteLedger) -> Result<(), Box<dyn Error>> {
        self.heading(
            section::AUDIT,
            "Every write that showed a classified value in the clear left one event on target\n\
             `privacy::audit`, captured apart from the log lines above. Look for: what was shown \
             (type and\nfields), under which permit and why, about whom and to whom. People are \
             keyed pseudonyms;\nno event holds a value. Writes that showed nothing left no event.",
        )?;
        for (n, event) in events.lines().enumerate() {
            writeln!(self.out, "{:>2}. {}", n + 1, event.trim_start())?;
        }
        // The same records, committed to the ledger before anything was shown, and chained.
        let report = ledger.verify()?;
        writeln!(self.out)?;
        writeln!(
            self.out,
            "The ledger holds the same {} records, each committed before its view showed anything; \
             verify(): the chain is intact, head {}",
            report.records, report.head
        )?;
        // Only the holder of the key can tell whose pseudonym is whose, by computing them.
        writeln!(self.out)?;
        writeln!(
            self.out,
            "Whose pseudonym is whose, computed with the demo's key (without it, nobody can tell):"
        )?;
        for member in members() {
            let subject = member.subject().expect("a member names its subject");
            writeln!(
                self.out,
                "  member {}: {}",
                subject.as_str(),
                subject.pseudonym()
            )?;
        }
        Ok(())
    }
}

fn start_up(story: &mut Story<'_>) -> Result<(), Box<dyn Error>> {
    story.heading(
        section::START,
        "A pseudonym key for `redact = hash`, and a subscriber: log lines and telemetry below,\n\
         audit events captured on the side for the last section.",
    )?;
    // In a real service the secret comes from a secret store, and its id (printed in every
    // pseudonym) says which key made a pseudonym. Install it before anything is formatted.
    let key = PseudonymKey::new("demo", b"kaizala demo secret: not for production use")?;
    match pseudonym::install(key) {
        // Told twice in one process (as a test may), the key is already there.
        Ok(()) => {}
        Err(KeyError::AlreadyInstalled(id)) if id == "demo" => {}
        Err(error) => return Err(error.into()),
    }
    story.say(format_args!(
        "pseudonym key installed: {}",
        pseudonym::key_id()
    ))?;
    tracing::info!("log lines from here on go through tracing");
    Ok(())
}

fn the_organization(story: &mut Story<'_>) -> Result<Vec<Group>, Box<dyn Error>> {
    story.heading(
        section::ORGANIZATION,
        "Look for: the organization's name is hidden; its tenant id is a keyed pseudonym, so \
         that log\nlines about one tenant can be matched without naming it; group titles are \
         hidden.",
    )?;
    let organization = organization();
    tracing::info!(organization = ?organization, "organization signed up");
    let groups = groups();
    for group in &groups {
        tracing::info!(group = ?group, "group created");
    }
    story.flush_logs()?;
    Ok(groups)
}

fn members_join(story: &mut Story<'_>, groups: &[Group]) -> Result<Vec<Member>, Box<dyn Error>> {
    story.heading(
        section::MEMBERS,
        "Look for: no name at all; phones keep their last 4 digits; e-mail addresses are keyed\n\
         pseudonyms; IP addresses keep only their network (/24, or /48 for IPv6). `sign_in` is a\n\
         `#[privacy::instrument]` function: its parameters are recorded as classified.",
    )?;
    let members = members();
    for member in &members {
        let joined: Vec<u64> = groups
            .iter()
            .filter(|group| group.members.contains(&member.id))
            .map(|group| group.id)
            .collect();
        tracing::info!(member = ?member, groups = ?joined, "member joined");
    }
    for (id, device) in devices() {
        if let Some(member) = members.iter().find(|member| member.id == id) {
            sign_in(member.id, member.last_ip, device);
        }
    }
    story.flush_logs()?;
    Ok(members)
}

/// A member signs in from an address, on a device.
#[privacy::instrument]
fn sign_in(
    #[safe] member: u64,
    #[pii(ip, redact = ip_prefix)] from: IpAddr,
    #[pii(device_id, redact = hash)] device: &str,
) {
    // A real service would check the address and the device here.
    let _ = (from, device);
    tracing::info!("signed in");
}

fn messages(story: &mut Story<'_>) -> Result<(), Box<dyn Error>> {
    story.heading(
        section::MESSAGES,
        "Look for: `<pii:message>` wherever a message's text would be, in the span of\n\
         `post_message` (another instrumented function), and in the message it returns.",
    )?;
    for (id, (group, author, text)) in (100..).zip(conversation()) {
        post_message(id, group, author, text.to_owned());
    }
    story.flush_logs()?;
    Ok(())
}

/// Posts a message to a group.
#[privacy::instrument(ret)]
fn post_message(
    #[safe] id: u64,
    #[safe] group: u64,
    #[safe] author: u64,
    #[pii(message)] text: String,
) -> Message {
    tracing::info!(chars = text.chars().count(), "message delivered");
    Message {
        id,
        group,
        author,
        text,
    }
}

fn rosters(story: &mut Story<'_>, group: &Group, members: &[Member]) -> Result<(), Box<dyn Error>> {
    story.heading(
        section::ROSTERS,
        "The same group as two of its members see it. A member's name and number are shown to a\n\
         viewer only if the viewer already has that number in their own phone book (numbers are\n\
         compared in E.164 form, so spaces and dashes do not matter). Look for: each column \
         shows\nin the clear exactly the members whose number is in that viewer's phone book; \
         everyone\nelse keeps a redacted name and the last 4 digits; e-mail and IP addresses stay \
         redacted\nfor everyone. The cells are read from the JSON each viewer's app receives.",
    )?;
    let in_group: Vec<&Member> = members
        .iter()
        .filter(|member| group.members.contains(&member.id))
        .collect();
    // A phone book is its owner's own data: shown to its owner, and audited like any reveal.
    let own_book = Disclosure::of([privacy::field!(Contact.number)])
        .because("a phone book, shown to its owner");

    let mut columns = Vec::new();
    for (viewer, contacts) in viewers() {
        story.say(format_args!(
            "member {viewer}'s phone book: {:?}",
            contacts.reveal(&own_book)
        ))?;
        let permit = phone_book_rule(viewer, &contacts, &in_group);
        // What the viewer's app receives: everyone else in the group, as the permit allows.
        let others: Vec<&Member> = in_group
            .iter()
            .copied()
            .filter(|member| member.id != viewer)
            .collect();
        let payload = serde_json::to_value(others.reveal(&permit))?;
        columns.push((viewer, payload));
    }

    story.say("")?;
    let width = 40;
    let mut header = format!("{:<13}", "member");
    let mut separator = "─".repeat(13);
    for (viewer, _) in &columns {
        write!(
            header,
            "│ {:<width$}",
            format!("as member {viewer} sees it")
        )?;
        write!(separator, "┼{}", "─".repeat(width + 1))?;
    }
    story.say(header.trim_end())?;
    story.say(separator)?;
    for member in &in_group {
        let role = if member.role == Role::Admin {
            " (admin)"
        } else {
            ""
        };
        let mut line = format!("{:<13}", format!("{}{role}", member.id));
        for (viewer, payload) in &columns {
            let cell = if *viewer == member.id {
                String::from("(the viewer)")
            } else {
                roster_cell(payload, member.id)
            };
            write!(line, "│ {cell:<width$}")?;
        }
        story.say(line.trim_end())?;
    }
    story.say("")?;

    // One row in full, as the first viewer's app receives it.
    let (viewer, payload) = &columns[0];
    let row = payload
        .as_array()
        .and_then(|rows| rows.first())
        .ok_or("an empty roster")?;
    story.say(format_args!(
        "member {viewer}'s app, first row in full: {row}"
    ))?;
    Ok(())
}

/// The phone-book rule for `viewer`: the members whose number is in the viewer's contacts.
fn phone_book_rule(viewer: u64, contacts: &[Contact], in_group: &[&Member]) -> Audience {
    // Processing code reads the numbers to decide whom the viewer knows, and logs none of them.
    let book: HashSet<E164> = contacts
        .iter()
        .filter_map(|contact| E164::parse(&contact.number))
        .collect();
    let known = Known::among(in_group.iter().copied(), |member| {
        E164::parse(&member.phone).is_some_and(|number| book.contains(&number))
    });
    Disclosure::of([Kind::Phone, Kind::Name])
        .to(SubjectId::from(viewer), known)
        .because(PHONE_BOOK_RULE)
}

/// `name  phone` of member `id` in a roster payload.
fn roster_cell(payload: &Value, id: u64) -> String {
    let row = payload
        .as_array()
        .into_iter()
        .flatten()
        .find(|row| row["id"] == id);
    match row {
        Some(row) => format!(
            "{}  {}",
            row["display_name"].as_str().unwrap_or("?"),
            row["phone"].as_str().unwrap_or("?")
        ),
        None => String::from("(not in the roster)"),
    }
}

/// Sends a crash report with whatever the member's consent for Diagnostics allows, looked up
/// right before sending.
fn send_crash_report(
    story: &mut Story<'_>,
    consents: &SqliteConsentStore,
    report: &CrashReport,
) -> Result<(), Box<dyn Error>> {
    let member = report.subject().ok_or("a crash report names its member")?;
    match consents.consent::<Diagnostics>(&member) {
        Ok(consent) => {
            story.say(format_args!(
                "consent::<Diagnostics>() -> granted in {}: sending what it covers",
                consent.grant_id()
            ))?;
            telemetry::emit_with(report, &consent);
        }
        Err(error) => {
            story.say(format_args!(
                "consent::<Diagnostics>() -> {error}: sending safe fields only"
            ))?;
            telemetry::emit(report);
        }
    }
    story.flush_logs()?;
    Ok(())
}

/// What the crash dialog shows and where: the evidence every answer to it is recorded with.
fn crash_dialog() -> Evidence {
    Evidence::new("crash dialog: 'send details with crash reports' v2")
        .notice("privacy notice 2026-10")
        .language("en")
        .jurisdiction("EU")
        .collected_by(CollectionMethod::Ui)
        .consent_type(ConsentType::Explicit)
        .controller("Kaizala Ltd")
}

/// The controller's receipts: what member 3 is given as evidence of their consent, naming them
/// by pseudonym.
fn receipts() -> Receipts {
    Receipts::new(
        Controller::new("Kaizala Ltd")
            .contact("Data Protection Officer")
            .address("1 Example Street, Dublin, Ireland")
            .email("privacy@kaizala.example")
            .phone("Kaizala privacy line"),
        "https://kaizala.example/privacy/2026-10",
        "Kaizala group messaging",
    )
    .pseudonymized()
}

fn no_consent(story: &mut Story<'_>, consents: &SqliteConsentStore) -> Result<(), Box<dyn Error>> {
    story.heading(
        section::NO_CONSENT,
        "Member 3's app crashes and asks to send details; member 3 says no. Look for: the \
         refusal is\nrecorded (not the same as never asked), and the telemetry event carries the \
         app version, the\nsignal and the screen, and nothing else: no member id, no IP address, \
         no draft. Not even a\nplaceholder.",
    )?;
    if let Some(path) = consents.path() {
        story.say(format_args!("consent store: {}", path.display()))?;
    }
    let member = SubjectId::from(3_u64);
    let refusal = consents.refuse(&member, Diagnostics, crash_dialog())?;
    story.say(format_args!(
        "recorded {}: {} {} at {}, evidence: {}",
        refusal.id,
        refusal.action.as_str(),
        refusal.purpose,
        utc(refusal.at),
        refusal.source
    ))?;
    send_crash_report(story, consents, &crash_report())
}

fn consent(story: &mut Story<'_>, consents: &SqliteConsentStore) -> Result<(), Box<dyn Error>> {
    story.heading(
        section::CONSENT,
        "Member 3 later ticks \"send details with crash reports\". Look for: the same report now \
         carries\nthe member id and the IP address (their fields say `purposes(Diagnostics)`), \
         and the audit\ntrail gets an event for it. The unsent draft is for Support only: a \
         Diagnostics consent\ndoes not reveal it, so it is still absent. Then the receipt member \
         3 is given.",
    )?;
    let member = SubjectId::from(3_u64);
    let grant = consents.grant(
        &member,
        Diagnostics,
        crash_dialog().valid_for(Duration::from_secs(90 * 86_400)),
    )?;
    story.say(format_args!(
        "recorded {}: {} {} at {}, until {}, evidence: {}",
        grant.id,
        grant.action.as_str(),
        grant.purpose,
        utc(grant.at),
        grant.expires_at.map_or_else(|| String::from("-"), utc),
        grant.source
    ))?;
    send_crash_report(story, consents, &crash_report())?;

    story.say("")?;
    story
        .say("the consent receipt (Kantara v1.1) given to member 3, who is named by pseudonym:")?;
    let receipt = receipts().kantara(&consents.history(&member)?, consents.clock().now())?;
    for line in serde_json::to_string_pretty(&receipt)?.lines() {
        story.say(format_args!("  {line}"))?;
    }
    Ok(())
}

fn withdrawal(
    story: &mut Story<'_>,
    consents: &SqliteConsentStore,
    dir: &TempDir,
) -> Result<(), Box<dyn Error>> {
    story.heading(
        section::WITHDRAWAL,
        "Member 3 changes their mind. Look for: the third report is anonymous again, and the \
         history\nkeeps the refusal, the grant and the withdrawal, on disk, after a restart.",
    )?;
    let member = SubjectId::from(3_u64);
    let withdrawn = consents.withdraw(&member, Diagnostics)?;
    story.say(format_args!(
        "recorded {}: {} {} at {}",
        withdrawn.id,
        withdrawn.action.as_str(),
        withdrawn.purpose,
        utc(withdrawn.at)
    ))?;
    send_crash_report(story, consents, &crash_report())?;

    // Another connection to the same file, as after a restart.
    let reopened = SqliteConsentStore::open(dir.path.join("consent.sqlite"))?;
    story.say("")?;
    story.say("member 3's consent history, read back from the file:")?;
    let history = reopened.history(&member)?;
    for record in &history {
        story.say(history_line(record))?;
    }
    let document = receipts().dpv(&history, reopened.clock().now())?;
    let statuses: Vec<&str> = document["@graph"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|record| record["dpv:hasConsentStatus"]["@id"].as_str())
        .collect();
    story.say(format_args!(
        "as W3C DPV JSON-LD (receipts().dpv): {} dpv:ConsentRecord, statuses {}",
        statuses.len(),
        statuses.join(", ")
    ))?;
    Ok(())
}

fn history_line(record: &ConsentRecord) -> String {
    let mut line = format!(
        "  {} {:<9} {:<11} at {}",
        record.id,
        record.action.as_str(),
        record.purpose,
        utc(record.at)
    );
    if let Some(until) = record.expires_at {
        let _ = write!(line, " until {}", utc(until));
    }
    if !record.source.is_empty() {
        let _ = write!(line, "  ({})", record.source);
    }
    line
}

fn schema_inventory(story: &mut Story<'_>) -> Result<(), Box<dyn Error>> {
    story.heading(
        section::SCHEMA,
        "Every field of every type, read from the static schema the derive generates. Look \
         for: every\nfield has a class; the purposes are the only ones consent may ever reveal \
         a field for.",
    )?;
    story.say(format_args!(
        "  {:<14} {:<5} {:<12} {:<18} notes",
        "field", "class", "kind", "shown as"
    ))?;
    story.say("")?;
    for schema in [
        Organization::SCHEMA,
        Group::SCHEMA,
        Member::SCHEMA,
        Message::SCHEMA,
        CrashReport::SCHEMA,
    ] {
        print_schema(story, schema)?;
    }
    Ok(())
}

fn print_schema(story: &mut Story<'_>, schema: &Schema) -> io::Result<()> {
    let carries = match (schema.carries_pii, schema.carries_oii) {
        (true, true) => "carries PII and OII",
        (true, false) => "carries PII",
        (false, true) => "carries OII",
        (false, false) => "carries no personal data",
    };
    story.say(format_args!("{} ({carries})", schema.type_name))?;
    match schema.shape {
        Shape::Struct(fields) => {
            for field in fields {
                story.say(field_line(field))?;
            }
        }
        Shape::Enum(variants) => {
            for variant in variants {
                story.say(format_args!("  {}", variant.name))?;
                for field in variant.fields {
                    story.say(field_line(field))?;
                }
            }
        }
        Shape::Value { class, .. } => story.say(format_args!("  a single {class} value"))?,
        Shape::Tuple(_) | Shape::Map { .. } => story.say("  a container")?,
    }
    story.say("")
}

fn field_line(field: &Field) -> String {
    let kind = field.kind.map_or("", |kind| kind.as_str());
    let how = match (field.strategy, field.nested_schema()) {
        (Some(strategy), _) => strategy.to_string(),
        (None, Some(nested)) => format!("see {}", nested.type_name),
        (None, None) => String::new(),
    };
    let mut notes = Vec::new();
    if field.subject {
        notes.push(String::from("subject"));
    }
    if !field.purposes.is_empty() {
        notes.push(format!("purposes: {}", field.purposes.join(", ")));
    }
    let line = format!(
        "  {:<14} {:<5} {:<12} {:<18} {}",
        field.name,
        field.class.as_str(),
        kind,
        how,
        notes.join("; ")
    );
    line.trim_end().to_owned()
}

// ---------------------------------------------------------------------------------------------
// Plumbing.

/// Where a subscriber writes: a buffer the story empties as it goes.
#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Buffer {
    /// What was written since the last `take`.
    fn take(&self) -> String {
        let bytes = std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner));
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

impl Write for Buffer {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Buffer {
    type Writer = Buffer;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// A directory of its own under the system's temporary directory, removed on drop.
struct TempDir {
    path: PathBuf,
}

impl TempDir {
    fn new() -> io::Result<Self> {
        static COUNT: AtomicU32 = AtomicU32::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos();
        let path = std::env::temp_dir().join(format!(
            "kaizala-example-{}-{nanos}-{}",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir(&path)?;
        Ok(TempDir { path })
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// `2026-05-01 12:00:03.123 UTC`.
fn utc(at: SystemTime) -> String {
    let since = at.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = since.as_secs();
    let (days, rest) = (secs / 86_400, secs % 86_400);
    // Days to a civil date (proleptic Gregorian), after Howard Hinnant's `civil_from_days`.
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}.{:03} UTC",
        rest / 3600,
        rest / 60 % 60,
        rest % 60,
        since.subsec_millis()
    )
}
