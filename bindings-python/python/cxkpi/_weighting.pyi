"""Survey weighting: raking, calibration, post-stratification, trimming and weight diagnostics."""

from typing import Any, Literal, Mapping, Optional, Sequence, Tuple, Union

import numpy.typing as npt

from ._results import TrimResult, WeightDiagnostics, WeightingResult

_ArrayLike = Union[npt.ArrayLike, Any]
_Data = Any
"""A pandas DataFrame, a polars DataFrame, or a dict {name: column} (pandas Categorical / Series, polars
Series, lists, numpy arrays of strings or integers)."""
_Targets = Mapping[Any, Any]
"""{variable: {level: target}} (levels in the dict's order), or {variable: pandas Series indexed by level},
or {variable: list / array of targets for the integer codes 0..L-1}."""
_Base = Union[_ArrayLike, str, None]
_OnNonConvergence = Literal["error", "warn"]
_TargetsAs = Literal["counts", "shares"]
_EmptyLevel = Literal["error", "collapse", "drop"]
_Distance = Literal["linear", "raking", "logit"]

__all__ = ["calibrate", "poststratify", "rake", "trim_weights", "weight_diagnostics"]

def rake(
    data: _Data,
    targets: _Targets,
    *,
    base: _Base = None,
    tolerance: Optional[float] = None,
    max_sweeps: Optional[int] = None,
    on_nonconvergence: Optional[_OnNonConvergence] = None,
    targets_as: Optional[_TargetsAs] = None,
    population: Optional[float] = None,
    empty_level: Optional[_EmptyLevel] = None,
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

def calibrate(
    data: _Data,
    targets: _Targets,
    *,
    distance: _Distance = "linear",
    bounds: Optional[Tuple[float, float]] = None,
    weight_bounds: Optional[Tuple[float, float]] = None,
    base: _Base = None,
    tolerance: Optional[float] = None,
    max_sweeps: Optional[int] = None,
    on_nonconvergence: Optional[_OnNonConvergence] = None,
    targets_as: Optional[_TargetsAs] = None,
    population: Optional[float] = None,
    empty_level: Optional[_EmptyLevel] = None,
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

def poststratify(
    data: _Data,
    targets: Mapping[Any, Any],
    *,
    by: Union[str, Sequence[Any], None] = None,
    base: _Base = None,
    targets_as: Optional[_TargetsAs] = None,
    population: Optional[float] = None,
    empty_level: Optional[_EmptyLevel] = None,
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

def trim_weights(
    weights: _ArrayLike,
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

def weight_diagnostics(weights: _ArrayLike, base: Optional[_ArrayLike] = None) -> WeightDiagnostics:
    """Spread (min, max, ratio, quantiles, CV), Kish effective n and design effect of weights; with ``base``
    also the design effect of the adjustment weights / base."""
