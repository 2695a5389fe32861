//! The window's model downloads: one per variant at a time, each with its pause and cancel handle
//! (a download dropped half-way, the window closed, frees its variant), the hub client for the
//! user's endpoints with the keychain's token, and deleting a model that is not downloading.

use crate::error::{AppError, AppResult};
use crate::history::Keychain;
use anamnesis_hub::{Catalog, DownloadControl, DownloadEvent, DownloadReport, HubClient, HubConfig, Token};
use anamnesis_secrets::SecretKey;
use anamnesis_settings::{Settings, SettingsStore};
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Mutex, PoisonError};

/// Running downloads by variant id.
#[derive(Default)]
pub struct Downloads(Mutex<HashMap<String, DownloadControl>>);

/// Frees its variant when the download ends, however it ends.
struct Running<'a>(&'a Downloads, &'a str);

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.0.map().remove(self.1);
    }
}

impl Downloads {
    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<String, DownloadControl>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Downloads catalog variant `variant` into its folder under `models_dir` and verifies it;
    /// BUSY while it is already downloading.
    pub async fn run(
        &self,
        client: &HubClient,
        catalog: &Catalog,
        models_dir: &Path,
        variant: &str,
        on_event: &(dyn Fn(DownloadEvent) + Send + Sync),
    ) -> AppResult<DownloadReport> {
        let v = catalog.get(variant)?;
        let control = {
            let mut running = self.map();
            if running.contains_key(variant) {
                return Err(AppError::DownloadRunning(variant.to_string()));
            }
            let control = DownloadControl::new();
            running.insert(variant.to_string(), control.clone());
            control
        };
        let _running = Running(self, variant);
        Ok(anamnesis_hub::download(client, v, &models_dir.join(&v.id), &control, on_event).await?)
    }

    /// The pause/cancel handle of `variant`'s running download.
    pub fn control(&self, variant: &str) -> AppResult<DownloadControl> {
        self.map().get(variant).cloned().ok_or_else(|| AppError::NoDownload(variant.to_string()))
    }

    /// Deletes `variant`'s folder (refused while it downloads) and forgets it in the settings.
    /// Blocking.
    pub fn delete(&self, store: &SettingsStore, models_dir: &Path, variant: &str) -> AppResult<Settings> {
        // Held while the folder goes, so no download of it can start meanwhile.
        let running = self.map();
        if running.contains_key(variant) {
            return Err(AppError::DownloadRunning(variant.to_string()));
        }
        anamnesis_hub::delete_model(models_dir, variant)?;
        drop(running);
        crate::models::forget(store, models_dir, variant)
    }
}

/// The hub client for the user's endpoints, with the keychain's token if one is saved (a keychain
/// that cannot be read just means no token: public models still download). Blocking (D-Bus).
pub fn hub_client(settings: &Settings, keychain: &Keychain) -> AppResult<HubClient> {
    let hub = &settings.hub;
    let mut cfg = HubConfig::with_endpoints(hub.endpoint.as_deref(), &hub.mirrors, hub.modelscope)?;
    cfg.token =
        keychain.get().ok().and_then(|s| s.get(SecretKey::HfToken).ok().flatten()).map(|t| Token::new(t.expose()));
    Ok(HubClient::new(cfg)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use anamnesis_testkit::fake_hub::{pseudo_random_bytes, FakeHub};

    const VARIANT: &str = "tiny-qwen3-test";

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn one_download_per_variant_and_one_dropped_half_way_frees_it() {
        let hub = FakeHub::start();
        hub.add_file("test/tiny-qwen3", "config.json", br#"{"architectures":["Qwen3ForCausalLM"]}"#.to_vec(), false);
        hub.add_file("test/tiny-qwen3", "model.safetensors", pseudo_random_bytes(2 << 20, 3), true);
        let catalog = Catalog::from_dir(&anamnesis_testkit::fixtures::repo_root().join("tests/e2e/catalog")).unwrap();
        let client = HubClient::new(HubConfig::with_endpoints(Some(&hub.url()), &[], false).unwrap()).unwrap();
        let tmp = tempfile::tempdir().unwrap();
        let (models, settings) = (tmp.path().join("models"), SettingsStore::new(tmp.path().join("settings.json")));
        let downloads = Downloads::default();
        let quiet = |_: DownloadEvent| {};

        let mut first = Box::pin(downloads.run(&client, &catalog, &models, VARIANT, &quiet));
        assert!(futures::poll!(&mut first).is_pending(), "the first download is under way");
        let second = downloads.run(&client, &catalog, &models, VARIANT, &quiet).await.unwrap_err();
        assert_eq!(second.code(), anamnesis_wire::ErrorCode::Busy, "{second}");
        assert!(downloads.control(VARIANT).is_ok());
        let refused = downloads.delete(&settings, &models, VARIANT).unwrap_err();
        assert_eq!(refused.code(), anamnesis_wire::ErrorCode::Busy, "no deleting under a running download");

        // The window closed on it: the future is dropped, and the variant is free again.
        drop(first);
        assert!(matches!(downloads.control(VARIANT), Err(AppError::NoDownload(_))));
        let report = downloads.run(&client, &catalog, &models, VARIANT, &quiet).await.unwrap();
        assert_eq!(report.files, 2);
        downloads.delete(&settings, &models, VARIANT).unwrap();
        assert!(!models.join(VARIANT).exists());
    }
}
