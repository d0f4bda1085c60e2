//! Generic types: a field without an attribute is shown through its type's own redacted output
//! in every instance, and an instance whose parameter is a raw type does not compile (see
//! `tests/ui/generic_field_*.rs`). Here, the instances that do compile keep every marker out of
//! Debug, JSON, tracing and reveal views, and show what the permit allows.

#[path = "fixture/capture.rs"]
mod capture;

use capture::{captured, Format};
use privacy::consent::{ConsentStore, Evidence, MemoryConsentStore};
use privacy::purpose::Support;
use privacy::{Class, Classified, Oii, Pii, Privacy, Reveal, SubjectId};

/// Runs `f` with its views audited in memory: a view shows raw values only once a sink has
/// accepted the record of them.
fn audited<R>(f: impl FnOnce() -> R) -> R {
    privacy::audit::with_sink(std::sync::Arc::new(privacy::audit::MemorySink::new()), f)
}

const INNER: &str = "QZINNERX4N8P2";
const ITEM: &str = "QZITEMX7R3K5";
const FIRST: &str = "QZFIRSTX2W6J9";
const TEXT: &str = "QZTEXTX5M1H4";
const PHONE: &str = "QZPHONEX9T3B7";
const ALL: &[&str] = &[INNER, ITEM, FIRST, TEXT, PHONE];

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

#[derive(Privacy)]
struct Contact {
    #[safe]
    #[privacy(subject)]
    id: u64,
    #[pii(phone, redact = last(2), purposes(Support))]
    phone: String,
}

fn assert_hidden(output: &str) {
    for marker in ALL {
        assert!(!output.contains(marker), "{marker} in {output}");
    }
}

#[test]
fn instances_of_classified_types_redact_in_every_output() {
    audited(|| {
        let envelope = Envelope {
            id: 41,
            inner: Pii::new(String::from(INNER)),
        };
        let batch = Batch {
            items: vec![Oii::new(String::from(ITEM))],
            first: Some(Box::new(Oii::new(String::from(FIRST)))),
        };
        let message = Message::Text(Pii::new(String::from(TEXT)));
        let nested = Envelope {
            id: 42,
            inner: Contact {
                id: 7,
                phone: PHONE.into(),
            },
        };
        let outputs = [
            format!("{envelope:?}"),
            format!("{envelope:#?}"),
            format!("{batch:?}"),
            format!("{message:?}"),
            format!("{:?}", Message::<Pii<String>>::Empty),
            format!("{nested:?}"),
            serde_json::to_string(&envelope).unwrap(),
            serde_json::to_string(&batch).unwrap(),
            serde_json::to_string(&message).unwrap(),
            serde_json::to_string(&nested).unwrap(),
            captured(Format::Json, || {
                tracing::info!(envelope = ?envelope, batch = ?batch, message = ?message, nested = ?nested);
            }),
        ];
        for output in &outputs {
            assert_hidden(output);
        }
        assert_eq!(
            outputs[0], "Envelope { id: 41, inner: <pii> }",
            "safe values are shown"
        );
        assert_eq!(outputs[2], "Batch { items: [<oii>], first: Some(<oii>) }");
        assert_eq!(
            outputs[5],
            r#"Envelope { id: 42, inner: Contact { id: 7, phone: <pii:phone …"B7"> } }"#
        );
        assert_eq!(Envelope::<Pii<String>>::SCHEMA.class(), Class::Pii);
        assert_eq!(Batch::<Oii<String>>::SCHEMA.class(), Class::Oii);
    });
}

#[test]
fn a_reveal_through_a_generic_field_shows_what_the_permit_allows() {
    audited(|| {
        let nested = Envelope {
            id: 42,
            inner: vec![
                Contact {
                    id: 7,
                    phone: PHONE.into(),
                },
                Contact {
                    id: 8,
                    phone: INNER.into(),
                },
            ],
        };
        let store = MemoryConsentStore::new();
        let subject = SubjectId::from(7_u64);
        store
            .grant(&subject, Support, Evidence::new("support chat"))
            .unwrap();
        let consent = store.consent::<Support>(&subject).unwrap();
        for output in [
            format!("{:?}", nested.reveal(&consent)),
            serde_json::to_string(&nested.reveal(&consent)).unwrap(),
        ] {
            assert!(output.contains(PHONE), "{output}");
            assert!(!output.contains(INNER), "{output}");
        }
    });
}
