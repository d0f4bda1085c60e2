//! The hash chain: how each record is linked to the one before it, plain or keyed.

use core::fmt;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use super::LedgerError;
use crate::pseudonym::MIN_SECRET_LEN;

type HmacSha256 = Hmac<Sha256>;

/// The size of a link's hash: SHA-256 and HMAC-SHA256 both give 32 bytes.
pub const HASH_LEN: usize = 32;

/// A hash of the chain.
pub(super) type Hash = [u8; HASH_LEN];

/// What the first record links to.
pub(super) const GENESIS: Hash = [0; HASH_LEN];

/// Starts every hashed message, so that no other hash of this crate, or of anyone's, is a
/// link of a ledger's chain.
const DOMAIN: &[u8] = b"privacy audit ledger v1\0";

const MAX_KEY_ID_LEN: usize = 32;

/// An HMAC-SHA256 key for the chain of a [`SqliteLedger`](super::SqliteLedger), with the id each
/// record it links is stored with.
///
/// With a key, a record's hash is an HMAC that only a holder of the secret can compute: someone
/// who can write the ledger's file can still delete or damage records, which
/// [`verify`](super::SqliteLedger::verify) finds, but cannot forge, alter or rechain one that
/// passes. Without a key, the chain is plain SHA-256, which finds accidents and edits made
/// without recomputing the chain, not an editor who recomputes it.
///
/// Its `Debug` shows the id only.
///
/// ```
/// use privacy::audit::ChainKey;
///
/// let secret = [7u8; 32]; // in real code: from your secret store
/// let key = ChainKey::new("ledger-2026", &secret)?;
/// assert_eq!(key.id(), "ledger-2026");
/// assert!(ChainKey::new("ledger-2026", b"short").is_err());
/// # Ok::<(), privacy::audit::LedgerError>(())
/// ```
#[derive(Clone)]
pub struct ChainKey {
    id: Box<str>,
    mac: HmacSha256,
}

impl ChainKey {
    /// A key from a secret of at least 16 bytes ([`MIN_SECRET_LEN`]), with an id of 1 to 32
    /// ASCII letters, digits, `-`, `_` or `.`, stored with every record it links.
    pub fn new(id: &str, secret: &[u8]) -> Result<Self, LedgerError> {
        let valid_id = !id.is_empty()
            && id.len() <= MAX_KEY_ID_LEN
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b));
        if !valid_id {
            return Err(LedgerError::InvalidKey(format!(
                "the id {id:?} is not 1 to {MAX_KEY_ID_LEN} ASCII letters, digits, `-`, `_` or `.`"
            )));
        }
        if secret.len() < MIN_SECRET_LEN {
            return Err(LedgerError::InvalidKey(format!(
                "the secret has {} bytes; a chain key needs at least {MIN_SECRET_LEN}",
                secret.len()
            )));
        }
        // HMAC takes a key of any length: this fails for none.
        let mac = <HmacSha256 as Mac>::new_from_slice(secret)
            .map_err(|error| LedgerError::InvalidKey(error.to_string()))?;
        Ok(ChainKey { id: id.into(), mac })
    }

    /// The key's id.
    #[must_use]
    pub fn id(&self) -> &str {
        &self.id
    }
}

impl fmt::Debug for ChainKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChainKey")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// A point of the chain: a record's sequence number and hash.
///
/// The [`head`](super::SqliteLedger::head) of a ledger, kept somewhere its file's writers cannot
/// reach (another system's log, a notary, a printout), lets
/// [`verify_against`](super::SqliteLedger::verify_against) prove later that every record up to
/// it is still there, unchanged: what no check of the file alone can prove against someone
/// who rewrites the file's end or, without a [`ChainKey`], the whole chain.
///
/// `Display` writes `<seq>:<hash in hex>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Anchor {
    /// The record's sequence number, from 1; 0 for the start of an empty ledger.
    pub seq: u64,
    /// The record's hash; 32 zero bytes for the start of an empty ledger.
    pub hash: [u8; HASH_LEN],
}

impl fmt::Display for Anchor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.seq, Hex(&self.hash))
    }
}

/// Bytes in lower-case hex.
pub(super) struct Hex<'a>(pub(super) &'a [u8]);

impl fmt::Display for Hex<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|byte| write!(f, "{byte:02x}"))
    }
}

/// The keys of a ledger: the one new records are linked with, and the retired ones that still
/// verify older records.
#[derive(Clone, Default)]
pub(super) struct Keys {
    current: Option<ChainKey>,
    retired: Vec<ChainKey>,
}

/// How one record is linked.
pub(super) enum Link<'a> {
    /// Plain SHA-256.
    Plain,
    /// HMAC-SHA256 under this key.
    Keyed(&'a ChainKey),
}

impl Keys {
    pub(super) fn set_current(&mut self, key: ChainKey) {
        self.retired.retain(|retired| retired.id != key.id);
        self.current = Some(key);
    }

    pub(super) fn add_retired(&mut self, key: ChainKey) {
        if self
            .current
            .as_ref()
            .is_none_or(|current| current.id != key.id)
        {
            self.retired.retain(|retired| retired.id != key.id);
            self.retired.push(key);
        }
    }

