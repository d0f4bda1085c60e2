//! Parses `#[pii]`, `#[oii]`, `#[safe]` and `#[privacy]` into a typed model that keeps spans.
//!
//! Syntax errors end the parse of the attribute they are in; mistakes of meaning (an unknown
//! kind, `last(0)`) are recorded and the parse goes on, so that one run reports them all.

use proc_macro2::{Span, TokenStream};
use syn::meta::ParseNestedMeta;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Attribute, Ident, LitInt, LitStr, Path, Token, WherePredicate};

use crate::ctxt::Ctxt;
use crate::kinds::{self, ClassName};

/// The options of `#[privacy(...)]` on the type.
#[derive(Default)]
pub(crate) struct ContainerAttrs {
    /// `crate = "path"`: where the runtime is, when `privacy` is renamed.
    pub(crate) krate: Option<Path>,
    /// `bound = "..."` or `bound(debug = "...", serialize = "...", classified = "...",
    /// valuable = "...")`:
    /// replaces the inferred bounds.
    pub(crate) bound: Bounds,
    /// `telemetry` or `telemetry = "name"`: a telemetry event, and the event's name if not the
    /// type's.
    pub(crate) telemetry: Option<Telemetry>,
}

/// `#[privacy(telemetry)]` on a type.
pub(crate) struct Telemetry {
    /// The span of `telemetry`, for errors about the type as a whole.
    pub(crate) span: Span,
    /// The event name given with `telemetry = "name"`.
    pub(crate) name: Option<String>,
}

/// What the attributes of one field say.
#[derive(Default)]
pub(crate) struct FieldAttrs {
    /// Every classification attribute found; more than one is an error found by `valid`.
    pub(crate) classes: Vec<ClassAttr>,
    /// `#[privacy(subject)]` or `#[privacy(subject = "namespace")]`.
    pub(crate) subject: Option<Subject>,
    /// `#[privacy(keys = safe)]`: the span of `keys`.
    pub(crate) safe_keys: Option<Span>,
    /// `#[privacy(purposes(...))]` on a field whose type classifies itself: the purposes a
    /// consent must be for to reveal what it holds. The span of `purposes`, and the paths.
    pub(crate) purposes: Option<(Span, Vec<Path>)>,
}

/// `#[privacy(subject)]` on a field: its value names the data subject.
pub(crate) struct Subject {
    /// The span of `subject`.
    pub(crate) span: Span,
    /// The namespace given with `subject = "..."`; the default one (empty) otherwise.
    pub(crate) namespace: String,
}

/// One `#[pii(...)]`, `#[oii(...)]` or `#[safe]`.
pub(crate) struct ClassAttr {
    pub(crate) class: ClassName,
    /// The span of the attribute's name.
    pub(crate) span: Span,
    pub(crate) kind: Option<KindSpec>,
    pub(crate) strategy: Option<StrategySpec>,
    pub(crate) purposes: Vec<Path>,
}

