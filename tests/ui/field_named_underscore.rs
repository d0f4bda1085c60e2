use privacy::Privacy;

#[derive(Privacy)]
struct Member {
    #[safe]
    _: u64,
    #[pii(phone)]
    phone: String,
}

fn main() {}
