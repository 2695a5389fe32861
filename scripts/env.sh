# Sourced by the scripts: one cache outside the clone, so warm runs reuse builds and models.
export ANAMNESIS_CACHE="${ANAMNESIS_CACHE:-$HOME/.cache/anamnesis}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ANAMNESIS_CACHE/target}"
export ANAMNESIS_TEST_MODELS="${ANAMNESIS_TEST_MODELS:-$ANAMNESIS_CACHE/models}"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
