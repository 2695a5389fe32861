//! Model set-up, the same in the window and the CLI: choosing a downloaded catalog variant (its
//! file, its draft when that is downloaded too, and the context and GPU layers the planner gives
//! it on this machine) or a model picked by hand, forgetting a deleted one, and the engine's load
//! options from the settings (the catalog's chat template, the draft, the planned context, or
//! the remote server with its key). Blocking (files, the keychain's D-Bus): call off an async
//! runtime.

use crate::error::{AppError, AppResult};
use crate::history::Keychain;
use anamnesis_engine::{DraftOptions, LoadOptions, ModelSource, RemoteOptions};
use anamnesis_hardware::{Backend, HardwareInfo};
use anamnesis_hub::{Build, Catalog, ModelsOverview};
use anamnesis_secrets::SecretKey;
use anamnesis_settings::{Settings, SettingsStore};
use anamnesis_wire::MemoryFallback;
use std::path::Path;

/// The set-up screen's picture: this machine now, the plan with the user's memory fallbacks, and
/// what the models folder holds.
pub fn overview(store: &SettingsStore, catalog: &Catalog) -> AppResult<ModelsOverview> {
    let settings = store.load()?.settings;
    let (dir, fallback) = (settings.models_dir(), settings.memory_fallback);
    Ok(anamnesis_hub::overview(anamnesis_hardware::detect(), catalog, &dir, fallback, &build()))
}

/// What this build runs on here: CUDA and Metal only when compiled in, the CPU always, and why
/// a compiled-in CUDA cannot be used on this machine (checked once, before any model loads).
pub fn build() -> Build {
    let gpu =
        [(anamnesis_engine::BUILT_WITH_CUDA, Backend::Cuda), (anamnesis_engine::BUILT_WITH_METAL, Backend::Metal)];
    let backends = gpu.into_iter().filter_map(|(on, b)| on.then_some(b)).chain([Backend::Cpu]).collect();
    Build::new(backends, anamnesis_engine::gpu_problem())
}

/// Saves what the user accepted on a machine short of memory and plans again with it.
pub fn set_memory_fallback(
    store: &SettingsStore,
    catalog: &Catalog,
    fallback: MemoryFallback,
) -> AppResult<ModelsOverview> {
    store.update(|s| s.memory_fallback = fallback)?;
    overview(store, catalog)
}

/// Makes the downloaded catalog variant `variant` (under the models folder) the model to load:
/// its file, its draft if downloaded, and, when it runs on `hardware` (preferred by the planner
/// or not), the planner's context, GPU layers and draft decision for it; the model picker's
/// choices made before are dropped.
pub fn choose(store: &SettingsStore, catalog: &Catalog, hardware: &HardwareInfo, variant: &str) -> AppResult<Settings> {
    let v = catalog.get(variant)?;
    let settings = store.load()?.settings;
    let dir = settings.models_dir();
    let path = anamnesis_hub::model_path(&dir, v)?;
    let draft =
        v.draft.as_deref().and_then(|d| catalog.get(d).ok()).and_then(|d| anamnesis_hub::model_path(&dir, d).ok());
    let plan = anamnesis_hub::plan_variant(hardware, catalog, v, settings.memory_fallback, &build());
    let planned = plan.mode != anamnesis_hardware::PlanMode::Unsupported;
    Ok(store.update(|s| {
        s.model_path = Some(path.display().to_string());
        s.variant = Some(v.id.clone());
        s.draft_path = draft.filter(|_| !planned || plan.draft).map(|d| d.display().to_string());
        s.max_context = planned.then_some(plan.context).filter(|c| *c > 0);
        s.gpu_layers = plan.gpu_layers.filter(|_| planned);
    })?)
}

/// Makes a model the user picked by hand (a folder or a `.gguf` file) the one to load, kept as the
/// absolute path found now: a relative one would name another file, or for mistral.rs a hub
/// repo, when the app starts in another folder. It is no catalog variant: no catalog template,
/// draft or planned context.
pub fn choose_path(store: &SettingsStore, path: &Path) -> AppResult<Settings> {
    let path = ModelSource::detect(path)?.path.display().to_string();
    Ok(store.update(|s| {
        (s.model_path, s.variant, s.draft_path, s.max_context, s.gpu_layers) = (Some(path), None, None, None, None);
    })?)
}

/// After `variant`'s folder under `models_dir` was deleted: the settings stop pointing into it,
/// so the next start does not try to load it.
pub fn forget(store: &SettingsStore, models_dir: &Path, variant: &str) -> AppResult<Settings> {
    let gone = |p: &Option<String>| p.as_deref().is_some_and(|p| Path::new(p).starts_with(models_dir.join(variant)));
    Ok(store.update(|s| {
        if gone(&s.model_path) {
            (s.model_path, s.variant, s.max_context, s.gpu_layers) = (None, None, None, None);
        }
        if gone(&s.draft_path) {
            s.draft_path = None;
        }
    })?)
}

