use privacy::Privacy;

#[derive(Privacy)]
struct Member {
    #[pii(phone, redact = last(4), redact = hide)]
    phone: String,
}

fn main() {}
