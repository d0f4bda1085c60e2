//! The generated code names everything by absolute path: it compiles without the prelude, next
//! to types that shadow the prelude's and `core::fmt`'s names, and adds no warnings or pedantic
//! lints.

#![deny(warnings, unused_qualifications, missing_docs)]
#![warn(clippy::pedantic)]

#[no_implicit_prelude]
mod shadowed {
    #![allow(dead_code)]

    use ::privacy::{Pii, Privacy};

    pub struct Result;
    pub struct Option;
    pub struct Some;
    pub struct None;
    pub struct Ok;
    pub struct Err;
    pub struct Formatter;
    pub struct Debug;
    pub struct Display;
    pub struct String;
    pub struct Vec;
    pub struct Box;
    pub trait Classified {}
    pub struct Field;
    pub struct Schema;
    pub mod core {}
    pub mod privacy {}
    pub mod _privacy {}

    /// A documented type: `missing_docs` must stay quiet about what the derive adds.
    #[derive(Privacy)]
    pub struct Member<'a, T> {
        #[safe]
        #[privacy(subject)]
        pub id: u64,
        #[pii(phone, redact = last(4))]
        pub phone: ::std::string::String,
        #[pii(email, redact = email, purposes(Support))]
        pub email: &'a str,
        #[pii(ip, redact = ip_prefix)]
        pub ip: ::std::net::IpAddr,
        #[pii(email, redact = hash)]
        pub hashed: ::std::string::String,
        #[pii(name, redact = first(1))]
        pub name: ::std::string::String,
        #[pii(redact = skip)]
        pub secret: T,
        pub nick: ::std::option::Option<Pii<::std::string::String>>,
        pub children: ::std::vec::Vec<Member<'a, T>>,
    }

    /// An enum of every variant shape.
    #[derive(Privacy)]
    pub enum Event<T> {
        /// Unit.
        Ping,
        /// Tuple.
        Call(#[pii(phone)] T, #[safe] u8),
        /// Named.
        Text {
            /// The message.
            #[pii(message)]
            body: ::std::string::String,
        },
    }

    /// Generic over a lifetime only, so registered in the data inventory.
    #[derive(Privacy)]
    pub struct Account<'a> {
        /// The handle.
        #[pii(account_id)]
        pub handle: &'a str,
        /// The owner.
        pub owner: Member<'a, u8>,
    }

    pub fn render() -> ::std::string::String {
        let member = Member {
            id: 1,
            phone: <::std::string::String as ::std::convert::From<&str>>::from("5550134"),
            email: "a@b.example",
            ip: ::std::net::IpAddr::V4(::std::net::Ipv4Addr::new(10, 1, 2, 3)),
            hashed: <::std::string::String as ::std::convert::From<&str>>::from("z@b.example"),
            name: <::std::string::String as ::std::convert::From<&str>>::from("Zoe"),
            secret: 9u8,
            nick: ::std::option::Option::None,
            children: ::std::vec::Vec::new(),
        };
        let event = Event::Call(0u8, 2);
        ::std::format!("{member:?} {event:?} {:?}", Event::<u8>::Ping)
    }
}

#[test]
fn registration_survives_no_implicit_prelude_and_shadowed_names() {
    let types = privacy::inventory::types();
    let names: Vec<_> = types
        .iter()
        .map(|t| t.path())
        .filter(|path| path.starts_with("hygiene::shadowed::"))
        .collect();
    assert_eq!(names, ["hygiene::shadowed::Account"]);
}

#[test]
fn derive_survives_no_implicit_prelude_and_shadowed_names() {
    let rendered = shadowed::render();
    let head = concat!(
        r#"Member { id: 1, phone: <pii:phone …"134">, email: <pii:email …@"b.example">, "#,
        r#"ip: <pii:ip 10.1.2.0/24>, hashed: <pii:email "#,
    );
    assert!(rendered.starts_with(head), "{rendered}");
    assert!(
        rendered.contains(r#">, name: <pii:name "Z"…>, nick: None, children: [], .. }"#),
        "{rendered}"
    );
    assert!(
        rendered.ends_with("Call(<pii:phone>, 2) Ping"),
        "{rendered}"
    );
}

/// Fields, parameters and paths named like what the expansion declares for itself: its locals,
/// its items, its generic parameters, and the type parameters of its checks, which are named
/// after fields.
#[allow(
    non_snake_case,
    non_camel_case_types,
    non_upper_case_globals,
    dead_code
)]
mod names {
    use std::fmt;

    use privacy::{Pii, Privacy};

    pub mod uuid {
        pub trait Tag {}
        impl Tag for u8 {}
    }

    pub mod shape {
        pub trait Shape {}
        impl Shape for u8 {}
    }

    fn __f(_: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("f")
    }

    fn __cx(_: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("cx")
    }

    fn __visitor(_: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("visitor")
    }

    fn __field_with(_: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("field")
    }

    #[allow(clippy::trivially_copy_pass_by_ref)] // as `skip_serializing_if` calls it
    fn __state(value: &u8) -> bool {
        *value == 0
    }

