//! Revealing: a view of a value that shows in the clear what a permit allows, and audits it.

use core::cell::RefCell;
use core::fmt;
use std::borrow::Cow;

use crate::audit::{AuditRecord, Output};
use crate::field_path::{FieldPath, Step};
use crate::permit::{FieldRef, Permit};
use crate::{Class, Classified, Field, Oii, Pii, Schema, SubjectId};

/// Makes a view of a value whose `Debug`, `Serialize` and (for wrappers) `Display` show in the
/// clear the fields that `permit` allows, and redact the others as usual.
///
/// Implemented for every [`Classified`] type. Each time the view is written and would show at
/// least one field in the clear, it first hands one [`AuditRecord`] to the audit sink
/// ([`audit`](crate::audit); a tracing event on target `privacy::audit` by default) naming the
/// type, the fields shown, the permit, the subjects whose fields were shown and (for an
/// [`Audience`](crate::audience::Audience)) the viewer, the people as pseudonyms, never a value;
/// only once the sink has accepted it does the view write them raw. Otherwise it writes every
/// field redacted.
///
/// A consent reveals only fields whose purposes include its own: here `phone`, not `name`,
/// which names none (purposes fail closed).
///
/// ```
/// use privacy::consent::{ConsentStore, Evidence, MemoryConsentStore};
/// use privacy::purpose::Support;
/// use privacy::{Privacy, Reveal, SubjectId};
///
/// #[derive(Privacy)]
/// struct Member {
///     #[safe]
///     #[privacy(subject)]
///     id: u64,
///     #[pii(phone, redact = last(4), purposes(Support))]
///     phone: String,
///     #[pii(name)]
///     name: String,
/// }
///
/// // A view shows a raw value only once the audit sink accepted its record (see `audit`).
/// privacy::audit::install(privacy::audit::MemorySink::new()).expect("the first audit sink");
/// let member = Member { id: 7, phone: "+44 20 7946 0958".into(), name: "Alice".into() };
/// let store = MemoryConsentStore::new();
/// let alice = SubjectId::from("7");
/// store.grant(&alice, Support, Evidence::new("support chat, consent button v3"))?;
/// let consent = store.consent::<Support>(&alice)?;
/// assert_eq!(
///     format!("{:?}", member.reveal(&consent)),
///     r#"Member { id: 7, phone: "+44 20 7946 0958", name: <pii:name> }"#,
/// );
/// # Ok::<(), privacy::consent::ConsentError>(())
/// ```
pub trait Reveal: Classified {
    /// A view of `self` that shows what `permit` allows.
    fn reveal<'a, P: Permit + ?Sized>(&'a self, permit: &'a P) -> Revealed<'a, Self, P> {
        Revealed {
            value: self,
            permit,
            dispatch: crate::audit::capture_dispatch(),
        }
    }
}

impl<T: Classified + ?Sized> Reveal for T {}

/// The view [`Reveal::reveal`] returns.
pub struct Revealed<'a, T: ?Sized, P: ?Sized> {
    pub(crate) value: &'a T,
    pub(crate) permit: &'a P,
    /// The subscriber current where the view was made: its audit records go there when the
    /// view is written inside a subscriber (see [`TracingSink`](crate::audit::TracingSink)).
    pub(crate) dispatch: Option<tracing::Dispatch>,
}

impl<T: ?Sized, P: ?Sized> Clone for Revealed<'_, T, P> {
    fn clone(&self) -> Self {
        Revealed {
            value: self.value,
            permit: self.permit,
            dispatch: self.dispatch.clone(),
        }
    }
}

impl<T: ?Sized, P: Permit + ?Sized> Revealed<'_, T, P> {
    /// Writes the view: `pass` once with a planning log, which decides what the permit allows
    /// and writes nothing raw, then, once the record of what it would show is accepted, once
    /// more with a log that shows exactly that; with a log that shows nothing otherwise.
    pub(crate) fn write<R>(
        &self,
        type_name: &'static str,
        output: Output,
        plan: impl FnOnce(&RevealCx<'_>),
        pass: impl FnOnce(&RevealCx<'_>) -> R,
    ) -> R {
        let permit: &dyn Permit = &Dynamic(self.permit);
        let log = crate::audit::with_captured(self.dispatch.as_ref(), || {
            if !crate::audit::accepts() {
                return RevealLog::deny();
            }
            let planning = RevealLog::plan(permit);
            plan(&RevealCx::root(permit, &planning));
            planning.audit(type_name, output, permit)
        });
        pass(&RevealCx::root(permit, &log))
    }
}

/// A permit of any size, behind a `&dyn Permit`.
struct Dynamic<'a, P: ?Sized>(&'a P);

