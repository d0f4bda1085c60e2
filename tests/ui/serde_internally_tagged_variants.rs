use privacy::Privacy;

#[derive(Privacy)]
#[serde(tag = "type")]
enum Event {
    Moved(#[safe] u8, #[safe] u8),
    Called(#[pii(phone)] String),
}

fn main() {}
