//! `#[privacy::instrument]`: `tracing::instrument`, with every parameter recorded as its
//! classification says.
//!
//! The phases are those of the derive, one module each: `parse` builds the model below, which
//! keeps spans, `valid` checks the whole of it (every error collected in a `Ctxt`), and
//! `expand` generates code from it. The function goes to `tracing::instrument` with `skip_all`;
//! each parameter is recorded in `fields(...)`, whose expressions tracing evaluates inside the
//! function, where the parameters are in scope. The type checks go first in the body, where
//! the function's generics and `Self` are in scope too:
//!
//! ```text
//! #[privacy::instrument(level = "debug", ret, err, fields(request = %id))]
//! fn register(&self, #[safe] id: u64, #[pii(phone, redact = last(4))] phone: String,
//!     member: Member) -> Result<Receipt, Error> { body() }
//!
//! // becomes (see `tests::expansion`)
//!
//! #[::privacy::__private::tracing::instrument(
//!     skip_all,
//!     level = "debug",
//!     fields(
//!         self = {
//!             use ::privacy::__private::{RecordClassifiedReceiver as _, RecordPlainReceiver as _};
//!             (&&::privacy::__private::Receiver(&self)).record()
//!         },
//!         id = id,
//!         phone = ?&::privacy::__private::Last::new::<String>(
//!             ::privacy::__private::Labels::new("<pii:phone>", "<pii:phone "), 4usize, &&phone),
//!         member = ?member,
//!         request = %id
//!     ),
//!     ret(Debug),
//!     err(Debug)
//! )]
//! fn register(&self, id: u64, phone: String, member: Member) -> Result<Receipt, Error> {
//!     {
//!         {
//!             #[allow(non_camel_case_types, dead_code)]
//!             struct id {}
//!             #[allow(unused_imports)]
//!             use ::privacy::__private::{ProbeClassified as _, ProbePlain as _};
//!             #[allow(clippy::needless_borrow)]
//!             ::privacy::__private::safe_param::<id, _>(
//!                 (&&::privacy::__private::Probe::of(&id)).probe());
//!         }
//!         {
//!             #[allow(non_camel_case_types, dead_code)]
//!             struct member {}
//!             ::privacy::__private::classified_param::<member, _>(&member);
//!         }
//!         ::privacy::__private::recorded_ok::<Result<Receipt, Error>>();
//!         ::privacy::__private::recorded_err::<Result<Receipt, Error>>();
//!     }
//!     body()
//! }
//! ```
//!
//! Generated code cannot import anything the `fields(...)` expressions would see, so it names
//! the runtime by its full path (`::privacy`, or `crate = "..."`).

mod expand;
mod parse;
mod reads;
mod valid;

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::{quote, ToTokens};
use syn::ext::IdentExt;
use syn::{Expr, Ident, ItemFn, LitStr, Path, Type};

use crate::attr::{ClassAttr, FieldAttrs, Strategy};
use crate::ctxt::Ctxt;