impl<P: Permit + ?Sized> Permit for Dynamic<'_, P> {
    fn allows(&self, field: &FieldRef<'_>, subject: Option<&SubjectId>) -> bool {
        self.0.allows(field, subject)
    }

    fn audit(&self) -> crate::PermitAudit<'_> {
        self.0.audit()
    }
}

/// What a log is for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// Deciding what the permit allows: every decision is kept, nothing raw is written.
    Plan,
    /// Showing what the accepted plan decided, decision by decision.
    Write,
    /// Showing nothing: the plan showed nothing, or its record was not accepted.
    Deny,
}

/// What one write of a view shows: decided in the plan, replayed in the write.
pub struct RevealLog {
    stage: Stage,
    /// Whether the record names the subjects from `subjects`: not when the permit names its one
    /// subject itself (a consent).
    per_subject: bool,
    /// Every decision of the plan, in order, with the field it was about.
    decisions: RefCell<Vec<(*const Field, bool)>>,
    /// The next decision to replay.
    next: core::cell::Cell<usize>,
    shown: RefCell<Vec<Cow<'static, str>>>,
    /// Whose fields were shown, in the order shown: a roster shows several people's, and the
    /// record must not name someone of whom nothing was shown.
    subjects: RefCell<Vec<SubjectId>>,
}

impl RevealLog {
    fn plan(permit: &dyn Permit) -> Self {
        RevealLog {
            stage: Stage::Plan,
            per_subject: permit.audit().subject.is_none(),
            decisions: RefCell::new(Vec::with_capacity(8)),
            next: core::cell::Cell::new(0),
            shown: RefCell::new(Vec::with_capacity(8)),
            subjects: RefCell::default(),
        }
    }

    pub(crate) fn deny() -> Self {
        RevealLog {
            stage: Stage::Deny,
            per_subject: false,
            decisions: RefCell::default(),
            next: core::cell::Cell::new(0),
            shown: RefCell::default(),
            subjects: RefCell::default(),
        }
    }

    /// After the plan: the log of the write, which shows what the plan decided once the sink
    /// has accepted the record of it, and nothing otherwise.
    fn audit(self, type_name: &'static str, output: Output, permit: &dyn Permit) -> Self {
        if self.shown.borrow().is_empty() {
            return RevealLog::deny();
        }
        let record = self.record(type_name, output, permit);
        if crate::audit::submit(&record) {
            RevealLog {
                stage: Stage::Write,
                ..self
            }
        } else {
            RevealLog::deny()
        }
    }

    /// The record of what the plan showed.
    pub(crate) fn record<'p>(
        &self,
        type_name: &'static str,
        output: Output,
        permit: &'p dyn Permit,
    ) -> AuditRecord<'p> {
        let audit = permit.audit();
        let subjects = match audit.subject {
            Some(subject) => vec![Cow::Owned(subject.pseudonym().to_string())],
            None => pseudonyms(&self.subjects.borrow()),
        };
        AuditRecord {
            at: std::time::SystemTime::now(),
            instance: Cow::Borrowed(crate::audit::instance()),
            output,
            type_name: Cow::Borrowed(type_name),
            // The write replays decisions, and needs the names no more.
            fields: self.shown.take(),
            permit: Cow::Borrowed(audit.kind),
            basis: Cow::Borrowed(audit.basis),
            subjects,
            viewer: audit
                .viewer
                .map(|viewer| Cow::Owned(viewer.pseudonym().to_string())),
            grant: audit.grant,
        }
    }

    /// Decides whether a field may be shown: in the plan, records the permit's answer and
    /// writes nothing raw; in the write, replays the plan's decision about the same field.
    fn decide(&self, field: &'static Field, allowed: impl FnOnce() -> bool) -> Decision {
        match self.stage {
            Stage::Deny => Decision::Hide,
            Stage::Plan => {
                let allowed = allowed();
                self.decisions.borrow_mut().push((field, allowed));
                if allowed {
                    Decision::Record
                } else {
                    Decision::Hide
                }
            }
            Stage::Write => {
                let index = self.next.get();
                self.next.set(index + 1);
                // A decision about another field than planned (a value that changed between
                // the passes) shows nothing.
                match self.decisions.borrow().get(index) {
                    Some(&(planned, true)) if core::ptr::eq(planned, field) => Decision::Show,
                    _ => Decision::Hide,
                }
            }
        }
    }
}

