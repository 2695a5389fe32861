//! Model commands: the onboarding overview, downloads (progress over a typed Channel), verify,
//! delete, choosing a downloaded model, the models folder, hub endpoints and the HF token.
//! One-line adapters to the hub, hardware and secrets crates.

use crate::error::{blocking, AppError, AppResult};
use crate::state::AppState;
use anamnesis_hub::{DownloadEvent, DownloadReport, ModelsOverview, VerifyReport};
use anamnesis_secrets::{SecretKey, SecretStatus};
use anamnesis_settings::{HubSettings, Settings};
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, State};

fn state(app: &AppHandle) -> tauri::State<'_, AppState> {
    app.state::<AppState>()
}

#[tauri::command]
pub async fn get_overview(app: AppHandle) -> AppResult<ModelsOverview> {
    blocking(move || {
        let st = state(&app);
        let dir = st.settings.load()?.settings.models_dir();
        Ok(anamnesis_hub::overview(anamnesis_hardware::detect(), &st.catalog, &dir))
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
    let v = st.catalog.get(&variant)?.clone();
    let settings = st.settings.load()?.settings;
    let app2 = app.clone();
    let s2 = settings.clone();
    let client = blocking(move || state(&app2).hub_client(&s2)).await?;
    let control = st.begin_download(&variant)?;
    let dir = settings.models_dir().join(&v.id);
    let result = anamnesis_hub::download(&client, &v, &dir, &control, &|ev| {
        let _ = on_event.send(ev);
    })
    .await;
    st.end_download(&variant);
    Ok(result?)
}

#[tauri::command]
pub fn pause_download(variant: String, state: State<'_, AppState>) -> AppResult<()> {
    state.download_control(&variant)?.pause();
    Ok(())
}

#[tauri::command]
pub fn cancel_download(variant: String, state: State<'_, AppState>) -> AppResult<()> {
    state.download_control(&variant)?.cancel();
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
    let st = state(&app);
    if st.download_control(&variant).is_ok() {
        return Err(AppError::DownloadRunning(variant));
    }
    let settings = st.settings.load()?.settings;
    let dir = settings.models_dir();
    blocking(move || {
        anamnesis_hub::delete_model(&dir, &variant)?;
        let st = state(&app);
        // Forget a deleted model so the next start does not try to load it.
        let gone =
            |p: &Option<String>| p.as_deref().is_some_and(|p| std::path::Path::new(p).starts_with(dir.join(&variant)));
        st.settings.update(|s| {
            if gone(&s.model_path) {
                (s.model_path, s.variant, s.max_context, s.gpu_layers) = (None, None, None, None);
            }
            if gone(&s.draft_path) {
                s.draft_path = None;
            }
        })?;
        Ok(anamnesis_hub::overview(anamnesis_hardware::detect(), &st.catalog, &dir))
    })
    .await
}

/// Chooses a downloaded variant: its path, its draft if that is downloaded too, and the context
/// the planner gives it on this machine.
#[tauri::command]
pub async fn use_model(variant: String, app: AppHandle) -> AppResult<Settings> {
    blocking(move || {
        let st = state(&app);
        let v = st.catalog.get(&variant)?.clone();
        let dir = st.settings.load()?.settings.models_dir();
        let path = anamnesis_hub::model_path(&dir, &v)?;
        let draft = v
            .draft
            .as_deref()
            .and_then(|d| st.catalog.get(d).ok())
            .and_then(|d| anamnesis_hub::model_path(&dir, d).ok());
        let plan = anamnesis_hub::plan_for(&anamnesis_hardware::detect(), &st.catalog);
        let planned = plan.variant.as_deref() == Some(v.id.as_str());
        Ok(st.settings.update(|s| {
            s.model_path = Some(path.display().to_string());
            s.variant = Some(v.id.clone());
            s.draft_path = draft.filter(|_| !planned || plan.draft).map(|d| d.display().to_string());
            s.max_context = planned.then_some(plan.context).filter(|c| *c > 0);
            s.gpu_layers = plan.gpu_layers.filter(|_| planned);
        })?)
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
