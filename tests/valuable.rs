//! `valuable::Valuable` from `#[derive(Privacy)]` and for the wrappers, through valuable's own
//! `Visit`: structs are `Structable` and enums `Enumerable` with their real field and variant
//! names, skipped fields are absent, safe fields keep their own typed value, and every
//! classified field is the text `Debug` shows for it, so no planted marker reaches a visitor.
//! Visiting allocates nothing.

#![cfg(feature = "valuable")]

use std::collections::BTreeSet;
use std::fmt::Write as _;

use privacy::{Oii, Pii, Privacy};
use valuable::{
    EnumDef, Enumerable, Fields, NamedField, NamedValues, StructDef, Structable, Valuable, Value,
    Visit,
};

#[path = "fixture/counting_alloc.rs"]
mod counting_alloc;
mod fixture;

use counting_alloc::allocations_during;
use fixture::{assert_no_leak, marker, member, organization, safe, Member};

/// Walks every nested value, recording each leaf with its path (`contacts.2.Phone.number`),
/// every field name it is handed and every type and variant it passes through.
#[derive(Default)]
struct Walk {
    path: Vec<String>,
    /// The next index of each list being walked.
    items: Vec<usize>,
    leaves: Vec<(String, Leaf)>,
    names: BTreeSet<String>,
    types: Vec<String>,
}

/// A leaf value: a string's text, or any other primitive's `Debug`.
#[derive(Debug, PartialEq)]
enum Leaf {
    Text(String),
    Other(String),
}

impl Leaf {
    fn of(value: Value<'_>) -> Leaf {
        match value {
            Value::String(text) => Leaf::Text(text.to_owned()),
            other => Leaf::Other(format!("{other:?}")),
        }
    }

    fn text(&self) -> &str {
        match self {
            Leaf::Text(text) | Leaf::Other(text) => text,
        }
    }
}

impl Walk {
    fn of(value: &dyn Valuable) -> Walk {
        let mut walk = Walk::default();
        walk.value(value.as_value());
        walk
    }

    fn at(&mut self, segment: String, value: Value<'_>) {
        self.path.push(segment);
        self.value(value);
        self.path.pop();
    }

    fn value(&mut self, value: Value<'_>) {
        match value {
            Value::Structable(value) => {
                let definition = value.definition();
                self.types.push(definition.name().to_owned());
                if let Fields::Named(fields) = definition.fields() {
                    self.names
                        .extend(fields.iter().map(|f| f.name().to_owned()));
                }
                value.visit(self);
            }
            Value::Enumerable(value) => {
                let variant = value.variant();
                let name = value.definition().name().to_owned();
                self.types.push(format!("{name}::{}", variant.name()));
                if let Fields::Named(fields) = variant.fields() {
                    self.names
                        .extend(fields.iter().map(|f| f.name().to_owned()));
                }
                self.path.push(variant.name().to_owned());
                value.visit(self);
                self.path.pop();
            }
            Value::Listable(list) => {
                self.items.push(0);
                list.visit(self);
                self.items.pop();
            }
            Value::Mappable(map) => map.visit(self),
            Value::Tuplable(tuple) => tuple.visit(self),
            leaf => self.leaves.push((self.path.join("."), Leaf::of(leaf))),
        }
    }

    fn leaf(&self, path: &str) -> &Leaf {
        match self.leaves.iter().find(|(at, _)| at == path) {
            Some((_, leaf)) => leaf,
            None => panic!("no leaf at `{path}` in {:#?}", self.leaves),
        }
    }

    /// Everything a visitor was handed, as one text.
    fn everything(&self) -> String {
        let mut all = String::new();
        for (path, leaf) in &self.leaves {
            writeln!(all, "{path} = {}", leaf.text()).unwrap();
        }
        for name in self.names.iter().chain(&self.types) {
            all.push_str(name);
            all.push('\n');
        }
        all
    }
}

