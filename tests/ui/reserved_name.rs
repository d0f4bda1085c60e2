#![allow(non_camel_case_types, non_upper_case_globals)]

use privacy::{Pii, Privacy};

#[derive(Privacy)]
struct Member<_privacy, const __PRIVACY_ANCHOR: usize> {
    nick: Pii<_privacy>,
    #[safe]
    codes: [u8; __PRIVACY_ANCHOR],
}

#[derive(Privacy)]
struct _serde {
    #[safe]
    id: u8,
}

fn main() {}
