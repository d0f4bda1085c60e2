//! Fuzzing of both macros: no input makes them panic, and every output is Rust syntax.
//!
//! Inputs come from three sources: a grammar of the fragments users write (every attribute and
//! key, literals of every kind, generics, raw and non-ASCII identifiers, packed reprs, unsized
//! last fields, fields, parameters and paths named like the expansion's own locals and items,
//! random token trees where a value goes), a corpus of valid inputs taken from the tests, and random tokens for the
//! arguments of `#[privacy::instrument]`. Each input is then mutated at any depth of its token
//! trees: tokens dropped, duplicated, swapped, inserted or replaced, runs regrouped, groups
//! flattened. An input that syn parses as an item (a `DeriveInput` for the derive) is expanded
//! inside `catch_unwind`. The case fails if the macro panics, or if its output is empty or does
//! not parse as a file of items: errors must come out as `compile_error!` invocations next to
//! items, never as tokens that leave the user with a syntax error in code they did not write.
//!
//! The grammar's `fields(...)` values include expressions that read a variable in every form
//! a read takes (format captures in every kind of string literal, macro invocations, closures,
//! method chains, field accesses, struct literals, blocks) and expressions that only name it.
//! Three more targets expand them on one function with a parameter of each kind: a value that
//! reads a `#[pii]`, `#[oii]` or unannotated parameter, or `self`, is always refused with an
//! error that names it, unless it records an unannotated one whole with `?name`; the same
//! values reading a `#[safe]` parameter, a constant or a local name, and values that only name
//! a parameter, are always accepted.
//!
//! Each target runs 5,000 cases in a normal `cargo test`; for a longer run, set
//! `PRIVACY_FUZZ_CASES`, best in release:
//!
//! ```text
//! PRIVACY_FUZZ_CASES=100000 cargo test -p privacy-derive --release --lib fuzz_tests
//! ```
//!
//! The seed is new on every run, so that every run tries new inputs: a failure prints the
//! smallest input found and the seed, and `PRIVACY_FUZZ_SEED=<seed>` runs the same cases again.
//! Every failure found so far is a test in `regressions` below.

use std::cell::Cell;
use std::fmt::Debug;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::str::FromStr;

use proc_macro2::{Delimiter, Group, Literal, TokenStream, TokenTree};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestError, TestRunner};

/// Cases per target unless `PRIVACY_FUZZ_CASES` says otherwise.
const DEFAULT_CASES: u32 = 5_000;

type Text = BoxedStrategy<String>;

// ---------------------------------------------------------------------------------------------
// Fragments.

/// Identifiers: the macros' own keys and kinds, keywords, raw and non-ASCII identifiers.
const IDENTS: &[&str] = &[
    "a",
    "b",
    "x",
    "T",
    "U",
    "N",
    "S",
    "id",
    "phone",
    "name",
    "email",
    "group",
    "self",
    "Self",
    "crate",
    "super",
    "r#type",
    "r#match",
    "r#fn",
    "r#S",
    "été",
    "Ünïcode",
    "東京",
    "ß",
    "Ɛ",
    "_",
    "__",
    "_0",
    "x1",
    "A",
    "Z42",
    "fn",
    "struct",
    "impl",
    "dyn",
    "where",
    "async",
    "const",
    "pii",
    "oii",
    "safe",
    "privacy",
    "serde",
    "redact",
    "with",
    "purposes",
    "custom",
    "last",
    "first",
    "hide",
    "hash",
    "skip",
    "ip_prefix",
    "subject",
    "bound",
    "telemetry",
    "rename",
    "rename_all",
    "tag",
    "content",
    "untagged",
    "transparent",
    "flatten",
    "level",
    "fields",
    "ret",
    "err",
    "skip_all",
    "Debug",
    "Display",
    "Diagnostics",
    "serialize",
    "debug",
    "classified",
    "valuable",
];

/// Literals of every kind, with the edge cases of each.
const LITERALS: &[&str] = &[
    r#""""#,
    r#""x""#,
    r#""phone""#,
    r#""T: Clone""#,
    r#""::privacy""#,
    r#""a::<u8>""#,
    r#""\u{0}""#,
    r#""\n""#,
    r#""été 東京 🦀""#,
    r#""snake_case""#,
    r#""camelCase""#,
    r#""PascalCase""#,
    r#""SCREAMING-KEBAB-CASE""#,
    "r#\"raw \"quoted\"\"#",
    r#"b"bytes""#,
    r#"br"raw bytes""#,
    r#"c"c string""#,
    "'c'",
    "'é'",
    "'\\''",
    "b'x'",
    "0",
    "1",
    "4",
    "00",
    "0x10",
    "0o7",
    "0b1",
    "1_000",
    "4usize",
    "4u8",
    "4i32",
    "4.0",
    "1e3",
    "1.5f64",
    "18446744073709551615",
    "18446744073709551616",
    "340282366920938463463374607431768211455",
    "340282366920938463463374607431768211456",
    "99999999999999999999999999999999999999999999999999",
    "true",
    "false",
];

const PUNCTS: &[&str] = &[
    "=", ",", ":", "::", ";", ".", "..", "#", "?", "%", "&", "'a", "'static", "<", ">", "->", "=>",
    "!", "-", "+", "*", "@", "|", "$", "~", "^", "/",
];

const INT_SUFFIXES: &[&str] = &["", "u8", "i8", "u32", "usize", "i128", "u128", "f32", "x"];

/// String contents that a key reads as code: paths, bounds, rename rules, names.
const STRING_CONTENTS: &[&str] = &[
    "",
    " ",
    "privacy",
    "::privacy",
    "my_privacy",
    "a::b",
    "a::<u8>",
    "a<u8>",
    "self",
    "crate",
    "super",
    "super::x",
    "Self",
    "r#type",
    "1",
    "a b",
    "T: Clone",
    "T: Clone,",
    "T: Clone, U: Copy",
    "'a: 'b",
    "for<'x> &'x T: Debug",
    "where T: Clone",
    "T",
    "Self: Sized",
    "[T; N]: Copy",
    "lowercase",
    "UPPERCASE",
    "PascalCase",
    "camelCase",
    "snake_case",
    "SCREAMING_SNAKE_CASE",
    "kebab-case",
    "SCREAMING-KEBAB-CASE",
    "Camel",
    "badge_number",
    "Badge Number",
    "9lives",
    "phone",
    "été",
    "東京",
    "\u{0}",
    "is_empty",
    "Option::is_none",
    "<T as X>::f",
    "{",
    ")",
];

const KINDS: &[&str] = &[
    "name",
    "phone",
    "email",
    "ip",
    "address",
    "location",
    "message",
    "birthdate",
    "government_id",
    "payment_card",
    "device_id",
    "account_id",
    "org_name",
    "tenant_id",
    "domain",
    "phon",
    "Phone",
    "r#phone",
    "été",
    "custom",
    "redact",
];

const STRATEGIES: &[&str] = &[
    "hide",
    "email",
    "ip_prefix",
    "hash",
    "skip",
    "with",
    "last",
    "first",
    "lst",
    "Hide",
    "r#hide",
    "été",
    "self",
];

const PATHS: &[&str] = &[
    "a",
    "a::b",
    "::a::b",
    "crate::x",
    "super::x",
    "self::x",
    "Self::f",
    "a::<u8>",
    "<T as X>::f",
    "r#type",
    "Diagnostics",
    "Support",
    "été::x",
    "a::",
    "__f",
    "__cx",
    "__state",
    "__field_a",
    "_privacy::x",
];

const TYPES: &[&str] = &[
    "u8",
    "u64",
    "String",
    "str",
    "T",
    "U",
    "Self",
    "S",
    "()",
    "!",
    "_",
    "&'a str",
    "&'static str",
    "[u8; N]",
    "[T; 3]",
    "(T, U)",
    "(T,)",
    "fn(T) -> U",
    "Box<dyn Fn(T) -> U>",
    "dyn Debug",
    "impl Clone",
    "<T as Iterator>::Item",
    "T::Assoc",
    "Pii<String>",
    "::privacy::Pii<u8>",
    "Oii<String>",
    "*const T",
    "m!()",
    "r#type",
    "Été",
    "std::net::IpAddr",
    "dyn for<'x> Fn(&'x T)",
    "Option<Box<Self>>",
    "Vec<S>",
    "dyn Debug + Send",
    "dyn Debug + 'a",
    "impl Clone + Send",
    "T +",
    "dyn for<'x> Fn(&'x T) + Send",
    "Self<u8>",
    "Self::<u8>",
    "[u8; Self::N]",
    "Box<{ Self::N }>",
    "<Self as X>::Y",
    "[Pii<u8>]",
    "[T]",
    "uuid::Uuid",
    "__S",
    "_serde::Ser",
];

