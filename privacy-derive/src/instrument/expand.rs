//! Code generation for `#[privacy::instrument]` from a valid model: the attribute handed to
//! `tracing::instrument`, and the checks put first in the body.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Ident, Type};

use super::{contains_impl_trait, Args, Binding, Function, Param};
use crate::attr::ClassAttr;
use crate::expand::redacted_value;
use crate::kinds::ClassName;

/// `#[tracing::instrument(skip_all, ..., fields(<parameters>, <user fields>), ret(Debug),
/// err(Debug))]`: tracing records no parameter itself; each is a field whose value is redacted.
pub(super) fn tracing_attr(krate: &TokenStream, args: &Args, function: &Function) -> TokenStream {
    let recorded = function
        .params
        .iter()
        .filter(|param| !args.skips(param) && !args.replaces(param))
        .filter_map(|param| recorded_field(krate, function, param));
    let user_fields = args.fields.iter().map(|field| &field.tokens);
    let passed = args.passed.iter().map(|(key, value)| quote!(#key = #value));
    let bare_name = args.bare_name.iter();
    let events = [&args.ret, &args.err].into_iter().flatten().map(|event| {
        // Always `Debug`, the redacted form of every classified type; `err` would default to
        // `Display`, which a type deriving `Privacy` may implement in the clear.
        let keyword = &event.keyword;
        let level = event.level.iter();
        quote!(#keyword(Debug #(, level = #level)*))
    });
    quote! {
        #[#krate::__private::tracing::instrument(
            skip_all,
            #(#bare_name,)*
            #(#passed,)*
            fields(#(#recorded,)* #(#user_fields),*),
            #(#events),*
        )]
    }
}

/// `name = value` for one recorded parameter.
fn recorded_field(krate: &TokenStream, function: &Function, param: &Param) -> Option<TokenStream> {
    let ident = param.ident()?;
    let field = Ident::new(&param.name()?, ident.span());
    let value = match (param.class(), &param.binding) {
        (Some(class), _) if class.class != ClassName::Safe => {
            let value = redacted(krate, function, param, class);
            quote!(?#value)
        }
        // `#[safe]`, as tracing records it: primitives as values (numbers stay numbers in
        // JSON), the rest with `Debug`.
        (Some(_), _) if records_as_value(&param.ty) => quote!(#ident),
        // `#[safe]`, or a type that classifies itself (which `checks` makes sure of), whose
        // `Debug` is redacted.
        (Some(_), _) | (None, Binding::Name { .. }) => quote!(?#ident),
        // A receiver is recorded only if it classifies itself; otherwise the value is `None`,
        // which tracing leaves out.
        (None, _) => quote! {
            {
                use #krate::__private::{RecordClassifiedReceiver as _, RecordPlainReceiver as _};
                (&&#krate::__private::Receiver(&#ident)).record()
            }
        },
    };
    Some(quote!(#field = #value))
}

/// The adapter showing a `#[pii]` or `#[oii]` parameter as its strategy says.
fn redacted(
    krate: &TokenStream,
    function: &Function,
    param: &Param,
    class: &ClassAttr,
) -> TokenStream {
    let domain = format!("{}.{}", function.name, param.name().unwrap_or_default());
    // `impl Trait` cannot be named in an expression; the adapter infers the type instead.
    let ty = if contains_impl_trait(&param.ty) {
        syn::parse_quote_spanned!(param.ty.span()=> _)
    } else {
        param.ty.clone()
    };
    redacted_value(krate, class, &ty, &param.access(), &domain)
}

/// Whether tracing records a value of this type as a value rather than with `Debug`: the
/// primitives it knows by name, and references to them. The same list as tracing's own.
fn records_as_value(ty: &Type) -> bool {
    const VALUES: &[&str] = &[
        "bool",
        "str",
        "u8",
        "i8",
        "u16",
        "i16",
        "u32",
        "i32",
        "u64",
        "i64",
        "u128",
        "i128",
        "f32",
        "f64",
        "usize",
        "isize",
        "String",
        "NonZeroU8",
        "NonZeroI8",
        "NonZeroU16",
        "NonZeroI16",
        "NonZeroU32",
        "NonZeroI32",
        "NonZeroU64",
        "NonZeroI64",
        "NonZeroU128",
        "NonZeroI128",
        "NonZeroUsize",
        "NonZeroIsize",
        "Wrapping",
    ];
    match ty {
        Type::Path(path) => path
            .path
            .segments
            .last()
            .is_some_and(|segment| VALUES.iter().any(|value| segment.ident == value)),
        Type::Reference(reference) => records_as_value(&reference.elem),
        Type::Paren(paren) => records_as_value(&paren.elem),
        _ => false,
    }
}

/// Statements put first in the body, which only type-check: every parameter without an
/// attribute that is recorded, by the attribute or whole by `fields(?name)`, classifies
/// itself, and so do what `ret` and `err` record.
///
/// Each parameter is checked next to a marker struct named after it, so that the trait-bound
/// message can name the parameter (`register::phone`, as rustc prints a local item).
pub(super) fn checks(krate: &TokenStream, args: &Args, function: &Function) -> TokenStream {
    let params = function.params.iter().filter_map(|param| {
        let Binding::Name { ident, .. } = &param.binding else {
            return None;
        };
        if param
            .class()
            .is_some_and(|class| class.class == ClassName::Safe)
        {
            // `#[safe]` on a type that classifies itself would let `fields(...)` read it.
            let access = param.access();
            return Some(quote_spanned! {param.ty.span()=>
                {
                    #[allow(non_camel_case_types, dead_code)]
                    struct #ident {}
                    #[allow(unused_imports)]
                    use #krate::__private::{ProbeClassified as _, ProbePlain as _};
                    #[allow(clippy::needless_borrow)]
                    #krate::__private::safe_param::<#ident, _>(
                        (&&#krate::__private::Probe::of(#access)).probe());
                }
            });
        }
        if param.class().is_some() || (args.skips(param) && !args.records_whole(param)) {
            return None;
        }
        let access = param.access();
        Some(quote_spanned! {param.ty.span()=>
            {
                #[allow(non_camel_case_types, dead_code)]
                struct #ident {}
                #krate::__private::classified_param::<#ident, _>(#access);
            }
        })
    });
    let output = function
        .output
        .as_ref()
        .filter(|ty| !contains_impl_trait(ty));
    let ret = output.zip(args.ret.as_ref()).map(|(ty, _)| {
        if args.err.is_some() {
            quote_spanned!(ty.span()=> #krate::__private::recorded_ok::<#ty>();)
        } else {
            quote_spanned!(ty.span()=> #krate::__private::recorded_return::<#ty>();)
        }
    });
    let err = output
        .zip(args.err.as_ref())
        .map(|(ty, _)| quote_spanned!(ty.span()=> #krate::__private::recorded_err::<#ty>();));
    quote! {
        {
            #(#params)*
            #ret
            #err
        }
    }
}
