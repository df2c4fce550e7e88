"""Data quality: declarative response validation with an exclusion account, privacy suppression of grouped
outputs, role-based view policies and the reconciliation of two sources (docs/data-quality.md).

Rule sets and view policies are documents (dict, JSON or TOML) that the Rust core parses and validates with
serde, so they mean exactly the same thing in Rust, Python and Node. Columns may be numpy arrays, pandas or
polars Series or lists (numbers with None/NaN for missing, or text); datetime columns become seconds since
1970-01-01 UTC.
"""

from __future__ import annotations

import json
import math
from typing import Any, Dict, List, Mapping, Optional, Sequence

from . import _cxkpi

__all__ = ["RuleSet", "ValidationResult", "ViewPolicy", "QualityResult", "suppress", "reconcile", "validate_responses"]


def _frame(cols: Dict[str, List[Any]]) -> Any:
    try:
        import pandas as pd  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        import polars as pl

        return pl.DataFrame(cols, strict=False)
    return pd.DataFrame(cols)


def _column(name: str, col: Any) -> List[Any]:
    """One column as JSON-ready data: numbers (None for missing) or text ("" for missing)."""
    dtype = getattr(col, "dtype", None)
    if dtype is not None and "datetime" in str(dtype).lower():
        try:
            import numpy as np

            arr = np.asarray(col, dtype="datetime64[ns]")
            secs = arr.astype("int64") / 1e9
            return [None if np.isnat(t) else float(s) for t, s in zip(arr, secs)]
        except Exception as e:  # pragma: no cover - unusual datetime containers
            raise TypeError(f"column {name!r}: cannot convert datetimes: {e}") from None
    if hasattr(col, "to_list"):
        values = col.to_list()
    elif hasattr(col, "tolist"):
        values = col.tolist()
    else:
        values = list(col)
    out: List[Any] = []
    for v in values:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            out.append(None)
        elif isinstance(v, bool):
            out.append(1.0 if v else 0.0)
        elif isinstance(v, (int, float)):
            out.append(float(v))
        elif isinstance(v, str):
            out.append(v)
        else:
            try:
                import pandas as pd  # type: ignore[import-untyped,unused-ignore]

                if v is pd.NA or v is pd.NaT:
                    out.append(None)
                    continue
            except ImportError:
                pass
            out.append(str(v))
    return out


def _columns(columns: Any) -> Dict[str, List[Any]]:
    if hasattr(columns, "columns") and not isinstance(columns, Mapping):
        return {str(c): _column(str(c), columns[c]) for c in columns.columns}
    return {str(k): _column(str(k), v) for k, v in dict(columns).items()}


class QualityResult:
    """A result dict with attribute access, ``to_dict()`` and ``to_frame()``."""

    _table = ""

    def __init__(self, data: Dict[str, Any]) -> None:
        self._data = data

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["_data"][name]
        except KeyError:
            raise AttributeError(name) from None

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def to_dict(self) -> Dict[str, Any]:
        """The result as a plain dict (the core's serde output)."""
        return json.loads(json.dumps(self._data))

    def to_frame(self) -> Any:
        """The main table of the result as a pandas (or polars) DataFrame."""
        rows = self._data.get(self._table) or []
        keys: List[str] = list(rows[0].keys()) if rows else []
        return _frame({k: [r.get(k) for r in rows] for k in keys})

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}=...' for k in self._data)})"


class ValidationResult(QualityResult):
    """The outcome of a validation: ``keep`` mask, ``excluded`` rows (first rule and every failed rule),
    ``totals`` by rule. ``to_frame()`` gives the totals table; ``excluded_frame()`` the excluded rows."""

    _table = "totals"

    @property
    def keep(self) -> Any:
        import numpy as np

        return np.asarray(self._data["keep"], dtype=bool)

    def excluded_frame(self) -> Any:
        rows = self._data["excluded"]
        return _frame({"row": [r["row"] for r in rows], "first_rule": [r["first_rule"] for r in rows],
                       "failed": [",".join(r["failed"]) for r in rows]})

    def __repr__(self) -> str:
        d = self._data
        return f"ValidationResult(n_rows={d['n_rows']}, n_kept={d['n_kept']}, n_excluded={d['n_excluded']})"


