//! `#[repr(packed)]`: a reference to a field may be unaligned, so the derive copies each field
//! it reads out first, as std's `derive(Debug)` does.

use privacy::{Pii, Privacy};

#[derive(Privacy)]
#[repr(C, packed)]
struct Packed {
    #[safe]
    id: u32,
    #[pii(phone, redact = last(2))]
    code: u64,
    nick: Pii<u16>,
}

fn main() {
    let packed = Packed { id: 7, code: 4_402_079_460_958, nick: Pii::new(9) };
    assert_eq!(format!("{packed:?}"), r#"Packed { id: 7, code: <pii:phone …"58">, nick: <pii> }"#);
    assert_eq!(
        serde_json::to_string(&packed).unwrap(),
        r#"{"id":7,"code":"<pii:phone …\"58\">","nick":"<pii>"}"#
    );
}
