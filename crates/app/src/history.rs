//! The encrypted history's lock, the same for the window and the CLI: the keychain's key by
//! default, a passphrase where no lasting keychain exists (an explicit opt-in), and switching
//! between the two. Keychain and store calls block (D-Bus, SQLCipher's key derivation): call
//! these off an async runtime.

use crate::error::{AppError, AppResult};
use anamnesis_secrets::Secrets;
use anamnesis_settings::{HistoryKeyMode, SettingsStore};
use anamnesis_store::{DbKey, Store};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
#[ts(export)]
pub enum HistoryStatus {
    Open {
        mode: HistoryKeyMode,
    },
    /// Passphrase mode: the passphrase is needed to open it.
    Locked,
    /// No keychain keeps the key across reboots; the user may choose a passphrase.
    NoKeychain {
        reason: String,
    },
    /// The keychain is there but locked (a login keyring not unlocked at auto-login, or its
    /// unlock prompt dismissed). Unlocking it and asking again opens the history; with no history
    /// yet, a passphrase can be chosen instead.
    KeychainLocked {
        detail: String,
        history_exists: bool,
    },
    /// The user chose to continue without saving: consultations live in memory until the app
    /// closes or the user goes back to unlock the history; the file on disk is not touched.
    Unsaved,
}

/// A history put aside (`History::set_aside`): where its file is now, and how the new one is.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct SetAside {
    /// The old history, still encrypted: renamed back to `anamnesis.db` (with the app closed),
    /// it opens again with its passphrase or key.
    pub file: String,
    pub status: HistoryStatus,
}

/// The OS keychain, opened on first use (it may talk to D-Bus); a failure is retried next time.
#[derive(Default)]
pub struct Keychain(Mutex<Option<Arc<Secrets>>>);

impl Keychain {
    pub fn get(&self) -> AppResult<Arc<Secrets>> {
        let mut slot = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(s) = slot.as_ref() {
            return Ok(s.clone());
        }
        let s = Arc::new(Secrets::open(anamnesis_settings::APP_ID)?);
        *slot = Some(s.clone());
        Ok(s)
    }
}

/// The consultation history (`<data>/anamnesis.db` by default), opened on first use; one per
/// process, since opening marks answers left streaming by a crash as interrupted.
pub struct History {
    file: PathBuf,
    store: Mutex<Option<Store>>,
}

impl Default for History {
    fn default() -> Self {
        Self::new(anamnesis_settings::data_dir().join("anamnesis.db"))
    }
}

impl History {
    pub fn new(file: PathBuf) -> Self {
        Self { file, store: Mutex::default() }
    }

    pub fn file(&self) -> &Path {
        &self.file
    }

    /// Whether a history was ever made on this computer (so a passphrase cannot replace the
    /// keychain's key without losing it).
    pub fn exists(&self) -> bool {
        self.file.exists()
    }

    /// The open history. In keychain mode it opens on first use with the keychain's key; in
    /// passphrase mode it stays locked until `open` gets the passphrase.
    pub fn store(&self, settings: &SettingsStore, keychain: &Keychain) -> AppResult<Store> {
        if let Some(s) = self.store.lock().unwrap_or_else(PoisonError::into_inner).as_ref() {
            return Ok(s.clone());
        }
        if settings.load()?.settings.history_key == HistoryKeyMode::Passphrase {
            return Err(AppError::HistoryLocked);
        }
        self.open(&keychain_db_key(keychain)?)
    }

    /// Opens (or creates, or encrypts a plaintext) history with `key`; a wrong key changes nothing.
    /// Opened, it ends an unsaved session.
    pub fn open(&self, key: &DbKey) -> AppResult<Store> {
        let mut slot = self.store.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(s) = slot.as_ref().filter(|s| !s.is_in_memory()) {
            return Ok(s.clone());
        }
        let s = Store::open(&self.file, key)?;
        *slot = Some(s.clone());
        Ok(s)
    }

    /// Opens the history if it can, and says how it is (the window's lock screen reads this).
    pub fn status(&self, settings: &SettingsStore, keychain: &Keychain) -> AppResult<HistoryStatus> {
        match self.store(settings, keychain) {
            Ok(s) if s.is_in_memory() => Ok(HistoryStatus::Unsaved),
            Ok(_) => Ok(HistoryStatus::Open { mode: settings.load()?.settings.history_key }),
            Err(AppError::HistoryLocked) => Ok(HistoryStatus::Locked),
            Err(AppError::NoKeychain(reason)) => Ok(HistoryStatus::NoKeychain { reason }),
            Err(AppError::KeychainLocked(detail)) => {
                Ok(HistoryStatus::KeychainLocked { detail, history_exists: self.exists() })
            }
            Err(e) => Err(e),
        }
    }

