//! User settings in `<config>/settings.json`. Never holds secrets. Writes are atomic (temp file,
//! fsync, rename), so a crash mid-save leaves the old file intact; a corrupt file is moved aside,
//! not silently overwritten.

use anamnesis_consult::Lang;
use anamnesis_wire::ErrorCode;
use anamnesis_wire::{MemoryFallback, ThinkingMode};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct Settings {
    /// The model folder or .gguf file chosen by the user.
    pub model_path: Option<String>,
    pub thinking: ThinkingMode,
    /// The UI language; new consultations start in it. A language this version does not
    /// speak (a settings file from elsewhere) reads as English rather than resetting the file.
    #[serde(deserialize_with = "lenient_lang")]
    pub language: Lang,
    /// The catalog variant `model_path` came from (it picks the chat template), if any.
    pub variant: Option<String>,
    /// The speculative-decoding draft model folder, if one is installed and chosen.
    pub draft_path: Option<String>,
    /// The context the planner chose for this model on this machine (tokens).
    pub max_context: Option<u32>,
    /// The planner's GPU layers for a GGUF model split between GPU and CPU.
    pub gpu_layers: Option<u32>,
    /// Where downloaded models go; `None` means the default under the app's data folder.
    pub models_dir: Option<String>,
    pub hub: HubSettings,
    /// How the encrypted history's key is kept.
    pub history_key: HistoryKeyMode,
    pub api_server: ApiServerSettings,
    pub remote: RemoteSettings,
    /// What the engine learned about model + draft pairs on this machine, newest last.
    pub draft_measurements: Vec<DraftMeasurement>,
    /// The country new consultations start with (ISO 3166-1 alpha-2), so an emergency banner
    /// names the number to call; from the OS locale until the user changes it, `None` when the
    /// locale names no country.
    pub country: Option<String>,
    /// The history list hides what each consultation is about (title, complaint, latest
    /// message) and shows its date only: a screen others can see (a waiting room, a shared
    /// office). Titles are often the first question's words.
    pub hide_previews: bool,
    /// What the user accepted on a machine short of memory: a shorter context, trying anyway.
    pub memory_fallback: MemoryFallback,
    /// Speeds, token counts and the device beside answers and the model name: for power users
    /// and clinicians checking the machine; off, patients see plain words.
    pub technical_details: bool,
}

/// The country of a locale name: "en-US", "en_GB.UTF-8", "zh-Hans-CN", "de_DE@euro" give US, GB,
/// CN, DE; "C", "POSIX" and a bare language give `None`.
pub fn locale_country(locale: &str) -> Option<String> {
    let name = locale.split(['.', '@']).next().unwrap_or("");
    name.split(['-', '_'])
        .skip(1)
        .find(|part| part.len() == 2 && part.chars().all(|c| c.is_ascii_alphabetic()))
        .map(|part| part.to_ascii_uppercase())
}

fn lenient_lang<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Lang, D::Error> {
    Ok(Lang::from_tag(&String::deserialize(d)?))
}

/// What speculative decoding measured for a model and its draft on this machine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DraftMeasurement {
    pub model_path: String,
    pub draft_path: String,
    /// Where the pair ran ("cpu", "cuda:0").
    pub device: String,
    /// False when the draft made decoding slower even if every drafted token were accepted:
    /// the app then loads the model without it.
    pub pays: bool,
    /// The engine's predicted speed with the draft over the model alone.
    pub predicted_speedup: Option<f64>,
}

/// Pairs remembered; the oldest are forgotten first.
const MAX_DRAFT_MEASUREMENTS: usize = 16;

impl Settings {
    /// Remembers a pair's measurement, replacing its earlier one.
    pub fn remember_draft(&mut self, m: DraftMeasurement) {
        self.draft_measurements.retain(|o| (&o.model_path, &o.draft_path) != (&m.model_path, &m.draft_path));
        self.draft_measurements.push(m);
        let extra = self.draft_measurements.len().saturating_sub(MAX_DRAFT_MEASUREMENTS);
        self.draft_measurements.drain(..extra);
    }

    /// Whether the engine found that this draft never pays beside this model here.
    pub fn draft_never_pays(&self, model_path: &str, draft_path: &str) -> bool {
        self.draft_measurements.iter().any(|m| m.model_path == model_path && m.draft_path == draft_path && !m.pays)
    }
}