const TYPE_WRAPPERS: &[&str] = &[
    "Option<{}>",
    "Vec<{}>",
    "&'a {}",
    "&mut {}",
    "[{}; N]",
    "[{}]",
    "({}, T)",
    "Box<{}>",
    "Pii<{}>",
    "fn({}) -> T",
    "<{} as X>::Y",
    "*const {}",
    "Result<{}, E>",
    "HashMap<String, {}>",
    "BTreeMap<Pii<String>, {}>",
    "&'a {}",
    "({}, T, T, T, T, T, T, T)",
    "ty!({})",
];

fn strings(values: &'static [&'static str]) -> Text {
    select(values).prop_map(str::to_owned).boxed()
}

fn list(item: Text, len: std::ops::Range<usize>, separator: &'static str) -> Text {
    vec(item, len)
        .prop_map(move |items| items.join(separator))
        .boxed()
}

fn ident() -> Text {
    strings(IDENTS)
}

fn literal() -> Text {
    prop_oneof![
        4 => strings(LITERALS),
        1 => any::<i128>().prop_map(|n| n.to_string()),
        1 => any::<u128>().prop_map(|n| n.to_string()),
        1 => (any::<u64>(), select(INT_SUFFIXES)).prop_map(|(n, suffix)| format!("{n}{suffix}")),
        1 => any::<f64>().prop_map(|f| {
            let f = if f.is_finite() { f } else { 1e308 };
            Literal::f64_unsuffixed(f).to_string()
        }),
        1 => any::<String>().prop_map(|s| Literal::string(&s).to_string()),
        1 => any::<char>().prop_map(|c| Literal::character(c).to_string()),
        1 => vec(any::<u8>(), 0..6).prop_map(|b| Literal::byte_string(&b).to_string()),
    ]
    .boxed()
}

/// A string literal whose content a key may parse as code.
fn string_literal() -> Text {
    prop_oneof![
        3 => select(STRING_CONTENTS).prop_map(|s| Literal::string(s).to_string()),
        1 => tokens().prop_map(|s| Literal::string(&s).to_string()),
    ]
    .boxed()
}

/// Any one token.
fn token() -> Text {
    prop_oneof![
        3 => ident(),
        2 => literal(),
        2 => strings(PUNCTS),
    ]
    .boxed()
}

/// A random token stream, with nested groups of every delimiter.
fn tokens() -> Text {
    let leaf = list(token(), 0..5, " ");
    leaf.prop_recursive(3, 32, 6, |inner| {
        let group = (inner, 0..3usize).prop_map(|(inner, delimiter)| match delimiter {
            0 => format!("({inner})"),
            1 => format!("[{inner}]"),
            _ => format!("{{{inner}}}"),
        });
        list(prop_oneof![token(), group].boxed(), 0..6, " ")
    })
    .boxed()
}

fn path() -> Text {
    prop_oneof![3 => strings(PATHS), 1 => ident(), 1 => tokens()].boxed()
}

fn ty() -> Text {
    prop_oneof![
        4 => strings(TYPES),
        2 => (select(TYPE_WRAPPERS), select(TYPES)).prop_map(|(w, t)| w.replace("{}", t)),
        1 => (select(TYPE_WRAPPERS), select(TYPE_WRAPPERS), select(TYPES))
            .prop_map(|(outer, inner, t)| outer.replace("{}", &inner.replace("{}", t))),
        1 => ident(),
    ]
    .boxed()
}

/// `= value`, `(tokens)`, or nothing: what may follow any key.
fn value_or_nothing() -> Text {
    prop_oneof![
        2 => Just(String::new()),
        3 => literal().prop_map(|l| format!(" = {l}")),
        2 => string_literal().prop_map(|l| format!(" = {l}")),
        1 => path().prop_map(|p| format!(" = {p}")),
        1 => tokens().prop_map(|t| format!("({t})")),
        1 => tokens().prop_map(|t| format!(" = {t}")),
    ]
    .boxed()
}

/// A key with anything after it.
fn any_key() -> Text {
    (ident(), value_or_nothing())
        .prop_map(|(k, v)| format!("{k}{v}"))
        .boxed()
}

// ---------------------------------------------------------------------------------------------
// Attributes.

/// The strategy after `redact =`.
fn strategy() -> Text {
    prop_oneof![
        4 => strings(STRATEGIES),
        3 => (select(&["last", "first", "hide", "lst"][..]), literal())
            .prop_map(|(s, n)| format!("{s}({n})")),
        1 => (select(&["last", "first"][..]), tokens()).prop_map(|(s, t)| format!("{s}({t})")),
        1 => literal(),
        1 => tokens(),
    ]
    .boxed()
}

/// One entry of `#[pii(...)]` or `#[oii(...)]`.
fn class_entry() -> Text {
    prop_oneof![
        4 => strings(KINDS),
        4 => strategy().prop_map(|s| format!("redact = {s}")),
        2 => path().prop_map(|p| format!("with = {p}")),
        2 => list(path(), 0..3, ", ").prop_map(|p| format!("purposes({p})")),
        1 => literal().prop_map(|p| format!("purposes = {p}")),
        2 => prop_oneof![string_literal(), literal()].prop_map(|l| format!("custom = {l}")),
        1 => strings(&["redact", "with", "purposes", "custom"]),
        2 => any_key(),
        1 => tokens(),
    ]
    .boxed()
}

/// One entry of `#[privacy(...)]`, on a type or a field.
fn privacy_entry() -> Text {
    let bound_entry = (
        strings(&[
            "debug",
            "serialize",
            "classified",
            "valuable",
            "all",
            "Debug",
        ]),
        value_or_nothing(),
    )
        .prop_map(|(k, v)| format!("{k}{v}"));
    prop_oneof![
        2 => Just("telemetry".to_owned()),
        2 => string_literal().prop_map(|l| format!("telemetry = {l}")),
        3 => string_literal().prop_map(|l| format!("crate = {l}")),
        3 => string_literal().prop_map(|l| format!("bound = {l}")),
        2 => list(bound_entry.boxed(), 0..4, ", ").prop_map(|b| format!("bound({b})")),
        3 => Just("subject".to_owned()),
        1 => strings(&["crate", "bound", "subject = 1", "subject(x)", "redact = hide"]),
        2 => any_key(),
        1 => tokens(),
    ]
    .boxed()
}

/// One entry of `#[serde(...)]`.
fn serde_entry() -> Text {
    let key = strings(&[
        "rename",
        "rename_all",
        "rename_all_fields",
        "tag",
        "content",
        "untagged",
        "transparent",
        "skip",
        "skip_serializing",
        "skip_serializing_if",
        "flatten",
        "default",
        "alias",
        "with",
        "bound",
        "crate",
        "serialize_with",
        "getter",
        "other",
    ]);
    prop_oneof![
        4 => (key.clone(), value_or_nothing()).prop_map(|(k, v)| format!("{k}{v}")),
        3 => (key.clone(), string_literal()).prop_map(|(k, v)| format!("{k} = {v}")),
        2 => (key, string_literal(), string_literal())
            .prop_map(|(k, s, d)| format!("{k}(serialize = {s}, deserialize = {d})")),
        1 => (string_literal(), ident(), value_or_nothing())
            .prop_map(|(s, k, v)| format!("rename(serialize = {s}, {k}{v})")),
        1 => any_key(),
        1 => tokens(),
    ]
    .boxed()
}

