use privacy::Privacy;

#[derive(Privacy)]
struct Member {
    #[pii(custom = "Not Snake")]
    badge: String,
    #[pii(custom = "phone")]
    phone: String,
    #[pii(custom = "")]
    empty: String,
}

fn main() {}
