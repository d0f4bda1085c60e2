//! The kaizala example, run and read like a privacy reviewer would: every value planted in the
//! demo (names, phone numbers, e-mail addresses, IP addresses, device ids, the organization,
//! group titles, message texts) appears only where a permit showed it: in the roster of a
//! viewer who has that member's number, and in the crash report sent with the member's consent.
//! Nowhere else: not in log lines, not in telemetry sent without consent, not in the roster of
//! a viewer who does not know the member, not in the audit trail.

#[path = "../examples/kaizala.rs"]
#[allow(dead_code)]
mod kaizala;
#[path = "fixture/leak_check.rs"]
mod leak_check;

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::OnceLock;

use kaizala::section;
use privacy::audience::E164;
use privacy::{Classified, Disclosure, Kind, Reveal, SubjectId};
use serde_json::Value;

/// The values planted in the demo. Member `i + 1` is at index `i`.
mod marker {
    pub const NAMES: [&str; 4] = [
        "Priya Raman",
        "Tomás Ortega",
        "Wanjiru Kamau",
        "Chen Meiling",
    ];
    pub const PHONES: [&str; 4] = [
        "+44 20 7946 0958",
        "+1 425 555 0143",
        "+254 20 555 0177",
        "+61 2 5550 4477",
    ];
    /// The same numbers as E.164 digits, however they are written.
    pub const PHONE_DIGITS: [&str; 4] =
        ["442079460958", "14255550143", "254205550177", "61255504477"];
    /// What each number ends with, which its redacted form shows.
    pub const LAST_FOUR: [&str; 4] = ["0958", "0143", "0177", "4477"];
    /// The local parts of the e-mail addresses.
    pub const EMAILS: [&str; 4] = [
        "priya.raman",
        "tomas.ortega",
        "wanjiru.kamau",
        "chen.meiling",
    ];
    pub const IPS: [&str; 4] = [
        "203.0.113.87",
        "2001:db8:85a3:8d3:1319:8a2e:370:7348",
        "198.51.100.142",
        "192.0.2.211",
    ];
    pub const DEVICES: [&str; 4] = [
        "android-7f3a91c2d4",
        "ios-4be0d915aa",
        "android-c81e77f035",
        "ios-9d02b6e48c",
    ];
    pub const ORG: &str = "Contoso Health";
    pub const TENANT: &str = "3f2b8c1e-7d4a-4e59-9a61-0c5d2e8b7f14";
    pub const TITLES: [&str; 2] = ["Ward 7 night shift", "Pharmacy on call"];
    pub const MESSAGES: [&str; 3] = [
        "Handover at 7: bed 12 needs a check at midnight",
        "Running late, call me on +254 20 555 0177",
        "Fridge 2 reads 9 degrees, moved the insulin to fridge 3",
    ];
    /// The message member 3 was typing when the app crashed.
    pub const DRAFT: &str = "Can someone swap shifts with me on Friday?";
    /// The numbers in the two viewers' phone books, as they saved them.
    pub const CONTACTS: [&str; 5] = [
        "+1-425-555-0143",
        "+254 20 5550177",
        "+49 30 901820",
        "+442079460958",
        "(425) 555-0143",
    ];
}

/// The viewers of the rosters, and whom each knows: member 1 saved members 2 and 3; member 4
/// saved member 1, and member 2 in national form, which matches nobody.
const VIEWERS: [(u64, &[u64]); 2] = [(1, &[2, 3]), (4, &[1])];

/// Every planted value, with what it is (`name 2` is member 2's name).
fn planted() -> Vec<(String, &'static str)> {
    let mut all = Vec::new();
    for i in 0..4 {
        let id = i + 1;
        all.extend([
            (format!("name {id}"), marker::NAMES[i]),
            (format!("phone {id}"), marker::PHONES[i]),
            (format!("phone digits {id}"), marker::PHONE_DIGITS[i]),
            (format!("email {id}"), marker::EMAILS[i]),
            (format!("ip {id}"), marker::IPS[i]),
            (format!("device {id}"), marker::DEVICES[i]),
        ]);
    }
    all.push(("organization".into(), marker::ORG));
    all.push(("tenant".into(), marker::TENANT));
    for (i, title) in marker::TITLES.iter().enumerate() {
        all.push((format!("title {i}"), title));
    }
    for (i, message) in marker::MESSAGES.iter().enumerate() {
        all.push((format!("message {i}"), message));
    }
    all.push(("draft".into(), marker::DRAFT));
    for (i, contact) in marker::CONTACTS.iter().enumerate() {
        all.push((format!("contact {i}"), contact));
    }
    all
}

