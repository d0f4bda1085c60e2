//! A property-based leak hunt.
//!
//! Generated values of rich types (nested, optional, repeated; strings with unicode of every
//! width, the crate's own placeholder text, quotes, escapes, format and JSON metacharacters,
//! empty and a few KB long; large numbers; IP addresses) carry a unique marker in every
//! classified field, and go through every output path of the crate: `{:?}`, `{:#?}`, `Display`
//! of the wrappers, `serde_json`, `postcard`, tracing's text and JSON formatters, spans of
//! `#[privacy::instrument]` with `ret` and `err`, telemetry events, audit events, reveal views
//! whose permit does not cover a field, and panic messages. No marker, nor any six characters
//! of one, may come out of a field its strategy or permit does not show, and every safe value
//! must. A second property runs the partial strategies on arbitrary strings.
//!
//! Each property runs 10,000 cases by default. A longer hunt sets `PROPTEST_CASES`, best in a
//! release build:
//!
//! ```text
//! PROPTEST_CASES=200000 cargo test --release --test proptest_leak
//! ```
//!
//! A failure names the output path, the planted value and the field it was planted in, and
//! shows the whole output, then the smallest generated input that still fails (its `Debug` is
//! the plain, unredacted description of the input, not the types under test).

// The domain types are written, never read: like std's derive, the redacted output does not
// count as reading a field.
#![allow(dead_code)]

#[path = "fixture/capture.rs"]
mod capture;
#[path = "fixture/leak_check.rs"]
mod leak_check;

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::fmt::{self, Write as _};
use std::hash::{BuildHasherDefault, Hasher};
use std::hint::black_box;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::panic::{self, AssertUnwindSafe, PanicHookInfo};
use std::sync::Arc;

use capture::Buffer;
use leak_check::WINDOW;
use privacy::consent::{ConsentStore, Evidence, MemoryConsentStore};
use privacy::purpose::{Diagnostics, Support};
use privacy::{
    telemetry, Consent, Disclosure, Kind, Oii, Pii, Privacy, Purpose, Reveal, Strategy as Redact,
    SubjectId,
};
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{Config, TestRunner};
use serde_json::Value;
use tracing_subscriber::layer::SubscriberExt as _;

// =============================================================================================
// How many cases.

/// Cases per property: 10,000, or `PROPTEST_CASES` when it is set.
fn config() -> Config {
    // `Config::default()` reads `PROPTEST_CASES` (and proptest's other variables).
    let defaults = Config::default();
    Config {
        cases: if std::env::var_os("PROPTEST_CASES").is_some() {
            defaults.cases
        } else {
            10_000
        },
        // A failure prints its smallest input; nothing is written into the source tree.
        failure_persistence: None,
        ..defaults
    }
}

/// Runs `test` on values of `strategy` for [`config`]'s number of cases.
fn hunt<S: Strategy>(strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>)
where
    S::Value: fmt::Debug,
{
    let mut runner = TestRunner::new(config());
    if let Err(error) = runner.run(&strategy, test) {
        panic!("{error}");
    }
}

// =============================================================================================
// The types under test.

/// Subjects of the generated members: a consent is granted for the first.
const SUBJECTS: [u64; 3] = [918_273_645, 918_273_646, 4_021_973_318];
/// A subject that no generated value is about.
const STRANGER: u64 = 777_000_111;

#[derive(Privacy, Clone, PartialEq)]
struct Roster {
    #[safe]
    group: u32,
    #[safe]
    title: String,
    #[oii(org_name)]
    org: String,
    #[oii(tenant_id, redact = hash)]
    tenant: u64,
    #[pii(message, redact = first(8))]
    topic: String,
    members: Vec<Member>,
    admins: BTreeMap<Pii<String>, Member>,
    pinned: Option<(Pii<String>, Oii<i64>)>,
    /// Generic containers: of wrapped raw values, and of values whose subject is wrapped.
    shelf: Shelf<Pii<String>>,
    delegates: Shelf<Delegate>,
}

/// A generic type whose fields classify themselves whatever `T` is.
#[derive(Privacy, Clone, PartialEq)]
struct Shelf<T> {
    items: Vec<T>,
    first: Option<Box<T>>,
}

/// A value about the person its wrapped id names: the id is read from the wrapped number, not
/// from the placeholder the wrapper writes.
#[derive(Privacy, Clone, PartialEq)]
struct Delegate {
    #[privacy(subject)]
    id: Pii<u64>,
    #[pii(phone, redact = last(4), purposes(Support))]
    phone: String,
}

#[derive(Privacy, Clone, PartialEq)]
struct Member {
    #[safe]
    #[privacy(subject)]
    id: u64,
    #[safe]
    label: String,
    #[safe]
    score: i64,
    #[pii(name)]
    name: String,
    #[pii(phone, redact = last(4), purposes(Support))]
    phone: String,
    #[pii(email, redact = email)]
    email: String,
    #[pii(name, redact = first(3))]
    greeting: String,
    #[pii(ip, redact = ip_prefix, purposes(Diagnostics))]
    ip: IpAddr,
    #[pii(message, purposes(Support))]
    status: Option<String>,
    #[pii(payment_card, redact = hash)]
    card: String,
    #[pii(government_id, with = char_count)]
    passport: String,
    #[pii(redact = skip)]
    password: String,
    #[pii(account_id, redact = last(2))]
    account: u64,
    nickname: Option<Pii<String>>,
    aliases: Vec<Pii<String>>,
    org: Oii<String>,
    contacts: Vec<Contact>,
    avatar: Option<Box<Avatar>>,
}

/// A `with` function: how long the value is, nothing of its text.
fn char_count(value: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    write!(f, "{} chars", value.chars().count())
}

