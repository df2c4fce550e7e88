"""Control charts, run rules, ARLs and calibration through the Python API."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

import cxkpi


def test_individuals_zero_copy_and_frame() -> None:
    x = np.array([10.0, 12.0, 11.0, 13.0, 12.0, 30.0])
    r = cxkpi.individuals_chart(x, reference=[0, 5])
    assert r.center[0] == 11.6
    assert [s["index"] for s in r.signals] == [5]
    f = r.to_frame()
    assert list(f["signal"]) == ["", "", "", "", "", "shewhart_limit"]
    assert "ChartResult[chart]" in repr(r)
    assert pickle.loads(pickle.dumps(r)) == r


def test_lists_and_pandas_accepted() -> None:
    pd = pytest.importorskip("pandas")
    a = cxkpi.ewma_chart([0.1, 0.5, -0.2, 1.5], mu=0.0, sigma=1.0, lambda_=0.3)
    b = cxkpi.ewma_chart(pd.Series([0.1, 0.5, -0.2, 1.5]), mu=0.0, sigma=1.0, **{"lambda": 0.3})
    assert a.to_dict() == b.to_dict()
    assert a.parameters["lambda"] == 0.3


def test_p_chart_laney_and_funnel() -> None:
    r = cxkpi.p_chart([40, 50, 60], [100, 100, 120], laney=True)
    assert r.chart == "laney_p" and r.estimation["sigma_z"] > 0
    f = cxkpi.funnel_limits([18, 70, 35], [40, 150, 60], labels=["a", "b", "c"])
    assert f.to_frame().shape[0] == 3


def test_rules_on_chart_and_monitor() -> None:
    x = np.r_[np.zeros(5), np.full(10, 1.5)]
    c = cxkpi.individuals_chart(x, mu=0.0, sigma=1.0)
    sig = cxkpi.chart_rules(c, western_electric_4=True)
    assert any(s["rule"] == "western_electric_4" for s in sig)
    m = cxkpi.chart_monitor(x, mu=0.0, sigma=1.0)
    assert m.counts["western_electric_4"] == 3
    hits = cxkpi.run_rules(x, nelson_2=True, firing="first_in_episode")
    assert [h["rule"] for h in hits].count("nelson_2") == 1


def test_arl_and_calibration() -> None:
    assert abs(cxkpi.average_run_length(l=3.0).arl - 370.3983473395) < 1e-6
    c = cxkpi.calibrate_threshold("cusum", k=0.5, charts=2000, checks_per_period=30)
    assert abs(c.arl0 - 60000) < 1e-6 and c.threshold_name == "h"


def test_errors_are_typed() -> None:
    with pytest.raises(cxkpi.MissingValueError):
        cxkpi.individuals_chart([1.0, float("nan"), 2.0])
    with pytest.raises(cxkpi.InvalidArgumentError):
        cxkpi.ewma_chart([1.0, 2.0], bogus=1)
    with pytest.raises(cxkpi.LengthMismatchError):
        cxkpi.p_chart([1, 2], [10])
