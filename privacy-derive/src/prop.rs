//! Questions about the model that the expansion asks, answered in one place.

use syn::Ident;

use crate::ast::{Body, Field, Input};
use crate::attr::{ClassAttr, Strategy};
use crate::generics::{mentions_type, uses_type_params};
use crate::kinds::ClassName;

/// What the generated code does with a field.
pub(crate) enum Treatment<'f> {
    /// `#[safe]`: its own `Debug`.
    Safe,
    /// `#[pii(...)]` or `#[oii(...)]`: a strategy.
    Classified(&'f ClassAttr),
    /// No attribute: the type classifies itself.
    Nested,
    /// No attribute, and the type contains the type being derived.
    Recursive,
}

impl Field<'_> {
    pub(crate) fn treatment(&self, self_ident: &Ident) -> Treatment<'_> {
        match self.attrs.classes.first() {
            Some(attr) if attr.class == ClassName::Safe => Treatment::Safe,
            Some(attr) => Treatment::Classified(attr),
            None if mentions_type(&self.ty, self_ident) => Treatment::Recursive,
            None => Treatment::Nested,
        }
    }

    /// Whether the field's type can be checked in a free function of the type's generics: it
    /// uses no type parameter (its traits depend on them) and no `Self` (there is none there).
    pub(crate) fn is_concrete(&self, input: &Input) -> bool {
        !uses_type_params(&self.ty, input.generics) && !mentions_type(&self.ty, input.ident)
    }

    /// Whether the field's type may be unsized (`str`, `[T]`, `T: ?Sized`), which only a
    /// struct's last field can be: generated code makes a `&dyn` of it, or hands it to a
    /// function, through a reference to its reference, which is sized whatever the type.
    pub(crate) fn may_be_unsized(&self, input: &Input) -> bool {
        matches!(&input.body, Body::Struct(variant) if self.position + 1 == variant.fields.len())
    }

    /// Whether the field is left out of output (`redact = skip`).
    pub(crate) fn is_skipped(&self) -> bool {
        self.attrs
            .classes
            .first()
            .and_then(|attr| attr.strategy.as_ref())
            .is_some_and(|s| matches!(s.strategy, Strategy::Skip))
    }
}

impl ClassAttr {
    /// The placeholder, `<pii:phone>`, and its opening, `<pii:phone `.
    pub(crate) fn labels(&self) -> (String, String) {
        let mut label = format!("<{}", self.class.attr());
        if let Some(kind) = &self.kind {
            label.push(':');
            label.push_str(kind.name());
        }
        (format!("{label}>"), format!("{label} "))
    }
}
