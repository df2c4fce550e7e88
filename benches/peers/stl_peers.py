"""STL on 10,000 daily series of 730 points (one per segment x region x product): statsmodels STL, augurs MSTL
and cxkpi side by side on the same arrays; prints the times (best of --repeat) and the ratios, after checking
that cxkpi's statsmodels preset gives statsmodels' components (to 1e-9) on the first series.

    python benches/peers/stl_peers.py [--series 10000] [--days 730] [--repeat 1]

Peers: statsmodels `STL(x, period=7, seasonal=7).fit()` (statsmodels defaults) and with R-style settings
(`seasonal_deg=0`, jumps ceil(len/10), `inner_iter=2`); augurs 0.8 `MSTL.ets([7]).fit(y)` (MSTL + AutoETS trend,
what augurs offers from Python) and `MSTL.custom_trend([7], <no-op trend>).fit(y)` (the decomposition alone).
cxkpi: `stl_batch` (rayon across series, both cores) and a single-threaded loop of `stl`.
Needs numpy, statsmodels, augurs and a release cxkpi wheel in the environment (not part of CI).
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np

import cxkpi


def best(fn, repeat):
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


class _NoTrend:
    """A trend model that does nothing, so that augurs times the MSTL decomposition alone."""

    def fit(self, y):  # noqa: D401
        self.n = len(y)

    def predict(self, horizon, level=None):
        import augurs

        return augurs.Forecast(point=np.zeros(horizon))

    def predict_in_sample(self, level=None):
        import augurs

        return augurs.Forecast(point=np.zeros(self.n))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--series", type=int, default=10_000)
    ap.add_argument("--days", type=int, default=730)
    ap.add_argument("--repeat", type=int, default=1)
    a = ap.parse_args()
    rng = np.random.default_rng(11)
    week = np.array([4.0, 2.0, 0.0, -1.0, -3.0, -5.0, 3.0])
    t = np.arange(a.days)
    data = [35 + week[t % 7] * rng.uniform(0.5, 1.5) + 0.01 * t + rng.normal(0, 3, a.days) for _ in range(a.series)]
    print(f"STL, period 7, {a.series} series x {a.days} days")

    from statsmodels.tsa.seasonal import STL

    ref = STL(data[0], period=7, seasonal=7).fit()
    mine = cxkpi.stl(data[0], 7, preset="statsmodels", seasonal_length=7)
    assert np.allclose(ref.trend, mine.trend, rtol=1e-9, atol=1e-9), "statsmodels preset differs"

    rows = []

    def note(name, secs):
        rows.append((name, secs))
        print(f"  {name:48s} {secs:8.3f} s", flush=True)

    t_sm, _ = best(lambda: [STL(x, period=7, seasonal=7).fit() for x in data], a.repeat)
    note("statsmodels STL (defaults)", t_sm)
    jump = lambda n: math.ceil(n / 10)  # noqa: E731
    t_smr, _ = best(lambda: [STL(x, period=7, seasonal=7, seasonal_deg=0, trend=15, low_pass=9, seasonal_jump=jump(7),
                                 trend_jump=jump(15), low_pass_jump=jump(9)).fit(inner_iter=2) for x in data], a.repeat)
    note("statsmodels STL (R-style settings)", t_smr)
    try:
        import augurs

        t_au, _ = best(lambda: [augurs.MSTL.ets([7]).fit(x) for x in data], a.repeat)
        note("augurs MSTL.ets([7]).fit", t_au)
        t_au2, _ = best(lambda: [augurs.MSTL.custom_trend([7], _NoTrend()).fit(x) for x in data], a.repeat)
        note("augurs MSTL decomposition only", t_au2)
    except ImportError:
        print("augurs not installed: pip install augurs")
    t_one, _ = best(lambda: [cxkpi.stl(x, 7, preset="statsmodels", seasonal_length=7) for x in data], a.repeat)
    note("cxkpi stl (statsmodels preset), 1 thread", t_one)
    t_r, _ = best(lambda: cxkpi.stl_batch(data, 7, preset="r_stl", seasonal_length=7), a.repeat)
    note("cxkpi stl_batch (r_stl preset), all cores", t_r)
    t_b, _ = best(lambda: cxkpi.stl_batch(data, 7, preset="statsmodels", seasonal_length=7), a.repeat)
    note("cxkpi stl_batch (statsmodels preset), all cores", t_b)
    print("ratios against cxkpi stl_batch (statsmodels preset, all cores):")
    for name, secs in rows:
        print(f"  {name:48s} {secs:8.3f} s   {secs / t_b:7.1f} x")


if __name__ == "__main__":
    main()
