//! The `Serialize` of a [`Revealed`] view.

use serde::ser::{Serialize, SerializeMap, SerializeSeq, SerializeTuple, Serializer};

use crate::audit::Output;
use crate::discard::Discard;
use crate::field_path::Step;
use crate::permit::Permit;
use crate::reveal::{RevealCx, Revealed, OII_FIELD, PII_FIELD};
use crate::{Classified, Oii, Pii, Schema};

/// A value that can be serialized with some of its classified fields in the clear. The derive
/// implements it, and its `Serialize` is this with no context: one body serves both, so a type
/// compiles one. The standard containers and the wrappers forward it.
pub trait RevealSerialize {
    /// Serializes `self` as its `Serialize` would, showing what `cx`'s permit allows; without a
    /// context, exactly its `Serialize`.
    fn serialize_revealed<S: Serializer>(
        &self,
        serializer: S,
        cx: Option<&RevealCx<'_>>,
    ) -> Result<S::Ok, S::Error>;
}

impl<T: RevealSerialize + Classified + ?Sized, P: Permit + ?Sized> Serialize
    for Revealed<'_, T, P>
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.write(
            T::SCHEMA.type_name,
            Output::Serialized,
            |cx| {
                let _ = self.value.serialize_revealed(Discard, Some(cx));
            },
            |cx| self.value.serialize_revealed(serializer, Some(cx)),
        )
    }
}

/// Serializes a value through [`RevealSerialize`].
pub struct RevealingSer<'a, 'c, T: ?Sized>(pub &'a T, pub Option<&'a RevealCx<'c>>);

impl<T: RevealSerialize + ?Sized> Serialize for RevealingSer<'_, '_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_revealed(serializer, self.1)
    }
}

macro_rules! wrapper_reveal {
    ($($wrapper:ident $owner:literal $field:ident),*) => {$(
        impl<T: Serialize> RevealSerialize for $wrapper<T> {
            fn serialize_revealed<S: Serializer>(&self, serializer: S, cx: Option<&RevealCx<'_>>) -> Result<S::Ok, S::Error> {
                match cx {
                    Some(cx) if cx.show($owner, $field) => self.expose().serialize(serializer),
                    _ => self.serialize(serializer),
                }
            }
        }
    )*};
}

wrapper_reveal!(Pii "Pii" PII_FIELD, Oii "Oii" OII_FIELD);

macro_rules! forward {
    ($([$($generics:tt)*] $ty:ty;)*) => {$(
        impl<$($generics)*> RevealSerialize for $ty {
            fn serialize_revealed<S: Serializer>(&self, serializer: S, cx: Option<&RevealCx<'_>>) -> Result<S::Ok, S::Error> {
                (**self).serialize_revealed(serializer, cx)
            }
        }
    )*};
}

