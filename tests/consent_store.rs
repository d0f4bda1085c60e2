//! The consent stores. One behavioural suite runs against every store; then what only
//! `SqliteConsentStore` promises: records that survive a killed process and a reopened file,
//! many processes and threads writing at once, and typed errors for files it cannot use.
//!
//! The tests that need a second process run this test binary again, with an environment
//! variable that turns one of the `child_*` tests from a no-op into the child's work.

#![cfg(feature = "sqlite")]

use std::collections::BTreeSet;
use std::env;
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use std::sync::Mutex;

use privacy::consent::{
    Action, Clock, CollectionMethod, ConsentBackend, ConsentError, ConsentRecord, ConsentStatus,
    ConsentStore, ConsentType, Evidence, ManualClock, MemoryConsentStore, NewRecord, RecordId,
    SqliteConsentStore, StoreError, Trusted,
};
use privacy::purpose::{Analytics, Diagnostics, Support};
use privacy::SubjectId;

/// Where the clock of every suite check starts: a whole number of milliseconds, which the
/// SQLite store keeps exactly.
fn start() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_750_000_000)
}

/// A directory of its own under the system's temporary directory, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let unique = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = env::temp_dir().join(format!(
            "privacy-consent-{name}-{}-{unique}",
            std::process::id()
        ));
        let _ = fs::remove_dir_all(&path);
        fs::create_dir_all(&path).expect("create a temporary directory");
        TempDir(path)
    }

    fn file(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn store_error<T: std::fmt::Debug>(result: Result<T, ConsentError>) -> StoreError {
    match result {
        Err(ConsentError::Store(error)) => error,
        other => panic!("expected a store error, got {other:?}"),
    }
}

/// Fails unless `result` is the error of a file that is not a consent store.
#[track_caller]
fn assert_corrupt<T: std::fmt::Debug>(result: Result<T, ConsentError>) {
    assert!(matches!(store_error(result), StoreError::Corrupt(_)));
}

/// Runs `sql` on the database file at `path`, behind the store's back.
fn execute(path: &Path, sql: &str) {
    rusqlite::Connection::open(path)
        .unwrap()
        .execute_batch(sql)
        .unwrap();
}

// ---------------------------------------------------------------------------------------------
// The behavioural suite, written once and run against every store.

/// Runs each check against a fresh store of every kind, on a `ManualClock` at [`start`].
macro_rules! suite {
    ($($check:ident),* $(,)?) => {
        mod memory_store {
            $(
                #[test]
                fn $check() {
                    let clock = super::Arc::new(super::ManualClock::new(super::start()));
                    let store = super::MemoryConsentStore::with_clock(clock.clone());
                    super::$check(&store, &clock);
                }
            )*
        }

        mod sqlite_file_store {
            $(
                #[test]
                fn $check() {
                    let dir = super::TempDir::new(stringify!($check));
                    let clock = super::Arc::new(super::ManualClock::new(super::start()));
                    let store = super::SqliteConsentStore::open_with_clock(
                        dir.file("consent.sqlite3"),
                        clock.clone(),
                    )
                    .expect("open");
                    super::$check(&store, &clock);
                }
            )*
        }

        mod sqlite_memory_store {
            $(
                #[test]
                fn $check() {
                    let clock = super::Arc::new(super::ManualClock::new(super::start()));
                    let store = super::SqliteConsentStore::in_memory_with_clock(clock.clone())
                        .expect("open");
                    super::$check(&store, &clock);
                }
            )*
        }

        mod trusted_backend_store {
            $(
                #[test]
                fn $check() {
                    let clock = super::Arc::new(super::ManualClock::new(super::start()));
                    let store = super::Trusted::trusting(super::VecBackend::new(clock.clone()));
                    super::$check(&store, &clock);
                }
            )*
        }
    };
}

/// A backend written outside the crate, as a user would: records in a `Vec`.
struct VecBackend {
    records: Mutex<Vec<ConsentRecord>>,
    clock: Arc<ManualClock>,
}

impl VecBackend {
    fn new(clock: Arc<ManualClock>) -> Self {
        VecBackend {
            records: Mutex::new(Vec::new()),
            clock,
        }
    }
}

impl ConsentBackend for VecBackend {
    fn append_if_latest(
        &self,
        record: NewRecord,
        expected: Option<RecordId>,
    ) -> Result<Option<ConsentRecord>, StoreError> {
        let mut records = self.records.lock().unwrap();
        let latest = records
            .iter()
            .rev()
            .find(|r| r.subject == record.subject && r.purpose == record.purpose)
            .map(|r| r.id);
        if latest != expected {
            return Ok(None);
        }
        let record = record.with_id(RecordId(records.len() as u64 + 1));
        records.push(record.clone());
        Ok(Some(record))
    }

    fn latest_record(
        &self,
        subject: &SubjectId,
        purpose: &str,
    ) -> Result<Option<ConsentRecord>, StoreError> {
        let records = self.records.lock().unwrap();
        Ok(records
            .iter()
            .rev()
            .find(|r| &r.subject == subject && r.purpose == purpose)
            .cloned())
    }

    fn history_of(&self, subject: &SubjectId) -> Result<Vec<ConsentRecord>, StoreError> {
        let records = self.records.lock().unwrap();
        Ok(records
            .iter()
            .filter(|r| &r.subject == subject)
            .cloned()
            .collect())
    }

    fn record_clock(&self) -> Arc<dyn Clock> {
        self.clock.clone()
    }
}

/// The backend under a store, for the checks of the step every change is made of.
trait Records {
    fn records(&self) -> &dyn ConsentBackend;
}

impl Records for MemoryConsentStore {
    fn records(&self) -> &dyn ConsentBackend {
        self
    }
}

impl Records for SqliteConsentStore {
    fn records(&self) -> &dyn ConsentBackend {
        self
    }
}

impl<B: ConsentBackend> Records for Trusted<B> {
    fn records(&self) -> &dyn ConsentBackend {
        self.backend()
    }
}

suite! {
    grant_gives_consent,
    consent_never_granted_is_not_granted,
    withdrawn_consent_fails,
    grant_after_withdrawal_gives_consent_again,
    grant_valid_for_expires,
    grant_expiring_at_a_time_expires,
    history_is_oldest_first_with_every_field,
    subjects_and_purposes_are_kept_apart,
    namespaces_are_kept_apart,
    withdraw_without_grant_is_not_granted,
    any_text_is_kept_as_given,
    time_out_of_range_is_an_error_not_a_panic,
    concurrent_withdrawals_of_one_grant_record_one,
    boundary_times_are_answered_alike,
    append_if_latest_appends_only_on_the_state_it_was_given,
    refusal_is_an_answer_not_a_consent,
    renew_extends_the_grant_it_names,
    concurrent_renewals_of_one_grant_record_one,
    grant_over_a_grant_is_a_renewal,
    concurrent_grants_record_one,
    concurrent_refusals_record_one,
    concurrent_answers_of_every_kind_leave_one_state,
    evidence_is_kept_whole,
}

/// Eight threads withdraw one grant at once: one withdrawal is recorded, the others are told
/// the consent is withdrawn, and a later grant and withdrawal work as before.
fn concurrent_withdrawals_of_one_grant_record_one(
    store: &(impl ConsentStore + Sync),
    _: &ManualClock,
) {
    let alice = SubjectId::from("7");
    for round in 0..20 {
        store
            .grant(&alice, Diagnostics, Evidence::new(format!("round {round}")))
            .unwrap();
        let start = std::sync::Barrier::new(8);
        let answers: Vec<_> = thread::scope(|scope| {
            let threads: Vec<_> = (0..8)
                .map(|_| {
                    scope.spawn(|| {
                        start.wait();
                        store.withdraw(&alice, Diagnostics)
                    })
                })
                .collect();
            threads.into_iter().map(|t| t.join().unwrap()).collect()
        });
        let recorded = answers.iter().filter(|answer| answer.is_ok()).count();
        assert_eq!(recorded, 1, "round {round}: {answers:?}");
        assert!(
            answers
                .iter()
                .all(|answer| matches!(answer, Ok(_) | Err(ConsentError::Withdrawn { .. }))),
            "{answers:?}"
        );
    }
    let history = store.history(&alice).unwrap();
    let withdrawals = history
        .iter()
        .filter(|record| record.action == Action::Withdrawn)
        .count();
    assert_eq!((history.len(), withdrawals), (40, 20), "{history:#?}");
}

/// The step every change is made of: nothing is appended once the latest record is another.
fn append_if_latest_appends_only_on_the_state_it_was_given(
    store: &(impl ConsentStore + Records + Sync),
    clock: &ManualClock,
) {
    let alice = SubjectId::from("7");
    let backend = store.records();
    let new = |action| NewRecord::new(alice.clone(), "diagnostics", action, clock.now());
    let first = backend
        .append_if_latest(new(Action::Granted), None)
        .unwrap()
        .expect("nothing before it");
    assert_eq!(
        backend
            .append_if_latest(new(Action::Granted), None)
            .unwrap(),
        None
    );
    let second = backend
        .append_if_latest(new(Action::Withdrawn), Some(first.id))
        .unwrap()
        .expect("the grant is the latest");
    assert_eq!(
        backend
            .append_if_latest(new(Action::Withdrawn), Some(first.id))
            .unwrap(),
        None
    );
    assert_eq!(store.latest(&alice, "diagnostics").unwrap(), Some(second));
    assert_eq!(store.history(&alice).unwrap().len(), 2);
}

/// A refusal is kept as what the person said: no consent, not "never asked"; a later grant
/// gives consent, and a withdrawal of a refusal records nothing.
fn refusal_is_an_answer_not_a_consent(store: &impl ConsentStore, clock: &ManualClock) {
    let alice = SubjectId::from("7");
    let refusal = store
        .refuse(&alice, Analytics, Evidence::new("analytics prompt v1"))
        .unwrap();
    assert_eq!(refusal.action, Action::Refused);
    assert_eq!(refusal.source, "analytics prompt v1");
    assert_eq!(refusal.status_at(clock.now()), ConsentStatus::Refused);
    let refused_at = clock.now();
    assert!(matches!(
        store.consent::<Analytics>(&alice),
        Err(ConsentError::Refused { purpose, at }) if purpose == "analytics" && at == refused_at
    ));
    assert!(matches!(
        store.withdraw(&alice, Analytics),
        Err(ConsentError::Refused { .. })
    ));
    // A refusal expires nothing: an expiry given with it is not kept.
    let bob = SubjectId::from("8");
    let refused = store
        .refuse(
            &bob,
            Analytics,
            Evidence::new("prompt").valid_for(Duration::from_secs(1)),
        )
        .unwrap();
    assert_eq!(refused.expires_at, None);

    clock.advance(Duration::from_secs(60));
    let grant = store
        .grant(&alice, Analytics, Evidence::new("analytics prompt v2"))
        .unwrap();
    assert_eq!(
        grant.action,
        Action::Granted,
        "a grant over a refusal is no renewal"
    );
    assert_eq!(
        store.consent::<Analytics>(&alice).unwrap().grant_id(),
        grant.id
    );
    // Saying no after yes ends the consent.
    store
        .refuse(&alice, Analytics, Evidence::new("settings screen"))
        .unwrap();
    assert!(matches!(
        store.consent::<Analytics>(&alice),
        Err(ConsentError::Refused { .. })
    ));
    let actions: Vec<Action> = store
        .history(&alice)
        .unwrap()
        .iter()
        .map(|r| r.action)
        .collect();
    assert_eq!(actions, [Action::Refused, Action::Granted, Action::Refused]);
}

/// A grant over a grant, in force or expired, is recorded as a renewal with its own evidence
/// and expiry, and the consent is the renewal's.
fn grant_over_a_grant_is_a_renewal(store: &impl ConsentStore, clock: &ManualClock) {
    let alice = SubjectId::from("7");
    let first = store
        .grant(
            &alice,
            Diagnostics,
            Evidence::new("prompt v1").valid_for(Duration::from_secs(60)),
        )
        .unwrap();
    assert_eq!(first.action, Action::Granted);
    clock.advance(Duration::from_secs(30));
    let renewal = store
        .grant(
            &alice,
            Diagnostics,
            Evidence::new("prompt v2").valid_for(Duration::from_secs(60)),
        )
        .unwrap();
    assert_eq!(renewal.action, Action::Renewed);
    assert_eq!(renewal.status_at(clock.now()), ConsentStatus::Renewed);
    clock.advance(Duration::from_secs(45));
    let consent = store.consent::<Diagnostics>(&alice).unwrap();
    assert_eq!(consent.grant_id(), renewal.id, "the renewal's expiry holds");
    clock.advance(Duration::from_secs(60));
    assert!(matches!(
        store.consent::<Diagnostics>(&alice),
        Err(ConsentError::Expired { .. })
    ));
    let latest = store.latest(&alice, "diagnostics").unwrap().unwrap();
    assert_eq!(latest.status_at(clock.now()), ConsentStatus::Expired);
    // Over an expired grant: renewed as well, and in force again.
    let again = store
        .grant(&alice, Diagnostics, Evidence::new("prompt v3"))
        .unwrap();
    assert_eq!(again.action, Action::Renewed);
    assert!(store.consent::<Diagnostics>(&alice).is_ok());
    // After a withdrawal: granted anew.
    store.withdraw(&alice, Diagnostics).unwrap();
    let anew = store
        .grant(&alice, Diagnostics, Evidence::new("prompt v4"))
        .unwrap();
    assert_eq!(anew.action, Action::Granted);
    // The same grant again, while it is in force, is the same answer: nothing is recorded.
    let records = store.history(&alice).unwrap().len();
    let repeat = store
        .grant(&alice, Diagnostics, Evidence::new("prompt v4"))
        .unwrap();
    assert_eq!(repeat, anew);
    assert_eq!(store.history(&alice).unwrap().len(), records);
}

/// `renew` names the grant it renews: a new expiry and new evidence for the same consent; a
/// second renewal through the same, now superseded, consent records nothing.
fn renew_extends_the_grant_it_names(store: &impl ConsentStore, clock: &ManualClock) {
    let alice = SubjectId::from("7");
    let year = Duration::from_secs(365 * 86_400);
    store
        .grant(&alice, Diagnostics, Evidence::new("prompt").valid_for(year))
        .unwrap();
    let consent = store.consent::<Diagnostics>(&alice).unwrap();
    clock.advance(Duration::from_secs(364 * 86_400));
    let renewal = store
        .renew(&consent, Evidence::new("prompt").valid_for(year))
        .unwrap();
    assert_eq!(renewal.action, Action::Renewed);
    assert_eq!(renewal.expires_at, Some(clock.now() + year));
    assert_eq!(
        store.renew(&consent, Evidence::new("prompt")).unwrap(),
        renewal
    );
    clock.advance(Duration::from_secs(2 * 86_400));
    let renewed = store.consent::<Diagnostics>(&alice).unwrap();
    assert_eq!(renewed.grant_id(), renewal.id);
    store.withdraw(&alice, Diagnostics).unwrap();
    assert!(matches!(
        store.renew(&renewed, Evidence::new("prompt")),
        Err(ConsentError::Withdrawn { .. })
    ));
    assert_eq!(store.history(&alice).unwrap().len(), 3);
}

/// Eight threads renew one grant at once, through one consent: one renewal is recorded, and
/// every thread gets it.
fn concurrent_renewals_of_one_grant_record_one(
    store: &(impl ConsentStore + Sync),
    _: &ManualClock,
) {
    let alice = SubjectId::from("7");
    store
        .grant(&alice, Diagnostics, Evidence::new("prompt"))
        .unwrap();
    let consent = Mutex::new(None);
    let rounds = at_once(
        10,
        |_| *consent.lock().unwrap() = Some(store.consent::<Diagnostics>(&alice).unwrap()),
        |thread| {
            let consent = consent.lock().unwrap().clone().unwrap();
            store.renew(&consent, Evidence::new(format!("thread {thread}")))
        },
    );
    for (round, answers) in rounds.iter().enumerate() {
        let ids: BTreeSet<RecordId> = answers.iter().map(|a| a.as_ref().unwrap().id).collect();
        assert_eq!(ids.len(), 1, "round {round}: {answers:?}");
    }
    let history = store.history(&alice).unwrap();
    assert_eq!(history.len(), 11, "{history:#?}");
    assert!(history[1..].iter().all(|r| r.action == Action::Renewed));
}

/// Runs `answer` on eight threads at once, `rounds` times; returns every round's answers.
fn at_once<T: Send>(
    rounds: usize,
    mut between: impl FnMut(usize),
    answer: impl Fn(usize) -> T + Sync,
) -> Vec<Vec<T>> {
    (0..rounds)
        .map(|round| {
            between(round);
            let start = std::sync::Barrier::new(8);
            thread::scope(|scope| {
                let threads: Vec<_> = (0..8)
                    .map(|thread| {
                        let (start, answer) = (&start, &answer);
                        scope.spawn(move || {
                            start.wait();
                            answer(thread)
                        })
                    })
                    .collect();
                threads.into_iter().map(|t| t.join().unwrap()).collect()
            })
        })
        .collect()
}

/// Eight threads grant one purpose at once, with the same evidence (one click, delivered by
/// several instances or retried): one grant is recorded, and every thread gets it.
fn concurrent_grants_record_one(store: &(impl ConsentStore + Sync), _: &ManualClock) {
    let alice = SubjectId::from("7");
    let rounds = at_once(
        20,
        |round| {
            if round > 0 {
                store.withdraw(&alice, Diagnostics).unwrap();
            }
        },
        |_| store.grant(&alice, Diagnostics, Evidence::new("consent prompt v2")),
    );
    for (round, answers) in rounds.iter().enumerate() {
        let ids: BTreeSet<RecordId> = answers.iter().map(|a| a.as_ref().unwrap().id).collect();
        assert_eq!(ids.len(), 1, "round {round}: {answers:?}");
        assert!(answers
            .iter()
            .all(|a| a.as_ref().unwrap().action == Action::Granted));
    }
    let history = store.history(&alice).unwrap();
    let grants = history
        .iter()
        .filter(|r| r.action == Action::Granted)
        .count();
    assert_eq!((history.len(), grants), (39, 20), "{history:#?}");
    assert!(!history.iter().any(|r| r.action == Action::Renewed));
}

/// Eight threads refuse one purpose at once: one refusal is recorded, and every thread gets it.
fn concurrent_refusals_record_one(store: &(impl ConsentStore + Sync), _: &ManualClock) {
    let alice = SubjectId::from("7");
    let rounds = at_once(
        20,
        |round| {
            if round > 0 {
                store
                    .grant(&alice, Analytics, Evidence::new("between"))
                    .unwrap();
            }
        },
        |_| store.refuse(&alice, Analytics, Evidence::new("prompt")),
    );
    for (round, answers) in rounds.iter().enumerate() {
        let ids: BTreeSet<RecordId> = answers.iter().map(|a| a.as_ref().unwrap().id).collect();
        assert_eq!(ids.len(), 1, "round {round}: {answers:?}");
    }
    let history = store.history(&alice).unwrap();
    let refusals = history
        .iter()
        .filter(|r| r.action == Action::Refused)
        .count();
    assert_eq!((history.len(), refusals), (39, 20), "{history:#?}");
}

/// Grants, refusals and withdrawals racing each other: the history is a sequence of changes
/// each made on the one before (no two grants in a row, no withdrawal of anything but a
/// grant), and the consent answers what the last record says.
fn concurrent_answers_of_every_kind_leave_one_state(
    store: &(impl ConsentStore + Sync),
    clock: &ManualClock,
) {
    let alice = SubjectId::from("7");
    let rounds = at_once(
        10,
        |_| {},
        |thread| match thread % 3 {
            0 => store.grant(&alice, Support, Evidence::new("grant")),
            1 => store.refuse(&alice, Support, Evidence::new("refuse")),
            _ => store.withdraw(&alice, Support),
        },
    );
    for answers in &rounds {
        for answer in answers {
            assert!(
                matches!(
                    answer,
                    Ok(_)
                        | Err(ConsentError::NotGranted { .. }
                            | ConsentError::Withdrawn { .. }
                            | ConsentError::Refused { .. })
                ),
                "{answer:?}"
            );
        }
    }
    let history = store.history(&alice).unwrap();
    for pair in history.windows(2) {
        let (before, after) = (pair[0].action, pair[1].action);
        match after {
            Action::Withdrawn | Action::Renewed => assert!(before.gives(), "{history:#?}"),
            Action::Granted => assert!(!before.gives(), "{history:#?}"),
            _ => {}
        }
    }
    if let Some(first) = history.first() {
        assert_ne!(first.action, Action::Withdrawn);
    }
    let last = history.last().expect("some answer was recorded");
    assert_eq!(
        store.consent::<Support>(&alice).is_ok(),
        last.status_at(clock.now()).in_force()
    );
}

/// Every part of the evidence is kept, as given, and read back; a withdrawal keeps none.
fn evidence_is_kept_whole(store: &impl ConsentStore, _: &ManualClock) {
    let alice = SubjectId::from("7");
    for (n, (method, consent_type)) in [
        (CollectionMethod::Ui, ConsentType::Explicit),
        (CollectionMethod::Api, ConsentType::Implicit),
        (CollectionMethod::Paper, ConsentType::OptOut),
        (CollectionMethod::Imported, ConsentType::Explicit),
    ]
    .into_iter()
    .enumerate()
    {
        let subject = SubjectId::from(n as u64);
        let record = store
            .grant(
                &subject,
                Diagnostics,
                Evidence::new("prompt")
                    .notice(format!("notice v{n} « ü »"))
                    .language("de-CH")
                    .jurisdiction("CH")
                    .collected_by(method)
                    .consent_type(consent_type)
                    .controller("Kaizala AG; 'quoted'"),
            )
            .unwrap();
        assert_eq!(
            record.notice.as_deref(),
            Some(format!("notice v{n} « ü »").as_str())
        );
        assert_eq!(record.language.as_deref(), Some("de-CH"));
        assert_eq!(record.jurisdiction.as_deref(), Some("CH"));
        assert_eq!(record.method, Some(method));
        assert_eq!(record.consent_type, Some(consent_type));
        assert_eq!(record.controller.as_deref(), Some("Kaizala AG; 'quoted'"));
        assert_eq!(
            store.history(&subject).unwrap(),
            std::slice::from_ref(&record)
        );
        assert_eq!(record.evidence().source(), "prompt");
    }
    let bare = store
        .grant(&alice, Diagnostics, Evidence::new("prompt"))
        .unwrap();
    assert_eq!(
        (
            bare.notice,
            bare.language,
            bare.jurisdiction,
            bare.method,
            bare.consent_type,
            bare.controller
        ),
        (None, None, None, None, None, None)
    );
    let withdrawal = store.withdraw(&alice, Diagnostics).unwrap();
    assert_eq!(withdrawal.source, "");
    assert_eq!(withdrawal.method, None);
    assert_eq!(store.history(&alice).unwrap()[1], withdrawal);
}

fn grant_gives_consent(store: &impl ConsentStore, clock: &ManualClock) {
    let alice = SubjectId::from("7");
    let record = store
        .grant(&alice, Diagnostics, Evidence::new("crash-report prompt v2"))
        .unwrap();
    assert_eq!(record.action, Action::Granted);
    assert_eq!(record.at, clock.now());

    let consent = store.consent::<Diagnostics>(&alice).unwrap();
    assert_eq!(consent.subject(), &alice);
    assert_eq!(consent.purpose(), "diagnostics");
    assert_eq!(consent.grant_id(), record.id);
    assert_eq!(consent.granted_at(), clock.now());
    assert_eq!(consent.expires_at(), None);
    assert!(!consent.is_expired());
    assert_eq!(store.latest(&alice, "diagnostics").unwrap(), Some(record));
}

fn consent_never_granted_is_not_granted(store: &impl ConsentStore, _: &ManualClock) {
    let alice = SubjectId::from("7");
    assert!(matches!(
        store.consent::<Diagnostics>(&alice),
        Err(ConsentError::NotGranted { purpose }) if purpose == "diagnostics"
    ));
    assert_eq!(store.latest(&alice, "diagnostics").unwrap(), None);
    assert!(store.history(&alice).unwrap().is_empty());
}

fn withdrawn_consent_fails(store: &impl ConsentStore, clock: &ManualClock) {
    let alice = SubjectId::from("7");
    store
        .grant(&alice, Diagnostics, Evidence::new("prompt"))
        .unwrap();
    clock.advance(Duration::from_secs(30));
    let withdrawal = store.withdraw(&alice, Diagnostics).unwrap();
    assert_eq!(withdrawal.action, Action::Withdrawn);
    assert_eq!(withdrawal.at, clock.now());

    let withdrawn_at = clock.now();
    assert!(matches!(
        store.consent::<Diagnostics>(&alice),
        Err(ConsentError::Withdrawn { purpose, at }) if purpose == "diagnostics" && at == withdrawn_at
    ));
    // Withdrawing again records nothing.
    assert!(matches!(
        store.withdraw(&alice, Diagnostics),
        Err(ConsentError::Withdrawn { .. })
    ));
    assert_eq!(store.history(&alice).unwrap().len(), 2);
}

fn grant_after_withdrawal_gives_consent_again(store: &impl ConsentStore, clock: &ManualClock) {
    let alice = SubjectId::from("7");
    store
        .grant(&alice, Diagnostics, Evidence::new("prompt v1"))
        .unwrap();
    store.withdraw(&alice, Diagnostics).unwrap();
    clock.advance(Duration::from_secs(60));
    let again = store
        .grant(&alice, Diagnostics, Evidence::new("prompt v2"))
        .unwrap();

    let consent = store.consent::<Diagnostics>(&alice).unwrap();
    assert_eq!(consent.grant_id(), again.id);
    assert_eq!(consent.granted_at(), clock.now());
    let actions: Vec<Action> = store
        .history(&alice)
        .unwrap()
        .iter()
        .map(|r| r.action)
        .collect();
    assert_eq!(
        actions,
        [Action::Granted, Action::Withdrawn, Action::Granted]
    );
}

fn grant_valid_for_expires(store: &impl ConsentStore, clock: &ManualClock) {
    let alice = SubjectId::from("7");
    let record = store
        .grant(
            &alice,
            Diagnostics,
            Evidence::new("prompt").valid_for(Duration::from_secs(60)),
        )
        .unwrap();
    let ends = start() + Duration::from_secs(60);
    assert_eq!(record.expires_at, Some(ends));

    clock.advance(Duration::from_secs(59));
    let consent = store.consent::<Diagnostics>(&alice).unwrap();
    assert_eq!(consent.expires_at(), Some(ends));
    assert!(!consent.is_expired());

    clock.advance(Duration::from_secs(1));
    assert!(
        consent.is_expired(),
        "a consent already handed out expires too"
    );
    assert!(matches!(
        store.consent::<Diagnostics>(&alice),
        Err(ConsentError::Expired { purpose, at }) if purpose == "diagnostics" && at == ends
    ));
}

fn grant_expiring_at_a_time_expires(store: &impl ConsentStore, clock: &ManualClock) {
    let alice = SubjectId::from("7");
    let ends = start() + Duration::from_secs(10);
    store
        .grant(
            &alice,
            Diagnostics,
            Evidence::new("prompt").expires_at(ends),
        )
        .unwrap();
    assert!(store.consent::<Diagnostics>(&alice).is_ok());
    clock.set(ends);
    assert!(
        matches!(store.consent::<Diagnostics>(&alice), Err(ConsentError::Expired { at, .. }) if at == ends)
    );
    // A grant that had already expired when it was recorded gives no consent either.
    let bob = SubjectId::from("8");
    store
        .grant(
            &bob,
            Diagnostics,
            Evidence::new("prompt").expires_at(start()),
        )
        .unwrap();
    assert!(matches!(
        store.consent::<Diagnostics>(&bob),
        Err(ConsentError::Expired { .. })
    ));
}

fn history_is_oldest_first_with_every_field(store: &impl ConsentStore, clock: &ManualClock) {
    let alice = SubjectId::from("7");
    let a = store
        .grant(
            &alice,
            Diagnostics,
            Evidence::new("crash prompt v2").valid_for(Duration::from_secs(3_600)),
        )
        .unwrap();
    clock.advance(Duration::from_secs(1));
    let b = store
        .grant(&alice, Analytics, Evidence::new("settings screen"))
        .unwrap();
    clock.advance(Duration::from_secs(1));
    let c = store.withdraw(&alice, Diagnostics).unwrap();
    clock.advance(Duration::from_secs(1));
    let until = start() + Duration::from_secs(86_400);
    let d = store
        .grant(
            &alice,
            Diagnostics,
            Evidence::new("support ticket 42").expires_at(until),
        )
        .unwrap();

    let history = store.history(&alice).unwrap();
    assert_eq!(history, [a.clone(), b.clone(), c.clone(), d.clone()]);
    assert!(history.windows(2).all(|pair| pair[0].id < pair[1].id));

    let expected =
        |record: &ConsentRecord, purpose: &str, action, seconds, source: &str, expires_at| {
            assert_eq!(record.subject, alice);
            assert_eq!(record.purpose, purpose);
            assert_eq!(record.action, action);
            assert_eq!(record.at, start() + Duration::from_secs(seconds));
            assert_eq!(record.source, source);
            assert_eq!(record.expires_at, expires_at);
        };
    expected(
        &a,
        "diagnostics",
        Action::Granted,
        0,
        "crash prompt v2",
        Some(start() + Duration::from_secs(3_600)),
    );
    expected(&b, "analytics", Action::Granted, 1, "settings screen", None);
    expected(&c, "diagnostics", Action::Withdrawn, 2, "", None);
    expected(
        &d,
        "diagnostics",
        Action::Granted,
        3,
        "support ticket 42",
        Some(until),
    );
}

fn subjects_and_purposes_are_kept_apart(store: &impl ConsentStore, _: &ManualClock) {
    let alice = SubjectId::from("7");
    let bob = SubjectId::from("8");
    store
        .grant(&alice, Diagnostics, Evidence::new("prompt"))
        .unwrap();
    store
        .grant(&bob, Analytics, Evidence::new("prompt"))
        .unwrap();

    assert!(store.consent::<Diagnostics>(&alice).is_ok());
    assert!(matches!(
        store.consent::<Analytics>(&alice),
        Err(ConsentError::NotGranted { .. })
    ));
    assert!(matches!(
        store.consent::<Diagnostics>(&bob),
        Err(ConsentError::NotGranted { .. })
    ));
    assert!(store.consent::<Analytics>(&bob).is_ok());

    store.withdraw(&alice, Diagnostics).unwrap();
    assert!(store.consent::<Analytics>(&bob).is_ok());
    assert!(matches!(
        store.withdraw(&alice, Support),
        Err(ConsentError::NotGranted { .. })
    ));

    let histories = [store.history(&alice).unwrap(), store.history(&bob).unwrap()];
    assert_eq!(histories[0].len(), 2);
    assert_eq!(histories[1].len(), 1);
    assert!(histories[0].iter().all(|record| record.subject == alice));
    assert!(histories[1].iter().all(|record| record.subject == bob));
}

/// Member 7 and device 7 are two subjects: a grant by one is no consent of the other, and a
/// record read back keeps its namespace.
fn namespaces_are_kept_apart(store: &impl ConsentStore, _: &ManualClock) {
    let member = SubjectId::from("7");
    let device = SubjectId::new("device", "7");
    let group = SubjectId::new("group", "7");
    store
        .grant(&device, Diagnostics, Evidence::new("device settings"))
        .unwrap();
    assert!(matches!(
        store.consent::<Diagnostics>(&member),
        Err(ConsentError::NotGranted { .. })
    ));
    assert!(matches!(
        store.consent::<Diagnostics>(&group),
        Err(ConsentError::NotGranted { .. })
    ));
    assert_eq!(
        store.consent::<Diagnostics>(&device).unwrap().subject(),
        &device
    );
    assert!(store.history(&member).unwrap().is_empty());
    let history = store.history(&device).unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].subject, device);
    assert_eq!(history[0].subject.namespace(), "device");
    assert!(matches!(
        store.withdraw(&member, Diagnostics),
        Err(ConsentError::NotGranted { .. })
    ));
    assert!(store.consent::<Diagnostics>(&device).is_ok());
}

