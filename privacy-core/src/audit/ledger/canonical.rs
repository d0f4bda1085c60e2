//! The canonical form of an audit record: the bytes the ledger chains, keeps and exports.
//!
//! One line of JSON whose members come in a fixed order: `v` (the form's version, 1), `at_ns`,
//! `instance`, `output`, `type_name`, `fields`, `permit`, `basis`, `subjects`, `viewer`,
//! `grant`. It is written member by member, never through a map, so no `serde_json` feature
//! (`preserve_order`) or key order can change the bytes of a record.

use std::borrow::Cow;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::Value;

use super::LedgerError;
use crate::audit::{AuditRecord, Output};
use crate::consent::RecordId;

/// The version of the canonical form.
const FORM: u64 = 1;

/// The members of the canonical form, in their order.
const MEMBERS: [&str; 11] = [
    "v",
    "at_ns",
    "instance",
    "output",
    "type_name",
    "fields",
    "permit",
    "basis",
    "subjects",
    "viewer",
    "grant",
];

/// `record` in its canonical form.
pub(super) fn encode(record: &AuditRecord<'_>) -> Result<String, LedgerError> {
    let at_ns = to_nanos(record.at).ok_or_else(|| {
        LedgerError::Unrepresentable(format!(
            "{:?} is too far from 1970 to be kept in nanoseconds as a 64-bit integer",
            record.at
        ))
    })?;
    let mut out = Vec::with_capacity(256);
    out.extend_from_slice(format!("{{\"v\":{FORM},\"at_ns\":{at_ns}").as_bytes());
    name(&mut out, "instance");
    string(&mut out, &record.instance)?;
    name(&mut out, "output");
    string(&mut out, record.output.as_str())?;
    name(&mut out, "type_name");
    string(&mut out, &record.type_name)?;
    name(&mut out, "fields");
    strings(&mut out, &record.fields)?;
    name(&mut out, "permit");
    string(&mut out, &record.permit)?;
    name(&mut out, "basis");
    string(&mut out, &record.basis)?;
    name(&mut out, "subjects");
    strings(&mut out, &record.subjects)?;
    name(&mut out, "viewer");
    match &record.viewer {
        Some(viewer) => string(&mut out, viewer)?,
        None => out.extend_from_slice(b"null"),
    }
    name(&mut out, "grant");
    match record.grant {
        Some(grant) => out.extend_from_slice(grant.0.to_string().as_bytes()),
        None => out.extend_from_slice(b"null"),
    }
    out.push(b'}');
    // serde_json writes UTF-8, and so does everything above.
    String::from_utf8(out).map_err(|error| LedgerError::Backend(Box::new(error)))
}

/// Writes `,"name":`.
fn name(out: &mut Vec<u8>, name: &str) {
    out.extend_from_slice(b",\"");
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b"\":");
}

/// Writes `text` as a JSON string, escaped as `serde_json` escapes it.
fn string(out: &mut Vec<u8>, text: &str) -> Result<(), LedgerError> {
    serde_json::to_writer(out, text).map_err(|error| LedgerError::Backend(Box::new(error)))
}

/// Writes `texts` as a JSON array of strings.
fn strings(out: &mut Vec<u8>, texts: &[Cow<'_, str>]) -> Result<(), LedgerError> {
    out.push(b'[');
    for (i, text) in texts.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        string(out, text)?;
    }
    out.push(b']');
    Ok(())
}

/// The record whose canonical form is `bytes`, or what is wrong with them. Only the canonical
/// form itself is accepted: bytes that decode but are not what [`encode`] writes of the
/// record they decode to (another member order, spacing, escapes) are refused too.
pub(super) fn decode(bytes: &[u8]) -> Result<AuditRecord<'static>, String> {
    let value: Value =
        serde_json::from_slice(bytes).map_err(|error| format!("not JSON: {error}"))?;
    let Value::Object(members) = value else {
        return Err("not a JSON object".into());
    };
    if members.len() != MEMBERS.len() || MEMBERS.iter().any(|name| !members.contains_key(*name)) {
        return Err(format!("not the members {MEMBERS:?}"));
    }
    if members["v"].as_u64() != Some(FORM) {
        return Err(format!("form {}, not {FORM}", members["v"]));
    }
    let at_ns = members["at_ns"]
        .as_i64()
        .ok_or("`at_ns` is not a 64-bit integer")?;
    let output = text(&members["output"], "output")?;
    let record = AuditRecord {
        at: from_nanos(at_ns).ok_or("`at_ns` is out of this system's range")?,
        instance: text(&members["instance"], "instance")?,
        output: Output::from_name(&output).ok_or_else(|| format!("unknown output `{output}`"))?,
        type_name: text(&members["type_name"], "type_name")?,
        fields: texts(&members["fields"], "fields")?,
        permit: text(&members["permit"], "permit")?,
        basis: text(&members["basis"], "basis")?,
        subjects: texts(&members["subjects"], "subjects")?,
        viewer: match &members["viewer"] {
            Value::Null => None,
            viewer => Some(text(viewer, "viewer")?),
        },
        grant: match &members["grant"] {
            Value::Null => None,
            grant => Some(RecordId(
                grant.as_u64().ok_or("`grant` is not a record id")?,
            )),
        },
    };
    let canonical = encode(&record).map_err(|error| error.to_string())?;
    if canonical.as_bytes() == bytes {
        Ok(record)
    } else {
        Err("not in canonical form".into())
    }
}