/// What a log says of one field.
enum Decision {
    /// Redacted.
    Hide,
    /// In the plan: allowed, to be recorded; the plan still writes it redacted.
    Record,
    /// In the write: shown raw.
    Show,
}

/// The pseudonyms of `subjects`, each once.
fn pseudonyms(subjects: &[SubjectId]) -> Vec<Cow<'static, str>> {
    let mut seen = std::collections::HashSet::new();
    subjects
        .iter()
        .filter(|s| seen.insert(*s))
        .map(|s| Cow::Owned(s.pseudonym().to_string()))
        .collect()
}

/// Where a view is while it writes a value: the permit, the subject of the value at hand, the
/// field of the enclosing value that holds it, and the log of what was shown. Contexts nest on
/// the stack, each pointing at its parent's: nothing is allocated to know where a value is.
pub struct RevealCx<'a> {
    permit: &'a dyn Permit,
    subject: Option<SubjectId>,
    log: &'a RevealLog,
    /// The enclosing value's context, and its field that holds this value; `None` at the root.
    parent: Option<(&'a RevealCx<'a>, Step)>,
}

impl<'a> RevealCx<'a> {
    pub(crate) fn root(permit: &'a dyn Permit, log: &'a RevealLog) -> Self {
        RevealCx {
            permit,
            subject: None,
            log,
            parent: None,
        }
    }

    /// The context inside a value that names no subject of its own: its parent's subject, or
    /// `subject` at the root.
    #[must_use]
    pub fn enter(&self, subject: Option<SubjectId>) -> RevealCx<'a> {
        let subject = subject.or_else(|| self.subject.clone());
        self.enter_own(subject)
    }

    /// The context inside a value of a type with a `#[privacy(subject)]` field: about that
    /// subject alone, and about nobody when the field holds no id, never about the parent's
    /// subject.
    #[must_use]
    pub fn enter_own(&self, subject: Option<SubjectId>) -> RevealCx<'a> {
        RevealCx {
            permit: self.permit,
            subject,
            log: self.log,
            parent: self.parent,
        }
    }

    /// The context of the value in the field `step` names.
    #[must_use]
    pub fn child(&self, step: Step) -> RevealCx<'_> {
        RevealCx {
            permit: self.permit,
            subject: self.subject.clone(),
            log: self.log,
            parent: Some((self, step)),
        }
    }

    /// Whether the value at hand, held by a wrapper of type `owner` whose schema entry is
    /// `field`, may be shown here; if so, records it.
    #[must_use]
    pub fn show(&self, owner: &'static str, field: &'static Field) -> bool {
        self.allow(owner, field, Location::new(Some(self), None))
    }

    /// Whether field `position` of variant `variant` of the value at hand, of a type of schema
    /// `schema`, may be shown here; if so, records it.
    #[must_use]
    pub fn show_field(&self, schema: &'static Schema, variant: usize, position: usize) -> bool {
        let step = Step::new(schema, variant, position);
        step.field().is_some_and(|field| {
            self.allow(
                schema.type_name,
                field,
                Location::new(Some(self), Some(step)),
            )
        })
    }

    fn allow(&self, owner: &'static str, field: &'static Field, path: Location<'_>) -> bool {
        let decision = self.log.decide(field, || {
            self.permit
                .allows(&FieldRef { owner, field, path }, self.subject.as_ref())
        });
        match decision {
            Decision::Hide => false,
            Decision::Show => true,
            Decision::Record => {
                let text = path.audit_text(owner);
                // A list of values shows the same field once per element: recorded once.
                let mut shown = self.log.shown.borrow_mut();
                if !shown.contains(&text) {
                    shown.push(text);
                }
                drop(shown);
                if let (true, Some(subject)) = (self.log.per_subject, &self.subject) {
                    let mut subjects = self.log.subjects.borrow_mut();
                    if subjects.last() != Some(subject) {
                        subjects.push(subject.clone());
                    }
                }
                // The plan writes nothing raw.
                false
            }
        }
    }

    /// Whether this context shows nothing (its view's record was not accepted, or shows
    /// nothing): a value can then skip what only a reveal needs, such as its subject.
    #[must_use]
    pub fn denies(&self) -> bool {
        self.log.stage == Stage::Deny
    }
}