/// A field's kind: built in, or declared with `custom = "..."`.
pub(crate) enum KindSpec {
    BuiltIn(&'static kinds::BuiltIn),
    Custom(String),
}

impl KindSpec {
    pub(crate) fn name(&self) -> &str {
        match self {
            KindSpec::BuiltIn(kind) => kind.name,
            KindSpec::Custom(name) => name,
        }
    }
}

/// A strategy and the span it was written at.
pub(crate) struct StrategySpec {
    pub(crate) strategy: Strategy,
    pub(crate) span: Span,
}

pub(crate) enum Strategy {
    Hide,
    Last(usize),
    First(usize),
    Email,
    IpPrefix,
    Hash,
    With(Path),
    Skip,
}

const STRATEGIES: &[&str] = &[
    "hide",
    "last",
    "first",
    "email",
    "ip_prefix",
    "hash",
    "skip",
];
const CLASS_KEYS: &[&str] = &["redact", "with", "purposes", "custom"];

fn is(attr: &Attribute, name: &str) -> bool {
    attr.path().is_ident(name)
}

/// Parses the `#[privacy(...)]` attributes of the type, and rejects field attributes there.
pub(crate) fn container(cx: &mut Ctxt, attrs: &[Attribute]) -> ContainerAttrs {
    let mut out = ContainerAttrs::default();
    for attr in attrs {
        if is(attr, "privacy") {
            let result = attr.parse_nested_meta(|meta| container_option(cx, &mut out, &meta));
            if let Err(error) = result {
                cx.syn_error(error);
            }
        } else {
            reject_field_attr(cx, attr, "a type");
        }
    }
    out
}

fn container_option(
    cx: &mut Ctxt,
    out: &mut ContainerAttrs,
    meta: &ParseNestedMeta,
) -> syn::Result<()> {
    let key = meta
        .path
        .get_ident()
        .map(Ident::to_string)
        .unwrap_or_default();
    match key.as_str() {
        "telemetry" => {
            let name = if meta.input.peek(Token![=]) {
                let lit: LitStr = meta.value()?.parse()?;
                if lit.value().is_empty() {
                    cx.error(lit.span(), "an event name cannot be empty");
                }
                Some(lit.value())
            } else {
                None
            };
            let telemetry = Telemetry {
                span: meta.path.span(),
                name,
            };
            if out.telemetry.replace(telemetry).is_some() {
                cx.error_spanned(&meta.path, "duplicate `telemetry` option");
            }
        }
        "crate" => {
            let lit: LitStr = meta.value()?.parse()?;
            let path = runtime_path(&lit)?;
            if out.krate.replace(path).is_some() {
                cx.error_spanned(
                    &meta.path,
                    "duplicate `crate` option: the runtime is at one path; keep one",
                );
            }
        }
        "bound" => {
            if meta.input.peek(Token![=]) {
                let predicates = predicates(meta)?;
                set_bound(cx, &mut out.bound.all, predicates, meta, "bound");
            } else {
                meta.parse_nested_meta(|inner| {
                    let key = inner.path.get_ident().map(Ident::to_string).unwrap_or_default();
                    let slot = match key.as_str() {
                        "debug" => &mut out.bound.debug,
                        "serialize" => &mut out.bound.serialize,
                        "classified" => &mut out.bound.classified,
                        "valuable" => &mut out.bound.valuable,
                        _ => {
                            return Err(inner.error(
                                "expected `debug = \"...\"`, `serialize = \"...\"`, `classified = \"...\"` or \
                                 `valuable = \"...\"`: the impl whose bounds to replace",
                            ))
                        }
                    };
                    let predicates = predicates(&inner)?;
                    set_bound(cx, slot, predicates, &inner, &format!("bound({key})"));
                    Ok(())
                })?;
            }
        }
        "subject" => {
            cx.error_spanned(&meta.path, "`subject` marks a field: put `#[privacy(subject)]` on the field that names the person");
        }
        _ => {
            skip_value(meta)?;
            let hint = suggestion(&key, &["crate", "bound", "telemetry"]);
            cx.error_spanned(
                &meta.path,
                format!(
                    "unknown option `{}` in `#[privacy(...)]` on a type; {hint}expected `crate = \"...\"`, `bound = \"...\"` or `telemetry`",
                    path_text(&meta.path)
                ),
            );
        }
    }
    Ok(())
}

/// The path in `crate = "path"`. It is written in `use` and in attribute paths, where neither
/// generic arguments nor `Self` can stand: a module path.
pub(crate) fn runtime_path(lit: &LitStr) -> syn::Result<Path> {
    let error = |message| Err(syn::Error::new(lit.span(), message));
    let Ok(path) = lit.parse::<Path>() else {
        return error("`crate = \"...\"` takes a path, like `crate = \"my_privacy\"`");
    };
    let module = path
        .segments
        .iter()
        .all(|segment| segment.arguments.is_none() && segment.ident != "Self");
    if !module {
        return error(
            "`crate = \"...\"` names the crate or module of the runtime: a path without generic \
             arguments or `Self`, like `crate = \"my_privacy\"`",
        );
    }
    Ok(path)
}

/// The where-clause predicates that replace the inferred ones: for all generated impls, or for
/// one of them.
#[derive(Default)]
pub(crate) struct Bounds {
    all: Option<Vec<WherePredicate>>,
    debug: Option<Vec<WherePredicate>>,
    serialize: Option<Vec<WherePredicate>>,
    classified: Option<Vec<WherePredicate>>,
    valuable: Option<Vec<WherePredicate>>,
}

impl Bounds {
    pub(crate) fn debug(&self) -> Option<&[WherePredicate]> {
        self.debug.as_deref().or(self.all.as_deref())
    }

    pub(crate) fn serialize(&self) -> Option<&[WherePredicate]> {
        self.serialize.as_deref().or(self.all.as_deref())
    }

    pub(crate) fn classified(&self) -> Option<&[WherePredicate]> {
        self.classified.as_deref().or(self.all.as_deref())
    }