forward! {
    ['a, T: RevealSerialize + ?Sized] &'a T;
    ['a, T: RevealSerialize + ?Sized] &'a mut T;
    [T: RevealSerialize + ?Sized] Box<T>;
    [T: RevealSerialize + ?Sized] std::rc::Rc<T>;
    [T: RevealSerialize + ?Sized] std::sync::Arc<T>;
    ['a, T: RevealSerialize + ToOwned + ?Sized] std::borrow::Cow<'a, T>;
}

impl<T: RevealSerialize> RevealSerialize for Option<T> {
    fn serialize_revealed<S: Serializer>(
        &self,
        serializer: S,
        cx: Option<&RevealCx<'_>>,
    ) -> Result<S::Ok, S::Error> {
        match self {
            Some(value) => serializer.serialize_some(&RevealingSer(value, cx)),
            None => serializer.serialize_none(),
        }
    }
}

macro_rules! seq {
    ($([$($generics:tt)*] $ty:ty;)*) => {$(
        impl<$($generics)*> RevealSerialize for $ty {
            fn serialize_revealed<S: Serializer>(&self, serializer: S, cx: Option<&RevealCx<'_>>) -> Result<S::Ok, S::Error> {
                let mut seq = serializer.serialize_seq(Some(self.len()))?;
                for value in self {
                    seq.serialize_element(&RevealingSer(value, cx))?;
                }
                seq.end()
            }
        }
    )*};
}

seq! {
    [T: RevealSerialize] [T];
    [T: RevealSerialize] Vec<T>;
    [T: RevealSerialize] std::collections::VecDeque<T>;
    [T: RevealSerialize, H] std::collections::HashSet<T, H>;
    [T: RevealSerialize] std::collections::BTreeSet<T>;
}

impl<T: RevealSerialize, const N: usize> RevealSerialize for [T; N] {
    fn serialize_revealed<S: Serializer>(
        &self,
        serializer: S,
        cx: Option<&RevealCx<'_>>,
    ) -> Result<S::Ok, S::Error> {
        // serde writes arrays as tuples.
        let mut tuple = serializer.serialize_tuple(N)?;
        for value in self {
            tuple.serialize_element(&RevealingSer(value, cx))?;
        }
        tuple.end()
    }
}

macro_rules! map {
    ($([$($generics:tt)*] $ty:ty;)*) => {$(
        impl<$($generics)*> RevealSerialize for $ty {
            fn serialize_revealed<S: Serializer>(&self, serializer: S, cx: Option<&RevealCx<'_>>) -> Result<S::Ok, S::Error> {
                // Keys are written apart and never revealed (see `map_keys`).
                let mut map = serializer.serialize_map(Some(self.len()))?;
                for (key, value) in crate::map_keys::indexed(self) {
                    map.serialize_entry(&key, &RevealingSer(value, cx))?;
                }
                map.end()
            }
        }
    )*};
}

map! {
    [K: Classified + RevealSerialize, V: RevealSerialize, H] std::collections::HashMap<K, V, H>;
    [K: Classified + RevealSerialize, V: RevealSerialize] std::collections::BTreeMap<K, V>;
}

macro_rules! tuple {
    ($(($len:literal $($name:ident $index:tt),+))*) => {$(
        impl<$($name: RevealSerialize),+> RevealSerialize for ($($name,)+) {
            fn serialize_revealed<S: Serializer>(&self, serializer: S, cx: Option<&RevealCx<'_>>) -> Result<S::Ok, S::Error> {
                let mut tuple = serializer.serialize_tuple($len)?;
                $(tuple.serialize_element(&RevealingSer(&self.$index, cx))?;)+
                tuple.end()
            }
        }
    )*};
}

tuple! {
    (1 A 0)
    (2 A 0, B 1)
    (3 A 0, B 1, C 2)
    (4 A 0, B 1, C 2, D 3)
    (5 A 0, B 1, C 2, D 3, E 4)
    (6 A 0, B 1, C 2, D 3, E 4, F 5)
    (7 A 0, B 1, C 2, D 3, E 4, F 5, G 6)
    (8 A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7)
    (9 A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8)
    (10 A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9)
    (11 A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10)
    (12 A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11)
}

/// Chooses at compile time, by autoref, between revealing a nested value (when its type
/// implements [`RevealSerialize`]) and its plain redacted `Serialize`.
pub struct NestedSerProbe<'a, T: ?Sized>(pub &'a T);

/// Found first: the nested type can reveal.
pub trait NestedSerReveal<'a, 'c, T: ?Sized> {
    /// The nested value in field `position` of variant `variant` of a type of schema
    /// `schema`, revealing when there is a context.
    fn nested_ser(
        &self,
        cx: Option<&'a RevealCx<'c>>,
        schema: &'static Schema,
        variant: usize,
        position: usize,
    ) -> NestedSer<'a, 'c, T>;
}

/// Found otherwise: the nested value's own (redacted) `Serialize`.
pub trait NestedSerPlain<'a, T: ?Sized> {
    /// The nested value.
    fn nested_ser(
        &self,
        cx: Option<&RevealCx<'_>>,
        schema: &'static Schema,
        variant: usize,
        position: usize,
    ) -> &'a T;
}

/// A nested value, in the field `step` names: with a context, revealing in the field's own
/// context.
pub struct NestedSer<'a, 'c, T: ?Sized> {
    value: &'a T,
    cx: Option<&'a RevealCx<'c>>,
    step: Step,
}

impl<T: RevealSerialize + ?Sized> Serialize for NestedSer<'_, '_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.cx {
            Some(cx) => self
                .value
                .serialize_revealed(serializer, Some(&cx.child(self.step))),
            None => self.value.serialize_revealed(serializer, None),
        }
    }
}

