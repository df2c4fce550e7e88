"""Result classes: read-only views over the dict the core returns."""

from typing import Any, Dict, List, Literal, Optional, Sequence, Tuple

import numpy as np
import numpy.typing as npt

__all__ = [
    "ChurnResult",
    "ComparisonResult",
    "GroupedResult",
    "Interval",
    "MeanResult",
    "NpsResult",
    "SampleSizeResult",
    "SentimentResult",
    "ShareResult",
    "TrimResult",
    "WeightDiagnostics",
    "WeightingResult",
]

# ---------------------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------------------

class _Result:
    _fields: Tuple[str, ...]
    def __init__(self, data: Dict[str, Any]) -> None: ...
    def to_dict(self) -> Dict[str, Any]:
        """The result's fields as a plain dict (a copy; the same names and values as the Rust result)."""
    def __getitem__(self, key: str) -> Any: ...
    def __eq__(self, other: object) -> bool: ...
    def __ne__(self, other: object) -> bool: ...
    def __reduce__(self) -> Tuple[Any, ...]: ...
    def __dir__(self) -> List[str]: ...
    __hash__: None  # type: ignore[assignment]

class NpsResult(_Result):
    """A Net Promoter Score (on -100..100) with shares, counts, standard errors and its interval."""

    @property
    def nps(self) -> float:
        """Net Promoter Score on -100..100 (% promoters - % detractors)."""
    @property
    def promoters(self) -> float:
        """Share of promoters (0..1, weighted if weighted)."""
    @property
    def passives(self) -> float:
        """Share of passives (0..1)."""
    @property
    def detractors(self) -> float:
        """Share of detractors (0..1)."""
    @property
    def n(self) -> int:
        """Valid answers used."""
    @property
    def n_missing(self) -> int:
        """Missing answers excluded."""
    @property
    def n_promoters(self) -> int:
        """Number of promoters."""
    @property
    def n_passives(self) -> int:
        """Number of passives."""
    @property
    def n_detractors(self) -> int:
        """Number of detractors."""
    @property
    def weight_sum(self) -> float:
        """Sum of weights of the valid answers (n when unweighted)."""
    @property
    def effective_n(self) -> float:
        """Kish effective sample size (n when unweighted)."""
    @property
    def se(self) -> float:
        """Standard error used by the interval method, on -100..100."""
    @property
    def se_linearised(self) -> Optional[float]:
        """Design-based (linearisation) SE on -100..100; None when n < 2."""
    @property
    def lower(self) -> float:
        """Lower interval limit on -100..100."""
    @property
    def upper(self) -> float:
        """Upper interval limit on -100..100."""
    @property
    def interval(self) -> str:
        """Interval method used."""
    @property
    def confidence(self) -> float:
        """Confidence level."""
    @property
    def weighted(self) -> bool:
        """Whether weights were used."""

class ShareResult(_Result):
    """A share (top-box / CSAT or any proportion) in 0..1 with its interval."""

    @property
    def share(self) -> float:
        """The share in 0..1."""
    @property
    def successes(self) -> float:
        """Successes (weighted sum if weighted)."""
    @property
    def n(self) -> int:
        """Valid answers used."""
    @property
    def n_missing(self) -> int:
        """Missing answers excluded."""
    @property
    def weight_sum(self) -> float:
        """Sum of weights of the valid answers (n when unweighted)."""
    @property
    def effective_n(self) -> float:
        """Kish effective sample size (n when unweighted)."""
    @property
    def se(self) -> Optional[float]:
        """Standard error (unweighted sqrt(p(1-p)/n); weighted linearisation SE)."""
    @property
    def lower(self) -> float:
        """Lower interval limit."""
    @property
    def upper(self) -> float:
        """Upper interval limit."""
    @property
    def interval(self) -> str:
        """Interval method used."""
    @property
    def confidence(self) -> float:
        """Confidence level."""
    @property
    def weighted(self) -> bool:
        """Whether weights were used."""

