use privacy::Privacy;

#[derive(Privacy)]
#[privacy(crate = "privacy_renamed")]
struct Member {
    #[safe]
    id: u64,
    #[pii(phone)]
    phone: String,
}

fn main() {}
