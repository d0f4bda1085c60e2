use privacy::consent::{ConsentStore, Evidence, MemoryConsentStore};
use privacy::purpose::Support;
use privacy::{Purpose, SubjectId};

/// A purpose of one's own that took the name of the built-in `Support`, and would receive the
/// consents given for it.
struct MySupport;

impl Purpose for MySupport {
    const NAME: &'static str = "support";
    const DESCRIPTION: &'static str = "Helping you when you contact us";
}

fn main() {
    let store = MemoryConsentStore::new();
    let alice = SubjectId::from("7");
    store.grant(&alice, Support, Evidence::new("help chat consent button v3")).unwrap();
    let _ = store.consent::<MySupport>(&alice);
}
