//! Rules that span several attributes or fields. Each rule adds its errors and lets the others
//! run, so every mistake is reported at once.

use crate::ast::{Input, Variant};
use crate::ctxt::Ctxt;

pub(crate) fn check(cx: &mut Ctxt, input: &Input) {
    for variant in input.variants() {
        one_class_per_field(cx, variant);
        one_subject(cx, variant);
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

fn one_subject(cx: &mut Ctxt, variant: &Variant) {
    let mut subjects = variant
        .fields
        .iter()
        .filter_map(|f| f.attrs.subject.map(|span| (f, span)));
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
