#!/usr/bin/env python3
"""Write the grouped-NPS benchmark input: 10 million answers in 1,000 groups (seeded, numpy).

    python benches/peers/gen_bench_data.py [--rows 10000000] [--groups 1000] [--seed 20240601]

Writes into <repo>/target/bench-data/ (never committed):
    nps_scores_<N>.npy    float64, integer scores 0..10, about 2 % NaN (missing answers)
    nps_groups_<N>.npy    uint32 group codes 0..groups-1
    nps_<N>.parquet       the same two columns, `score` and `group` (only when pyarrow is installed)
where <N> is the row count written as e.g. 10m.

Shape of the data: group sizes are unbalanced (a smooth long tail: the largest group is about six
times the smallest, every group has thousands of rows); each group has its own NPS level (latent
mean drawn per group), so the per-group estimates and intervals differ. Scores come from
round(8 + 2 * (group mean + N(0, 1))) clipped to 0..10.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
DEFAULT_DIR = os.path.join(REPO, "target", "bench-data")


def size_tag(n: int) -> str:
    if n % 1_000_000 == 0:
        return f"{n // 1_000_000}m"
    if n % 1_000 == 0:
        return f"{n // 1_000}k"
    return str(n)


def paths(rows: int, out_dir: str = DEFAULT_DIR) -> dict[str, str]:
    tag = size_tag(rows)
    return {
        "scores": os.path.join(out_dir, f"nps_scores_{tag}.npy"),
        "groups": os.path.join(out_dir, f"nps_groups_{tag}.npy"),
        "parquet": os.path.join(out_dir, f"nps_{tag}.parquet"),
    }


def generate(rows: int, groups: int, seed: int, missing: float = 0.02) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    # Unbalanced group sizes: weight 1/(rank + 200) gives a ~6x spread between largest and smallest.
    w = 1.0 / (np.arange(groups, dtype=np.float64) + 200.0)
    w = w[rng.permutation(groups)]  # do not tie size to code order
    g = rng.choice(groups, size=rows, p=w / w.sum()).astype(np.uint32)
    level = rng.normal(0.0, 0.35, size=groups)  # each group's NPS level
    z = level[g] + rng.standard_normal(rows)
    scores = np.clip(np.floor(8.0 + 2.0 * z + 0.5), 0.0, 10.0)
    scores[rng.random(rows) < missing] = np.nan
    return scores.astype(np.float64, copy=False), g


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--groups", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--missing", type=float, default=0.02, help="share of NaN answers")
    ap.add_argument("--out-dir", default=DEFAULT_DIR)
    ap.add_argument("--no-parquet", action="store_true")
    ap.add_argument("--force", action="store_true", help="rewrite even if the files exist")
    args = ap.parse_args(argv)

    p = paths(args.rows, args.out_dir)
    if not args.force and os.path.exists(p["scores"]) and os.path.exists(p["groups"]):
        print(f"exists: {p['scores']} (use --force to rewrite)")
        return 0
    os.makedirs(args.out_dir, exist_ok=True)
    t0 = time.perf_counter()
    scores, g = generate(args.rows, args.groups, args.seed, args.missing)
    np.save(p["scores"], scores)
    np.save(p["groups"], g)
    print(f"wrote {p['scores']} and {p['groups']}: {args.rows:,} rows, {args.groups} groups, "
          f"{int(np.isnan(scores).sum()):,} NaN, group sizes {np.bincount(g).min():,}..{np.bincount(g).max():,} "
          f"({time.perf_counter() - t0:.1f} s)")
    if not args.no_parquet:
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            print("pyarrow not installed: parquet file skipped")
        else:
            table = pa.table({"score": pa.array(scores, from_pandas=False), "group": pa.array(g)})
            pq.write_table(table, p["parquet"])
            print(f"wrote {p['parquet']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
