use privacy::Privacy;

#[derive(Privacy)]
struct Member {
    #[pii]
    #[oii]
    org: String,
    #[pii(phone)]
    #[safe]
    phone: String,
}

fn main() {}
