//! What an invalid input expands to: its errors, plus impls that compile, so that the user sees
//! their own mistakes rather than a cascade of "`Debug` is not implemented" errors.

use proc_macro2::TokenStream;
use quote::{quote, ToTokens};
use syn::DeriveInput;

use crate::ast::Input;
use crate::expand::{runtime_path, wrap};
use crate::{checks, generics};

pub(crate) fn expand(
    input: &DeriveInput,
    model: Option<&Input>,
    errors: Option<syn::Error>,
) -> TokenStream {
    let errors = errors.map(|e| e.to_compile_error());
    if generics::placeholder_params(&input.generics)
        .next()
        .is_some()
        || generics::reserved_names(input).next().is_some()
    {
        // A stub impl would have to name the parameter, and `impl<_>` does not parse, nor does
        // a stub resolve its runtime paths under a name that hides them: the errors alone.
        return errors.unwrap_or_default();
    }
    let ident = &input.ident;
    let name = syn::ext::IdentExt::unraw(ident).to_string();
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let krate = model.map_or_else(|| quote!(::privacy), runtime_path);
    // Unannotated concrete fields are still checked, so that a missing attribute is reported
    // together with the attribute mistakes.
    let unclassified = model
        .map(|model| checks::entry_fns(model, &where_clause.to_token_stream(), true))
        .unwrap_or_default();
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
                identity: ::core::option::Option::None,
            };
        }

        #[automatically_derived]
        impl #impl_generics _privacy::__private::Element for #ident #ty_generics #where_clause {
            type Element = Self;
        }
    };
    let serialize = cfg!(feature = "serde").then(|| {
        // Named unlike the type's own parameters, as in the real impl.
        let s = crate::markers::fresh(&crate::markers::names([input.to_token_stream()]), "__S");
        quote! {
            #[automatically_derived]
            impl #impl_generics _privacy::__private::serde::Serialize for #ident #ty_generics #where_clause {
                fn serialize<#s>(&self, __serializer: #s) -> ::core::result::Result<#s::Ok, #s::Error>
                where
                    #s: _privacy::__private::serde::Serializer,
                {
                    _privacy::__private::serde::Serializer::serialize_unit(__serializer)
                }
            }
        }
    });
    let valuable = cfg!(feature = "valuable").then(|| crate::valuable::stub_impl(input));
    let items = quote!(#items #serialize #valuable);
    let wrapped = wrap(&krate, &items);
    quote!(#errors #wrapped)
}
