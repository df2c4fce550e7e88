"""Control charts, run rules, average run lengths and thresholds for a false-alarm budget (core modules
``cxkpi::baseline::charts``, ``rules`` and ``arl``).

Every function runs the Rust core, so the numbers are bit-identical to Rust and Node. Value columns are
float64 (numpy arrays are borrowed without a copy; lists, pandas and polars columns are converted once).
Options are keyword arguments with the core's names (unknown names are errors). Results are
:class:`ChartResult` objects: the core's fields as attributes, ``to_dict()`` and ``to_frame()``.
"""

from __future__ import annotations

from typing import Any, Dict, List, Tuple

import numpy as np

from . import _cxkpi
from ._convert import as_f64
from ._results import _Result

__all__ = [
    "ChartResult",
    "average_run_length",
    "calibrate_threshold",
    "chart_monitor",
    "chart_rules",
    "cusum_chart",
    "ewma_chart",
    "funnel_limits",
    "individuals_chart",
    "p_chart",
    "run_rules",
]


class ChartResult(_Result):
    """A chart-module result: the core's fields as attributes (``r.upper``, ``r.signals``...), ``to_dict()``
    and ``to_frame()``; ``r["field"]`` works too."""

    __slots__ = ("_kind",)

    def __init__(self, data: Dict[str, Any], kind: str = "chart") -> None:
        super().__init__(data)
        self._kind = kind

    def __getattr__(self, name: str) -> Any:
        try:
            return self._d[name]
        except KeyError:
            raise AttributeError(f"{self._kind} result has no field {name!r}") from None

    def __reduce__(self) -> Tuple[Any, Tuple[Dict[str, Any], str]]:  # type: ignore[override]
        return (type(self), (self._d, self._kind))

    def __repr__(self) -> str:
        d = self._d
        keys = [k for k, v in d.items() if isinstance(v, (int, float, str)) and not isinstance(v, bool)]
        shown = ", ".join(f"{k}={d[k]!r}" for k in keys[:6])
        extra = f", signals={len(d['signals'])}" if isinstance(d.get("signals"), list) else ""
        return f"ChartResult[{self._kind}]({shown}{extra})"

    def to_frame(self) -> Any:
        """Per-point (chart) or per-unit (funnel) columns as a pandas DataFrame, with a ``signal`` column
        listing the rule ids that fired at each row; signals / hits / ARL results become one row each."""
        import pandas as pd

        d = self._d
        if self._kind == "funnel":
            cols: Dict[str, Any] = {"value": d["value"], "size": d["sizes"], "z": d["z"]}
            for b in d["bands"]:
                cols[f"lower_{b['level']}"] = b["lower"]
                cols[f"upper_{b['level']}"] = b["upper"]
        elif self._kind == "chart":
            names = ["value", "value_se", "z", "statistic", "statistic_lower", "center", "lower", "upper",
                     "moving_range", "sizes"]
            cols = {k: d[k] for k in names if d.get(k) is not None}
        else:
            return pd.DataFrame([d])
        frame = pd.DataFrame(cols)
        fired: List[List[str]] = [[] for _ in range(len(frame))]
        for s in d.get("signals", []):
            fired[s["index"]].append(s["rule"])
        frame["signal"] = [",".join(r) for r in fired]
        return frame


def individuals_chart(x: Any, **options: Any) -> ChartResult:
    """Individuals / moving-range chart (options: l, mu, sigma, reference=[start, end), series)."""
    return ChartResult(_cxkpi.charts_individuals(as_f64(x, "x"), options or None))


def p_chart(successes: Any, sizes: Any, **options: Any) -> ChartResult:
    """p chart for shares with varying n; ``laney=True`` for Laney p' (options: l, p0, reference, laney,
    clip_limits, series)."""
    return ChartResult(_cxkpi.charts_p(as_f64(successes, "successes"), as_f64(sizes, "sizes"), options or None))


def ewma_chart(x: Any, **options: Any) -> ChartResult:
    """EWMA chart with exact time-varying limits (options: lambda_ or lambda via ``**{"lambda": ..}``, l, mu,
    sigma, reference, limits="time_varying"|"asymptotic", series)."""
    if "lambda_" in options:
        options["lambda"] = options.pop("lambda_")
    return ChartResult(_cxkpi.charts_ewma(as_f64(x, "x"), options or None))


def cusum_chart(x: Any, **options: Any) -> ChartResult:
    """Tabular CUSUM (options: k, h, headstart, mu, sigma, reference, reset="after_signal"|"none", series)."""
    return ChartResult(_cxkpi.charts_cusum(as_f64(x, "x"), options or None))


def funnel_limits(successes: Any, sizes: Any, **options: Any) -> ChartResult:
    """Funnel limits for units of different sizes (options: target, levels, method="normal"|"binomial",
    overdispersion="none"|"multiplicative", winsorize, labels)."""
    if "labels" in options and options["labels"] is not None:
        options["labels"] = [str(v) for v in options["labels"]]
    r = _cxkpi.charts_funnel(as_f64(successes, "successes"), as_f64(sizes, "sizes"), options or None)
    return ChartResult(r, "funnel")


def run_rules(z: Any, **options: Any) -> List[Dict[str, Any]]:
    """Run rules on a standardised series; a list of hits (rule, index, points, direction, parameters,
    false_alarm_rate). Options: western_electric_1..4, nelson_1..8, anhoej_runs, anhoej_crossings (bools),
    firing="every_point"|"first_in_episode"."""
    return list(_cxkpi.charts_run_rules(as_f64(z, "z"), options or None))


def chart_rules(chart: Any, **options: Any) -> List[Dict[str, Any]]:
    """Run rules on a chart's standardised series, as Signal dicts (value, centre, deviation, sigma, n, se)."""
    d = chart.to_dict() if isinstance(chart, ChartResult) else chart
    return list(_cxkpi.charts_chart_rules(d, options or None))


def chart_monitor(x: Any, **options: Any) -> ChartResult:
    """Individuals limits, run rules, EWMA and CUSUM in one pass (options: mu, sigma, l, lambda, ewma_l, k, h,
    rules={...}, max_hits)."""
    if "lambda_" in options:
        options["lambda"] = options.pop("lambda_")
    return ChartResult(_cxkpi.charts_monitor(as_f64(x, "x"), options or None), "monitor")


def average_run_length(chart: str = "shewhart", **query: Any) -> ChartResult:
    """ARL of a Shewhart (closed form), EWMA or CUSUM chart (integral equation or Markov chain). Query: l,
    lambda, k, h, shift, sided="two"|"one", method="integral_equation"|"markov_chain", nodes."""
    if "lambda_" in query:
        query["lambda"] = query.pop("lambda_")
    return ChartResult(_cxkpi.charts_arl({"chart": chart, **query}), "arl")


def calibrate_threshold(chart: str = "shewhart", **config: Any) -> ChartResult:
    """L (Shewhart, EWMA) or h (CUSUM) for a false-alarm budget: charts, checks_per_period, false_alarms,
    policy="expected_count"|"familywise", lambda, k, shift, arl={method, nodes, sided}."""
    if "lambda_" in config:
        config["lambda"] = config.pop("lambda_")
    return ChartResult(_cxkpi.charts_calibrate({"chart": chart, **config}), "calibration")


_ = np  # numpy is the column type of every function here
