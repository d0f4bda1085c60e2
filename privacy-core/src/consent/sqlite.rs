//! A consent store in an SQLite file: durable, and shared between threads and processes.

use core::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use rusqlite::{
    params, Connection, ErrorCode, OpenFlags, OptionalExtension, Row, TransactionBehavior,
};

use super::store::sealed::Sealed;
use super::{
    Action, Clock, CollectionMethod, ConsentBackend, ConsentError, ConsentRecord, ConsentStore,
    ConsentType, NewRecord, RecordId, StoreError, SystemClock,
};
use crate::SubjectId;

/// Marks a file as a consent store (`PRAGMA application_id`), so that another application's
/// SQLite database is refused instead of being given our tables. The bytes spell `PRVC`.
const APPLICATION_ID: i32 = 0x5052_5643;

/// The schema version this crate writes and reads (`PRAGMA user_version`).
const SCHEMA_VERSION: u32 = 3;

/// Migration `i` takes the schema from version `i` to version `i + 1`. Append, never edit: a
/// file migrated by an older release must end up exactly as a fresh one.
const MIGRATIONS: [&str; SCHEMA_VERSION as usize] = [
    // Append-only history. The triggers make even direct SQL unable to rewrite it (they do not
    // stop `DROP TABLE` or an edit of the file itself). AUTOINCREMENT: an id is never reused.
    // The index serves `latest` (and `history`, by its `subject` prefix).
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
    END;",
    // Subject ids live in namespaces (`#[privacy(subject = "device")]`); the records kept
    // before are in the default one, whose name is empty. Adding a column rewrites no row, so
    // the update trigger does not fire.
    "ALTER TABLE consent_records ADD COLUMN namespace TEXT NOT NULL DEFAULT '';
    CREATE INDEX consent_records_by_subject ON consent_records (namespace, subject, purpose, id);
    DROP INDEX consent_records_latest;",
    // The content of an ISO/IEC TS 27560 record (notice version, language, jurisdiction,
    // collection method, consent type, controller) and the actions `refused` and `renewed`.
    // A CHECK constraint cannot be changed in place: the table is made anew, every row copied
    // with its id, the id sequence carried over, and the old table (with its index and
    // triggers) dropped, all in the migration's one transaction. The records kept before have
    // no evidence beyond their source: `NULL`, not recorded.
    "CREATE TABLE consent_records_v3 (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        namespace     TEXT    NOT NULL,
        subject       TEXT    NOT NULL,
        purpose       TEXT    NOT NULL,
        action        TEXT    NOT NULL
                      CHECK (action IN ('granted', 'refused', 'withdrawn', 'renewed')),
        at_ms         INTEGER NOT NULL,
        source        TEXT    NOT NULL,
        notice        TEXT,
        language      TEXT,
        jurisdiction  TEXT,
        method        TEXT    CHECK (method IN ('ui', 'api', 'paper', 'imported')),
        consent_type  TEXT    CHECK (consent_type IN ('explicit', 'implicit', 'opt-out')),
        controller    TEXT,
        expires_at_ms INTEGER
    ) STRICT;
    INSERT INTO consent_records_v3 (id, namespace, subject, purpose, action, at_ms, source, expires_at_ms)
        SELECT id, namespace, subject, purpose, action, at_ms, source, expires_at_ms
        FROM consent_records ORDER BY id;
    UPDATE sqlite_sequence
        SET seq = (SELECT max(seq) FROM sqlite_sequence
                   WHERE name IN ('consent_records', 'consent_records_v3'))
        WHERE name = 'consent_records_v3';
    DROP TABLE consent_records;
    ALTER TABLE consent_records_v3 RENAME TO consent_records;
    CREATE INDEX consent_records_by_subject ON consent_records (namespace, subject, purpose, id);
    CREATE TRIGGER consent_records_no_update BEFORE UPDATE ON consent_records
    BEGIN
        SELECT RAISE(ABORT, 'consent records are append-only: record a withdrawal instead');
    END;
    CREATE TRIGGER consent_records_no_delete BEFORE DELETE ON consent_records
    BEGIN
        SELECT RAISE(ABORT, 'consent records are append-only: record a withdrawal instead');
    END;",
];

