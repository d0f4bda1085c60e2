//! Telemetry events that carry no personal data unless the person consented, by construction.
//!
//! A type marked `#[privacy(telemetry)]` is a telemetry event. Every PII or OII field in it must
//! say, with `purposes(...)`, for which purposes consent may ever include it (a compile error
//! otherwise), and every nested type must be a telemetry type too.
//! [`emit`] sends the event to tracing (target `telemetry`, the event named after the type) with
//! one structured field per field, nested fields under dotted names: safe fields with their
//! values, classified fields absent. [`emit_with`] adds the classified fields that a consent
//! covers, for its subject and purpose, and audits them.
//!
//! ```
//! use privacy::Privacy;
//!
//! #[derive(Privacy)]
//! #[privacy(telemetry)]
//! struct CrashReport {
//!     #[safe]
//!     code: u32,
//!     #[pii(ip, purposes(Diagnostics))]
//!     client_ip: std::net::IpAddr,
//! }
//!
//! let report = CrashReport { code: 139, client_ip: "203.0.113.7".parse().unwrap() };
//! privacy::telemetry::emit(&report); // code=139, and no client_ip at all
//! ```

use core::fmt;
use std::any::TypeId;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock, PoisonError};

use tracing::callsite::{self, Callsite};
use tracing::field::{FieldSet, Value};
use tracing::metadata::Kind;
use tracing::subscriber::Interest;
use tracing::{Level, Metadata};

use std::borrow::Cow;

use crate::audit::{AuditRecord, Output};
use crate::permit::{FieldRef, Permit};
use crate::reveal::Location;
use crate::{Classified, Consent, Purpose, Step, SubjectId};

/// The most fields one event can carry, nested fields included; a type with more is sent with
/// the first `MAX_FIELDS` and a warning.
pub const MAX_FIELDS: usize = 64;

/// A telemetry event type: implemented by `#[derive(Privacy)]` with `#[privacy(telemetry)]`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a telemetry type",
    label = "only `#[privacy(telemetry)]` types can be sent as telemetry",
    note = "add `#[privacy(telemetry)]` to the type: it checks at compile time that every PII or OII \
            field says with `purposes(...)` which consent may include it"
)]
pub trait Telemetry: Classified + 'static {
    /// The event's name: the type's, or the one given with `#[privacy(telemetry = "...")]`.
    const EVENT_NAME: &'static str;

    /// Appends the names of the event's fields, nested ones under `prefix.`.
    fn field_names(prefix: &str, names: &mut Vec<String>);

    /// Appends the value of each field named by [`Telemetry::field_names`], in the same order:
    /// `None` for a classified field that `permit` does not cover.
    fn field_values<'a>(
        &'a self,
        permit: Option<&'a dyn Permit>,
        subject: Option<SubjectId>,
        prefix: &str,
        values: &mut Vec<Option<FieldValue<'a>>>,
    );
}

/// The value of one field of an event.
pub type FieldValue<'a> = Box<dyn Value + 'a>;

/// An optional nested event: its fields when present, absent when not.
impl<T: Telemetry> Telemetry for Option<T> {
    const EVENT_NAME: &'static str = T::EVENT_NAME;

    fn field_names(prefix: &str, names: &mut Vec<String>) {
        T::field_names(prefix, names);
    }

    fn field_values<'a>(
        &'a self,
        permit: Option<&'a dyn Permit>,
        subject: Option<SubjectId>,
        prefix: &str,
        values: &mut Vec<Option<FieldValue<'a>>>,
    ) {
        if let Some(value) = self {
            value.field_values(permit, subject, prefix, values);
        } else {
            let mut names = Vec::new();
            T::field_names(prefix, &mut names);
            values.extend(names.iter().map(|_| None));
        }
    }
}

/// Sends `event` with its safe fields only.
pub fn emit<T: Telemetry>(event: &T) {
    send(event, None);
}

/// Sends `event` with its safe fields and the classified fields that `consent` covers: fields of
/// values about the consent's subject whose `purposes(...)` include `P`. Every field sent this
/// way is audited (target `privacy::audit`).
///
/// The event itself is dispatched on the calling thread, like any tracing event: send it
/// outside the values of another event (not in `info!(x = %{ telemetry::emit_with(..); .. })`),
/// where `tracing_subscriber`'s per-layer filters would mistake one event's answers for the
/// other's.
pub fn emit_with<T: Telemetry, P: Purpose>(event: &T, consent: &Consent<P>) {
    send(event, Some(consent));
}

