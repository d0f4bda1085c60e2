//! A group messaging service, told in short scenes.
//!
//! An organization runs a group; people join it with their names, phone numbers, e-mail
//! addresses and IP addresses, and post messages. Every field of the domain types below says
//! once whether it is PII, OII or safe, and from then on `{:?}`, `{:#?}` and every tracing log
//! line show only what the classification allows.
//!
//! Run it with `cargo run --example kaizala`: it needs no setup and no network.

// The fields of these types are read only by their redacted `Debug` here; the code of a real
// service would read them too.
#![allow(dead_code)]

use std::net::IpAddr;

use privacy::pseudonym::{self, PseudonymKey};
use privacy::{Classified, Field, Pii, Privacy, Schema, Shape};

/// A customer of the service: its name and tenant id identify it, so they are OII.
#[derive(Privacy)]
struct Organization {
    #[oii(org_name)]
    name: String,
    #[oii(tenant_id, redact = hash)]
    tenant_id: String,
    #[safe]
    plan: Plan,
}

#[derive(Debug, Clone, Copy, serde::Serialize)]
enum Plan {
    Free,
    Business,
}

/// A person in a group.
#[derive(Privacy)]
struct Member {
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
enum Role {
    Admin,
    Member,
}

/// A group: its title is written by people and often names them ("Priya's team"), so it is
/// PII of a kind the built-in list does not have.
#[derive(Privacy)]
struct Group {
    #[safe]
    id: u64,
    #[pii(custom = "group_title")]
    title: String,
    // No attributes: both types classify themselves.
    organization: Organization,
    members: Vec<Member>,
}

/// What someone wrote. Only the support team could ever be allowed to read it, and only with
/// the author's consent.
#[derive(Privacy)]
struct Message {
    #[safe]
    id: u64,
    #[safe]
    #[privacy(subject)]
    author: u64,
    #[pii(message, purposes(Support))]
    text: String,
    #[safe]
    attachments: u8,
}

fn main() -> Result<(), pseudonym::KeyError> {
    start_up()?;

    let organization = the_organization();
    let members = members_join();
    let group = the_group(organization, members);
    messages(&group);
    a_value_on_its_own(&group);
    an_export(&group);
    schema_inventory();
    Ok(())
}

/// A scene's title, and what to look for in what follows.
fn heading(title: &str, look_for: &str) {
    println!();
    println!("== {title} ==");
    println!("{look_for}");
    println!();
}

fn start_up() -> Result<(), pseudonym::KeyError> {
    heading(
        "0. Start-up: a pseudonym key and a log subscriber",
        "The key makes the pseudonyms of `redact = hash`; tracing writes to stdout.",
    );

    // In a real service the secret comes from a secret store, and its id (printed in every
    // pseudonym) says which key made a pseudonym. Install it before anything is formatted.
    let secret = b"kaizala demo secret: not for production use";
    pseudonym::install(PseudonymKey::new("demo", secret)?)?;
    println!("pseudonym key installed: {}", pseudonym::key_id());

    tracing_subscriber::fmt()
        .with_writer(std::io::stdout)
        .with_target(false)
        .without_time()
        .init();
    tracing::info!("log lines from here on go through tracing");
    Ok(())
}

fn the_organization() -> Organization {
    heading(
        "1. The organization: OII",
        "Its name is hidden; its tenant id is shown as a keyed pseudonym.",
    );

    let organization = Organization {
        name: "Contoso Health".into(),
        tenant_id: "3f2b8c1e-7d4a-4e59-9a61-0c5d2e8b7f14".into(),
        plan: Plan::Business,
    };
    // The name is hidden; the tenant id becomes a keyed pseudonym, so that support can tell
    // which log lines are about the same tenant without learning which tenant it is.
    println!("{organization:?}");
    tracing::info!(organization = ?organization, "organization signed up");
    organization
}

fn members_join() -> Vec<Member> {
    heading(
        "2. Members join: PII",
        "Names are hidden, phones keep their last 4 digits, e-mail addresses become keyed \
         pseudonyms,\nIP addresses keep their network.",
    );

    let members = vec![
        Member {
            id: 1,
            display_name: "Priya Raman".into(),
            phone: "+44 20 7946 0958".into(),
            email: "priya@contoso.example".into(),
            last_ip: "203.0.113.24".parse().expect("a valid address"),
            role: Role::Admin,
        },
        Member {
            id: 2,
            display_name: "Tomás Ortega".into(),
            phone: "+1 425 555 0143".into(),
            email: "tomas@contoso.example".into(),
            last_ip: "2001:db8:85a3:8d3:1319:8a2e:370:7348"
                .parse()
                .expect("a valid address"),
            role: Role::Member,
        },
        Member {
            id: 3,
            display_name: "Wanjiru Kamau".into(),
            phone: "+254 20 555 0177".into(),
            email: "wanjiru@fabrikam.example".into(),
            last_ip: "198.51.100.7".parse().expect("a valid address"),
            role: Role::Member,
        },
    ];

    // Names are hidden, phones keep their last four digits, e-mails become pseudonyms (equal
    // addresses give equal pseudonyms), and IP addresses keep only their network.
    for member in &members {
        tracing::info!(member = ?member, "joined group");
    }

    println!();
    println!("One member, pretty-printed with {{:#?}}:");
    println!("{:#?}", members[0]);
    members
}

fn the_group(organization: Organization, members: Vec<Member>) -> Group {
    heading(
        "3. The group: nested types redact themselves",
        "The group holds its organization and its members; each of them redacts itself.",
    );

    let group = Group {
        id: 42,
        title: "Ward 7 night shift".into(),
        organization,
        members,
    };
    let admins = group
        .members
        .iter()
        .filter(|member| member.role == Role::Admin)
        .count();
    tracing::info!(group = group.id, admins, "group created");
    println!("{group:#?}");
    group
}

fn messages(group: &Group) {
    heading(
        "4. Messages: hidden, whoever wrote them",
        "Message text is hidden, even when it holds a phone number. The member who leaves\n\
         has the e-mail pseudonym they had when they joined.",
    );

    let posted = [
        Message {
            id: 100,
            author: 1,
            text: "Handover at 7, bed 12 needs a check at midnight".into(),
            attachments: 0,
        },
        Message {
            id: 101,
            author: 3,
            text: "Running late, call me on +254 20 555 0177".into(),
            attachments: 1,
        },
    ];
    for message in &posted {
        // (`message` is the name tracing gives an event's text, so the field is called `post`.)
        tracing::info!(group = group.id, post = ?message, "message posted");
    }

    // The same member logged again later: the pseudonym of the e-mail address is the one
    // logged when they joined, so the two lines can be put together without the address.
    let leaving = &group.members[2];
    tracing::info!(member = ?leaving, "left group");
}

fn a_value_on_its_own(group: &Group) {
    heading(
        "5. A value on its own: the Pii<T> wrapper",
        "A phone number outside any struct, in a `Pii<String>`: it prints as <pii>.",
    );

    // A phone number typed into an invitation travels through functions without a struct
    // around it; the wrapper carries its classification along.
    let invitee = Pii::new(String::from("+44 20 7946 0321"));
    let sender = &group.members[0];
    invite(sender, &invitee);
}

fn invite(sender: &Member, phone: &Pii<String>) {
    // Processing code reads the value with `expose`; it never logs what `expose` returns.
    let country = if phone.expose().starts_with("+44") {
        "GB"
    } else {
        "other"
    };
    tracing::info!(from = sender.id, phone = ?phone, country, "invitation sent");
}

fn an_export(group: &Group) {
    heading(
        "6. A JSON export: Serialize is redacted too",
        "The same fields as in the log lines, under the names serde would use, redacted the same way.",
    );
    let json = serde_json::to_string_pretty(&group.members[1]).expect("a member serializes");
    println!("{json}");
}

fn schema_inventory() {
    heading(
        "7. What the types hold: the schema inventory",
        "Every field of every type, read from the static schema the derive generates.",
    );
    println!(
        "  {:<14} {:<5} {:<12} {:<18} notes",
        "field", "class", "kind", "shown as"
    );
    println!();

    for schema in [
        Organization::SCHEMA,
        Member::SCHEMA,
        Group::SCHEMA,
        Message::SCHEMA,
    ] {
        print_schema(schema);
    }
}

fn print_schema(schema: &Schema) {
    let carries = match (schema.carries_pii, schema.carries_oii) {
        (true, true) => "carries PII and OII",
        (true, false) => "carries PII",
        (false, true) => "carries OII",
        (false, false) => "carries no personal data",
    };
    println!("{} ({carries})", schema.type_name);
    match schema.shape {
        Shape::Struct(fields) => fields.iter().for_each(print_field),
        Shape::Enum(variants) => {
            for variant in variants {
                println!("  {}", variant.name);
                variant.fields.iter().for_each(print_field);
            }
        }
        Shape::Value { class, .. } => println!("  a single {class} value"),
        Shape::Tuple(_) | Shape::Map { .. } => println!("  a container"),
    }
    println!();
}

fn print_field(field: &Field) {
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
    println!("{}", line.trim_end());
}
