//! Buffers reused across events on one thread, so that scrubbing allocates nothing once they
//! have grown to the size of the values and lines logged.

use core::cell::Cell;
use core::ops::{Deref, DerefMut};

thread_local! {
    static VALUE: Cell<String> = const { Cell::new(String::new()) };
    static LINE: Cell<String> = const { Cell::new(String::new()) };
}

/// A buffer given back to its slot larger than this is dropped instead, so that one huge
/// value does not keep its memory for the life of the thread.
const KEEP_AT_MOST: usize = 64 * 1024;

/// A thread's buffer, taken out of its slot until dropped. Taking leaves an empty `String` in
/// the slot, so a formatter that logs while formatting gets a buffer of its own.
pub(super) struct Scratch {
    text: String,
    slot: &'static std::thread::LocalKey<Cell<String>>,
}

impl Scratch {
    /// The buffer a field value is formatted into.
    pub(super) fn take_value() -> Self {
        Self::take(&VALUE)
    }

    /// The buffer an event line is formatted into.
    pub(super) fn take_line() -> Self {
        Self::take(&LINE)
    }

    fn take(slot: &'static std::thread::LocalKey<Cell<String>>) -> Self {
        // During thread teardown the slot is gone: work with a fresh buffer.
        let text = slot.try_with(Cell::take).unwrap_or_default();
        Scratch { text, slot }
    }
}

impl Deref for Scratch {
    type Target = String;

    fn deref(&self) -> &String {
        &self.text
    }
}

impl DerefMut for Scratch {
    fn deref_mut(&mut self) -> &mut String {
        &mut self.text
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if self.text.capacity() <= KEEP_AT_MOST {
            let mut text = core::mem::take(&mut self.text);
            text.clear();
            let _ = self.slot.try_with(|slot| slot.set(text));
        }
    }
}
