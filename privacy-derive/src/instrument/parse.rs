//! Parses the arguments of `#[privacy::instrument(...)]` and the function's parameters into
//! the model. Syntax errors end the parse of the arguments; mistakes of meaning are recorded
//! and the parse goes on, so that one run reports them all.

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Attribute, Expr, FnArg, Ident, ItemFn, LitStr, Pat, ReceiverKind, ReturnType, Token};

use super::{reads, Args, Binding, Event, Function, Key, Param, Reads, UserField};
use crate::attr::{self, FieldAttrs};
use crate::ctxt::Ctxt;
use crate::kinds;

/// Every argument the attribute takes, for suggestions.
const ARGS: &[&str] = &[
    "level",
    "name",
    "target",
    "parent",
    "follows_from",
    "skip",
    "skip_all",
    "fields",
    "ret",
    "err",
    "crate",
];

impl Args {
    pub(super) fn parse(cx: &mut Ctxt, tokens: TokenStream) -> Args {
        let mut args = Args::default();
        let parser = |input: ParseStream| {
            while !input.is_empty() {
                args.parse_one(cx, input)?;
                if input.is_empty() {
                    break;
                }
                input.parse::<Token![,]>()?;
            }
            Ok(())
        };
        if let Err(error) = parser.parse2(tokens) {
            cx.syn_error(error);
        }
        args
    }

    fn parse_one(&mut self, cx: &mut Ctxt, input: ParseStream) -> syn::Result<()> {
        if input.peek(LitStr) {
            let name: LitStr = input.parse()?;
            if self.bare_name.is_some() || self.passed.iter().any(|(key, _)| key == "name") {
                cx.error(name.span(), "duplicate `name`: keep one");
            }
            self.bare_name = Some(name);
            return Ok(());
        }
        let key = input.call(Ident::parse_any)?;
        let text = key.to_string();
        match text.as_str() {
            "level" | "name" | "target" | "parent" | "follows_from" => {
                input.parse::<Token![=]>()?;
                let value: Expr = input.parse()?;
                let duplicate = self.passed.iter().any(|(seen, _)| *seen == key)
                    || (text == "name" && self.bare_name.is_some());
                if duplicate {
                    cx.error(key.span(), format!("duplicate `{text}`: keep one"));
                }
                self.passed.push((key, value));
            }
            "skip" => self.parse_skip(cx, key, input)?,
            "skip_all" => {
                if self.skip_all.replace(key.clone()).is_some() {
                    cx.error(key.span(), "duplicate `skip_all`: keep one");
                }
            }
            "fields" => {
                let content;
                syn::parenthesized!(content in input);
                let fields = Punctuated::<UserField, Token![,]>::parse_terminated_with(
                    &content,
                    UserField::parse,
                )?;
                if !self.fields.is_empty() {
                    cx.error(
                        key.span(),
                        "duplicate `fields`: list every field in one `fields(...)`",
                    );
                }
                self.fields.extend(fields);
            }
            "ret" | "err" => {
                let event = Event::parse(cx, key, input)?;
                let slot = if text == "ret" {
                    &mut self.ret
                } else {
                    &mut self.err
                };
                if slot.is_some() {
                    cx.error(
                        event.keyword.span(),
                        format!("duplicate `{text}`: keep one"),
                    );
                }
                *slot = Some(event);
            }
            "crate" => self.parse_crate(cx, &key, input)?,
            _ => {
                skip_value(input)?;
                let hint = kinds::nearest(&text, ARGS.iter().copied())
                    .map(|near| format!("did you mean `{near}`? "))
                    .unwrap_or_default();
                let expected: Vec<String> = ARGS.iter().map(|arg| format!("`{arg}`")).collect();
                cx.error(
                    key.span(),
                    format!(
                        "unknown argument `{text}` in `#[privacy::instrument(...)]`; {hint}expected one of {}",
                        expected.join(", ")
                    ),
                );
            }
        }
        Ok(())
    }

