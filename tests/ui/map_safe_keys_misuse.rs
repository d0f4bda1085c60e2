//! `#[privacy(keys = safe)]` is for a map field without a classification whose values classify
//! themselves, and whose keys do not.

use std::collections::HashMap;

use privacy::{Pii, Privacy};

#[derive(Privacy)]
struct NotAMap {
    #[privacy(keys = safe)]
    items: Vec<Pii<String>>,
}

#[derive(Privacy)]
struct KeysClassifyThemselves {
    #[privacy(keys = safe)]
    by_phone: HashMap<Pii<String>, Pii<String>>,
}

#[derive(Privacy)]
struct ValuesUnclassified {
    #[privacy(keys = safe)]
    counts: HashMap<String, u32>,
}

#[derive(Privacy)]
struct WithAClass {
    #[pii(name)]
    #[privacy(keys = safe)]
    names: HashMap<String, String>,
}

#[derive(Privacy)]
struct OtherOption {
    #[privacy(keys = hide)]
    names: HashMap<String, Pii<String>>,
}

#[derive(Privacy)]
#[privacy(telemetry)]
struct Event {
    #[privacy(keys = safe)]
    names: HashMap<String, Pii<String>>,
}

fn main() {}