/// A `#[...]` of any of the macros' attributes, in any of the forms an attribute takes.
fn attribute() -> Text {
    let class = strings(&["pii", "oii", "safe"]);
    let body = prop_oneof![
        8 => (class.clone(), list(class_entry(), 0..5, ", ")).prop_map(|(c, e)| format!("{c}({e})")),
        3 => class.clone(),
        2 => (class.clone(), literal()).prop_map(|(c, l)| format!("{c} = {l}")),
        1 => (class.clone(), tokens()).prop_map(|(c, t)| format!("{c} = {t}")),
        1 => (class.clone(), tokens()).prop_map(|(c, t)| format!("{c}[{t}]")),
        1 => (class.clone(), tokens()).prop_map(|(c, t)| format!("{c} {{{t}}}")),
        1 => (class, tokens()).prop_map(|(c, t)| format!("{c}({t})")),
        6 => list(privacy_entry(), 0..4, ", ").prop_map(|e| format!("privacy({e})")),
        1 => tokens().prop_map(|t| format!("privacy({t})")),
        1 => literal().prop_map(|l| format!("privacy = {l}")),
        5 => list(serde_entry(), 0..4, ", ").prop_map(|e| format!("serde({e})")),
        1 => strings(&["doc = \"x\"", "allow(dead_code)", "cfg(test)", "pii::x", "privacy::subject"]),
        1 => (ident(), tokens()).prop_map(|(i, t)| format!("{i}({t})")),
    ];
    body.prop_map(|body| format!("#[{body}]")).boxed()
}

/// The attributes a user writes on a field, well formed, so that many inputs expand without
/// errors and reach the code generation.
fn plausible_field_attribute() -> Text {
    let kind = select(&KINDS[..15]);
    let strategy = strings(&[
        "",
        ", redact = hide",
        ", redact = last(4)",
        ", redact = first(2)",
        ", redact = email",
        ", redact = ip_prefix",
        ", redact = hash",
        ", redact = skip",
        ", with = crate::count",
    ]);
    let purposes = strings(&[
        "",
        ", purposes(Diagnostics)",
        ", purposes(Support, crate::Billing)",
    ]);
    let class = (select(&["pii", "oii"][..]), kind, strategy, purposes).prop_map(
        |(class, kind, strategy, purposes)| format!("#[{class}({kind}{strategy}{purposes})]"),
    );
    prop_oneof![
        4 => class,
        3 => strings(&[
            "#[safe]",
            "#[pii]",
            "#[oii]",
            "#[pii(custom = \"badge_number\")]",
            "#[privacy(subject)]",
            "#[privacy(subject = \"device\")]",
            "#[privacy(keys = safe)]",
            "#[privacy(purposes(Support))]",
            "#[privacy(purposes(Diagnostics, crate::Billing))]",
            "#[serde(rename = \"renamed\")]",
            "#[serde(skip)]",
            "#[serde(skip_serializing_if = \"Option::is_none\")]",
            "#[serde(flatten)]",
            "#[doc = \"x\"]",
        ]),
    ]
    .boxed()
}

/// The attributes a user writes on a type, well formed.
fn plausible_container_attribute() -> Text {
    strings(&[
        "#[privacy(telemetry)]",
        "#[privacy(telemetry = \"event\")]",
        "#[privacy(crate = \"::privacy\")]",
        "#[privacy(bound = \"T: Clone\")]",
        "#[privacy(bound(debug = \"T: Debug\", serialize = \"\", classified = \"T: Clone\"))]",
        "#[serde(rename_all = \"camelCase\")]",
        "#[serde(rename_all = \"SCREAMING-KEBAB-CASE\", rename_all_fields = \"PascalCase\")]",
        "#[serde(tag = \"type\")]",
        "#[serde(tag = \"t\", content = \"c\")]",
        "#[serde(untagged)]",
        "#[serde(transparent)]",
        "#[serde(rename = \"renamed\")]",
        "#[doc = \"x\"]",
        "#[repr(packed)]",
        "#[repr(C, packed(2))]",
        "#[repr(u8)]",
    ])
}

fn field_attributes(max: usize) -> Text {
    list(
        prop_oneof![3 => plausible_field_attribute(), 2 => attribute()].boxed(),
        0..max,
        " ",
    )
}

fn container_attributes(max: usize) -> Text {
    list(
        prop_oneof![1 => plausible_container_attribute(), 2 => attribute()].boxed(),
        0..max,
        " ",
    )
}

// ---------------------------------------------------------------------------------------------
// Items.

fn name() -> Text {
    prop_oneof![
        12 => strings(&["S", "Member", "r#type", "r#S", "Été", "東京", "T", "N"]),
        1 => strings(&["Self", "_", "_privacy", "_serde", "__PrivacyContent", "uuid"]),
        1 => ident(),
    ]
    .boxed()
}

fn field_name() -> Text {
    prop_oneof![
        8 => strings(&[
            "id", "phone", "email", "name", "r#type", "r#match", "été", "東京", "__", "_0", "T", "N",
            "S", "a", "A", "x1",
        ]),
        2 => strings(&[
            "_privacy", "_serde", "_valuable", "__f", "__cx", "__serializer", "__state",
            "__value_0", "__nested_0", "__field", "__field_a", "__privacy_fields", "__S", "uuid",
            "shape", "Self_",
        ]),
        1 => ident(),
    ]
    .boxed()
}

fn generics() -> Text {
    let param = strings(&[
        "'a",
        "'b: 'a",
        "T",
        "U",
        "T: Clone + 'a",
        "T: ?Sized",
        "U = u8",
        "T: Iterator<Item = U>",
        "const N: usize",
        "const M: u8 = 3",
        "#[cfg(x)] T",
        "#[pii] T",
        "r#type",
        "été",
        "phone",
        "S",
        "__S",
        "'__a",
        "'__c",
        "'__x",
        "__field",
        "T: ?Sized + Debug",
        "T: shape::Shape",
    ]);
    let param = prop_oneof![
        12 => param,
        1 => strings(&["'static", "Self", "_", "T: 'static + ?", "_privacy", "const __PRIVACY_N: usize"]),
    ];
    prop_oneof![
        4 => Just(String::new()),
        8 => list(param.boxed(), 0..4, ", ").prop_map(|p| format!("<{p}>")),
        1 => tokens().prop_map(|t| format!("<{t}>")),
    ]
    .boxed()
}

fn where_clause() -> Text {
    let predicate = prop_oneof![
        4 => strings(&[
            "T: Clone",
            "'a: 'b",
            "for<'x> &'x T: Debug",
            "[T; N]: Sized",
            "Self: Sized",
            "T::Assoc: Copy",
            "U: Default",
            "String: Clone",
            "T: uuid::Tag",
            "__S: Clone",
            "Self: Marked",
        ]),
        1 => (ty(), path()).prop_map(|(t, p)| format!("{t}: {p}")),
    ];
    prop_oneof![
        3 => Just(String::new()),
        2 => list(predicate.boxed(), 0..3, ", ").prop_map(|p| format!("where {p}")),
    ]
    .boxed()
}

fn named_fields() -> Text {
    let field = (
        field_attributes(4),
        strings(&["", "pub ", "pub(crate) "]),
        field_name(),
        ty(),
    )
        .prop_map(|(attrs, vis, name, ty)| format!("{attrs} {vis}{name}: {ty}"));
    list(field.boxed(), 0..5, ", ")
}

fn tuple_fields() -> Text {
    let field = (field_attributes(3), strings(&["", "pub "]), ty())
        .prop_map(|(attrs, vis, ty)| format!("{attrs} {vis}{ty}"));
    list(field.boxed(), 0..4, ", ")
}

fn variant() -> Text {
    let shape = prop_oneof![
        2 => Just(String::new()),
        2 => named_fields().prop_map(|f| format!(" {{ {f} }}")),
        2 => tuple_fields().prop_map(|f| format!("({f})")),
        1 => literal().prop_map(|l| format!(" = {l}")),
    ];
    (container_attributes(2), name(), shape)
        .prop_map(|(attrs, name, shape)| format!("{attrs} {name}{shape}"))
        .boxed()
}

