//! Who a value is about.

use core::fmt;
use std::sync::Arc;

use crate::pseudonym;

/// The identifier of a data subject: the person a value is about, whose consent decides what
/// may be revealed.
///
/// A type names its subject with `#[privacy(subject)]` on a field; the field's `Display` text is
/// the id. Values nested in it inherit that subject unless they name their own.
///
/// A subject id can itself identify a person (a phone number used as an account id), so its
/// `Debug` shows a keyed pseudonym, and it has no `Display`: read the id with
/// [`SubjectId::as_str`] where it is needed, as for a consent lookup.
///
/// ```
/// use privacy::SubjectId;
///
/// let alice = SubjectId::from("7");
/// assert_eq!(alice.as_str(), "7");
/// assert_eq!(alice, SubjectId::of(&7));
/// assert!(format!("{alice:?}").starts_with("SubjectId(#"));
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SubjectId(Arc<str>);

impl SubjectId {
    /// The subject whose id is `id`'s `Display` text.
    #[must_use]
    pub fn of<T: fmt::Display + ?Sized>(id: &T) -> Self {
        SubjectId(id.to_string().into())
    }

    /// The id, for lookups and storage. Never log it: log [`SubjectId::pseudonym`] instead.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The keyed pseudonym of the id (see [`pseudonym`]), for audit records and logs.
    #[must_use]
    pub fn pseudonym(&self) -> pseudonym::Pseudonym<'static> {
        pseudonym::of("privacy.subject", self.as_str())
    }
}

impl From<&str> for SubjectId {
    fn from(id: &str) -> Self {
        SubjectId(id.into())
    }
}

impl From<String> for SubjectId {
    fn from(id: String) -> Self {
        SubjectId(id.into())
    }
}

impl fmt::Debug for SubjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SubjectId({})", self.pseudonym())
    }
}
