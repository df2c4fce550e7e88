#!/usr/bin/env bash
# The one test command: Rust, then the Python wheel (maturin, venv, pytest), then the Node module
# (napi, node --test), then the cross-language bit-identity diff of the golden corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
# One target directory for cargo, maturin and napi (the napi CLI always passes --target <host>).
export CARGO_BUILD_TARGET="$(rustc -vV | sed -n 's/^host: //p')"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
rm -rf "$CARGO_TARGET_DIR/golden-out"

echo "== Rust: cargo test (core, doc tests, golden corpus, property tests)"
cargo test --locked -p cxkpi
cargo build --locked -p cxkpi-benches --benches --quiet

echo "== Python: wheel, stubs, pytest"
bash tests/run_python.sh

echo "== Node: native module, node --test"
bash tests/run_node.sh

echo "== Golden bit-identity across Rust, Python and Node"
python3 tests/golden_diff.py "$CARGO_TARGET_DIR/golden-out"