/// How long a change waits for another connection's write lock before failing with
/// [`StoreError::Locked`], unless [`SqliteConsentStore::set_busy_timeout`] says otherwise.
const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

const COLUMNS: &str = "id, namespace, subject, purpose, action, at_ms, source, notice, language, \
                       jurisdiction, method, consent_type, controller, expires_at_ms";

/// A consent store in an SQLite file, on SQLite compiled into the crate: the embedded default
/// for real use.
///
/// Every grant, refusal and withdrawal is appended in a transaction of its own and is on disk
/// when [`grant`](ConsentStore::grant), [`refuse`](ConsentStore::refuse) or
/// [`withdraw`](ConsentStore::withdraw) returns. Nothing is
/// ever updated or deleted: triggers make the records table append-only even for direct SQL.
///
/// One store can be shared between threads (it is `Send + Sync`; calls take turns on one
/// connection), and several processes can open the same file at once: SQLite's write-ahead
/// log lets readers go on while one writer appends, and a writer waits up to the busy timeout
/// (5 s unless [set](SqliteConsentStore::set_busy_timeout)) for another before failing with
/// [`StoreError::Locked`].
///
/// # Settings
///
/// - `journal_mode=WAL`: readers never wait for writers, and a commit is one append to the log.
/// - `synchronous=FULL`: the log is flushed to the disk (`fsync`) at every commit, so a
///   recorded grant or withdrawal survives a power loss or an operating-system crash, not
///   only a killed process. That costs one `fsync` per change, which consent, changed by
///   people clicking, can afford.
/// - `BEGIN IMMEDIATE` for every append: the write lock is taken before anything is read, so
///   a change waits for the busy timeout instead of failing half-way.
///
/// # Times
///
/// Times are kept as whole milliseconds since the Unix epoch (1970-01-01 UTC), rounded down:
/// a record read back may be up to 1 ms earlier than the time it was made with, so a grant
/// never expires later than asked. Times outside ±292 million years of 1970 cannot be stored.
///
/// # Schema
///
/// The file carries its schema version (`PRAGMA user_version`) and this crate's mark
/// (`PRAGMA application_id`). Opening a file migrates it, in order, to the version this crate
/// writes; a file written by a newer version fails with [`StoreError::SchemaTooNew`], and an
/// SQLite database that is not a consent store with [`StoreError::Corrupt`].
///
/// ```
/// use privacy::consent::{ConsentStore, Evidence, SqliteConsentStore};
/// use privacy::purpose::Diagnostics;
/// use privacy::SubjectId;
///
/// # let dir = std::env::temp_dir().join(format!("privacy-sqlite-doc-{}", std::process::id()));
/// # std::fs::create_dir_all(&dir)?;
/// let path = dir.join("consent.sqlite3");
/// let store = SqliteConsentStore::open(&path)?;
/// let alice = SubjectId::from("7");
/// store.grant(&alice, Diagnostics, Evidence::new("crash-report prompt v2"))?;
/// drop(store);
///
/// // After a restart, or in another process:
/// let store = SqliteConsentStore::open(&path)?;
/// assert_eq!(store.consent::<Diagnostics>(&alice)?.subject(), &alice);
/// # drop(store);
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct SqliteConsentStore {
    connection: Mutex<Connection>,
    clock: Arc<dyn Clock>,
    path: Option<PathBuf>,
    read_only: bool,
}

/// Whether a store may change its file.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Access {
    ReadWrite,
    ReadOnly,
}

impl SqliteConsentStore {
    /// Opens the consent store at `path`, creating the file if there is none, on the system
    /// clock.
    ///
    /// Fails with [`StoreError::ReadOnly`] if the file cannot be written,
    /// [`StoreError::Corrupt`] if it is not a consent store, and
    /// [`StoreError::SchemaTooNew`] if a newer version of this crate wrote it. While another
    /// process creates or migrates the same file, it waits up to 5 s, then fails with
    /// [`StoreError::Locked`].
    pub fn open(path: impl AsRef<Path>) -> Result<Self, ConsentError> {
        Self::open_with_clock(path, Arc::new(SystemClock))
    }

