//! A field path starts at the type that derives `Privacy`: a container at the root would name
//! the field of the type inside wherever it is, not only in such a container.

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
