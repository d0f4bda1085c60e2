use privacy::Privacy;

fn stars(_: &String, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    f.write_str("***")
}

#[derive(Privacy)]
struct Member {
    #[pii(phone, redact = last(4), with = stars)]
    phone: String,
}

fn main() {}
