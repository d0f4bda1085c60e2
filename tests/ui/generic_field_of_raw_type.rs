//! A field without an attribute must classify itself whatever the type's parameters are: an
//! instance whose parameter is a raw type has no `Debug`, `Serialize`, schema or reveal.

use privacy::consent::{ConsentStore, Evidence, MemoryConsentStore};
use privacy::purpose::Support;
use privacy::{Classified, Privacy, Reveal, SubjectId};

#[derive(Privacy)]
struct Envelope<T> {
    #[safe]
    id: u32,
    inner: T,
}

#[derive(Privacy)]
struct Batch<T> {
    items: Vec<T>,
    first: Option<Box<T>>,
}

#[derive(Privacy)]
enum Message<T> {
    Text(T),
    Empty,
}

fn main() {
    let envelope = Envelope { id: 1, inner: String::from("alice@example.com") };
    let _ = format!("{envelope:?}");
    let _ = serde_json::to_string(&envelope);
    let _ = Envelope::<String>::SCHEMA;
    tracing::info!(envelope = ?envelope);

    let batch = Batch { items: vec![String::new()], first: None };
    let _ = format!("{batch:?}");

    let message = Message::Text(String::from("hi"));
    let _ = format!("{message:?}");

    let store = MemoryConsentStore::new();
    let consent = store.consent::<Support>(&SubjectId::from("1")).unwrap();
    let _ = format!("{:?}", envelope.reveal(&consent));
    let _ = Evidence::new("");
}
