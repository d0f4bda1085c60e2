use privacy::audience::Known;
use privacy::{Disclosure, Kind, Privacy, Reveal, SubjectId};

#[derive(Privacy)]
struct Member {
    #[safe]
    #[privacy(subject)]
    id: u64,
    #[pii(phone)]
    phone: String,
}

fn main() {
    let member = Member { id: 7, phone: "+44 20 7946 0958".into() };
    let known: Known = [SubjectId::from("7")].into_iter().collect();
    let rule = Disclosure::of([Kind::Phone]).to(SubjectId::from("3"), known);
    println!("{:?}", member.reveal(&rule));
}
