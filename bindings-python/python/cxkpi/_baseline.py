"""Daily series, seasonal decomposition, baselines with event calendars, level shifts and the significance of a
period-over-period move (core module ``cxkpi::baseline``).

Every function runs the Rust core, so the numbers are bit-identical to Rust and Node. Value columns are
float64 (numpy arrays are borrowed without a copy; lists, pandas and polars columns are converted once);
NaN marks a missing day. Dates may be numpy ``datetime64[D]``, ``datetime.date`` objects, pandas timestamps or
ISO ``YYYY-MM-DD`` strings. Results are :class:`SeriesResult` objects: the core's fields as attributes,
``to_dict()`` (exactly the core's fields) and ``to_frame()`` (a pandas DataFrame of the per-day columns).
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

import numpy as np

from . import _cxkpi
from ._convert import as_f64, invalid_argument
from ._results import _Result

__all__ = [
    "SeriesResult",
    "aggregate_daily",
    "baseline",
    "daily_series",
    "decompose",
    "detect_changes",
    "event_calendar",
    "mstl",
    "period_move",
    "period_move_from_values",
    "stl",
    "stl_batch",
]

DateLike = Union[str, _dt.date, np.datetime64, Any]


class SeriesResult(_Result):
    """A baseline-module result: the core's fields as attributes (``r.trend``, ``r.expected``...),
    ``to_dict()`` and ``to_frame()``; ``r["field"]`` works too."""

    __slots__ = ("_kind",)

    def __init__(self, data: Dict[str, Any], kind: str = "series") -> None:
        super().__init__(data)
        self._kind = kind

    def __getattr__(self, name: str) -> Any:
        try:
            return self._d[name]
        except KeyError:
            raise AttributeError(f"{self._kind} result has no field {name!r}") from None

    def __reduce__(self) -> Tuple[Any, Tuple[Dict[str, Any], str]]:  # type: ignore[override]
        return (type(self), (self._d, self._kind))

    def to_dict(self) -> Dict[str, Any]:
        """The result's fields as a plain dict (numpy component arrays of STL results as lists of floats)."""
        return {k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in self._d.items()}

    def __repr__(self) -> str:
        keys = [k for k, v in self._d.items() if isinstance(v, (int, float, str)) and not isinstance(v, bool)]
        shown = ", ".join(f"{k}={self._d[k]!r}" for k in keys[:6])
        return f"SeriesResult[{self._kind}]({shown})"

    def to_frame(self) -> Any:
        """The per-day columns as a pandas DataFrame (one row per day; a ``date`` column when the result has a
        start date; MSTL seasonal components as ``seasonal_<period>``; change detection: the segments)."""
        import pandas as pd

        # numpy component arrays (STL) count as per-day columns like lists do.
        d = {k: (list(v) if isinstance(v, np.ndarray) else v) for k, v in self._d.items()}
        if self._kind == "detect_changes":
            return pd.DataFrame(d["segments"])
        cols: Dict[str, Any] = {}
        if self._kind == "mstl":
            for p, s in zip(d["periods"], d["seasonal"]):
                cols[f"seasonal_{p}"] = np.asarray(s, dtype=np.float64)
        n = max((len(v) for v in d.values() if isinstance(v, list) and v and not isinstance(v[0], (list, dict))), default=0)
        for k, v in d.items():
            if k in cols or not isinstance(v, list) or len(v) != n or (v and isinstance(v[0], (list, dict))):
                continue
            if k in ("interpolated",):
                continue
            cols[k] = v
        if self._kind == "aggregate_daily":
            s = d["series"]
            cols = {"value": [np.nan if x is None else x for x in s["values"]], "n": d["n"]}
            n = len(s["values"])
            start = s["start"]
        else:
            start = d.get("start")
        frame = pd.DataFrame(cols)
        if start is not None and n:
            frame.insert(0, "date", pd.date_range(start=start, periods=n, freq="D"))
        return frame


def _iso(d: DateLike, arg: str = "start") -> str:
    """A single date as ISO ``YYYY-MM-DD``."""
    if isinstance(d, str):
        return d
    if isinstance(d, _dt.datetime):
        return d.date().isoformat()
    if isinstance(d, _dt.date):
        return d.isoformat()
    if isinstance(d, np.datetime64):
        return str(d.astype("datetime64[D]"))
    if hasattr(d, "date") and callable(d.date):  # pandas Timestamp
        return d.date().isoformat()  # type: ignore[no-any-return]
    raise invalid_argument(arg, f"must be a date, datetime64 or YYYY-MM-DD string, got {type(d).__name__}")


