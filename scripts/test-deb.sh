#!/usr/bin/env bash
# Installer smoke test. Packages the debug build the other tests use as a .deb (tauri bundle: no
# second build), installs it with dpkg, checks what it put on disk, then launches the INSTALLED
# binary under Xvfb with a throwaway HOME, XDG folders and D-Bus session, and checks that
#   - its window appears and belongs to that process,
#   - the UI came up from the embedded assets and reached the Rust side (the database appears),
#   - a second launch hands over to the first and exits (single instance),
#   - a resized window, closed, is saved and comes back at that size (window state),
# then removes the package. Runs as root, or through sudo otherwise.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/env.sh

say() { echo "test-deb: $*"; }
ok() { echo "test-deb: ok: $*"; }
die() { echo "test-deb: FAIL: $*" >&2; [[ -f "${LOG:-}" ]] && { echo "--- app log" >&2; tail -40 "$LOG" >&2; }; exit 1; }

SUDO=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || die "not root and sudo is not available"
  SUDO=(sudo)
fi
for tool in dpkg dpkg-deb Xvfb xdotool dbus-daemon gnome-keyring-daemon python3; do
  command -v "$tool" >/dev/null || die "$tool not found (scripts/setup.sh installs it)"
done

# --- package ----------------------------------------------------------------------------------
[[ -f ui/dist/index.html ]] || npm --prefix ui run build
# --workspace: the feature set of the test stage, so nothing is rebuilt when it already ran.
cargo build --workspace
BIN="$CARGO_TARGET_DIR/debug/anamnesis"
[[ -x "$BIN" ]] || die "no debug build at $BIN"
BUNDLE_DIR="$CARGO_TARGET_DIR/debug/bundle/deb"
rm -rf "$BUNDLE_DIR"
# `tauri bundle` packages the binary cargo just built; `tauri build` would run cargo again with
# its own flags (and rebuild the model stack).
(cd src-tauri && ../ui/node_modules/.bin/tauri bundle --debug --bundles deb --ci)
shopt -s nullglob
debs=("$BUNDLE_DIR"/*.deb)
shopt -u nullglob
((${#debs[@]} == 1)) || die "expected one .deb in $BUNDLE_DIR, found ${#debs[@]}"
DEB="${debs[0]}"
PKG="$(dpkg-deb -f "$DEB" Package)"
say "built $DEB ($(du -h "$DEB" | cut -f1), package $PKG $(dpkg-deb -f "$DEB" Version))"

depends="$(dpkg-deb -f "$DEB" Depends)"
deps=()
IFS=',' read -ra fields <<<"$depends"
for f in "${fields[@]}"; do
  f="${f# }"
  deps+=("${f%% *}")
done
# libssl3: the history's SQLCipher links the system libcrypto (Tauri's bundler adds only the
# GTK/WebKit ones).
for dep in libwebkit2gtk-4.1-0 libgtk-3-0 libssl3; do
  [[ " ${deps[*]} " == *" $dep "* ]] || die "Depends lacks $dep: $depends"
done
dups="$(printf '%s\n' "${deps[@]}" | sort | uniq -d)"
[[ -z "$dups" ]] || die "Depends names $dups twice: $depends"
ok "control file: Depends: $depends"

if dpkg-query -W -f='${Status}' "$PKG" 2>/dev/null | grep -q 'ok installed'; then
  die "$PKG is already installed on this machine; remove it first (dpkg -r $PKG): this test installs and removes it"
fi

# --- throwaway world: X server, D-Bus session, HOME --------------------------------------------
T="$(mktemp -d "${TMPDIR:-/tmp}/anamnesis-deb.XXXXXX")"
LOG="$T/app.log"
APP_PID="" XVFB_PID="" DBUS_PID="" INSTALLED=""
cleanup() {
  local rc=$?
  [[ -n "$APP_PID" ]] && kill -KILL "$APP_PID" 2>/dev/null || true
  [[ -n "$DBUS_PID" ]] && kill "$DBUS_PID" 2>/dev/null || true
  [[ -n "$XVFB_PID" ]] && kill "$XVFB_PID" 2>/dev/null || true
  if [[ -n "$INSTALLED" ]]; then
    "${SUDO[@]}" dpkg -r "$PKG" >/dev/null 2>&1 || echo "test-deb: could not remove $PKG" >&2
  fi
  rm -rf -- "$T"
  exit "$rc"
}
trap cleanup EXIT

# shellcheck source=scripts/desktop-smoke.sh
source scripts/desktop-smoke.sh
start_session deb-smoke

# Only the throwaway folders: the installed app must find everything through its defaults.
APP_ENV=(
  env -i PATH=/usr/bin:/bin DISPLAY=":$n" HOME="$T/home" USER="${USER:-root}" LANG=C.UTF-8
  XDG_CONFIG_HOME="$T/config" XDG_DATA_HOME="$T/data" XDG_CACHE_HOME="$T/cache"
  XDG_RUNTIME_DIR="$T/runtime" DBUS_SESSION_BUS_ADDRESS="unix:path=$T/runtime/bus"
  NO_AT_BRIDGE=1 WEBKIT_DISABLE_COMPOSITING_MODE=1 LIBGL_ALWAYS_SOFTWARE=1
)
x() { DISPLAY=":$n" "$@"; }

# --- install ----------------------------------------------------------------------------------
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive dpkg -i "$DEB" >"$T/dpkg.log" 2>&1 \
  || { cat "$T/dpkg.log" >&2; die "dpkg -i failed"; }
INSTALLED=1
ok "dpkg -i installed $PKG"

files="$(dpkg -L "$PKG")"
APP="/usr/bin/anamnesis"
grep -qx "$APP" <<<"$files" || die "dpkg -L does not list $APP"
[[ -x "$APP" ]] || die "$APP is not executable"
missing="$(ldd "$APP" | grep 'not found' || true)"
[[ -z "$missing" ]] || die "$APP links libraries that are not installed: $missing"
ok "dpkg -L lists $APP (executable, every library it links is present)"

desktop="$(grep -E '^/usr/share/applications/[^/]+\.desktop$' <<<"$files" || true)"
[[ -n "$desktop" && -f "$desktop" ]] || die "dpkg -L lists no .desktop file under /usr/share/applications"
grep -qx "Exec=anamnesis" "$desktop" || die "$desktop: Exec is not the installed binary: $(grep '^Exec=' "$desktop")"
grep -qx "Name=Anamnesis" "$desktop" || die "$desktop: no Name=Anamnesis"
grep -q "^Categories=.*MedicalSoftware" "$desktop" || die "$desktop: not in MedicalSoftware: $(grep '^Categories=' "$desktop")"
icon="$(sed -n 's/^Icon=//p' "$desktop")"
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate "$desktop" || die "desktop-file-validate rejects $desktop"
  validated=", desktop-file-validate clean"
else
  validated=""
fi
ok "dpkg -L lists $desktop (Exec=anamnesis, Icon=$icon$validated)"

icons="$(grep -E "^/usr/share/icons/hicolor/[^/]+/apps/$icon\.png$" <<<"$files" || true)"
[[ -n "$icons" ]] || die "dpkg -L lists no hicolor icon named $icon.png"
sizes=()
while read -r f; do
  [[ -s "$f" ]] || die "$f is missing or empty"
  sizes+=("$(cut -d/ -f6 <<<"$f")")
done <<<"$icons"
for want in 32x32 128x128; do
  [[ " ${sizes[*]} " == *" $want "* ]] || die "no $want icon (have: ${sizes[*]})"
done
ok "dpkg -L lists $icon.png icons: ${sizes[*]}"

grep -qx /usr/share/doc/anamnesis/copyright <<<"$files" || die "dpkg -L lists no /usr/share/doc/anamnesis/copyright"
grep -q "Apache License" /usr/share/doc/anamnesis/copyright || die "the copyright file is not the licence"
ok "dpkg -L lists /usr/share/doc/anamnesis/copyright (the Apache-2.0 licence)"

# --- launch the installed app -------------------------------------------------------------------
launch() { launch_app "$APP" "the installed app"; }
# stop_gracefully: asks the window to close (WM_DELETE_WINDOW, what a window manager's close
# button sends) and waits for the app to exit on its own.
stop_gracefully() {
  x python3 scripts/x11-close-window.py "$WIN" || die "could not send WM_DELETE_WINDOW"
  for _ in $(seq 40); do
    kill -0 "$APP_PID" 2>/dev/null || break
    sleep 0.5
  done
  kill -0 "$APP_PID" 2>/dev/null && die "the app did not exit within 20 s of closing its window"
  local rc=0
  wait "$APP_PID" || rc=$?
  APP_PID=""
  ((rc == 0)) || die "the app exited with status $rc after closing its window"
}

say "launching $APP under Xvfb :$n with HOME=$T/home"
started=$SECONDS
launch
ok "window $WIN titled Anamnesis belongs to the installed app (pid $APP_PID), $((SECONDS - started)) s after launch"
wmclass="$(sed -n 's/^StartupWMClass=//p' "$desktop")"
if [[ -n "$wmclass" ]]; then
  classed="$(x xdotool search --classname "^$wmclass\$" || true)"
  grep -qx "$WIN" <<<"$classed" || die "the window's WM_CLASS does not match the desktop entry's StartupWMClass=$wmclass"
  ok "its WM_CLASS matches the desktop entry's StartupWMClass=$wmclass (docks group it with the launcher)"
fi

wait_for_db "the installed app"
ok "the embedded UI called the app: it opened $DB (XDG_DATA_HOME honoured)"

second_launch "$APP"

# Window state: resize, close, relaunch, expect the same size.
resize_window
stop_gracefully
STATE="$T/config/app.anamnesis.desktop/window-state.json"
[[ -s "$STATE" ]] || die "closing the window saved no $STATE"
ok "closing the window exited 0 and saved $STATE"

launch
expect_saved_size "$STATE"
ok "the relaunched window came back at the saved 900x640"
kill -KILL "$APP_PID"
wait "$APP_PID" 2>/dev/null || true
APP_PID=""

# --- remove -----------------------------------------------------------------------------------
"${SUDO[@]}" dpkg -r "$PKG" >"$T/dpkg.log" 2>&1 || { cat "$T/dpkg.log" >&2; die "dpkg -r failed"; }
INSTALLED=""
[[ ! -e "$APP" && ! -e "$desktop" ]] || die "dpkg -r left $APP or $desktop behind"
ok "dpkg -r removed $PKG ($APP and $desktop are gone)"
say "passed in $SECONDS s"
