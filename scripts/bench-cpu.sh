#!/usr/bin/env bash
# CPU prefill/decode speed and peak memory: anamnesis-cli bench (mistral.rs 0.8.1) next to
# llama.cpp (node-llama-cpp's prebuilt CPU build) on the same GGUF files, same threads, same
# prompt and answer lengths, runs alternating, R rounds; one table of medians per model.
#
#   scripts/bench-cpu.sh [--threads N] [--gen N] [--prompt N] [--rounds R] [--build dev|release|both]
#   (defaults: 2 threads, 128 generated tokens, 512 prompt tokens, 3 rounds, dev)
#
# Models: a random-weight Qwen2 in llama.cpp's Q4_K_M layout (the format the app ships: Q4_K,
# Q6_K for half of attn_v/ffn_down and for the tied head), made once by anamnesis-testkit into
# $ANAMNESIS_TEST_MODELS/qwen2-q4km/, and SmolLM2-135M Q4_1 (the test GGUF).
#
# Environment: ANAMNESIS_CLI_BIN (one prebuilt anamnesis-cli for every build asked for),
# ANAMNESIS_CLI_BIN_DEV / ANAMNESIS_CLI_BIN_RELEASE (per build), ANAMNESIS_TESTKIT_BIN: use
# these binaries instead of running cargo. BENCH_KEEP=DIR keeps the raw JSON lines there.
#
# Peak RSS: ours is getrusage's ru_maxrss of anamnesis-cli; llama.cpp's is VmHWM of its node
# process, the V8 runtime (~50 MB) included, nothing subtracted.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/scripts/env.sh"

THREADS=2 NGEN=128 NPROMPT=512 ROUNDS=3 BUILD=dev
usage() { sed -n '5,6p' "$0" | sed 's/^# *//' >&2; exit 2; }
while [[ $# -gt 0 ]]; do
  case "$1" in
    --threads) THREADS="${2:?}"; shift 2 ;;
    --gen) NGEN="${2:?}"; shift 2 ;;
    --prompt) NPROMPT="${2:?}"; shift 2 ;;
    --rounds) ROUNDS="${2:?}"; shift 2 ;;
    --build) BUILD="${2:?}"; shift 2 ;;
    -h | --help) usage ;;
    *) echo "bench-cpu: unknown argument $1" >&2; usage ;;
  esac
done
for v in "$THREADS" "$NGEN" "$NPROMPT" "$ROUNDS"; do
  [[ "$v" =~ ^[1-9][0-9]*$ ]] || { echo "bench-cpu: not a positive number: $v" >&2; exit 2; }
done
case "$BUILD" in
  dev) BUILDS=(dev) ;;
  release) BUILDS=(release) ;;
  both) BUILDS=(dev release) ;;
  *) echo "bench-cpu: --build is dev, release or both" >&2; exit 2 ;;
esac

# --- inputs ----------------------------------------------------------------------------------
SMOL="$ANAMNESIS_TEST_MODELS/smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
TOKENIZER="$ANAMNESIS_TEST_MODELS/qwen3-tokenizer/tokenizer.json"
[[ -f "$SMOL" && -f "$TOKENIZER" ]] || "$ROOT/scripts/fetch-test-models.sh"

# The name carries the generator's parameters: a change makes a new file.
Q4KM="$ANAMNESIS_TEST_MODELS/qwen2-q4km/qwen2-random-h1024-l24-s42.Q4_K_M.gguf"
if [[ ! -f "$Q4KM" ]]; then
  TK="${ANAMNESIS_TESTKIT_BIN:-}"
  if [[ -z "$TK" ]]; then
    # The workspace build the tests use: `-p` alone would unify other features and rebuild
    # mistral.rs for 20 minutes.
    (cd "$ROOT" && cargo build --workspace --quiet)
    TK="$CARGO_TARGET_DIR/debug/anamnesis-testkit"
  fi
  echo "== making $Q4KM (once)"
  "$TK" qwen2-q4km --tokenizer "$TOKENIZER" --out "$Q4KM" --layers 24 --hidden 1024 --seed 42
