//! Every call that takes a purpose, with a built-in purpose, a declared one and one written by
//! hand, all with names of their own.

use privacy::consent::{ConsentStore, Evidence, MemoryConsentStore};
use privacy::purpose::Support;
use privacy::{Privacy, Purpose, SubjectId};

privacy::purpose! {
    /// Investigating reported fraud.
    pub struct FraudReview {
        name: "fraud_review",
        description: "Investigating reported fraud on the account",
    }
}

struct Chargebacks;

impl Purpose for Chargebacks {
    const NAME: &'static str = "chargebacks";
    const DESCRIPTION: &'static str = "Disputing card payments";
}

#[derive(Privacy)]
#[privacy(telemetry)]
struct Payment {
    #[safe]
    #[privacy(subject)]
    id: u64,
    #[pii(payment_card, redact = last(4), purposes(Support, FraudReview, Chargebacks))]
    card: String,
}

fn use_purpose<P: Purpose>(store: &MemoryConsentStore, purpose: P, payment: &Payment) {
    let subject = SubjectId::from("7");
    store.grant(&subject, purpose, Evidence::new("compiles")).unwrap();
    let consent = store.consent::<P>(&subject).unwrap();
    privacy::telemetry::emit_with(payment, &consent);
    privacy::purpose::claim::<P>().unwrap();
}

fn main() {
    let store = MemoryConsentStore::new();
    let payment = Payment { id: 7, card: "4111111111111111".into() };
    use_purpose(&store, Support, &payment);
    store.withdraw(&SubjectId::from("7"), Support).unwrap();
    use_purpose(&store, FraudReview, &payment);
    use_purpose(&store, Chargebacks, &payment);
}
