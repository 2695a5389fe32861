//! The sentences a plan gives people. Plain facts about memory; no claims about speed.

use crate::budget::Shortfall;
use crate::format::{context_phrase, gb, gb_whole};
use crate::info::{GpuInfo, HardwareInfo};
use crate::plan::{DraftNote, Miss, Placement, PlanMode, PoolKind};
use crate::requirements::Backend;

fn gpu_desc(g: &GpuInfo) -> String {
    if g.unified {
        format!("{} ({} GB unified memory, {} GB free)", g.name, gb_whole(g.vram_total), gb(g.vram_free))
    } else {
        format!("{} ({} GB, {} GB free)", g.name, gb_whole(g.vram_total), gb(g.vram_free))
    }
}

/// The draft model's part of the sentence; `and` joins it to the list before it.
fn draft_tail(note: DraftNote) -> (&'static str, String) {
    match note {
        DraftNote::NotOffered => ("", String::new()),
        DraftNote::Included => (" and the draft model", String::new()),
        DraftNote::NoRoom => ("", "; no room left for the draft model".into()),
        DraftNote::WrongBackend(b) => ("", format!("; the draft model does not run on {}", b.name())),
    }
}

/// Why the chosen variant runs the way it does, e.g. "NVIDIA GeForce RTX 4090 (24 GB, 23.1 GB free):
/// Baichuan-M2-32B GPTQ-Int4 on the GPU with a 5k context and the draft model."
pub(crate) fn chosen(hw: &HardwareInfo, label: &str, p: &Placement) -> String {
    let ctx = context_phrase(p.fit.context);
    let (and_draft, note) = draft_tail(p.draft);
    let ram_free = gb(hw.ram_available);
    match (p.mode, p.gpu) {
        (PlanMode::Gpu, Some(g)) => {
            let on = if p.backend == Backend::Metal { "on the GPU (Metal)" } else { "on the GPU" };
            format!("{}: {label} {on} with {ctx}{and_draft}{note}.", gpu_desc(g))
        }
        (PlanMode::Hybrid, Some(g)) => {
            let n = p.gpu_layers.unwrap_or(0);
            let rest = if and_draft.is_empty() { format!(" and {ctx}") } else { format!(", {ctx}{and_draft}") };
            format!(
                "{} and {ram_free} GB free RAM: {label} with {n} of {} layers on the GPU, the rest in RAM{rest}{note}.",
                gpu_desc(g),
                p.layers
            )
        }
        _ => format!(
            "{} threads and {ram_free} GB free RAM: {label} on the CPU with {ctx}{and_draft}{note}.",
            hw.cpu.threads
        ),
    }
}

/// For a variant that would also run but was not preferred.
pub(crate) fn also_fits(p: &Placement, chosen: Option<&str>) -> String {
    let how = match p.mode {
        PlanMode::Gpu => "on the GPU".to_string(),
        PlanMode::Hybrid => format!("with {} of {} layers on the GPU", p.gpu_layers.unwrap_or(0), p.layers),
        _ => "on the CPU".to_string(),
    };
    let after = chosen.map(|c| format!("; {c} is preferred")).unwrap_or_default();
    format!("fits {how} with {}{after}", context_phrase(p.fit.context))
}

/// Why a variant does not run here, e.g. "needs compute capability 8.0; this GPU has 7.5".
pub(crate) fn miss(m: &Miss) -> String {
    match m {
        Miss::NoBackend => "lists no backend it runs on".into(),
        Miss::NoDevice(Backend::Cuda) => "needs an NVIDIA GPU (CUDA); none found".into(),
        Miss::NoDevice(Backend::Metal) => "needs Apple Silicon (Metal)".into(),
        Miss::NoDevice(Backend::Cpu) => "cannot run on the CPU".into(),
        Miss::ComputeCapability { need, have } => match have {
            Some(h) => format!("needs compute capability {need}; this GPU has {h}"),
            None => format!("needs compute capability {need}; this GPU's is unknown"),
        },
        Miss::Memory { pool, shortfall: s } => {
            let (need, usable) = (gb(s.need), gb(s.usable));
            match pool {
                PoolKind::Vram => format!("needs {need} GB of GPU memory, {usable} GB free"),
                PoolKind::Unified => format!("needs {need} GB of unified memory, {usable} GB usable"),
                PoolKind::Split => format!("needs {need} GB of GPU memory and RAM together, {usable} GB usable"),
                PoolKind::Ram => format!("needs {need} GB of RAM, {usable} GB usable"),
            }
        }
    }
}

/// Nothing fits for lack of memory: the closest variant and by how much.
pub(crate) fn short(label: &str, min_context: u32, s: Shortfall) -> String {
    format!(
        "Not enough memory: {label} needs {} GB with {} and {} GB is usable ({} GB short).",
        gb(s.need),
        context_phrase(min_context),
        gb(s.usable),
        gb(s.need.saturating_sub(s.usable))
    )
}

/// Nothing fits for another reason than memory.
pub(crate) fn nothing_runs(label: &str, m: &Miss) -> String {
    format!("No variant runs on this machine: {label} {}.", miss(m))
}

/// A plan that runs only because the user chose to try anyway: the plan, then the risk.
pub(crate) fn forced(reason: &str) -> String {
    format!(
        "Trying anyway. {reason} This counts memory other programs use now: the computer may slow down, \
         and the system may close programs, this one included, if memory runs out."
    )
}
