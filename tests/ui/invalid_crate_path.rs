use privacy::Privacy;

#[derive(Privacy)]
#[privacy(crate = "not a path")]
struct Member {
    #[safe]
    id: u64,
}

fn main() {}
