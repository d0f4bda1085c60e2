//! The redacted `Serialize`: the same shape serde's derive writes, with classified fields
//! replaced by their redacted text. Each type is checked against a plain twin that derives
//! `serde::Serialize` with the same serde attributes and holds the expected redacted text in
//! place of each classified value: both must give the same JSON and the same postcard bytes.

#![allow(dead_code)]
// `Option<Option<_>>` is a shape serde writes; the tests cover it on purpose.
#![allow(clippy::option_option)]

use std::collections::BTreeMap;
use std::net::IpAddr;

use privacy::{Oii, Pii, Privacy};
use serde::{Deserialize, Serialize};

/// Serializes both to JSON and postcard and asserts the bytes are equal; returns the JSON.
#[track_caller]
fn assert_same<A: Serialize, B: Serialize>(ours: &A, twin: &B) -> String {
    let json = serde_json::to_string(ours).expect("ours serializes to JSON");
    assert_eq!(
        json,
        serde_json::to_string(twin).unwrap(),
        "JSON differs from serde's derive"
    );
    let ours_bin = postcard::to_allocvec(ours).map_err(|e| e.to_string());
    let twin_bin = postcard::to_allocvec(twin).map_err(|e| e.to_string());
    assert_eq!(ours_bin, twin_bin, "postcard differs from serde's derive");
    json
}

#[derive(Privacy)]
struct Member {
    #[safe]
    id: u64,
    #[pii(name)]
    name: String,
    #[pii(phone, redact = last(4))]
    phone: String,
    #[pii(name, redact = first(2))]
    first: String,
    #[pii(email, redact = email)]
    email: String,
    #[pii(ip, redact = ip_prefix)]
    ip: IpAddr,
    #[oii(org_name)]
    org: String,
    #[pii(redact = skip)]
    password: String,
    #[pii(message)]
    status: Option<String>,
    nickname: Option<Pii<String>>,
    avatar: Avatar,
    tags: Vec<Oii<String>>,
}

#[derive(Serialize)]
struct MemberTwin {
    id: u64,
    name: &'static str,
    phone: &'static str,
    first: &'static str,
    email: &'static str,
    ip: &'static str,
    org: &'static str,
    status: &'static str,
    nickname: Option<&'static str>,
    avatar: AvatarTwin,
    tags: Vec<&'static str>,
}

#[derive(Privacy)]
struct Avatar {
    #[safe]
    size: u16,
    #[pii(custom = "photo_url", redact = first(8))]
    url: String,
}

#[derive(Serialize)]
struct AvatarTwin {
    size: u16,
    url: &'static str,
}

fn member() -> Member {
    Member {
        id: 7,
        name: "Alice Example".into(),
        phone: "+44 20 7946 0958".into(),
        first: "Alice".into(),
        email: "alice@example.com".into(),
        ip: "203.0.113.7".parse().unwrap(),
        org: "Contoso".into(),
        password: "hunter2".into(),
        status: Some("at lunch".into()),
        nickname: Some(Pii::new("Ali".into())),
        avatar: Avatar {
            size: 64,
            url: "https://cdn.example/a.png".into(),
        },
        tags: vec![Oii::new("vip".into())],
    }
}

