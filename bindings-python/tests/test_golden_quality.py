"""The quality golden family (tests/golden/quality/*.json) through the public Python API."""

from __future__ import annotations

from typing import Any, Dict

import cxkpi
from golden_family import family_test

_REC = ("kind", "tolerance", "alpha", "share_test", "rule", "periods")


def run(function: str, inp: Dict[str, Any]) -> Any:
    if function == "validate":
        return cxkpi.RuleSet(inp["rules"]).validate(inp["columns"]).to_dict()
    if function == "suppress":
        kw = {k: inp[k] for k in ("min_group_size", "complementary", "zero_cells") if k in inp}
        return cxkpi.suppress(inp["counts"], **kw).to_dict()
    if function == "view_policy":
        return cxkpi.ViewPolicy(inp["policy"]).evaluate(inp["role"], inp["level"], inp["fields"])
    if function == "reconcile":
        kw = {k: inp[k] for k in _REC if k in inp}
        return cxkpi.reconcile(inp["a"], inp["b"], **kw).to_dict()
    raise ValueError(function)


test_case, _write_tsv = family_test("quality", run, default_tol=1e-12)