/// The planted values that appear in `text`, as `what id`.
fn leaks(text: &str) -> Vec<String> {
    leak_check::shown_by_name(text, planted())
}

/// The story's whole output, told once for every test.
fn output() -> &'static str {
    static OUTPUT: OnceLock<String> = OnceLock::new();
    OUTPUT.get_or_init(|| {
        let mut out = Vec::new();
        kaizala::run(&mut out).expect("the story runs to its end");
        String::from_utf8(out).expect("the story writes UTF-8")
    })
}

/// The text of the section titled `title`, heading excluded.
fn section(title: &str) -> &'static str {
    let output = output();
    let heading = format!("== {title} ==\n");
    let start = output
        .find(&heading)
        .unwrap_or_else(|| panic!("no section {title:?} in:\n{output}"))
        + heading.len();
    let end = output[start..]
        .find("\n== ")
        .map_or(output.len(), |end| start + end);
    &output[start..end]
}

/// The log lines of `text`: what the subscriber wrote, not the narration.
fn log_lines(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|line| line.starts_with(" INFO ") || line.starts_with(" WARN "))
        .collect()
}

/// The telemetry events of `text`.
fn telemetry_lines(text: &str) -> Vec<&str> {
    text.lines()
        .filter(|line| line.contains("telemetry: CrashReport"))
        .collect()
}