    /// `skip(a, b)`: the parameters to leave out.
    fn parse_skip(&mut self, cx: &mut Ctxt, key: Ident, input: ParseStream) -> syn::Result<()> {
        let content;
        syn::parenthesized!(content in input);
        let names =
            Punctuated::<Ident, Token![,]>::parse_terminated_with(&content, Ident::parse_any)?;
        if self.skip_keyword.is_some() {
            cx.error(
                key.span(),
                "duplicate `skip`: list every parameter to leave out in one `skip(...)`",
            );
        }
        for name in names {
            if self.skip.contains(&name) {
                cx.error(name.span(), format!("`{name}` is skipped twice: keep one"));
            } else {
                self.skip.push(name);
            }
        }
        self.skip_keyword = Some(key);
        Ok(())
    }

    /// `crate = "path"`: where the runtime is, when `privacy` is renamed.
    fn parse_crate(&mut self, cx: &mut Ctxt, key: &Ident, input: ParseStream) -> syn::Result<()> {
        input.parse::<Token![=]>()?;
        let lit: LitStr = input.parse()?;
        let path = attr::runtime_path(&lit)?;
        if self.krate.replace(path).is_some() {
            cx.error(
                key.span(),
                "duplicate `crate`: the runtime is at one path; keep one",
            );
        }
        Ok(())
    }
}

/// Consumes `= value` or `(...)` after an unknown key, so that parsing can go on.
fn skip_value(input: ParseStream) -> syn::Result<()> {
    if input.peek(Token![=]) {
        input.parse::<Token![=]>()?;
        input.parse::<Expr>()?;
    } else if input.peek(syn::token::Paren) {
        let content;
        syn::parenthesized!(content in input);
        content.parse::<TokenStream>()?;
    }
    Ok(())
}

impl Event {
    /// `ret`, `ret(Debug)`, `ret(Display)`, `ret(level = ...)`, `ret(Debug, level = ...)`.
    fn parse(cx: &mut Ctxt, keyword: Ident, input: ParseStream) -> syn::Result<Event> {
        let mut event = Event {
            keyword,
            level: None,
        };
        if !input.peek(syn::token::Paren) {
            return Ok(event);
        }
        let content;
        syn::parenthesized!(content in input);
        let mut format: Option<Ident> = None;
        while !content.is_empty() {
            let ident: Ident = content.parse()?;
            if ident == "level" {
                content.parse::<Token![=]>()?;
                let level: Expr = content.parse()?;
                if event.level.replace(level).is_some() {
                    cx.error(ident.span(), "duplicate `level`: keep one");
                }
            } else if ident == "Debug" || ident == "Display" {
                if format.replace(ident.clone()).is_some() {
                    cx.error(
                        ident.span(),
                        "duplicate format: write `Debug` or `Display` once",
                    );
                }
            } else {
                return Err(syn::Error::new(
                    ident.span(),
                    format!(
                        "expected `Debug`, `Display` or `level = ...` in `{}(...)`",
                        event.keyword
                    ),
                ));
            }
            if content.is_empty() {
                break;
            }
            content.parse::<Token![,]>()?;
        }
        Ok(event)
    }
}

impl UserField {
    /// tracing's grammar: `[?|%] name [= [?|%] value]`, where the name is a dotted path of
    /// identifiers or a `{ constant }`.
    fn parse(input: ParseStream) -> syn::Result<UserField> {
        let mut tokens = TokenStream::new();
        let lead = sigil(input, &mut tokens)?;
        let mut name = None;
        let mut in_name = Vec::new();
        let (key, shorthand) = if input.peek(syn::token::Brace) {
            let group: proc_macro2::Group = input.parse()?;
            // A constant cannot read a variable, but what its tokens name counts, failing closed.
            in_name.extend(reads::variables(group.stream()));
            group.to_tokens(&mut tokens);
            (Key::Constant(group.stream()), None)
        } else {
            let path = Punctuated::<Ident, Token![.]>::parse_separated_nonempty_with(
                input,
                Ident::parse_any,
            )?;
            if path.len() == 1 {
                name = Some(path[0].unraw().to_string());
            }
            path.to_tokens(&mut tokens);
            let dotted = path.iter().map(|ident| ident.unraw().to_string());
            // `?a.b` and `%a.b` record the variable `a`, or its field `b`.
            let shorthand = lead.is_some().then(|| (path[0].clone(), path.len() == 1));
            (Key::Dotted(dotted.collect::<Vec<_>>().join(".")), shorthand)
        };
        let field_reads = if input.peek(Token![=]) {
            input.parse::<Token![=]>()?.to_tokens(&mut tokens);
            // As in tracing, the sigil after `=` wins over the one before the name.
            let kind = sigil(input, &mut tokens)?.or(lead);
            let value: Expr = input.parse()?;
            let value_tokens = value.to_token_stream();
            value.to_tokens(&mut tokens);
            match (kind, lone_ident(value_tokens.clone())) {
                (Some('?'), Some(ident)) if in_name.is_empty() => Reads::Whole(ident),
                _ => {
                    in_name.extend(reads::variables(value_tokens));
                    Reads::Computed(in_name)
                }
            }
        } else {
            match shorthand {
                Some((ident, true)) if lead == Some('?') => Reads::Whole(ident),
                Some((ident, _)) => Reads::Computed(vec![ident]),
                None => Reads::Computed(in_name),
            }
        };
        Ok(UserField {
            tokens,
            name,
            key,
            reads: field_reads,
        })
    }
}

