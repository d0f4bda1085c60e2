use privacy::Privacy;

#[derive(Privacy)]
#[serde(transparent)]
struct TwoFields {
    #[safe]
    a: u8,
    #[safe]
    b: u8,
}

#[derive(Privacy)]
#[serde(tag = "type")]
struct TupleTagged(#[safe] u8, #[safe] u8);

#[derive(Privacy)]
#[serde(untagged)]
struct UntaggedStruct {
    #[safe]
    a: u8,
}

#[derive(Privacy)]
#[serde(content = "c")]
enum ContentWithoutTag {
    A,
}

#[derive(Privacy)]
#[serde(tag = "t", untagged)]
enum TagAndUntagged {
    A,
}

fn main() {}
