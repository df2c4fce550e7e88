"""cxkpi: customer-experience KPIs (NPS, CSAT/top-box, CES and mean scores, churn, sentiment) with exact
intervals, comparisons, sample-size planning, grouped metrics, mergeable partials, and survey weighting
(raking, calibration, post-stratification, trimming, diagnostics).

Columns (``ArrayLike``) may be numpy arrays (float64 is used without a copy), lists, pandas Series (including
nullable Int64/Float64 with NA) or polars Series; missing values (NaN, None, NA, null) are missing answers.
Options left as None take the core's documented default.
"""

from typing import Any, Dict

from ._api import (
    ces as ces,
    churn as churn,
    compare_means as compare_means,
    compare_nps as compare_nps,
    compare_shares as compare_shares,
    convert_rate as convert_rate,
    grouped as grouped,
    mean_from_summary as mean_from_summary,
    mean_score as mean_score,
    nps as nps,
    nps_from_counts as nps_from_counts,
    proportion_interval as proportion_interval,
    sample_size as sample_size,
    sentiment_from_counts as sentiment_from_counts,
    sentiment_share as sentiment_share,
    share_from_counts as share_from_counts,
    top_box as top_box,
)
from ._partials import (
    ChurnPartial as ChurnPartial,
    MeanPartial as MeanPartial,
    NpsPartial as NpsPartial,
    SentimentPartial as SentimentPartial,
    TopBoxPartial as TopBoxPartial,
    _Partial as _Partial,
)
from ._results import (
    ChurnResult as ChurnResult,
    ComparisonResult as ComparisonResult,
    GroupedResult as GroupedResult,
    Interval as Interval,
    MeanResult as MeanResult,
    NpsResult as NpsResult,
    SampleSizeResult as SampleSizeResult,
    SentimentResult as SentimentResult,
    ShareResult as ShareResult,
    TrimResult as TrimResult,
    WeightDiagnostics as WeightDiagnostics,
    WeightingResult as WeightingResult,
    _Result as _Result,
)
from ._design import DesignEstimate as DesignEstimate, design_estimate as design_estimate
from ._quality import (
    QualityResult as QualityResult,
    RuleSet as RuleSet,
    ValidationResult as ValidationResult,
    ViewPolicy as ViewPolicy,
    reconcile as reconcile,
    suppress as suppress,
    validate_responses as validate_responses,
)
from ._governance import Bridge as Bridge, Registry as Registry
from ._text import (
    IsotonicFit as IsotonicFit,
    Taxonomy as Taxonomy,
    TextResult as TextResult,
    ThemeTags as ThemeTags,
    bland_altman as bland_altman,
    cohen_kappa as cohen_kappa,
    fold_text as fold_text,
    isotonic_fit as isotonic_fit,
    map_theme_counts as map_theme_counts,
    provider_agreement as provider_agreement,
    sentiment_survey_agreement as sentiment_survey_agreement,
    standardise_sentiment as standardise_sentiment,
    tag_themes as tag_themes,
    theme_impact as theme_impact,
    theme_trend as theme_trend,
    validate_taxonomy as validate_taxonomy,
)
from ._baseline import (
    SeriesResult as SeriesResult,
    aggregate_daily as aggregate_daily,
    baseline as baseline,
    daily_series as daily_series,
    decompose as decompose,
    detect_changes as detect_changes,
    event_calendar as event_calendar,
    mstl as mstl,
    period_move as period_move,
    period_move_from_values as period_move_from_values,
    stl as stl,
    stl_batch as stl_batch,
)
from ._charts import (
    ChartResult as ChartResult,
    average_run_length as average_run_length,
    calibrate_threshold as calibrate_threshold,
    chart_monitor as chart_monitor,
    chart_rules as chart_rules,
    cusum_chart as cusum_chart,
    ewma_chart as ewma_chart,
    funnel_limits as funnel_limits,
    individuals_chart as individuals_chart,
    p_chart as p_chart,
    run_rules as run_rules,
)
from ._screens import (
    ScreensResult as ScreensResult,
    alert_ladder as alert_ladder,
    build_alerts as build_alerts,
    chi_square as chi_square,
    coaching_step as coaching_step,
    duplicate_verbatims as duplicate_verbatims,
    jensen_shannon as jensen_shannon,
    ks_2samp as ks_2samp,
    low_variance as low_variance,
    psi as psi,
    selective_filtering as selective_filtering,
    top_box_inflation as top_box_inflation,
)
from ._stats import (
    StatsResult as StatsResult,
    correlation as correlation,
    correlation_matrix as correlation_matrix,
    cronbach_alpha as cronbach_alpha,
    did as did,
    icc as icc,
    kaplan_meier as kaplan_meier,
    logistic as logistic,
    measurement_error as measurement_error,
    ols as ols,
    p_adjust as p_adjust,
    retention_by_cohort as retention_by_cohort,
    hazard_by_group as hazard_by_group,
    before_after as before_after,
    shapley_r2 as shapley_r2,
    shrink as shrink,
    t_test as t_test,
    test_retest as test_retest,
)
from ._weighting import (
    calibrate as calibrate,
    poststratify as poststratify,
    rake as rake,
    trim_weights as trim_weights,
    weight_diagnostics as weight_diagnostics,
)
__version__: str
from ._composite import (
    Scorecard as Scorecard,
    ScorecardResult as ScorecardResult,
    composite_normalise as composite_normalise,
    composite_aggregate as composite_aggregate,
    composite_slope_test as composite_slope_test,
    suggest_weights as suggest_weights,
)
from ._incentive import (
    ClawbackResult as ClawbackResult,
    IncentivePlan as IncentivePlan,
    IncentiveResult as IncentiveResult,
    WhatIfResult as WhatIfResult,
)

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
    "SeriesResult",
    "aggregate_daily",
    "baseline",
    "daily_series",
    "decompose",
    "detect_changes",
    "event_calendar",
    "mstl",
    "period_move",
    "period_move_from_values",
    "stl",
    "stl_batch",
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
    "IsotonicFit",
    "Taxonomy",
    "TextResult",
    "ThemeTags",
    "bland_altman",
    "cohen_kappa",
    "fold_text",
    "isotonic_fit",
    "map_theme_counts",
    "provider_agreement",
    "sentiment_survey_agreement",
    "standardise_sentiment",
    "tag_themes",
    "theme_impact",
    "theme_trend",
    "validate_taxonomy",
    "StatsResult",
    "correlation",
    "correlation_matrix",
    "cronbach_alpha",
    "did",
    "icc",
    "kaplan_meier",
    "logistic",
    "measurement_error",
    "ols",
    "p_adjust",
    "retention_by_cohort",
    "hazard_by_group",
    "before_after",
    "shapley_r2",
    "shrink",
    "t_test",
    "test_retest",
    "Scorecard",
    "QualityResult",
    "RuleSet",
    "ValidationResult",
    "ViewPolicy",
    "reconcile",
    "suppress",
    "validate_responses",
    "Bridge",
    "Registry",
    "ScorecardResult",
    "composite_normalise",
    "composite_aggregate",
    "composite_slope_test",
    "suggest_weights",
    "ClawbackResult",
    "IncentivePlan",
    "IncentiveResult",
    "WhatIfResult",
    "ChurnPartial",
    "ChurnResult",
    "ComparisonResult",
    "DesignEstimate",
    "CxkpiError",
    "EmptyInputError",
    "GroupedResult",
    "IncompatiblePartialsError",
    "InsufficientDataError",
    "Interval",
    "InvalidArgumentError",
    "InvalidConfidenceError",
    "InvalidWeightError",
    "LengthMismatchError",
    "MeanPartial",
    "MeanResult",
    "MissingValueError",
    "NonIntegerError",
    "NpsPartial",
    "NpsResult",
    "OutOfScaleError",
    "SampleSizeResult",
    "SentimentPartial",
    "SentimentResult",
    "ShareResult",
    "TopBoxPartial",
    "TrimResult",
    "UnknownMethodError",
    "UnsupportedError",
    "WeightDiagnostics",
    "WeightingResult",
    "InconsistentMarginsError",
    "EmptyLevelError",
    "InfeasibleError",
    "NotConvergedError",
    "ZeroWeightSumError",
    "__version__",
    "calibrate",
    "ces",
    "churn",
    "compare_means",
    "compare_nps",
    "compare_shares",
    "convert_rate",
    "design_estimate",
    "grouped",
    "mean_from_summary",
    "mean_score",
    "nps",
    "nps_from_counts",
    "poststratify",
    "proportion_interval",
    "rake",
    "sample_size",
    "sentiment_from_counts",
    "sentiment_share",
    "share_from_counts",
    "top_box",
    "trim_weights",
    "version",
    "weight_diagnostics",
]

