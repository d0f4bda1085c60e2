use privacy::Privacy;

#[derive(Privacy)]
struct Member {
    #[pii(phone, email)]
    contact: String,
    #[pii(phone, custom = "pager")]
    pager: String,
}

fn main() {}
