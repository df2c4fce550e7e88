"""The incentive golden family (tests/golden/incentive/*.json) through the public Python API."""

from __future__ import annotations

from typing import Any, Dict, List

import cxkpi
from golden_family import family_test


def _num(x: Any) -> float:
    return float(x) if not isinstance(x, str) else float({"NaN": "nan", "Infinity": "inf", "-Infinity": "-inf"}[x])


def _col(v: Any) -> List[float]:
    return [_num(x) for x in v]


def run(function: str, inp: Dict[str, Any]) -> Any:
    if function == "incentive_evaluate_toml":
        return cxkpi.IncentivePlan.from_toml(inp["toml"]).evaluate(**inp["inputs"]).to_dict()
    plan = cxkpi.IncentivePlan.from_dict(inp["plan"])
    if function == "incentive_evaluate":
        return plan.evaluate(**inp["inputs"]).to_dict()
    if function == "incentive_explain":
        return plan.evaluate(**inp["inputs"]).explain(inp["participant"])
    if function == "incentive_what_if":
        return plan.what_if(inp["changes"], **inp["inputs"]).to_dict()
    if function == "incentive_clawback":
        c = inp["clawback"]
        return plan.clawback(c["periods"], as_of=c["as_of"]).to_dict()
    if function == "incentive_bulk":
        r = plan.evaluate_columns(
            [_col(c) for c in inp["columns"]],
            _col(inp["target_bonus"]),
            modifiers=_col(inp["modifiers"]) if inp.get("modifiers") is not None else None,
            participation=_col(inp["participation"]) if inp.get("participation") is not None else None,
        )
        return {"factor": r["factor"].tolist(), "amount": r["amount"].tolist(), "total_amount": r["total_amount"]}
    raise AssertionError(f"unknown incentive function {function}")


test_case, _write_tsv = family_test("incentive", run, default_tol=1e-12)
