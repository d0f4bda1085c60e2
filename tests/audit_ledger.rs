//! `SqliteLedger`, the durable audit ledger: records kept exactly, append-only even for direct
//! SQL, a chain that names the first record changed behind the ledger's back, many threads and
//! processes appending at once, a killed process, queries and the JSON-lines export, and no
//! classified value anywhere in the file.
//!
//! The tests that need a second process run this test binary again, with an environment
//! variable that turns one of the `child_*` tests from a no-op into the child's work. Edits
//! "behind the ledger's back" open the file with rusqlite directly and drop the triggers first.

#![cfg(feature = "sqlite")]

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::thread;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use privacy::audit::{
    self, Anchor, AuditRecord, AuditSink, ChainBreak, ChainKey, LedgerError, MemorySink, Output,
    SqliteLedger,
};
use privacy::consent::{ConsentStore, Evidence, RecordId, SqliteConsentStore};
use privacy::purpose::Support;
use privacy::{Disclosure, Kind, Pii, Privacy, Reveal, SubjectId};
use sha2::{Digest, Sha256};

// ---------------------------------------------------------------------------------------------
// Fixtures

/// A directory of its own under the system's temporary directory, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let unique = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = env::temp_dir().join(format!(
            "privacy-ledger-{name}-{}-{unique}",
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

#[derive(Privacy)]
struct Member {
    #[safe]
    #[privacy(subject)]
    id: u64,
    #[pii(phone)]
    phone: String,
}

/// A record as a reveal makes it (records have no constructor outside the crate); the tests
/// change its public fields.
fn template() -> AuditRecord<'static> {
    static TEMPLATE: OnceLock<AuditRecord<'static>> = OnceLock::new();
    TEMPLATE
        .get_or_init(|| {
            let sink = MemorySink::new();
            let member = Member {
                id: 7,
                phone: "+44 20 7946 0958".into(),
            };
            let rule = Disclosure::of([Kind::Phone]).because("ledger tests");
            let shown = audit::with_sink(Arc::new(sink.clone()), || {
                format!("{:?}", member.reveal(&rule))
            });
            assert!(shown.contains("7946"), "the template reveal showed {shown}");
            sink.records().pop().expect("the reveal was recorded")
        })
        .clone()
}

fn start() -> SystemTime {
    UNIX_EPOCH + Duration::new(1_750_000_000, 123_456_789)
}

/// Record `n`: its basis names it, and it was written `n` seconds after [`start`].
fn record(n: u64) -> AuditRecord<'static> {
    let mut record = template();
    record.basis = format!("record {n} of the test").into();
    record.at = start() + Duration::from_secs(n);
    record
}

/// A ledger at `path` with records 1 to `n`.
fn ledger_with(path: &Path, n: u64) -> SqliteLedger {
    let ledger = SqliteLedger::open(path).unwrap();
    for i in 1..=n {
        assert_eq!(ledger.append(&record(i)).unwrap(), i);
    }
    ledger
}

/// A connection to `path` behind the ledger's back, with the triggers dropped.
fn behind_the_back(path: &Path) -> rusqlite::Connection {
    let sql = rusqlite::Connection::open(path).unwrap();
    sql.execute_batch(
        "DROP TRIGGER audit_records_no_update;
         DROP TRIGGER audit_records_no_delete;
         DROP TRIGGER audit_record_subjects_no_update;
         DROP TRIGGER audit_record_subjects_no_delete;
         DROP TRIGGER audit_head_moves_forward;
         DROP TRIGGER audit_head_no_delete;",
    )
    .unwrap();
    sql
}

fn chain_break<T: std::fmt::Debug>(result: Result<T, LedgerError>) -> ChainBreak {
    match result {
        Err(LedgerError::Tampered(found)) => found,
        other => panic!("expected a chain break, got {other:?}"),
    }
}

fn basis(ledger: &SqliteLedger) -> Vec<String> {
    ledger
        .records_in(..)
        .unwrap()
        .into_iter()
        .map(|entry| entry.record.basis.into_owned())
        .collect()
}

/// The documented link: SHA-256 of the domain, the sequence number (8 bytes, big-endian), the
/// previous hash and the canonical form.
fn plain_link(seq: u64, prev: &[u8], record: &[u8]) -> Vec<u8> {
    let mut digest = Sha256::new();
    digest.update(b"privacy audit ledger v1\0");
    digest.update(seq.to_be_bytes());
    digest.update(prev);
    digest.update(record);
    digest.finalize().to_vec()
}

fn keyed_link(secret: &[u8], seq: u64, prev: &[u8], record: &[u8]) -> Vec<u8> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret).unwrap();
    mac.update(b"privacy audit ledger v1\0");
    mac.update(&seq.to_be_bytes());
    mac.update(prev);
    mac.update(record);
    mac.finalize().into_bytes().to_vec()
}

/// The stored `(record, prev_hash)` of row `seq`.
fn row(sql: &rusqlite::Connection, seq: u64) -> (String, Vec<u8>) {
    sql.query_row(
        "SELECT record, prev_hash FROM audit_records WHERE seq = ?1",
        [seq],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )
    .unwrap()
}

// ---------------------------------------------------------------------------------------------
// Keeping records

#[test]
fn ledger_is_send_and_sync() {
    fn shared<T: Send + Sync + 'static>() {}
    shared::<SqliteLedger>();
}

#[test]
fn every_field_of_a_record_reads_back_as_it_was_appended() {
    let dir = TempDir::new("round-trip");
    let ledger = SqliteLedger::open(dir.file("audit.sqlite3")).unwrap();
    let mut full = template();
    full.at = UNIX_EPOCH + Duration::new(1_760_000_000, 987_654_321);
    full.instance = "eu-west \"blue\" ☃".into();
    full.output = Output::Serialized;
    full.type_name = "Roster".into();
    full.fields = vec!["members.phone".into(), "owner.name".into()];
    full.permit = "audience".into();
    full.basis = "phone book\nline two\t\u{1}".into();
    full.subjects = vec!["#k1:0011223344556677".into(), "#k1:8899aabbccddeeff".into()];
    full.viewer = Some("#k1:0123456789abcdef".into());
    full.grant = Some(RecordId(u64::MAX));
    let bare = {
        let mut bare = template();
        bare.at = UNIX_EPOCH - Duration::new(3_600, 1);
        bare.output = Output::TelemetryEvent;
        bare.fields = Vec::new();
        bare.subjects = Vec::new();
        bare.viewer = None;
        bare.grant = None;
        bare
    };

    assert_eq!(ledger.append(&full).unwrap(), 1);
    assert_eq!(ledger.append(&bare).unwrap(), 2);
    let entries = ledger.records_in(..).unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!((entries[0].seq, &entries[0].record), (1, &full));
    assert_eq!((entries[1].seq, &entries[1].record), (2, &bare));
    assert_eq!(ledger.verify().unwrap().records, 2);
}

