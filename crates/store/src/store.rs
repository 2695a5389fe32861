//! The `Store` handle: opening the file, the connection settings, and the shared helpers the
//! other modules use to read and write.

use std::fmt;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, Once};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};

use crate::migrate::{migrate, user_version, SCHEMA_VERSION};
use crate::{encrypt, key, timestamp_now, DbKey, StoreError};

/// How long a statement waits for another process's lock before failing with STORE_BUSY.
pub(crate) const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Every unencrypted SQLite file starts with these 16 bytes.
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// SQLite's smallest page; every database file, encrypted or not, is whole pages.
const MIN_PAGE_SIZE: u64 = 512;

/// The consultation history. Cloning is cheap (it shares one connection), and it is
/// `Send + Sync`: statements from different threads take turns on the connection.
///
/// Open one `Store` per file per process: opening marks answers still "streaming" as
/// interrupted, which would cut off another live `Store`'s answer.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

struct Inner {
    conn: Mutex<Connection>,
    path: PathBuf,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store").field("path", &self.inner.path).finish()
    }
}

impl Store {
    /// Opens (or creates) the history at `path`, normally `<data dir>/anamnesis.db`, encrypted
    /// with `key`, and migrates it to the current schema. An unencrypted history (what earlier
    /// versions wrote) is first encrypted in place (see `encrypt.rs`).
    ///
    /// Fails with WRONG_KEY when `key` does not open the file, STORE_CORRUPT when it is not an
    /// Anamnesis history, STORE_TOO_NEW when a newer version wrote it; none of these modify it.
    pub fn open(path: impl AsRef<Path>, key: &DbKey) -> Result<Store, StoreError> {
        let path = path.as_ref();
        sqlcipher_initialized();
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent)?;
        }
        match file_kind(path)? {
            FileKind::NewOrEmpty | FileKind::Encrypted => {}
            FileKind::Plaintext => encrypt::encrypt_in_place(path, key)?,
            FileKind::NotSqlite => return Err(StoreError::corrupt(path, "it is not a SQLite database")),
        }
        // No URI flag: a path is always a file name, never "file:…?mode=…" options.
        let mut conn = Connection::open_with_flags(path, open_flags()).map_err(|e| StoreError::from(e).at(path))?;
        key::apply(&conn, key, path)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;

        // Everything up to here only read the file; check it before the first write.
        check_ours(&conn, path)?;
        configure(&conn).map_err(|e| e.at(path))?;
        migrate(&mut conn).map_err(|e| e.at(path))?;
        // A process that died mid-answer left its message "streaming"; nothing will finish it.
        conn.execute(
            "UPDATE messages SET status = 'interrupted', updated_at = ?1 WHERE status = 'streaming'",
            [timestamp_now()],
        )
        .map_err(|e| StoreError::from(e).at(path))?;

        Ok(Store { inner: Arc::new(Inner { conn: Mutex::new(conn), path: path.to_path_buf() }) })
    }

    /// A history in memory only, never written to disk: "continue without saving" when the
    /// history on disk cannot be opened. Gone when the store is dropped.
    pub fn in_memory() -> Result<Store, StoreError> {
        sqlcipher_initialized();
        let mut conn = Connection::open_in_memory()?;
        conn.pragma_update(None, "foreign_keys", true)?;
        migrate(&mut conn)?;
        Ok(Store { inner: Arc::new(Inner { conn: Mutex::new(conn), path: PathBuf::from(IN_MEMORY) }) })
    }

    /// Whether this history lives in memory only (`in_memory`).
    pub fn is_in_memory(&self) -> bool {
        self.inner.path == Path::new(IN_MEMORY)
    }

    /// Re-encrypts the whole file with `new` (e.g. from the keychain key to a passphrase), then
    /// empties the write-ahead log so no page under the old key remains. The next `open` needs
    /// `new`.
    pub fn rekey(&self, new: &DbKey) -> Result<(), StoreError> {
        self.read(|conn| {
            conn.execute_batch(&new.pragma("rekey"))?;
            checkpoint(conn)
        })
    }

    /// The file this store reads and writes.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// Runs SQLite's full `PRAGMA integrity_check`; STORE_CORRUPT with its findings if it fails.
    pub fn check_integrity(&self) -> Result<(), StoreError> {
        let problems: Vec<String> = self.read(|conn| {
            let mut stmt = conn.prepare("PRAGMA integrity_check")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            Ok(rows.collect::<Result<_, _>>()?)
        })?;
        if problems == ["ok"] {
            Ok(())
        } else {
            Err(StoreError::corrupt(self.path(), problems.join("; ")))
        }
    }

    /// Runs `f` on the connection (statements outside an explicit transaction).
    pub(crate) fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T, StoreError>) -> Result<T, StoreError> {
        // A panic while holding the lock cannot leave a transaction open (`Transaction` rolls
        // back on drop), so a poisoned lock still guards a usable connection.
        let conn = self.inner.conn.lock().unwrap_or_else(|e| e.into_inner());
        f(&conn).map_err(|e| e.at(self.path()))
    }

    /// Runs `f` in an IMMEDIATE transaction (the write lock is taken up front, so a read
    /// followed by a write cannot fail halfway on another process's lock) and commits it.
    pub(crate) fn write<T>(&self, f: impl FnOnce(&Transaction) -> Result<T, StoreError>) -> Result<T, StoreError> {
        let mut conn = self.inner.conn.lock().unwrap_or_else(|e| e.into_inner());
        let run = |conn: &mut Connection| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let value = f(&tx)?;
            tx.commit()?;
            Ok(value)
        };
        run(&mut conn).map_err(|e: StoreError| e.at(self.path()))
    }

    /// Runs `delete` in a transaction, then rewrites the file so the deleted text is gone from
    /// disk: the full-text indexes are merged (their old segments still hold the words), the
    /// WAL is emptied into the file, VACUUM rebuilds the file without the freed pages (VACUUM
    /// itself goes through the WAL), and the WAL is emptied again.
    pub(crate) fn delete_and_wipe(
        &self,
        delete: impl FnOnce(&Transaction) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        self.write(|tx| {
            delete(tx)?;
            tx.execute_batch(
                "INSERT INTO messages_fts (messages_fts) VALUES ('optimize');
                 INSERT INTO consultations_fts (consultations_fts) VALUES ('optimize');",
            )?;
            Ok(())
        })?;
        self.read(|conn| {
            checkpoint(conn)?;
            conn.execute_batch("VACUUM")?;
            checkpoint(conn)
        })
    }
}