#[derive(Privacy, Clone, PartialEq)]
enum Contact {
    Device(#[pii(device_id, redact = first(2))] String),
    Org {
        org: Oii<String>,
    },
    Phone {
        #[pii(phone, redact = last(2))]
        number: String,
        #[safe]
        primary: bool,
    },
    /// Someone else: a subject of their own inside the member's value.
    Friend(Box<Friend>),
    Nobody,
}

#[derive(Privacy, Clone, PartialEq)]
struct Friend {
    #[safe]
    #[privacy(subject)]
    id: u64,
    #[pii(phone, redact = last(4))]
    phone: String,
    #[pii(name)]
    name: Option<String>,
}

#[derive(Privacy, Clone, PartialEq)]
struct Avatar {
    #[safe]
    size: u16,
    #[pii(custom = "photo_url")]
    url: String,
}

#[derive(Privacy)]
#[privacy(telemetry)]
struct Crash {
    #[safe]
    #[privacy(subject)]
    user: u64,
    #[safe]
    code: u32,
    #[safe]
    build: String,
    #[pii(ip, purposes(Diagnostics))]
    client_ip: IpAddr,
    #[pii(message, purposes(Support))]
    note: String,
    #[pii(phone, redact = skip)]
    phone: String,
    #[pii(account_id, purposes(Diagnostics))]
    account: u64,
    device: Device,
    previous: Option<Device>,
}

#[derive(Privacy)]
#[privacy(telemetry)]
struct Device {
    #[safe]
    os: String,
    #[pii(device_id, purposes(Diagnostics, Support))]
    id: String,
}

#[derive(Privacy, Clone, PartialEq)]
enum Refusal {
    Unknown(#[pii(phone)] String),
    Blocked {
        #[safe]
        group: u32,
        member: Box<Member>,
    },
}

/// A call's classified parameters, as the instrumented functions take them.
struct Call<'a> {
    group: u32,
    label: &'a str,
    phone: &'a str,
    name: &'a str,
    email: &'a str,
    ip: IpAddr,
    backup: &'a str,
    note: &'a str,
    password: &'a str,
    member: &'a Member,
    roster: &'a Roster,
}

#[privacy::instrument(ret, err)]
#[allow(clippy::too_many_arguments)]
fn admit(
    #[safe] group: u32,
    #[safe] label: &str,
    #[pii(phone, redact = last(4))] phone: &str,
    #[pii(name, redact = first(3))] name: &str,
    #[pii(email, redact = email)] email: &str,
    #[pii(ip, redact = ip_prefix)] ip: IpAddr,
    #[pii(email, redact = hash)] backup: &str,
    #[pii(message, with = char_count)] note: &str,
    #[pii(redact = skip)] password: &str,
    member: &Member,
    nickname: Option<&Pii<String>>,
    #[safe] refuse: u8,
) -> Result<Member, Refusal> {
    // Skipped: not recorded, and not needed.
    let _ = password;
    match refuse {
        0 => Ok(member.clone()),
        1 => Err(Refusal::Unknown(phone.to_owned())),
        _ => Err(Refusal::Blocked {
            group,
            member: Box::new(member.clone()),
        }),
    }
}

#[privacy::instrument(ret, level = "debug")]
fn lookup(#[safe] fail: bool, roster: &Roster) -> Result<&Roster, Refusal> {
    if fail {
        Err(Refusal::Unknown(roster.topic.clone()))
    } else {
        Ok(roster)
    }
}

#[privacy::instrument(err(Display, level = "warn"))]
fn parse(#[pii(phone, redact = last(2))] raw: &str) -> Result<u8, Pii<String>> {
    Err(Pii::new(format!("{raw} is not a number")))
}

/// Every path of `#[privacy::instrument]`: parameters of every strategy, `ret` of a value and of
/// a whole `Result`, `err` with `Debug` and with `Display`.
fn instrumented(call: &Call<'_>) {
    for refuse in 0..3 {
        let _ = admit(
            call.group,
            call.label,
            call.phone,
            call.name,
            call.email,
            call.ip,
            call.backup,
            call.note,
            call.password,
            call.member,
            call.member.nickname.as_ref(),
            refuse,
        );
    }
    let _ = lookup(false, call.roster);
    let _ = lookup(true, call.roster);
    let _ = parse(call.phone);
}

// =============================================================================================
// Hostile text.

/// Pieces of text chosen to confuse: the crate's own placeholders and the pieces it writes
/// around what it shows, quotes, escapes, format and JSON metacharacters, control characters,
/// and unicode of every width (combining marks, zero-width, right-to-left, emoji, CJK, the
/// last code point).
const TRICKY: &[&str] = &[
    " ",
    "<pii>",
    "<oii>",
    "<pii:phone>",
    "<pii:phone …\"",
    "…\"",
    "\"…",
    "…",
    "…@\"",
    "\">",
    ">",
    "<",
    "#k1:",
    "#k2026:",
    "<pii:ip 203.0.113.0/24>",
    " chars>",
    "..",
    "Some(",
    "None",
    "{",
    "}",
    "{}",
    "{:?}",
    "{0}",
    "{{",
    "%",
    "%s",
    "%n",
    "\"",
    "'",
    "\\",
    "\\\"",
    "\\n",
    "\\u{0}",
    "\\u0000",
    "\u{0}",
    "\n",
    "\r\n",
    "\t",
    "\u{1b}[31m",
    "\u{7f}",
    "\u{85}",
    "\u{2028}",
    "=",
    ",",
    ":",
    "[",
    "]",
    "@",
    "@@",
    "a@b",
    "/24",
    "null",
    "true",
    "1e309",
    "e\u{301}",
    "\u{301}",
    "\u{20e3}",
    "\u{200b}",
    "\u{200c}",
    "\u{200d}",
    "\u{2060}",
    "\u{feff}",
    "\u{202e}",
    "\u{2066}",
    "\u{61c}",
    "مرحبا",
    "עברית",
    "日本語",
    "中文",
    "한국어",
    "ｆｕｌｌ",
    "🎉",
    "👩\u{200d}👩\u{200d}👧",
    "🏳\u{fe0f}\u{200d}🌈",
    "🇬🇧",
    "\u{10ffff}",
    "\u{fffd}",
    "\u{e000}",
    "𝔘𝔫𝔦",
    "ǅ",
    "ß",
    "İ",
    "ﬃ",
];

fn fragment() -> BoxedStrategy<String> {
    prop_oneof![
        6 => select(TRICKY).prop_map(str::to_owned),
        3 => any::<char>().prop_map(String::from),
        2 => vec(any::<char>(), 0..8).prop_map(String::from_iter),
        2 => "[a-z0-9 ._-]{0,12}",
    ]
    .boxed()
}

/// Hostile text: empty, a few pieces, or (one time in 24) a few KB of them.
///
/// A value holds a few hundred of these, so each is made from a count and a seed rather than
/// from a tree of strategies (several times slower in a debug build); it still shrinks, to the
/// empty string or to fewer pieces.
fn hostile() -> BoxedStrategy<String> {
    (0..6usize, any::<u64>(), 0..24u8)
        .prop_map(|(count, seed, long)| Rng(seed).text(count, long == 23))
        .boxed()
}

/// `SplitMix64`, for the pieces of hostile text.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).expect("below a usize")
    }

    /// `count` pieces, each repeated up to 400 times when the text is `long`.
    fn text(&mut self, count: usize, long: bool) -> String {
        (0..count)
            .map(|_| {
                let piece = self.piece();
                if long {
                    piece.repeat(1 + self.below(400))
                } else {
                    piece
                }
            })
            .collect()
    }

    /// One piece, drawn as [`fragment`] draws them.
    fn piece(&mut self) -> String {
        match self.below(13) {
            0..=5 => TRICKY[self.below(TRICKY.len())].to_owned(),
            6..=8 => self.char().to_string(),
            9..=10 => (0..self.below(8)).map(|_| self.char()).collect(),
            _ => (0..self.below(13))
                .map(|_| char::from(b"abcdefghijklmnopqrstuvwxyz0123456789 ._-"[self.below(40)]))
                .collect(),
        }
    }

    /// A character of any width: ASCII (control characters included), Latin-1, the rest of
    /// the basic plane, and the other planes.
    fn char(&mut self) -> char {
        let ranges: [(u32, u32); 4] = [
            (0, 0x80),
            (0x80, 0x100),
            (0x100, 0x1_0000),
            (0x1_0000, 0x11_0000),
        ];
        loop {
            let (low, high) = ranges[self.below(ranges.len())];
            let code = low + u32::try_from(self.next() % u64::from(high - low)).expect("a u32");
            if let Some(c) = char::from_u32(code) {
                return c;
            }
        }
    }
}

/// Hostile text on both sides of a planted value.
#[derive(Clone, Debug)]
struct Around {
    before: String,
    after: String,
}

/// [`hostile`] text on both sides, from one flat strategy.
fn around() -> BoxedStrategy<Around> {
    (0..6usize, 0..6usize, any::<u64>(), 0..24u8)
        .prop_map(|(before, after, seed, long)| {
            let mut rng = Rng(seed);
            Around {
                before: rng.text(before, long == 23),
                after: rng.text(after, long == 22),
            }
        })
        .boxed()
}

/// A number long enough that it cannot come out by chance.
fn secret_number() -> impl Strategy<Value = u64> {
    10u64.pow(15)..10u64.pow(18)
}

fn secret_signed() -> impl Strategy<Value = i64> {
    prop_oneof![
        -(10i64.pow(18))..-(10i64.pow(15)),
        10i64.pow(15)..10i64.pow(18)
    ]
}

/// Addresses of every family, IPv4-mapped ones, and networks' own addresses.
fn ip() -> BoxedStrategy<IpAddr> {
    prop_oneof![
        any::<Ipv4Addr>().prop_map(IpAddr::V4),
        any::<Ipv6Addr>().prop_map(IpAddr::V6),
        any::<[u8; 3]>().prop_map(|[a, b, c]| IpAddr::V4(Ipv4Addr::new(a, b, c, 0))),
        any::<[u16; 3]>().prop_map(|[a, b, c]| IpAddr::V6(Ipv6Addr::new(a, b, c, 0, 0, 0, 0, 0))),
    ]
    .boxed()
}

fn subject() -> impl Strategy<Value = u64> {
    select(SUBJECTS.as_slice())
}

// =============================================================================================
// Generated inputs: plain descriptions, printed as they are when a case fails.

#[derive(Clone, Debug)]
struct RosterSpec {
    group: u32,
    title: Around,
    org: Around,
    tenant: u64,
    topic: Around,
    members: Vec<MemberSpec>,
    admins: Vec<(Around, MemberSpec)>,
    pinned: Option<(Around, i64)>,
    shelf: ShelfSpec<Around>,
    delegates: ShelfSpec<(u64, Around)>,
}

/// The items of a `Shelf`, and its first one.
type ShelfSpec<T> = (Vec<T>, Option<T>);

#[derive(Clone, Debug)]
struct MemberSpec {
    id: u64,
    label: Around,
    score: i64,
    name: Around,
    phone: Around,
    email: Around,
    domain: String,
    greeting: Around,
    ip: IpAddr,
    status: Option<Around>,
    card: Around,
    passport: Around,
    password: Around,
    account: u64,
    nickname: Option<Around>,
    aliases: Vec<Around>,
    org: Around,
    contacts: Vec<ContactSpec>,
    avatar: Option<(u16, Around)>,
}

