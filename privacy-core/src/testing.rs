//! Leak tests for your own types: unique markers, leak assertions with readable failures, and
//! a capture of what a tracing subscriber writes (feature `testing`).
//!
//! A leak test plants a value nobody could write by chance in every classified field, renders
//! the value every way it reaches the outside world (`{:?}`, `{:#?}`, `Serialize`, a tracing
//! event), and checks that no piece of any planted value made it through, while the safe values
//! did:
//!
//! ```
//! use privacy::testing::{assert_no_leak, assert_shown, capture, Format, Markers};
//! use privacy::Privacy;
//!
//! #[derive(Privacy)]
//! struct Member {
//!     #[safe]
//!     id: u64,
//!     #[pii(name)]
//!     name: String,
//!     #[pii(phone, redact = last(4))]
//!     phone: String,
//!     #[pii(email, redact = email)]
//!     email: String,
//! }
//!
//! let mut markers = Markers::new();
//! let member = Member {
//!     id: 7,
//!     name: markers.next("name"),    // QZ…NAME…: letters and digits no output holds by chance
//!     phone: markers.phone("phone"), // + and 15 digits
//!     email: markers.email("email"), // QZ…EMAIL…@example.com
//! };
//!
//! let debug = format!("{member:?} {member:#?}");
//! assert_no_leak(&debug, &markers);
//! assert_shown(&debug, ["id: 7", "@\"example.com\""]);
//!
//! for format in [Format::Text, Format::Json] {
//!     let logged = capture(format, || tracing::info!(?member, "joined"));
//!     assert_no_leak(&logged, &markers);
//!     assert_shown(&logged, ["joined", "id: 7"]);
//! }
//! ```
//!
//! # Markers
//!
//! [`Markers`] hands out values made from a random seed drawn once per process and a counter,
//! so no two markers of a process share a recognisable piece. The plain marker
//! ([`Markers::next`]) is upper-case letters and digits, `QZ7K2P9W4PHONEX3M8T`: nothing in the
//! output of this crate mixes upper-case letters and digits (placeholders and field names are
//! lower-case, pseudonyms lower-case hex), so a piece of one in the output is a leak, not a
//! coincidence. Some strategies need a value of the right shape, so there are shaped markers
//! too. Each has *random* characters, drawn from the seed and the counter, which identify it,
//! and fixed ones (the `QZ` start, the label, the domain of an email, the network of an IP
//! address), which other markers and ordinary text share:
//!
//! | marker | looks like | random characters | what a strategy may show |
//! |---|---|---|---|
//! | [`next("phone")`](Markers::next) | `QZ7K2P9W4PHONEX3M8T` | 7 after `QZ`, 5 after the label | `first(n)`, `last(n)`: `n` characters |
//! | [`email("email")`](Markers::email) | `QZ5B8W2KJEMAIL7Y3NR@example.com` | those of the part before `@` | `email`: `example.com`, which is fixed |
//! | [`phone("phone")`](Markers::phone) | `+493028571946203` | the 15 digits | `last(4)`: 4 digits |
//! | [`ipv4("ip")`](Markers::ipv4) | `198.51.100.203` (a documentation network) | the last number | `ip_prefix`: `198.51.100.0/24`, which is fixed |
//! | [`ipv6("ip")`](Markers::ipv6) | `2001:db8:9c4e:77a1:…` (8 groups) | the last five groups | `ip_prefix`: `2001:db8:9c4e::/48`, which is fixed |
//! | [`add("name", "Alice Example")`](Markers::add) | your own value | all of them | — |
//!
//! `hash` shows a pseudonym, made of none of the marker's characters, and `hide` nothing.
//!
//! # What counts as a leak
//!
//! A marker leaks when the output holds it whole, or any *window* of it: [`WINDOW`] (6)
//! consecutive characters of it, at least half of them random. `last(4)` shows fewer
//! characters than a window, and what `email` and `ip_prefix` show of a shaped marker is fixed
//! characters, so the default check needs no exception for them. A strategy that shows a
//! window or more of a marker (`first(8)` or `last(6)` of a long value), or a permit that
//! reveals one in the clear, is declared with [`assert_no_leak_except`]: a window found inside
//! a declared visible part is not a leak. [`LeakCheck`] sets another window length, and returns
//! the leaks instead of panicking.
//!
//! The check compares text as written: a value the output transforms (upper-cased, encoded,
//! split) is not found.
//!
//! # Capturing tracing output
//!
//! [`capture`] runs a closure with a `tracing_subscriber::fmt` subscriber as the default of the
//! current thread, and returns what it wrote, in [`Format::Text`] or [`Format::Json`];
//! [`json_lines`] (with the `serde` feature) parses the JSON lines.

use std::fmt::{self, Write as _};
use std::net::{Ipv4Addr, Ipv6Addr};
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::{io, iter};

use sha2::{Digest, Sha256};
use tracing::level_filters::LevelFilter;
use tracing::Dispatch;
use tracing_subscriber::fmt::format::FmtSpan;
use tracing_subscriber::fmt::MakeWriter;

/// How many consecutive characters of a marker make a recognisable piece of it, by default:
/// more than `last(4)` shows.
pub const WINDOW: usize = 6;

/// The domain of every [`Markers::email`] marker: what the `email` strategy shows.
pub const EMAIL_DOMAIN: &str = "example.com";

/// The random characters of a plain marker: upper-case letters and digits, without `0`, `1`,
/// `I` and `O`, which read alike.
const ALPHABET: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// How many characters of a label a plain marker carries.
const MAX_LABEL: usize = 12;

/// The documentation networks of RFC 5737, in which the IPv4 markers are.
const TEST_NETS: [[u8; 3]; 3] = [[192, 0, 2], [198, 51, 100], [203, 0, 113]];

