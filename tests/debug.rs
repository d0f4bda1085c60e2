//! The redacted `Debug` output of every strategy on every supported shape, plain and pretty.

// Like std's derive, the redacted `Debug` does not count as reading a field.
#![allow(dead_code)]

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::rc::Rc;
use std::sync::Arc;

use privacy::{Oii, Pii, Privacy};

fn mask(value: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    write!(f, "{} chars", value.chars().count())
}

#[derive(Privacy)]
struct Every {
    #[safe]
    id: u64,
    #[pii(name)]
    hidden: String,
    #[pii(phone, redact = hide)]
    hidden_explicitly: String,
    #[pii(phone, redact = last(4))]
    last: String,
    #[pii(name, redact = first(2))]
    first: String,
    #[pii(email, redact = email)]
    email: String,
    #[pii(ip, redact = ip_prefix)]
    ip: IpAddr,
    #[pii(account_id, with = mask)]
    custom: String,
    #[pii(message, redact = skip)]
    skipped: String,
    #[oii(org_name)]
    org: String,
    #[pii]
    no_kind: String,
    #[oii(custom = "cost_center")]
    custom_kind: String,
}

fn every() -> Every {
    Every {
        id: 42,
        hidden: "Alice Example".into(),
        hidden_explicitly: "+44 20 7946 0958".into(),
        last: "+44 20 7946 0958".into(),
        first: "Alice".into(),
        email: "alice@example.com".into(),
        ip: "203.0.113.77".parse().unwrap(),
        custom: "acct-1234".into(),
        skipped: "never shown".into(),
        org: "Contoso".into(),
        no_kind: "x".into(),
        custom_kind: "CC-77".into(),
    }
}

#[test]
fn every_strategy_plain() {
    assert_eq!(
        format!("{:?}", every()),
        concat!(
            r#"Every { id: 42, hidden: <pii:name>, hidden_explicitly: <pii:phone>, "#,
            r#"last: <pii:phone …"0958">, first: <pii:name "Al"…>, email: <pii:email …@"example.com">, "#,
            r#"ip: <pii:ip 203.0.113.0/24>, custom: <pii:account_id 9 chars>, org: <oii:org_name>, "#,
            r#"no_kind: <pii>, custom_kind: <oii:cost_center>, .. }"#,
        )
    );
}

#[test]
fn every_strategy_pretty() {
    let expected = r#"Every {
    id: 42,
    hidden: <pii:name>,
    hidden_explicitly: <pii:phone>,
    last: <pii:phone …"0958">,
    first: <pii:name "Al"…>,
    email: <pii:email …@"example.com">,
    ip: <pii:ip 203.0.113.0/24>,
    custom: <pii:account_id 9 chars>,
    org: <oii:org_name>,
    no_kind: <pii>,
    custom_kind: <oii:cost_center>,
    ..
}"#;
    assert_eq!(format!("{:#?}", every()), expected);
}

#[derive(Privacy)]
struct Tuple(
    #[safe] u8,
    #[pii(phone, redact = last(3))] String,
    #[pii(redact = skip)] String,
    #[oii(tenant_id)] u32,
);

#[test]
fn tuple_struct() {
    let value = Tuple(1, "5550134".into(), "gone".into(), 9);
    assert_eq!(
        format!("{value:?}"),
        r#"Tuple(1, <pii:phone …"134">, <oii:tenant_id>, ..)"#
    );
    assert_eq!(
        format!("{value:#?}"),
        "Tuple(\n    1,\n    <pii:phone …\"134\">,\n    <oii:tenant_id>,\n    ..\n)"
    );
}

#[derive(Privacy)]
struct Unit;

#[derive(Privacy)]
struct EmptyNamed {}

#[derive(Privacy)]
struct EmptyTuple();

#[test]
fn unit_and_empty_structs() {
    assert_eq!(format!("{Unit:?} {Unit:#?}"), "Unit Unit");
    assert_eq!(format!("{:?}", EmptyNamed {}), "EmptyNamed");
    assert_eq!(format!("{:?}", EmptyTuple()), "EmptyTuple");
}

