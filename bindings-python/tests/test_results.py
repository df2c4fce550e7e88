"""Result classes: attributes, repr, to_dict, pickling, compare_* round trips, grouped and to_frame."""

from __future__ import annotations

import math
import pickle

import numpy as np
import pytest

import cxkpi

SCORES = [10, 9, 9, 10, 9, 8, 7, 8, 3, 6, None]


def test_nps_result_attributes_and_dict():
    r = cxkpi.nps(SCORES)
    d = r.to_dict()
    assert d["nps"] == r.nps == 30.0 == r["nps"]
    assert (r.n, r.n_missing, r.n_promoters, r.n_passives, r.n_detractors) == (10, 1, 5, 3, 2)
    assert r.interval == "adjusted_wald" and r.weighted is False
    assert set(d) >= {"nps", "se", "se_linearised", "lower", "upper", "effective_n", "weight_sum", "confidence"}
    d["nps"] = 0
    assert r.nps == 30.0  # to_dict is a copy
    with pytest.raises(AttributeError):
        r.nps = 1  # type: ignore[misc]


def test_nps_repr():
    r = cxkpi.nps(SCORES)
    assert repr(r) == (
        f"NpsResult(nps=+30.0 [95% CI {r.lower:+.1f}, {r.upper:+.1f}], n=10, n_missing=1, method=adjusted_wald)"
    )
    w = cxkpi.nps([10, 0, 0], [2, 1, 1], confidence=0.9, interval="wald")
    assert repr(w).startswith("NpsResult(nps=+0.0 [90% CI ") and repr(w).endswith("method=wald, weighted)")


def test_other_reprs():
    assert repr(cxkpi.top_box([5, 4, 1, 2])).startswith("ShareResult(share=0.5000 [95% CI ")
    assert repr(cxkpi.proportion_interval(3, 10)).startswith("Interval(estimate=0.3000 [95% CI ")
    assert repr(cxkpi.ces([1, 7, 5])).startswith("MeanResult(mean=4.333 [95% CI ")
    assert repr(cxkpi.churn(1000, 30)).startswith("ChurnResult(churn_rate=0.0300 [95% CI ")
    assert "lower" not in repr(cxkpi.churn(1000, 30, customers_end=990, base="average"))
    assert repr(cxkpi.sentiment_share([1, 1, -1, 0])).startswith("SentimentResult(net_sentiment=+0.250 [95% CI ")
    c = cxkpi.compare_nps(cxkpi.nps_from_counts(50, 30, 20), cxkpi.nps_from_counts(40, 30, 30))
    assert repr(c).startswith("ComparisonResult(difference=+20 [95% CI ")
    s = cxkpi.sample_size("share", 0.05)
    assert repr(s) == f"SampleSizeResult(n_required={s.n_required}, metric=share, margin=0.05, confidence=0.95)"


def test_results_pickle_and_compare_equal():
    r = cxkpi.nps(SCORES, interval="exact_bootstrap")
    assert pickle.loads(pickle.dumps(r)) == r
    assert r != cxkpi.nps(SCORES)
    assert r.__eq__(object()) is NotImplemented


def test_compare_accepts_results_and_dicts():
    a = cxkpi.nps([10] * 30 + [0] * 10 + [8] * 10)
    b = cxkpi.nps([10] * 20 + [0] * 20 + [8] * 10)
    c1 = cxkpi.compare_nps(a, b)
    c2 = cxkpi.compare_nps(a.to_dict(), b.to_dict())
    assert c1 == c2
    assert c1.difference == pytest.approx(a.nps - b.nps)
    assert c1.metric and c1.method == "adjusted_wald"
    assert isinstance(c1.significant, bool)
    # shares and means
    cs = cxkpi.compare_shares(cxkpi.share_from_counts(60, 100), cxkpi.share_from_counts(45, 100), method="wald")
    assert cs.difference == pytest.approx(0.15)
    cm = cxkpi.compare_means(cxkpi.mean_from_summary(5.1, 1.2, 40), cxkpi.ces([5, 6, 7, 4, 3, 6]))
    assert cm.df is not None and cm.method == "welch"
    with pytest.raises(TypeError):
        cxkpi.compare_nps(cxkpi.top_box([5, 4]), b)  # type: ignore[arg-type]
    with pytest.raises(cxkpi.InvalidArgumentError):
        cxkpi.compare_nps({"nps": 1.0}, b)


def test_mean_result_scale_and_direction():
    r = cxkpi.ces([1, 2, 7, 7], direction="lower_is_better")
    assert r.direction == "lower_is_better"
    assert r.scale == {"min": 1, "max": 7}
    assert cxkpi.mean_score([1.5, 2.25]).scale is None
    assert r.df == 3.0 and r.interval == "t"
    assert cxkpi.mean_score([1.0, 2.0], [1.0, 1.0]).df is None


def test_sample_size_fields():
    s = cxkpi.sample_size("nps", 5, population=10_000, response_rate=0.2)
    assert isinstance(s.n_required, int) and s.invitations == math.ceil(s.n_required / 0.2)
    assert s.metric == "nps" and s.fpc == "exact" and s.feasible is True


