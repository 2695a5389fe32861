//! The encrypted history's lock: keychain key by default, a passphrase where no lasting
//! keychain exists (an explicit opt-in), and switching between the two.

use crate::error::{blocking, AppError, AppResult};
use crate::state::AppState;
use anamnesis_settings::HistoryKeyMode;
use anamnesis_store::DbKey;
use serde::Serialize;
use tauri::{AppHandle, Manager};
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
}

fn status(st: &AppState) -> AppResult<HistoryStatus> {
    match st.store() {
        Ok(_) => Ok(HistoryStatus::Open { mode: st.settings.load()?.settings.history_key }),
        Err(AppError::HistoryLocked) => Ok(HistoryStatus::Locked),
        Err(AppError::NoKeychain(reason)) => Ok(HistoryStatus::NoKeychain { reason }),
        Err(AppError::KeychainLocked(detail)) => {
            Ok(HistoryStatus::KeychainLocked { detail, history_exists: st.history_exists() })
        }
        Err(e) => Err(e),
    }
}

/// Opens the history if it can; the UI asks first thing and shows the lock screen if not.
#[tauri::command]
pub async fn history_status(app: AppHandle) -> AppResult<HistoryStatus> {
    blocking(move || status(&app.state::<AppState>())).await
}

/// Opens a passphrase-protected history, or, with no lasting keychain (or a locked one and no
/// history yet), opts in to protecting it with this passphrase (a new or plaintext history is
/// encrypted with it).
#[tauri::command]
pub async fn unlock_history(passphrase: String, app: AppHandle) -> AppResult<HistoryStatus> {
    blocking(move || {
        let st = app.state::<AppState>();
        let key = DbKey::passphrase(passphrase)?;
        st.open_store(&key)?;
        st.settings.update(|s| s.history_key = HistoryKeyMode::Passphrase)?;
        status(&st)
    })
    .await
}

/// Re-encrypts the open history: with a passphrase (`Some`), or back to the keychain's key.
#[tauri::command]
pub async fn set_history_passphrase(passphrase: Option<String>, app: AppHandle) -> AppResult<HistoryStatus> {
    blocking(move || {
        let st = app.state::<AppState>();
        let store = st.store()?;
        let (key, mode) = match passphrase {
            Some(p) => (DbKey::passphrase(p)?, HistoryKeyMode::Passphrase),
            None => (st.keychain_db_key()?, HistoryKeyMode::Keychain),
        };
        store.rekey(&key)?;
        st.settings.update(|s| s.history_key = mode)?;
        status(&st)
    })
    .await
}
