//! The built-in kinds, as the macro knows them. `privacy_core::Kind` is their runtime twin; a
//! test in the facade checks that both agree.

use proc_macro2::Ident;

/// The class a field attribute declares.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum ClassName {
    Pii,
    Oii,
    Safe,
}

impl ClassName {
    pub(crate) fn attr(self) -> &'static str {
        match self {
            ClassName::Pii => "pii",
            ClassName::Oii => "oii",
            ClassName::Safe => "safe",
        }
    }

    pub(crate) fn upper(self) -> &'static str {
        match self {
            ClassName::Pii => "PII",
            ClassName::Oii => "OII",
            ClassName::Safe => "safe",
        }
    }

    /// The class with its article: "a PII", "an OII".
    pub(crate) fn article(self) -> &'static str {
        match self {
            ClassName::Pii => "a PII",
            ClassName::Oii => "an OII",
            ClassName::Safe => "a safe",
        }
    }

    pub(crate) fn variant(self) -> Ident {
        let name = match self {
            ClassName::Pii => "Pii",
            ClassName::Oii => "Oii",
            ClassName::Safe => "Safe",
        };
        Ident::new(name, proc_macro2::Span::call_site())
    }
}

/// A built-in kind: its attribute name, its class, and its `Kind` variant.
pub(crate) struct BuiltIn {
    pub(crate) name: &'static str,
    pub(crate) class: ClassName,
    pub(crate) variant: &'static str,
}

const fn pii(name: &'static str, variant: &'static str) -> BuiltIn {
    BuiltIn {
        name,
        class: ClassName::Pii,
        variant,
    }
}

const fn oii(name: &'static str, variant: &'static str) -> BuiltIn {
    BuiltIn {
        name,
        class: ClassName::Oii,
        variant,
    }
}

pub(crate) const BUILT_IN: &[BuiltIn] = &[
    pii("name", "Name"),
    pii("phone", "Phone"),
    pii("email", "Email"),
    pii("ip", "Ip"),
    pii("address", "Address"),
    pii("location", "Location"),
    pii("message", "Message"),
    pii("birthdate", "Birthdate"),
    pii("government_id", "GovernmentId"),
    pii("payment_card", "PaymentCard"),
    pii("device_id", "DeviceId"),
    pii("account_id", "AccountId"),
    oii("org_name", "OrgName"),
    oii("tenant_id", "TenantId"),
    oii("domain", "Domain"),
];

pub(crate) fn find(name: &str) -> Option<&'static BuiltIn> {
    BUILT_IN.iter().find(|kind| kind.name == name)
}

/// The kinds of one class, comma separated, for error messages.
pub(crate) fn list(class: ClassName) -> String {
    let names: Vec<_> = BUILT_IN
        .iter()
        .filter(|k| k.class == class)
        .map(|k| k.name)
        .collect();
    names.join(", ")
}

/// The known word closest to `unknown`, if any is close enough to be a likely typo.
pub(crate) fn nearest<'a>(
    unknown: &str,
    known: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    known
        .into_iter()
        .map(|candidate| (strsim::jaro_winkler(unknown, candidate), candidate))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}
