#[privacy::instrument(err)]
fn no_result(#[safe] id: u64) {
    let _ = id;
}

#[privacy::instrument(err)]
fn not_a_result(#[safe] id: u64) -> Option<privacy::Pii<u64>> {
    Some(privacy::Pii::new(id))
}

fn main() {}
