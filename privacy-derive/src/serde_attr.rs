//! The `#[serde(...)]` attributes that change what `Serialize` writes, read so that the redacted
//! output has the names and shape a `Deserialize` of the same type expects. Attributes that only
//! affect deserializing are accepted and ignored; any other attribute that changes serializing
//! and is not supported is an error, never a silent difference.

use syn::meta::ParseNestedMeta;
use syn::{Attribute, ExprPath, LitStr};

use crate::attr::skip_value;
use crate::ctxt::Ctxt;

#[derive(Default)]
pub(crate) struct Container {
    pub(crate) rename: Option<String>,
    pub(crate) rename_all: Option<RenameRule>,
    pub(crate) rename_all_fields: Option<RenameRule>,
    pub(crate) tag: Option<String>,
    pub(crate) content: Option<String>,
    pub(crate) untagged: bool,
    pub(crate) transparent: bool,
}

#[derive(Default)]
pub(crate) struct Variant {
    pub(crate) rename: Option<String>,
    pub(crate) rename_all: Option<RenameRule>,
    pub(crate) skip: bool,
}

#[derive(Default)]
pub(crate) struct Field {
    pub(crate) rename: Option<String>,
    pub(crate) skip: bool,
    pub(crate) skip_if: Option<ExprPath>,
    pub(crate) flatten: bool,
}

/// Attributes that only change deserializing: accepted, ignored.
const DESERIALIZE_ONLY: &[&str] = &[
    "alias",
    "borrow",
    "default",
    "deny_unknown_fields",
    "deserialize_with",
    "expecting",
    "from",
    "other",
    "skip_deserializing",
    "try_from",
];

/// Attributes that change serializing and are not supported.
const UNSUPPORTED: &[&str] = &[
    "bound",
    "crate",
    "field_identifier",
    "getter",
    "into",
    "remote",
    "serialize_with",
    "variant_identifier",
    "with",
];

fn each(
    cx: &mut Ctxt,
    attrs: &[Attribute],
    mut f: impl FnMut(&mut Ctxt, &str, &ParseNestedMeta) -> syn::Result<bool>,
) {
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("serde")) {
        let result = attr.parse_nested_meta(|meta| {
            let key = meta.path.get_ident().map(ToString::to_string).unwrap_or_default();
            if f(cx, &key, &meta)? {
                return Ok(());
            }
            skip_value(&meta)?;
            if DESERIALIZE_ONLY.contains(&key.as_str()) {
                return Ok(());
            }
            let message = if UNSUPPORTED.contains(&key.as_str()) {
                format!(
                    "`#[serde({key})]` is not supported by `#[derive(Privacy)]`: the redacted `Serialize` could \
                     not write what serde's derive would"
                )
            } else {
                format!("`#[serde({key})]` is not supported here by `#[derive(Privacy)]`")
            };
            cx.error_spanned(&meta.path, message);
            Ok(())
        });
        if let Err(error) = result {
            cx.syn_error(error);
        }
    }
}

/// `= "name"`, or `(serialize = "name", deserialize = "...")`: the name used when serializing.
fn serialize_name(meta: &ParseNestedMeta) -> syn::Result<Option<LitStr>> {
    if meta.input.peek(syn::Token![=]) {
        return Ok(Some(meta.value()?.parse()?));
    }
    let mut name = None;
    meta.parse_nested_meta(|inner| {
        let lit: LitStr = inner.value()?.parse()?;
        if inner.path.is_ident("serialize") {
            name = Some(lit);
        }
        Ok(())
    })?;
    Ok(name)
}

fn rule(cx: &mut Ctxt, meta: &ParseNestedMeta) -> syn::Result<Option<RenameRule>> {
    let Some(lit) = serialize_name(meta)? else {
        return Ok(None);
    };
    let rule = RenameRule::from_str(&lit.value());
    if rule.is_none() {
        cx.error(
            lit.span(),
            format!(
                "unknown rename rule {:?}; expected one of \"lowercase\", \"UPPERCASE\", \"PascalCase\", \
                 \"camelCase\", \"snake_case\", \"SCREAMING_SNAKE_CASE\", \"kebab-case\", \"SCREAMING-KEBAB-CASE\"",
                lit.value()
            ),
        );
    }
    Ok(rule)
}

