//! The derive macro of the [`privacy`](https://docs.rs/privacy) crate.
//!
//! Depend on `privacy` and write `#[derive(privacy::Privacy)]`; the documentation of the
//! attributes lives there. This crate is split by phase: `ast` models the input with its
//! spans, `attr` parses the attributes, `valid` checks rules that span several of them, and
//! `expand` generates code from a valid model (`fallback` from an invalid one).

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod ast;
mod attr;
mod checks;
mod ctxt;
mod expand;
mod fallback;
mod generics;
mod kinds;
mod prop;
mod ser;
mod serde_attr;
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
