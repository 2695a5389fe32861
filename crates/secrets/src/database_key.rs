//! The key that encrypts the consultation history: made once, at random, and kept in the
//! keychain as hex.

use zeroize::Zeroizing;

use crate::error::SecretsError;
use crate::key::SecretKey;
use crate::secret::Secret;
use crate::Secrets;

/// The database key's length: a 256-bit SQLCipher raw key.
pub const DATABASE_KEY_BYTES: usize = 32;

const KEY: SecretKey = SecretKey::DatabaseKey;

impl Secrets {
    /// The saved database key, or a new random one, saved before it is returned (and read back,
    /// so a keychain that did not keep it fails here, not after the history was encrypted).
    ///
    /// A saved value that is not a key is an error, never replaced: replacing it would lock
    /// the history away for good.
    pub fn database_key(&self) -> Result<Zeroizing<[u8; DATABASE_KEY_BYTES]>, SecretsError> {
        if let Some(saved) = self.get(KEY)? {
            return decode(&saved);
        }
        let mut fresh = Zeroizing::new([0u8; DATABASE_KEY_BYTES]);
        getrandom::fill(fresh.as_mut_slice())
            .map_err(|e| SecretsError::NoRandomness { key: KEY, detail: e.to_string() })?;
        self.set(KEY, &encode(&fresh))?;
        match self.get(KEY)? {
            // Another process may have saved its own key meanwhile: the saved one wins.
            Some(saved) => decode(&saved),
            None => Err(SecretsError::Keychain {
                action: "keep",
                key: KEY,
                detail: "it was saved but cannot be read back".into(),
            }),
        }
    }
}

/// Lowercase hex, in a buffer zeroed on drop.
pub(crate) fn encode(key: &[u8; DATABASE_KEY_BYTES]) -> Zeroizing<String> {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut text = Zeroizing::new(String::with_capacity(2 * DATABASE_KEY_BYTES));
    for b in key {
        text.push(char::from(HEX[usize::from(b >> 4)]));
        text.push(char::from(HEX[usize::from(b & 0xf)]));
    }
    text
}

fn decode(saved: &Secret) -> Result<Zeroizing<[u8; DATABASE_KEY_BYTES]>, SecretsError> {
    let malformed = || {
        SecretsError::Keychain {
        action: "read",
        key: KEY,
        detail: format!(
            "the saved value is not a {}-digit hex key (was it edited?); the history cannot be opened without the original key",
            2 * DATABASE_KEY_BYTES
        ),
    }
    };
    let text = saved.expose().as_bytes();
    if text.len() != 2 * DATABASE_KEY_BYTES {
        return Err(malformed());
    }
    let mut key = Zeroizing::new([0u8; DATABASE_KEY_BYTES]);
    for (byte, pair) in key.iter_mut().zip(text.chunks_exact(2)) {
        let (Some(hi), Some(lo)) = (nibble(pair[0]), nibble(pair[1])) else {
            return Err(malformed());
        };
        *byte = (hi << 4) | lo;
    }
    Ok(key)
}

fn nibble(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}
