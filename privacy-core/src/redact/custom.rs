//! `with = path`: a redaction written by the user.

use core::borrow::Borrow;
use core::fmt;

use super::Labels;

/// The signature of a `with = path` function for a field of type `T`: it receives the field
/// borrowed as any `U` that `T: Borrow<U>` allows (`&str` for a `String`), and writes the
/// redacted form, which the derive puts between the field's `<pii:kind ` and `>`.
pub type RedactFn<U> = fn(&U, &mut fmt::Formatter<'_>) -> fmt::Result;

/// The `with = path` strategy.
pub struct With<'a, T: ?Sized, U: ?Sized> {
    labels: Labels,
    value: &'a T,
    redact: RedactFn<U>,
}

impl<'a, T: Borrow<U> + ?Sized, U: ?Sized> With<'a, T, U> {
    /// Shows what `redact` writes for `value`.
    pub fn new(labels: Labels, value: &'a T, redact: RedactFn<U>) -> Self {
        With {
            labels,
            value,
            redact,
        }
    }
}

impl<T: Borrow<U> + ?Sized, U: ?Sized> fmt::Debug for With<'_, T, U> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.labels.open)?;
        (self.redact)(self.value.borrow(), f)?;
        f.write_str(">")
    }
}
