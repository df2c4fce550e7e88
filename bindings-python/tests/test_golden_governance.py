"""The governance golden family (tests/golden/governance/*.json) through the public Python API."""

from __future__ import annotations

from typing import Any, Dict

import cxkpi
from golden_family import family_test


def run(function: str, inp: Dict[str, Any]) -> Any:
    if function in ("bridge", "apply_bridge", "bridge_series"):
        b = inp["bridge"]
        bridge = cxkpi.Bridge.fit(b["method"], b["from_scale"] if isinstance(b["from_scale"], list)
                                  else [b["from_scale"]["min"], b["from_scale"]["max"]],
                                  b["to_scale"] if isinstance(b["to_scale"], list)
                                  else [b["to_scale"]["min"], b["to_scale"]["max"]],
                                  b.get("old"), b.get("new"))
        if function == "bridge":
            return bridge.to_dict()
        if function == "apply_bridge":
            vals = bridge.apply(inp["values"])
            return {"values": [None if v != v else float(v) for v in vals]}
        return bridge.series(inp["periods"], inp["values"], inp["break_period"])
    reg = cxkpi.Registry(inp["registry"])
    if function == "in_force":
        return reg.in_force(inp["id"], inp["date"])
    if function == "history":
        return {"versions": reg.history(inp["id"])}
    if function == "retire":
        return reg.retire(inp["id"], inp["date"], inp["approver"], inp["reason"]).to_dict()
    if function == "stamp":
        return reg.stamp(inp["id"], inp["date"], inp.get("lineage"))
    raise ValueError(function)


test_case, _write_tsv = family_test("governance", run, default_tol=1e-12)
