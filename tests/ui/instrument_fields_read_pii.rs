#[privacy::instrument(fields(digits = phone.len(), shown = %format!("{phone}"), ?email))]
fn register(
    #[pii(phone, redact = last(4))] phone: String,
    #[pii(email)] email: String,
    #[safe] group: u32,
) {
    let _ = (phone, email, group);
}

fn main() {}
