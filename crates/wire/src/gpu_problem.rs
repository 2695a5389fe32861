//! Why a CUDA build of the app runs on the CPU on this machine: said on the set-up screen, in
//! Settings, under the model badge and by the CLI, instead of a crash or a silent CPU run.

use serde::{Deserialize, Serialize};
use std::fmt;
use ts_rs::TS;

/// The lowest compute capability the CUDA build carries code for (`CUDA_COMPUTE_CAP`'s lowest).
pub const MIN_COMPUTE_CAPABILITY: (u32, u32) = (8, 0);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum GpuProblem {
    /// No NVIDIA driver library (libcuda.so.1, nvcuda.dll) on this machine.
    NoDriver,
    /// A CUDA library the app ships (cuBLAS, cuBLASLt, cuRAND, NVRTC) is missing or broken: the
    /// installation is damaged.
    RuntimeMissing { library: String },
    /// The driver library is there but does not start (its kernel module not loaded, or a
    /// user-space library that does not match it).
    DriverFailed { error: String },
    /// The driver starts but sees no GPU.
    NoGpu,
    /// The driver is older than the CUDA runtime the app ships ("12.4" < "13.0").
    DriverTooOld { driver: String, needs: String },
    /// Every GPU is older than the build's lowest architecture (compute capability 8.0).
    GpuTooOld { gpu: String, compute_capability: String },
}

impl fmt::Display for GpuProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (major, minor) = MIN_COMPUTE_CAPABILITY;
        match self {
            Self::NoDriver => f.write_str(
                "no NVIDIA driver is installed (libcuda.so.1 / nvcuda.dll not found): install NVIDIA's driver \
                 for your GPU to use it",
            ),
            Self::RuntimeMissing { library } => write!(
                f,
                "the CUDA library {library} that comes with Anamnesis is missing or damaged: reinstall Anamnesis"
            ),
            Self::DriverFailed { error } => write!(
                f,
                "the NVIDIA driver is installed but did not start ({error}): restart the computer, or reinstall \
                 the driver"
            ),
            Self::NoGpu => f.write_str("the NVIDIA driver sees no GPU"),
            Self::DriverTooOld { driver, needs } => write!(
                f,
                "the NVIDIA driver supports CUDA {driver}, and this app needs CUDA {needs}: update the driver"
            ),
            Self::GpuTooOld { gpu, compute_capability } => write!(
                f,
                "{gpu} has compute capability {compute_capability}; this app's GPU code needs {major}.{minor} \
                 or newer (RTX 30 series, A100 or later)"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_tagged_and_says_what_to_do() {
        let p = GpuProblem::DriverTooOld { driver: "12.4".into(), needs: "13.0".into() };
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(json, serde_json::json!({"kind": "driver_too_old", "driver": "12.4", "needs": "13.0"}));
        assert_eq!(serde_json::from_value::<GpuProblem>(json).unwrap(), p);
        assert!(p.to_string().ends_with("update the driver"));
        assert!(GpuProblem::NoDriver.to_string().contains("install NVIDIA's driver"));
    }
}
