//! Field paths: one field of one type, named with `privacy::field!` and checked at compile
//! time, for a [`Disclosure`](crate::Disclosure) to reveal.

use core::fmt;

use crate::{Field, Schema};

/// What makes a type that derives `Privacy` itself: its `TypeId`, with lifetimes left out, so
/// that two types of one name in different modules or functions, and two instances of one
/// generic type, are different types however `core::any::type_name` writes them.
#[derive(Clone, Copy)]
pub struct TypeIdentity {
    anchor: &'static TypeAnchor,
    id: typeid::ConstTypeId,
    instance: fn() -> &'static str,
}

impl TypeIdentity {
    /// The identity of `T`, whose definition `anchor` marks.
    #[doc(hidden)]
    #[must_use]
    pub const fn of<T: ?Sized>(anchor: &'static TypeAnchor) -> Self {
        TypeIdentity {
            anchor,
            id: typeid::ConstTypeId::of::<T>(),
            instance: core::any::type_name::<T>,
        }
    }

    /// The module the type is declared in, as `module_path!()` writes it.
    #[must_use]
    pub fn module(&self) -> &'static str {
        self.anchor.module
    }

    /// The type's name, with its module path and generic arguments, as
    /// `core::any::type_name` writes it (lifetimes left out): for people to read, not to tell
    /// types apart.
    #[must_use]
    pub fn instance(&self) -> &'static str {
        (self.instance)()
    }
}

impl PartialEq for TypeIdentity {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Eq for TypeIdentity {}

impl fmt::Debug for TypeIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.instance())
    }
}

/// Where a derived type is declared. Generated code makes one per derived type.
#[doc(hidden)]
pub struct TypeAnchor {
    module: &'static str,
}

impl TypeAnchor {
    /// The anchor of a type declared in `module`.
    #[must_use]
    pub const fn new(module: &'static str, _generic: bool) -> Self {
        TypeAnchor { module }
    }
}

/// One step of a path: field `position` of variant `variant` (0 in a struct) of the type whose
/// schema is `schema`.
#[derive(Clone, Copy)]
pub struct Step {
    schema: &'static Schema,
    variant: usize,
    position: usize,
}

impl Step {
    /// Field `position` of variant `variant` of a type of schema `schema`.
    #[doc(hidden)]
    #[must_use]
    pub const fn new(schema: &'static Schema, variant: usize, position: usize) -> Self {
        Step {
            schema,
            variant,
            position,
        }
    }

    /// The schema of the type that declares the field.
    #[must_use]
    pub fn schema(&self) -> &'static Schema {
        self.schema
    }

    /// The field's schema entry.
    #[must_use]
    pub fn field(&self) -> Option<&'static Field> {
        self.schema.field(self.variant, self.position)
    }

    /// The field's variant (0 in a struct) and its position among the variant's fields.
    #[must_use]
    pub fn index(&self) -> (usize, usize) {
        (self.variant, self.position)
    }

    /// The field's name.
    #[must_use]
    pub fn name(&self) -> &'static str {
        self.field().map_or("", |field| field.name)
    }
}

impl PartialEq for Step {
    fn eq(&self, other: &Self) -> bool {
        self.variant == other.variant
            && self.position == other.position
            && match (self.schema.identity, other.schema.identity) {
                (Some(a), Some(b)) => a == b,
                _ => false,
            }
    }
}

impl Eq for Step {}

impl fmt::Debug for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.schema.type_name, self.name())
    }
}

/// A field of a type, or a path through nested fields to one: what
/// `privacy::field!(Member.phone)` or `privacy::field!(Team.members.phone)` names.
///
/// It names exactly one field of one type: the type is the one the macro's path resolves to
/// (two `Member`s in two modules are two types), and a generic type is named by its instance
/// (`privacy::field!(Envelope<Pii<String>>.inner)` names nothing of an `Envelope<Pii<u64>>`). A
/// path names the field only where the value is reached through those fields, whatever is
/// around them: `Team.members.phone` is the phone of a member in a team's `members`, not of a
/// member elsewhere. The macro checks at compile time that every name is a field of its type
/// (of the named variant, in an enum: `Event.Renamed.to`), that each step but the last holds a
/// type that derives `Privacy` (or a container of one), and that the last is classified and
/// shown: a typo, a safe field, a `redact = skip` field and a nested type are compile errors.
///
/// ```
/// use privacy::{Disclosure, Privacy, Reveal};
///
/// #[derive(Privacy)]
/// struct Member {
///     #[pii(name)]
///     name: String,
///     #[pii(phone)]
///     phone: String,
/// }
///
/// #[derive(Privacy)]
/// struct Team {
///     members: Vec<Member>,
/// }
///
/// # privacy::audit::install(privacy::audit::MemorySink::new()).unwrap();
/// let team = Team { members: vec![Member { name: "Ann".into(), phone: "+44 7700 900111".into() }] };
/// let names = Disclosure::of([privacy::field!(Team.members.name)]).because("the team page");
/// assert_eq!(
///     format!("{:?}", team.reveal(&names)),
///     r#"Team { members: [Member { name: "Ann", phone: <pii:phone> }] }"#,
/// );
/// assert_eq!(privacy::field!(Team.members.name).to_string(), "Team.members.name");
/// ```
#[derive(Clone, Copy)]
pub struct FieldPath {
    steps: &'static [Step],
}

impl FieldPath {
    /// The path of `steps`, root first. Made by `privacy::field!`.
    #[doc(hidden)]
    #[must_use]
    pub const fn new(steps: &'static [Step]) -> Self {
        FieldPath { steps }
    }

    /// The steps, from the type the path starts at to the field it names.
    #[must_use]
    pub fn steps(&self) -> &'static [Step] {
        self.steps
    }
}

impl PartialEq for FieldPath {
    fn eq(&self, other: &Self) -> bool {
        self.steps == other.steps
    }
}

impl Eq for FieldPath {}

/// `Team.members.name`: the first type's name, then the fields (and variants) of the path.
impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(first) = self.steps.first() else {
            return Ok(());
        };
        f.write_str(first.schema.type_name)?;
        for step in self.steps {
            f.write_str(".")?;
            if let crate::Shape::Enum(variants) = step.schema.shape {
                if let Some(variant) = variants.get(step.variant) {
                    write!(f, "{}.", variant.name)?;
                }
            }
            f.write_str(step.name())?;
        }
        Ok(())
    }
}

impl fmt::Debug for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FieldPath({self})")
    }
}
