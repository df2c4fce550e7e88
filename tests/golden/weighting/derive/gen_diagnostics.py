"""weight_diagnostics.json: hand formulas (numpy / exact fractions) for WEIGHTING.md WeightDiagnostics."""
from fractions import Fraction as Fr

import numpy as np

from apidata import api
from wcommon import R, SURVEY, LOG, case, write, diagnostics, QPROBS, num

TOL = 1e-10


def exact(w):
    """The same fields in exact rational arithmetic (type-7 quantile: h = (n-1)p, x[floor h] + frac*(x[.+1]-x[.]))."""
    f = [Fr(x) for x in w]
    n = len(f)
    s = sum(f)
    s2 = sum(x * x for x in f)
    xs = sorted(f)
    q = []
    for p in QPROBS:
        h = (n - 1) * Fr(p)
        lo = int(h)
        hi = min(lo + 1, n - 1)
        q.append(xs[lo] + (h - lo) * (xs[hi] - xs[lo]))
    d = {"n": n, "sum": s, "mean": s / n, "min": xs[0], "max": xs[-1], "ratio": xs[-1] / xs[0],
         "kish_n": s * s / s2, "deff_kish": n * s2 / (s * s)}
    for k, v in enumerate(q):
        d[f"quantiles.{k}"] = v
    return d


def mk(name, w, note):
    dn = diagnostics(w)
    de = exact(w)
    worst = 0.0
    for k, v in de.items():
        a = dn[k]
        worst = max(worst, abs(float(v) - a) / max(1.0, abs(float(v))))
    LOG.append(f"diagnostics {name}: numpy vs exact fractions max rel {worst:.1e}")
    assert worst < 1e-13
    exp = {k: (v if isinstance(v, int) else num(float(v))) for k, v in de.items()}
    src = ("hand: n, sum, mean, min, max, ratio = max/min, kish_n = (sum w)^2 / sum w^2, deff_kish = n sum w^2 / "
           "(sum w)^2, quantiles at 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99 of type 7 (h = (n-1)p); computed in "
           f"exact fractions and equal to numpy {np.__version__} (np.quantile(method='linear')) to {worst:.0e}. {note}")
    return case(name, {"weights": list(map(float, w))}, exp, TOL, src.strip())


def cases():
    out = []
    out.append(mk("hand_1234", [1.0, 2.0, 3.0, 4.0],
                  "kish_n = 100/30, deff = 4*30/100 = 1.2; q(0.01) = 1 + 0.03 = 1.03, q(0.25) = 1.75, median 2.5."))
    out.append(mk("equal_weights", [2.5] * 6, "All equal: kish_n = n = 6, deff 1, ratio 1, every quantile 2.5."))
    out.append(mk("single_weight", [3.0], "n = 1: kish_n 1, deff 1, every quantile 3."))
    out.append(mk("unsorted_ties", [5.0, 1.0, 3.0, 3.0, 9.0, 0.5, 2.0], "Unsorted input with a tie."))
    out.append(mk("apistrat_pw", api()["pw"], "Weights = apistrat$pw of R survey's data(api) (200 rows, three "
                                              "distinct float32 values)."))
    from gen_rake import cx
    from synth import N, SEG_SHARE, REG_SHARE, CHAN_SHARE
    from rhelp import r_data, r_margins, r_formulas, CTRL
    seg, reg, chan, _ = cx()
    T = [[float(round(s * N)) for s in SEG_SHARE], [float(round(s * N)) for s in REG_SHARE],
         [float(round(s * N)) for s in CHAN_SHARE]]
    names = ["segment", "region", "channel"]
    wr = R(r_data(names, [seg, reg, chan], [4, 4, 3], None) +
           f"r <- rake(des, {r_formulas(names)}, {r_margins(names, T)}, {CTRL}); out(weights(r));")
    out.append(mk("raked_cx_weights", wr, f"Weights = rake.json cx_sparse_unweighted_counts ({SURVEY()} rake), "
                                          "150 rows."))
    out.append(mk("skewed_small", [0.25, 0.5, 1.0, 1.0, 2.0, 8.0, 40.0, 0.75, 3.5], "Heavy right tail."))
    out.append(case("error_negative_weight", {"weights": [1.0, -0.5, 2.0]}, error="invalid_weight",
                    source="hand: weight 1 is negative."))
    out.append(case("error_nan_weight", {"weights": [1.0, "NaN", 2.0]}, error="invalid_weight",
                    source="hand: weight 1 is NaN."))
    out.append(case("error_empty", {"weights": []}, error="empty_input", source="hand: no weights."))
    return out


def run():
    return write("weight_diagnostics", "Weight diagnostics: Kish effective n, design effect, spread, quantiles",
                 cases())


ALL = [run]
