//! `&'a T` in a generic field: a valid struct (the `T: 'a` bound is implied), which the derive
//! rejects with E0309 "the parameter type `T` may not live long enough" at `#[derive(Privacy)]`.

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
