#!/usr/bin/env bash
# Builds, from this machine's own files, a root folder for chroot holding only what an AppImage
# takes from the host: the libraries its ELF files link that it does not carry (glibc, X11/xcb,
# fontconfig, freetype, harfbuzz, …) with their own dependencies, the GL stack WebKit loads at run
# time with Mesa's software drivers, glibc's gconv modules, one font and a few files of /etc. No
# shell and no GTK, GDK, GIO, WebKitGTK, JavaScriptCore or libsoup: it checks that (the host's
# harfbuzz brings its GLib along, as on any desktop). Files are hard links where the filesystem
# allows (they are only read and mapped), copies otherwise; those of /etc and /var are copies.
# Offline and quick: nothing is downloaded.
# Usage: scripts/appimage/host-root.sh ROOT APPDIR   (APPDIR: the AppImage's extracted contents)
set -euo pipefail
ROOT_DIR="${1:?usage: host-root.sh ROOT APPDIR}"
APPDIR="${2:?usage: host-root.sh ROOT APPDIR}"
MULTIARCH=/usr/lib/x86_64-linux-gnu

die() {
  echo "host-root: error: $*" >&2
  exit 1
}
[[ ! -e "$ROOT_DIR" ]] || die "$ROOT_DIR already exists"
[[ -x "$APPDIR/AppRun" ]] || die "$APPDIR holds no AppRun: not an extracted AppImage"
mkdir -p "$ROOT_DIR"
ROOT_DIR="$(realpath "$ROOT_DIR")"

# The host's merged-/usr links (/lib -> usr/lib, …), so every path resolves as it does here.
for d in bin sbin lib lib32 lib64 libx32; do
  if [[ -L "/$d" ]]; then
    target="$(readlink "/$d")"
    mkdir -p "$ROOT_DIR/${target#/}"
    ln -s "$target" "$ROOT_DIR/$d"
  fi
done

# place PATH: PATH into the root, and where it is a link, the link and what it points to.
place() {
  local p="$1" target hop
  for hop in $(seq 40); do
    [[ -e "$ROOT_DIR$p" || -L "$ROOT_DIR$p" ]] && return 0
    mkdir -p "$ROOT_DIR$(dirname "$p")"
    if [[ -L "$p" ]]; then
      cp -P "$p" "$ROOT_DIR$p"
      target="$(readlink "$p")"
      [[ "$target" == /* ]] || target="$(dirname "$p")/$target"
      p="$(realpath -sm "$target")"
    elif [[ -f "$p" && ("$p" == /etc/* || "$p" == /var/*) ]]; then
      cp -p "$p" "$ROOT_DIR$p" # a copy: what runs in the root must not write to the host's files
      return 0
    elif [[ -f "$p" ]]; then
      ln "$p" "$ROOT_DIR$p" 2>/dev/null || cp -p "$p" "$ROOT_DIR$p"
      return 0
    else
      die "$p is not a file (after $hop links)"
    fi
  done
  die "$1: too many links"
}

# place_library PATH: the library, and every library the host's loader would load with it.
declare -A PLACED=()
place_library() {
  [[ -n "${PLACED[$1]:-}" ]] && return 0
  PLACED[$1]=1
  place "$1"
  local dep
  for dep in $(ldd "$1" 2>/dev/null | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^\//) print $i }'); do
    place "$dep"
  done
}

declare -A HOST_PATH=()
while read -r name arch path; do
  [[ "$arch" == *x86-64* && -z "${HOST_PATH[$name]:-}" ]] && HOST_PATH[$name]="$path"
done < <("$(command -v ldconfig || echo /sbin/ldconfig)" -p | sed -n 's/^\t*\([^ ]*\) (\([^)]*\)) => \(.*\)$/\1 \2 \3/p')

# What the AppImage's ELF files link and do not carry in usr/lib.
declare -A OUTSIDE=()
while IFS= read -r -d '' f; do
  for name in $(LC_ALL=C readelf -d -W "$f" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]$/\1/p'); do
    [[ -e "$APPDIR/usr/lib/$name" ]] || OUTSIDE[$name]=1
  done
done < <(find "$APPDIR" -type f -print0)
((${#OUTSIDE[@]})) || die "the AppImage links nothing from outside: was $APPDIR scanned?"
for name in "${!OUTSIDE[@]}"; do
  [[ -n "${HOST_PATH[$name]:-}" ]] || die "$name, linked by the AppImage, is not on this machine either"
  place_library "${HOST_PATH[$name]}"
done

# The GL stack (libglvnd dispatch, Mesa's EGL/GLX and its software drivers, what Xvfb offers).
for name in "${!HOST_PATH[@]}"; do
  [[ "$name" =~ ^lib(EGL|GL|gbm|glapi) ]] && place_library "${HOST_PATH[$name]}"
done
for f in "$MULTIARCH"/dri/swrast_dri.so "$MULTIARCH"/dri/kms_swrast_dri.so /usr/share/glvnd/egl_vendor.d/*.json; do
  [[ -e "$f" ]] && place_library "$f"
done

# glibc's character set converters (GLib's g_convert uses iconv).
while IFS= read -r -d '' f; do place "$f"; done < <(find "$MULTIARCH/gconv" -type f -print0)

# Font configuration and the default sans-serif font.
while IFS= read -r -d '' f; do place "$f"; done < <(find /etc/fonts \( -type f -o -type l \) -print0)
if command -v fc-match >/dev/null; then
  place "$(fc-match -f '%{file}' sans-serif)"
fi

for f in /etc/passwd /etc/group /etc/nsswitch.conf /etc/hosts /etc/machine-id /var/lib/dbus/machine-id /etc/ld.so.conf; do
  [[ -e "$f" ]] && place "$f"
done
while IFS= read -r -d '' f; do place "$f"; done < <(find /etc/ld.so.conf.d -type f -print0)
"$(command -v ldconfig || echo /sbin/ldconfig)" -r "$ROOT_DIR" 2>/dev/null
[[ -s "$ROOT_DIR/etc/ld.so.cache" ]] || die "ldconfig -r wrote no $ROOT_DIR/etc/ld.so.cache"

mkdir -p "$ROOT_DIR"/{dev,proc,sys,run,home,tmp}
chmod 1777 "$ROOT_DIR/tmp"

found="$(find "$ROOT_DIR" \( -name 'libgtk-*' -o -name 'libgdk-*' -o -name 'libgio-*' -o -name 'libwebkit*' \
  -o -name 'libjavascriptcore*' -o -name 'libsoup-*' -o -name 'WebKit*Process' -o -name sh -o -name bash \) -print)"
[[ -z "$found" ]] || die "the root holds what it must not: $found"
echo "host-root: $ROOT_DIR: $(find "$ROOT_DIR" -type f | wc -l) files, ${#OUTSIDE[@]} libraries the AppImage links from the host, no shell, GTK, GIO or WebKitGTK"
