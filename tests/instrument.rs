//! `#[privacy::instrument]` through a real `tracing_subscriber::fmt` subscriber, with its text
//! and its JSON formatter: unique markers planted in every classified parameter, return value
//! and error never reach the output (nor any six characters of one), while safe values do, and
//! each strategy shows what it promises.

#![deny(warnings, unused_qualifications)]
// Like std's derive, the redacted `Debug` does not count as reading a field.
#![allow(dead_code)]

#[path = "fixture/capture.rs"]
mod capture;
#[path = "fixture/leak_check.rs"]
mod leak_check;

use std::fmt;
use std::net::IpAddr;

use capture::{captured_with, Detail, Format};
use privacy::{Oii, Pii, Privacy};
use serde_json::Value;

/// Markers: upper-case letters and digits, so that no window of one occurs by chance in output
/// made of names, placeholders and safe values.
mod marker {
    pub const PHONE: &str = "QZPHONEX8R3T0958";
    pub const NAME: &str = "QZNAMEX7K2P9W4";
    pub const EMAIL_LOCAL: &str = "QZMAILX5V1N6";
    pub const EMAIL: &str = "QZMAILX5V1N6@mail.example";
    pub const HASHED: &str = "QZHASHX4A9S2";
    pub const NOTE: &str = "QZNOTEX2H8J4L of three";
    pub const ORG: &str = "QZORGX9D3F7G";
    pub const PASSWORD: &str = "QZPASSX3W9E5";
    pub const NICK: &str = "QZNICKX1B5C3";
    pub const TAG: &str = "QZTAGX6M2Q8";
    pub const CONTACT: &str = "QZCONTACTX7U4I2";
    pub const RETURNED: &str = "QZRETX8O1P6";
    pub const ERROR: &str = "QZERRX5Z7X3";
    pub const SKIPPED: &str = "QZSKIPX2C8V6";
    pub const TOKEN: &str = "QZTOKENX4S6Y1";
    pub const OWNER: &str = "QZOWNERX9K3M7";
    pub const IP: &str = "203.0.113.77";
    pub const ALL: &[&str] = &[
        PHONE,
        NAME,
        EMAIL_LOCAL,
        HASHED,
        NOTE,
        ORG,
        PASSWORD,
        NICK,
        TAG,
        CONTACT,
        RETURNED,
        ERROR,
        SKIPPED,
        TOKEN,
        OWNER,
    ];
}

/// Safe values, which must appear.
mod safe {
    pub const GROUP: u32 = 5_647_382;
    pub const RECEIPT: u64 = 918_273_645;
    pub const LABEL: &str = "safe-label-visible";
}

// ---------------------------------------------------------------------------------------------
// Capturing what the subscriber writes.

/// What the text formatter and the JSON formatter write while `run` runs, at every level and
/// with an event for each new span so that every span's fields are written even if nothing logs
/// inside it.
struct Output {
    text: String,
    json: Vec<Value>,
}

const DETAIL: Detail = Detail {
    all_levels: true,
    new_spans: true,
    without_time: true,
};

fn capture(run: impl Fn()) -> Output {
    let output = Output {
        text: captured_with(Format::Text, DETAIL, &run),
        json: captured_with(Format::Json, DETAIL, &run)
            .lines()
            .map(|line| serde_json::from_str(line).expect("each JSON line parses"))
            .collect(),
    };
    output.assert_no_leak();
    output
}

impl Output {
    /// No marker, nor any six characters of one, and not the raw IP address, in either output.
    fn assert_no_leak(&self) {
        let json = self
            .json
            .iter()
            .map(Value::to_string)
            .collect::<Vec<_>>()
            .join("\n");
        for output in [&self.text, &json] {
            leak_check::assert_no_leak(output, marker::ALL, marker::IP, &[]);
        }
    }

    fn assert_text_shows(&self, expected: &[&str]) {
        for expected in expected {
            assert!(
                self.text.contains(expected),
                "{expected:?} is missing from:\n{}",
                self.text
            );
        }
    }

