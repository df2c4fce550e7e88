#!/usr/bin/env bash
# Build the cxkpi wheel for real (maturin build), install it into .venv, check the stubs and run the pytest suite
# (which also writes target/golden-out/python.tsv). Works from a clean clone with only cargo, python3 and PyPI.
# Called by tests/run_all.sh after the Rust tests; can also be run on its own.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# One target directory for cargo, maturin and napi (DESIGN §8): they all build for the explicit host triple.
CARGO_BUILD_TARGET="$(rustc -vV | sed -n 's/^host: //p')"
export CARGO_BUILD_TARGET

VENV="${CXKPI_VENV:-$ROOT/.venv}"
PY="$VENV/bin/python"
if [ ! -x "$PY" ]; then
    echo "python: creating $VENV"
    python3 -m venv "$VENV"
    "$PY" -m pip install --quiet --disable-pip-version-check --upgrade pip
fi
"$PY" -m pip install --quiet --disable-pip-version-check -r bindings-python/requirements-test.txt

# Cargo, maturin and the golden output share one target directory ($CARGO_TARGET_DIR, default target/).
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
mkdir -p "$TARGET"

# Real wheel build (the same path a user's `pip install` takes), into <target>/wheels.
WHEELS="$TARGET/wheels"
mkdir -p "$WHEELS"
rm -f "$WHEELS"/cxkpi-*.whl
"$VENV/bin/maturin" build --release --locked -i "$PY" -m bindings-python/Cargo.toml -o "$WHEELS"
WHEEL="$(ls -t "$WHEELS"/cxkpi-*.whl | head -n 1)"
"$PY" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$WHEEL"

# Stubs (.pyi) against the compiled, installed package (run outside the source tree so that the installed
# package, not bindings-python/python, is what is imported).
ALLOW=()
if [ -s "$ROOT/bindings-python/stubtest-allowlist.txt" ]; then
    ALLOW=(--allowlist "$ROOT/bindings-python/stubtest-allowlist.txt")
fi
(cd "$TARGET" && "$PY" -m mypy.stubtest cxkpi ${ALLOW[@]+"${ALLOW[@]}"})

# pytest (golden corpus + binding tests); writes <target>/golden-out/python.tsv.
(cd "$TARGET" && "$PY" -m pytest -q -p no:cacheprovider "$ROOT/bindings-python/tests")
