//! Walking the chain: the first record that is not as the ledger appended it.

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension, Rows};

use super::chain::{Anchor, Hash, Keys, Link, GENESIS, HASH_LEN};
use super::{canonical, grant_column, sqlite_error, LedgerError};

/// What [`verify`](super::SqliteLedger::verify) found: a whole chain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct VerifyReport {
    /// How many records the chain holds, all verified.
    pub records: u64,
    /// The last record's sequence number and hash (the start, `0` and zeros, when there is
    /// none): keep it elsewhere to [`verify_against`](super::SqliteLedger::verify_against)
    /// later.
    pub head: Anchor,
}

/// The first place where a ledger's file is not what the ledger wrote: records deleted,
/// altered, inserted or reordered behind its back. [`seq`](ChainBreak::seq) is the first
/// record affected; records before it are as appended.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ChainBreak {
    /// Record `seq` is gone: the record before it is followed by a later one, or is the last
    /// although the ledger's head (or an anchor) says there were more.
    #[error("record {seq} is missing")]
    Missing {
        /// The first missing record.
        seq: u64,
    },
    /// Record `seq` is not what was appended: its content or its hash was changed, or it is not
    /// a record at all.
    #[error("record {seq} was altered")]
    Altered {
        /// The altered record.
        seq: u64,
    },
    /// Record `seq` does not follow the record before it: it names another previous hash, so
    /// records were reordered or replaced here, or the record before it was altered and its
    /// hash recomputed.
    #[error("record {seq} does not follow the record before it")]
    Unlinked {
        /// The first record whose link is broken.
        seq: u64,
    },
    /// Record `seq` and any after it were added past the ledger's head, not by the ledger.
    #[error("record {seq} was inserted behind the ledger's back")]
    Inserted {
        /// The first record past the head.
        seq: u64,
    },
    /// What queries search record `seq` by (its time, grant, or subjects) differs from its
    /// content: a query could miss it, or find a record it should not.
    #[error("the index of record {seq} does not match its content")]
    Misindexed {
        /// The misindexed record.
        seq: u64,
    },
    /// Record `seq` has a plain SHA-256 link in a ledger with a [`ChainKey`](super::ChainKey):
    /// anyone could have written it.
    #[error("record {seq} is not linked with a key")]
    Unkeyed {
        /// The unkeyed record.
        seq: u64,
    },
}

impl ChainBreak {
    /// The first record affected.
    #[must_use]
    pub fn seq(&self) -> u64 {
        match *self {
            ChainBreak::Missing { seq }
            | ChainBreak::Altered { seq }
            | ChainBreak::Unlinked { seq }
            | ChainBreak::Inserted { seq }
            | ChainBreak::Misindexed { seq }
            | ChainBreak::Unkeyed { seq } => seq,
        }
    }
}

/// Checks that the ledger's tables are whole, then walks the whole chain, in one read
/// transaction; with `anchor`, also checks that it is a point of the chain.
pub(super) fn verify(
    connection: &mut Connection,
    keys: &Keys,
    anchor: Option<&Anchor>,
) -> Result<VerifyReport, LedgerError> {
    let snapshot = connection.transaction().map_err(sqlite_error)?;
    check_integrity(&snapshot)?;
    let report = walk(&snapshot, keys, anchor)?;
    snapshot.commit().map_err(sqlite_error)?;
    Ok(report)
}

fn walk(
    connection: &Connection,
    keys: &Keys,
    anchor: Option<&Anchor>,
) -> Result<VerifyReport, LedgerError> {
    let tampered = |kind| Err(LedgerError::Tampered(kind));
    let mut records = connection
        .prepare(
            "SELECT seq, at_ns, grant_id, record, key_id, prev_hash, hash
             FROM audit_records ORDER BY seq",
        )
        .map_err(sqlite_error)?;
    let mut records = records.query([]).map_err(sqlite_error)?;
    let mut subjects = connection
        .prepare("SELECT seq, subject FROM audit_record_subjects ORDER BY seq, subject")
        .map_err(sqlite_error)?;
    let mut subjects = Subjects::new(subjects.query([]).map_err(sqlite_error)?);

    let mut last = Anchor {
        seq: 0,
        hash: GENESIS,
    };
    while let Some(row) = records.next().map_err(sqlite_error)? {
        let stored: i64 = row.get(0).map_err(sqlite_error)?;
        let seq = last.seq + 1;
        match u64::try_from(stored) {
            Ok(stored) if stored == seq => {}
            Ok(stored) if stored > seq => return tampered(ChainBreak::Missing { seq }),
            // Only a number below 1 sorts before the next one.
            _ => return tampered(ChainBreak::Inserted { seq: 0 }),
        }
        if hash(row.get_ref(5).map_err(sqlite_error)?) != Some(last.hash) {
            return tampered(ChainBreak::Unlinked { seq });
        }
        let key_id: Option<String> = row.get(4).map_err(sqlite_error)?;
        let link = match key_id {
            None if keys.keyed() => return tampered(ChainBreak::Unkeyed { seq }),
            None => Link::Plain,
            Some(key_id) => match keys.get(&key_id) {
                Some(key) => Link::Keyed(key),
                None => return Err(LedgerError::UnknownKey { seq, key_id }),
            },
        };
        let content = row.get_ref(3).map_err(sqlite_error)?;
        let (ValueRef::Text(content) | ValueRef::Blob(content)) = content else {
            return tampered(ChainBreak::Altered { seq });
        };
        let stored_hash = row.get_ref(6).map_err(sqlite_error)?;
        let Some(stored_hash) = hash(stored_hash) else {
            return tampered(ChainBreak::Altered { seq });
        };
        if !link.verifies(seq, &last.hash, content, &stored_hash) {
            return tampered(ChainBreak::Altered { seq });
        }
        let Ok(record) = canonical::decode(content) else {
            return tampered(ChainBreak::Altered { seq });
        };
        let at_ns: Option<i64> = row.get(1).ok();
        let grant: Option<i64> = row.get(2).map_err(sqlite_error)?;
        let mut expected: Vec<&str> = record.subjects.iter().map(|s| &**s).collect();
        expected.sort_unstable();
        expected.dedup();
        if at_ns != canonical::to_nanos(record.at)
            || grant != record.grant.map(grant_column)
            || subjects.of(seq)? != expected
        {
            return tampered(ChainBreak::Misindexed { seq });
        }
        if anchor.is_some_and(|anchor| anchor.seq == seq && anchor.hash != stored_hash) {
            return tampered(ChainBreak::Altered { seq });
        }
        last = Anchor {
            seq,
            hash: stored_hash,
        };
    }
    if let Some(orphan) = subjects.next_seq()? {
        return tampered(ChainBreak::Misindexed { seq: orphan });
    }

    let (head_seq, head_hash) = head(connection)?;
    let sequence: Option<i64> = connection
        .query_row(
            "SELECT seq FROM sqlite_sequence WHERE name = 'audit_records'",
            [],
            |row| row.get(0),
        )
        .optional()
        .map_err(sqlite_error)?;
    let sequence = sequence
        .and_then(|seq| u64::try_from(seq).ok())
        .unwrap_or(0);
    let anchored = anchor.map_or(0, |anchor| anchor.seq);
    if head_seq.max(sequence).max(anchored) > last.seq {
        return tampered(ChainBreak::Missing { seq: last.seq + 1 });
    }
    if head_seq < last.seq {
        return tampered(ChainBreak::Inserted { seq: head_seq + 1 });
    }
    if head_hash != Some(last.hash) {
        // The head names the last record, by another hash: it or the head was rewritten.
        return tampered(ChainBreak::Altered { seq: last.seq });
    }
    Ok(VerifyReport {
        records: last.seq,
        head: last,
    })
}

