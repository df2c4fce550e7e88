"""Design-based estimates under weighting (``cxkpi.nps(scores, design=result)``)."""

from typing import Any, Dict, List, Literal, Optional

from ._results import WeightingResult, _Result

_Linearisation = Literal["greg", "r_survey", "fixed_weights"]

__all__ = ["DesignEstimate", "design_estimate"]

class DesignEstimate(_Result):
    """A design-based estimate: ``overall`` and ``by`` (one dict per domain level) with estimate, se (under the
    chosen ``linearisation``), se_fixed_weights, lower, upper (normal), deff (against SRS without
    replacement, R's ``deff=TRUE``), deff_replace, n and weight_sum. ``to_frame()`` gives the domains as a
    table with their labels."""

    def __init__(
        self, data: Dict[str, Any], by_name: Optional[str] = None, by_labels: Optional[List[Any]] = None
    ) -> None: ...
    @property
    def metric(self) -> str: ...
    @property
    def weighting_method(self) -> str: ...
    @property
    def linearisation(self) -> _Linearisation: ...
    @property
    def confidence(self) -> float: ...
    @property
    def n_rows(self) -> int: ...
    @property
    def n_missing(self) -> int: ...
    @property
    def overall(self) -> Dict[str, Any]: ...
    @property
    def by(self) -> List[Dict[str, Any]]: ...
    @property
    def estimate(self) -> Optional[float]:
        """The overall estimate (None when no answer has a weight)."""
    @property
    def se(self) -> Optional[float]:
        """The overall standard error under the chosen linearisation."""
    def to_frame(self) -> Any:
        """The domains (or the overall row without ``by``) as a DataFrame: the domain label, then n,
        weight_sum, estimate, se, se_fixed_weights, lower, upper, deff, deff_replace. pandas when installed,
        else polars."""

def design_estimate(
    metric: Literal["nps", "top_box", "mean", "ces"],
    values: Any,
    design: WeightingResult,
    *,
    by: Any = None,
    linearisation: Optional[_Linearisation] = None,
    confidence: Optional[float] = None,
    **metric_options: Any,
) -> DesignEstimate:
    """The ``metric`` ("nps", "top_box", "mean" or "ces") of ``values`` under the weights of ``design`` (the
    result of ``rake``, ``calibrate`` or ``poststratify`` on the same rows), overall and by the domains of
    ``by`` (a column, one label per row; domains keep the whole sample, as R's ``svyby`` does).

    linearisation: "greg" (default: GREG residuals on the calibration model), "r_survey" (R survey's own
    rule: 10 backfitting sweeps for raking) or "fixed_weights" (weights treated as fixed).
    confidence: for the normal interval (default 0.95).
    metric_options: the metric's scale options, e.g. ``promoter_min``, ``scale_min``/``scale_max``, ``k``,
    ``side``, ``missing`` ("exclude": missing answers stay in the sample with no contribution; "error").
    """
