//! The adapters that generated code builds for classified fields: each borrows the field and
//! writes its redacted form, in `Debug` and (with the `serde` feature) in `Serialize`, and none
//! allocates. They are reached through `__private` because their shape is an implementation
//! detail of the derive.
//!
//! Each constructor carries the strategy's bound, so that a strategy on a type it cannot read
//! is one error naming the strategy; the adapters themselves are not generic over the field's
//! type, so their `Debug` and `Serialize` add no second error.

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

#[cfg(feature = "serde")]
impl serde::Serialize for Hidden {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0)
    }
}

/// Serializes `value` as the text its `Debug` writes: written into a buffer on the stack and
/// handed over as one `str` (one escaping pass for `serde_json`), or streamed when it is longer.
#[cfg(feature = "serde")]
fn serialize_debug_text<T: fmt::Debug + ?Sized, S: serde::Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    use fmt::Write as _;
    let mut buffer = text::StackText::default();
    if write!(buffer, "{value:?}").is_ok() {
        if let Some(text) = buffer.as_str() {
            return serializer.serialize_str(text);
        }
    }
    serializer.collect_str(&text::DebugText(value))
}

/// Serializes an adapter as the text its `Debug` writes.
#[cfg(feature = "serde")]
macro_rules! serialize_as_debug_text {
    ($([$($generics:tt)*] $adapter:ty;)*) => {$(
        impl<$($generics)*> serde::Serialize for $adapter {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serialize_debug_text(self, serializer)
            }
        }
    )*};
}

#[cfg(feature = "serde")]
serialize_as_debug_text! {
    ['a] Last<'a>;
    ['a] First<'a>;
    ['a] Email<'a>;
    ['a] Hash<'a>;
    [] IpPrefix;
    ['a, U: ?Sized] With<'a, U>;
}
