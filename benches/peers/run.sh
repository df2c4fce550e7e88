#!/usr/bin/env bash
# Peer benchmarks: grouped NPS in pandas, polars (and numpy) side by side with cxkpi.
#
#   benches/peers/run.sh [--build] [-- args for nps_grouped_pandas_polars.py]
#
# 1. creates a venv at target/peers-venv (override: PEERS_VENV=/path) with python3 (override: PYTHON=...)
# 2. installs requirements.txt (numpy, pandas, polars, pyarrow)
# 3. installs the local cxkpi wheel if one is built: $CXKPI_WHEEL, else the newest target/wheels/cxkpi-*.whl;
#    with --build it first builds a release wheel with maturin (installed into the venv from PyPI).
#    Without a wheel, cxkpi is timed only if it is already importable in the venv (e.g. maturin develop).
# 4. writes the 10-million-row input under target/bench-data/ (once) and runs the benchmark.
# Not part of CI: the test command never installs peers.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
VENV=${PEERS_VENV:-$REPO/target/peers-venv}
PYTHON=${PYTHON:-python3}

BUILD=0
if [ "${1:-}" = "--build" ]; then BUILD=1; shift; fi
if [ "${1:-}" = "--" ]; then shift; fi

if [ ! -x "$VENV/bin/python" ]; then
    echo "creating venv $VENV"
    "$PYTHON" -m venv "$VENV"
fi
PY="$VENV/bin/python"
"$PY" -m pip install --quiet --disable-pip-version-check --upgrade pip
"$PY" -m pip install --quiet --disable-pip-version-check -r "$HERE/requirements.txt"

if [ "$BUILD" = 1 ]; then
    "$PY" -m pip install --quiet --disable-pip-version-check "maturin>=1.9.4"
    (cd "$REPO" && "$VENV/bin/maturin" build --release --locked \
        -m bindings-python/Cargo.toml --out "$REPO/target/wheels")
fi

WHEEL=${CXKPI_WHEEL:-}
if [ -z "$WHEEL" ]; then
    WHEEL=$(ls -t "$REPO"/target/wheels/cxkpi-*.whl 2>/dev/null | head -n 1 || true)
fi
if [ -n "$WHEEL" ]; then
    echo "installing $WHEEL"
    "$PY" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$WHEEL"
else
    echo "no cxkpi wheel in target/wheels (build one: benches/peers/run.sh --build)"
fi

"$PY" "$HERE/gen_bench_data.py"
"$PY" "$HERE/nps_grouped_pandas_polars.py" "$@"
# Raking against R survey (needs Rscript with r-cran-survey: apt-get install r-base-core r-cran-survey),
# weightipy and ipfn.
"$PY" "$HERE/rake_peers.py"
