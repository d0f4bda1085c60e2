use privacy::Privacy;

#[derive(Privacy)]
#[privacy(bound = "T:: Clone +")]
struct Member<T> {
    #[safe]
    id: T,
}

fn main() {}
