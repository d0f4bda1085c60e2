//! The event formatter: for formatters that write field values without a field formatter, as
//! the JSON one does, the whole line is scrubbed.

use core::fmt;

use tracing::{Event, Subscriber};
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields};
use tracing_subscriber::registry::LookupSpan;

use super::scratch::Scratch;
use super::Scrubber;

/// An event formatter that scrubs each whole line that the event formatter `E` writes.
///
/// Made for `tracing_subscriber`'s JSON formatter, which writes the message and the fields of
/// an event itself, bypassing the field formatter; everything on the line is scanned: the
/// time, level and target, the event's message and fields, and the names and fields of its
/// spans. The scrubber finds nothing in what the formatter adds itself (times, levels,
/// targets, file names, line numbers, thread names and ids), and a replacement never breaks the
/// JSON: no shape it replaces holds a quote, a backslash or a brace, one that follows an escape
/// (`\n`, `\u001b`) starts after it, and on a line that starts with `{` a replacement outside a
/// string (a card number logged as an integer) is written as a string.
///
/// `E` writes into a buffer, which `tracing_subscriber` offers no way to colour: wrapped, the
/// text formatters write without ANSI colours (they need no wrapping: [`ScrubFields`] reaches
/// every value they write).
///
/// [`ScrubFields`]: super::ScrubFields
#[derive(Clone, Debug, Default)]
pub struct ScrubEvents<E> {
    scrubber: Scrubber,
    inner: E,
}

impl<E> ScrubEvents<E> {
    /// Scrubs the lines `inner` writes, counting into `scrubber`'s stats.
    #[must_use]
    pub fn new(scrubber: Scrubber, inner: E) -> Self {
        ScrubEvents { scrubber, inner }
    }

    /// The scrubber, and through it the counts.
    #[must_use]
    pub fn scrubber(&self) -> &Scrubber {
        &self.scrubber
    }

    /// The wrapped event formatter.
    #[must_use]
    pub fn inner(&self) -> &E {
        &self.inner
    }

    /// The wrapped event formatter, to configure it.
    #[must_use]
    pub fn inner_mut(&mut self) -> &mut E {
        &mut self.inner
    }
}

impl<S, N, E> FormatEvent<S, N> for ScrubEvents<E>
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'w> FormatFields<'w> + 'static,
    E: FormatEvent<S, N>,
{
    fn format_event(
        &self,
        ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> fmt::Result {
        let mut line = Scratch::take_line();
        self.inner
            .format_event(ctx, Writer::new(&mut *line), event)?;
        self.scrubber.scrub_line_into(&line, &mut writer)
    }
}
