use privacy::Privacy;

fn stars<S: serde::Serializer>(_: &u32, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str("***")
}

#[derive(Privacy)]
#[serde(into = "String")]
struct Member {
    #[safe]
    #[serde(serialize_with = "stars")]
    id: u32,
    #[safe]
    #[serde(getter = "x", default)]
    seen: u32,
    #[safe]
    #[serde(whatever)]
    extra: u32,
}

fn main() {}
