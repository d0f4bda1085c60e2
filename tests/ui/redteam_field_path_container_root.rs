//! Red team: `privacy::field!` accepts a container as the root type. `field!(Vec<Member>.phone)`
//! and `field!(Option<Box<Member>>.phone)` compile, display as `Member.phone`, and reveal
//! every member's phone anywhere (not only members in a `Vec` or an `Option`): the root the
//! user wrote is silently dropped. A path names a field of a type that derives `Privacy`; a
//! container at the root should be a compile error that says to name `Member.phone`.

use privacy::Privacy;

#[derive(Privacy)]
struct Member {
    #[pii(phone)]
    phone: String,
}

fn main() {
    let _ = privacy::field!(Vec<Member>.phone);
    let _ = privacy::field!(Option<Box<Member>>.phone);
    let _ = privacy::field!([Member; 3].phone);
}
