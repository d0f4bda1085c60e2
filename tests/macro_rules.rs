//! Types declared by a `macro_rules!` macro derive like any other: the generated code reads
//! `self` and its own bindings in the derive's context, whatever context the field types were
//! written in (the macro's definition, or its caller's tokens).

use privacy::consent::{ConsentStore, Evidence, MemoryConsentStore};
use privacy::purpose::Support;
use privacy::{Privacy, Reveal, SubjectId};

#[path = "fixture/capture.rs"]
mod capture;

/// A struct and an enum whose field types come from the caller (`$ty`) and from the macro's own
/// body.
macro_rules! domain {
    ($name:ident, $event:ident, $text:ty, $number:ty) => {
        #[derive(Privacy)]
        pub struct $name {
            #[safe]
            #[privacy(subject)]
            pub id: $number,
            #[pii(phone, redact = last(4), purposes(Support))]
            pub phone: $text,
            #[pii(email, redact = email, purposes(Support))]
            pub email: String,
            #[pii(name, purposes(Support))]
            pub name: $text,
            #[pii(ip, redact = ip_prefix)]
            pub ip: std::net::IpAddr,
            #[pii(account_id, redact = hash)]
            pub account: $text,
            pub nickname: Option<privacy::Pii<$text>>,
        }

        #[derive(Privacy)]
        pub enum $event {
            Joined {
                #[safe]
                #[privacy(subject)]
                id: $number,
                #[pii(phone, redact = last(2), purposes(Support))]
                phone: $text,
            },
            Renamed(#[pii(name, redact = first(1))] $text, #[safe] $number),
            Left,
        }
    };
}

domain!(Member, Event, String, u64);

fn member() -> Member {
    Member {
        id: 7,
        phone: "+44 20 7946 0958".into(),
        email: "ann@example.com".into(),
        name: "Ann Example".into(),
        ip: "203.0.113.7".parse().unwrap(),
        account: "acct-4471".into(),
        nickname: Some(privacy::Pii::new("Annie".into())),
    }
}

#[test]
fn debug_and_serialize_of_types_a_macro_declares() {
    let member = member();
    let debug = format!("{member:?}");
    assert!(
        debug.starts_with(concat!(
            r#"Member { id: 7, phone: <pii:phone …"0958">, email: <pii:email …@"example.com">, "#,
            r#"name: <pii:name>, ip: <pii:ip 203.0.113.0/24>, account: <pii:account_id #"#,
        )),
        "{debug}"
    );
    assert!(debug.ends_with(", nickname: Some(<pii>) }"), "{debug}");
    let json = serde_json::to_value(&member).unwrap();
    assert_eq!(json["id"], 7);
    assert_eq!(json["phone"], r#"<pii:phone …"0958">"#);
    assert_eq!(json["name"], "<pii:name>");

    let joined = Event::Joined {
        id: 7,
        phone: "5550134".into(),
    };
    assert_eq!(
        format!("{joined:?}"),
        r#"Joined { id: 7, phone: <pii:phone …"34"> }"#
    );
    let renamed = Event::Renamed("Ann".into(), 2);
    assert_eq!(format!("{renamed:?}"), r#"Renamed(<pii:name "A"…>, 2)"#);
    assert_eq!(
        serde_json::to_string(&renamed).unwrap(),
        r#"{"Renamed":["<pii:name \"A\"…>",2]}"#
    );
    assert_eq!(format!("{:?}", Event::Left), "Left");
}

#[test]
fn reveal_of_types_a_macro_declares() {
    // Views show raw values once their record is accepted: here, kept in memory.
    let audit = std::sync::Arc::new(privacy::audit::MemorySink::new());
    privacy::audit::with_sink(audit, reveal_them);
}

fn reveal_them() {
    let store = MemoryConsentStore::new();
    let subject = SubjectId::from(7u64);
    store
        .grant(&subject, Support, Evidence::new("support chat"))
        .unwrap();
    let consent = store.consent::<Support>(&subject).unwrap();
    let member = member();
    let revealed = format!("{:?}", member.reveal(&consent));
    assert!(
        revealed.starts_with(
            r#"Member { id: 7, phone: "+44 20 7946 0958", email: "ann@example.com", name: "Ann Example", "#
        ),
        "{revealed}"
    );
    let json = serde_json::to_value(member.reveal(&consent)).unwrap();
    assert_eq!(json["name"], "Ann Example");
    let joined = Event::Joined {
        id: 7,
        phone: "5550134".into(),
    };
    assert_eq!(
        format!("{:?}", joined.reveal(&consent)),
        r#"Joined { id: 7, phone: "5550134" }"#
    );
}

/// A struct whose fields, attributes and types all come from the caller.
macro_rules! record {
    ($name:ident { $($(#[$attr:meta])* $field:ident: $ty:ty),* $(,)? }) => {
        #[derive(Privacy)]
        pub struct $name {
            $($(#[$attr])* pub $field: $ty,)*
        }
    };
}

record!(Contact {
    #[safe]
    id: u32,
    #[pii(phone, redact = last(4))]
    #[serde(rename = "tel")]
    phone: String,
    #[pii(name)]
    name: String,
});

#[test]
fn fields_a_macro_is_given() {
    let contact = Contact {
        id: 3,
        phone: "+44 20 7946 0958".into(),
        name: "Ann".into(),
    };
    assert_eq!(
        format!("{contact:?}"),
        r#"Contact { id: 3, phone: <pii:phone …"0958">, name: <pii:name> }"#
    );
    assert_eq!(
        serde_json::to_string(&contact).unwrap(),
        r#"{"id":3,"tel":"<pii:phone …\"0958\">","name":"<pii:name>"}"#
    );
}

/// Telemetry types, one nested in the other, with `valuable` too when it is on.
macro_rules! telemetry_types {
    () => {
        #[derive(Privacy)]
        #[privacy(telemetry)]
        pub struct Device {
            #[safe]
            pub os: &'static str,
        }

        #[derive(Privacy)]
        #[privacy(telemetry)]
        pub struct Crash {
            #[safe]
            #[privacy(subject)]
            pub member: u64,
            #[pii(ip, purposes(Support))]
            pub client_ip: std::net::IpAddr,
            pub device: Device,
        }

        #[derive(Privacy)]
        #[serde(tag = "type", content = "body")]
        pub enum Note {
            Text {
                #[pii(message)]
                #[serde(rename = "text")]
                body: String,
            },
            Ping(#[safe] u8),
        }
    };
}

telemetry_types!();

#[test]
fn telemetry_and_enums_a_macro_declares() {
    let crash = Crash {
        member: 7,
        client_ip: "198.51.100.142".parse().unwrap(),
        device: Device { os: "android" },
    };
    let events = capture::captured(capture::Format::Text, || privacy::telemetry::emit(&crash));
    assert!(events.contains(r#"device.os="android""#), "{events}");
    assert!(!events.contains("198.51.100.142"), "{events}");
    let note = Note::Text {
        body: "call me".into(),
    };
    assert_eq!(
        serde_json::to_string(&note).unwrap(),
        r#"{"type":"Text","body":{"text":"<pii:message>"}}"#
    );
    assert_eq!(format!("{:?}", Note::Ping(1)), "Ping(1)");
}