/// Where a value being shown is, from the value being revealed: the fields that lead to it,
/// for a permit that reveals some fields only where they are (a [`Disclosure`] of a
/// [`FieldPath`]).
///
/// [`Disclosure`]: crate::Disclosure
#[derive(Clone, Copy)]
pub struct Location<'a> {
    cx: Option<&'a RevealCx<'a>>,
    /// The field itself, for a field classified by its attribute; `None` for a wrapped value,
    /// whose place is the field that holds the wrapper.
    last: Option<Step>,
}

impl<'a> Location<'a> {
    fn new(cx: Option<&'a RevealCx<'a>>, last: Option<Step>) -> Self {
        Location { cx, last }
    }

    /// The place of a field at the root of a value: `step` alone.
    #[must_use]
    pub fn of(step: Step) -> Self {
        Location::new(None, Some(step))
    }

    /// The steps, from the field nearest the value to the root.
    pub fn steps(&self) -> impl Iterator<Item = Step> + 'a {
        let mut cx = self.cx;
        self.last.into_iter().chain(core::iter::from_fn(move || {
            let (parent, step) = cx?.parent?;
            cx = Some(parent);
            Some(step)
        }))
    }

    /// Whether the value is where `path` names: its last steps are those of `path`.
    #[must_use]
    pub fn ends_with(&self, path: &FieldPath) -> bool {
        let wanted = path.steps();
        let mut steps = self.steps();
        !wanted.is_empty() && wanted.iter().rev().all(|want| steps.next() == Some(*want))
    }

    /// How the audit names the value: a field of the root value by its name (no new string),
    /// a wrapped value at the root by its wrapper, anything deeper by its dotted path.
    fn audit_text(&self, owner: &'static str) -> Cow<'static, str> {
        let mut steps = self.steps();
        match (steps.next(), steps.next()) {
            (None, _) => Cow::Borrowed(owner),
            (Some(step), None) => Cow::Borrowed(step.name()),
            (Some(_), Some(_)) => Cow::Owned(self.to_string()),
        }
    }
}

/// `avatar.url`: the names of the fields from the root.
impl fmt::Display for Location<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let steps: Vec<Step> = self.steps().collect();
        for (i, step) in steps.iter().rev().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            f.write_str(step.name())?;
        }
        Ok(())
    }
}

impl fmt::Debug for Location<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Location({self})")
    }
}

/// A value that can be written with some of its classified fields in the clear. The derive
/// implements it; the standard containers and the wrappers forward it.
pub trait RevealDebug {
    /// Writes `self` as its `Debug` would, showing what `cx`'s permit allows.
    fn fmt_revealed(&self, f: &mut fmt::Formatter<'_>, cx: &RevealCx<'_>) -> fmt::Result;
}

impl<T: RevealDebug + Classified + ?Sized, P: Permit + ?Sized> fmt::Debug for Revealed<'_, T, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(
            T::SCHEMA.type_name,
            Output::DebugFormat,
            |cx| {
                use fmt::Write as _;
                let _ = write!(Discard, "{:?}", RevealingDebug(self.value, cx));
            },
            |cx| self.value.fmt_revealed(f, cx),
        )
    }
}

/// Writes nothing: where the plan of a view is written.
struct Discard;

impl fmt::Write for Discard {
    fn write_str(&mut self, _: &str) -> fmt::Result {
        Ok(())
    }
}

/// `field` of the wrapper schemas, for permits asked about a wrapped value.
pub(crate) const PII_FIELD: &Field = &Field {
    name: "",
    class: Class::Pii,
    kind: None,
    strategy: None,
    purposes: &[],
    subject: false,
    nested: None,
};
pub(crate) const OII_FIELD: &Field = &Field {
    name: "",
    class: Class::Oii,
    kind: None,
    strategy: None,
    purposes: &[],
    subject: false,
    nested: None,
};

