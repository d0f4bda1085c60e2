//! Finding the shapes of personal data in text: one combined regular expression finds
//! candidates, and code checks what a regular expression cannot (the Luhn digit, an address
//! that parses, the digit count of a phone number, what stands right before and after).

use core::fmt;
use core::ops::Range;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::sync::LazyLock;

use regex::{Regex, RegexSet};

use crate::Kind;

/// A shape of personal data that the scrubber recognizes in text nobody classified.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum PiiShape {
    /// An e-mail address: `alice@example.com`.
    Email,
    /// A phone number: E.164 (`+44 20 7946 0958`, `+14255550143`), North American
    /// (`(425) 555-0143`, `425-555-0143`) or national with a trunk `0` (`020 7946 0958`,
    /// `01 23 45 67 89`).
    Phone,
    /// An IPv4 or IPv6 address, other than the unspecified, loopback and broadcast addresses.
    Ip,
    /// A payment card number, bare or grouped with spaces or dashes, with a card network's
    /// prefix and a valid Luhn check digit.
    PaymentCard,
}

impl PiiShape {
    /// Every shape, in the order of [`ScrubStats`](super::ScrubStats)' counters.
    pub const ALL: [PiiShape; 4] = [
        PiiShape::Email,
        PiiShape::Phone,
        PiiShape::Ip,
        PiiShape::PaymentCard,
    ];

    /// The kind of personal data the shape is, as a field of that kind would be annotated.
    #[must_use]
    pub const fn kind(self) -> Kind {
        match self {
            PiiShape::Email => Kind::Email,
            PiiShape::Phone => Kind::Phone,
            PiiShape::Ip => Kind::Ip,
            PiiShape::PaymentCard => Kind::PaymentCard,
        }
    }

    /// The text that replaces a value of this shape: `<scrubbed:email>`, `<scrubbed:phone>`,
    /// `<scrubbed:ip>`, `<scrubbed:payment_card>`.
    #[must_use]
    pub const fn placeholder(self) -> &'static str {
        match self {
            PiiShape::Email => "<scrubbed:email>",
            PiiShape::Phone => "<scrubbed:phone>",
            PiiShape::Ip => "<scrubbed:ip>",
            PiiShape::PaymentCard => "<scrubbed:payment_card>",
        }
    }

    pub(super) const fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for PiiShape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.kind().as_str())
    }
}

/// The alternatives of the combined expression, in its order: at one position, the first that
/// matches wins.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Alternative {
    /// The framework's own placeholders and pseudonyms: written as they are.
    Keep,
    Email,
    Ipv6,
    Ipv4,
    Card,
    /// `+` and a country code.
    PhoneE164,
    /// North American: `(425) 555-0143`, `425-555-0143`.
    PhoneNanp,
    /// A trunk `0` and digit groups: `020 7946 0958`.
    PhoneNational,
}

/// Where `{word}` stands in an alternative, a shape that starts with a letter or digit starts a
/// word: at a word boundary, or right after an escape (`\n4111…` in a `Debug` or JSON string),
/// which the match then includes. So the search does not stop inside every time and number.
const WORD_START: &str = r"(?:(?-u:\b)|\\[ntr0bf]|\\u[0-9A-Fa-f]{4})";

