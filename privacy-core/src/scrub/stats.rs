//! How much the scrubber replaced: counters an application can watch and alert on.

use core::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use super::PiiShape;

/// Counts of what a [`Scrubber`](super::Scrubber) replaced, per [`PiiShape`]: a cloneable
/// handle onto shared atomic counters, one per scrubber and every formatter made from it.
///
/// Each count is a value that an annotation should have classified and did not: a non-zero
/// count is a bug to find, so export it as a metric or alert on it.
///
/// ```
/// use privacy::tracing::{PiiShape, Scrubber};
///
/// let scrubber = Scrubber::new();
/// let stats = scrubber.stats();
/// assert_eq!(scrubber.scrub("call +44 20 7946 0958"), "call <scrubbed:phone>");
/// assert_eq!(stats.get(PiiShape::Phone), 1);
/// assert_eq!(stats.total(), 1);
/// ```
#[derive(Clone, Default)]
pub struct ScrubStats {
    counters: Arc<[AtomicU64; PiiShape::ALL.len()]>,
}

impl ScrubStats {
    /// New counters, all zero.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// How many values of `shape` were replaced.
    #[must_use]
    pub fn get(&self, shape: PiiShape) -> u64 {
        self.counters[shape.index()].load(Ordering::Relaxed)
    }

    /// How many values were replaced, of every shape.
    #[must_use]
    pub fn total(&self) -> u64 {
        PiiShape::ALL.iter().map(|&shape| self.get(shape)).sum()
    }

    /// Every shape with its count.
    pub fn iter(&self) -> impl Iterator<Item = (PiiShape, u64)> + '_ {
        PiiShape::ALL.iter().map(|&shape| (shape, self.get(shape)))
    }

    pub(super) fn add(&self, shape: PiiShape) {
        self.counters[shape.index()].fetch_add(1, Ordering::Relaxed);
    }
}

impl fmt::Debug for ScrubStats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (shape, count) in self.iter() {
            map.entry(&format_args!("{shape}"), &count);
        }
        map.finish()
    }
}
