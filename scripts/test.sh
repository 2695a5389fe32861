#!/usr/bin/env bash
# The README's test command: sets up a fresh Debian machine (packages, npm deps, test models,
# patched crates), then runs every test: UI unit tests, Rust tests, the bindings lockstep
# check, the end-to-end test of the real app under Xvfb, and the .deb install smoke test.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/env.sh
started=$SECONDS
stage() { printf '\n== %s (%ss)\n' "$*" "$((SECONDS - started))"; }

stage "setup"
scripts/setup.sh

stage "Lint: workflows (actionlint, zizmor) and the UI (ESLint)"
scripts/lint-workflows.sh
npm --prefix ui run lint

stage "UI build (the app embeds it)"
npm --prefix ui run build

stage "Rust tests"
cargo test --workspace --no-fail-fast

stage "UI unit tests and type check (against the bindings cargo test just generated)"
npm --prefix ui test
npm --prefix ui run check
npm --prefix ui run test:browser

stage "IPC bindings in lockstep with the Rust types"
if [[ -n "$(git status --porcelain -- ui/src/lib/bindings)" ]]; then
  git status --porcelain -- ui/src/lib/bindings
  git --no-pager diff -- ui/src/lib/bindings | head -50
  echo "ui/src/lib/bindings is out of date: commit the files cargo test regenerated" >&2
  exit 1
fi

stage "End-to-end: the real app"
scripts/test-e2e.sh

stage "Installer: the .deb installs, launches and uninstalls"
scripts/test-deb.sh

stage "all tests passed"
