"""The public functions of cxkpi."""

from typing import Any, Dict, Literal, Optional, Union, overload

from ._design import DesignEstimate, _Linearisation

from ._results import (
    ChurnResult,
    ComparisonResult,
    GroupedResult,
    Interval,
    MeanResult,
    NpsResult,
    SampleSizeResult,
    SentimentResult,
    ShareResult,
    WeightingResult,
)
import numpy.typing as npt

_ArrayLike = Union[npt.ArrayLike, Any]
_NetInterval = Literal["adjusted_wald", "wald", "t", "bootstrap", "exact_bootstrap"]
_ProportionMethod = Literal["wilson", "wald", "agresti_coull", "clopper_pearson", "jeffreys", "wilson_cc"]
_MeanInterval = Literal["auto", "t", "normal"]
_Missing = Literal["exclude", "error"]
_Direction = Literal["higher_is_better", "lower_is_better"]

__all__ = [
    "ces",
    "churn",
    "compare_means",
    "compare_nps",
    "compare_shares",
    "convert_rate",
    "grouped",
    "mean_from_summary",
    "mean_score",
    "nps",
    "nps_from_counts",
    "proportion_interval",
    "sample_size",
    "sentiment_from_counts",
    "sentiment_share",
    "share_from_counts",
    "top_box",
]

# ---------------------------------------------------------------------------------------------------------
# Functions
# ---------------------------------------------------------------------------------------------------------

@overload
def nps(
    scores: _ArrayLike,
    weights: Optional[_ArrayLike] = None,
    *,
    interval: Optional[_NetInterval] = None,
    confidence: Optional[float] = None,
    missing: Optional[_Missing] = None,
    promoter_min: Optional[int] = None,
    detractor_max: Optional[int] = None,
    scale_min: Optional[int] = None,
    scale_max: Optional[int] = None,
    resamples: Optional[int] = None,
    seed: Optional[int] = None,
    design: None = None,
    by: None = None,
    linearisation: None = None,
) -> NpsResult:
    """Net Promoter Score of 0-10 answers (on -100..100), optionally weighted, with an interval.

    scores: the answers (numpy array, list, pandas or polars Series); NaN / None / NA is a missing answer.
    weights: optional non-negative weights, same length.
    interval: "adjusted_wald" (default), "wald", "t", "bootstrap" (seeded percentile), "exact_bootstrap".
    confidence: confidence level, default 0.95.
    missing: "exclude" (default: missing answers are dropped and counted in n_missing) or "error".
    promoter_min / detractor_max: promoter and detractor bands, default 9 and 6.
    scale_min / scale_max: the answer scale, default 0..10.
    resamples / seed: bootstrap replicates (default 2000) and RNG seed (default 42).
    """
@overload
def nps(
    scores: _ArrayLike,
    weights: None = None,
    *,
    interval: None = None,
    confidence: Optional[float] = None,
    missing: Optional[_Missing] = None,
    promoter_min: Optional[int] = None,
    detractor_max: Optional[int] = None,
    scale_min: Optional[int] = None,
    scale_max: Optional[int] = None,
    resamples: None = None,
    seed: None = None,
    design: WeightingResult,
    by: Optional[_ArrayLike] = None,
    linearisation: Optional[_Linearisation] = None,
) -> DesignEstimate:
    """With ``design=`` (a WeightingResult): the design-based estimate, overall and ``by`` domain, with
    calibration-aware SEs (see ``design_estimate``)."""

def nps_from_counts(
    promoters: int,
    passives: int,
    detractors: int,
    *,
    interval: Optional[_NetInterval] = None,
    confidence: Optional[float] = None,
    resamples: Optional[int] = None,
    seed: Optional[int] = None,
) -> NpsResult:
    """NPS from counts of promoters, passives and detractors (e.g. a published table)."""

@overload
def top_box(
    scores: _ArrayLike,
    weights: Optional[_ArrayLike] = None,
    *,
    scale_min: Optional[int] = None,
    scale_max: Optional[int] = None,
    side: Optional[Literal["top", "bottom"]] = None,
    k: Optional[int] = None,
    interval: Optional[_ProportionMethod] = None,
    confidence: Optional[float] = None,
    missing: Optional[_Missing] = None,
    design: None = None,
    by: None = None,
    linearisation: None = None,
) -> ShareResult:
    """Top-k-box (or bottom-k-box) share, e.g. CSAT = top-2-box on 1-5 (the default).

    side: "top" (default) or "bottom"; k: number of boxes, default 2.
    interval: "wilson" (default), "wald", "agresti_coull", "clopper_pearson", "jeffreys", "wilson_cc";
    weighted data use the method with the Kish effective n.
    """