    /// The fields of the span `name` as the JSON formatter writes it when the span opens.
    fn json_span(&self, name: &str) -> &serde_json::Map<String, Value> {
        self.json
            .iter()
            .filter(|line| line["fields"]["message"] == "new")
            .map(|line| &line["span"])
            .find(|span| span["name"] == name)
            .and_then(Value::as_object)
            .unwrap_or_else(|| panic!("no JSON line opens span {name}: {:#?}", self.json))
    }

    /// The fields of the first JSON event that has field `key`.
    fn json_event(&self, key: &str) -> &serde_json::Map<String, Value> {
        self.json
            .iter()
            .filter_map(|line| line["fields"].as_object())
            .find(|fields| fields.contains_key(key))
            .unwrap_or_else(|| panic!("no JSON event has field {key}: {:#?}", self.json))
    }
}

// ---------------------------------------------------------------------------------------------
// The instrumented code.

#[derive(Privacy)]
struct Contact {
    #[safe]
    label: &'static str,
    #[pii(phone, redact = last(2))]
    phone: String,
}

#[derive(Privacy)]
struct Receipt {
    #[safe]
    id: u64,
    #[pii(email, redact = email)]
    sent_to: String,
}

#[derive(Privacy)]
enum LookupError {
    Unknown(#[pii(phone)] String),
    Blocked {
        #[safe]
        group: u32,
    },
}

fn word_count(note: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    write!(f, "{} words", note.split_whitespace().count())
}

fn receipt() -> Receipt {
    Receipt {
        id: safe::RECEIPT,
        sent_to: format!("{}@mail.example", marker::RETURNED),
    }
}

#[privacy::instrument(ret)]
#[allow(clippy::too_many_arguments, clippy::needless_pass_by_value)]
fn register(
    #[safe] group: u32,
    #[pii(phone, redact = last(4))] phone: &str,
    #[pii(name, redact = first(2))] name: String,
    #[pii(email, redact = email)] email: String,
    #[pii(ip, redact = ip_prefix)] ip: IpAddr,
    #[pii(email, redact = hash)] backup_email: String,
    #[pii(message, with = word_count)] note: String,
    #[oii(org_name)] org: String,
    #[pii(redact = skip)] password: String,
    nickname: Pii<String>,
    contact: Contact,
    tags: Vec<Oii<String>>,
) -> Receipt {
    drop((password, org));
    receipt()
}

#[test]
fn parameters_are_recorded_redacted_by_their_strategy() {
    let output = capture(|| {
        register(
            safe::GROUP,
            marker::PHONE,
            marker::NAME.into(),
            marker::EMAIL.into(),
            marker::IP.parse().unwrap(),
            marker::HASHED.into(),
            marker::NOTE.into(),
            marker::ORG.into(),
            marker::PASSWORD.into(),
            Pii::new(marker::NICK.into()),
            Contact {
                label: safe::LABEL,
                phone: marker::CONTACT.into(),
            },
            vec![Oii::new(marker::TAG.into())],
        );
    });
    output.assert_text_shows(&[
        "register{group=5647382 ",
        r#" phone=<pii:phone …"0958"> "#,
        r#" name=<pii:name "QZ"…> "#,
        r#" email=<pii:email …@"mail.example"> "#,
        " ip=<pii:ip 203.0.113.0/24> ",
        " backup_email=<pii:email #",
        " note=<pii:message 3 words> ",
        " org=<oii:org_name> ",
        " nickname=<pii> ",
        r#" contact=Contact { label: "safe-label-visible", phone: <pii:phone …"I2"> } "#,
        " tags=[<oii>]}",
        r#"return=Receipt { id: 918273645, sent_to: <pii:email …@"mail.example"> }"#,
    ]);
    assert!(!output.text.contains("password"), "{}", output.text);

    let span = output.json_span("register");
    assert_eq!(span["group"], 5_647_382);
    assert_eq!(span["phone"], r#"<pii:phone …"0958">"#);
    assert_eq!(span["ip"], "<pii:ip 203.0.113.0/24>");
    assert_eq!(span["org"], "<oii:org_name>");
    assert_eq!(span["tags"], "[<oii>]");
    assert!(!span.contains_key("password"));
    let event = output.json_event("return");
    assert_eq!(
        event["return"],
        r#"Receipt { id: 918273645, sent_to: <pii:email …@"mail.example"> }"#
    );
}

#[test]
fn hash_pseudonyms_are_separated_per_function_and_parameter() {
    #[privacy::instrument]
    #[allow(clippy::needless_pass_by_value)]
    fn both(
        #[pii(email, redact = hash)] first: String,
        #[pii(email, redact = hash)] second: String,
    ) {
    }

    let output = capture(|| both(marker::HASHED.into(), marker::HASHED.into()));
    let span = output.json_span("both");
    let (first, second) = (
        span["first"].as_str().unwrap(),
        span["second"].as_str().unwrap(),
    );
    assert!(first.starts_with("<pii:email #"), "{first}");
    assert_ne!(
        first, second,
        "equal values in different parameters must not correlate"
    );
}

#[privacy::instrument(ret, err)]
fn lookup(#[safe] group: u32, #[pii(phone)] phone: String) -> Result<Receipt, LookupError> {
    if group == 0 {
        Err(LookupError::Unknown(phone))
    } else {
        Ok(receipt())
    }
}

#[test]
fn ret_with_err_records_the_ok_value_and_the_error_redacted() {
    let output = capture(|| {
        lookup(safe::GROUP, marker::PHONE.into()).ok();
        lookup(0, marker::ERROR.into()).ok();
    });
    output.assert_text_shows(&[
        "lookup{group=5647382 phone=<pii:phone>}",
        r#"return=Receipt { id: 918273645, sent_to: <pii:email …@"mail.example"> }"#,
        "ERROR lookup{group=0 phone=<pii:phone>}: instrument: error=Unknown(<pii:phone>)",
    ]);
    assert!(!output.text.contains("return=Ok("), "{}", output.text);
    assert_eq!(output.json_event("error")["error"], "Unknown(<pii:phone>)");
}

#[privacy::instrument(ret)]
fn lookup_whole(#[safe] group: u32) -> Result<Receipt, LookupError> {
    if group == 0 {
        Err(LookupError::Blocked { group })
    } else {
        Ok(receipt())
    }
}

#[privacy::instrument(err(Display, level = "warn"))]
fn parse_phone(#[pii(phone, redact = last(2))] raw: &str) -> Result<u8, Pii<String>> {
    Err(Pii::new(format!("{raw} is not a phone number")))
}

#[test]
fn ret_without_err_records_the_whole_result_and_err_display_stays_redacted() {
    let output = capture(|| {
        lookup_whole(safe::GROUP).ok();
        lookup_whole(0).ok();
        parse_phone(marker::PHONE).ok();
    });
    output.assert_text_shows(&[
        r#"return=Ok(Receipt { id: 918273645, sent_to: <pii:email …@"mail.example"> })"#,
        "return=Err(Blocked { group: 0 })",
        r#" WARN parse_phone{raw=<pii:phone …"58">}: instrument: error=<pii>"#,
    ]);
}

#[privacy::instrument(
    skip(raw, count),
    fields(request = "req-visible", attempt = 2, group = "replaced")
)]
#[allow(clippy::needless_pass_by_value)]
fn with_skip_and_fields(
    #[safe] group: u32,
    raw: String,
    count: usize,
    #[pii(phone)] phone: String,
) {
    drop((group, raw, count, phone));
}