/// Whether SQLite finds the ledger's tables and their indexes whole: the chain is read in
/// order of `seq`, but queries go through the indexes, which a damaged file could leave
/// naming other records than the tables hold.
fn check_integrity(connection: &Connection) -> Result<(), LedgerError> {
    for table in ["audit_records", "audit_record_subjects", "audit_head"] {
        let mut check = connection
            .prepare(&format!("PRAGMA integrity_check({table})"))
            .map_err(sqlite_error)?;
        let problems = check
            .query_map([], |row| row.get::<_, String>(0))
            .map_err(sqlite_error)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(sqlite_error)?;
        if problems != ["ok"] {
            return Err(LedgerError::Corrupt(format!(
                "`{table}` is damaged: {}",
                problems.join("; ")
            )));
        }
    }
    Ok(())
}

/// The head row: the last record's sequence number, and its hash if it is one.
pub(super) fn head(connection: &Connection) -> Result<(u64, Option<Hash>), LedgerError> {
    let head = connection
        .query_row("SELECT seq, hash FROM audit_head WHERE id = 1", [], |row| {
            Ok((row.get::<_, i64>(0)?, hash(row.get_ref(1)?)))
        })
        .optional()
        .map_err(sqlite_error)?;
    let Some((seq, hash)) = head else {
        return Err(LedgerError::Corrupt(
            "an audit ledger without its head".into(),
        ));
    };
    let seq = u64::try_from(seq)
        .map_err(|_| LedgerError::Corrupt(format!("the ledger's head is record {seq}")))?;
    Ok((seq, hash))
}

/// A stored hash, if it is one.
pub(super) fn hash(value: ValueRef<'_>) -> Option<Hash> {
    match value {
        ValueRef::Blob(bytes) if bytes.len() == HASH_LEN => bytes.try_into().ok(),
        _ => None,
    }
}

/// The rows of `audit_record_subjects`, read alongside the records, both in order of `seq`.
struct Subjects<'s> {
    rows: Rows<'s>,
    /// The row read but not yet matched to its record.
    ahead: Option<(i64, String)>,
}

impl<'s> Subjects<'s> {
    fn new(rows: Rows<'s>) -> Self {
        Subjects { rows, ahead: None }
    }

    fn peek(&mut self) -> Result<Option<&(i64, String)>, LedgerError> {
        if self.ahead.is_none() {
            if let Some(row) = self.rows.next().map_err(sqlite_error)? {
                self.ahead = Some((
                    row.get(0).map_err(sqlite_error)?,
                    row.get(1).map_err(sqlite_error)?,
                ));
            }
        }
        Ok(self.ahead.as_ref())
    }

    /// The subjects indexed for record `seq`, in order; a row for an earlier record that none
    /// claimed is an error of that record.
    fn of(&mut self, seq: u64) -> Result<Vec<String>, LedgerError> {
        let mut subjects = Vec::new();
        while let Some((row_seq, _)) = self.peek()? {
            match u64::try_from(*row_seq) {
                Ok(row_seq) if row_seq == seq => {
                    subjects.extend(self.ahead.take().map(|(_, subject)| subject));
                }
                Ok(row_seq) if row_seq > seq => break,
                Ok(row_seq) => {
                    return Err(LedgerError::Tampered(ChainBreak::Misindexed {
                        seq: row_seq,
                    }))
                }
                Err(_) => return Err(LedgerError::Tampered(ChainBreak::Misindexed { seq: 0 })),
            }
        }
        Ok(subjects)
    }

    /// The record of the next row no record claimed.
    fn next_seq(&mut self) -> Result<Option<u64>, LedgerError> {
        Ok(self
            .peek()?
            .map(|(seq, _)| u64::try_from(*seq).unwrap_or(0)))
    }
}