macro_rules! wrapper_reveal {
    ($($wrapper:ident $owner:literal $field:ident),*) => {$(
        impl<T: fmt::Debug> RevealDebug for $wrapper<T> {
            fn fmt_revealed(&self, f: &mut fmt::Formatter<'_>, cx: &RevealCx<'_>) -> fmt::Result {
                if cx.show($owner, $field) {
                    fmt::Debug::fmt(self.expose(), f)
                } else {
                    fmt::Debug::fmt(self, f)
                }
            }
        }

        /// The wrapped value's `Display` when the permit allows it, the placeholder otherwise.
        impl<T: fmt::Display, P: Permit + ?Sized> fmt::Display for Revealed<'_, $wrapper<T>, P> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.write(
                    $owner,
                    Output::DisplayFormat,
                    |cx| {
                        let _ = cx.show($owner, $field);
                    },
                    |cx| {
                        if cx.show($owner, $field) {
                            fmt::Display::fmt(self.value.expose(), f)
                        } else {
                            fmt::Display::fmt(self.value, f)
                        }
                    },
                )
            }
        }
    )*};
}

wrapper_reveal!(Pii "Pii" PII_FIELD, Oii "Oii" OII_FIELD);

/// Writes a value through [`RevealDebug`] with nothing revealed: the redacted output of a value
/// whose own `Debug` could not keep the keys of a map apart (a map, a container of one, a value
/// of a type parameter). It allocates nothing.
pub struct Denied<'a, T: ?Sized>(pub &'a T);

impl<T: RevealDebug + ?Sized> fmt::Debug for Denied<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let log = RevealLog::deny();
        self.0.fmt_revealed(f, &RevealCx::root(&Nobody, &log))
    }
}

/// Chooses at compile time, by autoref, how a derived type's `Debug` writes a field whose type
/// classifies itself and may hold a map: through [`Denied`] when the type has [`RevealDebug`]
/// ([`ViaDenied`]), through its own `Debug` otherwise ([`ViaOwnDebug`]), so that a mistake found
/// elsewhere (a map key that does not classify itself) is not reported twice.
pub struct PlainProbe<'a, T: ?Sized>(pub &'a T);

/// Found first: the revealing `Debug`, revealing nothing.
pub trait ViaDenied<'a> {
    /// The field, as its revealing `Debug` writes it with nothing revealed.
    fn plain_debug(&self) -> PlainNested<'a>;
}

/// Found otherwise: the value's own `Debug`.
pub trait ViaOwnDebug<'a> {
    /// The field, as its `Debug` writes it.
    fn plain_debug(&self) -> PlainNested<'a>;
}

/// A field in a derived `Debug`, chosen by [`PlainProbe`]. Not generic: compiled once.
pub enum PlainNested<'a> {
    /// Through [`RevealDebug`], revealing nothing.
    Denied(&'a dyn RevealDebug),
    /// Through its own `Debug`.
    Own(&'a dyn fmt::Debug),
}

impl<'a, T: RevealDebug + 'a> ViaDenied<'a> for &PlainProbe<'a, T> {
    fn plain_debug(&self) -> PlainNested<'a> {
        PlainNested::Denied(self.0)
    }
}

impl<'a, T: fmt::Debug + 'a> ViaOwnDebug<'a> for PlainProbe<'a, T> {
    fn plain_debug(&self) -> PlainNested<'a> {
        PlainNested::Own(self.0)
    }
}

impl fmt::Debug for PlainNested<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlainNested::Denied(value) => Denied(*value).fmt(f),
            PlainNested::Own(value) => value.fmt(f),
        }
    }
}

/// The permit of a view that shows nothing, which nothing asks.
struct Nobody;

impl Permit for Nobody {
    fn allows(&self, _: &FieldRef<'_>, _: Option<&SubjectId>) -> bool {
        false
    }

    fn audit(&self) -> crate::PermitAudit<'_> {
        crate::PermitAudit {
            kind: "none",
            basis: "",
            subject: None,
            grant: None,
            viewer: None,
        }
    }
}

/// Writes a value through [`RevealDebug`].
pub struct RevealingDebug<'a, 'c, T: ?Sized>(pub &'a T, pub &'a RevealCx<'c>);

impl<T: RevealDebug + ?Sized> fmt::Debug for RevealingDebug<'_, '_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt_revealed(f, self.1)
    }
}

macro_rules! forward_debug {
    ($([$($generics:tt)*] $ty:ty;)*) => {$(
        impl<$($generics)*> RevealDebug for $ty {
            fn fmt_revealed(&self, f: &mut fmt::Formatter<'_>, cx: &RevealCx<'_>) -> fmt::Result {
                (**self).fmt_revealed(f, cx)
            }
        }
    )*};
}

