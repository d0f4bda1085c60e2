//! `hash`: a keyed pseudonym.

use core::fmt;

use super::text::DynText;
use super::Labels;
use crate::pseudonym;
use crate::strategy::HashStrategy;

/// The `hash` strategy: `<pii:email #k1:4f2a9c01d3b7e655>`, keyed by the process-wide
/// [`pseudonym`] key and separated per field by `domain` (`Type.field`).
pub struct Hash<'a> {
    labels: Labels,
    domain: &'static str,
    value: &'a dyn DynText,
}

impl<'a> Hash<'a> {
    /// Shows the pseudonym of `value` in `domain`, lent by a reference to its reference, which
    /// is sized even when the value is not (`str`).
    pub fn new<T: HashStrategy + ?Sized>(
        labels: Labels,
        domain: &'static str,
        value: &'a &'a T,
    ) -> Self {
        Hash {
            labels,
            domain,
            value,
        }
    }
}

impl fmt::Debug for Hash<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (labels, domain) = (self.labels, self.domain);
        let written = self.value.dyn_with_text(&mut |text| {
            f.write_str(labels.open)?;
            fmt::Display::fmt(&pseudonym::of(domain, text), f)?;
            f.write_str(">")
        });
        written.unwrap_or_else(|| labels.hide(f))
    }
}
