use privacy::consent::{ConsentStore, Evidence, MemoryConsentStore};
use privacy::{Purpose, SubjectId};

struct FraudReview;

impl Purpose for FraudReview {
    const NAME: &'static str = "fraud-review";
    const DESCRIPTION: &'static str = "Investigating reported fraud on the account";
}

fn main() {
    let store = MemoryConsentStore::new();
    let _ = store.grant(&SubjectId::from("7"), FraudReview, Evidence::new("fraud report form v1"));
}
