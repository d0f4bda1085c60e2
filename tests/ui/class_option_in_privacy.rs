use privacy::Privacy;

fn stars(_: &String, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    f.write_str("***")
}

#[derive(Privacy)]
struct Member {
    #[pii(phone)]
    #[privacy(redact = last(4))]
    phone: String,
    #[pii(email)]
    #[privacy(purposes(Support))]
    email: String,
    #[pii(name)]
    #[privacy(with = stars)]
    name: String,
}

fn main() {}
