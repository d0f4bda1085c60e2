//! The data inventory: every classified type linked into a program, and what it holds.
//!
//! Every non-generic type that derives `Privacy` registers itself at compile time, with its
//! schema and where it is defined. [`types`] lists them; [`Report::collect`] turns them into a
//! data map: each type and field with its class, kind, strategy, purposes and subject flag,
//! the line that declares it, and the app-store declarations it calls for (see
//! [`Kind::apple_data_type`] and [`Kind::android_data_type`]), also summed up per data type.
//! [`Report::to_markdown`] writes it for people (a privacy review, a DPIA appendix) and
//! [`Report::to_json`] for tools (a CI check that a new PII field comes with a declaration).
//!
//! ```
//! use privacy::inventory::{self, AppleDataType, Report};
//! use privacy::{Class, Kind, Privacy};
//!
//! #[derive(Privacy)]
//! struct Member {
//!     #[safe]
//!     #[privacy(subject)]
//!     id: u64,
//!     #[pii(phone, redact = last(4))]
//!     phone: String,
//! }
//!
//! assert!(inventory::types().iter().any(|t| t.name() == "Member"));
//!
//! let report = Report::collect();
//! let member = report.types.iter().find(|t| t.name == "Member").unwrap();
//! let phone = &member.fields[1];
//! assert_eq!((phone.name, phone.class, phone.kind), ("phone", Class::Pii, Some(Kind::Phone)));
//! assert_eq!(phone.apple, Some(AppleDataType::PHONE_NUMBER));
//!
//! let markdown = report.to_markdown();
//! assert!(markdown.contains("| `phone` | pii | `phone` | `last(4)` |"));
//! assert!(markdown.contains("`NSPrivacyCollectedDataTypePhoneNumber`"));
//! ```
//!
//! # What is registered
//!
//! Types with type or const parameters are not registered: the schema belongs to each
//! instantiation, and a derive cannot know which ones a program uses. They still appear in the
//! report when a registered type contains one (`Envelope<Message>`), as a type without a
//! source location, once for every distinct schema. Types whose only parameters are lifetimes
//! are registered.
//!
//! Registration relies on the linker keeping the registering code (see the `inventory` crate):
//! a type defined in a library appears once the program links that library's code, which it
//! does whenever it uses anything from the library.

mod categories;

use core::fmt;
use std::collections::BTreeMap;

pub use categories::{AndroidDataType, AppleDataType};

use crate::{Class, Kind, Schema, SchemaFn, Shape, Strategy};

/// A type that derives `Privacy`, as registered by the derive: its schema and where it is
/// defined.
#[non_exhaustive]
pub struct RegisteredType {
    schema: SchemaFn,
    /// The module the type is defined in (`module_path!()`), starting with the crate's name.
    pub module_path: &'static str,
    /// The source file that defines it, as `file!()` names it: relative to the workspace root
    /// for the workspace's own crates.
    pub file: &'static str,
    /// The line of the type's name.
    pub line: u32,
    /// The line of each field, in the order of the schema (every variant's fields, in turn).
    pub field_lines: &'static [u32],
    /// Whether the type is a telemetry event (`#[privacy(telemetry)]`).
    pub telemetry: bool,
}

::inventory::collect!(RegisteredType);

impl RegisteredType {
    /// What the derive registers. Not public API.
    #[doc(hidden)]
    #[must_use]
    pub const fn new(
        schema: SchemaFn,
        module_path: &'static str,
        file: &'static str,
        line: u32,
        field_lines: &'static [u32],
        telemetry: bool,
    ) -> Self {
        RegisteredType {
            schema,
            module_path,
            file,
            line,
            field_lines,
            telemetry,
        }
    }

    /// The type's schema.
    #[must_use]
    pub fn schema(&self) -> &'static Schema {
        (self.schema)()
    }

    /// The type's name, without module path or generic arguments.
    #[must_use]
    pub fn name(&self) -> &'static str {
        self.schema().type_name
    }

    /// The type's path: `crate::module::Type`.
    #[must_use]
    pub fn path(&self) -> String {
        format!("{}::{}", self.module_path, self.name())
    }
}

impl fmt::Debug for RegisteredType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RegisteredType")
            .field("name", &self.name())
            .field("module_path", &self.module_path)
            .field("file", &self.file)
            .field("line", &self.line)
            .field("field_lines", &self.field_lines)
            .field("telemetry", &self.telemetry)
            .finish_non_exhaustive()
    }
}

