//! What the `valuable::Valuable` that `#[derive(Privacy)]` generates hands a visitor for each
//! field: safe fields and fields whose type classifies itself as their own value, classified
//! fields as the text their strategy shows in `Debug`.
//!
//! `valuable` 0.1 has no value for "text written by a `Display`": `Value::String` borrows a
//! `&str` for as long as the visit lasts. A placeholder (`hide`) is a `&'static str`, but a
//! partial strategy or a pseudonym exists only once written. [`FieldText`] writes it into a
//! buffer that lives on the stack of the generated `visit`, next to the field values that
//! borrow it, so that a visit allocates nothing for text that fits in [`FieldText::INLINE`]
//! bytes: every placeholder, pseudonym, IP prefix and `last`/`first` window of a usual width.
//! Longer text (a long e-mail domain, what a `with` function writes) moves to one heap
//! allocation rather than being cut or replaced: what a visitor sees is always exactly what
//! `Debug` shows.

use core::fmt::{self, Write as _};

use valuable::{Valuable, Value, Visit};

/// The text of one field, for `Value::String`: on the stack when short, on the heap beyond.
pub struct FieldText(Repr);

enum Repr {
    /// A placeholder, when writing the redacted text failed.
    Static(&'static str),
    /// Whole `str` pieces only, so the bytes are always UTF-8.
    Inline {
        bytes: [u8; FieldText::INLINE],
        len: usize,
    },
    Heap(String),
}

impl FieldText {
    /// How many bytes of text are kept on the stack.
    pub const INLINE: usize = 80;

    const fn empty() -> Self {
        FieldText(Repr::Inline {
            bytes: [0; FieldText::INLINE],
            len: 0,
        })
    }

    /// What a redaction adapter writes in `Debug`, or the field's placeholder `hidden` if the
    /// adapter (a `with` function) fails: never a part of what it wrote before failing.
    pub fn redacted(adapter: &dyn fmt::Debug, hidden: &'static str) -> Self {
        let mut text = FieldText::empty();
        match write!(text, "{adapter:?}") {
            Ok(()) => text,
            Err(fmt::Error) => FieldText(Repr::Static(hidden)),
        }
    }

    /// The `Debug` of a value that has no `Valuable`: a safe field's own, or the redacted
    /// `Debug` of a type that classifies itself. If it fails, what it wrote until then.
    pub fn debug(value: &dyn fmt::Debug) -> Self {
        let mut text = FieldText::empty();
        // A failing `Debug` is the value's own bug; its partial output is still its `Debug`.
        let _ = write!(text, "{value:?}");
        text
    }

    /// The `Display` of a value, for text this crate writes (an indexed map key).
    pub fn display(value: &dyn fmt::Display) -> Self {
        let mut text = FieldText::empty();
        let _ = write!(text, "{value}");
        text
    }

    /// The text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Static(text) => text,
            // Never fails: only whole `str`s are copied in.
            Repr::Inline { bytes, len } => core::str::from_utf8(&bytes[..*len]).unwrap_or(""),
            Repr::Heap(text) => text,
        }
    }
}

impl fmt::Write for FieldText {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        match &mut self.0 {
            Repr::Inline { bytes, len } => {
                if let Some(slot) = bytes.get_mut(*len..*len + s.len()) {
                    slot.copy_from_slice(s.as_bytes());
                    *len += s.len();
                } else {
                    let mut heap = String::with_capacity(2 * (*len + s.len()));
                    heap.push_str(core::str::from_utf8(&bytes[..*len]).unwrap_or(""));
                    heap.push_str(s);
                    self.0 = Repr::Heap(heap);
                }
            }
            Repr::Heap(text) => text.push_str(s),
            Repr::Static(text) => self.0 = Repr::Heap([*text, s].concat()),
        }
        Ok(())
    }
}

impl fmt::Debug for FieldText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl Valuable for FieldText {
    fn as_value(&self) -> Value<'_> {
        Value::String(self.as_str())
    }

    fn visit(&self, visit: &mut dyn Visit) {
        visit.visit_value(self.as_value());
    }
}

/// A field shown as itself: a safe field, or one whose type classifies itself. The derive calls
/// `(&&FieldValue(&field)).field_value()`, which finds [`ViaValuable`] when the field's type is
/// `Valuable` and [`ViaDebug`] otherwise (autoref specialisation), so that enabling the
/// `valuable` feature never breaks a type whose safe field is, say, a `SystemTime`.
pub struct FieldValue<'a, T: ?Sized>(pub &'a T);

/// Found first: the field's own `Valuable`.
pub trait ViaValuable<'a> {
    /// The field's value.
    fn field_value(&self) -> Value<'a>;
}

impl<'a, T: Valuable + ?Sized> ViaValuable<'a> for &FieldValue<'a, T> {
    fn field_value(&self) -> Value<'a> {
        self.0.as_value()
    }
}

/// Found when the field's type is not `Valuable`: its `Debug` as text. That `Debug` is the
/// safe field's own, or the redacted one of a type that classifies itself.
pub trait ViaDebug {
    /// The field's `Debug` text.
    fn field_value(&self) -> FieldText;
}

impl<T: fmt::Debug + ?Sized> ViaDebug for FieldValue<'_, T> {
    fn field_value(&self) -> FieldText {
        FieldText::debug(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Failing;

    impl fmt::Debug for Failing {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("partial")?;
            Err(fmt::Error)
        }
    }

    #[test]
    fn short_text_stays_inline() {
        let text = FieldText::debug(&"<pii:phone …\"0958\">");
        assert!(matches!(text.0, Repr::Inline { .. }));
        assert_eq!(text.as_str(), r#""<pii:phone …\"0958\">""#);
    }

    #[test]
    fn long_text_moves_to_the_heap_whole() {
        let long = "é".repeat(FieldText::INLINE);
        let text = FieldText::debug(&format_args!("{long}{long}"));
        assert!(matches!(text.0, Repr::Heap(_)));
        assert_eq!(text.as_str(), format!("{long}{long}"));
    }

    #[test]
    fn text_that_fills_the_buffer_exactly_stays_inline() {
        let exact = "x".repeat(FieldText::INLINE);
        let text = FieldText::debug(&format_args!("{exact}"));
        assert!(matches!(text.0, Repr::Inline { .. }));
        assert_eq!(text.as_str(), exact);
    }

    #[test]
    fn a_failing_redaction_shows_the_placeholder() {
        assert_eq!(
            FieldText::redacted(&Failing, "<pii:name>").as_str(),
            "<pii:name>"
        );
        assert_eq!(FieldText::debug(&Failing).as_str(), "partial");
    }

    #[test]
    fn valuable_fields_are_found_before_debug() {
        let number = 7u32;
        assert!(matches!(
            (&&FieldValue(&number)).field_value(),
            Value::U32(7)
        ));
        let time = std::time::Duration::from_secs(1);
        // Written as the derive writes it, which is what is tested.
        #[allow(clippy::needless_borrow)]
        let text = (&&FieldValue(&time)).field_value();
        assert_eq!(text.as_str(), "1s");
    }
}
