//! What a `fields(...)` value reads: every identifier in its tokens that may name a variable,
//! and every implicit capture of a format string in it.
//!
//! The value is read as tokens rather than as an expression because the body of a macro
//! invocation is only tokens, and a read in `format!`, `vec!` or a macro of the user's own
//! counts as much as any other. Where a token may be a read, it is one: a closure parameter, a
//! `let` or a struct literal's field name that repeats a parameter's name counts as reading the
//! parameter. Only what cannot read a variable is left out: a field or method name after `.`,
//! a path segment after `::`, a macro's name, a label or lifetime, and in a format macro the
//! names of its explicit arguments.

use std::ops::Range;

use proc_macro2::{Literal, Spacing, TokenStream, TokenTree};
use syn::ext::IdentExt;
use syn::parse::Parser;
use syn::{Ident, Lit};

/// Every identifier in `tokens` that may read a variable, in order, each with the span of
/// where it is read: a capture has the span of its text inside the literal where the compiler
/// gives one, of the whole literal otherwise.
pub(super) fn variables(tokens: TokenStream) -> Vec<Ident> {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut reads = Vec::new();
    scan(&trees, &FormatArgs::default(), &mut reads);
    reads
}

/// What a format macro's arguments make of its tokens: the format string, and the explicit
/// named arguments, whose names its `{name}` means instead of variables.
#[derive(Default)]
struct FormatArgs {
    /// The index of the format string.
    string: Option<usize>,
    /// The indices of the names in `name = value`.
    name_at: Vec<usize>,
    names: Vec<String>,
}

fn scan(trees: &[TokenTree], format: &FormatArgs, reads: &mut Vec<Ident>) {
    for (at, tree) in trees.iter().enumerate() {
        match tree {
            TokenTree::Ident(ident) => {
                if !format.name_at.contains(&at) && may_read(trees, at) {
                    reads.push(ident.clone());
                }
            }
            TokenTree::Group(group) => {
                let inner: Vec<TokenTree> = group.stream().into_iter().collect();
                let inner_format = invoked_macro(trees, at)
                    .map(|name| FormatArgs::of(name, &inner))
                    .unwrap_or_default();
                scan(&inner, &inner_format, reads);
            }
            TokenTree::Literal(literal) => {
                let names: &[String] = if format.string == Some(at) {
                    &format.names
                } else {
                    &[]
                };
                captures(literal, names, reads);
            }
            TokenTree::Punct(_) => {}
        }
    }
}

/// Whether the identifier at `at` may name a variable.
fn may_read(trees: &[TokenTree], at: usize) -> bool {
    let before = |n: usize| at.checked_sub(n).and_then(|i| trees.get(i));
    let after = |n: usize| trees.get(at + n);
    // `x.phone` and `x.len()` name a field or a method of `x`; `..phone`, a range, reads it.
    let member = is_punct(before(1), '.') && !is_punct(before(2), '.');
    let path_segment = is_punct(before(1), ':') && is_joint(before(2), ':');
    let lifetime = is_punct(before(1), '\'');
    // `phone!(...)`; not `phone != x`, whose `!` is joint.
    let macro_name = is_alone(after(1), '!') && matches!(after(2), Some(TokenTree::Group(_)));
    !(member || path_segment || lifetime || macro_name)
}

/// The name of the macro whose body is the group at `at`, in `path::name!(...)`.
fn invoked_macro(trees: &[TokenTree], at: usize) -> Option<&Ident> {
    if !is_alone(trees.get(at.checked_sub(1)?), '!') {
        return None;
    }
    match trees.get(at.checked_sub(2)?) {
        Some(TokenTree::Ident(name)) => Some(name),
        _ => None,
    }
}

fn is_punct(tree: Option<&TokenTree>, ch: char) -> bool {
    matches!(tree, Some(TokenTree::Punct(punct)) if punct.as_char() == ch)
}