/// Every registered type linked into the program, sorted by module path and name.
#[must_use]
pub fn types() -> Vec<&'static RegisteredType> {
    let mut types: Vec<_> = ::inventory::iter::<RegisteredType>.into_iter().collect();
    types.sort_by_key(|t| (t.module_path, t.name(), t.file, t.line));
    types
}

/// A data map of classified types: every type and field, and the app-store declarations they
/// call for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// The types, sorted by module path and name; types met only as the field of another (the
    /// generic ones) come last, sorted by name.
    pub types: Vec<TypeReport>,
    /// Each Apple privacy-manifest data type the fields call for, once, with those fields.
    pub apple: Vec<Declaration<AppleDataType>>,
    /// Each Google Play Data safety data type the fields call for, once, with those fields.
    pub android: Vec<Declaration<AndroidDataType>>,
}

/// One type of a [`Report`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypeReport {
    /// The type's name, without module path or generic arguments.
    pub name: &'static str,
    /// Where it is defined; `None` for a type that is not registered (a generic one, met as the
    /// field of another).
    pub source: Option<Source>,
    /// Whether it is a telemetry event (`#[privacy(telemetry)]`); `false` when not registered.
    pub telemetry: bool,
    /// The most sensitive class it carries, through its own fields or the types it contains.
    pub class: Class,
    /// Its fields; an enum's fields carry their variant's name. A unit variant has none, and is
    /// not listed.
    pub fields: Vec<FieldReport>,
}

impl TypeReport {
    /// `module::Type`, or the bare name for a type that is not registered.
    #[must_use]
    pub fn path(&self) -> String {
        match &self.source {
            Some(source) => format!("{}::{}", source.module_path, self.name),
            None => self.name.to_owned(),
        }
    }
}

/// Where a registered type is defined.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    /// Its module path, starting with the crate's name.
    pub module_path: &'static str,
    /// Its source file, as `file!()` names it.
    pub file: &'static str,
    /// The line of its name.
    pub line: u32,
}

/// One field of a [`TypeReport`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldReport {
    /// The enum variant the field belongs to; `None` for a struct's field.
    pub variant: Option<&'static str>,
    /// The field's name, or its index in a tuple struct or variant.
    pub name: &'static str,
    /// Its class; for a field whose type classifies itself, the most sensitive class that
    /// type carries.
    pub class: Class,
    /// Its kind, if it names one.
    pub kind: Option<Kind>,
    /// How it is redacted; `None` for safe fields and nested types.
    pub strategy: Option<Strategy>,
    /// The purposes that may ever reveal it; empty when not restricted.
    pub purposes: &'static [&'static str],
    /// Whether it names the data subject.
    pub subject: bool,
    /// The type of a field whose type classifies itself, by name: `Member`, `Pii`,
    /// `Map<Pii, Member>`, `(Pii, Oii)`. Each struct or enum named there has its own entry in
    /// the report.
    pub nested: Option<String>,
    /// The Apple privacy-manifest data type its kind calls for.
    pub apple: Option<AppleDataType>,
    /// The Google Play Data safety data type its kind calls for.
    pub android: Option<AndroidDataType>,
    /// The line that declares it; `None` when the type is not registered.
    pub line: Option<u32>,
}

/// An app-store data type and the fields that call for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Declaration<T> {
    /// The data type to declare.
    pub data_type: T,
    /// The fields that call for it: `module::Type.field`, or `module::Type::Variant.field`.
    pub fields: Vec<String>,
}

impl Report {
    /// The report of every registered type linked into the program (see [`types`]).
    #[must_use]
    pub fn collect() -> Report {
        Report::of(types())
    }

    /// The report of the given registered types, and of the unregistered types their fields
    /// contain.
    #[must_use]
    pub fn of<'a>(types: impl IntoIterator<Item = &'a RegisteredType>) -> Report {
        let mut pending = Vec::new();
        let mut reports: Vec<TypeReport> = types
            .into_iter()
            .map(|registered| registered_report(registered, &mut pending))
            .collect();
        reports.sort_by(|a, b| {
            let key = |t: &TypeReport| {
                t.source
                    .as_ref()
                    .map(|s| (s.module_path, t.name, s.file, s.line))
            };
            key(a).cmp(&key(b))
        });
        reports.extend(unregistered(&reports, pending));
        let apple = declarations(&reports, |field| field.apple);
        let android = declarations(&reports, |field| field.android);
        Report {
            types: reports,
            apple,
            android,
        }
    }
}

