#[privacy::instrument(lvl = "debug", ret(Pretty))]
fn register(#[safe] group: u32) {
    let _ = group;
}

#[privacy::instrument(level = "debug", level = "info", skipall)]
fn join(#[safe] group: u32) {
    let _ = group;
}

fn main() {}
