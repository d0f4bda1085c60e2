//! Audiences: disclosure that depends on who is looking.
//!
//! A [`Disclosure`] shows some kinds or fields of anyone's values. Some rules also depend on
//! the viewer. The phone-book rule is one: a group member's phone number is shown to another
//! member only if that viewer already has the number in their own phone book. An [`Audience`]
//! is a disclosure narrowed to one viewer and to the subjects a [`Rule`] admits. It is made
//! from a disclosure with [`DisclosureDraft::to`], and like a disclosure it is a permit only
//! once it says why:
//!
//! ```
//! use std::collections::HashSet;
//!
//! use privacy::audience::{Known, E164};
//! use privacy::{Disclosure, Kind, Pii, Privacy, Reveal, SubjectId};
//!
//! #[derive(Privacy)]
//! struct Member {
//!     #[safe]
//!     #[privacy(subject)]
//!     id: u64,
//!     #[pii(name)]
//!     name: String,
//!     #[pii(phone, redact = last(4))]
//!     phone: String,
//!     #[pii(email)]
//!     email: String,
//! }
//!
//! # privacy::audit::install(privacy::audit::MemorySink::new()).unwrap();
//! let roster = vec![
//!     Member { id: 1, name: "Ann".into(), phone: "+44 7700 900111".into(), email: "ann@example.com".into() },
//!     Member { id: 2, name: "Bob".into(), phone: "+1 202 555 0147".into(), email: "bob@example.com".into() },
//! ];
//!
//! // The viewer's phone book, as the app keeps it.
//! let viewer = SubjectId::from("3");
//! let contacts = vec![Pii::new(String::from("+447700900111"))];
//!
//! // Processing code reads the numbers to decide who the viewer knows, and prints none of them.
//! let book: HashSet<E164> = contacts.iter().filter_map(|c| E164::parse(c.expose())).collect();
//! let known = Known::among(&roster, |m| E164::parse(&m.phone).is_some_and(|n| book.contains(&n)));
//!
//! let permit = Disclosure::of([Kind::Phone, Kind::Name])
//!     .to(viewer, known)
//!     .because("the viewer has this member's number in their phone book");
//! assert_eq!(
//!     format!("{:?}", roster.reveal(&permit)),
//!     concat!(
//!         r#"[Member { id: 1, name: "Ann", phone: "+44 7700 900111", email: <pii:email> }, "#,
//!         r#"Member { id: 2, name: <pii:name>, phone: <pii:phone …"0147">, email: <pii:email> }]"#,
//!     ),
//! );
//! ```
//!
//! # Deciding on values the permit does not see
//!
//! A permit is asked about a field's schema and whose value it is (its subject), never about
//! the value: a permit cannot leak what it never holds. The phone book holds numbers, though,
//! not subject ids. So the decision is made where raw values may be read, in processing code,
//! and handed to the permit as subjects: [`Known::among`] keeps the subjects of the values a
//! test accepts (here, members whose number is in the viewer's contacts), and [`E164`] makes
//! numbers written in different ways comparable. A rule that already has subject ids (a
//! follower list, a contact graph) is a closure: `.to(viewer, |s: &SubjectId| graph.knows(s))`.
//!
//! The outcome is a snapshot: build the audience for each viewer and roster when you render
//! it, and again when the contacts change.
//!
//! # Which fields follow the number
//!
//! In the phone-book rule the member's name is shown exactly when the number is. A viewer who
//! has the number already pairs it with a name in their own phone book and can call the
//! person, so the name tells them little they could not learn; shown to a viewer who does not
//! know the number, a name joined to group membership identifies the member to a stranger,
//! which is what the rule exists to prevent. Every other classified field (e-mail, address,
//! messages, ...) stays redacted: having someone's number is no reason to see their e-mail.
//!
//! # Audit
//!
//! Every revealing write is audited like any permit's: one event on target `privacy::audit`
//! with `permit = "audience"`, the reason as `basis`, the pseudonyms of the members whose
//! fields were shown as `subject`, and the viewer's pseudonym as `viewer`.

use core::fmt;
use std::borrow::Cow;
use std::collections::BTreeSet;

use crate::permit::{Disclosure, DisclosureDraft, FieldRef, Permit, PermitAudit, Target};
use crate::{Classified, SubjectId};

