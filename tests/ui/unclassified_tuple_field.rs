use privacy::Privacy;

#[derive(Privacy)]
struct Phone(#[safe] u16, String);

#[derive(Privacy)]
enum Contact {
    Email(String),
    Nobody,
}

fn main() {}
