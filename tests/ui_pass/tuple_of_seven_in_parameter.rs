//! A tuple of seven wrappers classifies itself (`Classified` goes up to twelve) and a generic
//! field of it has a `Debug`, but no `Serialize`: "field `inner` is not classified ... or what it
//! holds does not serialize", though every element is a `Pii<u8>`. The reveal traits stop at six.

use privacy::{Pii, Privacy};

#[derive(Privacy)]
struct Envelope<T> {
    inner: T,
}

fn main() {
    let p = || Pii::new(1_u8);
    let envelope = Envelope { inner: (p(), p(), p(), p(), p(), p(), p()) };
    let _ = format!("{envelope:?}");
    let _ = serde_json::to_string(&envelope).unwrap();
}
