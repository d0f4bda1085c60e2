//! Consent receipts: a subject's consent records as a Kantara Consent Receipt v1.1 JSON document
//! and as W3C Data Privacy Vocabulary (DPV) JSON-LD, to give to the person or to another
//! controller.
//!
//! ```
//! use std::time::SystemTime;
//! use privacy::consent::receipt::{Controller, Receipts};
//! use privacy::consent::{CollectionMethod, ConsentStore, ConsentType, Evidence, MemoryConsentStore};
//! use privacy::purpose::Support;
//! use privacy::SubjectId;
//!
//! let store = MemoryConsentStore::new();
//! let alice = SubjectId::from("7");
//! let evidence = Evidence::new("support chat, consent prompt")
//!     .notice("privacy notice v3").language("en").jurisdiction("EU")
//!     .collected_by(CollectionMethod::Ui).consent_type(ConsentType::Explicit);
//! store.grant(&alice, Support, evidence)?;
//!
//! let receipts = Receipts::new(
//!     Controller::new("Kaizala Ltd").contact("Data Protection Officer").address("1 Main St, Dublin")
//!         .email("privacy@kaizala.example").phone("+353 1 555 0100"),
//!     "https://kaizala.example/privacy/v3",
//!     "Kaizala chat",
//! )
//! .pseudonymized();
//! let history = store.history(&alice)?;
//! let kantara = receipts.kantara(&history, SystemTime::now())?;
//! assert_eq!(kantara["version"], "KI-CR-v1.1.0");
//! assert_eq!(kantara["services"][0]["purposes"][0]["consentType"], "EXPLICIT");
//! assert_ne!(kantara["piiPrincipalId"], "7");
//!
//! let dpv = receipts.dpv(&history, SystemTime::now())?;
//! assert_eq!(dpv["@graph"][0]["@type"], "dpv:ConsentRecord");
//! assert_eq!(dpv["@graph"][0]["dpv:hasConsentStatus"]["@id"], "dpv:ConsentGiven");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # What goes where
//!
//! A Kantara receipt is the evidence of consent in force: it lists each purpose whose latest
//! record gives consent that has not expired at the time asked, with the consent type, the
//! categories of personal data that purpose may reveal (the kinds of the fields whose
//! `purposes(...)` name it, from the [inventory](crate::inventory)), and when it ends. Its
//! jurisdiction, collection method and language are those the records kept; a receipt needs a
//! jurisdiction, a collection method and a consent type, and fails with
//! [`ReceiptError::Missing`] when no record kept one.
//!
//! A DPV document is the whole history, one `dpv:ConsentRecord` per record, refusals and
//! withdrawals included. Each says the status it recorded (`dpv:ConsentGiven`,
//! `dpv:RenewedConsentGiven`, `dpv:ConsentRefused`, `dpv:ConsentWithdrawn`); the latest record
//! of each purpose says the status at the time asked, `dpv:ConsentExpired` for a grant whose
//! time ran out. The consent type is the record's legal basis (`dpv:ExplicitlyExpressedConsent`,
//! and `dpv:ImpliedConsent` for implicit and opt-out consent, which DPV does not tell apart);
//! what DPV has no term for (the collection method) is under this crate's prefix `prv:`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use super::{CollectionMethod, ConsentRecord, ConsentStatus, ConsentType};
use crate::SubjectId;

/// The version string of the Kantara Consent Receipt specification the receipts follow.
pub const KANTARA_VERSION: &str = "KI-CR-v1.1.0";

/// The namespace of the W3C Data Privacy Vocabulary.
pub const DPV_NAMESPACE: &str = "https://w3id.org/dpv#";

/// The namespace of the terms this crate adds where DPV has none.
pub const PRIVACY_NAMESPACE: &str = "urn:privacy:consent#";