#[test]
fn named_struct_with_every_strategy() {
    let twin = MemberTwin {
        id: 7,
        name: "<pii:name>",
        phone: r#"<pii:phone …"0958">"#,
        first: r#"<pii:name "Al"…>"#,
        email: r#"<pii:email …@"example.com">"#,
        ip: "<pii:ip 203.0.113.0/24>",
        org: "<oii:org_name>",
        status: "<pii:message>",
        nickname: Some("<pii>"),
        avatar: AvatarTwin {
            size: 64,
            url: r#"<pii:photo_url "https://"…>"#,
        },
        tags: vec!["<oii>"],
    };
    let json = assert_same(&member(), &twin);
    assert!(
        json.starts_with(r#"{"id":7,"name":"<pii:name>","phone":"<pii:phone …\"0958\">""#),
        "{json}"
    );
    assert!(!json.contains("password") && !json.contains("hunter2"));
}

#[derive(Privacy)]
struct Tuple(
    #[safe] u8,
    #[pii(phone, redact = last(2))] String,
    #[pii(redact = skip)] String,
);

#[derive(Serialize)]
struct TupleTwin(u8, &'static str);

#[derive(Privacy)]
struct Newtype(#[pii(email)] String);

#[derive(Serialize)]
struct NewtypeTwin(&'static str);

#[derive(Privacy)]
struct Unit;

#[derive(Serialize)]
struct UnitTwin;

#[test]
fn tuple_newtype_and_unit_structs() {
    assert_same(
        &Tuple(1, "5550134".into(), "x".into()),
        &TupleTwin(1, r#"<pii:phone …"34">"#),
    );
    assert_eq!(
        assert_same(&Newtype("a@b.c".into()), &NewtypeTwin("<pii:email>")),
        r#""<pii:email>""#
    );
    assert_eq!(assert_same(&Unit, &UnitTwin), "null");
}

#[derive(Privacy, Deserialize)]
#[serde(rename = "Person", rename_all = "camelCase")]
struct Renamed {
    #[safe]
    user_id: u64,
    #[pii(name)]
    display_name: String,
    #[pii(phone)]
    #[serde(rename = "tel")]
    phone_number: String,
    #[safe]
    #[serde(skip_serializing, default)]
    cache_hits: u32,
    #[safe]
    #[serde(skip)]
    scratch: u32,
    // `skip_serializing_if` is for safe fields: on a classified one it would show what the
    // predicate says of the raw value (tests/ui/serde_skip_if_on_classified.rs).
    #[pii(message)]
    status: Option<String>,
    #[safe]
    #[serde(skip_serializing_if = "Vec::is_empty", default, alias = "labels")]
    tags: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename = "Person", rename_all = "camelCase")]
struct RenamedTwin {
    user_id: u64,
    display_name: &'static str,
    #[serde(rename = "tel")]
    phone_number: &'static str,
    // The redacted form of a classified `Option` is a string, never `null`.
    status: &'static str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<String>,
}

#[test]
fn rename_rename_all_skip_and_skip_if() {
    let ours = Renamed {
        user_id: 1,
        display_name: "Zoe".into(),
        phone_number: "555".into(),
        cache_hits: 9,
        scratch: 3,
        status: None,
        tags: vec![],
    };
    let twin = RenamedTwin {
        user_id: 1,
        display_name: "<pii:name>",
        phone_number: "<pii:phone>",
        status: "<pii:message>",
        tags: vec![],
    };
    assert_eq!(
        assert_same(&ours, &twin),
        r#"{"userId":1,"displayName":"<pii:name>","tel":"<pii:phone>","status":"<pii:message>"}"#
    );
    let ours = Renamed {
        status: Some("busy".into()),
        tags: vec!["a".into()],
        ..ours
    };
    let twin = RenamedTwin {
        status: "<pii:message>",
        tags: vec!["a".into()],
        ..twin
    };
    assert_same(&ours, &twin);
}

#[test]
fn keys_are_the_ones_deserialize_expects() {
    // A value serialized redacted reads back through the same type's `Deserialize`: the keys match.
    let ours = Renamed {
        user_id: 4,
        display_name: "Zoe".into(),
        phone_number: "555".into(),
        cache_hits: 9,
        scratch: 3,
        status: Some("busy".into()),
        tags: vec!["t".into()],
    };
    let back: Renamed = serde_json::from_str(&serde_json::to_string(&ours).unwrap()).unwrap();
    assert_eq!((back.user_id, back.tags), (4, vec!["t".to_owned()]));
    assert_eq!(
        (back.display_name.as_str(), back.phone_number.as_str()),
        ("<pii:name>", "<pii:phone>")
    );
    assert_eq!(back.status.as_deref(), Some("<pii:message>"));
}

macro_rules! contact_enum {
    ($name:ident, $twin:ident $(, #[$attr:meta])?) => {
        #[derive(Privacy)]
        $(#[$attr])?
        #[serde(rename_all = "snake_case")]
        enum $name {
            Nobody,
            Phone(Phone),
            Email {
                #[pii(email, redact = email)]
                address: String,
                #[safe]
                verified: bool,
            },
            #[serde(rename = "org")]
            Organization {
                #[oii(org_name)]
                name: String,
            },
        }

        #[derive(Serialize)]
        $(#[$attr])?
        #[serde(rename_all = "snake_case")]
        enum $twin {
            Nobody,
            Phone(PhoneTwin),
            Email { address: &'static str, verified: bool },
            #[serde(rename = "org")]
            Organization { name: &'static str },
        }

        impl $name {
            fn all() -> Vec<($name, $twin)> {
                vec![
                    ($name::Nobody, $twin::Nobody),
                    (
                        $name::Phone(Phone { number: "5550134".into() }),
                        $twin::Phone(PhoneTwin { number: r#"<pii:phone …"34">"# }),
                    ),
                    (
                        $name::Email { address: "a@example.org".into(), verified: true },
                        $twin::Email { address: r#"<pii:email …@"example.org">"#, verified: true },
                    ),
                    ($name::Organization { name: "Contoso".into() }, $twin::Organization { name: "<oii:org_name>" }),
                ]
            }
        }
    };
}

#[derive(Privacy)]
struct Phone {
    #[pii(phone, redact = last(2))]
    number: String,
}

#[derive(Serialize)]
struct PhoneTwin {
    number: &'static str,
}

contact_enum!(External, ExternalTwin);
contact_enum!(Internal, InternalTwin, #[serde(tag = "type")]);
contact_enum!(Adjacent, AdjacentTwin, #[serde(tag = "t", content = "c")]);
contact_enum!(Untagged, UntaggedTwin, #[serde(untagged)]);

#[test]
fn every_enum_representation() {
    let external: Vec<String> = External::all()
        .iter()
        .map(|(o, t)| assert_same(o, t))
        .collect();
    assert_eq!(external[0], r#""nobody""#);
    assert_eq!(external[1], r#"{"phone":{"number":"<pii:phone …\"34\">"}}"#);
    let internal: Vec<String> = Internal::all()
        .iter()
        .map(|(o, t)| assert_same(o, t))
        .collect();
    assert_eq!(internal[3], r#"{"type":"org","name":"<oii:org_name>"}"#);
    let adjacent: Vec<String> = Adjacent::all()
        .iter()
        .map(|(o, t)| assert_same(o, t))
        .collect();
    assert_eq!(
        adjacent[2],
        r#"{"t":"email","c":{"address":"<pii:email …@\"example.org\">","verified":true}}"#
    );
    let untagged: Vec<String> = Untagged::all()
        .iter()
        .map(|(o, t)| assert_same(o, t))
        .collect();
    assert_eq!(untagged[0], "null");
}

#[derive(Privacy)]
#[serde(tag = "kind")]
enum Event {
    Joined(Joined),
    Left(Unit),
    #[serde(skip_serializing)]
    Internal(#[safe] u8),
}

#[derive(Privacy)]
struct Joined {
    #[pii(phone)]
    phone: String,
    #[safe]
    group: u32,
}

#[derive(Serialize)]
#[serde(tag = "kind")]
enum EventTwin {
    Joined(JoinedTwin),
    Left(UnitTwin),
}

#[derive(Serialize)]
struct JoinedTwin {
    phone: &'static str,
    group: u32,
}

#[test]
fn internally_tagged_newtype_variants_and_skipped_variants() {
    let json = assert_same(
        &Event::Joined(Joined {
            phone: "555".into(),
            group: 4,
        }),
        &EventTwin::Joined(JoinedTwin {
            phone: "<pii:phone>",
            group: 4,
        }),
    );
    assert_eq!(json, r#"{"kind":"Joined","phone":"<pii:phone>","group":4}"#);
    assert_same(&Event::Left(Unit), &EventTwin::Left(UnitTwin));
    let error = serde_json::to_string(&Event::Internal(1))
        .unwrap_err()
        .to_string();
    assert_eq!(
        error,
        "the enum variant Event::Internal cannot be serialized"
    );
}

#[derive(Privacy)]
#[serde(tag = "type")]
struct Tagged {
    #[pii(name)]
    name: String,
}

#[derive(Serialize)]
#[serde(tag = "type", rename = "Tagged")]
struct TaggedTwin {
    name: &'static str,
}

#[derive(Privacy)]
struct Flattened {
    #[safe]
    id: u8,
    #[serde(flatten)]
    avatar: Avatar,
    #[safe]
    #[serde(flatten)]
    extra: BTreeMap<String, u32>,
    #[serde(flatten)]
    maybe: Option<Avatar>,
}

#[derive(Serialize)]
struct FlattenedTwin {
    id: u8,
    #[serde(flatten)]
    avatar: AvatarTwin,
    #[serde(flatten)]
    extra: BTreeMap<String, u32>,
    #[serde(flatten)]
    maybe: Option<AvatarTwin>,
}

#[derive(Privacy)]
#[serde(transparent)]
struct Transparent {
    #[pii(account_id, redact = last(3))]
    account: String,
}

#[test]
fn struct_tag_flatten_and_transparent() {
    assert_eq!(
        assert_same(
            &Tagged { name: "x".into() },
            &TaggedTwin { name: "<pii:name>" }
        ),
        r#"{"type":"Tagged","name":"<pii:name>"}"#
    );
    let ours = Flattened {
        id: 1,
        avatar: avatar(),
        extra: BTreeMap::from([("k".to_owned(), 2)]),
        maybe: None,
    };
    let twin = FlattenedTwin {
        id: 1,
        avatar: AvatarTwin {
            size: 64,
            url: r#"<pii:photo_url "https://"…>"#,
        },
        extra: BTreeMap::from([("k".to_owned(), 2)]),
        maybe: None,
    };
    assert_eq!(
        assert_same(&ours, &twin),
        r#"{"id":1,"size":64,"url":"<pii:photo_url \"https://\"…>","k":2}"#
    );
    assert_eq!(
        serde_json::to_string(&Transparent {
            account: "acct-98765".into()
        })
        .unwrap(),
        r#""<pii:account_id …\"765\">""#
    );
}

fn avatar() -> Avatar {
    Avatar {
        size: 64,
        url: "https://cdn.example/a.png".into(),
    }
}

#[derive(Privacy)]
struct Generic<T, U> {
    #[pii]
    hidden: T,
    #[safe]
    shown: U,
    // A nested value of a generic type is written through `RevealSerialize`, so that a view
    // can reveal it: a wrapper's needs what it wraps to serialize.
    nested: Vec<Pii<U>>,
}

struct NotSerialize;

#[test]
fn generics_need_serialize_only_where_written() {
    let value = Generic {
        hidden: NotSerialize,
        shown: 3u8,
        nested: vec![Pii::new(4u8)],
    };
    assert_eq!(
        serde_json::to_string(&value).unwrap(),
        r#"{"hidden":"<pii>","shown":3,"nested":["<pii>"]}"#
    );
}

#[derive(Deserialize)]
struct Incoming {
    phone: Pii<String>,
    org: Option<Oii<String>>,
}

#[test]
fn wrappers_serialize_redacted_and_deserialize_plain() {
    let phone = Pii::new("+44 20 7946 0958".to_owned());
    assert_eq!(serde_json::to_string(&phone).unwrap(), r#""<pii>""#);
    assert_eq!(serde_json::to_string(&Oii::new(5)).unwrap(), r#""<oii>""#);
    let read: Pii<String> = serde_json::from_str(r#""+44 20 7946 0958""#).unwrap();
    assert_eq!(read.expose(), "+44 20 7946 0958");
    let bytes = postcard::to_allocvec(&"+1 555 0100").unwrap();
    let read: Oii<String> = postcard::from_bytes(&bytes).unwrap();
    assert_eq!(read.into_inner(), "+1 555 0100");
    let incoming: Incoming =
        serde_json::from_str(r#"{"phone":"555-0199","org":"Contoso"}"#).unwrap();
    assert_eq!(
        (
            incoming.phone.expose().as_str(),
            incoming.org.unwrap().expose().as_str()
        ),
        ("555-0199", "Contoso")
    );
}

#[derive(Privacy)]
struct Containers {
    option: Option<Avatar>,
    none: Option<Avatar>,
    list: Vec<Avatar>,
    boxed: Box<Avatar>,
    map: BTreeMap<Oii<String>, Avatar>,
    tuple: (Pii<u8>, Avatar),
    array: [Pii<&'static str>; 2],
    nested_option: Option<Option<Pii<String>>>,
}

#[derive(Serialize)]
struct ContainersTwin {
    option: Option<AvatarTwin>,
    none: Option<AvatarTwin>,
    list: Vec<AvatarTwin>,
    boxed: Box<AvatarTwin>,
    map: BTreeMap<&'static str, AvatarTwin>,
    tuple: (&'static str, AvatarTwin),
    array: [&'static str; 2],
    nested_option: Option<Option<&'static str>>,
}

#[test]
fn containers_of_classified_types() {
    const URL: &str = r#"<pii:photo_url "https://"…>"#;
    let twin_avatar = || AvatarTwin { size: 64, url: URL };
    let ours = Containers {
        option: Some(avatar()),
        none: None,
        list: vec![avatar(), avatar()],
        boxed: Box::new(avatar()),
        map: BTreeMap::from([(Oii::new("tenant-1".to_owned()), avatar())]),
        tuple: (Pii::new(3), avatar()),
        array: [Pii::new("a"), Pii::new("b")],
        nested_option: Some(Some(Pii::new("x".into()))),
    };
    let twin = ContainersTwin {
        option: Some(twin_avatar()),
        none: None,
        list: vec![twin_avatar(), twin_avatar()],
        boxed: Box::new(twin_avatar()),
        // Keys that classify themselves are written apart: `<oii>#1`, `<oii>#2`, ...
        map: BTreeMap::from([("<oii>#1", twin_avatar())]),
        tuple: ("<pii>", twin_avatar()),
        array: ["<pii>", "<pii>"],
        nested_option: Some(Some("<pii>")),
    };
    let json = assert_same(&ours, &twin);
    assert!(json.contains(r#""map":{"<oii>#1":{"size":64"#), "{json}");
}

#[derive(Privacy)]
enum GenericEvent<T, P> {
    Value(#[safe] T),
    Person {
        #[pii(phone, redact = last(2))]
        phone: P,
        #[safe]
        at: T,
    },
}

#[derive(Serialize)]
enum GenericEventTwin<T> {
    Value(T),
    Person { phone: &'static str, at: T },
}

#[test]
fn generic_types_in_both_formats() {
    assert_same(
        &GenericEvent::<u32, String>::Value(5),
        &GenericEventTwin::Value(5u32),
    );
    assert_same(
        &GenericEvent::Person {
            phone: "5550134".to_owned(),
            at: 9u64,
        },
        &GenericEventTwin::Person {
            phone: r#"<pii:phone …"34">"#,
            at: 9u64,
        },
    );
}
