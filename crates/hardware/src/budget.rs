//! The memory arithmetic: how much of a pool (GPU memory, unified memory, RAM) a model may use,
//! and the largest context that fits next to its weights. Pure integer math on bytes.

use crate::info::{GpuInfo, HardwareInfo};
use crate::plan::MemoryBreakdown;
use crate::requirements::Requirements;

pub(crate) const GIB: u64 = 1 << 30;
/// Contexts are planned in whole steps of 1024 tokens.
pub(crate) const CONTEXT_STEP: u32 = 1024;
/// The context a hybrid split aims for when deciding how many layers go on the GPU: every layer
/// there carries its share of the KV cache, and 8k leaves a thinking answer room to finish.
const HYBRID_TARGET_CONTEXT: u32 = 8192;

/// A GPU's fixed cost before any weights: the CUDA context plus cuBLAS/Marlin workspaces, which
/// take about 0.5–0.8 GiB on current drivers; we take the top of that range.
const GPU_FIXED_OVERHEAD: u64 = GIB * 8 / 10;

/// Scratch that grows with the model: activations of a prefill chunk, dequantisation buffers and
/// allocator fragmentation. 5 % of the weights resident in the pool.
fn scratch(weights: u64) -> u64 {
    weights / 20
}

/// RAM left to the OS, the app and its WebView: 2 GiB, or 10 % of RAM on large machines.
fn os_reserve(total: u64) -> u64 {
    (2 * GIB).max(total / 10)
}

/// Memory a model may take, and the fixed cost of using it at all.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Pool {
    pub budget: u64,
    pub fixed: u64,
}

/// Free VRAM (not total: another app may hold some).
pub(crate) fn cuda_pool(gpu: &GpuInfo) -> Pool {
    Pool { budget: gpu.vram_free, fixed: GPU_FIXED_OVERHEAD }
}

/// Unified memory: what is available after the OS reserve, and never more than macOS lets Metal
/// wire by default (about 75 % of RAM, `recommendedMaxWorkingSetSize`).
pub(crate) fn metal_pool(gpu: &GpuInfo) -> Pool {
    let usable = gpu.vram_free.saturating_sub(os_reserve(gpu.vram_total));
    Pool { budget: usable.min(gpu.vram_total / 4 * 3), fixed: GPU_FIXED_OVERHEAD }
}

/// Available RAM after the OS reserve; with `anyway`, all RAM but 1 GiB for the kernel and the
/// desktop, counting what other programs use now (they may be swapped out or closed).
pub(crate) fn ram_pool(hw: &HardwareInfo, anyway: bool) -> Pool {
    let budget = if anyway {
        hw.ram_total.saturating_sub(GIB)
    } else {
        hw.ram_available.saturating_sub(os_reserve(hw.ram_total))
    };
    Pool { budget, fixed: 0 }
}

/// The part of a model resident in one pool.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Load {
    pub weights: u64,
    pub kv_per_token: u64,
}

impl Load {
    pub(crate) fn whole(r: &Requirements) -> Self {
        Self { weights: r.weights_bytes, kv_per_token: r.kv_bytes_per_token }
    }
}

/// A pool and what is placed in it.
pub(crate) struct Slot {
    pub pool: Pool,
    pub loads: Vec<Load>,
}

impl Slot {
    pub(crate) fn fixed_cost(&self) -> u64 {
        self.pool.fixed + self.loads.iter().map(|l| l.weights + scratch(l.weights)).sum::<u64>()
    }

    /// How many tokens of KV cache fit after the fixed cost; None when not even that fits.
    fn max_tokens(&self) -> Option<u64> {
        let room = self.pool.budget.checked_sub(self.fixed_cost())?;
        match self.loads.iter().map(|l| l.kv_per_token).sum::<u64>() {
            0 => Some(u64::MAX),
            per_token => Some(room / per_token),
        }
    }
}

/// What fits: a context (a multiple of 1024) and whether the draft model came along.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Fit {
    pub context: u32,
    pub draft: bool,
    pub breakdown: MemoryBreakdown,
}

/// Why nothing fits: what the model needs at its minimum context, and what there is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Shortfall {
    pub need: u64,
    pub usable: u64,
}

/// The largest context every slot allows, rounded down to 1024 and capped.
fn solve(slots: &[Slot], cap: u32) -> Option<u32> {
    let tokens = slots.iter().map(Slot::max_tokens).try_fold(u64::MAX, |m, t| t.map(|t| m.min(t)))?;
    let capped = tokens.min(u64::from(cap)) as u32;
    Some(capped / CONTEXT_STEP * CONTEXT_STEP)
}

/// A thinking trace alone runs to thousands of tokens, so the draft (a speed-up) never costs the
/// main model its room to think: it comes along only if at least this much context remains.
const DRAFT_MIN_CONTEXT: u32 = 8192;

/// Places `main` as `slots` say; the draft, when given, goes into the last slot, and is kept
/// only when the main model still gets `DRAFT_MIN_CONTEXT` (or its own minimum, if larger).
fn fit(mut slots: Vec<Slot>, main: &Requirements, draft: Option<&Requirements>) -> Result<Fit, Shortfall> {
    let shortfall = |slots: &[Slot]| Shortfall {
        need: slots.iter().map(Slot::fixed_cost).sum::<u64>() + u64::from(main.min_context) * main.kv_bytes_per_token,
        usable: slots.iter().map(|s| s.pool.budget).sum(),
    };
    let Some(context) = solve(&slots, main.max_context).filter(|&c| c >= main.min_context) else {
        return Err(shortfall(&slots));
    };
    if let Some(d) = draft {
        if let Some(last) = slots.last_mut() {
            last.loads.push(Load::whole(d));
        }
        let floor = main.min_context.max(DRAFT_MIN_CONTEXT).min(main.max_context);
        if let Some(with) = solve(&slots, main.max_context.min(d.max_context)).filter(|&c| c >= floor) {
            return Ok(Fit { context: with, draft: true, breakdown: breakdown(&slots, with, main, Some(d)) });
        }
        if let Some(last) = slots.last_mut() {
            last.loads.pop();
        }
    }
    Ok(Fit { context, draft: false, breakdown: breakdown(&slots, context, main, None) })
}

