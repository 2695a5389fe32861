//! `anamnesis-cli hw`: the machine, and the variant and context the planner picks for it.

use crate::CliError;
use anamnesis_hardware::{summary, PlanMode};
use anamnesis_hub::{overview, Catalog};
use clap::Args;
use std::process::ExitCode;

#[derive(Args)]
pub struct HwArgs {
    /// Print the hardware, the plan and the installed models as one JSON object.
    #[arg(long)]
    pub json: bool,
}

const GB: f64 = 1e9;

pub fn run(args: HwArgs) -> Result<ExitCode, CliError> {
    let settings = crate::settings()?;
    let o = overview(anamnesis_hardware::detect(), &Catalog::load(), &settings.models_dir());
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
    println!("\nmodels folder: {} ({} installed)", o.models_dir, o.installed.len());
    Ok(ExitCode::SUCCESS)
}