#[derive(Clone, Debug)]
enum ContactSpec {
    Device(Around),
    Org(Around),
    Phone(Around, bool),
    Friend(u64, Around, Option<Around>),
    Nobody,
}

#[derive(Clone, Debug)]
struct CallSpec {
    group: u32,
    label: Around,
    phone: Around,
    name: Around,
    email: Around,
    domain: String,
    ip: IpAddr,
    backup: Around,
    note: Around,
    password: Around,
    member: MemberSpec,
}

#[derive(Clone, Debug)]
struct CrashSpec {
    user: u64,
    code: u32,
    build: Around,
    client_ip: IpAddr,
    note: Around,
    phone: Around,
    account: u64,
    device: (Around, Around),
    previous: Option<(Around, Around)>,
}

fn contact() -> BoxedStrategy<ContactSpec> {
    prop_oneof![
        around().prop_map(ContactSpec::Device),
        around().prop_map(ContactSpec::Org),
        (around(), any::<bool>()).prop_map(|(number, primary)| ContactSpec::Phone(number, primary)),
        (subject(), around(), option::of(around()))
            .prop_map(|(id, phone, name)| ContactSpec::Friend(id, phone, name)),
        Just(ContactSpec::Nobody),
    ]
    .boxed()
}

fn member() -> BoxedStrategy<MemberSpec> {
    let safe = (subject(), around(), any::<i64>());
    let fields = (
        around(),
        around(),
        (around(), hostile()),
        around(),
        ip(),
        option::of(around()),
        around(),
        around(),
        around(),
        secret_number(),
    );
    let nested = (
        option::of(around()),
        vec(around(), 0..3),
        around(),
        vec(contact(), 0..4),
        option::of((any::<u16>(), around())),
    );
    (safe, fields, nested)
        .prop_map(
            |(
                (id, label, score),
                (
                    name,
                    phone,
                    (email, domain),
                    greeting,
                    ip,
                    status,
                    card,
                    passport,
                    password,
                    account,
                ),
                (nickname, aliases, org, contacts, avatar),
            )| MemberSpec {
                id,
                label,
                score,
                name,
                phone,
                email,
                domain,
                greeting,
                ip,
                status,
                card,
                passport,
                password,
                account,
                nickname,
                aliases,
                org,
                contacts,
                avatar,
            },
        )
        .boxed()
}

fn roster() -> BoxedStrategy<RosterSpec> {
    (
        any::<u32>(),
        around(),
        around(),
        secret_number(),
        around(),
        vec(member(), 0..3),
        vec((around(), member()), 0..2),
        option::of((around(), secret_signed())),
        (vec(around(), 0..3), option::of(around())),
        (
            vec((subject(), around()), 0..3),
            option::of((subject(), around())),
        ),
    )
        .prop_map(
            |(group, title, org, tenant, topic, members, admins, pinned, shelf, delegates)| {
                RosterSpec {
                    group,
                    title,
                    org,
                    tenant,
                    topic,
                    members,
                    admins,
                    pinned,
                    shelf,
                    delegates,
                }
            },
        )
        .boxed()
}

fn call() -> BoxedStrategy<CallSpec> {
    (
        any::<u32>(),
        around(),
        around(),
        around(),
        (around(), hostile()),
        ip(),
        around(),
        around(),
        around(),
        member(),
    )
        .prop_map(
            |(group, label, phone, name, (email, domain), ip, backup, note, password, member)| {
                CallSpec {
                    group,
                    label,
                    phone,
                    name,
                    email,
                    domain,
                    ip,
                    backup,
                    note,
                    password,
                    member,
                }
            },
        )
        .boxed()
}

fn crash() -> BoxedStrategy<CrashSpec> {
    (
        subject(),
        any::<u32>(),
        around(),
        ip(),
        around(),
        around(),
        secret_number(),
        (around(), around()),
        option::of((around(), around())),
    )
        .prop_map(
            |(user, code, build, client_ip, note, phone, account, device, previous)| CrashSpec {
                user,
                code,
                build,
                client_ip,
                note,
                phone,
                account,
                device,
                previous,
            },
        )
        .boxed()
}

// =============================================================================================
// Planting: each classified value gets a unique marker, and each planted value records what its
// strategy shows of it and which permits may reveal it.

/// How a planted field is classified.
#[derive(Clone, Copy)]
struct Meta {
    class: &'static str,
    kind: Option<Kind>,
    strategy: Redact,
    purposes: &'static [&'static str],
}

const fn pii(kind: Kind, strategy: Redact, purposes: &'static [&'static str]) -> Meta {
    Meta {
        class: "pii",
        kind: Some(kind),
        strategy,
        purposes,
    }
}

const fn oii(kind: Kind, strategy: Redact) -> Meta {
    Meta {
        class: "oii",
        kind: Some(kind),
        strategy,
        purposes: &[],
    }
}

/// A field under `#[pii(redact = skip)]`, with no kind.
const fn skipped() -> Meta {
    Meta {
        class: "pii",
        kind: None,
        strategy: Redact::Skip,
        purposes: &[],
    }
}

/// A value in a `Pii<T>` or `Oii<T>`.
const fn wrapped(class: &'static str) -> Meta {
    Meta {
        class,
        kind: None,
        strategy: Redact::Hide,
        purposes: &[],
    }
}

const SUPPORT: &[&str] = &[Support::NAME];
const DIAGNOSTICS: &[&str] = &[Diagnostics::NAME];
const DIAGNOSTICS_AND_SUPPORT: &[&str] = &[Diagnostics::NAME, Support::NAME];

/// A classified value planted in a field.
struct Plant {
    /// Where: `members[1].phone`.
    what: String,
    /// The marker, or the whole text of a number or an address.
    needle: String,
    /// Whether the needle is checked whole (numbers, addresses) rather than by windows.
    whole: bool,
    /// What the field's strategy shows of the value, unescaped.
    visible: Option<String>,
    /// What `Debug` writes for the field.
    redacted: Option<String>,
    /// Whose value it is.
    subject: Option<u64>,
    meta: Meta,
}

/// A safe value, which every output of its value must show.
struct Safe {
    what: String,
    text: String,
    /// Whether it shows in a binary format too (strings do, numbers do not).
    binary: bool,
}

/// The letters of a marker, one in every four characters.
const MARKER_LETTERS: [char; 3] = ['K', 'X', 'W'];

#[derive(Default)]
struct Planter {
    plants: Vec<Plant>,
    safes: Vec<Safe>,
}

impl Planter {
    /// `QZK007X007W007` for the eighth marker: every six characters of a marker hold one of
    /// [`MARKER_LETTERS`] and the digits that number it, so no two markers share a window, and
    /// nothing the crate writes by itself (lower-case names and pseudonyms, digits) holds one.
    fn marker(&self) -> String {
        let n = self.plants.len();
        assert!(n < 1000, "a case plants fewer than 1000 values");
        let mut marker = String::from("QZ");
        for letter in MARKER_LETTERS {
            write!(marker, "{letter}{n:03}").expect("a String takes what is written");
        }
        marker
    }

    fn plant(
        &mut self,
        what: String,
        value: &str,
        needle: String,
        whole: bool,
        subject: Option<u64>,
        meta: Meta,
    ) {
        self.plants.push(Plant {
            what,
            needle,
            whole,
            visible: visible(meta.strategy, value),
            redacted: redacted(meta, value),
            subject,
            meta,
        });
    }

    /// Hostile text around a fresh marker.
    fn text(&mut self, what: String, around: &Around, subject: Option<u64>, meta: Meta) -> String {
        let marker = self.marker();
        let value = format!("{}{marker}{}", around.before, around.after);
        self.plant(what, &value, marker, false, subject, meta);
        value
    }

    /// An address with a fresh marker in its local part, then `@domain`.
    fn email(
        &mut self,
        what: String,
        around: &Around,
        domain: &str,
        subject: Option<u64>,
        meta: Meta,
    ) -> String {
        let marker = self.marker();
        let value = format!("{}{marker}{}@{domain}", around.before, around.after);
        self.plant(what, &value, marker, false, subject, meta);
        value
    }

    /// A number or an address, checked whole.
    fn whole<T: fmt::Display>(
        &mut self,
        what: String,
        value: T,
        subject: Option<u64>,
        meta: Meta,
    ) -> T {
        let text = value.to_string();
        self.plant(what, &text, text.clone(), true, subject, meta);
        value
    }