pub(crate) fn container(cx: &mut Ctxt, attrs: &[Attribute]) -> Container {
    let mut out = Container::default();
    each(cx, attrs, |cx, key, meta| {
        match key {
            "rename" => out.rename = serialize_name(meta)?.map(|lit| lit.value()),
            "rename_all" => out.rename_all = rule(cx, meta)?,
            "rename_all_fields" => out.rename_all_fields = rule(cx, meta)?,
            "tag" => out.tag = Some(meta.value()?.parse::<LitStr>()?.value()),
            "content" => out.content = Some(meta.value()?.parse::<LitStr>()?.value()),
            "untagged" => out.untagged = true,
            "transparent" => out.transparent = true,
            _ => return Ok(false),
        }
        Ok(true)
    });
    out
}

pub(crate) fn variant(cx: &mut Ctxt, attrs: &[Attribute]) -> Variant {
    let mut out = Variant::default();
    each(cx, attrs, |cx, key, meta| {
        match key {
            "rename" => out.rename = serialize_name(meta)?.map(|lit| lit.value()),
            "rename_all" => out.rename_all = rule(cx, meta)?,
            "skip" | "skip_serializing" => out.skip = true,
            _ => return Ok(false),
        }
        Ok(true)
    });
    out
}

pub(crate) fn field(cx: &mut Ctxt, attrs: &[Attribute]) -> Field {
    let mut out = Field::default();
    each(cx, attrs, |_, key, meta| {
        match key {
            "rename" => out.rename = serialize_name(meta)?.map(|lit| lit.value()),
            "skip" | "skip_serializing" => out.skip = true,
            "skip_serializing_if" => out.skip_if = Some(meta.value()?.parse::<LitStr>()?.parse()?),
            "flatten" => out.flatten = true,
            _ => return Ok(false),
        }
        Ok(true)
    });
    out
}

/// serde's `rename_all` rules, applied as serde applies them: to field names written in
/// `snake_case` and variant names written in `PascalCase`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum RenameRule {
    Lower,
    Upper,
    Pascal,
    Camel,
    Snake,
    ScreamingSnake,
    Kebab,
    ScreamingKebab,
}

impl RenameRule {
    fn from_str(rule: &str) -> Option<Self> {
        Some(match rule {
            "lowercase" => RenameRule::Lower,
            "UPPERCASE" => RenameRule::Upper,
            "PascalCase" => RenameRule::Pascal,
            "camelCase" => RenameRule::Camel,
            "snake_case" => RenameRule::Snake,
            "SCREAMING_SNAKE_CASE" => RenameRule::ScreamingSnake,
            "kebab-case" => RenameRule::Kebab,
            "SCREAMING-KEBAB-CASE" => RenameRule::ScreamingKebab,
            _ => return None,
        })
    }

    pub(crate) fn apply_to_variant(self, variant: &str) -> String {
        match self {
            RenameRule::Pascal => variant.to_owned(),
            RenameRule::Lower => variant.to_ascii_lowercase(),
            RenameRule::Upper => variant.to_ascii_uppercase(),
            RenameRule::Camel => lowercase_first(variant),
            RenameRule::Snake => {
                let mut snake = String::new();
                for (i, ch) in variant.char_indices() {
                    if i > 0 && ch.is_uppercase() {
                        snake.push('_');
                    }
                    snake.push(ch.to_ascii_lowercase());
                }
                snake
            }
            RenameRule::ScreamingSnake => RenameRule::Snake
                .apply_to_variant(variant)
                .to_ascii_uppercase(),
            RenameRule::Kebab => RenameRule::Snake
                .apply_to_variant(variant)
                .replace('_', "-"),
            RenameRule::ScreamingKebab => RenameRule::ScreamingSnake
                .apply_to_variant(variant)
                .replace('_', "-"),
        }
    }

