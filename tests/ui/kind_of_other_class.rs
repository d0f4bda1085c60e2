use privacy::Privacy;

#[derive(Privacy)]
struct Member {
    #[oii(phone)]
    phone: String,
    #[pii(org_name)]
    org: String,
}

fn main() {}
