#!/usr/bin/env bash
# Download benchmark (issue #4): a 2 GiB file from the loopback fake hub, fetched by `curl -o`
# and by `anamnesis-cli download` (download + sha256 verification, 8 parallel parts) in the same
# run, then `anamnesis-cli verify` for the re-hash throughput. Prints one table.
# Usage: scripts/bench-download.sh [SIZE_MIB]   (needs curl and bc)
# It uses the test build (sha2 at opt-level 3, hyper and the rest at 1: Cargo.toml), which the test
# command has already built; a release build of the model stack would cost far more here.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/env.sh
SIZE_MIB="${1:-2048}"
cargo build --workspace --quiet
BIN="$CARGO_TARGET_DIR/debug"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/anamnesis-bench.XXXXXX")"
HUB_PID=""
cleanup() { [[ -n "$HUB_PID" ]] && kill "$HUB_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

head -c "$((SIZE_MIB << 20))" /dev/urandom > "$WORK/weights.safetensors"
"$BIN/anamnesis-testkit" fake-hub --repo bench/model "$WORK/weights.safetensors" > "$WORK/hub.url" &
HUB_PID=$!
until [[ -s "$WORK/hub.url" ]]; do sleep 0.1; done
URL="$(head -1 "$WORK/hub.url")"
t() { local s; s=$(date +%s.%N); "$@" >/dev/null; echo "$(date +%s.%N) - $s" | bc; }
median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }
export ANAMNESIS_CONFIG_DIR="$WORK/config" HF_TOKEN=""
# Rounds alternate, each after `sync`, so neither side inherits the other's dirty pages.
CURL=(); SHA=(); OURS=()
for round in 1 2 3; do
  rm -rf "$WORK/curl.out" "$WORK/ours"; sync
  CURL+=("$(t curl -sfL -o "$WORK/curl.out" "$URL/bench/model/resolve/main/weights.safetensors")")
  SHA+=("$(t sha256sum "$WORK/curl.out")")
  rm -f "$WORK/curl.out"; sync
  OURS+=("$(t "$BIN/anamnesis-cli" download bench/model --endpoint "$URL" --no-modelscope --dir "$WORK/ours" --json ${CONN:+--connections $CONN})")
done
VERIFY_S=$(t "$BIN/anamnesis-cli" verify "$WORK/ours" --json)
CURL_S=$(median "${CURL[@]}"); SHA_S=$(median "${SHA[@]}"); OURS_S=$(median "${OURS[@]}")
SEQ_S=$(echo "$CURL_S + $SHA_S" | bc -l)
GB=$(echo "scale=3; $SIZE_MIB * 1048576 / 1000000000" | bc)
printf '\n| %s MiB from loopback (median of 3) | seconds | GB/s |\n|---|---|---|\n' "$SIZE_MIB"
printf '| curl -o (no hash, no fsync) | %.2f | %.2f |\n' "$CURL_S" "$(echo "$GB / $CURL_S" | bc -l)"
printf '| curl -o, then sha256sum (sequential) | %.2f | %.2f |\n' "$SEQ_S" "$(echo "$GB / $SEQ_S" | bc -l)"
printf '| anamnesis-cli download (%s parts + sha256 + fsync) | %.2f | %.2f |\n' "${CONN:-8}" "$OURS_S" "$(echo "$GB / $OURS_S" | bc -l)"
printf '| ratio anamnesis / curl | %.2f× | |\n' "$(echo "$OURS_S / $CURL_S" | bc -l)"
printf '| anamnesis-cli verify (re-hash) | %.2f | %.2f |\n' "$VERIFY_S" "$(echo "$GB / $VERIFY_S" | bc -l)"
echo "runs: curl ${CURL[*]} / sha256sum ${SHA[*]} / anamnesis ${OURS[*]}"
