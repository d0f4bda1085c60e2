//! `last(N)` and `first(N)`.

use core::fmt;

use super::text::{write_window, DynText, Measure};
use super::Labels;
use crate::strategy::{FirstStrategy, LastStrategy, StrText};

/// How many characters a partial strategy asking for `n` may show of a text of `total`
/// characters: at most `n`, and at most half of the text, so a short value is never shown whole.
fn shown(n: usize, total: usize) -> usize {
    n.min(total / 2)
}

/// Which end of the text a partial strategy shows.
#[derive(Clone, Copy)]
enum End {
    Last,
    First,
}

/// Writes `<pii:kind …"end">` or `<pii:kind "start"…>`, or the placeholder when nothing may be
/// shown.
fn write_partial(
    f: &mut fmt::Formatter<'_>,
    labels: Labels,
    end: End,
    n: usize,
    value: &dyn DynText,
) -> fmt::Result {
    match value.dyn_as_str() {
        StrText::Str(text) => return write_partial_str(f, labels, end, n, text),
        StrText::Absent => return labels.hide(f),
        StrText::NotStr => {}
    }
    let written = value.dyn_with_text(&mut |text| {
        let Some(measure) = Measure::of(text) else {
            return labels.hide(f);
        };
        let take = shown(n, measure.chars);
        if take == 0 {
            return labels.hide(f);
        }
        f.write_str(labels.open)?;
        match end {
            End::Last => {
                f.write_str("…")?;
                write_window(f, text, measure.chars - take, take)?;
                f.write_str(">")
            }
            End::First => {
                write_window(f, text, 0, take)?;
                f.write_str("…>")
            }
        }
    });
    written.unwrap_or_else(|| labels.hide(f))
}

/// [`write_partial`] for a value that is a `str`: slicing it, instead of formatting it twice.
fn write_partial_str(
    f: &mut fmt::Formatter<'_>,
    labels: Labels,
    end: End,
    n: usize,
    text: &str,
) -> fmt::Result {
    let take = shown(n, text.chars().count());
    if take == 0 {
        return labels.hide(f);
    }
    f.write_str(labels.open)?;
    match end {
        End::Last => {
            let start = text
                .char_indices()
                .rev()
                .nth(take - 1)
                .map_or(0, |(i, _)| i);
            f.write_str("…")?;
            fmt::Debug::fmt(&text[start..], f)?;
            f.write_str(">")
        }
        End::First => {
            let stop = text.char_indices().nth(take).map_or(text.len(), |(i, _)| i);
            fmt::Debug::fmt(&text[..stop], f)?;
            f.write_str("…>")
        }
    }
}

/// The `last(N)` strategy: `<pii:phone …"0958">`.
pub struct Last<'a> {
    labels: Labels,
    n: usize,
    value: &'a dyn DynText,
}

impl<'a> Last<'a> {
    /// Shows at most the last `n` characters of `value`, lent by a reference to its reference,
    /// which is sized even when the value is not (`str`).
    pub fn new<T: LastStrategy + ?Sized>(labels: Labels, n: usize, value: &'a &'a T) -> Self {
        Last { labels, n, value }
    }
}

impl fmt::Debug for Last<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_partial(f, self.labels, End::Last, self.n, self.value)
    }
}

/// The `first(N)` strategy: `<pii:name "Al"…>`.
pub struct First<'a> {
    labels: Labels,
    n: usize,
    value: &'a dyn DynText,
}

impl<'a> First<'a> {
    /// Shows at most the first `n` characters of `value`, lent as for [`Last::new`].
    pub fn new<T: FirstStrategy + ?Sized>(labels: Labels, n: usize, value: &'a &'a T) -> Self {
        First { labels, n, value }
    }
}

impl fmt::Debug for First<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_partial(f, self.labels, End::First, self.n, self.value)
    }
}

#[cfg(test)]
mod tests {
    use super::shown;

    #[test]
    fn never_more_than_half() {
        assert_eq!(shown(4, 12), 4);
        assert_eq!(shown(4, 8), 4);
        assert_eq!(shown(4, 7), 3);
        assert_eq!(shown(4, 1), 0);
        assert_eq!(shown(4, 0), 0);
    }
}