fi

L="$ANAMNESIS_CACHE/llamacpp"
if [[ ! -d "$L/node_modules/node-llama-cpp" ]]; then
  mkdir -p "$L" && (cd "$L" && npm init -y >/dev/null && npm install --no-audit --no-fund --silent node-llama-cpp@3.22.1)
fi
cp "$ROOT/scripts/bench/llamacpp.mjs" "$L/bench.mjs"

declare -A CLI
for b in "${BUILDS[@]}"; do
  var="ANAMNESIS_CLI_BIN_${b^^}"
  bin="${!var:-${ANAMNESIS_CLI_BIN:-}}"
  if [[ -z "$bin" ]]; then
    if [[ "$b" == dev ]]; then
      (cd "$ROOT" && cargo build --workspace --quiet)
      bin="$CARGO_TARGET_DIR/debug/anamnesis-cli"
    else
      (cd "$ROOT" && cargo build -p anamnesis-cli --release --quiet)
      bin="$CARGO_TARGET_DIR/release/anamnesis-cli"
    fi
  fi
  [[ -x "$bin" ]] || { echo "bench-cpu: no anamnesis-cli at $bin" >&2; exit 1; }
  CLI[$b]="$bin"
done

# --- runs ------------------------------------------------------------------------------------
OUT="${BENCH_KEEP:-$(mktemp -d "${TMPDIR:-/tmp}/bench-cpu.XXXXXX")}"
mkdir -p "$OUT"
[[ -n "${BENCH_KEEP:-}" ]] || trap 'rm -rf -- "$OUT"' EXIT
RESULTS="$OUT/results.jsonl"
: >"$RESULTS"

MODELS=("qwen2-q4km|$Q4KM" "smollm2-q4_1|$SMOL")
ENGINES=()
for b in "${BUILDS[@]}"; do ENGINES+=("ours-$b"); done
ENGINES+=(llama.cpp)

# record MODEL ENGINE ROUND JSON_FILE LOG: one line per run, {"error": …} when it failed.
record() {
  node -e '
    const [model, engine, round, file, log] = process.argv.slice(1);
    const fs = require("fs");
    const lines = fs.readFileSync(file, "utf8").split("\n").filter(l => l.trim().startsWith("{"));
    let r = null;
    try { r = JSON.parse(lines[lines.length - 1]); } catch {}
    if (!r || r.type === "error" || typeof r.decode_tok_s !== "number")
      r = { error: (r && r.message) || fs.readFileSync(log, "utf8").trim().split("\n").slice(-3).join(" | ") || "no JSON" };
    const { model: reported_model, engine: reported_engine, ...rest } = r;
    console.log(JSON.stringify({ model, engine, round: +round, reported_model, reported_engine, ...rest }));
  ' "$@" >>"$RESULTS"
  tail -n1 "$RESULTS" | node -e '
    const r = JSON.parse(require("fs").readFileSync(0, "utf8"));
    console.log(r.error ? `   ${r.engine.padEnd(12)} FAILED: ${r.error}`
      : `   ${r.engine.padEnd(12)} prefill ${r.prefill_tok_s.toFixed(1)} tok/s, decode ${r.decode_tok_s.toFixed(2)} tok/s, peak RSS ${r.peak_rss_mb.toFixed(0)} MB (${r.prompt_tokens}+${r.gen_tokens} tokens)`);'
}

run_engine() { # ENGINE MODEL_FILE JSON_OUT LOG
  local e="$1" m="$2" js="$3" log="$4"
  case "$e" in
    ours-*)
      "${CLI[${e#ours-}]}" --threads "$THREADS" bench --model "$m" --cpu --prompt-tokens "$NPROMPT" \
        --gen-tokens "$NGEN" --json >"$js" 2>"$log" || true ;;
    llama.cpp)
      (cd "$L" && node bench.mjs --model "$m" --threads "$THREADS" --prompt "$NPROMPT" --gen "$NGEN" --json) \
        >"$js" 2>"$log" || true ;;
  esac
}