fn withdraw_without_grant_is_not_granted(store: &impl ConsentStore, _: &ManualClock) {
    let alice = SubjectId::from("7");
    assert!(matches!(
        store.withdraw(&alice, Diagnostics),
        Err(ConsentError::NotGranted { purpose }) if purpose == "diagnostics"
    ));
    assert!(
        store.history(&alice).unwrap().is_empty(),
        "a failed withdrawal records nothing"
    );
}

fn any_text_is_kept_as_given(store: &impl ConsentStore, _: &ManualClock) {
    let long = "x".repeat(100_000);
    for (subject, source) in [
        ("", ""),
        ("a\0b", "nul\0inside"),
        ("Zoë 🙂", "écran « réglages »"),
        ("'; DROP TABLE consent_records; --", long.as_str()),
    ] {
        let subject = SubjectId::from(subject);
        let record = store
            .grant(&subject, Diagnostics, Evidence::new(source))
            .unwrap();
        assert_eq!(store.history(&subject).unwrap(), [record]);
        assert_eq!(
            store.consent::<Diagnostics>(&subject).unwrap().subject(),
            &subject
        );
    }
}

fn time_out_of_range_is_an_error_not_a_panic(store: &impl ConsentStore, clock: &ManualClock) {
    // Far beyond what 64-bit milliseconds hold: every store records it as never expiring.
    let Some(far) = UNIX_EPOCH.checked_add(Duration::from_secs(1 << 60)) else {
        return;
    };
    let alice = SubjectId::from("7");
    let record = store
        .grant(&alice, Diagnostics, Evidence::new("prompt").expires_at(far))
        .unwrap();
    assert_eq!(record.expires_at, None);
    assert_eq!(store.history(&alice).unwrap(), [record]);
    // A clock that says such a time records nothing, in every store alike.
    clock.set(far);
    let bob = SubjectId::from("8");
    assert!(matches!(
        store.grant(&bob, Diagnostics, Evidence::new("prompt")),
        Err(ConsentError::ClockOutOfRange { at }) if at == far
    ));
    assert!(store.history(&bob).unwrap().is_empty());
}