/// Which subjects an [`Audience`] may show to its viewer: usually the ones the viewer already
/// knows.
///
/// Implemented by [`Known`] (and `&Known`) and by closures `Fn(&SubjectId) -> bool`.
pub trait Rule {
    /// Whether values about `subject` may be shown to the viewer.
    fn admits(&self, subject: &SubjectId) -> bool;
}

impl<F: Fn(&SubjectId) -> bool> Rule for F {
    fn admits(&self, subject: &SubjectId) -> bool {
        self(subject)
    }
}

impl Rule for Known {
    fn admits(&self, subject: &SubjectId) -> bool {
        self.contains(subject)
    }
}

impl Rule for &Known {
    fn admits(&self, subject: &SubjectId) -> bool {
        self.contains(subject)
    }
}

/// The subjects a viewer knows: the usual [`Rule`] of an [`Audience`].
///
/// Its `Debug` shows the subjects as pseudonyms.
///
/// ```
/// use privacy::audience::Known;
/// use privacy::SubjectId;
///
/// let known: Known = ["1", "4"].into_iter().map(SubjectId::from).collect();
/// assert!(known.contains(&SubjectId::from("4")));
/// assert!(!known.contains(&SubjectId::from("2")));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Known(BTreeSet<SubjectId>);

impl Known {
    /// Nobody.
    #[must_use]
    pub fn new() -> Self {
        Known::default()
    }

    /// The subjects of the `values` that `knows` accepts, as [`Classified::subject`] names them
    /// (so that they are the ids a permit is asked about). A value whose type names no subject
    /// is left out: an audience never shows it.
    ///
    /// `knows` runs in processing code and may read the raw values; what it returns is only
    /// whether the viewer knows the value's subject.
    pub fn among<'a, T: Classified + 'a>(
        values: impl IntoIterator<Item = &'a T>,
        mut knows: impl FnMut(&T) -> bool,
    ) -> Self {
        values
            .into_iter()
            .filter(|value| knows(value))
            .filter_map(Classified::subject)
            .collect()
    }

    /// Adds `subject`: the viewer themselves, for example.
    pub fn insert(&mut self, subject: SubjectId) {
        self.0.insert(subject);
    }

    /// Whether the viewer knows `subject`.
    #[must_use]
    pub fn contains(&self, subject: &SubjectId) -> bool {
        self.0.contains(subject)
    }

    /// How many subjects the viewer knows.
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the viewer knows nobody.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The subjects, in order.
    pub fn iter(&self) -> impl Iterator<Item = &SubjectId> {
        self.0.iter()
    }
}

impl FromIterator<SubjectId> for Known {
    fn from_iter<I: IntoIterator<Item = SubjectId>>(subjects: I) -> Self {
        Known(subjects.into_iter().collect())
    }
}

impl Extend<SubjectId> for Known {
    fn extend<I: IntoIterator<Item = SubjectId>>(&mut self, subjects: I) {
        self.0.extend(subjects);
    }
}

/// A disclosure to one viewer of the values about the subjects a [`Rule`] admits, for a stated
/// reason, made with `Disclosure::of(targets).to(viewer, rule).because(reason)`
/// ([`Disclosure::of`], [`DisclosureDraft::to`], [`AudienceDraft::because`]). The
/// [module](self) shows it with the phone-book rule.
///
/// It shows a field when the disclosure names it and the rule admits the subject of the value
/// it is in (nested values inherit their parent's subject). A value about nobody, such as a
/// bare [`Pii`](crate::Pii), is never shown.
#[derive(Clone)]
pub struct Audience<R = Known> {
    disclosure: Disclosure,
    viewer: SubjectId,
    rule: R,
}

/// An [`Audience`] that does not yet say why it is allowed. It becomes a permit with
/// [`because`](AudienceDraft::because).
#[derive(Clone)]
#[must_use = "an audience reveals nothing until `.because(reason)` says why"]
pub struct AudienceDraft<R> {
    disclosure: DisclosureDraft,
    viewer: SubjectId,
    rule: R,
}

impl<R: Rule> AudienceDraft<R> {
    pub(crate) fn new(disclosure: DisclosureDraft, viewer: SubjectId, rule: R) -> Self {
        AudienceDraft {
            disclosure,
            viewer,
            rule,
        }
    }

    /// The reason the audience may see what it sees, recorded in every audit event it causes.
    pub fn because(self, reason: impl Into<Cow<'static, str>>) -> Audience<R> {
        Audience {
            disclosure: self.disclosure.because(reason),
            viewer: self.viewer,
            rule: self.rule,
        }
    }
}