/// The host numbers of IPv4 markers: `100..=254`, three digits each.
const HOSTS: u16 = 155;

/// Unique values to plant in classified fields, remembered for [`assert_no_leak`].
///
/// Every marker is drawn from a random seed chosen once per process and a counter shared by all
/// `Markers` of the process, so markers never repeat within a process, and tests running in
/// parallel can each have their own. The label names the marker in failure messages; a plain
/// marker also carries it, upper-cased, so that a leak is recognisable in raw output too. See
/// [the module documentation](self) for the shapes and what strategies may show of each.
///
/// ```
/// use privacy::testing::Markers;
///
/// let mut markers = Markers::new();
/// let name = markers.next("name");
/// assert!(name.starts_with("QZ") && name.contains("NAME"));
/// assert!(name.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()));
/// assert_ne!(markers.next("name"), name);
///
/// let email = markers.email("email");
/// assert!(email.ends_with("@example.com"));
/// let phone = markers.phone("phone");
/// assert!(phone.starts_with('+') && phone.len() == 16);
/// let ip = markers.ipv4("ip");
/// assert!(ip.is_documentation());
/// assert_eq!(markers.len(), 5);
/// ```
#[derive(Clone, Debug, Default)]
pub struct Markers {
    issued: Vec<Marker>,
}

/// One value handed out by [`Markers`]: its label, its text, and which of its characters are
/// random.
#[derive(Clone, PartialEq, Eq)]
pub struct Marker {
    label: String,
    text: String,
    /// The byte ranges of `text` that are random.
    random: Vec<Range<usize>>,
}

impl Markers {
    /// No markers yet.
    #[must_use]
    pub fn new() -> Self {
        Markers::default()
    }

    /// A plain marker: `QZ`, 7 random characters, up to 12 letters and digits of `label`
    /// upper-cased, and 5 random characters (`QZ7K2P9W4PHONEX3M8T`). Fits any text field, and
    /// any strategy that reads text.
    ///
    /// The 3 characters on each side of the label spell the counter, so that markers with the
    /// same label differ next to it too; the others are drawn from the seed.
    pub fn next(&mut self, label: &str) -> String {
        let (text, random) = plain(label, seed(), next_count());
        self.push(label, text, random)
    }

    /// An email address: a plain marker, `@`, and [`EMAIL_DOMAIN`]
    /// (`QZ5B8W2KJEMAIL7Y3NR@example.com`). The `email` strategy shows the domain, which is not
    /// random, so the default check allows it.
    pub fn email(&mut self, label: &str) -> String {
        let (mut text, random) = plain(label, seed(), next_count());
        text.push('@');
        text.push_str(EMAIL_DOMAIN);
        self.push(label, text, random)
    }

    /// A phone number in international form: `+` and 15 random digits, the first not `0`
    /// (`+493028571946203`). `last(4)` shows fewer digits than a window.
    pub fn phone(&mut self, label: &str) -> String {
        let bytes = draw();
        let mut text = String::with_capacity(16);
        text.push('+');
        text.push(digit(1 + bytes[0] % 9));
        for byte in &bytes[1..15] {
            text.push(digit(byte % 10));
        }
        self.push(label, text, iter::once(1..16).collect())
    }

    /// An IPv4 address in one of the documentation networks (`192.0.2.0/24`,
    /// `198.51.100.0/24`, `203.0.113.0/24`), with a host number from 100 to 254: only the host
    /// number is random, so `ip_prefix`, which shows the network, passes the default check.
    /// There are 465 such addresses: a process that draws more repeats them.
    pub fn ipv4(&mut self, label: &str) -> Ipv4Addr {
        // The seed picks where a process starts; the counter steps through all 465 addresses.
        let start = seed()[..8]
            .iter()
            .fold(0, |start, &byte| start << 8 | u64::from(byte));
        #[allow(clippy::cast_possible_truncation)] // below 3 * 155
        let k = (next_count().wrapping_add(start) % u64::from(3 * HOSTS)) as u16;
        let [a, b, c] = TEST_NETS[usize::from(k / HOSTS)];
        #[allow(clippy::cast_possible_truncation)] // below 155
        let host = 100 + (k % HOSTS) as u8;
        let ip = Ipv4Addr::new(a, b, c, host);
        let text = ip.to_string();
        let random = text.len() - 3..text.len();
        self.push(label, text, iter::once(random).collect());
        ip
    }

    /// An IPv6 address in the documentation network `2001:db8::/32`, of 8 groups of 4 hex
    /// digits. Its last five groups are random; the third, which `ip_prefix` (`/48`) shows, is
    /// not.
    pub fn ipv6(&mut self, label: &str) -> Ipv6Addr {
        let bytes = draw();
        let mut segments = [0x2001, 0x0db8, 0, 0, 0, 0, 0, 0];
        for (segment, pair) in segments[2..].iter_mut().zip(bytes.chunks_exact(2)) {
            // 0x1000..=0xffff: four hex digits, never written shorter.
            *segment = 0x1000 + u16::from_le_bytes([pair[0], pair[1]]) % 0xf000;
        }
        let ip = Ipv6Addr::from(segments);
        let text = ip.to_string();
        // "2001:db8:xxxx:" is 14 characters; then five groups of four, each after a colon.
        let random = (0..5).map(|i| 14 + 5 * i..18 + 5 * i).collect();
        self.push(label, text, random);
        ip
    }

    /// A value of your own, every character of which counts as random: choose one that the
    /// output cannot hold by chance.
    pub fn add(&mut self, label: &str, value: impl Into<String>) -> String {
        let text = value.into();
        let random = iter::once(0..text.len()).collect();
        self.push(label, text, random)
    }

