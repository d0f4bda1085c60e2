//! Items the generated code uses. Not public API: they change without notice.

use core::fmt;
use core::marker::PhantomData;

pub use crate::telemetry::{AsDebugValue, AsValue, ValueProbe};

pub use crate::reveal::{
    reveal_field, Denied, NestedDebug, NestedPlain, NestedProbe, NestedReveal, NoRawDebug,
    PlainNested, PlainProbe, RawClassified, RawDebug, RawProbe, RawUnwrapped, RevealCx,
    RevealDebug, RevealingDebug, ViaDenied, ViaOwnDebug,
};
#[cfg(feature = "serde")]
pub use crate::reveal_ser::{
    NestedSer, NestedSerPlain, NestedSerProbe, NestedSerReveal, NoRaw, RawSerClassified, RawSerNo,
    RawSerProbe, RawSerUnwrapped, RawSerYes, RevealFieldSer, RevealSerialize, RevealingSer,
};

pub use ::inventory;
#[cfg(feature = "serde")]
pub use serde;
#[cfg(feature = "tracing")]
pub use tracing;
#[cfg(feature = "valuable")]
pub use valuable;

#[cfg(feature = "serde")]
pub use crate::ser::{FlatMapSerializer, TaggedSerializer, VariantTag};
#[cfg(feature = "valuable")]
pub use crate::valuable::{FieldText, FieldValue, ViaDebug, ViaValuable};

#[cfg(feature = "tracing")]
pub use crate::instrument::{
    classified_param, recorded_err, recorded_ok, recorded_return, safe_param, ClassifiedParam,
    Fallible, Receiver, RecordClassifiedReceiver, RecordPlainReceiver, RecordedError,
    RecordedReturn,
};

pub use crate::field_path::TypeAnchor;
pub use crate::field_walk::{Element, Ended, FieldType, Walk};

pub use crate::map_keys::{
    flattened, nested_map, nested_safe_keys, ClassifiedKey, IndexedKey, Map, MapSchema, SafeKeys,
    SafeKeysField, SafeKeysOf,
};
#[cfg(feature = "valuable")]
pub use crate::map_keys::{KeyedMap, KeyedValuable, ViaKeyedValuable};

use crate::classified::schema_of;
pub use crate::redact::{Email, First, Hash, Hidden, IpPrefix, Labels, Last, With, WithInput};
use crate::{Class, Classified, Field};

/// Bound on an unannotated field's type. The derive checks it in a function whose type
/// parameter `F` is named after the field, so that the message can name the field.
#[diagnostic::on_unimplemented(
    message = "field `{F}` is not classified, and its type `{Self}` does not classify itself",
    label = "add `#[pii(...)]`, `#[oii(...)]` or `#[safe]` to field `{F}`",
    note = "a field without an attribute must have a type that derives `Privacy`, a `Pii<T>` or `Oii<T>` \
            wrapper, or a standard container of those"
)]
pub trait ClassifiedField<F: ?Sized>: Classified {}

#[diagnostic::do_not_recommend]
impl<T: Classified + ?Sized, F: ?Sized> ClassifiedField<F> for T {}

/// [`ClassifiedField`], for the `Debug` and the revealing `Debug` of a generic type: the field's
/// type classifies itself and is written through [`RevealDebug`], which keeps the keys of a map
/// apart and lets a view reveal through it.
#[diagnostic::on_unimplemented(
    message = "field `{F}` is not classified, and its type `{Self}` does not classify itself, or what it holds has no `Debug`",
    label = "add `#[pii(...)]`, `#[oii(...)]` or `#[safe]` to field `{F}`, or give what it holds a `Debug`",
    note = "a field without an attribute must have a type that derives `Privacy`, a `Pii<T>` or `Oii<T>` wrapper, or a standard container of those"
)]
pub trait DebugField<F: ?Sized>: ClassifiedField<F> + RevealDebug {}

#[diagnostic::do_not_recommend]
impl<T: Classified + RevealDebug + ?Sized, F: ?Sized> DebugField<F> for T {}

/// [`ClassifiedField`], for the `Serialize` of a generic type: the field's type classifies
/// itself and is written through [`RevealSerialize`], so that a view can reveal through it.
#[cfg(feature = "serde")]
#[diagnostic::on_unimplemented(
    message = "field `{F}` is not classified, and its type `{Self}` does not classify itself, or what it holds does not serialize",
    label = "add `#[pii(...)]`, `#[oii(...)]` or `#[safe]` to field `{F}`, or give what it holds a `Serialize`",
    note = "a field without an attribute must have a type that derives `Privacy`, a `Pii<T>` or `Oii<T>` wrapper, or a standard container of those"
)]
pub trait SerializedField<F: ?Sized>: ClassifiedField<F> + RevealSerialize {}

#[cfg(feature = "serde")]
#[diagnostic::do_not_recommend]
impl<T: Classified + RevealSerialize + ?Sized, F: ?Sized> SerializedField<F> for T {}