#[test]
fn records_survive_reopening_and_numbering_goes_on() {
    let dir = TempDir::new("reopen");
    let path = dir.file("audit.sqlite3");
    drop(ledger_with(&path, 3));
    let ledger = SqliteLedger::open(&path).unwrap();
    assert_eq!(ledger.append(&record(4)).unwrap(), 4);
    assert_eq!(ledger.verify().unwrap().records, 4);
    assert_eq!(ledger.head().unwrap(), ledger.verify().unwrap().head);
    assert_eq!(
        basis(&ledger),
        (1..=4)
            .map(|n| format!("record {n} of the test"))
            .collect::<Vec<_>>()
    );
}

#[test]
fn in_memory_ledger_keeps_and_verifies() {
    let ledger = SqliteLedger::in_memory().unwrap();
    assert_eq!(ledger.path(), None);
    assert_eq!(ledger.verify().unwrap().records, 0);
    assert_eq!(
        ledger.verify().unwrap().head,
        Anchor {
            seq: 0,
            hash: [0; 32]
        }
    );
    for n in 1..=3 {
        assert_eq!(ledger.append(&record(n)).unwrap(), n);
    }
    assert_eq!(ledger.verify().unwrap().records, 3);
    assert_eq!(ledger.records_in(..).unwrap().len(), 3);
}

#[test]
fn a_time_the_ledger_cannot_keep_is_refused_and_nothing_is_appended() {
    let ledger = SqliteLedger::in_memory().unwrap();
    let mut far = record(1);
    far.at = UNIX_EPOCH + Duration::from_secs(300 * 366 * 86_400);
    assert!(matches!(
        ledger.append(&far),
        Err(LedgerError::Unrepresentable(_))
    ));
    assert!(ledger.record(&far).is_err());
    assert_eq!(ledger.verify().unwrap().records, 0);
    assert_eq!(ledger.append(&record(1)).unwrap(), 1);
}

// ---------------------------------------------------------------------------------------------
// As the audit sink

#[test]
fn a_view_shows_raw_values_only_once_the_ledger_has_committed_its_record() {
    let dir = TempDir::new("sink");
    let path = dir.file("audit.sqlite3");
    let ledger = Arc::new(SqliteLedger::open(&path).unwrap());
    ledger.set_busy_timeout(Duration::ZERO).unwrap();
    let member = Member {
        id: 7,
        phone: "+44 20 7946 0958".into(),
    };
    let rule = Disclosure::of([Kind::Phone]).because("the member's own profile");
    let show = || audit::with_sink(ledger.clone(), || format!("{:?}", member.reveal(&rule)));

    // Another connection holds the write lock: the record cannot be committed.
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN EXCLUSIVE").unwrap();
    assert_eq!(show(), "Member { id: 7, phone: <pii:phone> }");
    other.execute_batch("ROLLBACK").unwrap();
    assert_eq!(ledger.verify().unwrap().records, 0);

    assert_eq!(show(), r#"Member { id: 7, phone: "+44 20 7946 0958" }"#);
    let entries = ledger.records_in(..).unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].record.fields, ["phone"]);
    assert_eq!(entries[0].record.type_name, "Member");
    assert_eq!(
        entries[0].record.subjects,
        [SubjectId::from(7_u64).pseudonym().to_string()]
    );
}

// ---------------------------------------------------------------------------------------------
// Append-only, in the database

#[test]
fn records_and_the_head_cannot_be_rewritten_even_with_sql() {
    let dir = TempDir::new("append-only");
    let path = dir.file("audit.sqlite3");
    let ledger = ledger_with(&path, 3);
    let sql = rusqlite::Connection::open(&path).unwrap();
    for statement in [
        "UPDATE audit_records SET record = '{}' WHERE seq = 2",
        "UPDATE audit_records SET seq = 9 WHERE seq = 3",
        "DELETE FROM audit_records WHERE seq = 3",
        "DELETE FROM audit_records",
        "UPDATE audit_record_subjects SET subject = 'someone else'",
        "DELETE FROM audit_record_subjects",
        "DELETE FROM audit_head",
        "UPDATE audit_head SET seq = 2, hash = (SELECT hash FROM audit_records WHERE seq = 2)",
        "UPDATE audit_head SET seq = 4, hash = zeroblob(32)",
    ] {
        let error = sql.execute(statement, []).unwrap_err();
        let message = error.to_string();
        assert!(
            message.contains("append-only") || message.contains("only moves forward"),
            "{statement}: {error}"
        );
    }
    assert_eq!(ledger.verify().unwrap().records, 3);
    assert_eq!(ledger.append(&record(4)).unwrap(), 4);
}

// ---------------------------------------------------------------------------------------------
// Tamper evidence

#[test]
fn verify_finds_an_altered_record() {
    let dir = TempDir::new("altered");
    let path = dir.file("audit.sqlite3");
    let ledger = ledger_with(&path, 5);
    behind_the_back(&path)
        .execute(
            "UPDATE audit_records SET record = replace(record, 'record 3 of', 'record 9 of') WHERE seq = 3",
            [],
        )
        .unwrap();
    assert_eq!(chain_break(ledger.verify()), ChainBreak::Altered { seq: 3 });
}

#[test]
fn verify_finds_a_record_altered_in_the_files_bytes() {
    let dir = TempDir::new("bytes");
    let path = dir.file("audit.sqlite3");
    // Closed, so that every record is in the file itself, not in its write-ahead log.
    drop(ledger_with(&path, 5));
    let mut bytes = fs::read(&path).unwrap();
    let needle = b"record 4 of the test";
    let at = bytes
        .windows(needle.len())
        .position(|window| window == needle)
        .expect("the record's text is in the file");
    bytes[at + 7] = b'8';
    fs::write(&path, &bytes).unwrap();
    let ledger = SqliteLedger::open(&path).unwrap();
    assert_eq!(chain_break(ledger.verify()), ChainBreak::Altered { seq: 4 });
}

#[test]
fn verify_finds_a_deleted_record() {
    let dir = TempDir::new("deleted");
    let path = dir.file("audit.sqlite3");
    let ledger = ledger_with(&path, 5);
    behind_the_back(&path)
        .execute_batch(
            "DELETE FROM audit_records WHERE seq = 3;
             DELETE FROM audit_record_subjects WHERE seq = 3;",
        )
        .unwrap();
    assert_eq!(chain_break(ledger.verify()), ChainBreak::Missing { seq: 3 });
}

