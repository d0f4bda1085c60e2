//! Revealing: what a view shows in the clear for each permit, what stays redacted, and the audit
//! event every revealing write emits.

#![allow(dead_code)]

#[path = "fixture/capture.rs"]
mod capture;
#[path = "fixture/leak_check.rs"]
mod leak_check;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use capture::{captured, Format};
use privacy::consent::{ConsentError, ConsentStore, Evidence, ManualClock, MemoryConsentStore};
use privacy::purpose::{Diagnostics, Support};
use privacy::{Consent, Disclosure, Kind, Oii, Pii, Privacy, Reveal, SubjectId};

mod marker {
    pub const PHONE: &str = "QZPHONEX8R3T0958";
    pub const NAME: &str = "QZNAMEX7K2P9W4";
    pub const IP: &str = "QZIPX5V1N6M3";
    pub const NOTE: &str = "QZNOTEX2H8J4L7";
    pub const URL: &str = "QZURLX9D3F7G2";
    pub const NICK: &str = "QZNICKX1B5C3A";
    pub const ORG: &str = "QZORGX4S6Y1Q8";
    pub const SECRET: &str = "QZSECRETX3W9E5";
    pub const FRIEND_PHONE: &str = "QZFRIENDX6M2Q8";
    pub const ALL: &[&str] = &[PHONE, NAME, IP, NOTE, URL, NICK, ORG, SECRET, FRIEND_PHONE];
}

#[derive(Privacy)]
struct Member {
    #[safe]
    #[privacy(subject)]
    id: u64,
    #[pii(phone, redact = last(4), purposes(Support))]
    phone: String,
    #[pii(name)]
    name: String,
    #[pii(ip, purposes(Diagnostics))]
    ip: String,
    #[pii(message, purposes(Analytics))]
    note: String,
    #[pii(redact = skip)]
    secret: String,
    #[privacy(purposes(Support))]
    avatar: Avatar,
    #[privacy(purposes(Support, Diagnostics))]
    nick: Option<Pii<String>>,
    org: Oii<String>,
    friends: Vec<Friend>,
}

/// Nested without a subject of its own: inherits the member's.
#[derive(Privacy)]
struct Avatar {
    #[safe]
    size: u16,
    #[pii(custom = "photo_url")]
    url: String,
}

/// Nested with a subject of its own: another person.
#[derive(Privacy)]
struct Friend {
    #[safe]
    #[privacy(subject)]
    id: u64,
    #[pii(phone, purposes(Support))]
    phone: String,
}

fn member() -> Member {
    Member {
        id: 7,
        phone: marker::PHONE.into(),
        name: marker::NAME.into(),
        ip: marker::IP.into(),
        note: marker::NOTE.into(),
        secret: marker::SECRET.into(),
        avatar: Avatar {
            size: 64,
            url: marker::URL.into(),
        },
        nick: Some(Pii::new(marker::NICK.into())),
        org: Oii::new(marker::ORG.into()),
        friends: vec![Friend {
            id: 8,
            phone: marker::FRIEND_PHONE.into(),
        }],
    }
}

fn store() -> MemoryConsentStore {
    MemoryConsentStore::new()
}

fn consent<P: privacy::Purpose + Default>(store: &MemoryConsentStore, subject: &str) -> Consent<P> {
    let subject = SubjectId::from(subject);
    store
        .grant(&subject, P::default(), Evidence::new("test prompt v1"))
        .unwrap();
    store.consent::<P>(&subject).unwrap()
}

/// Runs `f` with its views audited in memory: a view shows raw values only once a sink has
/// accepted the record of them.
fn audited<R>(f: impl FnOnce() -> R) -> R {
    privacy::audit::with_sink(Arc::new(privacy::audit::MemorySink::new()), f)
}

/// Which markers appear in `output`.
fn shown(output: &str) -> Vec<&'static str> {
    leak_check::shown(output, marker::ALL)
}

