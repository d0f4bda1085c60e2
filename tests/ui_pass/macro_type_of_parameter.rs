//! A field whose type is a macro call that uses a parameter: the derive cannot see `T` in
//! `ty!(T)`, adds no bound for it, and fails with E0599 about its own `NestedKeysProbe` and
//! `NestedProbe` instead.

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
