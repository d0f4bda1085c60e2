//! `#[privacy(purposes(...))]` is for a field whose type classifies itself.

use privacy::{Pii, Privacy};

#[derive(Privacy)]
struct Member {
    #[safe]
    #[privacy(purposes(Support))]
    id: u64,
    #[privacy(purposes())]
    nick: Pii<String>,
    #[privacy(purposes(Support), purposes(Diagnostics))]
    alias: Pii<String>,
}

fn main() {}