    pub(crate) fn valuable(&self) -> Option<&[WherePredicate]> {
        self.valuable.as_deref().or(self.all.as_deref())
    }

    /// Every predicate written, for the names they use.
    pub(crate) fn tokens(&self) -> impl Iterator<Item = TokenStream> + '_ {
        [
            &self.all,
            &self.debug,
            &self.serialize,
            &self.classified,
            &self.valuable,
        ]
        .into_iter()
        .flatten()
        .flatten()
        .map(quote::ToTokens::to_token_stream)
    }
}

fn predicates(meta: &ParseNestedMeta) -> syn::Result<Vec<WherePredicate>> {
    let lit: LitStr = meta.value()?.parse()?;
    let predicates = lit
        .parse_with(Punctuated::<WherePredicate, Token![,]>::parse_terminated)
        .map_err(|_| {
            syn::Error::new(
                lit.span(),
                "a bound takes where-clause predicates, like `bound = \"T: Clone\"`",
            )
        })?;
    Ok(predicates.into_iter().collect())
}

fn set_bound(
    cx: &mut Ctxt,
    slot: &mut Option<Vec<WherePredicate>>,
    predicates: Vec<WherePredicate>,
    meta: &ParseNestedMeta,
    what: &str,
) {
    if slot.replace(predicates).is_some() {
        cx.error_spanned(
            &meta.path,
            format!("duplicate `{what}` option: write all predicates in one, like `bound = \"T: Clone, U: Default\"`"),
        );
    }
}

/// Parses the attributes of a field.
pub(crate) fn field(cx: &mut Ctxt, attrs: &[Attribute]) -> FieldAttrs {
    let mut out = FieldAttrs::default();
    for attr in attrs {
        let class = if is(attr, "pii") {
            ClassName::Pii
        } else if is(attr, "oii") {
            ClassName::Oii
        } else if is(attr, "safe") {
            ClassName::Safe
        } else if is(attr, "privacy") {
            field_options(cx, &mut out, attr);
            continue;
        } else {
            continue;
        };
        out.classes.push(class_attr(cx, attr, class));
    }
    out
}

fn field_options(cx: &mut Ctxt, out: &mut FieldAttrs, attr: &Attribute) {
    let result = attr.parse_nested_meta(|meta| {
        let key = meta.path.get_ident().map(Ident::to_string).unwrap_or_default();
        match key.as_str() {
            "subject" => {
                let namespace = if meta.input.peek(Token![=]) {
                    let lit: LitStr = meta.value()?.parse()?;
                    let namespace = lit.value();
                    if !is_snake_case(&namespace) {
                        cx.error(
                            lit.span(),
                            format!(
                                "invalid subject namespace {namespace:?}: a namespace is a `snake_case` name, \
                                 like `subject = \"{}\"`",
                                snake_case(&namespace, "device")
                            ),
                        );
                    }
                    namespace
                } else {
                    String::new()
                };
                let subject = Subject {
                    span: meta.path.span(),
                    namespace,
                };
                if out.subject.replace(subject).is_some() {
                    cx.error_spanned(&meta.path, "duplicate `subject`: write it once");
                }
                Ok(())
            }
            "keys" => {
                let value: Ident = meta.value()?.parse()?;
                if value != "safe" {
                    cx.error(
                        value.span(),
                        format!(
                            "`keys = {value}`: the only option for a map's keys is `keys = safe`, which shows \
                             them with their own `Debug` and `Serialize`; keys that are personal data are \
                             `Pii<K>` or `Oii<K>`, with no `keys` option"
                        ),
                    );
                } else if out.safe_keys.replace(meta.path.span()).is_some() {
                    cx.error_spanned(&meta.path, "duplicate `keys`: write it once");
                }
                Ok(())
            }
            "crate" | "bound" => {
                skip_value(&meta)?;
                cx.error_spanned(&meta.path, format!("`{key}` is an option of the type: put it in `#[privacy(...)]` above the type"));
                Ok(())
            }
            "purposes" => {
                let content;
                syn::parenthesized!(content in meta.input);
                let paths = Punctuated::<Path, Token![,]>::parse_terminated(&content)?;
                if paths.is_empty() {
                    cx.error_spanned(
                        &meta.path,
                        "`purposes()` is empty: name at least one purpose, or drop it",
                    );
                }
                if out.purposes.replace((meta.path.span(), paths.into_iter().collect())).is_some() {
                    cx.error_spanned(&meta.path, "duplicate `purposes`: list every purpose in one `purposes(...)`");
                }
                Ok(())
            }
            "redact" | "with" => {
                skip_value(&meta)?;
                cx.error_spanned(&meta.path, format!("`{key}` belongs in the field's `#[pii(...)]` or `#[oii(...)]`"));
                Ok(())
            }
            _ => {
                skip_value(&meta)?;
                let hint = suggestion(&key, &["subject", "keys", "purposes"]);
                cx.error_spanned(
                    &meta.path,
                    format!(
                        "unknown option `{}` in `#[privacy(...)]` on a field; {hint}expected `subject`, `keys = safe` \
                         or `purposes(...)`",
                        path_text(&meta.path)
                    ),
                );
                Ok(())
            }
        }
    });
    if let Err(error) = result {
        cx.syn_error(error);
    }
}

