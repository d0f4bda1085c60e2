use privacy::Privacy;

#[derive(Privacy)]
struct Member {
    #[pii(phone, purposes(String))]
    phone: String,
}

fn main() {}