    pub(crate) fn apply_to_field(self, field: &str) -> String {
        match self {
            RenameRule::Lower | RenameRule::Snake => field.to_owned(),
            RenameRule::Upper | RenameRule::ScreamingSnake => field.to_ascii_uppercase(),
            RenameRule::Pascal => {
                let mut pascal = String::new();
                let mut capitalize = true;
                for ch in field.chars() {
                    if ch == '_' {
                        capitalize = true;
                    } else if capitalize {
                        pascal.push(ch.to_ascii_uppercase());
                        capitalize = false;
                    } else {
                        pascal.push(ch);
                    }
                }
                pascal
            }
            RenameRule::Camel => lowercase_first(&RenameRule::Pascal.apply_to_field(field)),
            RenameRule::Kebab => field.replace('_', "-"),
            RenameRule::ScreamingKebab => RenameRule::ScreamingSnake
                .apply_to_field(field)
                .replace('_', "-"),
        }
    }
}

/// `text` with its first character in ASCII lowercase, as serde's `camelCase` writes it; by
/// character, as a name may start with `é`, and empty when `__` leaves nothing.
fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        let mut out = first.to_ascii_lowercase().to_string();
        out.push_str(chars.as_str());
        out
    })
}

#[cfg(test)]
mod tests {
    use super::RenameRule::*;

    #[test]
    fn rules_match_serde() {
        let variants = [
            (
                "Outcome", "outcome", "OUTCOME", "Outcome", "outcome", "outcome", "OUTCOME",
                "outcome", "OUTCOME",
            ),
            (
                "VeryTasty",
                "verytasty",
                "VERYTASTY",
                "VeryTasty",
                "veryTasty",
                "very_tasty",
                "VERY_TASTY",
                "very-tasty",
                "VERY-TASTY",
            ),
            ("A", "a", "A", "A", "a", "a", "A", "a", "A"),
            (
                "Z42", "z42", "Z42", "Z42", "z42", "z42", "Z42", "z42", "Z42",
            ),
        ];
        for (original, lower, upper, pascal, camel, snake, screaming, kebab, screaming_kebab) in
            variants
        {
            assert_eq!(Lower.apply_to_variant(original), lower);
            assert_eq!(Upper.apply_to_variant(original), upper);
            assert_eq!(Pascal.apply_to_variant(original), pascal);
            assert_eq!(Camel.apply_to_variant(original), camel);
            assert_eq!(Snake.apply_to_variant(original), snake);
            assert_eq!(ScreamingSnake.apply_to_variant(original), screaming);
            assert_eq!(Kebab.apply_to_variant(original), kebab);
            assert_eq!(ScreamingKebab.apply_to_variant(original), screaming_kebab);
        }
        let fields = [
            (
                "outcome", "OUTCOME", "Outcome", "outcome", "OUTCOME", "outcome", "OUTCOME",
            ),
            (
                "very_tasty",
                "VERY_TASTY",
                "VeryTasty",
                "veryTasty",
                "VERY_TASTY",
                "very-tasty",
                "VERY-TASTY",
            ),
            ("a", "A", "A", "a", "A", "a", "A"),
            ("z42", "Z42", "Z42", "z42", "Z42", "z42", "Z42"),
        ];
        for (original, upper, pascal, camel, screaming, kebab, screaming_kebab) in fields {
            assert_eq!(Upper.apply_to_field(original), upper);
            assert_eq!(Pascal.apply_to_field(original), pascal);
            assert_eq!(Camel.apply_to_field(original), camel);
            assert_eq!(ScreamingSnake.apply_to_field(original), screaming);
            assert_eq!(Kebab.apply_to_field(original), kebab);
            assert_eq!(ScreamingKebab.apply_to_field(original), screaming_kebab);
        }
    }
}