/// Consumes `= value` or `(...)` after a key, so that parsing can go on after reporting it.
pub(crate) fn skip_value(meta: &ParseNestedMeta) -> syn::Result<()> {
    if meta.input.peek(Token![=]) {
        meta.value()?.parse::<syn::Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        let content;
        syn::parenthesized!(content in meta.input);
        let _: TokenStream = content.parse()?;
    }
    Ok(())
}

fn class_attr(cx: &mut Ctxt, attr: &Attribute, class: ClassName) -> ClassAttr {
    let span = attr.path().span();
    let mut out = ClassAttr {
        class,
        span,
        kind: None,
        strategy: None,
        purposes: Vec::new(),
    };
    match &attr.meta {
        syn::Meta::Path(_) => return out,
        syn::Meta::NameValue(nv) => {
            let example = match class {
                ClassName::Safe => "#[safe]".to_owned(),
                _ => format!("#[{}(KIND, redact = STRATEGY)]", class.attr()),
            };
            let example = match (&nv.value, class) {
                (
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(lit),
                        ..
                    }),
                    ClassName::Pii | ClassName::Oii,
                ) if kinds::find(&lit.value()).is_some() => {
                    format!("#[{}({})]", class.attr(), lit.value())
                }
                _ => example,
            };
            cx.error_spanned(
                nv,
                format!(
                    "malformed `#[{}]` attribute: write `{example}`",
                    class.attr()
                ),
            );
            // The field is still classified: reporting it as unclassified too would be noise.
            return out;
        }
        syn::Meta::List(_) => {}
    }
    if class == ClassName::Safe {
        let result = attr.parse_nested_meta(|meta| {
            skip_value(&meta)?;
            if meta.path.is_ident("purposes") {
                cx.error_spanned(
                    &meta.path,
                    "`purposes(...)` on a `#[safe]` field: purposes restrict who may reveal a classified value, \
                     and a safe field is never redacted; classify the field with `#[pii(...)]` or `#[oii(...)]`, \
                     or drop `purposes`",
                );
            } else {
                cx.error_spanned(&meta.path, "`#[safe]` takes no arguments");
            }
            Ok(())
        });
        if let Err(error) = result {
            cx.syn_error(error);
        }
        return out;
    }
    let mut seen: Vec<String> = Vec::new();
    let result = attr.parse_nested_meta(|meta| class_key(cx, &mut out, &mut seen, &meta));
    if let Err(error) = result {
        cx.syn_error(error);
    }
    out
}