fn registered_report(registered: &RegisteredType, nested: &mut Vec<&'static Schema>) -> TypeReport {
    let schema = registered.schema();
    TypeReport {
        name: schema.type_name,
        source: Some(Source {
            module_path: registered.module_path,
            file: registered.file,
            line: registered.line,
        }),
        telemetry: registered.telemetry,
        class: schema.class(),
        fields: field_reports(schema, registered.field_lines, nested),
    }
}

/// The types met as fields, starting from `pending`, that are none of the `registered` ones:
/// each distinct schema once, sorted by name. A schema is told from another by its name and
/// fields, as two instantiations of a generic type differ only in those.
fn unregistered(registered: &[TypeReport], mut pending: Vec<&'static Schema>) -> Vec<TypeReport> {
    let mut seen: Vec<(&str, Vec<FieldReport>)> = registered
        .iter()
        .map(|t| (t.name, without_lines(&t.fields)))
        .collect();
    let mut found = Vec::new();
    while let Some(schema) = pending.pop() {
        let mut nested = Vec::new();
        let fields = field_reports(schema, &[], &mut nested);
        if seen
            .iter()
            .any(|(name, seen)| *name == schema.type_name && *seen == fields)
        {
            continue;
        }
        pending.extend(nested);
        seen.push((schema.type_name, fields.clone()));
        found.push(TypeReport {
            name: schema.type_name,
            source: None,
            telemetry: false,
            class: schema.class(),
            fields,
        });
    }
    found.sort_by_cached_key(|t| (t.name, format!("{:?}", t.fields)));
    found
}

/// The fields of a struct or enum schema, with their lines if known; the struct and enum
/// schemas their types contain go to `nested`.
fn field_reports(
    schema: &'static Schema,
    lines: &[u32],
    nested: &mut Vec<&'static Schema>,
) -> Vec<FieldReport> {
    let fields: Vec<(Option<&'static str>, &'static crate::Field)> = match schema.shape {
        Shape::Struct(fields) => fields.iter().map(|f| (None, f)).collect(),
        Shape::Enum(variants) => variants
            .iter()
            .flat_map(|v| v.fields.iter().map(move |f| (Some(v.name), f)))
            .collect(),
        Shape::Value { .. } | Shape::Tuple(_) | Shape::Map { .. } => Vec::new(),
    };
    fields
        .into_iter()
        .enumerate()
        .map(|(index, (variant, field))| FieldReport {
            variant,
            name: field.name,
            class: field.class,
            kind: field.kind,
            strategy: field.strategy,
            purposes: field.purposes,
            subject: field.subject,
            nested: field.nested_schema().map(|schema| {
                named_schemas(schema, nested);
                describe(schema)
            }),
            apple: field.kind.and_then(Kind::apple_data_type),
            android: field.kind.and_then(Kind::android_data_type),
            line: lines.get(index).copied(),
        })
        .collect()
}

/// The struct and enum schemas in `schema`: itself, or those in a tuple's or map's parts.
fn named_schemas(schema: &'static Schema, out: &mut Vec<&'static Schema>) {
    match schema.shape {
        Shape::Struct(_) | Shape::Enum(_) => out.push(schema),
        Shape::Value { .. } => {}
        Shape::Tuple(parts) => parts.iter().for_each(|part| named_schemas(part(), out)),
        Shape::Map { key, value } => {
            named_schemas(key(), out);
            named_schemas(value(), out);
        }
    }
}

/// A nested type by name. Named types stop the description, so recursive types end.
fn describe(schema: &Schema) -> String {
    match schema.shape {
        Shape::Struct(_) | Shape::Enum(_) | Shape::Value { kind: None, .. } => {
            schema.type_name.to_owned()
        }
        Shape::Value {
            kind: Some(kind), ..
        } => format!("{}<{kind}>", schema.type_name),
        Shape::Tuple(parts) => {
            let parts: Vec<String> = parts.iter().map(|part| describe(part())).collect();
            if parts.len() == 1 {
                format!("({},)", parts[0])
            } else {
                format!("({})", parts.join(", "))
            }
        }
        Shape::Map { key, value } => {
            format!(
                "{}<{}, {}>",
                schema.type_name,
                describe(key()),
                describe(value())
            )
        }
    }
}

/// The fields as they compare between schemas: a registered type's lines are not in the
/// schema of the same type met as a field.
fn without_lines(fields: &[FieldReport]) -> Vec<FieldReport> {
    fields
        .iter()
        .map(|field| FieldReport {
            line: None,
            ..field.clone()
        })
        .collect()
}

