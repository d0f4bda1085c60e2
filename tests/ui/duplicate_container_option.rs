use privacy::Privacy;

#[derive(Privacy)]
#[privacy(crate = "privacy", bound = "T: Clone")]
#[privacy(crate = "privacy", bound = "T: Copy")]
struct Member<T> {
    #[safe]
    id: T,
}

fn main() {}
