use privacy::{Privacy, Purpose};

/// A purpose of one's own that took the name of the built-in `Support`.
struct MySupport;

impl Purpose for MySupport {
    const NAME: &'static str = "support";
    const DESCRIPTION: &'static str = "Helping you when you contact us";
}

#[derive(Privacy)]
struct Ticket {
    #[pii(message, purposes(MySupport))]
    body: String,
}

fn main() {}
