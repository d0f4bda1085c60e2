use privacy::Privacy;

#[derive(Privacy)]
enum Contact {
    #[privacy(subject)]
    Phone(#[pii(phone)] String),
}

fn main() {}
