#[privacy::instrument(fields(
    nested = format!("{}", format_args!("{phone}")),
    listed = vec![format!("{email:>10}")].len(),
    matched = matches!(phone.as_str(), "+1"),
))]
fn register(#[pii(phone)] phone: String, #[pii(email)] email: String) {
    let _ = (phone, email);
}

fn main() {}