#[derive(Privacy)]
enum Contact {
    Phone(#[pii(phone, redact = last(2))] String),
    Email {
        #[pii(email, redact = email)]
        address: String,
        #[safe]
        verified: bool,
        #[pii(redact = skip)]
        token: String,
    },
    Both(
        #[pii(phone)] String,
        #[pii(email, redact = first(1))] String,
    ),
    Unknown,
}

#[test]
fn enums_show_every_variant_like_std() {
    assert_eq!(
        format!("{:?}", Contact::Phone("5550134".into())),
        r#"Phone(<pii:phone …"34">)"#
    );
    let email = Contact::Email {
        address: "a.b@example.org".into(),
        verified: true,
        token: "t".into(),
    };
    assert_eq!(
        format!("{email:?}"),
        r#"Email { address: <pii:email …@"example.org">, verified: true, .. }"#
    );
    assert_eq!(
        format!("{email:#?}"),
        "Email {\n    address: <pii:email …@\"example.org\">,\n    verified: true,\n    ..\n}"
    );
    let both = Contact::Both("5550134".into(), "ab@c.d".into());
    assert_eq!(
        format!("{both:?}"),
        r#"Both(<pii:phone>, <pii:email "a"…>)"#
    );
    assert_eq!(
        format!("{:?} {:#?}", Contact::Unknown, Contact::Unknown),
        "Unknown Unknown"
    );
}

#[derive(Privacy)]
enum Never {}

#[test]
fn empty_enum_derives() {
    fn assert_debug<T: fmt::Debug + privacy::Classified>() {}
    assert_debug::<Never>();
}

struct NoDebug;

#[derive(Privacy)]
struct Generic<T, U, V> {
    #[pii]
    hidden: T,
    #[safe]
    shown: U,
    nested: V,
}

#[test]
fn generics_need_bounds_only_where_used() {
    // `T` is hidden: no `Debug` needed. `U` is safe: `Debug`. `V` classifies itself, and is
    // written through its revealing `Debug` (which keeps the keys of a map apart): a wrapper's
    // needs what it wraps to have `Debug`.
    let value = Generic {
        hidden: NoDebug,
        shown: 5u8,
        nested: Pii::new(7u8),
    };
    assert_eq!(
        format!("{value:?}"),
        "Generic { hidden: <pii>, shown: 5, nested: <pii> }"
    );
}

#[derive(Privacy)]
struct Partial<T> {
    #[pii(phone, redact = last(2))]
    phone: T,
}

#[test]
fn generic_strategy_field() {
    assert_eq!(
        format!(
            "{:?}",
            Partial {
                phone: 5_550_134u64
            }
        ),
        r#"Partial { phone: <pii:phone …"34"> }"#
    );
    assert_eq!(
        format!("{:?}", Partial { phone: "5550134" }),
        r#"Partial { phone: <pii:phone …"34"> }"#
    );
}

#[derive(Privacy)]
struct Borrowed<'a, 'b: 'a> {
    #[pii(name, redact = first(1))]
    name: &'a str,
    #[safe]
    note: &'b str,
    #[pii(message)]
    text: Cow<'a, str>,
}

#[derive(Privacy)]
#[allow(non_camel_case_types)]
struct r#Raw {
    #[safe]
    r#type: u8,
    #[pii(name)]
    r#match: String,
}

#[test]
fn lifetimes_and_raw_identifiers() {
    let note = String::from("ok");
    let value = Borrowed {
        name: "Zoe",
        note: &note,
        text: Cow::Borrowed("hi"),
    };
    assert_eq!(
        format!("{value:?}"),
        r#"Borrowed { name: <pii:name "Z"…>, note: "ok", text: <pii:message> }"#
    );
    let raw = r#Raw {
        r#type: 1,
        r#match: "x".into(),
    };
    assert_eq!(format!("{raw:?}"), "Raw { type: 1, match: <pii:name> }");
}

#[derive(Privacy)]
struct Avatar {
    #[safe]
    size: u16,
    #[pii(custom = "photo_url", redact = first(8))]
    url: String,
}

fn avatar() -> Avatar {
    Avatar {
        size: 64,
        url: "https://cdn.example/a.png".into(),
    }
}

const AVATAR: &str = r#"Avatar { size: 64, url: <pii:photo_url "https://"…> }"#;

