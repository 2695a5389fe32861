#!/usr/bin/env bash
# The README's run command: sets up a fresh Debian machine, builds the app with the UI embedded,
# and opens it. It shares the test command's build (model math is compiled optimised in every
# profile), so after the tests it starts at once; installers use `cargo build --release`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/env.sh
scripts/setup.sh
npm --prefix ui run build
cargo build --workspace
exec "$CARGO_TARGET_DIR/debug/anamnesis" "$@"