class Interval(_Result):
    """A proportion's estimate x/n and its confidence interval."""

    @property
    def estimate(self) -> float:
        """x / n."""
    @property
    def lower(self) -> float:
        """Lower limit."""
    @property
    def upper(self) -> float:
        """Upper limit."""
    @property
    def method(self) -> str:
        """Interval method used."""
    @property
    def confidence(self) -> float:
        """Confidence level."""

class MeanResult(_Result):
    """A mean score (CES, ratings, any numeric score) with its SD, SE and t or normal interval."""

    @property
    def mean(self) -> float:
        """The (weighted) mean."""
    @property
    def sd(self) -> float:
        """Standard deviation (n - 1 denominator; weighted: sqrt(sum w (y-ybar)^2 / sum w * n/(n-1)))."""
    @property
    def n(self) -> int:
        """Valid values used."""
    @property
    def n_missing(self) -> int:
        """Missing values excluded."""
    @property
    def weight_sum(self) -> float:
        """Sum of weights of the valid values (n when unweighted)."""
    @property
    def effective_n(self) -> float:
        """Kish effective sample size (n when unweighted)."""
    @property
    def se(self) -> float:
        """Standard error of the mean (linearisation SE when weighted)."""
    @property
    def df(self) -> Optional[float]:
        """Degrees of freedom of a t interval; None for a normal interval."""
    @property
    def lower(self) -> float:
        """Lower interval limit."""
    @property
    def upper(self) -> float:
        """Upper interval limit."""
    @property
    def interval(self) -> str:
        """Interval used: "t" or "normal"."""
    @property
    def confidence(self) -> float:
        """Confidence level."""
    @property
    def weighted(self) -> bool:
        """Whether weights were used."""
    @property
    def direction(self) -> str:
        """"higher_is_better" or "lower_is_better"."""
    @property
    def scale(self) -> Optional[Dict[str, int]]:
        """The answer scale ({"min": .., "max": ..}) or None for unscaled values."""

class ChurnResult(_Result):
    """Churn and retention for one period, annualised by compounding, with an interval on the churn rate."""

    @property
    def churn_rate(self) -> float:
        """Lost customers / base for the period."""
    @property
    def retention_rate(self) -> float:
        """1 - churn_rate."""
    @property
    def annualised_churn(self) -> float:
        """1 - (1 - churn_rate) ** (12 / period_months)."""
    @property
    def annualised_retention(self) -> float:
        """1 - annualised_churn."""
    @property
    def period_months(self) -> float:
        """Length of the period in months."""
    @property
    def base(self) -> str:
        """"start" or "average"."""
    @property
    def customers_start(self) -> float:
        """Customers at the start of the period."""
    @property
    def customers_end(self) -> Optional[float]:
        """Customers at the end of the period, if given."""
    @property
    def lost(self) -> float:
        """Customers lost during the period."""
    @property
    def lower(self) -> Optional[float]:
        """Lower limit on churn_rate (None for base "average")."""
    @property
    def upper(self) -> Optional[float]:
        """Upper limit on churn_rate (None for base "average")."""
    @property
    def interval(self) -> str:
        """Interval method used."""
    @property
    def confidence(self) -> float:
        """Confidence level."""