#[privacy::instrument(skip_all, name = "renamed_span", target = "audit", level = "debug")]
#[allow(clippy::needless_pass_by_value)]
fn with_skip_all((left, right): (String, String), #[pii] phone: String) {
    drop((left, right, phone));
}

#[test]
fn skipped_parameters_need_no_classification_and_fields_are_recorded_as_written() {
    let output = capture(|| {
        with_skip_and_fields(safe::GROUP, marker::SKIPPED.into(), 3, marker::PHONE.into());
        with_skip_all(
            (marker::SKIPPED.into(), marker::SKIPPED.into()),
            marker::PHONE.into(),
        );
    });
    output.assert_text_shows(&[
        r#"with_skip_and_fields{phone=<pii:phone> request="req-visible" attempt=2 group="replaced"}"#,
        "DEBUG renamed_span: audit: new",
    ]);
    assert!(!output.text.contains("5647382"), "{}", output.text);
    assert!(!output.text.contains("count"), "{}", output.text);
    let span = output.json_span("with_skip_and_fields");
    assert_eq!(span["group"], "replaced");
    assert_eq!(span["attempt"], 2);
}

/// A constant, which `fields(...)` may read like any name that is not a parameter.
const LIMIT: u32 = 25;

/// Every read that `fields(...)` allows: `#[safe]` parameters in any expression, names that are
/// not parameters, the whole redacted `Debug` of a parameter whose type classifies itself, and
/// format strings that name a classified parameter only as text, escaped, or as an explicit
/// argument's name.
#[privacy::instrument(fields(
    count = items.len(),
    limit = LIMIT,
    label = safe::LABEL,
    ?contact,
    alias = ?contact,
    braces = format!("{{phone}}"),
    positional = format!("{0}-{0}", group),
    named = format!("{phone}", phone = group),
    width = format!("{group:>phone$}", phone = 9),
))]
#[allow(clippy::needless_pass_by_value)]
fn allowed_reads(
    #[safe] group: u32,
    #[safe] items: Vec<u32>,
    #[pii(phone)] phone: String,
    contact: Contact,
) {
    drop((group, items, phone, contact));
}

