#!/usr/bin/env bash
# AppImage smoke test, without GitHub. Builds the AppImage tools from scripts/appimage (the
# bundler would download them), packages the debug build the other tests made as an AppImage
# (tauri bundle: no second build), checks what is inside, then runs it under Xvfb with a
# throwaway HOME, XDG folders and D-Bus session and checks that
#   - its window appears and belongs to the launched process (the runtime and AppRun exec),
#   - the UI came up from the embedded assets and reached the Rust side (the database appears),
#   - the GTK, WebKitGTK and WebKit helper processes it runs are its own (its FUSE mount),
#   - a second launch hands over to the first and exits (single instance),
#   - a resized window, closed, is saved and comes back at that size, and the mount goes away,
# then runs it once more inside a chroot holding only what it takes from the host (glibc, X11, the
# GL stack, fonts, …; no GTK or WebKitGTK: scripts/appimage/host-root.sh) from a temporary
# extracted copy (APPIMAGE_EXTRACT_AND_RUN=1), checks the window and the database there and that
# the copy is deleted after it exits. Runs as root, or through sudo (mount namespace, chroot).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/env.sh

say() { echo "test-appimage: $*"; }
ok() { echo "test-appimage: ok: $*"; }
die() {
  echo "test-appimage: FAIL: $*" >&2
  [[ -f "${LOG:-}" ]] && { echo "--- app log" >&2; tail -40 "$LOG" >&2; }
  exit 1
}

SUDO=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || die "not root and sudo is not available"
  SUDO=(sudo)
fi
for tool in Xvfb xdotool dbus-daemon gnome-keyring-daemon python3 unshare readelf patchelf mksquashfs; do
  command -v "$tool" >/dev/null || die "$tool not found (scripts/setup.sh installs it)"
done
CHROOT="$(PATH="$PATH:/usr/sbin:/sbin" command -v chroot)" || die "chroot not found (coreutils)"

