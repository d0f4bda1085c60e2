//! Audiences: the phone-book rule. A group roster shows a member's phone number and name only to
//! a viewer whose own contacts hold that number; everything else stays redacted, and every
//! revealing write is audited with the viewer and the members shown as pseudonyms.

#[path = "fixture/capture.rs"]
mod capture;
#[path = "fixture/leak_check.rs"]
mod leak_check;

use std::collections::HashSet;

use capture::{captured, Format};
use privacy::audience::{Audience, Known, E164};
use privacy::{Classified, Disclosure, Kind, Oii, Pii, Privacy, Reveal, SubjectId};

const REASON: &str = "the viewer has this member's number in their phone book";

/// Planted values: names and the other classified fields are upper-case markers; phone numbers
/// are real-looking international numbers, since the rule has to read them.
mod marker {
    pub const TOPIC: &str = "QZTOPICX2C8V6";
    pub const NAMES: [&str; 4] = ["QZANNX7K2P", "QZBOBX3J7M", "QZCHENX8R3T", "QZDARAX5V1N"];
    pub const PHONES: [&str; 4] = [
        "+44 7700 900111",
        "+1 (202) 555-0147",
        "+91 98765 43210",
        "+33 6 12 34 56 78",
    ];
    /// The same numbers as E.164 digits, which must not appear anywhere either.
    pub const PHONE_DIGITS: [&str; 4] =
        ["447700900111", "12025550147", "919876543210", "33612345678"];
    pub const EMAILS: [&str; 4] = ["QZMAILXANN", "QZMAILXBOB", "QZMAILXCHEN", "QZMAILXDARA"];
    pub const STATUSES: [&str; 4] = ["QZSTATXANN", "QZSTATXBOB", "QZSTATXCHEN", "QZSTATXDARA"];
    pub const URLS: [&str; 4] = ["QZURLXANN", "QZURLXBOB", "QZURLXCHEN", "QZURLXDARA"];
    pub const NICKS: [&str; 4] = ["QZNICKXANN", "QZNICKXBOB", "QZNICKXCHEN", "QZNICKXDARA"];
    pub const ORGS: [&str; 4] = ["QZORGXANN", "QZORGXBOB", "QZORGXCHEN", "QZORGXDARA"];
    /// Member ids, safe in the roster but never raw in the audit trail.
    pub const IDS: [u64; 4] = [918_273_001, 918_273_002, 918_273_003, 918_273_004];
}

const ANN: usize = 0;
const BOB: usize = 1;
const CHEN: usize = 2;
const DARA: usize = 3;

#[derive(Privacy)]
struct Group {
    #[safe]
    id: u32,
    #[pii(message)]
    topic: String,
    members: Vec<Member>,
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
    #[pii(message)]
    status: String,
    avatar: Avatar,
    nickname: Option<Pii<String>>,
    org: Oii<String>,
}

/// Nested without a subject: inherits the member's.
#[derive(Privacy)]
struct Avatar {
    #[safe]
    size: u16,
    #[pii(custom = "photo_url")]
    url: String,
}

/// A type that names no subject.
#[derive(Privacy)]
struct Anonymous {
    #[pii(phone)]
    phone: String,
}

fn member(i: usize) -> Member {
    Member {
        id: marker::IDS[i],
        name: marker::NAMES[i].into(),
        phone: marker::PHONES[i].into(),
        email: format!("{}@example.com", marker::EMAILS[i]),
        status: marker::STATUSES[i].into(),
        avatar: Avatar {
            size: 64,
            url: marker::URLS[i].into(),
        },
        nickname: Some(Pii::new(marker::NICKS[i].into())),
        org: Oii::new(marker::ORGS[i].into()),
    }
}

fn group() -> Group {
    Group {
        id: 5,
        topic: marker::TOPIC.into(),
        members: (0..4).map(member).collect(),
    }
}

/// Ann's phone book: Bob and Dara written differently from how they wrote their own numbers,
/// and someone outside the group.
fn ann_contacts() -> Vec<Pii<String>> {
    ["+12025550147", "+33 612 345 678", "+49 30 1234567"]
        .map(|n| Pii::new(n.to_owned()))
        .into()
}

/// Chen's phone book: Ann in international form, and Bob in national form, which cannot be
/// compared without knowing the country and so matches nothing.
fn chen_contacts() -> Vec<Pii<String>> {
    ["+44-7700-900111", "(202) 555-0147"]
        .map(|n| Pii::new(n.to_owned()))
        .into()
}

