//! Consent receipts: the Kantara Consent Receipt v1.1 and the W3C DPV JSON-LD made of a
//! subject's records carry every field their specification requires, no field it does not
//! define, and what the records say; a pseudonymized receipt carries no subject id.

#![cfg(feature = "serde")]

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use privacy::consent::receipt::{
    Controller, ReceiptError, Receipts, DPV_NAMESPACE, KANTARA_VERSION,
};
use privacy::consent::{
    Clock, CollectionMethod, ConsentStore, ConsentType, Evidence, ManualClock, MemoryConsentStore,
};
use privacy::purpose::{Analytics, Diagnostics, Support};
use privacy::{Privacy, SubjectId};
use serde_json::Value;

/// A type whose fields name purposes: the Kantara receipt's PII categories come from them.
#[derive(Privacy)]
#[allow(dead_code)]
struct Ticket {
    #[privacy(subject)]
    #[safe]
    member: u64,
    #[pii(phone, purposes(Support))]
    phone: String,
    #[pii(email, purposes(Support, Diagnostics))]
    email: String,
    #[pii(ip, purposes(Diagnostics))]
    ip: String,
}

const SUBJECT: &str = "subject-marker-5f3a9c";

fn start() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_764_806_400)
}

fn evidence(source: &str) -> Evidence {
    Evidence::new(source)
        .notice("privacy notice v3")
        .language("en")
        .jurisdiction("EU")
        .collected_by(CollectionMethod::Ui)
        .consent_type(ConsentType::Explicit)
        .controller("Kaizala Ltd")
}

fn receipts() -> Receipts {
    Receipts::new(
        Controller::new("Kaizala Ltd")
            .contact("Data Protection Officer")
            .address("1 Main Street, Dublin")
            .email("privacy@kaizala.example")
            .phone("+353 1 555 0100")
            .url("https://kaizala.example"),
        "https://kaizala.example/privacy/v3",
        "Kaizala chat",
    )
}

/// A store with a history of every kind for [`SUBJECT`]: support granted then renewed,
/// diagnostics granted with an expiry, analytics refused, product improvement... withdrawn.
fn history() -> (MemoryConsentStore, Arc<ManualClock>) {
    let clock = Arc::new(ManualClock::new(start()));
    let store = MemoryConsentStore::with_clock(clock.clone());
    let subject = SubjectId::from(SUBJECT);
    store
        .grant(&subject, Support, evidence("support chat"))
        .unwrap();
    clock.advance(Duration::from_secs(60));
    store
        .grant(
            &subject,
            Diagnostics,
            evidence("crash prompt")
                .consent_type(ConsentType::Implicit)
                .valid_for(Duration::from_secs(3_600)),
        )
        .unwrap();
    clock.advance(Duration::from_secs(60));
    store
        .refuse(&subject, Analytics, evidence("analytics prompt"))
        .unwrap();
    clock.advance(Duration::from_secs(60));
    store
        .grant(&subject, Support, evidence("support chat, notice v4"))
        .unwrap();
    (store, clock)
}

fn keys(value: &Value) -> BTreeSet<&str> {
    value
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect()
}

fn set<'a>(names: &[&'a str]) -> BTreeSet<&'a str> {
    names.iter().copied().collect()
}

