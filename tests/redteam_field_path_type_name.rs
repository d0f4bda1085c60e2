//! Red team: `privacy::field!(Generic<Args>.field)` tells instances apart by
//! `core::any::type_name`, which std documents as not unique. Two distinct types that print the
//! same name (here, two `Tag`s declared in sibling blocks of one function; equally two versions
//! of one crate, or types in two anonymous `const _` blocks) make two distinct instances one:
//! a disclosure of `Tagged<first Tag>.phone` reveals `Tagged<second Tag>.phone`.
//! The contract: a path names exactly one field of one type; `field!(Envelope<A>.inner)` names
//! nothing of an `Envelope<B>`.

use std::marker::PhantomData;

use privacy::{Disclosure, Privacy, Reveal};

const PHONE: &str = "QZPHONEBX4T8";

#[derive(Privacy)]
struct Tagged<M> {
    #[pii(phone)]
    phone: String,
    #[safe]
    tag: PhantomData<M>,
}

#[test]
fn a_path_of_one_instance_reveals_nothing_of_another_instance() {
    let first_tag_phone = {
        #[derive(Debug)]
        struct Tag;
        privacy::field!(Tagged<Tag>.phone)
    };
    let second = {
        #[derive(Debug)]
        struct Tag;
        // A different type from the first `Tag`: this does not compile with the first one.
        Tagged::<Tag> {
            phone: PHONE.into(),
            tag: PhantomData,
        }
    };
    let rule = Disclosure::of([first_tag_phone]).because("only the first Tag's phone");
    let shown = format!("{:?}", second.reveal(&rule));
    assert!(!shown.contains(PHONE), "{shown}");
    let json = serde_json::to_string(&second.reveal(&rule)).unwrap();
    assert!(!json.contains(PHONE), "{json}");
}
