//! The durable audit ledger: records appended to an SQLite file, chained, and verifiable.

mod canonical;
mod chain;
mod group_commit;
mod schema;
mod verify;

use core::fmt;
use std::io::Write;
use std::ops::{Bound, RangeBounds};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime};

use rusqlite::types::ValueRef;
use rusqlite::{params, Connection, ErrorCode, OpenFlags, Row, TransactionBehavior};

pub use chain::{Anchor, ChainKey, HASH_LEN};
pub use verify::{ChainBreak, VerifyReport};

use super::{AuditError, AuditRecord, AuditSink};
use crate::consent::RecordId;
use chain::{Hash, Hex, Keys};
use group_commit::GroupCommit;

/// A durable, append-only, tamper-evident audit ledger in an SQLite file, on SQLite compiled
/// into the crate (feature `sqlite`).
///
/// As an [`AuditSink`], it accepts a record once the transaction that appends it has
/// committed to disk: a view shows its raw values only after that, and shows them redacted
/// when the ledger cannot keep the record (the disk is full, another process holds the lock
/// past the busy timeout, the file is read-only).
///
/// # What is kept
///
/// Each record is kept in a canonical form, one line of JSON with every member of the
/// [`AuditRecord`] in a fixed order (`{"v":1,"at_ns":...,"instance":...,"output":...,
/// "type_name":...,"fields":[...],"permit":...,"basis":...,"subjects":[...],"viewer":...,
/// "grant":...}`, `at` as nanoseconds since 1970), with its sequence number (1, 2, 3, ...) and
/// two hashes: the previous record's (32 zero bytes before the first), and its own, SHA-256 (or,
/// with a [`ChainKey`], HMAC-SHA256) of the bytes `privacy audit ledger v1\0`, the sequence
/// number as 8 big-endian bytes, the previous hash and the canonical form. A record holds
/// field paths, a permit's kind and basis, and pseudonyms, never a value.
///
/// # Append-only, and tamper-evident
///
/// Triggers refuse every `UPDATE` and `DELETE` of a record, even in direct SQL. What they cannot
/// stop (`DROP TRIGGER`, an edit of the file's bytes), [`verify`](SqliteLedger::verify) finds: it
/// walks the chain and names the first record deleted, altered, inserted or reordered
/// ([`ChainBreak`]), a deleted last record included (the ledger's head still names it). Without
/// a key, someone who recomputes the whole chain is not found; with a [`ChainKey`] they cannot
/// compute it. Against someone who cuts the end of the file and rewinds its head,
/// [`verify_against`](SqliteLedger::verify_against) an [`Anchor`] kept elsewhere.
///
/// # Threads, processes, crashes
///
/// One ledger can be shared between threads (it is `Send + Sync`), and several processes can
/// append to one file at once: each append reads the previous hash and writes its record in
/// one `BEGIN IMMEDIATE` transaction, waiting up to the busy timeout (5 s unless
/// [set](SqliteLedger::set_busy_timeout)) for another writer before failing with
/// [`LedgerError::Locked`]. The file is in WAL mode with `synchronous=FULL`: a record is
/// flushed to the disk before it is acknowledged, and survives a killed process, an
/// operating-system crash or a power loss. Records appended by many threads at once share one
/// transaction and one flush ([group commit](SqliteLedger::with_group_commit), on unless
/// turned off); each thread returns only once its own record has committed.
///
/// Verifying, querying and exporting read from a connection of their own, in one snapshot of
/// the file, and do not hold up appends.
///
/// # Schema
///
/// The ledger's tables (`audit_records`, `audit_record_subjects`, `audit_head`) carry their
/// own schema version in `audit_ledger_schema`, so that a ledger can share a file with a
/// [`SqliteConsentStore`](crate::consent::SqliteConsentStore). Opening a file migrates it to the
/// version this crate writes; a newer one fails with [`LedgerError::SchemaTooNew`], and a file
/// that is not a ledger, or not SQLite, with [`LedgerError::Corrupt`].
///
/// ```
/// use std::sync::Arc;
///
/// use privacy::audit::{self, SqliteLedger};
/// use privacy::{Disclosure, Kind, Privacy, Reveal};
///
/// #[derive(Privacy)]
/// struct Member {
///     #[safe]
///     #[privacy(subject)]
///     id: u64,
///     #[pii(phone)]
///     phone: String,
/// }
///
/// # let dir = std::env::temp_dir().join(format!("privacy-ledger-doc-{}", std::process::id()));
/// # std::fs::create_dir_all(&dir)?;
/// let ledger = Arc::new(SqliteLedger::open(dir.join("audit.sqlite3"))?);
/// // In a service: `audit::install(SqliteLedger::open(path)?)` once, at start-up.
/// let member = Member { id: 7, phone: "+44 20 7946 0958".into() };
/// let rule = Disclosure::of([Kind::Phone]).because("the member's own profile");
/// let shown = audit::with_sink(ledger.clone(), || format!("{:?}", member.reveal(&rule)));
/// assert_eq!(shown, r#"Member { id: 7, phone: "+44 20 7946 0958" }"#);
///
/// let report = ledger.verify()?;
/// assert_eq!(report.records, 1);
/// let alice = privacy::SubjectId::from(7_u64).pseudonym().to_string();
/// let about_alice = ledger.records_about(&alice)?;
/// assert_eq!(about_alice[0].record.fields, ["phone"]);
/// assert_eq!(about_alice[0].record.basis, "the member's own profile");
/// # drop((ledger, about_alice));
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct SqliteLedger {
    writer: Mutex<Connection>,
    /// For a file, a read-only connection of its own; in memory, the writer is the reader.
    reader: Option<Mutex<Connection>>,
    keys: Keys,
    group: Option<GroupCommit<Encoded>>,
    path: Option<PathBuf>,
}