@overload
def top_box(
    scores: _ArrayLike,
    weights: None = None,
    *,
    scale_min: Optional[int] = None,
    scale_max: Optional[int] = None,
    side: Optional[Literal["top", "bottom"]] = None,
    k: Optional[int] = None,
    interval: None = None,
    confidence: Optional[float] = None,
    missing: Optional[_Missing] = None,
    design: WeightingResult,
    by: Optional[_ArrayLike] = None,
    linearisation: Optional[_Linearisation] = None,
) -> DesignEstimate:
    """With ``design=`` (a WeightingResult): the design-based estimate, overall and ``by`` domain, with
    calibration-aware SEs (see ``design_estimate``)."""

def share_from_counts(
    successes: int,
    n: int,
    *,
    interval: Optional[_ProportionMethod] = None,
    confidence: Optional[float] = None,
) -> ShareResult:
    """A share from a count of successes out of n (0 <= successes <= n, n >= 1)."""

def proportion_interval(
    x: float,
    n: float,
    *,
    method: Optional[_ProportionMethod] = None,
    confidence: Optional[float] = None,
) -> Interval:
    """Confidence interval of the proportion x/n (x and n may be non-integer, e.g. effective counts).

    method: "wilson" (default), "wald", "agresti_coull", "clopper_pearson", "jeffreys", "wilson_cc".
    """

@overload
def mean_score(
    values: _ArrayLike,
    weights: Optional[_ArrayLike] = None,
    *,
    scale_min: Optional[int] = None,
    scale_max: Optional[int] = None,
    direction: Optional[_Direction] = None,
    interval: Optional[_MeanInterval] = None,
    confidence: Optional[float] = None,
    missing: Optional[_Missing] = None,
    design: None = None,
    by: None = None,
    linearisation: None = None,
) -> MeanResult:
    """Mean of a score with its SD, SE and interval.

    With scale_min/scale_max the answers must be whole points on that scale; without, any finite value.
    direction: "higher_is_better" (default) or "lower_is_better" (recorded in the result).
    interval: "auto" (default: t with n-1 df unweighted, normal weighted), "t", "normal".
    """
@overload
def mean_score(
    values: _ArrayLike,
    weights: None = None,
    *,
    scale_min: Optional[int] = None,
    scale_max: Optional[int] = None,
    direction: Optional[_Direction] = None,
    interval: None = None,
    confidence: Optional[float] = None,
    missing: Optional[_Missing] = None,
    design: WeightingResult,
    by: Optional[_ArrayLike] = None,
    linearisation: Optional[_Linearisation] = None,
) -> DesignEstimate:
    """With ``design=`` (a WeightingResult): the design-based estimate, overall and ``by`` domain, with
    calibration-aware SEs (see ``design_estimate``)."""

@overload
def ces(
    scores: _ArrayLike,
    weights: Optional[_ArrayLike] = None,
    *,
    scale_min: Optional[int] = None,
    scale_max: Optional[int] = None,
    direction: Optional[_Direction] = None,
    interval: Optional[_MeanInterval] = None,
    confidence: Optional[float] = None,
    missing: Optional[_Missing] = None,
    design: None = None,
    by: None = None,
    linearisation: None = None,
) -> MeanResult:
    """Customer Effort Score: the mean of 1-7 answers (default scale), higher = easier by default."""
@overload
def ces(
    scores: _ArrayLike,
    weights: None = None,
    *,
    scale_min: Optional[int] = None,
    scale_max: Optional[int] = None,
    direction: Optional[_Direction] = None,
    interval: None = None,
    confidence: Optional[float] = None,
    missing: Optional[_Missing] = None,
    design: WeightingResult,
    by: Optional[_ArrayLike] = None,
    linearisation: Optional[_Linearisation] = None,
) -> DesignEstimate:
    """With ``design=`` (a WeightingResult): the design-based estimate, overall and ``by`` domain, with
    calibration-aware SEs (see ``design_estimate``)."""

def mean_from_summary(
    mean: float,
    sd: float,
    n: int,
    *,
    interval: Optional[_MeanInterval] = None,
    confidence: Optional[float] = None,
    direction: Optional[_Direction] = None,
) -> MeanResult:
    """A mean result from published summary statistics (mean, SD, n), e.g. to compare with compare_means."""

def churn(
    customers_start: float,
    lost: float,
    *,
    customers_end: Optional[float] = None,
    period_months: Optional[float] = None,
    base: Optional[Literal["start", "average"]] = None,
    interval: Optional[_ProportionMethod] = None,
    confidence: Optional[float] = None,
) -> ChurnResult:
    """Churn rate lost / customers_start for a period, retention, and both annualised by compounding.

    base: "start" (default) or "average" ((start + end) / 2, needs customers_end; no interval).
    period_months: length of the period, default 1.
    interval: proportion interval method on the churn rate, default "wilson".
    """

