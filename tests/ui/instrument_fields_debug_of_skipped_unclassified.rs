#[privacy::instrument(skip_all, fields(?raw))]
fn register(raw: String) {
    let _ = raw;
}

fn main() {}
