//! Maps in derived types: `#[privacy(keys = safe)]` shows keys as they are and values as they
//! redact; keys that classify themselves are written apart (`<pii>#1`, `<pii>#2`) in every
//! output, so that no entry is lost where a reader keeps one entry per key.

#[path = "fixture/capture.rs"]
mod capture;

use std::collections::{BTreeMap, HashMap};

use capture::{captured, Format};
use privacy::consent::{ConsentStore, Evidence, MemoryConsentStore};
use privacy::purpose::Support;
use privacy::{Class, Classified, Disclosure, Kind, Oii, Pii, Privacy, Reveal, Shape, SubjectId};

/// Runs `f` with its views audited in memory: a view shows raw values only once a sink has
/// accepted the record of them.
fn audited<R>(f: impl FnOnce() -> R) -> R {
    privacy::audit::with_sink(std::sync::Arc::new(privacy::audit::MemorySink::new()), f)
}

const PHONE_A: &str = "QZPHONEAX1K7";
const PHONE_B: &str = "QZPHONEBX2M8";
const KEY_A: &str = "QZKEYAX3N9";
const KEY_B: &str = "QZKEYBX4P1";
const ORG: &str = "QZORGX5Q2";

#[derive(Privacy)]
struct Directory {
    #[safe]
    #[privacy(subject)]
    id: u64,
    /// Group names are public; the numbers are not.
    #[privacy(keys = safe)]
    by_group: BTreeMap<String, Pii<String>>,
    by_phone: HashMap<Pii<String>, Oii<String>>,
}

fn directory() -> Directory {
    Directory {
        id: 7,
        by_group: BTreeMap::from([
            ("family".to_owned(), Pii::new(PHONE_A.to_owned())),
            ("work".to_owned(), Pii::new(PHONE_B.to_owned())),
        ]),
        by_phone: HashMap::from([
            (Pii::new(KEY_A.to_owned()), Oii::new(ORG.to_owned())),
            (Pii::new(KEY_B.to_owned()), Oii::new(ORG.to_owned())),
        ]),
    }
}

fn assert_hidden(output: &str) {
    for marker in [PHONE_A, PHONE_B, KEY_A, KEY_B, ORG] {
        assert!(!output.contains(marker), "{marker} in {output}");
    }
}