/// Why a receipt could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReceiptError {
    /// There are no records to make a receipt of.
    #[error("a receipt needs at least one consent record")]
    NoRecords,
    /// The records are of more than one subject.
    #[error("a receipt is of one subject; the records are of several")]
    SubjectsDiffer,
    /// No purpose has consent in force: a Kantara receipt is the evidence of a consent, and
    /// there is none to show (the DPV history shows refusals and withdrawals).
    #[error("no purpose has consent in force at the time asked")]
    NothingInForce,
    /// A field the specification requires was not kept by any record.
    #[error("no consent record keeps the `{field}` a receipt requires")]
    Missing {
        /// The field, as the specification names it.
        field: &'static str,
    },
}

/// The controller a receipt names: the organization accountable for the processing. The
/// Kantara receipt requires a contact, an address, an e-mail address and a phone number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Controller {
    name: String,
    contact: String,
    address: String,
    email: String,
    phone: String,
    url: Option<String>,
}

impl Controller {
    /// The controller called `name`.
    #[must_use]
    pub fn new(name: impl Into<String>) -> Self {
        Controller {
            name: name.into(),
            contact: String::new(),
            address: String::new(),
            email: String::new(),
            phone: String::new(),
            url: None,
        }
    }

    /// Whom to contact about the processing: a role, such as the data protection officer.
    #[must_use]
    pub fn contact(mut self, contact: impl Into<String>) -> Self {
        self.contact = contact.into();
        self
    }

    /// The controller's postal address.
    #[must_use]
    pub fn address(mut self, address: impl Into<String>) -> Self {
        self.address = address.into();
        self
    }

    /// The controller's e-mail address for privacy matters.
    #[must_use]
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.email = email.into();
        self
    }

    /// The controller's phone number for privacy matters.
    #[must_use]
    pub fn phone(mut self, phone: impl Into<String>) -> Self {
        self.phone = phone.into();
        self
    }

    /// The controller's web address.
    #[must_use]
    pub fn url(mut self, url: impl Into<String>) -> Self {
        self.url = Some(url.into());
        self
    }
}

/// Makes receipts of consent records for one controller, policy and service.
#[derive(Clone, Debug)]
pub struct Receipts {
    controller: Controller,
    policy_url: String,
    service: String,
    pseudonymized: bool,
    third_party: Option<String>,
}

impl Receipts {
    /// Receipts of `controller`, whose privacy policy is at `policy_url`, for the consent given
    /// to `service`.
    #[must_use]
    pub fn new(
        controller: Controller,
        policy_url: impl Into<String>,
        service: impl Into<String>,
    ) -> Self {
        Receipts {
            controller,
            policy_url: policy_url.into(),
            service: service.into(),
            pseudonymized: false,
            third_party: None,
        }
    }

    /// Names the subject by its pseudonym ([`SubjectId::pseudonym`]) instead of its id: for a
    /// receipt that leaves the controller, or is kept where the id must not be.
    #[must_use]
    pub fn pseudonymized(mut self) -> Self {
        self.pseudonymized = true;
        self
    }

    /// Says that the purposes' data is disclosed to the third party `name` (a Kantara receipt
    /// says whether it is; unless this is called, it says it is not).
    #[must_use]
    pub fn discloses_to(mut self, name: impl Into<String>) -> Self {
        self.third_party = Some(name.into());
        self
    }