    /// Safe hostile text around a safe marker, which must show.
    fn safe_text(&mut self, what: String, around: &Around) -> String {
        let marker = format!("safe{:03}ok", self.safes.len());
        self.safes.push(Safe {
            what,
            text: marker.clone(),
            binary: true,
        });
        format!("{}{marker}{}", around.before, around.after)
    }

    fn safe_number<T: fmt::Display>(&mut self, what: String, value: T) -> T {
        self.safes.push(Safe {
            what,
            text: value.to_string(),
            binary: false,
        });
        value
    }
}

impl RosterSpec {
    fn build(&self, p: &mut Planter) -> Roster {
        Roster {
            group: p.safe_number("group".into(), self.group),
            title: p.safe_text("title".into(), &self.title),
            org: p.text(
                "org".into(),
                &self.org,
                None,
                oii(Kind::OrgName, Redact::Hide),
            ),
            tenant: p.whole(
                "tenant".into(),
                self.tenant,
                None,
                oii(Kind::TenantId, Redact::Hash),
            ),
            topic: p.text(
                "topic".into(),
                &self.topic,
                None,
                pii(Kind::Message, Redact::First(8), &[]),
            ),
            members: (self.members.iter().enumerate())
                .map(|(i, member)| member.build(p, &format!("members[{i}]")))
                .collect(),
            admins: (self.admins.iter().enumerate())
                .map(|(i, (key, member))| {
                    let key = p.text(format!("admins key {i}"), key, None, wrapped("pii"));
                    (Pii::new(key), member.build(p, &format!("admins[{i}]")))
                })
                .collect(),
            pinned: self.pinned.as_ref().map(|(text, number)| {
                (
                    Pii::new(p.text("pinned.0".into(), text, None, wrapped("pii"))),
                    Oii::new(p.whole("pinned.1".into(), *number, None, wrapped("oii"))),
                )
            }),
            shelf: Shelf {
                items: (self.shelf.0.iter().enumerate())
                    .map(|(i, text)| {
                        Pii::new(p.text(format!("shelf.items[{i}]"), text, None, wrapped("pii")))
                    })
                    .collect(),
                first: self.shelf.1.as_ref().map(|text| {
                    Box::new(Pii::new(p.text(
                        "shelf.first".into(),
                        text,
                        None,
                        wrapped("pii"),
                    )))
                }),
            },
            delegates: Shelf {
                items: (self.delegates.0.iter().enumerate())
                    .map(|(i, (id, phone))| {
                        delegate(p, &format!("delegates.items[{i}]"), *id, phone)
                    })
                    .collect(),
                first: self
                    .delegates
                    .1
                    .as_ref()
                    .map(|(id, phone)| Box::new(delegate(p, "delegates.first", *id, phone))),
            },
        }
    }
}

/// A delegate about subject `id`. The id itself is not planted: it is one of the subjects,
/// which the members' safe ids show.
fn delegate(p: &mut Planter, at: &str, id: u64, phone: &Around) -> Delegate {
    Delegate {
        id: Pii::new(id),
        phone: p.text(
            format!("{at}.phone"),
            phone,
            Some(id),
            pii(Kind::Phone, Redact::Last(4), SUPPORT),
        ),
    }
}

impl MemberSpec {
    fn build(&self, p: &mut Planter, at: &str) -> Member {
        let s = Some(self.id);
        let name = |field: &str| format!("{at}.{field}");
        Member {
            id: p.safe_number(name("id"), self.id),
            label: p.safe_text(name("label"), &self.label),
            score: p.safe_number(name("score"), self.score),
            name: p.text(
                name("name"),
                &self.name,
                s,
                pii(Kind::Name, Redact::Hide, &[]),
            ),
            phone: p.text(
                name("phone"),
                &self.phone,
                s,
                pii(Kind::Phone, Redact::Last(4), SUPPORT),
            ),
            email: p.email(
                name("email"),
                &self.email,
                &self.domain,
                s,
                pii(Kind::Email, Redact::Email, &[]),
            ),
            greeting: p.text(
                name("greeting"),
                &self.greeting,
                s,
                pii(Kind::Name, Redact::First(3), &[]),
            ),
            ip: p.whole(
                name("ip"),
                self.ip,
                s,
                pii(Kind::Ip, Redact::IpPrefix, DIAGNOSTICS),
            ),
            status: self.status.as_ref().map(|status| {
                p.text(
                    name("status"),
                    status,
                    s,
                    pii(Kind::Message, Redact::Hide, SUPPORT),
                )
            }),
            card: p.text(
                name("card"),
                &self.card,
                s,
                pii(Kind::PaymentCard, Redact::Hash, &[]),
            ),
            passport: p.text(
                name("passport"),
                &self.passport,
                s,
                pii(Kind::GovernmentId, Redact::With("char_count"), &[]),
            ),
            password: p.text(name("password"), &self.password, s, skipped()),
            account: p.whole(
                name("account"),
                self.account,
                s,
                pii(Kind::AccountId, Redact::Last(2), &[]),
            ),
            nickname: self
                .nickname
                .as_ref()
                .map(|nickname| Pii::new(p.text(name("nickname"), nickname, s, wrapped("pii")))),
            aliases: (self.aliases.iter().enumerate())
                .map(|(i, alias)| {
                    Pii::new(p.text(name(&format!("aliases[{i}]")), alias, s, wrapped("pii")))
                })
                .collect(),
            org: Oii::new(p.text(name("org"), &self.org, s, wrapped("oii"))),
            contacts: (self.contacts.iter().enumerate())
                .map(|(i, contact)| contact.build(p, &name(&format!("contacts[{i}]")), s))
                .collect(),
            avatar: self.avatar.as_ref().map(|(size, url)| {
                Box::new(Avatar {
                    size: p.safe_number(name("avatar.size"), *size),
                    url: p.text(
                        name("avatar.url"),
                        url,
                        s,
                        pii(Kind::Custom("photo_url"), Redact::Hide, &[]),
                    ),
                })
            }),
        }
    }
}

impl ContactSpec {
    fn build(&self, p: &mut Planter, at: &str, subject: Option<u64>) -> Contact {
        match self {
            ContactSpec::Device(id) => Contact::Device(p.text(
                format!("{at}.0"),
                id,
                subject,
                pii(Kind::DeviceId, Redact::First(2), &[]),
            )),
            ContactSpec::Org(org) => Contact::Org {
                org: Oii::new(p.text(format!("{at}.org"), org, subject, wrapped("oii"))),
            },
            ContactSpec::Phone(number, primary) => Contact::Phone {
                number: p.text(
                    format!("{at}.number"),
                    number,
                    subject,
                    pii(Kind::Phone, Redact::Last(2), &[]),
                ),
                primary: *primary,
            },
            ContactSpec::Friend(id, phone, name) => {
                let friend = Some(*id);
                Contact::Friend(Box::new(Friend {
                    id: p.safe_number(format!("{at}.id"), *id),
                    phone: p.text(
                        format!("{at}.phone"),
                        phone,
                        friend,
                        pii(Kind::Phone, Redact::Last(4), &[]),
                    ),
                    name: name.as_ref().map(|name| {
                        p.text(
                            format!("{at}.name"),
                            name,
                            friend,
                            pii(Kind::Name, Redact::Hide, &[]),
                        )
                    }),
                }))
            }
            ContactSpec::Nobody => Contact::Nobody,
        }
    }
}

/// The parameters of one call, planted; the call borrows them.
struct CallValues {
    group: u32,
    label: String,
    phone: String,
    name: String,
    email: String,
    ip: IpAddr,
    backup: String,
    note: String,
    password: String,
    member: Member,
}

impl CallSpec {
    fn build(&self, p: &mut Planter) -> CallValues {
        CallValues {
            group: p.safe_number("call.group".into(), self.group),
            label: p.safe_text("call.label".into(), &self.label),
            phone: p.text(
                "call.phone".into(),
                &self.phone,
                None,
                pii(Kind::Phone, Redact::Last(4), &[]),
            ),
            name: p.text(
                "call.name".into(),
                &self.name,
                None,
                pii(Kind::Name, Redact::First(3), &[]),
            ),
            email: p.email(
                "call.email".into(),
                &self.email,
                &self.domain,
                None,
                pii(Kind::Email, Redact::Email, &[]),
            ),
            ip: p.whole(
                "call.ip".into(),
                self.ip,
                None,
                pii(Kind::Ip, Redact::IpPrefix, &[]),
            ),
            backup: p.text(
                "call.backup".into(),
                &self.backup,
                None,
                pii(Kind::Email, Redact::Hash, &[]),
            ),
            note: p.text(
                "call.note".into(),
                &self.note,
                None,
                pii(Kind::Message, Redact::With("char_count"), &[]),
            ),
            password: p.text("call.password".into(), &self.password, None, skipped()),
            member: self.member.build(p, "call.member"),
        }
    }
}

