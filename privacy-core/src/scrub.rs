//! A safety net for log output: formatters for `tracing_subscriber::fmt` that replace personal
//! data nobody classified.
//!
//! Annotations keep classified values out of logs by construction; what they cannot reach is a
//! value that was never classified: an address formatted into a message, an error that quotes
//! its input, a `String` read out with `expose()`. The scrubber scans what is logged for the
//! shapes of personal data, replaces each with a placeholder naming what it found, and counts
//! it, so that a leak shows up as a number to alert on instead of a line to find:
//!
//! | shape | found | replaced by |
//! |---|---|---|
//! | e-mail address | `alice@example.com` | `<scrubbed:email>` |
//! | phone number | E.164 `+44 20 7946 0958`, `+14255550143`; North American `(425) 555-0143`, `425-555-0143`; national with a trunk `0`: `020 7946 0958`, `01 23 45 67 89` | `<scrubbed:phone>` |
//! | IP address | IPv4 `203.0.113.7`, IPv6 `2001:db8::7`, `::ffff:203.0.113.7` | `<scrubbed:ip>` |
//! | payment card number | 13 to 19 digits, bare or grouped by spaces or dashes, with a card network's prefix and a valid Luhn digit | `<scrubbed:payment_card>` |
//!
//! Left as they are: the framework's own placeholders and pseudonyms (`<pii:phone …"0958">`,
//! `<pii:ip 203.0.113.0/24>`, `<oii:org_name>`, `#k2026:4f2a9c01d3b7e655`), and what is merely
//! shaped like data: times and dates (`2026-11-29T00:01:48Z`, `00:01:48.123`), UUIDs, hex ids,
//! version numbers (`1.95.0`, `v2.0.119`), durations and sizes (`1.5s`, `64KiB`), Rust paths
//! (`app::db`), numbers that fail the Luhn check, and the unspecified, loopback and broadcast
//! addresses (`0.0.0.0`, `127.0.0.1`, `::1`), which identify no one.
//!
//! # Text
//!
//! [`ScrubFields`] is the field formatter: it scrubs the message and every field value of
//! events and spans before the formatter it wraps (`tracing_subscriber`'s default one) writes
//! them.
//!
//! ```
//! use privacy::tracing::{PiiShape, Scrubber};
//! # use std::sync::{Arc, Mutex};
//! # #[derive(Clone, Default)]
//! # struct Buffer(Arc<Mutex<Vec<u8>>>);
//! # impl std::io::Write for Buffer {
//! #     fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
//! #         self.0.lock().unwrap().write(bytes)
//! #     }
//! #     fn flush(&mut self) -> std::io::Result<()> {
//! #         Ok(())
//! #     }
//! # }
//! # let buffer = Buffer::default();
//! # let writer = buffer.clone();
//!
//! let scrubber = Scrubber::new();
//! let subscriber = tracing_subscriber::fmt()
//!     .fmt_fields(scrubber.fields())
//!     .without_time()
//!     .with_target(false)
//! #   .with_ansi(false)
//! #   .with_writer(move || writer.clone())
//!     .finish();
//!
//! tracing::subscriber::with_default(subscriber, || {
//!     let (from, ip) = ("alice@example.com", "203.0.113.7");
//!     tracing::warn!(%ip, "login failed for {from}");
//! });
//! # let logs = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
//! # assert_eq!(logs.trim(), "WARN login failed for <scrubbed:email> ip=<scrubbed:ip>");
//! // WARN login failed for <scrubbed:email> ip=<scrubbed:ip>
//!
//! let stats = scrubber.stats();
//! assert_eq!((stats.get(PiiShape::Email), stats.get(PiiShape::Ip)), (1, 1));
//! ```
//!
//! # JSON
//!
//! `tracing_subscriber`'s JSON formatter formats span fields with the field formatter, but
//! writes the fields of events itself. So it takes two parts: [`ScrubJsonFields`] scrubs span
//! fields once, when they are recorded, and [`ScrubEvents`] wraps the event formatter and
//! scrubs each whole line it writes: the event's message and fields, and everything else on
//! the line (time, level, target, span names and fields), where the scrubber finds nothing
//! that the formatter adds itself. A replacement never breaks the JSON.
//!
//! ```
//! use privacy::tracing::Scrubber;
//! # use std::sync::{Arc, Mutex};
//! # #[derive(Clone, Default)]
//! # struct Buffer(Arc<Mutex<Vec<u8>>>);
//! # impl std::io::Write for Buffer {
//! #     fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
//! #         self.0.lock().unwrap().write(bytes)
//! #     }
//! #     fn flush(&mut self) -> std::io::Result<()> {
//! #         Ok(())
//! #     }
//! # }
//! # let buffer = Buffer::default();
//! # let writer = buffer.clone();
//!
//! let scrubber = Scrubber::new();
//! let subscriber = tracing_subscriber::fmt()
//!     .json()
//!     .fmt_fields(scrubber.json_fields())
//!     .map_event_format(|format| scrubber.events(format))
//! #   .with_writer(move || writer.clone())
//!     .finish();
//!
//! tracing::subscriber::with_default(subscriber, || {
//!     let span = tracing::info_span!("checkout", card = "4111 1111 1111 1111");
//!     let _entered = span.enter();
//!     tracing::info!(phone = "+44 20 7946 0958", "called back");
//! });
//! # let logs = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
//! # assert!(logs.contains(r#""fields":{"message":"called back","phone":"<scrubbed:phone>"}"#));
//! # assert!(logs.contains(r#""card":"<scrubbed:payment_card>""#));
//! // {..., "fields":{"message":"called back","phone":"<scrubbed:phone>"}, ...,
//! //  "span":{"card":"<scrubbed:payment_card>","name":"checkout"}, ...}
//! assert_eq!(scrubber.stats().total(), 2);
//! ```
//!
//! # What is scanned
//!
//! - With [`ScrubFields`] (text formatters): each recorded value as its own text. A `&str` as
//!   it is; a value recorded with `?` or `%`, and the message, as its `Debug` or `Display`
//!   text; an error as the message of each error in its chain of sources; an integer of 13
//!   digits or more (it may be a card number) as its digits. Floats, booleans and bytes are
//!   passed on unscanned: they cannot hold these shapes. Field names, and what the formatter
//!   adds (time, level, target, span names) are not scanned.
//! - With [`ScrubJsonFields`]: the same, for span fields.
//! - With [`ScrubEvents`]: the whole line its event formatter wrote.
//!
//! A value recorded as `valuable` (tracing's unstable structured values) is scrubbed as its
//! `Debug` text, and written as a string.
//!
//! # Limits
//!
//! It is a net, not the fence: shapes are heuristics. It cannot recognize a name, a street
//! address or a message, nor a phone number written without separators in a national format
//! (`02079460958` is shaped like any other id), and it trusts text in the framework's
//! placeholder syntax. Classify fields; count what the net catches, and fix the annotations it
//! points to.
//!
//! The expression is compiled once per process, when the first scrubber is made. A line with
//! nothing to replace is written without being copied again.

