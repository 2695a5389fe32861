//! Everything the onboarding screen and `anamnesis-cli hw` show at once: the machine, the
//! planner's choice over the catalog, and what is already in the models folder.

use crate::catalog::{Catalog, Variant, VariantRole};
use crate::store::{installed, InstalledModel};
use anamnesis_hardware::{HardwareInfo, Plan};
use anamnesis_wire::MemoryFallback;
use serde::Serialize;
use std::path::Path;
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct ModelsOverview {
    pub hardware: HardwareInfo,
    pub plan: Plan,
    /// The fallbacks the plan was made with (the user's choice, from the settings).
    pub fallback: MemoryFallback,
    pub catalog: Vec<Variant>,
    pub installed: Vec<InstalledModel>,
    pub models_dir: String,
    /// Free space where models go; `null` when it cannot be read.
    #[ts(type = "number | null")]
    pub free_bytes: Option<u64>,
}

/// Plans over the catalog's main variants (in catalog order) with the first draft it lists, and
/// the memory fallbacks the user chose.
pub fn plan_for(hw: &HardwareInfo, catalog: &Catalog, fallback: MemoryFallback) -> Plan {
    let mains: Vec<_> = catalog.main_variants().map(Variant::candidate).collect();
    let draft = catalog.variants.iter().find(|v| v.role == VariantRole::Draft).map(Variant::candidate);
    anamnesis_hardware::plan_with(hw, &mains, draft.as_ref(), fallback)
}

pub fn overview(hw: HardwareInfo, catalog: &Catalog, models_dir: &Path, fallback: MemoryFallback) -> ModelsOverview {
    ModelsOverview {
        plan: plan_for(&hw, catalog, fallback),
        fallback,
        hardware: hw,
        catalog: catalog.variants.clone(),
        installed: installed(models_dir),
        models_dir: models_dir.display().to_string(),
        free_bytes: anamnesis_hardware::free_space(models_dir),
    }
}