impl CallValues {
    fn call<'a>(&'a self, roster: &'a Roster) -> Call<'a> {
        Call {
            group: self.group,
            label: &self.label,
            phone: &self.phone,
            name: &self.name,
            email: &self.email,
            ip: self.ip,
            backup: &self.backup,
            note: &self.note,
            password: &self.password,
            member: &self.member,
            roster,
        }
    }
}

impl CrashSpec {
    fn build(&self, p: &mut Planter) -> Crash {
        let s = Some(self.user);
        let device = |p: &mut Planter, at: &str, (os, id): &(Around, Around)| Device {
            os: p.safe_text(format!("{at}.os"), os),
            id: p.text(
                format!("{at}.id"),
                id,
                s,
                pii(Kind::DeviceId, Redact::Hide, DIAGNOSTICS_AND_SUPPORT),
            ),
        };
        Crash {
            user: p.safe_number("user".into(), self.user),
            code: p.safe_number("code".into(), self.code),
            build: p.safe_text("build".into(), &self.build),
            client_ip: p.whole(
                "client_ip".into(),
                self.client_ip,
                s,
                pii(Kind::Ip, Redact::Hide, DIAGNOSTICS),
            ),
            note: p.text(
                "note".into(),
                &self.note,
                s,
                pii(Kind::Message, Redact::Hide, SUPPORT),
            ),
            phone: p.text(
                "phone".into(),
                &self.phone,
                s,
                Meta {
                    class: "pii",
                    kind: Some(Kind::Phone),
                    strategy: Redact::Skip,
                    purposes: &[],
                },
            ),
            account: p.whole(
                "account".into(),
                self.account,
                s,
                pii(Kind::AccountId, Redact::Hide, DIAGNOSTICS),
            ),
            device: device(p, "device", &self.device),
            previous: self
                .previous
                .as_ref()
                .map(|previous| device(p, "previous", previous)),
        }
    }
}

// =============================================================================================
// What a strategy shows, computed from its rules rather than by the crate.

/// How many characters `last(n)` and `first(n)` show of a text of `total`: at most `n`, and at
/// most half.
fn partial_take(n: usize, total: usize) -> usize {
    n.min(total / 2)
}

/// The byte offset of character `index` of `text` (its length past the end).
fn char_offset(text: &str, index: usize) -> usize {
    text.char_indices()
        .nth(index)
        .map_or(text.len(), |(i, _)| i)
}

fn last_shown(text: &str, n: usize) -> &str {
    let total = text.chars().count();
    &text[char_offset(text, total - partial_take(n, total))..]
}

fn first_shown(text: &str, n: usize) -> &str {
    let total = text.chars().count();
    &text[..char_offset(text, partial_take(n, total))]
}

/// What `email` shows: what follows the last `@`, when something comes before and after it.
fn email_shown(text: &str) -> Option<&str> {
    let at = text.rfind('@')?;
    (at > 0 && at + 1 < text.len()).then(|| &text[at + 1..])
}

/// The address a string holds, as `ip_prefix` reads it.
fn address_in(text: &str) -> Option<IpAddr> {
    let text = text.trim();
    text.parse::<IpAddr>()
        .ok()
        .or_else(|| text.parse::<SocketAddr>().ok().map(|addr| addr.ip()))
}

/// The network `ip_prefix` shows: the /24 of an IPv4 address (IPv4-mapped IPv6 included),
/// the /48 of an IPv6 one.
fn network(ip: IpAddr) -> (IpAddr, u8) {
    match ip {
        IpAddr::V4(v4) => (IpAddr::V4(Ipv4Addr::from(u32::from(v4) & !0xff)), 24),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => network(IpAddr::V4(v4)),
            None => (
                IpAddr::V6(Ipv6Addr::from(u128::from(v6) & !((1u128 << 80) - 1))),
                48,
            ),
        },
    }
}

fn network_text(ip: IpAddr) -> String {
    let (net, len) = network(ip);
    format!("{net}/{len}")
}

/// What `strategy` shows of `value`, unescaped; `None` when it shows nothing of it.
fn visible(strategy: Redact, value: &str) -> Option<String> {
    let shown = match strategy {
        Redact::Last(n) => last_shown(value, n).to_owned(),
        Redact::First(n) => first_shown(value, n).to_owned(),
        Redact::Email => email_shown(value)?.to_owned(),
        Redact::IpPrefix => network_text(address_in(value)?),
        _ => return None,
    };
    (!shown.is_empty()).then_some(shown)
}

/// What `Debug` writes for a field classified by `meta` holding `value`: the whole of it, or
/// (for `hash`) its start.
fn redacted(meta: Meta, value: &str) -> Option<String> {
    let label = match meta.kind {
        Some(kind) => format!("<{}:{}", meta.class, kind.as_str()),
        None => format!("<{}", meta.class),
    };
    let shown = visible(meta.strategy, value);
    Some(match (meta.strategy, shown) {
        (Redact::Skip, _) => return None,
        (Redact::Hash, _) => format!("{label} #"),
        (Redact::With(_), _) => format!("{label} {} chars>", value.chars().count()),
        (Redact::Last(_), Some(shown)) => format!("{label} …{shown:?}>"),
        (Redact::First(_), Some(shown)) => format!("{label} {shown:?}…>"),
        (Redact::Email, Some(shown)) => format!("{label} …@{shown:?}>"),
        (Redact::IpPrefix, Some(shown)) => format!("{label} {shown}>"),
        _ => format!("{label}>"),
    })
}

// =============================================================================================
// The checks.

/// What may not come out of an output: every window of the hidden markers, and the hidden
/// numbers and addresses whole; except what each one's strategy shows.
struct Hidden<'a> {
    plants: &'a [Plant],
    windows: HashMap<[u8; WINDOW], usize, BuildHasherDefault<Fold>>,
    wholes: Vec<usize>,
}

impl<'a> Hidden<'a> {
    /// The plants for which `revealed` is false.
    fn new(plants: &'a [Plant], revealed: impl Fn(&Plant) -> bool) -> Self {
        let mut hidden = Hidden {
            plants,
            windows: HashMap::default(),
            wholes: Vec::new(),
        };
        for (index, plant) in plants.iter().enumerate() {
            if revealed(plant) {
                continue;
            }
            let shown = |piece: &str| plant.visible.as_deref().is_some_and(|v| v.contains(piece));
            if plant.whole {
                if !shown(&plant.needle) {
                    hidden.wholes.push(index);
                }
                continue;
            }
            for window in plant.needle.as_bytes().windows(WINDOW) {
                let text = std::str::from_utf8(window).expect("markers are ASCII");
                if !shown(text) {
                    hidden
                        .windows
                        .insert(window.try_into().expect("a window"), index);
                }
            }
        }
        hidden
    }

    /// Every planted value.
    fn all(plants: &'a [Plant]) -> Self {
        Hidden::new(plants, |_| false)
    }

    /// The first hidden value that `output` shows, described.
    fn find(&self, output: &str) -> Option<String> {
        let bytes = output.as_bytes();
        // Every window of a marker holds one of its letters (see `Planter::marker`): only the
        // windows around those letters need looking up.
        for letter in MARKER_LETTERS {
            for (at, _) in output.match_indices(letter) {
                let first = at.saturating_sub(WINDOW - 1);
                let last = at.min(bytes.len().saturating_sub(WINDOW));
                for start in first..=last {
                    let window = &bytes[start..start + WINDOW];
                    if let Some(&index) = self.windows.get(window) {
                        let plant = &self.plants[index];
                        return Some(format!(
                            "`{}` of marker `{}` planted in `{}`",
                            String::from_utf8_lossy(window),
                            plant.needle,
                            plant.what
                        ));
                    }
                }
            }
        }
        self.wholes.iter().find_map(|&index| {
            let plant = &self.plants[index];
            output
                .contains(&plant.needle)
                .then(|| format!("`{}` planted in `{}`", plant.needle, plant.what))
        })
    }
}

/// A cheap hash for the windows, which no adversary chooses.
#[derive(Default)]
struct Fold(u64);