def _days(dates: Any, arg: str = "dates") -> np.ndarray:
    """Dates as int64 days since 1970-01-01 (numpy datetime64[D], date objects, ISO strings, pandas, polars)."""
    mod = type(dates).__module__.split(".")[0]
    if mod == "polars":
        dates = dates.to_numpy()
    try:
        arr = np.asarray(dates)
        if arr.dtype.kind not in "M":
            arr = np.array([_iso(x, arg) if not isinstance(x, str) else x for x in arr.ravel().tolist()], dtype="datetime64[D]")
        arr = arr.astype("datetime64[D]")
    except (TypeError, ValueError) as e:
        raise invalid_argument(arg, f"must be dates ({e})") from None
    if arr.ndim != 1:
        raise invalid_argument(arg, f"must be 1-D, got shape {arr.shape}")
    nat = np.isnat(arr)
    if nat.any():
        raise invalid_argument(arg, f"element {int(np.argmax(nat))} is not a date (NaT)")
    return np.ascontiguousarray(arr.astype(np.int64))


def _events(events: Any) -> Any:
    """An event calendar with dates turned into ISO strings ({"events": [...]} or a list of events)."""
    if events is None:
        return None

    def conv(e: Any) -> Any:
        if isinstance(e, Mapping):
            return {k: (_iso(v, f"events.{k}") if k in ("start", "end") and not isinstance(v, str) else v) for k, v in e.items()}
        return e

    if isinstance(events, Mapping):
        out = dict(events)
        if "events" in out and isinstance(out["events"], (list, tuple)):
            out["events"] = [conv(e) for e in out["events"]]
        return out
    return [conv(e) for e in events]


def _opts(**kw: Any) -> Dict[str, Any]:
    return {k: v for k, v in kw.items() if v is not None}


def stl(values: Any, period: int = 7, *, preset: str = "statsmodels", missing: str = "error", **params: Any) -> SeriesResult:
    """STL decomposition (Cleveland et al. 1990) with the ``r_stl`` (R ``stl``) or ``statsmodels`` preset.

    ``params``: ``seasonal_length``, ``periodic``, ``trend_length``, ``low_pass_length``, ``seasonal_degree``,
    ``trend_degree``, ``low_pass_degree``, ``seasonal_jump``, ``trend_jump``, ``low_pass_jump``,
    ``inner_loops``, ``outer_loops``, ``robust``; unset ones take the preset's defaults (recorded in
    ``parameters``). ``missing``: ``"error"`` or ``"interpolate_linear"``. The components ``seasonal``,
    ``trend``, ``remainder`` and ``weights`` are float64 numpy arrays (``to_dict()`` gives them as lists).
    """
    o = _opts(period=period, preset=preset, missing=missing, **params)
    return SeriesResult(_cxkpi.baseline_stl(as_f64(values), o), "stl")


def stl_batch(series: Sequence[Any], period: int = 7, *, preset: str = "statsmodels", missing: str = "error", **params: Any) -> List[SeriesResult]:
    """STL of many series with the same options, run in parallel across series (each result equals :func:`stl`;
    components as numpy arrays). The series are read in place (float64 arrays are not copied)."""
    cols = [as_f64(s, f"series[{i}]") for i, s in enumerate(series)]
    o = _opts(period=period, preset=preset, missing=missing, **params)
    return [SeriesResult(r, "stl") for r in _cxkpi.baseline_stl_batch(cols, o)]


def mstl(values: Any, periods: Sequence[int] = (7,), *, windows: Optional[Sequence[int]] = None, iterations: int = 2,
         lmbda: Optional[float] = None, stl: Optional[Mapping[str, Any]] = None) -> SeriesResult:
    """MSTL (statsmodels ``MSTL`` conventions: periods sorted, windows ``7 + 4 i``, ``iterations`` backfitting
    rounds, optional Box-Cox ``lmbda``); ``stl`` holds STL options for every component."""
    o = _opts(periods=list(periods), windows=list(windows) if windows is not None else None, iterations=iterations,
              **{"lambda": lmbda}, stl=dict(stl) if stl is not None else None)
    return SeriesResult(_cxkpi.baseline_mstl(as_f64(values), o), "mstl")


def decompose(values: Any, period: int = 7, *, model: str = "additive", missing: str = "error") -> SeriesResult:
    """Classical decomposition by centred moving averages (R ``decompose`` / statsmodels ``seasonal_decompose``);
    ``model``: ``"additive"`` or ``"multiplicative"``; ``missing``: ``"error"`` or ``"interpolate_linear"``."""
    return SeriesResult(_cxkpi.baseline_decompose(as_f64(values), _opts(period=period, model=model, missing=missing)), "decompose")


