//! Everything the onboarding screen and `anamnesis-cli hw` show at once: the machine, the
//! planner's choice over the catalog, and what is already in the models folder.

use crate::catalog::{Catalog, Variant, VariantRole};
use crate::store::{installed, InstalledModel};
use anamnesis_hardware::{Backend, Candidate, GpuVendor, HardwareInfo, Plan};
use anamnesis_wire::{GpuProblem, MemoryFallback};
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
    /// The backends this build of the app has (the CPU always).
    pub built: Vec<Backend>,
    /// An NVIDIA GPU here that this build cannot use: get the NVIDIA (CUDA) installer.
    pub gpu_unused: Option<String>,
    /// Why this CUDA build cannot use the GPU here (no driver, too old, …): models run on the CPU.
    pub gpu_problem: Option<GpuProblem>,
    pub catalog: Vec<Variant>,
    pub installed: Vec<InstalledModel>,
    pub models_dir: String,
    /// Free space where models go; `null` when it cannot be read.
    #[ts(type = "number | null")]
    pub free_bytes: Option<u64>,
}

/// What this copy of Anamnesis can run models on, here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Build {
    /// The backends compiled in (the CPU always).
    pub backends: Vec<Backend>,
    /// Why CUDA, compiled in, cannot be used on this machine.
    pub gpu_problem: Option<GpuProblem>,
}

impl Build {
    pub fn new(backends: Vec<Backend>, gpu_problem: Option<GpuProblem>) -> Self {
        Self { backends, gpu_problem }
    }

    /// Whether the planner may use `b`.
    fn usable(&self, b: Backend) -> bool {
        self.backends.contains(&b) && !(b == Backend::Cuda && self.gpu_problem.is_some())
    }

    /// Why a variant that runs only on `needs` cannot run with this build.
    fn missing(&self, needs: &[Backend]) -> String {
        match &self.gpu_problem {
            Some(p) if needs.contains(&Backend::Cuda) && self.backends.contains(&Backend::Cuda) => {
                format!("needs an NVIDIA GPU, and the GPU cannot be used: {p}")
            }
            _ => {
                let names: Vec<&str> = needs.iter().map(|b| b.name()).collect();
                format!("needs the {} build of Anamnesis; this one was built without it", names.join(" or "))
            }
        }
    }
}

/// Plans over the catalog's main variants (in catalog order) with the first draft it lists, the
/// memory fallbacks the user chose, and only the backends this build can use here: a CPU-only
/// build never plans the GPU, and says which build a GPU-only variant needs.
pub fn plan_for(hw: &HardwareInfo, catalog: &Catalog, fallback: MemoryFallback, build: &Build) -> Plan {
    let draft = catalog.variants.iter().find(|v| v.role == VariantRole::Draft);
    plan_among(hw, catalog.main_variants(), draft, fallback, build)
}

/// The plan for `variant` alone (with its own draft): how it would run here, even where the
/// planner prefers another variant.
pub fn plan_variant(
    hw: &HardwareInfo,
    catalog: &Catalog,
    variant: &Variant,
    fallback: MemoryFallback,
    build: &Build,
) -> Plan {
    let draft = variant.draft.as_deref().and_then(|d| catalog.get(d).ok());
    plan_among(hw, std::iter::once(variant), draft, fallback, build)
}

fn plan_among<'a>(
    hw: &HardwareInfo,
    mains: impl Iterator<Item = &'a Variant>,
    draft: Option<&Variant>,
    fallback: MemoryFallback,
    build: &Build,
) -> Plan {
    let mut unusable = Vec::new();
    let mut only_usable = |mut c: Candidate| {
        let all = std::mem::take(&mut c.requirements.backends);
        c.requirements.backends = all.iter().copied().filter(|b| build.usable(*b)).collect();
        if c.requirements.backends.is_empty() && !all.is_empty() {
            unusable.push((c.id.clone(), all));
        }
        c
    };
    let mains: Vec<_> = mains.map(Variant::candidate).map(&mut only_usable).collect();
    let draft = draft.map(Variant::candidate).map(&mut only_usable);
    let mut plan = anamnesis_hardware::plan_with(hw, &mains, draft.as_ref(), fallback);
    for a in &mut plan.alternatives {
        if let Some((_, needs)) = unusable.iter().find(|(id, _)| *id == a.variant) {
            a.reason = build.missing(needs);
        }
    }
    plan
}