impl Hasher for Fold {
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(byte)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

fn fail(message: String) -> Result<(), TestCaseError> {
    Err(TestCaseError::fail(message))
}

/// `output` of `path` shows nothing `hidden` holds.
fn no_leak(path: &str, output: &str, hidden: &Hidden<'_>) -> Result<(), TestCaseError> {
    match hidden.find(output) {
        Some(leak) => fail(format!("{path}: {leak} leaked into:\n{output}")),
        None => Ok(()),
    }
}

/// `output` of `path` shows every one of `safes` (in a binary format, the strings).
fn shows_safe(path: &str, output: &str, safes: &[Safe], binary: bool) -> Result<(), TestCaseError> {
    for safe in safes.iter().filter(|safe| safe.binary || !binary) {
        if !output.contains(&safe.text) {
            return fail(format!(
                "{path}: safe value `{}` of `{}` is missing from:\n{output}",
                safe.text, safe.what
            ));
        }
    }
    Ok(())
}

/// `output` of `path` shows every one of `plants` in the clear.
fn shows_revealed<'p>(
    path: &str,
    output: &str,
    plants: impl IntoIterator<Item = &'p Plant>,
) -> Result<(), TestCaseError> {
    for plant in plants {
        if !output.contains(&plant.needle) {
            return fail(format!(
                "{path}: `{}`, planted in `{}` and revealed, is missing from:\n{output}",
                plant.needle, plant.what
            ));
        }
    }
    Ok(())
}

/// Every text output of a value: no leak, every safe value.
fn check(
    path: &str,
    output: &str,
    hidden: &Hidden<'_>,
    safes: &[Safe],
) -> Result<(), TestCaseError> {
    no_leak(path, output, hidden)?;
    shows_safe(path, output, safes, false)
}

// =============================================================================================
// Capturing what tracing's formatters write.

/// One subscriber for a whole property: `tracing_subscriber`'s text and JSON formatters side
/// by side, at every level. (Each instrumented span here has a `ret` or `err` event inside it,
/// which writes the span's fields.)
#[derive(Default)]
struct Capture {
    text: Buffer,
    json: Buffer,
}

impl Capture {
    fn subscriber(&self) -> impl tracing::Subscriber + Send + Sync {
        let (text, json) = (self.text.clone(), self.json.clone());
        tracing_subscriber::registry()
            .with(
                tracing_subscriber::fmt::layer()
                    .with_writer(move || text.clone())
                    .without_time(),
            )
            .with(
                tracing_subscriber::fmt::layer()
                    .json()
                    .with_writer(move || json.clone())
                    .without_time(),
            )
    }

    /// What the two formatters wrote since the last call.
    fn take(&self) -> (String, String) {
        (self.text.take(), self.json.take())
    }

    /// Runs `f` with this capture's subscriber as the thread's default.
    fn run<R>(&self, f: impl FnOnce() -> R) -> R {
        tracing::subscriber::with_default(self.subscriber(), f)
    }
}

/// The JSON lines of `json` whose target is `target`.
fn events<'j>(json: &'j str, target: &'j str) -> impl Iterator<Item = Value> + 'j {
    json.lines()
        .map(|line| serde_json::from_str::<Value>(line).expect("each JSON line parses"))
        .filter(move |event| event["target"] == target)
}

// =============================================================================================
// Point 1: the leak hunt.

/// Every `Pii` and `Oii` of a roster through `Display` and `Debug`, with formatter flags.
fn wrappers(roster: &Roster) -> String {
    let mut out = String::new();
    let mut write = |pii: &dyn Wrapped| pii.write_all(&mut out);
    for member in roster.members.iter().chain(roster.admins.values()) {
        member.nickname.iter().for_each(|n| write(n));
        member.aliases.iter().for_each(|a| write(a));
        write(&member.org);
    }
    roster.admins.keys().for_each(|k| write(k));
    if let Some((text, number)) = &roster.pinned {
        write(text);
        write(number);
    }
    out
}

/// A wrapper, formatted every way.
trait Wrapped {
    fn write_all(&self, out: &mut String);
}

impl<T: fmt::Display + ?Sized> Wrapped for T
where
    T: fmt::Debug,
{
    fn write_all(&self, out: &mut String) {
        write!(
            out,
            "{self} {self:>40} {self:<3} {self:^9.2} {self:?} {self:#?} {self:+08?}|"
        )
        .expect("a String takes what is written");
    }
}

#[test]
fn debug_display_and_serialize_leak_nothing() {
    hunt(roster(), |spec| {
        let mut p = Planter::default();
        let roster = spec.build(&mut p);
        let hidden = Hidden::all(&p.plants);

        let debug = format!("{roster:?}");
        check("{:?}", &debug, &hidden, &p.safes)?;
        for plant in &p.plants {
            if let Some(redacted) = &plant.redacted {
                if !debug.contains(redacted.as_str()) {
                    return fail(format!(
                        "{{:?}}: `{}` should show as `{redacted}`:\n{debug}",
                        plant.what
                    ));
                }
            }
        }
        check("{:#?}", &format!("{roster:#?}"), &hidden, &p.safes)?;
        // Flags reach every field's `Debug`: none may widen what is shown.
        check("{:>60.3?}", &format!("{roster:>60.3?}"), &hidden, &p.safes)?;
        no_leak("Display of the wrappers", &wrappers(&roster), &hidden)?;
        let json = serde_json::to_string(&roster).expect("serializes");
        check("serde_json", &json, &hidden, &p.safes)?;
        let pretty = serde_json::to_string_pretty(&roster).expect("serializes");
        check("serde_json pretty", &pretty, &hidden, &p.safes)?;
        let binary = postcard::to_allocvec(&roster).expect("serializes");
        let binary = String::from_utf8_lossy(&binary);
        no_leak("postcard", &binary, &hidden)?;
        shows_safe("postcard", &binary, &p.safes, true)
    });
}

#[test]
fn tracing_and_instrumented_spans_leak_nothing() {
    let capture = Capture::default();
    capture.run(|| {
        hunt((roster(), call()), |(roster_spec, call_spec)| {
            let mut p = Planter::default();
            let roster = roster_spec.build(&mut p);
            let call = call_spec.build(&mut p);
            let hidden = Hidden::all(&p.plants);

            tracing::info!(
                roster = ?roster,
                member = ?call.member,
                group = call.group,
                label = call.label.as_str(),
                "values"
            );
            if let Some((pinned, number)) = &roster.pinned {
                tracing::warn!(pinned = %pinned, number = %number, debug = ?pinned, "wrappers");
            }
            let (text, json) = capture.take();
            check("tracing text", &text, &hidden, &p.safes)?;
            check("tracing JSON", &json, &hidden, &p.safes)?;

            instrumented(&call.call(&roster));
            let (text, json) = capture.take();
            for (path, output) in [("instrument, text", &text), ("instrument, JSON", &json)] {
                no_leak(path, output, &hidden)?;
                // The parameters', the member's and the roster's safe values.
                shows_safe(path, output, &p.safes, false)?;
            }
            for expected in [
                "return=Member {",
                "error=Unknown(<pii:phone>)",
                "error=Blocked {",
                "return=Err(Unknown(<pii:phone>))",
                "error=<pii>",
            ] {
                if !text.contains(expected) {
                    return fail(format!(
                        "instrument, text: `{expected}` is missing from:\n{text}"
                    ));
                }
            }
            Ok(())
        });
    });
}

/// Consents and rules for the permits of the reveal and telemetry checks.
struct Permits {
    support: Consent<Support>,
    diagnostics: Consent<Diagnostics>,
    stranger: Consent<Support>,
    phones: Disclosure,
}

impl Permits {
    fn new() -> Self {
        let store = MemoryConsentStore::new();
        let (first, stranger) = (SubjectId::from(SUBJECTS[0]), SubjectId::from(STRANGER));
        for subject in [&first, &stranger] {
            store
                .grant(subject, Support, Evidence::new("support prompt"))
                .expect("granted");
        }
        store
            .grant(&first, Diagnostics, Evidence::new("crash dialog"))
            .expect("granted");
        Permits {
            support: store.consent::<Support>(&first).expect("granted"),
            diagnostics: store.consent::<Diagnostics>(&first).expect("granted"),
            stranger: store.consent::<Support>(&stranger).expect("granted"),
            phones: Disclosure::of([Kind::Phone])
                .because("the viewer has them in their phone book"),
        }
    }
}

/// Whether a consent of `subject` for `purpose` covers `plant`: purposes fail closed, so a
/// value whose field names no purpose is never revealed by a consent.
fn consent_covers(plant: &Plant, subject: u64, purpose: &str) -> bool {
    plant.meta.strategy != Redact::Skip
        && plant.subject == Some(subject)
        && plant.meta.purposes.contains(&purpose)
}

