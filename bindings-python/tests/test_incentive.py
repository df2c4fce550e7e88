"""IncentivePlan: construction from dict/JSON/TOML, evaluation, explain, what-if, clawback, bulk and errors.
Expected figures are hand arithmetic written next to each assertion."""

from __future__ import annotations

import json

import numpy as np
import pytest

import cxkpi

PLAN = {
    "id": "exec", "version": "2025.1", "currency": "EUR", "period": {"fiscal_year": 2025},
    "kpis": [
        {"id": "revenue", "weight": 0.6, "curve": {"type": "threshold_target_maximum",
         "threshold": 90, "target": 100, "maximum": 110}},
        {"id": "nps", "weight": 0.4, "curve": {"type": "threshold_target_maximum",
         "threshold": 20, "target": 30, "maximum": 40}},
    ],
    "gates": [{"id": "nps_floor", "kpi": "nps", "threshold": 20, "effect": "cap_total", "cap": 0.5}],
    "participants": [{"id": "ceo", "target_bonus": {"amount": 100000}},
                     {"id": "cfo", "target_bonus": {"percent_of_base": 20, "base_salary": 200000},
                      "start_date": "2025-07-01"}],
}

TOML = """
id = "exec"
version = "2025.1"
currency = "EUR"
period = { fiscal_year = 2025 }
[[kpis]]
id = "revenue"
weight = 0.6
curve = { type = "threshold_target_maximum", threshold = 90, target = 100, maximum = 110 }
[[kpis]]
id = "nps"
weight = 0.4
curve = { type = "threshold_target_maximum", threshold = 20, target = 30, maximum = 40 }
[[gates]]
id = "nps_floor"
kpi = "nps"
threshold = 20
effect = "cap_total"
cap = 0.5
[[participants]]
id = "ceo"
target_bonus = { amount = 100000 }
[[participants]]
id = "cfo"
target_bonus = { percent_of_base = 20, base_salary = 200000 }
start_date = "2025-07-01"
"""


def test_three_constructors_agree() -> None:
    a = cxkpi.IncentivePlan.from_dict(PLAN)
    b = cxkpi.IncentivePlan.from_json(json.dumps(PLAN))
    c = cxkpi.IncentivePlan.from_toml(TOML)
    assert a.to_dict() == b.to_dict() == c.to_dict()
    assert a.id == "exec" and a.version == "2025.1"
    assert "revenue=0.6" in repr(a)
    # the normalised plan round-trips
    assert cxkpi.IncentivePlan.from_json(a.to_json()).to_dict() == a.to_dict()


def test_evaluate_and_frame() -> None:
    plan = cxkpi.IncentivePlan.from_dict(PLAN)
    r = plan.evaluate({"revenue": 110, "nps": 18})
    # revenue max 2.0 x 0.6 = 1.2; nps 18 < 20 pays 0 and misses the floor -> capped at 0.5
    ceo = r.payout("ceo")
    assert ceo["factor"] == 0.5 and ceo["amount"] == 50000.0
    assert ceo["capped_by"] == ["gate:nps_floor"]
    # cfo: target 20% of 200000 = 40000, joined 2025-07-01 -> 184/365 of the year
    assert r.payout("cfo")["amount"] == pytest.approx(40000 * 0.5 * 184 / 365, rel=1e-12)
    assert r.amounts()["ceo"] == 50000.0
    assert r.period == {"label": "FY2025", "start": "2025-01-01", "end": "2025-12-31", "days": 365}
    assert r.policies["modifier_order"] == "before_caps"
    d = r.to_dict()
    assert d["participants"][0]["trail"][-1]["step"] == "amount"
    pd = pytest.importorskip("pandas")
    f = r.to_frame()
    assert isinstance(f, pd.DataFrame)
    assert list(f["participant"]) == ["ceo", "cfo"]
    assert f["payout_revenue"][0] == 2.0
    assert "IncentiveResult(plan='exec'" in repr(r)


