//! What the shell keeps for the app's lifetime.

use crate::error::AppResult;
use anamnesis_app::downloads::Downloads;
use anamnesis_app::history::{History, Keychain};
use anamnesis_engine::ModelHost;
use anamnesis_hub::Catalog;
use anamnesis_secrets::Secrets;
use anamnesis_settings::SettingsStore;
use anamnesis_store::Store;
use std::sync::Arc;

pub struct AppState {
    pub settings: SettingsStore,
    pub host: Arc<ModelHost>,
    /// The local OpenAI-compatible API, while it runs.
    pub api: tokio::sync::Mutex<Option<anamnesis_openai::RunningServer>>,
    pub catalog: Catalog,
    /// The model downloads running now.
    pub downloads: Downloads,
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
            downloads: Downloads::default(),
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
}