#[test]
fn safe_keys_are_shown_and_values_redacted() {
    audited(|| {
        let directory = directory();
        let debug = format!("{directory:?}");
        assert_hidden(&debug);
        assert!(
            debug.contains(r#"by_group: {"family": <pii>, "work": <pii>}"#),
            "{debug}"
        );
        let json: serde_json::Value = serde_json::to_value(&directory).unwrap();
        assert_eq!(json["by_group"]["family"], "<pii>");
        assert_eq!(json["by_group"]["work"], "<pii>");
        assert_hidden(&json.to_string());
    });
}

#[test]
fn classified_keys_are_written_apart_in_every_output() {
    audited(|| {
        let directory = directory();
        let debug = format!("{directory:?}");
        let pretty = format!("{directory:#?}");
        let json = serde_json::to_string(&directory).unwrap();
        let logged = captured(Format::Json, || tracing::info!(directory = ?directory));
        for output in [&debug, &pretty, &json, &logged] {
            assert_hidden(output);
            assert!(
                output.contains("<pii>#1") && output.contains("<pii>#2"),
                "{output}"
            );
        }
        let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
        let by_phone = parsed["by_phone"].as_object().unwrap();
        assert_eq!(by_phone.len(), 2, "every entry is kept: {json}");
        assert!(by_phone.values().all(|value| value == "<oii>"));
    });
}

#[test]
fn a_view_reveals_values_never_classified_keys() {
    audited(|| {
        let directory = directory();
        let store = MemoryConsentStore::new();
        let subject = SubjectId::from(7_u64);
        store
            .grant(&subject, Support, Evidence::new("support chat"))
            .unwrap();
        let phones = Disclosure::of([Kind::Phone]).because("test: every phone");
        let everything = Disclosure::of([
            privacy::field!(Directory.by_group).into(),
            privacy::field!(Directory.by_phone).into(),
            privacy::Target::Kind(Kind::Phone),
        ])
        .because("test: both maps");
        for permit_output in [
            format!("{:?}", directory.reveal(&everything)),
            serde_json::to_string(&directory.reveal(&everything)).unwrap(),
        ] {
            assert!(permit_output.contains(PHONE_A) && permit_output.contains(PHONE_B));
            assert!(permit_output.contains(ORG), "{permit_output}");
            assert!(!permit_output.contains(KEY_A) && !permit_output.contains(KEY_B));
            assert!(permit_output.contains("<pii>#1"), "{permit_output}");
        }
        // A wrapper has no kind: a disclosure of phones reveals none of these values.
        assert_hidden(&format!("{:?}", directory.reveal(&phones)));
    });
}

#[test]
fn the_schema_says_the_keys_are_safe() {
    audited(|| {
        let Shape::Struct(fields) = Directory::SCHEMA.shape else {
            unreachable!()
        };
        let by_group = fields[1].nested_schema().unwrap();
        let Shape::Map { key, value } = by_group.shape else {
            panic!("{by_group:?}")
        };
        assert_eq!(key().class(), Class::Safe);
        assert_eq!(value().class(), Class::Pii);
        assert_eq!(fields[1].class, Class::Pii);
        let Shape::Map { key, .. } = fields[2].nested_schema().unwrap().shape else {
            unreachable!()
        };
        assert_eq!(key().class(), Class::Pii);
    });
}

/// Maps inside containers, and keys of a type that classifies itself but holds nothing
/// personal.
#[derive(Privacy)]
struct Shelves {
    optional: Option<HashMap<Pii<String>, Pii<String>>>,
    many: Vec<BTreeMap<Oii<String>, Pii<String>>>,
}

/// JSON has no keys but strings: a map keyed by a struct is written by other formats.
#[derive(Privacy)]
struct Index {
    by_shelf: BTreeMap<Shelf, Pii<String>>,
}

#[derive(Privacy, PartialEq, Eq, PartialOrd, Ord)]
struct Shelf {
    #[safe]
    number: u8,
}

#[test]
fn maps_in_containers_and_safe_class_keys() {
    audited(|| {
        let shelves = Shelves {
            optional: Some(HashMap::from([
                (Pii::new(KEY_A.to_owned()), Pii::new(PHONE_A.to_owned())),
                (Pii::new(KEY_B.to_owned()), Pii::new(PHONE_B.to_owned())),
            ])),
            many: vec![BTreeMap::from([
                (Oii::new(KEY_A.to_owned()), Pii::new(PHONE_A.to_owned())),
                (Oii::new(KEY_B.to_owned()), Pii::new(PHONE_B.to_owned())),
            ])],
        };
        let index = Index {
            by_shelf: BTreeMap::from([(Shelf { number: 3 }, Pii::new(PHONE_A.to_owned()))]),
        };
        let debug = format!("{shelves:?}");
        assert_hidden(&debug);
        assert!(
            debug.contains("optional: Some({<pii>#1: <pii>, <pii>#2: <pii>})"),
            "{debug}"
        );
        assert!(
            debug.contains("many: [{<oii>#1: <pii>, <oii>#2: <pii>}]"),
            "{debug}"
        );
        assert_eq!(
            format!("{index:?}"),
            "Index { by_shelf: {Shelf { number: 3 }: <pii>} }"
        );
        let bytes = postcard::to_allocvec(&index).unwrap();
        assert!(!String::from_utf8_lossy(&bytes).contains(PHONE_A));
        let json = serde_json::to_string(&shelves).unwrap();
        assert_hidden(&json);
        assert!(json.contains(r#""<oii>#2":"<pii>""#), "{json}");
        assert!(json.contains(r#""<pii>#1":"<pii>""#), "{json}");
    });
}
