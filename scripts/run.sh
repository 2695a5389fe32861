#!/usr/bin/env bash
# The README's run command: sets up a fresh Debian machine, builds the optimised app with the
# UI embedded, and opens it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/env.sh
scripts/setup.sh
npm --prefix ui run build
cargo build --release --workspace
exec "$CARGO_TARGET_DIR/release/anamnesis" "$@"