/// Boundary times, answered alike by every store.
fn boundary_times_are_answered_alike(store: &impl ConsentStore, clock: &ManualClock) {
    let subject = |n: u64| SubjectId::from(n);
    // `Duration::MAX`: never expires, even a thousand years on.
    store
        .grant(
            &subject(1),
            Diagnostics,
            Evidence::new("p").valid_for(Duration::MAX),
        )
        .unwrap();
    // Far past: expired at once.
    let Some(far_past) = UNIX_EPOCH.checked_sub(Duration::from_secs(1 << 60)) else {
        return;
    };
    let past = store
        .grant(
            &subject(2),
            Diagnostics,
            Evidence::new("p").expires_at(far_past),
        )
        .unwrap();
    assert!(past.expires_at.is_some_and(|at| at < UNIX_EPOCH));
    assert!(matches!(
        store.consent::<Diagnostics>(&subject(2)),
        Err(ConsentError::Expired { .. })
    ));
    // Exactly now: expired (an expiry is the first moment without consent).
    store
        .grant(
            &subject(3),
            Diagnostics,
            Evidence::new("p").expires_at(clock.now()),
        )
        .unwrap();
    assert!(matches!(
        store.consent::<Diagnostics>(&subject(3)),
        Err(ConsentError::Expired { .. })
    ));
    // One millisecond from now: valid now, expired once the clock reaches it.
    let soon = clock.now() + Duration::from_millis(1);
    store
        .grant(
            &subject(4),
            Diagnostics,
            Evidence::new("p").expires_at(soon),
        )
        .unwrap();
    assert!(store.consent::<Diagnostics>(&subject(4)).is_ok());
    // A clock that goes backwards: a grant stays what it was, and expiry follows the clock.
    let now = clock.now();
    clock.set(now - Duration::from_secs(3600));
    assert!(store.consent::<Diagnostics>(&subject(4)).is_ok());
    assert!(store.consent::<Diagnostics>(&subject(1)).is_ok());
    clock.set(soon);
    assert!(matches!(
        store.consent::<Diagnostics>(&subject(4)),
        Err(ConsentError::Expired { .. })
    ));
    clock.set(now + Duration::from_secs(1000 * 365 * 24 * 3600));
    assert!(store.consent::<Diagnostics>(&subject(1)).is_ok());
    // A withdrawal stamped before the grant (the clock went back) still withdraws it.
    clock.set(now - Duration::from_secs(7200));
    store.withdraw(&subject(1), Diagnostics).unwrap();
    assert!(matches!(
        store.consent::<Diagnostics>(&subject(1)),
        Err(ConsentError::Withdrawn { .. })
    ));
}

