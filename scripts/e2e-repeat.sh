#!/usr/bin/env bash
# Runs the end-to-end stage N times in a row (default 10) with the machine loaded by stress-ng
# (all cores busy, memory and disk churn), and stops at the first failure: a flaky e2e test is a
# bug until its cause is found. Logs go to target/e2e-repeat/run-K.log.
#   scripts/e2e-repeat.sh [N] [--no-load]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
runs="${1:-10}"
load=1
[[ "${2:-}" == "--no-load" ]] && load=0
logs="$ROOT/target/e2e-repeat"
mkdir -p "$logs"

stress_pid=""
stop_stress() { [[ -n "$stress_pid" ]] && kill -- "-$stress_pid" 2>/dev/null || true; }
trap stop_stress EXIT
if ((load)); then
  command -v stress-ng >/dev/null || { echo "e2e-repeat: stress-ng not found (apt-get install stress-ng)" >&2; exit 1; }
  # Its own process group, so exactly it is ended.
  setsid stress-ng --cpu "$(nproc)" --vm 1 --vm-bytes 1G --hdd 1 --hdd-bytes 256M --quiet &
  stress_pid=$!
fi

for ((k = 1; k <= runs; k++)); do
  started=$SECONDS
  if scripts/test-e2e.sh >"$logs/run-$k.log" 2>&1; then
    echo "e2e-repeat: run $k/$runs passed in $((SECONDS - started))s (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  else
    echo "e2e-repeat: run $k/$runs FAILED after $((SECONDS - started))s: $logs/run-$k.log" >&2
    tail -30 "$logs/run-$k.log" >&2
    exit 1
  fi
done
echo "e2e-repeat: $runs runs in a row passed$( ((load)) && echo " under stress-ng")"
