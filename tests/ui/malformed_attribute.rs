use privacy::Privacy;

#[derive(Privacy)]
struct Member {
    #[pii = "phone"]
    phone: String,
    #[pii(name, redact)]
    name: String,
    #[safe(x)]
    id: u64,
    #[safe = "yes"]
    age: u8,
}

fn main() {}
