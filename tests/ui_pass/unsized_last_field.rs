//! Unsized last fields: `str` with a partial strategy, a slice of wrappers, and `T: ?Sized`.

use privacy::{Pii, Privacy};

#[derive(Privacy)]
struct Text {
    #[safe]
    id: u8,
    #[pii(phone, redact = last(4))]
    phone: str,
}

#[derive(Privacy)]
struct Items {
    #[safe]
    id: u8,
    items: [Pii<u8>],
}

#[derive(Privacy)]
struct Tail<T: ?Sized> {
    #[safe]
    id: u8,
    items: T,
}

fn main() {
    let tail: &Tail<[Pii<u8>]> = &Tail { id: 1, items: [Pii::new(2), Pii::new(3)] };
    assert_eq!(format!("{tail:?}"), "Tail { id: 1, items: [<pii>, <pii>] }");
    assert_eq!(serde_json::to_string(tail).unwrap(), r#"{"id":1,"items":["<pii>","<pii>"]}"#);
    let _: Option<&Text> = None;
    let _: Option<&Items> = None;
}