    /// Opens the consent store at `path`, creating the file if there is none, on `clock`.
    pub fn open_with_clock(
        path: impl AsRef<Path>,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, ConsentError> {
        // No SQLITE_OPEN_URI: a path is a path, even one that starts with `file:`.
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        Self::open_file(path.as_ref(), flags, clock, Access::ReadWrite)
    }

    /// Opens the existing consent store at `path` for reading only, on the system clock:
    /// `consent`, `latest` and `history` work, and every change fails with
    /// [`StoreError::ReadOnly`].
    ///
    /// The file must already have this crate's schema version, since migrating it would
    /// write; an older one fails with [`StoreError::ReadOnly`]. If no other connection has the
    /// file open, SQLite may still create the write-ahead log's `-shm` and `-wal` files next
    /// to it, so the directory should be writable.
    pub fn open_read_only(path: impl AsRef<Path>) -> Result<Self, ConsentError> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        Self::open_file(
            path.as_ref(),
            flags,
            Arc::new(SystemClock),
            Access::ReadOnly,
        )
    }

    /// A new, empty store in memory, on the system clock: what a test needs of the SQLite
    /// store without a file. It is gone when dropped.
    pub fn in_memory() -> Result<Self, ConsentError> {
        Self::in_memory_with_clock(Arc::new(SystemClock))
    }

    /// A new, empty store in memory, on `clock`.
    pub fn in_memory_with_clock(clock: Arc<dyn Clock>) -> Result<Self, ConsentError> {
        let connection = Connection::open_in_memory().map_err(store_error)?;
        Ok(Self::prepare(connection, None, clock, Access::ReadWrite)?)
    }

    /// Sets how long a change waits for another connection's lock on the file before it
    /// fails with [`StoreError::Locked`] (5 s until set). Zero fails at once.
    pub fn set_busy_timeout(&self, timeout: Duration) -> Result<(), ConsentError> {
        Ok(self
            .connection()
            .busy_timeout(timeout)
            .map_err(store_error)?)
    }

    /// The file the store is in; `None` for a store in memory.
    #[must_use]
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    fn open_file(
        path: &Path,
        flags: OpenFlags,
        clock: Arc<dyn Clock>,
        access: Access,
    ) -> Result<Self, ConsentError> {
        let connection = Connection::open_with_flags(path, flags).map_err(store_error)?;
        Ok(Self::prepare(
            connection,
            Some(path.to_owned()),
            clock,
            access,
        )?)
    }

    fn prepare(
        mut connection: Connection,
        path: Option<PathBuf>,
        clock: Arc<dyn Clock>,
        access: Access,
    ) -> Result<Self, StoreError> {
        // SQLite quietly opens a file it may not write read-only; a store opened for writing
        // says so now rather than at the first grant.
        if access == Access::ReadWrite
            && connection
                .is_readonly(rusqlite::MAIN_DB)
                .map_err(store_error)?
        {
            return Err(StoreError::ReadOnly);
        }
        connection
            .busy_timeout(DEFAULT_BUSY_TIMEOUT)
            .map_err(store_error)?;
        let deadline = Instant::now() + DEFAULT_BUSY_TIMEOUT;
        // Connections opening the same new file at once can each hold a shared lock and want
        // the exclusive one that switching to WAL takes; SQLite fails all but one of them with
        // SQLITE_BUSY at once, without waiting, rather than deadlock. They try again, for as
        // long as the busy timeout would have let them wait.
        loop {
            match set_up(&mut connection, access) {
                Err(StoreError::Locked) if Instant::now() < deadline => {
                    thread::sleep(Duration::from_millis(5));
                }
                result => break result?,
            }
        }
        Ok(SqliteConsentStore {
            connection: Mutex::new(connection),
            clock,
            path,
            read_only: access == Access::ReadOnly,
        })
    }