#![cfg(feature = "scrub")]

mod events;
mod fields;
mod scratch;
mod shapes;
mod stats;

use core::fmt;
use core::ops::Range;
use std::borrow::Cow;

pub use events::ScrubEvents;
pub use fields::{ScrubFields, ScrubJsonFields};
pub use shapes::PiiShape;
pub use stats::ScrubStats;

use shapes::Shapes;

/// Finds e-mail addresses, phone numbers, IP addresses and card numbers in text, replaces each
/// with a placeholder naming its shape, and counts them.
///
/// Cloning is cheap, and clones share the counts; the formatters made from a scrubber count
/// into its [`ScrubStats`].
///
/// ```
/// use privacy::tracing::Scrubber;
///
/// let scrubber = Scrubber::new();
/// assert_eq!(
///     scrubber.scrub("from alice@example.com at 2001:db8::7, card 4111-1111-1111-1111"),
///     "from <scrubbed:email> at <scrubbed:ip>, card <scrubbed:payment_card>",
/// );
/// assert_eq!(
///     scrubber.scrub(r#"<pii:ip 203.0.113.0/24> at 2026-11-29T00:01:48Z, v2.0.119"#),
///     r#"<pii:ip 203.0.113.0/24> at 2026-11-29T00:01:48Z, v2.0.119"#,
/// );
/// assert_eq!(scrubber.stats().total(), 3);
/// ```
#[derive(Clone, Debug, Default)]
pub struct Scrubber {
    stats: ScrubStats,
}

impl Scrubber {
    /// A scrubber with counts of its own. The first one made compiles the expression that all
    /// share.
    #[must_use]
    pub fn new() -> Self {
        Self::with_stats(ScrubStats::new())
    }

    /// A scrubber that counts into `stats`, to share counts between subscribers.
    #[must_use]
    pub fn with_stats(stats: ScrubStats) -> Self {
        shapes::compile();
        Scrubber { stats }
    }

    /// The counts of what this scrubber and its clones replaced.
    #[must_use]
    pub fn stats(&self) -> ScrubStats {
        self.stats.clone()
    }

