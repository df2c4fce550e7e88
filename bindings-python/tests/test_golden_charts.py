"""The charts golden family (tests/golden/charts/*.json) through the public Python API."""

from __future__ import annotations

from typing import Any, Dict, List

import numpy as np

import cxkpi
from golden_family import family_test


def _col(v: List[Any]) -> np.ndarray:
    return np.asarray([float("nan") if x == "NaN" else x for x in v], dtype=np.float64)


def _kw(inp: Dict[str, Any], *skip: str) -> Dict[str, Any]:
    return {k: v for k, v in inp.items() if k not in skip}


def _counted(d: Dict[str, Any]) -> Dict[str, Any]:
    d["n_signals"] = float(len(d["signals"]))
    return d


def run(function: str, inp: Dict[str, Any]) -> Any:
    if function == "individuals_chart":
        return _counted(cxkpi.individuals_chart(_col(inp["x"]), **_kw(inp, "x")).to_dict())
    if function == "ewma_chart":
        return _counted(cxkpi.ewma_chart(_col(inp["x"]), **_kw(inp, "x")).to_dict())
    if function == "cusum_chart":
        return _counted(cxkpi.cusum_chart(_col(inp["x"]), **_kw(inp, "x")).to_dict())
    if function == "p_chart":
        r = cxkpi.p_chart(_col(inp["successes"]), _col(inp["sizes"]), **_kw(inp, "successes", "sizes"))
        return _counted(r.to_dict())
    if function == "funnel":
        r = cxkpi.funnel_limits(_col(inp["successes"]), _col(inp["sizes"]), **_kw(inp, "successes", "sizes"))
        return _counted(r.to_dict())
    if function == "run_rules":
        hits = cxkpi.run_rules(_col(inp["z"]), **_kw(inp, "z"))
        return {"n_hits": float(len(hits)), "hits": hits}
    if function == "arl":
        return cxkpi.average_run_length(**inp).to_dict()
    if function == "calibrate":
        return cxkpi.calibrate_threshold(**inp).to_dict()
    raise KeyError(function)


test_case, _write_tsv = family_test("charts", run, default_tol=1e-12)
