struct Digits {
    count: usize,
}

#[privacy::instrument(fields(
    called = (|| phone.len())(),
    chained = Some(1).map(|n| n + email.len()).unwrap_or(0),
    block = { let n = phone.len(); n },
    built = Digits { count: email.len() }.count,
))]
fn register(#[pii(phone)] phone: String, #[pii(email)] email: String) {
    let _ = (phone, email);
}

fn main() {}
