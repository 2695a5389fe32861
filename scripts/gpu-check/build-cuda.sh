#!/usr/bin/env bash
# Builds anamnesis-cli with CUDA (sm_90a, for H100/H200) on a machine without a GPU, against a
# CUDA 13.0 toolkit assembled from PyPI wheels, and packs it with the tokenizer into bin/ for
# run.sh. A clean build takes about 40 minutes on 2 cores; later ones reuse target-cuda/.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$HERE/../.."
source "$ROOT/scripts/env.sh"
CUDA="$ANAMNESIS_CACHE/cuda"; T="$CUDA/toolkit"
if [[ ! -x "$T/bin/nvcc" ]]; then
  python3 -m pip install -q --no-deps --target "$CUDA/py" nvidia-cuda-nvcc==13.0.88 nvidia-cuda-runtime==13.0.96 \
    nvidia-cuda-crt==13.0.88 nvidia-cuda-cccl==13.0.85 nvidia-cublas==13.1.0.3 nvidia-curand==10.4.0.35 \
    nvidia-cuda-nvrtc==13.0.88 nvidia-nvvm==13.0.88
  C="$CUDA/py/nvidia/cu13"
  rm -rf "$T"; mkdir -p "$T/lib64/stubs"
  ln -s "$C/bin" "$T/bin"; ln -s "$C/include" "$T/include"; ln -s "$C/nvvm" "$T/nvvm"
  for f in "$C"/lib/*.so*; do ln -sf "$f" "$T/lib64/"; done
  for n in cudart cublas cublasLt curand nvrtc; do (cd "$T/lib64" && ln -sf "$(ls lib$n.so.* | head -1)" "lib$n.so"); done
  # No wheel ships libcuda.so: link against a stub of the driver API (every call says "no device").
  gcc -shared -fPIC -Wl,-soname,libcuda.so.1 -o "$T/lib64/stubs/libcuda.so.1" "$HERE/libcuda_stub.c"
  ln -sf libcuda.so.1 "$T/lib64/stubs/libcuda.so"
fi
export CUDA_HOME="$T" CUDA_PATH="$T" CUDA_ROOT="$T" PATH="$T/bin:$PATH"
export LIBRARY_PATH="$T/lib64:$T/lib64/stubs" CUDA_COMPUTE_CAP="${CUDA_COMPUTE_CAP:-90}" CUDAFORGE_THREADS=2
nvcc --version | grep -q "release 13.0" || { echo "nvcc is not 13.0" >&2; exit 1; }
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