/// Finishes SQLCipher's one-time set-up before any thread keys a connection. SQLite marks itself
/// initialized and releases its init lock *before* it runs SQLCipher's init hook
/// (`SQLITE_EXTRA_INIT`), so a second thread opening its first connection meanwhile found
/// The path an in-memory history reports (SQLite's own name for one).
const IN_MEMORY: &str = ":memory:";

/// SQLCipher not ready and `PRAGMA key` failed ("An error occurred with PRAGMA key or rekey"):
/// the first history opened by two threads at once could fail. `Once` makes the others wait.
fn sqlcipher_initialized() {
    static INIT: Once = Once::new();
    // Opening any connection runs sqlite3_initialize and the hook to the end; an error here
    // shows again, with its path, at the real open.
    INIT.call_once(|| drop(Connection::open_in_memory()));
}

pub(crate) fn open_flags() -> OpenFlags {
    OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX
}

/// What is at `path`, judged from its size and first bytes before SQLite opens it.
#[derive(Debug, PartialEq, Eq)]
enum FileKind {
    /// Nothing yet, or the empty file SQLite itself leaves before the first write.
    NewOrEmpty,
    /// An unencrypted SQLite file: an earlier version's history (or another program's).
    Plaintext,
    /// Random-looking whole pages: what SQLCipher writes (its first 16 bytes are a salt).
    Encrypted,
    /// Neither: opening it would succeed, and a later write could clobber it.
    NotSqlite,
}

fn file_kind(path: &Path) -> Result<FileKind, StoreError> {
    let mut file = match fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(FileKind::NewOrEmpty),
        Err(e) => return Err(e.into()),
    };
    let len = file.metadata()?.len();
    let mut header = Vec::with_capacity(16);
    file.by_ref().take(16).read_to_end(&mut header)?;
    Ok(if header.is_empty() {
        FileKind::NewOrEmpty
    } else if header == SQLITE_MAGIC {
        FileKind::Plaintext
    } else if len % MIN_PAGE_SIZE == 0 {
        FileKind::Encrypted
    } else {
        FileKind::NotSqlite
    })
}

/// Refuses a file newer than this build, or a version-0 file with tables in it (made by
/// another program).
pub(crate) fn check_ours(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    let found = user_version(conn).map_err(|e| e.at(path))?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::TooNew { found, supported: SCHEMA_VERSION });
    }
    if found == 0 && has_foreign_objects(conn).map_err(|e| e.at(path))? {
        return Err(StoreError::corrupt(path, "it is a SQLite database of another program"));
    }
    Ok(())
}

/// A version-0 file with tables in it was made by something else.
fn has_foreign_objects(conn: &Connection) -> Result<bool, StoreError> {
    let n: i64 =
        conn.query_row("SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'", [], |r| {
            r.get(0)
        })?;
    Ok(n > 0)
}

fn configure(conn: &Connection) -> Result<(), StoreError> {
    // WAL: readers never block the writer, and a killed process loses nothing committed.
    let mode: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::Io {
            detail: format!("the file system does not support write-ahead logging (journal mode stayed {mode})"),
        });
    }
    // NORMAL is crash-safe in WAL mode for a process crash; a power loss can lose only the
    // last commits, never corrupt the file.
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", true)?;
    // Freed pages are zeroed, so edited or deleted text does not linger in the file.
    conn.pragma_update(None, "secure_delete", true)?;
    Ok(())
}

/// Copies the whole WAL into the database file and truncates the WAL to zero bytes.
pub(crate) fn checkpoint(conn: &Connection) -> Result<(), StoreError> {
    let busy: i64 = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
    if busy != 0 {
        return Err(StoreError::Busy {
            detail: "another process is reading the history, so deleted text could not yet be wiped from the write-ahead log".into(),
        });
    }
    Ok(())
}
