#!/usr/bin/env bash
# Builds the AppImage tools the Tauri bundler would otherwise download from GitHub, from this
# folder's sources and Debian packages (scripts/setup.sh installs them), and puts them where the
# bundler looks first: src-tauri/tauri.conf.json sets bundle.useLocalToolsDir, so that is the
# cargo target folder's .tauri ($CARGO_TARGET_DIR, else target/; the bundler downloads only what is
# missing there):
#   AppRun-x86_64                          apprun.c, static
#   linuxdeploy-07333c6-x86_64.AppImage    linuxdeploy.c running linuxdeploy.sh, with runtime.c inside
#   linuxdeploy-plugin-appimage.AppImage   the same file; under that name it writes the AppImage
# The runtime (runtime.c) is static too: libsquashfuse, libfuse3 and the decompressors' .a files.
# Usage: scripts/appimage/build-tools.sh [TOOLS_DIR]
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
# Where `tauri build`/`tauri bundle` will look, which is not scripts/env.sh's default when unset.
TOOLS="${1:-${CARGO_TARGET_DIR:-$ROOT/target}/.tauri}"

say() { echo "appimage-tools: $*"; }
die() {
  echo "appimage-tools: error: $*" >&2
  exit 1
}

[[ "$(uname -m)" == x86_64 ]] || die "only x86_64 is set up (the file names below say so)"

# The bundler names the linuxdeploy it wants by a commit hash; a newer Tauri CLI may want another.
LINUXDEPLOY=linuxdeploy-07333c6-x86_64.AppImage
cli_lib=("$ROOT"/ui/node_modules/@tauri-apps/cli-linux-x64-gnu/*.node)
[[ -f "${cli_lib[0]}" ]] || die "the Tauri CLI is not installed (npm ci --prefix ui)"
grep -qa 07333c6 "${cli_lib[0]}" \
  || die "this Tauri CLI does not ask for $LINUXDEPLOY; find the name it wants (it says which URL it fails to download) and rename it here"

LIB=/usr/lib/x86_64-linux-gnu
STATIC=(libsquashfuse_ll.a libsquashfuse.a libfuse3.a libzstd.a liblzma.a liblz4.a liblzo2.a libz.a)
for tool in gcc strip readelf; do
  command -v "$tool" >/dev/null || die "$tool not found (Debian: build-essential)"
done
for a in "${STATIC[@]}"; do
  [[ -f "$LIB/$a" ]] || die "$LIB/$a not found (Debian: libsquashfuse-dev libfuse3-dev libzstd-dev liblzma-dev liblz4-dev liblzo2-dev zlib1g-dev)"
done
for tool in patchelf mksquashfs; do
  command -v "$tool" >/dev/null || die "$tool not found (Debian: patchelf squashfs-tools); linuxdeploy needs it"
done

stamp="$(cat "$HERE"/runtime.c "$HERE"/apprun.c "$HERE"/linuxdeploy.c "$HERE"/linuxdeploy.sh "${BASH_SOURCE[0]}" | sha256sum | cut -c1-16)"
if [[ "$(cat "$TOOLS/.anamnesis-appimage-tools" 2>/dev/null)" == "$stamp" && -x "$TOOLS/AppRun-x86_64" \
  && -x "$TOOLS/$LINUXDEPLOY" && -x "$TOOLS/linuxdeploy-plugin-appimage.AppImage" ]]; then
  say "up to date in $TOOLS"
  exit 0
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/appimage-tools.XXXXXX")"
trap 'rm -rf "$work"' EXIT
CFLAGS=(-std=gnu11 -O2 -Wall -Wextra -Werror)

# compile OUT ARGS...: compiles; hides the one link warning static libfuse3 always gives (its
# high-level API's module loader calls dlopen, which the runtime never reaches).
compile() {
  local out="$1"
  shift
  if ! gcc "${CFLAGS[@]}" -o "$work/$out" "$@" 2>"$work/$out.log"; then
    cat "$work/$out.log" >&2
    die "building $out failed"
  fi
  grep -v -e "in function \`fuse_get_module'" -e "Using 'dlopen' in statically linked" "$work/$out.log" >&2 || true
  strip "$work/$out"
}

compile runtime -static -I/usr/include/squashfuse "$HERE/runtime.c" "${STATIC[@]/#/$LIB/}"
# The AppImage type 2 magic, in the ELF header's padding.
printf 'AI\002' | dd of="$work/runtime" bs=1 seek=8 conv=notrunc status=none
# The runtime finds its image where its section headers end: nothing may follow them.
read -r shoff shentsize shnum < <(readelf -h "$work/runtime" | awk -F: '
  /Start of section headers/ { o = $2 + 0 }
  /Size of section headers/ { s = $2 + 0 }
  /Number of section headers/ { n = $2 + 0 }
  END { print o, s, n }')
size="$(stat -c %s "$work/runtime")"
((shoff + shentsize * shnum == size)) || die "the runtime's section headers end at $((shoff + shentsize * shnum)), not at its end ($size)"

compile AppRun -static "$HERE/apprun.c"
cp "$HERE/linuxdeploy.sh" "$work/linuxdeploy.sh"
(cd "$work" && compile linuxdeploy -DSCRIPT_FILE='"linuxdeploy.sh"' -DRUNTIME_FILE='"runtime"' "$HERE/linuxdeploy.c")

mkdir -p "$TOOLS"
install -m 755 "$work/AppRun" "$TOOLS/AppRun-x86_64"
install -m 755 "$work/linuxdeploy" "$TOOLS/$LINUXDEPLOY"
install -m 755 "$work/linuxdeploy" "$TOOLS/linuxdeploy-plugin-appimage.AppImage"
echo "$stamp" >"$TOOLS/.anamnesis-appimage-tools"
say "built AppRun, linuxdeploy and the runtime ($((size / 1024)) KiB) into $TOOLS"
