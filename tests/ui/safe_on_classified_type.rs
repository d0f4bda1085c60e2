use privacy::{Pii, Privacy};

#[derive(Privacy)]
struct Avatar {
    #[pii(name)]
    url: String,
}

#[derive(Privacy)]
struct Member {
    #[safe]
    phone: Pii<String>,
    #[safe]
    avatar: Avatar,
}

fn main() {}
