use privacy::Privacy;

#[derive(Privacy)]
struct Member {
    #[pii(phone, redact = lst(4))]
    phone: String,
    #[pii(email, redact = mask)]
    email: String,
}

fn main() {}
