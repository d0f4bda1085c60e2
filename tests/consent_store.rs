//! The consent stores. One behavioural suite runs against every store; then what only
//! `SqliteConsentStore` promises: records that survive a killed process and a reopened file,
//! many processes and threads writing at once, and typed errors for files it cannot use.
//!
//! The tests that need a second process run this test binary again, with an environment
//! variable that turns one of the `child_*` tests from a no-op into the child's work.

#![cfg(feature = "sqlite")]

use std::env;
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use privacy::consent::{
    Action, Clock, ConsentError, ConsentRecord, ConsentStore, Evidence, ManualClock,
    MemoryConsentStore, NewRecord, RecordId, SqliteConsentStore, StoreError,
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
    };
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

/// The step withdrawals are made of: nothing is appended once the latest record is another.
fn append_if_latest_appends_only_on_the_state_it_was_given(
    store: &(impl ConsentStore + Sync),
    clock: &ManualClock,
) {
    let alice = SubjectId::from("7");
    let new = |action| NewRecord {
        subject: alice.clone(),
        purpose: "diagnostics".into(),
        action,
        at: clock.now(),
        source: String::new(),
        expires_at: None,
    };
    let first = store
        .append_if_latest(new(Action::Granted), None)
        .unwrap()
        .expect("nothing before it");
    assert_eq!(
        store.append_if_latest(new(Action::Granted), None).unwrap(),
        None
    );
    let second = store
        .append_if_latest(new(Action::Withdrawn), Some(first.id))
        .unwrap()
        .expect("the grant is the latest");
    assert_eq!(
        store
            .append_if_latest(new(Action::Withdrawn), Some(first.id))
            .unwrap(),
        None
    );
    assert_eq!(store.latest(&alice, "diagnostics").unwrap(), Some(second));
    assert_eq!(store.history(&alice).unwrap().len(), 2);
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
    assert_eq!(version, 2);
    sql.execute_batch("PRAGMA user_version = 3").unwrap();
    drop(sql);

    for result in [
        SqliteConsentStore::open(&path),
        SqliteConsentStore::open_read_only(&path),
    ] {
        assert!(
            matches!(
                store_error(result),
                StoreError::SchemaTooNew {
                    found: 3,
                    supported: 2
                }
            ),
            "a file of schema version 3"
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
    assert_eq!(version, 2);
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
