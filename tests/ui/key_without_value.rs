use privacy::Privacy;

#[derive(Privacy)]
struct Member {
    #[pii(phone, with)]
    phone: String,
    #[pii(custom)]
    badge: String,
    #[pii(email, purposes)]
    email: String,
}

fn main() {}