/// Debug and JSON of the view, with the audit events each wrote.
fn outputs(view: impl std::fmt::Debug + serde::Serialize) -> (String, String, String) {
    let mut debug = String::new();
    let mut json = String::new();
    let audit = captured(Format::Json, || {
        debug = format!("{view:?}");
        json = serde_json::to_string(&view).unwrap();
    });
    (debug, json, audit)
}

#[test]
fn consent_reveals_its_subjects_fields_for_its_purpose() {
    let store = store();
    let support = consent::<Support>(&store, "7");
    let (debug, json, _) = outputs(member().reveal(&support));
    // phone allows Support, and so do the fields that hold the avatar's url and the nick; ip is
    // Diagnostics-only and note Analytics-only; name and org name no purpose, so no consent
    // reveals them; the friend is someone else.
    let expected = [marker::PHONE, marker::URL, marker::NICK];
    assert_eq!(shown(&debug), expected, "{debug}");
    assert_eq!(shown(&json), expected, "{json}");
    assert!(debug.contains(r#"phone: "QZPHONEX8R3T0958""#), "{debug}");
    assert!(
        json.contains(r#""ip":"<pii:ip>""#) && json.contains(r#""note":"<pii:message>""#),
        "{json}"
    );
    assert!(
        debug.contains("friends: [Friend { id: 8, phone: <pii:phone> }]"),
        "{debug}"
    );
    assert!(
        !debug.contains(marker::SECRET) && !json.contains("secret"),
        "skip stays out"
    );
}

#[test]
fn consent_for_another_purpose_reveals_only_what_that_purpose_allows() {
    let store = store();
    let diagnostics = consent::<Diagnostics>(&store, "7");
    let (debug, json, _) = outputs(member().reveal(&diagnostics));
    let expected = [marker::IP, marker::NICK];
    assert_eq!(shown(&debug), expected, "{debug}");
    assert_eq!(shown(&json), expected, "{json}");
    assert!(debug.contains(r#"phone: <pii:phone …"0958">"#), "{debug}");
}

#[test]
fn consent_of_another_subject_reveals_nothing_of_this_one_but_its_own_values() {
    let store = store();
    let friend = consent::<Support>(&store, "8");
    let (debug, json, _) = outputs(member().reveal(&friend));
    assert_eq!(shown(&debug), [marker::FRIEND_PHONE], "{debug}");
    assert_eq!(shown(&json), [marker::FRIEND_PHONE], "{json}");
    let stranger = consent::<Support>(&store, "99");
    let (debug, json, audit) = outputs(member().reveal(&stranger));
    assert!(
        shown(&debug).is_empty() && shown(&json).is_empty(),
        "{debug} {json}"
    );
    assert_eq!(
        debug,
        format!("{:?}", member()),
        "revealing nothing is the plain redacted output"
    );
    assert_eq!(json, serde_json::to_string(&member()).unwrap());
    assert!(
        audit.is_empty(),
        "a reveal that shows nothing emits nothing: {audit}"
    );
}

#[test]
fn expired_consent_reveals_nothing() {
    audited(|| {
        let clock = Arc::new(ManualClock::new(
            SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000),
        ));
        let store = MemoryConsentStore::with_clock(clock.clone());
        let alice = SubjectId::from("7");
        store
            .grant(
                &alice,
                Support,
                Evidence::new("prompt").valid_for(Duration::from_secs(60)),
            )
            .unwrap();
        let support = store.consent::<Support>(&alice).unwrap();
        assert!(!shown(&format!("{:?}", member().reveal(&support))).is_empty());
        clock.advance(Duration::from_secs(61));
        assert!(support.is_expired());
        let (debug, json, audit) = outputs(member().reveal(&support));
        assert!(
            shown(&debug).is_empty() && shown(&json).is_empty() && audit.is_empty(),
            "{debug}"
        );
        assert!(matches!(
            store.consent::<Support>(&alice),
            Err(ConsentError::Expired { .. })
        ));
    });
}

#[test]
fn withdrawn_consent_cannot_be_had_again() {
    let store = store();
    let alice = SubjectId::from("7");
    store
        .grant(&alice, Support, Evidence::new("prompt"))
        .unwrap();
    store.withdraw(&alice, Support).unwrap();
    assert!(matches!(
        store.consent::<Support>(&alice),
        Err(ConsentError::Withdrawn { .. })
    ));
}

#[test]
fn disclosure_by_kind_reveals_that_kind_for_any_subject() {
    let rule = Disclosure::of([Kind::Phone]).because("the viewer has them in their phone book");
    let (debug, json, _) = outputs(member().reveal(&rule));
    assert_eq!(
        shown(&debug),
        [marker::PHONE, marker::FRIEND_PHONE],
        "{debug}"
    );
    assert_eq!(
        shown(&json),
        [marker::PHONE, marker::FRIEND_PHONE],
        "{json}"
    );
}

#[test]
fn disclosure_by_field_path() {
    let by_type = Disclosure::of([privacy::field!(Avatar.url), privacy::field!(Member.name)])
        .because("the member's public profile");
    let (debug, _, _) = outputs(member().reveal(&by_type));
    assert_eq!(shown(&debug), [marker::NAME, marker::URL], "{debug}");
    let by_path = Disclosure::of([privacy::field!(Member.friends.phone)])
        .because("the member's own contact list");
    let (debug, json, _) = outputs(member().reveal(&by_path));
    assert_eq!(shown(&debug), [marker::FRIEND_PHONE], "{debug}");
    assert_eq!(shown(&json), [marker::FRIEND_PHONE], "{json}");
    // The friend's phone of a friend on their own: not reached through `Member.friends`.
    let friend = Friend {
        id: 8,
        phone: marker::FRIEND_PHONE.into(),
    };
    let (debug, json, _) = outputs(friend.reveal(&by_path));
    assert!(
        shown(&debug).is_empty() && shown(&json).is_empty(),
        "{debug}"
    );
    let wrapped = Disclosure::of([privacy::field!(Member.nick)]).because("the member's own page");
    let (debug, json, _) = outputs(member().reveal(&wrapped));
    assert_eq!(shown(&debug), [marker::NICK], "{debug}");
    assert_eq!(shown(&json), [marker::NICK], "{json}");
}

#[test]
fn containers_of_classified_values() {
    audited(|| {
        let members = vec![member(), member()];
        let by_id: BTreeMap<u64, Member> = BTreeMap::from([(1, member())]);
        let rule = Disclosure::of([Kind::Name]).because("roster");
        let text = format!("{:?}", members.reveal(&rule));
        assert_eq!(text.matches(marker::NAME).count(), 2, "{text}");
        let json = serde_json::to_string(&Some(member()).reveal(&rule)).unwrap();
        assert_eq!(shown(&json), [marker::NAME]);
        let boxed: Box<[Member]> = vec![member()].into_boxed_slice();
        assert_eq!(shown(&format!("{:?}", boxed.reveal(&rule))), [marker::NAME]);
        let _ = by_id;
    });
}

/// A permit of the test's own that allows every value: no permit of the crate's names a
/// wrapper on its own (it has no field, kind or subject).
struct Everything;

impl privacy::Permit for Everything {
    fn allows(&self, _: &privacy::FieldRef<'_>, _: Option<&SubjectId>) -> bool {
        true
    }

    fn audit(&self) -> privacy::PermitAudit<'_> {
        privacy::PermitAudit {
            kind: "test",
            basis: "every value",
            subject: None,
            grant: None,
            viewer: None,
        }
    }
}

#[test]
fn wrappers_reveal_through_display_debug_and_serialize() {
    audited(|| {
        let store = store();
        let phone = Pii::new("QZPHONEX8R3T0958".to_owned());
        let rule = Everything;
        assert_eq!(format!("{}", phone.reveal(&rule)), marker::PHONE);
        assert_eq!(
            format!("{:?}", phone.reveal(&rule)),
            format!("{:?}", marker::PHONE)
        );
        assert_eq!(
            serde_json::to_string(&phone.reveal(&rule)).unwrap(),
            format!("{:?}", marker::PHONE)
        );
        // A wrapper on its own has no subject: a consent, bound to one, reveals nothing.
        let support = consent::<Support>(&store, "7");
        assert_eq!(format!("{}", phone.reveal(&support)), "<pii>");
    });
}

#[test]
fn every_revealing_write_emits_one_audit_event_without_values() {
    let store = store();
    let support = consent::<Support>(&store, "7");
    let grant = support.grant_id().to_string();
    let view = member();
    let audit = captured(Format::Json, || {
        let _ = format!("{:?}", view.reveal(&support));
        let _ = serde_json::to_string(&view.reveal(&support)).unwrap();
    });
    let events: Vec<serde_json::Value> = audit
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(events.len(), 2, "{audit}");
    for event in &events {
        assert_eq!(event["target"], "privacy::audit");
        let fields = &event["fields"];
        assert_eq!(fields["type_name"], "Member");
        assert_eq!(fields["fields"], "phone,avatar.url,nick");
        assert_eq!(fields["permit"], "consent");
        assert_eq!(fields["basis"], "support");
        assert_eq!(fields["grant"], grant.as_str());
        let subject = fields["subject"].as_str().unwrap();
        assert!(
            subject.starts_with('#') && subject != "7",
            "the subject is a pseudonym: {subject}"
        );
    }
    assert!(
        shown(&audit).is_empty(),
        "no value in the audit trail: {audit}"
    );
    let rule = Disclosure::of([Kind::Phone]).because("phone book");
    let text = captured(Format::Text, || {
        let _ = format!("{:?}", view.reveal(&rule));
    });
    assert!(
        text.contains(r#"permit="disclosure" basis="phone book""#),
        "{text}"
    );
    assert!(text.contains("fields=phone,friends.phone"), "{text}");
    assert!(shown(&text).is_empty(), "{text}");
}

#[derive(Privacy)]
#[serde(tag = "type", content = "data", rename_all = "snake_case")]
enum Event {
    Called {
        #[safe]
        #[privacy(subject)]
        caller: u64,
        #[pii(phone, redact = last(2), purposes(Support))]
        number: String,
    },
    Note(Avatar),
    Nothing,
}

#[test]
fn enums_and_serde_shapes_reveal_too() {
    audited(|| {
        let rule = Disclosure::of([Kind::Phone, Kind::Custom("photo_url")]).because("test");
        let called = Event::Called {
            caller: 3,
            number: marker::PHONE.into(),
        };
        assert_eq!(
            serde_json::to_string(&called.reveal(&rule)).unwrap(),
            format!(
                r#"{{"type":"called","data":{{"caller":3,"number":"{}"}}}}"#,
                marker::PHONE
            )
        );
        let note = Event::Note(Avatar {
            size: 1,
            url: marker::URL.into(),
        });
        assert_eq!(
            format!("{:?}", note.reveal(&rule)),
            format!(r#"Note(Avatar {{ size: 1, url: "{}" }})"#, marker::URL)
        );
        assert_eq!(
            serde_json::to_string(&Event::Nothing.reveal(&rule)).unwrap(),
            r#"{"type":"nothing"}"#
        );
        let store = store();
        let support = consent::<Support>(&store, "3");
        assert!(
            format!("{:?}", called.reveal(&support)).contains(marker::PHONE),
            "the variant names its subject"
        );
    });
}

#[test]
fn a_validity_longer_than_time_itself_never_expires() {
    let store = store();
    let alice = SubjectId::from("7");
    let record = store
        .grant(
            &alice,
            Support,
            Evidence::new("prompt").valid_for(Duration::MAX),
        )
        .unwrap();
    assert_eq!(record.expires_at, None);
    assert!(store.consent::<Support>(&alice).is_ok());
}