/// Whether the phone-book disclosure covers `plant`.
fn phones_cover(plant: &Plant) -> bool {
    plant.meta.strategy != Redact::Skip && plant.meta.kind == Some(Kind::Phone)
}

/// The audit events in `json`: one per revealing write, each without any planted value and with
/// the subject as a pseudonym.
fn check_audit(
    path: &str,
    json: &str,
    expected: usize,
    all: &Hidden<'_>,
) -> Result<(), TestCaseError> {
    let audit: Vec<String> = events(json, "privacy::audit")
        .map(|e| e.to_string())
        .collect();
    if audit.len() != expected {
        return fail(format!(
            "{path}: {expected} audit events expected, got:\n{json}"
        ));
    }
    for event in &audit {
        no_leak(&format!("{path}, audit event"), event, all)?;
        if SUBJECTS
            .iter()
            .chain([&STRANGER])
            .any(|s| event.contains(&s.to_string()))
        {
            return fail(format!(
                "{path}: a raw subject id in the audit event:\n{event}"
            ));
        }
    }
    Ok(())
}

/// A roster, with what was planted in it, for views of it.
struct Views<'a> {
    capture: &'a Capture,
    roster: &'a Roster,
    p: &'a Planter,
    /// Every planted value.
    all: &'a Hidden<'a>,
}

impl Views<'_> {
    /// The roster revealed with `permit`: in `Debug` and JSON, what `covers` allows shows in
    /// the clear, nothing else leaks, every safe value shows, and each write is audited when it
    /// reveals something. Wrappers on their own belong to no subject and are of no kind: these
    /// permits leave them redacted.
    fn check<P: privacy::Permit>(
        &self,
        path: &str,
        permit: &P,
        covers: impl Fn(&Plant) -> bool,
    ) -> Result<(), TestCaseError> {
        let (roster, p) = (self.roster, self.p);
        let hidden = Hidden::new(&p.plants, &covers);
        let revealed: Vec<&Plant> = p.plants.iter().filter(|plant| covers(plant)).collect();
        let debug = format!("{:?}", roster.reveal(permit));
        let json = serde_json::to_string(&roster.reveal(permit)).expect("serializes");
        if let Some((text, number)) = &roster.pinned {
            let wrappers = format!("{} {}", text.reveal(permit), number.reveal(permit));
            if wrappers != "<pii> <oii>" {
                return fail(format!("{path}: wrappers revealed: {wrappers}"));
            }
        }
        for (what, output) in [("Debug", &debug), ("JSON", &json)] {
            let path = format!("{path}, {what}");
            check(&path, output, &hidden, &p.safes)?;
            shows_revealed(&path, output, revealed.iter().copied())?;
        }
        if revealed.is_empty() && debug != format!("{roster:?}") {
            return fail(format!(
                "{path}: revealing nothing is not the plain Debug:\n{debug}"
            ));
        }
        let (_, audit) = self.capture.take();
        let expected = if revealed.is_empty() { 0 } else { 2 };
        check_audit(path, &audit, expected, self.all)
    }
}

#[test]
fn telemetry_reveal_and_audit_leak_nothing() {
    let capture = Capture::default();
    let permits = Permits::new();
    capture.run(|| {
        hunt((roster(), crash()), |(roster_spec, crash_spec)| {
            let mut p = Planter::default();
            let crash = crash_spec.build(&mut p);

            // Telemetry: no consent, then consents that cover some fields.
            let all = Hidden::all(&p.plants);
            telemetry::emit(&crash);
            let (text, json) = capture.take();
            check("telemetry, text", &text, &all, &p.safes)?;
            check("telemetry, JSON", &json, &all, &p.safes)?;
            check_audit("telemetry", &json, 0, &all)?;
            let consents: [(&str, &dyn TelemetryConsent); 2] = [
                (Diagnostics::NAME, &permits.diagnostics),
                (Support::NAME, &permits.support),
            ];
            for (purpose, consent) in consents {
                consent.emit(&crash);
                let covers = |plant: &Plant| consent_covers(plant, SUBJECTS[0], purpose);
                let hidden = Hidden::new(&p.plants, covers);
                let revealed: Vec<&Plant> = p.plants.iter().filter(|plant| covers(plant)).collect();
                let (text, json) = capture.take();
                let path = format!("telemetry with {purpose} consent");
                let event: String = events(&json, "telemetry").map(|e| e.to_string()).collect();
                check(&format!("{path}, text"), &text, &hidden, &p.safes)?;
                check(&format!("{path}, JSON"), &event, &hidden, &p.safes)?;
                shows_revealed(&path, &event, revealed.iter().copied())?;
                let expected = usize::from(!revealed.is_empty());
                check_audit(&path, &json, expected, &all)?;
            }

            // Reveal views, whose permits cover some fields or none.
            let mut p = Planter::default();
            let roster = roster_spec.build(&mut p);
            let all = Hidden::all(&p.plants);
            let views = Views {
                capture: &capture,
                roster: &roster,
                p: &p,
                all: &all,
            };
            views.check("reveal, stranger's consent", &permits.stranger, |_| false)?;
            views.check("reveal, support consent", &permits.support, |plant| {
                consent_covers(plant, SUBJECTS[0], Support::NAME)
            })?;
            views.check("reveal, phone book", &permits.phones, phones_cover)
        });
    });
}

/// `telemetry::emit_with` for a consent of any purpose.
trait TelemetryConsent {
    fn emit(&self, crash: &Crash);
}

impl<P: Purpose> TelemetryConsent for Consent<P> {
    fn emit(&self, crash: &Crash) {
        telemetry::emit_with(crash, self);
    }
}

// ---------------------------------------------------------------------------------------------
// Panic messages.

thread_local! {
    /// Where the hook writes the messages of this thread's panics while [`panic_message`] runs.
    static PANICS: RefCell<Option<String>> = const { RefCell::new(None) };
}

type Hook = Box<dyn Fn(&PanicHookInfo<'_>) + Sync + Send + 'static>;

/// A panic hook that captures the message of a panic inside [`panic_message`], on the thread
/// that runs it, and hands every other panic to the hook it replaced, which it restores when
/// dropped.
struct PanicCapture {
    previous: Option<Arc<Hook>>,
}

impl PanicCapture {
    fn install() -> Self {
        let previous = Arc::new(panic::take_hook());
        let forward = Arc::clone(&previous);
        panic::set_hook(Box::new(move |info| {
            let captured = PANICS.with(|panics| match panics.borrow_mut().as_mut() {
                Some(message) => {
                    write!(message, "{info}").expect("a String takes what is written");
                    true
                }
                None => false,
            });
            if !captured {
                forward(info);
            }
        }));
        PanicCapture {
            previous: Some(previous),
        }
    }
}

impl Drop for PanicCapture {
    fn drop(&mut self) {
        // A panicking thread cannot change the hook; this one forwards what it does not capture.
        if std::thread::panicking() {
            return;
        }
        drop(panic::take_hook());
        let previous = self.previous.take().expect("restored once");
        match Arc::try_unwrap(previous) {
            Ok(previous) => panic::set_hook(previous),
            Err(previous) => panic::set_hook(Box::new(move |info| previous(info))),
        }
    }
}

/// The message of the panic `f` raises.
fn panic_message(f: impl FnOnce()) -> String {
    PANICS.with(|panics| *panics.borrow_mut() = Some(String::new()));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    let message = PANICS.with(|panics| panics.borrow_mut().take());
    assert!(result.is_err(), "the closure panics");
    message.expect("the hook captured the message")
}

#[test]
fn panic_messages_leak_nothing() {
    let hook = PanicCapture::install();
    hunt(
        (roster(), member(), member()),
        |(roster_spec, left, right)| {
            let mut p = Planter::default();
            let roster = roster_spec.build(&mut p);
            let roster_safes = p.safes.len();
            let left = left.build(&mut p, "left");
            let right = right.build(&mut p, "right");
            let hidden = Hidden::all(&p.plants);

            // `black_box`: a `Result` the code does not know the variant of, as in real code.
            let unwrap = panic_message(|| black_box(Err::<(), _>(&roster)).unwrap());
            check(
                "unwrap of an Err",
                &unwrap,
                &hidden,
                &p.safes[..roster_safes],
            )?;
            let unwrap_err = panic_message(|| black_box(Ok::<_, ()>(&left)).unwrap_err());
            no_leak("unwrap_err of an Ok", &unwrap_err, &hidden)?;
            let assert = panic_message(|| assert_eq!(left, right, "members differ"));
            check("assert_eq!", &assert, &hidden, &p.safes[roster_safes..])
        },
    );
    drop(hook);
}

// =============================================================================================
// Point 2: the partial strategies on arbitrary strings.

/// `Debug` and the JSON string of a value.
fn outputs<T: fmt::Debug + serde::Serialize>(value: &T) -> (String, String) {
    (
        format!("{value:?}"),
        serde_json::to_string(value).expect("serializes"),
    )
}

macro_rules! partial_strategies {
    ($($n:tt)*) => {
        /// A value in a field redacted with `last(n)`, for `n` in `1..=64`.
        fn last(n: usize, value: &str) -> (String, String) {
            match n {
                $($n => {
                    #[derive(Privacy)]
                    struct S<'a>(#[pii(phone, redact = last($n))] &'a str);
                    outputs(&S(value))
                })*
                _ => unreachable!("n is in 1..=64"),
            }
        }

        /// A value in a field redacted with `first(n)`, for `n` in `1..=64`.
        fn first(n: usize, value: &str) -> (String, String) {
            match n {
                $($n => {
                    #[derive(Privacy)]
                    struct S<'a>(#[pii(phone, redact = first($n))] &'a str);
                    outputs(&S(value))
                })*
                _ => unreachable!("n is in 1..=64"),
            }
        }
    };
}