impl Visit for Walk {
    /// An item of the list being walked.
    fn visit_value(&mut self, value: Value<'_>) {
        let index = self.items.last_mut().expect("a bare value outside a list");
        let segment = index.to_string();
        *index += 1;
        self.at(segment, value);
    }

    fn visit_named_fields(&mut self, named_values: &NamedValues<'_>) {
        for (field, value) in named_values {
            self.names.insert(field.name().to_owned());
            self.at(field.name().to_owned(), *value);
        }
    }

    fn visit_unnamed_fields(&mut self, values: &[Value<'_>]) {
        for (index, value) in values.iter().enumerate() {
            self.at(index.to_string(), *value);
        }
    }

    fn visit_entry(&mut self, key: Value<'_>, value: Value<'_>) {
        let key_text = Leaf::of(key).text().to_owned();
        self.at(format!("key[{key_text}]"), key);
        self.at(format!("[{key_text}]"), value);
    }
}

const MEMBER_FIELDS: &[&str] = &[
    "id", "name", "phone", "email", "greeting", "ip", "status", "card", "passport", "nickname",
    "aliases", "org", "avatar", "badge", "contacts", "tagged", "label", "level", "score",
    "timeout",
];

#[test]
fn no_marker_reaches_a_visitor_and_every_safe_value_does() {
    let walk = Walk::of(&organization());
    let everything = walk.everything();
    assert_no_leak(&everything);
    for value in safe::all() {
        assert!(
            walk.leaves.iter().any(|(_, leaf)| leaf.text() == value),
            "safe value `{value}` missing from:\n{everything}"
        );
    }
    // Every member of the organization was walked: two in the group, one admin.
    let members = walk.types.iter().filter(|t| *t == "Member").count();
    assert_eq!(members, 3, "{:?}", walk.types);
}

/// The names of the named fields a value hands over, without walking further.
struct Names(Vec<String>);
impl Visit for Names {
    fn visit_value(&mut self, _: Value<'_>) {}
    fn visit_named_fields(&mut self, named_values: &NamedValues<'_>) {
        self.0
            .extend(named_values.iter().map(|(f, _)| f.name().to_owned()));
    }
}

#[test]
fn a_struct_is_a_structable_with_its_real_field_names() {
    let member = member();
    let definition = Structable::definition(&member);
    assert_eq!(definition.name(), "Member");
    assert!(definition.is_static());
    let Fields::Named(fields) = definition.fields() else {
        panic!("named fields expected");
    };
    let names: Vec<&str> = fields.iter().map(NamedField::name).collect();
    assert_eq!(names, MEMBER_FIELDS, "`password` is `redact = skip`");
    assert!(matches!(member.as_value(), Value::Structable(_)));

    // `visit` hands over the same names, in the same order.
    let mut visited = Names(Vec::new());
    member.visit(&mut visited);
    assert_eq!(visited.0, MEMBER_FIELDS);

    let walk = Walk::of(&organization());
    for name in &walk.names {
        assert!(!name.contains("password"), "{name}");
    }
    for name in [
        "tenant",
        "contact_address",
        "groups",
        "topic",
        "admins",
        "url",
        "primary",
    ] {
        assert!(
            walk.names.contains(name),
            "`{name}` missing: {:?}",
            walk.names
        );
    }
}

#[test]
fn a_tuple_struct_has_unnamed_fields_without_the_skipped_one() {
    let member = member();
    let definition = Structable::definition(&member.badge);
    assert_eq!(definition.name(), "Badge");
    assert!(matches!(definition.fields(), Fields::Unnamed(2)));
    let walk = Walk::of(&member.badge);
    assert_eq!(
        walk.leaves,
        [
            (
                "0".to_owned(),
                Leaf::Text(r#"<pii:account_id …"H5">"#.to_owned())
            ),
            ("1".to_owned(), Leaf::Other(safe::LEVEL.to_string())),
        ]
    );
}

#[test]
fn an_enum_is_an_enumerable_with_its_variants() {
    let member = member();
    let contact = &member.contacts[0];
    let EnumDef::Static { name, variants, .. } = Enumerable::definition(contact) else {
        panic!("a static definition expected");
    };
    assert_eq!(name, "Contact");
    let shapes: Vec<(&str, Vec<&str>, usize)> = variants
        .iter()
        .map(|variant| match variant.fields() {
            Fields::Named(fields) => (
                variant.name(),
                fields.iter().map(NamedField::name).collect(),
                0,
            ),
            Fields::Unnamed(len) => (variant.name(), Vec::new(), *len),
        })
        .collect();
    assert_eq!(
        shapes,
        [
            ("Device", vec![], 1),
            ("Org", vec!["org"], 0),
            ("Phone", vec!["number", "primary"], 0),
            ("Nobody", vec![], 0),
        ]
    );
    let current: Vec<String> = member
        .contacts
        .iter()
        .map(|c| c.variant().name().to_owned())
        .collect();
    assert_eq!(current, ["Device", "Org", "Phone", "Nobody"]);

    let walk = Walk::of(&member.contacts);
    assert_eq!(
        walk.leaves,
        [
            (
                "0.Device.0".to_owned(),
                Leaf::Text(r#"<pii:device_id "QZ"…>"#.to_owned())
            ),
            ("1.Org.org".to_owned(), Leaf::Text("<oii>".to_owned())),
            (
                "2.Phone.number".to_owned(),
                Leaf::Text(r#"<pii:phone …"U2">"#.to_owned())
            ),
            ("2.Phone.primary".to_owned(), Leaf::Other("true".to_owned())),
        ]
    );
}

#[test]
fn classified_fields_are_the_text_debug_shows() {
    let member = member();
    let walk = Walk::of(&member);
    let text = |path: &str| match walk.leaf(path) {
        Leaf::Text(text) => text.as_str(),
        Leaf::Other(other) => panic!("`{path}` is not a string: {other}"),
    };
    assert_eq!(text("name"), "<pii:name>");
    assert_eq!(text("phone"), r#"<pii:phone …"0958">"#);
    assert_eq!(text("email"), r#"<pii:email …@"mail.example">"#);
    assert_eq!(text("greeting"), r#"<pii:name "QZ"…>"#);
    assert_eq!(text("ip"), "<pii:ip 203.0.113.0/24>");
    assert_eq!(text("status"), "<pii:message>");
    assert!(
        text("card").starts_with("<pii:payment_card #"),
        "{}",
        text("card")
    );
    assert_eq!(text("passport"), "<pii:government_id 12 chars>");
    assert_eq!(text("nickname"), "<pii>");
    assert_eq!(text("aliases.0"), "<pii>");
    assert_eq!(text("aliases.1"), "<pii>");
    assert_eq!(text("org"), "<oii>");
    assert_eq!(text("avatar.url"), "<pii:photo_url>");
    assert_eq!(text("tagged.secret"), "<pii>");

    // Whatever a visitor sees of a classified field is exactly what `Debug` shows of it.
    let debug = format!("{member:?}");
    for (path, leaf) in &walk.leaves {
        if let Leaf::Text(text) = leaf {
            assert!(
                debug.contains(text.as_str()),
                "`{path}` = `{text}` is not in {debug}"
            );
        }
    }
}

/// The safe fields whose value keeps the field's own type.
struct Typed(Vec<&'static str>);
impl Visit for Typed {
    fn visit_value(&mut self, _: Value<'_>) {}
    fn visit_named_fields(&mut self, named_values: &NamedValues<'_>) {
        for (field, value) in named_values {
            let typed = match (field.name(), value) {
                ("id", Value::U64(_)) => "id: u64",
                ("level", Value::U8(_)) => "level: u8",
                ("score", Value::I64(_)) => "score: i64",
                ("label", Value::String(_)) => "label: str",
                _ => continue,
            };
            self.0.push(typed);
        }
    }
}

#[test]
fn safe_fields_keep_their_own_typed_value() {
    let member = member();
    let walk = Walk::of(&member);
    assert_eq!(walk.leaf("id"), &Leaf::Other(safe::MEMBER_ID.to_string()));
    assert_eq!(walk.leaf("level"), &Leaf::Other(safe::LEVEL.to_string()));
    assert_eq!(walk.leaf("score"), &Leaf::Other(safe::SCORE.to_string()));
    assert_eq!(walk.leaf("label"), &Leaf::Text(safe::LABEL.to_owned()));
    assert_eq!(
        walk.leaf("avatar.size"),
        &Leaf::Other(safe::SIZE.to_string())
    );
    assert_eq!(walk.leaf("tagged.tag"), &Leaf::Other(safe::TAG.to_string()));
    // `Duration` has no `Valuable`: its `Debug`, as text.
    assert_eq!(
        walk.leaf("timeout"),
        &Leaf::Text(safe::TIMEOUT_DEBUG.to_owned())
    );

    let mut typed = Typed(Vec::new());
    member.visit(&mut typed);
    assert_eq!(
        typed.0,
        ["id: u64", "label: str", "level: u8", "score: i64"]
    );
}

#[test]
fn wrappers_are_their_placeholder() {
    let pii = Pii::new(marker::NAME.to_owned());
    let oii = Oii::new(marker::ORG);
    assert!(matches!(pii.as_value(), Value::String("<pii>")));
    assert!(matches!(oii.as_value(), Value::String("<oii>")));
    let values = (pii, Some(oii), vec![Pii::new(marker::NICK)]);
    let walk = Walk::of(&values);
    assert_eq!(
        walk.leaves,
        [
            ("0".to_owned(), Leaf::Text("<pii>".to_owned())),
            ("1".to_owned(), Leaf::Text("<oii>".to_owned())),
            ("2.0".to_owned(), Leaf::Text("<pii>".to_owned())),
        ]
    );
    assert_no_leak(&walk.everything());
}

#[test]
fn map_keys_and_tuples_of_wrappers_are_walked() {
    let walk = Walk::of(&organization());
    // Keys that classify themselves are written apart, so that no entry shares a key.
    assert_eq!(
        walk.leaf("groups.0.admins.key[<pii>#1]"),
        &Leaf::Text("<pii>#1".to_owned())
    );
    assert_eq!(
        walk.leaf("groups.0.admins.[<pii>#1].phone"),
        &Leaf::Text(r#"<pii:phone …"0958">"#.to_owned())
    );
    assert_eq!(
        walk.leaf("groups.0.pinned.0"),
        &Leaf::Text("<pii>".to_owned())
    );
    assert_eq!(
        walk.leaf("groups.0.pinned.1.url"),
        &Leaf::Text("<pii:photo_url>".to_owned())
    );
    assert_eq!(
        walk.leaf("groups.0.topic"),
        &Leaf::Text(r#"<pii:message "QZT"…>"#.to_owned())
    );
    assert!(walk.leaf("tenant").text().starts_with("<oii:tenant_id #"));
}

#[derive(Privacy)]
struct Directory {
    #[privacy(keys = safe)]
    by_group: std::collections::BTreeMap<String, Pii<String>>,
    by_phone: std::collections::BTreeMap<Pii<String>, Pii<String>>,
}

#[test]
fn safe_keys_are_themselves_and_classified_keys_apart() {
    let directory = Directory {
        by_group: [("family".to_owned(), Pii::new(marker::PHONE.to_owned()))].into(),
        by_phone: [
            (
                Pii::new(marker::NAME.to_owned()),
                Pii::new(marker::PHONE.to_owned()),
            ),
            (
                Pii::new(marker::NICK.to_owned()),
                Pii::new(marker::PHONE.to_owned()),
            ),
        ]
        .into(),
    };
    let walk = Walk::of(&directory);
    assert_eq!(
        walk.leaf("by_group.[family]"),
        &Leaf::Text("<pii>".to_owned())
    );
    assert_eq!(
        walk.leaf("by_phone.[<pii>#1]"),
        &Leaf::Text("<pii>".to_owned())
    );
    assert_eq!(
        walk.leaf("by_phone.[<pii>#2]"),
        &Leaf::Text("<pii>".to_owned())
    );
    assert_no_leak(&walk.everything());
}

#[derive(Privacy)]
struct Contactable {
    #[pii(email, redact = email)]
    email: String,
    #[pii(name, redact = last(40))]
    long_name: String,
}

#[test]
fn text_longer_than_the_inline_buffer_is_shown_whole() {
    let contactable = Contactable {
        email: format!("{}@{}", marker::EMAIL_LOCAL, "sub.".repeat(30) + "example"),
        long_name: "é".repeat(100),
    };
    let walk = Walk::of(&contactable);
    let debug = format!("{contactable:?}");
    let email = walk.leaf("email").text();
    assert!(email.len() > 100, "{email}");
    assert!(debug.contains(&format!("email: {email},")), "{debug}");
    let name = walk.leaf("long_name").text();
    assert_eq!(name, format!("<pii:name …\"{}\">", "é".repeat(40)));
}

/// A unit struct, a recursive type, an empty enum and a bound override compile and walk.
#[derive(Privacy)]
struct Heartbeat;

#[derive(Privacy)]
struct Node {
    #[safe]
    id: u32,
    // Hidden: no output reads it.
    #[allow(dead_code)]
    #[pii(name)]
    label: String,
    children: Vec<Node>,
}

#[derive(Privacy)]
enum Never {}

#[derive(Privacy)]
#[privacy(bound(valuable = "T: valuable::Valuable + Copy"))]
struct Reading<T> {
    #[safe]
    value: T,
}

/// Its fields are copied out to be visited: a reference to one may be unaligned.
#[derive(Privacy)]
#[repr(C, packed)]
struct Packed {
    #[safe]
    id: u64,
    #[pii(phone, redact = last(2))]
    phone: &'static str,
    #[pii(name)]
    name: &'static str,
    nick: Pii<u16>,
}

/// Its last field may be unsized: `Valuable` in its sized instances, and `Text`, which has
/// none, compiles all the same.
#[derive(Privacy)]
struct Tail<T: ?Sized> {
    #[safe]
    id: u8,
    #[pii(phone, redact = last(2))]
    phone: &'static str,
    items: T,
}

#[derive(Privacy)]
struct Text {
    #[safe]
    id: u8,
    #[pii(phone, redact = last(4))]
    phone: str,
}

/// Unsized through its last field's type.
#[derive(Privacy)]
struct Wrapper {
    #[safe]
    id: u8,
    text: Text,
}

fn is_enumerable<T: Enumerable>() {}

#[test]
fn every_shape_is_walked() {
    let definition = Structable::definition(&Heartbeat);
    assert_eq!(definition.name(), "Heartbeat");
    assert!(matches!(definition.fields(), Fields::Unnamed(0)));
    assert!(Walk::of(&Heartbeat).leaves.is_empty());

    let tree = Node {
        id: 1,
        label: marker::NAME.into(),
        children: vec![Node {
            id: 2,
            label: marker::NICK.into(),
            children: Vec::new(),
        }],
    };
    let walk = Walk::of(&tree);
    assert_eq!(walk.leaf("children.0.id"), &Leaf::Other("2".to_owned()));
    assert_eq!(
        walk.leaf("children.0.label"),
        &Leaf::Text("<pii:name>".to_owned())
    );
    assert_no_leak(&walk.everything());

    let reading = Reading { value: 2.5f64 };
    assert_eq!(
        Walk::of(&reading).leaf("value"),
        &Leaf::Other("2.5".to_owned())
    );

    is_enumerable::<Never>();

    let packed = Packed {
        id: 3,
        phone: marker::PHONE,
        name: marker::NAME,
        nick: Pii::new(40_961),
    };
    let walk = Walk::of(&packed);
    assert_eq!(walk.leaf("id"), &Leaf::Other("3".to_owned()));
    assert_eq!(
        walk.leaf("phone"),
        &Leaf::Text(r#"<pii:phone …"58">"#.to_owned())
    );
    assert_eq!(walk.leaf("name"), &Leaf::Text("<pii:name>".to_owned()));
    assert_eq!(walk.leaf("nick"), &Leaf::Text("<pii>".to_owned()));
    assert_no_leak(&walk.everything());
    assert!(!walk.everything().contains("40961"));

    let tail = Tail {
        id: 5,
        phone: marker::PHONE,
        items: [Pii::new(marker::NICK), Pii::new(marker::NAME)],
    };
    let walk = Walk::of(&tail);
    assert_eq!(
        walk.leaf("phone"),
        &Leaf::Text(r#"<pii:phone …"58">"#.to_owned())
    );
    // A field of a type parameter may hold a map, whose keys valuable's own visit would hand
    // out as one `<pii>` each: it is the text of its redacted `Debug`.
    assert_eq!(walk.leaf("items"), &Leaf::Text("[<pii>, <pii>]".to_owned()));
    assert_no_leak(&walk.everything());
    // Unsized, it is still what the derive's `Debug` shows.
    let unsized_tail: &Tail<[Pii<&str>]> = &tail;
    assert_eq!(
        format!("{unsized_tail:?}"),
        r#"Tail { id: 5, phone: <pii:phone …"58">, items: [<pii>, <pii>] }"#
    );
    assert_eq!(<Text as privacy::Classified>::SCHEMA.type_name, "Text");
    assert!(<Wrapper as privacy::Classified>::SCHEMA.carries_pii);
}

#[test]
fn debug_of_the_value_is_the_redacted_debug() {
    // valuable's own `Debug` of a `Value` walks it: the same redactions, no marker.
    let member = member();
    let shown = format!("{:?}", member.as_value());
    assert_no_leak(&shown);
    assert!(
        shown.contains(r#"phone: "<pii:phone …\"0958\">""#),
        "{shown}"
    );
    assert!(shown.starts_with("Member { id: 918273645,"), "{shown}");
}

/// Walks everything and keeps nothing, so that the only allocations are the visited code's.
struct Discard(usize);

impl Discard {
    fn value(&mut self, value: Value<'_>) {
        self.0 += 1;
        match value {
            Value::Structable(v) => v.visit(self),
            Value::Enumerable(v) => v.visit(self),
            Value::Listable(v) => v.visit(self),
            Value::Mappable(v) => v.visit(self),
            Value::Tuplable(v) => v.visit(self),
            Value::String(text) => self.0 += text.len(),
            _ => {}
        }
    }
}

impl Visit for Discard {
    fn visit_value(&mut self, value: Value<'_>) {
        self.value(value);
    }

    fn visit_named_fields(&mut self, named_values: &NamedValues<'_>) {
        for (_, value) in named_values {
            self.value(*value);
        }
    }

    fn visit_unnamed_fields(&mut self, values: &[Value<'_>]) {
        for value in values {
            self.value(*value);
        }
    }

    fn visit_entry(&mut self, key: Value<'_>, value: Value<'_>) {
        self.value(key);
        self.value(value);
    }
}

#[test]
fn visiting_allocates_nothing() {
    let organization = organization();
    // The first pseudonym sets up the process-wide key.
    let _ = format!("{organization:?}");
    let mut discard = Discard(0);
    let made = allocations_during(|| organization.visit(&mut discard));
    assert!(discard.0 > 500, "{}", discard.0);
    assert_eq!(made, 0, "visiting allocated");
}

#[test]
fn a_member_is_walked_through_every_field_once() {
    let member: Member = member();
    let walk = Walk::of(&member);
    let top: BTreeSet<&str> = walk
        .leaves
        .iter()
        .map(|(path, _)| path.split('.').next().unwrap())
        .collect();
    let expected: BTreeSet<&str> = MEMBER_FIELDS.iter().copied().collect();
    assert_eq!(top, expected);
    let _: StructDef<'_> = member.definition();
}