/// One key (or the kind) inside `#[pii(...)]` or `#[oii(...)]`.
fn class_key(
    cx: &mut Ctxt,
    out: &mut ClassAttr,
    seen: &mut Vec<String>,
    meta: &ParseNestedMeta,
) -> syn::Result<()> {
    let class = out.class;
    let Some(ident) = meta.path.get_ident() else {
        return Err(meta.error(format!("expected a kind or one of {}", quoted(CLASS_KEYS))));
    };
    let key = ident.to_string();
    let has_value = meta.input.peek(Token![=]) || meta.input.peek(syn::token::Paren);
    if !has_value {
        if CLASS_KEYS.contains(&key.as_str()) {
            return Err(meta.error(format!("`{key}` needs a value: {}", key_example(&key))));
        }
        if out.kind.is_some() {
            cx.error(
                ident.span(),
                format!(
                    "duplicate kind `{key}`: the field is already `{}`; a field has one kind",
                    out.kind.as_ref().map_or("", KindSpec::name)
                ),
            );
        } else {
            out.kind = builtin_kind(cx, class, ident);
        }
        return Ok(());
    }
    if seen.contains(&key) {
        skip_value(meta)?;
        cx.error(
            ident.span(),
            format!("duplicate `{key}`: {}; keep one", key_rule(&key)),
        );
        return Ok(());
    }
    seen.push(key.clone());
    match key.as_str() {
        "redact" => {
            let strategy = parse_strategy(cx, meta.value()?)?;
            set_strategy(cx, out, strategy);
        }
        "with" => {
            let path: Path = meta.value()?.parse()?;
            let span = path.span();
            set_strategy(
                cx,
                out,
                Some(StrategySpec {
                    strategy: Strategy::With(path),
                    span,
                }),
            );
        }
        "purposes" => {
            let content;
            syn::parenthesized!(content in meta.input);
            let paths = Punctuated::<Path, Token![,]>::parse_terminated(&content)?;
            if paths.is_empty() {
                cx.error(
                    ident.span(),
                    "`purposes()` is empty: name at least one purpose, or drop it",
                );
            }
            out.purposes.extend(paths);
        }
        "custom" => {
            let lit: LitStr = meta.value()?.parse()?;
            if out.kind.is_some() {
                cx.error(
                    ident.span(),
                    format!(
                        "duplicate kind `custom = {:?}`: the field is already `{}`; a field has one kind",
                        lit.value(),
                        out.kind.as_ref().map_or("", KindSpec::name)
                    ),
                );
            } else {
                out.kind = custom_kind(cx, class, &lit);
            }
        }
        _ => {
            skip_value(meta)?;
            let hint = suggestion(&key, CLASS_KEYS);
            cx.error(
                ident.span(),
                format!(
                    "unknown key `{key}` in `#[{}(...)]`; {hint}expected a kind or one of {}",
                    class.attr(),
                    quoted(CLASS_KEYS)
                ),
            );
        }
    }
    Ok(())
}

/// What a duplicated key would break.
fn key_rule(key: &str) -> &'static str {
    match key {
        "redact" | "with" => "a field has one strategy",
        "purposes" => "list every purpose in one `purposes(...)`",
        _ => "a field has one kind",
    }
}

/// `did you mean `x`? ` when `unknown` is close to one of `known`, else nothing.
fn suggestion(unknown: &str, known: &[&str]) -> String {
    kinds::nearest(unknown, known.iter().copied())
        .map(|near| format!("did you mean `{near}`? "))
        .unwrap_or_default()
}

fn set_strategy(cx: &mut Ctxt, out: &mut ClassAttr, strategy: Option<StrategySpec>) {
    let Some(strategy) = strategy else { return };
    if out.strategy.is_some() {
        cx.error(
            strategy.span,
            "`redact` and `with` both choose how the field is shown: keep one",
        );
    } else {
        out.strategy = Some(strategy);
    }
}

fn key_example(key: &str) -> &'static str {
    match key {
        "redact" => "`redact = last(4)`",
        "with" => "`with = path::to::function`",
        "purposes" => "`purposes(Diagnostics, Support)`",
        _ => "`custom = \"badge_number\"`",
    }
}

fn builtin_kind(cx: &mut Ctxt, class: ClassName, ident: &Ident) -> Option<KindSpec> {
    let name = ident.to_string();
    if let Some(kind) = kinds::find(&name) {
        if kind.class == class {
            return Some(KindSpec::BuiltIn(kind));
        }
        cx.error(
            ident.span(),
            format!(
                "`{name}` is {} kind, not {} kind: write `#[{}({name})]`",
                kind.class.article(),
                class.article(),
                kind.class.attr()
            ),
        );
        return None;
    }
    let same_class = kinds::BUILT_IN
        .iter()
        .filter(|k| k.class == class)
        .map(|k| k.name);
    let hint = match kinds::nearest(&name, same_class) {
        Some(near) => format!("did you mean `{near}`? "),
        None => String::new(),
    };
    cx.error(
        ident.span(),
        format!(
            "unknown {} kind `{name}`; {hint}known {} kinds: {}; or declare your own with `custom = \"{name}\"`",
            class.upper(),
            class.upper(),
            kinds::list(class)
        ),
    );
    None
}

