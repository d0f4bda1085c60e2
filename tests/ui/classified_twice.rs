use privacy::Privacy;

#[derive(Privacy)]
struct Member {
    #[pii(phone)]
    #[pii]
    phone: String,
}

fn main() {}
