use privacy::consent::{ConsentStore, MemoryConsentStore};
use privacy::purpose::{Analytics, Diagnostics};
use privacy::{Consent, SubjectId};

fn send_crash_report(_consent: &Consent<Diagnostics>) {}

fn main() {
    let store = MemoryConsentStore::new();
    let analytics: Consent<Analytics> = store.consent::<Analytics>(&SubjectId::from("7")).unwrap();
    send_crash_report(&analytics);
}
