//! What `detect()` reports about the machine. Sizes are bytes.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct HardwareInfo {
    /// e.g. "Linux 24.04 Ubuntu 24.04 LTS".
    pub os: String,
    pub cpu: CpuInfo,
    #[ts(type = "number")]
    pub ram_total: u64,
    /// What the OS could hand out now without swapping (caches included).
    #[ts(type = "number")]
    pub ram_available: u64,
    pub gpus: Vec<GpuInfo>,
    pub disks: Vec<DiskInfo>,
    /// Things that could not be read, in words ("NVIDIA driver not found").
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CpuInfo {
    pub brand: String,
    pub physical_cores: u32,
    /// Logical CPUs (hardware threads).
    pub threads: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum GpuVendor {
    Nvidia,
    Apple,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GpuInfo {
    /// The CUDA/NVML device index (0 for Apple).
    pub index: u32,
    pub vendor: GpuVendor,
    pub name: String,
    #[ts(type = "number")]
    pub vram_total: u64,
    /// Not allocated by any process now.
    #[ts(type = "number")]
    pub vram_free: u64,
    /// CUDA compute capability, "major.minor" (e.g. "8.9"); None for Apple.
    pub compute_capability: Option<String>,
    /// Driver version as the vendor prints it (e.g. "550.54.14").
    pub driver: Option<String>,
    /// Highest CUDA version the driver supports (e.g. "12.4").
    pub cuda: Option<String>,
    /// The GPU shares system RAM (Apple Silicon): vram_* mirror the RAM figures.
    pub unified: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DiskInfo {
    pub mount: String,
    #[ts(type = "number")]
    pub total: u64,
    #[ts(type = "number")]
    pub available: u64,
}