    /// The markers handed out so far, in order.
    pub fn iter(&self) -> std::slice::Iter<'_, Marker> {
        self.issued.iter()
    }

    /// How many markers were handed out.
    #[must_use]
    pub fn len(&self) -> usize {
        self.issued.len()
    }

    /// Whether no marker was handed out yet.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.issued.is_empty()
    }

    fn push(&mut self, label: &str, text: String, random: Vec<Range<usize>>) -> String {
        self.issued.push(Marker {
            label: label.to_owned(),
            text: text.clone(),
            random,
        });
        text
    }
}

impl<'a> IntoIterator for &'a Markers {
    type Item = &'a Marker;
    type IntoIter = std::slice::Iter<'a, Marker>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl Marker {
    /// The label it was handed out with.
    #[must_use]
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The value planted.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// How many characters of `window` (a range of the marker's bytes) are random.
    fn random_in(&self, window: &Range<usize>) -> usize {
        self.text[window.clone()]
            .char_indices()
            .filter(|(i, _)| {
                let at = window.start + i;
                self.random.iter().any(|r| r.contains(&at))
            })
            .count()
    }
}

impl fmt::Debug for Marker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Marker")
            .field("label", &self.label)
            .field("text", &self.text)
            .finish_non_exhaustive()
    }
}

impl fmt::Display for Marker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl AsRef<str> for Marker {
    fn as_ref(&self) -> &str {
        &self.text
    }
}

/// The random seed of the process, drawn once.
fn seed() -> &'static [u8; 16] {
    static SEED: OnceLock<[u8; 16]> = OnceLock::new();
    SEED.get_or_init(|| {
        let mut seed = [0; 16];
        getrandom::fill(&mut seed).expect("the operating system provides random bytes");
        seed
    })
}

/// The next value of the counter that all `Markers` of the process share.
fn next_count() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    COUNTER.fetch_add(1, Ordering::Relaxed)
}

/// 32 random bytes, drawn from the seed and the next value of the counter.
fn draw() -> [u8; 32] {
    hash(seed(), next_count())
}

/// 32 bytes that look random, made from `seed` and `count`.
fn hash(seed: &[u8; 16], count: u64) -> [u8; 32] {
    Sha256::new()
        .chain_update(seed)
        .chain_update(count.to_le_bytes())
        .finalize()
        .into()
}

/// The plain marker number `count` of the process with `seed`, and where its random characters
/// are: `QZ`, 4 random characters and the counter's 3 lowest digits, the label, the same 3
/// digits and 2 random characters.
///
/// Every window of 6 characters that holds a character of the label also holds the 3 digits of
/// the counter, next to it: markers with the same label, less than 32768 apart, differ in each
/// of those windows. The other windows hold at least 4 random characters.
fn plain(label: &str, seed: &[u8; 16], count: u64) -> (String, Vec<Range<usize>>) {
    let bytes = hash(seed, count);
    let symbol = |index: u64| char::from(ALPHABET[usize::try_from(index % 32).unwrap_or(0)]);
    // Shifted by the seed, so that processes do not start from the same digits.
    let n = count.wrapping_add(u64::from(u16::from_le_bytes([seed[0], seed[1]])));
    let digits = [symbol(n), symbol(n / 32), symbol(n / 1024)];
    let mut text = String::from("QZ");
    text.extend(bytes[..4].iter().map(|&b| symbol(u64::from(b))));
    text.extend(digits);
    text.extend(
        label
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_uppercase())
            .take(MAX_LABEL),
    );
    let label_end = text.len();
    text.extend(digits);
    text.extend(bytes[4..6].iter().map(|&b| symbol(u64::from(b))));
    (text, vec![2..9, label_end..label_end + 5])
}

fn digit(value: u8) -> char {
    char::from(b'0' + value)
}

/// Fails if any marker leaks into `output`: the whole marker, or a window of [`WINDOW`] of its
/// characters, at least half of them random (see [the module documentation](self)).
///
/// The message names each marker that leaked, the window found, the longest piece of the
/// marker around it, and the line of the output with the piece underlined:
///
/// ```text
/// 1 of 3 markers leaked into the output (windows of 6 characters)
///
/// marker `name` (QZ7K2P9W4NAMEX3M8T): window `QZ7K2P` at line 1, column 24, in `QZ7K2P9W4NAMEX3M8T` (the whole marker)
///   1 | Member { id: 7, name: "QZ7K2P9W4NAMEX3M8T", phone: <pii:phone …"6203"> }
///     |                        ^^^^^^^^^^^^^^^^^^
///
/// help: if a strategy or a permit is meant to show this piece, declare it visible: `assert_no_leak_except(output, &markers, [piece])`
/// ```
///
/// # Panics
///
/// If a marker leaked.
#[track_caller]
pub fn assert_no_leak(output: &str, markers: &Markers) {
    LeakCheck::new(markers).assert(output);
}

/// [`assert_no_leak`], allowing what a strategy or a permit may show: a window found within one
/// of the `visible` parts, where the output shows that part, is not a leak.
///
/// ```
/// use privacy::testing::{assert_no_leak_except, Markers};
/// use privacy::Privacy;
///
/// #[derive(Privacy)]
/// struct Order {
///     #[pii(account_id, redact = first(8))]
///     account: String,
/// }
///
/// let mut markers = Markers::new();
/// let account = markers.next("account"); // 21 characters: first(8) may show 8
/// let debug = format!("{:?}", Order { account: account.clone() });
/// assert_no_leak_except(&debug, &markers, [&account[..8]]);
/// ```
///
/// # Panics
///
/// If a marker leaked.
#[track_caller]
pub fn assert_no_leak_except<I>(output: &str, markers: &Markers, visible: I)
where
    I: IntoIterator,
    I::Item: AsRef<str>,
{
    LeakCheck::new(markers).visible(visible).assert(output);
}

