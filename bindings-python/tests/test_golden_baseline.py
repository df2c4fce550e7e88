"""The baseline golden family (tests/golden/baseline/*.json: STL, MSTL, classical decomposition, baselines
with events, level shifts, period moves) through the public Python API."""

from __future__ import annotations

from typing import Any, Dict, List

import numpy as np

import cxkpi
from golden_family import family_test


def _col(v: List[Any]) -> np.ndarray:
    return np.array([float("nan") if x == "NaN" else x for x in v], dtype=np.float64)


def _o(inp: Dict[str, Any]) -> Dict[str, Any]:
    o = dict(inp.get("options") or {})
    if "lambda" in o:
        o["lmbda"] = o.pop("lambda")
    return o


def run(function: str, inp: Dict[str, Any]) -> Any:
    if function == "stl":
        return cxkpi.stl(_col(inp["values"]), **_o(inp)).to_dict()
    if function == "mstl":
        return cxkpi.mstl(_col(inp["values"]), **_o(inp)).to_dict()
    if function == "decompose":
        return cxkpi.decompose(_col(inp["values"]), **_o(inp)).to_dict()
    if function == "baseline":
        return cxkpi.baseline(_col(inp["values"]), inp["start"], events=inp.get("events"), **_o(inp)).to_dict()
    if function == "detect_changes":
        return cxkpi.detect_changes(_col(inp["values"]), **_o(inp)).to_dict()
    if function == "period_move":
        if "before_values" in inp:
            return cxkpi.period_move_from_values(inp["before_values"], inp["after_values"], **_o(inp)).to_dict()
        return cxkpi.period_move(inp["before"], inp["after"], **_o(inp)).to_dict()
    raise KeyError(function)


test_case, _write_tsv = family_test("baseline", run, default_tol=1e-10)