const ALTERNATIVES: [(Alternative, &str); 8] = [
    // `<pii>`, `<oii:org_name>`, `<pii:phone …"0958">` (in JSON `…\"0958\"`),
    // `<pii:ip 203.0.113.0/24>`; a pseudonym `#k2026:4f2a9c01d3b7e655`.
    (
        Alternative::Keep,
        r#"<(?:pii|oii)(?::[A-Za-z0-9_.-]+)?(?: (?:"(?:[^"\\]|\\.)*"|\\.|[^<>"\\])*)?>|#[A-Za-z0-9._-]{1,32}:[0-9a-f]{16}"#,
    ),
    // The local part starts where the run of its characters does, so it needs no `{word}`.
    (
        Alternative::Email,
        r"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,63}",
    ),
    // Eight groups, six and an IPv4 address, or `::` somewhere; `Ipv6Addr` has the last word.
    (
        Alternative::Ipv6,
        r"{word}(?:(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}|(?:[0-9A-Fa-f]{1,4}:){6}[0-9]{1,3}(?:\.[0-9]{1,3}){3}|[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,6}::(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,6})?(?:\.[0-9]{1,3}){0,3})|::(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4}){0,6})?(?:\.[0-9]{1,3}){0,3}",
    ),
    (
        Alternative::Ipv4,
        r"{word}(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}",
    ),
    // 13 to 19 digits in groups of four (the last shorter), or Amex's 4-6-5.
    (
        Alternative::Card,
        r"{word}(?:[0-9]{4}[ -]?[0-9]{4}[ -]?[0-9]{4}[ -]?[0-9]{1,4}(?:[ -]?[0-9]{1,3})?|[0-9]{4}[ -]?[0-9]{6}[ -]?[0-9]{4,5})",
    ),
    (
        Alternative::PhoneE164,
        r"\+[1-9][0-9]{0,14}(?:[ .-]?\([0-9]{1,4}\)[ .-]?[0-9]{1,14}|[ .-][0-9]{1,14}){0,8}",
    ),
    (
        Alternative::PhoneNanp,
        r"\([0-9]{3}\)[ .-]?[0-9]{3}[ .-][0-9]{4}|{word}[0-9]{3}[ .-][0-9]{3}[ .-][0-9]{4}",
    ),
    (
        Alternative::PhoneNational,
        r"{word}0[0-9]{1,4}(?:[ .-][0-9]{2,8}){1,4}",
    ),
];

/// The alternatives with `{word}` spelled out.
fn alternatives() -> impl Iterator<Item = String> {
    ALTERNATIVES
        .iter()
        .map(|(_, alternative)| alternative.replace("{word}", WORD_START))
}

/// The combined expression, which finds candidates in one pass.
static PATTERN: LazyLock<Regex> = LazyLock::new(|| {
    let combined = alternatives()
        .map(|alternative| format!("(?:{alternative})"))
        .collect::<Vec<_>>()
        .join("|");
    Regex::new(&combined).expect("the scrubber's expression is valid")
});

/// Each alternative anchored, to tell which one a candidate matched: the first that matches at
/// its start. (Asking the combined expression for capture groups costs several times more.)
static WHICH: LazyLock<RegexSet> = LazyLock::new(|| {
    RegexSet::new(alternatives().map(|alternative| format!("^(?:{alternative})")))
        .expect("the scrubber's expressions are valid")
});

/// Compiles the expressions, if no scrubber did yet.
pub(super) fn compile() {
    LazyLock::force(&PATTERN);
    LazyLock::force(&WHICH);
}

/// The shapes in a text, in order, each with where it is; placeholders and pseudonyms of the
/// framework are skipped.
pub(super) struct Shapes<'t> {
    text: &'t str,
    at: usize,
}

impl<'t> Shapes<'t> {
    pub(super) fn new(text: &'t str) -> Self {
        Shapes {
            text,
            // Most values hold no shape, and a byte scan says so faster than a search.
            at: if may_hold_shape(text) { 0 } else { text.len() },
        }
    }
}

/// Which alternative the candidate `span` matched. A placeholder is told by its first
/// character (no other alternative starts with `<` or `#`); the rest, by the anchored set: the
/// first alternative that matches at the span's start is the one that matched it. The span
/// alone is enough: only the alternatives that start a word look before it, and where one of
/// them can start, none that starts otherwise can.
fn alternative_of(span: &str) -> Option<Alternative> {
    if matches!(span.as_bytes().first(), Some(b'<' | b'#')) {
        return Some(Alternative::Keep);
    }
    let first = WHICH.matches(span).iter().next()?;
    Some(ALTERNATIVES[first].0)
}

impl Iterator for Shapes<'_> {
    type Item = (Range<usize>, PiiShape);

    fn next(&mut self) -> Option<Self::Item> {
        while self.at < self.text.len() {
            let candidate = PATTERN.find_at(self.text, self.at)?.range();
            // Every candidate matches one alternative; were it otherwise, it would be passed by.
            let verdict = match alternative_of(&self.text[candidate.clone()]) {
                Some(alternative) => judge(self.text, candidate.clone(), alternative),
                None => Verdict::SkipTo(candidate.end.max(self.at + 1)),
            };
            match verdict {
                Verdict::Keep => self.at = candidate.end,
                Verdict::Scrub(range, shape) => {
                    self.at = range.end;
                    return Some((range, shape));
                }
                Verdict::SkipTo(at) => self.at = at,
            }
        }
        None
    }
}