    #[allow(clippy::trivially_copy_pass_by_ref)] // as `skip_serializing_if` calls it
    fn __value(value: &u8) -> bool {
        *value == 0
    }

    /// A generic type, so that unannotated fields get a marker and a check of their own.
    #[derive(Privacy)]
    pub struct Locals<T> {
        #[safe]
        #[privacy(subject)]
        pub _privacy: u64,
        #[pii]
        pub _serde: T,
        pub _valuable: Pii<u8>,
        pub __f: T,
        #[pii(phone, redact = last(2))]
        pub __cx: String,
        #[safe]
        pub __serializer: u8,
        #[safe]
        pub __state: u8,
        #[safe]
        pub __value_0: u8,
        pub __nested_0: Pii<u8>,
        pub __visitor: T,
        #[pii(name, redact = first(1))]
        pub __value: String,
        pub __field: Vec<T>,
        #[safe]
        pub __field_a: u8,
        #[safe]
        pub a: u8,
        #[safe]
        pub __PrivacyContent: u8,
        #[safe]
        pub __PRIVACY_ANCHOR: u8,
        pub __privacy_fields: T,
        pub __privacy_nested_0: T,
        #[safe]
        pub __S: u8,
    }

    #[derive(Privacy)]
    #[serde(tag = "t", content = "c")]
    pub enum EnumLocals<T> {
        Named {
            #[safe]
            #[privacy(subject)]
            _privacy: u64,
            _serde: T,
            __f: T,
            #[pii(phone, redact = last(2))]
            __cx: String,
            #[safe]
            __state: u8,
            __field: T,
            #[safe]
            __field_a: u8,
            #[safe]
            a: u8,
        },
        Tuple(#[safe] u8, T),
    }

    /// Telemetry's own locals.
    #[derive(Privacy)]
    #[privacy(telemetry)]
    pub struct TelemetryLocals {
        #[safe]
        pub __prefix: u8,
        #[safe]
        pub __names: u8,
        #[safe]
        pub __values: u8,
        #[safe]
        pub __permit: u8,
        #[safe]
        pub __subject: u8,
    }

    /// Paths in attributes that name the user's functions, named like the expansion's locals.
    #[derive(Privacy)]
    pub struct Paths {
        #[pii(with = __f)]
        pub a: String,
        #[pii(with = __cx)]
        pub b: String,
        #[pii(with = __visitor)]
        pub c: String,
        #[safe]
        #[serde(skip_serializing_if = "__state")]
        pub d: u8,
    }

    #[derive(Privacy)]
    pub enum EnumPaths {
        Named {
            #[pii(with = __field_with)]
            with: String,
            #[pii(with = __f)]
            b: String,
            #[safe]
            #[serde(skip_serializing_if = "__value")]
            d: u8,
        },
    }

    /// Generic parameters named like the expansion's own.
    #[derive(Privacy)]
    #[serde(tag = "t", content = "c")]
    pub enum Generated<'__a, '__c, '__x, __S, __field> {
        A {
            #[safe]
            s: &'__a str,
            x: __S,
            f: Vec<__field>,
            #[pii]
            c: &'__c str,
            #[safe]
            y: &'__x u8,
        },
        B(__S),
    }

    #[derive(Privacy)]
    pub struct GeneratedStruct<'__x, __S, __field> {
        #[safe]
        pub s: &'__x str,
        pub x: __S,
        pub __field: __field,
    }

    #[derive(Privacy)]
    #[privacy(telemetry)]
    pub struct GeneratedTelemetry<'__a> {
        #[safe]
        pub s: &'__a str,
    }

    /// Fields named like a type parameter, a module in a bound, or a type the checks name.
    #[derive(Privacy)]
    pub struct Collide<T: shape::Shape, U: uuid::Tag> {
        #[safe]
        pub T: u8,
        #[safe]
        pub shape: u8,
        pub uuid: Pii<U>,
        pub inner: Pii<T>,
        pub Collide: Pii<u8>,
    }
}

