//! What a load the user chose by hand would take: the model picker's context, GPU layers and
//! draft, placed where the plan for that variant runs it, by the planner's own arithmetic. It
//! says whether it fits; it never refuses (a user may try a load the planner would not).

use crate::budget::{breakdown, cuda_pool, metal_pool, ram_pool, split_slots, Load, Pool, Slot};
use crate::info::HardwareInfo;
use crate::plan::{MemoryBreakdown, Plan};
use crate::requirements::{Backend, Requirements};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A load chosen in the model picker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LoadChoice {
    /// Tokens of context.
    pub context: u32,
    /// Layers on the NVIDIA GPU for a model split with the CPU; `None`: wherever the plan puts
    /// them (all on the GPU it runs on).
    pub gpu_layers: Option<u32>,
    pub draft: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum PoolKind {
    /// An NVIDIA GPU's memory.
    Gpu,
    /// Apple Silicon's memory shared by CPU and GPU.
    Unified,
    Ram,
}

/// One memory pool: what the load would take of what the app may use there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PoolUse {
    pub pool: PoolKind,
    #[ts(type = "number")]
    pub used: u64,
    #[ts(type = "number")]
    pub budget: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LoadEstimate {
    /// Every pool holds what it is given.
    pub fits: bool,
    /// The GPU's pool first, when one is used.
    pub pools: Vec<PoolUse>,
    pub breakdown: MemoryBreakdown,
}

/// The memory `choice` takes for a model of `main`'s requirements (and `draft`'s when chosen),
/// on the device `plan` (the plan for this variant alone) runs it on.
pub fn estimate(
    hw: &HardwareInfo,
    plan: &Plan,
    main: &Requirements,
    draft: Option<&Requirements>,
    choice: &LoadChoice,
) -> LoadEstimate {
    let gpu = plan.gpu.and_then(|i| hw.gpus.iter().find(|g| g.index == i));
    let ram = ram_pool(hw, plan.forced);
    let whole = |pool: Pool| Slot { pool, loads: vec![Load::whole(main)] };
    let (mut slots, kinds) = match (plan.backend, gpu) {
        (Backend::Cuda, Some(g)) => match choice.gpu_layers.unwrap_or(main.layers).min(main.layers) {
            0 => (vec![whole(ram)], vec![PoolKind::Ram]),
            n if n == main.layers => (vec![whole(cuda_pool(g))], vec![PoolKind::Gpu]),
            n => (split_slots(cuda_pool(g), ram, main, n), vec![PoolKind::Gpu, PoolKind::Ram]),
        },
        (Backend::Metal, Some(g)) => (vec![whole(metal_pool(g))], vec![PoolKind::Unified]),
        _ => (vec![whole(ram)], vec![PoolKind::Ram]),
    };
    let draft = draft.filter(|_| choice.draft);
    // The draft goes with the last slot, as the planner places it (RAM beside a split).
    if let (Some(d), Some(last)) = (draft, slots.last_mut()) {
        last.loads.push(Load::whole(d));
    }
    let tokens = u64::from(choice.context);
    let pools: Vec<PoolUse> = slots
        .iter()
        .zip(kinds)
        .map(|(s, pool)| PoolUse {
            pool,
            used: s.fixed_cost() + tokens * s.loads.iter().map(|l| l.kv_per_token).sum::<u64>(),
            budget: s.pool.budget,
        })
        .collect();
    LoadEstimate {
        fits: pools.iter().all(|p| p.used <= p.budget),
        breakdown: breakdown(&slots, choice.context, main, draft),
        pools,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::info::{CpuInfo, GpuInfo, GpuVendor};
    use crate::requirements::Candidate;

    const GB: u64 = 1 << 30;

    fn machine(ram: u64, vram: Option<u64>) -> HardwareInfo {
        HardwareInfo {
            os: "test".into(),
            cpu: CpuInfo { brand: "cpu".into(), physical_cores: 8, threads: 16 },
            ram_total: ram,
            ram_available: ram,
            gpus: vram
                .map(|v| GpuInfo {
                    index: 0,
                    vendor: GpuVendor::Nvidia,
                    name: "gpu".into(),
                    vram_total: v,
                    vram_free: v,
                    compute_capability: Some("8.9".into()),
                    driver: None,
                    cuda: None,
                    unified: false,
                })
                .into_iter()
                .collect(),
            disks: vec![],
            notes: vec![],
        }
    }

    fn gguf() -> Requirements {
        Requirements {
            backends: vec![Backend::Cuda, Backend::Cpu],
            min_compute_capability: None,
            weights_bytes: 18 * GB,
            kv_bytes_per_token: 256 * 1024,
            layers: 64,
            min_context: 4096,
            max_context: 32768,
        }
    }

    fn plan_for(hw: &HardwareInfo) -> Plan {
        crate::plan(hw, &[Candidate { id: "m".into(), label: "M".into(), requirements: gguf() }], None)
    }

    #[test]
    fn the_planned_load_fits_and_matches_the_plan_breakdown() {
        for hw in [machine(64 * GB, Some(24 * GB)), machine(64 * GB, None), machine(32 * GB, Some(12 * GB))] {
            let plan = plan_for(&hw);
            let choice = LoadChoice { context: plan.context, gpu_layers: plan.gpu_layers, draft: false };
            let e = estimate(&hw, &plan, &gguf(), None, &choice);
            assert!(e.fits, "{plan:?} {e:?}");
            assert_eq!(e.breakdown, plan.breakdown);
        }
    }

    #[test]
    fn more_context_or_layers_use_more_and_can_stop_fitting() {
        let hw = machine(32 * GB, Some(12 * GB));
        let plan = plan_for(&hw);
        let n = plan.gpu_layers.expect("a split");
        let at = |context, layers| {
            estimate(&hw, &plan, &gguf(), None, &LoadChoice { context, gpu_layers: layers, draft: false })
        };
        let (small, big) = (at(4096, Some(n)), at(32768, Some(n)));
        assert!(big.pools[0].used > small.pools[0].used && big.pools[1].used > small.pools[1].used);
        let all = at(4096, Some(64));
        assert_eq!(all.pools.iter().map(|p| p.pool).collect::<Vec<_>>(), [PoolKind::Gpu]);
        assert!(!all.fits, "18 GB of weights on a 12 GB GPU");
        let none = at(4096, Some(0));
        assert_eq!(none.pools.iter().map(|p| p.pool).collect::<Vec<_>>(), [PoolKind::Ram]);
    }

    #[test]
    fn the_draft_adds_its_weights_and_cache() {
        let hw = machine(64 * GB, None);
        let plan = plan_for(&hw);
        let d = Requirements { weights_bytes: GB, kv_bytes_per_token: 100 * 1024, ..gguf() };
        let at =
            |draft| estimate(&hw, &plan, &gguf(), Some(&d), &LoadChoice { context: 8192, gpu_layers: None, draft });
        let (without, with) = (at(false), at(true));
        assert_eq!(without.breakdown.draft, 0);
        assert_eq!(with.breakdown.draft, GB + 8192 * 100 * 1024);
        assert!(with.pools[0].used > without.pools[0].used + GB);
    }
}
