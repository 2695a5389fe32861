//! NVIDIA GPUs through NVML, which `nvml-wrapper` loads at run time (libnvidia-ml.so.1 /
//! nvml.dll): a machine without the driver simply has no NVIDIA GPU.

use crate::info::{GpuInfo, GpuVendor};
use nvml_wrapper::error::NvmlError;
use nvml_wrapper::{cuda_driver_version_major, cuda_driver_version_minor, Nvml};

pub(crate) fn detect(gpus: &mut Vec<GpuInfo>, notes: &mut Vec<String>) {
    let nvml = match Nvml::init() {
        Ok(n) => n,
        Err(NvmlError::LibloadingError(_)) => return notes.push("NVIDIA driver not found".into()),
        Err(NvmlError::DriverNotLoaded) => return notes.push("NVIDIA driver installed but not loaded".into()),
        Err(e) => return notes.push(format!("NVIDIA GPUs could not be read: {e}")),
    };
    let driver = nvml.sys_driver_version().ok();
    let cuda = nvml
        .sys_cuda_driver_version()
        .ok()
        .map(|v| format!("{}.{}", cuda_driver_version_major(v), cuda_driver_version_minor(v)));
    let count = match nvml.device_count() {
        Ok(n) => n,
        Err(e) => return notes.push(format!("NVIDIA GPUs could not be counted: {e}")),
    };
    for index in 0..count {
        let read = || -> Result<GpuInfo, NvmlError> {
            let d = nvml.device_by_index(index)?;
            let mem = d.memory_info()?;
            Ok(GpuInfo {
                index,
                vendor: GpuVendor::Nvidia,
                name: d.name()?,
                vram_total: mem.total,
                vram_free: mem.free,
                compute_capability: d.cuda_compute_capability().ok().map(|c| format!("{}.{}", c.major, c.minor)),
                driver: driver.clone(),
                cuda: cuda.clone(),
                unified: false,
            })
        };
        match read() {
            Ok(g) => gpus.push(g),
            Err(e) => notes.push(format!("NVIDIA GPU {index} could not be read: {e}")),
        }
    }
}
