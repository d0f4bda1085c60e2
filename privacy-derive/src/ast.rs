//! The typed model of the input: the original syn nodes, for spans, and the parsed attributes.

use std::borrow::Cow;

use quote::ToTokens;
use syn::ext::IdentExt;
use syn::{
    token, Attribute, Data, DeriveInput, Fields, Generics, Ident, Index, Member, Type, TypeParen,
};

use crate::attr::{self, ContainerAttrs, FieldAttrs};
use crate::ctxt::Ctxt;
use crate::{generics, serde_attr};

pub(crate) struct Input<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) generics: &'a Generics,
    pub(crate) attrs: ContainerAttrs,
    pub(crate) serde: serde_attr::Container,
    pub(crate) body: Body<'a>,
    /// How often each identifier is written in the input (see `markers::names`).
    pub(crate) names: std::collections::BTreeMap<String, usize>,
    /// `#[repr(packed)]` or `#[repr(packed(N))]`: a field may be unaligned, so generated code
    /// copies it out instead of taking a reference to it.
    pub(crate) packed: bool,
}

pub(crate) enum Body<'a> {
    Struct(Variant<'a>),
    Enum(Vec<Variant<'a>>),
}

/// A struct's fields, or one enum variant's.
pub(crate) struct Variant<'a> {
    pub(crate) ident: &'a Ident,
    pub(crate) style: Style,
    pub(crate) fields: Vec<Field<'a>>,
    pub(crate) serde: serde_attr::Variant,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    Named,
    Tuple,
    Unit,
}

pub(crate) struct Field<'a> {
    /// The position of its variant among the input's (0 in a struct).
    pub(crate) variant_index: usize,
    /// The position among its variant's fields.
    pub(crate) position: usize,
    /// `self.<member>`.
    pub(crate) member: Member,
    /// The name shown in output and schema: the identifier without `r#`, or the index.
    pub(crate) name: String,
    /// As generated code writes it: see `generated_type`.
    pub(crate) ty: Cow<'a, Type>,
    pub(crate) attrs: FieldAttrs,
    pub(crate) serde: serde_attr::Field,
}

impl<'a> Input<'a> {
    /// Builds the model; unions and misplaced attributes are recorded in `cx`. `None` only for a
    /// union, which has nothing to model.
    pub(crate) fn from_syn(cx: &mut Ctxt, input: &'a DeriveInput) -> Option<Self> {
        for param in generics::placeholder_params(&input.generics) {
            cx.error(
                param.span(),
                "a type parameter needs a name, which `_` is not: the generated impls name every \
                 parameter; write `T`",
            );
        }
        for ident in generics::reserved_names(input) {
            cx.error(
                ident.span(),
                format!(
                    "`{ident}` is reserved: the code `#[derive(Privacy)]` generates declares \
                     `_privacy`, `_serde`, `_valuable` and names starting with `__privacy` (in any \
                     case) for itself, and a type or parameter of that name would hide them; rename it"
                ),
            );
        }
        let attrs = attr::container(cx, &input.attrs);
        let serde = serde_attr::container(cx, &input.attrs);
        let mut body = match &input.data {
            Data::Struct(data) => {
                Body::Struct(Variant::from_syn(cx, &input.ident, &[], &data.fields))
            }
            Data::Enum(data) => Body::Enum(
                data.variants
                    .iter()
                    .map(|variant| {
                        for attr in &variant.attrs {
                            attr::reject_field_attr(cx, attr, "a variant");
                            if attr.path().is_ident("privacy") {
                                cx.error_spanned(
                                    attr,
                                    "`#[privacy(...)]` has no options for variants",
                                );
                            }
                        }
                        Variant::from_syn(cx, &variant.ident, &variant.attrs, &variant.fields)
                    })
                    .collect(),
            ),
            Data::Union(data) => {
                cx.error(
                    data.union_token.span,
                    "`#[derive(Privacy)]` does not support unions: which field is live is unknown, so it \
                     cannot be redacted; use an enum, or a struct with `Pii<T>`/`Oii<T>` fields",
                );
                return None;
            }
        };
        let variants = match &mut body {
            Body::Struct(variant) => std::slice::from_mut(variant),
            Body::Enum(variants) => variants.as_mut_slice(),
        };
        for (variant_index, variant) in variants.iter_mut().enumerate() {
            for field in &mut variant.fields {
                field.variant_index = variant_index;
            }
        }
        let mut written = vec![input.to_token_stream()];
        written.extend(attrs.bound.tokens());
        written.extend(
            variants
                .iter()
                .flat_map(|variant| &variant.fields)
                .filter_map(|field| field.serde.skip_if.as_ref())
                .map(ToTokens::to_token_stream),
        );
        Some(Input {
            ident: &input.ident,
            generics: &input.generics,
            attrs,
            serde,
            body,
            names: crate::markers::names(written),
            packed: is_packed(&input.attrs),
        })
    }