/// A struct, enum or union of every shape, with the macros' attributes anywhere.
fn derive_item() -> Text {
    let body = prop_oneof![
        3 => (where_clause(), named_fields()).prop_map(|(w, f)| format!("struct {{}}{{}} {w} {{ {f} }}")),
        2 => (tuple_fields(), where_clause()).prop_map(|(f, w)| format!("struct {{}}{{}}({f}) {w};")),
        1 => where_clause().prop_map(|w| format!("struct {{}}{{}} {w};")),
        3 => (where_clause(), list(variant(), 0..4, ", "))
            .prop_map(|(w, v)| format!("enum {{}}{{}} {w} {{ {v} }}")),
        1 => (where_clause(), named_fields()).prop_map(|(w, f)| format!("union {{}}{{}} {w} {{ {f} }}")),
    ];
    (
        container_attributes(4),
        strings(&["", "pub ", "pub(crate) "]),
        body,
        name(),
        generics(),
    )
        .prop_map(|(attrs, vis, body, name, generics)| {
            let body = body.replacen("{}", &name, 1).replacen("{}", &generics, 1);
            format!("{attrs} {vis}{body}")
        })
        .boxed()
}

/// One entry of `fields(...)` in `#[privacy::instrument(...)]`.
fn user_field() -> Text {
    let sigil = strings(&["", "", "?", "%"]);
    let field_name = prop_oneof![
        4 => strings(&["request", "phone", "id", "r#type", "a.b.c", "self", "été", "group"]),
        1 => ident(),
        1 => Just("{ CONST }".to_owned()),
    ];
    let value = prop_oneof![
        3 => strings(&[
            "1",
            "\"x\"",
            "phone",
            "phone.len()",
            "a::b(phone)",
            "format!(\"{phone}\")",
            "format!(\"{r#type}\")",
            "format!(\"{r#phone}\")",
            "format!(\"{}\", phone)",
            "format!(\"{phone:?} {id}\")",
            "format!(r#\"{phone}\"#)",
            "b\"{phone}\"",
            "c\"{phone}\"",
            "self.phone",
            "<T as X>::f(phone)",
            "{ phone }",
            "|| phone",
        ]),
        2 => (reading(), select(FUZZED_VARIABLES)).prop_map(|(e, v)| e.replace(VARIABLE, v)),
        1 => (naming(), select(FUZZED_VARIABLES)).prop_map(|(e, v)| e.replace(VARIABLE, v)),
        1 => literal(),
        1 => tokens(),
    ];
    prop_oneof![
        3 => (sigil.clone(), field_name.clone()).prop_map(|(s, n)| format!("{s}{n}")),
        4 => (field_name, sigil, value).prop_map(|(n, s, v)| format!("{n} = {s}{v}")),
        1 => tokens(),
    ]
    .boxed()
}

// ---------------------------------------------------------------------------------------------
// Values of `fields(...)` that read a variable, and values that only name it.

/// Where a generated value reads (or names) the variable; replaced by its name at the end.
const VARIABLE: &str = "@";

/// Where a generated value goes inside a wrapper.
const HOLE: &str = "EXPR";

/// The variables that the fuzzed values read: parameters of the grammar and the corpus, raw
/// identifiers and keywords among them.
const FUZZED_VARIABLES: &[&str] = &["phone", "id", "self", "r#type", "group", "a", "nickname"];

/// The kinds of string literal, each with `{}` where the content goes and whether it is raw
/// (written as it is) or cooked (with escapes).
const STRING_KINDS: &[(&str, bool)] = &[
    ("\"{}\"", false),
    ("r\"{}\"", true),
    ("r#\"{}\"#", true),
    ("r##\"{}\"##", true),
    ("b\"{}\"", false),
    ("br\"{}\"", true),
    ("br#\"{}\"#", true),
    ("c\"{}\"", false),
    ("cr\"{}\"", true),
    ("cr##\"{}\"##", true),
];

/// A format string's implicit captures of the variable: as the argument, with a format spec,
/// as a width or precision, next to escaped braces, and last as a raw identifier, which a
/// keyword has not.
const CAPTURES: &[&str] = &[
    "{@}",
    "{@:?}",
    "{@:>10}",
    "{@:#?}",
    "{:@$}",
    "{0:.@$}",
    "{:>1$.@$}",
    "{{}}{@}",
    "{{{@}}}",
    "{r#@}",
];

/// Text around a capture, which leaves it a capture.
const AROUND: &[&str] = &["", "", "x ", " y", "{{", "}}", "{0} ", " {}", "{:?}"];

/// Expressions that keep the value in `EXPR` read: macro invocations of every delimiter, as a
/// format argument, named or not; closures; method chains; field accesses; struct literals;
/// blocks; operators; calls.
const READING_WRAPPERS: &[&str] = &[
    "format!(\"{}\", EXPR)",
    "format!(\"{0} {}\", 1, EXPR)",
    "format_args!(\"{x}\", x = EXPR)",
    "vec![EXPR]",
    "m![1, EXPR]",
    "a::m! { EXPR }",
    "concat!(EXPR)",
    "stringify!(EXPR)",
    "m!(x => EXPR)",
    "(|| EXPR)()",
    "(move |x: u8| EXPR)(1)",
    "Some(1).map(|n| EXPR)",
    "(|a, b| a + b)(1, EXPR)",
    "(EXPR).clone().to_string()",
    "(EXPR).len()",
    "(EXPR).field.inner",
    "(EXPR).iter().map(|x| x).count()",
    "S { a: EXPR }",
    "S { a: 1, ..(EXPR) }",
    "{ let y = EXPR; y }",
    "{ EXPR }",
    "if x { EXPR } else { 0 }",
    "match x { _ => EXPR }",
    "unsafe { EXPR }",
    "async { EXPR }",
    "'a: loop { break 'a EXPR; }",
    "[EXPR, 1]",
    "(1, EXPR)",
    "f(EXPR)",
    "a::f(EXPR)",
    "<T as X>::f(EXPR)",
    "x.f(EXPR)",
    "x.0.f(EXPR)",
    "(EXPR) + 1",
    "1 + (EXPR)",
    "x == (EXPR)",
    "x != (EXPR)",
    "0..(EXPR)",
    "..=(EXPR)",
    "(EXPR)..",
    "!(EXPR)",
    "&(EXPR)",
    "(EXPR) as u64",
];

/// Expressions that read the variable directly.
const DIRECT_READS: &[&str] = &[
    "@",
    "@.len()",
    "@.phone",
    "@.phone.clone()",
    "@.0",
    "@.expose().as_str()",
    "&@",
    "*@",
    "@[0]",
    "@?",
    "-@",
    "x..@",
    // A macro that is no format macro may read what `name = value` names.
    "m!(\"{@}\", @ = 1)",
];

/// A struct literal's shorthand, which reads the variable of the field's name; `self` cannot be
/// one.
const SHORTHAND_READS: &[&str] = &["S { @ }", "S { x: 1, @ }"];

/// Expressions that name the variable without reading it: a field or method of another value,
/// a path segment after `::`, a macro's name, a label, escaped braces, an explicit named
/// argument of a format string, a positional one.
const NAMINGS: &[&str] = &[
    "x.@",
    "x.@()",
    "x.a.@.len()",
    "a::@",
    "a::@::b()",
    "<T as X>::@",
    "@!()",
    "a::@![1]",
    "'@: loop { break '@; }",
    "\"{{@}}\"",
    "r#\"{{@}} {{{{@}}}}\"#",
    "format!(\"{@}\", @ = 1)",
    "format!(\"{@:?} {:>@$}\", 2, @ = 1)",
    "format!(\"{0}{1:?}\", x, y)",
];

/// A string literal of any kind whose format string captures the variable: a keyword has no
/// raw form.
fn capture(variable: &str) -> Text {
    let captures = if variable == "self" {
        &CAPTURES[..CAPTURES.len() - 1]
    } else {
        CAPTURES
    };
    (
        select(STRING_KINDS),
        select(AROUND),
        select(captures),
        select(AROUND),
        any::<bool>(),
    )
        .prop_map(|((kind, raw), before, capture, after, escape)| {
            // A cooked literal may write the opening brace as an escape, which the format
            // string sees as a brace.
            let capture = if escape && !raw {
                capture.replacen('{', "\\x7b", 1)
            } else {
                capture.to_owned()
            };
            kind.replacen("{}", &format!("{before}{capture}{after}"), 1)
        })
        .boxed()
}

/// A value that reads the variable `@`, in one of the forms a read takes, inside up to three
/// wrappers.
fn reading() -> Text {
    reading_of("")
}

