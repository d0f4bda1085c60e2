//! Rules that span several attributes or fields. Each rule adds its errors and lets the others
//! run, so every mistake is reported at once.

use syn::spanned::Spanned;

use crate::ast::{Body, Input, Style, Variant};
use crate::ctxt::Ctxt;
use crate::prop::Treatment;

pub(crate) fn check(cx: &mut Ctxt, input: &Input) {
    for variant in input.variants() {
        one_class_per_field(cx, variant);
        one_subject(cx, variant);
        safe_keys(cx, input, variant);
        nested_purposes(cx, variant);
    }
    serde_shape(cx, input);
    skip_if_on_classified(cx, input);
    telemetry_rules(cx, input);
}

/// A telemetry event carries PII or OII only with consent for a purpose: every classified field
/// must say which purposes.
fn telemetry_rules(cx: &mut Ctxt, input: &Input) {
    let Some(telemetry) = &input.attrs.telemetry else {
        return;
    };
    let variant = match &input.body {
        Body::Struct(variant) if variant.style == Style::Named || variant.fields.is_empty() => {
            variant
        }
        _ => {
            cx.error(telemetry.span, "a telemetry event is a struct with named fields: each becomes a field of the event");
            return;
        }
    };
    if input.packed {
        cx.error(
            telemetry.span,
            "a telemetry event cannot be `#[repr(packed)]`: the event borrows the values of its fields, \
             and a reference to a field of a packed struct may be unaligned",
        );
    }
    for field in &variant.fields {
        let Treatment::Classified(attr) = field.treatment(input.ident) else {
            continue;
        };
        if attr.purposes.is_empty() && !field.is_skipped() {
            cx.error(
                attr.span,
                format!(
                    "field `{}` of telemetry type `{}` is {} without `purposes(...)`: telemetry carries personal \
                     or organizational data only with the person's consent for a purpose; add \
                     `purposes(Diagnostics)` (or the purposes it may be sent for), or `redact = skip` to leave \
                     it out of the event",
                    field.name,
                    input.ident,
                    attr.class.upper()
                ),
            );
        }
    }
}

/// The `#[serde(...)]` combinations the redacted `Serialize` cannot write as serde would.
fn serde_shape(cx: &mut Ctxt, input: &Input) {
    let span = input.ident.span();
    let serde = &input.serde;
    let is_enum = matches!(input.body, Body::Enum(_));
    if serde.content.is_some() && serde.tag.is_none() {
        cx.error(
            span,
            "`#[serde(content = \"...\")]` needs `#[serde(tag = \"...\")]` too",
        );
    }
    if serde.untagged && serde.tag.is_some() {
        cx.error(
            span,
            "`#[serde(untagged)]` and `#[serde(tag = \"...\")]` cannot be combined",
        );
    }
    if let Body::Struct(variant) = &input.body {
        if serde.untagged {
            cx.error(span, "`#[serde(untagged)]` applies to enums only");
        }
        if serde.tag.is_some() && variant.style != Style::Named {
            cx.error(
                span,
                "`#[serde(tag = \"...\")]` on a struct needs named fields",
            );
        }
        let written = variant
            .fields
            .iter()
            .filter(|f| !f.serde.skip && !f.is_skipped())
            .count();
        if serde.transparent && written != 1 {
            cx.error(
                span,
                "`#[serde(transparent)]` needs exactly one field that is not skipped",
            );
        }
        if variant.style == Style::Tuple && variant.fields.len() == 1 && written == 0 {
            cx.error(span, "the only field of a newtype struct cannot be skipped");
        }
    } else if serde.transparent {
        cx.error(span, "`#[serde(transparent)]` applies to structs only");
    }
    for variant in input.variants() {
        let internally_tagged =
            is_enum && serde.tag.is_some() && serde.content.is_none() && !serde.untagged;
        if internally_tagged && variant.style == Style::Tuple && variant.fields.len() != 1 {
            cx.error(
                variant.ident.span(),
                "`#[serde(tag = \"...\")]` cannot be used with tuple variants, as with serde's own derive",
            );
        }
        if internally_tagged
            && variant.style == Style::Tuple
            && variant.fields.len() == 1
            && !variant.serde.skip
            && matches!(
                variant.fields[0].treatment(input.ident),
                Treatment::Classified(_)
            )
        {
            cx.error(
                variant.ident.span(),
                "a newtype variant of an internally tagged enum must hold a struct or map to put the tag in, \
                 and a classified field is written as a single string (its redacted text); wrap it in a \
                 struct, or use `#[serde(tag = \"...\", content = \"...\")]`",
            );
        }
        for field in &variant.fields {
            if !field.serde.flatten {
                continue;
            }
            let span = field.member.span();
            if is_enum || variant.style != Style::Named {
                cx.error(
                    span,
                    "`#[serde(flatten)]` is supported on fields of structs with named fields",
                );
            } else if matches!(field.treatment(input.ident), Treatment::Classified(_)) {
                cx.error(
                    span,
                    "`#[serde(flatten)]` on a classified field: its redacted form is a string, which has no \
                     fields to flatten",
                );
            }
        }
    }
}

