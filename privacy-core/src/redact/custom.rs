//! `with = path`: a redaction written by the user.

use core::borrow::Borrow;
use core::fmt;

use super::Labels;

/// The signature of a `with = path` function for a field of type `T`: it receives the field
/// borrowed as any `U` that `T: Borrow<U>` allows (`&str` for a `String`), and writes the
/// redacted form, which the derive puts between the field's `<pii:kind ` and `>`.
pub type RedactFn<U> = fn(&U, &mut fmt::Formatter<'_>) -> fmt::Result;

/// The `with = path` strategy.
pub struct With<'a, U: ?Sized> {
    labels: Labels,
    value: &'a U,
    redact: RedactFn<U>,
}

impl<'a, U: ?Sized> With<'a, U> {
    /// Shows what `redact` writes for `value`, lent as the `&U` the function takes.
    pub fn new<T: WithInput<U> + ?Sized>(
        labels: Labels,
        value: &'a T,
        redact: RedactFn<U>,
    ) -> Self {
        With {
            labels,
            value: value.lend(),
            redact,
        }
    }
}

/// A field that can lend a `&U` to a `with = path` function taking `&U`.
#[diagnostic::on_unimplemented(
    message = "a `with = ...` function taking `&{U}` cannot redact a field of type `{Self}`",
    label = "`{Self}` cannot lend a `&{U}`",
    note = "write the function as `fn(&{Self}, &mut std::fmt::Formatter<'_>) -> std::fmt::Result`, \
            or take a type the field borrows as (`&str` for a `String`)"
)]
pub trait WithInput<U: ?Sized> {
    /// Lends the field to the function.
    fn lend(&self) -> &U;
}

#[diagnostic::do_not_recommend]
impl<T: Borrow<U> + ?Sized, U: ?Sized> WithInput<U> for T {
    fn lend(&self) -> &U {
        self.borrow()
    }
}

impl<U: ?Sized> fmt::Debug for With<'_, U> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.labels.open)?;
        (self.redact)(self.value, f)?;
        f.write_str(">")
    }
}
