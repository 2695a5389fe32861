#!/usr/bin/env bash
# Checks that patches/cudaforge makes one fat binary from a list in CUDA_COMPUTE_CAP, on this
# machine (no GPU): builds two of candle's real kernels through the patched cudaforge, as the
# kernel crates' build scripts do, then lists what the outputs hold with cuobjdump:
#  - a library (build_lib, as mistral.rs' and candle's MoE kernels): SASS for every listed
#    architecture and PTX for the newest, which later GPUs JIT-compile;
#  - PTX (build_ptx, as candle's other kernels): for the lowest architecture, so that the driver
#    JIT-compiles it on every listed GPU and newer.
# Writes results/multi-arch.txt; exits non-zero when an architecture is missing.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
source "$ROOT/scripts/cuda-toolkit.sh"
"$ROOT/scripts/patch-crates.sh"
CAPS="${CUDA_COMPUTE_CAP:-80,86,89,90+PTX}"
KERNELS="$(find "${CARGO_HOME:-$HOME/.cargo}/registry/src" -maxdepth 2 -type d -name candle-kernels-0.10.2 | head -1)"
if [[ -z "$KERNELS" ]]; then
  cargo fetch --quiet --manifest-path "$ROOT/Cargo.toml"
  KERNELS="$(find "${CARGO_HOME:-$HOME/.cargo}/registry/src" -maxdepth 2 -type d -name candle-kernels-0.10.2 | head -1)"
fi
P="$ANAMNESIS_CACHE/fat-check"
rm -rf "$P/src"; mkdir -p "$P/src"
cat > "$P/Cargo.toml" <<TOML
[package]
name = "fat-check"
version = "0.0.0"
edition = "2021"
publish = false
[build-dependencies]
cudaforge = { path = "$ROOT/.patched/cudaforge" }
[workspace]
TOML
echo 'fn main() {}' > "$P/src/main.rs"
cat > "$P/build.rs" <<RS
fn main() {
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").unwrap());
    cudaforge::KernelBuilder::new()
        .source_files(vec!["$KERNELS/src/moe/moe_wmma.cu"])
        .arg("--expt-relaxed-constexpr").arg("-std=c++17").arg("-O3").arg("-Xcompiler").arg("-fPIC")
        .build_lib(out.join("libfat.a"))
        .expect("library kernels");
    cudaforge::KernelBuilder::new()
        .source_files(vec!["$KERNELS/src/affine.cu"])
        .arg("--expt-relaxed-constexpr").arg("-std=c++17").arg("-O3")
        .build_ptx()
        .expect("PTX kernels")
        .write(out.join("ptx.rs"))
        .expect("ptx.rs");
    println!("cargo:warning=OUT={}", out.display());
}
RS
started=$(date +%s)
log="$(CUDA_COMPUTE_CAP="$CAPS" CARGO_TARGET_DIR="$P/target" cargo build --manifest-path "$P/Cargo.toml" 2>&1)" || { echo "$log" >&2; exit 1; }
out="$(echo "$log" | sed -n 's/.*warning: fat-check@[^ ]*: OUT=//p' | tail -1)"
[[ -d "$out" ]] || { echo "$log" >&2; echo "no build output" >&2; exit 1; }
report="$HERE/results/multi-arch.txt"
{
  echo "# CUDA_COMPUTE_CAP=$CAPS, nvcc $(nvcc --version | sed -n 's/.*release \([0-9.]*\).*/\1/p'), $(date -u +%F), $(( $(date +%s) - started )) s"
  echo "## library (candle-kernels src/moe/moe_wmma.cu, build_lib): cuobjdump --list-elf / --list-ptx"
  "$CUOBJDUMP" --list-elf "$out/libfat.a" || true
  "$CUOBJDUMP" --list-ptx "$out/libfat.a" || true
  echo "## PTX (candle-kernels src/affine.cu, build_ptx): .target"
  grep -h '^\.target' "$out"/*.ptx
} | tee "$report"
want=(sm_80 sm_86 sm_89 sm_90a)
[[ "$CAPS" == "80,86,89,90+PTX" ]] || want=()
for a in "${want[@]}"; do grep -q "\.$a\.cubin" "$report" || { echo "missing $a" >&2; exit 1; }; done
if [[ "$CAPS" == *+PTX ]]; then grep -q '\.sm_90\.ptx\|compute_90' "$report" || { echo "missing PTX" >&2; exit 1; }; fi
echo "multi-arch-check: ok"