/// Fails unless every one of `values` appears in `output`: the safe values, which redaction
/// must leave alone. The message lists every value missing and shows the output.
///
/// # Panics
///
/// If a value is missing.
#[track_caller]
pub fn assert_shown<I>(output: &str, values: I)
where
    I: IntoIterator,
    I::Item: AsRef<str>,
{
    let missing: Vec<String> = values
        .into_iter()
        .filter(|value| !output.contains(value.as_ref()))
        .map(|value| format!("`{}`", value.as_ref()))
        .collect();
    if missing.is_empty() {
        return;
    }
    let mut message = format!(
        "{} missing from the output: {}\n\noutput:\n",
        if missing.len() == 1 {
            "a value is"
        } else {
            "values are"
        },
        missing.join(", "),
    );
    for line in output.lines() {
        let _ = writeln!(message, "  | {line}");
    }
    panic!("{message}");
}

/// A leak check with its settings: the window length, and the parts allowed to show.
///
/// ```
/// use privacy::testing::{LeakCheck, Markers};
///
/// let mut markers = Markers::new();
/// let code = markers.next("code");
/// let output = format!("code ends in {}", &code[code.len() - 6..]);
///
/// let leaks = LeakCheck::new(&markers).leaks(&output);
/// assert_eq!(leaks.len(), 1);
/// assert_eq!(leaks[0].label(), "code");
/// assert!(LeakCheck::new(&markers).window(8).leaks(&output).is_empty());
/// ```
#[derive(Clone, Debug)]
pub struct LeakCheck<'m> {
    markers: &'m Markers,
    window: usize,
    visible: Vec<String>,
}

impl<'m> LeakCheck<'m> {
    /// Checks `markers`, with windows of [`WINDOW`] characters and nothing allowed to show.
    #[must_use]
    pub fn new(markers: &'m Markers) -> Self {
        LeakCheck {
            markers,
            window: WINDOW,
            visible: Vec::new(),
        }
    }

    /// Windows of `length` characters, at least half of them random. A marker with no such
    /// window is checked whole.
    ///
    /// # Panics
    ///
    /// If `length` is 0.
    #[must_use]
    pub fn window(mut self, length: usize) -> Self {
        assert!(length > 0, "a window has at least one character");
        self.window = length;
        self
    }

    /// Allows the `parts`: a window found within one of them, where the output shows it, is
    /// not a leak.
    #[must_use]
    pub fn visible<I>(mut self, parts: I) -> Self
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        self.visible.extend(
            parts
                .into_iter()
                .map(|part| part.as_ref().to_owned())
                .filter(|part| !part.is_empty()),
        );
        self
    }

    /// The leaks in `output`: for each marker that leaked, in the order they were handed out,
    /// its first occurrence in the output.
    #[must_use]
    pub fn leaks(&self, output: &str) -> Vec<Leak> {
        let allowed = self.allowed(output);
        self.markers
            .iter()
            .filter_map(|marker| self.first_leak(marker, output, &allowed))
            .collect()
    }

    /// Fails if a marker leaked, with the message of [`assert_no_leak`].
    ///
    /// # Panics
    ///
    /// If a marker leaked.
    #[track_caller]
    pub fn assert(&self, output: &str) {
        let leaks = self.leaks(output);
        assert!(leaks.is_empty(), "{}", self.message(&leaks));
    }

    /// Where the output shows a visible part: byte ranges of `output`.
    fn allowed(&self, output: &str) -> Vec<Range<usize>> {
        self.visible
            .iter()
            .flat_map(|part| occurrences(output, part).map(move |at| at..at + part.len()))
            .collect()
    }

    /// The windows of `marker` to look for, as byte ranges of the marker.
    fn windows(&self, marker: &Marker) -> Vec<Range<usize>> {
        let text = marker.text.as_str();
        let bounds: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain(iter::once(text.len()))
            .collect();
        let checked: Vec<Range<usize>> = bounds
            .windows(self.window + 1)
            .map(|w| w[0]..w[self.window])
            .filter(|window| 2 * marker.random_in(window) >= self.window)
            .collect();
        if checked.is_empty() {
            iter::once(0..text.len()).collect()
        } else {
            checked
        }
    }

    fn first_leak(&self, marker: &Marker, output: &str, allowed: &[Range<usize>]) -> Option<Leak> {
        let text = marker.text.as_str();
        let (at, window) = self
            .windows(marker)
            .into_iter()
            .filter(|window| !window.is_empty())
            .filter_map(|window| {
                occurrences(output, &text[window.clone()])
                    .find(|&at| {
                        let hit = at..at + window.len();
                        !allowed
                            .iter()
                            .any(|a| a.start <= hit.start && hit.end <= a.end)
                    })
                    .map(|at| (at, window))
            })
            .min_by_key(|(at, _)| *at)?;
        // The longest piece of the marker around the window, character by character.
        let mut before = 0;
        while let (Some(o), Some(m)) = (
            output[..at - before].chars().next_back(),
            text[..window.start - before].chars().next_back(),
        ) {
            if o != m {
                break;
            }
            before += o.len_utf8();
        }
        let mut after = 0;
        while let (Some(o), Some(m)) = (
            output[at + window.len() + after..].chars().next(),
            text[window.end + after..].chars().next(),
        ) {
            if o != m {
                break;
            }
            after += o.len_utf8();
        }
        let piece = at - before..at + window.len() + after;
        Some(Leak {
            label: marker.label.clone(),
            marker: marker.text.clone(),
            window: text[window].to_owned(),
            piece: output[piece.clone()].to_owned(),
            offset: piece.start,
            excerpt: Excerpt::new(output, piece),
        })
    }

    fn message(&self, leaks: &[Leak]) -> String {
        const DETAILED: usize = 5;
        let mut message = format!(
            "{} of {} markers leaked into the output (windows of {} characters)\n",
            leaks.len(),
            self.markers.len(),
            self.window,
        );
        for leak in leaks.iter().take(DETAILED) {
            let _ = write!(message, "\n{leak}");
        }
        if let Some(rest) = leaks.get(DETAILED..).filter(|rest| !rest.is_empty()) {
            let labels: Vec<String> = rest
                .iter()
                .map(|leak| format!("`{}`", leak.label))
                .collect();
            let _ = writeln!(message, "\nand {} more: {}", rest.len(), labels.join(", "));
        }
        message.push_str(
            "\nhelp: if a strategy or a permit is meant to show this piece, declare it visible: \
             `assert_no_leak_except(output, &markers, [piece])`",
        );
        message
    }
}