def test_convert_rate():
    assert cxkpi.convert_rate(0.02, 1, 12) == pytest.approx(1 - 0.98**12)
    with pytest.raises(cxkpi.InvalidArgumentError):
        cxkpi.convert_rate(0.02, 0, 12)


# -- grouped --------------------------------------------------------------------------------------------------


def test_grouped_with_integer_keys_matches_per_group_calls():
    scores = np.array([10, 9, 3, 8, 10, 0, 9, 9], dtype=np.float64)
    region = np.array([2, 2, 2, 0, 0, 0, 2, 0])
    g = cxkpi.grouped("nps", scores, [region])
    assert g.keys == [[0, 2]] and g.key_labels == [None] and len(g) == 2
    for i, code in enumerate([0, 2]):
        r = cxkpi.nps(scores[region == code])
        assert g.estimate[i] == r.nps and g.n[i] == r.n and g.lower[i] == r.lower
    assert g.status == ["ok", "ok"]


def test_grouped_pandas_categorical_and_strings_to_frame():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame(
        {
            "score": [5, 4, 3, 5, 1, 2, 5, 4],
            "quarter": pd.Categorical(["Q2", "Q1", "Q2", "Q1", "Q2", "Q1", "Q2", None], categories=["Q1", "Q2"]),
            "team": ["b", "a", "b", "a", "a", "b", "a", "b"],
        }
    )
    g = cxkpi.grouped("top_box", df["score"], [df["quarter"], df["team"]])
    frame = g.to_frame()
    assert list(frame.columns[:2]) == ["quarter", "team"]
    assert list(frame.columns[2:]) == [
        "n", "n_missing", "estimate", "se", "lower", "upper", "effective_n", "weight_sum", "status", "message",
    ]
    rows = [(None if pd.isna(q) else q, t) for q, t in zip(frame["quarter"], frame["team"])]
    assert rows == [("Q1", "a"), ("Q1", "b"), ("Q2", "a"), ("Q2", "b"), (None, "b")]
    assert g.key_values(0) == ["Q1", "Q1", "Q2", "Q2", None]
    expected = df[(df.quarter == "Q2") & (df.team == "a")]["score"]
    assert frame["estimate"].iloc[2] == cxkpi.top_box(expected).share
    # DataFrame of keys works too
    g2 = cxkpi.grouped("top_box", df["score"], df[["quarter", "team"]])
    assert g2 == g and g2.key_names == ["quarter", "team"]
    assert "quarter='Q1'" in repr(g)


def test_grouped_polars_and_to_frame_polars(monkeypatch):
    pl = pytest.importorskip("polars")
    s = pl.Series("score", [10, 9, 3, 8, 10, 0])
    region = pl.Series("region", ["north", "north", "north", "south", "south", "south"])
    g = cxkpi.grouped("nps", s, [region], interval="wald")
    assert g.key_values(0) == ["north", "south"]
    import builtins

    real_import = builtins.__import__

    def no_pandas(name, *a, **k):
        if name == "pandas" or name.startswith("pandas."):
            raise ImportError("no pandas")
        return real_import(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", no_pandas)
    frame = g.to_frame()
    assert isinstance(frame, pl.DataFrame)
    assert frame["region"].to_list() == ["north", "south"]
    assert frame["estimate"].to_list() == g.estimate


def test_grouped_polars_enum_keeps_declared_order():
    pl = pytest.importorskip("polars")
    keys = pl.Series("size", ["large", "small", "large", "medium"], dtype=pl.Enum(["small", "medium", "large"]))
    g = cxkpi.grouped("mean", [1.0, 2.0, 3.0, 4.0], [keys])
    assert g.key_values(0) == ["small", "medium", "large"]
    assert g.status == ["insufficient_data", "insufficient_data", "ok"]
    assert g.estimate[0] is None and g.se[1] is None and g.estimate[2] == 2.0
    frame = g.to_frame()
    assert math.isnan(frame["estimate"].iloc[0]) and frame["estimate"].iloc[2] == 2.0


def test_grouped_sentiment_strings_and_weights():
    g = cxkpi.grouped(
        "sentiment", ["positive", "negative", "neutral", "positive"], [["x", "x", "y", "y"]], [1.0, 2.0, 1.0, 1.0]
    )
    assert g.key_values(0) == ["x", "y"]
    assert g.estimate[0] == pytest.approx((1 - 2) / 3)


def test_grouped_pickles_with_labels():
    g = cxkpi.grouped("nps", [10, 9, 0], [["a", "b", "a"]])
    g2 = pickle.loads(pickle.dumps(g))
    assert g2 == g and g2.key_values(0) == ["a", "b"]


def test_grouped_errors():
    with pytest.raises(cxkpi.LengthMismatchError):
        cxkpi.grouped("nps", [10, 9], [[0, 1, 1]])
    with pytest.raises(cxkpi.UnknownMethodError):
        cxkpi.grouped("median", [10, 9], [[0, 1]])
