use privacy::Privacy;

#[derive(Privacy)]
#[privacy(bound(display = "T: Clone"))]
struct Member<T> {
    #[safe]
    value: T,
}

fn main() {}
