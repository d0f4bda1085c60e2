#[privacy::instrument(ret)]
fn phone_of(#[safe] id: u64) -> String {
    format!("+44 20 7946 {id:04}")
}

#[privacy::instrument(ret, err)]
fn lookup(#[safe] id: u64) -> Result<Option<String>, privacy::Pii<String>> {
    Ok(Some(format!("{id}")))
}

fn main() {}
