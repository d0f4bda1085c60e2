//! The ledger's tables, their schema version and migrations, and the connection's settings.
//!
//! The ledger keeps its schema version in a table of its own, `audit_ledger_schema`, not in
//! `PRAGMA user_version`: that is the consent store's, and one file can hold both. Both mark
//! the file with the same `PRAGMA application_id`.

use std::thread;
use std::time::{Duration, Instant};

use rusqlite::{Connection, OptionalExtension, TransactionBehavior};

use super::{sqlite_error, LedgerError};

/// Marks a file as this crate's (`PRAGMA application_id`), as the consent store does: another
/// application's SQLite database is refused instead of being given our tables. `PRVC`.
const APPLICATION_ID: i32 = 0x5052_5643;

/// The schema version of the ledger's tables that this crate writes and reads.
pub(super) const SCHEMA_VERSION: u32 = 1;

/// Migration `i` takes the ledger's tables from version `i` to version `i + 1`. Append, never
/// edit: a file migrated by an older release must end up exactly as a fresh one.
const MIGRATIONS: [&str; SCHEMA_VERSION as usize] = [
    // `audit_records` holds each record's canonical form (`record`), which the chain hashes,
    // and copies of what queries search by (`at_ns`, `grant_id`, and the subjects in
    // `audit_record_subjects`), which `verify` checks against it. `audit_head` is the last
    // record's sequence number and hash: a deleted last record leaves it pointing past the
    // end. AUTOINCREMENT keeps a second witness in `sqlite_sequence`, and never reuses a
    // number. The triggers make even direct SQL unable to rewrite a record or move the head
    // back (they do not stop `DROP TRIGGER` or an edit of the file itself: the chain does).
    "CREATE TABLE audit_ledger_schema (
        id      INTEGER PRIMARY KEY CHECK (id = 1),
        version INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE audit_records (
        seq       INTEGER PRIMARY KEY AUTOINCREMENT CHECK (seq > 0),
        at_ns     INTEGER NOT NULL,
        grant_id  INTEGER,
        record    TEXT    NOT NULL,
        key_id    TEXT,
        prev_hash BLOB    NOT NULL CHECK (length(prev_hash) = 32),
        hash      BLOB    NOT NULL CHECK (length(hash) = 32)
    ) STRICT;
    CREATE INDEX audit_records_by_time ON audit_records (at_ns);
    CREATE INDEX audit_records_by_grant ON audit_records (grant_id) WHERE grant_id IS NOT NULL;
    CREATE TABLE audit_record_subjects (
        seq     INTEGER NOT NULL,
        subject TEXT    NOT NULL,
        PRIMARY KEY (seq, subject)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX audit_record_subjects_by_subject ON audit_record_subjects (subject, seq);
    CREATE TABLE audit_head (
        id   INTEGER PRIMARY KEY CHECK (id = 1),
        seq  INTEGER NOT NULL,
        hash BLOB    NOT NULL CHECK (length(hash) = 32)
    ) STRICT;
    INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, zeroblob(32));
    CREATE TRIGGER audit_records_no_update BEFORE UPDATE ON audit_records
    BEGIN
        SELECT RAISE(ABORT, 'audit records are append-only');
    END;
    CREATE TRIGGER audit_records_no_delete BEFORE DELETE ON audit_records
    BEGIN
        SELECT RAISE(ABORT, 'audit records are append-only');
    END;
    CREATE TRIGGER audit_record_subjects_no_update BEFORE UPDATE ON audit_record_subjects
    BEGIN
        SELECT RAISE(ABORT, 'audit records are append-only');
    END;
    CREATE TRIGGER audit_record_subjects_no_delete BEFORE DELETE ON audit_record_subjects
    BEGIN
        SELECT RAISE(ABORT, 'audit records are append-only');
    END;
    CREATE TRIGGER audit_head_moves_forward BEFORE UPDATE ON audit_head
    WHEN NEW.id IS NOT OLD.id OR NEW.seq <= OLD.seq OR NOT EXISTS (
        SELECT 1 FROM audit_records WHERE seq = NEW.seq AND hash = NEW.hash
    )
    BEGIN
        SELECT RAISE(ABORT, 'the audit ledger''s head only moves forward, to its last record');
    END;
    CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
    BEGIN
        SELECT RAISE(ABORT, 'audit records are append-only');
    END;",
];

/// How long a change waits for another connection's write lock before failing with
/// [`LedgerError::Locked`], unless set otherwise.
pub(super) const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The tables a ledger of [`SCHEMA_VERSION`] has.
const TABLES: [&str; 4] = [
    "audit_ledger_schema",
    "audit_records",
    "audit_record_subjects",
    "audit_head",
];

/// Sets the connection up (busy timeout, WAL, `synchronous=FULL`) and brings its file to
/// [`SCHEMA_VERSION`].
pub(super) fn set_up(connection: &mut Connection) -> Result<(), LedgerError> {
    connection
        .busy_timeout(DEFAULT_BUSY_TIMEOUT)
        .map_err(sqlite_error)?;
    let deadline = Instant::now() + DEFAULT_BUSY_TIMEOUT;
    // Connections opening the same new file at once can each hold a shared lock and want the
    // exclusive one that switching to WAL takes; SQLite fails all but one of them with
    // SQLITE_BUSY at once, without waiting, rather than deadlock. They try again, for as long
    // as the busy timeout would have let them wait.
    loop {
        match configure(connection).and_then(|()| migrate(connection)) {
            Err(LedgerError::Locked) if Instant::now() < deadline => {
                thread::sleep(Duration::from_millis(5));
            }
            result => break result,
        }
    }
}

