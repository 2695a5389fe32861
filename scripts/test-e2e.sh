#!/usr/bin/env bash
# Builds the app with the UI embedded, makes the tiny model, starts Xvfb, and drives the real
# window through tauri-driver + WebKitWebDriver. Screenshots land in target/e2e/.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/env.sh

[[ -f ui/dist/index.html ]] || npm --prefix ui run build
# --workspace everywhere: the same feature set as the test stage, so no dependency is rebuilt.
cargo build --workspace
"$CARGO_TARGET_DIR/debug/anamnesis-testkit" tiny-qwen3 \
  --out "$ANAMNESIS_TEST_MODELS/tiny-qwen3" \
  --tokenizer "$ANAMNESIS_TEST_MODELS/qwen3-tokenizer/tokenizer.json" \
  --template models/templates/baichuan-m2.jinja

# The tests note each tauri-driver's process group here (the app runs in it); if the runner dies,
# cleanup ends exactly those groups, never processes found by name (the user's own Anamnesis).
E2E_PGIDS="$(mktemp)"
export E2E_PGIDS
cleanup() {
  while read -r g; do [[ "$g" =~ ^[0-9]+$ ]] && kill -KILL -- "-$g" 2>/dev/null; done < "$E2E_PGIDS" || true
  rm -f "$E2E_PGIDS"
  rm -rf "${E2E_KEYRING:-}" "${E2E_KEYRING_LOCKED:-}"
  [[ -n "${XVFB_PID:-}" ]] && kill "$XVFB_PID" 2>/dev/null || true
}
trap cleanup EXIT
if [[ -z "${DISPLAY:-}" ]]; then
  n=90
  while [[ -e "/tmp/.X$n-lock" || -e "/tmp/.X11-unix/X$n" ]]; do n=$((n + 1)); done
  Xvfb ":$n" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
  XVFB_PID=$!
  export DISPLAY=":$n"
  for _ in $(seq 50); do [[ -S "/tmp/.X11-unix/X$n" ]] && break; sleep 0.1; done
  [[ -S "/tmp/.X11-unix/X$n" ]] || { echo "Xvfb did not start on :$n" >&2; exit 1; }
fi

export ANAMNESIS_APP="$CARGO_TARGET_DIR/debug/anamnesis"
export ANAMNESIS_TINY_MODEL="$ANAMNESIS_TEST_MODELS/tiny-qwen3"
export ANAMNESIS_TESTKIT="$CARGO_TARGET_DIR/debug/anamnesis-testkit"
export ANAMNESIS_SHOTS="$ROOT/target/e2e"
export NO_AT_BRIDGE=1
# Software rendering: CI machines have no GPU for WebKit's compositor.
export WEBKIT_DISABLE_COMPOSITING_MODE=1 LIBGL_ALWAYS_SOFTWARE=1
export TAURI_DRIVER_PORT="${TAURI_DRIVER_PORT:-$((4400 + RANDOM % 500))}"
# The app keeps the history's key in the Secret Service and refuses a kernel keyring for it (it
# forgets at reboot): the run gets its own D-Bus session with an unlocked GNOME Keyring.
E2E_KEYRING="$(mktemp -d)"
export E2E_KEYRING
dbus-run-session -- sh -c 'printf e2e-keyring | HOME="$E2E_KEYRING" scripts/keyring-up.sh --unlock \
  && exec node --test --test-concurrency=1 tests/e2e/app.test.mjs tests/e2e/xss.test.mjs tests/e2e/memory.test.mjs tests/e2e/keyboard.test.mjs'

# A first start on a desktop whose keyring is locked (auto-login): its own D-Bus session, with a
# login keyring made with a password in an earlier one and the daemon started again without it.
# DISPLAY stays out of the bus's activation environment, so GNOME's unlock prompt fails as a
# dismissed one does (under Xvfb it would wait for an answer).
E2E_KEYRING_LOCKED="$(mktemp -d)"
export E2E_KEYRING_LOCKED E2E_DISPLAY="$DISPLAY"
env -u DISPLAY HOME="$E2E_KEYRING_LOCKED" dbus-run-session -- sh -c \
  'printf e2e-login | scripts/keyring-up.sh --unlock'
env -u DISPLAY dbus-run-session -- sh -c 'HOME="$E2E_KEYRING_LOCKED" scripts/keyring-up.sh --start \
  && DISPLAY="$E2E_DISPLAY" exec node --test tests/e2e/keychain.test.mjs'
