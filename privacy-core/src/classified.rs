//! The trait of types that know the class of every value they hold.

use std::borrow::Cow;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::rc::Rc;
use std::sync::Arc;

use crate::{Schema, SchemaFn, Shape};

/// A type that classifies every value it holds, so it can be a field without an attribute.
///
/// Implemented by `#[derive(Privacy)]`, by the wrappers [`Pii`](crate::Pii) and
/// [`Oii`](crate::Oii), and by the standard containers of classified types: references, `Box`,
/// `Rc`, `Arc`, `Cow`, `Option`, `Vec`, `VecDeque`, slices, arrays, tuples, `HashMap`,
/// `BTreeMap`, `HashSet` and `BTreeSet`. A container is transparent: its schema is the schema of
/// what it contains.
///
/// Implementing it by hand is possible but rarely right: derive `Privacy` instead, so that the
/// `Debug` output and the schema cannot disagree.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not classify its values",
    label = "`{Self}` is not classified",
    note = "derive `Privacy` on the type, wrap the value in `Pii<T>` or `Oii<T>`, \
            or mark the field `#[pii(...)]`, `#[oii(...)]` or `#[safe]`"
)]
pub trait Classified {
    /// The static schema of the type.
    const SCHEMA: &'static Schema;

    /// Who the value is about: the id its `#[privacy(subject)]` field holds (read from the raw
    /// value through [`SubjectKey`](crate::SubjectKey)), in the field's namespace, if its type
    /// has one (in an enum, if the value's variant has one). `None` also when the field holds no
    /// id (an empty string, `None`): such a value is about nobody, and no consent reveals it.
    ///
    /// ```
    /// use privacy::{Classified, Privacy, SubjectId};
    ///
    /// #[derive(Privacy)]
    /// struct Member {
    ///     #[safe]
    ///     #[privacy(subject)]
    ///     id: u64,
    /// }
    ///
    /// assert_eq!(Member { id: 7 }.subject(), Some(SubjectId::from("7")));
    /// ```
    fn subject(&self) -> Option<crate::SubjectId> {
        None
    }
}

/// Returns `T`'s schema; used as a [`SchemaFn`] for nested fields.
#[must_use]
pub fn schema_of<T: Classified + ?Sized>() -> &'static Schema {
    T::SCHEMA
}

macro_rules! transparent {
    ($($(#[$meta:meta])* [$($generics:tt)*] $ty:ty => $inner:ty;)*) => {$(
        $(#[$meta])*
        impl<$($generics)*> Classified for $ty {
            const SCHEMA: &'static Schema = <$inner as Classified>::SCHEMA;
        }
    )*};
}

transparent! {
    ['a, T: Classified + ?Sized] &'a T => T;
    ['a, T: Classified + ?Sized] &'a mut T => T;
    [T: Classified + ?Sized] Box<T> => T;
    [T: Classified + ?Sized] Rc<T> => T;
    [T: Classified + ?Sized] Arc<T> => T;
    ['a, T: Classified + ToOwned + ?Sized] Cow<'a, T> => T;
    [T: Classified] Option<T> => T;
    [T: Classified] Vec<T> => T;
    [T: Classified] VecDeque<T> => T;
    [T: Classified] [T] => T;
    [T: Classified, const N: usize] [T; N] => T;
    [T: Classified, S] HashSet<T, S> => T;
    [T: Classified] BTreeSet<T> => T;
}

/// The schema of a map: its keys and values both classify themselves.
pub(crate) const fn map_schema<K: Classified, V: Classified>() -> Schema {
    Schema {
        type_name: "Map",
        shape: Shape::Map {
            key: schema_of::<K>,
            value: schema_of::<V>,
        },
        carries_pii: K::SCHEMA.carries_pii || V::SCHEMA.carries_pii,
        carries_oii: K::SCHEMA.carries_oii || V::SCHEMA.carries_oii,
        identity: None,
    }
}

impl<K: Classified, V: Classified, S> Classified for HashMap<K, V, S> {
    const SCHEMA: &'static Schema = &map_schema::<K, V>();
}

impl<K: Classified, V: Classified> Classified for BTreeMap<K, V> {
    const SCHEMA: &'static Schema = &map_schema::<K, V>();
}

macro_rules! tuples {
    ($(($($name:ident),+))*) => {$(
        impl<$($name: Classified),+> Classified for ($($name,)+) {
            const SCHEMA: &'static Schema = &Schema {
                type_name: "Tuple",
                shape: Shape::Tuple(&[$(schema_of::<$name> as SchemaFn),+]),
                carries_pii: false $(|| $name::SCHEMA.carries_pii)+,
                carries_oii: false $(|| $name::SCHEMA.carries_oii)+,
                identity: None,
            };
        }
    )*};
}

tuples! {
    (A)
    (A, B)
    (A, B, C)
    (A, B, C, D)
    (A, B, C, D, E)
    (A, B, C, D, E, F)
    (A, B, C, D, E, F, G)
    (A, B, C, D, E, F, G, H)
    (A, B, C, D, E, F, G, H, I)
    (A, B, C, D, E, F, G, H, I, J)
    (A, B, C, D, E, F, G, H, I, J, K)
    (A, B, C, D, E, F, G, H, I, J, K, L)
}