/// What a classified parameter's value gives is recorded from the body, into a field declared
/// empty: the way the errors of `fields(...)` suggest.
#[privacy::instrument(skip_all, fields(?contact, digits))]
#[allow(clippy::needless_pass_by_value)]
fn recorded_from_the_body(#[pii(phone)] phone: String, contact: Contact) {
    tracing::Span::current().record("digits", phone.len());
    tracing::info!("inside");
}

#[test]
fn fields_read_safe_parameters_constants_and_whole_redacted_values() {
    let contact = || Contact {
        label: safe::LABEL,
        phone: marker::CONTACT.into(),
    };
    let output = capture(|| {
        allowed_reads(safe::GROUP, vec![1, 2, 3], marker::PHONE.into(), contact());
        recorded_from_the_body(marker::PHONE.into(), contact());
    });
    let shown = r#"Contact { label: "safe-label-visible", phone: <pii:phone …"I2"> }"#;
    output.assert_text_shows(&[
        &format!(
            r#"allowed_reads{{group=5647382 items=[1, 2, 3] phone=<pii:phone> count=3 limit=25 label="safe-label-visible" contact={shown} alias={shown} braces="{{phone}}" positional="5647382-5647382" named="5647382" width="  5647382"}}"#
        ),
        &format!("recorded_from_the_body{{contact={shown} digits=16}}: instrument: inside"),
    ]);
    let span = output.json_span("allowed_reads");
    assert_eq!(span["count"], 3);
    assert_eq!(span["limit"], 25);
    assert_eq!(span["alias"], shown);
    assert_eq!(span["named"], "5647382");
}

#[derive(Privacy)]
struct Account {
    #[safe]
    id: u32,
    #[pii(name)]
    owner: String,
}

impl Account {
    #[privacy::instrument(ret)]
    fn rename(&mut self, #[pii(name, redact = first(1))] owner: String) -> &Self {
        self.owner = owner;
        self
    }

    #[privacy::instrument]
    fn close(self, #[safe] reason: &'static str) -> u32 {
        self.id
    }
}

/// Its `Debug` shows the token: a receiver that does not classify itself must stay out.
#[derive(Debug)]
struct Session {
    token: String,
}

impl Session {
    #[privacy::instrument]
    fn touch(&self, #[safe] attempt: u32) -> usize {
        self.token.len()
    }
}

impl Session {
    #[privacy::instrument]
    fn rotate(#[pii(custom = "session")] &mut self, #[safe] attempt: u32) {
        self.token.push_str("-rotated");
    }
}

