use privacy::Privacy;

#[derive(Privacy)]
struct Member {
    #[pii(phone, redact = last)]
    phone: String,
}

fn main() {}
