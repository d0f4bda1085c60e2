use privacy::Privacy;

#[derive(Privacy)]
#[pii]
struct Member {
    #[safe]
    id: u64,
}

#[derive(Privacy)]
enum Contact {
    #[pii(phone)]
    Phone(#[pii(phone)] String),
}

fn main() {}