class SentimentResult(_Result):
    """Sentiment shares, net sentiment (-1..1) and polarity with their intervals."""

    @property
    def positive_share(self) -> float:
        """Share of positive labels."""
    @property
    def neutral_share(self) -> float:
        """Share of neutral labels."""
    @property
    def negative_share(self) -> float:
        """Share of negative labels."""
    @property
    def positive_lower(self) -> float:
        """Lower limit of the positive share (share_interval)."""
    @property
    def positive_upper(self) -> float:
        """Upper limit of the positive share (share_interval)."""
    @property
    def net_sentiment(self) -> float:
        """(P - N) / (P + U + N), in -1..1."""
    @property
    def net_se(self) -> float:
        """Standard error of net_sentiment."""
    @property
    def net_lower(self) -> float:
        """Lower limit of net_sentiment."""
    @property
    def net_upper(self) -> float:
        """Upper limit of net_sentiment."""
    @property
    def polarity(self) -> Optional[float]:
        """(P - N) / (P + N); None when P + N = 0."""
    @property
    def polarity_lower(self) -> Optional[float]:
        """Lower limit of polarity."""
    @property
    def polarity_upper(self) -> Optional[float]:
        """Upper limit of polarity."""
    @property
    def n(self) -> int:
        """Valid labels used."""
    @property
    def n_missing(self) -> int:
        """Missing labels excluded."""
    @property
    def n_positive(self) -> int:
        """Number of positive labels."""
    @property
    def n_neutral(self) -> int:
        """Number of neutral labels."""
    @property
    def n_negative(self) -> int:
        """Number of negative labels."""
    @property
    def weight_sum(self) -> float:
        """Sum of weights of the valid labels (n when unweighted)."""
    @property
    def effective_n(self) -> float:
        """Kish effective sample size (n when unweighted)."""
    @property
    def interval(self) -> str:
        """Net-sentiment interval method used."""
    @property
    def share_interval(self) -> str:
        """Share / polarity interval method used."""
    @property
    def confidence(self) -> float:
        """Confidence level."""
    @property
    def weighted(self) -> bool:
        """Whether weights were used."""

class ComparisonResult(_Result):
    """Difference a - b of two results with its standard error, test statistic, p-value and interval."""

    @property
    def metric(self) -> str:
        """What was compared ("nps", "share" or "mean")."""
    @property
    def estimate_a(self) -> float:
        """Estimate of group a."""
    @property
    def estimate_b(self) -> float:
        """Estimate of group b."""
    @property
    def difference(self) -> float:
        """estimate_a - estimate_b."""
    @property
    def se(self) -> float:
        """Standard error of the difference."""
    @property
    def statistic(self) -> Optional[float]:
        """Test statistic (z or t)."""
    @property
    def df(self) -> Optional[float]:
        """Degrees of freedom of a t test; None for z."""
    @property
    def p_value(self) -> Optional[float]:
        """Two-sided p-value."""
    @property
    def lower(self) -> float:
        """Lower limit of the difference."""
    @property
    def upper(self) -> float:
        """Upper limit of the difference."""
    @property
    def significant(self) -> bool:
        """p_value < 1 - confidence."""
    @property
    def method(self) -> str:
        """Comparison method used."""
    @property
    def confidence(self) -> float:
        """Confidence level."""

class SampleSizeResult(_Result):
    """Respondents (and invitations) needed for a target margin of error."""

    @property
    def metric(self) -> str:
        """"nps", "share" or "mean"."""
    @property
    def margin(self) -> float:
        """Target margin (half-width of the interval)."""
    @property
    def confidence(self) -> float:
        """Confidence level."""
    @property
    def variance(self) -> float:
        """Planning variance V."""
    @property
    def n_infinite(self) -> float:
        """z^2 V / margin^2 (no finite-population correction)."""
    @property
    def n_required(self) -> int:
        """Respondents needed."""
    @property
    def population(self) -> Optional[float]:
        """Population size, if given."""
    @property
    def response_rate(self) -> Optional[float]:
        """Response rate, if given."""
    @property
    def invitations(self) -> Optional[int]:
        """Invitations to send (ceil(n_required / response_rate))."""
    @property
    def feasible(self) -> bool:
        """False when the population cannot deliver n_required respondents."""
    @property
    def max_respondents(self) -> Optional[int]:
        """Most respondents the population can deliver (when infeasible)."""
    @property
    def achievable_margin(self) -> Optional[float]:
        """Margin reachable with max_respondents (when infeasible)."""
    @property
    def fpc(self) -> str:
        """Finite-population correction used: "exact" or "simple"."""