#[test]
fn verify_finds_a_deleted_last_record() {
    let dir = TempDir::new("deleted-last");
    let path = dir.file("audit.sqlite3");
    let ledger = ledger_with(&path, 5);
    behind_the_back(&path)
        .execute_batch(
            "DELETE FROM audit_records WHERE seq = 5;
             DELETE FROM audit_record_subjects WHERE seq = 5;",
        )
        .unwrap();
    assert_eq!(chain_break(ledger.verify()), ChainBreak::Missing { seq: 5 });
    // The ledger goes on after its head, so the gap stays in the chain.
    assert_eq!(ledger.append(&record(6)).unwrap(), 6);
    assert_eq!(chain_break(ledger.verify()), ChainBreak::Missing { seq: 5 });
}

/// With the head moved back too, `sqlite_sequence` still counts the deleted record; with that
/// rewound as well, only an anchor kept elsewhere shows what is gone.
#[test]
fn a_cut_end_is_found_by_the_sequence_and_then_by_an_anchor() {
    let dir = TempDir::new("cut-end");
    let path = dir.file("audit.sqlite3");
    let ledger = ledger_with(&path, 5);
    let anchor = ledger.head().unwrap();
    assert_eq!(anchor.seq, 5);
    let sql = behind_the_back(&path);
    sql.execute_batch(
        "DELETE FROM audit_records WHERE seq = 5;
         DELETE FROM audit_record_subjects WHERE seq = 5;
         UPDATE audit_head SET seq = 4, hash = (SELECT hash FROM audit_records WHERE seq = 4);",
    )
    .unwrap();
    assert_eq!(chain_break(ledger.verify()), ChainBreak::Missing { seq: 5 });

    sql.execute(
        "UPDATE sqlite_sequence SET seq = 4 WHERE name = 'audit_records'",
        [],
    )
    .unwrap();
    assert_eq!(
        ledger.verify().unwrap().records,
        4,
        "a consistent shorter file"
    );
    assert_eq!(
        chain_break(ledger.verify_against(&anchor)),
        ChainBreak::Missing { seq: 5 }
    );
}

#[test]
fn verify_finds_reordered_records() {
    let dir = TempDir::new("reordered");
    let path = dir.file("audit.sqlite3");
    let ledger = ledger_with(&path, 5);
    // Swap everything but the numbers of records 2 and 3.
    behind_the_back(&path)
        .execute_batch(
            "CREATE TEMP TABLE swap AS SELECT * FROM audit_records WHERE seq IN (2, 3);
             UPDATE audit_records SET
                 (at_ns, grant_id, record, key_id, prev_hash, hash) =
                 (SELECT at_ns, grant_id, record, key_id, prev_hash, hash FROM swap
                  WHERE swap.seq = 5 - audit_records.seq)
             WHERE seq IN (2, 3);",
        )
        .unwrap();
    assert_eq!(
        chain_break(ledger.verify()),
        ChainBreak::Unlinked { seq: 2 }
    );
}

#[test]
fn verify_finds_a_record_inserted_past_the_head() {
    let dir = TempDir::new("inserted");
    let path = dir.file("audit.sqlite3");
    let ledger = ledger_with(&path, 5);
    let sql = rusqlite::Connection::open(&path).unwrap();
    // A well-formed record with a correct plain link: only the head says it is not the
    // ledger's.
    let (text, _) = row(&sql, 5);
    let text = text.replace("record 5 of", "record 6 of");
    let prev: Vec<u8> = sql
        .query_row("SELECT hash FROM audit_records WHERE seq = 5", [], |row| {
            row.get(0)
        })
        .unwrap();
    let at_ns: i64 = sql
        .query_row("SELECT at_ns FROM audit_records WHERE seq = 5", [], |row| {
            row.get(0)
        })
        .unwrap();
    sql.execute(
        "INSERT INTO audit_records (seq, at_ns, grant_id, record, key_id, prev_hash, hash)
         SELECT 6, ?1, grant_id, ?2, NULL, ?3, ?4 FROM audit_records WHERE seq = 5",
        rusqlite::params![at_ns, text, prev, plain_link(6, &prev, text.as_bytes())],
    )
    .unwrap();
    sql.execute(
        "INSERT INTO audit_record_subjects SELECT 6, subject FROM audit_record_subjects WHERE seq = 5",
        [],
    )
    .unwrap();
    assert_eq!(
        chain_break(ledger.verify()),
        ChainBreak::Inserted { seq: 6 }
    );
    // And the ledger will not write over it.
    assert!(ledger.append(&record(6)).is_err());
}

/// Without a key, an editor who recomputes an altered record's hash breaks the next link;
/// one who recomputes the whole rest of the chain is found only by an anchor.
#[test]
fn a_rehashed_record_breaks_the_next_link_and_a_rechained_tail_misses_the_anchor() {
    let dir = TempDir::new("rehashed");
    let path = dir.file("audit.sqlite3");
    let ledger = ledger_with(&path, 5);
    let anchor = ledger.head().unwrap();
    let sql = behind_the_back(&path);
    let rewrite = |seq: u64| {
        let (text, prev) = row(&sql, seq);
        let text = text.replace("of the test", "of the edit");
        sql.execute(
            "UPDATE audit_records SET record = ?1, hash = ?2 WHERE seq = ?3",
            rusqlite::params![text, plain_link(seq, &prev, text.as_bytes()), seq],
        )
        .unwrap();
    };
    rewrite(3);
    assert_eq!(
        chain_break(ledger.verify()),
        ChainBreak::Unlinked { seq: 4 }
    );

    for seq in 4..=5 {
        sql.execute(
            "UPDATE audit_records SET prev_hash = (SELECT hash FROM audit_records WHERE seq = ?1)
             WHERE seq = ?2",
            [seq - 1, seq],
        )
        .unwrap();
        rewrite(seq);
    }
    sql.execute(
        "UPDATE audit_head SET hash = (SELECT hash FROM audit_records WHERE seq = 5)",
        [],
    )
    .unwrap();
    assert_eq!(
        ledger.verify().unwrap().records,
        5,
        "a recomputed plain chain"
    );
    assert_eq!(
        chain_break(ledger.verify_against(&anchor)),
        ChainBreak::Altered { seq: 5 }
    );
}

