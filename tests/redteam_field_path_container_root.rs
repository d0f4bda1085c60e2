//! Red team: `privacy::field!(Vec<Member>.phone)` compiles (see
//! `tests/ui/redteam_field_path_container_root.rs`) and reveals a member's phone that is in no
//! `Vec` at all: the permit reveals more than the path the user wrote.

use privacy::{Disclosure, Privacy, Reveal};

const PHONE: &str = "QZPLAINX3M8Q1";

#[derive(Privacy)]
struct Member {
    #[pii(phone)]
    phone: String,
}

#[derive(Privacy)]
struct Profile {
    owner: Member,
}

#[test]
fn a_path_rooted_at_vec_reveals_nothing_outside_a_vec() {
    let path = privacy::field!(Vec<Member>.phone);
    let profile = Profile {
        owner: Member {
            phone: PHONE.into(),
        },
    };
    let rule = Disclosure::of([path]).because("phones of members in a list");
    let shown = format!("{:?}", profile.reveal(&rule));
    assert!(!shown.contains(PHONE), "{path} revealed {shown}");
}