/// [`reading`], of `variable`: a keyword has no struct shorthand and no raw form.
fn reading_of(variable: &str) -> Text {
    let shorthand = if variable == "self" {
        DIRECT_READS
    } else {
        SHORTHAND_READS
    };
    let leaf = prop_oneof![
        2 => strings(DIRECT_READS),
        1 => strings(shorthand),
        3 => capture(variable).prop_map(|literal| format!("format!({literal})")),
        1 => capture(variable).prop_map(|literal| format!("write!(f, {literal}, 1)")),
        // A literal outside a macro captures nothing, but a macro it goes to could see it as a
        // format string: it counts as a read.
        1 => capture(variable),
    ];
    leaf.prop_recursive(3, 8, 1, |inner| {
        (select(READING_WRAPPERS), inner)
            .prop_map(|(wrapper, value)| wrapper.replacen(HOLE, &value, 1))
            .boxed()
    })
    .boxed()
}

/// A value that names the variable `@` without reading it, inside up to three wrappers.
fn naming() -> Text {
    strings(NAMINGS)
        .prop_recursive(3, 8, 1, |inner| {
            (select(READING_WRAPPERS), inner)
                .prop_map(|(wrapper, value)| wrapper.replacen(HOLE, &value, 1))
                .boxed()
        })
        .boxed()
}

/// The arguments of `#[privacy::instrument(...)]`.
fn instrument_args() -> Text {
    let event_entry = prop_oneof![
        3 => strings(&["Debug", "Display", "level = \"info\"", "level = Level::WARN", "level"]),
        1 => any_key(),
    ];
    let event = (
        strings(&["ret", "err"]),
        prop_oneof![
            2 => Just(String::new()),
            3 => list(event_entry.boxed(), 0..3, ", ").prop_map(|e| format!("({e})")),
            1 => value_or_nothing(),
        ],
    )
        .prop_map(|(k, e)| format!("{k}{e}"));
    let arg = prop_oneof![
        3 => (strings(&["level", "name", "target", "parent", "follows_from"]), value_or_nothing())
            .prop_map(|(k, v)| format!("{k}{v}")),
        2 => string_literal(),
        3 => list(field_name(), 0..3, ", ").prop_map(|s| format!("skip({s})")),
        1 => tokens().prop_map(|t| format!("skip({t})")),
        2 => Just("skip_all".to_owned()),
        4 => list(user_field(), 0..3, ", ").prop_map(|f| format!("fields({f})")),
        4 => event,
        2 => string_literal().prop_map(|l| format!("crate = {l}")),
        2 => any_key(),
        1 => tokens(),
    ];
    prop_oneof![
        6 => list(arg.boxed(), 0..5, ", "),
        1 => tokens(),
    ]
    .boxed()
}

fn param() -> Text {
    let attrs = list(
        prop_oneof![
            3 => plausible_field_attribute(),
            3 => attribute(),
            1 => strings(&["#[allow(unused)]", "#[cfg(x)]"]),
        ]
        .boxed(),
        0..3,
        " ",
    );
    let receiver = strings(&[
        "self",
        "&self",
        "&mut self",
        "&'a self",
        "&'a mut self",
        "mut self",
        "self: Box<Self>",
        "self: &Self",
        "self: impl Fn()",
    ]);
    let pattern = prop_oneof![
        4 => field_name(),
        2 => strings(&[
            "mut x", "ref x", "ref mut x", "_", "(a, b)", "x @ _", "Point { x, y }", "&x", "[a, b]",
            "mut r#type",
        ]),
    ];
    let typed = (pattern, ty()).prop_map(|(p, t)| format!("{p}: {t}"));
    (attrs, prop_oneof![1 => receiver, 4 => typed])
        .prop_map(|(attrs, param)| format!("{attrs} {param}"))
        .boxed()
}

/// A function of every signature, or now and then another item.
fn instrument_item() -> Text {
    let qualifiers = strings(&[
        "",
        "",
        "pub ",
        "async ",
        "const ",
        "unsafe ",
        "extern \"C\" ",
        "pub(crate) async unsafe ",
    ]);
    let output = prop_oneof![
        2 => Just(String::new()),
        3 => strings(&[
            "-> ()",
            "-> T",
            "-> Result<T, E>",
            "-> Result<(), Pii<String>>",
            "-> impl Debug",
            "-> Box<impl X>",
            "-> !",
            "-> Self",
            "-> Option<Pii<String>>",
            "-> Result<impl Debug, E>",
        ]),
        1 => ty().prop_map(|t| format!("-> {t}")),
    ];
    let body = strings(&[
        "{}",
        "{ body() }",
        "{ let x = 1; x }",
        "{ Ok(()) }",
        "{ loop {} }",
        "{ async {}.await }",
    ]);
    let function = (
        strings(&["", "#[inline]", "#[allow(dead_code)]", "#[pii]", "#[privacy::instrument]"]),
        qualifiers,
        field_name(),
        generics(),
        list(param(), 0..5, ", "),
        strings(&["", "", ", ...", ","]),
        output,
        where_clause(),
        body,
    )
        .prop_map(
            |(attr, qualifiers, name, generics, params, variadic, output, where_clause, body)| {
                format!(
                    "{attr} {qualifiers}fn {name}{generics}({params}{variadic}) {output} {where_clause} {body}"
                )
            },
        );
    let other = strings(&[
        "struct S;",
        "impl S { fn f(&self) {} }",
        "mod m {}",
        "trait T { fn f(); }",
        "fn f();",
        "const X: u8 = 1;",
        "extern \"C\" { fn f(); }",
        "macro_rules! m { () => {} }",
        "use a::b;",
        "enum E { A }",
    ]);
    prop_oneof![8 => function, 1 => other].boxed()
}

// ---------------------------------------------------------------------------------------------
// The corpus: valid inputs from the tests.

const DERIVE_CORPUS: &[&str] = &[
    // tests/serialize.rs
    r"struct Member {
        #[safe] id: u64,
        #[pii(name)] name: String,
        #[pii(phone, redact = last(4))] phone: String,
        #[pii(name, redact = first(2))] first: String,
        #[pii(email, redact = email)] email: String,
        #[pii(ip, redact = ip_prefix)] ip: IpAddr,
        #[oii(org_name)] org: String,
        #[pii(redact = skip)] password: String,
        #[pii(message)] status: Option<String>,
        nickname: Option<Pii<String>>,
        avatar: Avatar,
        tags: Vec<Oii<String>>,
    }",
    r#"struct Avatar {
        #[safe] size: u16,
        #[pii(custom = "photo_url", redact = first(8))] url: String,
    }"#,
    r#"#[serde(tag = "kind")]
    enum Event {
        Joined(Joined),
        Left(Unit),
        #[serde(skip_serializing)]
        Internal(#[safe] u8),
    }"#,
    r"struct Flattened {
        #[safe] id: u8,
        #[serde(flatten)] avatar: Avatar,
        #[safe] #[serde(flatten)] extra: BTreeMap<String, u32>,
    }",
    // tests/reveal.rs
    r#"#[serde(tag = "type", content = "data", rename_all = "snake_case")]
    enum Event {
        Called {
            #[safe] #[privacy(subject)] caller: u64,
            #[pii(phone, redact = last(2))] number: String,
        },
        Note(Avatar),
        Nothing,
    }"#,
    // tests/debug.rs
    r"enum Contact {
        Phone(#[pii(phone, redact = last(2))] String),
        Email {
            #[pii(email, redact = email)] address: String,
            #[safe] verified: bool,
            #[pii(redact = skip)] token: String,
        },
        Both(#[pii(phone)] String, #[pii(email, redact = first(1))] String),
    }",
    r#"#[privacy(bound = "T: AsRef<str>")]
    struct Note<T> {
        #[pii(message, with = count_words)]
        text: T,
    }"#,
    r"struct Generic<'a, T, U: Clone, const N: usize> where T: Sized {
        #[pii] hidden: T,
        #[safe] shown: &'a U,
        nested: [Pii<u8>; N],
        recursive: Option<Box<Self>>,
        #[pii(email, redact = hash)] r#type: String,
    }",
    // tests/telemetry.rs
    r#"#[privacy(telemetry = "crash", crate = "::privacy", bound(debug = "", classified = "T: Clone"))]
    struct CrashReport {
        #[safe] #[privacy(subject)] user: u64,
        #[safe] code: u32,
        #[safe] build: &'static str,
        #[pii(ip, purposes(Diagnostics))] client_ip: std::net::IpAddr,
        #[pii(message, purposes(Support, crate::Billing))] note: String,
        #[pii(phone, redact = skip)] phone: String,
    }"#,
    r#"#[serde(rename_all = "camelCase", rename = "renamed")]
    struct Renamed(#[safe] u8, #[serde(skip_serializing_if = "Option::is_none")] Option<Pii<u8>>);"#,
    // tests/shapes.rs
    r"#[repr(C, packed)]
    struct Packed {
        #[safe] #[privacy(subject)] id: u32,
        #[pii(phone, redact = last(2))] code: u64,
        #[pii(name)] name: &'static str,
        nick: Pii<u16>,
        #[pii(redact = skip)] skipped: u8,
    }",
    r#"#[serde(tag = "t", content = "c")]
    enum NeverAdjacent {}"#,
    r"struct Tail<T: ?Sized> {
        #[safe] #[privacy(subject)] id: u64,
        #[pii(phone, redact = last(4), purposes(Support))] phone: str,
        items: T,
    }",
    r"enum Shapes<'a, 'b: 'a, T: 'a = u8, const N: usize = 2> where Self: Sized {
        Braces {} = 1,
        Parens() = 2,
        Macro(#[safe] byte!(), #[pii(phone, redact = last(2))] &'b str) = 4,
        Array(#[safe] [u8; N], &'a Pii<T>) = 5,
    }",
    // tests/hygiene.rs
    r#"#[serde(tag = "t", content = "c")]
    enum Generated<'__a, '__c, '__x, __S, __field> {
        A {
            #[safe] #[privacy(subject)] _privacy: u64,
            _serde: __S,
            #[pii(with = __f)] __cx: String,
            #[safe] #[serde(skip_serializing_if = "__state")] __state: u8,
            __field: Vec<__field>,
            #[safe] s: &'__a str,
            #[pii] c: &'__c str,
            #[safe] y: &'__x u8,
        },
        B(__S),
    }"#,
    r"struct Collide<T: shape::Shape, U: uuid::Tag> {
        #[safe] T: u8,
        #[safe] shape: u8,
        uuid: Pii<U>,
        inner: Pii<T>,
        Collide: Pii<u8>,
    }",
];

