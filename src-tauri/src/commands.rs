//! Tauri commands: one-line adapters from IPC to the domain crates.

use crate::error::{blocking, AppError, AppResult};
use crate::state::AppState;
use anamnesis_consult::{Lang, PatientContext};
use anamnesis_engine::{ModelInfo, ModelSource, ModelStatus, ThinkingMode};
use anamnesis_settings::Settings;
use tauri::{AppHandle, Manager, State};

#[tauri::command]
pub fn get_settings(state: State<'_, AppState>) -> AppResult<Settings> {
    Ok(state.settings.load()?.settings)
}

#[tauri::command]
pub fn set_model_path(path: String, state: State<'_, AppState>) -> AppResult<Settings> {
    // Kept as the absolute path found now: a typed relative one would mean another file (or,
    // for mistral.rs, a hub repo) when the app starts in another folder.
    let path = ModelSource::detect(std::path::Path::new(path.trim()))?.path.display().to_string();
    // A hand-picked model is not a catalog variant: no catalog template, draft or planned context.
    Ok(state.settings.update(|s| {
        (s.model_path, s.variant, s.draft_path, s.max_context, s.gpu_layers) = (Some(path), None, None, None, None);
    })?)
}

#[tauri::command]
pub fn set_thinking(mode: ThinkingMode, state: State<'_, AppState>) -> AppResult<Settings> {
    Ok(state.settings.update(|s| s.thinking = mode)?)
}

/// The UI's language, and the one new consultations start in.
#[tauri::command]
pub fn set_language(language: Lang, state: State<'_, AppState>) -> AppResult<Settings> {
    Ok(state.settings.update(|s| s.language = language)?)
}

/// The country new consultations start with, for emergency numbers (`None`: none until the
/// patient panel names one). The patient context's rule for the code, so both agree ("uk" is GB).
#[tauri::command]
pub fn set_country(country: Option<String>, state: State<'_, AppState>) -> AppResult<Settings> {
    let country = PatientContext { jurisdiction: country, ..PatientContext::default() }.validated()?.jurisdiction;
    Ok(state.settings.update(|s| s.country = country)?)
}

#[tauri::command]
pub async fn load_model(app: AppHandle) -> AppResult<ModelInfo> {
    let state = app.state::<AppState>();
    let settings = state.settings.load()?.settings;
    if settings.remote.enabled {
        // The remote key comes from the keychain, which may block (D-Bus).
        let handle = app.clone();
        let opts = blocking(move || handle.state::<AppState>().remote_options(&settings)).await?;
        return Ok(state.host.load(opts).await?);
    }
    let path = settings.model_path.clone().ok_or(AppError::NoModelChosen)?;
    Ok(state.host.load(state.load_options(&settings, path.into())?).await?)
}

#[tauri::command]
pub fn model_status(state: State<'_, AppState>) -> ModelStatus {
    state.host.status()
}

#[tauri::command]
pub fn stop_generation(state: State<'_, AppState>) {
    state.host.stop()
}
