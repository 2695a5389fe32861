//! Shared by the integration tests.
#![allow(dead_code)]

pub mod decrypt;

use std::path::Path;

use anamnesis_store::{Consultation, DbKey, NewConsultation, Store};
use rusqlite::Connection;
use tempfile::TempDir;

/// The raw key the tests encrypt with, and the same key as SQLCipher's hex literal.
pub const KEY_BYTES: [u8; 32] = *b"anamnesis-test-key-0123456789abc";
pub const KEY_HEX: &str = "616e616d6e657369732d746573742d6b65792d30313233343536373839616263";

pub fn key() -> DbKey {
    DbKey::Raw(KEY_BYTES)
}

/// A store in a fresh folder; keep the `TempDir` alive as long as the store.
pub fn temp_store() -> (TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("anamnesis.db"), &key()).unwrap();
    (dir, store)
}

/// A plain rusqlite connection to a history encrypted with `key()`, keyed the way SQLCipher
/// documents it (independently of the store's own code).
pub fn keyed(path: &Path) -> Connection {
    let conn = Connection::open(path).unwrap();
    conn.execute_batch(&format!("PRAGMA key = \"x'{KEY_HEX}'\";")).unwrap();
    conn
}

pub fn consultation(store: &Store, title: &str) -> Consultation {
    store.create_consultation(NewConsultation { title: title.into(), ..Default::default() }).unwrap()
}
