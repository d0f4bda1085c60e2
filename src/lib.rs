//! Personal data that cannot leak by accident.
//!
//! Annotate every field of a domain type once, as PII (it identifies a person), OII (it
//! identifies an organization) or safe. `#[derive(Privacy)]` turns that annotation into a
//! `Debug` that redacts, and a static [`Schema`] that says what the type holds. A field
//! nobody classified is a compile error.
//!
//! ```
//! use privacy::{Pii, Privacy};
//!
//! #[derive(Privacy)]
//! struct Member {
//!     #[safe]
//!     #[privacy(subject)]
//!     id: u64,
//!     #[pii(name)]
//!     display_name: String,
//!     #[pii(phone, redact = last(4))]
//!     phone: String,
//!     #[oii(org_name)]
//!     org: String,
//!     #[pii(ip, redact = ip_prefix)]
//!     last_ip: std::net::IpAddr,
//!     nickname: Option<Pii<String>>, // wrappers classify themselves
//! }
//!
//! let member = Member {
//!     id: 7,
//!     display_name: "Alice Example".into(),
//!     phone: "+44 20 7946 0958".into(),
//!     org: "Contoso Health".into(),
//!     last_ip: "203.0.113.7".parse().unwrap(),
//!     nickname: Some(Pii::new("Ali".into())),
//! };
//!
//! assert_eq!(
//!     format!("{member:?}"),
//!     r#"Member { id: 7, display_name: <pii:name>, phone: <pii:phone …"0958">, org: <oii:org_name>, last_ip: <pii:ip 203.0.113.0/24>, nickname: Some(<pii>) }"#,
//! );
//! ```
//!
//! Because `Debug` is redacted, everything built on it is too: `{:?}` and `{:#?}`, `dbg!`,
//! panic messages of `unwrap` and `assert_eq!`, and `tracing::info!(member = ?member)`.
//!
//! # Classifying fields
//!
//! Every field carries exactly one of:
//!
//! | attribute | meaning |
//! |---|---|
//! | `#[safe]` | identifies nobody; printed with its own `Debug` |
//! | `#[pii]`, `#[pii(KIND, ...)]` | identifies a person |
//! | `#[oii]`, `#[oii(KIND, ...)]` | identifies an organization |
//! | (none) | the field's type classifies itself: it derives `Privacy`, or is a [`Pii`]/[`Oii`] wrapper, or a standard container of those (`Option`, `Vec`, `Box`, `Rc`, `Arc`, `Cow`, references, slices, arrays, tuples, maps and sets) |
//!
//! A field with no attribute whose type does not classify itself does not compile:
//!
//! ```compile_fail
//! #[derive(privacy::Privacy)]
//! struct Member {
//!     phone: String, // error: field `phone` is not classified, and its type `String` does not classify itself
//! }
//! ```
//!
//! ## Kinds
//!
//! The kind names what a value is, in placeholders and in the schema.
//!
//! - PII: `name`, `phone`, `email`, `ip`, `address`, `location`, `message`, `birthdate`,
//!   `government_id`, `payment_card`, `device_id`, `account_id`.
//! - OII: `org_name`, `tenant_id`, `domain`.
//! - Your own: `#[pii(custom = "badge_number")]`.
//!
//! An unknown kind is a compile error that suggests the nearest known one; a PII kind under
//! `#[oii]` (or the reverse) is one too.
//!
//! ## Strategies
//!
//! `redact = ...` chooses what a classified field shows. Partial strategies count characters,
//! not bytes, escape what they show the way `Debug` escapes a `str`, and never show more than
//! half of a value, so a short value is never shown whole (it falls back to the placeholder).
//!
//! | strategy | `Debug` output | accepts |
//! |---|---|---|
//! | `hide` (default) | `<pii:phone>`: no length, no shape, not even whether an `Option` holds a value | any type, without a `Debug` bound |
//! | `last(N)` | `<pii:phone …"0958">` | [`strategy::Text`]: strings, numbers, `char`, addresses |
//! | `first(N)` | `<pii:name "Al"…>` | [`strategy::Text`] |
//! | `email` | `<pii:email …@"example.com">` | [`strategy::Text`] |
//! | `ip_prefix` | `<pii:ip 203.0.113.0/24>` (IPv6: `/48`) | IP and socket addresses, strings holding one |
//! | `hash` | `<pii:email #k2026:4f2a9c01d3b7e655>` | [`strategy::Text`] |
//! | `with = path` | `<pii:phone ` + what `path(&value, f)` writes + `>` | what the function takes |
//! | `skip` | left out; the type's output ends in `..` | any type |
//!
//! A strategy on a type it cannot read is a compile error naming the strategy. `hash` is a keyed
//! HMAC-SHA256 pseudonym: see [`pseudonym`] for installing the key.
//!
//! ```
//! use privacy::Privacy;
//!
//! fn initials(name: &str, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
//!     let initials: String = name.split_whitespace().filter_map(|w| w.chars().next()).collect();
//!     write!(f, "{} words", initials.chars().count())
//! }
//!
//! #[derive(Privacy)]
//! struct Signup {
//!     #[pii(name, with = initials)]
//!     name: String,
//!     #[pii(email, redact = email)]
//!     email: String,
//!     #[pii(redact = skip)]
//!     password: String,
//! }
//!
//! let signup = Signup {
//!     name: "Alice Example".into(),
//!     email: "alice@example.com".into(),
//!     password: "hunter2".into(),
//! };
//! assert_eq!(
//!     format!("{signup:?}"),
//!     r#"Signup { name: <pii:name 2 words>, email: <pii:email …@"example.com">, .. }"#,
//! );
//! ```
//!
//! ## Options
//!
//! - `purposes(P, ...)` in `#[pii(...)]`/`#[oii(...)]`: the only purposes consent may ever
//!   reveal the field for. The built-in ones ([`purpose::Diagnostics`], [`purpose::Support`],
//!   [`purpose::ProductImprovement`], [`purpose::Personalization`], [`purpose::Analytics`]) can
//!   be named bare; your own are types implementing [`Purpose`].
//! - `#[privacy(subject)]` on a field: it names the person the value is about, read from the
//!   raw value through [`SubjectKey`] (never `Display`); `#[privacy(subject = "device")]` puts
//!   the ids in a namespace of their own, so that device 7 is not member 7 ([`SubjectId`]).
//! - `#[privacy(keys = safe)]` on a `HashMap` or `BTreeMap` field whose values classify
//!   themselves: the keys are shown as they are. Without it a map's keys must classify
//!   themselves, and are written apart in every output (`<pii>#1`, `<pii>#2`).
//! - `#[privacy(crate = "path")]` on the type: where this crate is, if you renamed it.
//! - `#[privacy(bound = "T: Trait, ...")]` on the type: the where-clause predicates of the
//!   generated impls, replacing the inferred ones.
//!
//! # Shapes
//!
//! Structs with named fields, tuple structs, unit structs and enums (unit variants print their
//! name) are supported, with lifetimes, raw identifiers and generics. Bounds are inferred only
//! for fields whose type uses a type parameter, and only for what the output of that field
//! needs: a hidden `T` needs nothing, a safe `T` needs `Debug`. A field without an attribute
//! classifies itself whatever the parameters are: every generated impl requires it, whatever
//! bounds are inferred or written, so `Envelope<String>` of `struct Envelope<T> { inner: T }`
//! has no `Debug`, and using it is a compile error that names the field.
//!
//! ```
//! use privacy::Privacy;
//!
//! #[derive(Privacy)]
//! enum Contact<T> {
//!     Phone(#[pii(phone, redact = last(2))] String),
//!     Secret(#[pii] T), // T needs no Debug
//!     Unknown,
//! }
//!
//! struct NoDebug;
//! assert_eq!(format!("{:?}", Contact::<NoDebug>::Secret(NoDebug)), "Secret(<pii>)");
//! assert_eq!(format!("{:?}", Contact::<NoDebug>::Phone("5550134".into())), r#"Phone(<pii:phone …"34">)"#);
//! assert_eq!(format!("{:?}", Contact::<NoDebug>::Unknown), "Unknown");
//! ```
//!
//! # The schema
//!
//! [`Classified::SCHEMA`] describes the type at compile time: every field's name, [`Class`],
//! [`Kind`], [`Strategy`], purposes and subject flag, and whether the type carries PII or OII,
//! through its own fields or the types it contains.
//!
//! # Revealing with consent
//!
//! Nothing shows a classified value in the clear except a view made with a [`Permit`]:
//! [`Reveal::reveal`] returns a view whose `Debug`, `Serialize` and (for wrappers) `Display`
//! show what the permit allows. A [`Consent<P>`](Consent) comes only from a
//! [`ConsentStore`](consent::ConsentStore) and shows its subject's fields whose `purposes(...)`
//! include `P` (a field that names no purpose is never revealed by a consent: purposes fail
//! closed); a [`Disclosure`] shows named kinds or fields of anyone's values, for a stated
//! reason, a field named by [`field!`](crate::field!) (checked at compile time: exactly one field
//! of one type, or a path to one). Every revealing write first hands one record to the
//! [`audit`] sink (a tracing event on target `privacy::audit` by default), and writes raw
//! values only once the sink has accepted it; otherwise it writes the redacted text.
//!
//! ```
//! use privacy::consent::{ConsentStore, Evidence, MemoryConsentStore};
//! use privacy::purpose::Support;
//! use privacy::{Disclosure, Kind, Privacy, Reveal, SubjectId};
//!
//! #[derive(Privacy)]
//! struct Member {
//!     #[safe]
//!     #[privacy(subject)]
//!     id: u64,
//!     #[pii(phone, redact = last(4), purposes(Support))]
//!     phone: String,
//! }
//!
//! // A view shows a raw value only once the audit sink has accepted its record; here, the
//! // sink keeps records in memory (see [`audit`] for the tracing sink and the ledger).
//! privacy::audit::install(privacy::audit::MemorySink::new()).expect("the first audit sink");
//! let member = Member { id: 7, phone: "+44 20 7946 0958".into() };
//! let store = MemoryConsentStore::new(); // `SqliteConsentStore::open(path)` keeps it on disk
//! let alice = SubjectId::from("7");
//! store.grant(&alice, Support, Evidence::new("help chat consent button v3"))?;
//! let consent = store.consent::<Support>(&alice)?;
//! assert_eq!(format!("{:?}", member.reveal(&consent)), r#"Member { id: 7, phone: "+44 20 7946 0958" }"#);
//!
//! let rule = Disclosure::of([Kind::Phone]).because("the viewer has this member in their phone book");
//! assert_eq!(format!("{:?}", member.reveal(&rule)), r#"Member { id: 7, phone: "+44 20 7946 0958" }"#);
//! # Ok::<(), privacy::consent::ConsentError>(())
//! ```
//!
//! Some rules depend on who is looking: [`audience`] narrows a disclosure to one viewer and the
//! subjects a rule admits, for the phone-book rule (a member's number is shown to a viewer who
//! already has it in their contacts).
//!
//! # Telemetry
//!
//! A `#[privacy(telemetry)]` type is a telemetry event: each PII or OII field must name the
//! `purposes(...)` consent may send it for, or the type does not compile.
//! [`telemetry::emit`] sends safe fields only, as structured tracing fields on target
//! `telemetry`; [`telemetry::emit_with`] adds the fields a consent covers, and audits them. See
//! [`telemetry`].
//!
//! # Logging safely with tracing
//!
//! A tracing field recorded with `?` uses `Debug`, so logging a classified value is safe by
//! construction: `tracing::info!(member = ?member)` records the redacted text, with the text and
//! the JSON formatters of `tracing_subscriber` alike. A `Pii<T>` or `Oii<T>` is redacted with `%`
//! too. What tracing would record in the clear is what you pass it that is not classified: a
//! `String` you read out of a field with `expose()`, for example.
//!
//! ```
//! use privacy::{Pii, Privacy};
//!
//! #[derive(Privacy)]
//! struct Member {
//!     #[safe]
//!     id: u64,
//!     #[pii(phone, redact = last(4))]
//!     phone: String,
//! }
//!
//! let member = Member { id: 7, phone: "+44 20 7946 0958".into() };
//! let invitee = Pii::new("+44 20 7946 0321");
//! // Recorded: member=Member { id: 7, phone: <pii:phone …"0958"> } invitee=<pii>
//! tracing::info!(member = ?member, invitee = %invitee, "invited");
//! ```
//!
//! ## Instrumenting functions
//!
//! `#[privacy::instrument]` is `tracing::instrument` for functions that take personal data.
//! Parameters carry the field attributes; each is recorded in the span as its classification
//! says, and a parameter without one must have a type that classifies itself:
//!
//! ```
//! use privacy::{Pii, Privacy};
//!
//! #[derive(Privacy)]
//! struct Receipt {
//!     #[safe]
//!     id: u64,
//!     #[pii(email, redact = email)]
//!     sent_to: String,
//! }
//!
//! #[derive(Privacy)]
//! enum SignupError {
//!     Taken(#[pii(email)] String),
//! }
//!
//! #[privacy::instrument(level = "debug", ret, err)]
//! fn sign_up(
//!     #[safe] group: u32,
//!     #[pii(phone, redact = last(4))] phone: &str,
//!     #[pii(email, redact = email)] email: String,
//!     nickname: Option<Pii<String>>,
//! ) -> Result<Receipt, SignupError> {
//!     // span: sign_up{group=7 phone=<pii:phone …"0958"> email=<pii:email …@"example.com"> nickname=None}
//!     let _ = (phone, nickname);
//!     Ok(Receipt { id: 1, sent_to: email })
//!     // event: return=Receipt { id: 1, sent_to: <pii:email …@"example.com"> }
//! }
//!
//! let receipt = sign_up(7, "+44 20 7946 0958", "alice@example.com".into(), None);
//! assert!(receipt.is_ok());
//! ```
//!
//! - `self` is recorded (redacted) when its type classifies itself, and left out otherwise.
//! - `#[pii]` and `#[oii]` parameters use their strategy; `hash` pseudonyms are separated per
//!   parameter (`sign_up.email`). `#[safe]` parameters are recorded as tracing would record them.
//! - tracing's arguments work as in tracing: `level`, `name`, `target`, `parent`,
//!   `follows_from`, `skip(...)` (skipped parameters need no classification), `skip_all`,
//!   `fields(...)` (recorded as written: an entry may read `#[safe]` parameters only, and record
//!   a parameter without an attribute whole with `?name`; reading any other parameter or `self`
//!   is a compile error), `ret` and `err`.
//! - `ret` and `err` record the value and the error with their redacted `Debug`, and need types
//!   that classify themselves: `ret` on a function returning a plain `String` is a compile error
//!   that says what to write instead.
//! - The expansion is a `#[tracing::instrument]`, whose code names the `tracing` crate: add
//!   `tracing = "0.1"` to the dependencies of the crate that uses the attribute. If `privacy` is
//!   renamed, say where it is with `#[renamed::instrument(crate = "renamed")]`.
//!
//! # Structured values: the `valuable` feature
//!
//! With the `valuable` feature, `#[derive(Privacy)]` also implements `valuable::Valuable`, redacted
//! as `Debug` is: a struct is a `Structable` and an enum an `Enumerable`, with the real names of
//! their fields and variants (`redact = skip` fields are left out); a safe field is its own
//! typed value (its `Debug` text if its type has no `Valuable`), a nested type its own
//! `Valuable`, and a classified field the string its `Debug` shows. [`Pii`] and [`Oii`] are the
//! strings `"<pii>"` and `"<oii>"`. Visiting allocates nothing for the usual redacted texts.
//! This is what `tracing::field::valuable(&member)` records as a structured value, where
//! tracing's unstable `valuable` support is built (`--cfg tracing_unstable`).
//!
//! ```
//! # #[cfg(feature = "valuable")] {
//! use privacy::Privacy;
//! use valuable::{NamedValues, Valuable, Value, Visit};
//!
//! #[derive(Privacy)]
//! struct Member {
//!     #[safe]
//!     id: u64,
//!     #[pii(phone, redact = last(4))]
//!     phone: String,
//!     #[pii(redact = skip)]
//!     password: String,
//! }
//!
//! struct Fields(Vec<String>);
//!
//! impl Visit for Fields {
//!     fn visit_value(&mut self, _: Value<'_>) {}
//!
//!     fn visit_named_fields(&mut self, fields: &NamedValues<'_>) {
//!         for (field, value) in fields {
//!             self.0.push(format!("{} = {value:?}", field.name()));
//!         }
//!     }
//! }
//!
//! let member = Member { id: 7, phone: "+44 20 7946 0958".into(), password: "hunter2".into() };
//! let mut fields = Fields(Vec::new());
//! member.visit(&mut fields);
//! assert_eq!(fields.0, ["id = 7", r#"phone = "<pii:phone …\"0958\">""#]);
//! # }
//! ```

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub use privacy_core::audience;
pub use privacy_core::audit;
#[cfg(feature = "testing")]
pub use privacy_core::testing;
pub use privacy_core::{
    consent, inventory, pseudonym, purpose, schema_of, strategy, telemetry, Class, Classified,
    Consent, Disclosure, DisclosureDraft, Field, FieldPath, FieldRef, Kind, Location, Oii, Permit,
    PermitAudit, Pii, Purpose, Reveal, Revealed, Schema, SchemaFn, Shape, Step, Strategy,
    SubjectId, SubjectKey, Target, TypeIdentity, Variant,
};
#[cfg(feature = "tracing")]
pub use privacy_derive::instrument;
pub use privacy_derive::Privacy;

