//! The redacted `valuable::Valuable`: a struct is a `Structable` and an enum an `Enumerable`, with
//! the real names of the fields and variants (`redact = skip` fields left out), and each field
//! hands the visitor what `Debug` shows of it: safe fields and fields whose type classifies
//! itself their own value, classified fields their redacted text.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use crate::ast::{unraw, Body, Field, Input, Style, Variant};
use crate::attr::Strategy;
use crate::expand::{
    field_value, inferred_bounds, packed_copies, reads_value, typed_access, variant_pattern,
};
use crate::generics::where_clause;
use crate::generics::{holds_map, uses_type_params};
use crate::prop::Treatment;

pub(crate) fn valuable_impl(input: &Input) -> TokenStream {
    let ident = input.ident;
    let (impl_generics, ty_generics, _) = input.generics.split_for_impl();
    let bounds = inferred_bounds(
        input,
        |field| !field.is_skipped(),
        &quote!(_valuable::Valuable),
        None,
    );
    // A generic nested field is visited as the text of its redacted `Debug` (see
    // `visit_fields`), which `DebugField` makes sure of.
    let mut required =
        crate::markers::required_as(input, true, &quote!(_privacy::__private::DebugField));
    // `as_value` hands out `self` as a `&dyn Structable`, which only a sized value can be: a
    // struct whose last field may be unsized (`str`, `[T]`, a struct ending in one) is
    // `Valuable` in its sized instances only. Under a binder, a bound that can never hold
    // (`Text: Sized`) is not an error, only an impl that never applies.
    if let Body::Struct(variant) = &input.body {
        if !variant.fields.is_empty() {
            let x = crate::markers::fresh_lifetime(&input.names, "__x");
            let (_, ty_generics, _) = input.generics.split_for_impl();
            required.push(quote!(for<#x> #ident #ty_generics: ::core::marker::Sized));
        }
    }
    let where_clause = where_clause(
        input.generics,
        input.attrs.bound.valuable(),
        bounds,
        required,
    );
    let parts = match &input.body {
        Body::Struct(variant) => struct_parts(input, variant),
        Body::Enum(variants) => enum_parts(input, variants),
    };
    let Parts {
        definitions,
        as_value,
        shape_trait,
        shape_items,
        visit,
    } = parts;
    // The autoref probe of `FieldValue` needs its two traits in scope, but only where a field
    // is shown as itself: elsewhere the import would be unused.
    let probes = input
        .fields()
        .any(|field| !field.is_skipped() && shown_as_itself(input, field))
        .then(|| {
            quote!(
                use _privacy::__private::{
                    ViaDebug as _, ViaDenied as _, ViaKeyedValuable as _, ViaOwnDebug as _,
                    ViaValuable as _,
                };
            )
        });
    quote! {
        use _privacy::__private::valuable as _valuable;

        #definitions

        #[automatically_derived]
        impl #impl_generics _valuable::Valuable for #ident #ty_generics #where_clause {
            #[inline]
            fn as_value(&self) -> _valuable::Value<'_> {
                #as_value
            }

            #[inline]
            fn visit(&self, __visitor: &mut dyn _valuable::Visit) {
                #probes
                #visit
            }
        }

        #[automatically_derived]
        impl #impl_generics _valuable::#shape_trait for #ident #ty_generics #where_clause {
            #shape_items
        }
    }
}

/// The pieces that differ between a struct and an enum.
struct Parts {
    /// The `const`s and `static`s of the names.
    definitions: TokenStream,
    /// The body of `as_value`.
    as_value: TokenStream,
    /// `Structable` or `Enumerable`.
    shape_trait: Ident,
    /// The methods of that trait.
    shape_items: TokenStream,
    /// The body of `visit`.
    visit: TokenStream,
}

