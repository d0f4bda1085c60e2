//! The macros of the [`privacy`](https://docs.rs/privacy) crate: `#[derive(Privacy)]` and
//! `#[privacy::instrument]`.
//!
//! Depend on `privacy` and write `#[derive(privacy::Privacy)]`; the documentation of the
//! attributes lives there. This crate is split by phase: `ast` models the input with its
//! spans, `attr` parses the attributes, `valid` checks rules that span several of them, and
//! `expand` generates code from a valid model (`fallback` from an invalid one). `instrument`
//! holds `#[privacy::instrument]`, in the same phases, reusing `attr` for its parameters.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod ast;
mod attr;
mod checks;
mod ctxt;
mod expand;
mod fallback;
mod field;
#[cfg(test)]
mod fuzz_tests;
mod generics;
mod instrument;
mod inventory;
mod kinds;
mod markers;
mod prop;
mod ser;
mod serde_attr;
mod telemetry;
mod valid;
mod valuable;

use proc_macro::TokenStream;

/// Derives redacted `Debug` and `privacy::Classified` from the classification of every field.
///
/// See the `privacy` crate for the attributes: `#[pii(...)]`, `#[oii(...)]`, `#[safe]` and
/// `#[privacy(...)]`.
#[proc_macro_derive(Privacy, attributes(pii, oii, safe, privacy, serde))]
pub fn derive_privacy(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    expand::derive(&input).into()
}

/// Instruments a function with a tracing span that records every parameter as its
/// classification says: `tracing::instrument`, for functions that take personal data.
///
/// Parameters carry the field attributes of `#[derive(Privacy)]`:
///
/// | parameter | recorded as |
/// |---|---|
/// | `#[pii(KIND, redact = STRATEGY)]`, `#[oii(...)]` | the redacted form, as for a field (`hash` pseudonyms use the domain `function.parameter`) |
/// | `#[safe]` | as tracing records it: primitives as values, anything else with its own `Debug` |
/// | no attribute | its type must classify itself (derive `Privacy`, `Pii<T>`, `Oii<T>`, containers of those), and is recorded with its redacted `Debug`; any other type is a compile error naming the parameter |
/// | `self` | its redacted `Debug` if its type classifies itself; otherwise it is left out |
///
/// The arguments are those of `tracing::instrument`: `level`, `name`, `target`, `parent`,
/// `follows_from`, `skip(...)`, `skip_all`, `fields(...)`, `ret` and `err` (with `(Debug)`,
/// `(Display)` and `(level = ...)`), plus `crate = "path"` when `privacy` is renamed.
///
/// - `skip(a, b)` leaves parameters out, and they need no classification. Naming a parameter
///   that does not exist is an error.
/// - `fields(...)` entries are recorded as written, after the parameters; an entry named like
///   a parameter replaces it. An entry that reads a `#[pii]` or `#[oii]` parameter is an error:
///   it would record what it computes from the value in the clear.
/// - `ret` and `err` record the return value and the error with their redacted `Debug`
///   (`Display` is accepted, and for `Pii<T>`/`Oii<T>` reads the same). Their types must
///   classify themselves (or be `()`); with both, `ret` records the `Ok` value. An
///   `impl Trait` return type cannot be checked, and is an error with `ret` or `err`.
///
/// The expansion is `#[tracing::instrument(skip_all, fields(...))]` with a redacted expression
/// for each parameter, so the crate using it needs `tracing` as a dependency too. A parameter
/// is recorded by its name: a destructuring pattern is an error unless `skip_all` is given.
///
/// ```
/// use privacy::{Pii, Privacy};
///
/// #[derive(Privacy)]
/// struct Receipt {
///     #[safe]
///     id: u64,
///     #[pii(email, redact = email)]
///     sent_to: String,
/// }
///
/// #[privacy::instrument(level = "debug", ret)]
/// fn register(
///     #[safe] group: u32,
///     #[pii(phone, redact = last(4))] phone: &str,
///     nickname: Pii<String>,
/// ) -> Receipt {
///     // span `register{group=7 phone=<pii:phone …"0958"> nickname=<pii>}`, then
///     // event `return=Receipt { id: 1, sent_to: <pii:email …@"example.com"> }`
///     let _ = (group, phone, nickname);
///     Receipt { id: 1, sent_to: "alice@example.com".into() }
/// }
///
/// register(7, "+44 20 7946 0958", Pii::new("Ali".into()));
/// ```
#[proc_macro_attribute]
pub fn instrument(args: TokenStream, item: TokenStream) -> TokenStream {
    instrument::instrument(args.into(), &item.into()).into()
}

/// The implementation of `privacy::field!`, which passes the runtime's path first:
/// `__field!(::privacy; Member.phone)`. Use `privacy::field!`.
#[doc(hidden)]
#[proc_macro]
pub fn __field(input: TokenStream) -> TokenStream {
    field::expand(input.into()).into()
}
