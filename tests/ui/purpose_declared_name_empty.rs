privacy::purpose! {
    pub struct FraudReview {
        name: "",
        description: "Investigating reported fraud on the account",
    }
}

fn main() {}
