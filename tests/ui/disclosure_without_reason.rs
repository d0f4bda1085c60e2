use privacy::{Disclosure, Kind, Privacy, Reveal};

#[derive(Privacy)]
struct Member {
    #[pii(phone)]
    phone: String,
}

fn main() {
    let member = Member { phone: "+44 20 7946 0958".into() };
    let rule = Disclosure::of([Kind::Phone]);
    println!("{:?}", member.reveal(&rule));
}
