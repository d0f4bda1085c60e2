//! `email`: keeps the domain of an address.

use core::fmt;

use super::text::{write_window, Measure};
use super::Labels;
use crate::strategy::EmailStrategy;

/// The `email` strategy: `<pii:email …@"example.com">`. A value without an `@`, or with nothing
/// before or after its last `@`, is shown as the plain placeholder.
pub struct Email<'a, T: ?Sized> {
    labels: Labels,
    value: &'a T,
}

// No bound here: the `Debug` impl's bound gives the strategy's own error message.
impl<'a, T: ?Sized> Email<'a, T> {
    /// Shows the domain of `value`.
    pub fn new(labels: Labels, value: &'a T) -> Self {
        Email { labels, value }
    }
}

impl<T: EmailStrategy + ?Sized> fmt::Debug for Email<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let written = self.value.with_text(|text| {
            let measure = Measure::of(text)?;
            let at = measure
                .last_at
                .filter(|&at| at > 0 && at + 1 < measure.chars)?;
            Some((|| {
                f.write_str(self.labels.open)?;
                f.write_str("…@")?;
                write_window(f, text, at + 1, measure.chars - at - 1)?;
                f.write_str(">")
            })())
        });
        written.flatten().unwrap_or_else(|| self.labels.hide(f))
    }
}