def baseline(values: Any, start: DateLike, *, events: Any = None, method: str = "rolling_mean", window: int = 28,
             min_periods: Optional[int] = None, lmbda: float = 0.2, period: int = 7, k: float = 2.0,
             band: Optional[str] = None, stl: Optional[Mapping[str, Any]] = None, series: Optional[str] = None) -> SeriesResult:
    """Expected values with a band; event windows left out per their policy, with a counterfactual impact.

    ``method``: ``rolling_mean``, ``rolling_median``, ``ewma`` (``lmbda``), ``seasonal_naive`` (``period``) or
    ``stl``. ``band``: ``rolling_sd``, ``error_sd`` or ``residual_sd`` (default per method). ``events``: a list of
    ``{"name", "kind", "start", "end", "policy"?}`` or ``{"events": [...]}``; kinds ``launch``, ``pr_crisis``,
    ``outage``, ``holiday``, ``instrument_change``; policies ``exclude``, ``level_shift``, ``reset``, ``include``.
    """
    o = _opts(method=method, window=window, min_periods=min_periods, k=k, period=period, band=band,
              stl=dict(stl) if stl is not None else None, series=series, **{"lambda": lmbda})
    return SeriesResult(_cxkpi.baseline_expected(as_f64(values), _iso(start), _events(events), o), "baseline")


def event_calendar(events: Any) -> Dict[str, Any]:
    """Validates an event calendar and returns it with every event's effective policy filled in."""
    return _cxkpi.baseline_event_calendar(_events(events))  # type: ignore[no-any-return]


def detect_changes(values: Any, *, method: str = "pelt", penalty: str = "bic", penalty_value: Optional[float] = None,
                   sigma: Optional[float] = None, min_size: int = 2, max_changes: int = 10, persist_days: int = 7,
                   alpha: float = 0.05, power: float = 0.8, series: Optional[str] = None,
                   missing: str = "error") -> SeriesResult:
    """Level shifts: ``least_squares`` (one change), ``binary_segmentation`` or ``pelt``, penalty ``bic``,
    ``mbic`` or ``manual`` (``penalty_value``); confirmed shifts (persist ``persist_days`` and exceed the minimal
    detectable change at ``alpha``/``power``) come back as ``signals`` (rule ``level_shift``)."""
    o = _opts(method=method, penalty=penalty, penalty_value=penalty_value, sigma=sigma, min_size=min_size,
              max_changes=max_changes, persist_days=persist_days, alpha=alpha, power=power, series=series, missing=missing)
    return SeriesResult(_cxkpi.baseline_detect_changes(as_f64(values), o), "detect_changes")


def _summary(x: Any, arg: str) -> Dict[str, Any]:
    if isinstance(x, Mapping):
        return {"estimate": x["estimate"], "se": x["se"], "n": x["n"]}
    if isinstance(x, (tuple, list)) and len(x) == 3:
        return {"estimate": x[0], "se": x[1], "n": x[2]}
    if all(hasattr(x, a) for a in ("estimate", "se", "n")):
        return {"estimate": x.estimate, "se": x.se, "n": x.n}
    raise invalid_argument(arg, "must be {estimate, se, n} (a mapping, a 3-tuple or an object with those attributes)")


def period_move(before: Any, after: Any, *, alpha: float = 0.05, power: float = 0.8, units: str = "points") -> SeriesResult:
    """Significance of the move from ``before`` to ``after``, each ``{estimate, se, n}``: the move, its SE
    (√(se₁² + se₂²)), z, the two-sided p, the minimal detectable change ``(z_{1-α/2} + z_power)·SE`` and a
    sentence (``words``), e.g. ``"within noise at n = 600 per period (...)"``."""
    o = {"alpha": alpha, "power": power, "units": units}
    return SeriesResult(_cxkpi.baseline_period_move(_summary(before, "before"), _summary(after, "after"), o), "period_move")


def period_move_from_values(before: Any, after: Any, *, alpha: float = 0.05, power: float = 0.8, units: str = "points") -> SeriesResult:
    """:func:`period_move` from the raw values of each period (mean and s/√n; NaN skipped)."""
    o = {"alpha": alpha, "power": power, "units": units}
    return SeriesResult(_cxkpi.baseline_period_move_from_values(as_f64(before, "before"), as_f64(after, "after"), o), "period_move")


def aggregate_daily(dates: Any, values: Any, stat: str = "mean") -> SeriesResult:
    """Row-level answers to one value per day (``stat``: ``mean``, ``sum``, ``count``, ``nps``, ``top_box``);
    days without answers are missing (``None``), NaN answers are skipped and counted."""
    return SeriesResult(_cxkpi.baseline_aggregate_daily(_days(dates), as_f64(values), stat), "aggregate_daily")


def daily_series(dates: Any, values: Any) -> SeriesResult:
    """A daily series from (date, value) pairs in any order: gaps reported, duplicate dates refused."""
    return SeriesResult(_cxkpi.baseline_daily_series(_days(dates), as_f64(values)), "daily_series")
