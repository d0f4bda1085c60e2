//! Maps in derived types: keys declared safe (`#[privacy(keys = safe)]`), and keys that
//! classify themselves, which every output keeps apart.
//!
//! A key that classifies itself (a `Pii<String>`) redacts to its placeholder, the same for
//! every key: written as is, a JSON object would hold one `"<pii>"` key many times and a
//! reader would keep one entry. Every output of a derived type writes such a key as its
//! placeholder, `#`, and the entry's position in the map's order, from 1: `"<pii>#1"`,
//! `"<pii>#2"`. The text holds nothing of the key (the position in a `HashMap` follows no key;
//! in a `BTreeMap` it is the key's rank among the map's keys). A reveal view shows the values
//! its permit allows, never such a key: a key identifies the entry, not what a permit names.
//! Keys of a type that classifies itself but holds no personal data (a derived type with only
//! safe fields) are written as themselves.

use core::cell::Cell;
use core::fmt;
use core::marker::PhantomData;
use std::collections::{BTreeMap, HashMap};

use crate::reveal::{RevealCx, RevealDebug, RevealingDebug};
use crate::{Class, Classified, Schema, Shape};

/// A map whose entries a derived type can write one by one: `HashMap` and `BTreeMap`.
pub trait Map {
    /// The keys.
    type Key;
    /// The values.
    type Value;

    /// The entries, in the map's order.
    fn entries(&self) -> impl Iterator<Item = (&Self::Key, &Self::Value)>;

    /// How many entries there are.
    fn len(&self) -> usize;

    /// Whether there are none.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<K, V, S> Map for HashMap<K, V, S> {
    type Key = K;
    type Value = V;

    fn entries(&self) -> impl Iterator<Item = (&K, &V)> {
        self.iter()
    }

    fn len(&self) -> usize {
        HashMap::len(self)
    }
}

impl<K, V> Map for BTreeMap<K, V> {
    type Key = K;
    type Value = V;

    fn entries(&self) -> impl Iterator<Item = (&K, &V)> {
        self.iter()
    }

    fn len(&self) -> usize {
        BTreeMap::len(self)
    }
}

/// The text a key that classifies itself is written as: `<pii>#3`, or `<pii>#2.3` in the second
/// of the flattened maps of a struct (`#[serde(flatten)]`), whose entries share one object.
#[derive(Clone, Copy)]
pub struct IndexedKey {
    class: Class,
    position: usize,
    flattened: Option<usize>,
}

impl IndexedKey {
    /// The key of the entry at `position` (from 1), of a key type of class `class`; `None`
    /// when that class is safe, and the key is written as itself.
    #[must_use]
    pub fn of(class: Class, position: usize) -> Option<Self> {
        class.is_classified().then(|| IndexedKey {
            class,
            position,
            flattened: FLATTENED.with(Cell::get),
        })
    }
}

impl fmt::Display for IndexedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.flattened {
            Some(group) => write!(f, "<{}>#{group}.{}", self.class, self.position),
            None => write!(f, "<{}>#{}", self.class, self.position),
        }
    }
}

thread_local! {
    /// Which flattened field of a struct is being written, if one is.
    static FLATTENED: Cell<Option<usize>> = const { Cell::new(None) };
}

/// Runs `f`, which writes the flattened field `ordinal` (from 1) of a struct, with the keys of
/// its maps numbered apart from the other flattened fields'.
pub fn flattened<R>(ordinal: usize, f: impl FnOnce() -> R) -> R {
    struct Restore(Option<usize>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let _ = FLATTENED.try_with(|flattened| flattened.set(self.0));
        }
    }
    let _restore = Restore(FLATTENED.with(|flattened| flattened.replace(Some(ordinal))));
    f()
}

impl fmt::Debug for IndexedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for IndexedKey {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// A key as a map writes it: indexed when it classifies itself, as itself otherwise.
pub(crate) enum KeyText<'a, K> {
    Indexed(IndexedKey),
    Itself(&'a K),
}

impl<'a, K: Classified> KeyText<'a, K> {
    pub(crate) fn of(key: &'a K, position: usize) -> Self {
        IndexedKey::of(K::SCHEMA.class(), position).map_or(KeyText::Itself(key), KeyText::Indexed)
    }
}

impl<K: Classified + fmt::Debug> fmt::Debug for KeyText<'_, K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyText::Indexed(key) => fmt::Debug::fmt(key, f),
            KeyText::Itself(key) => fmt::Debug::fmt(key, f),
        }
    }
}

