//! `#[privacy(telemetry)]`: the `Telemetry` impl of an event type. The rules it enforces are in
//! `valid` (every PII or OII field names its purposes) and in the trait bound on nested types
//! (they must be telemetry types too).

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use crate::ast::{unraw, Body, Input, Variant};
use crate::expand::own_schema;
use crate::generics::{uses_type_params, where_clause};
use crate::prop::Treatment;

pub(crate) fn telemetry_impl(input: &Input) -> TokenStream {
    let (Some(telemetry), Body::Struct(variant)) = (&input.attrs.telemetry, &input.body) else {
        return TokenStream::new();
    };
    let ident = input.ident;
    let event_name = telemetry.name.clone().unwrap_or_else(|| unraw(ident));
    let (impl_generics, ty_generics, _) = input.generics.split_for_impl();
    let where_clause = telemetry_where(input, variant);
    let schema = own_schema(input);
    let shown: Vec<_> = variant
        .fields
        .iter()
        .filter(|field| !field.is_skipped())
        .collect();
    let names = shown.iter().map(|field| {
        let name = &field.name;
        let ty = &field.ty;
        match field.treatment(input.ident) {
            Treatment::Nested | Treatment::Recursive => quote_spanned! {ty.span()=>
                <#ty as _privacy::telemetry::Telemetry>::field_names(
                    &_privacy::telemetry::join(__prefix, #name), __names);
            },
            _ => quote!(__names.push(_privacy::telemetry::join(__prefix, #name));),
        }
    });
    let values = shown.iter().map(|field| {
        let name = &field.name;
        let member = &field.member;
        let ty = &field.ty;
        match field.treatment(input.ident) {
            Treatment::Safe => quote! {
                __values.push(::core::option::Option::Some(
                    (&&_privacy::__private::ValueProbe(&self.#member)).field_value()));
            },
            Treatment::Nested | Treatment::Recursive => quote_spanned! {ty.span()=>
                <#ty as _privacy::telemetry::Telemetry>::field_values(
                    &self.#member, __permit, ::core::clone::Clone::clone(&__subject),
                    &_privacy::telemetry::join(__prefix, #name), __values);
            },
            Treatment::Classified(_) => {
                let position = field.position;
                quote! {
                    __values.push(
                        if _privacy::__private::telemetry_allows(
                            __permit, #schema, 0, #position,
                            ::core::option::Option::as_ref(&__subject),
                        ) {
                            ::core::option::Option::Some(
                                (&&_privacy::__private::ValueProbe(&self.#member)).field_value())
                        } else {
                            ::core::option::Option::None
                        }
                    );
                }
            }
        }
    });
    // A value with a subject field is about that subject alone; one without, about its
    // parent's.
    let own_subject =
        crate::expand::own_subject(input).map(|subject| quote!(let __subject = #subject;));
    let a = crate::markers::fresh_lifetime(&input.names, "__a");
    quote! {
        #[automatically_derived]
        impl #impl_generics _privacy::telemetry::Telemetry for #ident #ty_generics #where_clause {
            const EVENT_NAME: &'static str = #event_name;

            #[inline] fn field_names(__prefix: &str, __names: &mut ::std::vec::Vec<::std::string::String>) {
                #(#names)*
            }

            #[inline]
            fn field_values<#a>(
                &#a self,
                __permit: ::core::option::Option<&#a dyn _privacy::Permit>,
                __subject: ::core::option::Option<_privacy::SubjectId>,
                __prefix: &str,
                __values: &mut ::std::vec::Vec<::core::option::Option<_privacy::telemetry::FieldValue<#a>>>,
            ) {
                #[allow(unused_imports)]
                use _privacy::__private::{AsDebugValue as _, AsValue as _};
                #own_subject
                #(#values)*
            }
        }
    }
}

/// The where clause of the `Telemetry` impl: nested generic fields are telemetry types too.
fn telemetry_where(input: &Input, variant: &Variant) -> TokenStream {
    let ident = input.ident;
    let (_, ty_generics, _) = input.generics.split_for_impl();
    let bounds = variant
        .fields
        .iter()
        .filter(|field| uses_type_params(&field.ty, input.generics))
        .filter_map(|field| {
            let ty = &field.ty;
            match field.treatment(input.ident) {
                Treatment::Nested | Treatment::Recursive => {
                    Some(quote!(#ty: _privacy::telemetry::Telemetry))
                }
                _ => None,
            }
        })
        .collect();
    let mut required = crate::markers::required(input, true);
    // `Telemetry: 'static`: a type with parameters is telemetry in its `'static` instances.
    if !input.generics.params.is_empty() {
        required.push(quote!(#ident #ty_generics: 'static));
    }
    where_clause(
        input.generics,
        input.attrs.bound.classified(),
        bounds,
        required,
    )
}
