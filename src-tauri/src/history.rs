//! The encrypted history's lock (`anamnesis_app::history`) for the window.

use crate::error::{blocking, AppResult};
use crate::state::AppState;
use anamnesis_app::history::{HistoryStatus, SetAside};
use tauri::{AppHandle, Manager};

/// Opens the history if it can; the UI asks first thing and shows the lock screen if not.
#[tauri::command]
pub async fn history_status(app: AppHandle) -> AppResult<HistoryStatus> {
    blocking(move || {
        let st = app.state::<AppState>();
        Ok(st.history.status(&st.settings, &st.keychain)?)
    })
    .await
}

/// Opens a passphrase-protected history, or, with no lasting keychain (or a locked one and no
/// history yet), opts in to protecting it with this passphrase.
#[tauri::command]
pub async fn unlock_history(passphrase: String, app: AppHandle) -> AppResult<HistoryStatus> {
    blocking(move || {
        let st = app.state::<AppState>();
        Ok(st.history.unlock(&st.settings, &st.keychain, passphrase)?)
    })
    .await
}

/// Re-encrypts the open history: with a passphrase (`Some`), or back to the keychain's key.
#[tauri::command]
pub async fn set_history_passphrase(passphrase: Option<String>, app: AppHandle) -> AppResult<HistoryStatus> {
    blocking(move || {
        let st = app.state::<AppState>();
        Ok(st.history.set_passphrase(&st.settings, &st.keychain, passphrase)?)
    })
    .await
}

/// A forgotten passphrase: the old history is renamed aside, still encrypted, and a new one starts.
#[tauri::command]
pub async fn start_new_history(app: AppHandle) -> AppResult<SetAside> {
    blocking(move || {
        let st = app.state::<AppState>();
        Ok(st.history.set_aside(&st.settings, &st.keychain)?)
    })
    .await
}

/// Continues without saving: consultations stay in memory until the app closes or the user goes
/// back to unlock the history (which stays as it is on disk).
#[tauri::command]
pub fn continue_without_saving(app: AppHandle) -> AppResult<HistoryStatus> {
    Ok(app.state::<AppState>().history.continue_unsaved()?)
}

/// Ends the unsaved session (its consultations are gone) and tries the history on disk again.
#[tauri::command]
pub async fn leave_unsaved(app: AppHandle) -> AppResult<HistoryStatus> {
    blocking(move || {
        let st = app.state::<AppState>();
        Ok(st.history.leave_unsaved(&st.settings, &st.keychain)?)
    })
    .await
}