    /// `text` with each shape of personal data replaced; borrowed when there was none.
    #[must_use]
    pub fn scrub<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let mut shapes = Shapes::new(text).peekable();
        if shapes.peek().is_none() {
            return Cow::Borrowed(text);
        }
        let mut scrubbed = String::with_capacity(text.len());
        let written = self.write(text, shapes, &mut scrubbed, Syntax::Text);
        debug_assert!(written.is_ok(), "writing into a String does not fail");
        Cow::Owned(scrubbed)
    }

    /// Writes `text` to `out` with each shape of personal data replaced.
    pub fn scrub_into<W: fmt::Write + ?Sized>(&self, text: &str, out: &mut W) -> fmt::Result {
        self.write(text, Shapes::new(text), out, Syntax::Text)
    }

    /// Writes `text` to `out` with each shape of personal data replaced, quoting a replacement
    /// that stands outside a JSON string (a card number written as a JSON number) when `text`
    /// is JSON.
    fn write<W: fmt::Write + ?Sized>(
        &self,
        text: &str,
        shapes: impl Iterator<Item = (Range<usize>, PiiShape)>,
        out: &mut W,
        syntax: Syntax,
    ) -> fmt::Result {
        let mut written = 0;
        let mut json = JsonState::Outside;
        for (range, shape) in shapes {
            let gap = &text[written..range.start];
            out.write_str(gap)?;
            if syntax == Syntax::Json {
                json = json.after(gap);
            }
            if json == JsonState::Outside && syntax == Syntax::Json {
                out.write_char('"')?;
                out.write_str(shape.placeholder())?;
                out.write_char('"')?;
            } else {
                out.write_str(shape.placeholder())?;
            }
            self.stats.add(shape);
            written = range.end;
        }
        out.write_str(&text[written..])
    }

    /// The field formatter for the text formatters: [`ScrubFields`] around
    /// `tracing_subscriber`'s `DefaultFields`.
    #[must_use]
    pub fn fields(&self) -> ScrubFields {
        self.fields_with(tracing_subscriber::fmt::format::DefaultFields::new())
    }

    /// [`ScrubFields`] around another field formatter built on a visitor, such as
    /// `tracing_subscriber::fmt::format::PrettyFields` or one made with
    /// `tracing_subscriber::fmt::format::debug_fn`.
    #[must_use]
    pub fn fields_with<N>(&self, inner: N) -> ScrubFields<N> {
        ScrubFields::new(self.clone(), inner)
    }

    /// The field formatter for the JSON formatter, which scrubs span fields. Use it with
    /// [`Scrubber::events`] around the JSON event formatter, which writes event fields itself:
    ///
    /// ```
    /// let scrubber = privacy::tracing::Scrubber::new();
    /// let subscriber = tracing_subscriber::fmt()
    ///     .json()
    ///     .fmt_fields(scrubber.json_fields())
    ///     .map_event_format(|format| scrubber.events(format))
    ///     .finish();
    /// # drop(subscriber);
    /// ```
    #[must_use]
    pub fn json_fields(&self) -> ScrubJsonFields {
        ScrubJsonFields::new(self.clone())
    }

    /// [`ScrubEvents`] around an event formatter: each whole line it writes is scrubbed.
    #[must_use]
    pub fn events<E>(&self, inner: E) -> ScrubEvents<E> {
        ScrubEvents::new(self.clone(), inner)
    }
}

/// What the text being scrubbed is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Syntax {
    Text,
    /// A JSON document: a replacement outside a string must be a string itself.
    Json,
}

/// Where a position in a JSON document is, as far as strings go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum JsonState {
    Outside,
    Inside,
    /// Right after a backslash in a string.
    Escaped,
}

impl JsonState {
    /// The state after `text`.
    fn after(self, text: &str) -> Self {
        text.bytes().fold(self, |state, b| match (state, b) {
            (JsonState::Outside, b'"') | (JsonState::Escaped, _) => JsonState::Inside,
            (JsonState::Inside, b'"') => JsonState::Outside,
            (JsonState::Inside, b'\\') => JsonState::Escaped,
            (state, _) => state,
        })
    }
}

impl Scrubber {
    /// [`Scrubber::scrub_into`] for a line of a formatter: JSON when it starts with `{`.
    fn scrub_line_into<W: fmt::Write + ?Sized>(&self, line: &str, out: &mut W) -> fmt::Result {
        let syntax = if line.starts_with('{') {
            Syntax::Json
        } else {
            Syntax::Text
        };
        self.write(line, Shapes::new(line), out, syntax)
    }
}
