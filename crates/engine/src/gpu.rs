//! Whether this build can put the model on an NVIDIA GPU here. A CUDA build loads the driver at
//! run time (candle's cudarc with `dynamic-loading`, patches/candle-core), so it starts on a
//! machine without one; this check runs before mistral.rs touches CUDA, which would panic there.

use anamnesis_wire::{GpuProblem, MIN_COMPUTE_CAPABILITY};

/// What the driver said, gathered apart from judging it so that `classify` is tested without one.
/// (Without the `cuda` feature only the tests use these.)
#[cfg_attr(not(feature = "cuda"), allow(dead_code))]
#[derive(Debug)]
pub(crate) struct DriverProbe {
    /// The driver library could be opened.
    pub present: bool,
    /// The first CUDA library the app ships that could not be opened.
    pub missing_library: Option<String>,
    /// What `cuInit` said when it failed.
    pub init_error: Option<String>,
    /// CUDA versions as the driver API gives them: 13000 is 13.0.
    pub driver_version: Option<i32>,
    pub runtime_version: Option<i32>,
    /// Each GPU's name and compute capability.
    pub gpus: Vec<(String, (u32, u32))>,
}

#[cfg_attr(not(feature = "cuda"), allow(dead_code))]
pub(crate) fn classify(p: &DriverProbe) -> Option<GpuProblem> {
    if !p.present {
        return Some(GpuProblem::NoDriver);
    }
    if let Some(library) = &p.missing_library {
        return Some(GpuProblem::RuntimeMissing { library: library.clone() });
    }
    if let (Some(driver), Some(runtime)) = (p.driver_version, p.runtime_version) {
        if driver < runtime {
            return Some(GpuProblem::DriverTooOld { driver: version(driver), needs: version(runtime) });
        }
    }
    if let Some(error) = &p.init_error {
        return Some(GpuProblem::DriverFailed { error: error.clone() });
    }
    let Some((name, _)) = p.gpus.first() else {
        return Some(GpuProblem::NoGpu);
    };
    if p.gpus.iter().all(|(_, cc)| *cc < MIN_COMPUTE_CAPABILITY) {
        let (major, minor) = p.gpus[0].1;
        return Some(GpuProblem::GpuTooOld { gpu: name.clone(), compute_capability: format!("{major}.{minor}") });
    }
    None
}

/// 12040 → "12.4".
#[cfg_attr(not(feature = "cuda"), allow(dead_code))]
fn version(v: i32) -> String {
    format!("{}.{}", v / 1000, v % 1000 / 10)
}

/// Why the GPU this build was made for cannot be used here; `None` where it can, and in a build
/// without CUDA (whose own notice is `gpu_unused`). Checked once per process.
pub fn gpu_problem() -> Option<GpuProblem> {
    #[cfg(feature = "cuda")]
    {
        static CHECK: std::sync::OnceLock<Option<GpuProblem>> = std::sync::OnceLock::new();
        CHECK.get_or_init(|| classify(&cuda::probe())).clone()
    }
    #[cfg(not(feature = "cuda"))]
    None
}

#[cfg(feature = "cuda")]
mod cuda {
    use super::DriverProbe;
    use cudarc::driver::{result, sys};
    use std::ffi::c_int;

    extern "C" {
        // The CUDA runtime, linked statically (scripts/cuda-toolkit.sh): the CUDA version the app
        // was built with, which the driver must support. Needs no driver.
        fn cudaRuntimeGetVersion(version: *mut c_int) -> c_int;
    }

