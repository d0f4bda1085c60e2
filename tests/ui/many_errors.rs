use privacy::Privacy;

#[derive(Privacy)]
struct Member {
    #[pii(phon)]
    phone: String,
    #[pii(email, redact = hash, redact = email)]
    email: String,
    #[pii(name, redact = last(0))]
    name: String,
}

fn main() {}