impl<R> Audience<R> {
    /// Who the values are shown to.
    #[must_use]
    pub fn viewer(&self) -> &SubjectId {
        &self.viewer
    }

    /// Which subjects the viewer may see.
    #[must_use]
    pub fn rule(&self) -> &R {
        &self.rule
    }

    /// Why the audience may see them.
    #[must_use]
    pub fn reason(&self) -> &str {
        self.disclosure.reason()
    }

    /// What it shows of them.
    #[must_use]
    pub fn targets(&self) -> &[Target] {
        self.disclosure.targets()
    }
}

impl<R: Rule> Permit for Audience<R> {
    fn allows(&self, field: &FieldRef<'_>, subject: Option<&SubjectId>) -> bool {
        subject.is_some_and(|subject| {
            self.disclosure.allows(field, Some(subject)) && self.rule.admits(subject)
        })
    }

    fn audit(&self) -> PermitAudit<'_> {
        PermitAudit {
            kind: "audience",
            basis: self.disclosure.reason(),
            subject: None,
            grant: None,
            viewer: Some(&self.viewer),
        }
    }
}

/// The rule is left out: a closure has no `Debug`, and what it admits is the viewer's business.
impl<R> fmt::Debug for Audience<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Audience")
            .field("targets", &self.targets())
            .field("reason", &self.reason())
            .field("viewer", &self.viewer)
            .finish_non_exhaustive()
    }
}

impl<R> fmt::Debug for AudienceDraft<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AudienceDraft")
            .field("disclosure", &self.disclosure)
            .field("viewer", &self.viewer)
            .finish_non_exhaustive()
    }
}

/// A phone number in international (E.164) form, `+` and its digits, for comparing numbers
/// that are written differently: `+44 20 7946 0958`, `+44-20-7946-0958` and `+442079460958`
/// are equal.
///
/// It reads only numbers written in international form, because only those can be compared
/// without knowing where the writer lives: `020 7946 0958` is a London number to a British
/// viewer and something else elsewhere. Numbers it cannot read are [`None`], so they match
/// nothing and stay redacted: a missed match hides a number, a false one would show it. For
/// numbers in national form, normalize them with a phone-number library and the user's
/// country, and compare what it gives.
///
/// What [`E164::parse`] accepts, after trimming: `+`, then ASCII digits separated by spaces,
/// `-`, `.`, `(` or `)`, 7 to 15 digits in all, the first not `0`. It rejects anything else: a
/// `00` prefix, an extension, letters, and a trunk prefix written in, as in `+44 (0)20`. It
/// does not check that the number exists.
///
/// A phone number identifies a person: its `Debug` is redacted, and it has no `Display` or
/// `Serialize`.
///
/// ```
/// use privacy::audience::E164;
///
/// assert_eq!(E164::parse("+44 20 7946 0958"), E164::parse("+44-(20)-7946.0958"));
/// assert_eq!(E164::parse("+44 20 7946 0958").unwrap().as_str(), "+442079460958");
/// assert_eq!(E164::parse("020 7946 0958"), None); // national form: whose country?
/// assert_eq!(E164::parse("+44 (0)20 7946 0958"), None);
/// assert_eq!(format!("{:?}", E164::parse("+442079460958").unwrap()), "E164(<pii:phone>)");
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct E164(Box<str>);

impl E164 {
    /// The fewest digits accepted: the shortest numbers in use have seven, country code included.
    pub const MIN_DIGITS: usize = 7;
    /// The most digits E.164 allows, country code included.
    pub const MAX_DIGITS: usize = 15;

    /// The number written in `text`, if it is written in international form.
    #[must_use]
    pub fn parse(text: &str) -> Option<E164> {
        let rest = text.trim().strip_prefix('+')?;
        if rest.contains("(0)") {
            return None;
        }
        let mut number = String::with_capacity(1 + Self::MAX_DIGITS);
        number.push('+');
        for c in rest.chars() {
            match c {
                '0'..='9' => number.push(c),
                ' ' | '-' | '.' | '(' | ')' => {}
                _ => return None,
            }
        }
        let digits = &number[1..];
        let valid = (Self::MIN_DIGITS..=Self::MAX_DIGITS).contains(&digits.len())
            && !digits.starts_with('0');
        valid.then(|| E164(number.into()))
    }

    /// The number, `+` and digits, for lookups in processing code. Never log it.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for E164 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("E164(<pii:phone>)")
    }
}