/// The history's key: a random one in the OS keychain, or derived from a passphrase the user
/// types at each start (for systems without a lasting keychain).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum HistoryKeyMode {
    #[default]
    Keychain,
    Passphrase,
}

/// The local OpenAI-compatible API (off by default). Its key lives in the keychain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct ApiServerSettings {
    pub enabled: bool,
    pub port: u16,
}

impl Default for ApiServerSettings {
    fn default() -> Self {
        Self { enabled: false, port: 8089 }
    }
}

/// A remote vLLM/SGLang server used instead of a local model. Its key lives in the keychain.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct RemoteSettings {
    pub enabled: bool,
    /// The API base, e.g. https://gpu.clinic.example/v1.
    pub base_url: String,
    /// The served model id; empty takes the first the server lists.
    pub model: String,
}

/// Where downloads come from. The Hugging Face token is not here: it lives in the OS keychain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct HubSettings {
    /// The primary Hugging Face endpoint; `None` means `HF_ENDPOINT` or https://huggingface.co.
    pub endpoint: Option<String>,
    /// Tried in order when the primary fails, e.g. https://hf-mirror.com.
    pub mirrors: Vec<String>,
    /// Fall back to ModelScope after every Hugging Face endpoint.
    pub modelscope: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            model_path: None,
            thinking: ThinkingMode::default(),
            language: Lang::En,
            variant: None,
            draft_path: None,
            max_context: None,
            gpu_layers: None,
            models_dir: None,
            hub: HubSettings::default(),
            history_key: HistoryKeyMode::default(),
            api_server: ApiServerSettings::default(),
            remote: RemoteSettings::default(),
            draft_measurements: Vec::new(),
            country: locale_country(sys_locale::get_locale().as_deref().unwrap_or("")),
            hide_previews: false,
            memory_fallback: MemoryFallback::default(),
            technical_details: false,
        }
    }
}

impl Default for HubSettings {
    fn default() -> Self {
        Self { endpoint: None, mirrors: Vec::new(), modelscope: true }
    }
}

/// The app's data folder (models, database): `ANAMNESIS_DATA_DIR`, else the platform's data
/// folder under the app identifier, the same place Tauri's `app_data_dir` points to, so the
/// app and the CLI share downloads.
pub fn data_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("ANAMNESIS_DATA_DIR") {
        return d.into();
    }
    dirs::data_dir().unwrap_or_else(std::env::temp_dir).join(APP_ID)
}

pub const APP_ID: &str = "app.anamnesis.desktop";

/// The settings folder: `ANAMNESIS_CONFIG_DIR`, else the platform's config folder under the app
/// identifier (Tauri's `app_config_dir`), shared by the app and the CLI.
pub fn config_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("ANAMNESIS_CONFIG_DIR") {
        return d.into();
    }
    dirs::config_dir().unwrap_or_else(std::env::temp_dir).join(APP_ID)
}

impl Settings {
    pub fn models_dir(&self) -> PathBuf {
        self.models_dir.as_ref().map(PathBuf::from).unwrap_or_else(|| data_dir().join("models"))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("cannot read or write settings at {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
}

impl SettingsError {
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Io { .. } => ErrorCode::SettingsIo,
        }
    }
}

pub struct SettingsStore {
    path: PathBuf,
}

/// What loading found; `moved_aside` names a corrupt file that was kept for the user.
pub struct Loaded {
    pub settings: Settings,
    pub moved_aside: Option<PathBuf>,
}

