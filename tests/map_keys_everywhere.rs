//! Keys that classify themselves are written apart (`<pii>#1`, `<pii>#2`) in every output, so
//! that no entry is lost where a reader keeps one per key: also where the map is reached some
//! other way than a map field of a derived type (a generic field, a map in a map, a tuple, a
//! `Cow`), and where two flattened maps share one JSON object.

#[path = "fixture/capture.rs"]
mod capture;

use std::borrow::Cow;
use std::collections::BTreeMap;

use capture::{captured, Format};
use privacy::{Pii, Privacy};

fn pii(text: &str) -> Pii<String> {
    Pii::new(text.to_owned())
}

fn book() -> BTreeMap<Pii<String>, Pii<String>> {
    BTreeMap::from([
        (pii("QZKEYAX1K7"), pii("QZVALAX2M8")),
        (pii("QZKEYBX3N9"), pii("QZVALBX4P1")),
    ])
}

#[derive(Privacy)]
struct Envelope<T> {
    inner: T,
}

#[derive(Privacy)]
struct Shapes {
    nested: BTreeMap<Pii<String>, BTreeMap<Pii<String>, Pii<String>>>,
    #[privacy(keys = safe)]
    by_group: BTreeMap<String, BTreeMap<Pii<String>, Pii<String>>>,
    pair: (BTreeMap<Pii<String>, Pii<String>>, Pii<u8>),
    cow: Cow<'static, BTreeMap<Pii<String>, Pii<String>>>,
}

/// Debug (and so `tracing::info!(x = ?x)` and `#[privacy::instrument]`) of a map in a generic
/// field, a map in a map, a tuple or a `Cow`: `{<pii>: <pii>, <pii>: <pii>}`, while the JSON of
/// the same values writes `<pii>#1`, `<pii>#2`.
#[test]
fn debug_writes_keys_apart_wherever_the_map_is() {
    let envelope = Envelope { inner: book() };
    let shapes = Shapes {
        nested: BTreeMap::from([(pii("QZOUTERX5Q2"), book())]),
        by_group: BTreeMap::from([("family".to_owned(), book())]),
        pair: (book(), Pii::new(1)),
        cow: Cow::Owned(book()),
    };
    let json = serde_json::to_string(&envelope).unwrap();
    assert!(json.contains("<pii>#2"), "JSON does: {json}");
    let logged = captured(Format::Json, || tracing::info!(envelope = ?envelope));
    let outputs = [format!("{envelope:?}"), logged, format!("{shapes:?}")];
    let merged: Vec<&String> = outputs
        .iter()
        .filter(|output| output.contains("<pii>: <pii>"))
        .collect();
    assert!(merged.is_empty(), "keys not written apart: {merged:#?}");
}

#[derive(Privacy)]
struct Flattened {
    #[safe]
    id: u8,
    #[serde(flatten)]
    home: BTreeMap<Pii<String>, Pii<String>>,
    #[serde(flatten)]
    work: BTreeMap<Pii<String>, Pii<String>>,
}

/// Two flattened maps are numbered from 1 each, into one object: `{"id":1,"<pii>#1":..,
/// "<pii>#1":..}`. A reader keeps one of the two entries.
#[test]
fn flattened_maps_keep_every_entry() {
    let value = Flattened {
        id: 1,
        home: BTreeMap::from([(pii("QZKEYAX1K7"), pii("QZVALAX2M8"))]),
        work: BTreeMap::from([(pii("QZKEYBX3N9"), pii("QZVALBX4P1"))]),
    };
    let json = serde_json::to_string(&value).unwrap();
    let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        parsed.as_object().unwrap().len(),
        3,
        "every entry is kept: {json} read as {parsed}"
    );
}

/// valuable: a map field is visited with its keys apart, but a map in an `Option`, a `Vec` or
/// a generic field is visited with every key `<pii>` (a JSON subscriber keeps one entry).
#[cfg(feature = "valuable")]
#[test]
fn valuable_visits_keys_apart_wherever_the_map_is() {
    use valuable::{NamedValues, Valuable, Value, Visit};

    #[derive(Default)]
    struct Keys(Vec<String>);

    impl Visit for Keys {
        fn visit_value(&mut self, value: Value<'_>) {
            match value {
                Value::Structable(v) => v.visit(self),
                Value::Enumerable(v) => v.visit(self),
                Value::Listable(v) => v.visit(self),
                Value::Mappable(v) => v.visit(self),
                Value::Tuplable(v) => v.visit(self),
                _ => {}
            }
        }
        fn visit_named_fields(&mut self, values: &NamedValues<'_>) {
            for (_, value) in values {
                self.visit_value(*value);
            }
        }
        fn visit_unnamed_fields(&mut self, values: &[Value<'_>]) {
            for value in values {
                self.visit_value(*value);
            }
        }
        fn visit_entry(&mut self, key: Value<'_>, value: Value<'_>) {
            self.0.push(format!("{key:?}"));
            self.visit_value(value);
        }
    }

    #[derive(Privacy)]
    struct Held {
        optional: Option<BTreeMap<Pii<String>, Pii<String>>>,
        many: Vec<BTreeMap<Pii<String>, Pii<String>>>,
    }

    let held = Held {
        optional: Some(book()),
        many: vec![book()],
    };
    let envelope = Envelope { inner: book() };
    let mut keys = Keys::default();
    for value in [&held as &dyn Valuable, &envelope] {
        keys.visit_value(value.as_value());
    }
    assert!(
        keys.0.iter().all(|key| key.contains("<pii>#")),
        "keys not apart: {:?}",
        keys.0
    );
}
