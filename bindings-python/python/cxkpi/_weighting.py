"""Survey weighting: raking, calibration, post-stratification, trimming and weight diagnostics.

The functions take the respondents as a table (pandas or polars DataFrame, or a dict of columns) and the
population targets as a dict keyed by variable. Only the variables named in the targets are used, in the
targets' order. Each variable's levels are the keys of its targets, in their given order (explicit and stable:
never sorted, never inferred from the data); every value of the column is mapped to its level's code once,
vectorised (pandas: ``Index.get_indexer``, mapped once per category for a Categorical; polars:
``replace_strict``; numpy: ``searchsorted``), and the uint32 code columns go to the Rust core without a copy.

A value with no target level gets the code "number of levels", which the core rejects (``out_of_scale`` with
the row); this module then restates the error with the variable's name, the row and the value itself. Other
core errors that point at a variable or level by position are restated with the names too.
"""

from __future__ import annotations

import math
import re
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple

import numpy as np

from . import _cxkpi
from ._convert import _module_name, as_f64, as_f64_opt, invalid_argument
from ._results import TrimResult, WeightDiagnostics, WeightingResult

__all__ = ["calibrate", "poststratify", "rake", "trim_weights", "weight_diagnostics"]

_U32 = np.dtype(np.uint32)


def _opts(**kw: Any) -> Dict[str, Any]:
    return {k: v for k, v in kw.items() if v is not None}


def _pair(value: Any, arg: str) -> Optional[List[float]]:
    """(lower, upper) as a list of two floats (the core validates the numbers)."""
    if value is None:
        return None
    try:
        lo, hi = value
        return [float(lo), float(hi)]
    except (TypeError, ValueError):
        raise invalid_argument(arg, f"must be a pair (lower, upper), got {value!r}") from None


# ---------------------------------------------------------------------------------------------------------
# Targets: {variable: {level: target}} -> level labels + float64 targets
# ---------------------------------------------------------------------------------------------------------


def _is_missing(v: Any) -> bool:
    if v is None:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    return _module_name(v) == "pandas" and type(v).__name__ in ("NAType", "NaTType")


def _scalar(v: Any) -> Any:
    """numpy scalars as Python scalars (labels are shown and compared as Python values)."""
    item = getattr(v, "item", None)
    if item is not None and _module_name(v) == "numpy":
        return item()
    return v


def _level_targets(name: Any, spec: Any) -> Tuple[List[Any], np.ndarray]:
    """The levels (in order) and targets of one variable.

    spec: a mapping {level: target} (levels = its keys, in order), a pandas Series (levels = its index), or
    a list / tuple / numpy array / polars Series (levels = the integer codes 0..L-1).
    """
    arg = f"targets[{name!r}]"
    mod = _module_name(spec)
    if isinstance(spec, Mapping):
        levels = [_scalar(k) for k in spec.keys()]
        values: Any = list(spec.values())
    elif mod == "pandas" and type(spec).__name__ == "Series":
        levels = [_scalar(k) for k in spec.index.tolist()]
        values = spec
    elif isinstance(spec, (list, tuple, np.ndarray)) or (mod == "polars" and type(spec).__name__ == "Series"):
        values = spec
        levels = list(range(len(spec)))
    else:
        raise TypeError(
            f"{arg} must be a dict {{level: target}}, a pandas Series indexed by level, or a list/array of "
            f"targets for the codes 0..L-1; got {type(spec).__name__}"
        )
    for lv in levels:
        if _is_missing(lv):
            raise invalid_argument(arg, "a level label cannot be missing (None/NaN); give missing answers a label")
    try:
        unique = len(set(levels)) == len(levels)
    except TypeError:
        raise invalid_argument(arg, "level labels must be hashable (str, int, ...)") from None
    if not unique:
        dup = next(lv for i, lv in enumerate(levels) if lv in levels[:i])
        raise invalid_argument(arg, f"level {dup!r} appears twice")
    return levels, as_f64(values, arg)


