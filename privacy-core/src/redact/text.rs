//! Reading a value's text twice without storing it: once to measure, once to show a window.

use core::fmt::{self, Write as _};

use crate::strategy::{StrText, Text};

/// A field's text, behind a pointer that does not depend on the field's type.
pub(super) trait DynText {
    /// Calls `f` with the text; `None` when there is none (a `None`).
    fn dyn_with_text(
        &self,
        f: &mut dyn FnMut(&dyn fmt::Display) -> fmt::Result,
    ) -> Option<fmt::Result>;

    /// The text as a `str`, when the value holds one (see [`Text::as_str`]).
    fn dyn_as_str(&self) -> StrText<'_>;
}

impl<T: Text + ?Sized> DynText for T {
    fn dyn_with_text(
        &self,
        f: &mut dyn FnMut(&dyn fmt::Display) -> fmt::Result,
    ) -> Option<fmt::Result> {
        self.with_text(f)
    }

    fn dyn_as_str(&self) -> StrText<'_> {
        self.as_str()
    }
}

/// Counts the characters of a text and remembers where its last `@` is.
#[derive(Default)]
pub(super) struct Measure {
    pub(super) chars: usize,
    pub(super) last_at: Option<usize>,
}

impl Measure {
    pub(super) fn of(text: &dyn fmt::Display) -> Option<Measure> {
        let mut measure = Measure::default();
        write!(measure, "{text}").ok()?;
        Some(measure)
    }
}

impl fmt::Write for Measure {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for c in s.chars() {
            if c == '@' {
                self.last_at = Some(self.chars);
            }
            self.chars += 1;
        }
        Ok(())
    }
}

/// Writes the characters `skip..skip + take` of a text, escaped the way `Debug` escapes a `str`,
/// between double quotes. It never writes more than `take` characters, even if the text's
/// `Display` gives a longer text the second time.
pub(super) fn write_window(
    f: &mut fmt::Formatter<'_>,
    text: &dyn fmt::Display,
    skip: usize,
    take: usize,
) -> fmt::Result {
    f.write_char('"')?;
    write!(Window { f, skip, take }, "{text}")?;
    f.write_char('"')
}

struct Window<'a, 'f> {
    f: &'a mut fmt::Formatter<'f>,
    skip: usize,
    take: usize,
}

impl fmt::Write for Window<'_, '_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for c in s.chars() {
            if self.skip > 0 {
                self.skip -= 1;
            } else if self.take > 0 {
                self.take -= 1;
                write_escaped(self.f, c)?;
            } else {
                break;
            }
        }
        Ok(())
    }
}

/// Escapes one character exactly as `<str as Debug>::fmt` does: like `char::escape_debug`, but
/// leaving single quotes alone.
pub(super) fn write_escaped(f: &mut fmt::Formatter<'_>, c: char) -> fmt::Result {
    if c == '\'' {
        f.write_char(c)
    } else {
        c.escape_debug().try_for_each(|e| f.write_char(e))
    }
}

/// Text written into a fixed buffer on the stack; writing more than fits fails.
#[cfg(feature = "serde")]
pub(super) struct StackText {
    bytes: [u8; 160],
    len: usize,
}

#[cfg(feature = "serde")]
impl Default for StackText {
    fn default() -> Self {
        StackText {
            bytes: [0; 160],
            len: 0,
        }
    }
}

#[cfg(feature = "serde")]
impl StackText {
    /// The text written, if it all fit.
    pub(super) fn as_str(&self) -> Option<&str> {
        core::str::from_utf8(&self.bytes[..self.len]).ok()
    }
}

#[cfg(feature = "serde")]
impl fmt::Write for StackText {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len + s.len();
        let slot = self.bytes.get_mut(self.len..end).ok_or(fmt::Error)?;
        slot.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// Shows a value's `Debug` through `Display`, for serializers' `collect_str`.
#[cfg(feature = "serde")]
pub(super) struct DebugText<'a, T: ?Sized>(pub(super) &'a T);

#[cfg(feature = "serde")]
impl<T: fmt::Debug + ?Sized> fmt::Display for DebugText<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.0, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Shown<'a>(&'a str, usize, usize);

    impl fmt::Display for Shown<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write_window(f, &self.0, self.1, self.2)
        }
    }

    #[test]
    fn escapes_like_str_debug() {
        for text in [
            "plain",
            "quote\" 'single'",
            "tab\tnew\nline\\",
            "e\u{301}\u{200b}\u{7f}",
            "日本語 🎉",
            "",
        ] {
            let n = text.chars().count();
            assert_eq!(Shown(text, 0, n).to_string(), format!("{text:?}"));
        }
    }

    #[test]
    fn window_counts_characters_not_bytes() {
        assert_eq!(Shown("日本語テキスト", 5, 2).to_string(), "\"スト\"");
        assert_eq!(Shown("日本語テキスト", 0, 3).to_string(), "\"日本語\"");
        assert_eq!(Shown("ab", 5, 2).to_string(), "\"\"");
    }

    #[test]
    fn measures_characters_and_last_at() {
        let m = Measure::of(&"a@b@日本").unwrap();
        assert_eq!((m.chars, m.last_at), (6, Some(3)));
        assert_eq!(Measure::of(&"none").unwrap().last_at, None);
    }
}
