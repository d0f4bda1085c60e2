#[privacy::instrument]
fn register((group, phone): (u32, String)) {
    let _ = (group, phone);
}

fn main() {}
