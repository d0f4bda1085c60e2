use privacy::Privacy;

#[derive(Privacy)]
struct Member {
    #[pii(phone, redact = last(four))]
    phone: String,
    #[pii(name, redact = first(-2))]
    name: String,
    #[pii(email, redact = last(2.5))]
    email: String,
}

fn main() {}
