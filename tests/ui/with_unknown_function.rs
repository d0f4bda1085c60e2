use privacy::Privacy;

#[derive(Privacy)]
struct Member {
    #[pii(phone, with = mask_phone)]
    phone: String,
}

fn main() {}