fn send<T: Telemetry>(event: &T, permit: Option<&dyn Permit>) {
    let callsite = TelemetryCallsite::of::<T>();
    let metadata = callsite.metadata();
    let enabled = tracing::dispatcher::get_default(|dispatch| dispatch.enabled(metadata));
    if !enabled {
        return;
    }
    let mut values = Vec::with_capacity(callsite.names.len());
    event.field_values(permit, event.subject(), "", &mut values);
    // The classified fields a consent lets in go out only once their record is accepted;
    // otherwise the event goes without them.
    if let Some(permit) = permit {
        let shown: Vec<&str> = callsite
            .names
            .iter()
            .zip(&values)
            .filter(|(_, value)| value.is_some())
            .map(|(name, _)| name.as_str())
            .collect();
        if !audit_classified::<T>(permit, &shown) {
            values.clear();
            event.field_values(None, event.subject(), "", &mut values);
        }
    }
    let fields: Vec<_> = metadata.fields().iter().collect();
    let message: &dyn Value = &tracing::field::display(T::EVENT_NAME);
    let mut slots: [(&tracing::field::Field, Option<&dyn Value>); MAX_FIELDS + 1] =
        [(&fields[0], None); MAX_FIELDS + 1];
    slots[0] = (&fields[0], Some(message));
    for ((slot, field), value) in slots
        .iter_mut()
        .skip(1)
        .zip(fields.iter().skip(1))
        .zip(&values)
    {
        *slot = (field, value.as_deref());
    }
    let value_set = metadata.fields().value_set(&slots);
    // Asked again, right before the event: `tracing_subscriber` keeps what its per-layer
    // filters answered in a per-thread state until the event is dispatched, and the audit
    // record dispatched in between has answers of its own.
    if permit.is_some() && !tracing::dispatcher::get_default(|dispatch| dispatch.enabled(metadata))
    {
        return;
    }
    tracing::Event::dispatch(metadata, &value_set);
}

/// The record of the classified fields a consent lets into an event, handed to the audit
/// sink: whether they may be sent. Nothing classified to send needs no record.
fn audit_classified<T: Telemetry>(permit: &dyn Permit, shown: &[&str]) -> bool {
    let mut classified = Vec::new();
    classified_names(T::SCHEMA, "", &mut classified, 0);
    let revealed: Vec<Cow<'static, str>> = shown
        .iter()
        .filter(|name| classified.iter().any(|c| c == *name))
        .map(|name| Cow::Owned((*name).to_owned()))
        .collect();
    if revealed.is_empty() {
        return true;
    }
    let audit = permit.audit();
    let record = AuditRecord {
        at: std::time::SystemTime::now(),
        instance: Cow::Borrowed(crate::audit::instance()),
        output: Output::TelemetryEvent,
        type_name: Cow::Borrowed(T::SCHEMA.type_name),
        fields: revealed,
        permit: Cow::Borrowed(audit.kind),
        basis: Cow::Owned(audit.basis.to_owned()),
        subjects: audit
            .subject
            .map(|subject| Cow::Owned(subject.pseudonym().to_string()))
            .into_iter()
            .collect(),
        viewer: audit
            .viewer
            .map(|viewer| Cow::Owned(viewer.pseudonym().to_string())),
        grant: audit.grant,
    };
    crate::audit::submit(&record)
}

/// The dotted names of the classified fields of a schema.
fn classified_names(schema: &crate::Schema, prefix: &str, out: &mut Vec<String>, depth: usize) {
    let crate::Shape::Struct(fields) = schema.shape else {
        return;
    };
    for field in fields {
        let name = if prefix.is_empty() {
            field.name.to_owned()
        } else {
            format!("{prefix}.{}", field.name)
        };
        match field.nested_schema() {
            // A recursive type nests without end; no event is that deep.
            Some(nested) if depth < 16 => classified_names(nested, &name, out, depth + 1),
            None if field.class.is_classified() => out.push(name),
            _ => {}
        }
    }
}

/// `prefix.name`, or `name` at the top.
#[must_use]
pub fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}.{name}")
    }
}

