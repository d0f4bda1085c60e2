//! Red team, outside the features just landed: two promises of the design contract that the
//! current reveal does not keep (the existing tests assert the opposite of the first, and the
//! doc example of `Reveal` relies on the second).
//!
//! 1. "A field that names no purpose is never revealed by a consent (fail closed), only by a
//!    `Disclosure` or an audience": `Consent::allows` admits any field whose `purposes` is
//!    empty, and wrappers (`Pii<T>`, whose schema entry names no purpose) likewise.
//! 2. "A view writes a raw value only after that record has been accepted by the audit sink;
//!    where no sink accepts it (no subscriber records tracing target `privacy::audit`, ...), the
//!    view writes the redacted text instead": with no subscriber at all, a view writes the raw
//!    value and records nothing.

use privacy::consent::{ConsentStore, Evidence, MemoryConsentStore};
use privacy::purpose::Support;
use privacy::{Pii, Privacy, Reveal, SubjectId};

const NAME: &str = "QZNAMEX8C4D1";
const NICK: &str = "QZNICKX2F7G3";
const PHONE: &str = "QZPHONEX5H9J6";

#[derive(Privacy)]
struct Member {
    #[safe]
    #[privacy(subject)]
    id: u64,
    #[pii(name)]
    name: String,
    nick: Pii<String>,
    #[pii(phone, purposes(Support))]
    phone: String,
}

fn member() -> Member {
    Member {
        id: 7,
        name: NAME.into(),
        nick: Pii::new(NICK.into()),
        phone: PHONE.into(),
    }
}

fn consent() -> privacy::Consent<Support> {
    let store = MemoryConsentStore::new();
    let alice = SubjectId::from(7_u64);
    store
        .grant(&alice, Support, Evidence::new("support chat"))
        .unwrap();
    store.consent::<Support>(&alice).unwrap()
}

#[test]
fn a_consent_never_reveals_a_field_that_names_no_purpose() {
    let member = member();
    let consent = consent();
    let shown = tracing::subscriber::with_default(
        tracing_subscriber::fmt()
            .with_writer(std::io::sink)
            .finish(),
        || format!("{:?}", member.reveal(&consent)),
    );
    assert!(
        shown.contains(PHONE),
        "purposes(Support) is revealed: {shown}"
    );
    assert!(
        !shown.contains(NAME) && !shown.contains(NICK),
        "fields without purposes(...) are revealed by a consent: {shown}"
    );
}

#[test]
fn with_no_audit_sink_a_view_writes_the_redacted_text() {
    // No subscriber: nobody records `privacy::audit`.
    let shown = format!("{:?}", member().reveal(&consent()));
    assert!(
        !shown.contains(PHONE),
        "a raw value with no audit record: {shown}"
    );
}
