//! The key that encrypts the history (SQLCipher), and applying it to a connection.

use std::fmt;
use std::path::Path;

use rusqlite::{Connection, ErrorCode};
use zeroize::{Zeroize, Zeroizing};

use crate::StoreError;

/// How the history file is encrypted. Debug never prints the key; the bytes are zeroed on drop.
pub enum DbKey {
    /// A random 256-bit key (kept in the OS keychain), used as is: no key derivation.
    Raw([u8; 32]),
    /// A passphrase the user types; SQLCipher derives the key from it (PBKDF2-HMAC-SHA512).
    Passphrase(Passphrase),
}

/// A non-empty passphrase. Build it with [`DbKey::passphrase`].
pub struct Passphrase(String);

impl DbKey {
    /// A passphrase key. Refused when empty (SQLCipher would then not encrypt at all) or when
    /// it contains a NUL character (SQL text cannot hold one).
    pub fn passphrase(passphrase: impl Into<String>) -> Result<DbKey, StoreError> {
        let passphrase = Passphrase(passphrase.into());
        if passphrase.0.is_empty() {
            return Err(StoreError::invalid("the passphrase is empty"));
        }
        if passphrase.0.contains('\0') {
            return Err(StoreError::invalid("the passphrase contains a NUL character"));
        }
        Ok(DbKey::Passphrase(passphrase))
    }

    /// The key as SQLCipher reads it: `x'<64 hex>'` marks a raw key, anything else is a
    /// passphrase. For binding as a parameter (`ATTACH … KEY ?`).
    pub(crate) fn value(&self) -> Zeroizing<String> {
        match self {
            DbKey::Raw(bytes) => {
                let mut text = Zeroizing::new(String::with_capacity(67));
                text.push_str("x'");
                for b in bytes {
                    text.push(HEX[usize::from(b >> 4)]);
                    text.push(HEX[usize::from(b & 0xf)]);
                }
                text.push('\'');
                text
            }
            DbKey::Passphrase(Passphrase(text)) => Zeroizing::new(text.clone()),
        }
    }

    /// `PRAGMA <name> = <key>;` with the key quoted as SQLCipher documents it: `"x'…'"` for a
    /// raw key, a single-quoted string for a passphrase. Built in one buffer of the final size,
    /// so no copy of the key is left behind unzeroed.
    pub(crate) fn pragma(&self, name: &str) -> Zeroizing<String> {
        let value = self.value();
        let mut sql = Zeroizing::new(String::with_capacity(name.len() + 2 * value.len() + 16));
        sql.push_str("PRAGMA ");
        sql.push_str(name);
        sql.push_str(" = ");
        match self {
            DbKey::Raw(_) => {
                sql.push('"');
                sql.push_str(&value);
                sql.push('"');
            }
            DbKey::Passphrase(_) => {
                sql.push('\'');
                for c in value.chars() {
                    if c == '\'' {
                        sql.push('\'');
                    }
                    sql.push(c);
                }
                sql.push('\'');
            }
        }
        sql.push(';');
        sql
    }
}

const HEX: [char; 16] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'];

impl fmt::Debug for DbKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DbKey::Raw(_) => f.write_str("DbKey::Raw(<redacted>)"),
            DbKey::Passphrase(_) => f.write_str("DbKey::Passphrase(<redacted>)"),
        }
    }
}

impl fmt::Debug for Passphrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl Drop for DbKey {
    fn drop(&mut self) {
        if let DbKey::Raw(bytes) = self {
            bytes.zeroize();
        }
    }
}

impl Drop for Passphrase {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

/// Keys `conn`; must be its first statement. Then reads the schema, which is the first time
/// SQLCipher decrypts a page: a wrong key fails there with WRONG_KEY, before anything is written.
pub(crate) fn apply(conn: &Connection, key: &DbKey, path: &Path) -> Result<(), StoreError> {
    conn.execute_batch(&key.pragma("key"))?;
    // A plain SQLite would ignore `PRAGMA key` and write the history unencrypted.
    let cipher: Option<String> = conn.query_row("PRAGMA cipher_version", [], |r| r.get(0)).ok();
    if cipher.is_none() {
        return Err(StoreError::Sqlite("this build's SQLite has no encryption (SQLCipher is missing)".into()));
    }
    match conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get::<_, i64>(0)) {
        Ok(_) => Ok(()),
        Err(e) if e.sqlite_error_code() == Some(ErrorCode::NotADatabase) => {
            Err(StoreError::WrongKey { path: path.display().to_string() })
        }
        Err(e) => Err(StoreError::from(e).at(path)),
    }
}