/// The entries of a map with classified keys, for `debug_map`, as `(key, value)` pairs.
pub(crate) fn indexed<M: Map>(map: &M) -> impl Iterator<Item = (KeyText<'_, M::Key>, &M::Value)>
where
    M::Key: Classified,
{
    map.entries()
        .enumerate()
        .map(|(index, (key, value))| (KeyText::of(key, index + 1), value))
}

/// `keys = safe` on a field: what its type must be. `F` is the field's marker, so that the
/// message names the field.
#[diagnostic::on_unimplemented(
    message = "`#[privacy(keys = safe)]` on field `{F}`, whose type `{Self}` is not a map whose values classify themselves",
    label = "`keys = safe` is for a `HashMap` or `BTreeMap` field whose values derive `Privacy` or are `Pii<T>`/`Oii<T>`",
    note = "drop `keys = safe`, or classify the field with `#[pii(...)]`, `#[oii(...)]` or `#[safe]`"
)]
pub trait SafeKeysField<F: ?Sized>: Map<Value: Classified> {}

#[diagnostic::do_not_recommend]
impl<M: Map<Value: Classified> + ?Sized, F: ?Sized> SafeKeysField<F> for M {}

/// A map field marked `keys = safe`: keys written with their own `Debug` and `Serialize`,
/// values with their redacted (or revealing) output.
pub struct SafeKeys<'a, M: ?Sized>(pub &'a M);

impl<M: Map> fmt::Debug for SafeKeys<'_, M>
where
    M::Key: fmt::Debug,
    M::Value: fmt::Debug,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.0.entries()).finish()
    }
}

impl<M: Map> RevealDebug for SafeKeys<'_, M>
where
    M::Key: fmt::Debug,
    M::Value: RevealDebug,
{
    fn fmt_revealed(&self, f: &mut fmt::Formatter<'_>, cx: &RevealCx<'_>) -> fmt::Result {
        f.debug_map()
            .entries(
                self.0
                    .entries()
                    .map(|(key, value)| (key, RevealingDebug(value, cx))),
            )
            .finish()
    }
}

/// The schema of a `keys = safe` field of type `M`: a map of safe keys.
pub struct SafeKeysOf<M: ?Sized>(PhantomData<M>);

/// The keys of a `keys = safe` map, in its schema.
struct SafeKey;

impl Classified for SafeKey {
    const SCHEMA: &'static Schema = &Schema {
        type_name: "Key",
        shape: Shape::Value {
            class: Class::Safe,
            kind: None,
        },
        carries_pii: false,
        carries_oii: false,
        identity: None,
    };
}

impl<M: Map<Value: Classified> + ?Sized> Classified for SafeKeysOf<M> {
    const SCHEMA: &'static Schema = &Schema {
        type_name: "Map",
        shape: Shape::Map {
            key: crate::schema_of::<SafeKey>,
            value: crate::schema_of::<M::Value>,
        },
        carries_pii: <M::Value as Classified>::SCHEMA.carries_pii,
        carries_oii: <M::Value as Classified>::SCHEMA.carries_oii,
        identity: None,
    };
}

impl<M: Map<Value: crate::__private::Element> + ?Sized> crate::__private::Element
    for SafeKeysOf<M>
{
    type Element = <M::Value as crate::__private::Element>::Element;
}

/// The schema entry of a `keys = safe` field of type `M`.
#[must_use]
pub const fn nested_safe_keys<M: SafeKeysField<F> + ?Sized, F: ?Sized>(
    name: &'static str,
    subject: bool,
) -> crate::__private::Nested {
    crate::__private::nested::<SafeKeysOf<M>, F>(name, subject)
}

/// Bound on the keys of a map field without an attribute. `F` is the field's marker, so that
/// the message names the field and the key type, not the whole map.
#[diagnostic::on_unimplemented(
    message = "the keys of map field `{F}` are `{Self}`, which does not classify itself",
    label = "add `#[privacy(keys = safe)]` to field `{F}` if its keys identify nobody, or make them `Pii<{Self}>` or `Oii<{Self}>`",
    note = "with `#[privacy(keys = safe)]`, keys are shown with their own `Debug` and `Serialize` and values keep their classification"
)]
pub trait ClassifiedKey<F: ?Sized>: Classified {}

#[diagnostic::do_not_recommend]
impl<T: Classified + ?Sized, F: ?Sized> ClassifiedKey<F> for T {}

/// The schema of a map of `K` to `V`, by its key and value types alone.
pub struct MapSchema<K, V>(PhantomData<fn() -> (K, V)>);

impl<K: Classified, V: Classified> Classified for MapSchema<K, V> {
    const SCHEMA: &'static Schema = &crate::classified::map_schema::<K, V>();
}

/// The schema entry of a map field without an attribute: its keys and values are checked one
/// by one, so that an unclassified key type is named as such.
#[must_use]
pub const fn nested_map<M, K, V, F: ?Sized>(
    name: &'static str,
    subject: bool,
) -> crate::__private::Nested
where
    M: Map<Key = K, Value = V> + ?Sized,
    K: ClassifiedKey<F>,
    V: crate::__private::ClassifiedField<F>,
{
    crate::__private::nested::<MapSchema<K, V>, F>(name, subject)
}

