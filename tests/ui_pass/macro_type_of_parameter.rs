//! A field whose type is a macro call that uses a parameter (`ty!(T)`): the derive cannot see
//! `T` in it, so it treats the field as generic and requires that its type classify itself.

use privacy::{Pii, Privacy};

macro_rules! ty {
    ($t:ty) => { $t };
}

#[derive(Privacy)]
struct Wrapped<T> {
    inner: ty!(T),
}

fn main() {
    let wrapped = Wrapped { inner: Pii::new(String::from("QZPHONEX1")) };
    assert_eq!(format!("{wrapped:?}"), "Wrapped { inner: <pii> }");
}
