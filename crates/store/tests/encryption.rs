//! The history is encrypted at rest (SQLCipher): text never reaches the disk in the clear, a
//! wrong key is refused without touching the file, an unencrypted history from an earlier
//! version is encrypted in place without losing anything, and the key can be changed.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use anamnesis_store::{DbKey, MessageStatus, NewConsultation, Store, StoreError};
use common::decrypt::decrypted_bytes;
use common::{consultation, key, keyed, KEY_BYTES};
use rusqlite::Connection;

/// Unlikely to occur by chance in a database file.
const MARKER: &str = "QvCipherMarker4471Zk";
const MARKER_ZH: &str = "加密标记胸闷气短";

fn contains(bytes: &[u8], needle: &str) -> bool {
    bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Neither marker is in the raw bytes of the file or its WAL.
fn assert_not_on_disk(db: &Path, when: &str) {
    for path in [db.to_path_buf(), sibling(db, "-wal")] {
        let bytes = fs::read(&path).unwrap_or_default();
        for needle in [MARKER, MARKER_ZH] {
            assert!(!contains(&bytes, needle), "{needle} is readable in {} {when}", path.display());
        }
    }
}

fn assert_encrypted_header(db: &Path) {
    let bytes = fs::read(db).unwrap();
    assert!(!bytes.starts_with(b"SQLite format 3"), "the file still has SQLite's plaintext header");
}

#[test]
fn text_is_encrypted_on_disk_and_readable_with_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("anamnesis.db");
    let store = Store::open(&db, &key()).unwrap();
    let c = store
        .create_consultation(NewConsultation {
            title: format!("Dyspnoea {MARKER}"),
            chief_complaint: MARKER_ZH.into(),
            ..Default::default()
        })
        .unwrap();
    store.append_user_message(c.id, &format!("{MARKER} {MARKER_ZH}")).unwrap();
    let id = store.begin_assistant(c.id).unwrap();
    let mut w = store.stream_writer(id).unwrap();
    w.push_reasoning(MARKER).unwrap();
    w.push_content(&format!("answer {MARKER_ZH}")).unwrap();
    w.flush().unwrap();
    assert!(
        fs::metadata(sibling(&db, "-wal")).unwrap().len() > 0,
        "the writes must be in the WAL for this test to look at it"
    );
    // The same pages decrypted hold the text: the check below is not vacuous.
    assert!(contains(&decrypted_bytes(&db, &KEY_BYTES), MARKER));
    assert_not_on_disk(&db, "while the store is open");
    w.finish(MessageStatus::Complete, None).unwrap();
    drop(store);

    assert_not_on_disk(&db, "after closing");
    assert_encrypted_header(&db);

    let store = Store::open(&db, &key()).unwrap();
    let messages = store.messages(c.id).unwrap();
    assert_eq!(messages[0].content, format!("{MARKER} {MARKER_ZH}"));
    assert_eq!(messages[1].reasoning, MARKER);
    assert_eq!(store.search(MARKER, 10).unwrap().len(), 2);
    store.check_integrity().unwrap();
}

/// Opens `db` with `wrong`, expects WRONG_KEY, and checks no file changed.
fn refused_with(db: &Path, wrong: &DbKey) {
    let files = [db.to_path_buf(), sibling(db, "-wal"), sibling(db, "-shm")];
    let before: Vec<Option<Vec<u8>>> = files.iter().map(|p| fs::read(p).ok()).collect();
    let err = Store::open(db, wrong).unwrap_err();
    assert_eq!(err.code(), "WRONG_KEY", "{err}");
    assert!(matches!(err, StoreError::WrongKey { .. }));
    assert!(err.to_string().contains("could not be opened with this key"), "{err}");
    let after: Vec<Option<Vec<u8>>> = files.iter().map(|p| fs::read(p).ok()).collect();
    assert!(before == after, "opening with a wrong key modified the files");
}

#[test]
fn a_wrong_key_is_refused_and_the_file_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("anamnesis.db");
    let store = Store::open(&db, &key()).unwrap();
    store.append_user_message(consultation(&store, "t").id, MARKER).unwrap();
    drop(store);

    refused_with(&db, &DbKey::Raw([7; 32]));
    refused_with(&db, &DbKey::passphrase("correct horse battery staple").unwrap());
    let store = Store::open(&db, &key()).unwrap();
    assert_eq!(store.search(MARKER, 10).unwrap().len(), 1);
    drop(store);

    // A passphrase history: the wrong passphrase and a raw key are both refused.
    let db = dir.path().join("passphrase.db");
    let right = DbKey::passphrase("it's \"quoted\" 密码").unwrap();
    drop(Store::open(&db, &right).unwrap());
    refused_with(&db, &DbKey::passphrase("it's \"quoted\" 密").unwrap());
    refused_with(&db, &key());
    Store::open(&db, &right).unwrap();
}

