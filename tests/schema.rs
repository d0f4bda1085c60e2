//! The static schema: every field's name, class, kind, strategy, purposes and subject flag, and
//! what a type carries, transitively.

#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;
use std::sync::Arc;

use privacy::purpose::{Diagnostics, Support};
use privacy::{
    Class, Classified, Field, Kind, Oii, Pii, Privacy, Purpose, Schema, Shape, Strategy,
};

fn fields(schema: &Schema) -> &'static [Field] {
    match schema.shape {
        Shape::Struct(fields) => fields,
        other => panic!("expected a struct, got {other:?}"),
    }
}

/// A purpose declared by the user.
struct FraudReview;

impl Purpose for FraudReview {
    const NAME: &'static str = "fraud_review";
    const DESCRIPTION: &'static str = "Investigating reported fraud";
}

fn mask(_: &str, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    f.write_str("masked")
}

#[derive(Privacy)]
struct Member {
    #[safe]
    #[privacy(subject)]
    id: u64,
    #[pii(phone, redact = last(4), purposes(Support, Diagnostics))]
    phone: String,
    #[pii(email, redact = hash, purposes(FraudReview))]
    email: String,
    #[oii(org_name)]
    org: String,
    #[pii(custom = "badge", with = mask)]
    badge: String,
    #[pii(redact = skip)]
    secret: String,
    avatar: Avatar,
}

#[derive(Privacy)]
struct Avatar {
    #[safe]
    size: u16,
}

#[test]
fn fields_are_described_in_declaration_order() {
    let schema = Member::SCHEMA;
    assert_eq!(schema.type_name, "Member");
    assert!(schema.carries_pii && schema.carries_oii);
    let f = fields(schema);
    let names: Vec<_> = f.iter().map(|f| f.name).collect();
    assert_eq!(
        names,
        ["id", "phone", "email", "org", "badge", "secret", "avatar"]
    );

    assert_eq!(
        (f[0].class, f[0].kind, f[0].strategy, f[0].subject),
        (Class::Safe, None, None, true)
    );
    assert_eq!(
        (f[1].class, f[1].kind, f[1].strategy),
        (Class::Pii, Some(Kind::Phone), Some(Strategy::Last(4)))
    );
    assert_eq!(f[1].purposes, [Support::NAME, Diagnostics::NAME]);
    assert_eq!(
        (f[2].strategy, f[2].purposes),
        (Some(Strategy::Hash), &["fraud_review"][..])
    );
    assert_eq!(
        (f[3].class, f[3].kind, f[3].strategy),
        (Class::Oii, Some(Kind::OrgName), Some(Strategy::Hide))
    );
    assert_eq!(
        (f[4].kind, f[4].strategy),
        (Some(Kind::Custom("badge")), Some(Strategy::With("mask")))
    );
    assert_eq!(f[5].strategy, Some(Strategy::Skip));
    assert!(!f[1].subject && f[1].nested.is_none());

    let avatar = f[6]
        .nested_schema()
        .expect("a nested field links its type's schema");
    assert_eq!(
        (avatar.type_name, f[6].class, f[6].kind, f[6].strategy),
        ("Avatar", Class::Safe, None, None)
    );
    assert!(!avatar.carries_personal_data());
}

#[derive(Privacy)]
struct Outer {
    #[safe]
    id: u8,
    inner: Vec<Option<Box<Inner>>>,
}

#[derive(Privacy)]
struct Inner {
    #[oii(tenant_id)]
    tenant: u32,
    deeper: Arc<Deepest>,
}

#[derive(Privacy)]
struct Deepest {
    #[pii(location)]
    place: String,
}

#[test]
fn carrying_is_transitive_through_containers() {
    assert!(Outer::SCHEMA.carries_pii && Outer::SCHEMA.carries_oii);
    assert_eq!(
        fields(Outer::SCHEMA)[1].class,
        Class::Pii,
        "a nested field reports the most sensitive class"
    );
    assert_eq!(Inner::SCHEMA.class(), Class::Pii);
    assert_eq!(
        fields(Inner::SCHEMA)[1].nested_schema().unwrap().type_name,
        "Deepest"
    );
}

#[derive(Privacy)]
struct OnlySafe {
    #[safe]
    count: u32,
    org: Option<Oii<String>>,
}

#[test]
fn oii_only_types() {
    assert!(!OnlySafe::SCHEMA.carries_pii && OnlySafe::SCHEMA.carries_oii);
    assert_eq!(OnlySafe::SCHEMA.class(), Class::Oii);
    assert_eq!(fields(OnlySafe::SCHEMA)[1].class, Class::Oii);
}