forward_debug! {
    ['a, T: RevealDebug + ?Sized] &'a T;
    ['a, T: RevealDebug + ?Sized] &'a mut T;
    [T: RevealDebug + ?Sized] Box<T>;
    [T: RevealDebug + ?Sized] std::rc::Rc<T>;
    [T: RevealDebug + ?Sized] std::sync::Arc<T>;
    ['a, T: RevealDebug + ToOwned + ?Sized] Cow<'a, T>;
}

impl<T: RevealDebug> RevealDebug for Option<T> {
    fn fmt_revealed(&self, f: &mut fmt::Formatter<'_>, cx: &RevealCx<'_>) -> fmt::Result {
        match self {
            Some(value) => f
                .debug_tuple("Some")
                .field(&RevealingDebug(value, cx))
                .finish(),
            None => f.write_str("None"),
        }
    }
}

macro_rules! list_debug {
    ($([$($generics:tt)*] $ty:ty, $builder:ident;)*) => {$(
        impl<$($generics)*> RevealDebug for $ty {
            fn fmt_revealed(&self, f: &mut fmt::Formatter<'_>, cx: &RevealCx<'_>) -> fmt::Result {
                f.$builder().entries(self.iter().map(|value| RevealingDebug(value, cx))).finish()
            }
        }
    )*};
}

list_debug! {
    [T: RevealDebug] [T], debug_list;
    [T: RevealDebug, const N: usize] [T; N], debug_list;
    [T: RevealDebug] Vec<T>, debug_list;
    [T: RevealDebug] std::collections::VecDeque<T>, debug_list;
    [T: RevealDebug, S] std::collections::HashSet<T, S>, debug_set;
    [T: RevealDebug] std::collections::BTreeSet<T>, debug_set;
}

/// Keys are written apart and never revealed (see `map_keys`); values reveal as permitted.
macro_rules! map_debug {
    ($([$($generics:tt)*] $ty:ty;)*) => {$(
        impl<$($generics)*> RevealDebug for $ty {
            fn fmt_revealed(&self, f: &mut fmt::Formatter<'_>, cx: &RevealCx<'_>) -> fmt::Result {
                f.debug_map()
                    .entries(crate::map_keys::indexed(self).map(|(k, v)| (k, RevealingDebug(v, cx))))
                    .finish()
            }
        }
    )*};
}

map_debug! {
    [K: Classified + fmt::Debug, V: RevealDebug, S] std::collections::HashMap<K, V, S>;
    [K: Classified + fmt::Debug, V: RevealDebug] std::collections::BTreeMap<K, V>;
}

macro_rules! tuple_debug {
    ($(($($name:ident $index:tt),+))*) => {$(
        impl<$($name: RevealDebug),+> RevealDebug for ($($name,)+) {
            fn fmt_revealed(&self, f: &mut fmt::Formatter<'_>, cx: &RevealCx<'_>) -> fmt::Result {
                let mut tuple = f.debug_tuple("");
                $(tuple.field(&RevealingDebug(&self.$index, cx));)+
                tuple.finish()
            }
        }
    )*};
}

tuple_debug! {
    (A 0)
    (A 0, B 1)
    (A 0, B 1, C 2)
    (A 0, B 1, C 2, D 3)
    (A 0, B 1, C 2, D 3, E 4)
    (A 0, B 1, C 2, D 3, E 4, F 5)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11)
}

/// Chooses at compile time, by autoref, between revealing a nested value (when its type
/// implements [`RevealDebug`]) and writing its plain redacted `Debug`.
pub struct NestedProbe<'a, T: ?Sized>(pub &'a T);

/// Found first: the nested type can reveal.
pub trait NestedReveal<'a> {
    /// The nested value in field `position` of variant `variant` of a type of schema
    /// `schema`, revealing in the field's own context.
    fn nested<'c>(
        &self,
        cx: &'a RevealCx<'c>,
        schema: &'static Schema,
        variant: usize,
        position: usize,
    ) -> NestedDebug<'a, 'c>;
}

/// Found otherwise: the nested value's own (redacted) `Debug`.
pub trait NestedPlain<'a> {
    /// The nested value, as its `Debug` writes it.
    fn nested<'c>(
        &self,
        cx: &'a RevealCx<'c>,
        schema: &'static Schema,
        variant: usize,
        position: usize,
    ) -> NestedDebug<'a, 'c>;
}

