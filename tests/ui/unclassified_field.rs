use privacy::Privacy;

#[derive(Privacy)]
struct Member {
    #[safe]
    id: u64,
    phone: String,
}

fn main() {}