#[test]
fn keys_never_show_in_debug_and_empty_passphrases_are_refused() {
    let raw = format!("{:?}", DbKey::Raw([0xab; 32]));
    let pass = format!("{:?}", DbKey::passphrase("hunter2-secret").unwrap());
    for text in [&raw, &pass] {
        assert!(text.contains("<redacted>"), "{text}");
        assert!(!text.contains("ab") && !text.contains("171") && !text.contains("hunter2"), "{text}");
    }
    assert_eq!(DbKey::passphrase("").unwrap_err().code(), "INVALID_INPUT");
    assert_eq!(DbKey::passphrase("a\0b").unwrap_err().code(), "INVALID_INPUT");
}

/// An unencrypted history as the version before SQLCipher left it: every migration, a
/// consultation, messages found by search, and (like a killed process) its last writes still
/// in the WAL while the returned connection is open.
fn plaintext_history(db: &Path) -> Connection {
    let conn = Connection::open(db).unwrap();
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    conn.execute_batch(include_str!("../migrations/001_initial.sql")).unwrap();
    conn.execute_batch(include_str!("../migrations/002_message_annotations.sql")).unwrap();
    conn.execute_batch(include_str!("../migrations/003_search.sql")).unwrap();
    conn.pragma_update(None, "user_version", 3).unwrap();
    conn.execute_batch(&format!(
        "INSERT INTO consultations (id, title, chief_complaint, patient_json, lang, created_at, updated_at)
         VALUES (7, 'Chest pain {MARKER}', '{MARKER_ZH}', '{{\"age\":54}}', 'zh',
                 '2026-01-01T08:00:00.000Z', '2026-01-01T08:05:00.000Z');
         INSERT INTO messages (consultation_id, seq, role, content, status, created_at, updated_at)
         VALUES (7, 1, 'user', 'question {MARKER_ZH}', 'complete',
                 '2026-01-01T08:01:00.000Z', '2026-01-01T08:01:00.000Z'),
                (7, 2, 'assistant', 'answer {MARKER}', 'complete',
                 '2026-01-01T08:02:00.000Z', '2026-01-01T08:02:00.000Z');"
    ))
    .unwrap();
    let hits: i64 = conn
        .query_row("SELECT count(*) FROM messages_fts WHERE messages_fts MATCH ?1", [format!("\"{MARKER}\"")], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(hits, 1, "the old file's own index finds the text");
    conn
}

#[test]
fn a_plaintext_history_is_encrypted_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("anamnesis.db");
    let conn = plaintext_history(&db);
    conn.execute_batch(
        "INSERT INTO patient_profiles (name, patient_json, created_at, updated_at)
         VALUES ('Dad', '{}', '2026-01-01T07:00:00.000Z', '2026-01-01T07:00:00.000Z')",
    )
    .unwrap();
    // Never closed, as if the old version was killed: the rows are only in the WAL.
    std::mem::forget(conn);
    assert!(contains(&fs::read(sibling(&db, "-wal")).unwrap(), MARKER));
    assert!(fs::read(&db).unwrap().starts_with(b"SQLite format 3\0"));

    let store = Store::open(&db, &key()).unwrap();
    assert_encrypted_header(&db);
    assert_not_on_disk(&db, "after encrypting");
    assert!(!sibling(&db, ".encrypting").exists());

    let c = store.consultation(7).unwrap();
    assert_eq!(c.title, format!("Chest pain {MARKER}"));
    assert_eq!(c.chief_complaint, MARKER_ZH);
    let messages = store.messages(7).unwrap();
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[1].content, format!("answer {MARKER}"));
    assert_eq!(store.profiles().unwrap().len(), 1);
    let hits = store.search(MARKER, 10).unwrap();
    assert_eq!(hits.len(), 2, "title and message: {hits:?}");
    assert_eq!(store.search(MARKER_ZH, 10).unwrap().len(), 2);
    store.check_integrity().unwrap();
    // New text goes through the copied index and triggers.
    store.append_user_message(7, "follow-up Zebrafinch").unwrap();
    assert_eq!(store.search("Zebrafinch", 10).unwrap().len(), 1);
    drop(store);

    let conn = keyed(&db);
    conn.execute_batch(
        "INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check');
         INSERT INTO consultations_fts (consultations_fts) VALUES ('integrity-check');",
    )
    .unwrap();
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
    assert_eq!(version, anamnesis_store::SCHEMA_VERSION);
    drop(conn);
    assert_not_on_disk(&db, "after reopening");
}

