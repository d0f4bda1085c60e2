//! A tuple of up to twelve values that classify themselves, in a generic field: `Debug`,
//! `Serialize` and their revealing forms hold for it, as `Classified` does.

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
    let twelve = Envelope { inner: (p(), p(), p(), p(), p(), p(), p(), p(), p(), p(), p(), p()) };
    let json = serde_json::to_string(&twelve).unwrap();
    assert_eq!(json.matches("<pii>").count(), 12, "{json}");
}
