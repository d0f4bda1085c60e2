use privacy::Privacy;

#[derive(Privacy)]
#[serde(rename_all = "camel")]
struct Member {
    #[safe]
    user_id: u8,
}

fn main() {}