    /// Opens a passphrase-protected history, or, with no lasting keychain (or a locked one and no
    /// history yet), opts in to protecting it with this passphrase (a new or plaintext history is
    /// encrypted with it).
    pub fn unlock(
        &self,
        settings: &SettingsStore,
        keychain: &Keychain,
        passphrase: String,
    ) -> AppResult<HistoryStatus> {
        self.open(&DbKey::passphrase(passphrase)?)?;
        settings.update(|s| s.history_key = HistoryKeyMode::Passphrase)?;
        self.status(settings, keychain)
    }

    /// A history that cannot be opened (a forgotten passphrase, a keychain that lost its key) is
    /// renamed aside, encrypted and untouched, with its WAL files, and a new one starts: with the
    /// keychain's key where there is one, else the lock screen asks for a passphrase as on a
    /// first run. Settings are kept. Refused while the history is open.
    pub fn set_aside(&self, settings: &SettingsStore, keychain: &Keychain) -> AppResult<SetAside> {
        if self.store.lock().unwrap_or_else(PoisonError::into_inner).is_some() {
            return Err(AppError::HistoryOpen);
        }
        let stamp: String = anamnesis_store::timestamp_now().chars().filter(char::is_ascii_alphanumeric).collect();
        let aside = self.file.with_file_name(format!("anamnesis-set-aside-{stamp}.db"));
        let with = |p: &Path, suffix: &str| PathBuf::from(format!("{}{suffix}", p.display()));
        // The WAL files first: a database renamed without them would lose what they hold.
        for suffix in ["-wal", "-shm", ""] {
            let from = with(&self.file, suffix);
            if from.exists() {
                std::fs::rename(&from, with(&aside, suffix)).map_err(|source| AppError::Io { path: from, source })?;
            }
        }
        settings.update(|s| s.history_key = HistoryKeyMode::Keychain)?;
        Ok(SetAside { file: aside.display().to_string(), status: self.status(settings, keychain)? })
    }

    /// Continues without saving: a history in memory only, for a history that cannot be opened
    /// now (a locked keychain, a forgotten passphrase). Refused while the history on disk is open.
    pub fn continue_unsaved(&self) -> AppResult<HistoryStatus> {
        let mut slot = self.store.lock().unwrap_or_else(PoisonError::into_inner);
        match slot.as_ref() {
            Some(s) if !s.is_in_memory() => return Err(AppError::HistoryOpen),
            Some(_) => {}
            None => *slot = Some(Store::in_memory()?),
        }
        Ok(HistoryStatus::Unsaved)
    }

    /// Ends the unsaved session (its consultations are gone) and tries the history on disk again.
    pub fn leave_unsaved(&self, settings: &SettingsStore, keychain: &Keychain) -> AppResult<HistoryStatus> {
        {
            let mut slot = self.store.lock().unwrap_or_else(PoisonError::into_inner);
            if slot.as_ref().is_some_and(Store::is_in_memory) {
                *slot = None;
            }
        }
        self.status(settings, keychain)
    }

    /// Re-encrypts the open history: with a passphrase (`Some`), or back to the keychain's key.
    pub fn set_passphrase(
        &self,
        settings: &SettingsStore,
        keychain: &Keychain,
        passphrase: Option<String>,
    ) -> AppResult<HistoryStatus> {
        let store = self.store(settings, keychain)?;
        if store.is_in_memory() {
            return Err(AppError::HistoryUnsaved);
        }
        let (key, mode) = match passphrase {
            Some(p) => (DbKey::passphrase(p)?, HistoryKeyMode::Passphrase),
            None => (keychain_db_key(keychain)?, HistoryKeyMode::Keychain),
        };
        store.rekey(&key)?;
        settings.update(|s| s.history_key = mode)?;
        self.status(settings, keychain)
    }
}

/// The history's key from a keychain that keeps it across reboots (made on first use). A kernel
/// keyring forgets at reboot, which would lose the history: that needs a passphrase.
fn keychain_db_key(keychain: &Keychain) -> AppResult<DbKey> {
    let secrets = keychain.get().map_err(|e| AppError::NoKeychain(e.to_string()))?;
    if !secrets.persists_across_reboots() {
        return Err(AppError::NoKeychain(format!("the {} forgets its contents at reboot", secrets.backend())));
    }
    let key = secrets.database_key().map_err(|e| match e {
        e if e.is_locked() => AppError::KeychainLocked(e.to_string()),
        e => e.into(),
    })?;
    Ok(DbKey::Raw(*key))
}
