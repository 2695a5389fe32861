//! Shared by the integration tests.
#![allow(dead_code)]

use anamnesis_store::{Consultation, NewConsultation, Store};
use tempfile::TempDir;

/// A store in a fresh folder; keep the `TempDir` alive as long as the store.
pub fn temp_store() -> (TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("anamnesis.db")).unwrap();
    (dir, store)
}

pub fn consultation(store: &Store, title: &str) -> Consultation {
    store
        .create_consultation(NewConsultation {
            title: title.into(),
            ..Default::default()
        })
        .unwrap()
}
