//! The planner: which variant, where, with what context, and whether the draft model fits too.
//! Pure and deterministic: the same machine and candidates always give the same plan.

use crate::budget::{cuda_pool, fit_one, fit_split, metal_pool, ram_pool, Fit, Shortfall};
use crate::info::{GpuInfo, GpuVendor, HardwareInfo};
use crate::reasons;
use crate::requirements::{Backend, Candidate, Requirements};
use anamnesis_wire::MemoryFallback;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum PlanMode {
    /// Everything on one GPU (CUDA, or Metal on unified memory).
    Gpu,
    /// Some layers on an NVIDIA GPU, the rest in RAM on the CPU.
    Hybrid,
    Cpu,
    Unsupported,
}

/// Where the bytes go. `budget` is what the plan may use (free memory less the reserves);
/// the other fields sum to at most `budget`. In hybrid mode GPU and RAM are added together.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct MemoryBreakdown {
    #[ts(type = "number")]
    pub budget: u64,
    #[ts(type = "number")]
    pub weights: u64,
    #[ts(type = "number")]
    pub kv_cache: u64,
    /// Draft model weights and its KV cache; 0 without the draft.
    #[ts(type = "number")]
    pub draft: u64,
    /// GPU context, activations, scratch.
    #[ts(type = "number")]
    pub overhead: u64,
    /// Left unused.
    #[ts(type = "number")]
    pub headroom: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Alternative {
    pub variant: String,
    pub label: String,
    /// It would run here too (in its own best mode), it was just not preferred.
    pub fits: bool,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Plan {
    /// Catalog id of the chosen variant; None when nothing fits.
    pub variant: Option<String>,
    pub label: Option<String>,
    pub backend: Backend,
    pub mode: PlanMode,
    /// The GPU used (its NVML index, PCI bus order); None on the CPU.
    pub gpu: Option<u32>,
    /// Layers on the GPU in hybrid mode.
    pub gpu_layers: Option<u32>,
    /// Tokens; a multiple of 1024 within the variant's bounds (0 when unsupported).
    pub context: u32,
    pub draft: bool,
    pub breakdown: MemoryBreakdown,
    /// One plain sentence for people.
    pub reason: String,
    /// Every candidate not chosen, in the order given, with why.
    pub alternatives: Vec<Alternative>,
    /// It runs only because the user chose to try anyway (`MemoryFallback::anyway`).
    pub forced: bool,
    /// When nothing runs: which of the fallbacks not yet chosen would make something run.
    pub fallbacks: MemoryFallback,
}

/// Why a variant cannot run a given way.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Miss {
    NoBackend,
    NoDevice(Backend),
    ComputeCapability { need: String, have: Option<String> },
    Memory { pool: PoolKind, shortfall: Shortfall },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PoolKind {
    Vram,
    Unified,
    Split,
    Ram,
}

/// What became of the draft model in a placement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DraftNote {
    NotOffered,
    Included,
    NoRoom,
    WrongBackend(Backend),
}

/// How a variant would run here.
#[derive(Debug, Clone)]
pub(crate) struct Placement<'a> {
    pub mode: PlanMode,
    pub backend: Backend,
    pub gpu: Option<&'a GpuInfo>,
    pub gpu_layers: Option<u32>,
    pub layers: u32,
    pub fit: Fit,
    pub draft: DraftNote,
}

struct Eval<'a> {
    placement: Option<Placement<'a>>,
    misses: Vec<Miss>,
}

/// The shortest context the "shorter context" fallback plans with.
pub const SHORT_CONTEXT: u32 = 2048;

pub fn plan(hw: &HardwareInfo, candidates: &[Candidate], draft: Option<&Candidate>) -> Plan {
    plan_with(hw, candidates, draft, MemoryFallback::default())
}

/// `plan`, with the fallbacks the user chose for a machine short of memory: a context down to
/// `SHORT_CONTEXT`, and (only when nothing runs otherwise) counting the RAM other programs use.
/// A plan that runs without `anyway` never uses it; a forced plan never takes the draft.
pub fn plan_with(hw: &HardwareInfo, candidates: &[Candidate], draft: Option<&Candidate>, fb: MemoryFallback) -> Plan {
    let attempt = |short: bool, anyway: bool| {
        let shortened: Vec<Candidate> = candidates
            .iter()
            .cloned()
            .map(|mut c| {
                if short {
                    c.requirements.min_context = c.requirements.min_context.min(SHORT_CONTEXT);
                }
                c
            })
            .collect();
        plan_once(hw, &shortened, draft.filter(|_| !anyway), anyway)
    };
    let runs = |p: &Plan| p.mode != PlanMode::Unsupported;
    let first = attempt(fb.short_context, false);
    if runs(&first) {
        return first;
    }
    if fb.anyway {
        let forced = attempt(fb.short_context, true);
        if runs(&forced) {
            return Plan { forced: true, reason: reasons::forced(&forced.reason), ..forced };
        }
    }
    let fallbacks = MemoryFallback {
        short_context: !fb.short_context && runs(&attempt(true, fb.anyway)),
        anyway: !fb.anyway && runs(&attempt(fb.short_context, true)),
    };
    Plan { fallbacks, ..first }
}

