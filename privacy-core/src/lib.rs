//! The runtime of the [`privacy`](https://docs.rs/privacy) crate.
//!
//! Depend on `privacy`, which re-exports everything here together with `#[derive(Privacy)]`;
//! the documentation there walks through the whole framework.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod audience;
pub mod audit;
mod class;
mod classified;
pub mod consent;
#[cfg(feature = "serde")]
mod discard;
mod field_path;
mod field_walk;
#[cfg(feature = "tracing")]
mod instrument;
pub mod inventory;
mod kind;
mod map_keys;
mod permit;
pub mod pseudonym;
pub mod purpose;
mod redact;
mod reveal;
#[cfg(feature = "serde")]
mod reveal_ser;
mod schema;
pub mod scrub;
#[cfg(feature = "serde")]
mod ser;
pub mod strategy;
mod subject;
pub mod telemetry;
#[cfg(feature = "testing")]
pub mod testing;
#[cfg(feature = "valuable")]
mod valuable;
mod wrapper;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;

pub use class::Class;
pub use classified::{schema_of, Classified};
pub use consent::Consent;
pub use field_path::{FieldPath, Step, TypeIdentity};
pub use kind::Kind;
pub use permit::{Disclosure, DisclosureDraft, FieldRef, Permit, PermitAudit, Target};
pub use purpose::Purpose;
pub use reveal::{Location, Reveal, Revealed};
pub use schema::{Field, Schema, SchemaFn, Shape, Variant};
pub use strategy::Strategy;
pub use subject::{SubjectId, SubjectKey};
pub use wrapper::{Oii, Pii};