#[test]
fn a_keyed_chain_cannot_be_recomputed_without_its_secret() {
    let dir = TempDir::new("keyed");
    let path = dir.file("audit.sqlite3");
    let secret = [42u8; 32];
    let key = || ChainKey::new("ledger-k1", &secret).unwrap();
    let ledger = SqliteLedger::open(&path).unwrap().with_key(key());
    for n in 1..=5 {
        ledger.append(&record(n)).unwrap();
    }
    assert_eq!(ledger.verify().unwrap().records, 5);
    let sql = behind_the_back(&path);
    let (text, prev) = row(&sql, 3);
    // The stored hash is the documented HMAC.
    let stored: Vec<u8> = sql
        .query_row("SELECT hash FROM audit_records WHERE seq = 3", [], |row| {
            row.get(0)
        })
        .unwrap();
    assert_eq!(stored, keyed_link(&secret, 3, &prev, text.as_bytes()));

    let edited = text.replace("of the test", "of the edit");
    // Rehashed with a guessed secret: altered.
    sql.execute(
        "UPDATE audit_records SET record = ?1, hash = ?2 WHERE seq = 3",
        rusqlite::params![edited, keyed_link(&[0; 32], 3, &prev, edited.as_bytes())],
    )
    .unwrap();
    assert_eq!(chain_break(ledger.verify()), ChainBreak::Altered { seq: 3 });
    // Relinked in plain SHA-256: a keyed ledger takes that for anyone's.
    sql.execute(
        "UPDATE audit_records SET key_id = NULL, hash = ?1 WHERE seq = 3",
        rusqlite::params![plain_link(3, &prev, edited.as_bytes())],
    )
    .unwrap();
    assert_eq!(chain_break(ledger.verify()), ChainBreak::Unkeyed { seq: 3 });
}

