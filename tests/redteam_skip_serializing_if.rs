//! Red team: `#[serde(skip_serializing_if = "...")]` on a classified field runs the predicate
//! on the raw value and shows its answer: the redacted JSON of a `hide` field says whether the
//! `Option` holds a phone, whether the name is empty, or any bit of the value the predicate
//! computes. The contract: `hide` shows no length or shape of the value, not even whether an
//! `Option` holds one. Either the derive refuses `skip_serializing_if` on a classified field, or
//! the redacted output does not depend on it.

use privacy::Privacy;

fn starts_with_a(name: &String) -> bool {
    name.starts_with('A')
}

#[derive(Privacy)]
struct Member {
    #[safe]
    id: u8,
    #[pii(phone)]
    #[serde(skip_serializing_if = "Option::is_none")]
    phone: Option<String>,
    #[pii(name)]
    #[serde(skip_serializing_if = "starts_with_a")]
    name: String,
}

#[test]
fn redacted_json_does_not_depend_on_the_raw_value() {
    let without = Member {
        id: 1,
        phone: None,
        name: "Alice QZNAMEX1".into(),
    };
    let with = Member {
        id: 1,
        phone: Some("QZPHONEX6V3B2".into()),
        name: "Bob QZNAMEX2".into(),
    };
    assert_eq!(format!("{without:?}"), format!("{with:?}"), "Debug holds");
    assert_eq!(
        serde_json::to_string(&without).unwrap(),
        serde_json::to_string(&with).unwrap(),
        "the JSON tells the values apart"
    );
}
