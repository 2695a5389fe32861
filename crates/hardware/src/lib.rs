//! Hardware detection and the variant/context planner.
//!
//! `detect()` reads the machine (never fails: what cannot be read is left out, with a note);
//! `plan()` is a pure function from that picture and the catalog's candidates to a plan.

mod budget;
mod detect;
mod estimate;
mod format;
mod info;
#[cfg(any(target_os = "linux", target_os = "windows"))]
mod nvidia;
mod plan;
mod reasons;
mod requirements;

pub use detect::{detect, free_space};
pub use estimate::{estimate, LoadChoice, LoadEstimate, PoolKind, PoolUse};
pub use format::summary;
pub use info::{CpuInfo, DiskInfo, GpuInfo, GpuVendor, HardwareInfo};
pub use plan::{plan, plan_with, Alternative, MemoryBreakdown, Plan, PlanMode, SHORT_CONTEXT};
pub use requirements::{Backend, Candidate, Requirements};
