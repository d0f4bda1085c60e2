//! Fields, parameters and lifetimes named like the expansion's own locals and generic
//! parameters, and a field named like a type a bound uses.

#![allow(non_camel_case_types)]

use privacy::{Pii, Privacy};

mod uuid {
    pub trait Tag {}
    impl Tag for u8 {}
}

#[derive(Privacy)]
struct Names<'__a, '__c, __S: uuid::Tag, __field> {
    #[safe]
    _privacy: u8,
    #[safe]
    __f: u8,
    #[safe]
    __state: u8,
    #[safe]
    uuid: __S,
    #[pii(name)]
    __serializer: &'__a str,
    __field: &'__c Pii<__field>,
}

fn main() {
    let nick = Pii::new(5_u16);
    let names = Names { _privacy: 1, __f: 2, __state: 3, uuid: 4_u8, __serializer: "Ann", __field: &nick };
    assert_eq!(
        format!("{names:?}"),
        "Names { _privacy: 1, __f: 2, __state: 3, uuid: 4, __serializer: <pii:name>, __field: <pii> }"
    );
    assert_eq!(
        serde_json::to_string(&names).unwrap(),
        r#"{"_privacy":1,"__f":2,"__state":3,"uuid":4,"__serializer":"<pii:name>","__field":"<pii>"}"#
    );
}
