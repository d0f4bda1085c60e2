use privacy::Privacy;

#[derive(Privacy)]
struct Member {
    #[pii(phone, purposes())]
    phone: String,
}

fn main() {}