/// The whole attribute: model, validation, then the instrumented function; or the errors next
/// to the function without its helper attributes, so that nothing else is reported.
pub(crate) fn instrument(args: TokenStream, item: &TokenStream) -> TokenStream {
    let Ok(mut item) = syn::parse2::<ItemFn>(item.clone()) else {
        let error = syn::Error::new(
            Span::call_site(),
            "`#[privacy::instrument]` goes on a function with a body",
        )
        .to_compile_error();
        return quote!(#error #item);
    };
    if !cfg!(feature = "tracing") {
        // Without the runtime's tracing glue, nothing can be generated; the helper attributes
        // still go, so that they are not reported as unknown too.
        Function::from_syn(&mut Ctxt::default(), &mut item);
        let error = syn::Error::new(
            Span::call_site(),
            "`#[privacy::instrument]` needs the `tracing` feature of `privacy`: enable it in Cargo.toml \
             (it is on by default)",
        )
        .to_compile_error();
        return quote!(#error #item);
    }
    let mut cx = Ctxt::default();
    let args = Args::parse(&mut cx, args);
    let function = Function::from_syn(&mut cx, &mut item);
    valid::check(&mut cx, &args, &function);
    let krate = args
        .krate
        .as_ref()
        .map_or_else(|| quote!(::privacy), ToTokens::to_token_stream);
    // The checks go in even when there are errors, so that an unclassified parameter is
    // reported together with the mistakes in the attributes.
    let checks = expand::checks(&krate, &args, &function);
    item.block
        .stmts
        .insert(0, syn::Stmt::Expr(Expr::Verbatim(checks), None));
    match cx.finish() {
        Ok(()) => {
            let attr = expand::tracing_attr(&krate, &args, &function);
            quote!(#attr #item)
        }
        Err(errors) => {
            let errors = errors.to_compile_error();
            quote!(#errors #item)
        }
    }
}

/// The arguments of the attribute.
#[derive(Default)]
struct Args {
    /// `crate = "path"`: where the runtime is, when `privacy` is renamed.
    krate: Option<Path>,
    /// `level`, `name`, `target`, `parent` and `follows_from`, handed to tracing as written.
    passed: Vec<(Ident, Expr)>,
    /// A span name written as a bare string, as tracing also accepts.
    bare_name: Option<LitStr>,
    skip: Vec<Ident>,
    /// The `skip` keyword, for errors about the whole list.
    skip_keyword: Option<Ident>,
    skip_all: Option<Ident>,
    fields: Vec<UserField>,
    ret: Option<Event>,
    err: Option<Event>,
}

/// `ret` or `err`, with the level of its event if one was given. The format is not kept:
/// both are recorded with their redacted `Debug`.
struct Event {
    keyword: Ident,
    level: Option<Expr>,
}

/// One entry of `fields(...)`, kept as written.
struct UserField {
    tokens: TokenStream,
    /// The name, when it is a single identifier: a parameter of that name is not recorded,
    /// as with tracing.
    name: Option<String>,
    /// The name, for errors that suggest declaring the field and recording into it.
    key: Key,
    /// What its value reads, to find parameters recorded in the clear.
    reads: Reads,
}

/// The name of a `fields(...)` entry.
enum Key {
    /// `name` or `a.b.c`, without `r#`.
    Dotted(String),
    /// `{ CONSTANT }`: the constant's tokens.
    Constant(TokenStream),
}

impl Key {
    /// The entry that declares the field empty: `fields(name)`.
    fn declared(&self) -> String {
        match self {
            Key::Dotted(name) => name.clone(),
            Key::Constant(tokens) => format!("{{ {tokens} }}"),
        }
    }

    /// The name as `Span::record` takes it.
    fn recorded(&self) -> String {
        match self {
            Key::Dotted(name) => format!("{name:?}"),
            Key::Constant(tokens) => tokens.to_string(),
        }
    }
}

/// What a `fields(...)` value reads of the function's variables.
enum Reads {
    /// `?name` or `key = ?name`: one variable, recorded whole with its `Debug`.
    Whole(Ident),
    /// Anything else: every identifier that may read a variable (see `reads`).
    Computed(Vec<Ident>),
}

impl Reads {
    fn idents(&self) -> &[Ident] {
        match self {
            Reads::Whole(ident) => std::slice::from_ref(ident),
            Reads::Computed(idents) => idents,
        }
    }
}

struct Function {
    /// The function's name, for the pseudonym domain of `hash`.
    name: String,
    params: Vec<Param>,
    /// The declared return type; `None` for `()`.
    output: Option<Type>,
}

struct Param {
    binding: Binding,
    ty: Type,
    attrs: FieldAttrs,
    /// The whole parameter, for errors.
    span: Span,
}

enum Binding {
    /// `self`, in any of its forms.
    Receiver(Ident),
    /// `name`, `mut name`, `ref name`.
    Name { ident: Ident, by_ref: bool },
    /// `_`: nothing to record.
    Wild,
    /// A destructuring pattern: no single value to record.
    Pattern,
}

impl Param {
    fn ident(&self) -> Option<&Ident> {
        match &self.binding {
            Binding::Receiver(ident) | Binding::Name { ident, .. } => Some(ident),
            Binding::Wild | Binding::Pattern => None,
        }
    }

    /// The name as `skip(...)`, `fields(...)` and the span see it: without `r#`.
    fn name(&self) -> Option<String> {
        self.ident().map(|ident| ident.unraw().to_string())
    }

    fn class(&self) -> Option<&ClassAttr> {
        self.attrs.classes.first()
    }

    /// `&param`, a reference to the parameter's value of type `&ty`.
    fn access(&self) -> TokenStream {
        match &self.binding {
            Binding::Name {
                ident,
                by_ref: true,
            } => ident.to_token_stream(),
            Binding::Name { ident, .. } | Binding::Receiver(ident) => quote!(&#ident),
            Binding::Wild | Binding::Pattern => TokenStream::new(),
        }
    }
}

impl Args {
    /// Whether the span leaves the parameter out: `skip_all`, `skip(name)`, `redact = skip`,
    /// or no name to record it by.
    fn skips(&self, param: &Param) -> bool {
        let Some(name) = param.name() else {
            return true;
        };
        self.skip_all.is_some()
            || self.skip.iter().any(|skipped| skipped.unraw() == name)
            || param
                .class()
                .and_then(|class| class.strategy.as_ref())
                .is_some_and(|s| matches!(s.strategy, Strategy::Skip))
    }

    /// Whether a `fields(...)` entry records the parameter whole, `?name`.
    fn records_whole(&self, param: &Param) -> bool {
        let name = param.name();
        self.fields.iter().any(|field| {
            matches!(&field.reads, Reads::Whole(ident) if Some(ident.unraw().to_string()) == name)
        })
    }

    /// Whether a `fields(...)` entry of the same name replaces the parameter, as in tracing.
    fn replaces(&self, param: &Param) -> bool {
        let name = param.name();
        self.fields
            .iter()
            .any(|field| field.name.is_some() && field.name == name)
    }
}

/// Whether a type is or contains `impl Trait`, which an expression cannot name.
fn contains_impl_trait(ty: &Type) -> bool {
    fn walk(tokens: TokenStream) -> bool {
        tokens.into_iter().any(|token| match token {
            TokenTree::Ident(ident) => ident == "impl",
            TokenTree::Group(group) => walk(group.stream()),
            _ => false,
        })
    }
    walk(ty.to_token_stream())
}

#[cfg(test)]
mod tests {
    use quote::quote;

    fn register() -> proc_macro2::TokenStream {
        quote! {
            fn register(
                &self,
                #[safe] id: u64,
                #[pii(phone, redact = last(4))] phone: String,
                member: Member,
            ) -> Result<Receipt, Error> {
                body()
            }
        }
    }

    /// The whole expansion, as the module documentation shows it.
    #[cfg(feature = "tracing")]
    #[test]
    fn expansion() {
        let args = quote!(level = "debug", ret, err, fields(request = %id));
        let expected = quote! {
            #[::privacy::__private::tracing::instrument(
                skip_all,
                level = "debug",
                fields(
                    self = {
                        use ::privacy::__private::{RecordClassifiedReceiver as _, RecordPlainReceiver as _};
                        (&&::privacy::__private::Receiver(&self)).record()
                    },
                    id = id,
                    phone = ?&::privacy::__private::Last::new::<String>(
                        ::privacy::__private::Labels::new("<pii:phone>", "<pii:phone "),
                        4usize,
                        & &phone
                    ),
                    member = ?member,
                    request = %id
                ),
                ret(Debug),
                err(Debug)
            )]
            fn register(&self, id: u64, phone: String, member: Member,) -> Result<Receipt, Error> {
                {
                    {
                        #[allow(non_camel_case_types, dead_code)]
                        struct id {}
                        #[allow(unused_imports)]
                        use ::privacy::__private::{ProbeClassified as _, ProbePlain as _};
                        #[allow(clippy::needless_borrow)]
                        ::privacy::__private::safe_param::<id, _>(
                            (&&::privacy::__private::Probe::of(&id)).probe());
                    }
                    {
                        #[allow(non_camel_case_types, dead_code)]
                        struct member {}
                        ::privacy::__private::classified_param::<member, _>(&member);
                    }
                    ::privacy::__private::recorded_ok::<Result<Receipt, Error> >();
                    ::privacy::__private::recorded_err::<Result<Receipt, Error> >();
                }
                body()
            }
        };
        let expanded = super::instrument(args, &register());
        assert_eq!(expanded.to_string(), expected.to_string());
    }

    #[cfg(not(feature = "tracing"))]
    #[test]
    fn without_the_tracing_feature() {
        let expanded = super::instrument(quote!(), &register()).to_string();
        assert!(expanded.contains("needs the `tracing` feature of `privacy`"));
        assert!(!expanded.contains("pii"), "{expanded}");
    }
}
