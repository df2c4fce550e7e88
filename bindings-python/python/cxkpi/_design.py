"""Design-based estimates: the NPS, top-box share or mean under weights from ``rake`` / ``calibrate`` /
``poststratify``, overall and by domain, with standard errors that know how the weights were made (GREG
linearisation), the fixed-weights standard error beside them, and both design-effect conventions.

``cxkpi.nps(scores, design=result)`` (and ``top_box``, ``mean_score``, ``ces``) route here; so does
``cxkpi.design_estimate(metric, values, result)``.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

import numpy as np

from . import _cxkpi
from ._convert import as_f64, factorize, invalid_argument, key_name
from ._results import WeightingResult, _Result

__all__ = ["DesignEstimate", "design_estimate"]


class DesignEstimate(_Result):
    """A design-based estimate: ``overall`` and ``by`` (one dict per domain level) with estimate, se (under the
    chosen ``linearisation``), se_fixed_weights, lower, upper (normal), deff (against SRS without
    replacement, R's ``deff=TRUE``), deff_replace, n and weight_sum. ``to_frame()`` gives the domains as a
    table with their labels."""

    __slots__ = ("_by_name", "_by_labels")
    _fields = ("metric", "weighting_method", "linearisation", "confidence", "n_rows", "n_missing", "overall", "by")

    def __init__(self, data: Dict[str, Any], by_name: Optional[str] = None, by_labels: Optional[List[Any]] = None):
        super().__init__(data)
        self._by_name = by_name
        self._by_labels = by_labels

    def __reduce__(self) -> Any:  # type: ignore[override]
        return (type(self), (self._d, self._by_name, self._by_labels))

    @property
    def estimate(self) -> Optional[float]:
        """The overall estimate (None when no answer has a weight)."""
        return self._d["overall"]["estimate"]

    @property
    def se(self) -> Optional[float]:
        """The overall standard error under the chosen linearisation."""
        return self._d["overall"]["se"]

    def to_frame(self) -> Any:
        """The domains (or the overall row without ``by``) as a DataFrame: the domain label, then n,
        weight_sum, estimate, se, se_fixed_weights, lower, upper, deff, deff_replace. pandas when installed,
        else polars."""
        rows = self._d["by"] or [self._d["overall"]]
        name = self._by_name or "domain"
        labels = [
            (self._by_labels[r["level"]] if self._by_labels is not None and r["level"] is not None else r["level"])
            for r in rows
        ]
        fields = ["n", "weight_sum", "estimate", "se", "se_fixed_weights", "lower", "upper", "deff", "deff_replace"]
        cols: Dict[str, Any] = {name: labels}
        for f in fields:
            cols[f] = [r[f] for r in rows]
        try:
            import pandas as pd  # type: ignore[import-untyped,unused-ignore]

            return pd.DataFrame(cols)
        except ImportError:
            import polars as pl

            return pl.DataFrame(cols)

    def __repr__(self) -> str:
        o = self._d["overall"]
        est = "undefined" if o["estimate"] is None else f"{o['estimate']:.6g}"
        se = "" if o["se"] is None else f", se {o['se']:.4g} ({self._d['linearisation']}; fixed weights {o['se_fixed_weights']:.4g})"
        by = f", {len(self._d['by'])} domains" if self._d["by"] else ""
        return f"DesignEstimate({self._d['metric']} {est}{se}, n_rows {self._d['n_rows']}{by})"


def design_estimate(
    metric: str,
    values: Any,
    design: WeightingResult,
    *,
    by: Any = None,
    linearisation: Optional[str] = None,
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
    if not isinstance(design, WeightingResult):
        raise TypeError(f"design must be a WeightingResult (from rake, calibrate or poststratify), got {type(design).__name__}")
    if design._design is None:
        raise invalid_argument("design", "this WeightingResult does not carry its inputs (rebuilt from a dict?); "
                               "fit it again with rake, calibrate or poststratify")
    codes, levels, base = design._design
    v = as_f64(values, "values")
    by_codes = by_labels = by_name = None
    if by is not None:
        by_codes, by_labels = factorize(by)
        by_name = key_name(by, 0) if getattr(by, "name", None) else "by"
    opts = {k: x for k, x in metric_options.items() if x is not None}
    if linearisation is not None:
        opts["linearisation"] = linearisation
    if confidence is not None:
        opts["confidence"] = confidence
    d = _cxkpi.design_estimate(
        metric, v, list(codes), list(levels), base, np.asarray(design.weights, dtype=np.float64),
        design.method, by_codes, opts,
    )
    return DesignEstimate(d, by_name, by_labels)
