//! The data inventory: every derived type of this crate registers itself, and the report lists
//! its fields with their class, kind, strategy, purposes, subject flag, source line and
//! app-store categories, as JSON and as Markdown.

#![allow(dead_code)]

use std::collections::HashMap;

use privacy::inventory::{self, AndroidDataType, AppleDataType, FieldReport, Report, TypeReport};
use privacy::{Class, Kind, Oii, Pii, Privacy, Strategy};

#[derive(Privacy)]
struct Organization {
    #[safe]
    id: u64,
    #[oii(org_name)]
    name: String,
    #[oii(tenant_id, redact = hash)]
    tenant: String,
    members: Vec<Member>,
    invites: HashMap<Pii<String>, Member>,
}

#[derive(Privacy)]
struct Member {
    #[safe]
    #[privacy(subject)]
    id: u64,
    #[pii(name, redact = first(1))]
    display_name: String,
    #[pii(phone, redact = last(4), purposes(Support, Diagnostics))]
    phone: String,
    #[pii(email, redact = email)]
    email: String,
    nickname: Option<Pii<String>>,
    manager: Option<Box<Member>>,
}

#[derive(Privacy)]
enum Message {
    Text {
        #[safe]
        id: u64,
        #[pii(message)]
        body: String,
    },
    Location(#[pii(location)] String),
    Deleted,
}

#[derive(Privacy)]
struct Tagged<'a> {
    #[pii(custom = "badge_number")]
    badge: &'a str,
    #[oii(domain)]
    domain: String,
    mirror: Oii<String>,
}

/// Generic, so not registered: it appears because `Envelope` holds one.
#[derive(Privacy)]
struct Attachment<T> {
    #[pii(device_id)]
    device: String,
    payload: T,
}

#[derive(Privacy)]
struct Envelope {
    #[safe]
    id: u64,
    attachment: Attachment<Message>,
}

#[derive(Privacy)]
#[privacy(telemetry)]
struct CrashReport {
    #[safe]
    code: u32,
    #[pii(ip, redact = ip_prefix, purposes(Diagnostics))]
    client_ip: std::net::IpAddr,
}

const FILE: &str = "tests/inventory.rs";

fn report() -> Report {
    Report::collect()
}

fn type_report<'r>(report: &'r Report, name: &str) -> &'r TypeReport {
    report
        .types
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("{name} is not in the report"))
}

fn field<'t>(ty: &'t TypeReport, name: &str) -> &'t FieldReport {
    ty.fields
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("{}.{name} is not in the report", ty.name))
}

/// The line of the first line of this file that contains `text`.
fn line_of(text: &str) -> u32 {
    let source = include_str!("inventory.rs");
    let index = source
        .lines()
        .position(|line| line.contains(text))
        .unwrap_or_else(|| panic!("no line contains {text:?}"));
    u32::try_from(index + 1).unwrap()
}

#[test]
fn every_non_generic_type_is_registered_where_it_is_defined() {
    let types = inventory::types();
    let names: Vec<_> = types.iter().map(|t| t.name()).collect();
    assert_eq!(
        names,
        [
            "CrashReport",
            "Envelope",
            "Member",
            "Message",
            "Organization",
            "Tagged"
        ]
    );
    for ty in &types {
        assert_eq!(ty.module_path, "inventory");
        assert_eq!(ty.file, FILE);
        assert_eq!(ty.path(), format!("inventory::{}", ty.name()));
        assert_eq!(ty.telemetry, ty.name() == "CrashReport");
    }
    let member = types.iter().find(|t| t.name() == "Member").unwrap();
    assert_eq!(member.line, line_of("struct Member {"));
    assert_eq!(member.schema().type_name, "Member");
    assert_eq!(
        member.field_lines,
        [
            line_of("#[privacy(subject)]") + 1,
            line_of("display_name: String"),
            line_of("    phone: String"),
            line_of("    email: String"),
            line_of("nickname: Option"),
            line_of("manager: Option"),
        ]
    );
}

