//! Checks that need the field types. Each runs in a function with one extra type parameter named
//! after the field, so that the trait-bound message can name it (`field `phone` is not
//! classified`): a type parameter prints as its bare name, where a marker type could print as a
//! path. Attributes such as `#[diagnostic::on_unimplemented]` cannot be generated instead, as
//! they do not resolve under `#![no_implicit_prelude]`.

use proc_macro2::{Group, Ident, Spacing, TokenStream, TokenTree};
use quote::{format_ident, quote, quote_spanned, ToTokens};
use syn::spanned::Spanned;
use syn::{GenericParam, Member};

use crate::ast::{Field, Input};
use crate::generics::uses_type_params;
use crate::markers;
use crate::prop::Treatment;

/// The type parameter named after `field`, or a neutral name when that would shadow something
/// the function's signature names: a generic parameter, a path in a bound or a field's type
/// (`T: uuid::Tag` beside a field `uuid`), the type itself, or the runtime's alias.
fn marker(input: &Input, field: &Field) -> Ident {
    let ident = match &field.member {
        Member::Named(ident) => ident.clone(),
        Member::Unnamed(index) => format_ident!("_{}", index.index),
    };
    // `_` (a field syn reads and rustc reports) cannot name a type parameter either.
    if ident == "_" || markers::clashes(input, &ident) {
        markers::fresh(&input.names, "__field")
    } else {
        ident
    }
}

