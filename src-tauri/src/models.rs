//! Model commands: the onboarding overview, downloads (progress over a typed Channel), verify,
//! delete, choosing a downloaded model, the models folder, hub endpoints and the HF token.
//! Adapters over `anamnesis_app` (downloads, model set-up) and the hub, hardware and secrets crates.

use crate::error::{blocking, AppError, AppResult};
use crate::state::AppState;
use anamnesis_app::load_controls::LoadControls;
use anamnesis_hardware::{LoadChoice, LoadEstimate};
use anamnesis_hub::{DownloadEvent, DownloadReport, ModelsOverview, VerifyReport};
use anamnesis_secrets::{SecretKey, SecretStatus};
use anamnesis_settings::{HubSettings, Settings};
use anamnesis_wire::MemoryFallback;
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, State};

fn state(app: &AppHandle) -> tauri::State<'_, AppState> {
    app.state::<AppState>()
}

#[tauri::command]
pub async fn get_overview(app: AppHandle) -> AppResult<ModelsOverview> {
    blocking(move || {
        let st = state(&app);
        Ok(anamnesis_app::models::overview(&st.settings, &st.catalog)?)
    })
    .await
}

/// Saves the user's choice on a machine short of memory (a shorter context, trying anyway) and
/// returns the plan made with it.
#[tauri::command]
pub async fn set_memory_fallback(fallback: MemoryFallback, app: AppHandle) -> AppResult<ModelsOverview> {
    blocking(move || {
        let st = state(&app);
        Ok(anamnesis_app::models::set_memory_fallback(&st.settings, &st.catalog, fallback)?)
    })
    .await
}

#[tauri::command]
pub async fn start_download(
    variant: String,
    on_event: Channel<DownloadEvent>,
    app: AppHandle,
) -> AppResult<DownloadReport> {
    let st = state(&app);
    let settings = st.settings.load()?.settings;
    let (app2, s2) = (app.clone(), settings.clone());
    let client = blocking(move || Ok(anamnesis_app::downloads::hub_client(&s2, &state(&app2).keychain)?)).await?;
    let emit = |ev: DownloadEvent| {
        let _ = on_event.send(ev);
    };
    Ok(st.downloads.run(&client, &st.catalog, &settings.models_dir(), &variant, &emit).await?)
}

#[tauri::command]
pub fn pause_download(variant: String, state: State<'_, AppState>) -> AppResult<()> {
    state.downloads.control(&variant)?.pause();
    Ok(())
}

#[tauri::command]
pub fn cancel_download(variant: String, state: State<'_, AppState>) -> AppResult<()> {
    state.downloads.control(&variant)?.cancel();
    Ok(())
}

#[tauri::command]
pub async fn verify_model(variant: String, app: AppHandle) -> AppResult<VerifyReport> {
    blocking(move || {
        let st = state(&app);
        let dir = st.settings.load()?.settings.models_dir().join(&st.catalog.get(&variant)?.id);
        Ok(anamnesis_hub::verify(&dir, &|_| {})?)
    })
    .await
}

#[tauri::command]
pub async fn delete_model(variant: String, app: AppHandle) -> AppResult<ModelsOverview> {
    blocking(move || {
        let st = state(&app);
        let dir = st.settings.load()?.settings.models_dir();
        st.downloads.delete(&st.settings, &dir, &variant)?;
        Ok(anamnesis_app::models::overview(&st.settings, &st.catalog)?)
    })
    .await
}

/// Chooses a downloaded variant (see `anamnesis_app::models::choose`).
#[tauri::command]
pub async fn use_model(variant: String, app: AppHandle) -> AppResult<Settings> {
    blocking(move || {
        let st = state(&app);
        Ok(anamnesis_app::models::choose(&st.settings, &st.catalog, &anamnesis_hardware::detect(), &variant)?)
    })
    .await
}

/// The model picker's controls for the chosen model (see `anamnesis_app::load_controls`).
#[tauri::command]
pub async fn load_controls(app: AppHandle) -> AppResult<LoadControls> {
    blocking(move || {
        let st = state(&app);
        let loaded = st.host.status_info();
        Ok(anamnesis_app::load_controls::controls(
            &st.settings,
            &st.catalog,
            &anamnesis_hardware::detect(),
            loaded.as_ref(),
        )?)
    })
    .await
}

/// The memory a load choice would take (`null` for a model picked by hand).
#[tauri::command]
pub async fn estimate_load(choice: LoadChoice, app: AppHandle) -> AppResult<Option<LoadEstimate>> {
    blocking(move || {
        let st = state(&app);
        Ok(anamnesis_app::load_controls::estimate(&st.settings, &st.catalog, &anamnesis_hardware::detect(), &choice)?)
    })
    .await
}

/// Saves a load choice for the next load; the window reloads the model after it.
#[tauri::command]
pub async fn set_load_choice(choice: LoadChoice, app: AppHandle) -> AppResult<Settings> {
    blocking(move || {
        let st = state(&app);
        let (loaded, hw) = (st.host.status_info(), anamnesis_hardware::detect());
        Ok(anamnesis_app::load_controls::set_choice(&st.settings, &st.catalog, &hw, loaded.as_ref(), &choice)?)
    })
    .await
}

#[tauri::command]
pub fn set_models_dir(path: String, state: State<'_, AppState>) -> AppResult<Settings> {
    let dir = std::path::PathBuf::from(path.trim());
    std::fs::create_dir_all(&dir).map_err(|e| anamnesis_hub::HubError::Io { path: dir.clone(), source: e })?;
    Ok(state.settings.update(|s| s.models_dir = Some(dir.display().to_string()))?)
}

#[tauri::command]
pub fn set_hub_settings(hub: HubSettings, state: State<'_, AppState>) -> AppResult<Settings> {
    anamnesis_hub::HubConfig::with_endpoints(hub.endpoint.as_deref(), &hub.mirrors, hub.modelscope)?;
    Ok(state.settings.update(|s| s.hub = hub)?)
}

/// Whether `key` is saved, or why the keychain cannot tell.
pub fn secret_status(st: &AppState, key: SecretKey) -> SecretStatus {
    let secrets = st.secrets();
    match &secrets {
        Ok(s) => SecretStatus::of(Ok(s.as_ref()), key),
        Err(AppError::Secrets(e)) => SecretStatus::of(Err(e), key),
        Err(e) => SecretStatus { saved: false, keychain: None, problem: Some(e.to_string()) },
    }
}

fn status_of(st: &AppState) -> SecretStatus {
    secret_status(st, SecretKey::HfToken)
}

#[tauri::command]
pub async fn token_status(app: AppHandle) -> AppResult<SecretStatus> {
    blocking(move || Ok(status_of(&state(&app)))).await
}

#[tauri::command]
pub async fn set_hf_token(token: String, app: AppHandle) -> AppResult<SecretStatus> {
    blocking(move || {
        let st = state(&app);
        st.secrets()?.set(SecretKey::HfToken, token.trim())?;
        Ok(status_of(&st))
    })
    .await
}

#[tauri::command]
pub async fn clear_hf_token(app: AppHandle) -> AppResult<SecretStatus> {
    blocking(move || {
        let st = state(&app);
        st.secrets()?.delete(SecretKey::HfToken)?;
        Ok(status_of(&st))
    })
    .await
}