# ---------------------------------------------------------------------------------------------------------
# Data: columns -> uint32 codes by the targets' level order
# ---------------------------------------------------------------------------------------------------------


def _column(data: Any, name: Any) -> Any:
    mod = _module_name(data)
    kind = type(data).__name__
    if mod == "pandas" and kind == "DataFrame":
        if name not in data.columns:
            raise invalid_argument("targets", f"variable {name!r} is not a column of data ({list(data.columns)})")
        return data[name]
    if mod == "polars" and kind == "DataFrame":
        if name not in data.columns:
            raise invalid_argument("targets", f"variable {name!r} is not a column of data ({data.columns})")
        return data.get_column(name)
    if mod == "polars" and kind == "LazyFrame":
        raise TypeError("data is a polars LazyFrame: collect() it (or select the weighting columns) first")
    if isinstance(data, Mapping):
        if name not in data:
            raise invalid_argument("targets", f"variable {name!r} is not a column of data ({list(data)})")
        return data[name]
    raise TypeError(f"data must be a pandas or polars DataFrame or a dict of columns, got {type(data).__name__}")


def _level_array(levels: List[Any]) -> Optional[np.ndarray]:
    """The levels as a numpy array when they are all text or all numbers (else None: no vectorised path)."""
    if levels and all(isinstance(v, str) for v in levels):
        return np.array(levels, dtype=str)
    if levels and all(isinstance(v, (bool, int, float, np.number, np.bool_)) for v in levels):
        arr = np.asarray(levels)
        return arr if arr.dtype.kind in "biuf" else None
    return None


def _codes_lookup(items: Sequence[Any], levels: List[Any]) -> np.ndarray:
    """Per-value dict lookup (object columns without pandas); a value with no level gets len(levels)."""
    index = {lv: i for i, lv in enumerate(levels)}
    n_levels = len(levels)

    def code(v: Any) -> int:
        try:
            return index.get(v, n_levels)
        except TypeError:  # unhashable value
            return n_levels

    return np.fromiter((code(v) for v in items), dtype=_U32, count=len(items))


def _codes_numpy(arr: np.ndarray, levels: List[Any]) -> np.ndarray:
    n_levels = len(levels)
    if n_levels == 0:
        return np.zeros(arr.shape[0], dtype=_U32)
    lv = _level_array(levels)
    # Fast path: integer codes whose levels are 0..L-1 in order are the codes themselves (a uint32 column
    # goes to the core without a copy; a value >= L is reported by the core with its row).
    if arr.dtype.kind in "ui" and lv is not None and lv.dtype.kind in "iu" and np.array_equal(lv, np.arange(n_levels)):
        if arr.dtype == _U32 and arr.flags.c_contiguous:
            return arr
        if arr.dtype.kind == "i" and arr.size and arr.min() < 0:
            return np.ascontiguousarray(np.where(arr < 0, n_levels, arr), dtype=_U32)
        return np.ascontiguousarray(arr, dtype=_U32)
    same_kind = lv is not None and (
        (arr.dtype.kind == "U" and lv.dtype.kind == "U") or (arr.dtype.kind in "biuf" and lv.dtype.kind in "biuf")
    )
    if lv is not None and same_kind:
        order = np.argsort(lv, kind="stable")
        ordered = lv[order]
        pos = np.minimum(np.searchsorted(ordered, arr), n_levels - 1)
        hit = ordered[pos] == arr
        return np.ascontiguousarray(np.where(hit, order[pos], n_levels), dtype=_U32)
    if arr.dtype.kind == "O":
        try:
            import pandas as pd  # type: ignore[import-untyped,unused-ignore]
        except ImportError:
            return _codes_lookup(arr.tolist(), levels)
        return _codes_pandas_values(pd, arr, levels)
    # Text column with numeric levels or the reverse: nothing matches (the core reports the first row).
    return np.full(arr.shape[0], n_levels, dtype=_U32)


def _codes_pandas_values(pd: Any, values: Any, levels: List[Any]) -> np.ndarray:
    pos = np.asarray(pd.Index(levels, dtype=object).get_indexer(values))
    return np.ascontiguousarray(np.where(pos < 0, len(levels), pos), dtype=_U32)


