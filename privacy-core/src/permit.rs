//! Permits: the only things that can show a classified value in the clear.

use std::borrow::Cow;

use crate::audience::{AudienceDraft, Rule};
use crate::consent::{Consent, RecordId};
use crate::field_path::FieldPath;
use crate::reveal::Location;
use crate::{Field, Kind, Purpose, SubjectId};

/// One classified value a permit is asked about.
#[derive(Clone, Copy, Debug)]
pub struct FieldRef<'a> {
    /// The name of the type that declares the field (`Member`), or of the wrapper (`Pii`).
    pub owner: &'static str,
    /// The field's schema entry: name, class, kind, purposes.
    pub field: &'static Field,
    /// Where the value is, from the value being revealed: the fields that lead to it.
    pub path: Location<'a>,
}

/// How a permit is named in audit events.
#[derive(Clone, Copy, Debug)]
pub struct PermitAudit<'a> {
    /// `consent`, `disclosure` or `audience`, or the kind of a permit of your own.
    pub kind: &'static str,
    /// The purpose a consent was given for, or the reason of a disclosure or an audience.
    pub basis: &'a str,
    /// The subject a consent belongs to.
    pub subject: Option<&'a SubjectId>,
    /// The id of a consent's grant record.
    pub grant: Option<RecordId>,
    /// Who the values are shown to, for a permit that depends on who is looking (an
    /// [`Audience`](crate::audience::Audience)).
    pub viewer: Option<&'a SubjectId>,
}

/// A permit to show classified values in the clear, in a [`Reveal`](crate::Reveal) view.
///
/// [`Consent`], [`Disclosure`] and [`Audience`](crate::audience::Audience) are the permits
/// this crate provides. Every reveal made with any permit is audited.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a permit: only a `Consent`, a `Disclosure` or an `Audience` can reveal",
    label = "not a permit",
    note = "a `Disclosure::of(...)`, like an audience `Disclosure::of(...).to(viewer, rule)`, \
            becomes a permit once it says why: add `.because(\"reason\")`; \
            a `Consent` comes from a `ConsentStore`"
)]
pub trait Permit {
    /// Whether `field` of a value about `subject` may be shown in the clear.
    fn allows(&self, field: &FieldRef<'_>, subject: Option<&SubjectId>) -> bool;

    /// How audit events name this permit.
    fn audit(&self) -> PermitAudit<'_>;
}

impl<P: Purpose> Permit for Consent<P> {
    /// A consent shows a value of its own subject, until it expires, where purposes were named
    /// for it and every list of them includes the consent's purpose: the value's own
    /// `purposes(...)`, and those of each field that holds it (`#[privacy(purposes(...))]`).
    /// A value for which no purpose was named anywhere on its way is never shown by a consent:
    /// purposes fail closed.
    fn allows(&self, field: &FieldRef<'_>, subject: Option<&SubjectId>) -> bool {
        subject == Some(self.subject()) && for_purpose(field, P::NAME) && !self.is_expired()
    }

    fn audit(&self) -> PermitAudit<'_> {
        PermitAudit {
            kind: "consent",
            basis: P::NAME,
            subject: Some(self.subject()),
            grant: Some(self.grant_id()),
            viewer: None,
        }
    }
}

/// Whether `purpose` may reveal the value `field` names: at least one list of purposes is
/// named for it (its own, or a field's that holds it), and each one includes `purpose`.
fn for_purpose(field: &FieldRef<'_>, purpose: &str) -> bool {
    let lists = core::iter::once(field.field.purposes).chain(
        field
            .path
            .steps()
            .filter_map(|step| step.field().map(|entry| entry.purposes)),
    );
    let mut named = false;
    for purposes in lists.filter(|purposes| !purposes.is_empty()) {
        if !purposes.contains(&purpose) {
            return false;
        }
        named = true;
    }
    named
}

/// What a [`Disclosure`] reveals: a kind of data, or one field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// Every field of this kind.
    Kind(Kind),
    /// One field of one type, where a value is reached through the path's fields: what
    /// `privacy::field!(Type.field)` or `privacy::field!(Type.friends.phone)` names.
    Field(FieldPath),
}

impl From<Kind> for Target {
    fn from(kind: Kind) -> Self {
        Target::Kind(kind)
    }
}

impl From<FieldPath> for Target {
    fn from(path: FieldPath) -> Self {
        Target::Field(path)
    }
}

/// A rule that reveals some kinds or fields of anyone's values, for a stated reason: the
/// phone-book rule, a legal obligation, the person's own profile page.
///
/// It is built in two steps, [`Disclosure::of`] then [`DisclosureDraft::because`], and only the
/// second gives a permit: a disclosure without a reason does not compile.
///
/// ```
/// use privacy::{Disclosure, Kind};
///
/// #[derive(privacy::Privacy)]
/// struct Member {
///     #[pii(name)]
///     display_name: String,
/// }
///
/// let rule = Disclosure::of([Kind::Phone]).because("the viewer has this member in their phone book");
/// assert_eq!(rule.reason(), "the viewer has this member in their phone book");
/// let by_field = Disclosure::of([privacy::field!(Member.display_name)])
///     .because("shown on the member's own profile");
/// # let _ = by_field;
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Disclosure {
    targets: Vec<Target>,
    reason: Cow<'static, str>,
}

/// The first half of a [`Disclosure`]: what it reveals. It becomes a permit with
/// [`because`](DisclosureDraft::because).
#[derive(Clone, Debug, PartialEq, Eq)]
#[must_use = "a disclosure reveals nothing until `.because(reason)` says why"]
pub struct DisclosureDraft {
    targets: Vec<Target>,
}

impl Disclosure {
    /// A disclosure of `targets`: kinds (`Kind::Phone`) or fields
    /// (`privacy::field!(Member.phone)`); `Target::from` mixes them in one list.
    pub fn of<T: Into<Target>>(targets: impl IntoIterator<Item = T>) -> DisclosureDraft {
        DisclosureDraft {
            targets: targets.into_iter().map(Into::into).collect(),
        }
    }

    /// Why the disclosure is allowed.
    #[must_use]
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// What it reveals.
    #[must_use]
    pub fn targets(&self) -> &[Target] {
        &self.targets
    }
}

impl DisclosureDraft {
    /// The reason the disclosure is allowed, recorded in every audit event it causes.
    pub fn because(self, reason: impl Into<Cow<'static, str>>) -> Disclosure {
        Disclosure {
            targets: self.targets,
            reason: reason.into(),
        }
    }

    /// Narrows the disclosure to one viewer and the subjects `rule` admits: the subjects the
    /// viewer already knows. Like the disclosure, it becomes a permit with
    /// [`because`](AudienceDraft::because). See [`audience`](crate::audience).
    pub fn to<R: Rule>(self, viewer: SubjectId, rule: R) -> AudienceDraft<R> {
        AudienceDraft::new(self, viewer, rule)
    }
}

impl Permit for Disclosure {
    fn allows(&self, field: &FieldRef<'_>, _subject: Option<&SubjectId>) -> bool {
        self.targets.iter().any(|target| match target {
            Target::Kind(kind) => field.field.kind == Some(*kind),
            Target::Field(path) => field.path.ends_with(path),
        })
    }

    fn audit(&self) -> PermitAudit<'_> {
        PermitAudit {
            kind: "disclosure",
            basis: &self.reason,
            subject: None,
            grant: None,
            viewer: None,
        }
    }
}
