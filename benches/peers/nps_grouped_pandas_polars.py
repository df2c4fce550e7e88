#!/usr/bin/env python3
"""Grouped NPS with adjusted-Wald 95 % intervals: pandas, polars, numpy and cxkpi side by side.

    python benches/peers/nps_grouped_pandas_polars.py [--rows 10000000] [--repeat 5]

The job, the same in every implementation: given a float64 column of 0-10 answers (NaN = missing) and a
uint32 group-code column, return per group (ascending code)
    n           valid answers            n_missing   NaN answers
    nps         100 * (P - D) / n        (promoters 9-10, detractors 0-6)
    lower/upper adjusted-Wald interval around the observed NPS (cxkpi default, spec/API.md):
                p' = (P + 0.75) / (n + 3), d' = (D + 0.75) / (n + 3)
                se = sqrt((p' + d' - (p' - d')^2) / (n + 3))
                lower, upper = 100 * (nps/100 -/+ 1.959963984540054 * se)
Input preparation is not timed: pandas and polars get a DataFrame built beforehand (the analyst already
has one), numpy and cxkpi get the two arrays. Each implementation runs once to warm up, then --repeat
times; the table shows the best and the median. Results are cross-checked: every implementation's
nps/lower/upper must equal pandas' to 1e-9 and its n/n_missing exactly, else the script exits 1.

The data come from gen_bench_data.py (run automatically when the files are missing).
cxkpi is timed only when `import cxkpi` works (see README.md for installing the local wheel).
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import statistics
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import gen_bench_data  # noqa: E402

Z95 = 1.959963984540054  # Normal quantile 0.975
TOL = 1e-9


# ---------------------------------------------------------------------------------------------- pandas
def nps_pandas(df):
    """pandas: three boolean flag columns, one groupby, vectorised interval arithmetic."""
    import pandas as pd

    score = df["score"]
    flags = pd.DataFrame({
        "n": score.notna(),
        "promoters": score.ge(9),    # NaN compares False
        "detractors": score.le(6),
    })
    gb = flags.groupby(df["group"], sort=True)
    out = gb.sum()
    out["n_missing"] = gb.size() - out["n"]
    n = out["n"].astype("float64")
    p = out["promoters"] / n
    d = out["detractors"] / n
    pa = (p * n + 0.75) / (n + 3.0)
    da = (d * n + 0.75) / (n + 3.0)
    se = np.sqrt((pa + da - (pa - da) ** 2) / (n + 3.0))
    nps = p - d
    out["nps"] = 100.0 * nps
    out["se"] = 100.0 * se
    out["lower"] = 100.0 * (nps - Z95 * se)
    out["upper"] = 100.0 * (nps + Z95 * se)
    return out.reset_index()


# ---------------------------------------------------------------------------------------------- polars
def nps_polars(df):
    """polars: one lazy group_by with counting expressions, interval arithmetic as expressions."""
    import polars as pl

    s = pl.col("score")
    valid = s.is_not_nan()  # NaN is not null in polars
    n = pl.col("n").cast(pl.Float64)
    p = pl.col("promoters") / n
    d = pl.col("detractors") / n
    pa = (p * n + 0.75) / (n + 3.0)
    da = (d * n + 0.75) / (n + 3.0)
    se = ((pa + da - (pa - da) ** 2) / (n + 3.0)).sqrt()
    return (
        df.lazy()
        .group_by("group")
        .agg(
            n=valid.sum(),
            n_missing=s.is_nan().sum(),
            # polars orders NaN above every number, so `s >= 9` would count NaN as a promoter.
            promoters=s.is_between(9, 10).sum(),
            detractors=(s <= 6).sum(),
        )
        .sort("group")
        .with_columns(se=se)
        .with_columns(
            nps=100.0 * (p - d),
            lower=100.0 * ((p - d) - Z95 * pl.col("se")),
            upper=100.0 * ((p - d) + Z95 * pl.col("se")),
            se=100.0 * pl.col("se"),
        )
        .collect()
    )


# ---------------------------------------------------------------------------------------------- numpy
def nps_numpy(scores, groups):
    """Hand-written numpy baseline: bincount per answer class (not a package API, a lower bound)."""
    valid = ~np.isnan(scores)
    g = int(groups.max()) + 1
    rows = np.bincount(groups, minlength=g)
    n = np.bincount(groups[valid], minlength=g)
    prom = np.bincount(groups[scores >= 9], minlength=g)  # NaN compares False
    det = np.bincount(groups[scores <= 6], minlength=g)
    present = rows > 0
    rows, n, prom, det = rows[present], n[present], prom[present], det[present]
    nf = n.astype(np.float64)
    p, d = prom / nf, det / nf
    pa = (p * nf + 0.75) / (nf + 3.0)
    da = (d * nf + 0.75) / (nf + 3.0)
    se = np.sqrt((pa + da - (pa - da) ** 2) / (nf + 3.0))
    nps = p - d
    return {
        "group": np.flatnonzero(present), "n": n, "n_missing": rows - n,
        "nps": 100.0 * nps, "se": 100.0 * se,
        "lower": 100.0 * (nps - Z95 * se), "upper": 100.0 * (nps + Z95 * se),
    }


# ---------------------------------------------------------------------------------------------- cxkpi
def nps_cxkpi(cxkpi, scores, groups):
    return cxkpi.grouped("nps", scores, [groups])


def cxkpi_columns(res) -> dict[str, np.ndarray]:
    """Read a GroupedResult whichever way the binding exposes it (attributes, to_dict, mapping)."""
    def get(name):
        if hasattr(res, name):
            return getattr(res, name)
        if hasattr(res, "to_dict"):
            return res.to_dict()[name]
        return res[name]

    keys = get("keys")
    return {
        "group": np.asarray(keys[0]), "n": np.asarray(get("n")), "n_missing": np.asarray(get("n_missing")),
        "nps": np.asarray(get("estimate"), dtype=np.float64), "se": np.asarray(get("se"), dtype=np.float64),
        "lower": np.asarray(get("lower"), dtype=np.float64), "upper": np.asarray(get("upper"), dtype=np.float64),
    }


# ---------------------------------------------------------------------------------------------- harness
def columns_of(result) -> dict[str, np.ndarray]:
    if isinstance(result, dict):
        return result
    if hasattr(result, "to_numpy") and hasattr(result, "get_column"):  # polars
        return {c: result.get_column(c).to_numpy() for c in result.columns}
    return {c: result[c].to_numpy() for c in result.columns}  # pandas


def compare(name: str, ref: dict, got: dict, strict_se: bool = True) -> list[str]:
    """Errors of `got` against the pandas reference. The required columns are nps/lower/upper
    (and n/n_missing); a differing `se` is an error for the peers, a note for cxkpi."""
    errors = []
    if len(got["group"]) != len(ref["group"]) or not np.array_equal(got["group"].astype(np.int64),
                                                                     ref["group"].astype(np.int64)):
        return [f"{name}: group codes differ from pandas"]
    for col in ("n", "n_missing"):
        if not np.array_equal(got[col].astype(np.int64), ref[col].astype(np.int64)):
            errors.append(f"{name}: {col} differs from pandas")
    for col in ("nps", "lower", "upper", "se"):
        diff = float(np.max(np.abs(got[col] - ref[col])))
        if not diff <= TOL:
            msg = f"{name}: max |{col} - pandas {col}| = {diff:.3g} > {TOL:g}"
            if col == "se" and not strict_se:
                print(f"note: {msg} (se is not part of the check)")
            else:
                errors.append(msg)
    return errors


def time_it(fn, repeat: int) -> list[float]:
    fn()  # warm-up (imports, caches, thread pools)
    times = []
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--groups", type=int, default=1000, help="only used when the data must be generated")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--data-dir", default=gen_bench_data.DEFAULT_DIR)
    ap.add_argument("--no-numpy", action="store_true", help="skip the hand-written numpy baseline")
    ap.add_argument("--require-cxkpi", action="store_true", help="fail when cxkpi cannot be imported")
    args = ap.parse_args(argv)

    import pandas as pd
    import polars as pl

    paths = gen_bench_data.paths(args.rows, args.data_dir)
    if not (os.path.exists(paths["scores"]) and os.path.exists(paths["groups"])):
        gen_bench_data.main(["--rows", str(args.rows), "--groups", str(args.groups),
                             "--out-dir", args.data_dir])
    scores = np.load(paths["scores"])
    groups = np.load(paths["groups"])
    assert scores.dtype == np.float64 and groups.dtype == np.uint32 and len(scores) == len(groups)

    try:
        import cxkpi
    except ImportError as e:
        cxkpi = None
        cxkpi_note = f"cxkpi not importable ({e}); see benches/peers/README.md"
        if args.require_cxkpi:
            print(cxkpi_note, file=sys.stderr)
            return 2
    else:
        cxkpi_note = None
        if not hasattr(cxkpi, "grouped"):
            cxkpi_note = "cxkpi is installed but has no `grouped` yet: skipped"
            cxkpi = None

    df_pd = pd.DataFrame({"group": groups, "score": scores})
    df_pl = pl.DataFrame({"group": groups, "score": scores})

    runs = [
        ("pandas", pd.__version__, lambda: nps_pandas(df_pd)),
        ("polars", pl.__version__, lambda: nps_polars(df_pl)),
    ]
    if not args.no_numpy:
        runs.append(("numpy (bincount)", np.__version__, lambda: nps_numpy(scores, groups)))
    if cxkpi is not None:
        runs.append(("cxkpi", getattr(cxkpi, "__version__", "?"), lambda: nps_cxkpi(cxkpi, scores, groups)))

    n_missing = int(np.isnan(scores).sum())
    print(f"grouped NPS + adjusted-Wald 95 % interval: {len(scores):,} rows, "
          f"{len(np.unique(groups)):,} groups, {n_missing:,} missing")
    print(f"python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cpus, "
          f"polars threads {pl.thread_pool_size()}")
    if cxkpi_note:
        print(cxkpi_note)

    # Correctness first: every implementation against pandas.
    ref = columns_of(nps_pandas(df_pd))
    errors = []
    for name, _, fn in runs[1:]:
        res = fn()
        got = cxkpi_columns(res) if name == "cxkpi" else columns_of(res)
        errors += compare(name, ref, got, strict_se=(name != "cxkpi"))
    if errors:
        print("VERIFICATION FAILED:\n  " + "\n  ".join(errors))
        return 1
    print(f"verified: {', '.join(r[0] for r in runs[1:])} equal pandas "
          f"(nps/lower/upper to {TOL:g}, n/n_missing exactly)")

    results = {}
    for name, version, fn in runs:
        results[name] = (version, time_it(fn, args.repeat))

    base = "cxkpi" if "cxkpi" in results else "pandas"
    best_base = min(results[base][1])
    print()
    print(f"{'implementation':<18} {'version':<10} {'best s':>9} {'median s':>9} {'Mrows/s':>8} "
          f"{'time / ' + base:>14}")
    for name, (version, times) in results.items():
        best = min(times)
        print(f"{name:<18} {version:<10} {best:9.4f} {statistics.median(times):9.4f} "
              f"{len(scores) / best / 1e6:8.1f} {best / best_base:14.2f}")
    if "cxkpi" in results:
        c = min(results["cxkpi"][1])
        print()
        for name in ("pandas", "polars", "numpy (bincount)"):
            if name in results:
                print(f"{name} time / cxkpi time = {min(results[name][1]) / c:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
