//! The field formatters: each recorded value is scrubbed before the formatter it wraps sees it.

use core::fmt::{self, Write as _};
use std::collections::BTreeMap;
use std::error::Error;

use tracing::field::{Field, Visit};
use tracing_subscriber::field::{MakeVisitor, RecordFields, VisitFmt, VisitOutput};
use tracing_subscriber::fmt::format::{DefaultFields, JsonVisitor, Writer};
use tracing_subscriber::fmt::{FormatFields, FormattedFields};

use super::scratch::Scratch;
use super::Scrubber;

/// A field formatter for `tracing_subscriber::fmt`'s text formatters: it scrubs the message
/// and every field of events and spans, then formats them with `N` (by default
/// [`DefaultFields`], the one `fmt()` uses).
///
/// `N` is any field formatter built on a visitor: [`DefaultFields`],
/// `tracing_subscriber::fmt::format::PrettyFields` (with `tracing_subscriber`'s `ansi` feature),
/// or one made with `tracing_subscriber::fmt::format::debug_fn`. For the JSON formatter use
/// [`ScrubJsonFields`] and [`ScrubEvents`](super::ScrubEvents).
///
/// ```
/// use privacy::tracing::Scrubber;
///
/// let scrubber = Scrubber::new();
/// let subscriber = tracing_subscriber::fmt()
///     .fmt_fields(scrubber.fields())
///     .with_writer(std::io::sink)
///     .finish();
/// tracing::subscriber::with_default(subscriber, || {
///     tracing::info!(to = "alice@example.com", "sent"); // written: sent to="<scrubbed:email>"
/// });
/// assert_eq!(scrubber.stats().total(), 1);
/// ```
#[derive(Clone, Debug, Default)]
pub struct ScrubFields<N = DefaultFields> {
    scrubber: Scrubber,
    inner: N,
}

impl<N> ScrubFields<N> {
    /// Scrubs what `inner` formats, counting into `scrubber`'s stats.
    #[must_use]
    pub fn new(scrubber: Scrubber, inner: N) -> Self {
        ScrubFields { scrubber, inner }
    }

    /// The scrubber, and through it the counts.
    #[must_use]
    pub fn scrubber(&self) -> &Scrubber {
        &self.scrubber
    }
}

impl<'w, N> FormatFields<'w> for ScrubFields<N>
where
    N: MakeVisitor<Writer<'w>>,
    N::Visitor: VisitFmt,
{
    fn format_fields<R: RecordFields>(&self, writer: Writer<'w>, fields: R) -> fmt::Result {
        let mut visitor = ScrubVisitor::new(&self.scrubber, self.inner.make_visitor(writer));
        fields.record(&mut visitor);
        visitor.finish()
    }
}

/// The field formatter for `tracing_subscriber::fmt`'s JSON formatter: it scrubs the fields of
/// spans, then writes them as `tracing_subscriber`'s `JsonFields` does.
///
/// The JSON formatter writes the fields of events itself, without a field formatter: wrap it
/// in [`ScrubEvents`](super::ScrubEvents) as well (see [`Scrubber::json_fields`]).
#[derive(Clone, Debug, Default)]
pub struct ScrubJsonFields {
    scrubber: Scrubber,
}

impl ScrubJsonFields {
    /// Scrubs span fields, counting into `scrubber`'s stats.
    #[must_use]
    pub fn new(scrubber: Scrubber) -> Self {
        ScrubJsonFields { scrubber }
    }

    /// The scrubber, and through it the counts.
    #[must_use]
    pub fn scrubber(&self) -> &Scrubber {
        &self.scrubber
    }
}

impl<'w> FormatFields<'w> for ScrubJsonFields {
    fn format_fields<R: RecordFields>(&self, mut writer: Writer<'w>, fields: R) -> fmt::Result {
        let mut visitor = ScrubVisitor::new(&self.scrubber, JsonVisitor::new(&mut writer));
        fields.record(&mut visitor);
        visitor.finish()
    }

    /// Adds the fields of `span.record(...)` to the span's JSON object, as `JsonFields` does
    /// (appending would make two objects).
    fn add_fields(
        &self,
        current: &'w mut FormattedFields<Self>,
        fields: &tracing::span::Record<'_>,
    ) -> fmt::Result {
        if current.fields.is_empty() {
            return self.format_fields(current.as_writer(), fields);
        }
        let mut added = String::new();
        self.format_fields(Writer::new(&mut added), fields)?;
        let mut object: BTreeMap<String, serde_json::Value> =
            serde_json::from_str(&current.fields).map_err(|_| fmt::Error)?;
        let added: BTreeMap<String, serde_json::Value> =
            serde_json::from_str(&added).map_err(|_| fmt::Error)?;
        object.extend(added);
        current.fields = serde_json::to_string(&object).map_err(|_| fmt::Error)?;
        Ok(())
    }
}

