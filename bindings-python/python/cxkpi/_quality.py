"""Data quality: declarative response validation with an exclusion account, privacy suppression of grouped
outputs, role-based view policies and the reconciliation of two sources (docs/data-quality.md).

Rule sets and view policies are documents (dict, JSON or TOML) that the Rust core parses and validates with
serde, so they mean exactly the same thing in Rust, Python and Node.

Validation is columnar. Numeric columns go to the core as float64 numpy arrays without a copy (a
C-contiguous float64 array is passed as is; ints, bools, nullable pandas and polars columns are converted
once with numpy, missing values becoming NaN); datetime columns (numpy ``datetime64``, pandas and polars
datetimes, lists of ``datetime``/``date``) become float seconds since 1970-01-01 UTC, NaT/None becoming NaN.
Text columns (str, pandas object/string/categorical, polars Utf8/Categorical) become lists of str with
None/NaN/NA as "" (missing). The result holds ``keep`` (numpy bool) and ``failed`` (numpy uint64, bit i set
when the row failed ``rules[i]``) as returned by the core; the readable account of excluded rows
(``excluded``, ``excluded_frame()``, ``to_dict()``) is built from them only when asked for.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

import numpy as np

from . import _cxkpi
from ._convert import _module_name, as_f64, invalid_argument

__all__ = ["RuleSet", "ValidationResult", "ViewPolicy", "QualityResult", "suppress", "reconcile", "validate_responses"]

_F64 = np.dtype(np.float64)
_EPOCH = _dt.datetime(1970, 1, 1)
_EPOCH_UTC = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)


def _frame(cols: Dict[str, Any]) -> Any:
    try:
        import pandas as pd  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        import polars as pl

        return pl.DataFrame(cols, strict=False)
    return pd.DataFrame(cols)


# ---------------------------------------------------------------------------------------------------------
# Columns: float64 arrays (zero copy when already float64) or lists of str
# ---------------------------------------------------------------------------------------------------------


def _is_missing(v: Any) -> bool:
    if v is None:
        return True
    if isinstance(v, float):
        return math.isnan(v)
    if _module_name(v) == "pandas" and type(v).__name__ in ("NAType", "NaTType"):
        return True
    if isinstance(v, np.floating):
        return bool(np.isnan(v))
    if isinstance(v, np.datetime64):
        return bool(np.isnat(v))
    return False


def _datetime64_seconds(arr: np.ndarray) -> np.ndarray:
    """numpy datetime64 (any unit) -> float64 seconds since the epoch, NaT -> NaN.

    Exact for whole seconds: the integer count is split into whole seconds and the remainder before the
    conversion to float (a nanosecond count near 2026 does not fit the 53 bits of a double).
    """
    unit, step = np.datetime_data(arr.dtype)
    ticks = arr.view(np.int64)
    per_second = {"s": 1, "ms": 1_000, "us": 1_000_000, "ns": 1_000_000_000, "ps": 10**12, "fs": 10**15,
                  "as": 10**18}
    scale = {"m": 60, "h": 3600, "D": 86400, "W": 7 * 86400}
    if unit in per_second:
        div = per_second[unit]
        if step != 1:
            ticks = ticks * step
        whole, rest = np.divmod(ticks, div)
        out = whole.astype(_F64) + rest.astype(_F64) / div
    elif unit in scale:
        out = ticks.astype(_F64) * float(scale[unit] * step)
    else:  # months and years have no fixed length in seconds
        raise invalid_argument("columns", f"datetime64[{unit}] columns are not supported; use a date or time unit")
    out[np.isnat(arr)] = np.nan
    return np.ascontiguousarray(out)


def _python_time(v: Any) -> float:
    if _is_missing(v):
        return math.nan
    if isinstance(v, _dt.datetime):
        if v.tzinfo is not None:
            return (v - _EPOCH_UTC).total_seconds()
        return (v - _EPOCH).total_seconds()
    if isinstance(v, _dt.date):
        return float((v - _EPOCH.date()).days * 86400)
    if isinstance(v, np.datetime64):
        return float(_datetime64_seconds(np.array([v]))[0])
    raise TypeError(type(v).__name__)


def _text(items: Sequence[Any], name: str) -> List[Any]:
    """A text column as a list for the native module, which reads str as is and None / NaN as missing and
    rejects anything else, naming the row (pandas columns have their NA / NaT turned into None before)."""
    return items if isinstance(items, list) else list(items)


def _first_present(items: Sequence[Any]) -> Any:
    for v in items:
        if not _is_missing(v):
            return v
    return None


def _from_sequence(name: str, items: Sequence[Any]) -> Tuple[str, Any]:
    """A list / tuple / object array: text if it holds a str, datetimes if it holds datetimes, else numbers."""
    if any(isinstance(v, str) for v in items):
        return "text", _text(items, name)
    first = _first_present(items)
    if isinstance(first, (_dt.date, np.datetime64)) or (
            _module_name(first) == "pandas" and type(first).__name__ == "Timestamp"):
        try:
            return "num", np.fromiter((_python_time(v) for v in items), dtype=_F64, count=len(items))
        except TypeError as e:
            raise invalid_argument(f"columns.{name}", f"mixes datetimes with {e}") from None
    return "num", as_f64([float(v) if isinstance(v, bool) else v for v in items], f"columns.{name}")


def _pandas_column(name: str, col: Any) -> Tuple[str, Any]:
    import pandas as pd  # type: ignore[import-untyped,unused-ignore]

    dtype = col.dtype
    if isinstance(dtype, pd.DatetimeTZDtype):
        col = col.dt.tz_convert("UTC").dt.tz_localize(None)
        dtype = col.dtype
    if getattr(dtype, "kind", "O") == "M":
        return "num", _datetime64_seconds(np.asarray(col.to_numpy()))
    if isinstance(dtype, pd.CategoricalDtype):
        cats = dtype.categories
        if cats.dtype.kind in "OUS" or str(cats.dtype).startswith("str"):
            return "text", col.astype(object).where(col.notna(), None).tolist()
        return "num", as_f64(col, f"columns.{name}")
    if getattr(dtype, "kind", "O") in "biuf" or str(dtype) in (
            "Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32", "UInt64", "Float32", "Float64",
            "boolean"):
        if str(dtype) == "boolean" or getattr(dtype, "kind", "") == "b":
            return "num", col.to_numpy(dtype=_F64, na_value=np.nan)
        return "num", as_f64(col, f"columns.{name}")
    return _from_sequence(name, col.astype(object).where(col.notna(), None).tolist())


def _polars_column(name: str, col: Any) -> Tuple[str, Any]:
    import polars as pl

    dt = col.dtype
    if dt == pl.Utf8 or isinstance(dt, (pl.Categorical, pl.Enum)):
        return "text", col.cast(pl.Utf8).to_list()
    if isinstance(dt, pl.Datetime):
        if dt.time_zone is not None:
            col = col.dt.convert_time_zone("UTC").dt.replace_time_zone(None)
        return "num", _datetime64_seconds(np.asarray(col.to_numpy()))
    if dt == pl.Date:
        return "num", _datetime64_seconds(np.asarray(col.cast(pl.Datetime("ms")).to_numpy()))
    if dt == pl.Boolean:
        return "num", col.cast(pl.Float64).to_numpy()
    return "num", as_f64(col, f"columns.{name}")


def _column(name: str, col: Any) -> Tuple[str, Any]:
    """One column as ("num", float64 array) or ("text", list of str)."""
    if type(col) is np.ndarray and col.dtype == _F64 and col.ndim == 1 and col.flags.c_contiguous:
        return "num", col  # the fast path: borrowed by the core without a copy
    mod = _module_name(col)
    if mod == "pandas" and hasattr(col, "dtype"):
        return _pandas_column(name, col)
    if mod == "polars" and hasattr(col, "dtype"):
        return _polars_column(name, col)
    if isinstance(col, np.ndarray):
        if col.ndim != 1:
            raise invalid_argument(f"columns.{name}", f"must be a 1-D column, got shape {col.shape}")
        kind = col.dtype.kind
        if kind == "M":
            return "num", _datetime64_seconds(col)
        if kind in "biuf":
            return "num", np.ascontiguousarray(col, dtype=_F64)
        if kind in "US" or str(col.dtype).startswith("StringDType"):
            return "text", col.tolist()
        return _from_sequence(name, col.tolist())
    if isinstance(col, (list, tuple)):
        return _from_sequence(name, col)
    return _from_sequence(name, list(col))


def _columns(columns: Any) -> Tuple[List[str], List[np.ndarray], List[str], List[List[Any]], int]:
    if hasattr(columns, "columns") and not isinstance(columns, Mapping):
        items = [(str(c), columns[c]) for c in columns.columns]
    else:
        items = [(str(k), v) for k, v in dict(columns).items()]
    num_names: List[str] = []
    nums: List[np.ndarray] = []
    text_names: List[str] = []
    texts: List[List[Any]] = []
    n_rows: Optional[int] = None
    for name, col in items:
        kind, data = _column(name, col)
        if n_rows is None:
            n_rows = len(data)
        if kind == "num":
            num_names.append(name)
            nums.append(data)
        else:
            text_names.append(name)
            texts.append(data)
    return num_names, nums, text_names, texts, n_rows or 0


# ---------------------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------------------


def _plain(x: Any) -> Any:
    """JSON-ready copy of a result (numpy arrays as lists)."""
    if isinstance(x, dict):
        return {k: _plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_plain(v) for v in x]
    if isinstance(x, np.ndarray):
        return x.tolist()
    return x


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
        return json.loads(json.dumps(_plain(self._data)))

    def to_frame(self) -> Any:
        """The main table of the result as a pandas (or polars) DataFrame."""
        rows = self._data.get(self._table) or []
        keys: List[str] = list(rows[0].keys()) if rows else []
        return _frame({k: [r.get(k) for r in rows] for k in keys})

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}=...' for k in self._data)})"


def _first_bits(masks: np.ndarray) -> np.ndarray:
    """Index of the lowest set bit of each (non-zero) uint64 mask."""
    low = masks & (~masks + np.uint64(1))  # isolates the lowest set bit
    return np.log2(low.astype(_F64)).astype(np.int64)  # a power of two is exact in float64


class ValidationResult(QualityResult):
    """The outcome of a validation.

    ``keep`` (numpy bool: the row passes every rule), ``failed`` (numpy uint64: bit i set when the row failed
    ``rules[i]``, 0 for kept rows), ``first_rule`` (numpy int64: index into ``rules`` of the first failed
    rule in declared order, -1 for kept rows), ``rules``, ``n_rows``, ``n_kept``, ``n_excluded``, ``totals``
    (by rule: ``n_failed``, ``n_excluded`` as first rule, speeder ``median`` and ``threshold``),
    ``attribution``, ``rule_set``, ``rule_set_version``. The readable account (``excluded``,
    ``excluded_frame()``, ``to_dict()``) is built from ``failed`` when first asked for.
    ``to_frame()`` gives the totals table.
    """

    _table = "totals"

    @property
    def keep(self) -> np.ndarray:
        """The keep mask (numpy bool, the core's vector itself)."""
        return self._data["keep"]  # type: ignore[no-any-return]

    @property
    def failed(self) -> np.ndarray:
        """Per row, the bit set of failed rules (numpy uint64; bit i = ``rules[i]``)."""
        return self._data["failed"]  # type: ignore[no-any-return]

    @property
    def excluded_rows(self) -> np.ndarray:
        """Indices of the excluded rows (numpy int64, ascending)."""
        return np.flatnonzero(self._data["failed"])

    @property
    def first_rule(self) -> np.ndarray:
        """Per row, the index into ``rules`` of the first failed rule (numpy int64), -1 for kept rows."""
        failed = self._data["failed"]
        out = np.full(failed.shape[0], -1, dtype=np.int64)
        rows = np.flatnonzero(failed)
        out[rows] = _first_bits(failed[rows])
        return out

    @property
    def excluded(self) -> List[Dict[str, Any]]:
        """Every excluded row: ``row``, ``first_rule`` and every ``failed`` rule (ids, declared order)."""
        cached = self.__dict__.get("_excluded")
        if cached is None:
            cached = self._account()
            self.__dict__["_excluded"] = cached
        return cached  # type: ignore[no-any-return]

    def _account(self) -> List[Dict[str, Any]]:
        failed = self._data["failed"]
        rules: List[str] = list(self._data["rules"])
        rows = np.flatnonzero(failed)
        masks = failed[rows]
        uniq, inv = np.unique(masks, return_inverse=True)
        per_mask = []
        for m in uniq.tolist():
            ids = [rules[i] for i in range(len(rules)) if (m >> i) & 1]
            per_mask.append((ids[0], ids))
        return [{"row": r, "first_rule": per_mask[k][0], "failed": list(per_mask[k][1])}
                for r, k in zip(rows.tolist(), inv.reshape(-1).tolist())]

    def excluded_frame(self) -> Any:
        """The excluded rows as a DataFrame: ``row``, ``first_rule``, ``failed`` (comma-separated ids)."""
        failed = self._data["failed"]
        rules: List[str] = list(self._data["rules"])
        rows = np.flatnonzero(failed)
        uniq, inv = np.unique(failed[rows], return_inverse=True)
        inv = inv.reshape(-1)
        firsts = np.array([rules[int(i)] for i in _first_bits(uniq)], dtype=object)
        lists = np.array([",".join(rules[i] for i in range(len(rules)) if (m >> i) & 1) for m in uniq.tolist()],
                         dtype=object)
        return _frame({"row": rows, "first_rule": firsts[inv] if len(rows) else [],
                       "failed": lists[inv] if len(rows) else []})

    def to_dict(self) -> Dict[str, Any]:
        """The readable report as a plain dict (the core's ``ValidationReport``: ``keep`` as a list of bools,
        ``excluded`` with every excluded row)."""
        d = self._data
        return json.loads(json.dumps({
            "rule_set": d["rule_set"], "rule_set_version": d["rule_set_version"], "rules": list(d["rules"]),
            "n_rows": d["n_rows"], "n_kept": d["n_kept"], "n_excluded": d["n_excluded"],
            "keep": d["keep"].tolist(), "excluded": self.excluded, "totals": d["totals"],
            "attribution": d["attribution"]}))

    def __repr__(self) -> str:
        d = self._data
        return f"ValidationResult(n_rows={d['n_rows']}, n_kept={d['n_kept']}, n_excluded={d['n_excluded']})"


# ---------------------------------------------------------------------------------------------------------
# Documents
# ---------------------------------------------------------------------------------------------------------


def _text_format(text: str) -> str:
    return "json" if text.lstrip().startswith("{") else "toml"


def _rules_doc(doc: Any) -> Dict[str, Any]:
    if isinstance(doc, RuleSet):
        return doc._doc
    if isinstance(doc, str):
        return dict(_cxkpi.quality_rules_from_text(doc, _text_format(doc)))
    return dict(_cxkpi.quality_rules_check(dict(doc)))


class RuleSet:
    """A validation rule set (dict, JSON or TOML text; format in docs/data-quality.md)."""

    def __init__(self, doc: Any) -> None:
        self._doc = _rules_doc(doc)

    @classmethod
    def from_dict(cls, doc: Mapping[str, Any]) -> "RuleSet":
        return cls(dict(doc))

    @classmethod
    def from_json(cls, text: str) -> "RuleSet":
        rs = cls.__new__(cls)
        rs._doc = dict(_cxkpi.quality_rules_from_text(text, "json"))
        return rs

    @classmethod
    def from_toml(cls, text: str) -> "RuleSet":
        rs = cls.__new__(cls)
        rs._doc = dict(_cxkpi.quality_rules_from_text(text, "toml"))
        return rs

    @property
    def ids(self) -> List[str]:
        """Rule ids in declared order (bit i of ``ValidationResult.failed`` is ``ids[i]``)."""
        return [r["id"] for r in self._doc["rules"]]

    def to_dict(self) -> Dict[str, Any]:
        return json.loads(json.dumps(self._doc))

    def validate(self, columns: Any) -> ValidationResult:
        """Applies the rules to ``columns`` (a dict of columns or a pandas/polars DataFrame)."""
        num_names, nums, text_names, texts, n_rows = _columns(columns)
        return ValidationResult(dict(_cxkpi.quality_validate(self._doc, num_names, nums, text_names, texts,
                                                             n_rows)))

    def __repr__(self) -> str:
        return f"RuleSet(id={self._doc.get('id')!r}, rules={self.ids})"


def validate_responses(rules: Any, columns: Any) -> ValidationResult:
    """Applies a rule set (RuleSet, dict, JSON or TOML text) to columns."""
    rs = rules if isinstance(rules, RuleSet) else RuleSet(rules)
    return rs.validate(columns)


class SuppressionResult(QualityResult):
    """Cell statuses (``published``, ``primary``, ``complementary``) of a suppressed table."""

    def to_frame(self) -> Any:
        cells = self._data["cells"]
        return _frame({f"col{j}": [row[j] for row in cells] for j in range(len(cells[0]))})


def _counts(counts: Any) -> Tuple[Optional[np.ndarray], List[np.ndarray]]:
    """A one-way table as one float64 array, or a two-way table as its rows (float64 arrays)."""
    mod = _module_name(counts)
    if mod == "pandas" and hasattr(counts, "to_numpy"):
        counts = counts.to_numpy(dtype=_F64, na_value=np.nan)
    elif mod == "polars" and hasattr(counts, "to_numpy"):
        counts = counts.to_numpy()
    if isinstance(counts, np.ndarray):
        if counts.ndim == 2:
            arr = np.ascontiguousarray(counts, dtype=_F64)
            return None, [arr[i] for i in range(arr.shape[0])]
        if counts.ndim != 1:
            raise invalid_argument("counts", f"must be a list or a list of rows, got shape {counts.shape}")
        return as_f64(counts, "counts"), []
    items = list(counts)
    if items and (isinstance(items[0], (list, tuple, np.ndarray)) or _module_name(items[0]) in ("pandas", "polars")):
        return None, [as_f64(r, f"counts[{i}]") for i, r in enumerate(items)]
    return as_f64(items, "counts"), []


def suppress(counts: Any, min_group_size: int = 10, complementary: bool = True, zero_cells: str = "safe") -> SuppressionResult:
    """Minimum group size with complementary suppression: ``counts`` a list / 1-D array (one-way table) or
    a list of rows / 2-D array / DataFrame (two-way table, published with its margins)."""
    one, rows = _counts(counts)
    opts = {"min_group_size": min_group_size, "complementary": complementary, "zero_cells": zero_cells}
    if one is not None:
        return SuppressionResult(dict(_cxkpi.quality_suppress_one_way(one, opts)))
    return SuppressionResult(dict(_cxkpi.quality_suppress_two_way(rows, opts)))


def _policy_doc(doc: Any) -> Dict[str, Any]:
    if isinstance(doc, ViewPolicy):
        return doc._doc
    if isinstance(doc, str):
        return dict(_cxkpi.quality_view_policy_from_text(doc, _text_format(doc)))
    return dict(_cxkpi.quality_view_policy_check(dict(doc)))


class ViewPolicy:
    """A role-based view policy (dict, JSON or TOML): roles -> grouping levels and fields."""

    def __init__(self, doc: Any) -> None:
        self._doc = _policy_doc(doc)

    def to_dict(self) -> Dict[str, Any]:
        return json.loads(json.dumps(self._doc))

    def evaluate(self, role: str, level: str, fields: Sequence[str] = ()) -> Dict[str, Any]:
        """What ``role`` may see of ``fields`` at ``level``; an unknown role raises InvalidArgumentError."""
        return dict(_cxkpi.quality_view_policy_evaluate(self._doc, role, level, [str(f) for f in fields]))


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
    """Compares two sources of a KPI per period and group (records ``period, group, value, n, se``; lists of
    dicts or DataFrames)."""
    opts: Dict[str, Any] = {"kind": kind, "tolerance": tolerance, "alpha": alpha, "share_test": share_test,
                            "rule": rule}
    if periods is not None:
        opts["periods"] = list(periods)
    return Reconciliation(dict(_cxkpi.quality_reconcile(_records(a), _records(b), opts)))
