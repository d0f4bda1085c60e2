//! The static description of a classified type: what every field holds and how it is redacted.

use core::fmt;

use crate::{Class, Kind, Strategy};

/// The static schema of a [`Classified`](crate::Classified) type.
///
/// Built at compile time by `#[derive(Privacy)]`; read it to list what personal data a type
/// holds (a data inventory), or to check a type before it is used for telemetry.
///
/// ```
/// use privacy::{Class, Classified, Kind, Privacy, Shape};
///
/// #[derive(Privacy)]
/// struct Member {
///     #[safe]
///     id: u64,
///     #[pii(phone, redact = last(4))]
///     phone: String,
/// }
///
/// let schema = Member::SCHEMA;
/// assert_eq!(schema.type_name, "Member");
/// assert!(schema.carries_pii && !schema.carries_oii);
/// let Shape::Struct(fields) = schema.shape else { unreachable!() };
/// assert_eq!(fields[1].name, "phone");
/// assert_eq!(fields[1].class, Class::Pii);
/// assert_eq!(fields[1].kind, Some(Kind::Phone));
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Schema {
    /// The name of the type, without its module path or generic arguments.
    pub type_name: &'static str,
    /// Its fields or variants.
    pub shape: Shape,
    /// Whether a value of the type can hold PII, through its own fields or through the fields of
    /// the classified types it contains.
    pub carries_pii: bool,
    /// Whether a value of the type can hold OII, directly or transitively.
    pub carries_oii: bool,
    /// Which type this is, for a type that derives `Privacy`: a [`FieldPath`](crate::FieldPath)
    /// names a field of exactly one type. `None` for the wrappers and containers.
    pub identity: Option<crate::TypeIdentity>,
}

impl Schema {
    /// Field `position` of variant `variant` (for a struct, `variant` is 0), if the type has it.
    ///
    /// ```
    /// use privacy::{Class, Classified, Privacy};
    ///
    /// #[derive(Privacy)]
    /// enum Event {
    ///     Joined(#[safe] u64),
    ///     Renamed {
    ///         #[safe]
    ///         id: u64,
    ///         #[pii(name)]
    ///         to: String,
    ///     },
    /// }
    ///
    /// let to = Event::SCHEMA.field(1, 1).unwrap();
    /// assert_eq!((to.name, to.class), ("to", Class::Pii));
    /// assert!(Event::SCHEMA.field(0, 1).is_none());
    /// assert!(Event::SCHEMA.field(2, 0).is_none());
    /// ```
    #[must_use]
    pub fn field(&self, variant: usize, position: usize) -> Option<&Field> {
        match self.shape {
            Shape::Struct(fields) if variant == 0 => fields.get(position),
            Shape::Enum(variants) => variants.get(variant)?.fields.get(position),
            _ => None,
        }
    }

    /// The most sensitive class the type carries (see [`Class::carried`]).
    #[must_use]
    pub const fn class(&self) -> Class {
        Class::carried(self.carries_pii, self.carries_oii)
    }

    /// `true` when the type carries PII or OII.
    #[must_use]
    pub const fn carries_personal_data(&self) -> bool {
        self.carries_pii || self.carries_oii
    }
}

/// How a classified type is built.
#[derive(Clone, Copy, Debug)]
pub enum Shape {
    /// A struct; tuple structs name their fields `"0"`, `"1"`, ...; unit structs have none.
    Struct(&'static [Field]),
    /// An enum and its variants.
    Enum(&'static [Variant]),
    /// A whole value of one class: the wrappers [`Pii`](crate::Pii) and [`Oii`](crate::Oii).
    Value {
        /// The class of the wrapped value.
        class: Class,
        /// Its kind, when the wrapper names one.
        kind: Option<Kind>,
    },
    /// A tuple of classified types.
    Tuple(&'static [SchemaFn]),
    /// A map whose keys and values classify themselves.
    Map {
        /// The schema of the keys.
        key: SchemaFn,
        /// The schema of the values.
        value: SchemaFn,
    },
}

/// A function returning a type's schema. Nested schemas are reached through one so that
/// recursive types (a tree of nodes) have a finite schema.
pub type SchemaFn = fn() -> &'static Schema;

/// One variant of an enum.
#[derive(Clone, Copy, Debug)]
pub struct Variant {
    /// The variant's name.
    pub name: &'static str,
    /// Its fields, in declaration order.
    pub fields: &'static [Field],
}

/// One field of a struct or enum variant.
#[derive(Clone, Copy)]
pub struct Field {
    /// The field's name as written (raw identifiers without `r#`), or its index for tuple fields.
    pub name: &'static str,
    /// Its class. For a field whose type classifies itself, the most sensitive class that type
    /// carries.
    pub class: Class,
    /// Its kind; `None` for safe fields, for nested classified types, and for `#[pii]` or
    /// `#[oii]` without a kind.
    pub kind: Option<Kind>,
    /// How it is redacted; `None` for safe fields and nested classified types (which redact
    /// themselves).
    pub strategy: Option<Strategy>,
    /// The names of the purposes a consent may reveal it for (`purposes(...)`), or, for a field
    /// whose type classifies itself, anything it holds (`#[privacy(purposes(...))]`). Empty when
    /// the field names none: then no consent reveals it by itself, only a `Disclosure`, an
    /// audience, or the purposes of a field that holds it.
    pub purposes: &'static [&'static str],
    /// Whether this field names the data subject (`#[privacy(subject)]`).
    pub subject: bool,
    /// The schema of the field's type, when that type classifies itself.
    pub nested: Option<SchemaFn>,
}

impl Field {
    /// The schema of the field's type, when that type classifies itself.
    #[must_use]
    pub fn nested_schema(&self) -> Option<&'static Schema> {
        self.nested.map(|schema| schema())
    }
}

impl fmt::Debug for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Field")
            .field("name", &self.name)
            .field("class", &self.class)
            .field("kind", &self.kind)
            .field("strategy", &self.strategy)
            .field("purposes", &self.purposes)
            .field("subject", &self.subject)
            .field(
                "nested",
                &self.nested_schema().map(|schema| schema.type_name),
            )
            .finish()
    }
}
