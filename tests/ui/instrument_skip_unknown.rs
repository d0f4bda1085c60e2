#[privacy::instrument(skip(phon))]
fn register(#[safe] group: u32, phone: String) {
    let _ = (group, phone);
}

#[privacy::instrument(skip(group, group, nobody), skip_all)]
fn join(#[safe] group: u32) {
    let _ = group;
}

fn main() {}