def _codes_pandas(col: Any, levels: List[Any]) -> np.ndarray:
    import pandas as pd  # type: ignore[import-untyped,unused-ignore]

    n_levels = len(levels)
    dtype = getattr(col, "dtype", None)
    if isinstance(dtype, pd.CategoricalDtype):
        cat = col.array if isinstance(col, (pd.Series, pd.Index)) else col
        # One lookup per category, then a gather: the rows are never hashed.
        per_cat = np.asarray(pd.Index(levels, dtype=object).get_indexer(cat.categories))
        per_cat = np.append(np.where(per_cat < 0, n_levels, per_cat), n_levels)  # code -1 (missing) -> last
        return np.ascontiguousarray(per_cat[np.asarray(cat.codes)], dtype=_U32)
    if dtype is not None and getattr(dtype, "kind", "O") in "biuf" and isinstance(col, (pd.Series, pd.Index)):
        if not getattr(col, "hasnans", False) and type(dtype).__module__.startswith("numpy"):
            return _codes_numpy(col.to_numpy(), levels)
    return _codes_pandas_values(pd, col, levels)


def _codes_polars(col: Any, levels: List[Any]) -> np.ndarray:
    import polars as pl

    n_levels = len(levels)
    s = col.cast(pl.Utf8) if isinstance(col.dtype, (pl.Categorical, pl.Enum)) else col
    try:
        codes = s.replace_strict(levels, list(range(n_levels)), default=n_levels, return_dtype=pl.UInt32)
        return np.ascontiguousarray(codes.fill_null(n_levels).to_numpy(), dtype=_U32)
    except Exception:  # labels of another type than the column (polars raises its own errors)
        return _codes_lookup(s.to_list(), levels)


def _codes(col: Any, levels: List[Any]) -> np.ndarray:
    """uint32 codes of a column by the given level order; a value with no level gets len(levels)."""
    mod = _module_name(col)
    if mod == "pandas":
        return _codes_pandas(col, levels)
    if mod == "polars":
        return _codes_polars(col, levels)
    arr = col if isinstance(col, np.ndarray) else np.asarray(col if isinstance(col, (list, tuple)) else list(col))
    if arr.ndim != 1:
        raise TypeError(f"a weighting column must be 1-D, got shape {arr.shape}")
    if arr.dtype.kind == "S":
        arr = arr.astype(str)
    return _codes_numpy(arr, levels)


def _value_at(col: Any, i: int) -> Any:
    """The original value of row i of a column (for error messages)."""
    try:
        if _module_name(col) == "pandas" and hasattr(col, "iloc"):
            v = col.iloc[i]
        else:
            v = col[i]
    except Exception:
        return None
    return _scalar(v)


# ---------------------------------------------------------------------------------------------------------
# Errors: restate positions (variable v, level l, cell k) with names
# ---------------------------------------------------------------------------------------------------------