/// Where `needle` starts in `haystack`, overlapping occurrences included.
fn occurrences<'a>(haystack: &'a str, needle: &'a str) -> impl Iterator<Item = usize> + 'a {
    let mut from = 0;
    iter::from_fn(move || {
        let at = from + haystack.get(from..)?.find(needle)?;
        // The next search starts one character on.
        from = at + haystack[at..].chars().next().map_or(1, char::len_utf8);
        Some(at)
    })
}

/// One marker found in an output: which, the window found, the piece of the marker the output
/// shows around it, and where. Its `Display` is the part of the failure message about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Leak {
    label: String,
    marker: String,
    window: String,
    piece: String,
    offset: usize,
    excerpt: Excerpt,
}

impl Leak {
    /// The label of the marker.
    #[must_use]
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The marker.
    #[must_use]
    pub fn marker(&self) -> &str {
        &self.marker
    }

    /// The window of the marker found in the output (the whole marker, if it has no window).
    #[must_use]
    pub fn window(&self) -> &str {
        &self.window
    }

    /// The longest piece of the marker that the output shows around the window.
    #[must_use]
    pub fn piece(&self) -> &str {
        &self.piece
    }

    /// The byte offset of the piece in the output.
    #[must_use]
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The line (from 1) and column (in characters, from 1) of the piece in the output.
    #[must_use]
    pub fn position(&self) -> (usize, usize) {
        (self.excerpt.line, self.excerpt.column)
    }
}

impl fmt::Display for Leak {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let whole = if self.piece == self.marker {
            "the whole marker".to_owned()
        } else {
            format!(
                "{} of its {} characters",
                self.piece.len(),
                self.marker.len()
            )
        };
        writeln!(
            f,
            "marker `{}` ({}): window `{}` at line {}, column {}, in `{}` ({whole})",
            self.label,
            self.marker,
            self.window,
            self.excerpt.line,
            self.excerpt.column,
            self.piece,
        )?;
        write!(f, "{}", self.excerpt)
    }
}

/// The line of the output around a hit, cut to a readable length, with the hit underlined.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Excerpt {
    line: usize,
    column: usize,
    text: String,
    /// The hit, in characters of `text`.
    hit: Range<usize>,
}

impl Excerpt {
    /// How many characters of the line to show on each side of the hit.
    const CONTEXT: usize = 40;

    fn new(output: &str, hit: Range<usize>) -> Self {
        let line_start = output[..hit.start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = output[hit.end..]
            .find('\n')
            .map_or(output.len(), |i| hit.end + i);
        let line: Vec<char> = output[line_start..line_end]
            .trim_end_matches('\r')
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let start = output[line_start..hit.start].chars().count();
        let end = start + output[hit.clone()].chars().count();
        let from = start.saturating_sub(Self::CONTEXT);
        let to = (end + Self::CONTEXT).min(line.len());
        let mut text = String::new();
        if from > 0 {
            text.push('…');
        }
        text.extend(&line[from..to]);
        if to < line.len() {
            text.push('…');
        }
        let shift = usize::from(from > 0);
        Excerpt {
            line: output[..line_start].matches('\n').count() + 1,
            column: start + 1,
            text,
            hit: start - from + shift..end - from + shift,
        }
    }
}

impl fmt::Display for Excerpt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let number = self.line.to_string();
        let gutter = " ".repeat(number.len());
        writeln!(f, "  {number} | {}", self.text)?;
        writeln!(
            f,
            "  {gutter} | {}{}",
            " ".repeat(self.hit.start),
            "^".repeat(self.hit.len())
        )
    }
}

/// The formatter of the [`capture`] subscriber.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// `tracing_subscriber`'s default text: one line per event, `LEVEL span{fields}: target:
    /// message fields`.
    Text,
    /// One JSON object per line, with the event's fields under `fields` and the spans' under
    /// `span` and `spans`.
    Json,
}

/// Runs `f` with a `tracing_subscriber::fmt` subscriber writing `format` as the default
/// subscriber of the current thread, and returns what it wrote.
///
/// The subscriber records every level down to `TRACE`, and writes a line each time a span is
/// created, so that a span's fields are in the output even if nothing logs inside it. Lines
/// carry no time and no colours: the output is the same from run to run, and has no digits a
/// marker could meet by chance. Only the current thread is captured; events sent from other
/// threads go to their own default subscriber.
///
/// ```
/// use privacy::testing::{capture, Format};
/// use privacy::Pii;
///
/// let phone = Pii::new("+44 20 7946 0958");
/// let text = capture(Format::Text, || tracing::info!(%phone, "called"));
/// assert!(text.contains("called phone=<pii>"), "{text}");
/// ```
pub fn capture(format: Format, f: impl FnOnce()) -> String {
    let buffer = Buffer::default();
    let builder = tracing_subscriber::fmt()
        .with_writer(buffer.clone())
        .with_max_level(LevelFilter::TRACE)
        .with_span_events(FmtSpan::NEW)
        .with_ansi(false)
        .without_time();
    let subscriber: Dispatch = match format {
        Format::Text => builder.finish().into(),
        Format::Json => builder.json().finish().into(),
    };
    tracing::dispatcher::with_default(&subscriber, f);
    buffer.contents()
}