// ---------------------------------------------------------------------------------------------
// What only the SQLite store promises.

#[test]
fn sqlite_store_is_send_and_sync() {
    fn shareable<T: Send + Sync>() {}
    shareable::<SqliteConsentStore>();
}

#[test]
fn sqlite_keeps_times_to_the_millisecond_rounding_down() {
    let clock = Arc::new(ManualClock::new(start() + Duration::from_nanos(1_999_999)));
    let store = SqliteConsentStore::in_memory_with_clock(clock.clone()).unwrap();
    let alice = SubjectId::from("7");
    let before_1970 = UNIX_EPOCH - Duration::from_micros(1_500);
    store
        .grant(
            &alice,
            Diagnostics,
            Evidence::new("prompt").expires_at(before_1970),
        )
        .unwrap();

    let [record] = <[ConsentRecord; 1]>::try_from(store.history(&alice).unwrap()).unwrap();
    assert_eq!(record.at, start() + Duration::from_millis(1));
    assert_eq!(
        record.expires_at,
        Some(UNIX_EPOCH - Duration::from_millis(2))
    );
}

#[test]
fn sqlite_history_survives_reopening() {
    let dir = TempDir::new("reopen");
    let path = dir.file("consent.sqlite3");
    let alice = SubjectId::from("7");
    let written = {
        let store = SqliteConsentStore::open(&path).unwrap();
        store
            .grant(
                &alice,
                Diagnostics,
                Evidence::new("prompt").valid_for(Duration::from_secs(3_600)),
            )
            .unwrap();
        store
            .grant(&alice, Support, Evidence::new("ticket"))
            .unwrap();
        store.withdraw(&alice, Diagnostics).unwrap();
        store.history(&alice).unwrap()
    };
    let store = SqliteConsentStore::open(&path).unwrap();
    assert_eq!(store.path(), Some(path.as_path()));
    assert_eq!(store.history(&alice).unwrap(), written);
    assert!(matches!(
        store.consent::<Diagnostics>(&alice),
        Err(ConsentError::Withdrawn { .. })
    ));
    assert!(store.consent::<Support>(&alice).is_ok());
    // Ids go on from where they were.
    let next = store
        .grant(&alice, Analytics, Evidence::new("prompt"))
        .unwrap();
    assert_eq!(next.id, RecordId(4));
}

