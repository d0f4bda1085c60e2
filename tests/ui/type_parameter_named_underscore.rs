use privacy::Privacy;

#[derive(Privacy)]
struct Member<_> {
    #[safe]
    id: u64,
}

fn main() {}