/// `skip_serializing_if` on a classified field would tell what the predicate answered about the
/// raw value.
fn skip_if_on_classified(cx: &mut Ctxt, input: &Input) {
    for field in input.variants().iter().flat_map(|variant| &variant.fields) {
        if let (Some(path), Treatment::Classified(attr)) =
            (&field.serde.skip_if, field.treatment(input.ident))
        {
            if !field.is_skipped() {
                cx.error_spanned(
                path,
                format!(
                    "`skip_serializing_if` on field `{}`, which is `#[{}]`: the predicate reads the raw \
                     value, and whether the field is written would tell what it answered (that an \
                     `Option` holds a value, say), where the redacted output shows nothing of the value; \
                     drop `skip_serializing_if`, or leave the field out of every output with `redact = skip`",
                    field.name,
                    attr.class.attr()
                ),
            );
            }
        }
    }
}

fn one_class_per_field(cx: &mut Ctxt, variant: &Variant) {
    for field in &variant.fields {
        let mut classes = field.attrs.classes.iter();
        let Some(first) = classes.next() else {
            continue;
        };
        for extra in classes {
            let same = extra.class == first.class;
            cx.error(
                extra.span,
                if same {
                    format!("field `{}` is classified twice with `#[{}]`: merge them into one attribute", field.name, first.class.attr())
                } else {
                    format!(
                        "field `{}` has two classifications, `#[{}]` and `#[{}]`: a field is PII, OII or safe; keep one",
                        field.name,
                        first.class.attr(),
                        extra.class.attr()
                    )
                },
            );
        }
    }
}

/// `#[privacy(purposes(...))]` is for a field whose type classifies itself: a classified field
/// names its purposes in its own attribute, and a safe field is never redacted.
fn nested_purposes(cx: &mut Ctxt, variant: &Variant) {
    for field in &variant.fields {
        let (Some((span, _)), Some(class)) = (&field.attrs.purposes, field.attrs.classes.first())
        else {
            continue;
        };
        let message = if class.class == crate::kinds::ClassName::Safe {
            format!(
                "`purposes(...)` on field `{}`, which is `#[safe]`: purposes restrict who may reveal a \
                 classified value, and a safe field is never redacted; drop one of them",
                field.name
            )
        } else {
            format!(
                "`#[privacy(purposes(...))]` on field `{}`, which is `#[{}]`: a classified field names its \
                 purposes in its own attribute, `#[{}(..., purposes(...))]`",
                field.name,
                class.class.attr(),
                class.class.attr()
            )
        };
        cx.error(*span, message);
    }
}

/// `keys = safe` is for a map whose values classify themselves: a field without a
/// classification, outside telemetry events (whose fields are named, not keyed).
fn safe_keys(cx: &mut Ctxt, input: &Input, variant: &Variant) {
    for field in &variant.fields {
        let Some(span) = field.attrs.safe_keys else {
            continue;
        };
        if let Some(class) = field.attrs.classes.first() {
            cx.error(
                span,
                format!(
                    "`keys = safe` on field `{}`, which is `#[{}]`: `keys = safe` is for a map field without \
                     a classification, whose values classify themselves; drop one of them",
                    field.name,
                    class.class.attr()
                ),
            );
        } else if field.map_types().is_none() {
            cx.error(
                span,
                format!(
                    "`keys = safe` on field `{}`, whose type is not written as a map: `keys = safe` is for a \
                     field of type `HashMap<K, V>` or `BTreeMap<K, V>` (written so, not through an alias) whose \
                     values classify themselves",
                    field.name
                ),
            );
        } else if field
            .map_types()
            .is_some_and(|(key, _)| crate::generics::uses_type_params(key, input.generics))
        {
            cx.error(
                span,
                format!(
                    "`keys = safe` on field `{}`, whose key type uses a type parameter: the derive cannot check \
                     that the keys of every instance identify nobody (a `Pii<K>` key would lose its \
                     classification); write the key type, or drop `keys = safe` and let the keys classify themselves",
                    field.name
                ),
            );
        } else if input.attrs.telemetry.is_some() {
            cx.error(
                span,
                format!(
                    "field `{}` of a telemetry type is a map: an event carries named fields, not the entries \
                     of a map; leave it out of the event type",
                    field.name
                ),
            );
        }
    }
}

fn one_subject(cx: &mut Ctxt, variant: &Variant) {
    let mut subjects = variant
        .fields
        .iter()
        .filter_map(|f| f.attrs.subject.as_ref().map(|subject| (f, subject.span)));
    let Some((first, _)) = subjects.next() else {
        return;
    };
    for (_, span) in subjects {
        cx.error(
            span,
            format!(
                "only one field can be `#[privacy(subject)]`, and `{}` already is: a value is about one person",
                first.name
            ),
        );
    }
}