    /// Whether records are linked with a key: then a plain link proves nothing.
    pub(super) fn keyed(&self) -> bool {
        self.current.is_some()
    }

    /// The id new records are stored with, and how they are linked.
    pub(super) fn current(&self) -> (Option<&str>, Link<'_>) {
        match &self.current {
            Some(key) => (Some(key.id()), Link::Keyed(key)),
            None => (None, Link::Plain),
        }
    }

    /// The key with `id`, if this ledger holds it.
    pub(super) fn get(&self, id: &str) -> Option<&ChainKey> {
        self.current
            .iter()
            .chain(&self.retired)
            .find(|key| &*key.id == id)
    }

    /// The ids of the keys held, current first.
    pub(super) fn ids(&self) -> Vec<&str> {
        self.current
            .iter()
            .chain(&self.retired)
            .map(ChainKey::id)
            .collect()
    }
}

impl Link<'_> {
    /// The hash of record `seq`, whose canonical form is `record`, linked to `prev`.
    pub(super) fn hash(&self, seq: u64, prev: &Hash, record: &[u8]) -> Hash {
        match self {
            Link::Plain => {
                let mut digest = Sha256::new();
                message(seq, prev, record, |part| Digest::update(&mut digest, part));
                digest.finalize().into()
            }
            Link::Keyed(key) => Self::mac(key, seq, prev, record)
                .finalize()
                .into_bytes()
                .into(),
        }
    }

    /// Whether `stored` is the hash of record `seq`; a keyed link compares in constant time.
    pub(super) fn verifies(&self, seq: u64, prev: &Hash, record: &[u8], stored: &[u8]) -> bool {
        match self {
            Link::Plain => self.hash(seq, prev, record) == stored,
            Link::Keyed(key) => Self::mac(key, seq, prev, record)
                .verify_slice(stored)
                .is_ok(),
        }
    }

    fn mac(key: &ChainKey, seq: u64, prev: &Hash, record: &[u8]) -> HmacSha256 {
        let mut mac = key.mac.clone();
        message(seq, prev, record, |part| Mac::update(&mut mac, part));
        mac
    }
}

/// Feeds `update` what a link hashes: the domain, the sequence number (8 bytes, big-endian),
/// the previous hash and the record's canonical form. Only the last part varies in length, so
/// no two links hash the same message.
fn message(seq: u64, prev: &Hash, record: &[u8], mut update: impl FnMut(&[u8])) {
    update(DOMAIN);
    update(&seq.to_be_bytes());
    update(prev);
    update(record);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_part_of_a_link_changes_its_hash() {
        let key = ChainKey::new("k1", &[1; 32]).unwrap();
        let other = ChainKey::new("k1", &[2; 32]).unwrap();
        for link in [Link::Plain, Link::Keyed(&key)] {
            let hash = link.hash(2, &[9; HASH_LEN], b"{}");
            assert!(link.verifies(2, &[9; HASH_LEN], b"{}", &hash));
            assert_ne!(hash, link.hash(3, &[9; HASH_LEN], b"{}"));
            assert_ne!(hash, link.hash(2, &[8; HASH_LEN], b"{}"));
            assert_ne!(hash, link.hash(2, &[9; HASH_LEN], b"{ }"));
            assert!(!link.verifies(2, &[9; HASH_LEN], b"{ }", &hash));
        }
        assert_ne!(
            Link::Plain.hash(1, &GENESIS, b"{}"),
            Link::Keyed(&key).hash(1, &GENESIS, b"{}")
        );
        assert_ne!(
            Link::Keyed(&other).hash(1, &GENESIS, b"{}"),
            Link::Keyed(&key).hash(1, &GENESIS, b"{}")
        );
    }

    #[test]
    fn plain_link_is_sha256_of_the_documented_message() {
        let mut message = b"privacy audit ledger v1\0".to_vec();
        message.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 1]);
        message.extend_from_slice(&GENESIS);
        message.extend_from_slice(b"{}");
        let expected: Hash = Sha256::digest(&message).into();
        assert_eq!(Link::Plain.hash(1, &GENESIS, b"{}"), expected);
    }

    #[test]
    fn key_ids_and_secrets_are_checked() {
        for id in ["", "has space", "é", &"k".repeat(33)] {
            assert!(matches!(
                ChainKey::new(id, &[0; 16]),
                Err(LedgerError::InvalidKey(_))
            ));
        }
        assert!(matches!(
            ChainKey::new("k", &[0; 15]),
            Err(LedgerError::InvalidKey(_))
        ));
        let key = ChainKey::new("k-1_2.3", &[0; 16]).unwrap();
        assert_eq!(format!("{key:?}"), r#"ChainKey { id: "k-1_2.3", .. }"#);
    }

    #[test]
    fn anchor_displays_seq_and_hex() {
        let anchor = Anchor {
            seq: 12,
            hash: [0xab; HASH_LEN],
        };
        assert_eq!(anchor.to_string(), format!("12:{}", "ab".repeat(32)));
    }
}
