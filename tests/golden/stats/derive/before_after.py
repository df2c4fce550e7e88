"""Golden cases for before_after (KPI before/after an intervention date), from scipy.

Run with the scratch venv: /work/scratch/venv/bin/python before_after.py  (writes ../before_after.json).
Windows are selected here by plain date arithmetic; the expected numbers come from numpy (mean, sd with
ddof=1), scipy.stats.norm (z test, MDC) and scipy.stats.ttest_ind(after, before, equal_var=False) (Welch).
No value is computed with cxkpi.
"""
import datetime as dt
import json
import os

import numpy as np
import scipy
from scipy import stats

HERE = os.path.dirname(os.path.abspath(__file__))
EPOCH = dt.date(1970, 1, 1)


def day(s):
    return (dt.date.fromisoformat(s) - EPOCH).days


def expect(values, days, intervention, wb=None, wa=None, gap=0, alpha=0.05, power=0.8):
    t0 = day(intervention)
    v = np.array(values, dtype=float)
    d = np.array(days)
    bmask = (d < t0) & ((d >= t0 - wb) if wb is not None else True)
    a0 = t0 + gap
    amask = (d >= a0) & ((d < a0 + wa) if wa is not None else True)
    inside = bmask | amask
    miss = np.isnan(v) & inside
    b = v[bmask & ~np.isnan(v)]
    a = v[amask & ~np.isnan(v)]
    se_b = b.std(ddof=1) / np.sqrt(len(b))
    se_a = a.std(ddof=1) / np.sqrt(len(a))
    mv = a.mean() - b.mean()
    se = np.hypot(se_b, se_a)
    z = mv / se
    p = 2 * stats.norm.sf(abs(z))
    mdc = (stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power)) * se
    w = stats.ttest_ind(a, b, equal_var=False)
    ci = w.confidence_interval(1 - alpha)
    iso = lambda x: (EPOCH + dt.timedelta(days=int(x))).isoformat()
    return {
        "n_before": int(len(b)), "n_after": int(len(a)), "n_missing": int(miss.sum()),
        "n_outside": int((~inside).sum()),
        "before_first": iso(d[bmask & ~np.isnan(v)].min()), "before_last": iso(d[bmask & ~np.isnan(v)].max()),
        "after_first": iso(d[amask & ~np.isnan(v)].min()), "after_last": iso(d[amask & ~np.isnan(v)].max()),
        "period_move.before.estimate": b.mean(), "period_move.before.se": se_b,
        "period_move.after.estimate": a.mean(), "period_move.after.se": se_a,
        "period_move.move": mv, "period_move.se": se, "period_move.z": z, "period_move.p_value": p,
        "period_move.mdc": mdc, "period_move.significant": bool(p < alpha),
        "welch.estimate": mv, "welch.t": float(w.statistic), "welch.df": float(w.df),
        "welch.p_value": float(w.pvalue), "welch.lower": float(ci.low), "welch.upper": float(ci.high),
    }


SRC = (f"scipy {scipy.__version__}: windows by date; mean and sd (ddof=1)/sqrt(n) per window; move, "
       "se = hypot(se_b, se_a), z, p = 2*norm.sf(|z|), mdc = (norm.ppf(1-alpha/2) + norm.ppf(power)) * se; "
       "Welch = ttest_ind(after, before, equal_var=False) with confidence_interval(1-alpha). "
       "Tolerance 1e-9: t quantile and incomplete beta.")
rng = np.random.default_rng(20261123)
days = [day("2025-06-01") + i for i in range(60)]
csat = list(np.round(np.where(np.arange(60) < 30, 3.9, 4.2) + rng.normal(0, 0.25, 60), 2))
csat[5] = float("nan")
csat[40] = float("nan")
nps_days = [day("2025-01-01") + i // 3 for i in range(90)]  # three teams per day
nps = list(np.round(30 + rng.normal(0, 6, 90), 1))
cases = []


def case(name, values, ds, intervention, **kw):
    inp = {"values": ["NaN" if np.isnan(x) else x for x in values], "days": ds, "intervention": intervention}
    inp.update(kw)
    cases.append({"name": name, "input": inp,
                  "expect": expect(values, ds, intervention, kw.get("window_before"), kw.get("window_after"),
                                   kw.get("gap", 0), kw.get("alpha", 0.05), kw.get("power", 0.8)),
                  "tolerance": 1e-9, "source": SRC})


case("csat_fix_all_days", csat, days, "2025-07-01")
case("csat_fix_windows_and_gap", csat, days, "2025-07-01", window_before=14, window_after=14, gap=3)
case("nps_flat_repeated_days_alpha10", nps, nps_days, "2025-01-16", alpha=0.10, power=0.9)
cases.append({"name": "error_bad_date", "input": {"values": [1, 2, 3, 4], "days": [0, 1, 2, 3], "intervention": "2025-02-30"},
              "error": {"kind": "invalid_argument"}, "source": "2025-02-30 does not exist"})
cases.append({"name": "error_one_value_after", "input": {"values": [1, 2, 3, 4], "days": [0, 1, 2, 3], "intervention": "1970-01-04"},
              "error": {"kind": "insufficient_data"}, "source": "one value after the intervention: no SE"})
cases.append({"name": "error_length_mismatch", "input": {"values": [1, 2, 3], "days": [0, 1], "intervention": "1970-01-02"},
              "error": {"kind": "length_mismatch"}, "source": "days shorter than values"})
with open(os.path.join(os.path.dirname(HERE), "before_after.json"), "w") as fh:
    json.dump({"function": "before_after",
               "description": "KPI before/after an intervention date: period move (z, MDC, words) and Welch's t-test.",
               "cases": cases}, fh, indent=1)
    fh.write("\n")
print(len(cases))
