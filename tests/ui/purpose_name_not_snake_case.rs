use privacy::{Privacy, Purpose};

struct FraudReview;

impl Purpose for FraudReview {
    const NAME: &'static str = "Fraud review";
    const DESCRIPTION: &'static str = "Investigating reported fraud on the account";
}

#[derive(Privacy)]
struct Payment {
    #[pii(payment_card, purposes(FraudReview))]
    card: String,
}

fn main() {}