fn is_joint(tree: Option<&TokenTree>, ch: char) -> bool {
    matches!(tree, Some(TokenTree::Punct(punct)) if punct.as_char() == ch && punct.spacing() == Spacing::Joint)
}

fn is_alone(tree: Option<&TokenTree>, ch: char) -> bool {
    matches!(tree, Some(TokenTree::Punct(punct)) if punct.as_char() == ch && punct.spacing() == Spacing::Alone)
}

/// The standard macros that hand their arguments to `format_args!`. In any other macro,
/// `name = value` may well read `name`, and every `{name}` is a capture.
const FORMAT_MACROS: &[&str] = &[
    "format_args",
    "format",
    "print",
    "println",
    "eprint",
    "eprintln",
    "write",
    "writeln",
    "panic",
    "unreachable",
    "todo",
    "unimplemented",
    "assert",
    "assert_eq",
    "assert_ne",
    "debug_assert",
    "debug_assert_eq",
    "debug_assert_ne",
];

impl FormatArgs {
    /// The arguments of macro `name` as `format_args!` reads them: the format string is the
    /// first argument that is a lone string literal (the first of `format!`, the second of
    /// `write!`), and each later argument `name = value` names an argument. Where that is not
    /// the format string (`assert_eq!("a", b, "{x}", x = 1)`), `{x}` still counts as a read.
    fn of(name: &Ident, body: &[TokenTree]) -> FormatArgs {
        if !FORMAT_MACROS.iter().any(|known| name == known) {
            return FormatArgs::default();
        }
        let arguments = split_at_commas(body);
        let Some(position) = arguments.iter().position(|range| {
            range.len() == 1
                && matches!(&body[range.start], TokenTree::Literal(literal) if matches!(Lit::new(literal.clone()), Lit::Str(_)))
        }) else {
            return FormatArgs::default();
        };
        let mut format = FormatArgs {
            string: Some(arguments[position].start),
            ..FormatArgs::default()
        };
        for range in &arguments[position + 1..] {
            if let [TokenTree::Ident(name), eq, _, ..] = &body[range.clone()] {
                if is_alone(Some(eq), '=') {
                    format.name_at.push(range.start);
                    format.names.push(name.unraw().to_string());
                }
            }
        }
        format
    }
}

/// The ranges of the arguments between top-level commas.
fn split_at_commas(trees: &[TokenTree]) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut start = 0;
    for (at, tree) in trees.iter().enumerate() {
        if is_punct(Some(tree), ',') {
            ranges.push(start..at);
            start = at + 1;
        }
    }
    ranges.push(start..trees.len());
    ranges
}

/// The implicit captures of a literal read as a format string. Every string literal counts,
/// of every kind and wherever it is: `format_args!` takes only a plain or raw one as its
/// format string, but a macro may give any literal it receives to `format_args!`, or read it
/// in its own way.
fn captures(literal: &Literal, names: &[String], reads: &mut Vec<Ident>) {
    let text = match Lit::new(literal.clone()) {
        Lit::Str(lit) => lit.value(),
        Lit::ByteStr(lit) => String::from_utf8_lossy(&lit.value()).into_owned(),
        Lit::CStr(lit) => String::from_utf8_lossy(lit.value().as_bytes()).into_owned(),
        _ => return,
    };
    for (range, name) in format_captures(&text) {
        let Ok(mut ident) = Ident::parse_any.parse_str(name) else {
            continue;
        };
        if names.contains(&ident.unraw().to_string()) {
            continue;
        }
        let span = source_range(literal, &text, range)
            .and_then(|range| literal.subspan(range))
            .unwrap_or_else(|| literal.span());
        ident.set_span(span);
        reads.push(ident);
    }
}

/// Where `range` of a literal's value is in its source, when the value is written as it is
/// (no escapes), as in a raw string.
fn source_range(literal: &Literal, value: &str, range: Range<usize>) -> Option<Range<usize>> {
    let source = literal.to_string();
    let start = source.find('"')? + 1;
    let written = source.get(start..start + value.len())?;
    (written == value).then(|| start + range.start..start + range.end)
}