    pub(super) fn probe() -> DriverProbe {
        // SAFETY: only tries to open the driver library.
        let present = unsafe { sys::is_culib_present() };
        let mut runtime = 0;
        // SAFETY: writes one int; needs no driver.
        let runtime_version = (unsafe { cudaRuntimeGetVersion(&mut runtime) } == 0).then_some(runtime);
        if !present {
            return DriverProbe {
                present,
                missing_library: None,
                init_error: None,
                driver_version: None,
                runtime_version,
                gpus: Vec::new(),
            };
        }
        // The libraries cudarc opens at first use (and panics without); the installers ship them.
        let libraries: [(&str, unsafe fn() -> bool); 4] = [
            ("cuBLAS", cudarc::cublas::sys::is_culib_present),
            ("cuBLASLt", cudarc::cublaslt::sys::is_culib_present),
            ("cuRAND", cudarc::curand::sys::is_culib_present),
            ("NVRTC", cudarc::nvrtc::sys::is_culib_present),
        ];
        // SAFETY: each only tries to open its library.
        let missing_library = libraries.iter().find(|(_, present)| !unsafe { present() }).map(|(n, _)| n.to_string());
        let mut driver = 0;
        // SAFETY: writes one int; the library is present (checked above).
        let driver_version = unsafe { sys::cuDriverGetVersion(&mut driver) }.result().ok().map(|_| driver);
        let (init_error, gpus) = match result::init() {
            Ok(()) => (None, gpus()),
            // The driver runs and sees no GPU.
            Err(e) if e.0 == sys::CUresult::CUDA_ERROR_NO_DEVICE => (None, Vec::new()),
            Err(e) => (Some(format!("{:?}", e.0)), Vec::new()),
        };
        DriverProbe { present, missing_library, init_error, driver_version, runtime_version, gpus }
    }

    fn gpus() -> Vec<(String, (u32, u32))> {
        let attr = |d, a| {
            // SAFETY: `d` is a device handle the driver gave.
            unsafe { result::device::get_attribute(d, a) }.ok().map(|v| v.max(0) as u32)
        };
        (0..result::device::get_count().unwrap_or(0))
            .filter_map(|i| {
                let d = result::device::get(i).ok()?;
                let name = result::device::get_name(d).unwrap_or_else(|_| format!("GPU {i}"));
                let major = attr(d, sys::CUdevice_attribute::CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR)?;
                let minor = attr(d, sys::CUdevice_attribute::CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR)?;
                Some((name, (major, minor)))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn working() -> DriverProbe {
        DriverProbe {
            present: true,
            missing_library: None,
            init_error: None,
            driver_version: Some(13000),
            runtime_version: Some(13000),
            gpus: vec![("NVIDIA GeForce RTX 4090".into(), (8, 9))],
        }
    }

    #[test]
    fn a_working_driver_and_gpu_is_no_problem() {
        assert_eq!(classify(&working()), None);
        let newer = DriverProbe { driver_version: Some(13020), gpus: vec![("B200".into(), (10, 0))], ..working() };
        assert_eq!(classify(&newer), None);
    }

    #[test]
    fn each_problem_is_named() {
        let none = DriverProbe { present: false, driver_version: None, ..working() };
        assert_eq!(classify(&none), Some(GpuProblem::NoDriver));
        let damaged = DriverProbe { missing_library: Some("cuBLASLt".into()), ..working() };
        assert_eq!(classify(&damaged), Some(GpuProblem::RuntimeMissing { library: "cuBLASLt".into() }));
        let old = DriverProbe { driver_version: Some(12040), ..working() };
        assert_eq!(classify(&old), Some(GpuProblem::DriverTooOld { driver: "12.4".into(), needs: "13.0".into() }));
        let failed = DriverProbe { init_error: Some("CUDA_ERROR_NOT_INITIALIZED".into()), gpus: vec![], ..working() };
        assert_eq!(classify(&failed), Some(GpuProblem::DriverFailed { error: "CUDA_ERROR_NOT_INITIALIZED".into() }));
        let empty = DriverProbe { gpus: vec![], ..working() };
        assert_eq!(classify(&empty), Some(GpuProblem::NoGpu));
        let turing = DriverProbe { gpus: vec![("Tesla T4".into(), (7, 5))], ..working() };
        assert_eq!(
            classify(&turing),
            Some(GpuProblem::GpuTooOld { gpu: "Tesla T4".into(), compute_capability: "7.5".into() })
        );
        // One usable GPU among old ones is enough.
        let mixed = DriverProbe { gpus: vec![("Tesla T4".into(), (7, 5)), ("A100".into(), (8, 0))], ..working() };
        assert_eq!(classify(&mixed), None);
    }

    #[test]
    fn a_build_without_cuda_has_no_gpu_problem_to_report() {
        if !crate::BUILT_WITH_CUDA {
            assert_eq!(gpu_problem(), None);
        }
    }
}