fn declarations<T: Ord + Copy>(
    types: &[TypeReport],
    data_type: impl Fn(&FieldReport) -> Option<T>,
) -> Vec<Declaration<T>> {
    let mut by_type: BTreeMap<T, Vec<String>> = BTreeMap::new();
    for ty in types {
        for field in &ty.fields {
            if let Some(data_type) = data_type(field) {
                by_type
                    .entry(data_type)
                    .or_default()
                    .push(field_path(ty, field));
            }
        }
    }
    by_type
        .into_iter()
        .map(|(data_type, fields)| Declaration { data_type, fields })
        .collect()
}

/// `module::Type.field`, or `module::Type::Variant.field`.
fn field_path(ty: &TypeReport, field: &FieldReport) -> String {
    match field.variant {
        Some(variant) => format!("{}::{variant}.{}", ty.path(), field.name),
        None => format!("{}.{}", ty.path(), field.name),
    }
}

impl Report {
    /// The report as Markdown: a summary of the app-store declarations, then a table of fields
    /// for every type. The same types give the same text.
    #[must_use]
    pub fn to_markdown(&self) -> String {
        Markdown(self).to_string()
    }
}

/// The Markdown text of a report.
struct Markdown<'a>(&'a Report);

impl fmt::Display for Markdown<'_> {
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.write_markdown(out)
    }
}

impl Report {
    fn write_markdown(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        let fields: usize = self.types.iter().map(|t| t.fields.len()).sum();
        let classified = self
            .types
            .iter()
            .flat_map(|t| &t.fields)
            .filter(|f| f.class.is_classified())
            .count();
        writeln!(out, "# Data inventory")?;
        writeln!(out)?;
        writeln!(
            out,
            "{} types, {fields} fields, {classified} of them PII or OII.",
            self.types.len()
        )?;
        writeln!(out)?;
        writeln!(
            out,
            "The app-store data types follow from the kinds of the fields. Whether the app \
             collects each one, and for what, is for its authors to declare."
        )?;
        writeln!(out)?;

        writeln!(
            out,
            "## Apple privacy manifest (`NSPrivacyCollectedDataTypes`)"
        )?;
        writeln!(out)?;
        if self.apple.is_empty() {
            writeln!(out, "No field calls for a declaration.")?;
        } else {
            writeln!(out, "| Category | Data type | Key | Fields |")?;
            writeln!(out, "|---|---|---|---|")?;
            for declaration in &self.apple {
                let t = declaration.data_type;
                writeln!(
                    out,
                    "| {} | {} | {} | {} |",
                    text(t.category),
                    text(t.name),
                    code(t.key),
                    codes(&declaration.fields)
                )?;
            }
        }
        writeln!(out)?;

        writeln!(out, "## Google Play Data safety")?;
        writeln!(out)?;
        if self.android.is_empty() {
            writeln!(out, "No field calls for a declaration.")?;
        } else {
            writeln!(out, "| Category | Data type | Fields |")?;
            writeln!(out, "|---|---|---|")?;
            for declaration in &self.android {
                let t = declaration.data_type;
                writeln!(
                    out,
                    "| {} | {} | {} |",
                    text(t.category),
                    text(t.name),
                    codes(&declaration.fields)
                )?;
            }
        }

        writeln!(out)?;
        writeln!(out, "## Types")?;
        for ty in &self.types {
            writeln!(out)?;
            ty.write_markdown(out)?;
        }
        Ok(())
    }
}

impl TypeReport {
    fn write_markdown(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(out, "### {}", code(&self.path()))?;
        writeln!(out)?;
        match &self.source {
            Some(source) => write!(
                out,
                "Defined at {}",
                code(&format!("{}:{}", source.file, source.line))
            )?,
            None => write!(
                out,
                "Generic: not registered; met as a field of another type"
            )?,
        }
        let carries = match self.class {
            Class::Pii => "carries PII",
            Class::Oii => "carries OII",
            Class::Safe => "carries no personal data",
        };
        write!(out, "; {carries}")?;
        if self.telemetry {
            write!(out, "; a telemetry event")?;
        }
        writeln!(out, ".")?;
        writeln!(out)?;
        if self.fields.is_empty() {
            return writeln!(out, "No fields.");
        }
        let variants = self.fields.iter().any(|f| f.variant.is_some());
        if variants {
            write!(out, "| Variant ")?;
        }
        writeln!(
            out,
            "| Field | Class | Kind | Strategy | Purposes | Subject | Apple | Google Play | Line |"
        )?;
        if variants {
            write!(out, "|---")?;
        }
        writeln!(out, "|---|---|---|---|---|---|---|---|---|")?;
        for field in &self.fields {
            if variants {
                write!(out, "| {} ", field.variant.map(code).unwrap_or_default())?;
            }
            let kind = match (&field.kind, &field.nested) {
                (Some(kind), _) => code(kind.as_str()),
                (None, Some(nested)) => format!("→ {}", code(nested)),
                (None, None) => String::new(),
            };
            let purposes: Vec<String> = field.purposes.iter().map(|p| code(p)).collect();
            writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                code(field.name),
                field.class,
                kind,
                field
                    .strategy
                    .map(|s| code(&s.to_string()))
                    .unwrap_or_default(),
                purposes.join(", "),
                if field.subject { "yes" } else { "" },
                field.apple.map(|t| text(t.name)).unwrap_or_default(),
                field
                    .android
                    .map(|t| text(&t.to_string()))
                    .unwrap_or_default(),
                field.line.map(|l| l.to_string()).unwrap_or_default(),
            )?;
        }
        Ok(())
    }
}