/// Whether `text` has what every shape needs: an `@` (e-mail), four digits (IPv4, cards,
/// phones), or a colon and a digit (IPv6).
fn may_hold_shape(text: &str) -> bool {
    let (mut digits, mut colon) = (0, false);
    for b in text.bytes() {
        match b {
            b'@' => return true,
            b'0'..=b'9' => {
                digits += 1;
                if digits == 4 || colon {
                    return true;
                }
            }
            b':' if digits > 0 => return true,
            b':' => colon = true,
            _ => {}
        }
    }
    false
}

/// What to do with a candidate.
#[derive(Debug, PartialEq, Eq)]
enum Verdict {
    /// Write it as it is.
    Keep,
    /// Replace this part of the text.
    Scrub(Range<usize>, PiiShape),
    /// Not this candidate: search again from here.
    SkipTo(usize),
}

fn judge(text: &str, candidate: Range<usize>, alternative: Alternative) -> Verdict {
    let Range { mut start, end } = candidate;
    if alternative == Alternative::Keep {
        // Escapes inside a placeholder are the placeholder's.
        return Verdict::Keep;
    }
    // Right after a backslash the first character belongs to an escape (`\n` in `Debug`,
    // `\u001b` in JSON): the shape, if any, starts after it, and the search that resumes there
    // sees the escape as a boundary.
    if backslashes_before(text, start) % 2 == 1 {
        return Verdict::SkipTo(start + escape_len(&text[start..]));
    }
    // A `{word}` match that starts with its escape: the shape starts after it.
    if text.as_bytes()[start] == b'\\' {
        start += 1 + escape_len(&text[start + 1..]);
    }
    let span = &text[start..end];
    let digit_led = || clear_before(text, start) && !number_before(text, start, b" .-");
    let scrubbed = match alternative {
        Alternative::Keep => return Verdict::Keep,
        // The local part starts where the run of its characters starts, so only an escape or a
        // replacement can stand right before it; a shorter local part would end the same way.
        Alternative::Email if clear_before(text, start) && clear_after(text, end) => {
            Some((end, PiiShape::Email))
        }
        Alternative::Email => return Verdict::SkipTo(end),
        Alternative::Ipv6 => ipv6(text, start..end).map(|end| (end, PiiShape::Ip)),
        Alternative::Ipv4 => (clear_before(text, start)
            && !number_before(text, start, b".-")
            && clear_after(text, end)
            && !text[end..].starts_with("::")
            && span.parse::<Ipv4Addr>().is_ok_and(identifies_v4))
        .then_some((end, PiiShape::Ip)),
        Alternative::Card => (digit_led() && clear_after(text, end) && is_card_number(span))
            .then_some((end, PiiShape::PaymentCard)),
        Alternative::PhoneE164 => (clear_before(text, start) && clear_after(text, end))
            .then(|| phone_digits(span, 8, 15))
            .flatten()
            .map(|len| (start + len, PiiShape::Phone)),
        Alternative::PhoneNanp => {
            let parenthesized = span.starts_with('(');
            (clear_after(text, end)
                && if parenthesized {
                    clear_before(text, start)
                } else {
                    digit_led() && one_separator(span)
                })
            .then_some((end, PiiShape::Phone))
        }
        Alternative::PhoneNational => {
            (digit_led() && clear_after(text, end) && one_separator(span))
                .then(|| phone_digits(span, 9, 12))
                .flatten()
                .map(|len| (start + len, PiiShape::Phone))
        }
    };
    match scrubbed {
        Some((end, shape)) => Verdict::Scrub(start..end, shape),
        None => Verdict::SkipTo(start + span.chars().next().map_or(1, char::len_utf8)),
    }
}

/// How many backslashes stand right before `at`.
fn backslashes_before(text: &str, at: usize) -> usize {
    text.as_bytes()[..at]
        .iter()
        .rev()
        .take_while(|&&b| b == b'\\')
        .count()
}