fn configure(connection: &Connection) -> Result<(), LedgerError> {
    // The first statement that reads the file: random bytes fail here as NOTADB. In memory the
    // mode stays `memory`, which is all a memory database can do.
    connection
        .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get::<_, String>(0))
        .map_err(sqlite_error)?;
    // FULL: the log is flushed (`fsync`) at every commit, so an accepted record survives a
    // power loss or an operating-system crash, not only a killed process. In WAL mode, NORMAL
    // would flush only at checkpoints, and the records of the last commits could be lost
    // after the view that waited for them had shown its values.
    connection
        .pragma_update(None, "synchronous", "FULL")
        .map_err(sqlite_error)
}

/// Brings the file to [`SCHEMA_VERSION`], or says why it cannot.
fn migrate(connection: &mut Connection) -> Result<(), LedgerError> {
    // Most opens find the file up to date, and need no write lock to learn it. The header and
    // the tables are read in one read transaction, so another process's migration cannot
    // commit in between.
    let snapshot = connection.transaction().map_err(sqlite_error)?;
    let version = check_header(&snapshot)?;
    if version == SCHEMA_VERSION {
        check_tables(&snapshot)?;
        return snapshot.commit().map_err(sqlite_error);
    }
    drop(snapshot);
    let transaction = connection
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(sqlite_error)?;
    // Read again under the write lock: another process may have migrated in between.
    let version = check_header(&transaction)?;
    for migration in &MIGRATIONS[version as usize..] {
        transaction.execute_batch(migration).map_err(sqlite_error)?;
    }
    transaction
        .execute(
            "INSERT INTO audit_ledger_schema (id, version) VALUES (1, ?1)
             ON CONFLICT (id) DO UPDATE SET version = excluded.version",
            [SCHEMA_VERSION],
        )
        .map_err(sqlite_error)?;
    transaction
        .pragma_update(None, "application_id", APPLICATION_ID)
        .map_err(sqlite_error)?;
    transaction.commit().map_err(sqlite_error)?;
    check_tables(connection)
}

/// The schema version of the file's ledger tables (0: none yet), once the file is known to be
/// this crate's, or an empty database that can become a ledger.
fn check_header(connection: &Connection) -> Result<u32, LedgerError> {
    let application_id: i32 = connection
        .pragma_query_value(None, "application_id", |row| row.get(0))
        .map_err(sqlite_error)?;
    if application_id != 0 && application_id != APPLICATION_ID {
        return Err(LedgerError::Corrupt(format!(
            "an SQLite database of another application (application_id {application_id:#x})"
        )));
    }
    if application_id == 0 {
        // Not marked as ours yet: only an empty database may become a ledger.
        let objects: i64 = connection
            .query_row("SELECT count(*) FROM sqlite_schema", [], |row| row.get(0))
            .map_err(sqlite_error)?;
        if objects > 0 {
            return Err(LedgerError::Corrupt(
                "an SQLite database with tables of its own, not an audit ledger".into(),
            ));
        }
        return Ok(0);
    }
    if !has_table(connection, "audit_ledger_schema")? {
        // This crate's file, without a ledger yet (a consent store's, say); not one whose
        // ledger lost its version.
        if has_table(connection, "audit_records")? {
            return Err(LedgerError::Corrupt(
                "an audit ledger without its schema version".into(),
            ));
        }
        return Ok(0);
    }
    let version: Option<i64> = connection
        .query_row(
            "SELECT version FROM audit_ledger_schema WHERE id = 1",
            [],
            |row| row.get(0),
        )
        .optional()
        .map_err(sqlite_error)?;
    let version = version
        .ok_or_else(|| LedgerError::Corrupt("an audit ledger without its schema version".into()))?;
    let version = u32::try_from(version)
        .map_err(|_| LedgerError::Corrupt(format!("audit ledger schema version {version}")))?;
    if version > SCHEMA_VERSION {
        return Err(LedgerError::SchemaTooNew {
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    if version == 0 {
        return Err(LedgerError::Corrupt("audit ledger schema version 0".into()));
    }
    Ok(version)
}

/// Whether the tables the schema version promises are there, with the head row.
fn check_tables(connection: &Connection) -> Result<(), LedgerError> {
    for table in TABLES {
        if !has_table(connection, table)? {
            return Err(LedgerError::Corrupt(format!(
                "an audit ledger without its `{table}` table"
            )));
        }
    }
    let heads: i64 = connection
        .query_row("SELECT count(*) FROM audit_head WHERE id = 1", [], |row| {
            row.get(0)
        })
        .map_err(sqlite_error)?;
    if heads == 1 {
        Ok(())
    } else {
        Err(LedgerError::Corrupt(
            "an audit ledger without its head".into(),
        ))
    }
}

fn has_table(connection: &Connection, name: &str) -> Result<bool, LedgerError> {
    connection
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?1",
            [name],
            |row| row.get::<_, i64>(0),
        )
        .map(|count| count == 1)
        .map_err(sqlite_error)
}
