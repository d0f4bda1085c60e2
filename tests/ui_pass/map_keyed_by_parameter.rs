//! A map field keyed by a type parameter: the instance's keys classify themselves
//! (`Pii<String>`), and are written apart (`<pii>#1`).

use std::collections::BTreeMap;

use privacy::{Pii, Privacy};

#[derive(Privacy)]
struct Index<K: Ord> {
    by_key: BTreeMap<K, Pii<String>>,
}

fn main() {
    let index = Index {
        by_key: BTreeMap::from([(Pii::new(String::from("QZKEYX1")), Pii::new(String::from("QZVALX2")))]),
    };
    assert_eq!(format!("{index:?}"), "Index { by_key: {<pii>#1: <pii>} }");
}
