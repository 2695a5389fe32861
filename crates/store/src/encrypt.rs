//! Encrypting an unencrypted history (what versions before SQLCipher wrote) in place.
//!
//! The encrypted copy is written beside the file (`<name>.encrypting`), checked, flushed to
//! disk, and only then renamed over the original, which is atomic: until that rename the
//! unencrypted file is the history and is never written to (beyond a checkpoint, which folds
//! its write-ahead log into it without changing its content). A crash or error at any earlier
//! point leaves it whole, and the next open starts over.

use std::ffi::OsString;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rusqlite::{params, Connection, OpenFlags};

use crate::migrate::user_version;
use crate::store::{check_ours, checkpoint, open_flags, BUSY_TIMEOUT};
use crate::{key, DbKey, StoreError};

/// Encrypts the unencrypted SQLite file at `path` with `key`. A file that is not an Anamnesis
/// history, or is newer than this build, is refused as `Store::open` would, untouched.
pub(crate) fn encrypt_in_place(path: &Path, key: &DbKey) -> Result<(), StoreError> {
    let encrypted = sibling(path, ".encrypting");
    write_encrypted_copy(path, &encrypted, key).map_err(|e| {
        let _ = remove_if_present(&encrypted);
        let _ = remove_if_present(&sibling(&encrypted, "-journal"));
        match e {
            // These already say the file was left untouched.
            StoreError::Corrupt { .. } | StoreError::TooNew { .. } | StoreError::EncryptionFailed { .. } => e,
            other => failed("opening the unencrypted file", other),
        }
    })?;
    // The point of no return: the encrypted copy becomes the history.
    fs::rename(&encrypted, path).map_err(|e| failed("replacing the file with its encrypted copy", e))?;
    sync_dir(path)?;
    // The checkpoint emptied the WAL; the index (-shm) described the unencrypted file.
    remove_if_present(&sibling(path, "-wal"))?;
    remove_if_present(&sibling(path, "-shm"))?;
    Ok(())
}

/// Everything before the rename. Errors that mean "not ours" pass through as they are;
/// anything else becomes ENCRYPTION_FAILED, which says the original was kept.
fn write_encrypted_copy(path: &Path, encrypted: &Path, key: &DbKey) -> Result<(), StoreError> {
    // Left by an earlier attempt that died: only ever a partial copy.
    remove_if_present(encrypted).map_err(|e| failed("removing an earlier partial copy", e))?;
    remove_if_present(&sibling(encrypted, "-journal")).map_err(|e| failed("removing an earlier partial copy", e))?;

    // CREATE because ATTACH opens the copy with this connection's flags, and must create it.
    let plain = Connection::open_with_flags(path, open_flags()).map_err(|e| StoreError::from(e).at(path))?;
    plain.busy_timeout(BUSY_TIMEOUT)?;
    check_ours(&plain, path)?;
    let version = user_version(&plain).map_err(|e| e.at(path))?;

    let sql = |stage: &'static str| move |e: rusqlite::Error| failed(stage, e);
    // Fails (BUSY) if another process is reading it: its later writes would be lost.
    checkpoint(&plain).map_err(|e| failed("folding the write-ahead log into the file", e))?;
    let target =
        encrypted.to_str().ok_or_else(|| failed("naming the encrypted copy", "the path is not valid UTF-8"))?;
    plain
        .execute("ATTACH DATABASE ?1 AS encrypted KEY ?2", params![target, key.value().as_str()])
        .map_err(sql("creating the encrypted copy"))?;
    plain
        .query_row("SELECT sqlcipher_export('encrypted')", [], |_| Ok(()))
        .map_err(sql("copying the history into the encrypted copy"))?;
    plain.pragma_update(Some("encrypted"), "user_version", version).map_err(sql("copying the schema version"))?;
    plain.execute_batch("DETACH DATABASE encrypted").map_err(sql("closing the encrypted copy"))?;
    plain.close().map_err(|(_, e)| failed("closing the unencrypted file", e))?;

    verify(encrypted, key, version)?;
    // The copy gets the original's permissions (e.g. owner-only), not the umask's.
    let permissions = fs::metadata(path).map_err(|e| failed("reading the file's permissions", e))?.permissions();
    fs::set_permissions(encrypted, permissions).map_err(|e| failed("setting the encrypted copy's permissions", e))?;
    // Opened for writing: Windows flushes only a handle with write access.
    fs::OpenOptions::new()
        .write(true)
        .open(encrypted)
        .and_then(|f| f.sync_all())
        .map_err(|e| failed("writing the encrypted copy to disk", e))?;
    // Another process that wrote since the checkpoint would leave frames here; they would be
    // lost by the rename.
    let wal = sibling(path, "-wal");
    if fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
        return Err(failed(
            "checking the write-ahead log",
            "another process is writing to the history; close other Anamnesis windows",
        ));
    }
    injected_failure(path)?;
    Ok(())
}

/// Opens the copy with the key and checks it before it replaces the original.
fn verify(encrypted: &Path, key: &DbKey, version: i64) -> Result<(), StoreError> {
    let conn =
        Connection::open_with_flags(encrypted, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
            .map_err(|e| failed("reopening the encrypted copy", e))?;
    key::apply(&conn, key, encrypted).map_err(|e| failed("reopening the encrypted copy", e))?;
    let check: String =
        conn.query_row("PRAGMA quick_check", [], |r| r.get(0)).map_err(|e| failed("checking the encrypted copy", e))?;
    let copied = user_version(&conn).map_err(|e| failed("checking the encrypted copy", e))?;
    if check != "ok" || copied != version {
        return Err(failed(
            "checking the encrypted copy",
            format!("quick_check: {check}; schema version {copied}, expected {version}"),
        ));
    }
    Ok(())
}

fn failed(stage: &str, err: impl std::fmt::Display) -> StoreError {
    StoreError::EncryptionFailed { detail: format!("{stage}: {err}") }
}

/// `path` with `suffix` appended to its file name (`anamnesis.db` → `anamnesis.db-wal`).
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = OsString::from(path.as_os_str());
    name.push(suffix);
    PathBuf::from(name)
}

fn remove_if_present(path: &Path) -> io::Result<()> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Makes the rename durable: on Unix a rename is only on disk once its folder is synced.
fn sync_dir(path: &Path) -> Result<(), StoreError> {
    #[cfg(unix)]
    {
        let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        fs::File::open(dir).and_then(|d| d.sync_all())?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Paths whose next encryption fails just before the rename, for tests of that failure.
static FAIL_BEFORE_RENAME: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn injected_failure(path: &Path) -> Result<(), StoreError> {
    let mut paths = FAIL_BEFORE_RENAME.lock().unwrap_or_else(|e| e.into_inner());
    match paths.iter().position(|p| p == path) {
        Some(i) => {
            paths.remove(i);
            Err(failed("injected by a test", "failure before the rename"))
        }
        None => Ok(()),
    }
}

/// For tests: the next encryption of `path` fails after the encrypted copy is complete, just
/// before it would replace the original.
#[doc(hidden)]
pub fn fail_next_encryption_before_rename(path: &Path) {
    FAIL_BEFORE_RENAME.lock().unwrap_or_else(|e| e.into_inner()).push(path.to_path_buf());
}