/// The quoted numbers of a phone book line: `[Contact { number: "+1-425-555-0143" }, ...]`.
fn numbers_in(line: &str) -> Vec<&str> {
    line.split("number: \"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect()
}

#[test]
fn the_markers_are_the_demo_data() {
    // The story installs the demo's pseudonym key; it must run before anything here makes a
    // pseudonym (an audit event does), or a random key would be in use by then.
    let _ = output();
    // Views show raw values once their record is accepted: here, kept in memory.
    let audit = std::sync::Arc::new(privacy::audit::MemorySink::new());
    privacy::audit::with_sink(audit, check_the_markers);
}

fn check_the_markers() {
    let everything = Disclosure::of([
        Kind::Name,
        Kind::Phone,
        Kind::Email,
        Kind::Ip,
        Kind::OrgName,
        Kind::TenantId,
        Kind::Message,
    ])
    .because("checking the test's markers against the demo's data");

    let members = kaizala::members();
    assert_eq!(members.len(), 4);
    for (i, member) in members.iter().enumerate() {
        assert_eq!(member.subject(), Some(SubjectId::from(i + 1)));
        let shown = format!("{:?}", member.reveal(&everything));
        for value in [
            marker::NAMES[i],
            marker::PHONES[i],
            marker::EMAILS[i],
            marker::IPS[i],
        ] {
            assert!(shown.contains(value), "{value:?} is not in {shown}");
        }
        let digits = E164::parse(marker::PHONES[i]).expect("an international number");
        assert_eq!(&digits.as_str()[1..], marker::PHONE_DIGITS[i]);
        assert!(marker::PHONES[i].ends_with(marker::LAST_FOUR[i]));
    }

    let organization = format!("{:?}", kaizala::organization().reveal(&everything));
    assert!(
        organization.contains(marker::ORG) && organization.contains(marker::TENANT),
        "{organization}"
    );
    let titles =
        Disclosure::of([privacy::field!(kaizala::Group.title)]).because("checking the markers");
    let groups = format!("{:?}", kaizala::groups().reveal(&titles));
    for title in marker::TITLES {
        assert!(groups.contains(title), "{groups}");
    }
    let texts: Vec<&str> = kaizala::conversation()
        .into_iter()
        .map(|(_, _, text)| text)
        .collect();
    assert_eq!(texts, marker::MESSAGES);
    let devices: Vec<&str> = kaizala::devices()
        .into_iter()
        .map(|(_, device)| device)
        .collect();
    assert_eq!(devices, marker::DEVICES);
    let report = format!("{:?}", kaizala::crash_report().reveal(&everything));
    assert!(
        report.contains(marker::DRAFT) && report.contains(marker::IPS[2]),
        "{report}"
    );
    let numbers =
        Disclosure::of([privacy::field!(kaizala::Contact.number)]).because("checking the markers");
    let books: Vec<String> = kaizala::viewers()
        .iter()
        .map(|(_, contacts)| format!("{:?}", contacts.reveal(&numbers)))
        .collect();
    let books = books.join("\n");
    for contact in marker::CONTACTS {
        assert!(books.contains(contact), "{books}");
    }
}

#[test]
fn the_sections_come_in_order() {
    let output = output();
    let titles = [
        section::START,
        section::ORGANIZATION,
        section::MEMBERS,
        section::MESSAGES,
        section::ROSTERS,
        section::NO_CONSENT,
        section::CONSENT,
        section::WITHDRAWAL,
        section::SCHEMA,
        section::AUDIT,
    ];
    let headings: Vec<&str> = output
        .lines()
        .filter_map(|line| line.strip_prefix("== ")?.strip_suffix(" =="))
        .collect();
    assert_eq!(headings, titles, "{output}");
}

#[test]
fn the_log_lines_of_ordinary_operations_are_redacted() {
    for title in [
        section::START,
        section::ORGANIZATION,
        section::MEMBERS,
        section::MESSAGES,
    ] {
        let text = section(title);
        assert_eq!(leaks(text), Vec::<String>::new(), "{title}:\n{text}");
    }

    let organization = section(section::ORGANIZATION);
    assert!(
        organization.contains("name: <oii:org_name>, tenant_id: <oii:tenant_id #demo:"),
        "{organization}"
    );
    assert_eq!(organization.matches("title: <pii:group_title>").count(), 2);

    let members = section(section::MEMBERS);
    let joined: Vec<&str> = log_lines(members)
        .into_iter()
        .filter(|line| line.contains("member joined member=Member {"))
        .collect();
    assert_eq!(joined.len(), 4, "{members}");
    for (i, line) in joined.iter().enumerate() {
        assert!(line.contains("display_name: <pii:name>"), "{line}");
        let phone = format!("phone: <pii:phone …\"{}\">", marker::LAST_FOUR[i]);
        assert!(line.contains(&phone), "{line}");
        assert!(line.contains("email: <pii:email #demo:"), "{line}");
    }
    // `#[privacy::instrument]`: the parameters in the span, each as its classification says.
    for (i, network) in [
        "203.0.113.0/24",
        "2001:db8:85a3::/48",
        "198.51.100.0/24",
        "192.0.2.0/24",
    ]
    .iter()
    .enumerate()
    {
        let span = format!(
            "sign_in{{member={} from=<pii:ip {network}> device=<pii:device_id #demo:",
            i + 1
        );
        assert!(members.contains(&span), "{span} not in:\n{members}");
    }

    let messages = section(section::MESSAGES);
    assert_eq!(
        messages
            .matches("text=<pii:message>}: message delivered")
            .count(),
        3,
        "{messages}"
    );
    assert_eq!(
        messages
            .matches("return=Message {")
            .zip(messages.matches("text: <pii:message> }"))
            .count(),
        3,
        "{messages}"
    );
}

#[test]
fn each_viewer_sees_exactly_the_numbers_in_their_phone_book() {
    let rosters = section(section::ROSTERS);

    // The phone books, as printed, decide whom each viewer knows.
    for (viewer, expected) in VIEWERS {
        let prefix = format!("member {viewer}'s phone book: ");
        let line = rosters
            .lines()
            .find_map(|line| line.strip_prefix(prefix.as_str()))
            .unwrap_or_else(|| panic!("no phone book of member {viewer} in:\n{rosters}"));
        let book: BTreeSet<E164> = numbers_in(line)
            .into_iter()
            .filter_map(E164::parse)
            .collect();
        let known: Vec<u64> = (1..=4)
            .filter(|&id| book.contains(&E164::parse(marker::PHONES[id - 1]).unwrap()))
            .map(|id| id as u64)
            .collect();
        assert_eq!(known, expected, "member {viewer}'s phone book: {line}");
    }

    // The table: a header naming the viewers, then one row per member.
    let rows: Vec<Vec<&str>> = rosters
        .lines()
        .filter(|line| line.contains('│'))
        .map(|line| line.split('│').map(str::trim).collect())
        .collect();
    let (header, rows) = rows.split_first().expect("a roster table");
    assert_eq!(
        header,
        &["member", "as member 1 sees it", "as member 4 sees it"]
    );
    assert_eq!(rows.len(), 4, "{rosters}");
    for (column, (viewer, knows)) in VIEWERS.iter().enumerate() {
        let mut shown = Vec::new();
        for (i, row) in rows.iter().enumerate() {
            let member = i as u64 + 1;
            assert!(row[0].starts_with(&member.to_string()), "{row:?}");
            let cell = row[column + 1];
            if member == *viewer {
                assert_eq!(cell, "(the viewer)");
            } else if knows.contains(&member) {
                assert_eq!(cell, format!("{}  {}", marker::NAMES[i], marker::PHONES[i]));
            } else {
                assert_eq!(
                    cell,
                    format!("<pii:name>  <pii:phone …\"{}\">", marker::LAST_FOUR[i]),
                    "member {viewer} does not know member {member}"
                );
                assert_eq!(leaks(cell), Vec::<String>::new(), "{cell}");
            }
            if marker::PHONES.iter().any(|phone| cell.contains(phone)) {
                shown.push(member);
            }
        }
        assert_eq!(&shown, knows, "the numbers member {viewer} sees");
    }

    // One row in full, as member 1's app receives it: member 2's name and number, and nothing
    // else of theirs.
    let json = rosters
        .lines()
        .find_map(|line| line.strip_prefix("member 1's app, first row in full: "))
        .expect("a row in full");
    let row: Value = serde_json::from_str(json).unwrap();
    assert_eq!(row["id"], 2);
    assert_eq!(row["display_name"], marker::NAMES[1]);
    assert_eq!(row["phone"], marker::PHONES[1]);
    assert_eq!(row["last_ip"], "<pii:ip 2001:db8:85a3::/48>");
    assert!(
        row["email"]
            .as_str()
            .is_some_and(|email| email.starts_with("<pii:email #demo:")),
        "{json}"
    );
    assert_eq!(leaks(json), ["name 2", "phone 2"], "{json}");
}

#[test]
fn telemetry_without_consent_carries_no_personal_data() {
    for title in [section::NO_CONSENT, section::WITHDRAWAL] {
        let text = section(title);
        assert_eq!(
            telemetry_lines(text),
            [
                r#" INFO telemetry: CrashReport app_version="2026.11.3" signal="SIGSEGV" screen="group_chat""#
            ],
            "{title}:\n{text}"
        );
        assert_eq!(leaks(text), Vec::<String>::new(), "{title}:\n{text}");
    }
    assert!(section(section::NO_CONSENT)
        .contains("consent::<Diagnostics>() -> consent for `diagnostics` was refused"));
    assert!(section(section::WITHDRAWAL)
        .contains("consent::<Diagnostics>() -> consent for `diagnostics` was withdrawn"));
}

#[test]
fn telemetry_with_consent_carries_the_ip_address_and_nothing_else() {
    let text = section(section::CONSENT);
    let lines = telemetry_lines(text);
    assert_eq!(lines.len(), 1, "{text}");
    assert_eq!(
        lines[0],
        r#" INFO telemetry: CrashReport member=3 app_version="2026.11.3" signal="SIGSEGV" screen="group_chat" client_ip=198.51.100.142"#
    );
    assert_eq!(leaks(lines[0]), ["ip 3"]);
    // The draft is for Support only: absent, not even a placeholder.
    assert!(!lines[0].contains("unsent_draft"), "{}", lines[0]);
    let rest: String = text.lines().filter(|line| *line != lines[0]).collect();
    assert_eq!(leaks(&rest), Vec::<String>::new(), "{text}");
}

#[test]
fn the_receipt_names_the_consent_and_no_subject_id() {
    let text = section(section::CONSENT);
    let receipt: String = text
        .lines()
        .skip_while(|line| !line.starts_with("the consent receipt (Kantara v1.1)"))
        .skip(1)
        .take_while(|line| line.starts_with("  "))
        .collect::<Vec<_>>()
        .join("\n");
    let receipt: Value = serde_json::from_str(&receipt).expect("the receipt is JSON");
    assert_eq!(receipt["version"], "KI-CR-v1.1.0");
    assert_eq!(receipt["jurisdiction"], "EU");
    assert_eq!(receipt["collectionMethod"], "ui");
    assert_eq!(
        receipt["piiPrincipalId"],
        SubjectId::from(3_u64).pseudonym().to_string().as_str()
    );
    let purposes = receipt["services"][0]["purposes"].as_array().unwrap();
    assert_eq!(purposes.len(), 1, "{receipt}");
    assert_eq!(purposes[0]["purpose"], "diagnostics");
    assert_eq!(purposes[0]["consentType"], "EXPLICIT");
    let categories = purposes[0]["piiCategory"].as_array().unwrap();
    assert!(categories.contains(&serde_json::json!("ip")), "{receipt}");
    assert_eq!(leaks(&receipt.to_string()), Vec::<String>::new());
}

#[test]
fn the_audit_trail_names_what_was_shown_and_holds_no_value() {
    let text = section(section::AUDIT);
    assert_eq!(leaks(text), Vec::<String>::new(), "{text}");
    let events: Vec<&str> = text
        .lines()
        .filter(|line| line.contains(". revealed "))
        .collect();
    let pseudonym = |id: u64| SubjectId::from(id).pseudonym().to_string();
    let phone_book =
        r#"permit="audience" basis="the viewer has this member's number in their phone book""#;

    // The phone books shown to their owners, and the two rosters, in the order written.
    assert_eq!(events.len(), 5, "{text}");
    // A field path is listed once per event, however many values showed it.
    assert!(events[0].contains(r#"type_name="Contact" fields=number permit="disclosure""#));
    assert!(events[2].contains(r#"type_name="Contact" fields=number permit="disclosure""#));
    for (event, (viewer, knows)) in [events[1], events[3]].into_iter().zip(VIEWERS) {
        assert!(event.contains(r#"type_name="Member""#), "{event}");
        assert!(event.contains(phone_book), "{event}");
        let subjects: Vec<String> = knows.iter().map(|&id| pseudonym(id)).collect();
        assert!(
            event.contains(&format!("subject=\"{}\"", subjects.join(","))),
            "{event}"
        );
        assert!(
            event.contains(&format!("viewer=\"{}\"", pseudonym(viewer))),
            "{event}"
        );
    }
    // One event for the one crash report sent with consent; none for the two sent without.
    assert_eq!(text.matches("revealed in telemetry").count(), 1, "{text}");
    assert!(events[4].contains(
        r#"revealed in telemetry type_name="CrashReport" fields=member,client_ip permit="consent" basis="diagnostics""#
    ));
    assert!(
        events[4].contains(&format!("subject=\"{}\"", pseudonym(3))),
        "{}",
        events[4]
    );
    // No raw subject id either: the only `=` values are names, pseudonyms and record ids.
    for event in &events {
        assert!(!event.contains("subject=\"3\"") && !event.contains("viewer=\"1\""));
    }
}

#[test]
fn nothing_else_in_the_output_shows_a_value() {
    let output = output();
    let consented = telemetry_lines(section(section::CONSENT));
    // The places a permit showed values, checked by the tests above.
    let permitted = |line: &str| {
        line.contains("'s phone book: [")
            || line.contains('│')
            || line.starts_with("member 1's app, first row in full: ")
            || consented.contains(&line)
    };
    let rest: Vec<&str> = output.lines().filter(|line| !permitted(line)).collect();
    let rest = rest.join("\n");
    assert_eq!(leaks(&rest), Vec::<String>::new(), "{rest}");
    for line in log_lines(output) {
        assert!(
            leaks(line).is_empty() || consented.contains(&line),
            "{line}"
        );
    }
}

#[test]
fn consent_is_kept_in_a_temporary_sqlite_file_that_is_removed() {
    let text = section(section::NO_CONSENT);
    let path = text
        .lines()
        .find_map(|line| line.strip_prefix("consent store: "))
        .map(Path::new)
        .expect("the consent store's path");
    assert!(path.starts_with(std::env::temp_dir()), "{}", path.display());
    assert!(!path.exists(), "{} is left behind", path.display());
    assert!(!path.parent().unwrap().exists());

    let withdrawal = section(section::WITHDRAWAL);
    let history: Vec<&str> = withdrawal
        .lines()
        .skip_while(|line| !line.starts_with("member 3's consent history"))
        .skip(1)
        .take_while(|line| line.starts_with("  r"))
        .collect();
    assert_eq!(history.len(), 3, "{withdrawal}");
    assert!(history[0].starts_with("  r1 refused   diagnostics at "));
    assert!(history[0].ends_with("(crash dialog: 'send details with crash reports' v2)"));
    assert!(history[1].starts_with("  r2 granted   diagnostics at "));
    assert!(history[1].ends_with("(crash dialog: 'send details with crash reports' v2)"));
    assert!(history[2].starts_with("  r3 withdrawn diagnostics at "));
    assert!(withdrawal.contains(
        "as W3C DPV JSON-LD (receipts().dpv): 3 dpv:ConsentRecord, statuses dpv:ConsentRefused, dpv:ConsentGiven, dpv:ConsentWithdrawn"
    ));
    assert!(output().contains("temporary directory removed"));
}
