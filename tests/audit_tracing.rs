//! A view written inside a tracing event or span (`tracing::info!(v = ?x.reveal(&p))`) is
//! audited like any other: tracing-core runs nested dispatches against the no-op dispatcher,
//! so the record is dispatched where it is seen; a view writes a raw value only after its
//! record has been accepted, and otherwise writes the redacted text.

#[path = "fixture/capture.rs"]
mod capture;

use capture::{captured, captured_with, Detail, Format};
use privacy::consent::{ConsentStore, Evidence, MemoryConsentStore};
use privacy::purpose::Support;
use privacy::{Privacy, Reveal, SubjectId};

const PHONE: &str = "QZPHONEX7R2K9";

#[derive(Privacy)]
struct Member {
    #[safe]
    #[privacy(subject)]
    id: u64,
    #[pii(phone, purposes(Support))]
    phone: String,
}

fn consent() -> privacy::Consent<Support> {
    let store = MemoryConsentStore::new();
    let alice = SubjectId::from(7_u64);
    store
        .grant(&alice, Support, Evidence::new("support chat"))
        .unwrap();
    store.consent::<Support>(&alice).unwrap()
}

/// Every line that shows the raw phone must come with an audit record.
fn assert_audited(output: &str) {
    if output.contains(PHONE) {
        assert!(
            output.contains(r#""target":"privacy::audit""#),
            "a raw value was written with no audit record:\n{output}"
        );
    }
}

#[test]
fn control_a_view_written_before_the_event_is_audited() {
    let member = Member {
        id: 7,
        phone: PHONE.into(),
    };
    let consent = consent();
    let output = captured(Format::Json, || {
        let shown = format!("{:?}", member.reveal(&consent));
        tracing::info!(member = %shown);
    });
    assert!(output.contains(PHONE), "{output}");
    assert_audited(&output);
}

#[test]
fn a_view_inside_an_event_is_audited_or_redacted() {
    let member = Member {
        id: 7,
        phone: PHONE.into(),
    };
    let consent = consent();
    let output = captured(Format::Json, || {
        tracing::info!(member = ?member.reveal(&consent));
    });
    assert_audited(&output);
}

#[test]
fn a_view_inside_a_span_is_audited_or_redacted() {
    let member = Member {
        id: 7,
        phone: PHONE.into(),
    };
    let consent = consent();
    let detail = Detail {
        new_spans: true,
        ..Detail::default()
    };
    let output = captured_with(Format::Json, detail, || {
        let _span = tracing::info_span!("lookup", member = ?member.reveal(&consent)).entered();
        tracing::info!("inside");
    });
    assert_audited(&output);
}
