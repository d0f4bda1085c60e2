//! `privacy::field!(Type.a.b)`: a `FieldPath`, checked at compile time.
//!
//! The macro cannot see the types it names, so it hands the names to a walk that the compiler
//! evaluates (`__private::Walk`, one `const` per level): each level reads the names that belong
//! to the type at hand against its schema, and the next type is the named field's, found
//! through `FieldType` (implemented by the derive for every field without an attribute) and
//! `Element` (through containers). A name that does not fit fails the `const` with a message
//! that says why, at the name.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned, ToTokens};
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream};
use syn::{Ident, Path, Token, Type};

/// `krate; Type.a.b`, as the facade's `field!` passes it.
struct Input {
    krate: Path,
    ty: Type,
    names: Vec<Ident>,
}

impl Parse for Input {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let krate = input.parse()?;
        input.parse::<Token![;]>()?;
        if input.is_empty() {
            return Err(input.error(
                "`privacy::field!` names a field of a type: `privacy::field!(Member.phone)`",
            ));
        }
        let ty = input.parse()?;
        let mut names = Vec::new();
        while !input.is_empty() {
            input.parse::<Token![.]>().map_err(|_| {
                syn::Error::new(
                    input.span(),
                    "expected `.` and a field name: `privacy::field!(Member.phone)`, \
                     `privacy::field!(Team.members.phone)`",
                )
            })?;
            names.push(Ident::parse_any(input).map_err(|_| {
                syn::Error::new(
                    input.span(),
                    "expected a field name (or, in an enum, a variant name) after `.`",
                )
            })?);
        }
        if names.is_empty() {
            return Err(syn::Error::new_spanned(
                &ty,
                "`privacy::field!` names a field of the type: write `Type.field`, like `Member.phone`",
            ));
        }
        Ok(Input { krate, ty, names })
    }
}

pub(crate) fn expand(tokens: TokenStream) -> TokenStream {
    match syn::parse2::<Input>(tokens) {
        Ok(input) => walk(&input),
        Err(error) => error.to_compile_error(),
    }
}

fn walk(input: &Input) -> TokenStream {
    let Input { krate, ty, names } = input;
    let private = quote!(#krate::__private);
    let count = names.len();
    let texts: Vec<String> = names.iter().map(|name| name.unraw().to_string()).collect();
    let root = ty.to_token_stream().to_string().replace(' ', "");
    // A level per name, and one more that checks what the last name holds.
    let levels = count + 1;
    let walks: Vec<Ident> = (0..levels)
        .map(|level| format_ident!("__W{}", level))
        .collect();
    let mut items = Vec::new();
    let mut current = quote!(#ty);
    for level in 0..levels {
        let walk = &walks[level];
        // The error of a level is reported at the name it reads (in an enum, a level reads two).
        let span = names.get(level).map_or_else(Span::call_site, Ident::span);
        let previous = if level == 0 {
            quote! {
                #private::Walk::<#count>::new(#root, &[#(#texts),*])
                    .root(<#ty as #private::Element>::ROOT)
            }
        } else {
            let previous = &walks[level - 1];
            quote!(#previous)
        };
        items.push(quote_spanned! {span=>
            const #walk: #private::Walk<#count> =
                #previous.enter(<#current as #krate::Classified>::SCHEMA);
        });
        current = quote! {
            <<#current as #private::FieldType<{ #walk.variant() }, { #walk.position() }>>::Type
                as #private::Element>::Element
        };
    }
    let last = &walks[levels - 1];
    quote! {{
        #(#items)*
        const __PATH: #krate::FieldPath = #last.path();
        __PATH
    }}
}