def convert_rate(rate: float, from_months: float, to_months: float) -> float:
    """Convert a churn rate between period lengths by compounding: 1 - (1 - rate) ** (to / from)."""

def sentiment_share(
    labels: _ArrayLike,
    weights: Optional[_ArrayLike] = None,
    *,
    interval: Optional[_NetInterval] = None,
    share_interval: Optional[_ProportionMethod] = None,
    confidence: Optional[float] = None,
    missing: Optional[_Missing] = None,
    resamples: Optional[int] = None,
    seed: Optional[int] = None,
) -> SentimentResult:
    """Sentiment shares, net sentiment (P - N) / (P + U + N) and polarity (P - N) / (P + N).

    labels: codes (+1, 0, -1; NaN missing) or strings ("positive", "neutral", "negative"; None missing).
    interval: net-sentiment interval, as for NPS ("adjusted_wald" default, "wald", "t", "bootstrap",
    "exact_bootstrap"); share_interval: interval of the positive share and polarity ("wilson" default).
    """

def sentiment_from_counts(
    positive: int,
    neutral: int,
    negative: int,
    *,
    interval: Optional[_NetInterval] = None,
    share_interval: Optional[_ProportionMethod] = None,
    confidence: Optional[float] = None,
    resamples: Optional[int] = None,
    seed: Optional[int] = None,
) -> SentimentResult:
    """Sentiment shares and net sentiment from counts of positive, neutral and negative mentions."""

def compare_nps(
    a: Union[NpsResult, Dict[str, Any]],
    b: Union[NpsResult, Dict[str, Any]],
    *,
    method: Optional[Literal["adjusted_wald", "wald", "welch"]] = None,
    confidence: Optional[float] = None,
) -> ComparisonResult:
    """Difference of two NPS results (a - b, NPS points) with a z test and interval.

    method: "adjusted_wald" (default), "wald", "welch".
    """

def compare_shares(
    a: Union[ShareResult, Dict[str, Any]],
    b: Union[ShareResult, Dict[str, Any]],
    *,
    method: Optional[Literal["newcombe", "wald", "agresti_caffo"]] = None,
    confidence: Optional[float] = None,
) -> ComparisonResult:
    """Difference of two shares (a - b) with a test and interval.

    method: "newcombe" (default: hybrid score interval, pooled z test), "wald", "agresti_caffo".
    """

def compare_means(
    a: Union[MeanResult, Dict[str, Any]],
    b: Union[MeanResult, Dict[str, Any]],
    *,
    method: Optional[Literal["welch", "student"]] = None,
    confidence: Optional[float] = None,
) -> ComparisonResult:
    """Difference of two means (a - b) with a t test and interval. method: "welch" (default) or "student"."""

def sample_size(
    metric: Literal["nps", "share", "mean"],
    margin: float,
    *,
    confidence: Optional[float] = None,
    promoters: Optional[float] = None,
    detractors: Optional[float] = None,
    p: Optional[float] = None,
    sd: Optional[float] = None,
    population: Optional[float] = None,
    response_rate: Optional[float] = None,
    fpc: Optional[Literal["exact", "simple"]] = None,
) -> SampleSizeResult:
    """Respondents needed for a margin of error (half-width of the interval).

    metric: "nps" (margin in NPS points; planning shares promoters=0.5, detractors=0.25 by default),
    "share" (margin in 0..1; p=0.5 by default) or "mean" (needs sd).
    population: finite population size (exact finite-population inversion by default, fpc="simple" for
    Cochran's). response_rate: gives the invitations to send, and feasibility against the population.
    """

def grouped(
    metric: Literal["nps", "top_box", "mean", "ces", "sentiment"],
    values: _ArrayLike,
    keys: Any,
    weights: Optional[_ArrayLike] = None,
    **options: Any,
) -> GroupedResult:
    """One metric per group in one pass: "nps", "top_box", "mean", "ces" or "sentiment".

    keys: a list of key columns (or one column, or a pandas/polars DataFrame of key columns). Each column may
    be a pandas Categorical or Series (strings, categories, integers), a polars Series, a numpy array or a
    list; it is factorised once here and its level labels kept for ``to_frame()``. Groups are the distinct
    key combinations present, ordered by key (category order for pandas Categorical / polars Enum, sorted
    values otherwise; a missing key is its own last level).
    options: the keyword options of the metric (e.g. interval=..., confidence=..., scale_min=...).
    """

