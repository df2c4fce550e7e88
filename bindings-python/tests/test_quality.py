"""Python API of the quality module: rule sets from dict/JSON/TOML, numpy/pandas columns, results."""

from __future__ import annotations

import datetime as dt

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


# ---------------------------------------------------------------------------------------------------------
# Columnar validation: zero-copy numeric columns, datetimes, text with missing, typed errors, large inputs
# ---------------------------------------------------------------------------------------------------------

SPEED = {"rules": [{"id": "fast", "kind": "speeder", "duration": "secs", "min_seconds": 30}]}


def test_keep_and_failed_are_numpy_arrays_with_the_bit_per_rule() -> None:
    rs = cxkpi.RuleSet.from_toml(TOML)
    r = rs.validate({"nps": np.array([9.0, 11.0, 12.0, 3.0]), "email": ["a@x.org", "b@acme.com", None, "c@acme.com"]})
    assert r.keep.dtype == np.bool_ and r.failed.dtype == np.uint64
    # row 1 fails scale (bit 0) and internal (bit 1): 0b11 = 3; row 2 only scale: 1; row 3 only internal: 2.
    assert r.failed.tolist() == [0, 3, 1, 2]
    assert r.first_rule.tolist() == [-1, 0, 0, 1]
    assert r.excluded_rows.tolist() == [1, 2, 3]
    assert rs.ids == ["scale", "internal"] == r.rules
    assert r.excluded[0] == {"row": 1, "first_rule": "scale", "failed": ["scale", "internal"]}
    f = r.excluded_frame()
    assert list(f["failed"]) == ["scale,internal", "scale", "internal"]
    d = r.to_dict()
    assert d["keep"] == [True, False, False, False] and d["excluded"][2]["first_rule"] == "internal"
    assert set(d) == {"rule_set", "rule_set_version", "rules", "n_rows", "n_kept", "n_excluded", "keep",
                      "excluded", "totals", "attribution"}


def test_integer_bool_and_list_columns_give_the_same_result_as_float64() -> None:
    secs = [10, 40, 25, 100]
    base = cxkpi.validate_responses(SPEED, {"secs": np.array(secs, dtype=np.float64)})
    for col in (secs, np.array(secs, dtype=np.int32), np.array(secs, dtype=np.uint16), tuple(secs)):
        r = cxkpi.validate_responses(SPEED, {"secs": col})
        assert r.keep.tolist() == base.keep.tolist() == [False, True, False, True]
    flag = {"rules": [{"id": "t", "kind": "test_entries", "flag": "is_test"}]}
    r = cxkpi.validate_responses(flag, {"is_test": np.array([True, False, True])})
    assert r.keep.tolist() == [False, True, False]


def test_missing_numbers_none_and_nan_pass_out_of_scale() -> None:
    rules = {"rules": [{"id": "s", "kind": "out_of_scale", "columns": ["x"], "min": 0, "max": 10}]}
    r = cxkpi.validate_responses(rules, {"x": [1, None, float("nan"), 12]})
    assert r.keep.tolist() == [True, True, True, False]


def test_datetime_columns_become_seconds_since_epoch() -> None:
    # Field period [2026-01-01, 2026-02-01) (half-open). 2026-01-01T00:00:00Z = 1767225600 s.
    rules = {"rules": [{"id": "p", "kind": "field_period", "timestamp": "ts", "start": "2026-01-01",
                        "end": "2026-02-01"}]}
    ts = np.array(["2025-12-31T23:59:59", "2026-01-01T00:00:00", "NaT", "2026-01-31T23:59:59.5",
                   "2026-02-01T00:00:00"], dtype="datetime64[ns]")
    expect = [False, True, True, True, False]  # a missing timestamp is not outside the period
    assert cxkpi.validate_responses(rules, {"ts": ts}).keep.tolist() == expect
    assert cxkpi.validate_responses(rules, {"ts": ts.astype("datetime64[ms]")}).keep.tolist() == expect
    py = [dt.datetime(2025, 12, 31, 23, 59, 59), dt.datetime(2026, 1, 1), None,
          dt.datetime(2026, 1, 31, 23, 59, 59, 500000, tzinfo=dt.timezone.utc), dt.date(2026, 2, 1)]
    assert cxkpi.validate_responses(rules, {"ts": py}).keep.tolist() == expect
    from cxkpi._quality import _datetime64_seconds

    secs = _datetime64_seconds(ts)
    assert secs[1] == 1767225600.0 and np.isnan(secs[2]) and secs[3] == 1767225600.0 + 31 * 86400 - 0.5


def test_pandas_datetime_and_text_columns() -> None:
    pd = pytest.importorskip("pandas")
    rules = {"rules": [
        {"id": "p", "kind": "field_period", "timestamp": "ts", "start": "2026-01-01", "end": "2026-02-01"},
        {"id": "internal", "kind": "test_entries", "email": "email", "domains": ["acme.com"]}]}
    df = pd.DataFrame({
        "ts": pd.to_datetime(["2026-01-05", None, "2026-03-01"]).tz_localize("Europe/Paris"),
        "email": pd.Series(["a@acme.com", None, np.nan], dtype=object),
    })
    r = cxkpi.validate_responses(rules, df)
    assert r.keep.tolist() == [False, True, False]
    assert r.first_rule.tolist() == [1, -1, 0]
    cat = pd.DataFrame({"ts": pd.to_datetime(["2026-01-05", "2026-01-06"]),
                        "email": pd.Categorical(["x@acme.com", None])})
    assert cxkpi.validate_responses(rules, cat).keep.tolist() == [False, True]


