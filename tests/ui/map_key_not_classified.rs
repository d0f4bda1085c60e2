//! A map field whose values classify themselves and whose keys do not: the error names the key
//! type and says what to write.

use std::collections::{BTreeMap, HashMap};

use privacy::{Pii, Privacy};

#[derive(Privacy)]
struct Directory {
    by_name: HashMap<String, Pii<String>>,
    by_id: BTreeMap<u64, Pii<String>>,
}

fn main() {}
