#!/usr/bin/env bash
# GPU check on a CUDA machine (H100/H200 class): decode speed of Baichuan-M2's exact shape
# (Qwen2.5-32B, GPTQ-Int4, random weights) at several depths, extrapolated to 64 layers, plain
# and with a Qwen3-0.6B-shaped draft, through `anamnesis-cli bench`. Needs only Python 3 and the
# CUDA 13 user-space libraries (e.g. a torch venv) on the GPU machine; the binary is built
# elsewhere (scripts/gpu-check/build-cuda.sh) and carried as bin/anamnesis-cli.xz.
# Logs and a summary go to $OUT (or ./gpu-out).
set -u
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="${OUT:-$HERE/../../gpu-out}"; mkdir -p "$OUT"
T0=$(date +%s); el() { echo $(( $(date +%s) - T0 )); }
say() { echo "[$(el)s] $*" | tee -a "$OUT/summary.txt"; }
LAYERS="${LAYERS:-2 8 32}"; SPEC_LAYERS="${SPEC_LAYERS:-32}"; GAMMAS="${GAMMAS:-2 4}"
# Levers: PAGED=1 adds a PagedAttention run; SHARED_GAMMAS runs a draft made of the target's own
# first 2 layers (always agrees: the best case for each gamma).
PAGED="${PAGED:-0}"; SHARED_GAMMAS="${SHARED_GAMMAS:-}"; PAGED_LAYERS="${PAGED_LAYERS:-}"
[ "${NO_DRAFT:-0}" = 1 ] && GAMMAS=""
NGEN="${NGEN:-256}"; NPROMPT="${NPROMPT:-128}"; T_RUN="${T_RUN:-150}"
VENV="${VENV:-/opt/torch/.venv}"
PY="$VENV/bin/python"; [ -x "$PY" ] || PY="$(command -v python3)"

W=/tmp/anamnesis-gpu; mkdir -p "$W"
"$PY" -c "import lzma,shutil,sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2],'wb'), 1<<24)" \
  "$HERE/bin/anamnesis-cli.xz" "$W/anamnesis-cli" && chmod +x "$W/anamnesis-cli" || { say "no binary"; exit 1; }
"$PY" -c "import lzma,shutil,sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2],'wb'), 1<<24)" \
  "$HERE/bin/tokenizer.json.xz" "$W/tokenizer.json"
cp "$HERE/bin/tokenizer_config.json" "$W/"

LIBDIRS=""
for f in $(find "$VENV" \( -name libcublas.so.13 -o -name libcublasLt.so.13 -o -name libcurand.so.10 -o -name libnvrtc.so.13 -o -name libcudart.so.13 \) 2>/dev/null); do
  d=$(dirname "$f"); case ":$LIBDIRS:" in *":$d:"*) ;; *) LIBDIRS="$LIBDIRS:$d";; esac
done
for d in /usr/local/nvidia/lib64 /usr/lib/x86_64-linux-gnu; do [ -e "$d/libcuda.so.1" ] && LIBDIRS="$LIBDIRS:$d"; done
export LD_LIBRARY_PATH="${LIBDIRS#:}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
ldd "$W/anamnesis-cli" | grep -E "not found" | tee -a "$OUT/summary.txt"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | tee -a "$OUT/summary.txt"
# The roofline's bandwidth: a device-to-device copy on this very card.
"$PY" - > "$OUT/bw.txt" 2>/dev/null <<'PYBW'
import torch, time
a = torch.empty(2 << 30, dtype=torch.uint8, device="cuda"); b = torch.empty_like(a)
for _ in range(3): b.copy_(a)
torch.cuda.synchronize(); t = time.perf_counter()
for _ in range(20): b.copy_(a)
torch.cuda.synchronize(); dt = (time.perf_counter() - t) / 20
print(f"{2 * a.numel() / dt / 1e9:.0f}")
PYBW
say "device copy bandwidth: $(cat "$OUT/bw.txt") GB/s"

M=/dev/shm; [ "$(df -BG --output=avail /dev/shm | tail -1 | tr -dc 0-9)" -gt 40 ] || M=/tmp
[ -n "$SHARED_GAMMAS" ] && LAYERS_ALL="$LAYERS 2" || LAYERS_ALL="$LAYERS"
LAYERS_ALL="$LAYERS_ALL $PAGED_LAYERS"
MAXL=0; for l in $LAYERS_ALL $SPEC_LAYERS; do [ "$l" -gt "$MAXL" ] && MAXL=$l; done
gen() { "$PY" "$HERE/make_gptq_model.py" "$@" --tokenizer "$W/tokenizer.json" --tokenizer-config "$W/tokenizer_config.json" >> "$OUT/gen.log" 2>&1; }
# One full-depth file; shallower targets link its weights (a model reads only its first N layers).
gen "$M/t$MAXL" --preset qwen2.5-32b --layers "$MAXL" --quant gptq --lm-head plain
for l in $LAYERS_ALL $SPEC_LAYERS; do [ "$l" = "$MAXL" ] || [ -d "$M/t$l" ] || gen "$M/t$l" --preset qwen2.5-32b --layers "$l" --quant gptq --lm-head plain --link-weights-from "$M/t$MAXL"; done
# Qwen3-0.6B's layout for a draft: 28 layers, hidden 1024, 8 KV heads x 128, f16.
[ -n "$GAMMAS" ] && gen "$M/draft" --preset qwen2.5-0.5b --layers 28 --hidden 1024 --intermediate 3072 --heads 8 --kv-heads 8 --quant none --dtype f16
say "models ready ($(du -sh "$M/t$MAXL" | cut -f1) target, in $M)"

bench() {  # name, args...
  local name=$1; shift
  timeout "$T_RUN" "$W/anamnesis-cli" bench --prompt-tokens "$NPROMPT" --gen-tokens "$NGEN" --json "$@" > "$OUT/$name.json" 2> "$OUT/$name.err"
  local rc=$?
  say "$name rc=$rc $(cat "$OUT/$name.json" 2>/dev/null | head -c 900) $(grep -E 'error|panicked' "$OUT/$name.err" | head -2 | cut -c1-300)"
}
# GPTQ prefill of 49+ tokens crashed 0.8.1's Marlin kernels (patches/mistralrs-quant); check a
# long prompt first, and fall back to short prompts so decode numbers still come if it fails.
first=${LAYERS%% *}
bench "plain-${first}L" --model "$M/t$first"
if ! grep -q decode_tok_s "$OUT/plain-${first}L.json"; then
  say "long-prompt prefill failed; measuring decode with 32-token prompts"; NPROMPT=32
  bench "plain-${first}L" --model "$M/t$first"
fi
for l in ${LAYERS#* }; do bench "plain-${l}L" --model "$M/t$l"; done
[ "$PAGED" = 1 ] && bench "paged-${SPEC_LAYERS}L" --model "$M/t$SPEC_LAYERS" --paged-attn
for l in $PAGED_LAYERS; do bench "paged-${l}L" --model "$M/t$l" --paged-attn; done
[ -n "$GAMMAS" ] && bench "draft-alone" --model "$M/draft"
for g in $GAMMAS; do bench "spec-${SPEC_LAYERS}L-g$g" --model "$M/t$SPEC_LAYERS" --draft "$M/draft" --gamma "$g"; done
for g in $SHARED_GAMMAS; do bench "shared-${SPEC_LAYERS}L-g$g" --model "$M/t$SPEC_LAYERS" --draft "$M/t2" --gamma "$g"; done
"$PY" "$HERE/summarize.py" "$OUT" | tee -a "$OUT/summary.txt"
say "done"
