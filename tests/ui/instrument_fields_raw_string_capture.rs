#[privacy::instrument(fields(
    shown = format!(r#"{phone}"#),
    debug = format!(r"{phone:?}"),
    padded = format!(r##"{:>secret_len$}"##, "x"),
))]
fn register(
    #[pii(phone)] phone: String,
    #[pii(redact = skip)] secret_len: usize,
    #[safe] group: u32,
) {
    let _ = (phone, secret_len, group);
}

fn main() {}