fn plan_once(hw: &HardwareInfo, candidates: &[Candidate], draft: Option<&Candidate>, anyway: bool) -> Plan {
    let evals: Vec<Eval> = candidates.iter().map(|c| evaluate(hw, &c.requirements, draft, anyway)).collect();
    let mode_of = |e: &Eval| e.placement.as_ref().map(|p| p.mode);
    // Any variant fully on a GPU beats any split, which beats the CPU; the list order breaks ties.
    let chosen = [PlanMode::Gpu, PlanMode::Hybrid, PlanMode::Cpu]
        .into_iter()
        .find_map(|m| evals.iter().position(|e| mode_of(e) == Some(m)));

    let alternatives = candidates
        .iter()
        .zip(&evals)
        .enumerate()
        .filter(|(i, _)| Some(*i) != chosen)
        .map(|(_, (c, e))| Alternative {
            variant: c.id.clone(),
            label: c.label.clone(),
            fits: e.placement.is_some(),
            reason: match &e.placement {
                Some(p) => reasons::also_fits(p, chosen.map(|i| candidates[i].label.as_str())),
                None => reasons::miss(best_miss(&e.misses)),
            },
        })
        .collect();

    let Some(i) = chosen else {
        return unsupported(hw, candidates, &evals, alternatives);
    };
    let (c, p) = (&candidates[i], evals[i].placement.as_ref().expect("chosen has a placement"));
    Plan {
        variant: Some(c.id.clone()),
        label: Some(c.label.clone()),
        backend: p.backend,
        mode: p.mode,
        gpu: p.gpu.map(|g| g.index),
        gpu_layers: p.gpu_layers,
        context: p.fit.context,
        draft: p.fit.draft,
        breakdown: p.fit.breakdown.clone(),
        reason: reasons::chosen(hw, &c.label, p),
        alternatives,
        forced: false,
        fallbacks: MemoryFallback::default(),
    }
}

fn unsupported(hw: &HardwareInfo, candidates: &[Candidate], evals: &[Eval], alternatives: Vec<Alternative>) -> Plan {
    // The variant that comes closest names the shortfall.
    let closest = candidates
        .iter()
        .zip(evals)
        .flat_map(|(c, e)| e.misses.iter().map(move |m| (c, m)))
        .filter_map(|(c, m)| match m {
            Miss::Memory { shortfall, .. } => Some((c, *shortfall)),
            _ => None,
        })
        .min_by_key(|(_, s)| s.need.saturating_sub(s.usable));
    let reason = match (closest, candidates.first().zip(evals.first())) {
        (Some((c, s)), _) => reasons::short(&c.label, c.requirements.min_context, s),
        (None, Some((c, e))) => reasons::nothing_runs(&c.label, best_miss(&e.misses)),
        (None, None) => "No model variant to choose from.".to_string(),
    };
    Plan {
        variant: None,
        label: None,
        backend: Backend::Cpu,
        mode: PlanMode::Unsupported,
        gpu: None,
        gpu_layers: None,
        context: 0,
        draft: false,
        // Nothing placed: all of the RAM budget is left.
        breakdown: MemoryBreakdown {
            budget: ram_pool(hw, false).budget,
            headroom: ram_pool(hw, false).budget,
            ..Default::default()
        },
        reason,
        alternatives,
        forced: false,
        fallbacks: MemoryFallback::default(),
    }
}

/// The most telling miss: the smallest memory shortfall, else the first other reason.
fn best_miss(misses: &[Miss]) -> &Miss {
    let short = |m: &Miss| match m {
        Miss::Memory { shortfall: s, .. } => Some(s.need.saturating_sub(s.usable)),
        _ => None,
    };
    misses.iter().filter(|m| short(m).is_some()).min_by_key(|m| short(m)).or(misses.first()).unwrap_or(&Miss::NoBackend)
}

/// The draft's requirements when it can run on `backend`, else what to say about it.
fn draft_for(draft: Option<&Candidate>, backend: Backend) -> Result<&Requirements, DraftNote> {
    match draft {
        None => Err(DraftNote::NotOffered),
        Some(d) if d.requirements.backends.contains(&backend) => Ok(&d.requirements),
        Some(_) => Err(DraftNote::WrongBackend(backend)),
    }
}

