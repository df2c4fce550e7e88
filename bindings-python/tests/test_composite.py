"""The scorecard engine through the Python API: documents (dict / JSON / TOML), values as a DataFrame or a
dict, results with to_frame() and explain(), errors with their kinds, sensitivity, balance, redundancy,
myopia and weight suggestions. Expected numbers are hand arithmetic (in the comments)."""

from __future__ import annotations

import json

import pytest

import cxkpi

DOC = {
    "id": "cx",
    "nodes": [
        {"id": "bsc"},
        {"id": "customer", "parent": "bsc", "weight": 0.6, "perspective": "customer"},
        {"id": "financial", "parent": "bsc", "weight": 0.4, "perspective": "financial"},
    ],
    "kpis": [
        {"id": "nps", "parent": "customer", "perspective": "customer",
         "thresholds": {"red_flag": 0, "threshold": 20, "target": 40, "stretch": 60}},
        {"id": "aht", "parent": "customer", "direction": "lower", "thresholds": {"red_flag": 600, "target": 300}},
        {"id": "margin", "parent": "financial", "perspective": "financial",
         "thresholds": {"red_flag": 0.0, "target": 0.2}},
    ],
    "units": [{"id": "north", "region": "eu"}, {"id": "south", "region": "eu"}],
}

TOML = """
id = "cx"
[[kpis]]
id = "nps"
thresholds = { red_flag = 0, threshold = 20, target = 40, stretch = 60 }
"""


def test_from_dict_json_toml_agree() -> None:
    a = cxkpi.Scorecard.from_dict(DOC)
    b = cxkpi.Scorecard.from_json(json.dumps(DOC))
    assert a.to_dict() == b.to_dict()
    assert a.kpi_ids == ["nps", "aht", "margin"]
    t = cxkpi.Scorecard.from_toml(TOML)
    assert t.to_dict()["kpis"][0]["weight"] == 1.0
    assert "Scorecard('cx'" in repr(a)


def test_evaluate_nested_dict_and_explain() -> None:
    sc = cxkpi.Scorecard.from_dict(DOC)
    r = sc.evaluate({"north": {"nps": 30, "aht": 450, "margin": 0.1}, "south": {"nps": 60, "aht": 300, "margin": 0.2}})
    # north: nps 30 -> 5; aht 450 halfway 600 -> 300 -> 5; customer 5; margin 0.1 -> 5; root 5.
    assert r.composites()["north"] == pytest.approx(5.0, abs=1e-12)
    assert r.composites()["south"] == pytest.approx(10.0, abs=1e-12)
    assert r.units["south"]["rank"] == 1
    steps = r.explain("north", "aht")
    assert [s["id"] for s in steps] == ["aht", "customer", "bsc"]
    assert steps[0]["contribution"] == pytest.approx(2.5, abs=1e-12)  # share 1/2 * 5
    assert "aht" in r.explain_text("north", "aht")
    assert r.rollups["region"]["eu"]["composite"] == pytest.approx(7.5, abs=1e-12)
    assert "ScorecardResult" in repr(r)


def test_evaluate_dataframe_and_to_frame() -> None:
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({
        "unit": ["north", "north", "north", "north"],
        "kpi": ["nps", "nps", "aht", "margin"],
        "period": ["2026-01", "2026-02", "2026-02", "2026-02"],
        "value": [10.0, 30.0, None, 0.1],
    })
    sc = cxkpi.Scorecard.from_dict(DOC)
    r = sc.evaluate(df)
    # nps last = 30 -> 5; aht missing -> customer renormalised to nps alone = 5; margin 5 -> root 5.
    assert r.composites()["north"] == pytest.approx(5.0, abs=1e-12)
    assert r.counts["n_missing_values"] == 1
    assert r.units["north"]["items"]["aht"]["status"] == "missing"
    frame = r.to_frame()
    assert set(["unit", "id", "score", "contribution"]).issubset(frame.columns)
    assert len(frame) == 2 * 6  # two units (south has no data) x (3 KPIs + 3 nodes)
    r2 = sc.evaluate(df, as_of="2026-01")
    assert r2.units["north"]["items"]["nps"]["raw"] == 10.0