echo "== $THREADS threads, prompt $NPROMPT, gen $NGEN, $ROUNDS rounds, builds: ${BUILDS[*]}; $(nproc) CPUs"
for ((r = 1; r <= ROUNDS; r++)); do
  # Alternate the order between rounds so neither engine always runs on a warmer machine.
  order=("${ENGINES[@]}")
  if ((r % 2 == 0)); then
    order=()
    for ((i = ${#ENGINES[@]} - 1; i >= 0; i--)); do order+=("${ENGINES[$i]}"); done
  fi
  for mm in "${MODELS[@]}"; do
    name="${mm%%|*}" file="${mm#*|}"
    echo "-- round $r/$ROUNDS, $name; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
    for e in "${order[@]}"; do
      run_engine "$e" "$file" "$OUT/run.json" "$OUT/run.log"
      record "$name" "$e" "$r" "$OUT/run.json" "$OUT/run.log"
    done
  done
done

# --- tables ----------------------------------------------------------------------------------
node - "$RESULTS" "$ROUNDS" <<'JS'
const fs = require("fs");
const [file, rounds] = process.argv.slice(2);
const rows = fs.readFileSync(file, "utf8").split("\n").filter(Boolean).map(JSON.parse);
const median = xs => { if (!xs.length) return NaN; const s = [...xs].sort((a, b) => a - b), m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const fmt = (x, d = 1) => Number.isFinite(x) ? x.toFixed(d) : "-";
const ratio = (a, b) => Number.isFinite(a) && Number.isFinite(b) && b > 0 ? (a / b).toFixed(2) + "x" : "-";
const label = e => e === "llama.cpp" ? "llama.cpp 3.22.1" : `anamnesis ${e.slice(5)}`;
let failed = 0;
for (const model of [...new Set(rows.map(r => r.model))]) {
  const mine = rows.filter(r => r.model === model);
  const stat = {};
  for (const e of [...new Set(mine.map(r => r.engine))]) {
    const ok = mine.filter(r => r.engine === e && !r.error);
    failed += mine.filter(r => r.engine === e && r.error).length;
    stat[e] = { n: ok.length, prefill: median(ok.map(r => r.prefill_tok_s)), decode: median(ok.map(r => r.decode_tok_s)), rss: median(ok.map(r => r.peak_rss_mb)), p: ok[0]?.prompt_tokens, g: ok[0]?.gen_tokens };
  }
  const peer = stat["llama.cpp"] ?? {};
  console.log(`\n${model}: medians of ${rounds} rounds; ratio = ours / llama.cpp (speed: higher is better; RSS: lower is better)`);
  const head = ["engine".padEnd(20), "prefill tok/s".padStart(14), "decode tok/s".padStart(13), "peak RSS MB".padStart(12), "prefill".padStart(8), "decode".padStart(8), "RSS".padStart(8), "ok".padStart(4), "  prompt+gen"];
  console.log(head.join(""));
  for (const [e, s] of Object.entries(stat)) {
    const ours = e !== "llama.cpp";
    console.log([label(e).padEnd(20), fmt(s.prefill).padStart(14), fmt(s.decode, 2).padStart(13), fmt(s.rss, 0).padStart(12),
      (ours ? ratio(s.prefill, peer.prefill) : "").padStart(8), (ours ? ratio(s.decode, peer.decode) : "").padStart(8),
      (ours ? ratio(s.rss, peer.rss) : "").padStart(8), `${s.n}/${rounds}`.padStart(4), `  ${s.p ?? "-"}+${s.g ?? "-"}`].join(""));
  }
}
console.log("\nPeak RSS: anamnesis-cli's ru_maxrss; llama.cpp's node process VmHWM (V8 runtime included).");
process.exitCode = failed ? 1 : 0;
JS
