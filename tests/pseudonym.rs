//! The `hash` strategy under an installed key: HMAC-SHA256, truncated, tagged with the key id,
//! separated per field.

// Like std's derive, the redacted `Debug` does not count as reading a field.
#![allow(dead_code)]

use std::sync::Once;

use hmac::{Hmac, Mac};
use privacy::pseudonym::{self, KeyError, PseudonymKey};
use privacy::Privacy;
use sha2::Sha256;

const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";

fn install() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| pseudonym::install(PseudonymKey::new("k2026", SECRET).unwrap()).unwrap());
}

/// The documented construction, computed independently of the crate.
fn expected(domain: &str, value: &str) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(SECRET).unwrap();
    mac.update(domain.as_bytes());
    mac.update(&[0]);
    mac.update(value.as_bytes());
    let digest = mac.finalize().into_bytes();
    let hex: Vec<String> = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    format!("#k2026:{}", hex.concat())
}

#[derive(Privacy)]
struct Member {
    #[pii(email, redact = hash)]
    email: String,
    #[pii(email, redact = hash)]
    backup_email: String,
    #[pii(account_id, redact = hash)]
    account: u64,
}

#[derive(Privacy)]
enum Login {
    ByEmail(#[pii(email, redact = hash)] String),
}

#[test]
fn pseudonym_is_the_truncated_hmac_tagged_with_the_key_id() {
    install();
    let member = Member {
        email: "alice@example.com".into(),
        backup_email: "bob@example.com".into(),
        account: 981,
    };
    assert_eq!(
        format!("{member:?}"),
        format!(
            "Member {{ email: <pii:email {}>, backup_email: <pii:email {}>, account: <pii:account_id {}> }}",
            expected("Member.email", "alice@example.com"),
            expected("Member.backup_email", "bob@example.com"),
            expected("Member.account", "981"),
        )
    );
    assert_eq!(pseudonym::key_id(), "k2026");
}

#[test]
fn equal_values_match_within_a_field_and_differ_across_fields() {
    install();
    let a = Member {
        email: "same@example.com".into(),
        backup_email: "same@example.com".into(),
        account: 1,
    };
    let b = Member {
        email: "same@example.com".into(),
        backup_email: "other@example.com".into(),
        account: 1,
    };
    let (a, b) = (format!("{a:?}"), format!("{b:?}"));
    let field = |s: &str, i: usize| {
        s.split(", ")
            .nth(i)
            .unwrap()
            .rsplit(' ')
            .next()
            .unwrap()
            .to_owned()
    };
    assert_eq!(
        field(&a, 0),
        field(&b, 0),
        "same value, same field: same pseudonym"
    );
    assert_ne!(
        field(&a, 0),
        field(&a, 1),
        "same value, different fields: different pseudonyms"
    );
    let login = format!("{:?}", Login::ByEmail("same@example.com".into()));
    assert_eq!(
        login,
        format!(
            "ByEmail(<pii:email {}>)",
            expected("Login::ByEmail.0", "same@example.com")
        )
    );
}

#[test]
fn a_second_key_is_refused() {
    install();
    let again = pseudonym::install(PseudonymKey::new("k2027", SECRET).unwrap());
    assert_eq!(again, Err(KeyError::AlreadyInstalled("k2026".into())));
}

#[test]
fn bad_keys_are_typed_errors() {
    assert_eq!(
        PseudonymKey::new("", SECRET).unwrap_err(),
        KeyError::InvalidId(String::new())
    );
    assert_eq!(
        PseudonymKey::new("has space", SECRET).unwrap_err(),
        KeyError::InvalidId("has space".into())
    );
    assert_eq!(
        PseudonymKey::new("ephemeral", SECRET).unwrap_err(),
        KeyError::ReservedId
    );
    assert_eq!(
        PseudonymKey::new("k", b"short").unwrap_err(),
        KeyError::ShortSecret(5)
    );
    let key = PseudonymKey::new("k.1-a_b", SECRET).unwrap();
    assert_eq!(format!("{key:?}"), r#"PseudonymKey { id: "k.1-a_b", .. }"#);
    assert_eq!(
        KeyError::ShortSecret(5).to_string(),
        "the secret has 5 bytes; a pseudonym key needs at least 16"
    );
}
