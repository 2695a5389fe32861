#!/usr/bin/env bash
# Sourced: the CUDA 13.0 toolkit from NVIDIA's PyPI wheels (scripts/cuda-toolkit.txt, hash-pinned)
# under $CUDA_PREFIX (default $ANAMNESIS_CACHE/cuda), once; exports what nvcc, cudaforge and the
# linker need, and CUDA_LIBS (the libraries an installer ships: those the app opens at run time)
# and CUOBJDUMP.
# Linux (this machine, the release runner) and Windows (the release runner's Git Bash).
# CUDA_COMPUTE_CAP is the caller's: see multi-arch-check.sh.
_cuda_here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$_cuda_here/env.sh"
CUDA_PREFIX="${CUDA_PREFIX:-$ANAMNESIS_CACHE/cuda}"
_cuda_stamp="$(cat "$_cuda_here/cuda-toolkit.txt" "$_cuda_here/cuda-objdump.txt" | cksum | cut -d' ' -f1)"
# Windows runners have `python`, not always `python3`.
_cuda_py="$(command -v python3 || command -v python)"
if [[ "$(cat "$CUDA_PREFIX/.stamp" 2>/dev/null)" != "$_cuda_stamp" ]]; then
  rm -rf "$CUDA_PREFIX"
  "$_cuda_py" -m pip install -q --no-deps --require-hashes --target "$CUDA_PREFIX/py" -r "$_cuda_here/cuda-toolkit.txt"
  "$_cuda_py" -m pip install -q --no-deps --require-hashes --target "$CUDA_PREFIX/objdump" -r "$_cuda_here/cuda-objdump.txt"
  echo "$_cuda_stamp" > "$CUDA_PREFIX/.stamp"
fi
_cu="$CUDA_PREFIX/py/nvidia/cu13"
case "$(uname -s)" in
  MINGW* | MSYS* | CYGWIN*)
    # The wheels already form a toolkit tree: bin/nvcc.exe, include/, lib/x64/*.lib (import
    # libraries, cudart.lib among them), bin/x86_64/*.dll. cudaforge finds lib/x64 from nvcc.
    export CUDA_PATH="$(cygpath -w "$_cu")" CUDA_HOME="$(cygpath -w "$_cu")"
    export PATH="$_cu/bin:$_cu/bin/x86_64:$_cu/nvvm/bin:$PATH"
    # The static runtime under the name the kernel crates link (`cudart`; see the Linux case).
    mkdir -p "$CUDA_PREFIX/static"
    cp "$_cu/lib/x64/cudart_static.lib" "$CUDA_PREFIX/static/cudart.lib"
    export LIB="$(cygpath -w "$CUDA_PREFIX/static");${LIB:-}"
    CUDA_LIBS="$(ls "$_cu"/bin/x86_64/{cublas64_13,cublasLt64_13,curand64_10,nvrtc64_130_0,nvrtc-builtins64_130}.dll 2>/dev/null | tr '\n' ' ')"
    ;;
  *)
    T="$CUDA_PREFIX/toolkit"
    if [[ ! -x "$T/bin/nvcc" ]]; then
      rm -rf "$T"; mkdir -p "$T/lib64/stubs"
      ln -s "$_cu/bin" "$T/bin"; ln -s "$_cu/include" "$T/include"; ln -s "$_cu/nvvm" "$T/nvvm"
      for f in "$_cu"/lib/*.so*; do ln -sf "$f" "$T/lib64/"; done
      for n in cublas cublasLt curand nvrtc; do (cd "$T/lib64" && ln -sf "$(ls lib$n.so.* | head -1)" "lib$n.so"); done
      # The kernel crates link `-lcudart` (dylib); this linker script makes that the static
      # runtime, so the binary needs no libcudart.so at start (a missing one would stop it
      # before main) and the CUDA libraries it needs are all opened at run time, and checked.
      echo "INPUT($_cu/lib/libcudart_static.a -ldl -lrt -lpthread)" > "$T/lib64/libcudart.so"
      # No wheel ships libcuda.so (it is the driver's): a stub where every call says "no device",
      # for tests that link it; the app itself loads the driver at run time (patches/candle-core).
      gcc -shared -fPIC -Wl,-soname,libcuda.so.1 -o "$T/lib64/stubs/libcuda.so.1" "$_cuda_here/gpu-check/libcuda_stub.c"
      ln -sf libcuda.so.1 "$T/lib64/stubs/libcuda.so"
    fi
    export CUDA_HOME="$T" CUDA_PATH="$T" CUDA_ROOT="$T" PATH="$T/bin:$PATH"
    export LIBRARY_PATH="$T/lib64:$T/lib64/stubs"
    CUDA_LIBS="$(ls "$_cu"/lib/{libcublas.so.13,libcublasLt.so.13,libcurand.so.10,libnvrtc.so.13,libnvrtc-builtins.so.13.0} 2>/dev/null | tr '\n' ' ')"
    ;;
esac
export CUDA_LIBS CUDAFORGE_THREADS="${CUDAFORGE_THREADS:-2}"
CUOBJDUMP="$(find "$CUDA_PREFIX/objdump" -type f \( -name cuobjdump -o -name cuobjdump.exe \) | head -1)"
export CUOBJDUMP
nvcc --version | grep -q "release 13.0" || { echo "cuda-toolkit: nvcc is not 13.0" >&2; return 1; }
