//! The redacted `serde::Serialize`: the shape serde's own derive writes for the type, with
//! every classified field replaced by the text its strategy shows in `Debug`. It is the
//! revealing `Serialize` without a context: one body, in `RevealSerialize`, serves both.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::ast::{unraw, Body, Field, Input, Style, Variant};
use crate::expand::{
    inferred_bounds, own_subject, packed_copies, revealed_value, typed_access, user_path,
    variant_pattern, with_classified,
};
use crate::generics::where_clause;

/// The type parameter of a `serialize` method, named unlike the type's own.
fn serializer_param(input: &Input) -> Ident {
    crate::markers::fresh(&input.names, "__S")
}

/// Where a struct's or variant's fields are written.
#[derive(Clone, Copy)]
enum Sink {
    /// `SerializeStruct`, the state in `__state`.
    Struct,
    /// `SerializeStructVariant`.
    StructVariant,
    /// `SerializeMap`, for structs with flattened fields.
    Map,
}

/// `RevealSerialize`, with the body that writes the shape serde's derive would, and
/// `Serialize`, which is that body without a context: the redacted output.
pub(crate) fn serialize_impls(input: &Input) -> TokenStream {
    let ident = input.ident;
    let (impl_generics, ty_generics, _) = input.generics.split_for_impl();
    // A nested generic field is written through `RevealSerialize` (`SerializedField`, below):
    // its `Serialize` alone would settle the probe on the plain output where the impl is
    // written, and no instance could reveal through it.
    let bounds = inferred_bounds(input, is_written, &quote!(_serde::Serialize), None);
    let where_clause = where_clause(
        input.generics,
        input.attrs.bound.serialize(),
        bounds,
        crate::markers::required_as(input, true, &quote!(_privacy::__private::SerializedField)),
    );
    let where_clause = with_classified(input, &where_clause);
    let body = match &input.body {
        Body::Struct(variant) => {
            let enter = enter(input);
            let copies = packed_copies(input, variant, is_written);
            let body = struct_body(input, variant);
            quote!(#enter #copies #body)
        }
        Body::Enum(variants) if variants.is_empty() => quote!(match *self {}),
        Body::Enum(variants) => {
            let arms = variants
                .iter()
                .enumerate()
                .map(|(index, variant)| variant_arm(input, index, variant));
            quote!(match self { #(#arms)* })
        }
    };
    let content = adjacent_content(input, &where_clause);
    let s = serializer_param(input);
    quote! {
        use _privacy::__private::serde as _serde;

        #content

        #[automatically_derived]
        impl #impl_generics _serde::Serialize for #ident #ty_generics #where_clause {
            fn serialize<#s>(&self, __serializer: #s) -> ::core::result::Result<#s::Ok, #s::Error>
            where
                #s: _serde::Serializer,
            {
                _privacy::__private::RevealSerialize::serialize_revealed(
                    self, __serializer, ::core::option::Option::None)
            }
        }

        #[automatically_derived]
        impl #impl_generics _privacy::__private::RevealSerialize for #ident #ty_generics #where_clause {
            #[inline]
            fn serialize_revealed<#s>(
                &self,
                __serializer: #s,
                __cx: ::core::option::Option<&_privacy::__private::RevealCx<'_>>,
            ) -> ::core::result::Result<#s::Ok, #s::Error>
            where
                #s: _serde::Serializer,
            {
                #[allow(unused_imports)]
                use _privacy::__private::{
                    NestedSerPlain as _, NestedSerReveal as _, RawSerClassified as _, RawSerNo as _, RawSerUnwrapped as _,
                    RawSerYes as _,
                };
                #body
            }
        }
    }
}

