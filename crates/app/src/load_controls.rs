//! The model picker's load controls: the context, the layers on the GPU and the draft for the
//! chosen model, with the planner's recommendation beside them and the memory a choice would
//! take. A choice is saved in the settings; the next load uses it. Choosing a variant again
//! (`models::choose`) goes back to the recommendation.

use crate::error::{AppError, AppResult};
use crate::models::build;
use anamnesis_engine::ModelInfo;
use anamnesis_hardware::{Backend, HardwareInfo, LoadChoice, LoadEstimate, Plan, PlanMode, SHORT_CONTEXT};
use anamnesis_hub::{Catalog, Variant};
use anamnesis_settings::{Settings, SettingsStore};
use serde::Serialize;
use std::path::Path;
use ts_rs::TS;

/// Contexts are chosen in steps of this many tokens.
const CONTEXT_STEP: u32 = 1024;
/// The longest context offered for a model picked by hand whose own limit is not known yet.
const UNKNOWN_MODEL_CONTEXT: u32 = 32768;

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct LoadControls {
    /// The catalog variant chosen; `None` for a model picked by hand (no estimate then).
    pub variant: Option<String>,
    /// The catalog's label, else the file or folder name.
    pub name: String,
    /// Where it runs.
    pub backend: Backend,
    /// Total layers, only where the number on the GPU can be chosen (a model split between an
    /// NVIDIA GPU and the CPU is possible: a GGUF on CUDA).
    pub layers: Option<u32>,
    pub context_min: u32,
    pub context_max: u32,
    pub context_step: u32,
    /// What the planner recommends on this machine.
    pub recommended: LoadChoice,
    /// What the settings hold now: what the next load uses.
    pub current: LoadChoice,
    /// A draft model for speculative decoding is downloaded for this variant.
    pub draft_available: bool,
    /// The memory `current` takes; `None` for a model picked by hand.
    pub estimate: Option<LoadEstimate>,
}

/// The chosen model and what is known of it.
struct Chosen<'a> {
    settings: Settings,
    variant: Option<&'a Variant>,
    draft: Option<(&'a Variant, String)>,
    plan: Option<Plan>,
}

fn chosen<'a>(store: &SettingsStore, catalog: &'a Catalog, hw: &HardwareInfo) -> AppResult<Chosen<'a>> {
    let settings = store.load()?.settings;
    if settings.remote.enabled {
        return Err(AppError::NotForRemote);
    }
    if settings.model_path.is_none() {
        return Err(AppError::NoModelChosen);
    }
    let variant = settings.variant.as_deref().and_then(|v| catalog.get(v).ok());
    let dir = settings.models_dir();
    let draft = variant
        .and_then(|v| v.draft.as_deref())
        .and_then(|d| catalog.get(d).ok())
        .and_then(|d| anamnesis_hub::model_path(&dir, d).ok().map(|p| (d, p.display().to_string())));
    let plan = variant.map(|v| anamnesis_hub::plan_variant(hw, catalog, v, settings.memory_fallback, &build()));
    Ok(Chosen { settings, variant, draft, plan })
}