#[test]
fn a_keyed_chain_verifies_only_with_its_keys() {
    let dir = TempDir::new("keys");
    let path = dir.file("audit.sqlite3");
    let old = || ChainKey::new("k1", &[1; 32]).unwrap();
    let new = || ChainKey::new("k2", &[2; 32]).unwrap();
    {
        let ledger = SqliteLedger::open(&path).unwrap().with_key(old());
        ledger.append(&record(1)).unwrap();
        ledger.append(&record(2)).unwrap();
    }
    {
        // The key changes: the old one still verifies the records it linked.
        let ledger = SqliteLedger::open(&path)
            .unwrap()
            .with_key(new())
            .with_retired_key(old());
        ledger.append(&record(3)).unwrap();
        assert_eq!(ledger.verify().unwrap().records, 3);
    }
    let only_new = SqliteLedger::open(&path).unwrap().with_key(new());
    assert!(matches!(
        only_new.verify(),
        Err(LedgerError::UnknownKey { seq: 1, ref key_id }) if key_id == "k1"
    ));
    let unkeyed = SqliteLedger::open(&path).unwrap();
    assert!(matches!(
        unkeyed.verify(),
        Err(LedgerError::UnknownKey { seq: 1, .. })
    ));
    let impostor = SqliteLedger::open(&path)
        .unwrap()
        .with_key(ChainKey::new("k2", &[3; 32]).unwrap())
        .with_retired_key(ChainKey::new("k1", &[4; 32]).unwrap());
    assert_eq!(
        chain_break(impostor.verify()),
        ChainBreak::Altered { seq: 1 }
    );
    assert!(format!("{impostor:?}").contains(r#"keys: ["k2", "k1"]"#));
    assert!(!format!("{impostor:?}").contains("[3, 3"));
}

#[test]
fn verify_finds_an_index_that_does_not_match_its_record_and_queries_ignore_it() {
    let dir = TempDir::new("index");
    let path = dir.file("audit.sqlite3");
    let ledger = SqliteLedger::open(&path).unwrap();
    for n in 1..=5 {
        let mut record = record(n);
        record.grant = Some(RecordId(n));
        ledger.append(&record).unwrap();
    }
    let sql = behind_the_back(&path);

    sql.execute("UPDATE audit_records SET grant_id = 4 WHERE seq = 2", [])
        .unwrap();
    assert_eq!(
        chain_break(ledger.verify()),
        ChainBreak::Misindexed { seq: 2 }
    );
    let of_grant_4: Vec<u64> = ledger
        .records_of_grant(RecordId(4))
        .unwrap()
        .iter()
        .map(|entry| entry.seq)
        .collect();
    assert_eq!(of_grant_4, [4], "the misindexed record is not returned");
    sql.execute("UPDATE audit_records SET grant_id = 2 WHERE seq = 2", [])
        .unwrap();
    assert_eq!(ledger.verify().unwrap().records, 5);

    sql.execute(
        "INSERT INTO audit_record_subjects (seq, subject) VALUES (3, '#k:someone-else')",
        [],
    )
    .unwrap();
    assert_eq!(
        chain_break(ledger.verify()),
        ChainBreak::Misindexed { seq: 3 }
    );
    assert!(ledger.records_about("#k:someone-else").unwrap().is_empty());
    sql.execute("DELETE FROM audit_record_subjects WHERE seq = 3", [])
        .unwrap();
    assert_eq!(
        chain_break(ledger.verify()),
        ChainBreak::Misindexed { seq: 3 }
    );
    sql.execute(
        "INSERT INTO audit_record_subjects SELECT 3, subject FROM audit_record_subjects WHERE seq = 2",
        [],
    )
    .unwrap();
    assert_eq!(ledger.verify().unwrap().records, 5);

    sql.execute(
        "UPDATE audit_records SET at_ns = at_ns + 1 WHERE seq = 4",
        [],
    )
    .unwrap();
    assert_eq!(
        chain_break(ledger.verify()),
        ChainBreak::Misindexed { seq: 4 }
    );

    sql.execute(
        "INSERT INTO audit_record_subjects (seq, subject) VALUES (77, '#k:nobody')",
        [],
    )
    .unwrap();
    sql.execute(
        "UPDATE audit_records SET at_ns = at_ns - 1 WHERE seq = 4",
        [],
    )
    .unwrap();
    assert_eq!(
        chain_break(ledger.verify()),
        ChainBreak::Misindexed { seq: 77 }
    );
}

// ---------------------------------------------------------------------------------------------
// Files that are not ledgers

fn assert_corrupt<T: std::fmt::Debug>(result: &Result<T, LedgerError>) {
    assert!(
        matches!(result, Err(LedgerError::Corrupt(_))),
        "expected LedgerError::Corrupt, got {result:?}"
    );
}

#[test]
fn random_bytes_are_not_a_ledger() {
    let dir = TempDir::new("random");
    let path = dir.file("audit.sqlite3");
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
    assert_corrupt(&SqliteLedger::open(&path));
    assert_eq!(fs::read(&path).unwrap(), bytes, "left as it was");
}

#[test]
fn other_databases_are_not_ledgers() {
    let dir = TempDir::new("foreign");
    let execute = |path: &Path, sql: &str| {
        rusqlite::Connection::open(path)
            .unwrap()
            .execute_batch(sql)
            .unwrap();
    };

    let foreign = dir.file("app.sqlite3");
    execute(
        &foreign,
        "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)",
    );
    assert_corrupt(&SqliteLedger::open(&foreign));

    let marked = dir.file("marked.sqlite3");
    execute(&marked, "PRAGMA application_id = 42");
    assert_corrupt(&SqliteLedger::open(&marked));

    for table in ["audit_records", "audit_head", "audit_ledger_schema"] {
        let dropped = dir.file(&format!("without-{table}.sqlite3"));
        drop(ledger_with(&dropped, 1));
        execute(&dropped, &format!("DROP TABLE {table}"));
        assert_corrupt(&SqliteLedger::open(&dropped));
    }

    let empty = dir.file("empty.sqlite3");
    fs::write(&empty, b"").unwrap();
    assert_eq!(
        SqliteLedger::open(&empty)
            .unwrap()
            .append(&record(1))
            .unwrap(),
        1
    );
}

/// A damaged file gives an error, whatever part of it is gone: never a panic, never a
/// verified chain.
#[test]
fn a_truncated_file_is_an_error_not_a_panic() {
    let dir = TempDir::new("truncated");
    let path = dir.file("audit.sqlite3");
    drop(ledger_with(&path, 300));
    let whole = fs::read(&path).unwrap();
    assert!(whole.len() > 8 * 4096, "{} bytes", whole.len());
    for keep in [whole.len() / 2, whole.len() - 4096, 4096] {
        fs::write(&path, &whole[..keep]).unwrap();
        let result = SqliteLedger::open(&path).and_then(|ledger| ledger.verify());
        assert!(
            matches!(
                result,
                Err(LedgerError::Corrupt(_) | LedgerError::Tampered(_))
            ),
            "{keep} of {} bytes: {result:?}",
            whole.len()
        );
    }
}

/// What the ledger answers: its export and three queries, or an error.
fn answers(path: &Path, alice: &str) -> Result<Vec<String>, LedgerError> {
    let ledger = SqliteLedger::open(path)?;
    ledger.verify()?;
    let mut export = Vec::new();
    ledger.export_jsonl(&mut export)?;
    let listed = |entries: Vec<audit::LedgerEntry>| format!("{entries:?}");
    Ok(vec![
        String::from_utf8_lossy(&export).into_owned(),
        listed(ledger.records_about(alice)?),
        listed(ledger.records_in(start() + Duration::from_secs(10)..)?),
        listed(ledger.records_of_grant(RecordId(1))?),
    ])
}

/// Every byte of a ledger's file, changed one at a time (a sample of them): either the ledger
/// reports it, or every record, query and the export are exactly as before.
#[test]
fn a_changed_byte_is_reported_or_changes_no_record() {
    let dir = TempDir::new("flipped");
    let pristine = dir.file("pristine.sqlite3");
    let alice = SubjectId::from("alice").pseudonym().to_string();
    {
        let ledger = SqliteLedger::open(&pristine).unwrap();
        for n in 1..=40 {
            let mut record = record(n);
            record.subjects = vec![alice.clone().into()];
            record.grant = Some(RecordId(n % 3));
            ledger.append(&record).unwrap();
        }
    }
    let expected = answers(&pristine, &alice).unwrap();
    let whole = fs::read(&pristine).unwrap();
    let path = dir.file("flipped.sqlite3");
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut reported = 0;
    for _ in 0..300 {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let at = usize::try_from(state % whole.len() as u64).unwrap();
        let mut bytes = whole.clone();
        bytes[at] ^= 1 << (state >> 61);
        fs::write(&path, &bytes).unwrap();
        match answers(&path, &alice) {
            Err(_) => reported += 1,
            Ok(answers) => {
                let differs = (0..expected.len()).find(|&i| answers[i] != expected[i]);
                assert_eq!(differs, None, "byte {at} changed this answer, unreported");
            }
        }
        for suffix in ["-wal", "-shm"] {
            let mut file = path.as_os_str().to_owned();
            file.push(suffix);
            let _ = fs::remove_file(file);
        }
    }
    assert!(reported > 0, "no change of 300 was reported");
}

#[test]
fn a_newer_ledger_schema_is_refused() {
    let dir = TempDir::new("schema");
    let path = dir.file("audit.sqlite3");
    drop(ledger_with(&path, 1));
    let sql = rusqlite::Connection::open(&path).unwrap();
    let version: u32 = sql
        .query_row("SELECT version FROM audit_ledger_schema", [], |row| {
            row.get(0)
        })
        .unwrap();
    assert_eq!(version, 1);
    sql.execute("UPDATE audit_ledger_schema SET version = 2", [])
        .unwrap();
    drop(sql);
    assert!(matches!(
        SqliteLedger::open(&path),
        Err(LedgerError::SchemaTooNew {
            found: 2,
            supported: 1
        })
    ));
}

/// One file can hold a consent store and a ledger, whichever is opened first; each keeps its
/// own schema version.
#[test]
fn a_ledger_shares_a_file_with_the_consent_store() {
    let dir = TempDir::new("shared");
    for (name, ledger_first) in [
        ("ledger-first.sqlite3", true),
        ("store-first.sqlite3", false),
    ] {
        let path = dir.file(name);
        let (store, ledger) = if ledger_first {
            let ledger = SqliteLedger::open(&path).unwrap();
            (SqliteConsentStore::open(&path).unwrap(), ledger)
        } else {
            let store = SqliteConsentStore::open(&path).unwrap();
            (store, SqliteLedger::open(&path).unwrap())
        };
        let alice = SubjectId::from("7");
        store
            .grant(&alice, Support, Evidence::new("help chat"))
            .unwrap();
        let consent = store.consent::<Support>(&alice).unwrap();
        let mut record = record(1);
        record.grant = Some(consent.grant_id());
        ledger.append(&record).unwrap();
        drop((store, ledger));

        let store = SqliteConsentStore::open(&path).unwrap();
        let ledger = SqliteLedger::open(&path).unwrap();
        assert_eq!(store.history(&alice).unwrap().len(), 1);
        assert_eq!(ledger.verify().unwrap().records, 1);
        assert_eq!(
            ledger
                .records_of_grant(store.consent::<Support>(&alice).unwrap().grant_id())
                .unwrap()
                .len(),
            1
        );
        let sql = rusqlite::Connection::open(&path).unwrap();
        let versions: (u32, u32) = sql
            .query_row(
                "SELECT (SELECT user_version FROM pragma_user_version),
                        (SELECT version FROM audit_ledger_schema)",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .unwrap();
        assert_eq!(versions, (3, 1), "{name}");
    }
}

// ---------------------------------------------------------------------------------------------
// Queries and export

#[test]
fn records_are_found_by_subject_time_and_grant() {
    let ledger = SqliteLedger::in_memory().unwrap();
    let alice = SubjectId::from("alice").pseudonym().to_string();
    let bob = SubjectId::from("bob").pseudonym().to_string();
    for n in 1..=6 {
        let mut record = record(n);
        record.subjects = match n % 3 {
            0 => vec![alice.clone().into(), bob.clone().into()],
            1 => vec![alice.clone().into()],
            _ => vec![bob.clone().into()],
        };
        record.grant = (n % 2 == 0).then_some(RecordId(100 + n % 4));
        ledger.append(&record).unwrap();
    }
    let seqs = |entries: Vec<audit::LedgerEntry>| -> Vec<u64> {
        entries.iter().map(|entry| entry.seq).collect()
    };
    assert_eq!(seqs(ledger.records_about(&alice).unwrap()), [1, 3, 4, 6]);
    assert_eq!(seqs(ledger.records_about(&bob).unwrap()), [2, 3, 5, 6]);
    assert!(ledger.records_about("#k:nobody").unwrap().is_empty());

    let at = |n: u64| start() + Duration::from_secs(n);
    assert_eq!(seqs(ledger.records_in(at(2)..at(4)).unwrap()), [2, 3]);
    assert_eq!(seqs(ledger.records_in(at(2)..=at(4)).unwrap()), [2, 3, 4]);
    assert_eq!(seqs(ledger.records_in(at(5)..).unwrap()), [5, 6]);
    assert_eq!(seqs(ledger.records_in(..at(2)).unwrap()), [1]);
    let just_after_2 = at(2) + Duration::from_nanos(1);
    assert_eq!(
        seqs(ledger.records_in(just_after_2..at(4)).unwrap()),
        [3],
        "to the nanosecond"
    );
    assert_eq!(
        seqs(
            ledger
                .records_in(UNIX_EPOCH..UNIX_EPOCH + Duration::from_secs(400 * 366 * 86_400))
                .unwrap()
        ),
        [1, 2, 3, 4, 5, 6],
        "bounds past what a record can hold"
    );
    assert!(ledger.records_in(at(7)..).unwrap().is_empty());

    assert_eq!(
        seqs(ledger.records_of_grant(RecordId(102)).unwrap()),
        [2, 6]
    );
    assert_eq!(seqs(ledger.records_of_grant(RecordId(100)).unwrap()), [4]);
    assert!(ledger.records_of_grant(RecordId(101)).unwrap().is_empty());
    let entries = ledger.records_of_grant(RecordId(100)).unwrap();
    assert_eq!(entries[0].record.basis, "record 4 of the test");
}

/// One JSON object per record, with its number and hashes, and the canonical form byte for
/// byte: a reader can recompute the chain from the export alone.
#[test]
fn the_export_holds_every_record_and_lets_a_reader_recompute_the_chain() {
    let ledger = SqliteLedger::in_memory().unwrap();
    for n in 1..=4 {
        let mut record = record(n);
        record.viewer = (n == 2).then(|| "#k:viewer".into());
        ledger.append(&record).unwrap();
    }
    let mut out = Vec::new();
    assert_eq!(ledger.export_jsonl(&mut out).unwrap(), 4);
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4);
    let mut prev = vec![0; 32];
    for (i, line) in lines.iter().enumerate() {
        let seq = i as u64 + 1;
        let object: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(object["seq"], seq);
        assert_eq!(
            object["record"]["basis"],
            format!("record {seq} of the test")
        );
        assert_eq!(object["record"]["fields"], serde_json::json!(["phone"]));
        assert_eq!(object["key_id"], serde_json::Value::Null);
        let canonical = line
            .split_once(r#""record":"#)
            .and_then(|(_, rest)| rest.split_once(r#","prev_hash":"#))
            .map(|(canonical, _)| canonical)
            .unwrap();
        let hash = plain_link(seq, &prev, canonical.as_bytes());
        assert_eq!(object["prev_hash"], hex(&prev));
        assert_eq!(object["hash"], hex(&hash));
        prev = hash;
    }
    assert_eq!(hex(&prev), hex(&ledger.verify().unwrap().head.hash));
    assert!(lines[1].contains(r##""viewer":"#k:viewer""##));

    assert!(matches!(
        ledger.export_jsonl(Full),
        Err(LedgerError::Export(_))
    ));
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut hex, byte| {
        let _ = write!(hex, "{byte:02x}");
        hex
    })
}

/// A writer that fails.
struct Full;

impl Write for Full {
    fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
        Err(std::io::Error::other("disk full"))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// No value in the ledger

mod marker {
    pub const NAME: &str = "QZLNAMEX7K2P9W";
    pub const PHONE: &str = "QZLPHONEX8R3T0";
    pub const EMAIL: &str = "QZLMAILX5V1N6";
    pub const IP: &str = "QZLIPX4B8M1C";
    pub const EMPLOYER: &str = "QZLORGX9D3F7G";
    pub const NOTE: &str = "QZLNOTEX2H8J4";
    pub const CONTACT_PHONE: &str = "QZLCPHONEX6M2";
    pub const CONTACT_NAME: &str = "QZLCNAMEX3W9E";
    pub const NICKNAME: &str = "QZLNICKX1B5C3";
    pub const ALL: &[&str] = &[
        NAME,
        PHONE,
        EMAIL,
        IP,
        EMPLOYER,
        NOTE,
        CONTACT_PHONE,
        CONTACT_NAME,
        NICKNAME,
    ];
}

const PATIENT_ID: u64 = 918_273_645;
const SAFE_LABEL: &str = "safe-label-visible";

#[derive(Privacy)]
struct Patient {
    #[safe]
    #[privacy(subject)]
    id: u64,
    #[pii(name)]
    name: String,
    #[pii(phone, redact = last(4))]
    phone: String,
    #[pii(email, redact = email)]
    email: String,
    #[pii(ip)]
    ip: String,
    #[oii(org_name)]
    employer: String,
    #[pii(message)]
    note: Option<String>,
    contacts: Vec<Contact>,
    nickname: Pii<String>,
    #[safe]
    label: &'static str,
}

#[derive(Privacy)]
struct Contact {
    #[pii(phone)]
    phone: String,
    #[pii(name)]
    name: String,
}

fn patient() -> Patient {
    Patient {
        id: PATIENT_ID,
        name: marker::NAME.into(),
        phone: marker::PHONE.into(),
        email: format!("{}@mail.example", marker::EMAIL),
        ip: marker::IP.into(),
        employer: marker::EMPLOYER.into(),
        note: Some(marker::NOTE.into()),
        contacts: vec![Contact {
            phone: marker::CONTACT_PHONE.into(),
            name: marker::CONTACT_NAME.into(),
        }],
        nickname: Pii::new(marker::NICKNAME.into()),
        label: SAFE_LABEL,
    }
}

/// Every byte of the ledger's files: the database, its write-ahead log and index.
fn ledger_bytes(path: &Path) -> Vec<u8> {
    let mut bytes = Vec::new();
    for suffix in ["", "-wal", "-shm"] {
        let mut file = path.as_os_str().to_owned();
        file.push(suffix);
        if let Ok(contents) = fs::read(&file) {
            bytes.extend(contents);
        }
    }
    bytes
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle.as_bytes())
}

#[test]
fn the_ledger_and_its_export_hold_no_classified_value() {
    let dir = TempDir::new("leak");
    let path = dir.file("audit.sqlite3");
    let ledger = Arc::new(SqliteLedger::open(&path).unwrap());
    let value = patient();
    let rule = Disclosure::of([
        Kind::Name,
        Kind::Phone,
        Kind::Email,
        Kind::Ip,
        Kind::OrgName,
        Kind::Message,
    ])
    .because("the patient's own record");
    let debug = audit::with_sink(ledger.clone(), || format!("{:?}", value.reveal(&rule)));
    let json = audit::with_sink(ledger.clone(), || {
        serde_json::to_string(&value.reveal(&rule)).unwrap()
    });
    // The views showed the values, so the ledger accepted their records.
    for shown in [&debug, &json] {
        for marker in &marker::ALL[..marker::ALL.len() - 1] {
            assert!(shown.contains(marker), "{marker} not shown in {shown}");
        }
        assert!(shown.contains(SAFE_LABEL) && shown.contains(&PATIENT_ID.to_string()));
    }

    let mut export = Vec::new();
    assert_eq!(ledger.export_jsonl(&mut export).unwrap(), 2);
    let open = ledger_bytes(&path);
    drop(ledger);
    let closed = ledger_bytes(&path);
    for (what, bytes) in [
        ("export", &export),
        ("open file", &open),
        ("closed file", &closed),
    ] {
        for marker in marker::ALL {
            assert!(!contains(bytes, marker), "{marker} is in the {what}");
        }
        for expected in [
            "Patient",
            "contacts.phone",
            "employer",
            "the patient's own record",
            &SubjectId::from(PATIENT_ID).pseudonym().to_string(),
        ] {
            assert!(contains(bytes, expected), "{expected} is not in the {what}");
        }
    }
    let ledger = SqliteLedger::open(&path).unwrap();
    let entries = ledger.records_in(..).unwrap();
    assert_eq!(entries.len(), 2);
    let mut fields = entries[0].record.fields.clone();
    fields.sort();
    assert_eq!(
        fields,
        [
            "contacts.name",
            "contacts.phone",
            "email",
            "employer",
            "ip",
            "name",
            "note",
            "phone"
        ]
    );
    assert_eq!(ledger.verify().unwrap().records, 2);
}

// ---------------------------------------------------------------------------------------------
// Threads

const THREADS: usize = 4;
const RECORDS: usize = 40;

fn appended_by(thread: usize, n: usize) -> AuditRecord<'static> {
    let mut record = template();
    record.basis = format!("thread {thread} record {n}").into();
    record
}

/// Threads sharing one ledger, each appending its records: every record is there once, in
/// each thread's order, and the chain holds; with and without group commit.
#[test]
fn threads_sharing_one_ledger_lose_nothing() {
    for together in [true, false] {
        let dir = TempDir::new("threads");
        let path = dir.file("audit.sqlite3");
        let ledger = Arc::new(
            SqliteLedger::open(&path)
                .unwrap()
                .with_group_commit(together),
        );
        let threads: Vec<_> = (0..THREADS)
            .map(|thread| {
                let ledger = Arc::clone(&ledger);
                thread::spawn(move || {
                    // Another connection, to see what is committed.
                    let sql = rusqlite::Connection::open(ledger.path().unwrap()).unwrap();
                    (0..RECORDS)
                        .map(|n| {
                            let seq = ledger.append(&appended_by(thread, n)).unwrap();
                            // Acknowledged only once committed: another connection sees it.
                            let (text, _) = row(&sql, seq);
                            assert!(text.contains(&format!("\"thread {thread} record {n}\"")));
                            seq
                        })
                        .collect::<Vec<u64>>()
                })
            })
            .collect();
        let mut seqs: Vec<u64> = Vec::new();
        for thread in threads {
            let own = thread.join().unwrap();
            assert!(own.windows(2).all(|pair| pair[0] < pair[1]), "{own:?}");
            seqs.extend(own);
        }
        seqs.sort_unstable();
        let total = (THREADS * RECORDS) as u64;
        assert_eq!(
            seqs,
            (1..=total).collect::<Vec<_>>(),
            "group commit {together}"
        );
        assert_eq!(ledger.verify().unwrap().records, total);
    }
}

/// When the commit of a batch fails, every record of it fails, none is kept, and the ledger
/// goes on once the cause is gone.
#[test]
fn records_of_a_failed_commit_all_fail_and_none_is_kept() {
    let dir = TempDir::new("failed-batch");
    let path = dir.file("audit.sqlite3");
    let ledger = Arc::new(SqliteLedger::open(&path).unwrap());
    ledger.set_busy_timeout(Duration::ZERO).unwrap();
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let threads: Vec<_> = (0..THREADS)
        .map(|thread| {
            let ledger = Arc::clone(&ledger);
            thread::spawn(move || ledger.append(&appended_by(thread, 0)))
        })
        .collect();
    for thread in threads {
        let error = thread.join().unwrap().unwrap_err();
        let locked = match &error {
            LedgerError::Batch(cause) => matches!(**cause, LedgerError::Locked),
            error => matches!(error, LedgerError::Locked),
        };
        assert!(locked, "{error:?}");
    }
    other.execute_batch("ROLLBACK").unwrap();
    assert_eq!(ledger.verify().unwrap().records, 0);
    assert_eq!(ledger.append(&record(1)).unwrap(), 1);
}

// ---------------------------------------------------------------------------------------------
// Other processes: this test binary again, running one `child_*` test.

/// The ledger file, and the child's number, of a `child_appends_from_threads` child.
const BUSY_CHILD: &str = "PRIVACY_TEST_LEDGER_BUSY_CHILD";
const BUSY_CHILD_NUMBER: &str = "PRIVACY_TEST_LEDGER_BUSY_CHILD_NUMBER";
/// The ledger file a `child_appends_until_killed` child appends to.
const KILLED_CHILD: &str = "PRIVACY_TEST_LEDGER_KILLED_CHILD";

const PROCESSES: usize = 2;
const CHILD_RECORDS: usize = 25;

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

/// The `(seq, basis)` of every `acknowledged <seq> <basis>` line; libtest may have written
/// `test <name> ... ` on the same line first.
fn acknowledged(lines: impl Iterator<Item = String>) -> Vec<(u64, String)> {
    lines
        .filter_map(|line| {
            let (_, ack) = line.split_once("acknowledged ")?;
            let (seq, basis) = ack.split_once(' ')?;
            Some((seq.parse().ok()?, basis.to_owned()))
        })
        .collect()
}

fn print_acknowledged(seq: u64, basis: &str) {
    let mut out = std::io::stdout().lock();
    writeln!(out, "acknowledged {seq} {basis}").unwrap();
    out.flush().unwrap();
}

/// Two processes of several threads each append to one file, which they also race to create:
/// every acknowledged record is there under its number, nothing else is, and the chain holds.
#[test]
fn processes_and_threads_appending_at_once_lose_nothing() {
    let dir = TempDir::new("processes");
    let path = dir.file("audit.sqlite3");
    let children: Vec<Child> = (0..PROCESSES)
        .map(|number| {
            let number = number.to_string();
            spawn_child(
                "child_appends_from_threads",
                &[
                    (BUSY_CHILD, path.as_os_str()),
                    (BUSY_CHILD_NUMBER, number.as_ref()),
                ],
            )
        })
        .collect();
    let mut acks = Vec::new();
    for child in children {
        let output = child.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "a child failed:\n{stdout}");
        acks.extend(acknowledged(stdout.lines().map(str::to_owned)));
    }
    let total = PROCESSES * THREADS * CHILD_RECORDS;
    assert_eq!(acks.len(), total);

    let ledger = SqliteLedger::open(&path).unwrap();
    assert_eq!(ledger.verify().unwrap().records, total as u64);
    let kept: Vec<(u64, String)> = ledger
        .records_in(..)
        .unwrap()
        .into_iter()
        .map(|entry| (entry.seq, entry.record.basis.into_owned()))
        .collect();
    acks.sort_unstable();
    assert_eq!(kept, acks);
}

/// In a child: `THREADS` threads append at once, half sharing one ledger, half with a
/// ledger each, and print each acknowledged record. Elsewhere: nothing.
#[test]
fn child_appends_from_threads() {
    let Some(path) = env::var_os(BUSY_CHILD) else {
        return;
    };
    let process: usize = env::var(BUSY_CHILD_NUMBER).unwrap().parse().unwrap();
    let path = PathBuf::from(path);
    let shared = Arc::new(SqliteLedger::open(&path).unwrap());
    let threads: Vec<_> = (0..THREADS)
        .map(|thread| {
            let ledger = if thread % 2 == 0 {
                Arc::clone(&shared)
            } else {
                Arc::new(SqliteLedger::open(&path).unwrap())
            };
            thread::spawn(move || {
                for n in 0..CHILD_RECORDS {
                    let mut record = template();
                    let basis = format!("process-{process}-thread-{thread}-record-{n}");
                    record.basis = basis.clone().into();
                    let seq = ledger.append(&record).unwrap();
                    print_acknowledged(seq, &basis);
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
}

/// A process killed while it appends (SIGKILL on Unix: no destructor, no connection close, no
/// checkpoint, maybe in the middle of a transaction) loses no acknowledged record, and leaves
/// a chain that verifies.
#[test]
fn acknowledged_records_survive_the_process_being_killed() {
    let dir = TempDir::new("killed");
    let path = dir.file("audit.sqlite3");
    let mut child = spawn_child(
        "child_appends_until_killed",
        &[(KILLED_CHILD, path.as_os_str())],
    );
    let mut lines = BufReader::new(child.stdout.take().unwrap())
        .lines()
        .map_while(Result::ok);
    // Kill it once it is well under way.
    let mut acks = Vec::new();
    for line in lines.by_ref() {
        acks.extend(acknowledged(std::iter::once(line)));
        if acks.len() >= 60 {
            break;
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    // What it printed before it died was acknowledged too.
    acks.extend(acknowledged(lines));
    assert!(acks.len() >= 60, "{} acknowledged", acks.len());

    let ledger = SqliteLedger::open(&path).unwrap();
    let report = ledger.verify().unwrap();
    assert!(report.records >= acks.len() as u64);
    let kept: std::collections::HashMap<u64, String> = ledger
        .records_in(..)
        .unwrap()
        .into_iter()
        .map(|entry| (entry.seq, entry.record.basis.into_owned()))
        .collect();
    for (seq, basis) in &acks {
        assert_eq!(kept.get(seq), Some(basis), "acknowledged record {seq}");
    }
    // And the ledger goes on.
    assert_eq!(ledger.append(&record(1)).unwrap(), report.records + 1);
}

/// In a child: two threads append until the process is killed, printing each acknowledged
/// record. Elsewhere: nothing.
#[test]
fn child_appends_until_killed() {
    let Some(path) = env::var_os(KILLED_CHILD) else {
        return;
    };
    let ledger = Arc::new(SqliteLedger::open(Path::new(&path)).unwrap());
    let threads: Vec<_> = (0..2)
        .map(|thread| {
            let ledger = Arc::clone(&ledger);
            thread::spawn(move || {
                // Bounded, so that a parent that fails before killing it does not leave it
                // running for ever.
                for n in 0..200_000 {
                    let mut record = template();
                    let basis = format!("killed-thread-{thread}-record-{n}");
                    record.basis = basis.clone().into();
                    let seq = ledger.append(&record).unwrap();
                    print_acknowledged(seq, &basis);
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    panic!("the parent did not kill this child");
}