/// A visitor that scrubs each value before `inner` records it.
struct ScrubVisitor<'s, V> {
    scrubber: &'s Scrubber,
    inner: V,
    /// Where a `Debug` value is formatted to be scanned.
    scratch: Scratch,
}

impl<'s, V> ScrubVisitor<'s, V> {
    fn new(scrubber: &'s Scrubber, inner: V) -> Self {
        ScrubVisitor {
            scrubber,
            inner,
            scratch: Scratch::take_value(),
        }
    }
}

/// Writes a text as it is through `Debug`, which is how a visitor is handed formatted text.
struct Verbatim<'a>(&'a str);

impl fmt::Debug for Verbatim<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// The smallest integer that can hold a card number (13 digits); phone numbers need a `+` or
/// separators, which an integer has not.
const SMALLEST_CARD_NUMBER: u64 = 1_000_000_000_000;

impl<V: Visit> ScrubVisitor<'_, V> {
    /// Records the scrubbed text of `value`, formatted with `Display`.
    fn record_number(&mut self, field: &Field, value: &dyn fmt::Display) {
        let text = &mut *self.scratch;
        text.clear();
        // Writing into a `String` fails only if `Display` does.
        let _ = write!(text, "{value}");
        let scrubbed = self.scrubber.scrub(text);
        self.inner.record_debug(field, &Verbatim(&scrubbed));
    }
}

impl<V: Visit> Visit for ScrubVisitor<'_, V> {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        let text = &mut *self.scratch;
        text.clear();
        if write!(text, "{value:?}").is_err() {
            // The value's `Debug` failed: so would the inner formatter's; let it report it.
            return self.inner.record_debug(field, value);
        }
        let scrubbed = self.scrubber.scrub(text);
        self.inner.record_debug(field, &Verbatim(&scrubbed));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        let scrubbed = self.scrubber.scrub(value);
        self.inner.record_str(field, &scrubbed);
    }

    fn record_error(&mut self, field: &Field, value: &(dyn Error + 'static)) {
        let scrubbed = ScrubbedError::new(self.scrubber, value);
        self.inner.record_error(field, &scrubbed);
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        if value >= SMALLEST_CARD_NUMBER {
            self.record_number(field, &value);
        } else {
            self.inner.record_u64(field, value);
        }
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        if value.unsigned_abs() >= SMALLEST_CARD_NUMBER {
            self.record_number(field, &value);
        } else {
            self.inner.record_i64(field, value);
        }
    }

    fn record_u128(&mut self, field: &Field, value: u128) {
        if value >= u128::from(SMALLEST_CARD_NUMBER) {
            self.record_number(field, &value);
        } else {
            self.inner.record_u128(field, value);
        }
    }

    fn record_i128(&mut self, field: &Field, value: i128) {
        if value.unsigned_abs() >= u128::from(SMALLEST_CARD_NUMBER) {
            self.record_number(field, &value);
        } else {
            self.inner.record_i128(field, value);
        }
    }

    fn record_f64(&mut self, field: &Field, value: f64) {
        self.inner.record_f64(field, value);
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.inner.record_bool(field, value);
    }

    fn record_bytes(&mut self, field: &Field, value: &[u8]) {
        self.inner.record_bytes(field, value);
    }
}

impl<V: VisitOutput<fmt::Result>> VisitOutput<fmt::Result> for ScrubVisitor<'_, V> {
    fn finish(self) -> fmt::Result {
        self.inner.finish()
    }
}

impl<V: VisitFmt> VisitFmt for ScrubVisitor<'_, V> {
    fn writer(&mut self) -> &mut dyn fmt::Write {
        self.inner.writer()
    }
}

/// An error and its sources, each with its message scrubbed, so that the formatter writes the
/// chain as it would write the original's.
#[derive(Debug)]
struct ScrubbedError {
    message: String,
    source: Option<Box<ScrubbedError>>,
}

impl ScrubbedError {
    /// The longest chain of sources kept: a chain that loops would otherwise never end.
    const MAX_SOURCES: usize = 64;

    fn new(scrubber: &Scrubber, error: &(dyn Error + 'static)) -> Self {
        let mut messages = Vec::new();
        let mut next = Some(error);
        while let Some(error) = next.filter(|_| messages.len() <= Self::MAX_SOURCES) {
            messages.push(scrubber.scrub(&error.to_string()).into_owned());
            next = error.source();
        }
        let mut chain = None;
        for message in messages.into_iter().rev() {
            chain = Some(ScrubbedError {
                message,
                source: chain.map(Box::new),
            });
        }
        chain.expect("an error has a message")
    }
}

impl fmt::Display for ScrubbedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl Error for ScrubbedError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.source.as_deref().map(|source| source as _)
    }
}
