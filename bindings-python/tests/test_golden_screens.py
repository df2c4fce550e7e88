"""The screens golden family (tests/golden/screens/*.json) through the public Python API."""

from __future__ import annotations

from typing import Any, Dict

import cxkpi
from golden_family import family_test


def _kw(inp: Dict[str, Any], *skip: str) -> Dict[str, Any]:
    return {k: v for k, v in inp.items() if k not in skip}


def run(function: str, inp: Dict[str, Any]) -> Any:
    if function == "psi":
        return cxkpi.psi(inp["reference"], inp["current"], **_kw(inp, "reference", "current")).to_dict()
    if function == "ks_2samp":
        return cxkpi.ks_2samp(inp["reference"], inp["current"], **_kw(inp, "reference", "current")).to_dict()
    if function == "jensen_shannon":
        return cxkpi.jensen_shannon(inp["p"], inp["q"], **_kw(inp, "p", "q")).to_dict()
    if function == "chi_square":
        return cxkpi.chi_square(inp["table"], **_kw(inp, "table")).to_dict()
    if function == "top_box_inflation":
        return cxkpi.top_box_inflation(inp["scores"], inp["teams"], **_kw(inp, "scores", "teams")).to_dict()
    if function == "low_variance":
        return cxkpi.low_variance(inp["values"], inp["teams"], **_kw(inp, "values", "teams")).to_dict()
    if function == "duplicate_verbatims":
        return cxkpi.duplicate_verbatims(inp["texts"], inp.get("teams"), **_kw(inp, "texts", "teams")).to_dict()
    if function == "selective_filtering":
        return cxkpi.selective_filtering(inp["scores"], inp["teams"], inp["period"], inp["rates"],
                                         **_kw(inp, "scores", "teams", "period", "rates")).to_dict()
    if function == "coaching_step":
        return cxkpi.coaching_step(inp["values"], inp["teams"], inp["day"], inp["events"],
                                   **_kw(inp, "values", "teams", "day", "events")).to_dict()
    if function == "build_alerts":
        return cxkpi.build_alerts(inp["signals"], inp["ladder"], **_kw(inp, "signals", "ladder")).to_dict()
    raise KeyError(function)


test_case, _write_tsv = family_test("screens", run, default_tol=1e-12)