/// Whether `permit` lets the field `step` names, of a value about `subject`, into an event.
///
/// An event is sent with a consent only, which does not depend on where a field is: the
/// permit is told the field's own place.
#[must_use]
pub fn allows(permit: Option<&dyn Permit>, step: Step, subject: Option<&SubjectId>) -> bool {
    let Some(field) = step.field() else {
        return false;
    };
    permit.is_some_and(|permit| {
        permit.allows(
            &FieldRef {
                owner: step.schema().type_name,
                field,
                path: Location::of(step),
            },
            subject,
        )
    })
}

/// The callsite of one telemetry type, made the first time the type is sent: tracing needs the
/// names of an event's fields fixed and `'static`, and a type's nested fields are known only
/// through the nested types. It lives for the rest of the process (one per type).
struct TelemetryCallsite {
    names: Vec<String>,
    metadata: OnceLock<Metadata<'static>>,
    interest: Mutex<Option<Interest>>,
}

impl TelemetryCallsite {
    fn of<T: Telemetry>() -> &'static TelemetryCallsite {
        static CALLSITES: OnceLock<Mutex<HashMap<TypeId, &'static TelemetryCallsite>>> =
            OnceLock::new();
        let callsites = CALLSITES.get_or_init(Mutex::default);
        let mut callsites = callsites.lock().unwrap_or_else(PoisonError::into_inner);
        callsites.entry(TypeId::of::<T>()).or_insert_with(|| {
            let mut names = Vec::new();
            T::field_names("", &mut names);
            if names.len() > MAX_FIELDS {
                tracing::warn!(
                    target: "privacy::telemetry",
                    event = T::EVENT_NAME,
                    fields = names.len(),
                    "telemetry event has more fields than one event carries; the rest are left out"
                );
                names.truncate(MAX_FIELDS);
            }
            let callsite: &'static TelemetryCallsite = Box::leak(Box::new(TelemetryCallsite {
                names,
                metadata: OnceLock::new(),
                interest: Mutex::new(None),
            }));
            let field_names: Vec<&'static str> = std::iter::once("message")
                .chain(
                    callsite
                        .names
                        .iter()
                        .map(|name| &*Box::leak(name.clone().into_boxed_str())),
                )
                .collect();
            let field_names: &'static [&'static str] = Box::leak(field_names.into_boxed_slice());
            let fields = FieldSet::new(field_names, callsite::Identifier(callsite));
            let metadata = Metadata::new(
                T::EVENT_NAME,
                "telemetry",
                Level::INFO,
                Some(file!()),
                Some(line!()),
                Some(module_path!()),
                fields,
                Kind::EVENT,
            );
            let _ = callsite.metadata.set(metadata);
            callsite::register(callsite);
            callsite
        })
    }
}

impl Callsite for TelemetryCallsite {
    fn set_interest(&self, interest: Interest) {
        *self.interest.lock().unwrap_or_else(PoisonError::into_inner) = Some(interest);
    }

    fn metadata(&self) -> &Metadata<'_> {
        self.metadata
            .get()
            .expect("the metadata is set before the callsite is registered")
    }
}

impl fmt::Debug for TelemetryCallsite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TelemetryCallsite")
            .field("names", &self.names)
            .finish_non_exhaustive()
    }
}

/// Chooses at compile time, by autoref, how a value is recorded: as itself when it is a
/// `tracing::Value` (numbers, strings, booleans), with its `Debug` otherwise.
pub struct ValueProbe<'a, T: ?Sized>(pub &'a T);

/// Found first: the value records itself.
pub trait AsValue<'a> {
    /// The value.
    fn field_value(&self) -> FieldValue<'a>;
}

/// Found otherwise: the value's `Debug`.
pub trait AsDebugValue<'a> {
    /// The value's `Debug`.
    fn field_value(&self) -> FieldValue<'a>;
}

impl<'a, T: Value + ?Sized + 'a> AsValue<'a> for &ValueProbe<'a, T> {
    fn field_value(&self) -> FieldValue<'a> {
        Box::new(self.0)
    }
}

impl<'a, T: fmt::Debug + ?Sized + 'a> AsDebugValue<'a> for ValueProbe<'a, T> {
    fn field_value(&self) -> FieldValue<'a> {
        Box::new(tracing::field::debug(self.0))
    }
}
