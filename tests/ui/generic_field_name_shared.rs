//! Two derived generic types with a field of one name (`inner`, `value`, `data` are common):
//! the error for an unclassified field still names the field. rustc prints a marker whose
//! name is unique by that name (`inner`), and one that two types share by its path, `_::inner`
//! (the derive's items live in an anonymous const: a named one would make every generated impl
//! a non-local definition). The field's type and the type it belongs to are named beside it.

use privacy::Privacy;

#[derive(Privacy)]
struct Envelope<T> {
    inner: T,
}

#[derive(Privacy)]
struct Parcel<T> {
    inner: T,
}

fn main() {
    let _ = format!("{:?}", Envelope { inner: String::new() });
    let _ = Parcel { inner: () };
}
