//! The remote engine's settings and key: answers come from a vLLM/SGLang server instead of a
//! local model. The key is kept in the keychain and sent only to that server.

use crate::error::{blocking, AppResult};
use crate::models::secret_status;
use crate::state::AppState;
use anamnesis_secrets::{SecretKey, SecretStatus};
use anamnesis_settings::{RemoteSettings, Settings};
use tauri::{AppHandle, Manager, State};

/// Saves the server's address (checked: https, or http only on loopback and private networks).
#[tauri::command]
pub fn set_remote_engine(remote: RemoteSettings, state: State<'_, AppState>) -> AppResult<Settings> {
    let remote = RemoteSettings {
        base_url: remote.base_url.trim().to_string(),
        model: remote.model.trim().to_string(),
        ..remote
    };
    if remote.enabled || !remote.base_url.is_empty() {
        anamnesis_openai::Endpoint::parse(&remote.base_url)?;
    }
    Ok(state.settings.update(|s| s.remote = remote)?)
}

#[tauri::command]
pub async fn remote_key_status(app: AppHandle) -> AppResult<SecretStatus> {
    blocking(move || Ok(secret_status(&app.state::<AppState>(), SecretKey::RemoteApiKey))).await
}

#[tauri::command]
pub async fn set_remote_api_key(key: String, app: AppHandle) -> AppResult<SecretStatus> {
    blocking(move || {
        let st = app.state::<AppState>();
        st.secrets()?.set(SecretKey::RemoteApiKey, key.trim())?;
        Ok(secret_status(&st, SecretKey::RemoteApiKey))
    })
    .await
}

#[tauri::command]
pub async fn clear_remote_api_key(app: AppHandle) -> AppResult<SecretStatus> {
    blocking(move || {
        let st = app.state::<AppState>();
        st.secrets()?.delete(SecretKey::RemoteApiKey)?;
        Ok(secret_status(&st, SecretKey::RemoteApiKey))
    })
    .await
}
