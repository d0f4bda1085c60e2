use privacy::{Pii, Privacy};

#[derive(Privacy)]
struct Contact {
    phone: Pii<String>,
}

#[derive(Privacy)]
struct Member {
    #[safe]
    id: u64,
    phone: String,
}

fn main() {}