def test_explain_from_result_and_plan() -> None:
    plan = cxkpi.IncentivePlan.from_dict(PLAN)
    r = plan.evaluate({"revenue": 100, "nps": 30})
    e = r.explain("ceo")
    assert e["payout"]["amount"] == 100000.0
    assert any("kpi:revenue" in line for line in e["lines"])
    assert plan.explain("ceo", {"revenue": 100, "nps": 30}) == e
    with pytest.raises(cxkpi.InvalidArgumentError):
        r.explain("nobody")


def test_what_if() -> None:
    plan = cxkpi.IncentivePlan.from_dict(PLAN)
    w = plan.what_if({"values": {"nps": 15}}, {"revenue": 100, "nps": 30})
    e = w.effects[0]
    # base 0.6 + 0.4 = 1.0 -> 100000; scenario 0.6 capped at 0.5 -> 50000
    assert (e["base_amount"], e["scenario_amount"], e["delta_amount"]) == (100000.0, 50000.0, -50000.0)
    assert "kpi:nps" in e["changed_steps"]
    assert w.to_dict()["changes"] == ["nps: 30 -> 15"]


def test_clawback() -> None:
    plan = cxkpi.IncentivePlan.from_dict({**PLAN, "period": None, "participants": [PLAN["participants"][0]]})
    c = plan.clawback([
        {"period": {"fiscal_year": 2022, "quarter": 4}, "reported": {"values": {"revenue": 100, "nps": 40}},
         "restated": {"values": {"nps": 30}}},
        {"period": {"fiscal_year": 2024, "quarter": 2}, "reported": {"values": {"revenue": 100, "nps": 40}},
         "restated": {"values": {"nps": 30}}},
    ], as_of="2026-01-15")
    # window = FY2023..FY2025; reported 0.6 + 0.4*2 = 1.4 -> 140000, restated 1.0 -> 100000: 40000 per quarter
    assert c.total_recoverable == pytest.approx(40000.0, rel=1e-12)
    assert [line["in_lookback"] for line in c.lines] == [False, True]
    assert c.recoverable() == {"ceo": pytest.approx(40000.0, rel=1e-12)}
    assert c.to_dict()["lookback_start"] == "2023-01-01"


def test_bulk_matches_evaluate() -> None:
    plan = cxkpi.IncentivePlan.from_dict({**PLAN, "gates": []})
    rev = np.array([95.0, 100.0, 120.0])
    nps = np.array([25.0, 30.0, 10.0])
    b = plan.evaluate_columns([rev, nps], np.full(3, 1000.0))
    assert isinstance(b["amount"], np.ndarray)
    for i in range(3):
        one = plan.evaluate({"revenue": float(rev[i]), "nps": float(nps[i])}).payout("ceo")
        assert b["factor"][i] == one["factor"]
    # 95 -> 0.75, 25 -> 0.75: 0.6*0.75 + 0.4*0.75 = 0.75
    assert b["factor"][0] == pytest.approx(0.75, rel=1e-12)
    with pytest.raises(cxkpi.MissingValueError):
        plan.evaluate_columns([[np.nan], [1.0]], [1.0])
    with pytest.raises(cxkpi.LengthMismatchError):
        plan.evaluate_columns([[1.0, 2.0], [1.0, 2.0]], [1.0])


def test_errors_name_the_problem() -> None:
    bad = json.loads(json.dumps(PLAN))
    bad["kpis"][0]["weight"] = 0.5
    with pytest.raises(cxkpi.InvalidArgumentError, match="sum to 0.9"):
        cxkpi.IncentivePlan.from_dict(bad)
    bad = json.loads(json.dumps(PLAN))
    bad["kpis"][1]["scoring"] = "min_max"
    with pytest.raises(cxkpi.UnsupportedError, match="data-relative"):
        cxkpi.IncentivePlan.from_dict(bad)
    with pytest.raises(cxkpi.InvalidArgumentError, match="TOML"):
        cxkpi.IncentivePlan.from_toml("id = [")
    plan = cxkpi.IncentivePlan.from_dict(PLAN)
    with pytest.raises(cxkpi.InvalidArgumentError, match="ebitda"):
        plan.evaluate({"revenue": 100, "nps": 30, "ebitda": 1})
    with pytest.raises(cxkpi.InvalidArgumentError, match="no value for KPI \"nps\""):
        plan.evaluate({"revenue": 100})
