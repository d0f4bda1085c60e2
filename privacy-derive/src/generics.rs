//! Which generic parameters the generated code uses, and the bounds that follow.

use std::collections::BTreeSet;

use proc_macro2::{TokenStream, TokenTree};
use quote::quote;
use syn::{
    DeriveInput, GenericArgument, GenericParam, Generics, Ident, PathArguments, ReturnType, Type,
    TypeParamBound, WherePredicate,
};

/// The type parameters written `_`: syn reads them, rustc reports them, and no impl can name
/// them.
pub(crate) fn placeholder_params(generics: &Generics) -> impl Iterator<Item = &Ident> {
    generics
        .type_params()
        .map(|param| &param.ident)
        .filter(|ident| *ident == "_")
}

/// The type's name and the type and const parameters that would hide a name the generated code
/// declares for itself, where the input's names are in scope: the runtime's aliases
/// (`_privacy`, `_serde`, `_valuable`) and its items (`__privacy_fields`, `__PRIVACY_ANCHOR`,
/// `__PrivacyContent`, ...). No impl could name both.
pub(crate) fn reserved_names(input: &DeriveInput) -> impl Iterator<Item = &Ident> {
    let params = input
        .generics
        .params
        .iter()
        .filter_map(|param| match param {
            GenericParam::Type(t) => Some(&t.ident),
            GenericParam::Const(c) => Some(&c.ident),
            GenericParam::Lifetime(_) => None,
        });
    std::iter::once(&input.ident).chain(params).filter(|ident| {
        let name = ident.to_string();
        matches!(name.as_str(), "_privacy" | "_serde" | "_valuable")
            || name.to_lowercase().starts_with("__privacy")
    })
}

/// Whether `ty` names `ident` anywhere (`Self` counts as the type's own name).
pub(crate) fn mentions_type(ty: &Type, ident: &Ident) -> bool {
    let mut found = false;
    visit(ty, &mut |segment| {
        found |= segment == ident || segment == "Self";
    });
    found
}

/// Whether `ty` is or holds a macro invocation (`ty!(T)`), whose expansion cannot be seen here.
fn holds_macro(ty: &Type) -> bool {
    fn walk(tokens: &[TokenTree]) -> bool {
        tokens.iter().enumerate().any(|(i, token)| match token {
            TokenTree::Punct(punct) => {
                punct.as_char() == '!'
                    && i > 0
                    && matches!(tokens[i - 1], TokenTree::Ident(_))
                    && matches!(tokens.get(i + 1), Some(TokenTree::Group(_)))
            }
            TokenTree::Group(group) => walk(&group.stream().into_iter().collect::<Vec<_>>()),
            _ => false,
        })
    }
    let tokens: Vec<TokenTree> = quote!(#ty).into_iter().collect();
    walk(&tokens)
}

/// Whether `ty` names a map (`HashMap`, `BTreeMap`) anywhere, or holds a macro that may: its
/// own `Debug` could not write the keys of a map apart.
pub(crate) fn holds_map(ty: &Type) -> bool {
    fn walk(tokens: TokenStream) -> bool {
        tokens.into_iter().any(|token| match token {
            TokenTree::Ident(ident) => ident == "HashMap" || ident == "BTreeMap",
            TokenTree::Group(group) => walk(group.stream()),
            _ => false,
        })
    }
    walk(quote!(#ty)) || holds_macro(ty)
}

/// Whether `ty` uses any of the type or const parameters of `generics`: whether the traits it
/// implements can depend on them. A macro in the type may expand to one.
pub(crate) fn uses_type_params(ty: &Type, generics: &Generics) -> bool {
    if holds_macro(ty)
        && (generics.type_params().next().is_some() || generics.const_params().next().is_some())
    {
        return true;
    }
    let params: BTreeSet<&Ident> = generics
        .type_params()
        .map(|p| &p.ident)
        .chain(generics.const_params().map(|p| &p.ident))
        .collect();
    let mut found = false;
    visit(ty, &mut |segment| found |= params.contains(segment));
    found
}

/// Calls `f` with the first segment of every path in `ty`: the only place a type parameter, or
/// `Self`, can stand.
fn visit(ty: &Type, f: &mut dyn FnMut(&Ident)) {
    match ty {
        Type::Path(path) => {
            if let Some(qself) = &path.qself {
                visit(&qself.ty, f);
            }
            visit_path(&path.path, f);
        }
        Type::Reference(r) => visit(&r.elem, f),
        Type::Slice(s) => visit(&s.elem, f),
        Type::Array(a) => {
            visit(&a.elem, f);
            visit_expr(&a.len, f);
        }
        Type::Ptr(p) => visit(&p.elem, f),
        Type::Paren(p) => visit(&p.elem, f),
        Type::Group(g) => visit(&g.elem, f),
        Type::Tuple(t) => t.elems.iter().for_each(|elem| visit(elem, f)),
        Type::FnPtr(bare) => {
            bare.inputs.iter().for_each(|arg| visit(&arg.ty, f));
            if let ReturnType::Type(_, ty) = &bare.output {
                visit(ty, f);
            }
        }
        Type::TraitObject(obj) => visit_bounds(obj.bounds.iter(), f),
        Type::ImplTrait(imp) => visit_bounds(imp.bounds.iter(), f),
        _ => {}
    }
}

/// A const parameter stands in a type as a path expression: `[u8; N]`.
fn visit_expr(expr: &syn::Expr, f: &mut dyn FnMut(&Ident)) {
    if let syn::Expr::Path(path) = expr {
        visit_path(&path.path, f);
    }
}

fn visit_bounds<'a>(bounds: impl Iterator<Item = &'a TypeParamBound>, f: &mut dyn FnMut(&Ident)) {
    for bound in bounds {
        if let TypeParamBound::Trait(t) = bound {
            visit_path(&t.path, f);
        }
    }
}

fn visit_path(path: &syn::Path, f: &mut dyn FnMut(&Ident)) {
    if path.leading_colon.is_none() {
        if let Some(first) = path.segments.first() {
            f(&first.ident);
        }
    }
    for segment in &path.segments {
        match &segment.arguments {
            PathArguments::AngleBracketed(args) => {
                for arg in &args.args {
                    match arg {
                        GenericArgument::Type(ty) => visit(ty, f),
                        GenericArgument::AssocType(assoc) => visit(&assoc.ty, f),
                        GenericArgument::Const(expr) => visit_expr(expr, f),
                        _ => {}
                    }
                }
            }
            PathArguments::Parenthesized(args) => {
                args.inputs.iter().for_each(|arg| visit(&arg.ty, f));
                if let ReturnType::Type(_, ty) = &args.output {
                    visit(ty, f);
                }
            }
            PathArguments::None => {}
        }
    }
}

/// The where clause of a generated impl: the type's own predicates, then either the user's
/// `bound = "..."` or the inferred `predicates`, then the `required` ones, which neither can
/// leave out.
pub(crate) fn where_clause(
    generics: &Generics,
    explicit: Option<&[WherePredicate]>,
    inferred: Vec<TokenStream>,
    required: Vec<TokenStream>,
) -> TokenStream {
    let own = generics
        .where_clause
        .iter()
        .flat_map(|clause| clause.predicates.iter());
    let added: Vec<TokenStream> = match explicit {
        Some(predicates) => predicates.iter().map(|p| quote!(#p)).collect(),
        None => inferred,
    };
    let all: Vec<TokenStream> = own
        .map(|p| quote!(#p))
        .chain(added)
        .chain(required)
        .collect();
    if all.is_empty() {
        TokenStream::new()
    } else {
        quote!(where #(#all,)*)
    }
}
