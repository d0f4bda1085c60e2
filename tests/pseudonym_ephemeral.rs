//! Without an installed key, pseudonyms use a random per-process key and say so. This file is
//! its own process: no test here installs a key before formatting.

// Like std's derive, the redacted `Debug` does not count as reading a field.
#![allow(dead_code)]

use privacy::pseudonym::{self, KeyError, PseudonymKey};
use privacy::Privacy;

#[derive(Privacy)]
struct Member {
    #[pii(email, redact = hash)]
    email: String,
}

#[test]
fn ephemeral_key_is_announced_stable_and_locks_out_late_installs() {
    let a = format!(
        "{:?}",
        Member {
            email: "alice@example.com".into()
        }
    );
    let b = format!(
        "{:?}",
        Member {
            email: "alice@example.com".into()
        }
    );
    assert!(
        a.starts_with("Member { email: <pii:email #ephemeral:"),
        "{a}"
    );
    assert_eq!(
        a.len(),
        "Member { email: <pii:email #ephemeral:0123456789abcdef> }".len()
    );
    assert_eq!(a, b);
    assert!(!a.contains("alice"));
    assert_eq!(pseudonym::key_id(), pseudonym::EPHEMERAL_KEY_ID);
    let late = pseudonym::install(PseudonymKey::new("k1", &[1; 32]).unwrap());
    assert_eq!(late, Err(KeyError::EphemeralInUse));
}
