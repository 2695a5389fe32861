//! A forgotten passphrase is no dead end: the history that cannot be opened is set aside,
//! encrypted and untouched (WAL files too), a new one starts, and the settings stay.

use anamnesis_app::history::{History, HistoryStatus, Keychain};
use anamnesis_settings::{HistoryKeyMode, SettingsStore};

#[test]
fn a_history_whose_passphrase_is_forgotten_is_set_aside_and_a_new_one_starts() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("anamnesis.db");
    let settings = SettingsStore::new(dir.path().join("settings.json"));
    settings.update(|s| (s.history_key, s.country) = (HistoryKeyMode::Passphrase, Some("DE".into()))).unwrap();
    let keychain = Keychain::default();

    // Made with a passphrase in an earlier run, with a consultation in it.
    let first = History::new(file.clone());
    first.unlock(&settings, &keychain, "a long passphrase".into()).unwrap();
    let store = first.store(&settings, &keychain).unwrap();
    store.create_consultation(anamnesis_store::NewConsultation::default()).unwrap();
    // Open, it is never set aside.
    assert_eq!(first.set_aside(&settings, &keychain).unwrap_err().code(), anamnesis_wire::ErrorCode::Busy);
    drop((store, first));
    let old = std::fs::read(&file).unwrap();

    // The next run: locked, and the passphrase is forgotten.
    let history = History::new(file.clone());
    assert_eq!(history.status(&settings, &keychain).unwrap(), HistoryStatus::Locked);
    let aside = history.set_aside(&settings, &keychain).unwrap();
    let moved = std::path::PathBuf::from(&aside.file);
    assert!(moved.starts_with(dir.path()) && moved != file, "{}", aside.file);
    assert_eq!(std::fs::read(&moved).unwrap(), old, "the old history is kept as it was");
    assert!(!std::fs::read_dir(dir.path()).unwrap().any(|e| {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        name == "anamnesis.db-wal" || name == "anamnesis.db-shm"
    }));
    // A new start: the keychain's key where this machine keeps one, else the passphrase set-up.
    assert!(
        matches!(
            aside.status,
            HistoryStatus::Open { .. }
                | HistoryStatus::NoKeychain { .. }
                | HistoryStatus::KeychainLocked { history_exists: false, .. }
        ),
        "{:?}",
        aside.status
    );
    let s = settings.load().unwrap().settings;
    assert_eq!((s.history_key, s.country.as_deref()), (HistoryKeyMode::Keychain, Some("DE")));

    // The old history still opens with its passphrase, once renamed back.
    let back = dir.path().join("restored.db");
    for suffix in ["-wal", "-shm", ""] {
        let from = format!("{}{suffix}", moved.display());
        if std::path::Path::new(&from).exists() {
            std::fs::rename(&from, format!("{}{suffix}", back.display())).unwrap();
        }
    }
    let restored = History::new(back);
    let store = restored.open(&anamnesis_store::DbKey::passphrase(String::from("a long passphrase")).unwrap()).unwrap();
    assert_eq!(store.list_consultations().unwrap().len(), 1);
}

/// A locked history is no wall: the user continues without saving (in memory, the file left as
/// it was), and goes back to unlock it later, which ends the unsaved session.
#[test]
fn continuing_without_saving_leaves_the_file_alone_and_ends_when_left() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("anamnesis.db");
    let settings = SettingsStore::new(dir.path().join("settings.json"));
    settings.update(|s| s.history_key = HistoryKeyMode::Passphrase).unwrap();
    let keychain = Keychain::default();
    let first = History::new(file.clone());
    first.unlock(&settings, &keychain, "a long passphrase".into()).unwrap();
    drop(first);
    let on_disk = std::fs::read(&file).unwrap();

    let history = History::new(file.clone());
    assert_eq!(history.status(&settings, &keychain).unwrap(), HistoryStatus::Locked);
    assert_eq!(history.continue_unsaved().unwrap(), HistoryStatus::Unsaved);
    let store = history.store(&settings, &keychain).unwrap();
    assert!(store.is_in_memory());
    let c = store.create_consultation(anamnesis_store::NewConsultation::default()).unwrap();
    store.append_user_message(c.id, "A cough since Monday").unwrap();
    assert_eq!(history.status(&settings, &keychain).unwrap(), HistoryStatus::Unsaved);
    assert_eq!(
        history.set_passphrase(&settings, &keychain, Some("another one".into())).unwrap_err().code(),
        anamnesis_wire::ErrorCode::HistoryUnsaved
    );
    assert_eq!(std::fs::read(&file).unwrap(), on_disk, "nothing reached the file");
    assert!(!std::fs::read_dir(dir.path()).unwrap().any(|e| e.unwrap().file_name().to_string_lossy().contains("-wal")));

    assert_eq!(history.leave_unsaved(&settings, &keychain).unwrap(), HistoryStatus::Locked);
    let reopened = History::new(file);
    reopened.unlock(&settings, &keychain, "a long passphrase".into()).unwrap();
    assert!(reopened.store(&settings, &keychain).unwrap().list_consultations().unwrap().is_empty());
    // Open on disk: no unsaved session over it.
    assert_eq!(reopened.continue_unsaved().unwrap_err().code(), anamnesis_wire::ErrorCode::Busy);
}
