use privacy::Privacy;

#[derive(Privacy)]
struct Member {
    #[safe(purposes(Support))]
    id: u64,
}

fn main() {}
