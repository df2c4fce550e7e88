"""The stats functions through the Python API: input forms (lists, numpy, pandas, dicts), names, result
objects, and typed errors instead of NaN. Reference numbers are in the golden family (test_golden_stats.py)."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

import cxkpi

SF = [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]]


def test_icc_names_and_shrout_fleiss_values():
    r = cxkpi.icc(SF)
    names = [(f["shrout_fleiss"], f["mcgraw_wong"]) for f in r.forms]
    assert names[1] == ("ICC(2,1)", "ICC(A,1)") and names[2] == ("ICC(3,1)", "ICC(C,1)")
    # Shrout & Fleiss (1979) Table 4, rounded: .17 .29 .71 .44 .62 .91
    assert [round(f["value"], 2) for f in r.forms] == [0.17, 0.29, 0.71, 0.44, 0.62, 0.91]
    assert r.n_targets == 6 and r.n_judges == 4
    assert "icc" in repr(r)


def test_icc_accepts_dataframe_and_dict():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame(SF, columns=["a", "b", "c", "d"])
    a = cxkpi.icc(df).to_dict()
    b = cxkpi.icc({k: df[k].tolist() for k in df.columns}).to_dict()
    c = cxkpi.icc(np.asarray(SF, dtype=float)).to_dict()
    assert a == b == c


def test_alpha_equals_icc_3k():
    a = cxkpi.cronbach_alpha(SF)
    assert abs(a.alpha - cxkpi.icc(SF).forms[5]["value"]) < 1e-12
    assert len(a.alpha_if_deleted) == 4 and a.interval_method == "feldt"


def test_correlation_labels_and_errors():
    r = cxkpi.correlation([1, 2, 3, 4, 5, 6], [2, 1, 4, 3, 6, 5], method="spearman")
    assert r.p_method == "exact_permutation" and r.interval_method == "bonett_wright"
    with pytest.raises(cxkpi.InvalidArgumentError):
        cxkpi.correlation([1, 2, 3], [4, 4, 4])
    with pytest.raises(cxkpi.InsufficientDataError):
        cxkpi.correlation([1, 2], [2, 1])
    with pytest.raises(cxkpi.InvalidArgumentError):
        cxkpi.correlation([1, 2, 3], [3, 1, 2], method="kendall")


def test_correlation_matrix_names_from_dataframe():
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(1)
    df = pd.DataFrame(rng.normal(size=(30, 3)), columns=["nps", "csat", "ces"])
    m = cxkpi.correlation_matrix(df)
    assert m.names == ["nps", "csat", "ces"] and len(m.pairs) == 3
    assert all(p["p_holm"] >= p["p_value"] for p in m.pairs)


def test_ols_names_robust_and_singular():
    rng = np.random.default_rng(7)
    x = rng.normal(size=(50, 2))
    y = 1 + x @ np.array([0.5, -0.2]) + rng.normal(size=50)
    fit = cxkpi.ols(y, {"wait": x[:, 0], "fcr": x[:, 1]}, cov_type="HC3", robust_se=True)
    assert [c["name"] for c in fit.coefficients] == ["intercept", "wait", "fcr"]
    assert fit.cov_type == "HC3" and fit.robust_se is not None
    with pytest.raises(cxkpi.InvalidArgumentError, match="singular"):
        cxkpi.ols(y, np.column_stack([x[:, 0], 2 * x[:, 0]]))
    assert pickle.loads(pickle.dumps(fit)) == fit


def test_row_major_table_gives_the_same_bits_as_columns():
    rng = np.random.default_rng(11)
    x = rng.normal(size=(9000, 4))  # C-ordered: read in place by the core, row by row
    y = x @ np.array([0.4, -0.1, 0.0, 0.3]) + rng.normal(size=9000)
    yb = (y > 0).astype(float)
    cols = {f"x{j + 1}": np.ascontiguousarray(x[:, j]) for j in range(4)}
    assert cxkpi.ols(y, x, cov_type="HC3", robust_se=True).to_dict() == \
        cxkpi.ols(y, cols, cov_type="HC3", robust_se=True).to_dict()
    assert cxkpi.logistic(yb, x).to_dict() == cxkpi.logistic(yb, cols).to_dict()
    assert cxkpi.ols(y, np.asfortranarray(x)).to_dict() == cxkpi.ols(y, x).to_dict()
    bad = x.copy()
    bad[17, 2] = np.nan
    with pytest.raises(cxkpi.MissingValueError, match=r"x\[2\]"):
        cxkpi.ols(y, bad)
    with pytest.raises(cxkpi.LengthMismatchError):
        cxkpi.ols(y[:-1], x)


def test_logistic_separation_is_not_converged():
    with pytest.raises(cxkpi.NotConvergedError):
        cxkpi.logistic([0, 0, 0, 1, 1, 1], [1, 2, 3, 4, 5, 6])


def test_t_test_did_km_shrink():
    t = cxkpi.t_test([7.6, 7.9, 7.3, 8.1], [7.1, 6.8, 7.4, 6.9])
    assert t.kind == "welch" and t.p_value < 0.05
    d = cxkpi.did([1, 2, 3, 4, 2, 3, 6, 8], [0, 0, 0, 0, 1, 1, 1, 1], [0, 0, 1, 1, 0, 0, 1, 1])
    assert abs(d.estimate - 2.5) < 1e-12
    km = cxkpi.kaplan_meier([3, 5, 5, 8], [1, 1, 0, 1])
    assert km.conf_type == "log-log" and km.rows[0]["survival"] == 0.75
    s = cxkpi.shrink([4, 5, 3, 2, 3, 1, 5, 5], [0, 0, 0, 1, 1, 1, 2, 2])
    assert 0.0 <= s.icc <= 1.0 and len(s.groups) == 3
    with pytest.raises(cxkpi.InvalidArgumentError):
        cxkpi.shrink([1, 2, 3], [0, -1, 1])


def test_p_adjust_matches_r():
    # R: p.adjust(c(0.01, 0.04, 0.03), "holm") = 0.03 0.06 0.06
    assert np.allclose(cxkpi.p_adjust([0.01, 0.04, 0.03]), [0.03, 0.06, 0.06], rtol=1e-15, atol=0)


def test_before_after_dates_in_every_form():
    import datetime as dt

    pd = pytest.importorskip("pandas")
    dates = [f"2025-03-0{d}" for d in range(1, 9)]
    csat = [3.9, 4.0, 3.8, 4.1, 4.4, 4.5, 4.3, 4.6]
    a = cxkpi.before_after(csat, dates, "2025-03-05")
    b = cxkpi.before_after(csat, np.array(dates, dtype="datetime64[D]"), dt.date(2025, 3, 5))
    c = cxkpi.before_after(csat, pd.to_datetime(pd.Series(dates)), "2025-03-05")
    d = cxkpi.before_after(csat, [dt.date.fromisoformat(s) for s in dates], "2025-03-05")
    assert a.to_dict() == b.to_dict() == c.to_dict() == d.to_dict()
    assert (a.n_before, a.n_after, a.before_last) == (4, 4, "2025-03-04")
    assert a.period_move["significant"] and a.welch["p_value"] < 0.05
    w = cxkpi.before_after(csat, dates, "2025-03-05", window_before=2, gap=1)
    assert (w.n_before, w.n_after, w.n_outside) == (2, 3, 3)
    with pytest.raises(cxkpi.InvalidArgumentError):
        cxkpi.before_after(csat, dates[:7] + ["not a date"], "2025-03-05")


def test_hazard_by_group_reference_and_errors():
    h = cxkpi.hazard_by_group([2, 5, 7, 12, 12, 3, 4, 6, 12, 1], [1, 1, 0, 0, 0, 1, 1, 1, 0, 1],
                              [0, 0, 0, 0, 0, 1, 1, 1, 1, 1], reference=1)
    assert h.reference == 1 and h.groups[1]["rate_ratio"] is None
    assert h.groups[0]["rate_ratio"] == pytest.approx((2 / 38) / (4 / 26), rel=1e-15)
    with pytest.raises(cxkpi.InvalidArgumentError, match="reference"):
        cxkpi.hazard_by_group([1, 2], [1, 0], [0, 1], reference=5)