#[test]
fn kantara_receipt_has_the_fields_of_the_specification() {
    let (store, clock) = history();
    let history = store.history(&SubjectId::from(SUBJECT)).unwrap();
    let receipt = receipts().kantara(&history, clock.now()).unwrap();

    // Kantara Consent Receipt v1.1, section 4: required fields, then the optional ones used.
    let required = set(&[
        "version",
        "jurisdiction",
        "consentTimestamp",
        "collectionMethod",
        "consentReceiptID",
        "piiPrincipalId",
        "piiControllers",
        "policyUrl",
        "services",
        "sensitive",
        "spiCat",
    ]);
    let optional = set(&["language", "publicKey"]);
    let top = keys(&receipt);
    assert!(top.is_superset(&required), "{top:?}");
    assert!(
        top.is_subset(&required.union(&optional).copied().collect()),
        "{top:?}"
    );
    assert_eq!(receipt["version"], KANTARA_VERSION);
    assert_eq!(receipt["jurisdiction"], "EU");
    assert_eq!(receipt["language"], "en");
    assert_eq!(receipt["collectionMethod"], "ui");
    assert_eq!(receipt["consentTimestamp"], 1_764_806_400 + 180);
    assert_eq!(receipt["piiPrincipalId"], SUBJECT);
    assert_eq!(receipt["policyUrl"], "https://kaizala.example/privacy/v3");
    assert_eq!(receipt["sensitive"], false);

    let controller = &receipt["piiControllers"][0];
    assert_eq!(
        keys(controller),
        set(&[
            "piiController",
            "contact",
            "address",
            "email",
            "phone",
            "piiControllerUrl"
        ])
    );
    assert_eq!(controller["piiController"], "Kaizala Ltd");

    let service = &receipt["services"][0];
    assert_eq!(keys(service), set(&["service", "purposes"]));
    assert_eq!(service["service"], "Kaizala chat");
    let purposes = service["purposes"].as_array().unwrap();
    // Refused analytics is no consent: only the purposes in force are on the receipt.
    let names: Vec<&str> = purposes
        .iter()
        .map(|p| p["purpose"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["diagnostics", "support"]);
    for purpose in purposes {
        assert_eq!(
            keys(purpose),
            set(&[
                "purpose",
                "purposeCategory",
                "consentType",
                "piiCategory",
                "primaryPurpose",
                "termination",
                "thirdPartyDisclosure",
            ])
        );
        assert_eq!(purpose["thirdPartyDisclosure"], false);
    }
    assert_eq!(purposes[0]["consentType"], "IMPLICIT");
    assert_eq!(
        purposes[0]["termination"],
        "expires 2025-12-04T01:01:00.000Z"
    );
    assert_eq!(
        purposes[0]["piiCategory"],
        serde_json::json!(["email", "ip"])
    );
    assert_eq!(purposes[1]["consentType"], "EXPLICIT");
    assert_eq!(purposes[1]["termination"], "until withdrawn");
    assert_eq!(
        purposes[1]["piiCategory"],
        serde_json::json!(["email", "phone"])
    );
}

#[test]
fn kantara_receipt_follows_the_state_of_consent() {
    let (store, clock) = history();
    let subject = SubjectId::from(SUBJECT);
    let first = receipts()
        .kantara(&store.history(&subject).unwrap(), clock.now())
        .unwrap();
    // Same records, same receipt id; the id is a UUID.
    let again = receipts()
        .kantara(&store.history(&subject).unwrap(), clock.now())
        .unwrap();
    assert_eq!(first["consentReceiptID"], again["consentReceiptID"]);
    assert_eq!(first["consentReceiptID"].as_str().unwrap().len(), 36);

    // An hour on, diagnostics has expired and is off the receipt.
    clock.advance(Duration::from_secs(3_600));
    let later = receipts()
        .kantara(&store.history(&subject).unwrap(), clock.now())
        .unwrap();
    let purposes = later["services"][0]["purposes"].as_array().unwrap();
    assert_eq!(purposes.len(), 1);
    assert_eq!(purposes[0]["purpose"], "support");
    assert_ne!(later["consentReceiptID"], first["consentReceiptID"]);

    // Once support is withdrawn, there is no consent to give a receipt of.
    store.withdraw(&subject, Support).unwrap();
    assert_eq!(
        receipts().kantara(&store.history(&subject).unwrap(), clock.now()),
        Err(ReceiptError::NothingInForce)
    );
}

#[test]
fn kantara_receipt_says_what_is_missing_and_whose_it_is() {
    let store = MemoryConsentStore::new();
    let alice = SubjectId::from("7");
    store.grant(&alice, Support, Evidence::new("chat")).unwrap();
    let history = store.history(&alice).unwrap();
    assert_eq!(
        receipts().kantara(&history, SystemTime::now()),
        Err(ReceiptError::Missing {
            field: "jurisdiction"
        })
    );
    store
        .grant(&alice, Support, Evidence::new("chat").jurisdiction("EU"))
        .unwrap();
    assert_eq!(
        receipts().kantara(&store.history(&alice).unwrap(), SystemTime::now()),
        Err(ReceiptError::Missing {
            field: "collectionMethod"
        })
    );
    store
        .grant(
            &alice,
            Support,
            Evidence::new("chat")
                .jurisdiction("EU")
                .collected_by(CollectionMethod::Api),
        )
        .unwrap();
    assert_eq!(
        receipts().kantara(&store.history(&alice).unwrap(), SystemTime::now()),
        Err(ReceiptError::Missing {
            field: "consentType"
        })
    );
    assert_eq!(
        receipts().kantara(&[], SystemTime::now()),
        Err(ReceiptError::NoRecords)
    );
    let bob = SubjectId::from("8");
    store.grant(&bob, Support, evidence("chat")).unwrap();
    let mut mixed = store.history(&alice).unwrap();
    mixed.extend(store.history(&bob).unwrap());
    assert_eq!(
        receipts().dpv(&mixed, SystemTime::now()),
        Err(ReceiptError::SubjectsDiffer)
    );
    // A third party, when named, is on every purpose.
    let receipt = receipts()
        .discloses_to("Acme Support Outsourcing")
        .kantara(&store.history(&bob).unwrap(), SystemTime::now())
        .unwrap();
    let purpose = &receipt["services"][0]["purposes"][0];
    assert_eq!(purpose["thirdPartyDisclosure"], true);
    assert_eq!(purpose["thirdPartyName"], "Acme Support Outsourcing");
}

#[test]
fn dpv_record_has_the_terms_of_the_vocabulary() {
    let (store, clock) = history();
    let subject = SubjectId::from(SUBJECT);
    store.withdraw(&subject, Support).unwrap();
    clock.advance(Duration::from_secs(7_200));
    let document = receipts()
        .dpv(&store.history(&subject).unwrap(), clock.now())
        .unwrap();
    assert_eq!(document["@context"]["dpv"], DPV_NAMESPACE);
    assert_eq!(document["@context"]["dct"], "http://purl.org/dc/terms/");
    let graph = document["@graph"].as_array().unwrap();
    assert_eq!(graph.len(), 5);

    // DPV and Dublin Core terms, and the two this crate adds under `prv:`.
    let defined = set(&[
        "@id",
        "@type",
        "dct:identifier",
        "dct:created",
        "dct:source",
        "dct:valid",
        "dpv:hasDataSubject",
        "dpv:hasDataController",
        "dpv:hasPurpose",
        "dpv:hasConsentStatus",
        "dpv:hasLegalBasis",
        "dpv:hasJurisdiction",
        "dpv:hasNotice",
        "prv:collectionMethod",
        "prv:action",
    ]);
    let required = set(&[
        "@id",
        "@type",
        "dct:identifier",
        "dct:created",
        "dpv:hasDataSubject",
        "dpv:hasDataController",
        "dpv:hasPurpose",
        "dpv:hasConsentStatus",
    ]);
    for node in graph {
        let terms = keys(node);
        assert!(terms.is_subset(&defined), "{terms:?}");
        assert!(terms.is_superset(&required), "{terms:?}");
        assert_eq!(node["@type"], "dpv:ConsentRecord");
        assert_eq!(node["dpv:hasDataSubject"]["@type"], "dpv:DataSubject");
        assert_eq!(node["dpv:hasDataSubject"]["dct:identifier"], SUBJECT);
        assert_eq!(node["dct:created"]["@type"], "xsd:dateTime");
    }
    let status = |n: usize| node_status(&graph[n]);
    // Support granted (superseded by the renewal), diagnostics expired since, analytics
    // refused, support renewed (superseded by the withdrawal), support withdrawn.
    assert_eq!(status(0), "dpv:ConsentGiven");
    assert_eq!(status(1), "dpv:ConsentExpired");
    assert_eq!(status(2), "dpv:ConsentRefused");
    assert_eq!(status(3), "dpv:RenewedConsentGiven");
    assert_eq!(status(4), "dpv:ConsentWithdrawn");
    assert_eq!(
        graph[0]["dpv:hasLegalBasis"]["@id"],
        "dpv:ExplicitlyExpressedConsent"
    );
    assert_eq!(graph[1]["dpv:hasLegalBasis"]["@id"], "dpv:ImpliedConsent");
    assert_eq!(graph[1]["dct:valid"]["@value"], "2025-12-04T01:01:00.000Z");
    assert_eq!(
        graph[0]["dpv:hasNotice"]["dct:hasVersion"],
        "privacy notice v3"
    );
    assert_eq!(graph[0]["dpv:hasNotice"]["dct:language"], "en");
    assert_eq!(graph[0]["dpv:hasJurisdiction"], "EU");
    assert_eq!(graph[0]["prv:collectionMethod"], "ui");
    assert_eq!(graph[0]["dpv:hasPurpose"]["dct:identifier"], "support");
    assert_eq!(
        graph[0]["dpv:hasDataController"]["dct:title"],
        "Kaizala Ltd"
    );
    assert!(
        graph[4].get("dct:source").is_none(),
        "a withdrawal has no evidence"
    );
}

fn node_status(node: &Value) -> &str {
    node["dpv:hasConsentStatus"]["@id"].as_str().unwrap()
}

#[test]
fn pseudonymized_receipts_carry_no_subject_id() {
    let (store, clock) = history();
    let subject = SubjectId::from(SUBJECT);
    let history = store.history(&subject).unwrap();
    let pseudonymized = receipts().pseudonymized();
    let kantara = pseudonymized.kantara(&history, clock.now()).unwrap();
    let dpv = pseudonymized.dpv(&history, clock.now()).unwrap();
    for document in [&kantara, &dpv] {
        let text = document.to_string();
        assert!(!text.contains(SUBJECT), "{text}");
    }
    let pseudonym = subject.pseudonym().to_string();
    assert_eq!(kantara["piiPrincipalId"], pseudonym.as_str());
    assert_eq!(
        dpv["@graph"][0]["dpv:hasDataSubject"]["dct:identifier"],
        pseudonym.as_str()
    );
    // A namespaced subject is named with its namespace, and pseudonymized apart from the
    // subject of the same id in the default namespace.
    let device = SubjectId::new("device", SUBJECT);
    store
        .grant(&device, Support, evidence("device settings"))
        .unwrap();
    let device_history = store.history(&device).unwrap();
    let named = receipts().kantara(&device_history, clock.now()).unwrap();
    assert_eq!(
        named["piiPrincipalId"],
        format!("device:{SUBJECT}").as_str()
    );
    let hidden = pseudonymized.kantara(&device_history, clock.now()).unwrap();
    assert_ne!(hidden["piiPrincipalId"], kantara["piiPrincipalId"]);
}