    /// The Kantara Consent Receipt v1.1 of the consent in force at `now` in `history` (a
    /// subject's records, as [`ConsentStore::history`](super::ConsentStore::history) gives
    /// them).
    pub fn kantara(
        &self,
        history: &[ConsentRecord],
        now: SystemTime,
    ) -> Result<Value, ReceiptError> {
        let subject = one_subject(history)?;
        let in_force: Vec<&ConsentRecord> = latest_per_purpose(history)
            .into_iter()
            .filter(|record| record.status_at(now).in_force())
            .collect();
        if in_force.is_empty() {
            return Err(ReceiptError::NothingInForce);
        }
        let kept = |get: fn(&ConsentRecord) -> Option<&str>| {
            joined(in_force.iter().filter_map(|r| get(r)))
        };
        let jurisdiction = kept(|r| r.jurisdiction.as_deref()).ok_or(ReceiptError::Missing {
            field: "jurisdiction",
        })?;
        let collection_method =
            kept(|r| r.method.map(CollectionMethod::as_str)).ok_or(ReceiptError::Missing {
                field: "collectionMethod",
            })?;
        let language = kept(|r| r.language.as_deref());
        let consent_timestamp = in_force
            .iter()
            .map(|record| record.at)
            .max()
            .map_or(0, unix_seconds);
        let report = crate::inventory::Report::collect();
        let purposes = in_force
            .iter()
            .map(|record| {
                let consent_type = record.consent_type.ok_or(ReceiptError::Missing {
                    field: "consentType",
                })?;
                let categories: BTreeSet<&str> = report
                    .types
                    .iter()
                    .flat_map(|ty| &ty.fields)
                    .filter(|field| field.purposes.contains(&record.purpose.as_str()))
                    .filter_map(|field| field.kind.map(crate::Kind::as_str))
                    .collect();
                let mut purpose = json!({
                    "purpose": record.purpose,
                    "purposeCategory": [record.purpose],
                    "consentType": kantara_consent_type(consent_type),
                    "piiCategory": categories.into_iter().collect::<Vec<_>>(),
                    "primaryPurpose": false,
                    "termination": match record.expires_at {
                        Some(at) => format!("expires {}", rfc3339(at)),
                        None => "until withdrawn".to_owned(),
                    },
                    "thirdPartyDisclosure": self.third_party.is_some(),
                });
                if let Some(name) = &self.third_party {
                    purpose["thirdPartyName"] = json!(name);
                }
                Ok(purpose)
            })
            .collect::<Result<Vec<_>, ReceiptError>>()?;
        let mut controller = json!({
            "piiController": self.controller.name,
            "contact": self.controller.contact,
            "address": self.controller.address,
            "email": self.controller.email,
            "phone": self.controller.phone,
        });
        if let Some(url) = &self.controller.url {
            controller["piiControllerUrl"] = json!(url);
        }
        let mut receipt = json!({
            "version": KANTARA_VERSION,
            "jurisdiction": jurisdiction,
            "consentTimestamp": consent_timestamp,
            "collectionMethod": collection_method,
            "consentReceiptID": receipt_id(subject, &in_force),
            "piiPrincipalId": self.subject_text(subject),
            "piiControllers": [controller],
            "policyUrl": self.policy_url,
            "services": [{ "service": self.service, "purposes": purposes }],
            "sensitive": false,
            "spiCat": [],
        });
        if let Some(language) = language {
            receipt["language"] = json!(language);
        }
        Ok(receipt)
    }

    /// The DPV JSON-LD document of `history` (a subject's records): one `dpv:ConsentRecord` per
    /// record, in a `@graph`, the latest of each purpose with its status at `now`.
    pub fn dpv(&self, history: &[ConsentRecord], now: SystemTime) -> Result<Value, ReceiptError> {
        let subject = one_subject(history)?;
        let latest: BTreeSet<_> = latest_per_purpose(history)
            .into_iter()
            .map(|record| record.id)
            .collect();
        let graph: Vec<Value> = history
            .iter()
            .map(|record| {
                let status = if latest.contains(&record.id) {
                    record.status_at(now)
                } else {
                    // Superseded: the status it recorded, before time could run out on it.
                    record.status_at(record.at)
                };
                self.dpv_record(subject, record, status)
            })
            .collect();
        Ok(json!({
            "@context": {
                "dpv": DPV_NAMESPACE,
                "dct": "http://purl.org/dc/terms/",
                "xsd": "http://www.w3.org/2001/XMLSchema#",
                "prv": PRIVACY_NAMESPACE,
            },
            "@graph": graph,
        }))
    }

