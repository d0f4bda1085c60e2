use privacy::Privacy;

#[derive(Privacy)]
struct Member {
    #[pii(phon)]
    phone: String,
    nickname: String,
}

fn main() {}
