//! Who a value is about.

use core::fmt;
use core::num::{
    NonZeroI128, NonZeroI16, NonZeroI32, NonZeroI64, NonZeroI8, NonZeroIsize, NonZeroU128,
    NonZeroU16, NonZeroU32, NonZeroU64, NonZeroU8, NonZeroUsize,
};
use std::borrow::Cow;
use std::rc::Rc;
use std::sync::Arc;

use crate::{pseudonym, Oii, Pii};

/// The identifier of a data subject: the person a value is about, whose consent decides what
/// may be revealed.
///
/// A subject id is a namespace and an id within it. A type names its subject with
/// `#[privacy(subject)]` on a field, whose raw value gives the id through [`SubjectKey`] (never
/// through its `Display` or `Debug`, which a wrapper redacts); values nested in it inherit that
/// subject unless they name their own.
///
/// # Namespaces
///
/// Ids of different kinds of subject can be equal: member 7 and device 7 are not one person. A
/// namespace keeps them apart: `#[privacy(subject = "device")]` puts the field's ids in the
/// namespace `device`, and a consent granted by `SubjectId::new("device", "7")` reveals nothing
/// of member 7. `#[privacy(subject)]` alone, [`SubjectId::from`] and [`SubjectId::of`] use the
/// default namespace, whose name is empty: give every kind of subject but one (usually the
/// people who use the product) a namespace of its own.
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
/// assert_eq!(alice.namespace(), "");
/// assert_eq!(alice, SubjectId::from(7_u64));
/// assert_eq!(Some(alice.clone()), SubjectId::of(&7_u64));
/// assert_ne!(alice, SubjectId::new("device", "7"));
/// assert!(format!("{alice:?}").starts_with("SubjectId(#"));
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SubjectId {
    namespace: Cow<'static, str>,
    id: Arc<str>,
}

impl SubjectId {
    /// The namespace of [`SubjectId::from`], [`SubjectId::of`] and `#[privacy(subject)]`
    /// without a name.
    pub const DEFAULT_NAMESPACE: &'static str = "";

    /// The subject `id` in `namespace`.
    #[must_use]
    pub fn new(namespace: impl Into<Cow<'static, str>>, id: impl Into<Arc<str>>) -> Self {
        SubjectId {
            namespace: namespace.into(),
            id: id.into(),
        }
    }

    /// The subject whose id `key` holds, in the default namespace; `None` when it holds none
    /// (an empty string, `None`).
    #[must_use]
    pub fn of<K: SubjectKey + ?Sized>(key: &K) -> Option<Self> {
        Self::of_in(Self::DEFAULT_NAMESPACE, key)
    }

    /// The subject whose id `key` holds, in `namespace`; `None` when it holds none.
    #[must_use]
    pub fn of_in<K: SubjectKey + ?Sized>(namespace: &'static str, key: &K) -> Option<Self> {
        let id = key.subject_key()?;
        Some(SubjectId {
            namespace: Cow::Borrowed(namespace),
            id: id.into(),
        })
    }

    /// The id within its namespace, for lookups and storage. Never log it: log
    /// [`SubjectId::pseudonym`] instead.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.id
    }

    /// The namespace: empty for the default one.
    #[must_use]
    pub fn namespace(&self) -> &str {
        &self.namespace
    }

    /// The keyed pseudonym of the subject (see [`pseudonym`]), for audit records and logs.
    /// Subjects of different namespaces have different pseudonyms, whatever their ids.
    #[must_use]
    pub fn pseudonym(&self) -> pseudonym::Pseudonym<'static> {
        if self.namespace.is_empty() {
            pseudonym::of("privacy.subject", self.as_str())
        } else {
            pseudonym::of("privacy.subject.namespaced", &Namespaced(self))
        }
    }
}

/// `<namespace length>:<namespace><id>`: one text per subject, whatever either part holds.
struct Namespaced<'a>(&'a SubjectId);

impl fmt::Display for Namespaced<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}{}",
            self.0.namespace.len(),
            self.0.namespace,
            self.0.id
        )
    }
}

impl From<&str> for SubjectId {
    fn from(id: &str) -> Self {
        SubjectId::new(SubjectId::DEFAULT_NAMESPACE, id)
    }
}

impl From<String> for SubjectId {
    fn from(id: String) -> Self {
        SubjectId::new(SubjectId::DEFAULT_NAMESPACE, id)
    }
}

macro_rules! from_integer {
    ($($ty:ty),*) => {$(
        impl From<$ty> for SubjectId {
            fn from(id: $ty) -> Self {
                SubjectId::new(SubjectId::DEFAULT_NAMESPACE, id.to_string())
            }
        }
    )*};
}

from_integer!(u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize);

impl fmt::Debug for SubjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SubjectId({})", self.pseudonym())
    }
}