impl Chosen<'_> {
    fn bounds(&self, loaded: Option<&ModelInfo>) -> (u32, u32) {
        let max = match self.variant {
            Some(v) => v.requirements.max_context,
            None => loaded
                .filter(|m| Some(m.path.as_str()) == self.settings.model_path.as_deref())
                .and_then(|m| m.context_length)
                .map_or(UNKNOWN_MODEL_CONTEXT, |c| u32::try_from(c).unwrap_or(u32::MAX)),
        };
        (SHORT_CONTEXT.min(max), max)
    }

    fn backend(&self) -> Backend {
        self.plan.as_ref().filter(|p| p.mode != PlanMode::Unsupported).map_or(Backend::Cpu, |p| p.backend)
    }

    /// Layers, where a split with the CPU is possible: a CUDA plan of a variant that runs on the CPU too.
    fn layers(&self) -> Option<u32> {
        let v = self.variant?;
        (self.backend() == Backend::Cuda && v.requirements.backends.contains(&Backend::Cpu))
            .then_some(v.requirements.layers)
    }

    /// The plan's choice; where nothing fits, the shortest context; for a model picked by hand,
    /// its own limit (what a load without a choice uses).
    fn recommended(&self, (min, max): (u32, u32)) -> LoadChoice {
        let plain = |context| LoadChoice { context, gpu_layers: None, draft: false };
        match (self.variant, self.plan.as_ref().filter(|p| p.mode != PlanMode::Unsupported)) {
            (_, Some(p)) => {
                LoadChoice { context: p.context, gpu_layers: p.gpu_layers, draft: p.draft && self.draft.is_some() }
            }
            (Some(_), None) => plain(min),
            (None, None) => plain(max),
        }
    }

    fn current(&self, recommended: LoadChoice) -> LoadChoice {
        let s = &self.settings;
        LoadChoice {
            context: s.max_context.unwrap_or(recommended.context),
            gpu_layers: s.gpu_layers,
            draft: s.draft_path.is_some(),
        }
    }

    fn estimate(&self, hw: &HardwareInfo, choice: &LoadChoice) -> Option<LoadEstimate> {
        let (v, plan) = (self.variant?, self.plan.as_ref()?);
        let draft = self.draft.as_ref().map(|(d, _)| &d.requirements);
        Some(anamnesis_hardware::estimate(hw, plan, &v.requirements, draft, choice))
    }
}

/// The controls for the chosen model. `loaded` is the model loaded now, if any (a model picked
/// by hand takes its context limit from it). NO_MODEL_CHOSEN without a model, NOT_FOR_REMOTE
/// while the remote engine answers.
pub fn controls(
    store: &SettingsStore,
    catalog: &Catalog,
    hw: &HardwareInfo,
    loaded: Option<&ModelInfo>,
) -> AppResult<LoadControls> {
    let c = chosen(store, catalog, hw)?;
    let (context_min, context_max) = c.bounds(loaded);
    let recommended = c.recommended((context_min, context_max));
    let current = c.current(recommended);
    let name = match c.variant {
        Some(v) => v.label.clone(),
        None => c.settings.model_path.as_deref().map(file_name).unwrap_or_default(),
    };
    Ok(LoadControls {
        variant: c.variant.map(|v| v.id.clone()),
        name,
        backend: c.backend(),
        layers: c.layers(),
        context_min,
        context_max,
        context_step: CONTEXT_STEP,
        recommended,
        draft_available: c.draft.is_some(),
        estimate: c.estimate(hw, &current),
        current,
    })
}

/// The memory `choice` would take for the chosen model (`None` for one picked by hand).
pub fn estimate(
    store: &SettingsStore,
    catalog: &Catalog,
    hw: &HardwareInfo,
    choice: &LoadChoice,
) -> AppResult<Option<LoadEstimate>> {
    Ok(chosen(store, catalog, hw)?.estimate(hw, choice))
}

/// Saves `choice` for the next load, after checking it against the controls' bounds (nothing
/// is saved when it is out of them).
pub fn set_choice(
    store: &SettingsStore,
    catalog: &Catalog,
    hw: &HardwareInfo,
    loaded: Option<&ModelInfo>,
    choice: &LoadChoice,
) -> AppResult<Settings> {
    let c = chosen(store, catalog, hw)?;
    let (min, max) = c.bounds(loaded);
    let invalid = |why: String| Err(AppError::InvalidLoadChoice(why));
    if !(min..=max).contains(&choice.context) {
        return invalid(format!("the context must be between {min} and {max} tokens"));
    }
    match (choice.gpu_layers, c.layers()) {
        (Some(n), Some(total)) if n > total => return invalid(format!("the model has {total} layers")),
        (Some(_), None) => return invalid("this model's layers cannot be split with the CPU here".into()),
        _ => {}
    }
    let draft = match (choice.draft, &c.draft) {
        (true, None) => return invalid("no draft model is downloaded for this model".into()),
        (true, Some((_, path))) => Some(path.clone()),
        (false, _) => None,
    };
    Ok(store.update(|s| {
        s.max_context = Some(choice.context);
        s.gpu_layers = choice.gpu_layers;
        s.draft_path = draft;
    })?)
}

fn file_name(path: &str) -> String {
    Path::new(path).file_name().map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned())
}