trait Audited {
    #[privacy::instrument]
    fn audit(&self, #[safe] attempt: u32) {}
}

impl Audited for Session {}

#[test]
fn self_is_recorded_only_when_it_classifies_itself() {
    let output = capture(|| {
        let mut account = Account {
            id: 41,
            owner: marker::OWNER.into(),
        };
        account.rename(marker::OWNER.into());
        account.close(safe::LABEL);
        let mut session = Session {
            token: marker::TOKEN.into(),
        };
        session.touch(1);
        session.audit(2);
        session.rotate(3);
    });
    output.assert_text_shows(&[
        r#"rename{self=Account { id: 41, owner: <pii:name> } owner=<pii:name "Q"…>}"#,
        "return=Account { id: 41, owner: <pii:name> }",
        r#"close{self=Account { id: 41, owner: <pii:name> } reason="safe-label-visible"}"#,
        "touch{attempt=1}",
        "audit{attempt=2}",
        "rotate{self=<pii:session> attempt=3}",
    ]);
    assert!(!output.json_span("touch").contains_key("self"));
    assert_eq!(output.json_span("close")["reason"], safe::LABEL);
}

#[privacy::instrument(ret, level = "debug")]
async fn fetch(#[pii(phone, redact = last(2))] phone: String, contact: Contact) -> Option<Contact> {
    std::future::ready(()).await;
    tracing::info!(attempt = 1, "inside");
    phone.is_empty().then_some(contact)
}

#[test]
fn async_functions_record_their_parameters_in_the_span_around_the_future() {
    let output = capture(|| {
        futures_executor::block_on(fetch(
            marker::PHONE.into(),
            Contact {
                label: safe::LABEL,
                phone: marker::CONTACT.into(),
            },
        ));
    });
    output.assert_text_shows(&[
        r#"fetch{phone=<pii:phone …"58"> contact=Contact { label: "safe-label-visible", phone: <pii:phone …"I2"> }}: instrument: inside attempt=1"#,
        "return=None",
    ]);
    assert_eq!(output.json_event("attempt")["message"], "inside");
}

#[privacy::instrument]
#[allow(clippy::needless_pass_by_value, clippy::toplevel_ref_arg)]
fn shapes<T: privacy::Classified + fmt::Debug>(
    generic: T,
    #[pii(name, redact = first(1))] r#type: String,
    #[pii(phone, redact = last(2))] ref borrowed: String,
    #[safe] mut counter: u8,
    #[pii] shown: impl fmt::Display,
    #[pii(name, redact = first(1))] text: impl privacy::strategy::Text,
    _: String,
) {
    counter += 1;
    drop((counter, shown.to_string()));
}

#[test]
fn generics_raw_names_bindings_and_impl_trait_parameters() {
    let output = capture(|| {
        shapes(
            Pii::new(marker::NICK),
            marker::NAME.into(),
            marker::PHONE.into(),
            7,
            marker::ORG,
            marker::TAG,
            marker::SKIPPED.into(),
        );
    });
    output.assert_text_shows(&[
        r#"shapes{generic=<pii> type=<pii:name "Q"…> borrowed=<pii:phone …"58"> counter=7 shown=<pii> text=<pii:name "Q"…>}"#,
    ]);
}

/// The generated code names everything by absolute path: it compiles without the prelude, next
/// to types that shadow the prelude's and the runtime's names. (tracing's own code for `ret` and
/// `err` matches on `Ok` and `Err` by their prelude names, so those two need the prelude.)
#[no_implicit_prelude]
mod shadowed {
    #![allow(non_camel_case_types, clippy::needless_pass_by_value)]

    pub struct Result;
    pub struct Option;
    pub struct Some;
    pub struct None;
    pub struct Ok;
    pub struct Err;
    pub struct Receiver;
    pub struct Debug;
    pub struct Classified;
    pub mod privacy {}
    pub mod _privacy {}
    pub mod core {}

    #[::privacy::instrument]
    pub fn call(
        #[pii(phone, redact = last(4))] phone: &str,
        #[safe] id: u64,
        nickname: ::privacy::Pii<&str>,
    ) -> u64 {
        id
    }

    pub struct Account;

    impl Account {
        #[::privacy::instrument]
        pub fn get(&self, #[oii(tenant_id, redact = hash)] tenant: &str) {}
    }
}

#[test]
fn generated_code_is_hygienic() {
    let output = capture(|| {
        shadowed::call(marker::PHONE, 3, Pii::new(marker::NICK));
        shadowed::Account.get(marker::ORG);
    });
    output.assert_text_shows(&[
        r#"call{phone=<pii:phone …"0958"> id=3 nickname=<pii>}"#,
        "get{tenant=<oii:tenant_id #",
    ]);
}
