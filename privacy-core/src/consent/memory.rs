//! A consent store in memory, for tests and for processes that keep no state.

use std::sync::{Arc, Mutex, PoisonError};

use super::{Clock, ConsentError, ConsentRecord, ConsentStore, NewRecord, RecordId, SystemClock};
use crate::SubjectId;

/// A consent store that lives as long as the process: every record in a `Vec`, behind a lock.
#[derive(Debug)]
pub struct MemoryConsentStore {
    records: Mutex<Vec<ConsentRecord>>,
    clock: Arc<dyn Clock>,
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
            records: Mutex::new(Vec::new()),
            clock,
        }
    }

    fn records(&self) -> std::sync::MutexGuard<'_, Vec<ConsentRecord>> {
        // A panic elsewhere while the lock was held cannot leave a half-written record: a push
        // either happened or did not.
        self.records.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Default for MemoryConsentStore {
    fn default() -> Self {
        Self::new()
    }
}

impl ConsentStore for MemoryConsentStore {
    fn append(&self, record: NewRecord) -> Result<ConsentRecord, ConsentError> {
        let mut records = self.records();
        let id = RecordId(records.len() as u64 + 1);
        let record = record.with_id(id);
        records.push(record.clone());
        Ok(record)
    }

    fn latest(
        &self,
        subject: &SubjectId,
        purpose: &str,
    ) -> Result<Option<ConsentRecord>, ConsentError> {
        let records = self.records();
        Ok(records
            .iter()
            .rev()
            .find(|r| &r.subject == subject && r.purpose == purpose)
            .cloned())
    }

    fn history(&self, subject: &SubjectId) -> Result<Vec<ConsentRecord>, ConsentError> {
        Ok(self
            .records()
            .iter()
            .filter(|r| &r.subject == subject)
            .cloned()
            .collect())
    }

    fn clock(&self) -> Arc<dyn Clock> {
        Arc::clone(&self.clock)
    }
}