impl<'a, 'c, T: RevealSerialize + ?Sized> NestedSerReveal<'a, 'c, T> for &NestedSerProbe<'a, T> {
    fn nested_ser(
        &self,
        cx: Option<&'a RevealCx<'c>>,
        schema: &'static Schema,
        variant: usize,
        position: usize,
    ) -> NestedSer<'a, 'c, T> {
        NestedSer {
            value: self.0,
            cx,
            step: Step::new(schema, variant, position),
        }
    }
}

impl<'a, T: Serialize + ?Sized> NestedSerPlain<'a, T> for NestedSerProbe<'a, T> {
    fn nested_ser(
        &self,
        _: Option<&RevealCx<'_>>,
        _: &'static Schema,
        _: usize,
        _: usize,
    ) -> &'a T {
        self.0
    }
}

/// Chooses at compile time, by autoref, what a classified field's raw value is in a revealing
/// `Serialize`, called as `(&&&&RawSerProbe(&value)).raw_ser()`: as for
/// [`RawProbe`](crate::__private::RawProbe), the wrapped value of a wrapper, nothing for
/// another type that classifies itself, the value for a type with `Serialize`, nothing
/// otherwise.
pub struct RawSerProbe<'a, T: ?Sized>(pub &'a T);

/// Found first: the value a wrapper holds.
pub trait RawSerUnwrapped<'a, T: ?Sized> {
    /// The wrapped value.
    fn raw_ser(&self) -> Option<&'a T>;
}

/// Found next: a type that classifies itself has no raw form to show.
pub trait RawSerClassified<'a> {
    /// Nothing.
    fn raw_ser(&self) -> Option<&'a NoRaw>;
}

/// Found next: the raw value serializes.
pub trait RawSerYes<'a, T: ?Sized> {
    /// The raw value.
    fn raw_ser(&self) -> Option<&'a T>;
}

/// Found otherwise: nothing to serialize in the clear.
pub trait RawSerNo<'a> {
    /// Nothing.
    fn raw_ser(&self) -> Option<&'a NoRaw>;
}

/// The raw value of a field whose type cannot be serialized: never shown.
pub enum NoRaw {}

impl Serialize for NoRaw {
    fn serialize<S: Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
        match *self {}
    }
}

macro_rules! unwrapped {
    ($($wrapper:ident),*) => {$(
        impl<'a, T: Serialize + 'a> RawSerUnwrapped<'a, T> for &&&RawSerProbe<'a, $wrapper<T>> {
            fn raw_ser(&self) -> Option<&'a T> {
                Some(self.0.expose())
            }
        }
    )*};
}

unwrapped!(Pii, Oii);

impl<'a, T: Classified + ?Sized> RawSerClassified<'a> for &&RawSerProbe<'a, T> {
    fn raw_ser(&self) -> Option<&'a NoRaw> {
        None
    }
}

impl<'a, T: Serialize + ?Sized> RawSerYes<'a, T> for &RawSerProbe<'a, T> {
    fn raw_ser(&self) -> Option<&'a T> {
        Some(self.0)
    }
}

impl<'a, T: ?Sized> RawSerNo<'a> for RawSerProbe<'a, T> {
    fn raw_ser(&self) -> Option<&'a NoRaw> {
        None
    }
}

/// A classified field in a revealing `Serialize`: its raw value when there is a context whose
/// permit allows it, its redacted form otherwise. The field's schema entry is looked up only
/// then.
pub struct RevealFieldSer<'a, 'c, R: ?Sized, A> {
    cx: Option<&'a RevealCx<'c>>,
    schema: &'static Schema,
    variant: usize,
    position: usize,
    raw: Option<&'a R>,
    redacted: A,
}

impl<'a, 'c, R: Serialize + ?Sized, A: Serialize> RevealFieldSer<'a, 'c, R, A> {
    /// Field `position` of variant `variant` (0 for a struct) of a type of schema `schema`.
    pub fn new(
        cx: Option<&'a RevealCx<'c>>,
        schema: &'static Schema,
        variant: usize,
        position: usize,
        raw: Option<&'a R>,
        redacted: A,
    ) -> Self {
        RevealFieldSer {
            cx,
            schema,
            variant,
            position,
            raw,
            redacted,
        }
    }
}

impl<R: Serialize + ?Sized, A: Serialize> Serialize for RevealFieldSer<'_, '_, R, A> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if let (Some(cx), Some(raw)) = (self.cx, self.raw) {
            if cx.show_field(self.schema, self.variant, self.position) {
                return raw.serialize(serializer);
            }
        }
        self.redacted.serialize(serializer)
    }
}
