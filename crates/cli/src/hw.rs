//! `anamnesis-cli hw`: the machine, and the variant and context the planner picks for it.

use crate::CliError;
use anamnesis_hardware::{summary, PlanMode};
use anamnesis_hub::Catalog;
use clap::Args;
use std::process::ExitCode;

#[derive(Args)]
pub struct HwArgs {
    /// Print the hardware, the plan and the installed models as one JSON object.
    #[arg(long)]
    pub json: bool,
    /// Short of memory: plan with a context down to 2k tokens (saved for the app and `download`).
    #[arg(long)]
    pub short_context: bool,
    /// Short of memory: count the RAM other programs use now. The computer may slow down, and the
    /// system may close programs when memory runs out (saved for the app and `download`).
    #[arg(long)]
    pub try_anyway: bool,
    /// Forget both choices above.
    #[arg(long, conflicts_with_all = ["short_context", "try_anyway"])]
    pub no_fallbacks: bool,
}

const GB: f64 = 1e9;

pub fn run(args: HwArgs) -> Result<ExitCode, CliError> {
    let (store, catalog) = (crate::settings_store(), Catalog::load());
    let o = if args.short_context || args.try_anyway || args.no_fallbacks {
        let mut fallback = crate::settings()?.memory_fallback;
        fallback.short_context |= args.short_context;
        fallback.anyway |= args.try_anyway;
        if args.no_fallbacks {
            fallback = Default::default();
        }
        anamnesis_app::models::set_memory_fallback(&store, &catalog, fallback)?
    } else {
        anamnesis_app::models::overview(&store, &catalog)?
    };
    if args.json {
        println!("{}", serde_json::to_string(&o).expect("overview serializes"));
        return Ok(ExitCode::SUCCESS);
    }
    println!("{}", summary(&o.hardware));
    for g in &o.hardware.gpus {
        let cc = g.compute_capability.as_deref().map(|c| format!(", compute {c}")).unwrap_or_default();
        println!(
            "  GPU {}: {} {:.1} GB ({:.1} free){cc}",
            g.index,
            g.name,
            g.vram_total as f64 / GB,
            g.vram_free as f64 / GB
        );
    }
    for n in &o.hardware.notes {
        println!("  note: {n}");
    }
    if let Some(gpu) = &o.gpu_unused {
        println!("\n{gpu} goes unused: this build has no CUDA. The NVIDIA installer (Anamnesis-cuda) uses it.");
    }
    if let Some(problem) = &o.gpu_problem {
        println!("\nThe GPU cannot be used: {problem}. Models run on the CPU.");
    }
    let p = &o.plan;
    println!("\n{}", p.reason);
    if p.mode != PlanMode::Unsupported {
        let b = &p.breakdown;
        println!(
            "  memory: weights {:.1} GB + KV cache {:.1} GB + draft {:.1} GB + overhead {:.1} GB of {:.1} GB ({:.1} GB spare)",
            b.weights as f64 / GB,
            b.kv_cache as f64 / GB,
            b.draft as f64 / GB,
            b.overhead as f64 / GB,
            b.budget as f64 / GB,
            b.headroom as f64 / GB
        );
    }
    for a in &p.alternatives {
        println!("  {} {}: {}", if a.fits { "✓" } else { "✗" }, a.label, a.reason);
    }
    if p.fallbacks.short_context {
        println!("\nA shorter context (2k tokens) would make it fit: anamnesis-cli hw --short-context");
    }
    if p.fallbacks.anyway {
        println!(
            "\nCounting the memory other programs use would make it fit: anamnesis-cli hw --try-anyway \
             (the computer may slow down, and the system may close programs when memory runs out)"
        );
    }
    println!("\nmodels folder: {} ({} installed)", o.models_dir, o.installed.len());
    Ok(ExitCode::SUCCESS)
}