#[derive(Privacy)]
struct Containers<'a> {
    option: Option<Avatar>,
    none: Option<Avatar>,
    vec: Vec<Avatar>,
    boxed: Box<Avatar>,
    rc: Rc<Avatar>,
    arc: Arc<Avatar>,
    cow: Cow<'a, Pii<String>>,
    reference: &'a Avatar,
    slice: &'a [Pii<u8>],
    array: [Oii<&'static str>; 2],
    tuple: (Pii<u8>, Avatar),
    hash_map: HashMap<Pii<String>, Avatar>,
    btree_map: BTreeMap<Oii<u32>, Pii<String>>,
    hash_set: HashSet<Pii<String>>,
    btree_set: BTreeSet<Pii<u8>>,
    deque: VecDeque<Pii<u8>>,
}

#[test]
fn every_container() {
    let shared = avatar();
    let value = Containers {
        option: Some(avatar()),
        none: None,
        vec: vec![avatar()],
        boxed: Box::new(avatar()),
        rc: Rc::new(avatar()),
        arc: Arc::new(avatar()),
        cow: Cow::Owned(Pii::new("x".into())),
        reference: &shared,
        slice: &[Pii::new(1), Pii::new(2)],
        array: [Oii::new("a"), Oii::new("b")],
        tuple: (Pii::new(1), avatar()),
        hash_map: HashMap::from([(Pii::new("k".into()), avatar())]),
        btree_map: BTreeMap::from([(Oii::new(1), Pii::new("v".into()))]),
        hash_set: HashSet::from([Pii::new("s".into())]),
        btree_set: BTreeSet::from([Pii::new(3)]),
        deque: VecDeque::from([Pii::new(4)]),
    };
    let expected = format!(
        "Containers {{ option: Some({AVATAR}), none: None, vec: [{AVATAR}], boxed: {AVATAR}, rc: {AVATAR}, \
         arc: {AVATAR}, cow: <pii>, reference: {AVATAR}, slice: [<pii>, <pii>], array: [<oii>, <oii>], \
         tuple: (<pii>, {AVATAR}), hash_map: {{<pii>#1: {AVATAR}}}, btree_map: {{<oii>#1: <pii>}}, \
         hash_set: {{<pii>}}, btree_set: {{<pii>}}, deque: [<pii>] }}"
    );
    assert_eq!(format!("{value:?}"), expected);
    let pretty = format!("{value:#?}");
    assert!(pretty
        .starts_with("Containers {\n    option: Some(\n        Avatar {\n            size: 64,\n"));
    assert!(!pretty.contains("cdn.example"));
}

#[derive(Privacy)]
struct Node {
    #[pii(name)]
    label: String,
    children: Vec<Node>,
    parent: Option<Box<Self>>,
}

#[test]
fn recursive_types() {
    let tree = Node {
        label: "root".into(),
        children: vec![Node {
            label: "leaf".into(),
            children: vec![],
            parent: None,
        }],
        parent: None,
    };
    assert_eq!(
        format!("{tree:?}"),
        "Node { label: <pii:name>, children: [Node { label: <pii:name>, children: [], parent: None }], parent: None }"
    );
}

#[derive(Privacy)]
struct Optional {
    #[pii(phone)]
    hidden_some: Option<String>,
    #[pii(phone)]
    hidden_none: Option<String>,
    #[pii(phone, redact = last(2))]
    last_some: Option<String>,
    #[pii(phone, redact = last(2))]
    last_none: Option<String>,
    #[pii(ip, redact = ip_prefix)]
    ip_text: String,
    #[pii(ip, redact = ip_prefix)]
    ip_garbage: String,
    #[pii(ip, redact = ip_prefix)]
    v6: Ipv6Addr,
    #[pii(ip, redact = ip_prefix)]
    socket: SocketAddr,
    #[pii(ip, redact = ip_prefix)]
    v4: Option<Ipv4Addr>,
}

#[test]
fn hide_never_tells_whether_an_option_holds_a_value() {
    let value = Optional {
        hidden_some: Some("5550134".into()),
        hidden_none: None,
        last_some: Some("5550134".into()),
        last_none: None,
        ip_text: " 198.51.100.23 ".into(),
        ip_garbage: "not an address 1.2.3".into(),
        v6: "2001:db8:85a3:8d3:1319:8a2e:370:7348".parse().unwrap(),
        socket: "[2001:db8::1]:443".parse().unwrap(),
        v4: Some(Ipv4Addr::new(192, 0, 2, 200)),
    };
    assert_eq!(
        format!("{value:?}"),
        concat!(
            r#"Optional { hidden_some: <pii:phone>, hidden_none: <pii:phone>, last_some: <pii:phone …"34">, "#,
            r#"last_none: <pii:phone>, ip_text: <pii:ip 198.51.100.0/24>, ip_garbage: <pii:ip>, "#,
            r#"v6: <pii:ip 2001:db8:85a3::/48>, socket: <pii:ip 2001:db8::/48>, v4: <pii:ip 192.0.2.0/24> }"#
        )
    );
}

