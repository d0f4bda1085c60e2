#[privacy::instrument(fields(shown = format!("{r#phone}")))]
fn register(#[pii(phone, redact = last(4))] phone: String) {
    let _ = phone;
}

fn main() {}