def version() -> str:
    """The version of the cxkpi core this module was built from."""

# ---------------------------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------------------------

class CxkpiError(ValueError):
    """Base class of every error raised by cxkpi.

    ``kind`` is the stable snake_case error kind (the same in Rust and Node: ``CXKPI_<KIND>``), ``details`` a
    dict with ``arg`` (the argument), ``index`` (the row) and ``value`` (the offending value), each None where
    not applicable.
    """

    kind: str
    details: Dict[str, Any]

class EmptyInputError(CxkpiError):
    """A required column has no elements (kind ``empty_input``)."""

class MissingValueError(CxkpiError):
    """A missing value where the missing-value policy is ``error`` (kind ``missing_value``)."""

class OutOfScaleError(CxkpiError):
    """An answer outside the declared scale, or +/-inf (kind ``out_of_scale``)."""

class NonIntegerError(CxkpiError):
    """An answer that is not a whole scale point (kind ``non_integer``)."""

class LengthMismatchError(CxkpiError):
    """Columns that must have the same length do not (kind ``length_mismatch``)."""

class InvalidWeightError(CxkpiError):
    """A weight that is NaN, infinite or negative (kind ``invalid_weight``)."""

class ZeroWeightSumError(CxkpiError):
    """The weights of the valid rows sum to zero (kind ``zero_weight_sum``)."""

class InvalidConfidenceError(CxkpiError):
    """A confidence level outside (0, 1) (kind ``invalid_confidence``)."""

class UnknownMethodError(CxkpiError):
    """A method or policy name that is not known (kind ``unknown_method``)."""

class InvalidArgumentError(CxkpiError):
    """An argument with a value that cannot be used, or an unknown option (kind ``invalid_argument``)."""

class InsufficientDataError(CxkpiError):
    """Too few valid observations for the requested quantity (kind ``insufficient_data``)."""

class IncompatiblePartialsError(CxkpiError):
    """Partials computed under different settings cannot be merged (kind ``incompatible_partials``)."""

class UnsupportedError(CxkpiError):
    """A valid request that this combination of inputs does not support (kind ``unsupported``)."""

class InconsistentMarginsError(CxkpiError):
    """Weighting margins whose totals disagree (kind ``inconsistent_margins``)."""

class EmptyLevelError(CxkpiError):
    """A target level that no respondent has (kind ``empty_level``)."""

class InfeasibleError(CxkpiError):
    """Constraints (bounds, targets) that no solution can meet (kind ``infeasible``)."""

class NotConvergedError(CxkpiError):
    """An iterative fit that did not reach its tolerance (kind ``not_converged``)."""