fn subject(i: usize) -> SubjectId {
    member(i).subject().unwrap()
}

/// The subjects in `group` whose number is in `contacts`, compared in processing code.
fn known(group: &Group, contacts: &[Pii<String>]) -> Known {
    let book: HashSet<E164> = contacts
        .iter()
        .filter_map(|c| E164::parse(c.expose()))
        .collect();
    Known::among(&group.members, |m| {
        E164::parse(&m.phone).is_some_and(|n| book.contains(&n))
    })
}

/// The phone-book rule for `viewer` looking at `group`.
fn phone_book(viewer: usize, contacts: &[Pii<String>], group: &Group) -> Audience {
    Disclosure::of([Kind::Phone, Kind::Name])
        .to(subject(viewer), known(group, contacts))
        .because(REASON)
}

/// Every planted value of a classified field, with what it is.
fn planted() -> Vec<(String, String)> {
    let mut all = vec![("topic".to_owned(), marker::TOPIC.to_owned())];
    for i in 0..4 {
        for (what, value) in [
            ("name", marker::NAMES[i]),
            ("phone", marker::PHONES[i]),
            ("phone digits", marker::PHONE_DIGITS[i]),
            ("email", marker::EMAILS[i]),
            ("status", marker::STATUSES[i]),
            ("url", marker::URLS[i]),
            ("nickname", marker::NICKS[i]),
            ("org", marker::ORGS[i]),
        ] {
            all.push((format!("{what} {i}"), value.to_owned()));
        }
    }
    all
}

/// Which planted values appear in `output`, as `what i`.
fn shown(output: &str) -> Vec<String> {
    leak_check::shown_by_name(output, planted())
}

/// Debug and JSON of a view, and the audit events the two writes emitted.
fn outputs(
    view: impl std::fmt::Debug + serde::Serialize,
) -> (String, String, Vec<serde_json::Value>) {
    let mut debug = String::new();
    let mut json = String::new();
    let audit = captured(Format::Json, || {
        debug = format!("{view:?}");
        json = serde_json::to_string(&view).unwrap();
    });
    let events = audit
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    (debug, json, events)
}

