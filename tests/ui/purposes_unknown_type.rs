use privacy::Privacy;

#[derive(Privacy)]
struct Member {
    #[pii(phone, purposes(Suport))]
    phone: String,
}

fn main() {}
