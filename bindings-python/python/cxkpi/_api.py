"""The public functions of cxkpi: keyword options, input conversion, result classes.

Every function hands its columns to the Rust core (numpy float64 arrays without a copy), its options as a dict
(only those not None: the core's defaults apply otherwise, and the core validates them), and wraps the
result dict in a result class. Errors are ``cxkpi.CxkpiError`` subclasses raised by the core.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Type, Union

import numpy as np

from . import _cxkpi
from ._convert import as_f64, as_f64_opt, as_label_strings, factorize, invalid_argument, key_name, labels_kind
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
    _Result,
)


def _with_design(
    metric: str, values: Any, weights: Any, design: Any, by: Any, linearisation: Optional[str],
    opts: Dict[str, Any], interval_opts: Dict[str, Any],
) -> Any:
    """Routes a metric call with ``design=`` to the design-based estimator (checks what does not apply)."""
    from ._design import design_estimate

    if weights is not None:
        raise invalid_argument("weights", "give either weights or design=, not both (the design carries the weights)")
    for k, v in interval_opts.items():
        if v is not None:
            raise invalid_argument(k, "does not apply with design=: design-based intervals are normal")
    return design_estimate(metric, values, design, by=by, linearisation=linearisation, **opts)


def _no_design_args(by: Any, linearisation: Optional[str]) -> None:
    if by is not None:
        raise invalid_argument("by", "needs design= (for groups without a design, use cxkpi.grouped)")
    if linearisation is not None:
        raise invalid_argument("linearisation", "needs design=")

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


def _opts(**kw: Any) -> Dict[str, Any]:
    """Options not left at None (the core applies its defaults to the others)."""
    return {k: v for k, v in kw.items() if v is not None}


def _as_result_dict(r: Any, cls: Type[_Result], arg: str) -> Dict[str, Any]:
    if isinstance(r, cls):
        return r.to_dict()
    if isinstance(r, dict):
        return r
    raise TypeError(f"`{arg}` must be a {cls.__name__} (or its to_dict()), got {type(r).__name__}")


# ---------------------------------------------------------------------------------------------------------
# NPS
# ---------------------------------------------------------------------------------------------------------


def nps(
    scores: Any,
    weights: Any = None,
    *,
    interval: Optional[str] = None,
    confidence: Optional[float] = None,
    missing: Optional[str] = None,
    promoter_min: Optional[int] = None,
    detractor_max: Optional[int] = None,
    scale_min: Optional[int] = None,
    scale_max: Optional[int] = None,
    resamples: Optional[int] = None,
    seed: Optional[int] = None,
    design: Any = None,
    by: Any = None,
    linearisation: Optional[str] = None,
) -> Any:
    """Net Promoter Score of 0-10 answers (on -100..100), optionally weighted, with an interval.

    scores: the answers (numpy array, list, pandas or polars Series); NaN / None / NA is a missing answer.
    weights: optional non-negative weights, same length.
    interval: "adjusted_wald" (default), "wald", "t", "bootstrap" (seeded percentile), "exact_bootstrap".
    confidence: confidence level, default 0.95.
    missing: "exclude" (default: missing answers are dropped and counted in n_missing) or "error".
    promoter_min / detractor_max: promoter and detractor bands, default 9 and 6.
    scale_min / scale_max: the answer scale, default 0..10.
    resamples / seed: bootstrap replicates (default 2000) and RNG seed (default 42).
    design: a ``WeightingResult`` (``rake``, ``calibrate``, ``poststratify`` on the same rows): returns a
    ``DesignEstimate`` whose SEs account for how the weights were made (GREG linearisation), with ``by`` (a
    column: domains) and ``linearisation`` ("greg", "r_survey", "fixed_weights"); see ``design_estimate``.
    """
    if design is not None:
        return _with_design(
            "nps", scores, weights, design, by, linearisation,
            _opts(confidence=confidence, missing=missing, promoter_min=promoter_min, detractor_max=detractor_max,
                  scale_min=scale_min, scale_max=scale_max),
            {"interval": interval, "resamples": resamples, "seed": seed},
        )
    _no_design_args(by, linearisation)
    opts = _opts(
        interval=interval, confidence=confidence, missing=missing, promoter_min=promoter_min,
        detractor_max=detractor_max, scale_min=scale_min, scale_max=scale_max, resamples=resamples, seed=seed,
    )
    return NpsResult(_cxkpi.nps(as_f64(scores, "scores"), as_f64_opt(weights), opts))


def nps_from_counts(
    promoters: int,
    passives: int,
    detractors: int,
    *,
    interval: Optional[str] = None,
    confidence: Optional[float] = None,
    resamples: Optional[int] = None,
    seed: Optional[int] = None,
) -> NpsResult:
    """NPS from counts of promoters, passives and detractors (e.g. a published table)."""
    opts = _opts(interval=interval, confidence=confidence, resamples=resamples, seed=seed)
    return NpsResult(_cxkpi.nps_from_counts(promoters, passives, detractors, opts))


# ---------------------------------------------------------------------------------------------------------
# Shares
# ---------------------------------------------------------------------------------------------------------


def top_box(
    scores: Any,
    weights: Any = None,
    *,
    scale_min: Optional[int] = None,
    scale_max: Optional[int] = None,
    side: Optional[str] = None,
    k: Optional[int] = None,
    interval: Optional[str] = None,
    confidence: Optional[float] = None,
    missing: Optional[str] = None,
    design: Any = None,
    by: Any = None,
    linearisation: Optional[str] = None,
) -> Any:
    """Top-k-box (or bottom-k-box) share, e.g. CSAT = top-2-box on 1-5 (the default).

    side: "top" (default) or "bottom"; k: number of boxes, default 2.
    interval: "wilson" (default), "wald", "agresti_coull", "clopper_pearson", "jeffreys", "wilson_cc";
    weighted data use the method with the Kish effective n.
    design / by / linearisation: a design-based estimate under weighting (see ``nps``).
    """
    if design is not None:
        return _with_design(
            "top_box", scores, weights, design, by, linearisation,
            _opts(scale_min=scale_min, scale_max=scale_max, side=side, k=k, confidence=confidence, missing=missing),
            {"interval": interval},
        )
    _no_design_args(by, linearisation)
    opts = _opts(
        scale_min=scale_min, scale_max=scale_max, side=side, k=k, interval=interval, confidence=confidence,
        missing=missing,
    )
    return ShareResult(_cxkpi.top_box(as_f64(scores, "scores"), as_f64_opt(weights), opts))


def share_from_counts(
    successes: int,
    n: int,
    *,
    interval: Optional[str] = None,
    confidence: Optional[float] = None,
) -> ShareResult:
    """A share from a count of successes out of n (0 <= successes <= n, n >= 1)."""
    return ShareResult(_cxkpi.share_from_counts(successes, n, _opts(interval=interval, confidence=confidence)))


def proportion_interval(
    x: float,
    n: float,
    *,
    method: Optional[str] = None,
    confidence: Optional[float] = None,
) -> Interval:
    """Confidence interval of the proportion x/n (x and n may be non-integer, e.g. effective counts).

    method: "wilson" (default), "wald", "agresti_coull", "clopper_pearson", "jeffreys", "wilson_cc".
    """
    return Interval(_cxkpi.proportion_interval(float(x), float(n), _opts(method=method, confidence=confidence)))


# ---------------------------------------------------------------------------------------------------------
# Means
# ---------------------------------------------------------------------------------------------------------


def mean_score(
    values: Any,
    weights: Any = None,
    *,
    scale_min: Optional[int] = None,
    scale_max: Optional[int] = None,
    direction: Optional[str] = None,
    interval: Optional[str] = None,
    confidence: Optional[float] = None,
    missing: Optional[str] = None,
    design: Any = None,
    by: Any = None,
    linearisation: Optional[str] = None,
) -> Any:
    """Mean of a score with its SD, SE and interval.

    With scale_min/scale_max the answers must be whole points on that scale; without, any finite value.
    direction: "higher_is_better" (default) or "lower_is_better" (recorded in the result).
    interval: "auto" (default: t with n-1 df unweighted, normal weighted), "t", "normal".
    design / by / linearisation: a design-based estimate under weighting (see ``nps``).
    """
    if design is not None:
        return _with_design(
            "mean", values, weights, design, by, linearisation,
            _opts(scale_min=scale_min, scale_max=scale_max, direction=direction, confidence=confidence,
                  missing=missing),
            {"interval": interval},
        )
    _no_design_args(by, linearisation)
    opts = _opts(
        scale_min=scale_min, scale_max=scale_max, direction=direction, interval=interval, confidence=confidence,
        missing=missing,
    )
    return MeanResult(_cxkpi.mean_score(as_f64(values, "values"), as_f64_opt(weights), opts))


def ces(
    scores: Any,
    weights: Any = None,
    *,
    scale_min: Optional[int] = None,
    scale_max: Optional[int] = None,
    direction: Optional[str] = None,
    interval: Optional[str] = None,
    confidence: Optional[float] = None,
    missing: Optional[str] = None,
    design: Any = None,
    by: Any = None,
    linearisation: Optional[str] = None,
) -> Any:
    """Customer Effort Score: the mean of 1-7 answers (default scale), higher = easier by default.

    design / by / linearisation: a design-based estimate under weighting (see ``nps``).
    """
    if design is not None:
        return _with_design(
            "ces", scores, weights, design, by, linearisation,
            _opts(scale_min=scale_min, scale_max=scale_max, direction=direction, confidence=confidence,
                  missing=missing),
            {"interval": interval},
        )
    _no_design_args(by, linearisation)
    opts = _opts(
        scale_min=scale_min, scale_max=scale_max, direction=direction, interval=interval, confidence=confidence,
        missing=missing,
    )
    return MeanResult(_cxkpi.ces(as_f64(scores, "scores"), as_f64_opt(weights), opts))


def mean_from_summary(
    mean: float,
    sd: float,
    n: int,
    *,
    interval: Optional[str] = None,
    confidence: Optional[float] = None,
    direction: Optional[str] = None,
) -> MeanResult:
    """A mean result from published summary statistics (mean, SD, n), e.g. to compare with compare_means."""
    opts = _opts(interval=interval, confidence=confidence, direction=direction)
    return MeanResult(_cxkpi.mean_from_summary(float(mean), float(sd), n, opts))


# ---------------------------------------------------------------------------------------------------------
# Rates
# ---------------------------------------------------------------------------------------------------------


def churn(
    customers_start: float,
    lost: float,
    *,
    customers_end: Optional[float] = None,
    period_months: Optional[float] = None,
    base: Optional[str] = None,
    interval: Optional[str] = None,
    confidence: Optional[float] = None,
) -> ChurnResult:
    """Churn rate lost / customers_start for a period, retention, and both annualised by compounding.

    base: "start" (default) or "average" ((start + end) / 2, needs customers_end; no interval).
    period_months: length of the period, default 1.
    interval: proportion interval method on the churn rate, default "wilson".
    """
    opts = _opts(
        customers_end=customers_end, period_months=period_months, base=base, interval=interval,
        confidence=confidence,
    )
    return ChurnResult(_cxkpi.churn(float(customers_start), float(lost), opts))


def convert_rate(rate: float, from_months: float, to_months: float) -> float:
    """Convert a churn rate between period lengths by compounding: 1 - (1 - rate) ** (to / from)."""
    return float(_cxkpi.convert_rate(float(rate), float(from_months), float(to_months)))


# ---------------------------------------------------------------------------------------------------------
# Sentiment
# ---------------------------------------------------------------------------------------------------------


def _sentiment_codes(labels: Any) -> np.ndarray:
    """Sentiment labels as float codes: +1 positive, 0 neutral, -1 negative, NaN missing.

    Numeric columns pass through (as float64); text labels ("positive", "neutral", "negative", any case) are
    parsed by the core; None / NaN / NA / null are missing.
    """
    if labels_kind(labels) == "strings":
        return _cxkpi.parse_sentiment_labels(as_label_strings(labels))  # type: ignore[no-any-return]
    return as_f64(labels, "labels")


def sentiment_share(
    labels: Any,
    weights: Any = None,
    *,
    interval: Optional[str] = None,
    share_interval: Optional[str] = None,
    confidence: Optional[float] = None,
    missing: Optional[str] = None,
    resamples: Optional[int] = None,
    seed: Optional[int] = None,
) -> SentimentResult:
    """Sentiment shares, net sentiment (P - N) / (P + U + N) and polarity (P - N) / (P + N).

    labels: codes (+1, 0, -1; NaN missing) or strings ("positive", "neutral", "negative"; None missing).
    interval: net-sentiment interval, as for NPS ("adjusted_wald" default, "wald", "t", "bootstrap",
    "exact_bootstrap"); share_interval: interval of the positive share and polarity ("wilson" default).
    """
    opts = _opts(
        interval=interval, share_interval=share_interval, confidence=confidence, missing=missing,
        resamples=resamples, seed=seed,
    )
    return SentimentResult(_cxkpi.sentiment_share(_sentiment_codes(labels), as_f64_opt(weights), opts))


def sentiment_from_counts(
    positive: int,
    neutral: int,
    negative: int,
    *,
    interval: Optional[str] = None,
    share_interval: Optional[str] = None,
    confidence: Optional[float] = None,
    resamples: Optional[int] = None,
    seed: Optional[int] = None,
) -> SentimentResult:
    """Sentiment shares and net sentiment from counts of positive, neutral and negative mentions."""
    opts = _opts(
        interval=interval, share_interval=share_interval, confidence=confidence, resamples=resamples, seed=seed
    )
    return SentimentResult(_cxkpi.sentiment_from_counts(positive, neutral, negative, opts))


# ---------------------------------------------------------------------------------------------------------
# Comparisons
# ---------------------------------------------------------------------------------------------------------


def compare_nps(
    a: Union[NpsResult, Dict[str, Any]],
    b: Union[NpsResult, Dict[str, Any]],
    *,
    method: Optional[str] = None,
    confidence: Optional[float] = None,
) -> ComparisonResult:
    """Difference of two NPS results (a - b, NPS points) with a z test and interval.

    method: "adjusted_wald" (default), "wald", "welch".
    """
    return ComparisonResult(
        _cxkpi.compare_nps(
            _as_result_dict(a, NpsResult, "a"), _as_result_dict(b, NpsResult, "b"),
            _opts(method=method, confidence=confidence),
        )
    )


def compare_shares(
    a: Union[ShareResult, Dict[str, Any]],
    b: Union[ShareResult, Dict[str, Any]],
    *,
    method: Optional[str] = None,
    confidence: Optional[float] = None,
) -> ComparisonResult:
    """Difference of two shares (a - b) with a test and interval.

    method: "newcombe" (default: hybrid score interval, pooled z test), "wald", "agresti_caffo".
    """
    return ComparisonResult(
        _cxkpi.compare_shares(
            _as_result_dict(a, ShareResult, "a"), _as_result_dict(b, ShareResult, "b"),
            _opts(method=method, confidence=confidence),
        )
    )


def compare_means(
    a: Union[MeanResult, Dict[str, Any]],
    b: Union[MeanResult, Dict[str, Any]],
    *,
    method: Optional[str] = None,
    confidence: Optional[float] = None,
) -> ComparisonResult:
    """Difference of two means (a - b) with a t test and interval. method: "welch" (default) or "student"."""
    return ComparisonResult(
        _cxkpi.compare_means(
            _as_result_dict(a, MeanResult, "a"), _as_result_dict(b, MeanResult, "b"),
            _opts(method=method, confidence=confidence),
        )
    )


# ---------------------------------------------------------------------------------------------------------
# Planning
# ---------------------------------------------------------------------------------------------------------


def sample_size(
    metric: str,
    margin: float,
    *,
    confidence: Optional[float] = None,
    promoters: Optional[float] = None,
    detractors: Optional[float] = None,
    p: Optional[float] = None,
    sd: Optional[float] = None,
    population: Optional[float] = None,
    response_rate: Optional[float] = None,
    fpc: Optional[str] = None,
) -> SampleSizeResult:
    """Respondents needed for a margin of error (half-width of the interval).

    metric: "nps" (margin in NPS points; planning shares promoters=0.5, detractors=0.25 by default),
    "share" (margin in 0..1; p=0.5 by default) or "mean" (needs sd).
    population: finite population size (exact finite-population inversion by default, fpc="simple" for
    Cochran's). response_rate: gives the invitations to send, and feasibility against the population.
    """
    opts = _opts(
        metric=metric, margin=margin, confidence=confidence, promoters=promoters, detractors=detractors, p=p,
        sd=sd, population=population, response_rate=response_rate, fpc=fpc,
    )
    return SampleSizeResult(_cxkpi.sample_size(opts))


# ---------------------------------------------------------------------------------------------------------
# Grouped
# ---------------------------------------------------------------------------------------------------------


def _key_columns(keys: Any) -> List[Any]:
    mod = type(keys).__module__.split(".", 1)[0]
    if mod in ("pandas", "polars") and type(keys).__name__ == "DataFrame":
        return [keys[c] for c in keys.columns]
    if isinstance(keys, (list, tuple)):
        if len(keys) and all(_is_column(k) for k in keys):
            return list(keys)
        return [keys]
    if isinstance(keys, np.ndarray) and keys.ndim == 2:
        return [keys[i] for i in range(keys.shape[0])]
    return [keys]


def _is_column(obj: Any) -> bool:
    if isinstance(obj, (str, bytes)):
        return False
    return hasattr(obj, "__len__") and hasattr(obj, "__iter__")


def grouped(
    metric: str,
    values: Any,
    keys: Any,
    weights: Any = None,
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
    cols = _key_columns(keys)
    codes: List[np.ndarray] = []
    labels: List[Optional[List[Any]]] = []
    names: List[str] = []
    for i, col in enumerate(cols):
        c, lab = factorize(col)
        codes.append(c)
        labels.append(lab)
        name = key_name(col, i)
        names.append(name if name not in names else f"{name}_{i}")
    if metric == "sentiment":
        vals = _sentiment_codes(values)
    else:
        vals = as_f64(values, "values")
    data = _cxkpi.grouped(metric, vals, codes, as_f64_opt(weights), _opts(**options))
    return GroupedResult(data, names, labels)
