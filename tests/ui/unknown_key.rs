use privacy::Privacy;

#[derive(Privacy)]
struct Member {
    #[pii(phone, reveal = last(4))]
    phone: String,
    #[pii(privacy::Kind::Email)]
    email: String,
}

fn main() {}
