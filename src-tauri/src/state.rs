//! What the shell keeps for the app's lifetime.

use crate::error::{AppError, AppResult};
use anamnesis_app::history::{History, Keychain};
use anamnesis_engine::{DraftOptions, LoadOptions, ModelHost, RemoteOptions};
use anamnesis_hub::{Catalog, DownloadControl, HubClient, HubConfig, Token};
use anamnesis_secrets::{SecretKey, Secrets};
use anamnesis_settings::{Settings, SettingsStore};
use anamnesis_store::Store;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

pub struct AppState {
    pub settings: SettingsStore,
    pub host: Arc<ModelHost>,
    /// The local OpenAI-compatible API, while it runs.
    pub api: tokio::sync::Mutex<Option<anamnesis_openai::RunningServer>>,
    pub catalog: Catalog,
    /// Running downloads by variant id.
    pub downloads: Mutex<HashMap<String, DownloadControl>>,
    pub keychain: Keychain,
    /// The consultation history and its lock.
    pub history: History,
}

impl AppState {
    pub fn new(settings: SettingsStore) -> Self {
        Self {
            settings,
            host: Arc::default(),
            api: tokio::sync::Mutex::default(),
            catalog: Catalog::load(),
            downloads: Mutex::default(),
            keychain: Keychain::default(),
            history: History::default(),
        }
    }

    /// The open history (`HISTORY_LOCKED` and friends until it can open; see `anamnesis_app::history`).
    pub fn store(&self) -> AppResult<Store> {
        Ok(self.history.store(&self.settings, &self.keychain)?)
    }

    /// The OS keychain. Blocking: call from `error::blocking`.
    pub fn secrets(&self) -> AppResult<Arc<Secrets>> {
        Ok(self.keychain.get()?)
    }

    /// The hub client for the user's endpoints, with the token from the keychain if one is saved
    /// (a keychain that cannot be read just means no token: public models still download).
    pub fn hub_client(&self, settings: &Settings) -> AppResult<HubClient> {
        let hub = &settings.hub;
        let mut cfg = HubConfig::with_endpoints(hub.endpoint.as_deref(), &hub.mirrors, hub.modelscope)?;
        cfg.token =
            self.secrets().ok().and_then(|s| s.get(SecretKey::HfToken).ok().flatten()).map(|t| Token::new(t.expose()));
        Ok(HubClient::new(cfg)?)
    }

    pub fn begin_download(&self, variant: &str) -> AppResult<DownloadControl> {
        let mut running = self.downloads.lock().unwrap_or_else(PoisonError::into_inner);
        if running.contains_key(variant) {
            return Err(AppError::DownloadRunning(variant.to_string()));
        }
        let control = DownloadControl::new();
        running.insert(variant.to_string(), control.clone());
        Ok(control)
    }

    pub fn end_download(&self, variant: &str) {
        self.downloads.lock().unwrap_or_else(PoisonError::into_inner).remove(variant);
    }

    pub fn download_control(&self, variant: &str) -> AppResult<DownloadControl> {
        let running = self.downloads.lock().unwrap_or_else(PoisonError::into_inner);
        running.get(variant).cloned().ok_or_else(|| AppError::NoDownload(variant.to_string()))
    }

    /// Load options from the settings: the catalog template (written out for mistral.rs, which
    /// reads templates from files), the draft model and the planner's context.
    pub fn load_options(&self, settings: &Settings, path: PathBuf) -> AppResult<LoadOptions> {
        let mut opts = LoadOptions { path, ..LoadOptions::default() };
        if let Some(name) =
            settings.variant.as_deref().and_then(|v| self.catalog.get(v).ok()).and_then(|v| v.template.clone())
        {
            if let Some(text) = Catalog::template_text(&name) {
                let file = anamnesis_settings::data_dir().join(&name);
                if std::fs::read_to_string(&file).ok().as_deref() != Some(text) {
                    std::fs::create_dir_all(file.parent().unwrap_or(&file))
                        .map_err(|e| AppError::Task(e.to_string()))?;
                    std::fs::write(&file, text).map_err(|e| AppError::Task(format!("{}: {e}", file.display())))?;
                }
                opts.chat_template = Some(file);
            }
        }
        // The engine chooses γ per step and switches a draft that does not pay off; a draft it
        // found never pays beside this model here is not loaded at all.
        let model = opts.path.display().to_string();
        opts.draft = settings
            .draft_path
            .as_ref()
            .filter(|d| !settings.draft_never_pays(&model, d))
            .map(|p| DraftOptions::adaptive(p.into()));
        opts.max_context = settings.max_context;
        opts.gpu_layers = settings.gpu_layers;
        opts.paged_attention = true;
        Ok(opts)
    }

    /// Load options for the remote server in the settings, with its key from the keychain.
    pub fn remote_options(&self, settings: &Settings) -> AppResult<LoadOptions> {
        let r = &settings.remote;
        let api_key = self.secrets()?.get(SecretKey::RemoteApiKey)?.map(|k| anamnesis_openai::ApiKey::new(k.expose()));
        let model = Some(r.model.clone()).filter(|m| !m.is_empty());
        let remote = RemoteOptions { base_url: r.base_url.clone(), model, api_key };
        Ok(LoadOptions { remote: Some(remote), max_context: settings.max_context, ..LoadOptions::default() })
    }
}