/// A safety net for log output: formatters for `tracing_subscriber::fmt` that replace e-mail
/// addresses, phone numbers, IP addresses and card numbers that no annotation caught, and count
/// them. See [`Scrubber`](tracing::Scrubber).
#[cfg(feature = "scrub")]
pub mod tracing {
    pub use privacy_core::scrub::*;
}

#[doc(hidden)]
pub use privacy_core::__private;
#[doc(hidden)]
pub use privacy_derive::__field;

/// Names one field of one type, for a [`Disclosure`] to reveal: `field!(Member.phone)`, or a
/// path through nested fields, `field!(Team.members.phone)`, which names the field only where
/// the value is reached through them. In an enum, name the variant, then its field:
/// `field!(Event.Renamed.to)`; a generic type by its instance: `field!(Envelope<Pii<String>>.inner)`.
///
/// It is checked at compile time: a name that is not a field of its type (with the nearest one
/// suggested), a `#[safe]` or `redact = skip` field, a step through a field classified by its
/// attribute, and a path that ends at a nested type are compile errors. See [`FieldPath`].
///
/// ```
/// use privacy::{Disclosure, Privacy, Reveal};
///
/// #[derive(Privacy)]
/// struct Member {
///     #[pii(name)]
///     display_name: String,
///     #[pii(phone)]
///     phone: String,
/// }
///
/// # privacy::audit::install(privacy::audit::MemorySink::new()).unwrap();
/// let member = Member { display_name: "Alice".into(), phone: "+44 20 7946 0958".into() };
/// let profile = Disclosure::of([privacy::field!(Member.display_name)])
///     .because("shown on the member's own profile");
/// assert_eq!(
///     format!("{:?}", member.reveal(&profile)),
///     r#"Member { display_name: "Alice", phone: <pii:phone> }"#,
/// );
/// ```
///
/// ```compile_fail
/// # use privacy::Privacy;
/// # #[derive(Privacy)]
/// # struct Member { #[pii(phone)] phone: String }
/// let typo = privacy::field!(Member.phnoe); // `Member` has no field `phnoe`; did you mean `phone`?
/// ```
#[macro_export]
macro_rules! field {
    ($($path:tt)*) => {
        $crate::__field!($crate; $($path)*)
    };
}

/// The examples of the README, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
