"""Composite KPIs and the balanced scorecard (see docs/scorecard.md)."""

from typing import Any, Dict, List, Mapping, Optional, Sequence

__all__ = [
    "Scorecard",
    "ScorecardResult",
    "composite_normalise",
    "composite_aggregate",
    "composite_slope_test",
    "suggest_weights",
]

class ScorecardResult:
    """The evaluation of a scorecard: per unit the composite, status, rank and every KPI and node with the
    chain raw -> normalised -> score -> weight -> contribution; roll-ups; policies; row counts."""

    def __init__(self, data: Dict[str, Any]) -> None: ...
    @property
    def units(self) -> Dict[str, Dict[str, Any]]:
        """unit id -> its result dict."""
    @property
    def rollups(self) -> Dict[str, Dict[str, Dict[str, Any]]]:
        """dimension -> group -> roll-up."""
    @property
    def policies(self) -> Dict[str, Any]:
        """The policies used."""
    @property
    def counts(self) -> Dict[str, int]:
        """Row counts."""
    def composites(self) -> Dict[str, Optional[float]]:
        """unit id -> composite."""
    def explain(self, unit: str, kpi: str) -> List[Dict[str, Any]]:
        """The chain from a KPI or node up to the root."""
    def explain_text(self, unit: str, kpi: str) -> str:
        """The chain as text lines."""
    def to_dict(self) -> Dict[str, Any]:
        """The whole result as plain data."""
    def to_frame(self) -> Any:
        """One row per (unit, KPI or node)."""

class Scorecard:
    """A validated scorecard document."""

    def __init__(self, doc: Mapping[str, Any]) -> None: ...
    @classmethod
    def from_dict(cls, doc: Mapping[str, Any]) -> "Scorecard":
        """From a dict."""
    @classmethod
    def from_json(cls, text: str) -> "Scorecard":
        """From JSON text."""
    @classmethod
    def from_toml(cls, text: str) -> "Scorecard":
        """From TOML text."""
    @property
    def id(self) -> str:
        """The scorecard id."""
    @property
    def version(self) -> str:
        """The definition version."""
    @property
    def kpi_ids(self) -> List[str]:
        """KPI ids in document order."""
    def to_dict(self) -> Dict[str, Any]:
        """The normalised document."""
    def to_json(self) -> str:
        """The normalised document as JSON."""
    def evaluate(self, values: Any, *, as_of: Optional[str] = None) -> ScorecardResult:
        """Scores every unit (values: DataFrame unit/kpi/period/value, columns dict or {unit: {kpi: value}})."""
    def sensitivity(
        self,
        values: Any,
        *,
        draws: int = 1000,
        seed: int = 42,
        weight_spread: float = 0.25,
        aggregations: Optional[Sequence[str]] = None,
        normalisations: Optional[Sequence[str]] = None,
        exact: Optional[bool] = None,
        as_of: Optional[str] = None,
    ) -> Dict[str, Any]:
        """Monte Carlo or exact sensitivity of each unit's composite, rank and status."""
    def balance(self) -> Dict[str, Any]:
        """Weight shares per perspective and leading/lagging, with warnings."""
    def redundancy(self, values: Any) -> Dict[str, Any]:
        """Correlation matrix over history and flagged pairs."""
    def myopia(self, values: Any) -> List[Dict[str, Any]]:
        """Metric-myopia flags."""

def composite_normalise(
    x: Any,
    method: str = "min_max",
    *,
    direction: str = "higher",
    zero_range: str = "error",
    goalposts: Optional[Sequence[float]] = None,
    target: Optional[float] = None,
) -> List[Optional[float]]:
    """Benchmarking normalisation of one column (COINr n_* equivalents)."""

def composite_aggregate(
    values: Any,
    weights: Any,
    method: str = "arithmetic",
    *,
    missing: str = "renormalise",
    zero: str = "propagate",
) -> Optional[float]:
    """Weighted arithmetic / geometric / harmonic mean."""

def composite_slope_test(y: Any, direction: str = "higher", alpha: float = 0.05) -> Dict[str, Any]:
    """OLS slope test over periods."""

def suggest_weights(components: Mapping[str, Any], outcome: Any) -> Dict[str, Any]:
    """OLS and Shapley decomposition of R^2."""