    fn dpv_record(
        &self,
        subject: &SubjectId,
        record: &ConsentRecord,
        status: ConsentStatus,
    ) -> Value {
        let time = |at: SystemTime| json!({ "@value": rfc3339(at), "@type": "xsd:dateTime" });
        let mut node = Map::new();
        let mut put = |key: &str, value: Value| {
            node.insert(key.to_owned(), value);
        };
        put(
            "@id",
            json!(format!("{}record-{}", PRIVACY_NAMESPACE, record.id)),
        );
        put("@type", json!("dpv:ConsentRecord"));
        put("dct:identifier", json!(record.id.to_string()));
        put("dct:created", time(record.at));
        put(
            "dpv:hasDataSubject",
            json!({ "@type": "dpv:DataSubject", "dct:identifier": self.subject_text(subject) }),
        );
        let controller = record
            .controller
            .as_deref()
            .unwrap_or(&self.controller.name);
        put(
            "dpv:hasDataController",
            json!({ "@type": "dpv:DataController", "dct:title": controller }),
        );
        put(
            "dpv:hasPurpose",
            json!({ "@type": "dpv:Purpose", "dct:identifier": record.purpose }),
        );
        put("dpv:hasConsentStatus", json!({ "@id": dpv_status(status) }));
        if let Some(consent_type) = record.consent_type {
            put(
                "dpv:hasLegalBasis",
                json!({ "@id": dpv_legal_basis(consent_type) }),
            );
        }
        if let Some(jurisdiction) = &record.jurisdiction {
            put("dpv:hasJurisdiction", json!(jurisdiction));
        }
        if record.notice.is_some() || record.language.is_some() {
            let mut notice = json!({ "@type": "dpv:ConsentNotice" });
            if let Some(version) = &record.notice {
                notice["dct:hasVersion"] = json!(version);
            }
            if let Some(language) = &record.language {
                notice["dct:language"] = json!(language);
            }
            put("dpv:hasNotice", notice);
        }
        if !record.source.is_empty() {
            put("dct:source", json!(record.source));
        }
        if let Some(method) = record.method {
            put("prv:collectionMethod", json!(method.as_str()));
        }
        if let Some(at) = record.expires_at {
            put("dct:valid", time(at));
        }
        put("prv:action", json!(record.action.as_str()));
        Value::Object(node)
    }

    fn subject_text(&self, subject: &SubjectId) -> String {
        if self.pseudonymized {
            subject.pseudonym().to_string()
        } else if subject.namespace().is_empty() {
            subject.as_str().to_owned()
        } else {
            format!("{}:{}", subject.namespace(), subject.as_str())
        }
    }
}

/// The one subject of `history`.
fn one_subject(history: &[ConsentRecord]) -> Result<&SubjectId, ReceiptError> {
    let first = &history.first().ok_or(ReceiptError::NoRecords)?.subject;
    if history.iter().all(|record| &record.subject == first) {
        Ok(first)
    } else {
        Err(ReceiptError::SubjectsDiffer)
    }
}

/// The latest record of each purpose in `history`, by id, in the order of their purposes'
/// names.
fn latest_per_purpose(history: &[ConsentRecord]) -> Vec<&ConsentRecord> {
    let mut latest: BTreeMap<&str, &ConsentRecord> = BTreeMap::new();
    for record in history {
        let entry = latest.entry(record.purpose.as_str()).or_insert(record);
        if record.id > entry.id {
            *entry = record;
        }
    }
    latest.into_values().collect()
}

/// The distinct values, joined by `, `; `None` when there are none.
fn joined<'a>(values: impl Iterator<Item = &'a str>) -> Option<String> {
    let distinct: BTreeSet<&str> = values.filter(|value| !value.is_empty()).collect();
    (!distinct.is_empty()).then(|| distinct.into_iter().collect::<Vec<_>>().join(", "))
}

fn kantara_consent_type(consent_type: ConsentType) -> &'static str {
    match consent_type {
        ConsentType::Explicit => "EXPLICIT",
        ConsentType::Implicit => "IMPLICIT",
        ConsentType::OptOut => "OPT-OUT",
    }
}

fn dpv_legal_basis(consent_type: ConsentType) -> &'static str {
    match consent_type {
        ConsentType::Explicit => "dpv:ExplicitlyExpressedConsent",
        ConsentType::Implicit | ConsentType::OptOut => "dpv:ImpliedConsent",
    }
}

fn dpv_status(status: ConsentStatus) -> &'static str {
    match status {
        ConsentStatus::Given => "dpv:ConsentGiven",
        ConsentStatus::Renewed => "dpv:RenewedConsentGiven",
        ConsentStatus::Refused => "dpv:ConsentRefused",
        ConsentStatus::Withdrawn => "dpv:ConsentWithdrawn",
        ConsentStatus::Expired => "dpv:ConsentExpired",
    }
}