const INSTRUMENT_CORPUS: &[(&str, &str)] = &[
    // tests/instrument.rs
    (
        "ret",
        r"fn register(
            #[safe] group: u32,
            #[pii(phone, redact = last(4))] phone: &str,
            #[pii(name, redact = first(2))] name: String,
            #[pii(email, redact = email)] email: String,
            #[pii(ip, redact = ip_prefix)] ip: IpAddr,
            #[pii(email, redact = hash)] backup_email: String,
            #[pii(message, with = word_count)] note: String,
            #[oii(org_name)] org: String,
            #[pii(redact = skip)] password: String,
            nickname: Pii<String>,
        ) -> Receipt { receipt() }",
    ),
    (
        "ret, err",
        r"fn lookup(#[safe] group: u32, #[pii(phone)] phone: String) -> Result<Receipt, LookupError> {
            if group == 0 { Err(LookupError::Unknown(phone)) } else { Ok(receipt()) }
        }",
    ),
    (
        r#"err(Display, level = "warn")"#,
        r#"fn parse_phone(#[pii(phone, redact = last(2))] raw: &str) -> Result<u8, Pii<String>> {
            Err(Pii::new(format!("{raw} is not a phone number")))
        }"#,
    ),
    (
        r#"skip(raw, count), fields(request = "req-visible", attempt = 2, group = "replaced")"#,
        r"fn with_skip_and_fields(#[safe] group: u32, raw: String, count: usize, #[pii(phone)] phone: String) {
            drop((group, raw, count, phone));
        }",
    ),
    (
        r#"skip_all, name = "renamed_span", target = "audit", level = "debug""#,
        r"fn with_skip_all((left, right): (String, String), #[pii] phone: String) {
            drop((left, right, phone));
        }",
    ),
    (
        "ret",
        r"fn rename(&mut self, #[pii(name, redact = first(1))] owner: String) -> &Self {
            self.owner = owner;
            self
        }",
    ),
    (
        r#"ret, level = "debug", crate = "::privacy", fields(?id, %r#type, a.b = format!("{id}"))"#,
        r"async fn fetch<'a, T: Debug>(#[pii(phone, redact = last(2))] phone: String, contact: Contact, id: &'a T, r#type: u8) -> Option<Contact> where T: Clone {
            std::future::ready(()).await;
            phone.is_empty().then_some(contact)
        }",
    ),
];

// ---------------------------------------------------------------------------------------------
// Mutations.

/// One change to a token stream, at the group `group` (in pre-order, modulo their number; the
/// top level is the first). Indices are taken modulo the length of the group's stream.
#[derive(Clone, Debug)]
struct Mutation {
    group: usize,
    op: Op,
}

#[derive(Clone, Debug)]
enum Op {
    Drop(usize),
    Duplicate(usize),
    Swap(usize, usize),
    Insert(usize, String),
    Replace(usize, String),
    /// Wraps the tokens from the first index, as many as the second, in a group.
    Regroup(usize, usize, u8),
    /// Replaces a group by its contents.
    Ungroup(usize),
}

fn mutation() -> BoxedStrategy<Mutation> {
    let index = any::<usize>;
    let op = prop_oneof![
        3 => index().prop_map(Op::Drop),
        2 => index().prop_map(Op::Duplicate),
        2 => (index(), index()).prop_map(|(a, b)| Op::Swap(a, b)),
        2 => (index(), token()).prop_map(|(i, t)| Op::Insert(i, t)),
        2 => (index(), token()).prop_map(|(i, t)| Op::Replace(i, t)),
        1 => (index(), 0..4usize, 0..4u8).prop_map(|(i, n, d)| Op::Regroup(i, n, d)),
        1 => index().prop_map(Op::Ungroup),
    ];
    (any::<usize>(), op)
        .prop_map(|(group, op)| Mutation { group, op })
        .boxed()
}

fn mutations(len: std::ops::Range<usize>) -> BoxedStrategy<Vec<Mutation>> {
    vec(mutation(), len).boxed()
}

fn count_groups(stream: &TokenStream) -> usize {
    stream
        .clone()
        .into_iter()
        .map(|tree| match tree {
            TokenTree::Group(group) => 1 + count_groups(&group.stream()),
            _ => 0,
        })
        .sum()
}

fn mutate(stream: TokenStream, mutations: &[Mutation]) -> TokenStream {
    mutations.iter().fold(stream, |stream, mutation| {
        let mut target = Some(mutation.group % (count_groups(&stream) + 1));
        apply(stream, &mut target, &mutation.op)
    })
}

/// Applies `op` to the group numbered `target`, counting down as groups are passed.
fn apply(stream: TokenStream, target: &mut Option<usize>, op: &Op) -> TokenStream {
    let mut trees: Vec<TokenTree> = stream.into_iter().collect();
    match target {
        Some(0) => {
            *target = None;
            op.apply(&mut trees);
            return trees.into_iter().collect();
        }
        Some(n) => *n -= 1,
        None => return trees.into_iter().collect(),
    }
    for tree in &mut trees {
        if target.is_none() {
            break;
        }
        if let TokenTree::Group(group) = tree {
            let mut inner = Group::new(group.delimiter(), apply(group.stream(), target, op));
            inner.set_span(group.span());
            *tree = TokenTree::Group(inner);
        }
    }
    trees.into_iter().collect()
}

impl Op {
    fn apply(&self, trees: &mut Vec<TokenTree>) {
        let len = trees.len();
        if len == 0 {
            if let Op::Insert(_, text) | Op::Replace(_, text) = self {
                trees.extend(parse_tokens(text));
            }
            return;
        }
        match self {
            Op::Drop(i) => {
                trees.remove(i % len);
            }
            Op::Duplicate(i) => trees.insert(i % len, trees[i % len].clone()),
            Op::Swap(a, b) => trees.swap(a % len, b % len),
            Op::Insert(i, text) => {
                let at = i % (len + 1);
                trees.splice(at..at, parse_tokens(text));
            }
            Op::Replace(i, text) => {
                let at = i % len;
                trees.splice(at..=at, parse_tokens(text));
            }
            Op::Regroup(i, n, delimiter) => {
                let start = i % len;
                let end = (start + n).min(len);
                let delimiter = match delimiter {
                    0 => Delimiter::Parenthesis,
                    1 => Delimiter::Bracket,
                    2 => Delimiter::Brace,
                    _ => Delimiter::None,
                };
                let inner: TokenStream = trees.drain(start..end).collect();
                trees.insert(start, TokenTree::Group(Group::new(delimiter, inner)));
            }
            Op::Ungroup(i) => {
                let at = i % len;
                if let TokenTree::Group(group) = &trees[at] {
                    let inner: Vec<TokenTree> = group.stream().into_iter().collect();
                    trees.splice(at..=at, inner);
                }
            }
        }
    }
}

