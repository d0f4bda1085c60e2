//! `hash`: a keyed pseudonym.

use core::fmt;

use super::Labels;
use crate::pseudonym;
use crate::strategy::HashStrategy;

/// The `hash` strategy: `<pii:email #k1:4f2a9c01d3b7e655>`, keyed by the process-wide
/// [`pseudonym`] key and separated per field by `domain` (`Type.field`).
pub struct Hash<'a, T: ?Sized> {
    labels: Labels,
    domain: &'static str,
    value: &'a T,
}

// No bound here: the `Debug` impl's bound gives the strategy's own error message.
impl<'a, T: ?Sized> Hash<'a, T> {
    /// Shows the pseudonym of `value` in `domain`.
    pub fn new(labels: Labels, domain: &'static str, value: &'a T) -> Self {
        Hash {
            labels,
            domain,
            value,
        }
    }
}

impl<T: HashStrategy + ?Sized> fmt::Debug for Hash<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pseudonym = self
            .value
            .with_text(|text| pseudonym::of(self.domain, text));
        match pseudonym {
            Some(pseudonym) => {
                f.write_str(self.labels.open)?;
                fmt::Display::fmt(&pseudonym, f)?;
                f.write_str(">")
            }
            None => self.labels.hide(f),
        }
    }
}
