#[privacy::instrument]
struct Member {
    id: u64,
}

fn main() {}
