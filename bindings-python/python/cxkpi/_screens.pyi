"""Drift, manipulation screens and explained alerts (see ``_screens.py``): every function returns a
:class:`ScreensResult` whose attributes are the core's result fields."""

from typing import Any, Dict, List, Optional, Sequence, Tuple

from ._results import _Result

__all__ = [
    "ScreensResult",
    "alert_ladder",
    "build_alerts",
    "chi_square",
    "coaching_step",
    "duplicate_verbatims",
    "jensen_shannon",
    "ks_2samp",
    "low_variance",
    "psi",
    "selective_filtering",
    "top_box_inflation",
]

class ScreensResult(_Result):
    """A drift, screen or alert result: the core's fields as attributes and ``to_dict()``."""

    def __init__(self, data: Dict[str, Any], kind: str = "screens") -> None: ...
    def __getattr__(self, name: str) -> Any: ...
    def signals(self) -> List[Dict[str, Any]]:
        """The flagged findings as signal dicts, ready for :func:`build_alerts`."""

def psi(reference: Any, current: Any, *, binning: str = "quantiles", bins: int = 10,
        edges: Optional[Sequence[float]] = None, zero_policy: str = "epsilon", epsilon: float = 1e-4) -> ScreensResult:
    """Population stability index with declared binning (``quantiles``, ``edges``, ``categories``) and zero
    policy (``epsilon`` or ``error``)."""

def ks_2samp(reference: Any, current: Any, *, method: str = "auto") -> ScreensResult:
    """Two-sample Kolmogorov-Smirnov test (``exact``, ``asymp`` or ``auto``; the method used is recorded)."""

def jensen_shannon(p: Any, q: Any, *, base: str = "2") -> ScreensResult:
    """Jensen-Shannon distance of two count vectors (base ``"2"`` or ``"e"``)."""

def chi_square(table: Any, *, yates: bool = False, bias_corrected: bool = False) -> ScreensResult:
    """Chi-square test of homogeneity with Cramér's V (and Bergsma's bias-corrected V)."""

def top_box_inflation(scores: Any, teams: Any, *, top_min: float = 9, test: str = "fisher_exact",
                      adjust: str = "holm", alpha: float = 0.05,
                      team_labels: Optional[Sequence[str]] = None) -> ScreensResult:
    """Each team's top-box share against the pooled rest (Fisher exact or z, one-sided; Holm and BH)."""

def low_variance(values: Any, teams: Any, *, test: str = "brown_forsythe", adjust: str = "holm",
                 alpha: float = 0.05, team_labels: Optional[Sequence[str]] = None) -> ScreensResult:
    """Each team's spread against the pooled rest, one-sided (Brown-Forsythe, Levene or F ratio)."""

def duplicate_verbatims(texts: Any, teams: Any = None, *, shingle: int = 5, threshold: float = 0.8,
                        min_chars: int = 20, candidates: str = "auto", bands: int = 32, rows_per_band: int = 4,
                        seed: int = 0, adjust: str = "holm", alpha: float = 0.05,
                        team_labels: Optional[Sequence[str]] = None) -> ScreensResult:
    """Exact (after normalisation) and near-duplicate verbatims as clusters of row indices."""

def selective_filtering(scores: Any, teams: Any, period: Any, rates: Sequence[Dict[str, Any]], *,
                        adjust: str = "holm", alpha: float = 0.05,
                        team_labels: Optional[Sequence[str]] = None) -> ScreensResult:
    """Score jump together with a drop in the invitation / response rate (intersection-union p)."""

def coaching_step(values: Any, teams: Any, day: Any, events: Sequence[Dict[str, Any]], *,
                  window_before: float = 28, window_after: float = 28, cov_type: str = "nonrobust",
                  adjust: str = "holm", alpha: float = 0.05,
                  team_labels: Optional[Sequence[str]] = None) -> ScreensResult:
    """Step after a coaching date: difference-in-differences against uncoached peers."""

def alert_ladder(ladder: Any) -> Dict[str, Any]:
    """Parses and validates an escalation ladder (dict or TOML / JSON text)."""

def build_alerts(signals: Sequence[Dict[str, Any]], ladder: Any = None, *, kpi: Optional[str] = None,
                 unit: str = "points", dates: Optional[Sequence[Any]] = None, raised_at: Optional[str] = None,
                 min_level: int = 0, decimals: int = 1) -> ScreensResult:
    """Explained, escalated alerts from signals and a ladder."""