#[test]
fn fields_named_like_the_expansion_s_own_names_redact() {
    let locals = names::Locals {
        _privacy: 7,
        _serde: privacy::Pii::new(1u8),
        _valuable: privacy::Pii::new(2),
        __f: privacy::Pii::new(3u8),
        __cx: "QZPHONEX8R3T0958".into(),
        __serializer: 4,
        __state: 5,
        __value_0: 6,
        __nested_0: privacy::Pii::new(7),
        __visitor: privacy::Pii::new(8),
        __value: "QZNAMEX7K2P9W4".into(),
        __field: vec![privacy::Pii::new(9)],
        __field_a: 10,
        a: 11,
        __PrivacyContent: 12,
        __PRIVACY_ANCHOR: 13,
        __privacy_fields: privacy::Pii::new(14),
        __privacy_nested_0: privacy::Pii::new(15),
        __S: 16,
    };
    let debug = format!("{locals:?}");
    assert_eq!(
        debug,
        concat!(
            "Locals { _privacy: 7, _serde: <pii>, _valuable: <pii>, __f: <pii>, ",
            r#"__cx: <pii:phone …"58">, __serializer: 4, __state: 5, __value_0: 6, "#,
            r#"__nested_0: <pii>, __visitor: <pii>, __value: <pii:name "Q"…>, "#,
            "__field: [<pii>], __field_a: 10, a: 11, __PrivacyContent: 12, ",
            "__PRIVACY_ANCHOR: 13, __privacy_fields: <pii>, __privacy_nested_0: <pii>, __S: 16 }",
        )
    );
    let json = serde_json::to_string(&locals).unwrap();
    assert!(
        json.starts_with(r#"{"_privacy":7,"_serde":"<pii>","#),
        "{json}"
    );
    assert!(!json.contains("QZPHONEX8R3T0958") && !json.contains("QZNAMEX7K2P9W4"));
    assert_eq!(
        privacy::Classified::subject(&locals),
        ::std::option::Option::Some(privacy::SubjectId::from("7"))
    );

    let named = names::EnumLocals::Named {
        _privacy: 1,
        _serde: privacy::Pii::new(2u8),
        __f: privacy::Pii::new(3),
        __cx: "QZPHONEX8R3T0958".into(),
        __state: 4,
        __field: privacy::Pii::new(5),
        __field_a: 6,
        a: 7,
    };
    assert_eq!(
        format!("{named:?}"),
        r#"Named { _privacy: 1, _serde: <pii>, __f: <pii>, __cx: <pii:phone …"58">, __state: 4, __field: <pii>, __field_a: 6, a: 7 }"#
    );
    assert_eq!(
        serde_json::to_string(&names::EnumLocals::<privacy::Pii<u8>>::Tuple(
            1,
            privacy::Pii::new(2)
        ))
        .unwrap(),
        r#"{"t":"Tuple","c":[1,"<pii>"]}"#
    );

    let telemetry = names::TelemetryLocals {
        __prefix: 1,
        __names: 2,
        __values: 3,
        __permit: 4,
        __subject: 5,
    };
    assert_eq!(
        format!("{telemetry:?}"),
        "TelemetryLocals { __prefix: 1, __names: 2, __values: 3, __permit: 4, __subject: 5 }"
    );
    privacy::telemetry::emit(&telemetry);

    let collide = names::Collide {
        T: 1,
        shape: 2,
        uuid: privacy::Pii::new(3u8),
        inner: privacy::Pii::new(4u8),
        Collide: privacy::Pii::new(5),
    };
    assert_eq!(
        format!("{collide:?}"),
        "Collide { T: 1, shape: 2, uuid: <pii>, inner: <pii>, Collide: <pii> }"
    );
}

#[test]
fn paths_in_attributes_name_the_user_s_items_not_the_expansion_s_locals() {
    let paths = names::Paths {
        a: "QZNAMEX7K2P9W4".into(),
        b: "QZNAMEX7K2P9W4".into(),
        c: "QZNAMEX7K2P9W4".into(),
        d: 0,
    };
    assert_eq!(
        format!("{paths:?}"),
        "Paths { a: <pii f>, b: <pii cx>, c: <pii visitor>, d: 0 }"
    );
    assert_eq!(
        serde_json::to_string(&paths).unwrap(),
        r#"{"a":"<pii f>","b":"<pii cx>","c":"<pii visitor>"}"#
    );
    let named = names::EnumPaths::Named {
        with: "QZNAMEX7K2P9W4".into(),
        b: "QZNAMEX7K2P9W4".into(),
        d: 1,
    };
    assert_eq!(
        format!("{named:?}"),
        "Named { with: <pii field>, b: <pii f>, d: 1 }"
    );
    assert_eq!(
        serde_json::to_string(&named).unwrap(),
        r#"{"Named":{"with":"<pii field>","b":"<pii f>","d":1}}"#
    );
}

#[test]
fn generic_parameters_named_like_the_expansion_s_own_redact() {
    let generated: names::Generated<'_, '_, '_, privacy::Pii<u8>, privacy::Pii<u8>> =
        names::Generated::A {
            s: "shown",
            x: privacy::Pii::new(1),
            f: vec![privacy::Pii::new(2)],
            c: "QZNAMEX7K2P9W4",
            y: &3,
        };
    assert_eq!(
        format!("{generated:?}"),
        r#"A { s: "shown", x: <pii>, f: [<pii>], c: <pii>, y: 3 }"#
    );
    assert_eq!(
        serde_json::to_string(&generated).unwrap(),
        r#"{"t":"A","c":{"s":"shown","x":"<pii>","f":["<pii>"],"c":"<pii>","y":3}}"#
    );
    let generated = names::GeneratedStruct {
        s: "shown",
        x: privacy::Pii::new(1u8),
        __field: privacy::Pii::new(2u8),
    };
    assert_eq!(
        format!("{generated:?}"),
        r#"GeneratedStruct { s: "shown", x: <pii>, __field: <pii> }"#
    );
    let telemetry = names::GeneratedTelemetry { s: "shown" };
    privacy::telemetry::emit(&telemetry);
}
