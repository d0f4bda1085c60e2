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
    let names: Vec<_> = types.iter().map(|t| t.path()).collect();
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
