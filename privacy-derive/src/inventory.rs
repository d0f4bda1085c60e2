//! The registration of a derived type in the data inventory (`privacy::inventory`): its schema,
//! where it is defined, and whether it is a telemetry event.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::GenericParam;

use crate::ast::Input;

/// An `inventory::submit!` of the type's registration, or nothing for a type with type or const
/// parameters: each instantiation has its own schema, and which ones exist is unknown here.
pub(crate) fn registration(input: &Input) -> TokenStream {
    let generics = &input.generics.params;
    if generics
        .iter()
        .any(|param| !matches!(param, GenericParam::Lifetime(_)))
    {
        return TokenStream::new();
    }
    let ident = input.ident;
    // A schema does not depend on lifetimes: any will do, and `'static` is always at hand.
    let ty = if generics.is_empty() {
        quote!(#ident)
    } else {
        let lifetimes = generics.iter().map(|_| quote!('static));
        quote!(#ident<#(#lifetimes),*>)
    };
    // `line!()` and `file!()` report the place their span points to: the type's name, and each
    // field's name (a tuple field's type).
    let span = ident.span();
    let file = quote_spanned!(span=> ::core::file!());
    let line = quote_spanned!(span=> ::core::line!());
    let field_lines = input.fields().map(|field| {
        let span = field.member.span();
        quote_spanned!(span=> ::core::line!())
    });
    let telemetry = input.attrs.telemetry.is_some();
    quote! {
        _privacy::__private::inventory::submit! {
            _privacy::inventory::RegisteredType::new(
                _privacy::schema_of::<#ty>,
                ::core::module_path!(),
                #file,
                #line,
                &[#(#field_lines),*],
                #telemetry,
            )
        }
    }
}
