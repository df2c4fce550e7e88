#!/usr/bin/env bash
# Build the Node module for real (npm install of the pinned napi CLI, `napi build --platform --release`) and
# run the node:test suite (which also writes <target>/golden-out/node.tsv). Works from a clean clone with only
# cargo, node >= 20 / npm and the npm registry. Called by tests/run_all.sh; can also be run on its own.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT/bindings-node"

# One target directory for cargo, maturin and napi (DESIGN §8): the napi CLI always passes --target <host>.
CARGO_BUILD_TARGET="$(rustc -vV | sed -n 's/^host: //p')"
export CARGO_BUILD_TARGET
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"

# `npm install`, not `npm ci` (npm 11 fails on the optional platform packages of the lockfile).
npm install --no-audit --no-fund --loglevel=error

# Regenerates index.js and index.d.ts (committed) and copies cxkpi.<platform>.node next to them.
./node_modules/.bin/napi build --platform --release

# The generated files are committed: a build that changes them means they were not regenerated.
if command -v git >/dev/null 2>&1 && git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    if ! git -C "$ROOT" diff --quiet -- bindings-node/index.js bindings-node/index.d.ts 2>/dev/null; then
        echo "note: bindings-node/index.js or index.d.ts changed when regenerated; commit the regenerated files" >&2
    fi
fi

cd "$ROOT"
node --test bindings-node/__test__/