/// The length of the escape letters at the start of `rest`, which follows a backslash: four
/// hex digits after a JSON `u`, or one character.
fn escape_len(rest: &str) -> usize {
    let bytes = rest.as_bytes();
    if bytes.len() >= 5 && bytes[0] == b'u' && bytes[1..5].iter().all(u8::is_ascii_hexdigit) {
        5
    } else {
        rest.chars().next().map_or(1, char::len_utf8)
    }
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Whether no word goes on right before `at`. The end of an escape (`\n`, `\t`, `\u001b`) is
/// not a word, so a shape on the next line of a `Debug` or JSON string is still found.
fn clear_before(text: &str, at: usize) -> bool {
    let before = &text.as_bytes()[..at];
    match before.last() {
        // What a replacement stood next to was part of a word or number, or it would not have
        // been left: scrubbing scrubbed text again changes nothing.
        Some(b'>') => !ends_with_placeholder(before),
        Some(&b) if is_word_byte(b) => {
            let letter_escape = before.len() >= 2
                && b"ntr0bf".contains(&b)
                && backslashes_before(text, at - 1) % 2 == 1;
            let unicode_escape = before.len() >= 6
                && before[before.len() - 5] == b'u'
                && before[before.len() - 4..].iter().all(u8::is_ascii_hexdigit)
                && backslashes_before(text, at - 5) % 2 == 1;
            letter_escape || unicode_escape
        }
        _ => true,
    }
}

/// How every replacement starts.
const SCRUBBED: &str = "<scrubbed:";

fn ends_with_placeholder(before: &[u8]) -> bool {
    PiiShape::ALL
        .iter()
        .any(|shape| before.ends_with(shape.placeholder().as_bytes()))
}

/// Whether a number goes on right before `at`, through one of `separators`: the candidate is
/// the tail of a longer number (a version, a date, a longer run of digit groups). A
/// replacement stands for the number it replaced.
fn number_before(text: &str, at: usize, separators: &[u8]) -> bool {
    match text.as_bytes()[..at].split_last() {
        Some((sep, before)) if separators.contains(sep) => {
            before.last().is_some_and(u8::is_ascii_digit) || ends_with_placeholder(before)
        }
        _ => false,
    }
}

/// Whether no word, and no number through a `.` or `-`, goes on right after `at`. A
/// replacement stands for the word or number it replaced.
fn clear_after(text: &str, at: usize) -> bool {
    match text.as_bytes()[at..] {
        [b, ..] if is_word_byte(b) => false,
        [b'<', ..] => !text[at..].starts_with(SCRUBBED),
        [b'.' | b'-', digit, ..] => {
            !digit.is_ascii_digit() && !text[at + 1..].starts_with(SCRUBBED)
        }
        _ => true,
    }
}

/// The end of an IPv6 address in the candidate, if it is one that identifies someone.
fn ipv6(text: &str, candidate: Range<usize>) -> Option<usize> {
    let before = text.as_bytes()[..candidate.start].last();
    if !clear_before(text, candidate.start) || matches!(before, Some(b':' | b'.')) {
        return None;
    }
    let span = &text[candidate.clone()];
    let end = candidate.end;
    let after_ok = match text.as_bytes()[end..] {
        [b':', b, ..] => {
            !b.is_ascii_hexdigit() && b != b':' && !text[end + 1..].starts_with(SCRUBBED)
        }
        _ => clear_after(text, end),
    };
    // Rust paths (`abc::def`) are shaped like addresses without digits; real ones have some.
    let address = span.parse::<Ipv6Addr>().ok()?;
    (after_ok
        && span.bytes().any(|b| b.is_ascii_digit())
        && !address.is_loopback()
        && !address.is_unspecified())
    .then_some(end)
}

/// The unspecified, loopback and broadcast addresses identify nobody.
fn identifies_v4(address: Ipv4Addr) -> bool {
    !(address.is_unspecified() || address.is_loopback() || address.is_broadcast())
}

/// A card number: 13 to 19 digits, separated (if at all) by one kind of separator, with the
/// prefix of a card network and a valid Luhn check digit.
fn is_card_number(span: &str) -> bool {
    let digits: Vec<u8> = span
        .bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| b - b'0')
        .collect();
    (13..=19).contains(&digits.len())
        && one_separator(span)
        && has_network_prefix(&digits)
        && luhn(&digits)
}

/// Visa (4), Mastercard (51–55, 2221–2720), Maestro and others (50–69), Amex (34, 37), Diners
/// (30, 36, 38, 39), JCB (35): numbers starting otherwise (a millisecond timestamp starts with
/// 1) are not cards.
fn has_network_prefix(digits: &[u8]) -> bool {
    let prefix = |n: usize| {
        digits[..n]
            .iter()
            .fold(0u32, |acc, &d| acc * 10 + u32::from(d))
    };
    match digits[0] {
        4..=6 => true,
        3 => !matches!(digits[1], 1..=3),
        2 => (2221..=2720).contains(&prefix(4)),
        _ => false,
    }
}