    fn connection(&self) -> MutexGuard<'_, Connection> {
        // A panic while the lock was held cannot leave a change half-made: a transaction that
        // is dropped uncommitted is rolled back.
        self.connection
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

impl fmt::Debug for SqliteConsentStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SqliteConsentStore")
            .field("path", &self.path)
            .field("read_only", &self.read_only)
            .field("clock", &self.clock)
            .finish_non_exhaustive()
    }
}

impl Sealed for SqliteConsentStore {
    fn backend(&self) -> &dyn ConsentBackend {
        self
    }
}

impl ConsentStore for SqliteConsentStore {}

impl ConsentBackend for SqliteConsentStore {
    /// Appends in one `IMMEDIATE` transaction, which reads the latest record and appends.
    fn append_if_latest(
        &self,
        record: NewRecord,
        expected: Option<RecordId>,
    ) -> Result<Option<ConsentRecord>, StoreError> {
        self.append_where(record, expected)
    }

    fn latest_record(
        &self,
        subject: &SubjectId,
        purpose: &str,
    ) -> Result<Option<ConsentRecord>, StoreError> {
        let connection = self.connection();
        latest_in(&connection, subject, purpose)
    }

    fn history_of(&self, subject: &SubjectId) -> Result<Vec<ConsentRecord>, StoreError> {
        let connection = self.connection();
        let raw = connection
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM consent_records WHERE namespace = ?1 AND subject = ?2 ORDER BY id"
            ))
            .and_then(|mut select| {
                select
                    .query_map(params![subject.namespace(), subject.as_str()], RawRecord::read)?
                    .collect::<Result<Vec<_>, _>>()
            })
            .map_err(store_error)?;
        raw.into_iter().map(RawRecord::into_record).collect()
    }

    fn record_clock(&self) -> Arc<dyn Clock> {
        Arc::clone(&self.clock)
    }
}

/// Sets the connection up (WAL, `synchronous`) and brings the file to [`SCHEMA_VERSION`].
fn set_up(connection: &mut Connection, access: Access) -> Result<(), StoreError> {
    if access == Access::ReadWrite {
        // The first statement that reads the file: random bytes fail here as NOTADB. In
        // memory the mode stays `memory`, which is all a memory database can do.
        connection
            .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get::<_, String>(0))
            .map_err(store_error)?;
        connection
            .pragma_update(None, "synchronous", "FULL")
            .map_err(store_error)?;
    }
    migrate(connection, access)
}

/// Brings the file to [`SCHEMA_VERSION`], or says why it cannot.
fn migrate(connection: &mut Connection, access: Access) -> Result<(), StoreError> {
    // Most opens find the file up to date, and need no write lock to learn it. The header and
    // the tables are read in one read transaction: read one by one, another process's
    // migration could commit in between, and a file with its tables but not yet its mark would
    // look like another application's database.
    let snapshot = connection.transaction().map_err(store_error)?;
    let version = check_header(&snapshot)?;
    if version == SCHEMA_VERSION {
        check_tables(&snapshot)?;
        return snapshot.commit().map_err(store_error);
    }
    drop(snapshot);
    if access == Access::ReadOnly {
        return Err(StoreError::ReadOnly);
    }
    let transaction = connection
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(store_error)?;
    // Read again under the write lock: another process may have migrated in between.
    let version = check_header(&transaction)?;
    for migration in &MIGRATIONS[version as usize..] {
        transaction.execute_batch(migration).map_err(store_error)?;
    }
    transaction
        .pragma_update(None, "application_id", APPLICATION_ID)
        .map_err(store_error)?;
    transaction
        .pragma_update(None, "user_version", SCHEMA_VERSION)
        .map_err(store_error)?;
    transaction.commit().map_err(store_error)?;
    check_tables(connection)
}