class _Names:
    """What the core's positions mean: variable names, level labels, the columns, and for post-stratification
    the crossed cells."""

    def __init__(self, names: List[Any], levels: List[List[Any]], columns: List[Any], crossed: bool) -> None:
        self.names = names
        self.levels = levels
        self.columns = columns
        self.crossed = crossed

    def var(self, v: int) -> Optional[Any]:
        return self.names[v] if 0 <= v < len(self.names) else None

    def label(self, v: int, level: int) -> Optional[Any]:
        if 0 <= v < len(self.levels) and 0 <= level < len(self.levels[v]):
            return self.levels[v][level]
        return None

    def cell(self, k: int) -> Optional[Any]:
        sizes = [len(lv) for lv in self.levels]
        if not sizes or not 0 <= k < int(np.prod(sizes)):
            return None
        idx = []
        for size in reversed(sizes):
            idx.append(k % size)
            k //= size
        labels = tuple(self.levels[v][i] for v, i in enumerate(reversed(idx)))
        return labels[0] if len(labels) == 1 else labels

    def restate(self, text: str) -> str:
        def sub_targets(m: "re.Match[str]") -> str:
            v, lv = int(m.group(1)), int(m.group(2))
            name, label = self.var(v), self.label(v, lv)
            return m.group(0) if name is None or label is None else f"targets[{name!r}][{label!r}]"

        def sub_cell_targets(m: "re.Match[str]") -> str:
            cell = self.cell(int(m.group(1)))
            return m.group(0) if cell is None else f"targets[{cell!r}]"

        def sub_codes(m: "re.Match[str]") -> str:
            name = self.var(int(m.group(1)))
            return m.group(0) if name is None else str(name)

        def sub_level_of(m: "re.Match[str]") -> str:
            lv, v = int(m.group(1)), int(m.group(2))
            if self.crossed:
                cell = self.cell(lv)
                return m.group(0) if cell is None else f"cell {cell!r}"
            name, label = self.var(v), self.label(v, lv)
            return m.group(0) if name is None or label is None else f"level {label!r} of variable {name!r}"

        def sub_var_level(m: "re.Match[str]") -> str:
            v, lv = int(m.group(1)), int(m.group(2))
            name, label = self.var(v), self.label(v, lv)
            return m.group(0) if name is None or label is None else f"variable {name!r}, level {label!r}"

        def sub_cell(m: "re.Match[str]") -> str:
            cell = self.cell(int(m.group(1)))
            return m.group(0) if cell is None else f"cell {cell!r}"

        def sub_var(m: "re.Match[str]") -> str:
            name = self.var(int(m.group(1)))
            return m.group(0) if name is None else f"variable {name!r}"

        text = re.sub(r"targets\[(\d+)\]\[(\d+)\]", sub_targets, text)
        text = re.sub(r"cell_targets\[(\d+)\]", sub_cell_targets, text)
        text = re.sub(r"codes\[(\d+)\]", sub_codes, text)
        text = re.sub(r"level (\d+) of variable (\d+)", sub_level_of, text)
        text = re.sub(r"variable (\d+), level (\d+)", sub_var_level, text)
        if self.crossed:
            text = re.sub(r"\bcell (\d+)\b", sub_cell, text)
        else:
            text = re.sub(r"\bvariable (\d+)\b", sub_var, text)
        return text


def _restated(e: Exception, names: _Names) -> Optional[Exception]:
    """The core error `e` restated with names (None when there is nothing to restate)."""
    kind = getattr(e, "kind", None)
    details: Dict[str, Any] = dict(getattr(e, "details", None) or {})
    message = str(e)
    arg = details.get("arg")
    m = re.fullmatch(r"codes\[(\d+)\]", arg) if isinstance(arg, str) else None
    if kind == "out_of_scale" and m and details.get("index") is not None:
        v, i = int(m.group(1)), int(details["index"])
        if v < len(names.names):
            name, levels = names.names[v], names.levels[v]
            value = _value_at(names.columns[v], i)
            shown = ", ".join(repr(lv) for lv in levels[:12]) + (", ..." if len(levels) > 12 else "")
            hint = " (a missing value needs a level of its own, or drop the row)" if _is_missing(value) else ""
            message = (
                f"`{name}`[{i}] = {value!r} has no target: the levels of {name!r} are {shown}{hint}"
            )
            details.update(arg=str(name), index=i, value=value)
    else:
        new = names.restate(message)
        new_arg = names.restate(arg) if isinstance(arg, str) else arg
        if new == message and new_arg == arg:
            return None
        message = new
        details["arg"] = new_arg
    err = type(e)(message)
    err.kind = kind  # type: ignore[attr-defined]
    err.details = details  # type: ignore[attr-defined]
    return err


def _native(call: Callable[[], Dict[str, Any]], names: _Names) -> Dict[str, Any]:
    try:
        return call()
    except _cxkpi.CxkpiError as e:
        better = _restated(e, names)
        if better is None:
            raise
        raise better from None


# ---------------------------------------------------------------------------------------------------------
# Preparing a fit
# ---------------------------------------------------------------------------------------------------------


