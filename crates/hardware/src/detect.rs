//! Reads the machine. Nothing here fails: what cannot be read is left out, with a note.

use crate::info::{CpuInfo, DiskInfo, GpuInfo, GpuVendor, HardwareInfo};
use std::path::Path;
use sysinfo::{CpuRefreshKind, Disks, MemoryRefreshKind, RefreshKind, System};

pub fn detect() -> HardwareInfo {
    let sys = System::new_with_specifics(
        RefreshKind::nothing().with_memory(MemoryRefreshKind::nothing().with_ram()).with_cpu(CpuRefreshKind::nothing()),
    );
    let threads = match sys.cpus().len() {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    } as u32;
    let cpu = CpuInfo {
        brand: sys
            .cpus()
            .first()
            .map(|c| c.brand().trim().to_string())
            .filter(|b| !b.is_empty())
            .unwrap_or_else(System::cpu_arch),
        physical_cores: System::physical_core_count().map_or(threads, |n| n as u32),
        threads,
    };
    let mut notes = Vec::new();
    let mut gpus = Vec::new();
    nvidia(&mut gpus, &mut notes);
    #[cfg(all(target_os = "macos", target_arch = "aarch64"))]
    gpus.push(apple_gpu(&cpu.brand, sys.total_memory(), sys.available_memory()));
    if sys.total_memory() == 0 {
        notes.push("the amount of RAM could not be read".into());
    }
    HardwareInfo {
        os: os_name(),
        cpu,
        ram_total: sys.total_memory(),
        ram_available: sys.available_memory(),
        gpus,
        disks: disks(),
        notes,
    }
}

fn os_name() -> String {
    System::long_os_version()
        .or_else(|| {
            System::name().map(|n| format!("{n} {}", System::os_version().unwrap_or_default()).trim().to_string())
        })
        .unwrap_or_else(|| std::env::consts::OS.to_string())
}

/// Real filesystems, one entry per filesystem: bind mounts and containers list the same
/// filesystem under several paths, and the shortest path is the one people know.
fn disks() -> Vec<DiskInfo> {
    let list = Disks::new_with_refreshed_list();
    let mut all: Vec<(&sysinfo::Disk, String)> = list
        .list()
        .iter()
        .filter(|d| d.total_space() > 0 && d.file_system() != "squashfs")
        .map(|d| (d, d.mount_point().to_string_lossy().into_owned()))
        .collect();
    all.sort_by(|a, b| (a.1.len(), &a.1).cmp(&(b.1.len(), &b.1)));
    let mut out: Vec<DiskInfo> = Vec::new();
    let mut seen: Vec<(&std::ffi::OsStr, u64)> = Vec::new();
    for (d, mount) in all {
        let key = (d.name(), d.total_space());
        if seen.contains(&key) || out.iter().any(|o| o.mount == mount) {
            continue;
        }
        seen.push(key);
        out.push(DiskInfo { mount, total: d.total_space(), available: d.available_space() });
    }
    out
}

/// Free space (for this user) on the filesystem holding `path`; the folder need not exist yet,
/// its nearest existing parent is asked.
pub fn free_space(path: &Path) -> Option<u64> {
    let mut at = Some(path);
    while let Some(p) = at {
        if p.exists() {
            return fs2::available_space(p).ok();
        }
        at = p.parent().filter(|q| !q.as_os_str().is_empty());
    }
    // A relative path with no existing parent lives in the current folder.
    fs2::available_space(Path::new(".")).ok()
}

/// Apple Silicon: the GPU shares RAM, so its "VRAM" is the RAM.
#[cfg_attr(not(all(target_os = "macos", target_arch = "aarch64")), allow(dead_code))]
pub(crate) fn apple_gpu(brand: &str, ram_total: u64, ram_available: u64) -> GpuInfo {
    GpuInfo {
        index: 0,
        vendor: GpuVendor::Apple,
        name: brand.to_string(),
        vram_total: ram_total,
        vram_free: ram_available,
        compute_capability: None,
        driver: None,
        cuda: None,
        unified: true,
    }
}

#[cfg(any(target_os = "linux", target_os = "windows"))]
fn nvidia(gpus: &mut Vec<GpuInfo>, notes: &mut Vec<String>) {
    crate::nvidia::detect(gpus, notes);
}

/// NVIDIA has no macOS driver.
#[cfg(not(any(target_os = "linux", target_os = "windows")))]
fn nvidia(_gpus: &mut Vec<GpuInfo>, _notes: &mut Vec<String>) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_space_asks_the_nearest_existing_folder() {
        let here = std::env::temp_dir();
        let missing = here.join("anamnesis-no-such-folder").join("models");
        assert!(free_space(&here).is_some_and(|n| n > 0));
        assert_eq!(free_space(&missing).map(|n| n > 0), Some(true));
        assert!(free_space(Path::new("no-such-relative-folder")).is_some());
    }

    #[test]
    fn apple_gpu_mirrors_ram() {
        let g = apple_gpu("Apple M2 Max", 64 << 30, 40 << 30);
        assert!(g.unified && g.vendor == GpuVendor::Apple && g.vram_total == 64 << 30 && g.vram_free == 40 << 30);
    }
}