# --- package ----------------------------------------------------------------------------------
BIN="$CARGO_TARGET_DIR/debug/anamnesis"
[[ -x "$BIN" ]] || die "no debug build at $BIN (scripts/test.sh builds it first: cargo build --workspace)"
scripts/appimage/build-tools.sh
BUNDLE_DIR="$CARGO_TARGET_DIR/debug/bundle/appimage"
rm -rf "$BUNDLE_DIR"
# zstd level 9 here: 7 times faster to squash than the default 15, for about 6% more size.
bundle_started=$SECONDS
(cd src-tauri && APPIMAGE_ZSTD_LEVEL="${APPIMAGE_ZSTD_LEVEL:-9}" ../ui/node_modules/.bin/tauri bundle --debug --bundles appimage --ci)
shopt -s nullglob
images=("$BUNDLE_DIR"/*.AppImage)
shopt -u nullglob
((${#images[@]} == 1)) || die "expected one AppImage in $BUNDLE_DIR, found ${#images[@]}"
APPIMAGE="${images[0]}"
say "built $APPIMAGE ($(du -h "$APPIMAGE" | cut -f1), $(stat -c %s "$APPIMAGE") bytes) in $((SECONDS - bundle_started)) s"

T="$(mktemp -d "${TMPDIR:-/tmp}/anamnesis-appimage.XXXXXX")"
LOG="$T/app.log"
APP_PID="" CHROOT_PID="" CHROOT_APP="" XVFB_PID="" DBUS_PID=""
cleanup() {
  local rc=$?
  [[ -n "$APP_PID" ]] && kill -KILL "$APP_PID" 2>/dev/null || true
  # Through sudo, the launched pid is sudo's, which cannot pass SIGKILL on: the app's own too.
  [[ -n "$CHROOT_PID" ]] && "${SUDO[@]}" kill -KILL "$CHROOT_PID" 2>/dev/null || true
  [[ -n "$CHROOT_APP" ]] && "${SUDO[@]}" kill -KILL "$CHROOT_APP" 2>/dev/null || true
  sleep 0.5 # the runtimes' guardians unmount and delete once their app is gone
  local m
  while read -r m; do
    "${SUDO[@]}" umount -l "$m" 2>/dev/null || true
  done < <(awk -v t="$T/" 'index($2, t) == 1 { print $2 }' /proc/mounts)
  [[ -n "$DBUS_PID" ]] && kill "$DBUS_PID" 2>/dev/null || true
  [[ -n "$XVFB_PID" ]] && kill "$XVFB_PID" 2>/dev/null || true
  "${SUDO[@]}" rm -rf --one-file-system -- "$T"
  exit "$rc"
}
trap cleanup EXIT

# --- what is inside ---------------------------------------------------------------------------
[[ "$(od -An -tx1 -j8 -N3 "$APPIMAGE" | tr -d ' ')" == 414902 ]] || die "bytes 8-10 are not the AppImage type 2 magic AI\\x02"
[[ "$("$APPIMAGE" --appimage-version)" == "anamnesis-appimage-runtime "* ]] || die "the runtime is not scripts/appimage/runtime.c's"
(cd "$T" && "$APPIMAGE" --appimage-extract >/dev/null) || die "--appimage-extract failed"
CONTENTS="$T/squashfs-root"
if [[ "$(head -c4 "$CONTENTS/AppRun")" != $'\177ELF' ]] || ! grep -qa APPRUN_PRINT_ENV "$CONTENTS/AppRun"; then
  die "AppRun is not scripts/appimage/apprun.c's"
fi
grep -qx "Exec=anamnesis" "$CONTENTS"/*.desktop || die "the desktop entry does not run anamnesis"
[[ -x "$CONTENTS/usr/bin/anamnesis" ]] || die "no usr/bin/anamnesis"
helpers="$CONTENTS/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1"
[[ -x "$helpers/WebKitWebProcess" && -x "$helpers/WebKitNetworkProcess" ]] || die "no WebKit helper processes in ${helpers#"$CONTENTS"/}"
grep -qa '././/lib/x86_64-linux-gnu/webkit2gtk-4.1' "$CONTENTS/usr/lib/libwebkit2gtk-4.1.so.0" \
  || die "libwebkit2gtk does not look for its helpers relative to usr/ (the gtk plugin's path patch)"
for lib in libgtk-3.so.0 libjavascriptcoregtk-4.1.so.0 libsoup-3.0.so.0 libglib-2.0.so.0 libcrypto.so.3; do
  [[ -f "$CONTENTS/usr/lib/$lib" ]] || die "usr/lib lacks $lib"
done
for lib in libc.so.6 libstdc++.so.6 libX11.so.6 libEGL.so.1 libfontconfig.so.1; do
  [[ ! -e "$CONTENTS/usr/lib/$lib" ]] || die "usr/lib carries $lib, which comes from the host"
done
[[ ! -e "$CONTENTS/apprun-hooks" ]] || die "the plugins' AppRun hooks were left in"
ok "inside: runtime magic, AppRun, usr/bin/anamnesis, WebKit helpers found relative to usr/, $(find "$CONTENTS/usr/lib" -maxdepth 1 -name '*.so*' | wc -l) libraries (GTK, WebKitGTK, libsoup, GLib, libcrypto), none of the host's"

# --- throwaway world: X server, D-Bus session, HOME --------------------------------------------
# shellcheck source=scripts/desktop-smoke.sh
source scripts/desktop-smoke.sh
start_session appimage-smoke "$T/tmp"

# FUSE mounts need /dev/fuse, and fusermount3 when not root; without them the runtime's other
# way (extract to TMPDIR) is tested here, and in the chroot below anyway.
if [[ -c /dev/fuse ]] && { [[ $(id -u) -eq 0 ]] || command -v fusermount3 >/dev/null; }; then
  FUSE=1 MODE_ENV=() MODE_NAME="its FUSE mount"
else
  FUSE=0 MODE_ENV=(APPIMAGE_EXTRACT_AND_RUN=1) MODE_NAME="its extracted copy"
  say "no /dev/fuse (or no fusermount3): running the AppImage with APPIMAGE_EXTRACT_AND_RUN=1"
fi
# Only the throwaway folders; TMPDIR is where the runtime mounts or extracts the AppImage.
APP_ENV=(
  env -i PATH=/usr/bin:/bin DISPLAY=":$n" HOME="$T/home" USER="${USER:-root}" LANG=C.UTF-8
  XDG_CONFIG_HOME="$T/config" XDG_DATA_HOME="$T/data" XDG_CACHE_HOME="$T/cache"
  XDG_RUNTIME_DIR="$T/runtime" DBUS_SESSION_BUS_ADDRESS="unix:path=$T/runtime/bus" TMPDIR="$T/tmp"
  NO_AT_BRIDGE=1 WEBKIT_DISABLE_COMPOSITING_MODE=1 LIBGL_ALWAYS_SOFTWARE=1 "${MODE_ENV[@]}"
)
x() { DISPLAY=":$n" "$@"; }

launch() { launch_app "$APPIMAGE" "the AppImage"; }
# alive PID: PID runs (not gone, not a zombie); unlike kill -0, also for sudo's root-owned pid.
# One read of its stat: this shell may reap it between two.
alive() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" && [[ -n "$stat" ]] || return 1
  stat="${stat##*) }"
  [[ "${stat%% *}" != Z ]]
}
# wait_exit PID: waits up to 20 s for PID (a child of this shell) to exit; its status must be 0.
wait_exit() {
  for _ in $(seq 40); do
    alive "$1" || break
    sleep 0.5
  done
  alive "$1" && die "the app did not exit within 20 s of closing its window"
  local rc=0
  wait "$1" || rc=$?
  ((rc == 0)) || die "the app exited with status $rc after closing its window"
}
# maps_from PID DIR LIB...: each LIB is mapped into PID from under DIR, none from elsewhere.
maps_from() {
  local pid="$1" dir="$2" lib paths
  shift 2
  for lib in "$@"; do
    paths="$(awk -v l="/$lib" '{ p = $6 } length(p) >= length(l) && substr(p, length(p) - length(l) + 1) == l { print p }' "/proc/$pid/maps" | sort -u)"
    [[ -n "$paths" ]] || die "pid $pid has not loaded $lib"
    [[ -z "$(awk -v d="$dir" 'index($0, d) != 1' <<<"$paths")" ]] || die "pid $pid loaded $lib from outside $dir: $paths"
  done
}
# mount_gone: waits up to 5 s for the runtime's mount (or extracted copy) and its folder to go.
mount_gone() {
  for _ in $(seq 50); do
    if ! grep -qF " $T/tmp/" /proc/mounts && [[ -z "$(ls -A "$T/tmp")" ]]; then return 0; fi
    sleep 0.1
  done
  die "the AppImage's mount or its folder stayed after the app exited: $(grep -F " $T/tmp/" /proc/mounts || ls -A "$T/tmp")"
}

# --- run it (FUSE) --------------------------------------------------------------------------
say "launching $APPIMAGE under Xvfb :$n with HOME=$T/home"
started=$SECONDS
launch
ok "window $WIN titled Anamnesis belongs to the launched AppImage (pid $APP_PID), $((SECONDS - started)) s after launch"

wait_for_db "the AppImage"
ok "the embedded UI called the app: it opened $DB"

mnt="$(find "$T/tmp" -mindepth 1 -maxdepth 1 \( -name '.mount_*' -o -name 'appimage_extracted_*' \) -print -quit)"
[[ -n "$mnt" ]] || die "the AppImage is neither mounted nor extracted under $T/tmp"
if ((FUSE)); then
  awk -v m="$mnt" '$2 == m { found = 1 } END { exit !found }' /proc/mounts || die "$mnt is not mounted"
fi
maps_from "$APP_PID" "$mnt/" libgtk-3.so.0 libwebkit2gtk-4.1.so.0 libjavascriptcoregtk-4.1.so.0 libglib-2.0.so.0
web=0
children="$(awk -v p="$APP_PID" '/^PPid:/ && $2 == p { split(FILENAME, f, "/"); print f[3] }' /proc/[0-9]*/status 2>/dev/null || true)"
for child in $children; do
  exe="$(readlink "/proc/$child/exe" 2>/dev/null || true)"
  [[ "$exe" != */WebKit*Process || "$exe" == "$mnt"/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/* ]] \
    || die "a WebKit helper runs from outside the AppImage: $exe"
  [[ "$exe" == */WebKitWebProcess ]] && web=$((web + 1))
