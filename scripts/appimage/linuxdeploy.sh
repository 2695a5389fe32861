# shellcheck shell=bash
# linuxdeploy, the part of it the Tauri bundler and its gtk/gstreamer plugins use, compiled into
# linuxdeploy.c's executable (run as `bash -c`, with that executable as $0). As linuxdeploy:
#   --appdir DIR [--library FILE]... [--plugin NAME]... [--output appimage] [--verbosity N]
# copies into DIR/usr/lib every library the AppDir's ELF files need, except the host's own (see
# HOST_LIBS), strips them, points their RUNPATH at usr/lib, runs the plugins found next to $0
# (the bundler writes linuxdeploy-plugin-gtk.sh there), checks that AppRun sets what the plugins'
# AppRun hooks export and drops the hooks, then runs linuxdeploy-plugin-appimage* from there.
# Under a name starting with linuxdeploy-plugin-appimage, it is that output plugin: --appdir DIR
# writes DIR as an AppImage to $OUTPUT (mksquashfs -comp zstd after the compiled-in runtime).
# NO_STRIP=1 keeps symbols; APPIMAGE_ZSTD_LEVEL (default 15) sets the compression level.
set -euo pipefail
shopt -s nullglob

SELF="$0"
TOOLS="$(dirname "$SELF")"
case "$(basename "$SELF")" in
  linuxdeploy-plugin-appimage*) ROLE="output plugin" ;;
  *) ROLE="linuxdeploy" ;;
esac

VERBOSITY=1 # linuxdeploy's levels: 0 debug, 1 info, 2 warning, 3 error
say() { ((VERBOSITY > 1)) || echo "$ROLE: $*"; }
debug() { ((VERBOSITY > 0)) || echo "$ROLE: $*"; }
warn() { ((VERBOSITY > 2)) || echo "$ROLE: warning: $*" >&2; }
die() {
  echo "$ROLE: error: $*" >&2
  exit 1
}

usage() {
  cat <<EOF
Usage: $(basename "$SELF") --appdir DIR [--library FILE]... [--plugin NAME]... [--output appimage]
       [--verbosity N]       (as linuxdeploy-plugin-appimage*: --appdir DIR, writes \$OUTPUT)
EOF
}

APPDIR="" OUTPUT_KIND=""
PLUGINS=() LIBRARIES=()
# --name=value as --name value
args=()
for arg in "$@"; do
  if [[ "$arg" == --*=* ]]; then args+=("${arg%%=*}" "${arg#*=}"); else args+=("$arg"); fi
done
set -- ${args[@]+"${args[@]}"}
value() { [[ $# -ge 2 && -n "$2" ]] || die "$1 needs a value"; }
while (($#)); do
  case "$1" in
    --appimage-extract-and-run) shift ;; # this is no AppImage: nothing to extract
    --plugin-api-version)
      echo 0
      exit 0
      ;;
    --appdir) value "$@" && APPDIR="$2" && shift 2 ;;
    --library | -l) value "$@" && LIBRARIES+=("$2") && shift 2 ;;
    --plugin | -p) value "$@" && PLUGINS+=("$2") && shift 2 ;;
    --output | -o) value "$@" && OUTPUT_KIND="$2" && shift 2 ;;
    --verbosity | -v) value "$@" && VERBOSITY="$2" && shift 2 ;;
    --help | -h)
      usage
      exit 0
      ;;
    *) die "unsupported argument: $1 (--help lists them)" ;;
  esac
done
[[ "$VERBOSITY" =~ ^[0-3]$ ]] || die "--verbosity takes 0 to 3, not $VERBOSITY"
[[ -n "$APPDIR" ]] || die "no --appdir"
[[ -d "$APPDIR" ]] || die "$APPDIR is not a folder"
APPDIR="$(realpath "$APPDIR")"
LIBDIR="$APPDIR/usr/lib"

