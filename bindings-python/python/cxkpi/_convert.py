"""Input conversion: turn user columns into what the native module borrows without a copy.

A C-contiguous 1-D numpy float64 array is passed through untouched (the native module borrows its buffer, no
copy). Anything else (lists, tuples, other dtypes, pandas Series including nullable ``Int64``/``Float64``
with ``pd.NA``, polars Series with nulls) is converted exactly once with ``np.asarray(..., dtype=float64)``,
missing values becoming NaN.
"""

from __future__ import annotations

import math
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np

_F64 = np.dtype(np.float64)
_U32 = np.dtype(np.uint32)
_U32_MAX = 2**32 - 1


def _module_name(obj: Any) -> str:
    return type(obj).__module__.split(".", 1)[0]


def as_f64(values: Any, arg: str = "values") -> np.ndarray:
    """Return ``values`` as a 1-D C-contiguous float64 array.

    A 1-D C-contiguous float64 ndarray is returned as the very same object (zero copy); everything else is
    converted once. Missing values (None, ``pd.NA``, polars null) become NaN.
    """
    if type(values) is np.ndarray and values.dtype == _F64 and values.ndim == 1 and values.flags.c_contiguous:
        return values
    mod = _module_name(values)
    if mod in ("polars", "pandas"):
        try:
            # polars nulls and pandas NA become NaN.
            values = _polars_to_f64(values) if mod == "polars" else _pandas_to_f64(values)
        except Exception as e:  # polars raises its own exception types
            raise invalid_argument(arg, f"must be a column of numbers ({e})") from None
    elif isinstance(values, np.ndarray) and values.dtype == object:
        values = [_none_to_nan(v) for v in values.ravel().tolist()] if values.ndim == 1 else values
    elif isinstance(values, (list, tuple)):
        values = [_none_to_nan(v) for v in values]
    try:
        arr = np.ascontiguousarray(np.asarray(values, dtype=_F64))
    except (TypeError, ValueError) as e:
        raise invalid_argument(arg, f"must be a column of numbers ({e})") from None
    if arr.ndim != 1:
        if arr.ndim == 0:
            raise TypeError(f"`{arg}` must be a 1-D column of numbers, got a scalar")
        raise TypeError(f"`{arg}` must be a 1-D column of numbers, got an array of shape {arr.shape}")
    return arr


def invalid_argument(arg: str, message: str) -> Exception:
    """An InvalidArgumentError like the core's (kind, details), for input the core never sees."""
    from ._cxkpi import InvalidArgumentError

    err = InvalidArgumentError(f"`{arg}`: {message}")
    err.kind = "invalid_argument"
    err.details = {"arg": arg, "index": None, "value": None}
    return err


def as_f64_opt(values: Any, arg: str = "weights") -> Optional[np.ndarray]:
    return None if values is None else as_f64(values, arg)


def _none_to_nan(v: Any) -> Any:
    if v is None:
        return math.nan
    if _module_name(v) == "pandas" and type(v).__name__ == "NAType":
        return math.nan
    return v


def _polars_to_f64(series: Any) -> np.ndarray:
    import polars as pl

    return series.cast(pl.Float64).to_numpy()  # type: ignore[no-any-return]


def _pandas_to_f64(values: Any) -> np.ndarray:
    # Series, Index, Categorical or a nullable extension array: to_numpy with na_value turns pd.NA into NaN.
    to_numpy = getattr(values, "to_numpy", None)
    if to_numpy is not None:
        try:
            return to_numpy(dtype=_F64, na_value=np.nan)  # type: ignore[no-any-return]
        except (TypeError, ValueError):
            pass
    return np.asarray(values, dtype=_F64)


# ----------------------------------------------------------------------------------------------------------
# Sentiment labels: numeric codes or strings
# ----------------------------------------------------------------------------------------------------------


def labels_kind(labels: Any) -> str:
    """'strings' when the column holds text labels, 'codes' when it holds numbers."""
    mod = _module_name(labels)
    if mod == "polars":
        import polars as pl

        dt = labels.dtype
        if dt == pl.Utf8 or isinstance(dt, (pl.Categorical, pl.Enum)):
            return "strings"
        return "codes"
    if mod == "pandas":
        dtype = getattr(labels, "dtype", None)
        kind = getattr(dtype, "kind", "O")
        if kind in "biuf":
            return "codes"
        if str(dtype) == "category":
            cats = labels.cat.categories if hasattr(labels, "cat") else labels.categories
            return "strings" if cats.dtype.kind in "OUS" or str(cats.dtype).startswith("str") else "codes"
        if str(dtype) in ("Int8", "Int16", "Int32", "Int64", "Float32", "Float64", "UInt8", "UInt16", "UInt32"):
            return "codes"
        return _scan_kind(labels.tolist())
    if isinstance(labels, np.ndarray):
        if labels.dtype.kind in "biuf":
            return "codes"
        if labels.dtype.kind in "US":
            return "strings"
        return _scan_kind(labels.ravel().tolist())
    return _scan_kind(list(labels))


def _scan_kind(items: Sequence[Any]) -> str:
    for v in items:
        if isinstance(v, str):
            return "strings"
    return "codes"


