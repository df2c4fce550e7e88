"""Daily series, decomposition (classical, STL, MSTL), baselines with event calendars, level shifts and
period-over-period significance (see ``_baseline.py``). Every function returns a :class:`SeriesResult` whose
attributes are the core's result fields."""

import datetime as _dt
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

import numpy as np

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
    """A baseline-module result: the core's fields as attributes, ``to_dict()`` and ``to_frame()``."""

    def __init__(self, data: Dict[str, Any], kind: str = "series") -> None: ...
    def __getattr__(self, name: str) -> Any: ...
    def __reduce__(self) -> Tuple[Any, Tuple[Dict[str, Any], str]]: ...  # type: ignore[override]
    def to_frame(self) -> Any:
        """The per-day columns as a pandas DataFrame (with a ``date`` column when the result has a start)."""

def stl(values: Any, period: int = 7, *, preset: str = "statsmodels", missing: str = "error", **params: Any) -> SeriesResult:
    """STL with the ``r_stl`` or ``statsmodels`` preset; every STL parameter can be set in ``params``."""

def stl_batch(
    series: Sequence[Any], period: int = 7, *, preset: str = "statsmodels", missing: str = "error", **params: Any
) -> List[SeriesResult]:
    """STL of many series, in parallel across series."""

def mstl(
    values: Any,
    periods: Sequence[int] = (7,),
    *,
    windows: Optional[Sequence[int]] = None,
    iterations: int = 2,
    lmbda: Optional[float] = None,
    stl: Optional[Mapping[str, Any]] = None,
) -> SeriesResult:
    """MSTL (statsmodels conventions)."""

def decompose(values: Any, period: int = 7, *, model: str = "additive", missing: str = "error") -> SeriesResult:
    """Classical additive / multiplicative decomposition (R ``decompose`` conventions)."""

def baseline(
    values: Any,
    start: DateLike,
    *,
    events: Any = None,
    method: str = "rolling_mean",
    window: int = 28,
    min_periods: Optional[int] = None,
    lmbda: float = 0.2,
    period: int = 7,
    k: float = 2.0,
    band: Optional[str] = None,
    stl: Optional[Mapping[str, Any]] = None,
    series: Optional[str] = None,
) -> SeriesResult:
    """Expected values with a band, event windows left out per policy, counterfactual impacts."""

def event_calendar(events: Any) -> Dict[str, Any]:
    """Validates an event calendar; returns it with effective policies."""

def detect_changes(
    values: Any,
    *,
    method: str = "pelt",
    penalty: str = "bic",
    penalty_value: Optional[float] = None,
    sigma: Optional[float] = None,
    min_size: int = 2,
    max_changes: int = 10,
    persist_days: int = 7,
    alpha: float = 0.05,
    power: float = 0.8,
    series: Optional[str] = None,
    missing: str = "error",
) -> SeriesResult:
    """Level shifts with the confirmation rule; confirmed shifts are ``signals``."""

def period_move(before: Any, after: Any, *, alpha: float = 0.05, power: float = 0.8, units: str = "points") -> SeriesResult:
    """Significance of a period-over-period move from two ``{estimate, se, n}`` summaries."""

def period_move_from_values(
    before: Any, after: Any, *, alpha: float = 0.05, power: float = 0.8, units: str = "points"
) -> SeriesResult:
    """:func:`period_move` from the raw values of each period."""

def aggregate_daily(dates: Any, values: Any, stat: str = "mean") -> SeriesResult:
    """Row-level answers to one value per day (mean, sum, count, nps, top_box)."""

def daily_series(dates: Any, values: Any) -> SeriesResult:
    """A daily series from (date, value) pairs: gaps reported, duplicates refused."""