# ---------------------------------------------------------------------------------------------
# The output plugin
# ---------------------------------------------------------------------------------------------
write_appimage() {
  local apprun="$APPDIR/AppRun" desktops=("$APPDIR"/*.desktop)
  [[ -f "$apprun" && -x "$apprun" ]] || die "$apprun is missing or not executable"
  ((${#desktops[@]} == 1)) || die "$APPDIR must hold one .desktop file at its top, not ${#desktops[@]}"
  if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate "${desktops[0]}" || die "desktop-file-validate rejects ${desktops[0]}"
  fi
  [[ -e "$APPDIR/.DirIcon" ]] || warn "no .DirIcon in $APPDIR: file managers show no icon"
  command -v mksquashfs >/dev/null || die "mksquashfs not found (Debian: squashfs-tools)"

  local out="${OUTPUT:-}"
  if [[ -z "$out" ]]; then
    out="$(awk -F= '$1 == "Name" && !n { n = $2 } END { gsub(/ /, "_", n); print n }' "${desktops[0]}")-${ARCH:-$(uname -m)}.AppImage"
  fi
  local work
  work="$(mktemp -d "${TMPDIR:-/tmp}/appimage-output.XXXXXX")"
  # shellcheck disable=SC2064 # expand now: work is local
  trap "rm -rf '$work'" EXIT
  "$SELF" --write-runtime "$work/runtime" || die "could not write the runtime"
  # zstd 15 (mksquashfs' default level) is about 6% smaller than 9 and takes 7 times as long.
  local level="${APPIMAGE_ZSTD_LEVEL:-15}"
  [[ "$level" =~ ^([1-9]|1[0-9]|2[0-2])$ ]] || die "APPIMAGE_ZSTD_LEVEL is 1 to 22, not $level"
  say "squashing $APPDIR (zstd level $level)"
  # -root-owned/-no-xattrs: nothing of the build machine's users or labels; SOURCE_DATE_EPOCH,
  # when set, fixes the times.
  mksquashfs "$APPDIR" "$work/image.squashfs" -root-owned -no-xattrs -noappend -comp zstd \
    -Xcompression-level "$level" -quiet -no-progress \
    || die "mksquashfs failed"
  cat "$work/runtime" "$work/image.squashfs" >"$work/out.AppImage"
  chmod 755 "$work/out.AppImage"
  mkdir -p "$(dirname "$out")"
  mv -f "$work/out.AppImage" "$out"
  say "wrote $out ($(du -h "$out" | cut -f1))"
}

if [[ "$ROLE" == "output plugin" ]]; then
  ((${#PLUGINS[@]} == 0 && ${#LIBRARIES[@]} == 0)) && [[ -z "$OUTPUT_KIND" ]] \
    || die "as the output plugin it takes --appdir only"
  write_appimage
  exit 0
fi

# ---------------------------------------------------------------------------------------------
# linuxdeploy
# ---------------------------------------------------------------------------------------------
command -v patchelf >/dev/null || die "patchelf not found (Debian: patchelf)"

# What every desktop Linux provides, and the AppImage takes from the host (the "excludelist"):
# the C library and the compiler's runtime (they must match the host's dynamic loader), the
# X11/xcb client libraries, the GL stack (it matches the host's GPU driver), font discovery and
# shaping (they follow the host's font configuration), zlib, expat, the Wayland client library
# (the host's EGL driver links it too) and ALSA. Patterns match sonames.
HOST_LIBS=(
  'ld-linux*.so.*' libc.so.6 libm.so.6 libdl.so.2 libpthread.so.0 librt.so.1 libresolv.so.2
  libutil.so.1 libanl.so.1 libmvec.so.1 'libnss_*.so.*' libthread_db.so.1 libBrokenLocale.so.1
  libstdc++.so.6 libgcc_s.so.1
  libX11.so.6 libX11-xcb.so.1 libxcb.so.1 'libxcb-*.so.*' libXau.so.6 libXdmcp.so.6
  libGL.so.1 libGLX.so.0 libGLdispatch.so.0 libOpenGL.so.0 libEGL.so.1 libGLESv1_CM.so.1
  libGLESv2.so.2 libdrm.so.2 'libdrm_*.so.*' libgbm.so.1
  libfontconfig.so.1 libfreetype.so.6 libharfbuzz.so.0 libfribidi.so.0
  libexpat.so.1 libz.so.1 libwayland-client.so.0 libasound.so.2
)
from_host() {
  local p
  for p in "${HOST_LIBS[@]}"; do
    # shellcheck disable=SC2053 # glob match on purpose
    [[ "$1" == $p ]] && return 0
  done
  return 1
}

is_elf() {
  local magic=""
  [[ -f "$1" && ! -L "$1" ]] || return 1
  LC_ALL=C IFS= read -r -n 4 -d '' magic <"$1" 2>/dev/null || true
  [[ "$magic" == $'\177ELF' ]]
}

# soname -> host path, in the dynamic loader's search order.
declare -A HOST_PATH=()
ldconfig_bin="$(command -v ldconfig || echo /sbin/ldconfig)"
while read -r name arch path; do
  [[ "$arch" == *x86-64* && -z "${HOST_PATH[$name]:-}" ]] && HOST_PATH[$name]="$path"
done < <("$ldconfig_bin" -p | sed -n 's/^\t*\([^ ]*\) (\([^)]*\)) => \(.*\)$/\1 \2 \3/p')
((${#HOST_PATH[@]} > 0)) || die "ldconfig -p listed no x86-64 libraries"

# The host file an AppDir copy came from, so its own dependencies resolve as on the host.
declare -A SOURCE=()

# resolve NAME FILE: where the host's loader finds NAME: the ld.so cache, else what ldd says for
# FILE's host original (a RUNPATH into a private folder).
resolve() {
  local name="$1" file="${SOURCE[$2]:-$2}" path="${HOST_PATH[$1]:-}"
  if [[ -z "$path" ]]; then
    path="$(ldd "$file" 2>/dev/null | awk -v n="$name" '$1 == n && $2 == "=>" && $3 ~ /^\// && !p { p = $3 } END { print p }')"
  fi
  [[ -n "$path" && -e "$path" ]] || return 1
  echo "$path"
}

strip_if_needed() {
  [[ -n "${NO_STRIP:-}" ]] && return 0
  local sections
  sections="$(readelf -S -W "$1" 2>/dev/null)" || return 0
  # Not `readelf | grep -q`: grep stops early, readelf dies of SIGPIPE, pipefail says no.
  if grep -qE ' \.(symtab|debug_[a-z]+) ' <<<"$sections"; then
    debug "strip $1"
    strip "$1" || die "strip failed on $1"
  fi
}

# read_dynamic FILE: its dynamic section's DT_NEEDED names into NEEDED, its SONAME and RUNPATH
# (or RPATH); fails where it has none (static). readelf reads only what it needs; patchelf would
# read the whole file (89 MB for WebKit), on every pass.
read_dynamic() {
  local out line
  out="$(LC_ALL=C readelf -d -W "$1" 2>/dev/null)" || return 1
  [[ "$out" == *"Dynamic section at offset"* ]] || return 1
  NEEDED=() SONAME="" RUNPATH=""
  while IFS= read -r line; do
    case "$line" in
      *"(NEEDED)"*) line="${line#*[}" && NEEDED+=("${line%]*}") ;;
      *"(SONAME)"*) line="${line#*[}" && SONAME="${line%]*}" ;;
      *"(RUNPATH)"* | *"(RPATH)"*) line="${line#*[}" && RUNPATH="${line%]*}" ;;
    esac
  done <<<"$out"
}

# copy_library SRC [NAME]: SRC's file as usr/lib/NAME (default: its soname), once.
copy_library() {
  local src="$1" name="${2:-}"
  [[ -n "$name" ]] || { read_dynamic "$src" && name="$SONAME"; } || true
  [[ -n "$name" ]] || name="$(basename "$src")"
  from_host "$name" && return 0
  local dest="$LIBDIR/$name"
  [[ -e "$dest" || -L "$dest" ]] && return 0
  debug "copy $src -> usr/lib/$name"
  mkdir -p "$LIBDIR"
  cp -L "$src" "$dest"
  chmod u+w,a+r "$dest"
  SOURCE[$dest]="$(realpath "$src")"
  strip_if_needed "$dest"
  QUEUE+=("$dest")
  COPIED=$((COPIED + 1))
}

# Walks DT_NEEDED from every ELF file in the AppDir (and each library it copies).
deploy_dependencies() {
  local file name src
  QUEUE=()
  COPIED=0
  for file in "${LIBRARIES[@]}"; do
    [[ -e "$file" ]] || die "--library $file: no such file"
    copy_library "$file"
  done
  while IFS= read -r -d '' file; do
    [[ "$file" == "$APPDIR/AppRun" ]] && continue
    is_elf "$file" && QUEUE+=("$file")
  done < <(find "$APPDIR" -type f -print0)
  local i=0
  while ((i < ${#QUEUE[@]})); do
    file="${QUEUE[i]}"
    i=$((i + 1))
    read_dynamic "$file" || continue # static
    for name in ${NEEDED[@]+"${NEEDED[@]}"}; do
      from_host "$name" && continue
      [[ -e "$LIBDIR/$name" ]] && continue
      src="$(resolve "$name" "$file")" || die "$name, needed by ${file#"$APPDIR"/}, is not on this machine"
      copy_library "$src" "$name"
    done
  done
  say "deployed $COPIED libraries into usr/lib"
}

# Every dynamic ELF file in the AppDir looks for its libraries in usr/lib, relative to itself.
set_runpaths() {
  local file dir rel want have changed=0
  while IFS= read -r -d '' file; do
    [[ "$file" == "$APPDIR/AppRun" ]] && continue
    is_elf "$file" || continue
    read_dynamic "$file" || continue # static
    have="$RUNPATH"
    dir="$(dirname "$file")"
    rel="$(realpath --relative-to="$dir" "$LIBDIR")"
    if [[ "$rel" == "." ]]; then want="\$ORIGIN"; else want="\$ORIGIN/$rel"; fi
    [[ "$have" == "$want" || "$have" == "$want:"* ]] && continue # a plugin may add folders after it
    strip_if_needed "$file"
    debug "runpath $want on ${file#"$APPDIR"/}"
    patchelf --set-rpath "$want" "$file" || die "patchelf failed on $file"
    changed=$((changed + 1))
  done < <(find "$APPDIR" -type f -print0)
  ((changed == 0)) || say "set the runpath of $changed files"
}

find_plugin() {
  local name="$1" f
  for f in "$TOOLS/linuxdeploy-plugin-$name".sh "$TOOLS/linuxdeploy-plugin-$name" "$TOOLS/linuxdeploy-plugin-$name"[-.]*; do
    [[ -f "$f" ]] && { echo "$f"; return 0; }
  done
  command -v "linuxdeploy-plugin-$name" || command -v "linuxdeploy-plugin-$name.sh" || return 1
}

run_plugin() {
  local plugin
  plugin="$(find_plugin "$1")" || die "no linuxdeploy-plugin-$1 next to $SELF or on PATH"
  say "running the $1 plugin ($plugin)"
  if [[ -x "$plugin" ]]; then
    LINUXDEPLOY="$SELF" "$plugin" --appdir "$APPDIR" || die "the $1 plugin failed"
  else
    LINUXDEPLOY="$SELF" bash "$plugin" --appdir "$APPDIR" || die "the $1 plugin failed"
  fi
}

# The plugins leave shell hooks for linuxdeploy's own AppRun to source. This AppRun is a program
# that sets those variables itself: check that it sets each one a hook exports, to the same
# place, then drop the hooks.
check_and_drop_hooks() {
  local hooks=("$APPDIR"/apprun-hooks/*)
  ((${#hooks[@]})) || return 0
  local apprun="$APPDIR/AppRun"
  grep -qa APPRUN_PRINT_ENV "$apprun" \
    || die "$apprun is not scripts/appimage/apprun.c's (run scripts/appimage/build-tools.sh)"
  local apprun_env hook name want have
  apprun_env="$(APPRUN_PRINT_ENV=1 "$apprun")" || die "$apprun could not print its environment"
  for hook in "${hooks[@]}"; do
    while read -r name; do
      # shellcheck disable=SC2016 # the inner shell expands them
      want="$(env -i PATH="$PATH" APPDIR="$APPDIR" bash -c 'source "$1" >/dev/null 2>&1; printf %s "${!2}"' _ "$hook" "$name")"
      have="$(sed -n "s|^$name=||p" <<<"$apprun_env")"
      [[ -n "$have" ]] || die "${hook#"$APPDIR"/} exports $name, which AppRun does not set (scripts/appimage/apprun.c)"
      if [[ "$want" == "$APPDIR"* ]]; then
        want="$(realpath -m "${want%%:*}")"
        have="$(realpath -m "${have%%:*}")"
        [[ "$want" == "$have" ]] || die "${hook#"$APPDIR"/} sets $name to $want, AppRun to $have"
      fi
      debug "AppRun sets $name as ${hook#"$APPDIR"/} does"
    done < <(sed -n 's/^export \([A-Za-z_][A-Za-z0-9_]*\)=.*/\1/p' "$hook")
  done
  rm -rf "$APPDIR/apprun-hooks"
  say "AppRun sets what the plugins' hooks export; hooks dropped"
}

deploy_dependencies
set_runpaths
for plugin in "${PLUGINS[@]}"; do
  run_plugin "$plugin"
done
# The top-level call (not a plugin calling back): sweep up, then check the hooks, all written.
if ((${#PLUGINS[@]})) || [[ -n "$OUTPUT_KIND" ]]; then
  LIBRARIES=()
  deploy_dependencies # what the plugins copied without calling back
  set_runpaths
  check_and_drop_hooks
fi

case "$OUTPUT_KIND" in
  "") ;;
  appimage) run_plugin appimage ;;
  *) die "unknown output kind: $OUTPUT_KIND (this linuxdeploy writes appimage)" ;;
esac