/// A receipt id in the form of a UUID (version 8, RFC 9562: its bits are this crate's): the
/// SHA-256 of the subject and the records the receipt shows, so that the same records always
/// give the same id, and any other records another.
fn receipt_id(subject: &SubjectId, records: &[&ConsentRecord]) -> String {
    let mut hash = Sha256::new();
    for part in [subject.namespace(), subject.as_str()] {
        hash.update((part.len() as u64).to_be_bytes());
        hash.update(part.as_bytes());
    }
    for record in records {
        hash.update(record.id.0.to_be_bytes());
        hash.update(record.action.as_str().as_bytes());
    }
    let digest = hash.finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    bytes[6] = (bytes[6] & 0x0f) | 0x80;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let mut id = String::with_capacity(36);
    for (i, byte) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            id.push('-');
        }
        let _ = write!(id, "{byte:02x}");
    }
    id
}

/// Whole seconds since 1970, rounded down (negative before).
fn unix_seconds(at: SystemTime) -> i64 {
    match at.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
        Err(before) => {
            let before = before.duration();
            let seconds = before.as_secs() + u64::from(before.subsec_nanos() != 0);
            i64::try_from(seconds).map_or(i64::MIN, |seconds| -seconds)
        }
    }
}

/// `at` in UTC as an `xsd:dateTime` (RFC 3339 for years 0 to 9999), to the millisecond.
fn rfc3339(at: SystemTime) -> String {
    let (millis, negative) = match at.duration_since(UNIX_EPOCH) {
        Ok(after) => (after.as_millis(), false),
        Err(before) => (before.duration().as_millis(), true),
    };
    let millis = i128::try_from(millis).unwrap_or(i128::MAX);
    let millis = if negative { -millis } else { millis };
    let days = millis.div_euclid(86_400_000);
    let in_day = millis.rem_euclid(86_400_000);
    let (year, month, day) = civil_from_days(days);
    let year = if year < 0 {
        format!("-{:04}", -year)
    } else {
        format!("{year:04}")
    };
    format!(
        "{year}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        in_day / 3_600_000,
        in_day / 60_000 % 60,
        in_day / 1000 % 60,
        in_day % 1000
    )
}

/// The proleptic Gregorian date `days` after 1970-01-01 (H. Hinnant's `civil_from_days`).
fn civil_from_days(days: i128) -> (i128, i128, i128) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i128::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn dates_are_civil_dates_in_utc() {
        let at = |millis: i64| {
            if millis >= 0 {
                UNIX_EPOCH + Duration::from_millis(millis.unsigned_abs())
            } else {
                UNIX_EPOCH - Duration::from_millis(millis.unsigned_abs())
            }
        };
        assert_eq!(rfc3339(at(0)), "1970-01-01T00:00:00.000Z");
        assert_eq!(rfc3339(at(951_782_400_000)), "2000-02-29T00:00:00.000Z");
        assert_eq!(rfc3339(at(1_764_806_400_123)), "2025-12-04T00:00:00.123Z");
        assert_eq!(rfc3339(at(-1)), "1969-12-31T23:59:59.999Z");
        assert_eq!(rfc3339(at(253_402_300_799_999)), "9999-12-31T23:59:59.999Z");
        assert_eq!(rfc3339(at(-62_167_219_200_000)), "0000-01-01T00:00:00.000Z");
        assert_eq!(
            rfc3339(at(-62_167_219_200_001)),
            "-0001-12-31T23:59:59.999Z"
        );
        assert_eq!(unix_seconds(at(-1)), -1);
        assert_eq!(unix_seconds(at(1_999)), 1);
    }

    #[test]
    fn receipt_ids_are_uuids_of_version_8() {
        let id = receipt_id(&SubjectId::from("7"), &[]);
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "8");
        assert!(matches!(&id[19..20], "8" | "9" | "a" | "b"), "{id}");
        assert_ne!(id, receipt_id(&SubjectId::from("8"), &[]));
        assert_ne!(id, receipt_id(&SubjectId::new("device", "7"), &[]));
    }
}
