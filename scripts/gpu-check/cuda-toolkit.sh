#!/usr/bin/env bash
# Sourced: assembles a CUDA 13.0 toolkit from PyPI wheels under $ANAMNESIS_CACHE/cuda (once) and
# exports CUDA_HOME, PATH and LIBRARY_PATH for it. Used by build-cuda.sh and multi-arch-check.sh.
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../env.sh"
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
# cuobjdump (to list the architectures in a binary) has no 13.0 wheel; the oldest 13.x reads 13.0's.
if [[ ! -d "$CUDA/cuobjdump" ]]; then
  python3 -m pip install -q --no-deps --target "$CUDA/cuobjdump" nvidia-cuda-cuobjdump==13.2.51
fi
export CUOBJDUMP="$(find "$CUDA/cuobjdump" -type f -name cuobjdump | head -1)"
export CUDA_HOME="$T" CUDA_PATH="$T" CUDA_ROOT="$T" PATH="$T/bin:$PATH"
export LIBRARY_PATH="$T/lib64:$T/lib64/stubs" CUDAFORGE_THREADS="${CUDAFORGE_THREADS:-2}"
nvcc --version | grep -q "release 13.0" || { echo "nvcc is not 13.0" >&2; return 1; }
