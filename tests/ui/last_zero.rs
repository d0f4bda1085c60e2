use privacy::Privacy;

#[derive(Privacy)]
struct Member {
    #[pii(phone, redact = last(0))]
    phone: String,
    #[pii(name, redact = first(0))]
    name: String,
}

fn main() {}