#[derive(Privacy)]
struct Short {
    #[pii(phone, redact = last(4))]
    last: String,
    #[pii(name, redact = first(4))]
    first: String,
    #[pii(email, redact = email)]
    email: String,
}

fn short(last: &str, first: &str, email: &str) -> String {
    format!(
        "{:?}",
        Short {
            last: last.into(),
            first: first.into(),
            email: email.into()
        }
    )
}

#[test]
fn partial_strategies_never_show_a_short_value_whole() {
    assert_eq!(
        short("", "", ""),
        "Short { last: <pii:phone>, first: <pii:name>, email: <pii:email> }"
    );
    assert_eq!(
        short("1", "A", "@"),
        "Short { last: <pii:phone>, first: <pii:name>, email: <pii:email> }"
    );
    assert_eq!(
        short("123", "Bob", "a@b"),
        r#"Short { last: <pii:phone …"3">, first: <pii:name "B"…>, email: <pii:email …@"b"> }"#
    );
    // Nothing before the `@`, or nothing after it: the domain alone would be the whole value.
    assert_eq!(
        short("12345678", "Bobby", "@example.com"),
        r#"Short { last: <pii:phone …"5678">, first: <pii:name "Bo"…>, email: <pii:email> }"#
    );
    assert_eq!(
        short("1", "A", "alice@"),
        "Short { last: <pii:phone>, first: <pii:name>, email: <pii:email> }"
    );
}

#[test]
fn partial_strategies_count_characters_and_escape_like_debug() {
    assert_eq!(
        short("電話番号は〇九〇一二三四", "Zoë Ünal", "ü@bücher.example"),
        r#"Short { last: <pii:phone …"一二三四">, first: <pii:name "Zoë "…>, email: <pii:email …@"bücher.example"> }"#
    );
    assert_eq!(
        short("ab\"c\nd\te", "\"quoted\"", "x@evil\"> injected"),
        r#"Short { last: <pii:phone …"\nd\te">, first: <pii:name "\"quo"…>, email: <pii:email …@"evil\"> injected"> }"#
    );
}

#[test]
fn wrappers_debug_and_display() {
    let phone = Pii::new(String::from("+44 20 7946 0958"));
    let org = Oii::new("Contoso");
    assert_eq!(
        format!("{phone:?} {phone} {phone:#?} {org:?} {org}"),
        "<pii> <pii> <pii> <oii> <oii>"
    );
    assert_eq!(format!("{:?}", Some(&phone)), "Some(<pii>)");
}

fn count_words<T: AsRef<str>>(value: &T, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    write!(f, "{} words", value.as_ref().split_whitespace().count())
}

#[derive(Privacy)]
#[privacy(bound = "T: AsRef<str>")]
struct Note<T> {
    #[pii(message, with = count_words)]
    text: T,
}

#[test]
fn explicit_bound_replaces_inferred_bounds() {
    let note = Note {
        text: String::from("meet me at noon"),
    };
    assert_eq!(format!("{note:?}"), "Note { text: <pii:message 4 words> }");
}

#[derive(Privacy)]
struct Grid<'a, T, const N: usize> {
    cells: [Pii<T>; N],
    owner: &'a Avatar,
    #[safe]
    size: [u8; N],
    children: Vec<Grid<'a, T, N>>,
    parent: Option<Box<Self>>,
}

#[test]
fn lifetimes_const_generics_and_generic_recursion() {
    let owner = avatar();
    let grid = Grid {
        cells: [Pii::new(1), Pii::new(2)],
        owner: &owner,
        size: [2, 2],
        children: vec![],
        parent: None,
    };
    assert_eq!(
        format!("{grid:?}"),
        format!("Grid {{ cells: [<pii>, <pii>], owner: {AVATAR}, size: [2, 2], children: [], parent: None }}")
    );
    let schema = <Grid<'_, u8, 2> as privacy::Classified>::SCHEMA;
    assert!(schema.carries_pii);
}
