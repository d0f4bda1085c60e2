//! The three classes every field belongs to.

use core::fmt;

/// What a value identifies, and so how carefully it must be handled.
///
/// Every field of a type that derives [`Privacy`](../privacy/derive.Privacy.html) has exactly one
/// class. A field whose type classifies itself (a nested type, a wrapper, a container of those)
/// reports the most sensitive class it carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Class {
    /// Identifies a person: phone number, name, e-mail address, IP address, message content, ...
    Pii,
    /// Identifies an organization: organization name, tenant id, domain, ...
    Oii,
    /// Identifies nobody: counters, durations, enum states, internal ids that map to nothing
    /// outside the system.
    Safe,
}

impl Class {
    /// The short lower-case name used in placeholders: `pii`, `oii` or `safe`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Class::Pii => "pii",
            Class::Oii => "oii",
            Class::Safe => "safe",
        }
    }

    /// The most sensitive class carried by something that carries PII and/or OII:
    /// [`Class::Pii`] if it carries PII, else [`Class::Oii`] if it carries OII, else
    /// [`Class::Safe`].
    #[must_use]
    pub const fn carried(pii: bool, oii: bool) -> Class {
        if pii {
            Class::Pii
        } else if oii {
            Class::Oii
        } else {
            Class::Safe
        }
    }

    /// `true` for [`Class::Pii`] and [`Class::Oii`].
    #[must_use]
    pub const fn is_classified(self) -> bool {
        !matches!(self, Class::Safe)
    }
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}
