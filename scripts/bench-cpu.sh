#!/usr/bin/env bash
# CPU decode on SmolLM2-135M (the test GGUF): anamnesis-cli bench (plain and with SmolLM2 as
# its own draft) next to llama.cpp (node-llama-cpp's prebuilt CPU build) on the same file, same
# threads, in one run. Usage: scripts/bench-cpu.sh [THREADS] [GEN_TOKENS]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/env.sh"
THREADS="${1:-2}"; NGEN="${2:-128}"
M="$ANAMNESIS_TEST_MODELS/smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
[[ -f "$M" ]] || "$ROOT/scripts/fetch-test-models.sh"
L="$ANAMNESIS_CACHE/llamacpp"
if [[ ! -d "$L/node_modules/node-llama-cpp" ]]; then
  mkdir -p "$L" && (cd "$L" && npm init -y >/dev/null && npm install --no-audit --no-fund --silent node-llama-cpp@3.22.1)
fi
cargo build --workspace --quiet
echo "== anamnesis-cli (mistral.rs 0.8.1), $THREADS threads; load: $(cut -d' ' -f1-3 /proc/loadavg)"
"$CARGO_TARGET_DIR/debug/anamnesis-cli" --threads "$THREADS" bench --model "$M" --prompt-tokens 512 \
  --gen-tokens "$NGEN" --draft "$M" --gamma 3
echo "== llama.cpp on the same file, $THREADS threads"
cp "$ROOT/scripts/bench/llamacpp.mjs" "$L/bench.mjs"
(cd "$L" && node bench.mjs "$M" "$THREADS" "$NGEN")
