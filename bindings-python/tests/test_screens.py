"""Drift, manipulation screens and alerts through the Python API: inputs (labels, pandas), errors, signals."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

import cxkpi


def test_psi_identical_is_zero_and_policy_recorded() -> None:
    r = cxkpi.psi([1, 2, 3, 4, 5], [1, 2, 3, 4, 5], binning="categories")
    assert r.psi == 0.0 and r.zero_policy == "epsilon" and r.binning == "categories"
    with pytest.raises(cxkpi.InvalidArgumentError):
        cxkpi.psi([1, 1, 2], [1, 3, 3], binning="categories", zero_policy="error")


def test_ks_exact_known_value() -> None:
    a = [0.61, 0.29, 0.06, 0.59, -1.73, -0.74, 0.51, -0.56, 0.39, 1.64]
    b = [0.97, 1.01, 1.38, 1.32, 2.07, 0.44, 1.99, 2.15, 0.08, 1.80]
    r = cxkpi.ks_2samp(np.array(a), b)
    # scipy.stats.ks_2samp(a, b, method='exact')
    assert r.method == "exact" and abs(r.statistic - 0.7) < 1e-12
    assert abs(r.p_value - 0.012340600575894691) < 1e-12


def test_js_and_chi_square() -> None:
    assert abs(cxkpi.jensen_shannon([1, 0], [0, 1]).distance - 1.0) < 1e-15
    r = cxkpi.chi_square([[30, 50, 20], [20, 50, 30]], bias_corrected=True)
    assert r.df == 2 and abs(r.statistic - 4.0) < 1e-12 and r.cramers_v_corrected is not None
    with pytest.raises(cxkpi.InvalidArgumentError):
        cxkpi.chi_square([1, 2, 3])


def test_top_box_with_string_teams_and_signals() -> None:
    scores = [10, 10, 9, 10, 9, 10, 10, 7, 8, 9, 6, 10, 5, 8, 7, 6, 9, 8]
    teams = ["north"] * 7 + ["south"] * 6 + ["west"] * 5
    r = cxkpi.top_box_inflation(scores, teams, alpha=0.2)
    assert [f["label"] for f in r.findings] == ["north", "south", "west"]
    assert r.findings[0]["value"] == 1.0
    sigs = r.signals()
    assert all(s["rule"] == "top_box_inflation" for s in sigs)
    assert [s["series"] for s in sigs] == [f["label"] for f in r.findings if f["flagged"]]
    rep = cxkpi.build_alerts(sigs, kpi="NPS")
    assert rep.n_signals == len(sigs)
    assert pickle.loads(pickle.dumps(r)) == r


def test_pandas_inputs() -> None:
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"y": [7.0, 7.2, 7.1, 9.0, 2.0, 10.0, 5.0, 8.0, 3.0, 9.0],
                       "team": pd.Categorical(["a"] * 4 + ["b"] * 6)})
    r = cxkpi.low_variance(df["y"], df["team"])
    assert r.findings[0]["label"] == "a" and r.findings[0]["effect"] < 0.1
    texts = pd.Series(["The agent solved everything in one call", None, "the agent solved everything in one call!"])
    d = cxkpi.duplicate_verbatims(texts)
    assert d.clusters[0]["rows"] == [0, 2] and d.n_missing == 1


def test_selective_filtering_and_coaching_labels() -> None:
    scores = [6, 7, 8, 7, 9, 10, 9, 10, 7, 7, 8, 7]
    teams = ["x"] * 8 + ["y"] * 4
    period = [0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 1, 1]
    rates = [{"team": "x", "before_numerator": 400, "before_denominator": 500,
              "after_numerator": 200, "after_denominator": 500}]
    r = cxkpi.selective_filtering(scores, teams, period, rates)
    assert r.findings[0]["label"] == "x" and r.findings[0]["effect"] == 2.5
    with pytest.raises(cxkpi.InvalidArgumentError):
        cxkpi.selective_filtering(scores, teams, period, [dict(rates[0], team="zz")])
    y = [7.0, 7.5, 9.5, 9.8, 7.1, 7.3, 7.2, 7.4]
    c = cxkpi.coaching_step(y, [0, 0, 0, 0, 1, 1, 1, 1], [1, 2, 11, 12, 1, 2, 11, 12], [{"team": 0, "day": 10}])
    assert abs(c.findings[0]["effect"] - 2.3) < 1e-12


def test_ladder_toml_and_errors() -> None:
    toml = """
name = "t"
[[levels]]
level = 0
name = "context"
owner = "Analyst"
[[levels]]
level = 2
name = "escalate"
owner = "Regional CX lead"
ack_hours = 24
action = "escalate to"
[[conditions]]
level = 2
min_sigma = 3.0
"""
    lad = cxkpi.alert_ladder(toml)
    assert lad["levels"][1]["owner"] == "Regional CX lead"
    sig = {"rule": "cusum_lower", "parameters": {"k": 0.5, "h": 4}, "detector": "cusum", "series": "EMEA",
           "index": 0, "points": [0], "value": 20.0, "center": 32.3, "deviation": -12.3, "sigma": -3.4,
           "n": None, "se": None, "false_alarm_rate": None, "direction": "down",
           "baseline": {"method": "ewma", "parameters": {}, "excluded": [], "seasonal_adjustment": None}}
    rep = cxkpi.build_alerts([sig], toml, kpi="NPS", dates=["2025-04-03"], raised_at="2025-04-03T09:00:00")
    a = rep.alerts[0]
    assert a["level"] == 2 and a["ack_deadline"] == "2025-04-04T09:00:00"
    assert a["explanation"].endswith("escalate to Regional CX lead within 24 h")
    with pytest.raises(cxkpi.InvalidArgumentError):
        cxkpi.alert_ladder({"levels": [{"level": 5, "name": "x", "owner": "y"}]})
    with pytest.raises(cxkpi.InvalidArgumentError):
        cxkpi.build_alerts([sig], toml, raised_at="yesterday")
