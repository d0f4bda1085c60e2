//! A consent store in memory, for tests and for processes that keep no state.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use super::store::sealed::Sealed;
use super::{
    Clock, ConsentBackend, ConsentRecord, ConsentStore, NewRecord, RecordId, StoreError,
    SystemClock,
};
use crate::SubjectId;

/// A consent store that lives as long as the process: every record in a `Vec`, behind a lock,
/// with an index of each subject's latest record per purpose, so that a consent check does not
/// scan the history.
#[derive(Debug)]
pub struct MemoryConsentStore {
    state: Mutex<State>,
    clock: Arc<dyn Clock>,
}

#[derive(Debug, Default)]
struct State {
    records: Vec<ConsentRecord>,
    /// For each subject and purpose, the position of the latest record in `records`.
    latest: HashMap<SubjectId, HashMap<String, usize>>,
}

impl MemoryConsentStore {
    /// An empty store on the system clock.
    #[must_use]
    pub fn new() -> Self {
        Self::with_clock(Arc::new(SystemClock))
    }

    /// An empty store on `clock`.
    #[must_use]
    pub fn with_clock(clock: Arc<dyn Clock>) -> Self {
        MemoryConsentStore {
            state: Mutex::new(State::default()),
            clock,
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // A panic elsewhere while the lock was held cannot leave a half-written record: the
        // record and its index entry are written after everything that can fail.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Default for MemoryConsentStore {
    fn default() -> Self {
        Self::new()
    }
}

impl Sealed for MemoryConsentStore {
    fn backend(&self) -> &dyn ConsentBackend {
        self
    }
}

impl ConsentStore for MemoryConsentStore {}

impl ConsentBackend for MemoryConsentStore {
    fn append_if_latest(
        &self,
        record: NewRecord,
        expected: Option<RecordId>,
    ) -> Result<Option<ConsentRecord>, StoreError> {
        let mut state = self.state();
        let latest = state
            .latest
            .get(&record.subject)
            .and_then(|purposes| purposes.get(&record.purpose))
            .map(|&position| state.records[position].id);
        if latest != expected {
            return Ok(None);
        }
        Ok(Some(append_locked(&mut state, record)))
    }

    fn latest_record(
        &self,
        subject: &SubjectId,
        purpose: &str,
    ) -> Result<Option<ConsentRecord>, StoreError> {
        let state = self.state();
        let position = state
            .latest
            .get(subject)
            .and_then(|purposes| purposes.get(purpose));
        Ok(position.map(|&position| state.records[position].clone()))
    }

    fn history_of(&self, subject: &SubjectId) -> Result<Vec<ConsentRecord>, StoreError> {
        Ok(self
            .state()
            .records
            .iter()
            .filter(|r| &r.subject == subject)
            .cloned()
            .collect())
    }

    fn record_clock(&self) -> Arc<dyn Clock> {
        Arc::clone(&self.clock)
    }
}

/// Appends `record` to `state`, whose lock the caller holds.
fn append_locked(state: &mut State, record: NewRecord) -> ConsentRecord {
    let position = state.records.len();
    let record = record.with_id(RecordId(position as u64 + 1));
    state
        .latest
        .entry(record.subject.clone())
        .or_default()
        .insert(record.purpose.clone(), position);
    state.records.push(record.clone());
    record
}
