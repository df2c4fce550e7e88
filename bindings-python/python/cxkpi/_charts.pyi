"""Control charts, run rules, average run lengths and thresholds for a false-alarm budget."""

from typing import Any, Dict, List, Tuple

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

class ChartResult:
    """A chart-module result: the core's fields as attributes, ``to_dict()`` and ``to_frame()``."""

    __slots__ = ("_kind",)
    def __init__(self, data: Dict[str, Any], kind: str = "chart") -> None: ...
    def __getattr__(self, name: str) -> Any: ...
    def __getitem__(self, key: str) -> Any: ...
    def __reduce__(self) -> Tuple[Any, Tuple[Dict[str, Any], str]]: ...
    def to_dict(self) -> Dict[str, Any]:
        """The result's fields as a plain dict (the same names and values as the Rust result)."""
    def to_frame(self) -> Any:
        """Per-point (chart) or per-unit (funnel) columns as a pandas DataFrame with a ``signal`` column."""

def individuals_chart(x: Any, **options: Any) -> ChartResult:
    """Individuals / moving-range chart (options: l, mu, sigma, reference=[start, end), series)."""

def p_chart(successes: Any, sizes: Any, **options: Any) -> ChartResult:
    """p chart with varying n; ``laney=True`` for Laney p' (options: l, p0, reference, laney, clip_limits, series)."""

def ewma_chart(x: Any, **options: Any) -> ChartResult:
    """EWMA chart with exact time-varying limits (options: lambda_ (or "lambda"), l, mu, sigma, reference, limits, series)."""

def cusum_chart(x: Any, **options: Any) -> ChartResult:
    """Tabular CUSUM (options: k, h, headstart, mu, sigma, reference, reset, series)."""

def funnel_limits(successes: Any, sizes: Any, **options: Any) -> ChartResult:
    """Funnel limits (options: target, levels, method, overdispersion, winsorize, labels)."""

def run_rules(z: Any, **options: Any) -> List[Dict[str, Any]]:
    """Run rules on a standardised series: a list of hits."""

def chart_rules(chart: Any, **options: Any) -> List[Dict[str, Any]]:
    """Run rules on a chart's standardised series, as Signal dicts."""

def chart_monitor(x: Any, **options: Any) -> ChartResult:
    """Individuals limits, run rules, EWMA and CUSUM in one pass."""

def average_run_length(chart: str = "shewhart", **query: Any) -> ChartResult:
    """ARL of a Shewhart, EWMA or CUSUM chart."""

def calibrate_threshold(chart: str = "shewhart", **config: Any) -> ChartResult:
    """L or h for a false-alarm budget across K charts."""