def _variables(targets: Any) -> List[Tuple[Any, Any]]:
    if isinstance(targets, Mapping):
        items = list(targets.items())
    else:
        raise TypeError(
            f"targets must be a dict {{variable: {{level: target}}}}, got {type(targets).__name__}"
        )
    if not items:
        raise invalid_argument("targets", "at least one weighting variable is needed")
    return items


def _base(data: Any, base: Any) -> Optional[np.ndarray]:
    if isinstance(base, str):
        return as_f64(_column(data, base), "base")
    return as_f64_opt(base, "base")


def _margin_inputs(
    data: Any, targets: Any, base: Any
) -> Tuple[List[np.ndarray], List[np.ndarray], Optional[np.ndarray], _Names]:
    names: List[Any] = []
    levels: List[List[Any]] = []
    columns: List[Any] = []
    codes: List[np.ndarray] = []
    values: List[np.ndarray] = []
    for name, spec in _variables(targets):
        lv, t = _level_targets(name, spec)
        col = _column(data, name)
        names.append(name)
        levels.append(lv)
        columns.append(col)
        codes.append(_codes(col, lv))
        values.append(t)
    return codes, values, _base(data, base), _Names(names, levels, columns, crossed=False)


def rake(
    data: Any,
    targets: Any,
    *,
    base: Any = None,
    tolerance: Optional[float] = None,
    max_sweeps: Optional[int] = None,
    on_nonconvergence: Optional[str] = None,
    targets_as: Optional[str] = None,
    population: Optional[float] = None,
    empty_level: Optional[str] = None,
    trim_upper: Optional[float] = None,
    trim_lower: Optional[float] = None,
    trim_relative_to_mean: Optional[bool] = None,
    max_cycles: Optional[int] = None,
) -> WeightingResult:
    """Rake (iterative proportional fitting) so that the weighted total of every level of every variable
    equals its population target.

    data: the respondents: a pandas or polars DataFrame, or a dict of columns. Only the variables named in
    ``targets`` are used, in the targets' order.
    targets: ``{variable: {level: target}}``; each variable's levels are the keys of its dict in their order
    (explicit and stable, never sorted). A pandas Series indexed by level works too, and a list / array means
    the levels are the integer codes 0..L-1. Every value of the column must be one of the levels: a value
    (or a missing value) with no target is an ``OutOfScaleError`` naming the variable, the row and the value.
    base: base (design) weights, a column or the name of a column of ``data``; default 1 for every row.
    tolerance: largest accepted relative margin error (default 1e-10).
    max_sweeps: most IPF sweeps (default 1000).
    on_nonconvergence: "error" (default: ``NotConvergedError``) or "warn" (return the weights; check
    ``status`` and ``max_rel_error``).
    targets_as: "counts" (default: population totals) or "shares" (multiplied by ``population``).
    population: population total for shares (default: the sum of the base weights, or n).
    empty_level: a target level that no respondent has: "error" (default: ``EmptyLevelError``), "collapse"
    (its target moves to the nearest earlier level with respondents, else the nearest later one) or "drop"
    (removed; every margin is rescaled and ``mass_lost`` reports the target mass removed).
    trim_upper, trim_lower: trim-then-rerake: cap (raise) the weights at these values, or at these multiples of
    the mean weight with ``trim_relative_to_mean=True``, rake again, and repeat until the margins hold and no
    weight is outside (``method == "rake_trim"``); at most ``max_cycles`` cycles (default 50), so it always
    ends (else ``NotConvergedError``, or status "max_iter" with ``on_nonconvergence="warn"``).

    The margins' totals must agree (else ``InconsistentMarginsError``).
    """
    codes, values, b, names = _margin_inputs(data, targets, base)
    opts = _opts(
        tolerance=tolerance, max_sweeps=max_sweeps, on_nonconvergence=on_nonconvergence, targets_as=targets_as,
        population=population, empty_level=empty_level, trim_upper=trim_upper, trim_lower=trim_lower,
        trim_relative_to_mean=trim_relative_to_mean, max_cycles=max_cycles,
    )
    d = _native(lambda: _cxkpi.rake(codes, values, b, opts), names)
    return WeightingResult(d, names.names, names.levels, (codes, [len(lv) for lv in names.levels], b))