/// A nested field's schema entry and what its type carries.
#[derive(Clone, Copy)]
pub struct Nested {
    /// The field's schema entry.
    pub field: Field,
    /// Whether the field's type carries PII.
    pub pii: bool,
    /// Whether the field's type carries OII.
    pub oii: bool,
}

/// The schema entry of a field whose type classifies itself.
#[must_use]
pub const fn nested<T: ClassifiedField<F> + ?Sized, F: ?Sized>(
    name: &'static str,
    subject: bool,
) -> Nested {
    let schema = T::SCHEMA;
    Nested {
        field: Field {
            name,
            class: schema.class(),
            kind: None,
            strategy: None,
            purposes: &[],
            subject,
            nested: Some(schema_of::<T>),
        },
        pii: schema.carries_pii,
        oii: schema.carries_oii,
    }
}

/// `field`, with the purposes of its `#[privacy(purposes(...))]`: those a consent must be for
/// to reveal anything the field holds.
#[must_use]
pub const fn with_purposes(field: Field, purposes: &'static [&'static str]) -> Field {
    Field { purposes, ..field }
}

/// The schema entry of a field whose type contains the type being derived. Reading its schema
/// would be a cycle; it carries what the enclosing type carries, which the derive passes in.
#[must_use]
pub const fn recursive<T: ClassifiedField<F> + ?Sized, F: ?Sized>(
    name: &'static str,
    subject: bool,
    class: Class,
) -> Field {
    Field {
        name,
        class,
        kind: None,
        strategy: None,
        purposes: &[],
        subject,
        nested: Some(schema_of::<T>),
    }
}

/// Bound on a `#[privacy(subject)]` field's type. `F` is the field's marker, so that the
/// message names the field.
#[diagnostic::on_unimplemented(
    message = "field `{F}` is the subject, and its type `{Self}` does not hold a subject id",
    label = "implement `privacy::SubjectKey` for `{Self}`, or mark the field that holds the id",
    note = "a subject id is read from the raw value, never from `Display` or `Debug`: integers, strings, \
            `Pii<T>`/`Oii<T>` of those, references, boxes and options of them hold one"
)]
pub trait SubjectField<F: ?Sized>: crate::SubjectKey {}

#[diagnostic::do_not_recommend]
impl<T: crate::SubjectKey + ?Sized, F: ?Sized> SubjectField<F> for T {}

/// The subject a `#[privacy(subject)]` field names, in its namespace.
#[must_use]
#[inline]
pub fn subject_id<F: ?Sized, K: SubjectField<F> + ?Sized>(
    namespace: &'static str,
    key: &K,
) -> Option<crate::SubjectId> {
    crate::SubjectId::of_in(namespace, key)
}

/// What `privacy::purpose!` registers.
pub use crate::purpose::registry::Declared as DeclaredPurpose;

/// Bound on the fields of a `#[repr(packed)]` struct that the derive reads: implemented for
/// `Copy` types. Not a subtrait of `Copy`, whose error would replace this one's words. `F` is the
/// field's marker, so that the message names the field.
#[diagnostic::on_unimplemented(
    message = "field `{F}` of a packed struct is not `Copy`, and the derive must copy it to read it",
    label = "a reference into a `#[repr(packed)]` struct may be unaligned: the derive copies each field it reads, as std's `derive(Debug)` does",
    note = "give the field a `Copy` type (a type parameter a `Copy` bound), mark it `#[pii(redact = skip)]` to leave it out of every output, or remove `#[repr(packed)]`"
)]
pub trait PackedField<F: ?Sized> {}

#[diagnostic::do_not_recommend]
impl<T: Copy, F: ?Sized> PackedField<F> for T {}

/// The copy of a field of a packed struct, which generated code reads in place of the field.
#[must_use]
#[inline]
pub const fn packed_field<F: ?Sized, T: PackedField<F>>(value: T) -> T {
    value
}

/// The stable name of a purpose named in `purposes(...)` or declared with `purpose!`, which
/// does not compile when the name breaks a rule of [`crate::purpose`](mod@crate::purpose).
#[must_use]
pub const fn purpose_name<P: crate::Purpose>() -> &'static str {
    <P as crate::purpose::CheckedName>::CHECKED_NAME
}

/// Answers whether `T` classifies itself, by autoref specialisation: the method of
/// [`ProbeClassified`] is found first when `T: Classified`, that of [`ProbePlain`] otherwise.
/// Only meaningful for concrete types, which is where `#[safe]` on such a type is a mistake.
pub struct Probe<T: ?Sized>(PhantomData<T>);

impl<T: ?Sized> Probe<T> {
    /// A probe for `T`.
    #[must_use]
    #[allow(clippy::new_without_default)] // only generated code makes one
    pub const fn new() -> Self {
        Probe(PhantomData)
    }

