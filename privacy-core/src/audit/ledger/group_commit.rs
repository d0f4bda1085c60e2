//! Group commit: records appended by many threads at once share one transaction, and so one
//! flush to the disk, and each thread returns only once the transaction that holds its record
//! has committed.
//!
//! No thread of its own and no timer: the first thread to find no commit under way commits
//! every record queued by then (at least its own), and the records queued while it does are
//! committed next, by one of their threads. A thread alone commits its record at once.

use std::collections::HashMap;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};

use super::LedgerError;

/// The queue of records waiting for a commit, shared by the threads appending them.
pub(super) struct GroupCommit<T> {
    queue: Mutex<Queue<T>>,
    committed: Condvar,
}

struct Queue<T> {
    /// The records of the next batch.
    open: Vec<T>,
    /// The number of the next batch.
    open_batch: u64,
    /// Whether a thread is committing a batch now.
    committing: bool,
    /// Batches committed (or failed) whose other threads have not all woken to learn it.
    outcomes: HashMap<u64, Outcome>,
}

struct Outcome {
    /// The sequence number of the batch's first record.
    first: Result<u64, Arc<LedgerError>>,
    /// The threads of the batch yet to take it.
    waiting: usize,
}

impl<T> GroupCommit<T> {
    pub(super) fn new() -> Self {
        GroupCommit {
            queue: Mutex::new(Queue {
                open: Vec::new(),
                open_batch: 0,
                committing: false,
                outcomes: HashMap::new(),
            }),
            committed: Condvar::new(),
        }
    }

