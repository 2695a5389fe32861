#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine needs to build, run and test Anamnesis, skipping whatever
# is already present (so it is fast when warm). Runs as root, or through sudo otherwise.
# Prerequisites it cannot install itself: Rust 1.90+ (rustup) and Node.js 20.19+ with npm.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

say() { echo "setup: $*"; }
die() { echo "setup: error: $*" >&2; exit 1; }

SUDO=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || die "not root and sudo is not available"
  SUDO=(sudo)
fi

# version_ge A B: true when dotted version A >= B.
version_ge() { [[ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" == "$2" ]]; }

# --- Debian packages --------------------------------------------------------------------------
APT_PACKAGES=(
  build-essential pkg-config curl file patch git python3
  libwebkit2gtk-4.1-dev libgtk-3-dev libxdo-dev libayatana-appindicator3-dev librsvg2-dev libssl-dev
  webkit2gtk-driver xvfb xauth dbus-x11 imagemagick chromium
  # unshare + mount: the download test fills a small tmpfs to prove a full disk keeps the data.
  util-linux mount
  # A CJK font, so the Chinese UI is legible in the browser tests' screenshots.
  fonts-wqy-zenhei
  # The privacy test traces every network syscall of a local chat.
  strace
  # The secrets test runs a real Secret Service in a private D-Bus session.
  gnome-keyring
  # The .deb smoke test finds and resizes the installed app's window and validates its
  # desktop entry (dpkg and dbus-daemon are already there).
  xdotool desktop-file-utils
  # The AppImage tools (scripts/appimage): the runtime links squashfuse, libfuse3 and the
  # decompressors statically; linuxdeploy runs patchelf and mksquashfs; fuse3 brings fusermount3,
  # which mounts an AppImage for a user who is not root.
  libsquashfuse-dev libfuse3-dev libzstd-dev liblzma-dev liblz4-dev liblzo2-dev zlib1g-dev
  patchelf squashfs-tools fuse3
)
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  have_pkg "$pkg" || missing+=("$pkg")
done
# pip is only needed to fetch a test model; any working `python3 -m pip` will do.
if ! python3 -m pip --version >/dev/null 2>&1 && ! have_pkg python3-pip; then
  missing+=(python3-pip)
fi
if ((${#missing[@]})); then
  say "installing apt packages: ${missing[*]}"
  apt_log="$(mktemp "${TMPDIR:-/tmp}/anamnesis-apt.XXXXXX")"
  if ! { "${SUDO[@]}" apt-get update -qq \
    && "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$apt_log" 2>&1; then
    cat "$apt_log" >&2
    rm -f "$apt_log"
    die "apt-get failed"
  fi
  rm -f "$apt_log"
else
  say "apt packages present"
fi

# --- Rust -------------------------------------------------------------------------------------
# rust-toolchain.toml pins a version. Where the machine's one toolchain is that version under the
# name "stable" (rustup cannot fetch another here), link it under the pinned name, which rustup
# would otherwise try to download at the first cargo call in this folder.
pinned="$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)"
if command -v rustup >/dev/null && [[ -n "$pinned" ]]; then
  host="$(RUSTUP_TOOLCHAIN=stable rustc -vV | sed -n 's/^host: //p')"
  toolchains="${RUSTUP_HOME:-$HOME/.rustup}/toolchains"
  if [[ ! -e "$toolchains/$pinned-$host" ]]; then
    stable="$(RUSTUP_TOOLCHAIN=stable rustc --version | awk '{print $2}')"
    if [[ "$stable" == "$pinned" ]]; then
      ln -s "stable-$host" "$toolchains/$pinned-$host"
      say "linked the stable toolchain ($stable) as $pinned"
    else
      say "rust-toolchain.toml pins $pinned and stable is $stable: rustup will install $pinned"
    fi
  fi
  for component in rustfmt clippy; do
    rustup component list --installed 2>/dev/null | grep -q "^$component" \
      || die "the Rust component $component is missing (rustup component add $component)"
  done
fi
RUST_MIN=1.90
if ! command -v cargo >/dev/null; then
  die "cargo not found: install Rust $RUST_MIN or newer first (https://rustup.rs), then re-run this script"
fi
rust_version="$(rustc --version | awk '{print $2}')"
version_ge "${rust_version%%-*}" "$RUST_MIN" \
  || die "Rust $rust_version is too old: $RUST_MIN or newer is required (rustup update stable)"
say "rust $rust_version"

# --- tauri-driver (WebDriver bridge for end-to-end tests) ---------------------------------------
# tauri-driver 2.1.0 has no --version flag, so ask cargo what it installed.
TAURI_DRIVER_VERSION=2.1.0
if command -v tauri-driver >/dev/null \
  && cargo install --list | grep -qx "tauri-driver v$TAURI_DRIVER_VERSION:"; then
  say "tauri-driver $TAURI_DRIVER_VERSION present"
else
  say "installing tauri-driver $TAURI_DRIVER_VERSION (cargo install, takes a few minutes)"
  cargo install --quiet --locked tauri-driver --version "$TAURI_DRIVER_VERSION"
fi

# --- Node.js and the UI's npm dependencies ------------------------------------------------------
NODE_MIN=20.19.0
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  die "node/npm not found: install Node.js $NODE_MIN or newer with npm (e.g. from NodeSource), then re-run"
fi
node_version="$(node --version)"
node_version="${node_version#v}"
version_ge "$node_version" "$NODE_MIN" \
  || die "Node.js $node_version is too old: $NODE_MIN or newer is required (Vite 8)"

if [[ -f ui/package-lock.json ]]; then
  if [[ ! -f ui/node_modules/.package-lock.json || ui/node_modules/.package-lock.json -ot ui/package-lock.json ]]; then
    say "installing ui npm dependencies (npm ci)"
    npm ci --prefix ui --no-audit --no-fund --loglevel=error >/dev/null
  else
    say "ui npm dependencies up to date"
  fi
else
  say "ui/package-lock.json not found; skipping npm ci"
fi

# --- Test models (cached outside the repository) ------------------------------------------------
say "checking test models"
"$ROOT/scripts/fetch-test-models.sh"

# --- Patched crates ---------------------------------------------------------------------------
say "checking patched crates"
"$ROOT/scripts/patch-crates.sh"

say "done"
