//! `with = path`: a redaction written by the user.

use core::fmt;

use super::Labels;

/// The signature of a `with = path` function: it writes the redacted form of the value, which
/// the derive puts between the field's `<pii:kind ` and `>`.
pub type RedactFn<T> = fn(&T, &mut fmt::Formatter<'_>) -> fmt::Result;

/// The `with = path` strategy.
pub struct With<'a, T: ?Sized> {
    labels: Labels,
    value: &'a T,
    redact: RedactFn<T>,
}

impl<'a, T: ?Sized> With<'a, T> {
    /// Shows what `redact` writes for `value`.
    pub fn new(labels: Labels, value: &'a T, redact: RedactFn<T>) -> Self {
        With {
            labels,
            value,
            redact,
        }
    }
}

impl<T: ?Sized> fmt::Debug for With<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.labels.open)?;
        (self.redact)(self.value, f)?;
        f.write_str(">")
    }
}
