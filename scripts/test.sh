#!/usr/bin/env bash
# The README's test command: sets up a fresh Debian machine (packages, npm deps, test models,
# patched crates), then runs the gates (actionlint/zizmor, rustfmt, ESLint, clippy, svelte-check)
# and every test: UI unit tests, Rust tests, the bindings lockstep check, the end-to-end test of
# the real app under Xvfb, the .deb install smoke test and the AppImage smoke test.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/env.sh
started=$SECONDS
stage() { printf '\n== %s (%ss)\n' "$*" "$((SECONDS - started))"; }

stage "setup"
scripts/setup.sh

stage "Lint: workflows (actionlint, zizmor), Rust formatting, the UI (ESLint)"
scripts/lint-workflows.sh
cargo fmt --all --check
npm --prefix ui run lint

# clippy lints the workspace's own crates while cargo compiles them for the tests: clippy-driver
# as cargo's workspace wrapper, which is what `cargo clippy` does, with warnings as errors. The
# dependencies are compiled once, not a second time in check mode (on a fresh 2-core machine
# that second pass over mistral.rs, candle and the GTK stack took minutes). Set after setup, so
# `cargo install` there is not linted; every later cargo call shares the fingerprints.
RUSTC_WORKSPACE_WRAPPER="$(rustup which clippy-driver 2>/dev/null || command -v clippy-driver)"
export RUSTC_WORKSPACE_WRAPPER
export CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"

stage "UI build (the app embeds it)"
npm --prefix ui run build

stage "Rust tests (clippy -D warnings on the workspace as it compiles)"
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

stage "Installer: the AppImage, built without GitHub, runs here and in a root without GTK/WebKitGTK"
scripts/test-appimage.sh

stage "all tests passed"