done
((web > 0)) || die "no WebKitWebProcess from the AppImage's mount among the app's children"
ok "GTK, WebKitGTK, JavaScriptCore and GLib come from $MODE_NAME $mnt, and so does its WebKitWebProcess"

second_launch "$APPIMAGE"

# Window state: resize, close, relaunch, expect the same size.
resize_window
x python3 scripts/x11-close-window.py "$WIN" || die "could not send WM_DELETE_WINDOW"
wait_exit "$APP_PID"
APP_PID=""
STATE="$T/config/app.anamnesis.desktop/window-state.json"
[[ -s "$STATE" ]] || die "closing the window saved no $STATE"
mount_gone
ok "closing the window exited 0, saved $STATE, and the runtime cleaned up $mnt"

launch
expect_saved_size "$STATE"
kill -KILL "$APP_PID"
wait "$APP_PID" 2>/dev/null || true
APP_PID=""
mount_gone
ok "the relaunched window came back at the saved 900x640; killed, it was cleaned up too"

# --- run it in a root without GTK or WebKitGTK (extract-and-run) ---------------------------------
chroot_started=$SECONDS
R="$T/root"
scripts/appimage/host-root.sh "$R" "$CONTENTS"
ln "$APPIMAGE" "$R/Anamnesis.AppImage" 2>/dev/null || cp "$APPIMAGE" "$R/Anamnesis.AppImage"
mkdir -p "$R/home/user" "$R/run/user/bus"
CHROOT_DB="$R/home/user/data/app.anamnesis.desktop/anamnesis.db"
# A private mount namespace: /proc, /dev, /sys, the X socket and the D-Bus session's folder
# appear in the root and vanish with it. The app runs as this user.
# shellcheck disable=SC2016 # the inner shell expands them
"${SUDO[@]}" env -i PATH=/usr/bin:/bin DISPLAY=":$n" HOME=/home/user USER="${USER:-root}" LANG=C.UTF-8 \
  XDG_CONFIG_HOME=/home/user/config XDG_DATA_HOME=/home/user/data XDG_CACHE_HOME=/home/user/cache \
  XDG_RUNTIME_DIR=/run/user/bus DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/bus/bus \
  NO_AT_BRIDGE=1 WEBKIT_DISABLE_COMPOSITING_MODE=1 LIBGL_ALWAYS_SOFTWARE=1 APPIMAGE_EXTRACT_AND_RUN=1 \
  unshare --mount --propagation private bash -c '
    set -e
    r="$1" bus="$2"
    shift 2
    mount -t proc proc "$r/proc"
    mount --rbind /dev "$r/dev"
    mount --rbind /sys "$r/sys"
    mount --bind "$bus" "$r/run/user/bus"
    mkdir -p "$r/tmp/.X11-unix"
    mount --bind /tmp/.X11-unix "$r/tmp/.X11-unix"
    exec "$@"' _ "$R" "$T/runtime" "$CHROOT" --userspec="$(id -u):$(id -g)" "$R" /Anamnesis.AppImage >>"$LOG" 2>&1 &