    /// The struct, or every variant of the enum.
    pub(crate) fn variants(&self) -> &[Variant<'a>] {
        match &self.body {
            Body::Struct(variant) => std::slice::from_ref(variant),
            Body::Enum(variants) => variants,
        }
    }

    pub(crate) fn fields(&self) -> impl Iterator<Item = &Field<'a>> {
        self.variants().iter().flat_map(|variant| &variant.fields)
    }

    /// Every field with its position among all fields of the input, and its variant.
    pub(crate) fn indexed_fields(&self) -> impl Iterator<Item = (usize, &Variant<'a>, &Field<'a>)> {
        self.variants()
            .iter()
            .flat_map(|variant| variant.fields.iter().map(move |field| (variant, field)))
            .enumerate()
            .map(|(index, (variant, field))| (index, variant, field))
    }
}

impl<'a> Variant<'a> {
    fn from_syn(cx: &mut Ctxt, ident: &'a Ident, attrs: &[Attribute], fields: &'a Fields) -> Self {
        let style = match fields {
            Fields::Named(_) => Style::Named,
            Fields::Unnamed(_) => Style::Tuple,
            Fields::Unit => Style::Unit,
        };
        let fields = fields
            .iter()
            .enumerate()
            .map(|(index, field)| {
                let (member, name) = if let Some(ident) = &field.ident {
                    if ident == "_" {
                        // Generated code reads every field by its name.
                        cx.error(ident.span(), "a field needs a name, which `_` is not");
                    }
                    (Member::Named(ident.clone()), ident.unraw().to_string())
                } else {
                    let span = syn::spanned::Spanned::span(&field.ty);
                    // Field indices fit in a u32: a type with 2^32 fields does not compile.
                    #[allow(clippy::cast_possible_truncation)]
                    let index = Index {
                        index: index as u32,
                        span,
                    };
                    let name = index.index.to_string();
                    (Member::Unnamed(index), name)
                };
                Field {
                    // Set once every variant is read.
                    variant_index: 0,
                    position: index,
                    member,
                    name,
                    ty: generated_type(&field.ty),
                    attrs: attr::field(cx, &field.attrs),
                    serde: serde_attr::field(cx, &field.attrs),
                }
            })
            .collect();
        Variant {
            ident,
            style,
            fields,
            serde: serde_attr::variant(cx, attrs),
        }
    }
}

/// Whether a `#[repr(...)]` says `packed`, alone or with an alignment.
fn is_packed(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|attr| {
        attr.path().is_ident("repr")
            && attr.meta.require_list().is_ok_and(|list| {
                list.tokens.clone().into_iter().any(
                |token| matches!(token, proc_macro2::TokenTree::Ident(ident) if ident == "packed"),
            )
            })
    })
}

/// A field's type as generated code writes it: a bare `dyn A + B` or `impl A + B` in
/// parentheses, where its `+` cannot bind to what comes before it (`&dyn A + B` does not
/// parse). The parentheses have the derive's span, where rustc reports no `unused_parens`.
fn generated_type(ty: &Type) -> Cow<'_, Type> {
    let bounds = match ty {
        Type::TraitObject(object) => &object.bounds,
        Type::ImplTrait(impl_trait) => &impl_trait.bounds,
        _ => return Cow::Borrowed(ty),
    };
    if bounds.len() < 2 && !bounds.trailing_punct() {
        return Cow::Borrowed(ty);
    }
    Cow::Owned(Type::Paren(TypeParen {
        attrs: Vec::new(),
        paren_token: token::Paren::default(),
        elem: Box::new(ty.clone()),
    }))
}

/// An identifier as written, without `r#`.
pub(crate) fn unraw(ident: &Ident) -> String {
    ident.unraw().to_string()
}