#[test]
fn sqlite_history_cannot_be_rewritten_even_with_sql() {
    let dir = TempDir::new("append-only");
    let path = dir.file("consent.sqlite3");
    let alice = SubjectId::from("7");
    let store = SqliteConsentStore::open(&path).unwrap();
    store
        .grant(&alice, Diagnostics, Evidence::new("prompt"))
        .unwrap();
    store.withdraw(&alice, Diagnostics).unwrap();

    let sql = rusqlite::Connection::open(&path).unwrap();
    for statement in [
        "UPDATE consent_records SET action = 'granted'",
        "DELETE FROM consent_records WHERE action = 'withdrawn'",
        "DELETE FROM consent_records",
    ] {
        let error = sql.execute(statement, []).unwrap_err();
        assert!(
            error.to_string().contains("append-only"),
            "{statement}: {error}"
        );
    }
    assert_eq!(store.history(&alice).unwrap().len(), 2);
    assert!(matches!(
        store.consent::<Diagnostics>(&alice),
        Err(ConsentError::Withdrawn { .. })
    ));
}

#[test]
fn sqlite_newer_schema_is_refused() {
    let dir = TempDir::new("schema");
    let path = dir.file("consent.sqlite3");
    drop(SqliteConsentStore::open(&path).unwrap());
    let sql = rusqlite::Connection::open(&path).unwrap();
    let version: u32 = sql
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .unwrap();
    assert_eq!(version, 3);
    sql.execute_batch("PRAGMA user_version = 4").unwrap();
    drop(sql);

    for result in [
        SqliteConsentStore::open(&path),
        SqliteConsentStore::open_read_only(&path),
    ] {
        assert!(
            matches!(
                store_error(result),
                StoreError::SchemaTooNew {
                    found: 4,
                    supported: 3
                }
            ),
            "a file of schema version 4"
        );
    }
}

/// A file written by the first release, before subject ids had namespaces: its records are in
/// the default namespace after the migration, and a namespaced subject with the same id has
/// none of them.
#[test]
fn sqlite_version_1_file_migrates_to_namespaced_subjects() {
    let dir = TempDir::new("migrate");
    let path = dir.file("consent.sqlite3");
    let sql = rusqlite::Connection::open(&path).unwrap();
    sql.execute_batch(
        "CREATE TABLE consent_records (
            id            INTEGER PRIMARY KEY AUTOINCREMENT,
            subject       TEXT    NOT NULL,
            purpose       TEXT    NOT NULL,
            action        TEXT    NOT NULL CHECK (action IN ('granted', 'withdrawn')),
            at_ms         INTEGER NOT NULL,
            source        TEXT    NOT NULL,
            expires_at_ms INTEGER
        ) STRICT;
        CREATE INDEX consent_records_latest ON consent_records (subject, purpose, id);
        CREATE TRIGGER consent_records_no_update BEFORE UPDATE ON consent_records
        BEGIN
            SELECT RAISE(ABORT, 'consent records are append-only: record a withdrawal instead');
        END;
        CREATE TRIGGER consent_records_no_delete BEFORE DELETE ON consent_records
        BEGIN
            SELECT RAISE(ABORT, 'consent records are append-only: record a withdrawal instead');
        END;
        INSERT INTO consent_records (subject, purpose, action, at_ms, source)
            VALUES ('7', 'diagnostics', 'granted', 1700000000000, 'prompt v1');
        PRAGMA application_id = 1347573315;
        PRAGMA user_version = 1;",
    )
    .unwrap();
    drop(sql);

    let store = SqliteConsentStore::open(&path).unwrap();
    let member = SubjectId::from("7");
    assert_eq!(
        store.consent::<Diagnostics>(&member).unwrap().subject(),
        &member
    );
    let device = SubjectId::new("device", "7");
    assert!(matches!(
        store.consent::<Diagnostics>(&device),
        Err(ConsentError::NotGranted { .. })
    ));
    assert!(store.history(&device).unwrap().is_empty());
    store
        .grant(&device, Diagnostics, Evidence::new("device settings"))
        .unwrap();
    assert_eq!(store.history(&member).unwrap().len(), 1);
    assert_eq!(store.history(&device).unwrap().len(), 1);
    drop(store);

    let sql = rusqlite::Connection::open(&path).unwrap();
    let version: u32 = sql
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .unwrap();
    assert_eq!(version, 3);
    let error = sql
        .execute("UPDATE consent_records SET namespace = 'device'", [])
        .unwrap_err();
    assert!(error.to_string().contains("append-only"), "{error}");
}

