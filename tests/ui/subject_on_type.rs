use privacy::Privacy;

#[derive(Privacy)]
#[privacy(subject)]
struct Member {
    #[safe]
    id: u64,
}

fn main() {}
