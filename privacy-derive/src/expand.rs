//! Code generation from a valid model: `Debug`, `Classified`, and the compile-time checks that
//! need the field types.

use proc_macro2::{Group, Ident, Span, TokenStream, TokenTree};
use quote::{format_ident, quote, quote_spanned, ToTokens};
use syn::spanned::Spanned;
use syn::{DeriveInput, Path};

use crate::ast::{unraw, Body, Field, Input, Style, Variant};
use crate::attr::{ClassAttr, KindSpec, Strategy};
use crate::checks;
use crate::ctxt::Ctxt;
use crate::fallback;
use crate::generics::{holds_map, uses_type_params, where_clause};
use crate::kinds::ClassName;
use crate::markers;
use crate::prop::Treatment;
use crate::valid;

/// The whole derive: model, validation, then either the expansion or the errors with stubs.
pub(crate) fn derive(input: &DeriveInput) -> TokenStream {
    let mut cx = Ctxt::default();
    let model = Input::from_syn(&mut cx, input);
    if let Some(model) = &model {
        valid::check(&mut cx, model);
    }
    match (model, cx.finish()) {
        (Some(model), Ok(())) => expand(&model),
        (model, result) => fallback::expand(input, model.as_ref(), result.err()),
    }
}

fn expand(input: &Input) -> TokenStream {
    let krate = runtime_path(input);
    let debug = debug_impl(input, Mode::Plain);
    let reveal_debug = debug_impl(input, Mode::Reveal);
    let classified = classified_impl(input);
    let safe_checks = checks::safe_checks(input);
    let telemetry = crate::telemetry::telemetry_impl(input);
    let serialize = if cfg!(feature = "serde") {
        crate::ser::serialize_impls(input)
    } else {
        TokenStream::new()
    };
    let valuable = if cfg!(feature = "valuable") {
        crate::valuable::valuable_impl(input)
    } else {
        TokenStream::new()
    };
    let inventory = crate::inventory::registration(input);
    let markers = markers::definitions(input);
    let items = quote!(#markers #debug #reveal_debug #classified #serialize #valuable #telemetry #safe_checks #inventory);
    wrap(&krate, &items)
}

/// The absolute path of the runtime: `::privacy`, or `#[privacy(crate = "...")]`.
pub(crate) fn runtime_path(input: &Input) -> TokenStream {
    if let Some(path) = &input.attrs.krate {
        path.to_token_stream()
    } else {
        quote!(::privacy)
    }
}

/// Puts generated items in an anonymous const, naming the runtime by one alias.
pub(crate) fn wrap(krate: &TokenStream, items: &TokenStream) -> TokenStream {
    // Spanned at the path, so that a wrong `crate = "..."` is reported where it was written.
    let span = krate
        .clone()
        .into_iter()
        .next()
        .map_or_else(Span::call_site, |t| t.span());
    let import = quote_spanned!(span=> use #krate as _privacy;);
    quote! {
        #[doc(hidden)]
        #[allow(non_upper_case_globals, unused_qualifications, unused_extern_crates)]
        const _: () = {
            #import
            #items
        };
    }
}

/// Whether generated code writes the plain redacted output, or the output of a `Reveal` view.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// `Debug`, `Serialize`: every classified field redacted.
    Plain,
    /// `RevealDebug`, `RevealSerialize`: what the permit in `__cx` allows, in the clear.
    Reveal,
}

fn debug_impl(input: &Input, mode: Mode) -> TokenStream {
    let ident = input.ident;
    let (impl_generics, ty_generics, _) = input.generics.split_for_impl();
    let bounds: Vec<TokenStream> = input
        .fields()
        .filter(|field| uses_type_params(&field.ty, input.generics))
        .flat_map(|field| debug_bound(input, field))
        .collect();
    // A generic nested field is written through `RevealDebug` (`DebugField`), in the plain
    // `Debug` to keep the keys of a map apart, in the revealing one so that the probe does
    // not settle on the plain `Debug` where the impl is written.
    let where_clause = where_clause(
        input.generics,
        input.attrs.bound.debug(),
        bounds,
        markers::required_as(input, true, &quote!(_privacy::__private::DebugField)),
    );
    let binds = |field: &Field| match mode {
        Mode::Plain => reads_value(input, field),
        Mode::Reveal => !field.is_skipped(),
    };
    let body = match &input.body {
        Body::Struct(variant) => {
            let copies = packed_copies(input, variant, binds);
            let body = variant_debug(input, variant, mode, |field| self_access(input, field));
            quote!(#copies #body)
        }
        Body::Enum(variants) if variants.is_empty() => quote!(match *self {}),
        Body::Enum(variants) => {
            let arms = variants.iter().map(|variant| {
                let pattern = variant_pattern(variant, binds);
                let body = variant_debug(input, variant, mode, |field| {
                    binding(field).into_token_stream()
                });
                quote!(#pattern => { #body })
            });
            quote!(match self { #(#arms)* })
        }
    };
    match mode {
        Mode::Plain => quote! {
            #[automatically_derived]
            impl #impl_generics ::core::fmt::Debug for #ident #ty_generics #where_clause {
                #[inline]
                fn fmt(&self, __f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    #[allow(unused_imports)]
                    use _privacy::__private::{ViaDenied as _, ViaOwnDebug as _};
                    #body
                }
            }
        },
        Mode::Reveal => {
            let where_clause = with_classified(input, &where_clause);
            quote! {
                #[automatically_derived]
                impl #impl_generics _privacy::__private::RevealDebug for #ident #ty_generics #where_clause {
                    #[inline]
                    fn fmt_revealed(
                        &self,
                        __f: &mut ::core::fmt::Formatter<'_>,
                        __cx: &_privacy::__private::RevealCx<'_>,
                    ) -> ::core::fmt::Result {
                        #[allow(unused_imports)]
                        use _privacy::__private::{
                            NestedPlain as _, NestedReveal as _, NoRawDebug as _, RawClassified as _, RawDebug as _,
                            RawUnwrapped as _,
                        };
                        #body
                    }
                }
            }
        }
    }
}

/// The inferred bounds of an impl that writes the fields `written` selects: safe fields
/// through `value_trait`, nested ones through `nested_trait` (if the required bounds do not
/// cover them already), classified ones through their
/// strategy's trait; only for fields whose type uses a type or const parameter.
pub(crate) fn inferred_bounds(
    input: &Input,
    written: impl Fn(&Field) -> bool,
    value_trait: &TokenStream,
    nested_trait: Option<&TokenStream>,
) -> Vec<TokenStream> {
    input
        .fields()
        .filter(|field| written(field) && uses_type_params(&field.ty, input.generics))
        .flat_map(|field| match field.treatment(input.ident) {
            Treatment::Safe => {
                let ty = &field.ty;
                vec![quote!(#ty: #value_trait)]
            }
            Treatment::Nested if field.safe_keys() => {
                safe_keys_bounds(&field.ty, value_trait, nested_trait.unwrap_or(value_trait))
            }
            Treatment::Nested => {
                let ty = &field.ty;
                nested_trait
                    .map(|nested| quote!(#ty: #nested))
                    .into_iter()
                    .collect()
            }
            Treatment::Recursive => Vec::new(),
            Treatment::Classified(_) => debug_bound(input, field),
        })
        .collect()
}

/// The bounds of a `keys = safe` map of a generic type: what its keys and values need.
fn safe_keys_bounds(
    ty: &syn::Type,
    key_trait: &TokenStream,
    value_trait: &TokenStream,
) -> Vec<TokenStream> {
    vec![
        quote!(<#ty as _privacy::__private::Map>::Key: #key_trait),
        quote!(<#ty as _privacy::__private::Map>::Value: #value_trait),
    ]
}

/// The bounds a field's output needs from a generic field type.
pub(crate) fn debug_bound(input: &Input, field: &Field) -> Vec<TokenStream> {
    let ty = &field.ty;
    let bound = match field.treatment(input.ident) {
        Treatment::Nested if field.safe_keys() => {
            let debug = quote!(::core::fmt::Debug);
            return safe_keys_bounds(ty, &debug, &quote!(_privacy::__private::RevealDebug));
        }
        Treatment::Safe => quote!(::core::fmt::Debug),
        // The required `DebugField` covers it.
        Treatment::Nested | Treatment::Recursive => return Vec::new(),
        Treatment::Classified(attr) => match attr.strategy.as_ref().map(|s| &s.strategy) {
            Some(Strategy::Last(_)) => quote!(_privacy::strategy::LastStrategy),
            Some(Strategy::First(_)) => quote!(_privacy::strategy::FirstStrategy),
            Some(Strategy::Email) => quote!(_privacy::strategy::EmailStrategy),
            Some(Strategy::IpPrefix) => quote!(_privacy::strategy::IpPrefixStrategy),
            Some(Strategy::Hash) => quote!(_privacy::strategy::HashStrategy),
            None | Some(Strategy::Hide | Strategy::Skip | Strategy::With(_)) => return Vec::new(),
        },
    };
    vec![quote!(#ty: #bound)]
}

pub(crate) fn binding(field: &Field) -> Ident {
    format_ident!("__field_{}", field.name)
}

/// `&self.x`, or in a packed struct the copy that `packed_copies` made.
fn self_access(input: &Input, field: &Field) -> TokenStream {
    if input.packed {
        let binding = binding(field);
        quote!(&#binding)
    } else {
        let member = &field.member;
        quote!(&self.#member)
    }
}

/// In a packed struct, a `let` that copies each field `binds` selects into its binding: a
/// reference to a field of a packed struct may be unaligned. As with std's derive, the fields
/// read must be `Copy`, which `PackedField` requires with a message naming the field; its
/// error spares the body the borrow checker's "cannot move out of `self.x`".
pub(crate) fn packed_copies(
    input: &Input,
    variant: &Variant,
    binds: impl Fn(&Field) -> bool,
) -> TokenStream {
    if !input.packed {
        return TokenStream::new();
    }
    let copies = variant
        .fields
        .iter()
        .filter(|field| binds(field))
        .map(|field| {
            let member = &field.member;
            let binding = binding(field);
            let marker = markers::marker(input, field);
            // The error points at the type argument, the field's type: spanned there, the whole
            // call would read as an argument to borrow, and rustc would suggest `&` on the type.
            let ty = &field.ty;
            quote! {
                let #binding = _privacy::__private::packed_field::<#marker, #ty>(self.#member);
            }
        });
    quote!(#(#copies)*)
}

/// Whether the Debug output reads the field's value.
pub(crate) fn reads_value(input: &Input, field: &Field) -> bool {
    match field.treatment(input.ident) {
        Treatment::Classified(attr) => !matches!(
            attr.strategy.as_ref().map(|s| &s.strategy),
            None | Some(Strategy::Hide | Strategy::Skip)
        ),
        _ => true,
    }
}

/// The pattern of a match arm over `self` for `variant`, binding the fields `binds` selects
/// (to `binding(field)`) and ignoring the others.
pub(crate) fn variant_pattern(variant: &Variant, binds: impl Fn(&Field) -> bool) -> TokenStream {
    let ident = variant.ident;
    match variant.style {
        Style::Unit => quote!(Self::#ident),
        Style::Named => {
            let bound = variant.fields.iter().filter(|f| binds(f)).map(|field| {
                let member = &field.member;
                let binding = binding(field);
                quote!(#member: #binding)
            });
            quote!(Self::#ident { #(#bound,)* .. })
        }
        Style::Tuple => {
            let pats = variant.fields.iter().map(|field| {
                if binds(field) {
                    binding(field).into_token_stream()
                } else {
                    quote!(_)
                }
            });
            quote!(Self::#ident(#(#pats),*))
        }
    }
}

/// The `Debug` body of a struct or of one variant, reading each field through `access`.
fn variant_debug(
    input: &Input,
    variant: &Variant,
    mode: Mode,
    access: impl Fn(&Field) -> TokenStream,
) -> TokenStream {
    let name = unraw(variant.ident);
    if variant.style == Style::Unit {
        return quote!(::core::fmt::Formatter::write_str(__f, #name));
    }
    let shown: Vec<&Field> = variant.fields.iter().filter(|f| !f.is_skipped()).collect();
    let parts: Vec<(Option<String>, TokenStream)> = shown
        .iter()
        .map(|field| {
            let value = match mode {
                Mode::Plain => match hidden_text(input, field) {
                    Some(text) => return (Some(text), TokenStream::new()),
                    None => field_value(input, variant, field, &access(field)),
                },
                Mode::Reveal => revealed_value(input, variant, field, &access(field), false),
            };
            let value = if field.may_be_unsized(input) {
                quote!(&#value)
            } else {
                value
            };
            (None, value)
        })
        .collect();
    let non_exhaustive = shown.len() < variant.fields.len();
    let write = debug_fields(&name, variant.style, &shown, &parts, non_exhaustive);
    match mode {
        Mode::Plain => write,
        Mode::Reveal => {
            let enter = enter_subject(input);
            quote!(#enter #write)
        }
    }
}

/// The `&dyn Debug` shown for one field.
pub(crate) fn field_value(
    input: &Input,
    variant: &Variant,
    field: &Field,
    access: &TokenStream,
) -> TokenStream {
    let attr = match field.treatment(input.ident) {
        Treatment::Classified(attr) => attr,
        Treatment::Safe => return access.clone(),
        // A map, a container of one, or a value of a type parameter (which may be one) is
        // written through its revealing `Debug` with nothing revealed, which writes each
        // classified key apart; any other value through its own redacted `Debug`.
        Treatment::Nested
            if !field.safe_keys()
                && (holds_map(&field.ty) || uses_type_params(&field.ty, input.generics)) =>
        {
            let access = unsized_ref(input, field, access);
            return quote!(&(&&_privacy::__private::PlainProbe(#access)).plain_debug());
        }
        Treatment::Nested | Treatment::Recursive if !field.safe_keys() => return access.clone(),
        // Through its revealing `Debug` when its values have one, so that a map among them
        // writes its keys apart too.
        Treatment::Nested | Treatment::Recursive => {
            // A map is sized: its view needs no reference to its reference.
            let view = field.nested_view(access);
            return quote!(&(&&_privacy::__private::PlainProbe(#view)).plain_debug());
        }
    };
    let domain = hash_domain(input, variant, field);
    redacted_value(&quote!(_privacy), attr, &field.ty, access, &domain)
}

/// `access`, or a reference to it where the field may be unsized: the probes answer with a
/// `&dyn`, which an unsized value cannot be.
pub(crate) fn unsized_ref(input: &Input, field: &Field, access: &TokenStream) -> TokenStream {
    if field.may_be_unsized(input) {
        quote!(&#access)
    } else {
        access.clone()
    }
}

/// The placeholder of a field shown with `hide`: constant text, known at compile time.
fn hidden_text(input: &Input, field: &Field) -> Option<String> {
    let Treatment::Classified(attr) = field.treatment(input.ident) else {
        return None;
    };
    match attr.strategy.as_ref().map(|s| &s.strategy) {
        None | Some(Strategy::Hide) => Some(attr.labels().0),
        Some(_) => None,
    }
}

/// The texts of a derived `Debug`, `{:?}` and `{:#?}` alike, one more than its values: every
/// run of constant text (names, punctuation, placeholders) merged into one.
#[derive(Default)]
struct Texts {
    texts: Vec<String>,
}

impl Texts {
    fn text(&mut self, text: &str) {
        match self.texts.last_mut() {
            Some(last) => last.push_str(text),
            None => self.texts.push(text.to_owned()),
        }
    }

    fn value(&mut self) {
        if self.texts.is_empty() {
            self.texts.push(String::new());
        }
        self.texts.push(String::new());
    }
}

/// A call of `debug_fields`: the `Debug` of a struct or variant with fields, shaped exactly as
/// `debug_struct`/`debug_tuple` would write it, in `{:?}` and in `{:#?}`. A field whose `parts`
/// entry has a text (a hidden placeholder) is written as constant text, the others as values.
fn debug_fields(
    name: &str,
    style: Style,
    shown: &[&Field],
    parts: &[(Option<String>, TokenStream)],
    non_exhaustive: bool,
) -> TokenStream {
    let named = style == Style::Named;
    let mut plain = Texts::default();
    let mut pretty = Texts::default();
    plain.text(name);
    pretty.text(name);
    if shown.is_empty() {
        if non_exhaustive {
            let rest = if named { " { .. }" } else { "(..)" };
            plain.text(rest);
            pretty.text(rest);
        }
    } else {
        plain.text(if named { " { " } else { "(" });
        pretty.text(if named { " {\n" } else { "(\n" });
        for (i, (field, (hidden, _))) in shown.iter().zip(parts).enumerate() {
            let label = if named {
                format!("{}: ", field.name)
            } else {
                String::new()
            };
            if i > 0 {
                plain.text(", ");
            }
            plain.text(&label);
            pretty.text(&format!("    {label}"));
            if let Some(text) = hidden {
                plain.text(text);
                pretty.text(text);
            } else {
                plain.value();
                pretty.value();
            }
            pretty.text(",\n");
        }
        if non_exhaustive {
            plain.text(", ..");
            pretty.text("    ..\n");
        }
        plain.text(if named { " }" } else { ")" });
        pretty.text(if named { "}" } else { ")" });
    }
    let (plain, pretty) = (plain.texts, pretty.texts);
    let values = parts
        .iter()
        .filter(|(hidden, _)| hidden.is_none())
        .map(|(_, value)| value);
    quote! {
        _privacy::__private::debug_fields(__f, &[#(#plain),*], &[#(#pretty),*], &[#(#values),*])
    }
}

/// `let __cx = ...`: the context of the value at hand. A value of a type with a
/// `#[privacy(subject)]` field (in any variant of an enum) is about that subject alone: about
/// nobody when the field holds no id or its variant has none, as `Classified::subject` says. A
/// value of a type without one is about its parent's subject.
pub(crate) fn enter_subject(input: &Input) -> TokenStream {
    if let Some(subject) = own_subject(input) {
        quote!(let __cx = __cx.enter_own(#subject);)
    } else {
        quote!(let __cx = __cx.enter(::core::option::Option::None);)
    }
}

/// The subject a value names, `Classified::subject(self)` (which alone reads the subject
/// field), when its type has a subject field.
pub(crate) fn own_subject(input: &Input) -> Option<TokenStream> {
    input
        .fields()
        .any(|field| field.attrs.subject.is_some())
        .then(|| quote!(_privacy::Classified::subject(self)))
}

/// The subject read from the variant's `#[privacy(subject)]` field (through `access`), in the
/// field's namespace, or `None`. A type without `SubjectKey` is reported at the field, by name.
fn subject_of(
    input: &Input,
    variant: &Variant,
    access: &dyn Fn(&Field) -> TokenStream,
) -> TokenStream {
    variant.fields.iter().find_map(|field| Some((field, field.attrs.subject.as_ref()?))).map_or_else(
        || quote!(::core::option::Option::None),
        |(field, subject)| {
            let access = access(field);
            let namespace = &subject.namespace;
            let marker = markers::marker(input, field);
            let span = field.ty.span();
            quote_spanned!(span=> _privacy::__private::subject_id::<#marker, _>(#namespace, #access))
        },
    )
}

/// How generated code reads a field: `&self.x`, or the binding of a match arm or of a packed
/// struct's copy, spanned at the
/// field's type, so that a missing trait (`Serialize`, `Valuable`) is reported at that field.
pub(crate) fn typed_access(input: &Input, field: &Field) -> TokenStream {
    let span = field.ty.span();
    match input.body {
        Body::Struct(_) if input.packed => {
            let binding = binding(field);
            quote_spanned!(span=> &#binding)
        }
        Body::Struct(_) => {
            let member = &field.member;
            quote_spanned!(span=> &self.#member)
        }
        Body::Enum(_) => {
            let mut binding = binding(field);
            binding.set_span(span);
            binding.into_token_stream()
        }
    }
}

/// The value a revealing `Debug` (or, with `serialize`, `Serialize`) writes for a field: a
/// classified field in the clear when the permit allows it, a nested value revealing in turn.
pub(crate) fn revealed_value(
    input: &Input,
    variant: &Variant,
    field: &Field,
    access: &TokenStream,
    serialize: bool,
) -> TokenStream {
    let schema = own_schema(input);
    let (variant_index, position) = (field.variant_index, field.position);
    let sized = unsized_ref(input, field, access);
    match field.treatment(input.ident) {
        Treatment::Safe => access.clone(),
        Treatment::Nested | Treatment::Recursive if serialize => {
            let access = field.nested_view(access);
            quote! {
                &(&&_privacy::__private::NestedSerProbe(#access))
                    .nested_ser(__cx, #schema, #variant_index, #position)
            }
        }
        Treatment::Nested | Treatment::Recursive => {
            let access = if field.safe_keys() {
                field.nested_view(access)
            } else {
                sized.clone()
            };
            quote! {
                &(&&_privacy::__private::NestedProbe(#access))
                    .nested(&__cx, #schema, #variant_index, #position)
            }
        }
        Treatment::Classified(_) => {
            let redacted = field_value(input, variant, field, access);
            if serialize {
                quote! {
                    &_privacy::__private::RevealFieldSer::new(
                        __cx, #schema, #variant_index, #position,
                        (&&&&_privacy::__private::RawSerProbe(#access)).raw_ser(), #redacted)
                }
            } else {
                quote! {
                    _privacy::__private::reveal_field(
                        &__cx, #schema, #variant_index, #position,
                        (&&&&_privacy::__private::RawProbe(#sized)).raw_debug(), #redacted)
                }
            }
        }
    }
}

/// The type's own schema, `<Type<T> as Classified>::SCHEMA`, named so that it reads the same
/// inside the type's impls and in the helper types of its `Serialize`. The impls that name it
/// require `Type<T>: Classified` (`with_classified`).
pub(crate) fn own_schema(input: &Input) -> TokenStream {
    let ident = input.ident;
    let (_, ty_generics, _) = input.generics.split_for_impl();
    quote!(<#ident #ty_generics as _privacy::Classified>::SCHEMA)
}

/// `where_clause` and `Type<T>: Classified`, for an impl that reads the type's schema. A type
/// without type or const parameters is `Classified` already: nothing is added.
pub(crate) fn with_classified(input: &Input, where_clause: &TokenStream) -> TokenStream {
    if input.generics.type_params().next().is_none()
        && input.generics.const_params().next().is_none()
    {
        return where_clause.clone();
    }
    let ident = input.ident;
    let (_, ty_generics, _) = input.generics.split_for_impl();
    let predicate = quote!(#ident #ty_generics: _privacy::Classified,);
    if where_clause.is_empty() {
        quote!(where #predicate)
    } else {
        quote!(#where_clause #predicate)
    }
}

/// The adapter that shows a classified value (`access`, a `&T` of type `ty`) as `attr` says:
/// a `&` expression whose `Debug` and `Serialize` write the redacted form. `krate` names the
/// runtime (`_privacy` inside the derive's const, a full path elsewhere); `domain` separates
/// the pseudonyms of `hash` (`Type.field`, `function.parameter`).
pub(crate) fn redacted_value(
    krate: &TokenStream,
    attr: &ClassAttr,
    ty: &syn::Type,
    access: &TokenStream,
    domain: &str,
) -> TokenStream {
    let (hidden, open) = attr.labels();
    let labels = quote!(#krate::__private::Labels::new(#hidden, #open));
    let span = attr.strategy.as_ref().map_or(attr.span, |s| s.span);
    let Some(strategy) = attr.strategy.as_ref().map(|s| &s.strategy) else {
        return quote!(&#krate::__private::Hidden(#hidden));
    };
    // The adapter's path carries the value type's span, so that an unsatisfied strategy bound
    // points at the field or parameter. The adapters that keep the value take a reference to
    // `access`, which is sized even when the value is not (`str`).
    let at_ty = respanned(krate, ty.span());
    match strategy {
        Strategy::Hide | Strategy::Skip => quote!(&#krate::__private::Hidden(#hidden)),
        Strategy::Last(n) => {
            quote_spanned!(ty.span()=> &#at_ty::__private::Last::new::<#ty>(#labels, #n, &#access))
        }
        Strategy::First(n) => {
            quote_spanned!(ty.span()=> &#at_ty::__private::First::new::<#ty>(#labels, #n, &#access))
        }
        Strategy::Email => {
            quote_spanned!(ty.span()=> &#at_ty::__private::Email::new::<#ty>(#labels, &#access))
        }
        Strategy::IpPrefix => {
            quote_spanned!(ty.span()=> &#at_ty::__private::IpPrefix::new::<#ty>(#labels, #access))
        }
        Strategy::Hash => {
            quote_spanned!(ty.span()=> &#at_ty::__private::Hash::new::<#ty>(#labels, #domain, &#access))
        }
        Strategy::With(path) => {
            let path = user_path(path);
            let krate = respanned(krate, span);
            quote_spanned!(span=> &#krate::__private::With::<_>::new::<#ty>(#labels, #access, #path))
        }
    }
}

/// A path written in an attribute (`with = ...`, `skip_serializing_if = "..."`), to resolve as
/// written but apart from the locals of the generated code (`__f`, `__state`, the bindings of
/// a match arm), which could otherwise shadow the user's function of that name. Every such
/// local starts with `__`: a path that does too gets mixed-site hygiene, at the spans where it
/// was written. Others are left as they are, since rustc adds a note about the derive to the
/// errors of a path with mixed-site hygiene.
pub(crate) fn user_path(path: &impl ToTokens) -> TokenStream {
    fn apart(tokens: TokenStream) -> TokenStream {
        tokens
            .into_iter()
            .map(|token| match token {
                TokenTree::Group(group) => {
                    let mut apart = Group::new(group.delimiter(), apart(group.stream()));
                    apart.set_span(Span::mixed_site().located_at(group.span()));
                    TokenTree::Group(apart)
                }
                mut token => {
                    token.set_span(Span::mixed_site().located_at(token.span()));
                    token
                }
            })
            .collect()
    }
    let tokens = path.to_token_stream();
    let first = tokens.clone().into_iter().next();
    if matches!(&first, Some(TokenTree::Ident(ident)) if ident.to_string().starts_with("__")) {
        apart(tokens)
    } else {
        tokens
    }
}

/// `tokens` with every token at `span`.
fn respanned(tokens: &TokenStream, span: Span) -> TokenStream {
    tokens
        .clone()
        .into_iter()
        .map(|mut token| {
            token.set_span(span);
            token
        })
        .collect()
}

/// `Type.field`, or `Type::Variant.field`: keeps equal values in different fields apart.
fn hash_domain(input: &Input, variant: &Variant, field: &Field) -> String {
    let ty = unraw(input.ident);
    match &input.body {
        Body::Struct(_) => format!("{ty}.{}", field.name),
        Body::Enum(_) => format!("{ty}::{}.{}", unraw(variant.ident), field.name),
    }
}

fn classified_impl(input: &Input) -> TokenStream {
    let ident = input.ident;
    let (impl_generics, ty_generics, _) = input.generics.split_for_impl();
    let bounds = input
        .fields()
        .filter(|field| {
            field.attrs.subject.is_some() && uses_type_params(&field.ty, input.generics)
        })
        .map(|field| {
            let ty = &field.ty;
            let marker = markers::marker(input, field);
            quote!(#ty: _privacy::__private::SubjectField<#marker>)
        })
        .collect();
    let where_clause = where_clause(
        input.generics,
        input.attrs.bound.classified(),
        bounds,
        markers::required(input, false),
    );
    let subject = subject_fn(input);

    let mut schema = SchemaBuilder::default();
    schema.scan(input);
    let pii = schema.carries(|n| quote!(#n.pii), schema.direct_pii);
    let oii = schema.carries(|n| quote!(#n.oii), schema.direct_oii);
    let mut fields = schema.fields(input, &pii, &oii).into_iter();
    let shape = match &input.body {
        Body::Struct(_) => quote!(_privacy::Shape::Struct(&[#(#fields),*])),
        Body::Enum(variants) => {
            let variants = variants.iter().map(|variant| {
                let name = unraw(variant.ident);
                let fields = fields.by_ref().take(variant.fields.len());
                quote!(_privacy::Variant { name: #name, fields: &[#(#fields),*] })
            });
            quote!(_privacy::Shape::Enum(&[#(#variants),*]))
        }
    };
    let lets = &schema.lets;
    // `with` functions are named here too: the `Debug` impl is `#[automatically_derived]`, which
    // dead-code analysis ignores, and a function used only there would be reported as unused.
    // The closure is never called; it type-checks exactly like the `Debug` code, so any error
    // is the same diagnostic at the same span, reported once.
    let with_uses: Vec<TokenStream> = input
        .fields()
        .filter_map(|field| match field.treatment(input.ident) {
            Treatment::Classified(attr) => match attr.strategy.as_ref().map(|s| &s.strategy) {
                Some(Strategy::With(_)) => {
                    let value = field_value(input, &input.variants()[0], field, &quote!(__value));
                    let ty = &field.ty;
                    Some(quote!(let _ = |__value: &#ty| { let _ = #value; };))
                }
                _ => None,
            },
            _ => None,
        })
        .collect();
    let type_name = unraw(ident);
    let entry_fns = checks::entry_fns(input, &where_clause, false);
    let generic = input.generics.type_params().next().is_some()
        || input.generics.const_params().next().is_some();
    let paths = path_impls(input, &where_clause);
    quote! {
        #entry_fns

        // One per type definition: its address is the type's identity.
        static __PRIVACY_ANCHOR: _privacy::__private::TypeAnchor =
            _privacy::__private::TypeAnchor::new(::core::module_path!(), #generic);

        #[automatically_derived]
        impl #impl_generics _privacy::Classified for #ident #ty_generics #where_clause {
            const SCHEMA: &'static _privacy::Schema = {
                #(#with_uses)*
                #(#lets)*
                &_privacy::Schema {
                    type_name: #type_name,
                    shape: #shape,
                    carries_pii: #pii,
                    carries_oii: #oii,
                    identity: ::core::option::Option::Some(
                        _privacy::TypeIdentity::of::<Self>(&__PRIVACY_ANCHOR)),
                }
            };

            #subject
        }

        #paths
    }
}

/// What `privacy::field!` walks through: the type is where a path stops (`Element`), and each
/// field without an attribute says its type (`FieldType`), so that a path can go on into it.
fn path_impls(input: &Input, where_clause: &TokenStream) -> TokenStream {
    let ident = input.ident;
    let (impl_generics, ty_generics, own_where) = input.generics.split_for_impl();
    let fields = input
        .fields()
        .filter(|field| {
            matches!(
                field.treatment(input.ident),
                Treatment::Nested | Treatment::Recursive
            )
        })
        .map(|field| {
            let (variant, position) = (field.variant_index, field.position);
            // `Self` spelled out: a `Self<T>` the field's type may hold is reported there, once.
            let ty = field.schema_ty(&checks::outside_self(input, &field.ty));
            quote! {
                #[automatically_derived]
                impl #impl_generics _privacy::__private::FieldType<#variant, #position>
                    for #ident #ty_generics #own_where
                {
                    type Type = #ty;
                }
            }
        });
    quote! {
        #[automatically_derived]
        impl #impl_generics _privacy::__private::Element for #ident #ty_generics #where_clause {
            type Element = Self;
            const ROOT: bool = true;
        }

        #(#fields)*
    }
}

/// `Classified::subject`, for a type with a `#[privacy(subject)]` field (in some variant).
fn subject_fn(input: &Input) -> TokenStream {
    if !input.fields().any(|field| field.attrs.subject.is_some()) {
        return TokenStream::new();
    }
    let body = match &input.body {
        Body::Struct(variant) => {
            let copies = packed_copies(input, variant, |field| field.attrs.subject.is_some());
            let subject = subject_of(input, variant, &|field| self_access(input, field));
            quote!(#copies #subject)
        }
        Body::Enum(variants) => {
            let arms = variants.iter().map(|variant| {
                let pattern = variant_pattern(variant, |field| field.attrs.subject.is_some());
                let subject =
                    subject_of(input, variant, &|field| binding(field).into_token_stream());
                quote!(#pattern => #subject,)
            });
            quote!(match self { #(#arms)* })
        }
    };
    quote! {
        #[inline]
        fn subject(&self) -> ::core::option::Option<_privacy::SubjectId> {
            #body
        }
    }
}

/// Collects what the schema constant needs: one `let` per nested field, and whether any field
/// of the type itself is PII or OII.
#[derive(Default)]
struct SchemaBuilder {
    lets: Vec<TokenStream>,
    /// The binding of each nested field, by its position among all fields.
    nested: Vec<Option<Ident>>,
    direct_pii: bool,
    direct_oii: bool,
}

impl SchemaBuilder {
    fn scan(&mut self, input: &Input) {
        for (index, _, field) in input.indexed_fields() {
            let mut binding = None;
            match field.treatment(input.ident) {
                Treatment::Nested => {
                    let name = format_ident!("__nested_{}", index);
                    let entry = checks::entry_call(input, index, false);
                    let field_name = &field.name;
                    let subject = field.attrs.subject.is_some();
                    self.lets.push(quote! {
                        let #name = #entry(::core::marker::PhantomData, #field_name, #subject);
                    });
                    binding = Some(name);
                }
                Treatment::Classified(attr) => match attr.class {
                    ClassName::Pii => self.direct_pii = true,
                    ClassName::Oii => self.direct_oii = true,
                    ClassName::Safe => {}
                },
                Treatment::Safe | Treatment::Recursive => {}
            }
            self.nested.push(binding);
        }
    }

    /// `true`, or the nested fields' flags joined by `||`, or `false`.
    fn carries(&self, flag: impl Fn(&Ident) -> TokenStream, direct: bool) -> TokenStream {
        if direct {
            return quote!(true);
        }
        let terms: Vec<TokenStream> = self.nested.iter().flatten().map(flag).collect();
        if terms.is_empty() {
            quote!(false)
        } else {
            quote!(#(#terms)||*)
        }
    }

    /// The schema entries of every field, by position among all fields.
    fn fields(&self, input: &Input, pii: &TokenStream, oii: &TokenStream) -> Vec<TokenStream> {
        input
            .indexed_fields()
            .map(|(index, _, field)| {
                let name = &field.name;
                let subject = field.attrs.subject.is_some();
                let purposes = field
                    .attrs
                    .purposes
                    .iter()
                    .flat_map(|(_, paths)| paths.iter().map(purpose_path));
                let with_purposes = |entry: TokenStream| {
                    if field.attrs.purposes.is_some() {
                        quote!(_privacy::__private::with_purposes(#entry, &[#(#purposes),*]))
                    } else {
                        entry
                    }
                };
                match field.treatment(input.ident) {
                    Treatment::Nested => {
                        let binding = &self.nested[index];
                        with_purposes(quote!(#binding.field))
                    }
                    Treatment::Recursive => {
                        let entry = checks::entry_call(input, index, true);
                        with_purposes(
                            quote!(#entry(::core::marker::PhantomData, #name, #subject, _privacy::Class::carried(#pii, #oii))),
                        )
                    }
                    Treatment::Safe => quote! {
                        _privacy::Field {
                            name: #name,
                            class: _privacy::Class::Safe,
                            kind: ::core::option::Option::None,
                            strategy: ::core::option::Option::None,
                            purposes: &[],
                            subject: #subject,
                            nested: ::core::option::Option::None,
                        }
                    },
                    Treatment::Classified(attr) => classified_field(name, subject, attr),
                }
            })
            .collect()
    }
}

pub(crate) fn classified_field(name: &str, subject: bool, attr: &ClassAttr) -> TokenStream {
    let class = attr.class.variant();
    let kind = match &attr.kind {
        Some(KindSpec::BuiltIn(kind)) => {
            let variant = Ident::new(kind.variant, Span::call_site());
            quote!(::core::option::Option::Some(_privacy::Kind::#variant))
        }
        Some(KindSpec::Custom(name)) => {
            quote!(::core::option::Option::Some(_privacy::Kind::Custom(#name)))
        }
        None => quote!(::core::option::Option::None),
    };
    let strategy = match attr.strategy.as_ref().map(|s| &s.strategy) {
        None | Some(Strategy::Hide) => quote!(Hide),
        Some(Strategy::Last(n)) => quote!(Last(#n)),
        Some(Strategy::First(n)) => quote!(First(#n)),
        Some(Strategy::Email) => quote!(Email),
        Some(Strategy::IpPrefix) => quote!(IpPrefix),
        Some(Strategy::Hash) => quote!(Hash),
        Some(Strategy::With(path)) => {
            let text = crate::attr::path_text(path);
            quote!(With(#text))
        }
        Some(Strategy::Skip) => quote!(Skip),
    };
    let purposes = attr.purposes.iter().map(purpose_path);
    quote! {
        _privacy::Field {
            name: #name,
            class: _privacy::Class::#class,
            kind: #kind,
            strategy: ::core::option::Option::Some(_privacy::Strategy::#strategy),
            purposes: &[#(#purposes),*],
            subject: #subject,
            nested: ::core::option::Option::None,
        }
    }
}

const BUILT_IN_PURPOSES: &[&str] = &[
    "Diagnostics",
    "Support",
    "ProductImprovement",
    "Personalization",
    "Analytics",
];

/// `purpose_name::<P>()` of a purpose named in `purposes(...)`, spanned at the name, so that a
/// purpose that is not one, or whose name breaks a rule, is reported where it is written. A
/// built-in purpose may be named bare (`purposes(Support)`); any other path is the user's.
fn purpose_path(path: &Path) -> TokenStream {
    let span = path.span();
    let purpose = match path.get_ident() {
        Some(ident) if BUILT_IN_PURPOSES.contains(&ident.to_string().as_str()) => {
            quote_spanned!(span=> _privacy::purpose::#ident)
        }
        _ => quote_spanned!(span=> #path),
    };
    let krate = respanned(&quote!(_privacy), span);
    quote_spanned!(span=> #krate::__private::purpose_name::<#purpose>())
}
