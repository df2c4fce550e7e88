"""The stats golden family (tests/golden/stats/*.json) through the public Python API."""

from __future__ import annotations

from typing import Any, Dict

import numpy as np

import cxkpi
from golden_family import family_test


def _nan(v: Any) -> Any:
    return float("nan") if v == "NaN" else v


def _x(inp: Dict[str, Any]) -> Any:
    # golden `x` is a list of predictor columns: hand it over as rows x predictors
    return np.column_stack([np.asarray(c, dtype=np.float64) for c in inp["x"]])


def _kw(inp: Dict[str, Any], *skip: str) -> Dict[str, Any]:
    return {k: v for k, v in inp.items() if k not in skip}


def run(function: str, inp: Dict[str, Any]) -> Any:
    if function == "icc":
        return cxkpi.icc(inp["ratings"], **_kw(inp, "ratings")).to_dict()
    if function == "cronbach_alpha":
        return cxkpi.cronbach_alpha(inp["items"], **_kw(inp, "items")).to_dict()
    if function == "measurement_error":
        return cxkpi.measurement_error(inp["sd"], inp["reliability"], **_kw(inp, "sd", "reliability")).to_dict()
    if function == "test_retest":
        return cxkpi.test_retest(inp["test"], inp["retest"], **_kw(inp, "test", "retest")).to_dict()
    if function == "correlation":
        return cxkpi.correlation(inp["x"], inp["y"], **_kw(inp, "x", "y")).to_dict()
    if function == "correlation_matrix":
        return cxkpi.correlation_matrix(np.column_stack(inp["columns"]), **_kw(inp, "columns")).to_dict()
    if function == "p_adjust":
        return cxkpi.p_adjust(inp["p"], inp["method"]).tolist()
    if function == "ols":
        return cxkpi.ols(inp["y"], _x(inp), **_kw(inp, "y", "x")).to_dict()
    if function == "shapley_r2":
        return cxkpi.shapley_r2(inp["y"], _x(inp)).to_dict()
    if function == "logistic":
        return cxkpi.logistic(inp["y"], _x(inp), **_kw(inp, "y", "x")).to_dict()
    if function == "t_test":
        return cxkpi.t_test(inp["x"], inp.get("y"), **_kw(inp, "x", "y")).to_dict()
    if function == "did":
        return cxkpi.did(inp["y"], inp["treated"], inp["post"], **_kw(inp, "y", "treated", "post")).to_dict()
    if function == "kaplan_meier":
        return cxkpi.kaplan_meier(inp["time"], inp["event"], **_kw(inp, "time", "event")).to_dict()
    if function == "before_after":
        vals = [_nan(v) for v in inp["values"]]
        return cxkpi.before_after(vals, inp["days"], inp["intervention"],
                                  **_kw(inp, "values", "days", "intervention")).to_dict()
    if function == "hazard_by_group":
        return cxkpi.hazard_by_group(inp["time"], inp["event"], inp["group"],
                                     **_kw(inp, "time", "event", "group")).to_dict()
    if function == "retention_by_cohort":
        return cxkpi.retention_by_cohort(inp["cohort"], [_nan(v) for v in inp["churn_period"]],
                                         observed_until=inp["observed_until"], horizon=inp["horizon"])
    if function == "shrink":
        return cxkpi.shrink(inp["values"], inp["groups"], **_kw(inp, "values", "groups")).to_dict()
    raise KeyError(function)


test_case, _write_tsv = family_test("stats", run, default_tol=1e-12)
