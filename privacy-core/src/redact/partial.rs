//! `last(N)` and `first(N)`.

use core::fmt;

use super::text::{write_window, Measure};
use super::Labels;
use crate::strategy::{FirstStrategy, LastStrategy};

/// How many characters a partial strategy asking for `n` may show of a text of `total`
/// characters: at most `n`, and at most half of the text, so a short value is never shown whole.
fn shown(n: usize, total: usize) -> usize {
    n.min(total / 2)
}

/// The `last(N)` strategy: `<pii:phone …"0958">`.
pub struct Last<'a, T: ?Sized> {
    labels: Labels,
    n: usize,
    value: &'a T,
}

// No bound here: the `Debug` impl's bound gives the strategy's own error message.
impl<'a, T: ?Sized> Last<'a, T> {
    /// Shows at most the last `n` characters of `value`.
    pub fn new(labels: Labels, n: usize, value: &'a T) -> Self {
        Last { labels, n, value }
    }
}

impl<T: LastStrategy + ?Sized> fmt::Debug for Last<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let written = self.value.with_text(|text| {
            let total = Measure::of(text)?.chars;
            let take = shown(self.n, total);
            (take > 0).then(|| {
                f.write_str(self.labels.open)?;
                f.write_str("…")?;
                write_window(f, text, total - take, take)?;
                f.write_str(">")
            })
        });
        written.flatten().unwrap_or_else(|| self.labels.hide(f))
    }
}

/// The `first(N)` strategy: `<pii:name "Al"…>`.
pub struct First<'a, T: ?Sized> {
    labels: Labels,
    n: usize,
    value: &'a T,
}

// No bound here: the `Debug` impl's bound gives the strategy's own error message.
impl<'a, T: ?Sized> First<'a, T> {
    /// Shows at most the first `n` characters of `value`.
    pub fn new(labels: Labels, n: usize, value: &'a T) -> Self {
        First { labels, n, value }
    }
}

impl<T: FirstStrategy + ?Sized> fmt::Debug for First<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let written = self.value.with_text(|text| {
            let total = Measure::of(text)?.chars;
            let take = shown(self.n, total);
            (take > 0).then(|| {
                f.write_str(self.labels.open)?;
                write_window(f, text, 0, take)?;
                f.write_str("…>")
            })
        });
        written.flatten().unwrap_or_else(|| self.labels.hide(f))
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
