use std::fmt;

use privacy::Privacy;

fn stars(_: &str) -> String {
    "***".to_owned()
}

fn area_code(number: &u64, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    write!(f, "{}", number / 10_000_000)
}

#[derive(Privacy)]
struct Member {
    #[pii(phone, with = stars)]
    phone: String,
    #[pii(phone, with = area_code)]
    landline: String,
}

fn main() {}
