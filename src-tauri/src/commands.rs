//! Tauri commands: one-line adapters from IPC to the domain crates.

use crate::error::{blocking, AppResult};
use crate::state::AppState;
use anamnesis_consult::{Lang, PatientContext};
use anamnesis_engine::{ModelInfo, ModelStatus, ThinkingMode};
use anamnesis_settings::Settings;
use tauri::{AppHandle, Manager, State};

#[tauri::command]
pub fn get_settings(state: State<'_, AppState>) -> AppResult<Settings> {
    Ok(state.settings.load()?.settings)
}

#[tauri::command]
pub fn set_model_path(path: String, state: State<'_, AppState>) -> AppResult<Settings> {
    Ok(anamnesis_app::models::choose_path(&state.settings, std::path::Path::new(path.trim()))?)
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

/// Whether the history list hides what each consultation is about (its title, complaint and
/// latest message).
#[tauri::command]
pub fn set_hide_previews(hide: bool, state: State<'_, AppState>) -> AppResult<Settings> {
    Ok(state.settings.update(|s| s.hide_previews = hide)?)
}

/// Whether answers and the model badge show speeds, token counts and the device.
#[tauri::command]
pub fn set_technical_details(show: bool, state: State<'_, AppState>) -> AppResult<Settings> {
    Ok(state.settings.update(|s| s.technical_details = show)?)
}

/// Loads what the settings choose (the remote server, or the chosen model with its catalog
/// template, draft and planned context); the keychain and the template file block.
#[tauri::command]
pub async fn load_model(app: AppHandle) -> AppResult<ModelInfo> {
    let state = app.state::<AppState>();
    let settings = state.settings.load()?.settings;
    let handle = app.clone();
    let opts = blocking(move || {
        let st = handle.state::<AppState>();
        Ok(anamnesis_app::models::load_options(&settings, &st.catalog, &st.keychain, &anamnesis_settings::data_dir())?)
    })
    .await?;
    Ok(state.host.load(opts).await?)
}

#[tauri::command]
pub fn model_status(state: State<'_, AppState>) -> ModelStatus {
    state.host.status()
}

#[tauri::command]
pub fn stop_generation(state: State<'_, AppState>) {
    state.host.stop()
}