class GroupedResult(_Result):
    """One row per group (distinct key combination, in ascending key order): the metric's estimate, SE,
    interval and counts as columns. ``to_frame()`` gives a pandas (or polars) DataFrame with the key labels."""

    def __init__(
        self,
        data: Dict[str, Any],
        key_names: Optional[Sequence[str]] = None,
        key_labels: Optional[Sequence[Optional[Sequence[Any]]]] = None,
    ) -> None: ...
    @property
    def metric(self) -> str:
        """The metric computed per group."""
    @property
    def keys(self) -> List[List[int]]:
        """Key codes per key column: keys[j][g] is key column j of group g."""
    @property
    def n(self) -> List[int]:
        """Valid rows per group."""
    @property
    def n_missing(self) -> List[int]:
        """Missing rows per group."""
    @property
    def estimate(self) -> List[Optional[float]]:
        """NPS (-100..100), share (0..1), mean or net sentiment (-1..1); None when status is not "ok"."""
    @property
    def se(self) -> List[Optional[float]]:
        """Standard error per group (None when undefined)."""
    @property
    def lower(self) -> List[Optional[float]]:
        """Lower limit per group."""
    @property
    def upper(self) -> List[Optional[float]]:
        """Upper limit per group."""
    @property
    def effective_n(self) -> List[Optional[float]]:
        """Kish effective n per group."""
    @property
    def weight_sum(self) -> List[Optional[float]]:
        """Sum of weights per group."""
    @property
    def status(self) -> List[str]:
        """"ok" or the error kind that left the group's estimate undefined (e.g. "insufficient_data")."""
    @property
    def message(self) -> List[str]:
        """Empty for "ok", else the error message."""
    @property
    def key_names(self) -> List[str]:
        """Names of the key columns (from the Series names, else key_0, key_1, ...)."""
    @property
    def key_labels(self) -> List[Optional[List[Any]]]:
        """Per key column, the level labels indexed by code (None: the codes are the values)."""
    def key_values(self, i: int) -> List[Any]:
        """Key column ``i`` of the result, one entry per group, as labels (not codes)."""
    def __len__(self) -> int: ...
    def to_frame(self) -> Any:
        """The groups as a DataFrame: key columns (labels) then n, n_missing, estimate, se, lower, upper,
        effective_n, weight_sum, status, message. pandas when installed, else polars."""


# ---------------------------------------------------------------------------------------------------------
# Weighting
# ---------------------------------------------------------------------------------------------------------

QUANTILE_PROBS: Tuple[float, float, float, float, float, float, float]

class WeightDiagnostics(_Result):
    """How spread out a set of weights is and what it costs in precision: Kish effective n and design effect,
    coefficient of variation, min / max / ratio and quantiles."""

    quantile_probs: Tuple[float, ...]
    """Probabilities of ``quantiles``: 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99."""

    @property
    def n(self) -> int:
        """Number of weights."""
    @property
    def sum(self) -> float:
        """Sum of the weights (compensated)."""
    @property
    def mean(self) -> float:
        """Mean weight."""
    @property
    def min(self) -> float:
        """Smallest weight."""
    @property
    def max(self) -> float:
        """Largest weight."""
    @property
    def ratio(self) -> Optional[float]:
        """max / min (None when a weight is zero)."""
    @property
    def quantiles(self) -> List[float]:
        """Type-7 quantiles at ``quantile_probs``."""
    @property
    def cv(self) -> float:
        """Coefficient of variation (population SD / mean)."""
    @property
    def kish_n(self) -> float:
        """Kish effective sample size (sum w)^2 / sum w^2."""
    @property
    def deff_kish(self) -> float:
        """Kish design effect n * sum w^2 / (sum w)^2 = 1 + cv^2."""
    @property
    def adjustment_deff(self) -> Optional[float]:
        """The design effect of the adjustment weights / base (when base weights were given)."""

