//! What an audit record holds.

use core::fmt;
use std::borrow::Cow;
use std::time::SystemTime;

/// The record of one write of a view that showed something in the clear: what was shown, by
/// which permit, about whom. It names people only by keyed pseudonyms, and holds no value.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct AuditRecord<'a> {
    /// When the view was written.
    pub at: SystemTime,
    /// Which instance of the service wrote it ([`set_instance`](super::set_instance)).
    pub instance: Cow<'a, str>,
    /// How the view was written.
    pub output: Output,
    /// The type of the value revealed, without its module path (`Member`), or the wrapper
    /// (`Pii`).
    pub type_name: Cow<'a, str>,
    /// The field paths shown, each once, from the value revealed: `phone`, `friends.phone`.
    pub fields: Vec<Cow<'a, str>>,
    /// The kind of permit: `consent`, `disclosure`, `audience`, or a permit of your own's.
    pub permit: Cow<'a, str>,
    /// The purpose a consent was given for, or the reason of a disclosure or an audience.
    pub basis: Cow<'a, str>,
    /// The pseudonyms of the people whose fields were shown.
    pub subjects: Vec<Cow<'a, str>>,
    /// The pseudonym of who the values were shown to, for a permit that depends on it.
    pub viewer: Option<Cow<'a, str>>,
    /// The id of the consent's grant record.
    pub grant: Option<crate::consent::RecordId>,
}

impl AuditRecord<'_> {
    /// The record with every text owned, to keep beyond the view.
    #[must_use]
    pub fn into_owned(self) -> AuditRecord<'static> {
        let own = |text: Cow<'_, str>| Cow::Owned(text.into_owned());
        AuditRecord {
            at: self.at,
            instance: own(self.instance),
            output: self.output,
            type_name: own(self.type_name),
            fields: self.fields.into_iter().map(own).collect(),
            permit: own(self.permit),
            basis: own(self.basis),
            subjects: self.subjects.into_iter().map(own).collect(),
            viewer: self.viewer.map(own),
            grant: self.grant,
        }
    }
}

/// How a view was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Output {
    /// `{:?}` or `{:#?}` of a view.
    DebugFormat,
    /// `{}` of a view of a wrapper.
    DisplayFormat,
    /// `Serialize` of a view.
    Serialized,
    /// A telemetry event sent with `telemetry::emit_with`.
    TelemetryEvent,
}

impl Output {
    /// `debug`, `display`, `serialize` or `telemetry`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Output::DebugFormat => "debug",
            Output::DisplayFormat => "display",
            Output::Serialized => "serialize",
            Output::TelemetryEvent => "telemetry",
        }
    }

    /// The output named `name` by [`Output::as_str`].
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        [
            Output::DebugFormat,
            Output::DisplayFormat,
            Output::Serialized,
            Output::TelemetryEvent,
        ]
        .into_iter()
        .find(|output| output.as_str() == name)
    }
}

impl fmt::Display for Output {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `a,b`: texts joined by commas, written without a new string.
pub(crate) struct Joined<'a, 'b>(pub(crate) &'a [Cow<'b, str>]);

impl fmt::Display for Joined<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, text) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            f.write_str(text)?;
        }
        Ok(())
    }
}