/// A value that holds a subject's id: the type of a `#[privacy(subject)]` field.
///
/// The id is read from the raw value, never through `Display` or `Debug`: those of a wrapper
/// are its placeholder, which would make every value the same subject. Implemented for the
/// string types, the integer types, references, `Box`, `Rc`, `Arc`, `Option` (`None` names
/// nobody) and the wrappers [`Pii`] and [`Oii`] (by the value they hold); implement it for an
/// id type of your own:
///
/// ```
/// use std::borrow::Cow;
///
/// use privacy::{Privacy, SubjectId, SubjectKey};
///
/// #[derive(Clone, Copy)]
/// struct MemberId(u64);
///
/// impl SubjectKey for MemberId {
///     fn subject_key(&self) -> Option<Cow<'_, str>> {
///         self.0.subject_key()
///     }
/// }
///
/// #[derive(Privacy)]
/// struct Member {
///     #[pii(account_id)]
///     #[privacy(subject)]
///     id: MemberId,
/// }
///
/// use privacy::Classified;
/// assert_eq!(Member { id: MemberId(7) }.subject(), Some(SubjectId::from("7")));
/// ```
///
/// An empty text names nobody: `subject_key` of `""` is `None`, so that values whose id was
/// never set are not all one person.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not hold a subject id",
    label = "a `#[privacy(subject)]` field's type implements `privacy::SubjectKey`",
    note = "integers, strings, `Pii<T>`/`Oii<T>` of those, and references, boxes and options of \
            them hold a subject id; implement `privacy::SubjectKey` for an id type of your own"
)]
pub trait SubjectKey {
    /// The id, or `None` when the value names nobody.
    fn subject_key(&self) -> Option<Cow<'_, str>>;
}

impl SubjectKey for str {
    fn subject_key(&self) -> Option<Cow<'_, str>> {
        (!self.is_empty()).then_some(Cow::Borrowed(self))
    }
}

macro_rules! by_str {
    ($($ty:ty),*) => {$(
        impl SubjectKey for $ty {
            fn subject_key(&self) -> Option<Cow<'_, str>> {
                str::subject_key(self)
            }
        }
    )*};
}

by_str!(String, Cow<'_, str>);

macro_rules! by_display {
    ($($ty:ty),*) => {$(
        impl SubjectKey for $ty {
            fn subject_key(&self) -> Option<Cow<'_, str>> {
                Some(Cow::Owned(self.to_string()))
            }
        }
    )*};
}

by_display!(
    u8,
    u16,
    u32,
    u64,
    u128,
    usize,
    i8,
    i16,
    i32,
    i64,
    i128,
    isize,
    NonZeroU8,
    NonZeroU16,
    NonZeroU32,
    NonZeroU64,
    NonZeroU128,
    NonZeroUsize,
    NonZeroI8,
    NonZeroI16,
    NonZeroI32,
    NonZeroI64,
    NonZeroI128,
    NonZeroIsize
);

macro_rules! forward {
    ($([$($generics:tt)*] $ty:ty => $inner:expr;)*) => {$(
        impl<$($generics)*> SubjectKey for $ty {
            fn subject_key(&self) -> Option<Cow<'_, str>> {
                let inner: fn(&Self) -> &_ = $inner;
                inner(self).subject_key()
            }
        }
    )*};
}

forward! {
    ['a, T: SubjectKey + ?Sized] &'a T => |key| &**key;
    ['a, T: SubjectKey + ?Sized] &'a mut T => |key| &**key;
    [T: SubjectKey + ?Sized] Box<T> => |key| &**key;
    [T: SubjectKey + ?Sized] Rc<T> => |key| &**key;
    [T: SubjectKey + ?Sized] Arc<T> => |key| &**key;
    [T: SubjectKey] Pii<T> => Pii::expose;
    [T: SubjectKey] Oii<T> => Oii::expose;
}

impl<T: SubjectKey> SubjectKey for Option<T> {
    fn subject_key(&self) -> Option<Cow<'_, str>> {
        self.as_ref()?.subject_key()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrapped_id_is_read_from_its_value() {
        assert_eq!(SubjectId::of(&Pii::new(7_u64)), SubjectId::of(&7_u64));
        assert_ne!(
            SubjectId::of(&Pii::new(7_u64)),
            SubjectId::of(&Pii::new(8_u64))
        );
        assert_eq!(
            SubjectId::of(&Oii::new(String::from("acme"))),
            Some(SubjectId::from("acme"))
        );
    }

    #[test]
    fn empty_and_missing_ids_name_nobody() {
        assert_eq!(SubjectId::of(""), None);
        assert_eq!(SubjectId::of(&String::new()), None);
        assert_eq!(SubjectId::of(&None::<u64>), None);
        assert_eq!(
            SubjectId::of(&Some(Box::new(3_u8))),
            Some(SubjectId::from("3"))
        );
    }

    #[test]
    fn namespaces_keep_equal_ids_apart() {
        let member = SubjectId::from("7");
        let device = SubjectId::new("device", "7");
        assert_ne!(member, device);
        assert_ne!(member.pseudonym(), device.pseudonym());
        // The length prefix keeps a namespace from running into its id.
        assert_ne!(
            SubjectId::new("de", "vice7").pseudonym(),
            SubjectId::new("dev", "ice7").pseudonym()
        );
        assert_eq!(device, SubjectId::of_in("device", &7_u32).unwrap());
    }
}