/// The file's schema version, once it is known to be a consent store this crate can read (or
/// an empty database that can become one).
fn check_header(connection: &Connection) -> Result<u32, StoreError> {
    let pragma = |name: &str| {
        connection
            .pragma_query_value(None, name, |row| row.get::<_, i32>(0))
            .map_err(store_error)
    };
    let application_id = pragma("application_id")?;
    if application_id != 0 && application_id != APPLICATION_ID {
        return Err(StoreError::Corrupt(format!(
            "an SQLite database of another application (application_id {application_id:#x})"
        )));
    }
    let version = pragma("user_version")?;
    let version = u32::try_from(version)
        .map_err(|_| StoreError::Corrupt(format!("schema version {version}")))?;
    if version > SCHEMA_VERSION {
        return Err(StoreError::SchemaTooNew {
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    if application_id == 0 {
        // Not marked as ours yet: only an empty database may become a consent store.
        let objects: i64 = connection
            .query_row("SELECT count(*) FROM sqlite_schema", [], |row| row.get(0))
            .map_err(store_error)?;
        if objects > 0 {
            return Err(StoreError::Corrupt(
                "an SQLite database with tables of its own, not a consent store".into(),
            ));
        }
    }
    Ok(version)
}

/// Whether the tables the schema version promises are there.
fn check_tables(connection: &Connection) -> Result<(), StoreError> {
    let tables: i64 = connection
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'consent_records'",
            [],
            |row| row.get(0),
        )
        .map_err(store_error)?;
    if tables == 1 {
        Ok(())
    } else {
        Err(StoreError::Corrupt(
            "a consent store without its `consent_records` table".into(),
        ))
    }
}

/// A row as SQLite has it, before the checks that turn it into a [`ConsentRecord`].
struct RawRecord {
    id: i64,
    namespace: String,
    subject: String,
    purpose: String,
    action: String,
    at: i64,
    source: String,
    notice: Option<String>,
    language: Option<String>,
    jurisdiction: Option<String>,
    method: Option<String>,
    consent_type: Option<String>,
    controller: Option<String>,
    expires_at: Option<i64>,
}

impl RawRecord {
    fn read(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(RawRecord {
            id: row.get(0)?,
            namespace: row.get(1)?,
            subject: row.get(2)?,
            purpose: row.get(3)?,
            action: row.get(4)?,
            at: row.get(5)?,
            source: row.get(6)?,
            notice: row.get(7)?,
            language: row.get(8)?,
            jurisdiction: row.get(9)?,
            method: row.get(10)?,
            consent_type: row.get(11)?,
            controller: row.get(12)?,
            expires_at: row.get(13)?,
        })
    }

    fn into_record(self) -> Result<ConsentRecord, StoreError> {
        let id = u64::try_from(self.id)
            .map_err(|_| StoreError::Corrupt(format!("record id {} is negative", self.id)))?;
        let unknown = |what: &str, value: &str| {
            StoreError::Corrupt(format!("record {id} has the unknown {what} `{value}`"))
        };
        let action =
            Action::from_name(&self.action).ok_or_else(|| unknown("action", &self.action))?;
        let method = self
            .method
            .map(|name| CollectionMethod::from_name(&name).ok_or_else(|| unknown("method", &name)))
            .transpose()?;
        let consent_type = self
            .consent_type
            .map(|name| ConsentType::from_name(&name).ok_or_else(|| unknown("consent type", &name)))
            .transpose()?;
        let mut record = NewRecord::new(
            SubjectId::new(self.namespace, self.subject),
            self.purpose,
            action,
            from_millis(self.at)?,
        );
        record.source = self.source;
        record.notice = self.notice;
        record.language = self.language;
        record.jurisdiction = self.jurisdiction;
        record.method = method;
        record.consent_type = consent_type;
        record.controller = self.controller;
        record.expires_at = self.expires_at.map(from_millis).transpose()?;
        Ok(record.with_id(RecordId(id)))
    }
}

/// `time` as whole milliseconds since the Unix epoch, rounded down (towards the past, also
/// before 1970).
fn to_millis(time: SystemTime) -> Result<i64, StoreError> {
    let millis = match time.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_millis()).ok(),
        Err(before) => {
            let before = before.duration();
            let millis = before.as_millis() + u128::from(before.subsec_nanos() % 1_000_000 != 0);
            i64::try_from(millis).ok().map(|millis| -millis)
        }
    };
    millis.ok_or_else(|| {
        StoreError::Backend(
            format!("{time:?} is too far from 1970 to be kept in milliseconds as a 64-bit integer")
                .into(),
        )
    })
}