/// Opens the plaintext history at `db` with plain SQLite and reads its message.
fn plaintext_still_readable(db: &Path) {
    let conn = Connection::open(db).unwrap();
    let content: String = conn.query_row("SELECT content FROM messages WHERE seq = 2", [], |r| r.get(0)).unwrap();
    assert_eq!(content, format!("answer {MARKER}"));
}

#[test]
fn a_failed_encryption_leaves_the_plaintext_history_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("anamnesis.db");
    drop(plaintext_history(&db));
    let before = fs::read(&db).unwrap();
    assert!(!sibling(&db, "-wal").exists(), "closing folded the WAL in");

    // Fails after the encrypted copy is complete, just before it would replace the file.
    anamnesis_store::fail_next_encryption_before_rename(&db);
    let err = Store::open(&db, &key()).unwrap_err();
    assert_eq!(err.code(), "STORE_ENCRYPTION_FAILED", "{err}");
    assert!(err.to_string().contains("nothing is lost"), "{err}");
    assert_eq!(fs::read(&db).unwrap(), before, "the plaintext file changed");
    assert!(!sibling(&db, ".encrypting").exists(), "the partial copy was left behind");
    plaintext_still_readable(&db);

    // Fails at the start: the copy's name is taken by a folder that cannot be removed.
    let blocker = sibling(&db, ".encrypting");
    fs::create_dir(&blocker).unwrap();
    fs::write(blocker.join("keep"), b"x").unwrap();
    let err = Store::open(&db, &key()).unwrap_err();
    assert_eq!(err.code(), "STORE_ENCRYPTION_FAILED", "{err}");
    assert_eq!(fs::read(&db).unwrap(), before, "the plaintext file changed");
    plaintext_still_readable(&db);

    // Once the obstacle is gone, opening again encrypts it.
    fs::remove_dir_all(&blocker).unwrap();
    let store = Store::open(&db, &key()).unwrap();
    assert_eq!(store.messages(7).unwrap()[1].content, format!("answer {MARKER}"));
    assert_encrypted_header(&db);
}

#[test]
fn a_plaintext_file_of_another_program_is_refused_not_encrypted() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("other.db");
    Connection::open(&db)
        .unwrap()
        .execute_batch("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('hi');")
        .unwrap();
    let before = fs::read(&db).unwrap();
    assert_eq!(Store::open(&db, &key()).unwrap_err().code(), "STORE_CORRUPT");
    assert_eq!(fs::read(&db).unwrap(), before);
    assert!(!sibling(&db, ".encrypting").exists());
}

#[test]
fn rekey_switches_between_raw_key_and_passphrase() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("anamnesis.db");
    let passphrase = || DbKey::passphrase("it's a \"long\" passphrase 长密码").unwrap();

    let store = Store::open(&db, &key()).unwrap();
    let c = consultation(&store, "rekey");
    store.append_user_message(c.id, MARKER).unwrap();
    store.rekey(&passphrase()).unwrap();
    store.append_user_message(c.id, MARKER_ZH).unwrap();
    drop(store);
    assert_not_on_disk(&db, "after rekeying to a passphrase");

    refused_with(&db, &key());
    let store = Store::open(&db, &passphrase()).unwrap();
    assert_eq!(store.messages(c.id).unwrap().len(), 2);
    store.rekey(&key()).unwrap();
    drop(store);

    refused_with(&db, &passphrase());
    let store = Store::open(&db, &key()).unwrap();
    let messages = store.messages(c.id).unwrap();
    assert_eq!((messages[0].content.as_str(), messages[1].content.as_str()), (MARKER, MARKER_ZH));
    store.check_integrity().unwrap();
    drop(store);
    assert_not_on_disk(&db, "after rekeying back");
    // The raw key is again the one SQLCipher's documented `x'…'` literal opens.
    let n: i64 = keyed(&db).query_row("SELECT count(*) FROM messages", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 2);
}
