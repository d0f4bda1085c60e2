//! Keyed pseudonyms: the `hash` strategy's HMAC-SHA256, keyed once per process.
//!
//! A pseudonym lets a reader see that two log lines are about the same value without learning
//! the value. It is keyed, so that nobody without the key can confirm a guess (a bare SHA-256
//! of a phone number is reversed by trying every phone number), and it is tagged with the key's
//! id, so that pseudonyms made under different keys are never mistaken for each other.
//!
//! Install the key once at start-up, before anything is formatted:
//!
//! ```
//! use privacy::pseudonym::{self, PseudonymKey};
//!
//! let secret = [7u8; 32]; // in real code: from your secret store
//! let key = PseudonymKey::new("k2026", &secret)?;
//! pseudonym::install(key)?;
//! assert_eq!(pseudonym::key_id(), "k2026");
//! # Ok::<(), privacy::pseudonym::KeyError>(())
//! ```
//!
//! Without an installed key, the first pseudonym draws a random key for the life of the process
//! and tags its output `#ephemeral:`: equal values still give equal output within the process,
//! but not across restarts.

use core::fmt::{self, Write as _};
use std::sync::OnceLock;

use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// The key id under which a random per-process key is used.
pub const EPHEMERAL_KEY_ID: &str = "ephemeral";

/// The shortest secret accepted: 128 bits.
pub const MIN_SECRET_LEN: usize = 16;

/// How many bytes of the HMAC a pseudonym keeps (written as twice as many hex characters).
pub const PSEUDONYM_BYTES: usize = 8;

const MAX_KEY_ID_LEN: usize = 32;

static KEY: OnceLock<PseudonymKey> = OnceLock::new();

/// Why a key could not be made or installed.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyError {
    /// The key id is empty, too long, or has characters other than ASCII letters, digits, `-`,
    /// `_` and `.`.
    #[error(
        "invalid key id {0:?}: use 1 to 32 ASCII letters, digits, `-`, `_` or `.` \
         (it is printed in every pseudonym)"
    )]
    InvalidId(String),
    /// The id is the one reserved for the random per-process key.
    #[error("the key id `ephemeral` is reserved for the random per-process key")]
    ReservedId,
    /// The secret is shorter than [`MIN_SECRET_LEN`] bytes.
    #[error("the secret has {0} bytes; a pseudonym key needs at least {MIN_SECRET_LEN}")]
    ShortSecret(usize),
    /// A key was already installed in this process.
    #[error("a pseudonym key (`{0}`) is already installed in this process")]
    AlreadyInstalled(String),
    /// A pseudonym was already made with the random per-process key; installing a key now
    /// would give the same value two different pseudonyms in one process.
    #[error(
        "a pseudonym was already made with the random per-process key; \
         install the key before anything is formatted"
    )]
    EphemeralInUse,
}

/// An HMAC-SHA256 key with the id that tags its pseudonyms.
///
/// Its `Debug` shows the id only.
#[derive(Clone)]
pub struct PseudonymKey {
    id: Box<str>,
    mac: HmacSha256,
}

