//! Red team: the error for a generic field of a raw type names the field `_::inner`, not
//! `inner`, as soon as two derived generic types in the crate have a field of one name (a
//! common case: `inner`, `value`, `data`). rustc prints the derive's marker struct by its bare
//! name only while that name is unique; "add `#[safe]` to field `_::inner`" names no field.
//! The expected output below is the one the single-type case gives (`field `inner``).

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
