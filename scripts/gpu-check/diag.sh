#!/usr/bin/env bash
# Quick diagnosis when run.sh's benches fail on the GPU: which layer of the stack breaks.
set -u
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"; OUT="${OUT:-/tmp/gpu-diag}"; mkdir -p "$OUT"
VENV="${VENV:-/opt/torch/.venv}"; PY="$VENV/bin/python"; [ -x "$PY" ] || PY=python3
W=/tmp/anamnesis-gpu; mkdir -p $W
unxz() { "$PY" -c "import lzma,shutil,sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2],'wb'), 1<<24)" "$1" "$2"; }
unxz "$HERE/bin/anamnesis-cli.xz" $W/anamnesis-cli; chmod +x $W/anamnesis-cli; unxz "$HERE/bin/tokenizer.json.xz" $W/tokenizer.json; cp "$HERE/bin/tokenizer_config.json" $W/
LIBDIRS=""; for f in $(find "$VENV" \( -name libcublas.so.13 -o -name libcublasLt.so.13 -o -name libcurand.so.10 -o -name libnvrtc.so.13 -o -name libcudart.so.13 \) 2>/dev/null); do d=$(dirname "$f"); case ":$LIBDIRS:" in *":$d:"*) ;; *) LIBDIRS="$LIBDIRS:$d";; esac; done
for d in /usr/local/nvidia/lib64; do [ -e "$d/libcuda.so.1" ] && LIBDIRS="$LIBDIRS:$d"; done
export LD_LIBRARY_PATH="${LIBDIRS#:}"
echo "LD_LIBRARY_PATH=$LD_LIBRARY_PATH"; ls -la $(echo $LD_LIBRARY_PATH | tr ':' ' ') 2>/dev/null | grep -E "cublas|cudart|curand|nvrtc" | head
"$PY" -c "import torch;a=torch.randn(64,5120,device='cuda',dtype=torch.half);print('torch',torch.__version__,torch.version.cuda,(a@a.T).float().sum().item())" 2>&1 | tail -2
M=/dev/shm
gen() { "$PY" "$HERE/make_gptq_model.py" "$@" --tokenizer $W/tokenizer.json --tokenizer-config $W/tokenizer_config.json > /dev/null 2>&1; }
gen $M/t2 --preset qwen2.5-32b --layers 2 --quant gptq --lm-head plain
gen $M/p2 --preset qwen2.5-32b --layers 2 --quant none --dtype f16
gen $M/draft --preset qwen2.5-0.5b --layers 4 --hidden 1024 --intermediate 3072 --heads 8 --kv-heads 8 --quant none --dtype f16
run() { local n=$1; shift; echo "== $n: $*"; RUST_BACKTRACE=0 timeout 60 $W/anamnesis-cli "$@" > $OUT/$n.out 2> $OUT/$n.err; echo "rc=$?"; tail -c 600 $OUT/$n.out; grep -vE '^\s+[0-9]+: |^\s*$' $OUT/$n.err | tail -4 | cut -c1-400; }
run chat-gptq chat --model $M/t2 --temperature 0 --max-tokens 8 --thinking off Hello
run chat-f16 chat --model $M/p2 --temperature 0 --max-tokens 8 --thinking off Hello
run chat-draft chat --model $M/draft --temperature 0 --max-tokens 8 --thinking off Hello
run bench-f16 bench --model $M/p2 --prompt-tokens 64 --gen-tokens 16 --json
RUST_LOG=mistralrs_core=debug,candle=debug run chat-gptq-log chat --model $M/t2 --temperature 0 --max-tokens 4 --thinking off Hello
grep -iE "error|fail|dtype|marlin|gptq" $OUT/chat-gptq-log.err | grep -vE '^\s+[0-9]+: ' | head -15 | cut -c1-300
