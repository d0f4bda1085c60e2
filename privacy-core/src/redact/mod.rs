//! The `Debug` adapters that generated code builds for classified fields.
//!
//! Each adapter borrows the field and writes its redacted form; none allocates. They are reached
//! through `__private` because their shape is an implementation detail of the derive.

mod custom;
mod email;
mod hash;
mod ip;
mod partial;
mod text;

use core::fmt;

pub use custom::{With, WithInput};
pub use email::Email;
pub use hash::Hash;
pub use ip::IpPrefix;
pub use partial::{First, Last};

/// The two placeholder texts of a field, computed by the derive: `<pii:phone>` and the opening
/// `<pii:phone ` that a partial strategy continues.
#[derive(Clone, Copy, Debug)]
pub struct Labels {
    hidden: &'static str,
    open: &'static str,
}

impl Labels {
    /// Labels from the full placeholder and its opening.
    #[must_use]
    pub const fn new(hidden: &'static str, open: &'static str) -> Self {
        Labels { hidden, open }
    }

    fn hide(self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.hidden)
    }
}

/// The `hide` strategy: the placeholder alone.
#[derive(Clone, Copy)]
pub struct Hidden(pub &'static str);

impl fmt::Debug for Hidden {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}
