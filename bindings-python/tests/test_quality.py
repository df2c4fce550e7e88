"""Python API of the quality module: rule sets from dict/JSON/TOML, numpy/pandas columns, results."""

from __future__ import annotations

import numpy as np
import pytest

import cxkpi

TOML = """
[[rules]]
id = "scale"
kind = "out_of_scale"
columns = ["nps"]
min = 0
max = 10

[[rules]]
id = "internal"
kind = "test_entries"
email = "email"
domains = ["acme.com"]
"""


def test_rules_from_toml_numpy_and_text_columns() -> None:
    rs = cxkpi.RuleSet.from_toml(TOML)
    r = rs.validate({"nps": np.array([9.0, 11.0, np.nan, 3.0]), "email": ["a@x.org", "b@y.org", None, "c@acme.com"]})
    assert r.keep.tolist() == [True, False, True, False]
    assert r.n_excluded == 2
    assert [e["first_rule"] for e in r.excluded] == ["scale", "internal"]
    assert r.to_dict()["totals"][0]["n_excluded"] == 1


def test_pandas_frame_and_to_frame() -> None:
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"nps": [1, 2, 12], "email": ["a@b.c", "d@acme.com", "e@f.g"]})
    r = cxkpi.validate_responses(TOML, df)
    t = r.to_frame()
    assert list(t["rule"]) == ["scale", "internal"]
    assert list(r.excluded_frame()["row"]) == [1, 2]


def test_unknown_key_is_typed_error() -> None:
    with pytest.raises(cxkpi.CxkpiError) as e:
        cxkpi.RuleSet({"rules": [{"id": "a", "kind": "speeder", "duration": "d", "min_seconds": 1, "x": 2}]})
    assert e.value.kind == "invalid_argument"


def test_suppress_and_view_policy() -> None:
    s = cxkpi.suppress([40, 4, 25, 12], min_group_size=10)
    assert s.cells[0] == ["published", "primary", "published", "complementary"]
    p = cxkpi.ViewPolicy({"roles": {"manager": {"levels": ["team"], "fields": ["nps"]}}})
    d = p.evaluate("manager", "team", ["nps", "verbatim"])
    assert d["allowed_fields"] == ["nps"] and d["denied_fields"] == ["verbatim"]
    with pytest.raises(cxkpi.CxkpiError):
        p.evaluate("intern", "team", [])


def test_reconcile_frame() -> None:
    a = [{"period": "Q1", "value": 0.6, "n": 400}]
    b = [{"period": "Q1", "value": 0.5, "n": 400}]
    r = cxkpi.reconcile(a, b, tolerance=0.02)
    assert r.rows[0]["diverging"] is True
    assert r.groups[0]["since"] == "Q1"
    assert len(r.to_frame()) == 1
