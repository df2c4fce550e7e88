"""OLS with 10 predictors and logistic regression with 10 predictors on 1,000,000 rows: statsmodels vs cxkpi,
side by side on the same arrays; prints the times (best of --repeat) and the ratios, after checking that
both give the same coefficients and standard errors (to 1e-6 relative).

    python benches/peers/stats_peers.py [--rows 1000000] [--repeat 3]

Needs numpy, statsmodels and a release cxkpi wheel in the environment (see README.md).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import statsmodels.api as sm

import cxkpi


def best(fn, repeat):
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    rng = np.random.default_rng(7)
    n, p = a.rows, 10
    x = rng.normal(size=(n, p))
    beta = (np.arange(p) - 4.5) / 10
    eta = x @ beta
    y = 1.0 + eta + rng.uniform(-0.5, 0.5, n)
    yb = (rng.uniform(size=n) < 1 / (1 + np.exp(-(eta - 0.3)))).astype(float)
    xc = sm.add_constant(x)
    cols = np.ascontiguousarray(x)

    def sm_ols():
        r = sm.OLS(y, xc).fit()
        return r.params, r.bse, r.pvalues, r.conf_int(), r.rsquared, r.fvalue

    def sm_ols_hc1():
        r = sm.OLS(y, xc).fit(cov_type="HC1", use_t=True)
        return r.params, r.bse, r.pvalues, r.conf_int()

    def sm_logit():
        r = sm.Logit(yb, xc).fit(disp=0, tol=1e-10)
        return r.params, r.bse, r.pvalues, r.conf_int(), r.llf

    jobs = [
        ("OLS, 10 predictors, classical SE", sm_ols, lambda: cxkpi.ols(y, cols)),
        ("OLS, 10 predictors, HC1 SE", sm_ols_hc1, lambda: cxkpi.ols(y, cols, cov_type="HC1")),
        ("logistic, 10 predictors", sm_logit, lambda: cxkpi.logistic(yb, cols)),
    ]
    print(f"rows = {n:,}, predictors = {p}, best of {a.repeat}")
    print(f"{'job':40s} {'statsmodels':>12s} {'cxkpi':>10s} {'ratio':>7s}")
    for name, peer, ours in jobs:
        tp, rp = best(peer, a.repeat)
        tc, rc = best(ours, a.repeat)
        est = np.array([c["estimate"] for c in rc.coefficients])
        se = np.array([c["se"] for c in rc.coefficients])
        assert np.allclose(est, rp[0], rtol=1e-6, atol=1e-9), name
        assert np.allclose(se, rp[1], rtol=1e-6, atol=1e-12), name
        print(f"{name:40s} {tp * 1e3:10.0f} ms {tc * 1e3:8.0f} ms {tp / tc:6.1f}x")


if __name__ == "__main__":
    main()