fn custom_kind(cx: &mut Ctxt, class: ClassName, lit: &LitStr) -> Option<KindSpec> {
    let name = lit.value();
    if !is_snake_case(&name) {
        cx.error(
            lit.span(),
            format!(
                "invalid custom kind {name:?}: a custom kind is a `snake_case` name, like `custom = {:?}`",
                snake_case(&name, "badge_number")
            ),
        );
        return None;
    }
    if kinds::find(&name).is_some() {
        cx.error(
            lit.span(),
            format!(
                "`{name}` is a built-in kind: write `#[{}({name})]`",
                class.attr()
            ),
        );
        return None;
    }
    Some(KindSpec::Custom(name))
}

fn parse_strategy(
    cx: &mut Ctxt,
    input: syn::parse::ParseStream,
) -> syn::Result<Option<StrategySpec>> {
    let ident: Ident = input.parse()?;
    let span = ident.span();
    let name = ident.to_string();
    let strategy = match name.as_str() {
        "hide" => Strategy::Hide,
        "email" => Strategy::Email,
        "ip_prefix" => Strategy::IpPrefix,
        "hash" => Strategy::Hash,
        "skip" => Strategy::Skip,
        "last" | "first" => {
            if !input.peek(syn::token::Paren) {
                return Err(syn::Error::new(
                    span,
                    format!("`{name}` needs a number of characters: `{name}(4)`"),
                ));
            }
            let content;
            syn::parenthesized!(content in input);
            let tokens: TokenStream = content.parse()?;
            let count = syn::parse2::<LitInt>(tokens.clone())
                .ok()
                .filter(|lit| lit.suffix().is_empty())
                .and_then(|lit| Some((lit.base10_parse::<usize>().ok()?, lit)));
            let Some((n, lit)) = count else {
                cx.error_spanned(
                    &tokens,
                    format!(
                        "`{name}(N)` takes a positive whole number of characters, like `{name}(4)`"
                    ),
                );
                return Ok(None);
            };
            if n == 0 {
                cx.error(
                    lit.span(),
                    format!("`{name}(0)` shows nothing: write `redact = hide`"),
                );
                return Ok(None);
            }
            if name == "last" {
                Strategy::Last(n)
            } else {
                Strategy::First(n)
            }
        }
        "with" => {
            return Err(syn::Error::new(
                span,
                "write `with = path::to::function` as its own key, not inside `redact`",
            ));
        }
        _ => {
            let hint = match kinds::nearest(&name, STRATEGIES.iter().copied()) {
                Some(near) => format!("did you mean `{near}`? "),
                None => String::new(),
            };
            cx.error(
                span,
                format!(
                    "unknown strategy `{name}`; {hint}expected one of hide, last(N), first(N), email, ip_prefix, hash, skip, \
                     or `with = path::to::function`"
                ),
            );
            // Consume `(...)` so that the keys after it are still parsed.
            if input.peek(syn::token::Paren) {
                let content;
                syn::parenthesized!(content in input);
                let _: TokenStream = content.parse()?;
            }
            return Ok(None);
        }
    };
    Ok(Some(StrategySpec { strategy, span }))
}

/// `#[pii]`, `#[oii]` and `#[safe]` classify fields; anywhere else they are a mistake.
pub(crate) fn reject_field_attr(cx: &mut Ctxt, attr: &Attribute, place: &str) {
    for name in ["pii", "oii", "safe"] {
        if is(attr, name) {
            cx.error_spanned(
                attr,
                format!("`#[{name}]` classifies a field, not {place}: put it on the fields"),
            );
        }
    }
}

fn quoted(words: &[&str]) -> String {
    words
        .iter()
        .map(|w| format!("`{w}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) fn path_text(path: &Path) -> String {
    quote::quote!(#path).to_string().replace(' ', "")
}

/// Whether `name` is a `snake_case` name: a lower-case ASCII letter, then lower-case letters,
/// digits and underscores.
fn is_snake_case(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// `name` in `snake_case`, for a suggestion: `"Badge Number"` becomes `"badge_number"`, and a
/// name with nothing to keep becomes `fallback`.
fn snake_case(name: &str, fallback: &str) -> String {
    let mut out = String::new();
    let mut after_lower = false;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            // A capital starts a word after a small letter or digit: `BadgeNumber`, not `ID`.
            if c.is_ascii_uppercase() && after_lower {
                out.push('_');
            }
            after_lower = !c.is_ascii_uppercase();
            out.push(c.to_ascii_lowercase());
        } else {
            after_lower = false;
            if !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
        }
    }
    let trimmed = out
        .trim_matches('_')
        .trim_start_matches(|c: char| c.is_ascii_digit());
    if trimmed.is_empty() {
        fallback.to_owned()
    } else {
        trimmed.to_owned()
    }
}
