//! A map field keyed by a type parameter: rejected at the definition ("the keys of map field
//! `by_key` are `K`, which does not classify itself", suggesting `keys = safe`), though bounds are
//! inferred for every other parameter a field uses and `Index<Pii<String>>` classifies itself.
//! Following the suggestion (`keys = safe`) compiles and merges the keys (see
//! `tests/redteam_maps.rs`).

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