/// A record read back from a ledger, with its place in the chain.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct LedgerEntry {
    /// The record's sequence number, from 1.
    pub seq: u64,
    /// The record.
    pub record: AuditRecord<'static>,
}

/// Why a ledger could not be opened, keep a record, or answer.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LedgerError {
    /// Another connection holds a lock on the ledger for longer than the busy timeout.
    #[error("the audit ledger is locked by another connection")]
    Locked,
    /// The ledger cannot be written: a read-only file or directory.
    #[error("the audit ledger is read-only")]
    ReadOnly,
    /// The file is not an audit ledger, not SQLite, or damaged.
    #[error("the file is not an audit ledger, or it is damaged: {0}")]
    Corrupt(String),
    /// The file's ledger was written by a newer version of this crate.
    #[error("the audit ledger has schema version {found}; this version of `privacy` reads up to {supported}")]
    SchemaTooNew {
        /// The version in the file.
        found: u32,
        /// The newest version this crate knows.
        supported: u32,
    },
    /// The ledger's file was changed behind its back: the first record affected.
    #[error("the audit ledger was tampered with: {0}")]
    Tampered(ChainBreak),
    /// A record is linked with a key this ledger does not hold
    /// ([`with_key`](SqliteLedger::with_key), [`with_retired_key`](SqliteLedger::with_retired_key)),
    /// so it cannot be verified.
    #[error("record {seq} is linked with the key `{key_id}`, which this ledger does not hold")]
    UnknownKey {
        /// The record.
        seq: u64,
        /// The id of its key.
        key_id: String,
    },
    /// The record cannot be kept as it is: its time is before 1677 or after 2262.
    #[error("the record cannot be kept: {0}")]
    Unrepresentable(String),
    /// A [`ChainKey`] was refused: an id of other characters, or a short secret.
    #[error("invalid chain key: {0}")]
    InvalidKey(String),
    /// The writer of [`export_jsonl`](SqliteLedger::export_jsonl) failed.
    #[error("the export could not be written: {0}")]
    Export(#[source] std::io::Error),
    /// The record was to be committed together with others, and that commit failed: nothing
    /// of the batch was kept.
    #[error("the batch of records this one was committed with failed: {0}")]
    Batch(#[source] Arc<LedgerError>),
    /// Any other failure of SQLite.
    #[error("the audit ledger failed: {0}")]
    Backend(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl SqliteLedger {
    /// Opens the ledger at `path`, creating the file if there is none, or adding the ledger's
    /// tables to a consent store's file. Records are chained with SHA-256 until
    /// [`with_key`](SqliteLedger::with_key).
    ///
    /// Fails with [`LedgerError::ReadOnly`] if the file cannot be written,
    /// [`LedgerError::Corrupt`] if it is not a ledger (or a consent store), and
    /// [`LedgerError::SchemaTooNew`] if a newer version of this crate wrote it. While another
    /// process creates or migrates the same file, it waits up to 5 s, then fails with
    /// [`LedgerError::Locked`].
    pub fn open(path: impl AsRef<Path>) -> Result<Self, LedgerError> {
        let path = path.as_ref();
        // No SQLITE_OPEN_URI: a path is a path, even one that starts with `file:`.
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut writer = Connection::open_with_flags(path, flags).map_err(sqlite_error)?;
        // SQLite quietly opens a file it may not write read-only; say so now rather than at
        // the first record.
        if writer
            .is_readonly(rusqlite::MAIN_DB)
            .map_err(sqlite_error)?
        {
            return Err(LedgerError::ReadOnly);
        }
        schema::set_up(&mut writer)?;
        let reader = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(sqlite_error)?;
        reader
            .busy_timeout(schema::DEFAULT_BUSY_TIMEOUT)
            .map_err(sqlite_error)?;
        Ok(Self::new(writer, Some(reader), Some(path.to_owned())))
    }

    /// A new, empty ledger in memory: what a test needs of the ledger without a file. It is
    /// gone when dropped.
    pub fn in_memory() -> Result<Self, LedgerError> {
        let mut connection = Connection::open_in_memory().map_err(sqlite_error)?;
        schema::set_up(&mut connection)?;
        Ok(Self::new(connection, None, None))
    }

    fn new(writer: Connection, reader: Option<Connection>, path: Option<PathBuf>) -> Self {
        SqliteLedger {
            writer: Mutex::new(writer),
            reader: reader.map(Mutex::new),
            keys: Keys::default(),
            group: Some(GroupCommit::new()),
            path,
        }
    }

    /// The ledger, linking new records with HMAC-SHA256 under `key` and verifying with it.
    ///
    /// A keyed ledger takes a record with a plain SHA-256 link for one anyone could have
    /// written ([`ChainBreak::Unkeyed`]): give a ledger its key from its first record on. To
    /// change keys, open with the new key and keep the old one as a
    /// [retired](SqliteLedger::with_retired_key) key.
    #[must_use]
    pub fn with_key(mut self, key: ChainKey) -> Self {
        self.keys.set_current(key);
        self
    }

    /// The ledger, verifying the records linked under `key` too; new records are linked with
    /// the key of [`with_key`](SqliteLedger::with_key).
    #[must_use]
    pub fn with_retired_key(mut self, key: ChainKey) -> Self {
        self.keys.add_retired(key);
        self
    }

    /// The ledger, committing the records that threads append at once together (`true`, the
    /// default) or each in a transaction of its own (`false`).
    ///
    /// Either way, an append returns only once its record has committed. Together, a batch
    /// costs one flush to the disk instead of one per record; its records fail together, with
    /// [`LedgerError::Batch`], when the commit fails. A thread appending alone commits at once
    /// in both modes.
    #[must_use]
    pub fn with_group_commit(mut self, together: bool) -> Self {
        self.group = together.then(GroupCommit::new);
        self
    }

    /// Sets how long an append waits for another connection's lock on the file before it
    /// fails with [`LedgerError::Locked`] (5 s until set). Zero fails at once.
    pub fn set_busy_timeout(&self, timeout: Duration) -> Result<(), LedgerError> {
        self.writer().busy_timeout(timeout).map_err(sqlite_error)?;
        if let Some(reader) = &self.reader {
            lock(reader).busy_timeout(timeout).map_err(sqlite_error)?;
        }
        Ok(())
    }

    /// The file the ledger is in; `None` for a ledger in memory.
    #[must_use]
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Appends `record`, and returns its sequence number once it is committed to disk.
    pub fn append(&self, record: &AuditRecord<'_>) -> Result<u64, LedgerError> {
        let encoded = Encoded::new(record)?;
        match &self.group {
            Some(group) => group.append(encoded, |batch| self.commit(batch)),
            None => self.commit(std::slice::from_ref(&encoded)),
        }
    }

    /// Appends `batch` in one transaction; the sequence number of its first record.
    fn commit(&self, batch: &[Encoded]) -> Result<u64, LedgerError> {
        let (key_id, link) = self.keys.current();
        let mut connection = self.writer();
        // The write lock first, then the previous hash: no other process can append between.
        let transaction = connection
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(sqlite_error)?;
        let (mut seq, prev) = verify::head(&transaction)?;
        let mut prev: Hash = prev.ok_or_else(|| {
            LedgerError::Corrupt("the ledger's head has no hash of a record".into())
        })?;
        let first = seq + 1;
        {
            let mut insert = transaction
                .prepare_cached(
                    "INSERT INTO audit_records (seq, at_ns, grant_id, record, key_id, prev_hash, hash)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )
                .map_err(sqlite_error)?;
            let mut subject = transaction
                .prepare_cached(
                    "INSERT OR IGNORE INTO audit_record_subjects (seq, subject) VALUES (?1, ?2)",
                )
                .map_err(sqlite_error)?;
            for record in batch {
                seq += 1;
                let row = i64::try_from(seq)
                    .map_err(|_| LedgerError::Corrupt(format!("record {seq} is past 2^63")))?;
                let hash = link.hash(seq, &prev, record.canonical.as_bytes());
                insert
                    .execute(params![
                        row,
                        record.at_ns,
                        record.grant,
                        record.canonical,
                        key_id,
                        &prev[..],
                        &hash[..]
                    ])
                    .map_err(sqlite_error)?;
                for pseudonym in &record.subjects {
                    subject
                        .execute(params![row, pseudonym])
                        .map_err(sqlite_error)?;
                }
                prev = hash;
            }
        }
        let head = i64::try_from(seq)
            .map_err(|_| LedgerError::Corrupt(format!("record {seq} is past 2^63")))?;
        transaction
            .prepare_cached("UPDATE audit_head SET seq = ?1, hash = ?2 WHERE id = 1")
            .and_then(|mut update| update.execute(params![head, &prev[..]]))
            .map_err(sqlite_error)?;
        transaction.commit().map_err(sqlite_error)?;
        Ok(first)
    }

    /// Walks the whole chain, in one snapshot of the file: the number of records and the head
    /// when every record is as appended, [`LedgerError::Tampered`] with the first that is not,
    /// [`LedgerError::UnknownKey`] for a record linked under a key this ledger does not hold.
    /// It also has SQLite check the ledger's tables and indexes (`PRAGMA integrity_check`),
    /// which the queries read through: a damaged file gives [`LedgerError::Corrupt`].
    pub fn verify(&self) -> Result<VerifyReport, LedgerError> {
        verify::verify(&mut self.reader(), &self.keys, None)
    }

    /// [`verify`](SqliteLedger::verify), and checks that `anchor`, a [`head`](SqliteLedger::head)
    /// taken earlier and kept elsewhere, is still a point of the chain: its record there, with
    /// its hash. This finds what no check of the file alone can: records cut from the end with
    /// the head moved back, and, without a key, a chain recomputed from an altered record on.
    /// An anchor whose record is there with another hash is reported as
    /// [`ChainBreak::Altered`] of that record.
    ///
    /// ```
    /// use privacy::audit::SqliteLedger;
    /// use privacy::{Disclosure, Kind, Privacy, Reveal};
    ///
    /// #[derive(Privacy)]
    /// struct Member {
    ///     #[pii(phone)]
    ///     phone: String,
    /// }
    ///
    /// let ledger = std::sync::Arc::new(SqliteLedger::in_memory()?);
    /// let member = Member { phone: "+44 20 7946 0958".into() };
    /// let rule = Disclosure::of([Kind::Phone]).because("the member's own profile");
    /// privacy::audit::with_sink(ledger.clone(), || format!("{:?}", member.reveal(&rule)));
    ///
    /// let anchor = ledger.head()?; // kept elsewhere: `anchor.to_string()` is `1:<hex>`
    /// privacy::audit::with_sink(ledger.clone(), || format!("{:?}", member.reveal(&rule)));
    /// assert_eq!(ledger.verify_against(&anchor)?.records, 2);
    /// # Ok::<(), privacy::audit::LedgerError>(())
    /// ```
    pub fn verify_against(&self, anchor: &Anchor) -> Result<VerifyReport, LedgerError> {
        verify::verify(&mut self.reader(), &self.keys, Some(anchor))
    }

    /// The last record's sequence number and hash, as the ledger's head says, without walking
    /// the chain: an [`Anchor`] to keep elsewhere.
    pub fn head(&self) -> Result<Anchor, LedgerError> {
        let (seq, hash) = verify::head(&self.reader())?;
        let hash = hash.ok_or_else(|| {
            LedgerError::Corrupt("the ledger's head has no hash of a record".into())
        })?;
        Ok(Anchor { seq, hash })
    }

    /// The records that name the subject `pseudonym` (`subject.pseudonym().to_string()`), oldest
    /// first.
    pub fn records_about(&self, pseudonym: &str) -> Result<Vec<LedgerEntry>, LedgerError> {
        self.query(
            "SELECT r.seq, r.record FROM audit_record_subjects s
             JOIN audit_records r ON r.seq = s.seq
             WHERE s.subject = ?1 ORDER BY s.seq",
            params![pseudonym],
            |record| record.subjects.iter().any(|subject| subject == pseudonym),
        )
    }

    /// The records of views written within `range` (`start..end`, `start..`, `..=end`), oldest
    /// first.
    pub fn records_in(
        &self,
        range: impl RangeBounds<SystemTime>,
    ) -> Result<Vec<LedgerEntry>, LedgerError> {
        let low = match range.start_bound() {
            Bound::Included(at) => nanos_at_least(*at, 0),
            Bound::Excluded(at) => nanos_at_least(*at, 1),
            Bound::Unbounded => i64::MIN,
        };
        let high = match range.end_bound() {
            Bound::Included(at) => nanos_at_most(*at, 0),
            Bound::Excluded(at) => nanos_at_most(*at, 1),
            Bound::Unbounded => i64::MAX,
        };
        self.query(
            "SELECT seq, record FROM audit_records WHERE at_ns BETWEEN ?1 AND ?2 ORDER BY seq",
            params![low, high],
            |record| range.contains(&record.at),
        )
    }

    /// The records of views shown under the consent whose grant record is `grant`
    /// ([`Consent::grant_id`](crate::Consent::grant_id)), oldest first.
    pub fn records_of_grant(&self, grant: RecordId) -> Result<Vec<LedgerEntry>, LedgerError> {
        self.query(
            "SELECT seq, record FROM audit_records WHERE grant_id = ?1 ORDER BY seq",
            params![grant_column(grant)],
            |record| record.grant == Some(grant),
        )
    }

    /// The entries of rows `(seq, record)` that `sql` selects and that `matches`: an index
    /// that names a record wrongly (which [`verify`](SqliteLedger::verify) reports) never
    /// gives a record that does not match.
    fn query(
        &self,
        sql: &str,
        params: &[&dyn rusqlite::ToSql],
        matches: impl Fn(&AuditRecord<'static>) -> bool,
    ) -> Result<Vec<LedgerEntry>, LedgerError> {
        let reader = self.reader();
        let mut select = reader.prepare_cached(sql).map_err(sqlite_error)?;
        let mut rows = select.query(params).map_err(sqlite_error)?;
        let mut entries = Vec::new();
        while let Some(row) = rows.next().map_err(sqlite_error)? {
            let entry = read_entry(row)?;
            if matches(&entry.record) {
                entries.push(entry);
            }
        }
        Ok(entries)
    }

    /// Writes every record, oldest first, in one snapshot of the file, as JSON lines:
    /// `{"seq":1,"record":{...},"prev_hash":"<hex>","hash":"<hex>","key_id":null}`, where
    /// `record` is the canonical form byte for byte, so that a reader can recompute the chain.
    /// Returns how many records were written.
    ///
    /// A record that is not in canonical form fails the export with
    /// [`LedgerError::Tampered`]; an export does not [`verify`](SqliteLedger::verify) the chain.
    pub fn export_jsonl(&self, mut out: impl Write) -> Result<u64, LedgerError> {
        let mut reader = self.reader();
        let snapshot = reader.transaction().map_err(sqlite_error)?;
        let mut select = snapshot
            .prepare("SELECT seq, record, prev_hash, hash, key_id FROM audit_records ORDER BY seq")
            .map_err(sqlite_error)?;
        let mut rows = select.query([]).map_err(sqlite_error)?;
        let mut written = 0;
        while let Some(row) = rows.next().map_err(sqlite_error)? {
            let entry = read_entry(row)?;
            let altered = || LedgerError::Tampered(ChainBreak::Altered { seq: entry.seq });
            let prev_hash =
                verify::hash(row.get_ref(2).map_err(sqlite_error)?).ok_or_else(altered)?;
            let hash = verify::hash(row.get_ref(3).map_err(sqlite_error)?).ok_or_else(altered)?;
            let key_id: Option<String> = row.get(4).map_err(sqlite_error)?;
            let key_id = match key_id {
                Some(key_id) => serde_json::to_string(&key_id)
                    .map_err(|error| LedgerError::Backend(Box::new(error)))?,
                None => "null".into(),
            };
            writeln!(
                out,
                r#"{{"seq":{},"record":{},"prev_hash":"{}","hash":"{}","key_id":{key_id}}}"#,
                entry.seq,
                canonical::encode(&entry.record)?,
                Hex(&prev_hash),
                Hex(&hash),
            )
            .map_err(LedgerError::Export)?;
            written += 1;
        }
        out.flush().map_err(LedgerError::Export)?;
        Ok(written)
    }

    fn writer(&self) -> MutexGuard<'_, Connection> {
        lock(&self.writer)
    }

    fn reader(&self) -> MutexGuard<'_, Connection> {
        lock(self.reader.as_ref().unwrap_or(&self.writer))
    }
}

fn lock(connection: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
    // A panic while the lock was held cannot leave a change half-made: a transaction that is
    // dropped uncommitted is rolled back.
    connection.lock().unwrap_or_else(PoisonError::into_inner)
}

impl fmt::Debug for SqliteLedger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SqliteLedger")
            .field("path", &self.path)
            .field("keys", &self.keys.ids())
            .field("group_commit", &self.group.is_some())
            .finish_non_exhaustive()
    }
}

impl AuditSink for SqliteLedger {
    /// Appends the record; `Ok` once it is committed to disk.
    fn record(&self, record: &AuditRecord<'_>) -> Result<(), AuditError> {
        self.append(record)
            .map(drop)
            .map_err(|error| AuditError::Sink(Box::new(error)))
    }
}

/// A record as the ledger keeps it, made before any lock is taken.
struct Encoded {
    canonical: String,
    at_ns: i64,
    grant: Option<i64>,
    /// The subjects' pseudonyms, each once.
    subjects: Vec<String>,
}

impl Encoded {
    fn new(record: &AuditRecord<'_>) -> Result<Self, LedgerError> {
        let canonical = canonical::encode(record)?;
        let at_ns = canonical::to_nanos(record.at)
            .ok_or_else(|| LedgerError::Unrepresentable(format!("{:?}", record.at)))?;
        let mut subjects: Vec<String> = record.subjects.iter().map(ToString::to_string).collect();
        subjects.sort_unstable();
        subjects.dedup();
        Ok(Encoded {
            canonical,
            at_ns,
            grant: record.grant.map(grant_column),
            subjects,
        })
    }
}

/// A grant id as SQLite keeps it: the same 64 bits, as a signed integer.
fn grant_column(grant: RecordId) -> i64 {
    i64::from_ne_bytes(grant.0.to_ne_bytes())
}

/// The entry of a row whose first two columns are `seq` and `record`.
fn read_entry(row: &Row<'_>) -> Result<LedgerEntry, LedgerError> {
    let seq: i64 = row.get(0).map_err(sqlite_error)?;
    let seq =
        u64::try_from(seq).map_err(|_| LedgerError::Tampered(ChainBreak::Inserted { seq: 0 }))?;
    let altered = LedgerError::Tampered(ChainBreak::Altered { seq });
    let (ValueRef::Text(content) | ValueRef::Blob(content)) =
        row.get_ref(1).map_err(sqlite_error)?
    else {
        return Err(altered);
    };
    let record = canonical::decode(content).map_err(|_| altered)?;
    Ok(LedgerEntry { seq, record })
}

/// The least whole nanosecond count at or `after` nanoseconds past `at`.
fn nanos_at_least(at: SystemTime, after: i128) -> i64 {
    saturate(signed_nanos(at) + after)
}

/// The greatest whole nanosecond count at or `before` nanoseconds before `at`.
fn nanos_at_most(at: SystemTime, before: i128) -> i64 {
    saturate(signed_nanos(at) - before)
}

fn signed_nanos(at: SystemTime) -> i128 {
    match at.duration_since(std::time::UNIX_EPOCH) {
        Ok(after) => i128::try_from(after.as_nanos()).unwrap_or(i128::MAX / 2),
        Err(before) => -i128::try_from(before.duration().as_nanos()).unwrap_or(i128::MAX / 2),
    }
}

fn saturate(nanos: i128) -> i64 {
    i64::try_from(nanos).unwrap_or(if nanos < 0 { i64::MIN } else { i64::MAX })
}

/// The typed error for what SQLite reports.
fn sqlite_error(error: rusqlite::Error) -> LedgerError {
    match &error {
        rusqlite::Error::SqliteFailure(failure, _) => match failure.code {
            ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => LedgerError::Locked,
            ErrorCode::ReadOnly => LedgerError::ReadOnly,
            ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase => {
                LedgerError::Corrupt(error.to_string())
            }
            _ => LedgerError::Backend(Box::new(error)),
        },
        // A value of a type the schema does not allow: not something this crate wrote.
        rusqlite::Error::InvalidColumnType(..) | rusqlite::Error::FromSqlConversionFailure(..) => {
            LedgerError::Corrupt(error.to_string())
        }
        _ => LedgerError::Backend(Box::new(error)),
    }
}
