//! `#[privacy(purposes(...))]` names purposes: a type that is not one is a compile error.

use privacy::{Pii, Privacy};

#[derive(Privacy)]
struct Member {
    #[privacy(purposes(NotAPurpose))]
    handle: Pii<String>,
}

struct NotAPurpose;

fn main() {}