#[cfg(feature = "serde")]
mod ser {
    use serde::ser::{Serialize, SerializeMap, Serializer};

    use super::{KeyText, Map, SafeKeys};
    use crate::reveal::RevealCx;
    use crate::reveal_ser::{RevealSerialize, RevealingSer};
    use crate::Classified;

    impl<M: Map> Serialize for SafeKeys<'_, M>
    where
        M::Key: Serialize,
        M::Value: Serialize,
    {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serializer.collect_map(self.0.entries())
        }
    }

    impl<M: Map> RevealSerialize for SafeKeys<'_, M>
    where
        M::Key: Serialize,
        M::Value: RevealSerialize,
    {
        fn serialize_revealed<S: Serializer>(
            &self,
            serializer: S,
            cx: Option<&RevealCx<'_>>,
        ) -> Result<S::Ok, S::Error> {
            let mut map = serializer.serialize_map(Some(self.0.len()))?;
            for (key, value) in self.0.entries() {
                map.serialize_entry(key, &RevealingSer(value, cx))?;
            }
            map.end()
        }
    }

    impl<K: Classified + RevealSerialize> Serialize for KeyText<'_, K> {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            match self {
                KeyText::Indexed(key) => key.serialize(serializer),
                // A key of a safe class holds no personal data: written through its own
                // (redacted, never revealing) output.
                KeyText::Itself(key) => key.serialize_revealed(serializer, None),
            }
        }
    }
}

#[cfg(feature = "valuable")]
mod valuable_impls {
    use valuable::{Mappable, Valuable, Value, Visit};

    use super::{KeyText, Map, SafeKeys};
    use crate::Classified;

    impl<M: Map> Valuable for SafeKeys<'_, M>
    where
        M::Key: Valuable,
        M::Value: Valuable,
    {
        fn as_value(&self) -> Value<'_> {
            Value::Mappable(self)
        }

        fn visit(&self, visit: &mut dyn Visit) {
            for (key, value) in self.0.entries() {
                visit.visit_entry(key.as_value(), value.as_value());
            }
        }
    }

    impl<M: Map> Mappable for SafeKeys<'_, M>
    where
        M::Key: Valuable,
        M::Value: Valuable,
    {
        fn size_hint(&self) -> (usize, Option<usize>) {
            (self.0.len(), Some(self.0.len()))
        }
    }

    /// A map with classified keys as a visitor sees it: each key indexed.
    pub struct KeyedMap<'a, M: ?Sized>(pub &'a M);

    impl<M: Map> Valuable for KeyedMap<'_, M>
    where
        M::Key: Classified + Valuable,
        M::Value: Valuable,
    {
        fn as_value(&self) -> Value<'_> {
            Value::Mappable(self)
        }

        fn visit(&self, visit: &mut dyn Visit) {
            for (index, (key, value)) in self.0.entries().enumerate() {
                match KeyText::of(key, index + 1) {
                    KeyText::Indexed(indexed) => {
                        let text = crate::valuable::FieldText::display(&indexed);
                        visit.visit_entry(Value::String(text.as_str()), value.as_value());
                    }
                    KeyText::Itself(key) => visit.visit_entry(key.as_value(), value.as_value()),
                }
            }
        }
    }

    impl<M: Map> Mappable for KeyedMap<'_, M>
    where
        M::Key: Classified + Valuable,
        M::Value: Valuable,
    {
        fn size_hint(&self) -> (usize, Option<usize>) {
            (self.0.len(), Some(self.0.len()))
        }
    }

    /// A map whose keys classify themselves, written by a visitor as a [`KeyedMap`].
    pub trait KeyedValuable {}

    impl<K: Classified + Valuable, V: Valuable, S> KeyedValuable
        for std::collections::HashMap<K, V, S>
    {
    }
    impl<K: Classified + Valuable, V: Valuable> KeyedValuable for std::collections::BTreeMap<K, V> {}

    /// Found before [`ViaValuable`](crate::valuable::ViaValuable): a map with classified keys.
    pub trait ViaKeyedValuable<'a, M: ?Sized> {
        /// The map, each classified key indexed.
        fn field_value(&self) -> KeyedMap<'a, M>;
    }

    impl<'a, M: KeyedValuable + Map + ?Sized> ViaKeyedValuable<'a, M>
        for &&crate::valuable::FieldValue<'a, M>
    {
        fn field_value(&self) -> KeyedMap<'a, M> {
            KeyedMap(self.0)
        }
    }
}

#[cfg(feature = "valuable")]
pub use valuable_impls::{KeyedMap, KeyedValuable, ViaKeyedValuable};
