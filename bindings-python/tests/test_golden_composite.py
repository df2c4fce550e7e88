"""The composite golden family (tests/golden/composite/*.json) through the public Python API."""

from __future__ import annotations

from typing import Any, Dict

import cxkpi
from golden_family import family_test

_NORM_KEYS = ("method", "direction", "zero_range", "goalposts", "target")


def run(function: str, inp: Dict[str, Any]) -> Any:
    if function == "scorecard_from_toml":
        return cxkpi.Scorecard.from_toml(inp["toml"]).to_dict()
    if function == "normalise":
        kw = {k: inp[k] for k in _NORM_KEYS if k in inp}
        method = kw.pop("method", "min_max")
        vals = cxkpi.composite_normalise(inp["x"], method, **kw)
        return {"values": vals, "method": method}
    if function == "aggregate":
        kw = {k: inp[k] for k in ("missing", "zero") if k in inp}
        method = inp.get("method", "arithmetic")
        return {"value": cxkpi.composite_aggregate(inp["values"], inp["weights"], method, **kw), "method": method}
    if function == "slope_test":
        kw = {k: inp[k] for k in ("direction", "alpha") if k in inp}
        return cxkpi.composite_slope_test(inp["y"], **kw)
    if function == "suggest_weights":
        return cxkpi.suggest_weights(inp["components"], inp["outcome"])
    sc = cxkpi.Scorecard.from_dict(inp["scorecard"])
    if function == "evaluate_scorecard":
        return sc.evaluate(inp["values"], **(inp.get("options") or {})).to_dict()
    if function == "explain":
        return {"steps": sc.evaluate(inp["values"], **(inp.get("options") or {})).explain(inp["unit"], inp["kpi"])}
    if function == "sensitivity":
        return sc.sensitivity(inp["values"], **(inp.get("options") or {}))
    if function == "balance":
        return sc.balance()
    if function == "redundancy":
        return sc.redundancy(inp["values"])
    if function == "myopia":
        return {"flags": sc.myopia(inp["values"])}
    raise KeyError(function)


test_case, _write_tsv = family_test("composite", run, default_tol=1e-12)
