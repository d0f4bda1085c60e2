//! `#[serde(skip_serializing_if = "...")]` on a classified field would run the predicate on the
//! raw value and show its answer in the redacted output: whether the `Option` holds a phone,
//! whether the name starts with an A.

use privacy::Privacy;

fn starts_with_a(name: &String) -> bool {
    name.starts_with('A')
}

#[derive(Privacy)]
struct Member {
    #[safe]
    id: u8,
    #[pii(phone)]
    #[serde(skip_serializing_if = "Option::is_none")]
    phone: Option<String>,
    #[pii(name)]
    #[serde(skip_serializing_if = "starts_with_a")]
    name: String,
}

fn main() {}
