//! The compile-time checks and the receiver probe of `#[privacy::instrument]`.
//!
//! The attribute records parameters, return values and errors in a span. What it records must
//! redact itself; each check here is a trait whose `#[diagnostic::on_unimplemented]` message
//! says what to write instead. The attributes live here because generated code cannot carry
//! them: they do not resolve under `#![no_implicit_prelude]`.

use core::convert::Infallible;
use core::fmt::Debug;

use tracing::field::DebugValue;

use crate::Classified;

/// What the type of an unannotated parameter must be when it is recorded, by the attribute or
/// whole by `fields(?name)`. `P` is a marker struct named after the parameter, declared in the
/// function, so that the message names it (`phone`, or `register::phone` where the name is not
/// unique in the crate).
#[diagnostic::on_unimplemented(
    message = "parameter `{P}` is not classified, and its type `{Self}` does not classify itself",
    label = "add `#[pii(...)]`, `#[oii(...)]` or `#[safe]` to this parameter, or leave it out with `skip(...)`",
    note = "`#[privacy::instrument]` records every parameter it does not skip, and `fields(?name)` records \
            one whole; one without an attribute must have a type that derives `Privacy`, a `Pii<T>` or \
            `Oii<T>` wrapper, or a standard container of those (a type parameter, one bounded by \
            `privacy::Classified`)"
)]
pub trait ClassifiedParam<P: ?Sized>: Classified {}

#[diagnostic::do_not_recommend]
impl<T: Classified + ?Sized, P: ?Sized> ClassifiedParam<P> for T {}

/// Fails to compile unless the parameter's type classifies itself. It takes the parameter by
/// reference so that its type is inferred, whatever generics or `impl Trait` it uses.
#[inline(always)]
pub fn classified_param<P: ?Sized, T: ClassifiedParam<P> + ?Sized>(_param: &T) {}

/// What a `#[safe]` parameter's type may be: anything that does not classify itself. `P` is
/// the parameter's marker.
#[diagnostic::on_unimplemented(
    message = "parameter `{P}` is marked `#[safe]`, but its type already carries its own classification",
    label = "remove `#[safe]` from this parameter: its type redacts itself",
    note = "a `#[safe]` parameter is recorded with its own `Debug` and may be read freely by `fields(...)`; \
            a type that derives `Privacy`, a `Pii<T>`/`Oii<T>` wrapper or a container of those needs no attribute"
)]
pub trait SafeParam<P: ?Sized> {}

impl<P: ?Sized> SafeParam<P> for crate::__private::Plain {}

/// Fails to compile when the probe found that a `#[safe]` parameter's type classifies itself.
#[inline(always)]
pub fn safe_param<P: ?Sized, A: SafeParam<P>>(_answer: A) {}

/// What `ret` may record: a value whose `Debug` is redacted.
#[diagnostic::on_unimplemented(
    message = "`ret` would record a `{Self}`, which does not classify itself",
    label = "`ret` records this type with its own `Debug`, which could show personal data",
    note = "return a type that derives `Privacy`, wrap the value in `Pii<T>` or `Oii<T>`, or drop `ret`"
)]
pub trait RecordedReturn {}

#[diagnostic::do_not_recommend]
impl<T: Classified + ?Sized> RecordedReturn for T {}
#[diagnostic::do_not_recommend]
impl RecordedReturn for () {}
#[diagnostic::do_not_recommend]
impl RecordedReturn for Infallible {}
impl<T: RecordedReturn, E: RecordedReturn> RecordedReturn for Result<T, E> {}

/// What `err` may record: an error whose `Debug` is redacted.
#[diagnostic::on_unimplemented(
    message = "`err` would record a `{Self}`, which does not classify itself",
    label = "`err` records the error with its own `Debug` or `Display`, which could show personal data",
    note = "return an error type that derives `Privacy`, wrap the error in `Pii<E>` or `Oii<E>`, or drop `err`"
)]
pub trait RecordedError {}

#[diagnostic::do_not_recommend]
impl<T: Classified + ?Sized> RecordedError for T {}
#[diagnostic::do_not_recommend]
impl RecordedError for () {}
#[diagnostic::do_not_recommend]
impl RecordedError for Infallible {}

/// A `Result`, split into what `ret` and `err` record of it.
#[diagnostic::on_unimplemented(
    message = "`err` needs a function that returns a `Result`, not `{Self}`",
    label = "`err` records the `Err` of a `Result`",
    note = "drop `err`, or return a `Result`"
)]
pub trait Fallible {
    /// The `Ok` type, which `ret` records when `err` is given too.
    type Ok;
    /// The `Err` type, which `err` records.
    type Err;
}

impl<T, E> Fallible for Result<T, E> {
    type Ok = T;
    type Err = E;
}

/// Fails to compile unless `ret` (without `err`) may record an `R`.
#[inline(always)]
pub fn recorded_return<R: RecordedReturn + ?Sized>() {}

/// Fails to compile unless `ret` with `err` may record the `Ok` of an `R`.
#[inline(always)]
pub fn recorded_ok<R: Fallible>()
where
    R::Ok: RecordedReturn,
{
}

/// Fails to compile unless `err` may record the `Err` of an `R`.
#[inline(always)]
pub fn recorded_err<R: Fallible>()
where
    R::Err: RecordedError,
{
}

/// A method's receiver, recorded only if its type classifies itself: by autoref
/// specialisation, [`RecordClassifiedReceiver::record`] is found first when `T: Classified`,
/// [`RecordPlainReceiver::record`] otherwise. In a generic impl the answer is the plain one.
pub struct Receiver<'a, T: ?Sized>(pub &'a T);

/// Found first when the receiver classifies itself: its redacted `Debug`.
pub trait RecordClassifiedReceiver<'a> {
    /// The value to record.
    fn record(&self) -> Option<DebugValue<&'a dyn Debug>>;
}

impl<'a, T: Classified + Debug> RecordClassifiedReceiver<'a> for &Receiver<'a, T> {
    fn record(&self) -> Option<DebugValue<&'a dyn Debug>> {
        let value: &'a T = self.0;
        Some(tracing::field::debug(value))
    }
}

/// Found when the receiver does not classify itself: nothing, so the field stays empty.
pub trait RecordPlainReceiver<'a> {
    /// The value to record.
    fn record(&self) -> Option<DebugValue<&'a dyn Debug>> {
        None
    }
}

impl<'a, T: ?Sized> RecordPlainReceiver<'a> for Receiver<'a, T> {}