/// Consumes a `?` or `%`, if there is one.
fn sigil(input: ParseStream, tokens: &mut TokenStream) -> syn::Result<Option<char>> {
    if input.peek(Token![?]) {
        input.parse::<Token![?]>()?.to_tokens(tokens);
        Ok(Some('?'))
    } else if input.peek(Token![%]) {
        input.parse::<Token![%]>()?.to_tokens(tokens);
        Ok(Some('%'))
    } else {
        Ok(None)
    }
}

/// The identifier that `tokens` are, if they are one.
fn lone_ident(tokens: TokenStream) -> Option<Ident> {
    let mut trees = tokens.into_iter();
    match (trees.next(), trees.next()) {
        (Some(TokenTree::Ident(ident)), None) => Some(ident),
        _ => None,
    }
}

impl Function {
    /// Reads the parameters, and takes their helper attributes off the function.
    pub(super) fn from_syn(cx: &mut Ctxt, item: &mut ItemFn) -> Function {
        let params = item
            .sig
            .inputs
            .iter_mut()
            .map(|arg| {
                let span = arg.span();
                match arg {
                    FnArg::Receiver(receiver) => {
                        let attrs = take_helper_attrs(cx, &mut receiver.attrs);
                        let self_token = receiver.self_token;
                        let ty = match &receiver.kind {
                            ReceiverKind::Reference(and, lifetime, mutability) => {
                                syn::parse_quote!(#and #lifetime #mutability Self)
                            }
                            ReceiverKind::Typed(_, ty) => (**ty).clone(),
                            _ => syn::parse_quote_spanned!(self_token.span=> Self),
                        };
                        Param {
                            binding: Binding::Receiver(Ident::new("self", self_token.span)),
                            ty,
                            attrs,
                            span,
                        }
                    }
                    FnArg::Typed(typed) => {
                        let attrs = take_helper_attrs(cx, &mut typed.attrs);
                        let binding = match &*typed.pat {
                            Pat::Ident(pat) if pat.subpat.is_none() => Binding::Name {
                                ident: pat.ident.clone(),
                                by_ref: pat.by_ref.is_some(),
                            },
                            Pat::Wild(_) => Binding::Wild,
                            _ => Binding::Pattern,
                        };
                        Param {
                            binding,
                            ty: (*typed.ty).clone(),
                            attrs,
                            span,
                        }
                    }
                }
            })
            .collect();
        let output = match &item.sig.output {
            ReturnType::Default => None,
            ReturnType::Type(_, ty) => Some((**ty).clone()),
        };
        Function {
            name: item.sig.ident.unraw().to_string(),
            params,
            output,
        }
    }
}

/// Parses and removes `#[pii]`, `#[oii]`, `#[safe]` and `#[privacy]`; other attributes stay.
fn take_helper_attrs(cx: &mut Ctxt, attrs: &mut Vec<Attribute>) -> FieldAttrs {
    let is_helper = |attr: &Attribute| {
        ["pii", "oii", "safe", "privacy"]
            .iter()
            .any(|name| attr.path().is_ident(name))
    };
    let (helpers, others): (Vec<Attribute>, Vec<Attribute>) =
        std::mem::take(attrs).into_iter().partition(is_helper);
    *attrs = others;
    attr::field(cx, &helpers)
}