#[test]
fn sqlite_random_bytes_are_corrupt() {
    let dir = TempDir::new("random");
    let path = dir.file("consent.sqlite3");
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let bytes: Vec<u8> = (0..16_384)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state.to_le_bytes()[0]
        })
        .collect();
    fs::write(&path, &bytes).unwrap();

    assert_corrupt(SqliteConsentStore::open(&path));
    assert_corrupt(SqliteConsentStore::open_read_only(&path));
    assert_eq!(
        fs::read(&path).unwrap(),
        bytes,
        "a corrupt file is left as it was"
    );
}

#[test]
fn sqlite_other_databases_are_not_consent_stores() {
    let dir = TempDir::new("foreign");

    // Another application's database: tables of its own, no mark.
    let foreign = dir.file("app.sqlite3");
    execute(
        &foreign,
        "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)",
    );
    assert_corrupt(SqliteConsentStore::open(&foreign));

    // Another application's mark.
    let marked = dir.file("marked.sqlite3");
    execute(&marked, "PRAGMA application_id = 42");
    assert_corrupt(SqliteConsentStore::open(&marked));

    // A consent store whose records table is gone (`DROP TABLE` gets past the triggers).
    let dropped = dir.file("dropped.sqlite3");
    drop(SqliteConsentStore::open(&dropped).unwrap());
    execute(&dropped, "DROP TABLE consent_records");
    assert_corrupt(SqliteConsentStore::open(&dropped));

    // An empty file is an empty database, and becomes a consent store.
    let empty = dir.file("empty.sqlite3");
    fs::write(&empty, b"").unwrap();
    let store = SqliteConsentStore::open(&empty).unwrap();
    store
        .grant(&SubjectId::from("7"), Diagnostics, Evidence::new("prompt"))
        .unwrap();
}

/// A store opened read-only (`SQLITE_OPEN_READ_ONLY`, what a process without write access to
/// the file gets) answers every question and refuses every change. This is what runs
/// everywhere, also as root, whom file permissions do not stop.
#[test]
fn sqlite_read_only_store_refuses_changes() {
    let dir = TempDir::new("read-only");
    let path = dir.file("consent.sqlite3");
    let alice = SubjectId::from("7");
    {
        let store = SqliteConsentStore::open(&path).unwrap();
        store
            .grant(&alice, Diagnostics, Evidence::new("prompt"))
            .unwrap();
    }

    let store = SqliteConsentStore::open_read_only(&path).unwrap();
    assert!(store.consent::<Diagnostics>(&alice).is_ok());
    assert_eq!(store.history(&alice).unwrap().len(), 1);
    assert!(matches!(
        store_error(store.grant(&alice, Support, Evidence::new("prompt"))),
        StoreError::ReadOnly
    ));
    assert!(matches!(
        store_error(store.withdraw(&alice, Diagnostics)),
        StoreError::ReadOnly
    ));
    drop(store);
    assert_eq!(
        SqliteConsentStore::open(&path)
            .unwrap()
            .history(&alice)
            .unwrap()
            .len(),
        1
    );

    // Read-only cannot migrate: a file that is not yet a consent store stays what it is.
    let empty = dir.file("empty.sqlite3");
    fs::write(&empty, b"").unwrap();
    assert!(matches!(
        store_error(SqliteConsentStore::open_read_only(&empty)),
        StoreError::ReadOnly
    ));
}

/// Opening a write-protected file (mode 0o444) for writing fails at once with `ReadOnly`
/// rather than at the first grant. File permissions do not stop root, so where the test runs
/// with the privilege to write the file anyway (CI runs as root), it checks only that such a
/// process really can use the store, and says so on stderr.
#[test]
#[cfg(unix)]
fn sqlite_write_protected_file_is_read_only() {
    use std::os::unix::fs::PermissionsExt;

    let dir = TempDir::new("write-protected");
    let original = dir.file("consent.sqlite3");
    let alice = SubjectId::from("7");
    SqliteConsentStore::open(&original)
        .unwrap()
        .grant(&alice, Diagnostics, Evidence::new("prompt"))
        .unwrap();
    let copy = dir.file("copy.sqlite3");
    fs::copy(&original, &copy).unwrap();
    fs::set_permissions(&copy, fs::Permissions::from_mode(0o444)).unwrap();

    if fs::OpenOptions::new().write(true).open(&copy).is_ok() {
        eprintln!(
            "file permissions do not stop this user (root?): checking only that the store works"
        );
        let store = SqliteConsentStore::open(&copy).unwrap();
        assert!(store.consent::<Diagnostics>(&alice).is_ok());
        return;
    }
    assert!(matches!(
        store_error(SqliteConsentStore::open(&copy)),
        StoreError::ReadOnly
    ));
}

#[test]
fn sqlite_held_lock_gives_locked_after_the_busy_timeout() {
    let dir = TempDir::new("locked");
    let path = dir.file("consent.sqlite3");
    let alice = SubjectId::from("7");
    let store = SqliteConsentStore::open(&path).unwrap();
    store.set_busy_timeout(Duration::from_millis(100)).unwrap();

    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let started = Instant::now();
    let error = store_error(store.grant(&alice, Diagnostics, Evidence::new("prompt")));
    let waited = started.elapsed();
    assert!(matches!(error, StoreError::Locked), "{error:?}");
    assert!(
        waited >= Duration::from_millis(90),
        "gave up after {waited:?}, before the busy timeout"
    );
    assert!(
        waited < Duration::from_secs(4),
        "waited {waited:?}, not the 100 ms busy timeout"
    );
    // In WAL mode a writer does not stop readers.
    assert!(matches!(
        store.consent::<Diagnostics>(&alice),
        Err(ConsentError::NotGranted { .. })
    ));

    other.execute_batch("ROLLBACK").unwrap();
    store
        .grant(&alice, Diagnostics, Evidence::new("prompt"))
        .unwrap();
    assert_eq!(
        store.history(&alice).unwrap().len(),
        1,
        "the refused grant recorded nothing"
    );
}

// ---------------------------------------------------------------------------------------------
// Other processes: this test binary again, running one `child_*` test.

/// The store file a `child_grants_then_waits_to_be_killed` child grants in.
const KILLED_CHILD: &str = "PRIVACY_TEST_CONSENT_KILLED_CHILD";
/// The store file, and the child's number, of a `child_grants_from_threads` child.
const BUSY_CHILD: &str = "PRIVACY_TEST_CONSENT_BUSY_CHILD";
const BUSY_CHILD_NUMBER: &str = "PRIVACY_TEST_CONSENT_BUSY_CHILD_NUMBER";

const WITHDRAW_CHILD: &str = "PRIVACY_TEST_CONSENT_WITHDRAW_CHILD";
const PROCESSES: usize = 2;
const THREADS: usize = 4;
const GRANTS: usize = 50;

fn spawn_child(test: &str, env: &[(&str, &std::ffi::OsStr)]) -> Child {
    let mut command = Command::new(env::current_exe().unwrap());
    command
        .args(["--exact", test, "--nocapture", "--test-threads=1"])
        .stdout(Stdio::piped());
    for (name, value) in env {
        command.env(name, value);
    }
    command.spawn().expect("run the test binary as a child")
}

#[test]
fn sqlite_grant_survives_the_process_being_killed() {
    let dir = TempDir::new("killed");
    let path = dir.file("consent.sqlite3");
    let mut child = spawn_child(
        "child_grants_then_waits_to_be_killed",
        &[(KILLED_CHILD, path.as_os_str())],
    );

    let stdout = BufReader::new(child.stdout.take().unwrap());
    // libtest may have written `test <name> ... ` on the same line first.
    let granted = stdout.lines().map_while(Result::ok).find_map(|line| {
        line.split_once("granted record ")
            .map(|(_, id)| id.trim().to_owned())
    });
    // SIGKILL on Unix: no destructor, no connection close, no checkpoint.
    child.kill().unwrap();
    child.wait().unwrap();
    let id: u64 = granted
        .expect("the child reports its grant")
        .parse()
        .unwrap();

    let store = SqliteConsentStore::open(&path).unwrap();
    let alice = SubjectId::from("7");
    let consent = store.consent::<Diagnostics>(&alice).unwrap();
    assert_eq!(consent.grant_id(), RecordId(id));
    let history = store.history(&alice).unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].source, "granted just before being killed");
}