/// An NVIDIA GPU this build cannot use (it was built without CUDA): its name, for a notice
/// that says which installer uses it.
fn gpu_unused(hw: &HardwareInfo, build: &Build) -> Option<String> {
    if build.backends.contains(&Backend::Cuda) {
        return None;
    }
    hw.gpus.iter().find(|g| g.vendor == GpuVendor::Nvidia).map(|g| g.name.clone())
}

pub fn overview(
    hw: HardwareInfo,
    catalog: &Catalog,
    models_dir: &Path,
    fallback: MemoryFallback,
    build: &Build,
) -> ModelsOverview {
    ModelsOverview {
        plan: plan_for(&hw, catalog, fallback, build),
        fallback,
        built: build.backends.clone(),
        gpu_unused: gpu_unused(&hw, build),
        gpu_problem: build.gpu_problem.clone(),
        hardware: hw,
        catalog: catalog.variants.clone(),
        installed: installed(models_dir),
        models_dir: models_dir.display().to_string(),
        free_bytes: anamnesis_hardware::free_space(models_dir),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anamnesis_hardware::{CpuInfo, GpuInfo, PlanMode};

    fn rtx4090() -> HardwareInfo {
        let gib = 1u64 << 30;
        HardwareInfo {
            os: "Windows 11".into(),
            cpu: CpuInfo { brand: "Ryzen".into(), physical_cores: 16, threads: 32 },
            ram_total: 64 * gib,
            ram_available: 50 * gib,
            gpus: vec![GpuInfo {
                index: 0,
                vendor: GpuVendor::Nvidia,
                name: "NVIDIA GeForce RTX 4090".into(),
                vram_total: 24 * gib,
                vram_free: 23 * gib,
                compute_capability: Some("8.9".into()),
                driver: Some("560.70".into()),
                cuda: Some("12.6".into()),
                unified: false,
            }],
            disks: vec![],
            notes: vec![],
        }
    }

    #[test]
    fn a_cpu_only_build_never_plans_the_gpu_and_says_which_build_would_use_it() {
        let (hw, catalog, dir) = (rtx4090(), Catalog::shipped(), Path::new("/nonexistent"));
        let cpu = overview(hw.clone(), &catalog, dir, MemoryFallback::default(), &Build::new(vec![Backend::Cpu], None));
        assert_eq!(cpu.plan.mode, PlanMode::Cpu, "{}", cpu.plan.reason);
        assert_eq!(cpu.gpu_unused.as_deref(), Some("NVIDIA GeForce RTX 4090"));
        let gptq = cpu.plan.alternatives.iter().find(|a| a.variant.contains("gptq")).expect("the GPTQ variant");
        assert!(!gptq.fits);
        assert_eq!(gptq.reason, "needs the CUDA build of Anamnesis; this one was built without it");

        let cuda_build = Build::new(vec![Backend::Cuda, Backend::Cpu], None);
        let cuda = overview(hw.clone(), &catalog, dir, MemoryFallback::default(), &cuda_build);
        assert_eq!((cuda.plan.mode, cuda.gpu_unused), (PlanMode::Gpu, None));

        // The CUDA build on a machine whose driver is too old: the CPU, and why, never a GPU plan.
        let problem = GpuProblem::DriverTooOld { driver: "12.4".into(), needs: "13.0".into() };
        let old = Build::new(vec![Backend::Cuda, Backend::Cpu], Some(problem.clone()));
        let cuda = overview(hw, &catalog, dir, MemoryFallback::default(), &old);
        assert_eq!(cuda.plan.mode, PlanMode::Cpu, "{}", cuda.plan.reason);
        assert_eq!((cuda.gpu_unused, cuda.gpu_problem), (None, Some(problem)));
        let gptq = cuda.plan.alternatives.iter().find(|a| a.variant.contains("gptq")).expect("the GPTQ variant");
        assert!(gptq
            .reason
            .starts_with("needs an NVIDIA GPU, and the GPU cannot be used: the NVIDIA driver supports CUDA 12.4"));
    }
}