/// The tokens of a fragment; every fragment is built to lex.
fn parse_tokens(text: &str) -> TokenStream {
    TokenStream::from_str(text)
        .unwrap_or_else(|error| panic!("fragment {text:?} does not lex: {error}"))
}

// ---------------------------------------------------------------------------------------------
// The checks.

/// What happened to the cases of one target.
#[derive(Default)]
struct Tally {
    /// Inputs that were not items, and so did not count as cases.
    skipped: Cell<u32>,
    expanded: Cell<u32>,
    with_errors: Cell<u32>,
}

impl Tally {
    fn count(&self, with_errors: bool) {
        self.expanded.set(self.expanded.get() + 1);
        if with_errors {
            self.with_errors.set(self.with_errors.get() + 1);
        }
    }

    fn skip(&self) -> TestCaseError {
        self.skipped.set(self.skipped.get() + 1);
        TestCaseError::reject("not an item")
    }
}

fn panic_text(panic: &(dyn std::any::Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(a panic without a message)")
}

/// Expands `tokens` with the derive if they are a struct, enum or union: `Some(has_errors)`, or
/// `None` when they are not.
fn check_derive(tokens: &TokenStream) -> Result<Option<bool>, TestCaseError> {
    let Ok(input) = syn::parse2::<syn::DeriveInput>(tokens.clone()) else {
        return Ok(None);
    };
    let output =
        catch_unwind(AssertUnwindSafe(|| crate::expand::derive(&input))).map_err(|panic| {
            TestCaseError::fail(format!(
                "#[derive(Privacy)] panicked: {}\ninput: {tokens}",
                panic_text(&*panic)
            ))
        })?;
    check_output("#[derive(Privacy)]", &tokens.to_string(), &output).map(Some)
}

/// Applies `#[privacy::instrument(args)]` to `item` if it is an item: `Some(has_errors)`, or
/// `None` when it is not.
fn check_instrument(args: &TokenStream, item: &TokenStream) -> Result<Option<bool>, TestCaseError> {
    if syn::parse2::<syn::Item>(item.clone()).is_err() {
        return Ok(None);
    }
    let output = catch_unwind(AssertUnwindSafe(|| {
        crate::instrument::instrument(args.clone(), item)
    }))
    .map_err(|panic| {
        TestCaseError::fail(format!(
            "#[privacy::instrument] panicked: {}\nargs: {args}\nitem: {item}",
            panic_text(&*panic)
        ))
    })?;
    let input = format!("#[privacy::instrument({args})] {item}");
    check_output("#[privacy::instrument]", &input, &output).map(Some)
}

/// The output is items, errors included: `Ok(has_errors)`.
fn check_output(
    macro_name: &str,
    input: &str,
    output: &TokenStream,
) -> Result<bool, TestCaseError> {
    let fail = |problem: &str| {
        TestCaseError::fail(format!(
            "{macro_name}: {problem}\ninput: {input}\noutput: {output}"
        ))
    };
    let file = syn::parse2::<syn::File>(output.clone())
        .map_err(|error| fail(&format!("the output is not a file of items: {error}")))?;
    if file.items.is_empty() {
        return Err(fail("the output is empty"));
    }
    Ok(file.items.iter().any(|item| {
        matches!(item, syn::Item::Macro(m) if m.mac.path.segments.last().is_some_and(|s| s.ident == "compile_error"))
    }))
}

fn cases() -> u32 {
    std::env::var("PRIVACY_FUZZ_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(DEFAULT_CASES)
}

/// `PRIVACY_FUZZ_SEED`, or a new seed for every run.
fn seed() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    std::env::var("PRIVACY_FUZZ_SEED")
        .ok()
        .and_then(|seed| seed.parse().ok())
        .unwrap_or_else(|| {
            std::collections::hash_map::RandomState::new()
                .build_hasher()
                .finish()
        })
}

/// Runs `check` on `strategy` until `cases()` inputs were items, then reports the count.
fn fuzz<S>(
    target: &str,
    strategy: &S,
    check: impl Fn(&S::Value) -> Result<Option<bool>, TestCaseError>,
) where
    S: Strategy,
    S::Value: Debug,
{
    let (cases, seed) = (cases(), seed());
    let config = Config {
        rng_seed: RngSeed::Fixed(seed),
        failure_persistence: None,
        // A failure is printed after at most a minute of making it smaller.
        max_shrink_time: 60_000,
        // Far more than the generators produce: reaching it means they have drifted.
        max_global_rejects: cases.saturating_mul(6),
        ..Config::with_cases(cases)
    };
    let tally = Tally::default();
    let result = TestRunner::new(config).run(strategy, |value| match check(&value)? {
        Some(with_errors) => {
            tally.count(with_errors);
            Ok(())
        }
        None => Err(tally.skip()),
    });
    match result {
        Ok(()) => {
            let (expanded, with_errors) = (tally.expanded.get(), tally.with_errors.get());
            eprintln!(
                "{target}: {expanded} cases ({with_errors} with errors, {} without); {} inputs \
                 skipped as not items",
                expanded - with_errors,
                tally.skipped.get()
            );
        }
        Err(TestError::Fail(reason, value)) => {
            panic!(
                "{target}: {reason}\nsmallest failing case: {value:?}\nrun again with \
                 PRIVACY_FUZZ_SEED={seed}"
            )
        }
        Err(TestError::Abort(reason)) => {
            panic!("{target}: aborted: {reason} (PRIVACY_FUZZ_SEED={seed})")
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The targets.

#[test]
fn derive_grammar() {
    let strategy = (derive_item(), mutations(0..3));
    fuzz("derive, grammar", &strategy, |(source, mutations)| {
        check_derive(&mutate(parse_tokens(source), mutations))
    });
}

#[test]
fn derive_corpus() {
    let strategy = (select(DERIVE_CORPUS), mutations(1..4));
    fuzz("derive, corpus", &strategy, |(source, mutations)| {
        check_derive(&mutate(parse_tokens(source), mutations))
    });
}

#[test]
fn instrument_grammar() {
    let strategy = (
        instrument_args(),
        instrument_item(),
        mutations(0..2),
        mutations(0..2),
    );
    fuzz(
        "instrument, grammar",
        &strategy,
        |(args, item, args_mutations, item_mutations)| {
            let args = mutate(parse_tokens(args), args_mutations);
            check_instrument(&args, &mutate(parse_tokens(item), item_mutations))
        },
    );
}

#[test]
fn instrument_corpus() {
    let strategy = (select(INSTRUMENT_CORPUS), mutations(0..5), mutations(0..5));
    fuzz(
        "instrument, corpus",
        &strategy,
        |((args, item), args_mutations, item_mutations)| {
            let args = mutate(parse_tokens(args), args_mutations);
            check_instrument(&args, &mutate(parse_tokens(item), item_mutations))
        },
    );
}

/// The function on which reads in `fields(...)` are checked: a parameter of each kind.
const READER: &str = "fn register(
    &self,
    #[pii(phone)] phone: String,
    #[oii(tenant_id)] tenant: String,
    nickname: Pii<String>,
    member: Member,
    #[safe] group: u32,
) {}";

/// The parameters of `READER` that no value may read: each `#[pii]` or `#[oii]` one, and each
/// without an attribute (`self` among them), whose type classifies itself only as a whole.
const REFUSED: &[&str] = &["phone", "tenant", "nickname", "member", "self"];

/// What a value may read: a `#[safe]` parameter, a constant, a name that is no parameter.
const ALLOWED: &[&str] = &["group", "LIMIT", "x"];

/// A `fields(...)` entry whose value reads the variable: after a key, with or without a
/// sigil, or as tracing's shorthand.
fn reading_entry(variable: &str) -> Text {
    prop_oneof![
        4 => (strings(&["", "?", "%"]), reading_of(variable)).prop_map(|(sigil, value)| format!("shown = {sigil}{value}")),
        1 => strings(&[
            "?@",
            "%@",
            "?@.phone",
            "%@.a.b",
            "shown = ?@",
            "shown = %@",
            "shown = @",
            // As in tracing, the sigil after `=` wins over the one before the name.
            "?shown = @",
            "%shown = ?@",
            "?shown = %@",
        ]),
    ]
    .boxed()
}

/// Whether an entry records a parameter whole through its `Debug`, the one read allowed of a
/// parameter whose type classifies itself. `self` is not among them: the attribute cannot
/// check that its type classifies itself.
fn records_whole(entry: &str, variable: &str) -> bool {
    ["nickname", "member"].contains(&variable)
        && ["?@", "shown = ?@", "?shown = @", "%shown = ?@"].contains(&entry)
}

/// `#[privacy::instrument(fields(entry))]` on `READER`, with the variable of `entry` named
/// `variable`: `Ok(errors)` with the output, to be checked by the caller.
fn expand_reader(entry: &str, variable: &str) -> Result<String, TestCaseError> {
    let args = parse_tokens(&format!("fields({})", entry.replace(VARIABLE, variable)));
    let item = parse_tokens(READER);
    check_instrument(&args, &item)?;
    Ok(crate::instrument::instrument(args, &item).to_string())
}

#[test]
fn fields_that_read_a_parameter_are_refused() {
    let strategy =
        select(REFUSED).prop_flat_map(|variable| (reading_entry(variable), Just(variable)));
    fuzz("fields, refused reads", &strategy, |(entry, variable)| {
        let output = expand_reader(entry, variable)?;
        let error = format!("reads parameter `{variable}`");
        if records_whole(entry, variable) {
            prop_assert!(!output.contains("compile_error"), "{entry}: {output}");
        } else {
            prop_assert!(
                output.contains("compile_error") && output.contains(&error),
                "{entry} with `{variable}` is not refused: {output}"
            );
        }
        Ok(Some(!records_whole(entry, variable)))
    });
}

#[test]
fn fields_that_read_what_is_safe_are_accepted() {
    let strategy =
        select(ALLOWED).prop_flat_map(|variable| (reading_entry(variable), Just(variable)));
    fuzz("fields, allowed reads", &strategy, |(entry, variable)| {
        let output = expand_reader(entry, variable)?;
        prop_assert!(
            !output.contains("compile_error"),
            "{entry} with `{variable}` is refused: {output}"
        );
        Ok(Some(false))
    });
}

#[test]
fn fields_that_only_name_a_parameter_are_accepted() {
    let strategy = (naming(), select(&REFUSED[..4]));
    fuzz(
        "fields, names that are not reads",
        &strategy,
        |(value, variable)| {
            let output = expand_reader(&format!("shown = {value}"), variable)?;
            prop_assert!(
                !output.contains("compile_error"),
                "{value} with `{variable}` is refused: {output}"
            );
            Ok(Some(false))
        },
    );
}

/// Every failure the fuzzing found, made small. Each input is expanded with the checks of the
/// fuzzing; the tests then say what the expansion must hold.
mod regressions {
    use super::{check_derive, check_instrument, parse_tokens};

    /// The derive's output for `source`, which must be an item.
    #[track_caller]
    fn derive(source: &str) -> String {
        let tokens = parse_tokens(source);
        match check_derive(&tokens) {
            Ok(Some(_)) => crate::expand::derive(&syn::parse2(tokens).unwrap()).to_string(),
            Ok(None) => panic!("not a struct, enum or union: {source}"),
            Err(error) => panic!("{error}"),
        }
    }

    /// The output of `#[privacy::instrument(args)]` on `item`, which must be an item.
    #[track_caller]
    fn instrument(args: &str, item: &str) -> String {
        let (args, item) = (parse_tokens(args), parse_tokens(item));
        match check_instrument(&args, &item) {
            Ok(Some(_)) => crate::instrument::instrument(args, &item).to_string(),
            Ok(None) => panic!("not an item: {item}"),
            Err(error) => panic!("{error}"),
        }
    }

    /// `Ident::new` panicked on the raw identifier read in a format string.
    #[test]
    fn raw_identifier_in_a_fields_format_string() {
        instrument(
            r#"fields(shown = format!("{r#type}"))"#,
            "fn f(#[safe] r#type: u8) {}",
        );
        let output = instrument(
            r#"fields(shown = format!("{r#phone}"))"#,
            "fn f(#[pii(phone)] phone: String) {}",
        );
        assert!(output.contains("reads parameter `phone`"), "{output}");
    }

    /// `use a::<u8> as _privacy;` and `#[a::<u8>::__private::tracing::instrument]` do not parse,
    /// and neither does `use Self as _privacy;`.
    #[test]
    fn crate_path_with_generic_arguments_or_self() {
        for path in ["privacy::<u8>", "Self", "Self::privacy"] {
            let output = derive(&format!(r#"#[privacy(crate = "{path}")] struct S;"#));
            assert!(
                output.contains("a path without generic arguments or `Self`"),
                "{output}"
            );
            let output = instrument(&format!(r#"crate = "{path}""#), "fn f() {}");
            assert!(
                output.contains("a path without generic arguments or `Self`"),
                "{output}"
            );
        }
        assert!(
            !derive(r#"#[privacy(crate = "self::privacy")] struct S;"#).contains("compile_error")
        );
    }

    /// syn reads `_` as a type parameter and as a field name, which rustc reports but still
    /// derives: `impl<_>` did not parse, and `_` as a check's type parameter panicked.
    #[test]
    fn underscore_as_a_type_parameter_or_a_field() {
        let output = derive("struct S<_> {}");
        assert!(output.contains("a type parameter needs a name"), "{output}");
        assert!(!output.contains("automatically_derived"), "{output}");
        derive("union U<_> { a: u8 }");
        let output = derive("struct S { _: u8, #[safe] a: u8 }");
        assert!(output.contains("a field needs a name"), "{output}");
        derive("enum E { A { #[pii] _: u8 } }");
    }

    /// `Self` spelled out outside the impls: `Generic<T><u8>` and, in an expression,
    /// `[u8; Generic<T>::LEN]` did not parse.
    #[test]
    fn self_with_arguments_or_in_an_expression() {
        for ty in [
            "Self<u8>",
            "Self::<u8>",
            "Box<Self<fn() -> u8>>",
            "[u8; Self::LEN]",
            "Box<{ Self::N }>",
        ] {
            let output = derive(&format!(
                "struct G<'a, T, const N: usize> {{ f: Option<{ty}>, t: &'a T }}"
            ));
            assert!(!output.contains("compile_error"), "{output}");
        }
        let output = derive("struct G<T> { f: Option<Box<Self<u8>>>, t: T }");
        assert!(
            output.contains("recursive :: < Option < Box < G :: < T > > >"),
            "{output}"
        );
    }

    /// serde's `camelCase` cut names at their first byte: `été` panicked, and so did `__`.
    #[test]
    fn camel_case_of_a_non_ascii_or_empty_name() {
        let output = derive(
            r#"#[serde(rename_all = "camelCase")] struct S { #[safe] été_fort: u8, #[safe] __: u8 }"#,
        );
        assert!(output.contains(r#""étéFort""#), "{output}");
        let output =
            derive(r#"#[serde(rename_all = "camelCase")] enum E { Été, Ünïcode(#[safe] u8) }"#);
        // Only ASCII letters change case, as in serde.
        assert!(
            output.contains(r#""Été""#) && output.contains(r#""Ünïcode""#),
            "{output}"
        );
    }

    /// A bare trait object with more than one bound: `&dyn Debug + Send` does not parse.
    #[test]
    fn trait_object_with_several_bounds() {
        for ty in ["dyn Debug + Send", "dyn Debug + 'static", "T +"] {
            let output = derive(&format!(
                "struct Tail<T> {{ #[safe] id: T, #[pii(with = describe)] tail: {ty} }}"
            ));
            assert!(!output.contains("compile_error"), "{output}");
        }
    }
}
