use privacy::Privacy;

#[derive(Privacy)]
struct Member {
    #[pii(phone)]
    #[serde(flatten)]
    phone: String,
}

#[derive(Privacy)]
struct Pair(#[safe] #[serde(flatten)] u8, #[safe] u8);

#[derive(Privacy)]
enum Event {
    Joined {
        #[safe]
        #[serde(flatten)]
        extra: std::collections::BTreeMap<String, u8>,
    },
}

fn main() {}
