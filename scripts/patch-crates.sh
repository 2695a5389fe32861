#!/usr/bin/env bash
# Applies patches/*.patch to pristine crates.io sources under .patched/ (git-ignored), which the
# workspace's [patch.crates-io] table points at. The repository holds only the diffs.
# Idempotent: a crate is re-copied only when its patch changed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
# "crate version" pairs; each has patches/<crate>-<version>.patch and a matching
# `<crate> = "=<version>"` in patches/fetch/Cargo.toml.
CRATES=(
  "mistralrs 0.8.1"
  "mistralrs-mcp 0.8.1"
  "mistralrs-core 0.8.1"
  "mistralrs-quant 0.8.1"
  "candle-core 0.10.2"
  "cudaforge 0.1.6"
)

# sha256sum is GNU coreutils; macOS (the release workflow's dmg job) has shasum instead.
sha256() {
  if command -v sha256sum >/dev/null; then sha256sum "$1"; else shasum -a 256 "$1"; fi
}

find_src() {
  find "$CARGO_HOME/registry/src" -mindepth 2 -maxdepth 2 -type d -name "$1-$2" 2>/dev/null | head -n1
}

for entry in "${CRATES[@]}"; do
  read -r crate VERSION <<<"$entry"
  patch_file="$ROOT/patches/$crate-$VERSION.patch"
  dest="$ROOT/.patched/$crate"
  stamp="$(sha256 "$patch_file" | cut -c1-64)"
  if [[ -f "$dest/.patch-stamp" && "$(cat "$dest/.patch-stamp")" == "$stamp" ]]; then
    continue
  fi
  src="$(find_src "$crate" "$VERSION")"
  if [[ -z "$src" ]]; then
    cargo fetch --quiet --manifest-path "$ROOT/patches/fetch/Cargo.toml"
    src="$(find_src "$crate" "$VERSION")"
  fi
  [[ -n "$src" ]] || { echo "patch-crates: cannot find $crate $VERSION sources" >&2; exit 1; }
  rm -rf "$dest.tmp"
  mkdir -p "$ROOT/.patched"
  cp -r "$src" "$dest.tmp"
  (cd "$dest.tmp" && patch -p1 --quiet --forward < "$patch_file")
  echo "$stamp" > "$dest.tmp/.patch-stamp"
  rm -rf "$dest"
  mv "$dest.tmp" "$dest"
  echo "patch-crates: patched $crate $VERSION"
done