pub(crate) fn breakdown(
    slots: &[Slot],
    context: u32,
    main: &Requirements,
    draft: Option<&Requirements>,
) -> MemoryBreakdown {
    let ctx = u64::from(context);
    let budget = slots.iter().map(|s| s.pool.budget).sum::<u64>();
    let weights = main.weights_bytes;
    let kv_cache = ctx * main.kv_bytes_per_token;
    let draft = draft.map_or(0, |d| d.weights_bytes + ctx * d.kv_bytes_per_token);
    let overhead =
        slots.iter().map(|s| s.pool.fixed + s.loads.iter().map(|l| scratch(l.weights)).sum::<u64>()).sum::<u64>();
    let used = weights + kv_cache + draft + overhead;
    MemoryBreakdown { budget, weights, kv_cache, draft, overhead, headroom: budget.saturating_sub(used) }
}

/// The whole model (and the draft, if it fits) in one pool.
pub(crate) fn fit_one(pool: Pool, main: &Requirements, draft: Option<&Requirements>) -> Result<Fit, Shortfall> {
    fit(vec![Slot { pool, loads: vec![Load::whole(main)] }], main, draft)
}

/// `on_gpu` of `main`'s layers (and their share of the KV cache) in `gpu`, the rest in `ram`.
pub(crate) fn split_slots(gpu: Pool, ram: Pool, main: &Requirements, on_gpu: u32) -> Vec<Slot> {
    let share = |total: u64| (u128::from(total) * u128::from(on_gpu)).div_ceil(u128::from(main.layers.max(1))) as u64;
    let g = Load { weights: share(main.weights_bytes), kv_per_token: share(main.kv_bytes_per_token) };
    let r = Load { weights: main.weights_bytes - g.weights, kv_per_token: main.kv_bytes_per_token - g.kv_per_token };
    vec![Slot { pool: gpu, loads: vec![g] }, Slot { pool: ram, loads: vec![r] }]
}

/// Layers split between a GPU and RAM: as many on the GPU as fit with their KV share at the
/// target context, the rest (and the draft) in RAM. Returns the GPU layer count (≥ 1).
pub(crate) fn fit_split(
    gpu: Pool,
    ram: Pool,
    main: &Requirements,
    draft: Option<&Requirements>,
) -> Result<(u32, Fit), Shortfall> {
    let layers = main.layers;
    let split = |on_gpu: u32| split_slots(gpu, ram, main, on_gpu);
    let all_need = Shortfall {
        need: gpu.fixed
            + main.weights_bytes
            + scratch(main.weights_bytes)
            + u64::from(main.min_context) * main.kv_bytes_per_token,
        usable: gpu.budget + ram.budget,
    };
    if layers < 2 {
        return Err(all_need);
    }
    let target = HYBRID_TARGET_CONTEXT.clamp(main.min_context, main.max_context.max(main.min_context));
    for ctx in [target, main.min_context] {
        let tokens = u64::from(ctx);
        let holds = |s: &Slot| s.max_tokens().is_some_and(|t| t >= tokens);
        // More layers on the GPU only add to its load, so the first from the top that fits is the most.
        let Some(on_gpu) = (1..layers).rev().find(|&n| holds(&split(n)[0])) else { continue };
        if holds(&split(on_gpu)[1]) {
            return fit(split(on_gpu), main, draft).map(|f| (on_gpu, f));
        }
    }
    Err(all_need)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(weights: u64, kv: u64) -> Requirements {
        Requirements {
            backends: vec![],
            min_compute_capability: None,
            weights_bytes: weights,
            kv_bytes_per_token: kv,
            layers: 4,
            min_context: 4096,
            max_context: 32768,
        }
    }

    #[test]
    fn context_is_what_is_left_over_kv_per_token_rounded_down() {
        let m = model(20_000, 10);
        let fixed = 1000 + 20_000 + 1000; // pool fixed + weights + 5 % scratch
        let pool = Pool { budget: fixed + 10 * 10_000, fixed: 1000 };
        let f = fit_one(pool, &m, None).unwrap();
        assert_eq!(f.context, 9216);
        assert_eq!(f.breakdown.overhead, 2000);
        assert_eq!(f.breakdown.headroom, 10 * (10_000 - 9216));

        let short = Pool { budget: fixed + 10 * 4000, fixed: 1000 };
        assert_eq!(fit_one(short, &m, None), Err(Shortfall { need: fixed + 10 * 4096, usable: fixed + 40_000 }));
    }

    #[test]
    fn a_split_puts_whole_layers_on_the_gpu() {
        let m = model(4000, 4);
        // Room for two layers (1000 + 50 scratch each) and their KV at 8k (8192 × 1 byte each).
        let gpu = Pool { budget: 100 + 2 * (1050 + 8192) + 500, fixed: 100 };
        let ram = Pool { budget: 1 << 20, fixed: 0 };
        let (n, f) = fit_split(gpu, ram, &m, None).unwrap();
        assert_eq!(n, 2);
        assert!(f.context >= 8192);
        assert_eq!(f.breakdown.weights + f.breakdown.kv_cache, 4000 + 4 * u64::from(f.context));
    }
}