/// A nested value in a revealing `Debug`. Not generic: its `Debug` is compiled once, here,
/// not once per nested type in every crate that derives.
pub enum NestedDebug<'a, 'c> {
    /// Revealing through [`RevealDebug`], in the context of the field `Step` names.
    Reveal(&'a dyn RevealDebug, &'a RevealCx<'c>, Step),
    /// Its own `Debug`.
    Plain(&'a dyn fmt::Debug),
}

impl<'a, T: RevealDebug + 'a> NestedReveal<'a> for &NestedProbe<'a, T> {
    fn nested<'c>(
        &self,
        cx: &'a RevealCx<'c>,
        schema: &'static Schema,
        variant: usize,
        position: usize,
    ) -> NestedDebug<'a, 'c> {
        NestedDebug::Reveal(self.0, cx, Step::new(schema, variant, position))
    }
}

impl<'a, T: fmt::Debug + 'a> NestedPlain<'a> for NestedProbe<'a, T> {
    fn nested<'c>(
        &self,
        _: &'a RevealCx<'c>,
        _: &'static Schema,
        _: usize,
        _: usize,
    ) -> NestedDebug<'a, 'c> {
        NestedDebug::Plain(self.0)
    }
}

impl fmt::Debug for NestedDebug<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NestedDebug::Reveal(value, cx, step) => value.fmt_revealed(f, &cx.child(*step)),
            NestedDebug::Plain(value) => value.fmt(f),
        }
    }
}

/// Chooses at compile time, by autoref, what a classified field's raw value is, called as
/// `(&&&&RawProbe(&value)).raw_debug()`: the wrapped value of a `Pii<T>` or `Oii<T>`
/// ([`RawUnwrapped`]); nothing for another type that classifies itself, whose `Debug` is its
/// redacted form ([`RawClassified`]); the value for a type with `Debug` ([`RawDebug`]);
/// nothing otherwise ([`NoRawDebug`]). A field without a raw value is never shown, nor recorded
/// as shown.
pub struct RawProbe<'a, T: ?Sized>(pub &'a T);

/// Found first: the value a wrapper holds.
pub trait RawUnwrapped<'a> {
    /// The wrapped value.
    fn raw_debug(&self) -> Option<&'a dyn fmt::Debug>;
}

/// Found next: a type that classifies itself has no raw form to show.
pub trait RawClassified<'a> {
    /// Nothing.
    fn raw_debug(&self) -> Option<&'a dyn fmt::Debug>;
}

/// Found next: the raw value's `Debug`.
pub trait RawDebug<'a> {
    /// The raw value, when it can be written.
    fn raw_debug(&self) -> Option<&'a dyn fmt::Debug>;
}

/// Found otherwise: nothing to write in the clear.
pub trait NoRawDebug<'a> {
    /// Nothing.
    fn raw_debug(&self) -> Option<&'a dyn fmt::Debug>;
}

macro_rules! unwrapped {
    ($($wrapper:ident),*) => {$(
        impl<'a, T: fmt::Debug + 'a> RawUnwrapped<'a> for &&&RawProbe<'a, $wrapper<T>> {
            fn raw_debug(&self) -> Option<&'a dyn fmt::Debug> {
                Some(self.0.expose())
            }
        }
    )*};
}

unwrapped!(Pii, Oii);

impl<'a, T: Classified + ?Sized> RawClassified<'a> for &&RawProbe<'a, T> {
    fn raw_debug(&self) -> Option<&'a dyn fmt::Debug> {
        None
    }
}

impl<'a, T: fmt::Debug + 'a> RawDebug<'a> for &RawProbe<'a, T> {
    fn raw_debug(&self) -> Option<&'a dyn fmt::Debug> {
        Some(self.0)
    }
}

impl<'a, T: ?Sized> NoRawDebug<'a> for RawProbe<'a, T> {
    fn raw_debug(&self) -> Option<&'a dyn fmt::Debug> {
        None
    }
}

/// What a revealing `Debug` writes for field `position` of variant `variant` (0 for a struct)
/// of a type of schema `schema`: the raw value when there is one and the permit allows it
/// (which records it for the audit), the redacted form otherwise. Not generic: compiled once.
pub fn reveal_field<'a>(
    cx: &RevealCx<'_>,
    schema: &'static Schema,
    variant: usize,
    position: usize,
    raw: Option<&'a dyn fmt::Debug>,
    redacted: &'a dyn fmt::Debug,
) -> &'a dyn fmt::Debug {
    match raw {
        Some(raw) if cx.show_field(schema, variant, position) => raw,
        _ => redacted,
    }
}
