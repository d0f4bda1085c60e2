//! What sort of personal or organizational data a field holds.

use core::fmt;

use crate::Class;

/// The kind of data a classified field holds, named in its placeholder (`<pii:phone>`) and in the
/// type's [`Schema`](crate::Schema).
///
/// Written in attributes in `snake_case`: `#[pii(phone)]`, `#[oii(org_name)]`. A kind that is not
/// listed here is declared with `#[pii(custom = "badge_number")]` and becomes [`Kind::Custom`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Kind {
    /// PII: a person's name or display name (`name`).
    Name,
    /// PII: a telephone number (`phone`).
    Phone,
    /// PII: an e-mail address (`email`).
    Email,
    /// PII: an IP address (`ip`).
    Ip,
    /// PII: a postal address (`address`).
    Address,
    /// PII: a geographic location (`location`).
    Location,
    /// PII: content a person wrote: a chat message, a status, a note (`message`).
    Message,
    /// PII: a date of birth (`birthdate`).
    Birthdate,
    /// PII: a passport, national id, social security or tax number (`government_id`).
    GovernmentId,
    /// PII: a payment card number (`payment_card`).
    PaymentCard,
    /// PII: a device identifier: advertising id, IMEI, hardware serial (`device_id`).
    DeviceId,
    /// PII: an account identifier or user name (`account_id`).
    AccountId,
    /// OII: the name of an organization (`org_name`).
    OrgName,
    /// OII: a tenant identifier (`tenant_id`).
    TenantId,
    /// OII: an organization's internet domain (`domain`).
    Domain,
    /// A kind declared by the user with `custom = "name"`.
    Custom(&'static str),
}

impl Kind {
    /// Every built-in kind, PII kinds first.
    pub const BUILT_IN: &'static [Kind] = &[
        Kind::Name,
        Kind::Phone,
        Kind::Email,
        Kind::Ip,
        Kind::Address,
        Kind::Location,
        Kind::Message,
        Kind::Birthdate,
        Kind::GovernmentId,
        Kind::PaymentCard,
        Kind::DeviceId,
        Kind::AccountId,
        Kind::OrgName,
        Kind::TenantId,
        Kind::Domain,
    ];

    /// The `snake_case` name written in attributes and placeholders.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Kind::Name => "name",
            Kind::Phone => "phone",
            Kind::Email => "email",
            Kind::Ip => "ip",
            Kind::Address => "address",
            Kind::Location => "location",
            Kind::Message => "message",
            Kind::Birthdate => "birthdate",
            Kind::GovernmentId => "government_id",
            Kind::PaymentCard => "payment_card",
            Kind::DeviceId => "device_id",
            Kind::AccountId => "account_id",
            Kind::OrgName => "org_name",
            Kind::TenantId => "tenant_id",
            Kind::Domain => "domain",
            Kind::Custom(name) => name,
        }
    }

    /// The class a built-in kind belongs to; `None` for a custom kind, whose class is the
    /// attribute it was declared in.
    #[must_use]
    pub const fn class(self) -> Option<Class> {
        match self {
            Kind::OrgName | Kind::TenantId | Kind::Domain => Some(Class::Oii),
            Kind::Custom(_) => None,
            _ => Some(Class::Pii),
        }
    }

    /// Looks up a built-in kind by its attribute name.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::BUILT_IN
            .iter()
            .copied()
            .find(|kind| kind.as_str() == name)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}