CHROOT_PID=$!
WIN="" wpid=""
for _ in $(seq 120); do
  alive "$CHROOT_PID" || die "the AppImage exited during startup in the chroot"
  WIN="$( (x xdotool search --onlyvisible --name '^Anamnesis$' 2>/dev/null || true) | awk 'NR == 1')"
  [[ -n "$WIN" ]] && wpid="$(x xdotool getwindowpid "$WIN" 2>/dev/null)" && [[ -n "$wpid" ]] && break
  sleep 0.5
done
[[ -n "$wpid" ]] || die "no window titled Anamnesis from the chroot after 60 s"
CHROOT_APP="$wpid"
[[ "$(readlink "/proc/$wpid/root")" == "$R" ]] || die "window $WIN belongs to pid $wpid, which does not run in $R"
for _ in $(seq 60); do
  [[ -s "$CHROOT_DB" ]] && break
  sleep 0.5
done
[[ -s "$CHROOT_DB" ]] || die "the UI did not reach the app in the chroot: no $CHROOT_DB after 30 s"
copy="$(find "$R/tmp" -mindepth 1 -maxdepth 1 -name 'appimage_extracted_*')"
[[ -n "$copy" ]] || die "no extracted copy in the chroot's /tmp"
maps_from "$wpid" "$copy/" libgtk-3.so.0 libwebkit2gtk-4.1.so.0 libjavascriptcoregtk-4.1.so.0 libglib-2.0.so.0
ok "in a chroot without GTK or WebKitGTK, from an extracted copy: window $WIN (pid $wpid), the UI opened the database, GTK and WebKitGTK are the AppImage's"
x python3 scripts/x11-close-window.py "$WIN" || die "could not send WM_DELETE_WINDOW"
wait_exit "$CHROOT_PID"
CHROOT_PID="" CHROOT_APP=""
for _ in $(seq 50); do [[ -e "$copy" ]] || break; sleep 0.1; done
[[ ! -e "$copy" ]] || die "the extracted copy $copy stayed after the app exited"
ok "closed, it exited 0 and its extracted copy was deleted ($((SECONDS - chroot_started)) s in the chroot)"
say "passed in $SECONDS s; the AppImage is $(du -h "$APPIMAGE" | cut -f1) (zstd level ${APPIMAGE_ZSTD_LEVEL:-9})"