/// The context of the value at hand (see `enter_subject`), made only when there is a context
/// at all: `Serialize` computes no subject.
fn enter(input: &Input) -> TokenStream {
    let enter = if let Some(subject) = own_subject(input) {
        quote!(__cx.enter_own(#subject))
    } else {
        quote!(__cx.enter(::core::option::Option::None))
    };
    quote! {
        let __cx = ::core::option::Option::map(__cx, |__cx| #enter);
        let __cx = ::core::option::Option::as_ref(&__cx);
    }
}

/// Whether a field appears in the output at all.
fn is_written(field: &Field) -> bool {
    !field.serde.skip && !field.is_skipped()
}

/// The serialized name of the container.
fn container_name(input: &Input) -> String {
    input
        .serde
        .rename
        .clone()
        .unwrap_or_else(|| unraw(input.ident))
}

/// The serialized name of a variant.
fn variant_name(input: &Input, variant: &Variant) -> String {
    variant.serde.rename.clone().unwrap_or_else(|| {
        let name = unraw(variant.ident);
        match input.serde.rename_all {
            Some(rule) => rule.apply_to_variant(&name),
            None => name,
        }
    })
}

/// The serialized key of a named field.
fn field_key(input: &Input, variant: &Variant, field: &Field) -> String {
    field.serde.rename.clone().unwrap_or_else(|| {
        let rule = match input.body {
            Body::Struct(_) => input.serde.rename_all,
            Body::Enum(_) => variant.serde.rename_all.or(input.serde.rename_all_fields),
        };
        match rule {
            Some(rule) => rule.apply_to_field(&field.name),
            None => field.name.clone(),
        }
    })
}

/// Whether an enum arm must bind the field: every written field (a classified one is read
/// when a permit shows it).
fn needs_binding(field: &Field) -> bool {
    is_written(field)
}

fn value(input: &Input, variant: &Variant, field: &Field) -> TokenStream {
    revealed_value(input, variant, field, &typed_access(input, field), true)
}

/// `if p(&x) { 0 } else { 1 }` for each `skip_serializing_if`, `1` for the others.
fn length(input: &Input, fields: &[&Field]) -> TokenStream {
    let terms = fields.iter().map(|field| {
        field.serde.skip_if.as_ref().map_or_else(
            || quote!(1),
            |path| {
                let raw = typed_access(input, field);
                let path = user_path(path);
                quote!(if #path(#raw) { 0 } else { 1 })
            },
        )
    });
    quote!(0usize #(+ #terms)*)
}

/// Writes the named fields of a struct or struct variant into `__state`.
fn named_fields(input: &Input, variant: &Variant, fields: &[&Field], sink: Sink) -> TokenStream {
    let mut flattened = 0usize;
    let statements = fields.iter().map(|field| {
        let key = field_key(input, variant, field);
        let value = value(input, variant, field);
        let write = match sink {
            Sink::Struct => quote!(_serde::ser::SerializeStruct::serialize_field(&mut __state, #key, #value)?;),
            Sink::StructVariant => {
                quote!(_serde::ser::SerializeStructVariant::serialize_field(&mut __state, #key, #value)?;)
            }
            // The keys of maps in different flattened fields share one object: numbered apart.
            Sink::Map if field.serde.flatten => {
                flattened += 1;
                let ordinal = flattened;
                quote! {
                    _privacy::__private::flattened(#ordinal, || {
                        _serde::Serialize::serialize(#value, _privacy::__private::FlatMapSerializer(&mut __state))
                    })?;
                }
            }
            Sink::Map => quote!(_serde::ser::SerializeMap::serialize_entry(&mut __state, #key, #value)?;),
        };
        let Some(path) = &field.serde.skip_if else { return write };
        let path = user_path(path);
        let raw = typed_access(input, field);
        let skip = match sink {
            Sink::Struct => quote!(_serde::ser::SerializeStruct::skip_field(&mut __state, #key)?;),
            Sink::StructVariant => quote!(_serde::ser::SerializeStructVariant::skip_field(&mut __state, #key)?;),
            Sink::Map => TokenStream::new(),
        };
        quote!(if !#path(#raw) { #write } else { #skip })
    });
    quote!(#(#statements)*)
}

fn written<'v, 'a>(variant: &'v Variant<'a>) -> Vec<&'v Field<'a>> {
    variant
        .fields
        .iter()
        .filter(|field| is_written(field))
        .collect()
}

fn struct_body(input: &Input, variant: &Variant) -> TokenStream {
    let name = container_name(input);
    let fields = written(variant);
    if input.serde.transparent {
        let value = value(input, variant, fields[0]);
        return quote!(_serde::Serialize::serialize(#value, __serializer));
    }
    match variant.style {
        Style::Unit => quote!(_serde::Serializer::serialize_unit_struct(__serializer, #name)),
        Style::Tuple if variant.fields.len() == 1 => {
            let value = value(input, variant, &variant.fields[0]);
            quote!(_serde::Serializer::serialize_newtype_struct(__serializer, #name, #value))
        }
        Style::Tuple => {
            let len = length(input, &fields);
            let statements = fields.iter().map(|field| {
                let value = value(input, variant, field);
                let write = quote!(_serde::ser::SerializeTupleStruct::serialize_field(&mut __state, #value)?;);
                match &field.serde.skip_if {
                    Some(path) => {
                        let raw = typed_access(input, field);
                        let path = user_path(path);
                        quote!(if !#path(#raw) { #write })
                    }
                    None => write,
                }
            });
            quote! {
                let mut __state = _serde::Serializer::serialize_tuple_struct(__serializer, #name, #len)?;
                #(#statements)*
                _serde::ser::SerializeTupleStruct::end(__state)
            }
        }
        Style::Named => {
            let tag = input.serde.tag.as_ref();
            if fields.iter().any(|field| field.serde.flatten) {
                let tag = tag.map(|tag| quote!(_serde::ser::SerializeMap::serialize_entry(&mut __state, #tag, #name)?;));
                let fields = named_fields(input, variant, &fields, Sink::Map);
                return quote! {
                    let mut __state = _serde::Serializer::serialize_map(__serializer, ::core::option::Option::None)?;
                    #tag
                    #fields
                    _serde::ser::SerializeMap::end(__state)
                };
            }
            let len = length(input, &fields);
            let len = if tag.is_some() { quote!(#len + 1) } else { len };
            let tag = tag.map(|tag| quote!(_serde::ser::SerializeStruct::serialize_field(&mut __state, #tag, #name)?;));
            let fields = named_fields(input, variant, &fields, Sink::Struct);
            quote! {
                let mut __state = _serde::Serializer::serialize_struct(__serializer, #name, #len)?;
                #tag
                #fields
                _serde::ser::SerializeStruct::end(__state)
            }
        }
    }
}

fn variant_arm(input: &Input, index: usize, variant: &Variant) -> TokenStream {
    let pattern = variant_pattern(variant, needs_binding);
    if variant.serde.skip {
        let message = format!(
            "the enum variant {}::{} cannot be serialized",
            unraw(input.ident),
            unraw(variant.ident)
        );
        let pattern = variant_pattern(variant, |_| false);
        return quote!(#pattern => ::core::result::Result::Err(_serde::ser::Error::custom(#message)),);
    }
    let body = match (&input.serde.tag, &input.serde.content, input.serde.untagged) {
        (_, _, true) => untagged(input, variant),
        (Some(tag), None, false) => internally_tagged(input, variant, tag),
        (Some(tag), Some(content), false) => adjacently_tagged(input, index, variant, tag, content),
        (None, _, false) => externally_tagged(input, index, variant),
    };
    let enter = enter(input);
    quote!(#pattern => { #enter #body })
}

fn externally_tagged(input: &Input, index: usize, variant: &Variant) -> TokenStream {
    let name = container_name(input);
    let vname = variant_name(input, variant);
    #[allow(clippy::cast_possible_truncation)] // an enum has fewer than 2^32 variants
    let index = index as u32;
    let fields = written(variant);
    match variant.style {
        Style::Unit => {
            quote!(_serde::Serializer::serialize_unit_variant(__serializer, #name, #index, #vname))
        }
        Style::Tuple if variant.fields.len() == 1 => {
            let value = value(input, variant, &variant.fields[0]);
            quote!(_serde::Serializer::serialize_newtype_variant(__serializer, #name, #index, #vname, #value))
        }
        Style::Tuple => {
            let len = length(input, &fields);
            let values = fields.iter().map(|field| value(input, variant, field));
            quote! {
                let mut __state = _serde::Serializer::serialize_tuple_variant(__serializer, #name, #index, #vname, #len)?;
                #(_serde::ser::SerializeTupleVariant::serialize_field(&mut __state, #values)?;)*
                _serde::ser::SerializeTupleVariant::end(__state)
            }
        }
        Style::Named => {
            let len = length(input, &fields);
            let fields = named_fields(input, variant, &fields, Sink::StructVariant);
            quote! {
                let mut __state = _serde::Serializer::serialize_struct_variant(__serializer, #name, #index, #vname, #len)?;
                #fields
                _serde::ser::SerializeStructVariant::end(__state)
            }
        }
    }
}

fn internally_tagged(input: &Input, variant: &Variant, tag: &str) -> TokenStream {
    let name = container_name(input);
    let vname = variant_name(input, variant);
    let fields = written(variant);
    match variant.style {
        Style::Unit => quote! {
            let mut __state = _serde::Serializer::serialize_struct(__serializer, #name, 1)?;
            _serde::ser::SerializeStruct::serialize_field(&mut __state, #tag, #vname)?;
            _serde::ser::SerializeStruct::end(__state)
        },
        // `valid` rejects tuple variants with more than one field.
        Style::Tuple => {
            let value = value(input, variant, &variant.fields[0]);
            let variant_ident = unraw(variant.ident);
            quote! {
                _serde::Serialize::serialize(#value, _privacy::__private::TaggedSerializer {
                    type_name: #name,
                    variant: #variant_ident,
                    tag: #tag,
                    variant_name: #vname,
                    delegate: __serializer,
                })
            }
        }
        Style::Named => {
            let len = length(input, &fields);
            let fields = named_fields(input, variant, &fields, Sink::Struct);
            quote! {
                let mut __state = _serde::Serializer::serialize_struct(__serializer, #name, #len + 1)?;
                _serde::ser::SerializeStruct::serialize_field(&mut __state, #tag, #vname)?;
                #fields
                _serde::ser::SerializeStruct::end(__state)
            }
        }
    }
}

fn adjacently_tagged(
    input: &Input,
    index: usize,
    variant: &Variant,
    tag: &str,
    content: &str,
) -> TokenStream {
    let name = container_name(input);
    let vname = variant_name(input, variant);
    #[allow(clippy::cast_possible_truncation)] // an enum has fewer than 2^32 variants
    let index = index as u32;
    let tag_value = quote! {
        &_privacy::__private::VariantTag { enum_name: #name, variant_index: #index, variant_name: #vname }
    };
    if variant.style == Style::Unit {
        return quote! {
            let mut __state = _serde::Serializer::serialize_struct(__serializer, #name, 1)?;
            _serde::ser::SerializeStruct::serialize_field(&mut __state, #tag, #tag_value)?;
            _serde::ser::SerializeStruct::end(__state)
        };
    }
    let content_value = quote!(&__PrivacyContent(self, __cx));
    quote! {
        let mut __state = _serde::Serializer::serialize_struct(__serializer, #name, 2)?;
        _serde::ser::SerializeStruct::serialize_field(&mut __state, #tag, #tag_value)?;
        _serde::ser::SerializeStruct::serialize_field(&mut __state, #content, #content_value)?;
        _serde::ser::SerializeStruct::end(__state)
    }
}

/// The content of a variant on its own: what an untagged enum writes, and what an adjacently
/// tagged one writes under its content key.
fn untagged(input: &Input, variant: &Variant) -> TokenStream {
    let vname = variant_name(input, variant);
    let fields = written(variant);
    match variant.style {
        Style::Unit => quote!(_serde::Serializer::serialize_unit(__serializer)),
        Style::Tuple if variant.fields.len() == 1 => {
            let value = value(input, variant, &variant.fields[0]);
            quote!(_serde::Serialize::serialize(#value, __serializer))
        }
        Style::Tuple => {
            let len = length(input, &fields);
            let values = fields.iter().map(|field| value(input, variant, field));
            quote! {
                let mut __state = _serde::Serializer::serialize_tuple(__serializer, #len)?;
                #(_serde::ser::SerializeTuple::serialize_element(&mut __state, #values)?;)*
                _serde::ser::SerializeTuple::end(__state)
            }
        }
        Style::Named => {
            let len = length(input, &fields);
            let fields = named_fields(input, variant, &fields, Sink::Struct);
            quote! {
                let mut __state = _serde::Serializer::serialize_struct(__serializer, #vname, #len)?;
                #fields
                _serde::ser::SerializeStruct::end(__state)
            }
        }
    }
}

/// For adjacently tagged enums: a borrowed view of the value that serializes the content of its
/// variant. It repeats the type's generics, as a local type must.
fn adjacent_content(input: &Input, where_clause: &TokenStream) -> TokenStream {
    let (Body::Enum(variants), Some(_), Some(_), false) = (
        &input.body,
        &input.serde.tag,
        &input.serde.content,
        input.serde.untagged,
    ) else {
        return TokenStream::new();
    };
    // An empty enum writes no content, and would match on `self.0`, a reference, with no arms.
    if variants.is_empty() {
        return TokenStream::new();
    }
    let ident = input.ident;
    let (_, ty_generics, _) = input.generics.split_for_impl();
    // The type's own `where Self: ...` is about the type, not about this view of it.
    let where_clause = &crate::checks::outside_self(input, where_clause);
    let mut generics = input.generics.clone();
    let a = crate::markers::fresh_lifetime(&input.names, "__a");
    let c = crate::markers::fresh_lifetime(&input.names, "__c");
    generics.params.insert(0, syn::parse_quote!(#a));
    generics.params.insert(1, syn::parse_quote!(#c));
    let (content_impl_generics, content_ty_generics, _) = generics.split_for_impl();
    let arms = variants.iter().map(|variant| {
        let pattern = variant_pattern(variant, needs_binding);
        let body = if variant.serde.skip || variant.style == Style::Unit {
            quote!(_serde::Serializer::serialize_unit(__serializer))
        } else {
            untagged(input, variant)
        };
        // The arms match on `self.0`, whose variants are named through the type.
        let pattern: TokenStream = replace_self_prefix(pattern, ident);
        quote!(#pattern => { #body })
    });
    let s = serializer_param(input);
    quote! {
        struct __PrivacyContent #content_impl_generics (
            &#a #ident #ty_generics,
            ::core::option::Option<&#a _privacy::__private::RevealCx<#c>>,
        ) #where_clause;

        #[automatically_derived]
        impl #content_impl_generics _serde::Serialize for __PrivacyContent #content_ty_generics #where_clause {
            fn serialize<#s>(&self, __serializer: #s) -> ::core::result::Result<#s::Ok, #s::Error>
            where
                #s: _serde::Serializer,
            {
                #[allow(unused_imports)]
                use _privacy::__private::{
                    NestedSerPlain as _, NestedSerReveal as _, RawSerClassified as _, RawSerNo as _, RawSerUnwrapped as _,
                    RawSerYes as _,
                };
                let __cx = self.1;
                match self.0 { #(#arms)* }
            }
        }
    }
}

/// `Self::Variant` in a pattern becomes `Type::Variant`, for use outside the type's impls.
fn replace_self_prefix(pattern: TokenStream, ident: &Ident) -> TokenStream {
    pattern
        .into_iter()
        .map(|token| match token {
            proc_macro2::TokenTree::Ident(i) if i == "Self" => {
                proc_macro2::TokenTree::Ident(ident.clone())
            }
            other => other,
        })
        .collect()
}