/// The generics of a check function: the type's own, then the field's marker.
fn generics_with(input: &Input, marker: &Ident) -> TokenStream {
    let mut generics = input.generics.clone();
    generics.where_clause = None;
    generics
        .params
        .push(syn::parse_quote!(#marker: ?::core::marker::Sized));
    let (impl_generics, _, _) = generics.split_for_impl();
    impl_generics.to_token_stream()
}

/// The turbofish calling a check function from inside the type's impls: its type and const
/// parameters (lifetimes are inferred), then `()` for the marker.
fn turbofish(input: &Input) -> TokenStream {
    let args = input
        .generics
        .params
        .iter()
        .filter_map(|param| match param {
            GenericParam::Type(t) => Some(t.ident.to_token_stream()),
            GenericParam::Const(c) => Some(c.ident.to_token_stream()),
            GenericParam::Lifetime(_) => None,
        });
    quote!(::<#(#args,)* ()>)
}

/// The field's type, or a where clause, with `Self` spelled out, for use outside the type's
/// impls.
pub(crate) fn outside_self(input: &Input, ty: &impl ToTokens) -> TokenStream {
    let ident = input.ident;
    let (_, ty_generics, _) = input.generics.split_for_impl();
    // With a turbofish, which reads the same in a type and in the expressions a type can hold
    // (`[u8; Self::LEN]`, `Box<{ Self::N }>`), where `Type<T>` would not parse.
    let turbofish = ty_generics.as_turbofish();
    let this = quote!(#ident #turbofish);
    replace_self(ty.to_token_stream(), &this)
}

fn replace_self(tokens: TokenStream, this: &TokenStream) -> TokenStream {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = TokenStream::new();
    let mut i = 0;
    while i < trees.len() {
        match &trees[i] {
            // `'Self` is a lifetime (an invalid one, which rustc reports), not the type.
            TokenTree::Ident(ident)
                if ident == "Self"
                    && !matches!(i.checked_sub(1).map(|j| &trees[j]), Some(TokenTree::Punct(p)) if p.as_char() == '\'') =>
            {
                out.extend(this.clone());
                // `Self<T>` is an error rustc reports at the field (E0109). Its arguments
                // would follow `Type<...>` here, which does not parse: they are left out.
                i = after_generic_args(&trees, i + 1);
                continue;
            }
            TokenTree::Group(group) => {
                let mut inner = Group::new(group.delimiter(), replace_self(group.stream(), this));
                inner.set_span(group.span());
                out.extend([TokenTree::Group(inner)]);
            }
            other => out.extend([other.clone()]),
        }
        i += 1;
    }
    out
}

/// The index after the `<...>` or `::<...>` that starts at `start`, or `start` if none does.
fn after_generic_args(trees: &[TokenTree], start: usize) -> usize {
    let punct = |i: usize| match trees.get(i) {
        Some(TokenTree::Punct(punct)) => Some(punct),
        _ => None,
    };
    let is = |i: usize, c: char| punct(i).is_some_and(|p| p.as_char() == c);
    let mut i = if is(start, '<') {
        start
    } else if is(start, ':') && is(start + 1, ':') && is(start + 2, '<') {
        start + 2
    } else {
        return start;
    };
    let mut depth = 0usize;
    while i < trees.len() {
        // The `>` of `->` closes nothing.
        let arrow = i > 0
            && punct(i - 1).is_some_and(|p| p.as_char() == '-' && p.spacing() == Spacing::Joint);
        if is(i, '<') {
            depth += 1;
        } else if is(i, '>') && !arrow {
            depth -= 1;
            if depth == 0 {
                return i + 1;
            }
        }
        i += 1;
    }
    i
}

/// The schema entry function of field `index`: `__privacy_nested_3` or `__privacy_recursive_3`.
pub(crate) fn entry_fn(index: usize, recursive: bool) -> Ident {
    if recursive {
        format_ident!("__privacy_recursive_{}", index)
    } else {
        format_ident!("__privacy_nested_{}", index)
    }
}

/// The call of field `index`'s entry function from inside the type's impls.
///
/// Its first argument is a `PhantomData` of the type: the bounds the type's definition implies
/// (`T: 'a` for a field `&'a T`) then hold in the function, as they do in the impls.
pub(crate) fn entry_call(input: &Input, index: usize, recursive: bool) -> TokenStream {
    let function = entry_fn(index, recursive);
    let turbofish = turbofish(input);
    quote!(#function #turbofish)
}

/// The type the entry functions take a `PhantomData` of.
fn wf_arg(input: &Input) -> TokenStream {
    let ident = input.ident;
    let (_, ty_generics, _) = input.generics.split_for_impl();
    quote!(_: ::core::marker::PhantomData<#ident #ty_generics>,)
}

/// One schema entry function per field without an attribute, checking that its type
/// classifies itself. `concrete_only` limits them to fields whose type uses no type parameter
/// (for the fallback, which has no inferred bounds).
pub(crate) fn entry_fns(
    input: &Input,
    where_clause: &TokenStream,
    concrete_only: bool,
) -> TokenStream {
    // The type's own `where Self: ...`, in a free function.
    let where_clause = &outside_self(input, where_clause);
    input
        .indexed_fields()
        .filter_map(|(index, _, field)| {
            let recursive = match field.treatment(input.ident) {
                Treatment::Nested => false,
                Treatment::Recursive if !concrete_only => true,
                _ => return None,
            };
            // `valid` has reported a `keys = safe` field that is not a map.
            if concrete_only
                && (!field.is_concrete(input) || field.safe_keys() && field.map_types().is_none())
            {
                return None;
            }
            let marker = marker(input, field);
            let generics = generics_with(input, &marker);
            let function = entry_fn(index, recursive);
            let ty = outside_self(input, &field.ty);
            let span = field.ty.span();
            let wf = wf_arg(input);
            Some(if recursive {
                let ty = field.schema_ty(&ty);
                quote_spanned! {span=>
                    #[allow(non_camel_case_types, dead_code, clippy::extra_unused_type_parameters, clippy::multiple_bound_locations)]
                    const fn #function #generics (
                        #wf name: &'static str, subject: bool, class: _privacy::Class,
                    ) -> _privacy::Field #where_clause {
                        _privacy::__private::recursive::<#ty, #marker>(name, subject, class)
                    }
                }
            } else {
                let entry = if field.safe_keys() {
                    quote!(_privacy::__private::nested_safe_keys::<#ty, #marker>)
                } else if let Some((key, value)) = field
                    .map_types()
                    .filter(|(key, _)| !uses_type_params(key, input.generics))
                {
                    let (key, value) = (outside_self(input, key), outside_self(input, value));
                    quote!(_privacy::__private::nested_map::<#ty, #key, #value, #marker>)
                } else {
                    quote!(_privacy::__private::nested::<#ty, #marker>)
                };
                quote_spanned! {span=>
                    #[allow(non_camel_case_types, dead_code, clippy::extra_unused_type_parameters, clippy::multiple_bound_locations)]
                    const fn #function #generics (
                        #wf name: &'static str, subject: bool,
                    ) -> _privacy::__private::Nested #where_clause {
                        #entry(name, subject)
                    }
                }
            })
        })
        .collect()
}

/// `#[safe]` on a concrete type that classifies itself is a mistake the type system finds: a
/// probe answers `Plain` or `ClassifiesItself`, and only `Plain` is a `SafeField`.
pub(crate) fn safe_checks(input: &Input) -> TokenStream {
    let (_, _, where_clause) = input.generics.split_for_impl();
    let where_clause = outside_self(input, &where_clause);
    input
        .indexed_fields()
        .filter_map(|(index, _, field)| {
            if field.safe_keys() && field.is_concrete(input) {
                return Some(plain_keys_check(input, index, field));
            }
            let attr = field.attrs.classes.first()?;
            if !matches!(field.treatment(input.ident), Treatment::Safe) || !field.is_concrete(input) {
                return None;
            }
            let marker = marker(input, field);
            let generics = generics_with(input, &marker);
            let function = format_ident!("__privacy_safe_{}", index);
            let ty = &field.ty;
            let call = quote_spanned! {attr.span=>
                _privacy::__private::require_safe::<#marker, _>(
                    (&&_privacy::__private::Probe::<#ty>::new()).probe());
            };
            Some(quote! {
                #[allow(non_camel_case_types, dead_code, clippy::needless_borrow, clippy::extra_unused_type_parameters)]
                fn #function #generics () #where_clause {
                    use _privacy::__private::{ProbeClassified as _, ProbePlain as _};
                    #call
                }
            })
        })
        .collect()
}

/// `keys = safe` on a concrete map whose keys classify themselves is a mistake: the keys
/// would lose their classification. The same probe as for `#[safe]`, on the key type.
fn plain_keys_check(input: &Input, index: usize, field: &Field) -> TokenStream {
    let (_, _, where_clause) = input.generics.split_for_impl();
    let marker = marker(input, field);
    let generics = generics_with(input, &marker);
    let function = format_ident!("__privacy_keys_{}", index);
    let ty = &field.ty;
    let span = field.attrs.safe_keys.unwrap_or_else(|| ty.span());
    let call = quote_spanned! {span=>
        _privacy::__private::require_plain_keys::<#marker, _>(
            (&&_privacy::__private::Probe::<<#ty as _privacy::__private::Map>::Key>::new()).probe());
    };
    quote! {
        #[allow(non_camel_case_types, dead_code, clippy::needless_borrow, clippy::extra_unused_type_parameters)]
        fn #function #generics () #where_clause {
            use _privacy::__private::{ProbeClassified as _, ProbePlain as _};
            #call
        }
    }
}
