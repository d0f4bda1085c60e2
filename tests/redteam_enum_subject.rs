//! Red team: a value of an enum whose type names a subject (`#[privacy(subject)]` in some
//! variants) takes its parent's subject when its variant has no subject field. A guest's name
//! in the owner's post is revealed by the owner's consent, and shown to any viewer the owner's
//! audience admits, although `Classified::subject()` says the guest is about nobody ("no
//! consent reveals it"). Two answers to "whose data is this" for one value: the reveal should
//! agree with `subject()`, and a value whose type has a subject field should not inherit.

use privacy::consent::{ConsentStore, Evidence, MemoryConsentStore};
use privacy::purpose::Support;
use privacy::{Classified, Privacy, Reveal, SubjectId};

const GUEST: &str = "QZGUESTX5N2W7";

#[derive(Privacy)]
#[allow(dead_code)]
enum Author {
    Member {
        #[safe]
        #[privacy(subject)]
        id: u64,
        #[pii(name, purposes(Support))]
        name: String,
    },
    Guest {
        #[pii(name, purposes(Support))]
        name: String,
    },
}

#[derive(Privacy)]
struct Post {
    #[safe]
    #[privacy(subject)]
    owner: u64,
    author: Author,
}

#[test]
fn the_owners_consent_does_not_reveal_a_guests_name() {
    let post = Post {
        owner: 7,
        author: Author::Guest { name: GUEST.into() },
    };
    assert_eq!(post.author.subject(), None, "the guest is about nobody");
    let store = MemoryConsentStore::new();
    let owner = SubjectId::from(7_u64);
    store.grant(&owner, Support, Evidence::new("support chat")).unwrap();
    let consent = store.consent::<Support>(&owner).unwrap();
    let shown = format!("{:?}", post.reveal(&consent));
    assert!(!shown.contains(GUEST), "{shown}");
    let json = serde_json::to_string(&post.reveal(&consent)).unwrap();
    assert!(!json.contains(GUEST), "{json}");
}
