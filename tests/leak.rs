//! Leak tests: unique markers planted in every classified field of a rich nested type never
//! appear in `{:?}` or `{:#?}`, while every safe value does.

// Like std's derive, the redacted `Debug` does not count as reading a field.
#![allow(dead_code)]

#[path = "fixture/leak_check.rs"]
mod leak_check;

use std::collections::BTreeMap;
use std::fmt;
use std::net::IpAddr;

use privacy::{Oii, Pii, Privacy};

/// Markers: upper-case letters and digits, so that no window of one occurs by chance in output
/// made of field names, placeholders and safe values.
mod marker {
    pub const NAME: &str = "QZNAMEX7K2P9W4";
    pub const PHONE: &str = "QZPHONEX8R3T0958";
    pub const EMAIL_LOCAL: &str = "QZMAILX5V1N6";
    pub const EMAIL_DOMAIN: &str = "mail.example";
    pub const MESSAGE: &str = "QZMSGX2H8J4L";
    pub const ORG: &str = "QZORGX9D3F7G";
    pub const TENANT: &str = "QZTENANTX4S6Y1";
    pub const NICK: &str = "QZNICKX1B5C3";
    pub const CARD: &str = "QZCARDX6M2Q8";
    pub const SKIPPED: &str = "QZSKIPX3W9E5";
    pub const AVATAR: &str = "QZAVATARX7U4I2";
    pub const KEY: &str = "QZKEYX8O1P6";
    pub const HASHED: &str = "QZHASHX4A9S2";
    pub const DEVICE: &str = "QZDEVICEX5Z7X3";
    pub const TOPIC: &str = "QZTOPICX2C8V6";
    pub const IP: &str = "203.0.113.77";
    pub const ALL: &[&str] = &[
        NAME,
        PHONE,
        EMAIL_LOCAL,
        MESSAGE,
        ORG,
        TENANT,
        NICK,
        CARD,
        SKIPPED,
        AVATAR,
        KEY,
        HASHED,
        DEVICE,
        TOPIC,
    ];
}

/// Safe values, which must appear.
mod safe {
    pub const MEMBER_ID: u64 = 918_273_645;
    pub const GROUP_ID: u32 = 5_647_382;
    pub const SIZE: u16 = 4_321;
    pub const LABEL: &str = "safe-label-visible";
}

#[derive(Privacy)]
struct Organization {
    #[oii(org_name)]
    name: String,
    #[oii(tenant_id, redact = hash)]
    tenant: String,
    groups: Vec<Group>,
}

#[derive(Privacy)]
struct Group {
    #[safe]
    id: u32,
    #[pii(message, redact = first(3))]
    topic: String,
    members: Vec<Member>,
    admins: BTreeMap<Pii<String>, Box<Member>>,
    pinned: Option<(Pii<String>, Avatar)>,
}

#[derive(Privacy)]
struct Member {
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
    ip: IpAddr,
    #[pii(message)]
    status: Option<String>,
    #[pii(payment_card, redact = hash)]
    card: String,
    #[pii(redact = skip)]
    password: String,
    nickname: Option<Pii<String>>,
    avatar: Avatar,
    contacts: Vec<Contact>,
    #[safe]
    label: &'static str,
}

#[derive(Privacy)]
struct Avatar {
    #[safe]
    size: u16,
    #[pii(custom = "photo_url")]
    url: String,
}

