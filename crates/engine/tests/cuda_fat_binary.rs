//! patches/cudaforge-0.1.6.patch: `CUDA_COMPUTE_CAP="80,86,89,90+PTX"` builds the CUDA kernels of
//! candle and mistral.rs for every listed GPU generation in one binary (upstream reads one
//! architecture only). The nvcc build itself is checked by scripts/gpu-check/multi-arch-check.sh.

use cudaforge::{FatTargets, GpuArch};

#[test]
fn a_list_of_architectures_gives_machine_code_for_each_and_ptx_for_the_newest() {
    let fat = FatTargets::parse("80,86,89,90+PTX").unwrap().expect("a list is a fat build");
    assert_eq!(
        fat.gencode_args(),
        [
            "-gencode=arch=compute_80,code=sm_80",
            "-gencode=arch=compute_86,code=sm_86",
            "-gencode=arch=compute_89,code=sm_89",
            "-gencode=arch=compute_90a,code=sm_90a",
            // Plain compute_90, not 90a: arch-specific PTX would not JIT on later GPUs.
            "-gencode=arch=compute_90,code=compute_90",
        ]
    );
    // Feature checks in the kernel crates' build scripts (`compute_cap >= 80`) see the lowest.
    assert_eq!(fat.lowest(), GpuArch::new(80));
    // candle's PTX kernels (JIT-compiled by the driver) target the lowest, so they load on all.
    assert_eq!(fat.ptx_arg(), "-gencode=arch=compute_80,code=compute_80");
}

#[test]
fn one_architecture_builds_as_before_and_nonsense_is_refused() {
    assert_eq!(FatTargets::parse("90").unwrap(), None);
    assert!(FatTargets::parse("80,sm_x").is_err());
    assert!(FatTargets::parse(" , ").is_err());
}