#[test]
fn wrappers_and_containers() {
    let pii = <Pii<String>>::SCHEMA;
    assert!(matches!(
        pii.shape,
        Shape::Value {
            class: Class::Pii,
            kind: None
        }
    ));
    assert!(pii.carries_pii && !pii.carries_oii);
    assert!(matches!(
        <Oii<u8>>::SCHEMA.shape,
        Shape::Value {
            class: Class::Oii,
            ..
        }
    ));
    // Containers are transparent.
    for schema in [
        <Option<Avatar>>::SCHEMA,
        <Vec<Avatar>>::SCHEMA,
        <Box<Avatar>>::SCHEMA,
        <Rc<Avatar>>::SCHEMA,
        <&Avatar>::SCHEMA,
        <[Avatar; 3]>::SCHEMA,
        <[Avatar]>::SCHEMA,
    ] {
        assert_eq!(schema.type_name, "Avatar");
    }
    let tuple = <(Avatar, Pii<u8>)>::SCHEMA;
    let Shape::Tuple(elements) = tuple.shape else {
        panic!("{tuple:?}")
    };
    assert_eq!(elements.len(), 2);
    assert!(tuple.carries_pii);
    let map = <HashMap<Oii<String>, Avatar>>::SCHEMA;
    let Shape::Map { key, value } = map.shape else {
        panic!("{map:?}")
    };
    assert_eq!((key().type_name, value().type_name), ("Oii", "Avatar"));
    assert!(map.carries_oii && !map.carries_pii);
    assert!(<BTreeMap<Pii<u8>, Avatar>>::SCHEMA.carries_pii);
}

#[derive(Privacy)]
enum Contact {
    Phone(#[pii(phone)] String),
    Org {
        #[oii(domain)]
        domain: String,
        #[safe]
        #[privacy(subject)]
        owner: u64,
    },
    Nobody,
}

#[test]
fn enums_list_their_variants() {
    let Shape::Enum(variants) = Contact::SCHEMA.shape else {
        panic!()
    };
    let names: Vec<_> = variants.iter().map(|v| v.name).collect();
    assert_eq!(names, ["Phone", "Org", "Nobody"]);
    assert_eq!(variants[0].fields[0].name, "0");
    assert_eq!(variants[0].fields[0].kind, Some(Kind::Phone));
    assert_eq!(variants[1].fields[0].kind, Some(Kind::Domain));
    assert!(variants[1].fields[1].subject);
    assert!(variants[2].fields.is_empty());
    assert!(Contact::SCHEMA.carries_pii && Contact::SCHEMA.carries_oii);
}

#[derive(Privacy)]
struct Tree {
    #[pii(name)]
    label: String,
    children: Vec<Tree>,
}

#[derive(Privacy)]
struct SafeTree {
    #[safe]
    label: u8,
    children: Vec<SafeTree>,
}

#[test]
fn recursive_types_have_a_finite_schema() {
    let children = fields(Tree::SCHEMA)[1];
    assert_eq!(
        children.class,
        Class::Pii,
        "a recursive field carries what its type carries"
    );
    assert_eq!(children.nested_schema().unwrap().type_name, "Tree");
    assert_eq!(fields(SafeTree::SCHEMA)[1].class, Class::Safe);
    assert!(!SafeTree::SCHEMA.carries_personal_data());
}

#[derive(Privacy)]
struct EveryKind {
    #[pii(name)]
    a: (),
    #[pii(phone)]
    b: (),
    #[pii(email)]
    c: (),
    #[pii(ip)]
    d: (),
    #[pii(address)]
    e: (),
    #[pii(location)]
    f: (),
    #[pii(message)]
    g: (),
    #[pii(birthdate)]
    h: (),
    #[pii(government_id)]
    i: (),
    #[pii(payment_card)]
    j: (),
    #[pii(device_id)]
    k: (),
    #[pii(account_id)]
    l: (),
    #[oii(org_name)]
    m: (),
    #[oii(tenant_id)]
    n: (),
    #[oii(domain)]
    o: (),
}

#[test]
fn the_macro_and_the_runtime_agree_on_every_kind() {
    let declared: Vec<Kind> = fields(EveryKind::SCHEMA)
        .iter()
        .map(|f| f.kind.unwrap())
        .collect();
    assert_eq!(declared, Kind::BUILT_IN);
    for field in fields(EveryKind::SCHEMA) {
        let kind = field.kind.unwrap();
        assert_eq!(Some(field.class), kind.class(), "{kind}");
        assert_eq!(Kind::from_name(kind.as_str()), Some(kind));
    }
    let rendered = format!(
        "{:?}",
        EveryKind {
            a: (),
            b: (),
            c: (),
            d: (),
            e: (),
            f: (),
            g: (),
            h: (),
            i: (),
            j: (),
            k: (),
            l: (),
            m: (),
            n: (),
            o: ()
        }
    );
    for kind in Kind::BUILT_IN {
        let class = kind.class().unwrap();
        assert!(
            rendered.contains(&format!("<{class}:{kind}>")),
            "{rendered}"
        );
    }
}

#[test]
fn the_subject_of_a_value() {
    use privacy::SubjectId;
    assert_eq!(Member::SCHEMA.type_name, "Member");
    let org = Contact::Org {
        domain: "example.org".into(),
        owner: 42,
    };
    assert_eq!(org.subject(), Some(SubjectId::from("42")));
    assert_eq!(
        Contact::Phone("1".into()).subject(),
        None,
        "this variant names no subject"
    );
    assert_eq!(
        Avatar { size: 1 }.subject(),
        None,
        "a type without a subject field"
    );
}