#[derive(Privacy)]
enum Contact {
    Device(#[pii(device_id, redact = first(2))] String),
    Org { org: Oii<String> },
    Nobody,
}

fn member() -> Member {
    Member {
        id: safe::MEMBER_ID,
        name: marker::NAME.into(),
        phone: marker::PHONE.into(),
        email: format!("{}@{}", marker::EMAIL_LOCAL, marker::EMAIL_DOMAIN),
        ip: marker::IP.parse().unwrap(),
        status: Some(marker::MESSAGE.into()),
        card: marker::CARD.into(),
        password: marker::SKIPPED.into(),
        nickname: Some(Pii::new(marker::NICK.into())),
        avatar: Avatar {
            size: safe::SIZE,
            url: marker::AVATAR.into(),
        },
        contacts: vec![
            Contact::Device(marker::DEVICE.into()),
            Contact::Org {
                org: Oii::new(marker::ORG.into()),
            },
            Contact::Nobody,
        ],
        label: safe::LABEL,
    }
}

fn organization() -> Organization {
    Organization {
        name: marker::ORG.into(),
        tenant: marker::TENANT.into(),
        groups: vec![Group {
            id: safe::GROUP_ID,
            topic: marker::TOPIC.into(),
            members: vec![member(), member()],
            admins: BTreeMap::from([(Pii::new(marker::KEY.into()), Box::new(member()))]),
            pinned: Some((
                Pii::new(marker::KEY.into()),
                Avatar {
                    size: safe::SIZE,
                    url: marker::AVATAR.into(),
                },
            )),
        }],
    }
}

/// Fails if any six-character window of a marker, or the whole IP address, appears in `output`
/// (see [`leak_check::assert_no_leak`]). `visible` lists the pieces a partial strategy may show.
fn assert_no_leak(output: &str, visible: &[&str]) {
    leak_check::assert_no_leak(output, marker::ALL, marker::IP, visible);
}

fn assert_safe_values_shown(output: &str) {
    let values = [
        safe::MEMBER_ID.to_string(),
        safe::GROUP_ID.to_string(),
        safe::SIZE.to_string(),
        safe::LABEL.to_owned(),
    ];
    leak_check::assert_safe_values_shown(output, values);
}

#[test]
fn nothing_classified_leaks_through_debug() {
    for output in [
        format!("{:?}", organization()),
        format!("{:#?}", organization()),
    ] {
        assert_no_leak(&output, &[]);
        assert_safe_values_shown(&output);
    }
}

#[test]
fn partial_strategies_show_only_their_part() {
    let output = format!("{:?}", member());
    // last(4): exactly the last four characters, nothing before them.
    assert!(output.contains(r#"phone: <pii:phone …"0958">"#), "{output}");
    let phone_prefix = &marker::PHONE[..marker::PHONE.len() - 4];
    for end in 1..=phone_prefix.len() {
        let tail_and_more = &marker::PHONE[marker::PHONE.len() - 4 - end..];
        assert!(
            !output.contains(tail_and_more),
            "more than four characters shown: {tail_and_more}"
        );
    }
    // email: the domain, never the local part.
    assert!(
        output.contains(r#"<pii:email …@"mail.example">"#),
        "{output}"
    );
    // first(2) on the device id, first(3) on the topic.
    assert!(
        output.contains(r#"Device(<pii:device_id "QZ"…>)"#),
        "{output}"
    );
    let group = format!("{:?}", organization());
    assert!(group.contains(r#"topic: <pii:message "QZT"…>"#), "{group}");
    // ip_prefix: the /24 network.
    assert!(output.contains("<pii:ip 203.0.113.0/24>"), "{output}");
}

#[test]
fn wrappers_leak_nothing_through_debug_or_display() {
    let pii = Pii::new(marker::NAME.to_owned());
    let oii = Oii::new(marker::ORG.to_owned());
    let output = format!("{pii:?} {pii} {pii:#?} {oii:?} {oii} {oii:>40} {pii:<40?}");
    assert_no_leak(&output, &[]);
}

struct Hostile;

impl fmt::Display for Hostile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(marker::NAME)
    }
}

impl privacy::strategy::Text for Hostile {
    fn with_text<R>(&self, f: impl FnOnce(&dyn fmt::Display) -> R) -> Option<R> {
        Some(f(self))
    }
}

#[derive(Privacy)]
struct Formatted {
    #[pii(name, redact = last(3))]
    value: Hostile,
}

#[test]
fn formatter_flags_do_not_widen_what_is_shown() {
    let value = Formatted { value: Hostile };
    for output in [
        format!("{value:?}"),
        format!("{value:>80?}"),
        format!("{value:#?}"),
        format!("{value:.2?}"),
    ] {
        assert_no_leak(&output, &["2P9W4"]);
        assert!(output.contains(r#"<pii:name …"9W4">"#), "{output}");
    }
}

#[test]
#[should_panic(expected = "leaked into")]
fn the_leak_check_catches_a_planted_leak() {
    assert_no_leak(&format!("name: {}", &marker::NAME[3..10]), &[]);
}

#[test]
fn nothing_classified_leaks_through_serialize() {
    let json = serde_json::to_string(&organization()).unwrap();
    let pretty = serde_json::to_string_pretty(&organization()).unwrap();
    let binary = postcard::to_allocvec(&organization()).unwrap();
    let binary = String::from_utf8_lossy(&binary).into_owned();
    for output in [&json, &pretty, &binary] {
        assert_no_leak(output, &[]);
    }
    assert_safe_values_shown(&json);
    assert_safe_values_shown(&pretty);
    assert!(binary.contains(safe::LABEL));
    assert!(
        json.contains(r#""phone":"<pii:phone …\"0958\">""#),
        "{json}"
    );
}

#[test]
fn wrappers_leak_nothing_through_serialize() {
    let values = (
        Pii::new(marker::NAME.to_owned()),
        Oii::new(marker::ORG.to_owned()),
        Some(Pii::new(marker::NICK)),
    );
    let json = serde_json::to_string(&values).unwrap();
    assert_eq!(json, r#"["<pii>","<oii>","<pii>"]"#);
    let binary = String::from_utf8_lossy(&postcard::to_allocvec(&values).unwrap()).into_owned();
    assert_no_leak(&binary, &[]);
}