def test_polars_columns() -> None:
    pl = pytest.importorskip("polars")
    rules = {"rules": [
        {"id": "p", "kind": "field_period", "timestamp": "ts", "start": "2026-01-01", "end": "2026-02-01"},
        {"id": "fast", "kind": "speeder", "duration": "secs", "min_seconds": 30}]}
    df = pl.DataFrame({"ts": [dt.datetime(2026, 1, 5), None, dt.datetime(2026, 3, 1)], "secs": [100, None, 10]})
    assert cxkpi.validate_responses(rules, df).keep.tolist() == [True, True, False]


def test_text_columns_with_missing_values() -> None:
    rules = {"rules": [{"id": "d", "kind": "duplicate", "customer": "cust", "timestamp": "ts", "window_days": 7}]}
    r = cxkpi.validate_responses(rules, {"cust": ["a", "a", None, None, np.nan],
                                         "ts": [0.0, 86400.0, 0.0, 86400.0, 0.0]})
    # the second "a" within 7 days is a duplicate; missing customers are never duplicates of each other.
    assert r.keep.tolist() == [True, False, True, True, True]


def test_column_errors_are_typed() -> None:
    with pytest.raises(cxkpi.InvalidArgumentError) as e:
        cxkpi.validate_responses(SPEED, {"secs": ["fast", 3]})
    assert e.value.details["arg"] == "columns.secs[1]"
    with pytest.raises(cxkpi.InvalidArgumentError) as e:
        cxkpi.validate_responses(SPEED, {"secs": [1.0, {"a": 1}]})
    with pytest.raises(cxkpi.LengthMismatchError):
        cxkpi.validate_responses(SPEED, {"secs": np.zeros(3), "other": np.zeros(2)})
    with pytest.raises(cxkpi.InvalidArgumentError) as e:
        cxkpi.validate_responses(SPEED, {"seconds": np.zeros(3)})
    assert "secs" in str(e.value)
    with pytest.raises(cxkpi.InvalidArgumentError):
        cxkpi.validate_responses(SPEED, {"secs": ["a", "b"]})  # a speeder needs a numeric column
    with pytest.raises(cxkpi.UnknownMethodError):
        cxkpi.suppress([10, 20], zero_cells="bogus")


def test_validation_of_a_million_rows_is_columnar() -> None:
    # Correctness at scale (not a timing assertion): the float64 columns reach the core without a copy and
    # the result arrays are the core's own vectors. Expected counts by construction of the data.
    n = 1_000_000
    secs = np.full(n, 200.0)
    secs[::10] = 5.0  # every 10th row is a speeder: n / 10
    nps = np.tile(np.arange(11, dtype=np.float64), n // 11 + 1)[:n]
    nps[7::1000] = 11.0  # n / 1000 out of scale: rows 7, 1007, ... (= 7 mod 10, never a speeder row)
    rules = {"rules": [{"id": "scale", "kind": "out_of_scale", "columns": ["nps"], "min": 0, "max": 10},
                       {"id": "fast", "kind": "speeder", "duration": "secs", "min_seconds": 30}]}
    r = cxkpi.validate_responses(rules, {"nps": nps, "secs": secs})
    assert r.n_rows == n and r.keep.shape == (n,) and r.failed.dtype == np.uint64
    assert [t["n_excluded"] for t in r.totals] == [n // 1000, n // 10]
    assert r.n_excluded == n // 1000 + n // 10
    assert np.array_equal(r.keep, (secs >= 30) & (nps <= 10))


def test_suppress_arrays_and_count_errors() -> None:
    two = [[20, 3, 15], [30, 25, 40]]
    a = cxkpi.suppress(two, min_group_size=10)
    assert a.cells[0] == ["published", "primary", "complementary"]
    assert cxkpi.suppress(np.array(two, dtype=np.int64), min_group_size=10).cells == a.cells
    assert cxkpi.suppress(np.array([40.0, 4.0, 25.0, 12.0])).cells[0] == ["published", "primary", "published",
                                                                            "complementary"]
    with pytest.raises(cxkpi.InvalidArgumentError) as e:
        cxkpi.suppress([4, 2.5])
    assert e.value.details["arg"] == "counts[1]"
    with pytest.raises(cxkpi.InvalidArgumentError) as e:
        cxkpi.suppress([[4, 1], [2, -1]])
    assert e.value.details["arg"] == "counts[1][1]"
    with pytest.raises(cxkpi.LengthMismatchError):
        cxkpi.suppress([[4, 1], [2]])


def test_long_text_columns_with_missing_values_and_a_bad_element() -> None:
    n = 1000
    cust = [None if i % 100 == 0 else f"c{i % 500}" for i in range(n)]
    cust[3] = float("nan")
    rules = {"rules": [{"id": "d", "kind": "duplicate", "customer": "cust", "timestamp": "ts", "window_days": 7}]}
    ts = np.zeros(n)
    # c0..c499 appear at i and i + 500; rows i % 100 == 0 and row 3 are missing: the duplicates are the rows
    # 500..999 whose twin i - 500 is present.
    expect = sum(1 for i in range(500, n) if i % 100 != 0 and i != 503)
    assert cxkpi.validate_responses(rules, {"cust": cust, "ts": ts}).n_excluded == expect
    pd = pytest.importorskip("pandas")
    s = pd.Series(cust, dtype="string")
    assert cxkpi.validate_responses(rules, pd.DataFrame({"cust": s, "ts": ts})).n_excluded == expect
    cust[700] = 7
    with pytest.raises(cxkpi.InvalidArgumentError) as e:
        cxkpi.validate_responses(rules, {"cust": cust, "ts": ts})
    assert e.value.details["arg"] == "columns.cust[700]"
