use privacy::{Pii, Privacy};

#[derive(Privacy)]
#[repr(packed)]
struct Member {
    #[safe]
    id: u32,
    #[pii(name)]
    name: String,
    nick: Pii<String>,
    #[pii(redact = skip)]
    password: String,
}

#[derive(Privacy)]
#[repr(C, packed(2))]
struct Envelope<T> {
    #[safe]
    id: u8,
    inner: T,
}

fn main() {}
