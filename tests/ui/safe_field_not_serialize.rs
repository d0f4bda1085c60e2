use privacy::Privacy;

#[derive(Debug)]
enum Plan {
    Free,
}

#[derive(Privacy)]
struct Member {
    #[safe]
    plan: Plan,
}

fn main() {}
