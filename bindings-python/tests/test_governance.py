"""Python API of the governance module: registries, lookups, stamps, retirement, bridges."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest

import cxkpi

REG = {"definitions": [
    {"id": "nps", "version": 1, "effective_from": "2025-01-01", "effective_to": "2026-01-01",
     "status": "deprecated", "owner": "cx", "approver": "cfo"},
    {"id": "nps", "version": 2, "effective_from": "2026-01-01", "status": "active", "owner": "cx",
     "approver": "cfo", "change_reason": "new bands"}]}


def test_in_force_with_dates() -> None:
    r = cxkpi.Registry(REG)
    assert r.in_force("nps", dt.date(2025, 12, 31))["version"] == 1
    assert r.in_force("nps", "2026-01-01")["version"] == 2
    assert r.in_force("nps", "2024-01-01")["reason"] == "before_first"
    assert [d["version"] for d in r.history("nps")] == [1, 2]


def test_retire_and_stamp() -> None:
    r = cxkpi.Registry(REG).retire("nps", "2026-06-01", "cfo", "replaced")
    assert r.in_force("nps", "2026-06-01")["reason"] == "retired"
    assert r.in_force("nps", "2026-05-31")["version"] == 2
    s = r.stamp("nps", "2026-03-31", {"source_systems": ["survey"]})
    assert s["version"] == 2 and s["lineage"]["source_systems"] == ["survey"]


def test_overlap_is_error() -> None:
    bad = {"definitions": [dict(REG["definitions"][0], effective_to="2026-02-01"), REG["definitions"][1]]}
    with pytest.raises(cxkpi.CxkpiError) as e:
        cxkpi.Registry(bad)
    assert e.value.kind == "invalid_argument"


def test_bridges() -> None:
    b = cxkpi.Bridge.linear([1, 5], [1, 7])
    assert b.apply(np.array([1.0, 3.0, np.nan])).tolist()[:2] == [1.0, 4.0]
    e = cxkpi.Bridge.equipercentile([1, 2, 3], [1, 2, 3, 4, 5], [1, 3], [1, 5])
    assert abs(e.apply([2])[0] - 3.0) < 1e-12
    s = b.series(["Q1", "Q2"], [4.0, 5.5], "Q2")
    assert s["points"][1]["break_before"] is True
    assert len(b.to_frame()) == 5


def test_registry_from_toml_and_json_text() -> None:
    toml = """
[[definitions]]
id = "csat"
kind = "metric"
version = 1
effective_from = "2025-01-01"
status = "active"
owner = "cx"
approver = "head-of-cx"
"""
    r = cxkpi.Registry.from_toml(toml)
    assert r.in_force("csat", "2025-06-30")["version"] == 1
    j = cxkpi.Registry(json.dumps(r.to_dict()))
    assert j.to_dict() == r.to_dict()
    assert cxkpi.Registry(r).to_dict() == r.to_dict()


def test_bridge_apply_is_a_float64_array_and_accepts_columns() -> None:
    b = cxkpi.Bridge.linear([1, 5], [1, 7])
    x = np.array([1.0, 2.0, np.nan, 5.0])
    y = b.apply(x)
    # linear 1-5 -> 1-7: 1 + (x - 1) * 6 / 4 (hand computation): 1, 2.5, NaN, 7.
    assert y.dtype == np.float64 and y[0] == 1.0 and y[1] == 2.5 and np.isnan(y[2]) and y[3] == 7.0
    assert b.apply([1, None, 5]).tolist()[::2] == [1.0, 7.0]
    pd = pytest.importorskip("pandas")
    assert b.apply(pd.Series([3, None], dtype="Int64"))[0] == 4.0


def test_bridge_errors_are_typed() -> None:
    with pytest.raises(cxkpi.UnknownMethodError):
        cxkpi.Bridge.fit("cubic", [1, 5], [1, 7])
    with pytest.raises(cxkpi.InvalidArgumentError) as e:
        cxkpi.Bridge.fit("mean_sigma", [1, 5], [1, 7])
    assert e.value.details["arg"] == "old"
    with pytest.raises(cxkpi.InvalidArgumentError):
        cxkpi.Bridge.linear([5, 1], [1, 7])
    with pytest.raises(cxkpi.LengthMismatchError):
        cxkpi.Bridge.linear([1, 5], [1, 7]).series(["Q1", "Q2"], [4.0], "Q2")
