"""The baseline module through Python: input forms (numpy, lists, pandas, dates as datetime64 / date / ISO),
result classes (to_dict, to_frame), typed errors."""

from __future__ import annotations

import datetime as dt
import pickle

import numpy as np
import pytest

import cxkpi

PATTERN = [4.0, 2.0, 0.0, -1.0, -3.0, -5.0, 3.0]
X = np.array([35.0 + PATTERN[i % 7] + 0.01 * i + (0.3 if i % 5 == 0 else -0.2) for i in range(70)])


def test_stl_presets_and_frame() -> None:
    r = cxkpi.stl(X, 7, preset="r_stl", seasonal_length=7)
    assert r.parameters["trend_length"] == 15 and r.parameters["seasonal_jump"] == 1
    s, t, e = np.array(r.seasonal), np.array(r.trend), np.array(r.remainder)
    np.testing.assert_allclose(s + t + e, X, rtol=0, atol=1e-12)
    f = r.to_frame()
    assert list(f.columns[:3]) == ["seasonal", "trend", "remainder"] and len(f) == 70
    assert pickle.loads(pickle.dumps(r)).to_dict() == r.to_dict()


def test_stl_batch_equals_single() -> None:
    rs = cxkpi.stl_batch([X, X[::-1].copy(), list(X + 1.0)], 7)
    assert rs[1].to_dict() == cxkpi.stl(X[::-1].copy(), 7).to_dict()
    assert isinstance(rs[2].trend, np.ndarray) and rs[2].trend.dtype == np.float64
    assert np.array_equal(rs[2].trend, cxkpi.stl(X + 1.0, 7).trend)


def test_decompose_and_missing_policy() -> None:
    x = X.copy()
    x[12] = np.nan
    with pytest.raises(cxkpi.MissingValueError):
        cxkpi.decompose(x, 7)
    r = cxkpi.decompose(x, 7, missing="interpolate_linear")
    assert r.interpolated == [12] and r.trend[0] is None
    assert cxkpi.decompose(X, 7, model="multiplicative").model == "multiplicative"


def test_baseline_dates_and_events() -> None:
    x = X.copy()
    x[40:43] -= 20.0
    ev = [{"name": "EMEA outage", "kind": "outage", "start": dt.date(2026, 2, 10), "end": "2026-02-12"}]
    for start in ("2026-01-01", dt.date(2026, 1, 1), np.datetime64("2026-01-01")):
        r = cxkpi.baseline(x, start, events=ev, method="ewma", window=14)
        assert [e["index"] for e in r.excluded] == [40, 41, 42]
        assert r.impacts[0]["impact_mean"] < -15
    f = r.to_frame()
    assert str(f["date"].iloc[40].date()) == "2026-02-10" and not f["included"].iloc[40]
    cal = cxkpi.event_calendar({"events": ev})
    assert cal["events"][0]["policy"] == "exclude"
    with pytest.raises(cxkpi.InvalidArgumentError):
        cxkpi.baseline(x, "2026-01-01", events=[{"name": "a", "kind": "flood", "start": "2026-01-02", "end": "2026-01-03"}])


def test_changes_and_signals() -> None:
    y = np.r_[np.full(30, 40.0), np.full(30, 47.0)] + np.tile([0.4, -0.4, 0.2, -0.2], 15)
    r = cxkpi.detect_changes(y, method="pelt", series="EMEA")
    assert r.changepoints == [30]
    assert r.signals[0]["rule"] == "level_shift" and r.signals[0]["series"] == "EMEA"
    assert list(r.to_frame()["n"]) == [30, 30]


def test_period_move_forms() -> None:
    a = cxkpi.period_move({"estimate": 42.0, "se": 1.5, "n": 600}, (37.8, 1.5, 600))
    assert a.significant and a.words.startswith("significant drop of 4.2 points")
    b = cxkpi.period_move((31.0, 2.9, 300), (32.2, 3.0, 300))
    assert b.words.startswith("within noise at n = 300 per period")
    with pytest.raises(cxkpi.InvalidArgumentError):
        cxkpi.period_move((1.0, -1.0, 10), (1.0, 1.0, 10))


def test_aggregate_daily_and_pairs() -> None:
    dates = np.array(["2026-01-01", "2026-01-01", "2026-01-03"], dtype="datetime64[D]")
    r = cxkpi.aggregate_daily(dates, [10, 3, 9], "nps")
    assert r.series["values"] == [0.0, None, 100.0] and r.n == [2, 0, 1]
    assert len(r.to_frame()) == 3
    p = cxkpi.daily_series([dt.date(2026, 1, 5), dt.date(2026, 1, 1)], [1.0, 2.0])
    assert p.n_missing == 3
    with pytest.raises(cxkpi.InvalidArgumentError):
        cxkpi.daily_series(["2026-01-01", "2026-01-01"], [1.0, 2.0])
