//! The runtime of the [`privacy`](https://docs.rs/privacy) crate.
//!
//! Depend on `privacy`, which re-exports everything here together with `#[derive(Privacy)]`;
//! the documentation there walks through the whole framework.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod class;
mod classified;
#[cfg(feature = "tracing")]
mod instrument;
mod kind;
pub mod pseudonym;
pub mod purpose;
mod redact;
mod schema;
#[cfg(feature = "serde")]
mod ser;
pub mod strategy;
#[cfg(feature = "valuable")]
mod valuable;
mod wrapper;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

pub use class::Class;
pub use classified::{schema_of, Classified};
pub use kind::Kind;
pub use purpose::Purpose;
pub use schema::{Field, Schema, SchemaFn, Shape, Variant};
pub use strategy::Strategy;
pub use wrapper::{Oii, Pii};
