#!/usr/bin/env bash
# Builds anamnesis-cli with CUDA (sm_90a, for H100/H200) on a machine without a GPU, against a
# CUDA 13.0 toolkit assembled from PyPI wheels, and packs it with the tokenizer into bin/ for
# run.sh. A clean build takes about 40 minutes on 2 cores; later ones reuse target-cuda/.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$HERE/../.."
source "$ROOT/scripts/cuda-toolkit.sh"
# The architectures whose code goes into the binary (see multi-arch-check.sh); the GPU check
# machine is sm_90, so that alone builds fastest.
export CUDA_COMPUTE_CAP="${CUDA_COMPUTE_CAP:-90}"
"$ROOT/scripts/patch-crates.sh"
TD="$ANAMNESIS_CACHE/target-cuda"
# cudaforge's incremental cache hashes only the .cu files, not the headers they include (the
# Marlin fix is in a .cuh): when a patch changes, drop the kernel objects so they recompile.
stamp="$(cat "$ROOT"/patches/*.patch | sha256sum | cut -c1-64)"
if [[ -d "$TD/release/build" && "$(cat "$TD/.patch-stamp" 2>/dev/null)" != "$stamp" ]]; then
  rm -f "$TD"/release/build/mistralrs-{core,quant}-*/out/*.o "$TD"/release/build/mistralrs-{core,quant}-*/out/*.a
  touch "$ROOT"/.patched/mistralrs-{core,quant}/build.rs
fi
CARGO_TARGET_DIR="$TD" cargo build --release -p anamnesis-cli --features cuda
echo "$stamp" > "$TD/.patch-stamp"
mkdir -p "$HERE/bin"
xz -9e -T2 -c "$ANAMNESIS_CACHE/target-cuda/release/anamnesis-cli" > "$HERE/bin/anamnesis-cli.xz"
xz -9 -c "$ANAMNESIS_TEST_MODELS/qwen3-tokenizer/tokenizer.json" > "$HERE/bin/tokenizer.json.xz"
cp "$ANAMNESIS_TEST_MODELS/qwen3-tokenizer/tokenizer_config.json" "$HERE/bin/"
ls -la "$HERE/bin"