/// Tries GPU, then a GPU/RAM split, then the CPU; stops at the first that fits. `anyway` counts
/// the RAM other programs use now.
fn evaluate<'a>(hw: &'a HardwareInfo, req: &Requirements, draft: Option<&Candidate>, anyway: bool) -> Eval<'a> {
    let mut misses = Vec::new();
    if req.backends.is_empty() {
        return Eval { placement: None, misses: vec![Miss::NoBackend] };
    }
    let place = |mode, backend, gpu: Option<&'a GpuInfo>, split: Option<u32>, fit: Fit, note: DraftNote| Placement {
        mode,
        backend,
        gpu,
        gpu_layers: split,
        layers: req.layers,
        draft: if fit.draft { DraftNote::Included } else { note },
        fit,
    };
    // The draft to try beside the model on `backend`, and what to say when it does not come along.
    let offer = |backend| match draft_for(draft, backend) {
        Ok(d) => (Some(d), DraftNote::NoRoom),
        Err(note) => (None, note),
    };

    // NVIDIA: the eligible GPU with the most free memory.
    let cuda_gpu = if req.backends.contains(&Backend::Cuda) {
        match nvidia_gpu(hw, req) {
            Ok(g) => Some(g),
            Err(m) => {
                misses.push(m);
                None
            }
        }
    } else {
        None
    };
    if let Some(g) = cuda_gpu {
        let (d, note) = offer(Backend::Cuda);
        match fit_one(cuda_pool(g), req, d) {
            Ok(f) => {
                return Eval { placement: Some(place(PlanMode::Gpu, Backend::Cuda, Some(g), None, f, note)), misses }
            }
            Err(s) => misses.push(Miss::Memory { pool: PoolKind::Vram, shortfall: s }),
        }
    }
    if req.backends.contains(&Backend::Metal) {
        match hw.gpus.iter().find(|g| g.vendor == GpuVendor::Apple) {
            Some(g) => {
                let (d, note) = offer(Backend::Metal);
                match fit_one(metal_pool(g), req, d) {
                    Ok(f) => {
                        return Eval {
                            placement: Some(place(PlanMode::Gpu, Backend::Metal, Some(g), None, f, note)),
                            misses,
                        }
                    }
                    Err(s) => misses.push(Miss::Memory { pool: PoolKind::Unified, shortfall: s }),
                }
            }
            None => misses.push(Miss::NoDevice(Backend::Metal)),
        }
    }
    if !req.backends.contains(&Backend::Cpu) {
        return Eval { placement: None, misses };
    }
    // The split runs its GPU layers on CUDA; the draft stays in RAM with the CPU layers.
    if let Some(g) = cuda_gpu.filter(|g| !g.unified) {
        let (d, note) = offer(Backend::Cpu);
        match fit_split(cuda_pool(g), ram_pool(hw, anyway), req, d) {
            Ok((n, f)) => {
                return Eval {
                    placement: Some(place(PlanMode::Hybrid, Backend::Cuda, Some(g), Some(n), f, note)),
                    misses,
                }
            }
            Err(s) => misses.push(Miss::Memory { pool: PoolKind::Split, shortfall: s }),
        }
    }
    let (d, note) = offer(Backend::Cpu);
    match fit_one(ram_pool(hw, anyway), req, d) {
        Ok(f) => Eval { placement: Some(place(PlanMode::Cpu, Backend::Cpu, None, None, f, note)), misses },
        Err(s) => {
            misses.push(Miss::Memory { pool: PoolKind::Ram, shortfall: s });
            Eval { placement: None, misses }
        }
    }
}

/// The NVIDIA GPU with the most free memory among those meeting the compute capability.
fn nvidia_gpu<'a>(hw: &'a HardwareInfo, req: &Requirements) -> Result<&'a GpuInfo, Miss> {
    let nvidia: Vec<&GpuInfo> = hw.gpus.iter().filter(|g| g.vendor == GpuVendor::Nvidia).collect();
    let Some(need) = &req.min_compute_capability else {
        return best_free(&nvidia).ok_or(Miss::NoDevice(Backend::Cuda));
    };
    let meets = |g: &&GpuInfo| {
        g.compute_capability.as_deref().and_then(parse_cc).zip(parse_cc(need)).is_some_and(|(h, n)| h >= n)
    };
    let eligible: Vec<&GpuInfo> = nvidia.iter().copied().filter(meets).collect();
    match (best_free(&eligible), best_free(&nvidia)) {
        (Some(g), _) => Ok(g),
        (None, Some(g)) => Err(Miss::ComputeCapability { need: need.clone(), have: g.compute_capability.clone() }),
        (None, None) => Err(Miss::NoDevice(Backend::Cuda)),
    }
}

/// Most free memory; the lower index on a tie.
fn best_free<'a>(gpus: &[&'a GpuInfo]) -> Option<&'a GpuInfo> {
    gpus.iter().copied().min_by_key(|g| (std::cmp::Reverse(g.vram_free), g.index))
}

/// "8.6" → (8, 6).
fn parse_cc(s: &str) -> Option<(u32, u32)> {
    let (major, minor) = s.trim().split_once('.').unwrap_or((s.trim(), "0"));
    Some((major.parse().ok()?, minor.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::parse_cc;

    #[test]
    fn compute_capabilities_compare_numerically() {
        assert_eq!(parse_cc("8.9"), Some((8, 9)));
        assert_eq!(parse_cc("9"), Some((9, 0)));
        assert_eq!(parse_cc("x"), None);
        assert!(parse_cc("10.0") > parse_cc("8.9"));
    }
}