fn from_millis(millis: i64) -> Result<SystemTime, StoreError> {
    let offset = Duration::from_millis(millis.unsigned_abs());
    let time = if millis >= 0 {
        UNIX_EPOCH.checked_add(offset)
    } else {
        UNIX_EPOCH.checked_sub(offset)
    };
    time.ok_or_else(|| {
        StoreError::Corrupt(format!(
            "time {millis} ms since 1970 is out of this system's range"
        ))
    })
}

/// The typed error for what SQLite reports.
fn store_error(error: rusqlite::Error) -> StoreError {
    match &error {
        rusqlite::Error::SqliteFailure(failure, _) => match failure.code {
            ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => StoreError::Locked,
            ErrorCode::ReadOnly => StoreError::ReadOnly,
            ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase => {
                StoreError::Corrupt(error.to_string())
            }
            _ => StoreError::Backend(Box::new(error)),
        },
        // A value of a type the schema does not allow: not something this crate wrote.
        rusqlite::Error::InvalidColumnType(..) | rusqlite::Error::FromSqlConversionFailure(..) => {
            StoreError::Corrupt(error.to_string())
        }
        _ => StoreError::Backend(Box::new(error)),
    }
}

impl SqliteConsentStore {
    /// Appends `record` in one `IMMEDIATE` transaction, only if the latest record of its
    /// subject for its purpose, read in that transaction, is the one with id `expected`.
    fn append_where(
        &self,
        record: NewRecord,
        expected: Option<RecordId>,
    ) -> Result<Option<ConsentRecord>, StoreError> {
        let at = to_millis(record.at)?;
        let expires_at = record.expires_at.map(to_millis).transpose()?;
        let mut connection = self.connection();
        let transaction = connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(store_error)?;
        let latest = latest_in(&transaction, &record.subject, &record.purpose)?;
        if latest.map(|latest| latest.id) != expected {
            return Ok(None);
        }
        transaction
            .prepare_cached(
                "INSERT INTO consent_records (namespace, subject, purpose, action, at_ms, source,
                     notice, language, jurisdiction, method, consent_type, controller, expires_at_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            )
            .and_then(|mut insert| {
                insert.execute(params![
                    record.subject.namespace(),
                    record.subject.as_str(),
                    record.purpose,
                    record.action.as_str(),
                    at,
                    record.source,
                    record.notice,
                    record.language,
                    record.jurisdiction,
                    record.method.map(CollectionMethod::as_str),
                    record.consent_type.map(ConsentType::as_str),
                    record.controller,
                    expires_at
                ])
            })
            .map_err(store_error)?;
        let id = transaction.last_insert_rowid();
        transaction.commit().map_err(store_error)?;
        let id = u64::try_from(id)
            .map_err(|_| StoreError::Corrupt(format!("record id {id} is negative")))?;
        Ok(Some(record.with_id(RecordId(id))))
    }
}

/// The latest record of `subject` for `purpose`, read through `connection` (or a transaction).
fn latest_in(
    connection: &Connection,
    subject: &SubjectId,
    purpose: &str,
) -> Result<Option<ConsentRecord>, StoreError> {
    let raw = connection
        .prepare_cached(&format!(
            "SELECT {COLUMNS} FROM consent_records
                 WHERE namespace = ?1 AND subject = ?2 AND purpose = ?3 ORDER BY id DESC LIMIT 1"
        ))
        .and_then(|mut select| {
            select
                .query_row(
                    params![subject.namespace(), subject.as_str(), purpose],
                    RawRecord::read,
                )
                .optional()
        })
        .map_err(store_error)?;
    raw.map(RawRecord::into_record).transpose()
}