def calibrate(
    data: Any,
    targets: Any,
    *,
    distance: str = "linear",
    bounds: Optional[Sequence[float]] = None,
    weight_bounds: Optional[Sequence[float]] = None,
    base: Any = None,
    tolerance: Optional[float] = None,
    max_sweeps: Optional[int] = None,
    on_nonconvergence: Optional[str] = None,
    targets_as: Optional[str] = None,
    population: Optional[float] = None,
    empty_level: Optional[str] = None,
) -> WeightingResult:
    """Calibrate (Deville & Särndal 1992) the base weights to the margins of ``targets``.

    distance: "linear" (default: GREG, g = 1 + x'λ), "raking" (g = exp(x'λ)) or "logit" (between the
    bounds; needs ``bounds`` with lower < 1 < upper), as R survey's ``calfun``.
    bounds: (lower, upper) on the adjustment g = weight / base, with 0 <= lower <= 1 <= upper; targets that
    cannot be met inside the bounds are an ``InfeasibleError``.
    weight_bounds: (lower, upper) on the final weights themselves (as R survey's ``bounds.const = TRUE``);
    may be combined with ``bounds``.
    max_sweeps: most Newton steps (default 1000).
    The other arguments are those of :func:`rake`.
    """
    codes, values, b, names = _margin_inputs(data, targets, base)
    opts = _opts(
        distance=distance, bounds=_pair(bounds, "bounds"), weight_bounds=_pair(weight_bounds, "weight_bounds"),
        tolerance=tolerance, max_sweeps=max_sweeps,
        on_nonconvergence=on_nonconvergence, targets_as=targets_as, population=population, empty_level=empty_level,
    )
    d = _native(lambda: _cxkpi.calibrate(codes, values, b, opts), names)
    return WeightingResult(d, names.names, names.levels, (codes, [len(lv) for lv in names.levels], b))


def _cells(by: List[Any], spec: Any) -> Tuple[List[List[Any]], List[Tuple[Any, ...]], np.ndarray]:
    """Crossed targets {(a, b, ...): target} -> per-variable levels (order of first appearance), the keys and
    their targets."""
    arg = "targets"
    mod = _module_name(spec)
    if isinstance(spec, Mapping):
        items = list(spec.items())
    elif mod == "pandas" and type(spec).__name__ == "Series":
        items = list(spec.items())
    else:
        raise TypeError(
            f"crossed targets must be a dict {{(level_a, level_b, ...): target}} or a pandas Series with a "
            f"MultiIndex, got {type(spec).__name__}"
        )
    k = len(by)
    keys: List[Tuple[Any, ...]] = []
    for key, _ in items:
        if k == 1 and not isinstance(key, tuple):
            key = (key,)
        if not isinstance(key, tuple) or len(key) != k:
            raise invalid_argument(arg, f"key {key!r} must be a tuple of {k} levels, one for each of {by}")
        keys.append(tuple(_scalar(x) for x in key))
    levels: List[List[Any]] = [[] for _ in by]
    seen: List[Dict[Any, int]] = [{} for _ in by]
    for key in keys:
        for v, x in enumerate(key):
            if _is_missing(x):
                raise invalid_argument(arg, f"key {key!r}: a level label cannot be missing (None/NaN)")
            try:
                if x not in seen[v]:
                    seen[v][x] = len(levels[v])
                    levels[v].append(x)
            except TypeError:
                raise invalid_argument(arg, f"key {key!r}: level labels must be hashable") from None
    if len(set(keys)) != len(keys):
        raise invalid_argument(arg, "a combination of levels appears twice")
    values = as_f64([t for _, t in items], arg)
    return levels, keys, values


