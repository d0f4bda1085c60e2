//! Rules over the whole model of `#[privacy::instrument]`. Each adds its errors and lets the
//! others run, so every mistake is reported at once.

use syn::ext::IdentExt;
use syn::spanned::Spanned;

use super::{contains_impl_trait, Args, Binding, Function, Param};
use crate::ctxt::Ctxt;
use crate::kinds::{self, ClassName};

pub(super) fn check(cx: &mut Ctxt, args: &Args, function: &Function) {
    for param in &function.params {
        check_param(cx, args, param);
    }
    check_skip(cx, args, function);
    check_fields(cx, args, function);
    check_output(cx, args, function);
}

fn check_param(cx: &mut Ctxt, args: &Args, param: &Param) {
    let name = param.name().unwrap_or_else(|| "_".to_owned());
    let mut classes = param.attrs.classes.iter();
    if let Some(first) = classes.next() {
        for extra in classes {
            cx.error(
                extra.span,
                if extra.class == first.class {
                    format!(
                        "parameter `{name}` is classified twice with `#[{}]`: merge them into one attribute",
                        first.class.attr()
                    )
                } else {
                    format!(
                        "parameter `{name}` has two classifications, `#[{}]` and `#[{}]`: a value is PII, OII or safe; keep one",
                        first.class.attr(),
                        extra.class.attr()
                    )
                },
            );
        }
        if !first.purposes.is_empty() {
            cx.error(
                first.span,
                format!(
                    "`purposes(...)` on parameter `{name}`: purposes choose who may reveal a value, and a \
                     span records parameters redacted whatever the consent; drop `purposes`"
                ),
            );
        }
    }
    if let Some(subject) = &param.attrs.subject {
        cx.error(
            subject.span,
            "`subject` marks the field of a type that names the person; a parameter has none: \
             drop `#[privacy(subject)]`",
        );
    }
    if matches!(param.binding, Binding::Pattern) && args.skip_all.is_none() {
        cx.error(
            param.span,
            "a destructured parameter cannot be recorded as one value: bind it to a name and \
             destructure it in the body, or add `skip_all`",
        );
    }
}

fn check_skip(cx: &mut Ctxt, args: &Args, function: &Function) {
    if let (Some(keyword), Some(_)) = (&args.skip_keyword, &args.skip_all) {
        cx.error(
            keyword.span(),
            "`skip_all` already leaves out every parameter: drop `skip(...)`",
        );
    }
    let names: Vec<String> = function.params.iter().filter_map(Param::name).collect();
    for skipped in &args.skip {
        let skipped_name = skipped.unraw().to_string();
        if names.contains(&skipped_name) {
            continue;
        }
        let hint = kinds::nearest(&skipped_name, names.iter().map(String::as_str))
            .map(|near| format!("did you mean `{near}`? "))
            .unwrap_or_default();
        let known = if names.is_empty() {
            "it has no parameters".to_owned()
        } else {
            format!(
                "its parameters are {}",
                names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        cx.error(
            skipped.span(),
            format!(
                "`skip({skipped_name})`: `{}` has no parameter `{skipped_name}`; {hint}{known}",
                function.name
            ),
        );
    }
}

/// A field that reads a PII or OII parameter would record what it computes in the clear.
fn check_fields(cx: &mut Ctxt, args: &Args, function: &Function) {
    for field in &args.fields {
        for read in &field.reads {
            let read_name = read.unraw().to_string();
            let Some((param, class)) = function.params.iter().find_map(|param| {
                let class = param.class().filter(|c| c.class != ClassName::Safe)?;
                (param.name()? == read_name).then_some((param, class))
            }) else {
                continue;
            };
            let fix = if args.skips(param) {
                String::new()
            } else {
                format!(": without it, `{read_name}` is recorded redacted")
            };
            cx.error(
                read.span(),
                format!(
                    "`fields(...)` reads parameter `{read_name}`, which is `#[{}]`: tracing would record \
                     what the field computes from it in the clear; drop the field{fix}",
                    class.class.attr()
                ),
            );
        }
    }
}

fn check_output(cx: &mut Ctxt, args: &Args, function: &Function) {
    let events: Vec<String> = [&args.ret, &args.err]
        .into_iter()
        .flatten()
        .map(|event| format!("`{}`", event.keyword))
        .collect();
    match &function.output {
        Some(ty) if contains_impl_trait(ty) && !events.is_empty() => {
            let events = events.join(" and ");
            cx.error(
                ty.span(),
                format!(
                    "{events} cannot check an `impl Trait` return type, whose type is hidden: return a \
                     named type that classifies itself, or drop {events}"
                ),
            );
        }
        None => {
            if let Some(err) = &args.err {
                cx.error(
                    err.keyword.span(),
                    format!(
                        "`err` records the `Err` of a `Result`, and `{}` returns nothing: drop `err`",
                        function.name
                    ),
                );
            }
        }
        _ => {}
    }
}
