#[privacy::instrument(lvl = "debug", skip(nobody), ret)]
fn register(#[pii(phon)] mobile: String, phone: String) -> String {
    let _ = mobile;
    phone
}

fn main() {}