impl SettingsStore {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn load(&self) -> Result<Loaded, SettingsError> {
        let io = |source| SettingsError::Io { path: self.path.clone(), source };
        let text = match std::fs::read_to_string(&self.path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Loaded { settings: Settings::default(), moved_aside: None })
            }
            Err(e) => return Err(io(e)),
        };
        match serde_json::from_str(&text) {
            Ok(settings) => Ok(Loaded { settings, moved_aside: None }),
            Err(_) => {
                let aside = self.path.with_extension("json.corrupt");
                std::fs::rename(&self.path, &aside).map_err(io)?;
                Ok(Loaded { settings: Settings::default(), moved_aside: Some(aside) })
            }
        }
    }

    pub fn save(&self, settings: &Settings) -> Result<(), SettingsError> {
        let io = |source| SettingsError::Io { path: self.path.clone(), source };
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let tmp = self.path.with_extension("json.tmp");
        let body = serde_json::to_vec_pretty(settings).expect("settings serialize");
        let mut f = std::fs::File::create(&tmp).map_err(io)?;
        f.write_all(&body).and_then(|_| f.sync_all()).map_err(io)?;
        drop(f);
        std::fs::rename(&tmp, &self.path).map_err(io)
    }

    /// Loads, applies `change`, saves, and returns the new settings.
    pub fn update(&self, change: impl FnOnce(&mut Settings)) -> Result<Settings, SettingsError> {
        let mut s = self.load()?.settings;
        change(&mut s);
        self.save(&s)?;
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_country_comes_from_the_locale_name() {
        for (locale, want) in [
            ("en-US", Some("US")),
            ("en_GB.UTF-8", Some("GB")),
            ("zh-Hans-CN", Some("CN")),
            ("de_DE@euro", Some("DE")),
            ("pt_br", Some("BR")),
            ("C.UTF-8", None),
            ("POSIX", None),
            ("fr", None),
            ("", None),
        ] {
            assert_eq!(locale_country(locale).as_deref(), want, "{locale}");
        }
    }

    #[test]
    fn a_cleared_country_stays_cleared() {
        // `null` in the file is the user's choice; only a file from before the field gets the
        // locale's country.
        let s: Settings = serde_json::from_str(r#"{"country": null}"#).unwrap();
        assert_eq!(s.country, None);
        let s: Settings = serde_json::from_str("{}").unwrap();
        assert_eq!(s.country, Settings::default().country);
    }

    #[test]
    fn a_draft_measurement_replaces_the_pairs_last_and_old_ones_are_forgotten() {
        let m = |model: &str, pays: bool| DraftMeasurement {
            model_path: model.into(),
            draft_path: "/m/draft".into(),
            device: "cpu".into(),
            pays,
            predicted_speedup: Some(if pays { 1.4 } else { 0.7 }),
        };
        let mut s = Settings::default();
        s.remember_draft(m("/m/a", true));
        assert!(!s.draft_never_pays("/m/a", "/m/draft"));
        s.remember_draft(m("/m/a", false));
        assert!(s.draft_never_pays("/m/a", "/m/draft"));
        assert_eq!(s.draft_measurements.len(), 1);
        assert!(!s.draft_never_pays("/m/b", "/m/draft"), "another pair knows nothing yet");
        for i in 0..20 {
            s.remember_draft(m(&format!("/m/{i}"), true));
        }
        assert_eq!(s.draft_measurements.len(), MAX_DRAFT_MEASUREMENTS);
        assert!(!s.draft_never_pays("/m/a", "/m/draft"), "the oldest pair was forgotten");
        let back: Settings = serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
        assert_eq!(back, s);
    }

    #[test]
    fn missing_file_gives_defaults_and_save_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let store = SettingsStore::new(dir.path().join("nested/settings.json"));
        assert_eq!(store.load().unwrap().settings, Settings::default());
        let s = store
            .update(|s| {
                s.model_path = Some("/m/x.gguf".into());
                s.thinking = ThinkingMode::On;
            })
            .unwrap();
        assert_eq!(SettingsStore::new(store.path()).load().unwrap().settings, s);
        assert!(!store.path().with_extension("json.tmp").exists());
    }

    #[test]
    fn corrupt_file_is_moved_aside_not_lost() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        std::fs::write(&path, "{not json").unwrap();
        let loaded = SettingsStore::new(&path).load().unwrap();
        assert_eq!(loaded.settings, Settings::default());
        let aside = loaded.moved_aside.expect("moved aside");
        assert_eq!(std::fs::read_to_string(aside).unwrap(), "{not json");
    }

    #[test]
    fn unknown_fields_and_missing_fields_are_tolerated() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        std::fs::write(&path, r#"{"model_path":"/a","future_key":1}"#).unwrap();
        let s = SettingsStore::new(&path).load().unwrap().settings;
        assert_eq!(s.model_path.as_deref(), Some("/a"));
        assert_eq!(s.thinking, ThinkingMode::Auto);
    }
}
