#!/usr/bin/env bash
# The CUDA build on a machine without an NVIDIA driver (this one): it must start, say why the GPU
# cannot be used, plan the CPU, and answer there. Run after build-cuda.sh (the CUDA CLI) and a
# test run (the tiny model). Three cases:
#  - no driver at all (no libcuda.so.1 anywhere): "no NVIDIA driver is installed";
#  - a driver (the toolkit's stub libcuda.so.1, where every call says CUDA_ERROR_NO_DEVICE) but
#    not the CUDA libraries the installers ship: "the CUDA library cuBLAS ... is missing";
#  - the stub driver and the shipped libraries: "the NVIDIA driver sees no GPU".
# Writes results/no-driver.txt.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
source "$ROOT/scripts/cuda-toolkit.sh"
CLI="$ANAMNESIS_CACHE/target-cuda/release/anamnesis-cli"
# A tiny model the test run made: the e2e one, else one the Rust tests generated.
MODEL="${MODEL:-$ANAMNESIS_TEST_MODELS/tiny-qwen3}"
[[ -d "$MODEL" ]] || MODEL="$(find "$ANAMNESIS_TEST_MODELS/generated" -maxdepth 1 -name 'tiny-qwen3-scripted-*' | sort | head -1)"
[[ -x "$CLI" ]] || { echo "no CUDA CLI at $CLI: run build-cuda.sh first" >&2; exit 1; }
[[ -n "$MODEL" && -d "$MODEL" ]] || { echo "no tiny model: run the tests first" >&2; exit 1; }
! ldconfig -p | grep -q 'libcuda\.so\.1' || { echo "this machine has an NVIDIA driver: the check needs one without" >&2; exit 1; }
RUNTIME="$(dirname "${CUDA_LIBS%% *}")"
report="$HERE/results/no-driver.txt"
fail() { echo "no-driver-check: $*" >&2; exit 1; }

run_case() { # NAME LD_LIBRARY_PATH EXPECTED
  local name="$1" libs="$2" expect="$3" home
  home="$(mktemp -d)"
  echo "## $name (LD_LIBRARY_PATH=${libs//$ANAMNESIS_CACHE/\$ANAMNESIS_CACHE})"
  local env=(env -i PATH=/usr/bin:/bin HOME="$home" XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data" LD_LIBRARY_PATH="$libs")
  local hw chat
  hw="$("${env[@]}" "$CLI" hw 2>&1)" || { echo "$hw"; fail "$name: hw failed"; }
  grep -E "GPU cannot be used|^Runs|CPU" <<<"$hw" | head -4
  grep -qF "$expect" <<<"$hw" || { echo "$hw"; fail "$name: hw does not say \"$expect\""; }
  chat="$("${env[@]}" "$CLI" chat --model "$MODEL" --max-tokens 16 --thinking off "Hello" 2>&1)" \
    || { echo "$chat"; fail "$name: chat failed"; }
  grep -iE "cpu|GPU cannot" <<<"$chat" | head -3
  grep -qF "$expect" <<<"$chat" || { echo "$chat"; fail "$name: chat does not say \"$expect\""; }
  rm -rf "$home"
}

{
  echo "# $(date -u +%F), $(basename "$CLI") built with CUDA 13.0 ($(grep -oE 'sm_[0-9]+a?' <<<"$("$CUOBJDUMP" --list-elf "$CLI" 2>/dev/null)" | sort -u | paste -sd, -), $(du -m "$CLI" | cut -f1) MB)"
  echo "## ldd: no CUDA library is needed at start (the runtime is static, the rest opened at run time)"
  ldd "$CLI" | sed 's/ (0x.*//'
  ! ldd "$CLI" | grep -qE "cuda|cublas|curand|nvrtc" || fail "the binary needs a CUDA library at start"
  run_case "no driver" "$RUNTIME" "no NVIDIA driver is installed"
  run_case "a driver, without the CUDA libraries the installers ship" "$CUDA_HOME/lib64/stubs" \
    "the CUDA library cuBLAS that comes with Anamnesis is missing"
  run_case "a driver that sees no GPU (stub libcuda.so.1)" "$RUNTIME:$CUDA_HOME/lib64/stubs" "the NVIDIA driver sees no GPU"
  echo "no-driver-check: ok"
} 2>&1 | tee "$report"
grep -q "no-driver-check: ok" "$report"
