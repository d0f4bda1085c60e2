//! Rules over the whole model of `#[privacy::instrument]`. Each adds its errors and lets the
//! others run, so every mistake is reported at once.

use syn::ext::IdentExt;
use syn::spanned::Spanned;

use super::{contains_impl_trait, Args, Binding, Function, Param, Reads, UserField};
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

/// A field may read `#[safe]` parameters and names that are not parameters. What it computes
/// from any other parameter, tracing would record in the clear: the only other read allowed is
/// `?name` of a parameter whose type classifies itself (which `expand::checks` makes sure of),
/// its whole value through its redacted `Debug`.
fn check_fields(cx: &mut Ctxt, args: &Args, function: &Function) {
    for field in &args.fields {
        let whole = matches!(field.reads, Reads::Whole(_));
        for read in field.reads.idents() {
            let read_name = read.unraw().to_string();
            let Some(param) = function
                .params
                .iter()
                .find(|param| param.name().as_deref() == Some(read_name.as_str()))
            else {
                continue;
            };
            if let Some(message) = read_error(args, field, param, whole) {
                cx.error(read.span(), message);
            }
        }
    }
}

/// What is wrong with a field that reads `param`, and what to write instead; `None` if the
/// read is allowed.
fn read_error(args: &Args, field: &UserField, param: &Param, whole: bool) -> Option<String> {
    let name = param.name()?;
    let receiver = matches!(param.binding, Binding::Receiver(_));
    let in_the_clear = "tracing would record what the field computes from it in the clear";
    let problem = match param.class() {
        Some(class) if class.class == ClassName::Safe => return None,
        Some(class) => format!("which is `#[{}]`: {in_the_clear}", class.class.attr()),
        // A whole receiver is refused too: nothing checks that its type classifies itself.
        None if whole && !receiver => return None,
        None if receiver => format!(
            "which has no attribute: this attribute cannot see whether its type redacts itself, \
             and {in_the_clear}"
        ),
        None => format!(
            "which has no attribute: its type redacts only the whole value, and {in_the_clear}"
        ),
    };
    let fixes = read_fixes(args, field, param, whole);
    Some(format!(
        "`fields(...)` reads parameter `{name}`, {problem}; {fixes}"
    ))
}

/// What to write instead of a field that reads `param`, a parameter that is not `#[safe]`.
fn read_fixes(args: &Args, field: &UserField, param: &Param, whole: bool) -> String {
    let name = param.name().unwrap_or_default();
    let receiver = matches!(param.binding, Binding::Receiver(_));
    let recorded = !args.skips(param);
    let mut fixes = vec![match (recorded, receiver) {
        (false, _) => "drop the field".to_owned(),
        (true, false) => format!("drop the field (`{name}` is recorded redacted without it)"),
        (true, true) => "drop the field (`self` is recorded redacted without it, if its type \
                         classifies itself)"
            .to_owned(),
    }];
    if param.class().is_none() && !receiver {
        fixes.push(format!("record it whole with `?{name}`"));
    }
    if !whole {
        fixes.push(format!(
            "record a safe value computed in the body instead, with `fields({})` and \
             `tracing::Span::current().record({}, ...)`",
            field.key.declared(),
            field.key.recorded()
        ));
    }
    // A parameter without an attribute that is recorded has a type that classifies itself,
    // which `#[safe]` would contradict.
    if param.class().is_some() || receiver || !recorded {
        fixes.push(format!(
            "mark `{name}` `#[safe]` if it holds nothing personal"
        ));
    }
    let last = fixes.pop().unwrap_or_default();
    if fixes.is_empty() {
        last
    } else {
        format!("{}, or {last}", fixes.join(", "))
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
