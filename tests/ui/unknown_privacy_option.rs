use privacy::Privacy;

#[derive(Privacy)]
#[privacy(telemetri)]
struct Member {
    #[safe]
    #[privacy(subjekt)]
    id: u64,
}

fn main() {}