def _doc(doc: Any, kind: str) -> Dict[str, Any]:
    if isinstance(doc, str):
        text = doc.strip()
        fmt = "json" if text.startswith("{") else "toml"
        return dict(_cxkpi.quality_call(f"{kind}_from_text", {"text": doc, "format": fmt}))
    return dict(_cxkpi.quality_call(f"{kind}_from_text", {"text": json.dumps(dict(doc)), "format": "json"}))


class RuleSet:
    """A validation rule set (dict, JSON or TOML text; format in docs/data-quality.md)."""

    def __init__(self, doc: Any) -> None:
        self._doc = _doc(doc, "rules")

    @classmethod
    def from_dict(cls, doc: Mapping[str, Any]) -> "RuleSet":
        return cls(dict(doc))

    @classmethod
    def from_json(cls, text: str) -> "RuleSet":
        return cls(dict(_cxkpi.quality_call("rules_from_text", {"text": text, "format": "json"})))

    @classmethod
    def from_toml(cls, text: str) -> "RuleSet":
        return cls(dict(_cxkpi.quality_call("rules_from_text", {"text": text, "format": "toml"})))

    def to_dict(self) -> Dict[str, Any]:
        return json.loads(json.dumps(self._doc))

    def validate(self, columns: Any) -> ValidationResult:
        """Applies the rules to ``columns`` (a dict of columns or a DataFrame)."""
        return ValidationResult(dict(_cxkpi.quality_call("validate", {"rules": self._doc, "columns": _columns(columns)})))


def validate_responses(rules: Any, columns: Any) -> ValidationResult:
    """Applies a rule set (RuleSet, dict, JSON or TOML text) to columns."""
    rs = rules if isinstance(rules, RuleSet) else RuleSet(rules)
    return rs.validate(columns)


class SuppressionResult(QualityResult):
    """Cell statuses (``published``, ``primary``, ``complementary``) of a suppressed table."""

    def to_frame(self) -> Any:
        cells = self._data["cells"]
        return _frame({f"col{j}": [row[j] for row in cells] for j in range(len(cells[0]))})


def suppress(counts: Any, min_group_size: int = 10, complementary: bool = True, zero_cells: str = "safe") -> SuppressionResult:
    """Minimum group size with complementary suppression: ``counts`` a list (one-way table) or a list of
    rows (two-way table, published with its margins)."""
    if hasattr(counts, "tolist"):
        counts = counts.tolist()
    return SuppressionResult(dict(_cxkpi.quality_call("suppress", {
        "counts": counts, "min_group_size": min_group_size, "complementary": complementary,
        "zero_cells": zero_cells})))


class ViewPolicy:
    """A role-based view policy (dict, JSON or TOML): roles -> grouping levels and fields."""

    def __init__(self, doc: Any) -> None:
        self._doc = _doc(doc, "view_policy")

    def to_dict(self) -> Dict[str, Any]:
        return json.loads(json.dumps(self._doc))

    def evaluate(self, role: str, level: str, fields: Sequence[str] = ()) -> Dict[str, Any]:
        """What ``role`` may see of ``fields`` at ``level``; an unknown role raises InvalidArgumentError."""
        return dict(_cxkpi.quality_call("view_policy", {"policy": self._doc, "role": role, "level": level,
                                                         "fields": list(fields)}))


class Reconciliation(QualityResult):
    """Matched rows (``to_frame()``), per-group divergence (``groups``) and unmatched periods."""

    _table = "rows"


def _records(x: Any) -> List[Dict[str, Any]]:
    if hasattr(x, "to_dict") and hasattr(x, "columns"):
        try:
            return list(x.to_dict("records"))
        except TypeError:
            return list(x.to_dicts())
    return [dict(r) for r in x]


def reconcile(a: Any, b: Any, kind: str = "share", tolerance: float = 0.0, alpha: float = 0.05,
              share_test: str = "pooled", rule: str = "tolerance_and_significant",
              periods: Optional[Sequence[str]] = None) -> Reconciliation:
    """Compares two sources of a KPI per period and group (records ``period, group, value, n, se``)."""
    inp: Dict[str, Any] = {"a": _records(a), "b": _records(b), "kind": kind, "tolerance": tolerance,
                           "alpha": alpha, "share_test": share_test, "rule": rule}
    if periods is not None:
        inp["periods"] = list(periods)
    return Reconciliation(dict(_cxkpi.quality_call("reconcile", inp)))
