//! `&'a T` in a generic field: the `T: 'a` the struct implies holds in every function the
//! derive generates, as it does in its impls.

use privacy::{Pii, Privacy};

#[derive(Privacy)]
struct Borrowed<'a, T> {
    inner: &'a T,
}

fn main() {
    let phone = Pii::new(String::from("QZPHONEX1"));
    let borrowed = Borrowed { inner: &phone };
    assert_eq!(format!("{borrowed:?}"), "Borrowed { inner: <pii> }");
}