/// Text in a table cell: nothing in it can end the cell or start markup.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '|' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// A code span in a table cell. Tables end a cell at `|` even inside a code span, so it is
/// escaped; a backtick inside lengthens the fence.
fn code(s: &str) -> String {
    let s = s.replace('|', "\\|").replace(['\n', '\r'], " ");
    let longest_run = s
        .split(|c| c != '`')
        .map(str::len)
        .max()
        .unwrap_or_default();
    let fence = "`".repeat(longest_run + 1);
    if longest_run == 0 {
        format!("{fence}{s}{fence}")
    } else {
        format!("{fence} {s} {fence}")
    }
}

fn codes(items: &[String]) -> String {
    items
        .iter()
        .map(|item| code(item))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(feature = "serde")]
mod json {
    use serde_json::{json, Value};

    use super::{AndroidDataType, AppleDataType, Declaration, FieldReport, Report, TypeReport};
    use crate::Kind;

    impl Report {
        /// The report as pretty-printed JSON: `{"types": [...], "apple": [...], "android":
        /// [...]}`. The same types give the same text. Needs the `serde` feature (on by default).
        ///
        /// ```
        /// # #[derive(privacy::Privacy)] struct Member { #[pii(phone)] phone: String }
        /// let json: serde_json::Value =
        ///     serde_json::from_str(&privacy::inventory::Report::collect().to_json()).unwrap();
        /// assert_eq!(json["types"][0]["name"], "Member");
        /// assert_eq!(json["types"][0]["fields"][0]["kind"], "phone");
        /// assert_eq!(json["android"][0]["name"], "Phone number");
        /// ```
        #[must_use]
        pub fn to_json(&self) -> String {
            let value = json!({
                "types": self.types.iter().map(type_json).collect::<Vec<_>>(),
                "apple": self.apple.iter().map(|d| declaration_json(d, apple_json)).collect::<Vec<_>>(),
                "android": self.android.iter().map(|d| declaration_json(d, android_json)).collect::<Vec<_>>(),
            });
            format!("{value:#}")
        }
    }

    fn type_json(ty: &TypeReport) -> Value {
        let source = ty.source.as_ref();
        json!({
            "name": ty.name,
            "path": ty.path(),
            "module_path": source.map(|s| s.module_path),
            "file": source.map(|s| s.file),
            "line": source.map(|s| s.line),
            "registered": source.is_some(),
            "telemetry": ty.telemetry,
            "class": ty.class.as_str(),
            "fields": ty.fields.iter().map(field_json).collect::<Vec<_>>(),
        })
    }

    fn field_json(field: &FieldReport) -> Value {
        json!({
            "variant": field.variant,
            "name": field.name,
            "class": field.class.as_str(),
            "kind": field.kind.map(Kind::as_str),
            "strategy": field.strategy.map(|s| s.to_string()),
            "purposes": field.purposes,
            "subject": field.subject,
            "nested": field.nested,
            "apple": field.apple.map(apple_json),
            "android": field.android.map(android_json),
            "line": field.line,
        })
    }

    fn apple_json(t: AppleDataType) -> Value {
        json!({ "key": t.key, "category": t.category, "name": t.name })
    }

    fn android_json(t: AndroidDataType) -> Value {
        json!({ "category": t.category, "name": t.name })
    }

    fn declaration_json<T: Copy>(declaration: &Declaration<T>, data_type: fn(T) -> Value) -> Value {
        let mut value = data_type(declaration.data_type);
        value["fields"] = json!(declaration.fields);
        value
    }
}
