//! The rule every generated impl shares: a field without an attribute classifies itself,
//! whatever the type's parameters are.
//!
//! For a field whose type uses a type parameter (`inner: T`, `items: Vec<T>`), whether its type
//! classifies itself is known only where the type is used: each generated impl requires it in
//! its where clause, `T: ClassifiedField<inner>`, so that `Envelope<String>` implements none of
//! them. `inner` is a unit struct named after the field, declared in the derive's anonymous
//! const, so that the trait's message names the field (`field `inner` is not classified`):
//! rustc prints a type declared there by its bare name.

use std::collections::BTreeMap;

use proc_macro2::{TokenStream, TokenTree};
use quote::{format_ident, quote, ToTokens};
use syn::{Ident, Member};

use crate::ast::{Field, Input};
use crate::generics::uses_type_params;
use crate::prop::Treatment;

/// How often each identifier is written in the input: in its tokens, and in the bounds and
/// paths its attributes hold as strings (`skip_serializing_if = "inner::is_empty"`,
/// `bound = "..."`), which the model has parsed. A marker struct must not shadow any of them
/// inside the derive's const.
pub(crate) fn names(tokens: impl IntoIterator<Item = TokenStream>) -> BTreeMap<String, usize> {
    fn walk(tokens: TokenStream, out: &mut BTreeMap<String, usize>) {
        for token in tokens {
            match token {
                TokenTree::Ident(ident) => {
                    let name = ident.to_string();
                    let name = name.strip_prefix("r#").map_or(name.clone(), str::to_owned);
                    *out.entry(name).or_default() += 1;
                }
                TokenTree::Group(group) => walk(group.stream(), out),
                TokenTree::Literal(_) | TokenTree::Punct(_) => {}
            }
        }
    }
    let mut out = BTreeMap::new();
    for tokens in tokens {
        walk(tokens, &mut out);
    }
    out
}

/// `base`, or `base` with `_` appended until the input writes no such name: for a generic
/// parameter or an item the expansion declares where the input's names are in scope.
pub(crate) fn fresh(names: &BTreeMap<String, usize>, base: &str) -> Ident {
    let mut name = base.to_owned();
    while names.contains_key(&name) {
        name.push('_');
    }
    Ident::new(&name, proc_macro2::Span::call_site())
}

/// [`fresh`], for a lifetime: `'base`, or `'base_`, ...
pub(crate) fn fresh_lifetime(names: &BTreeMap<String, usize>, base: &str) -> syn::Lifetime {
    let ident = fresh(names, base);
    syn::Lifetime::new(&format!("'{ident}"), proc_macro2::Span::call_site())
}

/// Whether the field's type must be proven to classify itself by every impl: it has no
/// attribute, and its type uses a type or const parameter.
fn needs_marker(input: &Input, field: &Field) -> bool {
    matches!(field.treatment(input.ident), Treatment::Nested)
        && uses_type_params(&field.ty, input.generics)
}

/// The marker of `field`: a struct named after it, or, where that name is written elsewhere
/// in the input (a field `uuid: T` beside a type `uuid::Uuid`) or is one the expansion uses,
/// the same name in a module of the derive's own.
pub(crate) fn marker(input: &Input, field: &Field) -> TokenStream {
    let ident = bare(field);
    if clashes(input, &ident) {
        quote!(__privacy_fields::#ident)
    } else {
        ident.into_token_stream()
    }
}

fn bare(field: &Field) -> Ident {
    match &field.member {
        // As written: `r#type` stays raw, since `type` cannot name a struct.
        Member::Named(ident) => ident.clone(),
        Member::Unnamed(index) => format_ident!("_{}", index.index),
    }
}

/// Whether a name given to `ident` inside the derive's const would shadow a name the input
/// writes elsewhere, or one the expansion uses.
pub(crate) fn clashes(input: &Input, ident: &Ident) -> bool {
    let name = crate::ast::unraw(ident);
    // Field names are written once, where the field is declared: a second occurrence is a
    // path, a type, a bound or an attribute that the struct would shadow.
    let declared = input
        .fields()
        .filter(
            |field| matches!(&field.member, Member::Named(own) if crate::ast::unraw(own) == name),
        )
        .count();
    let written = input.names.get(&name).copied().unwrap_or_default();
    written > declared
        || name.starts_with("_privacy")
        || name.starts_with("__")
        || name == "_serde"
        || name == "_valuable"
        || name == "Self"
}

/// The marker structs of the fields that need one, for the derive's const.
pub(crate) fn definitions(input: &Input) -> TokenStream {
    let mut direct = Vec::new();
    let mut scoped = Vec::new();
    for field in input
        .fields()
        .filter(|field| needs_marker(input, field) || field.attrs.subject.is_some() || input.packed)
    {
        let ident = bare(field);
        // Variants of an enum can have fields of one name: one marker serves them all.
        let list = if clashes(input, &ident) {
            &mut scoped
        } else {
            &mut direct
        };
        if !list.contains(&ident) {
            list.push(ident);
        }
    }
    let scoped = (!scoped.is_empty()).then(|| {
        quote! {
            mod __privacy_fields {
                #(#[allow(non_camel_case_types, dead_code)] pub struct #scoped;)*
            }
        }
    });
    quote! {
        #(#[allow(non_camel_case_types, dead_code)] struct #direct;)*
        #scoped
    }
}

/// The predicates every generated impl carries, whatever bounds were inferred or written:
/// each unannotated field whose type uses a parameter classifies itself, and, for a field that
/// also contains the type itself (which the type's `Classified` impl checks), the type is
/// `Classified`. `with_self` is false for the `Classified` impl itself, which would require
/// itself.
pub(crate) fn required(input: &Input, with_self: bool) -> Vec<TokenStream> {
    required_as(
        input,
        with_self,
        &quote!(_privacy::__private::ClassifiedField),
    )
}

/// [`required`], with each field's bound through `field_trait`, a trait that implies
/// `ClassifiedField` and adds what the impl needs, with a message that names the field.
pub(crate) fn required_as(
    input: &Input,
    with_self: bool,
    field_trait: &TokenStream,
) -> Vec<TokenStream> {
    let mut required: Vec<TokenStream> = input
        .fields()
        .filter(|field| needs_marker(input, field))
        .map(|field| {
            let ty = &field.ty;
            let marker = marker(input, field);
            if field.safe_keys() {
                // Its output goes through `SafeKeys`, whose bounds the impls infer.
                let ty = field.schema_ty(&quote!(#ty));
                quote!(#ty: _privacy::__private::ClassifiedField<#marker>)
            } else {
                quote!(#ty: #field_trait<#marker>)
            }
        })
        .collect();
    let recursive = input.fields().any(|field| {
        matches!(field.treatment(input.ident), Treatment::Recursive)
            && uses_type_params(&field.ty, input.generics)
    });
    if with_self && recursive {
        let ident = input.ident;
        let (_, ty_generics, _) = input.generics.split_for_impl();
        required.push(quote!(#ident #ty_generics: _privacy::Classified));
    }
    required
}
