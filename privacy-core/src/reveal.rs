//! Revealing: a view of a value that shows in the clear what a permit allows, and audits it.

use core::cell::RefCell;
use core::fmt;
use std::borrow::Cow;

use crate::field_path::{FieldPath, Step};
use crate::permit::{FieldRef, Permit};
use crate::{Class, Classified, Field, Oii, Pii, Schema, SubjectId};

/// Makes a view of a value whose `Debug`, `Serialize` and (for wrappers) `Display` show in the
/// clear the fields that `permit` allows, and redact the others as usual.
///
/// Implemented for every [`Classified`] type. Each time the view is written and shows at least
/// one field in the clear, it emits one audit event (tracing target `privacy::audit`) naming the
/// type, the fields shown, the permit, the subjects whose fields were shown and (for an
/// [`Audience`](crate::audience::Audience)) the viewer, the people as pseudonyms, never a value.
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
/// let member = Member { id: 7, phone: "+44 20 7946 0958".into(), name: "Alice".into() };
/// let store = MemoryConsentStore::new();
/// let alice = SubjectId::from("7");
/// store.grant(&alice, Support, Evidence::new("support chat, consent button v3"))?;
/// let consent = store.consent::<Support>(&alice)?;
/// assert_eq!(
///     format!("{:?}", member.reveal(&consent)),
///     r#"Member { id: 7, phone: "+44 20 7946 0958", name: "Alice" }"#,
/// );
/// # Ok::<(), privacy::consent::ConsentError>(())
/// ```
pub trait Reveal: Classified {
    /// A view of `self` that shows what `permit` allows.
    fn reveal<'a, P: Permit + ?Sized>(&'a self, permit: &'a P) -> Revealed<'a, Self, P> {
        Revealed {
            value: self,
            permit,
        }
    }
}

impl<T: Classified + ?Sized> Reveal for T {}

/// The view [`Reveal::reveal`] returns.
pub struct Revealed<'a, T: ?Sized, P: ?Sized> {
    pub(crate) value: &'a T,
    pub(crate) permit: &'a P,
}

impl<T: ?Sized, P: ?Sized> Clone for Revealed<'_, T, P> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: ?Sized, P: ?Sized> Copy for Revealed<'_, T, P> {}

/// What one writing of a view showed, for its audit event.
pub struct RevealLog {
    /// Whether anyone reads audit events: when nobody does, nothing is recorded.
    audited: bool,
    /// Whether the event names the subjects from `subjects`: not when the permit names its one
    /// subject itself (a consent).
    per_subject: bool,
    shown: RefCell<Vec<Cow<'static, str>>>,
    /// Whose fields were shown, in the order shown: a roster shows several people's, and the
    /// event must not name someone of whom nothing was shown.
    subjects: RefCell<Vec<SubjectId>>,
}

impl RevealLog {
    /// The log of one writing of a view through `permit`.
    pub(crate) fn new(permit: &dyn Permit) -> Self {
        let audited = tracing::enabled!(target: "privacy::audit", tracing::Level::INFO);
        RevealLog {
            audited,
            per_subject: audited && permit.audit().subject.is_none(),
            shown: RefCell::new(Vec::with_capacity(if audited { 8 } else { 0 })),
            subjects: RefCell::default(),
        }
    }

    /// Emits the audit event of a writing of a view, if it showed anything.
    pub(crate) fn audit(&self, type_name: &str, permit: &dyn Permit) {
        let shown = self.shown.borrow();
        // Nothing to write, or nobody to read it: the pseudonyms need not be computed.
        if shown.is_empty() || !self.audited {
            return;
        }
        let audit = permit.audit();
        let subject = match audit.subject {
            Some(subject) => subject.pseudonym().to_string(),
            None => pseudonyms(&self.subjects.borrow()),
        };
        // Fields a permit has nothing for are left out of the event, not written empty.
        let subject = Some(subject).filter(|s| !s.is_empty());
        let grant = audit.grant.map(|g| g.to_string());
        let viewer = audit.viewer.map(|v| v.pseudonym().to_string());
        tracing::info!(
            target: "privacy::audit",
            type_name,
            fields = %Joined(&shown),
            permit = audit.kind,
            basis = audit.basis,
            subject = subject.as_deref(),
            grant = grant.as_deref(),
            viewer = viewer.as_deref(),
            "revealed"
        );
    }
}

/// `a,b`: the field paths of an audit event, written without a new string.
struct Joined<'a>(&'a [Cow<'static, str>]);

impl fmt::Display for Joined<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, path) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            f.write_str(path)?;
        }
        Ok(())
    }
}

/// `#a,#b`: the pseudonyms of `subjects`, each once.
fn pseudonyms(subjects: &[SubjectId]) -> String {
    let mut seen = std::collections::HashSet::new();
    let pseudonyms: Vec<String> = subjects
        .iter()
        .filter(|s| seen.insert(*s))
        .map(|s| s.pseudonym().to_string())
        .collect();
    pseudonyms.join(",")
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
        let allowed = self
            .permit
            .allows(&FieldRef { owner, field, path }, self.subject.as_ref());
        if allowed && self.log.audited {
            // Fields of the root value, the usual case, need no new string; a wrapped value at
            // the root is named by its wrapper.
            let text = path.audit_text(owner);
            // A list of values shows the same field once per element: audited once.
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
        }
        allowed
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

impl<T: RevealDebug + Classified + ?Sized, P: Permit> fmt::Debug for Revealed<'_, T, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let log = RevealLog::new(self.permit);
        let result = self
            .value
            .fmt_revealed(f, &RevealCx::root(self.permit, &log));
        log.audit(T::SCHEMA.type_name, self.permit);
        result
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
        impl<T: fmt::Display, P: Permit> fmt::Display for Revealed<'_, $wrapper<T>, P> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let log = RevealLog::new(self.permit);
                let cx = RevealCx::root(self.permit, &log);
                let result = if cx.show($owner, $field) {
                    fmt::Display::fmt(self.value.expose(), f)
                } else {
                    fmt::Display::fmt(self.value, f)
                };
                log.audit($owner, self.permit);
                result
            }
        }
    )*};
}

wrapper_reveal!(Pii "Pii" PII_FIELD, Oii "Oii" OII_FIELD);

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

/// Chooses at compile time, by autoref, whether a classified field's raw value can be written:
/// when its type implements `Debug`.
pub struct RawProbe<'a, T: ?Sized>(pub &'a T);

/// Found first: the raw value's `Debug`.
pub trait RawDebug<'a> {
    /// The raw value, when it can be written.
    fn raw_debug(&self) -> Option<&'a dyn fmt::Debug>;
}

/// Found otherwise: nothing to write in the clear.
pub trait NoRawDebug<'a> {
    /// Nothing.
    fn raw_debug(&self) -> Option<&'a dyn fmt::Debug>;
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