/// The JSON lines of a [`capture`] in [`Format::Json`], parsed (feature `serde`).
///
/// ```
/// use privacy::testing::{capture, json_lines, Format};
///
/// let output = capture(Format::Json, || tracing::info!(group = 7, "joined"));
/// let lines = json_lines(&output);
/// assert_eq!(lines[0]["fields"]["message"], "joined");
/// assert_eq!(lines[0]["fields"]["group"], 7);
/// ```
///
/// # Panics
///
/// If a line is not JSON: the message shows the line.
#[cfg(feature = "serde")]
#[track_caller]
#[must_use]
pub fn json_lines(output: &str) -> Vec<serde_json::Value> {
    output
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| {
            serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("line {} is not JSON ({e}): {line}", i + 1))
        })
        .collect()
}

/// Where the subscriber writes: a buffer shared with [`capture`].
#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Buffer {
    fn contents(&self) -> String {
        let bytes = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

impl io::Write for Buffer {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut bytes = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl MakeWriter<'_> for Buffer {
    type Writer = Buffer;

    fn make_writer(&self) -> Self::Writer {
        self.clone()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{HashMap, HashSet};

    use super::*;

    fn is_plain(c: char) -> bool {
        c.is_ascii_uppercase() || c.is_ascii_digit()
    }

    #[test]
    fn plain_markers_are_unique_upper_case_and_carry_their_label() {
        let mut markers = Markers::new();
        let texts: Vec<String> = (0..1000).map(|_| markers.next("phone")).collect();
        assert_eq!(texts.iter().collect::<HashSet<_>>().len(), 1000);
        for text in &texts {
            assert_eq!(text.len(), 2 + 7 + 5 + 5, "{text}");
            assert!(text.starts_with("QZ") && text[9..14] == *"PHONE", "{text}");
            assert!(text.chars().all(is_plain), "{text}");
        }
        let long = markers.next("government_id, of the holder");
        assert_eq!(&long[9..21], "GOVERNMENTID");
        assert_eq!(long.len(), 2 + 7 + 12 + 5);
        assert_eq!(markers.next("").len(), 2 + 7 + 5);
        assert_eq!(markers.len(), 1002);
        assert_eq!(markers.iter().next().unwrap().label(), "phone");
        assert_eq!(markers.iter().next().unwrap().as_str(), texts[0]);
    }

    /// The windows the default check looks for in each of `markers`.
    fn checked_windows(markers: &[(String, Vec<Range<usize>>)]) -> Vec<Vec<Range<usize>>> {
        let mut set = Markers::new();
        for (text, random) in markers {
            set.push("", text.clone(), random.clone());
        }
        set.iter()
            .map(|marker| LeakCheck::new(&set).windows(marker))
            .collect()
    }

    #[test]
    fn markers_of_one_label_differ_next_to_it() {
        for seed in [[0; 16], [0xff; 16], *seed()] {
            let markers: Vec<_> = (0..2000).map(|n| plain("name", &seed, n)).collect();
            let mut seen = HashMap::new();
            for ((text, _), windows) in markers.iter().zip(checked_windows(&markers)) {
                // The windows that hold a character of the label (`NAME`, at 9..13), each where
                // it is in every marker.
                for window in windows.into_iter().filter(|w| w.start < 13 && w.end > 9) {
                    let piece = &text[window.clone()];
                    if let Some(other) = seen.insert((window, piece.to_owned()), text.clone()) {
                        assert_eq!(other, *text, "`{piece}` of {text} is in {other}");
                    }
                }
            }
        }
    }

    #[test]
    fn no_two_markers_share_a_window() {
        // A fixed seed: the other windows hold 4 random characters or more, which two markers
        // share once in a million, or less.
        let markers: Vec<_> = (0..300).map(|n| plain("name", &[7; 16], n)).collect();
        let mut seen = HashMap::new();
        for ((text, _), windows) in markers.iter().zip(checked_windows(&markers)) {
            for window in windows {
                let piece = &text[window];
                if let Some(other) = seen.insert(piece.to_owned(), text.clone()) {
                    assert_eq!(other, *text, "`{piece}` of {text} is in {other}");
                }
            }
        }
    }

    #[test]
    fn shaped_markers() {
        let mut markers = Markers::new();
        let email = markers.email("email");
        let (local, domain) = email.split_once('@').unwrap();
        assert!(local.starts_with("QZ") && local.contains("EMAIL") && local.chars().all(is_plain));
        assert_eq!(domain, EMAIL_DOMAIN);

        let phone = markers.phone("phone");
        assert_eq!(phone.len(), 16, "{phone}");
        assert!(
            phone.starts_with('+') && !phone[1..].starts_with('0'),
            "{phone}"
        );
        assert!(phone[1..].chars().all(|c| c.is_ascii_digit()), "{phone}");
        assert!(crate::audience::E164::parse(&phone).is_some(), "{phone}");

        let v4: Vec<Ipv4Addr> = (0..300).map(|_| markers.ipv4("ip")).collect();
        assert_eq!(v4.iter().collect::<HashSet<_>>().len(), 300);
        for ip in &v4 {
            assert!(ip.is_documentation() && ip.octets()[3] >= 100, "{ip}");
        }

        let v6 = markers.ipv6("ip");
        let text = v6.to_string();
        assert!(text.starts_with("2001:db8:"), "{text}");
        assert_eq!(text.split(':').count(), 8, "{text}");
        assert!(
            text.split(':').skip(2).all(|group| group.len() == 4),
            "{text}"
        );
        let marker = markers.iter().last().unwrap();
        let random: String = marker.random.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(random, text.split(':').skip(3).collect::<String>());
    }

    #[test]
    fn what_the_strategies_show_of_shaped_markers_is_no_leak() {
        let mut markers = Markers::new();
        let name = markers.next("name");
        let phone = markers.phone("phone");
        let email = markers.email("email");
        let v4 = markers.ipv4("ip");
        let v6 = markers.ipv6("ip");
        let [a, b, c, _] = v4.octets();
        let [g1, g2, g3, ..] = v6.segments();
        let output = format!(
            r#"{{ name: <pii:name "{}"…>, last: <pii:name …"{}">, phone: <pii:phone …"{}">, email: <pii:email …@"{}">, v4: <pii:ip {}/24>, v6: <pii:ip {}/48> }}"#,
            &name[..4],
            &name[name.len() - 4..],
            &phone[phone.len() - 4..],
            email.split_once('@').unwrap().1,
            Ipv4Addr::new(a, b, c, 0),
            Ipv6Addr::new(g1, g2, g3, 0, 0, 0, 0, 0),
        );
        assert_no_leak(&output, &markers);
    }

    #[test]
    fn a_marker_leaks_whole_or_by_a_window() {
        let mut markers = Markers::new();
        let name = markers.next("name");
        let phone = markers.phone("phone");
        let email = markers.email("email");
        let ip = markers.ipv4("ip").to_string();
        let leaked = |output: &str| -> Vec<String> {
            LeakCheck::new(&markers)
                .leaks(output)
                .iter()
                .map(|leak| leak.label().to_owned())
                .collect()
        };
        assert_eq!(
            leaked(&format!("{name} {phone} {email} {ip}")),
            ["name", "phone", "email", "ip"]
        );
        assert_eq!(leaked(&format!("x{}x", &name[..6])), ["name"]);
        assert_eq!(leaked(&format!("x{}x", &name[name.len() - 6..])), ["name"]);
        assert_eq!(leaked(&format!("x{}x", &phone[5..11])), ["phone"]);
        assert_eq!(
            leaked(&format!("x{}x", &email[..email.find('@').unwrap()])),
            ["email"]
        );
        assert_eq!(leaked(&format!("x{}x", &ip[ip.len() - 6..])), ["ip"]);
        // Fewer characters than a window, or a window made mostly of the label and the domain.
        assert!(leaked(&format!("{} {}", &name[..5], &phone[phone.len() - 5..])).is_empty());
        assert!(leaked(&format!("{} {}", &name[8..14], &email[email.len() - 14..])).is_empty());
        assert!(leaked("QZ NAME").is_empty());
    }

    #[test]
    fn visible_parts_allow_only_where_the_output_shows_them() {
        let mut markers = Markers::new();
        let code = markers.next("code");
        let first = &code[..8];
        let shown = format!(r#"<pii "{first}"…>"#);
        assert_no_leak_except(&shown, &markers, [first]);
        // The same window elsewhere, not within the visible part, is a leak.
        let elsewhere = format!("{shown} {}", &code[..7]);
        let leaks = LeakCheck::new(&markers).visible([first]).leaks(&elsewhere);
        assert_eq!(leaks.len(), 1);
        assert_eq!(leaks[0].offset(), shown.len() + 1);
        assert_eq!(leaks[0].piece(), &code[..7]);
        // A revealed marker, declared whole.
        assert_no_leak_except(&format!("code: {code}"), &markers, [&code]);
    }

    #[test]
    fn the_window_length_is_a_setting() {
        let mut markers = Markers::new();
        let code = markers.add("code", "ABCDEFGHIJ");
        let output = format!("<{}>", &code[2..9]);
        assert_eq!(LeakCheck::new(&markers).leaks(&output).len(), 1);
        assert_eq!(LeakCheck::new(&markers).window(7).leaks(&output).len(), 1);
        assert!(LeakCheck::new(&markers).window(8).leaks(&output).is_empty());
        // Longer than the marker: checked whole.
        assert!(LeakCheck::new(&markers)
            .window(20)
            .leaks(&output)
            .is_empty());
        let whole = LeakCheck::new(&markers).window(20).leaks(&code);
        assert_eq!(whole[0].window(), code);
    }

    #[test]
    fn the_message_names_the_marker_and_underlines_the_piece() {
        let mut markers = Markers::new();
        markers.add("name", "QZ7K2P9W4NAMEX3M8T");
        markers.add("phone", "+493028571946203");
        markers.add("email", "QZ5B8W2KJEMAIL7Y3NR@example.com");
        let output = r#"Member { id: 7, name: "QZ7K2P9W4NAMEX3M8T", phone: <pii:phone …"6203"> }"#;
        let panic = std::panic::catch_unwind(|| assert_no_leak(output, &markers)).unwrap_err();
        let message = panic.downcast_ref::<String>().unwrap();
        // The message shown in the documentation of `assert_no_leak`.
        let documented = include_str!("testing.rs")
            .split("/// ```text\n")
            .nth(1)
            .and_then(|rest| rest.split("\n/// ```").next())
            .unwrap()
            .lines()
            .map(|line| {
                line.strip_prefix("/// ")
                    .unwrap_or(line.trim_start_matches("///"))
            })
            .collect::<Vec<_>>()
            .join("\n");
        assert_eq!(*message, documented);
    }

    #[test]
    fn the_piece_is_shown_on_its_line() {
        let mut markers = Markers::new();
        let phone = markers.add("phone", "QZ7K2P9W4PHONEX3M8T");
        let output = format!("INFO joined\nmember=Member {{ phone: \"{phone}\" }} x=K2P9WP\n");
        let leaks = LeakCheck::new(&markers).leaks(&output);
        assert_eq!(
            leaks[0].to_string(),
            format!(
                "marker `phone` ({phone}): window `QZ7K2P` at line 2, column 25, in `{phone}` (the whole marker)
  2 | member=Member {{ phone: \"{phone}\" }} x=K2P9WP
    |                         ^^^^^^^^^^^^^^^^^^^
"
            )
        );
    }

    #[test]
    fn long_lines_are_cut_around_the_piece() {
        let mut markers = Markers::new();
        let name = markers.add("name", "QZ4M8TRNAMEX2Y7");
        let before = "é…".repeat(50);
        let output = format!("{before}{}{}", &name[3..12], "z".repeat(100));
        let leaks = LeakCheck::new(&markers).leaks(&output);
        assert_eq!(leaks[0].piece(), &name[3..12]);
        assert_eq!(leaks[0].position(), (1, 101));
        assert_eq!(leaks[0].offset(), before.len());
        let excerpt = leaks[0].to_string();
        let expected = format!(
            "marker `name` (QZ4M8TRNAMEX2Y7): window `M8TRNA` at line 1, column 101, in `M8TRNAMEX` (9 of its 15 characters)
  1 | …{}M8TRNAMEX{}…
    |  {}^^^^^^^^^
",
            "é…".repeat(20),
            "z".repeat(40),
            " ".repeat(40),
        );
        assert_eq!(excerpt, expected);
    }

    #[test]
    fn every_leaking_marker_is_reported() {
        let mut markers = Markers::new();
        let all: Vec<String> = (0..8).map(|i| markers.next(&format!("m{i}"))).collect();
        let output = all.join("\n");
        let message = LeakCheck::new(&markers).message(&LeakCheck::new(&markers).leaks(&output));
        assert!(message.starts_with("8 of 8 markers leaked"), "{message}");
        assert!(message.contains("at line 5, column 1"), "{message}");
        assert!(
            message.contains("\nand 3 more: `m5`, `m6`, `m7`\n"),
            "{message}"
        );
    }

    #[test]
    fn values_of_your_own_may_be_any_text() {
        let mut markers = Markers::new();
        let name = markers.add("name", "Zoë Ålander-Ørsted");
        let piece = "ë Ålander-Ø";
        let leaks = LeakCheck::new(&markers).leaks(&format!("hello «{piece}»"));
        assert_eq!(leaks.len(), 1);
        assert_eq!(leaks[0].piece(), piece);
        assert_eq!(leaks[0].window(), "ë Ålan");
        assert_eq!(leaks[0].position(), (1, 8));
        assert!(LeakCheck::new(&markers).leaks("Zoë Å…").is_empty());
        assert_eq!(LeakCheck::new(&markers).leaks(&name)[0].piece(), name);
        markers.add("empty", "");
        assert_eq!(LeakCheck::new(&markers).leaks(&name).len(), 1);
    }

    #[test]
    fn occurrences_overlap() {
        assert_eq!(occurrences("aaaa", "aa").collect::<Vec<_>>(), [0, 1, 2]);
        assert_eq!(occurrences("é aé a", "a").collect::<Vec<_>>(), [3, 7]);
        assert_eq!(occurrences("", "a").count(), 0);
    }

    #[test]
    fn shown_values_pass_and_missing_ones_are_listed() {
        assert_shown("id: 7, size: 4321", ["id: 7", "4321"]);
        let panic =
            std::panic::catch_unwind(|| assert_shown("id: 7\nsize: 1", ["id: 7", "4321", "label"]))
                .unwrap_err();
        assert_eq!(
            panic.downcast_ref::<String>().unwrap(),
            "values are missing from the output: `4321`, `label`\n\noutput:\n  | id: 7\n  | size: 1\n"
        );
    }

    #[test]
    fn the_capture_writes_every_level_and_new_spans_without_time() {
        let output = capture(Format::Text, || {
            let span = tracing::trace_span!("export", group = 7);
            let _entered = span.enter();
            tracing::debug!(size = 3, "sent");
        });
        let lines: Vec<&str> = output.lines().collect();
        assert_eq!(lines.len(), 2, "{output}");
        assert!(lines[0].starts_with("TRACE export{group=7}: "), "{output}");
        assert!(lines[0].ends_with(": new"), "{output}");
        assert!(lines[1].starts_with("DEBUG export{group=7}: "), "{output}");
        assert!(lines[1].ends_with("sent size=3"), "{output}");
        assert!(!output.contains('\u{1b}'), "{output}");
        // Nothing is captured outside the closure.
        tracing::info!("after");
        assert!(capture(Format::Text, || ()).is_empty());
    }

    #[cfg(feature = "serde")]
    #[test]
    fn json_lines_parse() {
        let mut markers = Markers::new();
        let name = markers.next("name");
        let output = capture(Format::Json, || {
            let span = tracing::info_span!("export", group = 7);
            let _entered = span.enter();
            tracing::warn!(name = %name, "renamed");
        });
        let lines = json_lines(&output);
        assert_eq!(lines.len(), 2, "{output}");
        assert_eq!(lines[1]["level"], "WARN");
        assert_eq!(lines[1]["fields"]["message"], "renamed");
        assert_eq!(lines[1]["span"]["group"], 7);
        assert!(lines[1].get("timestamp").is_none(), "{output}");
        let leaks = LeakCheck::new(&markers).leaks(&output);
        assert_eq!(leaks.len(), 1);
        assert_eq!(leaks[0].piece(), name);
    }

    #[cfg(feature = "serde")]
    #[test]
    #[should_panic(expected = "line 2 is not JSON")]
    fn json_lines_name_the_line_that_is_not_json() {
        let _ = json_lines("{}\nnot json\n");
    }
}