partial_strategies!(
    1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32
    33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51 52 53 54 55 56 57 58 59 60 61 62
    63 64
);

fn email(value: &str) -> (String, String) {
    #[derive(Privacy)]
    struct S<'a>(#[pii(email, redact = email)] &'a str);
    outputs(&S(value))
}

fn ip_prefix(value: &str) -> (String, String) {
    #[derive(Privacy)]
    struct S<'a>(#[pii(ip, redact = ip_prefix)] &'a str);
    outputs(&S(value))
}

/// Reads back a string as `Debug` writes one, quotes included; `None` if it is not one.
fn unescape(quoted: &str) -> Option<String> {
    let inner = quoted.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return None,
            '\\' => out.push(match chars.next()? {
                'n' => '\n',
                'r' => '\r',
                't' => '\t',
                '0' => '\0',
                c @ ('\\' | '"' | '\'') => c,
                'u' => {
                    let hex: String = chars.by_ref().skip(1).take_while(|&c| c != '}').collect();
                    char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?
                }
                _ => return None,
            }),
            c => out.push(c),
        }
    }
    Some(out)
}

/// The part of `debug` (`S(<pii:phone …"xy">)`) between `open` and `close`, unescaped, or
/// `None` when it is the plain placeholder `hidden`.
fn shown_part(
    debug: &str,
    open: &str,
    close: &str,
    hidden: &str,
) -> Result<Option<String>, TestCaseError> {
    let inner = debug
        .strip_prefix("S(")
        .and_then(|rest| rest.strip_suffix(')'))
        .ok_or_else(|| TestCaseError::fail(format!("not a tuple struct: {debug}")))?;
    if inner == hidden {
        return Ok(None);
    }
    let quoted = inner
        .strip_prefix(open)
        .and_then(|rest| rest.strip_suffix(close))
        .ok_or_else(|| TestCaseError::fail(format!("unexpected shape: {debug}")))?;
    unescape(quoted)
        .map(Some)
        .ok_or_else(|| TestCaseError::fail(format!("not a Debug-escaped string: {debug}")))
}

/// Arbitrary strings: any characters (control characters and every plane included), short
/// ones (where the half rule bites), a few KB long, hostile pieces, e-mail and address shapes.
fn arbitrary_text() -> impl Strategy<Value = String> {
    let address = prop_oneof![
        any::<Ipv4Addr>().prop_map(|ip| ip.to_string()),
        any::<Ipv6Addr>().prop_map(|ip| ip.to_string()),
        any::<[u8; 3]>().prop_map(|[a, b, c]| format!("{a}.{b}.{c}.0")),
        (any::<Ipv4Addr>(), any::<u16>()).prop_map(|(ip, port)| format!("{ip}:{port}")),
        (any::<Ipv6Addr>(), any::<u16>()).prop_map(|(ip, port)| format!("[{ip}]:{port}")),
    ];
    prop_oneof![
        4 => vec(any::<char>(), 0..8).prop_map(String::from_iter),
        4 => vec(any::<char>(), 0..200).prop_map(String::from_iter),
        1 => vec(any::<char>(), 1000..3000).prop_map(String::from_iter),
        3 => vec(fragment(), 0..12).prop_map(|pieces| pieces.concat()),
        2 => (hostile(), hostile()).prop_map(|(local, domain)| format!("{local}@{domain}")),
        // Whitespace around an address, which is still one.
        2 => (select(&[" ", "\t", "\n", " \u{3000}"][..]), address.clone(), any::<bool>())
            .prop_map(|(space, address, padded)| {
                if padded { format!("{space}{address}{space}") } else { address }
            }),
        // Text around an address, which makes it none.
        1 => (fragment(), address, fragment())
            .prop_map(|(before, address, after)| format!("{before}{address}{after}")),
        1 => any::<String>(),
    ]
}

/// Checks what a partial strategy showed of `value`: exactly the expected part, escaped as
/// `Debug` escapes a `str`, in `Debug` and in JSON; at most `limit` characters; never the whole
/// value.
fn check_partial(
    what: &str,
    value: &str,
    (debug, json): &(String, String),
    expected: &str,
    shown: Option<String>,
    limit: usize,
) -> Result<(), TestCaseError> {
    if debug != expected {
        return fail(format!(
            "{what} of {value:?}: expected {expected}, got {debug}"
        ));
    }
    let inner = debug.strip_prefix("S(").and_then(|d| d.strip_suffix(')'));
    if serde_json::from_str::<String>(json).ok().as_deref() != inner {
        return fail(format!(
            "{what} of {value:?}: JSON {json} is not Debug's {debug}"
        ));
    }
    if let Some(shown) = shown {
        let count = shown.chars().count();
        if count > limit || shown == value || count >= value.chars().count() {
            return fail(format!(
                "{what} of {value:?} shows {count} characters, {shown:?}, of {}: {debug}",
                value.chars().count()
            ));
        }
    }
    Ok(())
}

#[test]
fn partial_strategies_show_only_their_part_of_any_string() {
    hunt((arbitrary_text(), 1..=64usize), |(value, n)| {
        let total = value.chars().count();
        let limit = partial_take(n, total);

        let expected = |shown: &str, last: bool| match (shown.is_empty(), last) {
            (true, _) => "S(<pii:phone>)".to_owned(),
            (false, true) => format!("S(<pii:phone …{shown:?}>)"),
            (false, false) => format!("S(<pii:phone {shown:?}…>)"),
        };
        let out = last(n, &value);
        let shown = shown_part(&out.0, "<pii:phone …", ">", "<pii:phone>")?;
        check_partial(
            &format!("last({n})"),
            &value,
            &out,
            &expected(last_shown(&value, n), true),
            shown,
            limit,
        )?;
        let out = first(n, &value);
        let shown = shown_part(&out.0, "<pii:phone ", "…>", "<pii:phone>")?;
        check_partial(
            &format!("first({n})"),
            &value,
            &out,
            &expected(first_shown(&value, n), false),
            shown,
            limit,
        )?;

        let out = email(&value);
        let domain = email_shown(&value);
        let expected = domain.map_or_else(
            || "S(<pii:email>)".to_owned(),
            |domain| format!("S(<pii:email …@{domain:?}>)"),
        );
        let shown = shown_part(&out.0, "<pii:email …@", ">", "<pii:email>")?;
        if shown.as_deref().is_some_and(|shown| shown.contains('@')) {
            return fail(format!("email of {value:?} shows an `@`: {}", out.0));
        }
        check_partial(
            "email",
            &value,
            &out,
            &expected,
            shown,
            total.saturating_sub(2),
        )?;

        let out = ip_prefix(&value);
        let address = address_in(&value);
        let expected = address.map_or_else(
            || "S(<pii:ip>)".to_owned(),
            |ip| format!("S(<pii:ip {}>)", network_text(ip)),
        );
        check_partial("ip_prefix", &value, &out, &expected, None, 0)?;
        // The network is shown, the same for every address in it; the value itself only when it
        // is the network's own address, whose text the network's is.
        if let Some(ip) = address {
            if network(ip).0 != ip && out.0.contains(value.trim()) {
                return fail(format!("ip_prefix of {value:?} shows it whole: {}", out.0));
            }
        }
        Ok(())
    });
}