#[test]
fn fields_carry_class_kind_strategy_purposes_subject_and_line() {
    let report = report();
    let member = type_report(&report, "Member");
    let source = member.source.as_ref().unwrap();
    assert_eq!((source.module_path, source.file), ("inventory", FILE));
    assert_eq!(source.line, line_of("struct Member {"));
    assert_eq!(member.class, Class::Pii);
    let names: Vec<_> = member.fields.iter().map(|f| f.name).collect();
    assert_eq!(
        names,
        [
            "id",
            "display_name",
            "phone",
            "email",
            "nickname",
            "manager"
        ]
    );

    let id = field(member, "id");
    assert_eq!((id.class, id.kind, id.strategy), (Class::Safe, None, None));
    assert!(id.subject);

    let phone = field(member, "phone");
    assert_eq!(
        (phone.class, phone.kind, phone.strategy),
        (Class::Pii, Some(Kind::Phone), Some(Strategy::Last(4)))
    );
    assert_eq!(phone.purposes, ["support", "diagnostics"]);
    assert!(!phone.subject);
    assert_eq!(phone.line, Some(line_of("    phone: String")));
    assert_eq!(phone.apple, Some(AppleDataType::PHONE_NUMBER));
    assert_eq!(phone.android, Some(AndroidDataType::PHONE_NUMBER));

    let email = field(member, "email");
    assert_eq!(email.strategy, Some(Strategy::Email));
    assert_eq!(email.apple, Some(AppleDataType::EMAIL_ADDRESS));

    let nickname = field(member, "nickname");
    assert_eq!((nickname.class, nickname.kind), (Class::Pii, None));
    assert_eq!(nickname.nested.as_deref(), Some("Pii"));
    assert_eq!((nickname.apple, nickname.android), (None, None));
}

#[test]
fn nested_fields_name_their_type_and_recursion_ends() {
    let report = report();
    let organization = type_report(&report, "Organization");
    assert_eq!(organization.class, Class::Pii);
    let members = field(organization, "members");
    assert_eq!(members.class, Class::Pii);
    assert_eq!(members.nested.as_deref(), Some("Member"));
    let invites = field(organization, "invites");
    assert_eq!(invites.nested.as_deref(), Some("Map<Pii, Member>"));

    // `Member.manager` is a `Member`: listed by name, not expanded.
    let member = type_report(&report, "Member");
    assert_eq!(field(member, "manager").nested.as_deref(), Some("Member"));
    assert_eq!(
        report.types.iter().filter(|t| t.name == "Member").count(),
        1
    );
}

#[test]
fn enums_list_the_fields_of_every_variant() {
    let report = report();
    let message = type_report(&report, "Message");
    let fields: Vec<_> = message
        .fields
        .iter()
        .map(|f| (f.variant, f.name, f.class, f.kind))
        .collect();
    assert_eq!(
        fields,
        [
            (Some("Text"), "id", Class::Safe, None),
            (Some("Text"), "body", Class::Pii, Some(Kind::Message)),
            (Some("Location"), "0", Class::Pii, Some(Kind::Location)),
        ]
    );
    assert_eq!(
        message.source.as_ref().unwrap().line,
        line_of("enum Message {")
    );
    assert_eq!(
        message.fields[2].line,
        Some(line_of("Location(#[pii(location)]"))
    );
    assert_eq!(
        message.fields[1].apple,
        Some(AppleDataType::EMAILS_OR_TEXT_MESSAGES)
    );
    assert_eq!(
        message.fields[1].android,
        Some(AndroidDataType::OTHER_IN_APP_MESSAGES)
    );
}

#[test]
fn oii_and_custom_kinds_call_for_no_declaration() {
    let report = report();
    let tagged = type_report(&report, "Tagged");
    let badge = field(tagged, "badge");
    assert_eq!(badge.kind, Some(Kind::Custom("badge_number")));
    assert_eq!((badge.apple, badge.android), (None, None));
    let organization = type_report(&report, "Organization");
    for name in ["name", "tenant"] {
        let field = field(organization, name);
        assert_eq!(field.class, Class::Oii);
        assert_eq!((field.apple, field.android), (None, None));
    }
}

#[test]
fn generic_types_appear_through_the_types_that_contain_them() {
    let report = report();
    let attachment = type_report(&report, "Attachment");
    assert_eq!(attachment.source, None);
    assert_eq!(
        field(attachment, "payload").nested.as_deref(),
        Some("Message")
    );
    assert_eq!(field(attachment, "device").line, None);
    // Unregistered types come after the registered ones.
    assert_eq!(report.types.last().unwrap().name, "Attachment");
    let envelope = type_report(&report, "Envelope");
    assert_eq!(
        field(envelope, "attachment").nested.as_deref(),
        Some("Attachment")
    );
}