fn text(value: &Value, name: &str) -> Result<Cow<'static, str>, String> {
    value
        .as_str()
        .map(|text| Cow::Owned(text.to_owned()))
        .ok_or_else(|| format!("`{name}` is not a string"))
}

fn texts(value: &Value, name: &str) -> Result<Vec<Cow<'static, str>>, String> {
    value
        .as_array()
        .ok_or_else(|| format!("`{name}` is not an array"))?
        .iter()
        .map(|item| text(item, name))
        .collect()
}

/// `time` as nanoseconds since the Unix epoch (negative before it), if that fits an `i64`:
/// from 1677 to 2262.
pub(super) fn to_nanos(time: SystemTime) -> Option<i64> {
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_nanos()).ok(),
        Err(before) => i64::try_from(before.duration().as_nanos())
            .ok()
            .map(|nanos| -nanos),
    }
}

/// The time `nanos` nanoseconds after the Unix epoch (before it, if negative).
pub(super) fn from_nanos(nanos: i64) -> Option<SystemTime> {
    let offset = Duration::from_nanos(nanos.unsigned_abs());
    if nanos >= 0 {
        UNIX_EPOCH.checked_add(offset)
    } else {
        UNIX_EPOCH.checked_sub(offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> AuditRecord<'static> {
        AuditRecord {
            at: UNIX_EPOCH + Duration::new(1_750_000_000, 123_456_789),
            instance: "pid:7".into(),
            output: Output::Serialized,
            type_name: "Member".into(),
            fields: vec!["phone".into(), "friends.phone".into()],
            permit: "consent".into(),
            basis: "support \"chat\"\n\u{e9}\u{1}".into(),
            subjects: vec!["#k1:00ff".into(), "#k1:0100".into()],
            viewer: Some("#k1:abcd".into()),
            grant: Some(RecordId(u64::MAX)),
        }
    }

    #[test]
    fn canonical_form_is_fixed_to_the_byte() {
        assert_eq!(
            encode(&record()).unwrap(),
            r##"{"v":1,"at_ns":1750000000123456789,"instance":"pid:7","output":"serialize","type_name":"Member","fields":["phone","friends.phone"],"permit":"consent","basis":"support \"chat\"\né\u0001","subjects":["#k1:00ff","#k1:0100"],"viewer":"#k1:abcd","grant":18446744073709551615}"##
        );
    }

    #[test]
    fn every_member_reads_back() {
        let record = record();
        assert_eq!(decode(encode(&record).unwrap().as_bytes()).unwrap(), record);
        let before_1970 = AuditRecord {
            at: UNIX_EPOCH - Duration::new(86_400, 1),
            viewer: None,
            grant: None,
            fields: Vec::new(),
            ..record
        };
        let text = encode(&before_1970).unwrap();
        assert!(text.contains(r#""at_ns":-86400000000001,"#), "{text}");
        assert_eq!(decode(text.as_bytes()).unwrap(), before_1970);
    }

    #[test]
    fn only_the_canonical_form_decodes() {
        let text = encode(&record()).unwrap();
        for other in [
            text.replacen("{\"v\":1,", "{\"v\":1, ", 1),
            text.replacen("\"v\":1", "\"v\":2", 1),
            text.replacen("\"permit\":\"consent\",", "", 1),
            text.replacen('}', ",\"extra\":0}", 1),
            text.replacen("serialize", "print", 1),
            text.replacen("\\u0001", "\\u0002", 1)
                .replacen("\u{e9}", "\\u00e9", 1),
            "[]".into(),
            "{".into(),
        ] {
            assert!(decode(other.as_bytes()).is_err(), "{other}");
        }
    }

    #[test]
    fn times_beyond_2262_are_unrepresentable() {
        let far = AuditRecord {
            at: UNIX_EPOCH + Duration::from_secs(300 * 366 * 86_400),
            ..record()
        };
        assert!(matches!(encode(&far), Err(LedgerError::Unrepresentable(_))));
    }
}