/// In a child: grants, says so, and waits to be killed. Elsewhere: nothing.
#[test]
fn child_grants_then_waits_to_be_killed() {
    let Some(path) = env::var_os(KILLED_CHILD) else {
        return;
    };
    let store = SqliteConsentStore::open(Path::new(&path)).unwrap();
    let record = store
        .grant(
            &SubjectId::from("7"),
            Diagnostics,
            Evidence::new("granted just before being killed"),
        )
        .unwrap();
    println!("granted record {}", record.id.0);
    std::io::stdout().flush().unwrap();
    thread::sleep(Duration::from_secs(60));
    panic!("the parent did not kill this child");
}

#[test]
fn sqlite_processes_and_threads_writing_at_once_lose_nothing() {
    let dir = TempDir::new("busy");
    let path = dir.file("consent.sqlite3");
    // The children also race to create the file and its schema.
    let children: Vec<Child> = (0..PROCESSES)
        .map(|number| {
            let number = number.to_string();
            spawn_child(
                "child_grants_from_threads",
                &[
                    (BUSY_CHILD, path.as_os_str()),
                    (BUSY_CHILD_NUMBER, number.as_ref()),
                ],
            )
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "a child failed:\n{}",
            String::from_utf8_lossy(&output.stdout)
        );
    }

    let store = SqliteConsentStore::open(&path).unwrap();
    let mut ids = Vec::new();
    for process in 0..PROCESSES {
        for thread in 0..THREADS {
            let history = store.history(&busy_subject(process, thread)).unwrap();
            let sources: Vec<&str> = history
                .iter()
                .map(|record| record.source.as_str())
                .collect();
            let expected: Vec<String> = (0..GRANTS).map(|grant| format!("grant {grant}")).collect();
            assert_eq!(sources, expected, "process {process}, thread {thread}");
            ids.extend(history.iter().map(|record| record.id));
        }
    }
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), PROCESSES * THREADS * GRANTS);
    let sql = rusqlite::Connection::open(&path).unwrap();
    let rows: usize = sql
        .query_row("SELECT count(*) FROM consent_records", [], |row| row.get(0))
        .unwrap();
    assert_eq!(rows, PROCESSES * THREADS * GRANTS);
}

fn busy_subject(process: usize, thread: usize) -> SubjectId {
    SubjectId::from(format!("process {process} thread {thread}"))
}