def poststratify(
    data: Any,
    targets: Any,
    *,
    by: Any = None,
    base: Any = None,
    targets_as: Optional[str] = None,
    population: Optional[float] = None,
    empty_level: Optional[str] = None,
) -> WeightingResult:
    """Post-stratify: every cell of the stratification variables gets exactly its target.

    One variable: ``poststratify(df, {"North": 400, "South": 600}, by="region")``, or without ``by`` in the
    form of :func:`rake`: ``poststratify(df, {"region": {"North": 400, "South": 600}})``.
    Crossed variables: ``by=["region", "plan"]`` and targets keyed by level tuples,
    ``{("North", "basic"): 250, ("North", "pro"): 150, ...}`` (or a pandas Series with a MultiIndex). Each
    variable's levels are taken in their order of first appearance in the keys; a combination missing from
    the targets has target 0 (an error when respondents fall in it).
    ``margins`` report the marginal totals of each stratification variable. Empty cells follow
    ``empty_level`` (collapse moves a cell's target to the nearest earlier sampled cell in key order).
    The other arguments are those of :func:`rake`.
    """
    if by is None:
        items = _variables(targets)
        if len(items) != 1:
            raise invalid_argument(
                "by", "name the variables with by=[...] and key the targets by level tuples to cross several"
            )
        by_list = [items[0][0]]
        levels0, values = _level_targets(items[0][0], items[0][1])
        levels = [levels0]
        flat = values
    else:
        by_list = [by] if isinstance(by, str) or not isinstance(by, (list, tuple)) else list(by)
        if not by_list:
            raise invalid_argument("by", "at least one variable is needed")
        if len(by_list) == 1 and not (
            isinstance(targets, Mapping) and targets and all(isinstance(k, tuple) for k in targets)
        ):
            levels0, flat = _level_targets(by_list[0], targets)
            levels = [levels0]
        else:
            levels, keys, values = _cells(by_list, targets)
            sizes = [len(lv) for lv in levels]
            strides = [int(np.prod(sizes[v + 1:])) for v in range(len(sizes))]
            index = [{x: i for i, x in enumerate(lv)} for lv in levels]
            flat = np.zeros(int(np.prod(sizes)), dtype=np.float64)
            pos = [sum(index[v][x] * strides[v] for v, x in enumerate(key)) for key in keys]
            flat[pos] = values
    columns = [_column(data, name) for name in by_list]
    codes = [_codes(col, lv) for col, lv in zip(columns, levels)]
    b = _base(data, base)
    names = _Names(by_list, levels, columns, crossed=len(by_list) > 1)
    opts = _opts(targets_as=targets_as, population=population, empty_level=empty_level)
    sizes = [len(lv) for lv in levels]
    d = _native(lambda: _cxkpi.poststratify(codes, sizes, flat, b, opts), names)
    return WeightingResult(d, by_list, levels, (codes, list(sizes), b))


def trim_weights(
    weights: Any,
    *,
    upper: Optional[float] = None,
    lower: Optional[float] = None,
    relative_to_mean: bool = False,
) -> TrimResult:
    """Cap weights at ``upper`` and raise them to ``lower``, giving the difference to the units inside the
    bounds in proportion to their weights, until none is outside (the total is preserved): the trimmed
    weights are ``clip(f * w, lower, upper)`` for the one factor ``f`` that keeps the total.

    relative_to_mean: the bounds are multiples of the mean weight (e.g. ``upper=5`` caps at 5 x mean).
    Bounds that cannot hold the total (upper x n < total, lower x n > total) are an ``InfeasibleError``.
    """
    opts = _opts(upper=upper, lower=lower, relative_to_mean=bool(relative_to_mean))
    return TrimResult(_cxkpi.trim_weights(as_f64(weights, "weights"), opts))


def weight_diagnostics(weights: Any, base: Any = None) -> WeightDiagnostics:
    """Spread (min, max, ratio, quantiles, CV), Kish effective n and design effect of weights; with ``base``
    also the design effect of the adjustment weights / base."""
    return WeightDiagnostics(_cxkpi.weight_diagnostics(as_f64(weights, "weights"), as_f64_opt(base, "base")))