/// The names a format string reads as variables, with where each is: `{name}`, `{name:spec}`,
/// and `name$` as a width or precision in the spec; not `{{` or `}}`, nor a positional
/// `{}`, `{0}` or `1$`. A name that is not an identifier is a mistake the compiler reports.
fn format_captures(text: &str) -> Vec<(Range<usize>, &str)> {
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(offset) = text[at..].find('{') {
        let open = at + offset;
        if text[open + 1..].starts_with('{') {
            at = open + 2;
            continue;
        }
        let Some(length) = text[open + 1..].find('}') else {
            break;
        };
        let inner = open + 1..open + 1 + length;
        let (argument, spec) = match text[inner.clone()].find(':') {
            Some(colon) => (
                inner.start..inner.start + colon,
                inner.start + colon + 1..inner.end,
            ),
            None => (inner.clone(), inner.end..inner.end),
        };
        found.extend(named(text, argument));
        found.extend(spec_captures(text, spec));
        at = inner.end + 1;
    }
    found
}

/// The names in a format spec that are followed by `$`: a width or a precision.
fn spec_captures(text: &str, spec: Range<usize>) -> Vec<(Range<usize>, &str)> {
    text[spec.clone()]
        .match_indices('$')
        .filter_map(|(dollar, _)| {
            let end = spec.start + dollar;
            let word = text[spec.start..end]
                .char_indices()
                .rev()
                .take_while(|&(_, ch)| ch.is_alphanumeric() || ch == '_')
                .last()
                .map_or(end, |(index, _)| spec.start + index);
            // Digits before a name are the `0` flag: `{:0width$}` reads `width`.
            let start = end
                - text[word..end]
                    .trim_start_matches(|ch: char| ch.is_ascii_digit())
                    .len();
            named(text, start..end)
        })
        .collect()
}