/// What the engine loads for these settings: the remote server when it is on, else the chosen
/// model. `data_dir` receives the catalog's chat template (mistral.rs reads templates from files).
pub fn load_options(
    settings: &Settings,
    catalog: &Catalog,
    keychain: &Keychain,
    data_dir: &Path,
) -> AppResult<LoadOptions> {
    if settings.remote.enabled {
        return remote_options(settings, keychain);
    }
    let path = settings.model_path.clone().ok_or(AppError::NoModelChosen)?;
    let mut opts = LoadOptions { path: path.into(), ..LoadOptions::default() };
    let template = settings.variant.as_deref().and_then(|v| catalog.get(v).ok()).and_then(|v| v.template.clone());
    if let Some((name, text)) = template.and_then(|n| Catalog::template_text(&n).map(|t| (n, t))) {
        opts.chat_template = Some(write_template(data_dir, &name, text)?);
    }
    // The engine chooses γ per step and switches off a draft that does not pay; a draft it found
    // never pays beside this model here is not loaded at all.
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

/// The remote server in the settings, with its key from the keychain.
fn remote_options(settings: &Settings, keychain: &Keychain) -> AppResult<LoadOptions> {
    let r = &settings.remote;
    let api_key = keychain.get()?.get(SecretKey::RemoteApiKey)?.map(|k| anamnesis_openai::ApiKey::new(k.expose()));
    let model = Some(r.model.clone()).filter(|m| !m.is_empty());
    let remote = RemoteOptions { base_url: r.base_url.clone(), model, api_key };
    Ok(LoadOptions { remote: Some(remote), max_context: settings.max_context, ..LoadOptions::default() })
}

/// Writes a shipped template under `data_dir` unless the same text is already there.
fn write_template(data_dir: &Path, name: &str, text: &str) -> AppResult<std::path::PathBuf> {
    let file = data_dir.join(name);
    if std::fs::read_to_string(&file).ok().as_deref() != Some(text) {
        let io = |source: std::io::Error| AppError::Io { path: file.clone(), source };
        std::fs::create_dir_all(file.parent().unwrap_or(data_dir)).map_err(io)?;
        std::fs::write(&file, text).map_err(io)?;
    }
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store(dir: &Path) -> SettingsStore {
        SettingsStore::new(dir.join("settings.json"))
    }

    #[test]
    fn forgetting_a_deleted_variant_clears_only_what_pointed_into_it() {
        let tmp = tempfile::tempdir().unwrap();
        let models = tmp.path().join("models");
        let st = store(tmp.path());
        st.update(|s| {
            s.model_path = Some(models.join("big/model.gguf").display().to_string());
            s.variant = Some("big".into());
            s.draft_path = Some(models.join("small").display().to_string());
            s.max_context = Some(8192);
        })
        .unwrap();
        let s = forget(&st, &models, "small").unwrap();
        assert_eq!((s.variant.as_deref(), s.draft_path, s.max_context), (Some("big"), None, Some(8192)));
        let s = forget(&st, &models, "big").unwrap();
        assert_eq!((s.model_path, s.variant, s.max_context), (None, None, None));
    }

    #[test]
    fn a_hand_picked_model_is_stored_absolute_and_clears_the_catalog_choice() {
        let tmp = tempfile::tempdir().unwrap();
        let model = anamnesis_testkit::fixtures::tiny_model(2);
        let st = store(tmp.path());
        st.update(|s| {
            (s.variant, s.max_context) = (Some("v".into()), Some(4096));
        })
        .unwrap();
        let s = choose_path(&st, &model).unwrap();
        assert_eq!(s.model_path.as_deref().map(Path::new), Some(model.canonicalize().unwrap().as_path()));
        assert_eq!((s.variant, s.max_context), (None, None));
        assert!(choose_path(&st, &tmp.path().join("missing.gguf")).is_err());
    }

    #[test]
    fn load_options_need_a_chosen_model_and_write_the_catalog_template_once() {
        let tmp = tempfile::tempdir().unwrap();
        let catalog = Catalog::shipped();
        let keychain = Keychain::default();
        let none = load_options(&Settings::default(), &catalog, &keychain, tmp.path()).unwrap_err();
        assert_eq!(none.code(), anamnesis_wire::ErrorCode::NoModelChosen);

        let variant = catalog.main_variants().find(|v| v.template.is_some()).expect("a variant with a template");
        let settings = Settings {
            model_path: Some("/models/m.gguf".into()),
            variant: Some(variant.id.clone()),
            max_context: Some(8192),
            ..Settings::default()
        };
        let opts = load_options(&settings, &catalog, &keychain, tmp.path()).unwrap();
        let file = opts.chat_template.expect("the catalog's template");
        assert!(file.starts_with(tmp.path()));
        let text = std::fs::read_to_string(&file).unwrap();
        assert_eq!(Some(text.as_str()), Catalog::template_text(variant.template.as_deref().unwrap()));
        assert_eq!((opts.max_context, opts.paged_attention, opts.draft.is_none()), (Some(8192), true, true));
    }
}
