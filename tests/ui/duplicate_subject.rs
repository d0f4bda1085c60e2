use privacy::Privacy;

#[derive(Privacy)]
struct Transfer {
    #[safe]
    #[privacy(subject)]
    from: u64,
    #[safe]
    #[privacy(subject)]
    to: u64,
}

#[derive(Privacy)]
struct Member {
    #[safe]
    #[privacy(subject, subject)]
    id: u64,
}

fn main() {}
