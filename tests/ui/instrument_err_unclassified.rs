#[derive(Debug)]
struct LookupError {
    phone: String,
}

#[privacy::instrument(err)]
fn lookup(#[safe] id: u64) -> Result<u64, LookupError> {
    Err(LookupError { phone: format!("{id}") })
}

#[privacy::instrument(ret, err(Display))]
fn parse(#[safe] id: u64) -> Result<privacy::Pii<u64>, String> {
    Ok(privacy::Pii::new(id))
}

fn main() {}
