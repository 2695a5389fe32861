//! The local OpenAI-compatible API, off by default: 127.0.0.1 only, a bearer key from the
//! keychain, and the window's own loaded model behind it (one copy of the weights).

use crate::error::{blocking, AppResult};
use crate::state::AppState;
use anamnesis_app::api::AppBackend;
use anamnesis_openai::{ApiKey, ServerConfig};
use anamnesis_secrets::SecretKey;
use serde::Serialize;
use tauri::{AppHandle, Manager};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct ApiServerStatus {
    pub enabled: bool,
    pub port: u16,
    /// e.g. http://127.0.0.1:8089/v1 while it runs.
    pub base_url: Option<String>,
}

/// The key clients must send, made and saved in the keychain on first use.
fn api_key(st: &AppState, fresh: bool) -> AppResult<ApiKey> {
    let secrets = st.secrets()?;
    if !fresh {
        if let Some(k) = secrets.get(SecretKey::LocalApiKey)? {
            return Ok(ApiKey::new(k.expose()));
        }
    }
    let key = ApiKey::generate();
    secrets.set(SecretKey::LocalApiKey, key.reveal())?;
    Ok(key)
}

async fn status(st: &AppState) -> AppResult<ApiServerStatus> {
    let cfg = st.settings.load()?.settings.api_server;
    let base_url = st.api.lock().await.as_ref().map(|s| s.base_url());
    Ok(ApiServerStatus { enabled: cfg.enabled, port: cfg.port, base_url })
}

/// Starts or stops the server as the settings say (also at app start).
pub async fn apply(app: &AppHandle, fresh_key: bool) -> AppResult<()> {
    let st = app.state::<AppState>();
    let cfg = st.settings.load()?.settings.api_server;
    let mut slot = st.api.lock().await;
    if let Some(old) = slot.take() {
        old.shutdown().await;
    }
    if !cfg.enabled {
        return Ok(());
    }
    let handle = app.clone();
    let key = blocking(move || api_key(&handle.state::<AppState>(), fresh_key)).await?;
    let backend = std::sync::Arc::new(AppBackend(st.host.clone()));
    *slot = Some(anamnesis_openai::server::start(ServerConfig::new(cfg.port, key), backend).await?);
    Ok(())
}

#[tauri::command]
pub async fn api_server_status(app: AppHandle) -> AppResult<ApiServerStatus> {
    status(&app.state::<AppState>()).await
}

/// Turns the server on (at `port`) or off; the choice is saved for the next start.
#[tauri::command]
pub async fn set_api_server(enabled: bool, port: u16, app: AppHandle) -> AppResult<ApiServerStatus> {
    let st = app.state::<AppState>();
    let previous = st.settings.load()?.settings.api_server;
    st.settings.update(|s| s.api_server = anamnesis_settings::ApiServerSettings { enabled, port })?;
    if let Err(e) = apply(&app, false).await {
        // A port in use (or no keychain) leaves the server off, not half-on.
        st.settings.update(|s| s.api_server = anamnesis_settings::ApiServerSettings { enabled: false, ..previous })?;
        return Err(e);
    }
    status(&st).await
}

/// The key, for the user to copy into a client. Never logged.
#[tauri::command]
pub async fn reveal_api_key(app: AppHandle) -> AppResult<String> {
    blocking(move || Ok(api_key(&app.state::<AppState>(), false)?.reveal().to_string())).await
}

/// A new key; clients holding the old one get 401 from now on.
#[tauri::command]
pub async fn regenerate_api_key(app: AppHandle) -> AppResult<ApiServerStatus> {
    let handle = app.clone();
    blocking(move || api_key(&handle.state::<AppState>(), true).map(|_| ())).await?;
    apply(&app, false).await?;
    status(&app.state::<AppState>()).await
}