#[test]
fn each_viewer_sees_the_numbers_and_names_in_their_own_phone_book() {
    let group = group();
    let ann = phone_book(ANN, &ann_contacts(), &group);
    let (debug, json, _) = outputs(group.reveal(&ann));
    let expected = ["name 1", "phone 1", "name 3", "phone 3"];
    assert_eq!(shown(&debug), expected, "{debug}");
    assert_eq!(shown(&json), expected, "{json}");
    assert!(
        debug.contains(r#"name: "QZBOBX3J7M", phone: "+1 (202) 555-0147""#),
        "{debug}"
    );
    assert!(
        json.contains(r#""name":"QZDARAX5V1N","phone":"+33 6 12 34 56 78""#),
        "{json}"
    );

    let chen = phone_book(CHEN, &chen_contacts(), &group);
    let (debug, json, _) = outputs(group.reveal(&chen));
    assert_eq!(shown(&debug), ["name 0", "phone 0"], "{debug}");
    assert_eq!(shown(&json), ["name 0", "phone 0"], "{json}");
}

#[test]
fn a_member_the_viewer_does_not_know_shows_only_the_redacted_phone() {
    let group = group();
    let ann = phone_book(ANN, &ann_contacts(), &group);
    let chen = &group.members[CHEN];
    let row = format!("{:?}", chen.reveal(&ann));
    assert_eq!(
        row,
        concat!(
            r#"Member { id: 918273003, name: <pii:name>, phone: <pii:phone …"3210">, "#,
            r#"email: <pii:email …@"example.com">, status: <pii:message>, "#,
            "avatar: Avatar { size: 64, url: <pii:photo_url> }, nickname: Some(<pii>), org: <oii> }",
        ),
    );
    assert_eq!(
        row,
        format!("{chen:?}"),
        "nothing of Chen is revealed to Ann"
    );
    assert_eq!(
        serde_json::to_string(&chen.reveal(&ann)).unwrap(),
        serde_json::to_string(chen).unwrap()
    );
    // Ann is not in her own phone book, so her own row is redacted too.
    let (debug, _, _) = outputs(group.members[ANN].reveal(&ann));
    assert!(
        debug.contains(r#"name: <pii:name>, phone: <pii:phone …"0111">"#),
        "{debug}"
    );
}

#[test]
fn every_other_classified_field_stays_redacted() {
    let group = group();
    for (viewer, contacts) in [(ANN, ann_contacts()), (CHEN, chen_contacts())] {
        let permit = phone_book(viewer, &contacts, &group);
        let (debug, json, _) = outputs(group.reveal(&permit));
        for output in [&debug, &json] {
            assert!(
                shown(output)
                    .iter()
                    .all(|what| what.starts_with("name ") || what.starts_with("phone ")),
                "{output}"
            );
        }
        assert!(debug.contains("topic: <pii:message>"), "{debug}");
        assert_eq!(debug.matches("status: <pii:message>").count(), 4, "{debug}");
        assert_eq!(debug.matches("url: <pii:photo_url>").count(), 4, "{debug}");
        assert_eq!(debug.matches("nickname: Some(<pii>)").count(), 4, "{debug}");
        assert_eq!(debug.matches("org: <oii>").count(), 4, "{debug}");
        assert_eq!(
            json.matches(r#""email":"<pii:email …@\"example.com\">""#)
                .count(),
            4,
            "{json}"
        );
    }
}

#[test]
fn a_number_in_national_form_matches_nothing() {
    let group = group();
    let chen = phone_book(CHEN, &chen_contacts(), &group);
    assert!(
        !chen.rule().contains(&subject(BOB)),
        "(202) 555-0147 has no country"
    );
    let (debug, _, _) = outputs(group.members[BOB].reveal(&chen));
    assert!(shown(&debug).is_empty(), "{debug}");
}

#[test]
fn each_revealing_write_emits_one_audit_event_naming_the_viewer_and_the_members_shown() {
    let group = group();
    let ann = phone_book(ANN, &ann_contacts(), &group);
    let (_, _, events) = outputs(group.reveal(&ann));
    assert_eq!(events.len(), 2, "one for Debug, one for JSON: {events:?}");
    let members = format!("{},{}", subject(BOB).pseudonym(), subject(DARA).pseudonym());
    for event in &events {
        assert_eq!(event["target"], "privacy::audit");
        let fields = &event["fields"];
        assert_eq!(fields["type_name"], "Group");
        // Each field path once, however many members showed it: the subjects say whose.
        assert_eq!(fields["fields"], "members.name,members.phone");
        assert_eq!(fields["permit"], "audience");
        assert_eq!(fields["basis"], REASON);
        assert_eq!(fields["viewer"], subject(ANN).pseudonym().to_string());
        assert_eq!(
            fields["subject"], members,
            "Bob and Dara, not the last member"
        );
        assert!(
            fields.get("grant").is_none(),
            "an audience has no grant: the field is left out"
        );
    }

    // Row by row: one event per row that showed something.
    let audit = captured(Format::Json, || {
        for member in &group.members {
            let _ = format!("{:?}", member.reveal(&ann));
        }
    });
    let subjects: Vec<String> = audit
        .lines()
        .map(|line| {
            let event: serde_json::Value = serde_json::from_str(line).unwrap();
            event["fields"]["subject"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(
        subjects,
        [
            subject(BOB).pseudonym().to_string(),
            subject(DARA).pseudonym().to_string()
        ]
    );
}

#[test]
fn the_audit_trail_holds_no_value_and_no_raw_id() {
    let group = group();
    let ann = phone_book(ANN, &ann_contacts(), &group);
    let chen = phone_book(CHEN, &chen_contacts(), &group);
    for format in [Format::Json, Format::Text] {
        let audit = captured(format, || {
            for permit in [&ann, &chen] {
                let _ = format!("{:?}", group.reveal(permit));
                let _ = serde_json::to_string(&group.reveal(permit)).unwrap();
            }
        });
        assert_eq!(audit.lines().count(), 4, "{audit}");
        assert!(shown(&audit).is_empty(), "{audit}");
        for id in marker::IDS {
            assert!(!audit.contains(&id.to_string()), "raw id {id} in {audit}");
        }
    }
}

#[test]
fn a_viewer_who_knows_nobody_sees_the_redacted_roster_and_nothing_is_audited() {
    let group = group();
    let stranger = phone_book(ANN, &[Pii::new("+49 30 1234567".to_owned())], &group);
    assert!(stranger.rule().is_empty());
    let (debug, json, events) = outputs(group.reveal(&stranger));
    assert_eq!(debug, format!("{group:?}"));
    assert_eq!(json, serde_json::to_string(&group).unwrap());
    assert!(events.is_empty(), "{events:?}");
}

#[test]
fn the_viewer_can_be_added_to_what_they_know() {
    let group = group();
    let mut known = known(&group, &ann_contacts());
    known.insert(subject(ANN));
    let ann = Disclosure::of([Kind::Phone, Kind::Name])
        .to(subject(ANN), known)
        .because("the viewer's own number, and the numbers in their phone book");
    let (debug, _, _) = outputs(group.reveal(&ann));
    assert_eq!(
        shown(&debug),
        ["name 0", "phone 0", "name 1", "phone 1", "name 3", "phone 3"],
        "{debug}"
    );
}

#[test]
fn a_closure_rule_with_field_targets() {
    let group = group();
    let bob = subject(BOB);
    let names_only = Disclosure::of([privacy::field!(Member.name)])
        .to(subject(CHEN), |s: &SubjectId| *s == bob)
        .because("the viewer follows this member");
    let (debug, json, events) = outputs(group.reveal(&names_only));
    assert_eq!(shown(&debug), ["name 1"], "{debug}");
    assert_eq!(shown(&json), ["name 1"], "{json}");
    assert_eq!(events[0]["fields"]["fields"], "members.name");
    assert_eq!(
        events[0]["fields"]["basis"],
        "the viewer follows this member"
    );
}

#[test]
fn values_about_nobody_are_never_shown() {
    let everyone = Disclosure::of([privacy::field!(Anonymous.phone)])
        .to(subject(ANN), |_: &SubjectId| true)
        .because("test: admits every subject");
    let anonymous = [Anonymous {
        phone: marker::PHONES[BOB].into(),
    }];
    assert_eq!(
        format!("{:?}", anonymous.reveal(&everyone)),
        "[Anonymous { phone: <pii:phone> }]"
    );
    assert!(
        Known::among(&anonymous, |_| true).is_empty(),
        "a value without a subject gives no subject to know"
    );
    let phones = Disclosure::of([Kind::Phone])
        .to(subject(ANN), |_: &SubjectId| true)
        .because("test: admits every subject");
    assert_eq!(
        format!("{:?}", anonymous.reveal(&phones)),
        "[Anonymous { phone: <pii:phone> }]"
    );
}

#[test]
fn an_audience_debug_names_no_one_in_the_clear() {
    let group = group();
    let ann = phone_book(ANN, &ann_contacts(), &group);
    let debug = format!("{ann:?}");
    assert!(
        debug.starts_with("Audience { targets: [Kind(Phone), Kind(Name)], reason: "),
        "{debug}"
    );
    assert!(debug.contains("viewer: SubjectId(#"), "{debug}");
    for id in marker::IDS {
        assert!(!debug.contains(&id.to_string()), "{debug}");
    }
    assert_eq!(ann.viewer(), &subject(ANN));
    assert_eq!(ann.reason(), REASON);
    assert_eq!(ann.rule().len(), 2);
    let known = format!("{:?}", ann.rule());
    assert!(known.starts_with("Known({SubjectId(#"), "{known}");
}

#[test]
fn e164_compares_numbers_written_in_international_form() {
    let plain = E164::parse("+12025550147").unwrap();
    for written in ["+1 (202) 555-0147", " +1.202.555.0147 ", "+1-202-555-0147"] {
        assert_eq!(E164::parse(written).as_ref(), Some(&plain), "{written}");
    }
    assert_eq!(plain.as_str(), "+12025550147");
    for unreadable in [
        "(202) 555-0147",      // national form
        "0012025550147",       // an international prefix instead of `+`
        "+44 (0)20 7946 0958", // a trunk prefix written in
        "+1 202 555 0147 x12", // an extension
        "+1 202 555 O147",     // a letter
        "+0 202 555 0147",     // no country code starts with 0
        "+123456",             // too short
        "+1234567890123456",   // too long
        "+",
        "",
    ] {
        assert_eq!(E164::parse(unreadable), None, "{unreadable}");
    }
    assert_eq!(format!("{plain:?}"), "E164(<pii:phone>)");
}
