"""Raking side by side: cxkpi, R survey::rake, weightipy and ipfn on the same respondents.

Job (issue 3): rake 4 variables with 5, 4, 10 and 3 levels to a relative margin error of 1e-6 on 100k and
1M respondents. Every implementation's weights are checked against the targets (max relative margin error
<= 1e-5) before its time counts; times exclude reading the data. Not part of CI: run through run.sh.

    python benches/peers/rake_peers.py [--rows 100000 1000000] [--repeat 3] [--skip ipfn]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

LEVELS = [5, 4, 10, 3]
NAMES = ["v1", "v2", "v3", "v4"]


def make(n: int, seed: int = 3):
    rng = np.random.default_rng(seed)
    codes = {}
    for name, l in zip(NAMES, LEVELS):
        u = rng.random(n)
        codes[name] = np.minimum(np.floor(u * u * l), l - 1).astype(np.uint32)  # skewed response
    targets = {}
    for name, l in zip(NAMES, LEVELS):
        raw = 1.0 + np.abs(np.sin(np.arange(l) * 0.37))
        targets[name] = raw * n / raw.sum()
    return codes, targets


def max_margin_error(codes, targets, w) -> float:
    worst = 0.0
    for name in NAMES:
        got = np.bincount(codes[name], weights=w, minlength=len(targets[name]))
        worst = max(worst, float(np.max(np.abs(got - targets[name]) / targets[name])))
    return worst


def best_of(fn, repeat):
    out, times = None, []
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def run_cxkpi(codes, targets, repeat):
    import cxkpi

    frame = pd.DataFrame({k: pd.Categorical(v, categories=range(l)) for (k, v), l in zip(codes.items(), LEVELS)})
    tg = {k: {i: float(x) for i, x in enumerate(t)} for k, t in targets.items()}
    t_np, r = best_of(lambda: cxkpi.rake(codes, {k: list(v) for k, v in targets.items()}, tolerance=1e-6), repeat)
    t_pd, _ = best_of(lambda: cxkpi.rake(frame, tg, tolerance=1e-6), repeat)
    return {"numpy codes": (t_np, np.asarray(r.weights)), "pandas categorical": (t_pd, None)}


def run_r(codes, targets, repeat):
    if shutil.which("Rscript") is None:
        raise RuntimeError("Rscript not found (apt-get install r-base-core r-cran-survey)")
    tmp = Path(tempfile.mkdtemp())
    pd.DataFrame(codes).to_csv(tmp / "d.csv", index=False)
    pops = []
    for name in NAMES:
        pops.append(f"data.frame({name}=0:{len(targets[name]) - 1}, Freq=c({','.join(repr(float(x)) for x in targets[name])}))")
    script = f"""
suppressMessages(library(survey))
d <- read.csv("{tmp / 'd.csv'}")
for (v in names(d)) d[[v]] <- factor(d[[v]])
pops <- list({", ".join(pops)})
for (k in seq_along(pops)) pops[[k]][[1]] <- factor(pops[[k]][[1]])
des <- svydesign(ids=~1, weights=~rep(1, nrow(d)), data=d)
margins <- list(~v1, ~v2, ~v3, ~v4)
best <- Inf
for (r in 1:{repeat}) {{
  t <- system.time(rk <- rake(des, margins, pops, control=list(maxit=1000, epsilon=1e-6, verbose=FALSE)))[["elapsed"]]
  best <- min(best, t)
}}
write(weights(rk), "{tmp / 'w.txt'}", ncolumns=1)
cat(best, "\\n")
"""
    out = subprocess.run(["Rscript", "-e", script], capture_output=True, text=True, check=True)
    t = float(out.stdout.strip().split()[-1])
    w = np.loadtxt(tmp / "w.txt")
    return t, w


def run_weightipy(codes, targets, repeat):
    import weightipy as wp

    df = pd.DataFrame({k: v.astype(np.int64) for k, v in codes.items()})
    n = len(df)
    scheme = wp.scheme_from_dict({k: {i: 100.0 * x / n for i, x in enumerate(t)} for k, t in targets.items()},
                                 rim_params={"max_iterations": 1000, "convcrit": 1e-6})
    t, out = best_of(lambda: wp.weight_dataframe(df.copy(), scheme), repeat)
    w = out["weights"].to_numpy()
    return t, w * n / w.sum()


def run_ipfn(codes, targets, repeat):
    from ipfn import ipfn

    df = pd.DataFrame({k: v.astype(np.int64) for k, v in codes.items()})
    aggs = [pd.Series(t, index=range(len(t))) for t in targets.values()]

    def go():
        d = df.copy()
        d["total"] = 1.0
        return ipfn.ipfn(d, aggs, [[k] for k in NAMES], weight_col="total", convergence_rate=1e-6, max_iteration=1000).iteration()

    t, out = best_of(go, repeat)
    return t, out["total"].to_numpy()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--skip", nargs="*", default=[])
    a = ap.parse_args()
    for n in a.rows:
        codes, targets = make(n)
        rows = []
        try:
            for label, (t, w) in run_cxkpi(codes, targets, a.repeat).items():
                if w is not None:
                    assert max_margin_error(codes, targets, w) <= 1e-5
                rows.append((f"cxkpi ({label})", t))
        except (ImportError, AttributeError) as e:
            print(f"cxkpi with weighting is not installed in this venv ({e}); build the wheel first (see README)")
        for name, fn in [("R survey::rake", run_r), ("weightipy", run_weightipy), ("ipfn", run_ipfn)]:
            if name.split()[0].lower() in [s.lower() for s in a.skip]:
                continue
            try:
                t, w = fn(codes, targets, a.repeat if name != "ipfn" else 1)
                err = max_margin_error(codes, targets, w)
                rows.append((f"{name} (margin err {err:.1e})", t))
            except Exception as e:  # a peer that is missing or fails is reported, not fatal
                rows.append((f"{name}: {type(e).__name__}: {e}"[:100], float("nan")))
        base = next((t for l, t in rows if l.startswith("cxkpi (numpy")), float("nan"))
        print(f"\nraking 4 variables (5, 4, 10, 3 levels) to 1e-6, {n:,} respondents, best of {a.repeat}")
        for label, t in rows:
            print(f"  {label:<55} {t * 1e3:10.1f} ms   {t / base:8.1f}x")


if __name__ == "__main__":
    main()