    /// Queues `item`, and returns its sequence number once a batch that holds it has been
    /// committed by `commit`, which gets the batch and returns its first sequence number.
    /// The records of one batch fail together: with the error itself for a batch of one,
    /// with [`LedgerError::Batch`] for a larger one.
    pub(super) fn append(
        &self,
        item: T,
        commit: impl FnOnce(&[T]) -> Result<u64, LedgerError>,
    ) -> Result<u64, LedgerError> {
        let mut queue = self.lock();
        let batch = queue.open_batch;
        let index = queue.open.len() as u64;
        queue.open.push(item);
        loop {
            if let Some(first) = queue.take_outcome(batch) {
                return first.map(|first| first + index).map_err(LedgerError::Batch);
            }
            if !queue.committing {
                // The batch that holds `item` is not committed and nobody is committing: it is
                // still the open one, and this thread commits it.
                return self.lead(queue, commit).map(|first| first + index);
            }
            queue = self
                .committed
                .wait(queue)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// Commits the open batch, then tells its other threads how that went.
    fn lead(
        &self,
        mut queue: MutexGuard<'_, Queue<T>>,
        commit: impl FnOnce(&[T]) -> Result<u64, LedgerError>,
    ) -> Result<u64, LedgerError> {
        queue.committing = true;
        let items = std::mem::take(&mut queue.open);
        let batch = queue.open_batch;
        queue.open_batch += 1;
        drop(queue);
        let mut leading = Leading {
            group: self,
            batch,
            others: items.len() - 1,
            first: None,
        };
        match commit(&items) {
            Ok(first) => {
                leading.first = Some(Ok(first));
                Ok(first)
            }
            Err(error) if leading.others == 0 => Err(error),
            Err(error) => {
                let error = Arc::new(error);
                leading.first = Some(Err(Arc::clone(&error)));
                Err(LedgerError::Batch(error))
            }
        }
    }

    fn lock(&self) -> MutexGuard<'_, Queue<T>> {
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl<T> Queue<T> {
    fn take_outcome(&mut self, batch: u64) -> Option<Result<u64, Arc<LedgerError>>> {
        let outcome = self.outcomes.get_mut(&batch)?;
        outcome.waiting -= 1;
        let first = outcome.first.clone();
        if outcome.waiting == 0 {
            self.outcomes.remove(&batch);
        }
        Some(first)
    }
}

/// The thread committing a batch. Dropped, also when the commit panics, it publishes the
/// batch's outcome and lets the next thread commit.
struct Leading<'g, T> {
    group: &'g GroupCommit<T>,
    batch: u64,
    others: usize,
    first: Option<Result<u64, Arc<LedgerError>>>,
}

impl<T> Drop for Leading<'_, T> {
    fn drop(&mut self) {
        let mut queue = self.group.lock();
        queue.committing = false;
        if self.others > 0 {
            let first = self.first.take().unwrap_or_else(|| {
                Err(Arc::new(LedgerError::Backend(
                    "the thread committing the batch panicked".into(),
                )))
            });
            queue.outcomes.insert(
                self.batch,
                Outcome {
                    first,
                    waiting: self.others,
                },
            );
        }
        drop(queue);
        self.group.committed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Barrier;

    use super::*;

    #[test]
    fn a_thread_alone_commits_its_own_record_at_once() {
        let group = GroupCommit::new();
        let mut batches = Vec::new();
        for item in 0..3_u64 {
            let seq = group
                .append(item, |batch: &[u64]| {
                    batches.push(batch.to_vec());
                    Ok(10 + item)
                })
                .unwrap();
            assert_eq!(seq, 10 + item);
        }
        assert_eq!(batches, [[0], [1], [2]]);
    }

    /// While one batch commits, the records queued meanwhile wait, and go together in the
    /// next; each thread gets its own record's number, and none returns before its batch.
    #[test]
    fn threads_queued_during_a_commit_share_the_next_and_wait_for_it() {
        const THREADS: usize = 6;
        let group = Arc::new(GroupCommit::new());
        let committed = Arc::new(Mutex::new(Vec::<u64>::new()));
        let in_first = Arc::new(Barrier::new(2));
        let release = Arc::new(Barrier::new(2));
        let commits = Arc::new(AtomicUsize::new(0));

        // The first append holds its commit open until the others have queued.
        let first = {
            let (group, committed, in_first, release, commits) = (
                Arc::clone(&group),
                Arc::clone(&committed),
                Arc::clone(&in_first),
                Arc::clone(&release),
                Arc::clone(&commits),
            );
            std::thread::spawn(move || {
                group.append(100, |batch: &[u64]| {
                    commits.fetch_add(1, Ordering::SeqCst);
                    in_first.wait();
                    release.wait();
                    committed.lock().unwrap().extend(batch);
                    Ok(1)
                })
            })
        };
        in_first.wait();
        let others: Vec<_> = (0..THREADS as u64)
            .map(|item| {
                let (group, committed, commits) = (
                    Arc::clone(&group),
                    Arc::clone(&committed),
                    Arc::clone(&commits),
                );
                std::thread::spawn(move || {
                    let seq = group.append(item, |batch: &[u64]| {
                        commits.fetch_add(1, Ordering::SeqCst);
                        committed.lock().unwrap().extend(batch);
                        Ok(2)
                    });
                    // Returned only after its record was committed.
                    assert!(committed.lock().unwrap().contains(&item));
                    seq
                })
            })
            .collect();
        // Wait until all the others are queued behind the open commit.
        while group.lock().open.len() < THREADS {
            std::thread::yield_now();
        }
        release.wait();
        assert_eq!(first.join().unwrap().unwrap(), 1);
        let mut seqs: Vec<u64> = others
            .into_iter()
            .map(|thread| thread.join().unwrap().unwrap())
            .collect();
        seqs.sort_unstable();
        assert_eq!(seqs, (2..2 + THREADS as u64).collect::<Vec<_>>());
        assert_eq!(
            commits.load(Ordering::SeqCst),
            2,
            "one commit for the queued"
        );
        assert!(group.lock().outcomes.is_empty());
    }

    #[test]
    fn a_failed_batch_fails_each_of_its_records_and_the_next_commits() {
        let group = Arc::new(GroupCommit::new());
        let in_first = Arc::new(Barrier::new(2));
        let release = Arc::new(Barrier::new(2));
        let first = {
            let (group, in_first, release) = (
                Arc::clone(&group),
                Arc::clone(&in_first),
                Arc::clone(&release),
            );
            std::thread::spawn(move || {
                group.append(0, |_: &[u64]| {
                    in_first.wait();
                    release.wait();
                    Err(LedgerError::Locked)
                })
            })
        };
        in_first.wait();
        let others: Vec<_> = (1..4_u64)
            .map(|item| {
                let group = Arc::clone(&group);
                std::thread::spawn(move || {
                    group.append(item, |_: &[u64]| Err(LedgerError::ReadOnly))
                })
            })
            .collect();
        while group.lock().open.len() < 3 {
            std::thread::yield_now();
        }
        release.wait();
        assert!(matches!(first.join().unwrap(), Err(LedgerError::Locked)));
        for thread in others {
            let error = thread.join().unwrap().unwrap_err();
            assert!(
                matches!(&error, LedgerError::Batch(cause) if matches!(**cause, LedgerError::ReadOnly)),
                "{error:?}"
            );
        }
        assert_eq!(group.append(9, |_: &[u64]| Ok(7)).unwrap(), 7);
    }

    #[test]
    fn a_panicking_commit_lets_the_next_thread_commit() {
        let group = Arc::new(GroupCommit::new());
        let panicked = {
            let group = Arc::clone(&group);
            std::thread::spawn(move || group.append(0, |_: &[u64]| panic!("commit")))
        };
        assert!(panicked.join().is_err());
        assert_eq!(group.append(1, |_: &[u64]| Ok(5)).unwrap(), 5);
    }
}