def as_label_strings(labels: Any) -> List[Optional[str]]:
    """Text labels as a list of str/None (missing: None, NaN, pd.NA, polars null)."""
    mod = _module_name(labels)
    if mod == "polars":
        import polars as pl

        items = labels.cast(pl.Utf8).to_list()
    elif mod == "pandas":
        items = labels.astype(object).tolist()
    elif isinstance(labels, np.ndarray):
        items = labels.ravel().tolist()
    else:
        items = list(labels)
    out: List[Optional[str]] = []
    for v in items:
        if v is None or (isinstance(v, float) and math.isnan(v)) or _none_to_nan(v) is not v:
            out.append(None)
        else:
            out.append(v if isinstance(v, str) else str(v))
    return out


# ----------------------------------------------------------------------------------------------------------
# Group keys: factorise once, keep the level labels
# ----------------------------------------------------------------------------------------------------------


def key_name(col: Any, i: int) -> str:
    name = getattr(col, "name", None)
    if isinstance(name, str) and name:
        return name
    return f"key_{i}"


def factorize(col: Any) -> Tuple[np.ndarray, Optional[List[Any]]]:
    """Codes (uint32, C-contiguous) and level labels of one key column.

    labels is None when the codes are the values themselves (non-negative integer columns); otherwise
    ``labels[code]`` is the level. Levels are ordered: by category order for pandas Categorical and polars
    Enum, by sorted value otherwise; a missing key (None/NaN/NA/null) is its own level, placed last, labelled
    None.
    """
    mod = _module_name(col)
    if mod == "pandas":
        return _factorize_pandas(col)
    if mod == "polars":
        return _factorize_polars(col)
    arr = col if isinstance(col, np.ndarray) else np.asarray(col if isinstance(col, (list, tuple)) else list(col))
    if arr.ndim != 1:
        raise TypeError(f"a key column must be 1-D, got shape {arr.shape}")
    return _factorize_numpy(arr)


def _factorize_numpy(arr: np.ndarray) -> Tuple[np.ndarray, Optional[List[Any]]]:
    if arr.dtype == _U32:
        return np.ascontiguousarray(arr), None
    if arr.dtype.kind in "iu" and arr.size > 0:
        lo, hi = int(arr.min()), int(arr.max())
        if lo >= 0 and hi <= _U32_MAX:
            return np.ascontiguousarray(arr, dtype=_U32), None
    if arr.dtype.kind in "iub" or (arr.dtype.kind in "US"):
        if arr.size == 0:
            return np.zeros(0, dtype=_U32), []
        uniq, inv = np.unique(arr, return_inverse=True)
        return np.ascontiguousarray(inv.reshape(-1), dtype=_U32), uniq.tolist()
    return _factorize_objects(arr.tolist())


def _is_missing(v: Any) -> bool:
    if v is None:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    return _module_name(v) == "pandas" and type(v).__name__ in ("NAType", "NaTType")


def _factorize_objects(items: List[Any]) -> Tuple[np.ndarray, Optional[List[Any]]]:
    present = {v for v in items if not _is_missing(v)}
    try:
        levels = sorted(present)
    except TypeError:
        levels = sorted(present, key=lambda v: (type(v).__name__, str(v)))
    index: Dict[Any, int] = {v: i for i, v in enumerate(levels)}
    missing_code = len(levels)
    codes = np.fromiter(
        (missing_code if _is_missing(v) else index[v] for v in items), dtype=_U32, count=len(items)
    )
    labels: List[Any] = list(levels)
    if len(items) and (codes == missing_code).any():
        labels.append(None)
    return codes, labels


def _factorize_pandas(col: Any) -> Tuple[np.ndarray, Optional[List[Any]]]:
    import pandas as pd  # type: ignore[import-untyped,unused-ignore]

    if isinstance(col, (pd.Series, pd.Index)) and isinstance(col.dtype, pd.CategoricalDtype):
        col = col.array if isinstance(col, pd.Index) else col.cat
        cats, codes = (col.categories, col.codes)
    elif isinstance(col, pd.Categorical):
        cats, codes = col.categories, col.codes
    else:
        dtype = getattr(col, "dtype", None)
        if dtype is not None and getattr(dtype, "kind", "O") in "iu" and not getattr(col, "hasnans", False):
            return _factorize_numpy(np.asarray(col))
        codes_arr, uniques = pd.factorize(col, sort=True, use_na_sentinel=True)
        return _with_missing_level(np.asarray(codes_arr), list(uniques))
    return _with_missing_level(np.asarray(codes), list(cats))


def _with_missing_level(codes: np.ndarray, labels: List[Any]) -> Tuple[np.ndarray, Optional[List[Any]]]:
    """-1 codes (missing) become their own last level, labelled None."""
    codes = codes.astype(np.int64, copy=False)
    if codes.size and (codes < 0).any():
        codes = np.where(codes < 0, len(labels), codes)
        labels = labels + [None]
    return np.ascontiguousarray(codes, dtype=_U32), labels


def _factorize_polars(col: Any) -> Tuple[np.ndarray, Optional[List[Any]]]:
    import polars as pl

    dt = col.dtype
    if isinstance(dt, pl.Enum):
        labels = list(dt.categories.to_list())
        phys = col.to_physical().cast(pl.Int64).fill_null(-1).to_numpy()
        return _with_missing_level(np.asarray(phys), labels)
    if dt.is_integer() and col.null_count() == 0:
        return _factorize_numpy(col.to_numpy())
    return _factorize_objects(col.cast(pl.Utf8).to_list() if isinstance(dt, pl.Categorical) else col.to_list())