impl PseudonymKey {
    /// Makes a key from a secret of at least [`MIN_SECRET_LEN`] bytes.
    pub fn new(id: &str, secret: &[u8]) -> Result<Self, KeyError> {
        let valid_id = !id.is_empty()
            && id.len() <= MAX_KEY_ID_LEN
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b));
        if !valid_id {
            return Err(KeyError::InvalidId(id.to_owned()));
        }
        if id == EPHEMERAL_KEY_ID {
            return Err(KeyError::ReservedId);
        }
        if secret.len() < MIN_SECRET_LEN {
            return Err(KeyError::ShortSecret(secret.len()));
        }
        Ok(Self::keyed(id, secret))
    }

    fn keyed(id: &str, secret: &[u8]) -> Self {
        let mac =
            <HmacSha256 as Mac>::new_from_slice(secret).expect("HMAC accepts keys of any length");
        PseudonymKey { id: id.into(), mac }
    }

    fn ephemeral() -> Self {
        let mut secret = [0u8; 32];
        // Without an entropy source a pseudonym would be guessable: failing loudly is the only
        // safe answer, and no supported platform lacks one.
        getrandom::fill(&mut secret).expect("the operating system provides random bytes");
        Self::keyed(EPHEMERAL_KEY_ID, &secret)
    }

    /// The key's id, printed in every pseudonym it makes.
    #[must_use]
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The pseudonym of `value` in `domain`: the truncated HMAC of the domain, a zero byte, and
    /// the value's `Display` text. The domain keeps equal values in different fields apart.
    #[must_use]
    pub fn pseudonym<T: fmt::Display + ?Sized>(&self, domain: &str, value: &T) -> Pseudonym<'_> {
        let mut mac = self.mac.clone();
        mac.update(domain.as_bytes());
        mac.update(&[0]);
        let _ = write!(MacWriter(&mut mac), "{value}");
        let digest = mac.finalize().into_bytes();
        let mut bytes = [0u8; PSEUDONYM_BYTES];
        bytes.copy_from_slice(&digest[..PSEUDONYM_BYTES]);
        Pseudonym {
            key_id: &self.id,
            bytes,
        }
    }
}

impl fmt::Debug for PseudonymKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PseudonymKey")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// Feeds formatted text into the MAC without building a `String`.
struct MacWriter<'a>(&'a mut HmacSha256);

impl fmt::Write for MacWriter<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0.update(s.as_bytes());
        Ok(())
    }
}

/// A keyed pseudonym; `Display` writes `#<key id>:<16 hex characters>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Pseudonym<'k> {
    key_id: &'k str,
    bytes: [u8; PSEUDONYM_BYTES],
}

impl Pseudonym<'_> {
    /// The id of the key that made it.
    #[must_use]
    pub fn key_id(&self) -> &str {
        self.key_id
    }

    /// The truncated HMAC.
    #[must_use]
    pub fn bytes(&self) -> [u8; PSEUDONYM_BYTES] {
        self.bytes
    }
}

impl fmt::Display for Pseudonym<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_char('#')?;
        f.write_str(self.key_id)?;
        f.write_char(':')?;
        self.bytes
            .iter()
            .try_for_each(|byte| write!(f, "{byte:02x}"))
    }
}

/// Installs the process-wide key. Call it once, before anything is formatted.
pub fn install(key: PseudonymKey) -> Result<(), KeyError> {
    KEY.set(key).map_err(|_| match KEY.get() {
        Some(existing) if existing.id() == EPHEMERAL_KEY_ID => KeyError::EphemeralInUse,
        Some(existing) => KeyError::AlreadyInstalled(existing.id().to_owned()),
        None => unreachable!("OnceLock::set fails only when a value is present"),
    })
}

/// The process-wide key: the installed one, or else a random key drawn on first use.
#[must_use]
pub fn key() -> &'static PseudonymKey {
    KEY.get_or_init(PseudonymKey::ephemeral)
}

/// The id of the process-wide key ([`EPHEMERAL_KEY_ID`] when none was installed).
#[must_use]
pub fn key_id() -> &'static str {
    key().id()
}

/// The pseudonym of `value` in `domain` under the process-wide key.
///
/// ```
/// let a = privacy::pseudonym::of("Member.phone", "+44 20 7946 0958");
/// let b = privacy::pseudonym::of("Member.phone", "+44 20 7946 0958");
/// let other_field = privacy::pseudonym::of("Contact.phone", "+44 20 7946 0958");
/// assert_eq!(a, b);
/// assert_ne!(a, other_field);
/// ```
#[must_use]
pub fn of<T: fmt::Display + ?Sized>(domain: &str, value: &T) -> Pseudonym<'static> {
    key().pseudonym(domain, value)
}