/// The argument in `range`, if it is a name rather than a position.
fn named(text: &str, range: Range<usize>) -> Option<(Range<usize>, &str)> {
    let argument = &text[range.clone()];
    let name = argument.trim();
    if name.is_empty() || name.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    let start = range.start + (argument.len() - argument.trim_start().len());
    Some((start..start + name.len(), name))
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use proc_macro2::TokenStream;
    use syn::ext::IdentExt;

    /// The names `value` reads, without `r#`.
    fn reads(value: &str) -> Vec<String> {
        let tokens = TokenStream::from_str(value).expect("the value lexes");
        super::variables(tokens)
            .iter()
            .map(|ident| ident.unraw().to_string())
            .collect()
    }

    #[track_caller]
    fn assert_reads(value: &str, expected: &[&str]) {
        assert_eq!(reads(value), expected, "{value}");
    }

    #[test]
    fn identifiers_that_may_name_a_variable() {
        assert_reads("phone", &["phone"]);
        assert_reads("r#type", &["type"]);
        assert_reads("self", &["self"]);
        assert_reads("member.phone.clone()", &["member"]);
        assert_reads("self.owner.as_str()", &["self"]);
        assert_reads("x.0.phone", &["x"]);
        assert_reads("a::phone::b(c)", &["a", "c"]);
        assert_reads("::phone", &[]);
        assert_reads("<T as X>::phone", &["T", "as", "X"]);
        assert_reads("0..phone", &["phone"]);
        assert_reads("S { a: 1, ..phone }", &["S", "a", "phone"]);
        assert_reads("..=phone", &["phone"]);
        assert_reads("phone != x", &["phone", "x"]);
        assert_reads("'phone: loop { break 'phone x; }", &["loop", "break", "x"]);
    }

    #[test]
    fn closures_blocks_and_struct_literals_read_what_they_name() {
        assert_reads("(|| phone.len())()", &["phone"]);
        assert_reads("(|phone| phone.len())(1)", &["phone", "phone"]);
        assert_reads("{ let n = phone.len(); n }", &["let", "n", "phone", "n"]);
        assert_reads("S { phone }", &["S", "phone"]);
        assert_reads("S { count: phone.len() }", &["S", "count", "phone"]);
        assert_reads(
            "Some(1).map(|n| n + email.len()).unwrap_or(0)",
            &["Some", "n", "n", "email"],
        );
    }

    #[test]
    fn macro_bodies_are_read_at_any_depth() {
        assert_reads("phone!(x)", &["x"]);
        assert_reads("std::vec![phone]", &["std", "phone"]);
        assert_reads("m! { a => phone }", &["a", "phone"]);
        assert_reads(
            "format!(\"{}\", format_args!(\"{}\", vec![phone]))",
            &["phone"],
        );
        assert_reads("concat!(\"{\", \"phone}\")", &[]);
    }

    #[test]
    fn captures_in_every_kind_of_string_literal() {
        for literal in [
            "\"{phone}\"",
            "r\"{phone}\"",
            "r#\"{phone}\"#",
            "r###\"{phone}\"###",
            "b\"{phone}\"",
            "br\"{phone}\"",
            "br##\"{phone}\"##",
            "c\"{phone}\"",
            "cr\"{phone}\"",
            "cr#\"{phone}\"#",
            // The format string sees the brace that an escape writes.
            "\"\\x7bphone}\"",
            "\"\\u{7b}phone}\"",
        ] {
            assert_reads(literal, &["phone"]);
            assert_reads(&format!("format!({literal})"), &["phone"]);
        }
    }

    #[test]
    fn captures_with_a_spec_a_width_or_a_precision() {
        assert_reads("\"{phone:?}\"", &["phone"]);
        assert_reads("\"{phone:>10}\"", &["phone"]);
        assert_reads("\"{phone:#?}\"", &["phone"]);
        assert_reads("\"{r#type}\"", &["type"]);
        assert_reads("\"{self}\"", &["self"]);
        assert_reads("\"{:width$}\"", &["width"]);
        assert_reads("\"{0:>width$.precision$}\"", &["width", "precision"]);
        assert_reads("\"{:x<w$}\"", &["w"]);
        assert_reads("\"{:#0w$} {:r#w$} {:+.prec1$}\"", &["w", "w", "prec1"]);
        assert_reads("\"{{{phone}}}\"", &["phone"]);
        assert_reads("\"}}{phone}\"", &["phone"]);
    }

    #[test]
    fn escaped_braces_and_positional_arguments_are_no_captures() {
        assert_reads("\"{{phone}}\"", &[]);
        assert_reads("r#\"{{phone}} {{{{phone}}}}\"#", &[]);
        assert_reads("\"{} {0} {1:?} {:1$} {:.*}\"", &[]);
        assert_reads("\"{phone\"", &[]);
        assert_reads("'{'", &[]);
    }

    #[test]
    fn explicit_named_arguments_are_no_captures() {
        assert_reads("format!(\"{phone}\", phone = 1)", &[]);
        assert_reads("format!(\"{phone:>width$}\", phone = x, width = 3)", &["x"]);
        assert_reads("write!(f, \"{phone}\", phone = 1)", &["f"]);
        assert_reads("format!(\"{phone}\", r#phone = 1)", &[]);
        // An argument's value reads what it names.
        assert_reads("format!(\"{p}\", p = phone.len())", &["phone"]);
        // The name of another format string's argument is not this one's.
        assert_reads(
            "format!(\"{}\", format!(\"{phone}\"), phone = 1)",
            &["phone"],
        );
        // `==` is no named argument.
        assert_reads("format!(\"{}\", phone == 1)", &["phone"]);
        // Outside a macro, `phone = 1` is an assignment, and a literal captures as in any macro.
        assert_reads("(phone = 1, \"{phone}\")", &["phone", "phone"]);
        // Another macro may read `phone` in `phone = 1`, and give `{phone}` no argument.
        assert_reads("m!(\"{phone}\", phone = 1)", &["phone", "phone"]);
        assert_reads("std::format!(\"{phone}\", phone = 1)", &["std"]);
    }
}
