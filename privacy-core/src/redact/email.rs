//! `email`: keeps the domain of an address.

use core::fmt;

use super::text::{write_window, DynText, Measure};
use super::Labels;
use crate::strategy::{EmailStrategy, StrText};

/// The `email` strategy: `<pii:email …@"example.com">`. A value without an `@`, or with nothing
/// before or after its last `@`, is shown as the plain placeholder.
pub struct Email<'a> {
    labels: Labels,
    value: &'a dyn DynText,
}

impl<'a> Email<'a> {
    /// Shows the domain of `value`, lent by a reference to its reference, which is sized even
    /// when the value is not (`str`).
    pub fn new<T: EmailStrategy + ?Sized>(labels: Labels, value: &'a &'a T) -> Self {
        Email { labels, value }
    }
}

impl fmt::Debug for Email<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let labels = self.labels;
        match self.value.dyn_as_str() {
            StrText::Str(text) => {
                return match text.rfind('@') {
                    Some(at) if at > 0 && at + 1 < text.len() => {
                        f.write_str(labels.open)?;
                        f.write_str("…@")?;
                        fmt::Debug::fmt(&text[at + 1..], f)?;
                        f.write_str(">")
                    }
                    _ => labels.hide(f),
                };
            }
            StrText::Absent => return labels.hide(f),
            StrText::NotStr => {}
        }
        let written = self.value.dyn_with_text(&mut |text| {
            let Some(measure) = Measure::of(text) else {
                return labels.hide(f);
            };
            match measure.last_at {
                Some(at) if at > 0 && at + 1 < measure.chars => {
                    f.write_str(labels.open)?;
                    f.write_str("…@")?;
                    write_window(f, text, at + 1, measure.chars - at - 1)?;
                    f.write_str(">")
                }
                _ => labels.hide(f),
            }
        });
        written.unwrap_or_else(|| labels.hide(f))
    }
}