fn luhn(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let d = u32::from(d);
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 {
                    doubled - 9
                } else {
                    doubled
                }
            } else {
                d
            }
        })
        .sum();
    sum % 10 == 0
}

/// Whether the separators between digit groups are all the same (or absent): `020 7946 0958`,
/// not `01.02.2026 12`.
fn one_separator(span: &str) -> bool {
    let mut separators = span.bytes().filter(|b| matches!(b, b' ' | b'.' | b'-'));
    let first = separators.next();
    separators.all(|b| Some(b) == first)
}

/// The length of the phone number at the start of `span`: its digit groups while they hold at
/// most `max` digits, if that is at least `min`.
fn phone_digits(span: &str, min: usize, max: usize) -> Option<usize> {
    let mut digits = 0;
    let mut end = 0;
    let mut in_group = false;
    for (i, b) in span.bytes().enumerate() {
        if b.is_ascii_digit() {
            digits += 1;
            in_group = true;
        } else if in_group {
            in_group = false;
            if digits > max {
                break;
            }
            end = if b == b')' { i + 1 } else { i };
        }
    }
    if in_group && digits <= max {
        end = span.len();
    }
    // `end` closes the last whole group that fits.
    let kept = span.as_bytes()[..end]
        .iter()
        .filter(|b| b.is_ascii_digit())
        .count();
    (kept >= min).then_some(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shapes(text: &str) -> Vec<(&str, PiiShape)> {
        Shapes::new(text)
            .map(|(range, shape)| (&text[range], shape))
            .collect()
    }

    #[test]
    fn each_alternative_is_told_apart() {
        for (span, alternative) in [
            ("<pii:ip 203.0.113.0/24>", Alternative::Keep),
            ("#k1:0123456789abcdef", Alternative::Keep),
            ("4111@example.com", Alternative::Email),
            ("2001:db8::1", Alternative::Ipv6),
            ("203.0.113.7", Alternative::Ipv4),
            ("4111 1111 1111 1111", Alternative::Card),
            ("+44 20 7946 0958", Alternative::PhoneE164),
            ("(425) 555-0143", Alternative::PhoneNanp),
            ("\\n425-555-0143", Alternative::PhoneNanp),
            ("020 7946 0958", Alternative::PhoneNational),
        ] {
            assert_eq!(alternative_of(span), Some(alternative), "{span}");
        }
        assert_eq!(WHICH.len(), ALTERNATIVES.len());
    }

    #[test]
    fn luhn_check() {
        let digits = |s: &str| s.bytes().map(|b| b - b'0').collect::<Vec<_>>();
        assert!(luhn(&digits("4111111111111111")));
        assert!(luhn(&digits("378282246310005")));
        assert!(!luhn(&digits("4111111111111112")));
    }

    #[test]
    fn phone_digit_groups() {
        assert_eq!(phone_digits("+44 20 7946 0958", 8, 15), Some(16));
        assert_eq!(phone_digits("+44 20 7946 0958 1024", 8, 15), Some(16));
        assert_eq!(phone_digits("+1234567", 8, 15), None);
        assert_eq!(phone_digits("+1234567890123456", 8, 15), None);
    }

    #[test]
    fn finds_each_shape() {
        assert_eq!(
            shapes("mail alice@example.com from 203.0.113.7, 2001:db8::1"),
            [
                ("alice@example.com", PiiShape::Email),
                ("203.0.113.7", PiiShape::Ip),
                ("2001:db8::1", PiiShape::Ip),
            ]
        );
        assert_eq!(
            shapes("card 4111-1111-1111-1111 phone +1 (425) 555-0143"),
            [
                ("4111-1111-1111-1111", PiiShape::PaymentCard),
                ("+1 (425) 555-0143", PiiShape::Phone),
            ]
        );
    }

    #[test]
    fn escapes_are_boundaries() {
        assert_eq!(
            shapes(r"line\nalice@example.com\t203.0.113.7\u001b+44 20 7946 0958"),
            [
                ("alice@example.com", PiiShape::Email),
                ("203.0.113.7", PiiShape::Ip),
                ("+44 20 7946 0958", PiiShape::Phone),
            ]
        );
        // An escaped backslash is not an escape of what follows.
        assert_eq!(
            shapes(r"a\\nalice@example.com"),
            [("nalice@example.com", PiiShape::Email)]
        );
    }
}
