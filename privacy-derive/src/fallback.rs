//! What an invalid input expands to: its errors, plus impls that compile, so that the user sees
//! their own mistakes rather than a cascade of "`Debug` is not implemented" errors.

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

use crate::ast::Input;
use crate::expand::{field_markers, marker, runtime_path, wrap};
use crate::generics::uses_type_params;
use crate::prop::Treatment;

pub(crate) fn expand(
    input: &DeriveInput,
    model: Option<&Input>,
    errors: Option<syn::Error>,
) -> TokenStream {
    let errors = errors.map(|e| e.to_compile_error());
    let ident = &input.ident;
    let name = syn::ext::IdentExt::unraw(ident).to_string();
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let krate = model.map_or_else(|| quote!(::privacy), runtime_path);
    let unclassified = model.map(unclassified_checks).unwrap_or_default();
    let items = quote! {
        #unclassified

        #[automatically_derived]
        impl #impl_generics ::core::fmt::Debug for #ident #ty_generics #where_clause {
            fn fmt(&self, __f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::fmt::Formatter::write_str(__f, #name)
            }
        }

        #[automatically_derived]
        impl #impl_generics _privacy::Classified for #ident #ty_generics #where_clause {
            const SCHEMA: &'static _privacy::Schema = &_privacy::Schema {
                type_name: #name,
                shape: _privacy::Shape::Struct(&[]),
                carries_pii: false,
                carries_oii: false,
            };
        }
    };
    let wrapped = wrap(&krate, &items);
    quote!(#errors #wrapped)
}

/// Unannotated concrete fields are still checked, so that a missing attribute is reported
/// together with the attribute mistakes.
fn unclassified_checks(model: &Input) -> TokenStream {
    let checks: Vec<TokenStream> = model
        .fields()
        .filter(|field| matches!(field.treatment(model.ident), Treatment::Nested))
        .filter(|field| !uses_type_params(field.ty, model.generics))
        .map(|field| {
            let ty = field.ty;
            let marker = marker(field);
            quote::quote_spanned! {syn::spanned::Spanned::span(ty)=>
                let _ = _privacy::__private::nested::<#ty, __privacy_fields::#marker>;
            }
        })
        .collect();
    if checks.is_empty() {
        return TokenStream::new();
    }
    let markers = field_markers(model);
    quote! {
        #markers
        #[allow(dead_code)]
        fn __privacy_unclassified() {
            #(#checks)*
        }
    }
}