fn struct_parts(input: &Input, variant: &Variant) -> Parts {
    let name = unraw(input.ident);
    let names = format_ident!("__PRIVACY_VALUABLE_FIELDS");
    let def_fields = def_fields(variant, &names);
    Parts {
        definitions: fields_const(variant, &names),
        as_value: quote!(_valuable::Value::Structable(self)),
        shape_trait: format_ident!("Structable"),
        shape_items: quote! {
            #[inline]
            fn definition(&self) -> _valuable::StructDef<'_> {
                _valuable::StructDef::new_static(#name, #def_fields)
            }
        },
        visit: {
            let copies = packed_copies(input, variant, |field| reads_value(input, field));
            let visit = visit_fields(input, variant, &names);
            quote!(#copies #visit)
        },
    }
}

fn enum_parts(input: &Input, variants: &[Variant]) -> Parts {
    let name = unraw(input.ident);
    let consts: Vec<Ident> = (0..variants.len())
        .map(|index| format_ident!("__PRIVACY_VALUABLE_FIELDS_{}", index))
        .collect();
    let fields = variants
        .iter()
        .zip(&consts)
        .map(|(variant, names)| fields_const(variant, names));
    let defs = variants.iter().zip(&consts).map(|(variant, names)| {
        let variant_name = unraw(variant.ident);
        let def_fields = def_fields(variant, names);
        quote!(_valuable::VariantDef::new(#variant_name, #def_fields))
    });
    let (current, visit) = if variants.is_empty() {
        (quote!(match *self {}), quote!(match *self {}))
    } else {
        let current = variants.iter().enumerate().map(|(index, variant)| {
            let pattern = variant_pattern(variant, |_| false);
            quote!(#pattern => _valuable::Variant::Static(&__PRIVACY_VALUABLE_VARIANTS[#index]),)
        });
        let arms = variants.iter().zip(&consts).map(|(variant, names)| {
            let pattern = variant_pattern(variant, |field| reads_value(input, field));
            let body = visit_fields(input, variant, names);
            quote!(#pattern => { #body })
        });
        (
            quote!(match self { #(#current)* }),
            quote!(match self { #(#arms)* }),
        )
    };
    Parts {
        definitions: quote! {
            #(#fields)*
            static __PRIVACY_VALUABLE_VARIANTS: &[_valuable::VariantDef<'static>] = &[#(#defs),*];
        },
        as_value: quote!(_valuable::Value::Enumerable(self)),
        shape_trait: format_ident!("Enumerable"),
        shape_items: quote! {
            #[inline]
            fn definition(&self) -> _valuable::EnumDef<'_> {
                _valuable::EnumDef::new_static(#name, __PRIVACY_VALUABLE_VARIANTS)
            }

            fn variant(&self) -> _valuable::Variant<'_> {
                #current
            }
        },
        visit,
    }
}

/// What an invalid input gets, so that using it as a `Valuable` adds no error of its own.
pub(crate) fn stub_impl(input: &syn::DeriveInput) -> TokenStream {
    let ident = &input.ident;
    let name = unraw(ident);
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    quote! {
        #[automatically_derived]
        impl #impl_generics _privacy::__private::valuable::Valuable for #ident #ty_generics #where_clause {
            #[inline]
            fn as_value(&self) -> _privacy::__private::valuable::Value<'_> {
                _privacy::__private::valuable::Value::String(#name)
            }

            #[inline]
            fn visit(&self, __visitor: &mut dyn _privacy::__private::valuable::Visit) {
                _privacy::__private::valuable::Visit::visit_value(
                    __visitor,
                    _privacy::__private::valuable::Value::String(#name),
                );
            }
        }
    }
}

/// The fields a visitor sees: all but `redact = skip`.
fn shown<'v, 'a>(variant: &'v Variant<'a>) -> Vec<&'v Field<'a>> {
    variant.fields.iter().filter(|f| !f.is_skipped()).collect()
}

/// Whether the field is shown through its own `Valuable` (or `Debug`), not as redacted text.
fn shown_as_itself(input: &Input, field: &Field) -> bool {
    !matches!(field.treatment(input.ident), Treatment::Classified(_))
}

/// The names of a variant's named fields, as a `const` that both the definition and `visit` use.
fn fields_const(variant: &Variant, name: &Ident) -> TokenStream {
    if variant.style != Style::Named {
        return TokenStream::new();
    }
    let names = shown(variant).into_iter().map(|field| &field.name);
    quote! {
        const #name: &[_valuable::NamedField<'static>] = &[#(_valuable::NamedField::new(#names)),*];
    }
}

/// The `Fields` of a definition: the named fields' `const`, or how many unnamed fields there are.
fn def_fields(variant: &Variant, name: &Ident) -> TokenStream {
    match variant.style {
        Style::Named => quote!(_valuable::Fields::Named(#name)),
        Style::Tuple | Style::Unit => {
            let len = shown(variant).len();
            quote!(_valuable::Fields::Unnamed(#len))
        }
    }
}

/// The placeholder of a field that `hide`s its value: a `&'static str`, so no text to write.
fn placeholder(input: &Input, field: &Field) -> Option<String> {
    let Treatment::Classified(attr) = field.treatment(input.ident) else {
        return None;
    };
    match attr.strategy.as_ref().map(|s| &s.strategy) {
        None | Some(Strategy::Hide) => Some(attr.labels().0),
        Some(_) => None,
    }
}

/// The body of `visit` for a struct or one variant: the text of the fields that need it, in
/// locals that outlive the call, then the call with every field's value.
fn visit_fields(input: &Input, variant: &Variant, names: &Ident) -> TokenStream {
    let fields = shown(variant);
    let mut locals = Vec::new();
    let values: Vec<TokenStream> = fields
        .iter()
        .enumerate()
        .map(|(index, field)| {
            if let Some(hidden) = placeholder(input, field) {
                return quote!(_valuable::Value::String(#hidden));
            }
            let local = format_ident!("__value_{}", index);
            let access = typed_access(input, field);
            let init = match field.treatment(input.ident) {
                Treatment::Classified(attr) => {
                    let adapter = field_value(input, variant, field, &access);
                    let hidden = attr.labels().0;
                    quote!(_privacy::__private::FieldText::redacted(#adapter, #hidden))
                }
                Treatment::Safe => {
                    let span = field.ty.span();
                    quote_spanned!(span=> (&&_privacy::__private::FieldValue(#access)).field_value())
                }
                // A map with classified keys is visited with each key apart (`KeyedMap`).
                // A map inside a container, or a value of a type parameter (which may be a map):
                // the text of its redacted `Debug`, which writes each classified key apart,
                // where valuable's own visit of the map would hand every key as `<pii>`.
                Treatment::Nested
                    if !field.safe_keys()
                        && (uses_type_params(&field.ty, input.generics)
                            || (holds_map(&field.ty) && field.map_types().is_none())) =>
                {
                    let access = crate::expand::unsized_ref(input, field, &access);
                    quote! {
                        _privacy::__private::FieldText::debug(
                            &(&&_privacy::__private::PlainProbe(#access)).plain_debug())
                    }
                }
                Treatment::Nested | Treatment::Recursive => {
                    let span = field.ty.span();
                    let access = if field.safe_keys() {
                        // The view outlives the value that borrows it.
                        let view = format_ident!("__keys_{}", index);
                        locals.push(quote!(let #view = _privacy::__private::SafeKeys(#access);));
                        quote!(&#view)
                    } else {
                        access
                    };
                    quote_spanned!(span=> (&&&_privacy::__private::FieldValue(#access)).field_value())
                }
            };
            locals.push(quote!(let #local = #init;));
            quote!(_valuable::Valuable::as_value(&#local))
        })
        .collect();
    let call = match variant.style {
        Style::Named => quote! {
            _valuable::Visit::visit_named_fields(
                __visitor,
                &_valuable::NamedValues::new(#names, &[#(#values),*]),
            );
        },
        Style::Tuple | Style::Unit => quote! {
            _valuable::Visit::visit_unnamed_fields(__visitor, &[#(#values),*]);
        },
    };
    quote!(#(#locals)* #call)
}