class WeightingResult(_Result):
    """Weights from ``rake``, ``calibrate`` or ``poststratify`` with the account of how they were made: status,
    iterations, the achieved margins with the relative error of every level, changed levels and diagnostics.

    ``weights`` is a numpy float64 array (one weight per row of the data). ``margins_frame()`` gives the margins
    as a table with the variable names and level labels.
    """

    def __init__(
        self,
        data: Dict[str, Any],
        variables: Optional[Sequence[Any]] = None,
        levels: Optional[Sequence[Sequence[Any]]] = None,
        design: Optional[Tuple[List[np.ndarray], List[int], Optional[np.ndarray]]] = None,
    ) -> None: ...
    @property
    def method(self) -> Literal["rake", "calibrate", "poststratify"]:
        """The weighting method."""
    @property
    def distance(self) -> Optional[Literal["linear", "raking", "logit"]]:
        """The calibration distance (None for rake and poststratify)."""
    @property
    def weights(self) -> npt.NDArray[np.float64]:
        """Final weight of every row of the data (base * g of its cell)."""
    @property
    def g(self) -> npt.NDArray[np.float64]:
        """Adjustment weight / base of every cell (distinct combination of the variables present, in key order,
        the first variable most significant)."""
    @property
    def n_cells(self) -> int:
        """Number of distinct cells in the sample."""
    @property
    def status(self) -> Literal["converged", "max_iter", "stalled", "infeasible"]:
        """Outcome of the fit (anything but "converged" only with on_nonconvergence="warn")."""
    @property
    def iterations(self) -> int:
        """Sweeps (raking) or Newton iterations (calibration); 1 for post-stratification."""
    @property
    def max_rel_error(self) -> float:
        """Largest relative margin error |after - target| / target over all levels."""
    @property
    def tolerance(self) -> float:
        """The tolerance the fit ran to."""
    @property
    def margins(self) -> List[Dict[str, Any]]:
        """Per variable: {variable (index), target, before, after, rel_error, asmd_before, asmd_after, kish_n, deff_kish}, each a list by level (rel_error
        None where the target is 0)."""
    @property
    def level_changes(self) -> List[Dict[str, Any]]:
        """Levels whose target was collapsed or dropped: {variable, level, action, into, target}."""
    @property
    def mass_lost(self) -> float:
        """Target mass removed by dropped levels."""
    @property
    def n_at_lower(self) -> int:
        """Rows whose adjustment (or weight, with ``weight_bounds``) sits at the lower calibration bound."""
    @property
    def n_at_upper(self) -> int:
        """Rows at the upper calibration bound."""
    @property
    def diagnostics(self) -> WeightDiagnostics:
        """Diagnostics of the final weights."""
    @property
    def variables(self) -> List[Any]:
        """The weighting variables (names as given in the targets), in the order of ``margins``."""
    @property
    def levels(self) -> List[List[Any]]:
        """Per variable, the level labels in code order (the targets' order)."""
    @property
    def converged(self) -> bool:
        """True when status is "converged"."""
    def margins_frame(self, backend: Optional[Literal["pandas", "polars"]] = None) -> Any:
        """The margins as a DataFrame, one row per level of every variable: variable, level (label), target,
        before (base-weight total), after (weighted total), rel_error ((after - target) / target; missing
        where the target is 0: a collapsed, dropped or unsampled level).

        backend: "pandas", "polars", or None (pandas when installed, else polars).
        """

class TrimResult(_Result):
    """Trimmed weights (numpy float64, total preserved), the bounds applied, how many weights sit at each bound,
    and the diagnostics before and after."""

    @property
    def weights(self) -> npt.NDArray[np.float64]:
        """The trimmed weights."""
    @property
    def upper(self) -> Optional[float]:
        """The absolute upper bound applied (after relative_to_mean)."""
    @property
    def lower(self) -> Optional[float]:
        """The absolute lower bound applied."""
    @property
    def n_at_upper(self) -> int:
        """Weights at the upper bound."""
    @property
    def n_at_lower(self) -> int:
        """Weights at the lower bound."""
    @property
    def iterations(self) -> int:
        """Breakpoints of the total as a function of the common factor crossed by the exact solve."""
    @property
    def total(self) -> float:
        """Sum of the weights (preserved)."""
    @property
    def diagnostics_before(self) -> WeightDiagnostics:
        """Diagnostics of the weights before trimming."""
    @property
    def diagnostics(self) -> WeightDiagnostics:
        """Diagnostics of the trimmed weights."""
