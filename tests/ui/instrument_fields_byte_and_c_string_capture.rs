#[privacy::instrument(fields(
    bytes = ?b"{phone}",
    raw_bytes = ?br#"{email:?}"#,
    c = ?c"{phone:>10}",
    raw_c = ?cr"{email}",
    escaped = format!("\x7bphone}"),
))]
fn register(#[pii(phone)] phone: String, #[pii(email)] email: String) {
    let _ = (phone, email);
}

fn main() {}
