//! Questions about the model that the expansion asks, answered in one place.

use proc_macro2::TokenStream;
use quote::quote;
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

    /// Whether the field is a map whose keys are declared safe (`#[privacy(keys = safe)]`).
    pub(crate) fn safe_keys(&self) -> bool {
        self.attrs.safe_keys.is_some() && self.attrs.classes.is_empty()
    }

    /// How generated code reads the field's value as a nested value: through `SafeKeys` for a
    /// `keys = safe` map, whose keys are shown as they are and values as they redact.
    pub(crate) fn nested_view(&self, access: &TokenStream) -> TokenStream {
        if self.safe_keys() {
            quote!(&_privacy::__private::SafeKeys(#access))
        } else {
            access.clone()
        }
    }

    /// The type whose schema the field's entry holds: `SafeKeysOf<M>` for a `keys = safe` map
    /// (safe keys, classified values), the field's type otherwise.
    pub(crate) fn schema_ty(&self, ty: &TokenStream) -> TokenStream {
        if self.safe_keys() {
            quote!(_privacy::__private::SafeKeysOf<#ty>)
        } else {
            ty.clone()
        }
    }

    /// For a map field written as `HashMap<K, V>` or `BTreeMap<K, V>`: its key and value types,
    /// checked one by one so that an unclassified key is named as such.
    pub(crate) fn map_types(&self) -> Option<(&syn::Type, &syn::Type)> {
        let syn::Type::Path(path) = &*self.ty else {
            return None;
        };
        let last = path.path.segments.last()?;
        if last.ident != "HashMap" && last.ident != "BTreeMap" {
            return None;
        }
        let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
            return None;
        };
        let mut types = args.args.iter().filter_map(|arg| match arg {
            syn::GenericArgument::Type(ty) => Some(ty),
            _ => None,
        });
        Some((types.next()?, types.next()?))
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