/// In a child: `THREADS` threads grant and check consent at once, half sharing one store, half
/// with a connection each. Elsewhere: nothing.
#[test]
fn child_grants_from_threads() {
    let Some(path) = env::var_os(BUSY_CHILD) else {
        return;
    };
    let process: usize = env::var(BUSY_CHILD_NUMBER).unwrap().parse().unwrap();
    let path = PathBuf::from(path);
    let shared = Arc::new(SqliteConsentStore::open(&path).unwrap());
    let threads: Vec<_> = (0..THREADS)
        .map(|thread| {
            let store = if thread % 2 == 0 {
                Arc::clone(&shared)
            } else {
                Arc::new(SqliteConsentStore::open(&path).unwrap())
            };
            thread::spawn(move || {
                let subject = busy_subject(process, thread);
                for grant in 0..GRANTS {
                    let record = store
                        .grant(
                            &subject,
                            Diagnostics,
                            Evidence::new(format!("grant {grant}")),
                        )
                        .unwrap();
                    assert_eq!(
                        store.consent::<Diagnostics>(&subject).unwrap().grant_id(),
                        record.id
                    );
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
}

/// Subjects whose grants several processes withdraw at once.
const WITHDRAWN_SUBJECTS: usize = 20;
const WITHDRAWING_PROCESSES: usize = 3;

#[test]
fn sqlite_processes_withdrawing_one_grant_at_once_record_one_withdrawal() {
    let dir = TempDir::new("withdrawals");
    let path = dir.file("consent.sqlite3");
    let store = SqliteConsentStore::open(&path).unwrap();
    for subject in 0..WITHDRAWN_SUBJECTS {
        store
            .grant(
                &SubjectId::from(subject as u64),
                Support,
                Evidence::new("chat"),
            )
            .unwrap();
    }
    let children: Vec<Child> = (0..WITHDRAWING_PROCESSES)
        .map(|_| {
            spawn_child(
                "child_withdraws_every_grant",
                &[(WITHDRAW_CHILD, path.as_os_str())],
            )
        })
        .collect();
    let mut withdrew = 0;
    for child in children {
        let output = child.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "a child failed:\n{stdout}");
        // The harness writes `test ... ` before the first line, on the same line.
        withdrew += stdout.matches("withdrew\n").count();
    }
    assert_eq!(
        withdrew, WITHDRAWN_SUBJECTS,
        "each grant is withdrawn by one process"
    );
    let sql = rusqlite::Connection::open(&path).unwrap();
    let withdrawals: usize = sql
        .query_row(
            "SELECT count(*) FROM consent_records WHERE action = 'withdrawn'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(withdrawals, WITHDRAWN_SUBJECTS);
    for subject in 0..WITHDRAWN_SUBJECTS {
        assert!(matches!(
            store.consent::<Support>(&SubjectId::from(subject as u64)),
            Err(ConsentError::Withdrawn { .. })
        ));
    }
}

/// In a child: withdraws every subject's grant, printing `withdrew` for each withdrawal it
/// recorded; a grant another process withdrew first is `Withdrawn`. Elsewhere: nothing.
#[test]
fn child_withdraws_every_grant() {
    let Some(path) = env::var_os(WITHDRAW_CHILD) else {
        return;
    };
    let store = SqliteConsentStore::open(PathBuf::from(path)).unwrap();
    let mut out = std::io::stdout().lock();
    for subject in 0..WITHDRAWN_SUBJECTS {
        match store.withdraw(&SubjectId::from(subject as u64), Support) {
            Ok(_) => writeln!(out, "withdrew").unwrap(),
            Err(ConsentError::Withdrawn { .. }) => writeln!(out, "already withdrawn").unwrap(),
            Err(error) => panic!("{error}"),
        }
    }
}

const ANSWER_CHILD: &str = "PRIVACY_CONSENT_ANSWER_CHILD";
const ANSWERED_SUBJECTS: usize = 20;

/// Three processes give the same answers for the same subjects at once (one click, delivered
/// by three instances): each grant and each refusal is recorded once, and every process is
/// told it holds.
#[test]
fn sqlite_processes_giving_one_answer_at_once_record_it_once() {
    let dir = TempDir::new("answers");
    let path = dir.file("consent.sqlite3");
    let store = SqliteConsentStore::open(&path).unwrap();
    let children: Vec<Child> = (0..3)
        .map(|_| {
            spawn_child(
                "child_answers_for_every_subject",
                &[(ANSWER_CHILD, path.as_os_str())],
            )
        })
        .collect();
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "a child failed:\n{}",
            String::from_utf8_lossy(&output.stdout)
        );
    }
    for subject in 0..ANSWERED_SUBJECTS {
        let subject = SubjectId::from(subject as u64);
        let actions: Vec<(String, Action)> = store
            .history(&subject)
            .unwrap()
            .into_iter()
            .map(|record| (record.purpose, record.action))
            .collect();
        assert_eq!(
            actions,
            [
                ("support".to_owned(), Action::Granted),
                ("analytics".to_owned(), Action::Refused)
            ],
            "{subject:?}"
        );
    }
}

/// In a child: grants support and refuses analytics for every subject. Elsewhere: nothing.
#[test]
fn child_answers_for_every_subject() {
    let Some(path) = env::var_os(ANSWER_CHILD) else {
        return;
    };
    let store = SqliteConsentStore::open(PathBuf::from(path)).unwrap();
    for subject in 0..ANSWERED_SUBJECTS {
        let subject = SubjectId::from(subject as u64);
        let evidence = Evidence::new("onboarding").collected_by(CollectionMethod::Ui);
        let grant = store.grant(&subject, Support, evidence.clone()).unwrap();
        assert_eq!(grant.action, Action::Granted);
        let refusal = store.refuse(&subject, Analytics, evidence).unwrap();
        assert_eq!(refusal.action, Action::Refused);
    }
}

/// Four connections to one file (four stores, as four processes would have) grant and refuse
/// at once: each answer is recorded once.
#[test]
fn sqlite_connections_answering_at_once_record_each_answer_once() {
    let dir = TempDir::new("connections");
    let path = dir.file("consent.sqlite3");
    let stores: Vec<SqliteConsentStore> = (0..4)
        .map(|_| SqliteConsentStore::open(&path).unwrap())
        .collect();
    let alice = SubjectId::from("7");
    for round in 0..10 {
        let start = std::sync::Barrier::new(stores.len());
        let answers: Vec<ConsentRecord> = thread::scope(|scope| {
            let threads: Vec<_> = stores
                .iter()
                .map(|store| {
                    let (start, alice) = (&start, &alice);
                    scope.spawn(move || {
                        start.wait();
                        if round % 2 == 0 {
                            store.grant(alice, Diagnostics, Evidence::new("prompt"))
                        } else {
                            store.refuse(alice, Diagnostics, Evidence::new("prompt"))
                        }
                        .unwrap()
                    })
                })
                .collect();
            threads.into_iter().map(|t| t.join().unwrap()).collect()
        });
        assert!(
            answers.windows(2).all(|pair| pair[0].id == pair[1].id),
            "{answers:?}"
        );
    }
    assert_eq!(stores[0].history(&alice).unwrap().len(), 10);
}

// ---------------------------------------------------------------------------------------------
// Files written by earlier versions of this crate.

/// The records every fixture holds, as `(namespace, subject, purpose, action, at_ms, source,
/// expires_at_ms)`: the fixtures were written by the crate of their schema version, through
/// its public API, on a clock that started at 1 764 806 400 123 ms.
type FixtureRecord = (
    &'static str,
    &'static str,
    &'static str,
    Action,
    i64,
    &'static str,
    Option<i64>,
);

fn fixture_records(device: (&'static str, &'static str)) -> Vec<FixtureRecord> {
    let odd = "O'Brien; DROP TABLE consent_records;--\n\u{1F600}";
    vec![
        (
            "",
            "7",
            "diagnostics",
            Action::Granted,
            1_764_806_400_123,
            "crash-report prompt v2, settings screen",
            None,
        ),
        (
            "",
            "7",
            "support",
            Action::Granted,
            1_764_806_460_123,
            "support chat\nline two \"quoted\"",
            Some(1_767_398_460_123),
        ),
        (
            device.0,
            device.1,
            "diagnostics",
            Action::Granted,
            1_764_806_520_123,
            "device enrolment",
            None,
        ),
        (
            "",
            "7",
            "diagnostics",
            Action::Withdrawn,
            1_764_806_580_123,
            "",
            None,
        ),
        (
            "",
            odd,
            "analytics",
            Action::Granted,
            1_764_806_640_123,
            "é ü 日本語 \u{200B}",
            Some(1_700_000_000_000),
        ),
        (
            "",
            "",
            "analytics",
            Action::Granted,
            1_764_806_640_124,
            "",
            None,
        ),
        (
            "",
            "7",
            "analytics",
            Action::Granted,
            1_764_806_640_124,
            "far past",
            Some(-31_536_000_000_000),
        ),
        (
            "",
            "7",
            "diagnostics",
            Action::Granted,
            1_764_810_240_124,
            "crash-report prompt v3",
            None,
        ),
    ]
}

fn millis(millis: i64) -> SystemTime {
    if millis >= 0 {
        UNIX_EPOCH + Duration::from_millis(millis.unsigned_abs())
    } else {
        UNIX_EPOCH - Duration::from_millis(millis.unsigned_abs())
    }
}

/// Opens a copy of `fixture` with this version, reads every record back, and checks that the
/// migrated file works as a fresh one does.
fn fixture_migrates(fixture: &str, device: (&'static str, &'static str)) {
    let dir = TempDir::new("fixture");
    let path = dir.file("consent.sqlite3");
    fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data")
            .join(fixture),
        &path,
    )
    .unwrap();
    let clock = Arc::new(ManualClock::new(millis(1_764_900_000_000)));
    let store = SqliteConsentStore::open_with_clock(&path, clock.clone()).unwrap();

    let expected = fixture_records(device);
    let subjects: BTreeSet<(&str, &str)> = expected.iter().map(|r| (r.0, r.1)).collect();
    let mut read = Vec::new();
    for (namespace, id) in subjects {
        read.extend(store.history(&SubjectId::new(namespace, id)).unwrap());
    }
    read.sort_by_key(|record| record.id);
    assert_eq!(read.len(), expected.len(), "{read:#?}");
    for (n, (record, expected)) in read.iter().zip(&expected).enumerate() {
        assert_eq!(record.id, RecordId(n as u64 + 1));
        assert_eq!(record.subject, SubjectId::new(expected.0, expected.1));
        assert_eq!(record.purpose, expected.2);
        assert_eq!(record.action, expected.3);
        assert_eq!(record.at, millis(expected.4));
        assert_eq!(record.source, expected.5);
        assert_eq!(record.expires_at, expected.6.map(millis));
        assert_eq!(
            (
                &record.notice,
                &record.language,
                &record.jurisdiction,
                record.method,
                record.consent_type,
                &record.controller
            ),
            (&None, &None, &None, None, None, &None),
            "older records kept no more evidence than their source"
        );
    }
    // What the records mean is what they meant.
    let member = SubjectId::from("7");
    assert_eq!(
        store.consent::<Diagnostics>(&member).unwrap().grant_id(),
        RecordId(8)
    );
    assert!(store.consent::<Support>(&member).is_ok());
    assert!(matches!(
        store.consent::<Analytics>(&member),
        Err(ConsentError::Expired { .. })
    ));
    // New records continue the ids, with the whole evidence, and the table stays append-only.
    let refusal = store
        .refuse(
            &member,
            Support,
            Evidence::new("settings").collected_by(CollectionMethod::Ui),
        )
        .unwrap();
    assert_eq!(refusal.id, RecordId(9));
    assert_eq!(store.latest(&member, "support").unwrap(), Some(refusal));
    drop(store);
    let sql = rusqlite::Connection::open(&path).unwrap();
    let version: u32 = sql
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .unwrap();
    assert_eq!(version, 3);
    for change in [
        "UPDATE consent_records SET source = 'x'",
        "DELETE FROM consent_records",
    ] {
        let error = sql.execute(change, []).unwrap_err();
        assert!(error.to_string().contains("append-only"), "{error}");
    }
    // The migrated file has the schema a fresh one has.
    let schema = |sql: &rusqlite::Connection| -> Vec<String> {
        let mut select = sql
            .prepare("SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY name")
            .unwrap();
        let rows = select.query_map([], |row| row.get(0)).unwrap();
        rows.map(Result::unwrap).collect()
    };
    let fresh = dir.file("fresh.sqlite3");
    drop(SqliteConsentStore::open(&fresh).unwrap());
    let normalize = |statements: Vec<String>| -> Vec<String> {
        statements
            .into_iter()
            .map(|statement| {
                statement
                    .replace("\"consent_records\"", "consent_records")
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    };
    assert_eq!(
        normalize(schema(&sql)),
        normalize(schema(&rusqlite::Connection::open(&fresh).unwrap()))
    );
}

#[test]
fn sqlite_file_of_schema_version_1_migrates_with_every_record() {
    fixture_migrates("consent-schema-v1.sqlite3", ("", "device-7"));
}

#[test]
fn sqlite_file_of_schema_version_2_migrates_with_every_record() {
    fixture_migrates("consent-schema-v2.sqlite3", ("device", "7"));
}

/// A trusted backend that answers for another subject than it was asked about: no consent is
/// made of its record.
#[test]
fn trusted_backend_answering_another_question_gives_no_consent() {
    struct Lying(VecBackend);
    impl ConsentBackend for Lying {
        fn append_if_latest(
            &self,
            record: NewRecord,
            expected: Option<RecordId>,
        ) -> Result<Option<ConsentRecord>, StoreError> {
            self.0.append_if_latest(record, expected)
        }
        fn latest_record(
            &self,
            _: &SubjectId,
            purpose: &str,
        ) -> Result<Option<ConsentRecord>, StoreError> {
            // Whoever is asked about, the answer is subject 7's record.
            self.0.latest_record(&SubjectId::from("7"), purpose)
        }
        fn history_of(&self, subject: &SubjectId) -> Result<Vec<ConsentRecord>, StoreError> {
            self.0.history_of(subject)
        }
        fn record_clock(&self) -> Arc<dyn Clock> {
            self.0.record_clock()
        }
    }
    let clock = Arc::new(ManualClock::new(start()));
    let store = Trusted::trusting(Lying(VecBackend::new(clock)));
    let seven = SubjectId::from("7");
    store
        .grant(&seven, Diagnostics, Evidence::new("prompt"))
        .unwrap();
    assert!(store.consent::<Diagnostics>(&seven).is_ok());
    for other in [SubjectId::from("8"), SubjectId::new("device", "7")] {
        assert!(matches!(
            store.consent::<Diagnostics>(&other),
            Err(ConsentError::Store(StoreError::Corrupt(_)))
        ));
    }
}