def test_errors_carry_kinds() -> None:
    bad = dict(DOC, kpis=[dict(DOC["kpis"][0], weight=-1)] + DOC["kpis"][1:])
    with pytest.raises(cxkpi.InvalidWeightError) as e:
        cxkpi.Scorecard.from_dict(bad)
    assert e.value.kind == "invalid_weight"
    with pytest.raises(cxkpi.InvalidArgumentError):
        cxkpi.Scorecard.from_toml(TOML + "\nbogus = 1\n")
    sc = cxkpi.Scorecard.from_dict(DOC)
    with pytest.raises(cxkpi.InvalidArgumentError):
        sc.evaluate({"north": {"unknown_kpi": 1.0}})
    with pytest.raises(cxkpi.UnknownMethodError):
        cxkpi.composite_normalise([1.0, 2.0], "softmax")


def test_sensitivity_exact_and_seeded() -> None:
    doc = {"id": "s", "kpis": [{"id": "a", "thresholds": {"red_flag": 0, "target": 10}},
                               {"id": "b", "thresholds": {"red_flag": 0, "target": 10}}]}
    sc = cxkpi.Scorecard.from_dict(doc)
    values = {"u": {"a": 4, "b": 9}}
    r = sc.sensitivity(values, weight_spread=0.0, aggregations=["arithmetic", "geometric"])
    assert r["exact"] and r["draws"] == 2
    assert r["units"]["u"]["mean"] == pytest.approx((6.5 + 6.0) / 2, abs=1e-12)
    m1 = sc.sensitivity(values, draws=200, seed=5)
    m2 = sc.sensitivity(values, draws=200, seed=5)
    assert m1 == m2
    u = m1["units"]["u"]
    assert 4.0 * 0.75 / 2 < u["min"] <= u["mean"] <= u["max"] <= 10.0


def test_balance_redundancy_myopia() -> None:
    doc = dict(DOC, balance_rules=[{"perspective": "customer", "max_share": 0.5}],
               myopia_links=[{"kpi": "nps", "linked": "aht"}])
    sc = cxkpi.Scorecard.from_dict(doc)
    b = sc.balance()
    assert b["perspective_shares"]["customer"] == pytest.approx(0.3, abs=1e-12)  # nps 0.6 * 1/2
    assert b["warnings"] == []
    vals = {"unit": ["north"] * 4, "kpi": ["nps", "nps", "aht", "aht"], "period": ["p1", "p2", "p1", "p2"],
            "value": [20, 30, 300, 400]}
    flags = sc.myopia(vals)
    assert len(flags) == 1 and flags[0]["kpi_change"] == 10.0 and flags[0]["linked_change"] == 100.0
    red = sc.redundancy(vals)
    assert red["kpis"] == ["nps", "aht", "margin"]


def test_normalise_aggregate_slope_suggest() -> None:
    assert cxkpi.composite_normalise([2.0, 4.0, float("nan"), 6.0]) == [0.0, 0.5, None, 1.0]
    assert cxkpi.composite_aggregate([4.0, 9.0], [1.0, 1.0], "geometric") == pytest.approx(6.0, abs=1e-12)
    assert cxkpi.composite_aggregate([float("nan")], [1.0]) is None
    s = cxkpi.composite_slope_test([1.0, 2.0, 3.0, 4.0])
    assert s["verdict"] == "improving" and s["slope"] == 1.0
    w = cxkpi.suggest_weights({"x": [1.0, 2.0, 3.0, 4.0, 5.0]}, [2.0, 4.1, 5.9, 8.2, 9.9])
    assert w["weights"] == [pytest.approx(1.0, abs=1e-12)]
