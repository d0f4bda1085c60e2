use privacy::Privacy;

#[derive(Privacy)]
struct Member<T> {
    #[safe]
    #[privacy(crate = "privacy")]
    id: u64,
    #[safe]
    #[privacy(bound = "T: Clone")]
    tag: T,
}

fn main() {}