    /// A probe for the type of `value`, where the type cannot be named (`impl Trait`).
    #[must_use]
    pub const fn of(_value: &T) -> Self {
        Probe(PhantomData)
    }
}

/// The answer for a type that classifies itself.
pub struct ClassifiesItself;

/// The answer for a type that does not.
pub struct Plain;

/// Found first when `T: Classified`.
pub trait ProbeClassified {
    /// The answer.
    fn probe(&self) -> ClassifiesItself {
        ClassifiesItself
    }
}

impl<T: Classified + ?Sized> ProbeClassified for &Probe<T> {}

/// Found when `T` does not classify itself.
pub trait ProbePlain {
    /// The answer.
    fn probe(&self) -> Plain {
        Plain
    }
}

impl<T: ?Sized> ProbePlain for Probe<T> {}

/// What a `#[safe]` field's type may be: anything that does not classify itself. `F` is named
/// after the field.
#[diagnostic::on_unimplemented(
    message = "field `{F}` is marked `#[safe]`, but its type already carries its own classification",
    label = "remove `#[safe]` from field `{F}`: its type redacts itself",
    note = "a type that derives `Privacy`, a `Pii<T>`/`Oii<T>` wrapper, or a container of those \
            needs no attribute; `#[safe]` would record personal data as safe in the schema"
)]
pub trait SafeField<F: ?Sized> {}

impl<F: ?Sized> SafeField<F> for Plain {}

/// Fails to compile when the probe found a type that classifies itself.
pub fn require_safe<F: ?Sized, A: SafeField<F>>(_answer: A) {}

/// What the keys of a `keys = safe` map may be: anything that does not classify itself. `F`
/// is named after the field.
#[diagnostic::on_unimplemented(
    message = "field `{F}` has `#[privacy(keys = safe)]`, but its keys classify themselves",
    label = "drop `keys = safe` from field `{F}`: its keys redact themselves, and every output keeps them apart",
    note = "`keys = safe` shows keys with their own `Debug` and `Serialize`; keys that are `Pii<K>`, `Oii<K>` \
            or derive `Privacy` keep their classification without it"
)]
pub trait PlainKeys<F: ?Sized> {}

impl<F: ?Sized> PlainKeys<F> for Plain {}

/// Fails to compile when the probe found keys that classify themselves.
pub fn require_plain_keys<F: ?Sized, A: PlainKeys<F>>(_answer: A) {}

/// The derived `Debug` of a struct or variant: `texts[i]` before `values[i]`, the last text
/// after the last value, where `texts` is `plain` in `{:?}` and `pretty` in `{:#?}`. The macro
/// merges every run of constant text (names, punctuation, placeholders) into one text, so that
/// the output is written with as few calls as it has parts; in `{:#?}` each value is written
/// through an indenting writer, as `debug_struct` does. One call per struct or variant keeps
/// the generated code as small as std's derive.
///
/// # Errors
///
/// The formatter's.
pub fn debug_fields(
    f: &mut fmt::Formatter<'_>,
    plain: &[&str],
    pretty: &[&str],
    values: &[&dyn fmt::Debug],
) -> fmt::Result {
    let alternate = f.alternate();
    let mut texts = if alternate { pretty } else { plain }.iter();
    for value in values {
        if let Some(text) = texts.next() {
            f.write_str(text)?;
        }
        if alternate {
            fmt::Debug::fmt(&Pretty(value), f)?;
        } else {
            value.fmt(f)?;
        }
    }
    for text in texts {
        f.write_str(text)?;
    }
    Ok(())
}

/// A value written as `{:#?}` through an indenting writer: what `debug_struct` does for the
/// fields of a pretty-printed struct, for the derive's `Debug`, which writes the rest itself.
pub struct Pretty<T>(pub T);

impl<T: fmt::Debug> fmt::Debug for Pretty<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use fmt::Write as _;
        write!(
            Indented {
                f,
                on_newline: false
            },
            "{:#?}",
            self.0
        )
    }
}

/// Indents every line after the first by four spaces.
struct Indented<'a, 'f> {
    f: &'a mut fmt::Formatter<'f>,
    on_newline: bool,
}

impl fmt::Write for Indented<'_, '_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for line in s.split_inclusive('\n') {
            if self.on_newline {
                self.f.write_str("    ")?;
            }
            self.on_newline = line.ends_with('\n');
            self.f.write_str(line)?;
        }
        Ok(())
    }
}

/// Whether `permit` lets field `position` of variant `variant` of a type of schema `schema`
/// (about `subject`) into a telemetry event.
#[must_use]
pub fn telemetry_allows(
    permit: Option<&dyn crate::Permit>,
    schema: &'static crate::Schema,
    variant: usize,
    position: usize,
    subject: Option<&crate::SubjectId>,
) -> bool {
    crate::telemetry::allows(permit, crate::Step::new(schema, variant, position), subject)
}