#[test]
fn the_summary_lists_each_category_once_with_its_fields() {
    let report = report();
    let apple: Vec<_> = report
        .apple
        .iter()
        .map(|d| (d.data_type.key, d.fields.clone()))
        .collect();
    assert_eq!(
        apple,
        [
            (
                "NSPrivacyCollectedDataTypeEmailAddress",
                vec!["inventory::Member.email".to_owned()]
            ),
            (
                "NSPrivacyCollectedDataTypeName",
                vec!["inventory::Member.display_name".to_owned()]
            ),
            (
                "NSPrivacyCollectedDataTypePhoneNumber",
                vec!["inventory::Member.phone".to_owned()]
            ),
            (
                "NSPrivacyCollectedDataTypeDeviceID",
                vec!["Attachment.device".to_owned()]
            ),
            (
                "NSPrivacyCollectedDataTypeCoarseLocation",
                vec!["inventory::CrashReport.client_ip".to_owned()]
            ),
            (
                "NSPrivacyCollectedDataTypePreciseLocation",
                vec!["inventory::Message::Location.0".to_owned()]
            ),
            (
                "NSPrivacyCollectedDataTypeEmailsOrTextMessages",
                vec!["inventory::Message::Text.body".to_owned()]
            ),
        ]
    );
    let android: Vec<_> = report
        .android
        .iter()
        .map(|d| (d.data_type.to_string(), d.fields.len()))
        .collect();
    assert_eq!(
        android,
        [
            ("Device or other IDs: Device or other IDs".to_owned(), 1),
            ("Location: Approximate location".to_owned(), 1),
            ("Location: Precise location".to_owned(), 1),
            ("Messages: Other in-app messages".to_owned(), 1),
            ("Personal info: Email address".to_owned(), 1),
            ("Personal info: Name".to_owned(), 1),
            ("Personal info: Phone number".to_owned(), 1),
        ]
    );
}

#[cfg(feature = "serde")]
#[test]
fn json_parses_and_holds_every_type_and_field() {
    let report = report();
    let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
    let types = json["types"].as_array().unwrap();
    assert_eq!(types.len(), report.types.len());
    let member = types.iter().find(|t| t["name"] == "Member").unwrap();
    assert_eq!(member["path"], "inventory::Member");
    assert_eq!(member["file"], FILE);
    assert_eq!(member["line"], line_of("struct Member {"));
    assert_eq!(member["registered"], true);
    assert_eq!(member["telemetry"], false);
    assert_eq!(member["class"], "pii");
    let phone = &member["fields"][2];
    assert_eq!(phone["name"], "phone");
    assert_eq!(phone["class"], "pii");
    assert_eq!(phone["kind"], "phone");
    assert_eq!(phone["strategy"], "last(4)");
    assert_eq!(
        phone["purposes"],
        serde_json::json!(["support", "diagnostics"])
    );
    assert_eq!(phone["subject"], false);
    assert_eq!(phone["nested"], serde_json::Value::Null);
    assert_eq!(
        phone["apple"]["key"],
        "NSPrivacyCollectedDataTypePhoneNumber"
    );
    assert_eq!(phone["android"]["category"], "Personal info");
    assert_eq!(phone["android"]["name"], "Phone number");
    assert_eq!(member["fields"][0]["subject"], true);

    let crash_report = types.iter().find(|t| t["name"] == "CrashReport").unwrap();
    assert_eq!(crash_report["telemetry"], true);
    assert_eq!(
        crash_report["fields"][1]["purposes"],
        serde_json::json!(["diagnostics"])
    );

    let attachment = types.iter().find(|t| t["name"] == "Attachment").unwrap();
    assert_eq!(attachment["registered"], false);
    assert_eq!(attachment["file"], serde_json::Value::Null);

    let location = json["android"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "Precise location")
        .unwrap();
    assert_eq!(
        location["fields"],
        serde_json::json!(["inventory::Message::Location.0"])
    );
}

#[test]
fn markdown_has_a_row_per_field_and_the_categories() {
    let markdown = report().to_markdown();
    for row in [
        "| `id` | safe |  |  |  | yes |  |  | ",
        "| `phone` | pii | `phone` | `last(4)` | `support`, `diagnostics` |  | Phone Number | Personal info: Phone number | ",
        "| `members` | pii | → `Member` |",
        "| `invites` | pii | → `Map<Pii, Member>` |",
        "| `tenant` | oii | `tenant_id` | `hash` |",
        "| `Location` | `0` | pii | `location` | `hide` |",
        "| `badge` | pii | `badge_number` | `hide` |",
        "| Contact Info | Phone Number | `NSPrivacyCollectedDataTypePhoneNumber` | `inventory::Member.phone` |",
        "| Messages | Other in-app messages | `inventory::Message::Text.body` |",
        "| Device or other IDs | Device or other IDs | `Attachment.device` |",
        "### `inventory::Organization`",
        "### `Attachment`",
    ] {
        assert!(markdown.contains(row), "no {row:?} in\n{markdown}");
    }
    let crash_line = line_of("struct CrashReport {");
    assert!(markdown.contains(&format!(
        "Defined at `{FILE}:{crash_line}`; carries PII; a telemetry event."
    )));
    let member_line = line_of("struct Member {");
    assert!(markdown.contains(&format!("Defined at `{FILE}:{member_line}`; carries PII.")));
}

#[test]
fn reports_are_deterministic() {
    assert_eq!(report(), report());
    #[cfg(feature = "serde")]
    assert_eq!(report().to_json(), report().to_json());
    assert_eq!(report().to_markdown(), report().to_markdown());
}
