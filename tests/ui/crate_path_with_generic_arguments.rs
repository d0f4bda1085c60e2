use privacy::Privacy;

#[derive(Privacy)]
#[privacy(crate = "privacy::<u8>")]
struct Member {
    #[safe]
    id: u64,
}

#[derive(Privacy)]
#[privacy(crate = "Self")]
struct Account {
    #[safe]
    id: u64,
}

#[privacy::instrument(crate = "privacy::<u8>")]
fn register(#[safe] group: u32) {
    let _ = group;
}

fn main() {}
