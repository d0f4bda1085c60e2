//! An explicit bound replaces the inferred ones, never the rule that a field without an
//! attribute classifies itself: neither a generic field nor one that contains the type itself
//! is shown through a raw type's `Debug`.

use privacy::Privacy;

#[derive(Privacy)]
#[privacy(bound(debug = "T: std::fmt::Debug"))]
struct Envelope<T> {
    inner: T,
}

#[derive(Privacy)]
#[privacy(bound(
    debug = "T: std::fmt::Debug",
    classified = "T: privacy::Classified",
    serialize = "T: serde::Serialize"
))]
struct Chain<T> {
    next: Option<Box<(Chain<T>, T)>>,
}

fn main() {
    let _ = format!("{:?}", Envelope { inner: String::from("alice@example.com") });
    let _ = format!("{:?}", Chain::<String> { next: None });
}
