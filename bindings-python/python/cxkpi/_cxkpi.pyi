"""Native part of cxkpi (private: use the functions and classes of the ``cxkpi`` package).

Columns must be 1-D float64 numpy arrays (uint32 for group keys); the package's public functions convert
other inputs once. Options are dicts of the core's option names; results are dicts of the core's fields.
"""

from typing import Any, Dict, List, Optional, final


import numpy as np
import numpy.typing as npt

from . import (
    CxkpiError as CxkpiError,
    EmptyInputError as EmptyInputError,
    IncompatiblePartialsError as IncompatiblePartialsError,
    InsufficientDataError as InsufficientDataError,
    InvalidArgumentError as InvalidArgumentError,
    InvalidConfidenceError as InvalidConfidenceError,
    InvalidWeightError as InvalidWeightError,
    LengthMismatchError as LengthMismatchError,
    MissingValueError as MissingValueError,
    NonIntegerError as NonIntegerError,
    OutOfScaleError as OutOfScaleError,
    UnknownMethodError as UnknownMethodError,
    UnsupportedError as UnsupportedError,
    InconsistentMarginsError as InconsistentMarginsError,
    EmptyLevelError as EmptyLevelError,
    InfeasibleError as InfeasibleError,
    NotConvergedError as NotConvergedError,
    ZeroWeightSumError as ZeroWeightSumError,
)

__all__ = [
    "baseline_stl",
    "baseline_stl_batch",
    "baseline_mstl",
    "baseline_decompose",
    "baseline_expected",
    "baseline_event_calendar",
    "baseline_detect_changes",
    "baseline_period_move",
    "baseline_period_move_from_values",
    "baseline_aggregate_daily",
    "baseline_daily_series",
    "design_estimate",
    "stats_icc",
    "stats_cronbach_alpha",
    "stats_measurement_error",
    "stats_test_retest",
    "stats_correlation",
    "stats_correlation_matrix",
    "stats_p_adjust",
    "stats_ols",
    "stats_ols_rows",
    "stats_logistic_rows",
    "stats_shapley_r2",
    "stats_logistic",
    "stats_t_test",
    "stats_did",
    "stats_kaplan_meier",
    "stats_retention_by_cohort",
    "stats_hazard_by_group",
    "stats_before_after",
    "stats_shrink",
    "screens_psi",
    "screens_ks_2samp",
    "screens_jensen_shannon",
    "screens_chi_square",
    "screens_top_box_inflation",
    "screens_low_variance",
    "screens_duplicate_verbatims",
    "screens_selective_filtering",
    "screens_coaching_step",
    "screens_signals",
    "screens_alert_ladder",
    "screens_build_alerts",
    "charts_arl",
    "charts_calibrate",
    "charts_chart_rules",
    "charts_cusum",
    "charts_ewma",
    "charts_funnel",
    "charts_individuals",
    "charts_monitor",
    "charts_p",
    "charts_run_rules",
    "text_parse_taxonomy",
    "text_tag_themes",
    "text_theme_trend",
    "text_theme_impact",
    "text_validate_taxonomy",
    "text_map_theme_counts",
    "text_standardise_sentiment",
    "text_isotonic_fit",
    "text_isotonic_predict",
    "text_cohen_kappa",
    "text_bland_altman",
    "text_provider_agreement",
    "text_sentiment_survey_agreement",
    "text_fold",
    "__version__",
    "version",
    "nps",
    "nps_from_counts",
    "top_box",
    "share_from_counts",
    "proportion_interval",
    "mean_score",
    "ces",
    "mean_from_summary",
    "churn",
    "convert_rate",
    "sentiment_share",
    "parse_sentiment_labels",
    "sentiment_from_counts",
    "compare_nps",
    "compare_shares",
    "compare_means",
    "sample_size",
    "grouped",
    "rake",
    "calibrate",
    "poststratify",
    "trim_weights",
    "weight_diagnostics",
    "incentive_plan_check",
    "incentive_plan_from_json",
    "incentive_plan_from_toml",
    "incentive_evaluate",
    "incentive_explain",
    "incentive_what_if",
    "incentive_clawback",
    "incentive_evaluate_columns",
    "quality_rules_from_text",
    "quality_rules_check",
    "quality_validate",
    "quality_suppress_one_way",
    "quality_suppress_two_way",
    "quality_view_policy_from_text",
    "quality_view_policy_check",
    "quality_view_policy_evaluate",
    "quality_reconcile",
    "governance_registry_from_text",
    "governance_registry_check",
    "governance_in_force",
    "governance_history",
    "governance_retire",
    "governance_stamp",
    "governance_bridge_fit",
    "governance_bridge_apply",
    "governance_bridge_series",
    "scorecard_check",
    "scorecard_from_text",
    "scorecard_evaluate",
    "scorecard_explain",
    "scorecard_sensitivity",
    "scorecard_balance",
    "scorecard_redundancy",
    "scorecard_myopia",
    "composite_normalise",
    "composite_aggregate",
    "composite_slope_test",
    "composite_suggest_weights",
    "NpsPartial",
    "TopBoxPartial",
    "MeanPartial",
    "SentimentPartial",
    "ChurnPartial",
    "CxkpiError",
    "EmptyInputError",
    "MissingValueError",
    "OutOfScaleError",
    "NonIntegerError",
    "LengthMismatchError",
    "InvalidWeightError",
    "ZeroWeightSumError",
    "InvalidConfidenceError",
    "UnknownMethodError",
    "InvalidArgumentError",
    "InsufficientDataError",
    "IncompatiblePartialsError",
    "UnsupportedError",
    "InconsistentMarginsError",
    "EmptyLevelError",
    "InfeasibleError",
    "NotConvergedError",
]

__version__: str

_F64 = npt.NDArray[np.float64]
_U32 = npt.NDArray[np.uint32]
_Opts = Optional[Dict[str, Any]]
_Res = Dict[str, Any]

def version() -> str:
    """The version of the cxkpi core this module was built from."""

def nps(scores: _F64, weights: Optional[_F64] = None, options: _Opts = None) -> _Res: ...
def nps_from_counts(promoters: int, passives: int, detractors: int, options: _Opts = None) -> _Res: ...
def top_box(scores: _F64, weights: Optional[_F64] = None, options: _Opts = None) -> _Res: ...
def share_from_counts(successes: int, n: int, options: _Opts = None) -> _Res: ...
def proportion_interval(x: float, n: float, options: _Opts = None) -> _Res: ...
def mean_score(values: _F64, weights: Optional[_F64] = None, options: _Opts = None) -> _Res: ...
def ces(scores: _F64, weights: Optional[_F64] = None, options: _Opts = None) -> _Res: ...
def mean_from_summary(mean: float, sd: float, n: int, options: _Opts = None) -> _Res: ...
def churn(customers_start: float, lost: float, options: _Opts = None) -> _Res: ...
def convert_rate(rate: float, from_months: float, to_months: float) -> float: ...
def sentiment_share(labels: _F64, weights: Optional[_F64] = None, options: _Opts = None) -> _Res: ...
def parse_sentiment_labels(labels: List[Optional[str]]) -> _F64:
    """Text labels (str or None) -> float64 codes (+1, 0, -1, NaN), parsed by the core."""

def sentiment_from_counts(positive: int, neutral: int, negative: int, options: _Opts = None) -> _Res: ...
def compare_nps(a: _Res, b: _Res, options: _Opts = None) -> _Res: ...
def compare_shares(a: _Res, b: _Res, options: _Opts = None) -> _Res: ...
def compare_means(a: _Res, b: _Res, options: _Opts = None) -> _Res: ...
def sample_size(options: _Opts = None) -> _Res: ...
def grouped(
    metric: str, values: _F64, keys: List[_U32], weights: Optional[_F64] = None, options: _Opts = None
) -> _Res: ...

def rake(codes: List[_U32], targets: List[_F64], base: Optional[_F64] = None, options: _Opts = None) -> _Res:
    """Rake to the margins: ``codes[v]`` level codes (0..L-1) of variable v, ``targets[v]`` its targets.
    The result dict has ``weights`` and ``g`` as float64 arrays."""

def calibrate(
    codes: List[_U32], targets: List[_F64], base: Optional[_F64] = None, options: _Opts = None
) -> _Res:
    """Calibrate to the margins with the distance and bounds of the options."""

def poststratify(
    codes: List[_U32], levels: List[int], cell_targets: _F64, base: Optional[_F64] = None, options: _Opts = None
) -> _Res:
    """Post-stratify: one target per crossed cell, the first variable most significant."""

def design_estimate(
    metric: str,
    values: _F64,
    codes: List[_U32],
    levels: List[int],
    base: Optional[_F64],
    weights: _F64,
    method: str,
    by: Optional[_U32] = None,
    options: _Opts = None,
) -> _Res:
    """Weighted mean / top-box / NPS under a weighting design with calibration-aware SEs."""

def trim_weights(weights: _F64, options: _Opts = None) -> _Res:
    """Trim weights (options: upper, lower, relative_to_mean); ``weights`` comes back as an array."""

def weight_diagnostics(weights: _F64, base: Optional[_F64] = None) -> _Res:
    """Spread, Kish effective n and design effect of the weights."""

# stats (core module `stats`): columns as float64 arrays (codes uint32), options dicts parsed by the core.
def stats_icc(columns: List[_F64], options: _Opts = None) -> _Res:
    """All six ICC forms; ``columns[j]`` = judge j's ratings."""
def stats_cronbach_alpha(columns: List[_F64], options: _Opts = None) -> _Res:
    """Cronbach's alpha; ``columns[j]`` = item j."""
def stats_measurement_error(sd: float, reliability: float, confidence: float) -> _Res:
    """SEM and MDC."""
def stats_test_retest(test: _F64, retest: _F64, confidence: float) -> _Res:
    """Test-retest report."""
def stats_correlation(x: _F64, y: _F64, options: _Opts = None) -> _Res:
    """Pearson or Spearman correlation."""
def stats_correlation_matrix(columns: List[_F64], names: Optional[List[str]] = None, options: _Opts = None) -> _Res:
    """Correlation matrix with Holm and BH adjusted p-values."""
def stats_p_adjust(p: _F64, method: str) -> List[float]:
    """Adjusted p-values."""
def stats_ols(y: _F64, x: List[_F64], options: _Opts = None) -> _Res:
    """Ordinary least squares."""
def stats_ols_rows(y: _F64, x: _F64, options: _Opts = None) -> _Res:
    """Ordinary least squares on a C-ordered 2-D array of predictors."""
def stats_shapley_r2(y: _F64, x: List[_F64], names: Optional[List[str]] = None) -> _Res:
    """Shapley decomposition of R²."""
def stats_logistic(y: _F64, x: List[_F64], options: _Opts = None) -> _Res:
    """Logistic regression."""
def stats_logistic_rows(y: _F64, x: _F64, options: _Opts = None) -> _Res:
    """Logistic regression on a C-ordered 2-D array of predictors."""
def stats_t_test(x: _F64, y: Optional[_F64] = None, options: _Opts = None) -> _Res:
    """t-test."""
def stats_did(y: _F64, treated: _F64, post: _F64, options: _Opts = None) -> _Res:
    """Difference-in-differences."""
def stats_kaplan_meier(time: _F64, event: _F64, options: _Opts = None) -> _Res:
    """Kaplan-Meier curve."""
def stats_before_after(values: _F64, days: npt.NDArray[np.int64], options: _Opts = None) -> _Res:
    """KPI before/after an intervention date."""
def stats_hazard_by_group(time: _F64, event: _F64, group: _U32, options: _Opts = None) -> _Res:
    """Churn hazard by group."""
def stats_retention_by_cohort(cohort: _U32, churn_period: _F64, observed_until: int, horizon: int) -> List[_Res]:
    """Retention by signup cohort."""
def stats_shrink(values: _F64, groups: _U32, options: _Opts = None) -> _Res:
    """Empirical-Bayes shrinkage."""

# text (core module `text`): documents as dicts (or JSON/TOML text), verbatims as lists of str.
def text_parse_taxonomy(document: Any, format: str) -> _Res:
    """Parse and validate a taxonomy (format: json, toml, dict)."""
def text_tag_themes(taxonomy_doc: Any, verbatims: List[str], languages: Optional[List[str]] = None) -> _Res:
    """Theme tags of the verbatims."""
def text_theme_trend(tags_doc: Any, periods: List[int]) -> _Res:
    """Theme frequency and trend by period."""
def text_theme_impact(tags_doc: Any, sentiment: _F64, value: Optional[_F64] = None, options: _Opts = None) -> _Res:
    """Theme impact ranking."""
def text_validate_taxonomy(taxonomy_doc: Any, tags_doc: Any, labels: List[List[str]]) -> _Res:
    """Precision, recall, F1 and kappa per theme."""
def text_map_theme_counts(old: Any, new: Any, map: Any, counts: _F64) -> _Res:
    """Counts carried between taxonomy versions."""
def text_standardise_sentiment(scores: _F64, method: Any) -> _Res:
    """Scores onto -1..1."""
def text_isotonic_fit(scores: _F64, targets: _F64, weights: Optional[_F64] = None, options: _Opts = None) -> _Res:
    """Isotonic (PAVA) fit."""
def text_isotonic_predict(fit: Any, scores: _F64) -> List[Optional[float]]:
    """Apply an isotonic fit."""
def text_cohen_kappa(a: _U32, b: _U32, options: _Opts = None) -> _Res:
    """Cohen's kappa."""
def text_bland_altman(a: _F64, b: _F64, options: _Opts = None) -> _Res:
    """Bland-Altman agreement."""
def text_provider_agreement(a: _F64, b: _F64, options: _Opts = None) -> _Res:
    """Correlation and Bland-Altman of two providers."""
def text_sentiment_survey_agreement(sentiment: _F64, scores: _F64, options: _Opts = None) -> _Res:
    """Sentiment vs survey answer agreement."""
def text_fold(text: str) -> str:
    """Folded text."""

# incentive (core module `incentive`): plans and inputs as dicts, parsed and validated by the core.
def incentive_plan_check(plan: Any) -> _Res:
    """Validates a plan dict; returns it normalised."""
def incentive_plan_from_json(text: str) -> _Res:
    """Reads and validates a JSON plan; returns the normalised plan dict."""
def incentive_plan_from_toml(text: str) -> _Res:
    """Reads and validates a TOML plan; returns the normalised plan dict."""
def incentive_evaluate(plan: Any, inputs: Optional[Any] = None) -> _Res:
    """Evaluates a plan on inputs."""
def incentive_explain(plan: Any, inputs: Optional[Any], participant: str) -> _Res:
    """The explanation trail of one participant."""
def incentive_what_if(plan: Any, inputs: Optional[Any], changes: Any) -> _Res:
    """Base inputs vs base overlaid with changes."""
def incentive_clawback(plan: Any, review: Any) -> _Res:
    """Clawback review of restated periods."""
def incentive_evaluate_columns(
    plan: Any,
    columns: List[_F64],
    target_bonus: _F64,
    modifiers: Optional[_F64] = None,
    participation: Optional[_F64] = None,
) -> _Res:
    """Bulk payouts; factor and amount as float64 arrays."""

# quality (core module `quality`): rule sets and policies as dicts; columns as float64 arrays / lists of str.
def quality_rules_from_text(text: str, format: str) -> _Res:
    """Reads and validates a JSON or TOML rule set; returns the normalised dict."""
def quality_rules_check(doc: Any) -> _Res:
    """Validates a rule-set dict; returns it normalised."""
def quality_validate(
    rules: Any,
    num_names: List[str],
    num_cols: List[_F64],
    text_names: List[str],
    text_cols: List[List[Any]],
    n_rows: int,
) -> _Res:
    """Validates columns; ``keep`` (numpy bool) and ``failed`` (numpy uint64) as arrays, totals by rule."""
def quality_suppress_one_way(counts: _F64, options: _Opts = None) -> _Res:
    """Small-cell suppression of a one-way table."""
def quality_suppress_two_way(rows: List[_F64], options: _Opts = None) -> _Res:
    """Small-cell suppression of a two-way table (its rows) with its margins."""
def quality_view_policy_from_text(text: str, format: str) -> _Res:
    """Reads and validates a JSON or TOML view policy; returns the normalised dict."""
def quality_view_policy_check(doc: Any) -> _Res:
    """Validates a view-policy dict; returns it normalised."""
def quality_view_policy_evaluate(policy: Any, role: str, level: str, fields: List[str] = ...) -> _Res:
    """What a role may see of fields at a grouping level."""
def quality_reconcile(a: Any, b: Any, options: _Opts = None) -> _Res:
    """Reconciles two sources (lists of record dicts)."""

# governance (core module `governance`): registries as dicts; bridge values as float64 arrays.
def governance_registry_from_text(text: str, format: str) -> _Res:
    """Reads and validates a JSON or TOML registry; returns the normalised dict."""
def governance_registry_check(doc: Any) -> _Res:
    """Validates a registry dict; returns it normalised."""
def governance_in_force(registry: Any, id: str, date: str) -> _Res:
    """The version of a definition in force on a date."""
def governance_history(registry: Any, id: str) -> List[_Res]:
    """Every version of a definition."""
def governance_retire(registry: Any, id: str, date: str, approver: str, reason: str) -> _Res:
    """A new registry dict with the definition retired."""
def governance_stamp(registry: Any, id: str, date: str, lineage: Optional[Any] = None) -> _Res:
    """Definition version in force and lineage."""
def governance_bridge_fit(
    method: str, from_scale: Any, to_scale: Any, old: Optional[_F64] = None, new: Optional[_F64] = None
) -> _Res:
    """Fits a scale bridge."""
def governance_bridge_apply(bridge: Any, values: _F64) -> _F64:
    """Applies a fitted bridge; returns a float64 array."""
def governance_bridge_series(bridge: Any, periods: List[str], values: _F64, break_period: str) -> _Res:
    """A series on the new scale with the break marked."""

# composite (core module `composite`): scorecard documents, values and options as dicts, parsed by the core.
def scorecard_check(doc: Any) -> _Res:
    """Validates a scorecard dict; returns it with every default filled in."""
def scorecard_from_text(text: str, format: str) -> _Res:
    """Reads and validates a JSON or TOML scorecard; returns the normalised dict."""
def scorecard_evaluate(doc: Any, values: Any, options: Optional[Any] = None) -> _Res:
    """Evaluates a scorecard on values (columns or nested dict)."""
def scorecard_explain(result: Any, unit: str, id: str) -> Any:
    """The explanation chain (list of steps) of one unit's KPI or node."""
def scorecard_sensitivity(doc: Any, values: Any, options: Optional[Any] = None) -> _Res:
    """Monte Carlo or exact sensitivity of the composite."""
def scorecard_balance(doc: Any) -> _Res:
    """Weight shares per perspective and leading/lagging, with warnings."""
def scorecard_redundancy(doc: Any, values: Any) -> _Res:
    """Correlation matrix of the KPIs over history and flagged pairs."""
def scorecard_myopia(doc: Any, values: Any) -> _Res:
    """Metric-myopia flags."""
def composite_normalise(x: _F64, options: _Opts = None) -> _Res:
    """Benchmarking normalisation of one column."""
def composite_aggregate(values: _F64, weights: _F64, options: _Opts = None) -> _Res:
    """Weighted arithmetic / geometric / harmonic mean."""
def composite_slope_test(y: _F64, options: _Opts = None) -> _Res:
    """OLS slope test over periods."""
def composite_suggest_weights(components: Any, outcome: Any) -> _Res:
    """OLS and Shapley decomposition of R^2."""

@final
class NpsPartial:
    """Native NPS partial."""

    @staticmethod
    def from_scores(scores: _F64, weights: Optional[_F64] = None, options: _Opts = None) -> NpsPartial: ...
    def merge(self, other: NpsPartial) -> NpsPartial:
        """A new partial holding both shards."""
    def to_json(self) -> str:
        """The core's JSON form."""
    @staticmethod
    def from_json(data: str) -> NpsPartial:
        """Rebuild from `to_json()` output."""
    def finish(self, options: _Opts = None) -> _Res:
        """Final result (options: the interval options of the metric)."""

@final
class TopBoxPartial:
    """Native top-box partial."""

    @staticmethod
    def from_scores(scores: _F64, weights: Optional[_F64] = None, options: _Opts = None) -> TopBoxPartial: ...
    def merge(self, other: TopBoxPartial) -> TopBoxPartial:
        """A new partial holding both shards."""
    def to_json(self) -> str:
        """The core's JSON form."""
    @staticmethod
    def from_json(data: str) -> TopBoxPartial:
        """Rebuild from `to_json()` output."""
    def finish(self, options: _Opts = None) -> _Res:
        """Final result (options: the interval options of the metric)."""

@final
class MeanPartial:
    """Native mean partial."""

    @staticmethod
    def from_values(values: _F64, weights: Optional[_F64] = None, options: _Opts = None) -> MeanPartial: ...
    def merge(self, other: MeanPartial) -> MeanPartial:
        """A new partial holding both shards."""
    def to_json(self) -> str:
        """The core's JSON form."""
    @staticmethod
    def from_json(data: str) -> MeanPartial:
        """Rebuild from `to_json()` output."""
    def finish(self, options: _Opts = None) -> _Res:
        """Final result (options: the interval options of the metric)."""

@final
class SentimentPartial:
    """Native sentiment partial."""

    @staticmethod
    def from_labels(labels: _F64, weights: Optional[_F64] = None, options: _Opts = None) -> SentimentPartial: ...
    def merge(self, other: SentimentPartial) -> SentimentPartial:
        """A new partial holding both shards."""
    def to_json(self) -> str:
        """The core's JSON form."""
    @staticmethod
    def from_json(data: str) -> SentimentPartial:
        """Rebuild from `to_json()` output."""
    def finish(self, options: _Opts = None) -> _Res:
        """Final result (options: the interval options of the metric)."""

@final
class ChurnPartial:
    """Native churn partial."""

    def __new__(cls, customers_start: float, lost: float, customers_end: Optional[float] = None) -> ChurnPartial: ...
    def merge(self, other: ChurnPartial) -> ChurnPartial:
        """A new partial holding both shards."""
    def to_json(self) -> str:
        """The core's JSON form."""
    @staticmethod
    def from_json(data: str) -> ChurnPartial:
        """Rebuild from `to_json()` output."""
    def finish(self, options: _Opts = None) -> _Res:
        """Final result (options: the interval options of the metric)."""

# baseline: series, decomposition, STL/MSTL, baselines with events, level shifts, period moves (helper "series").
def baseline_stl(values: _F64, options: _Opts = None) -> _Res:
    """STL of one series."""
def baseline_stl_batch(series: List[_F64], options: _Opts = None) -> List[_Res]:
    """STL of many series (parallel across series)."""
def baseline_mstl(values: _F64, options: _Opts = None) -> _Res:
    """MSTL (statsmodels conventions)."""
def baseline_decompose(values: _F64, options: _Opts = None) -> _Res:
    """Classical decomposition."""
def baseline_expected(values: _F64, start: str, events: Any = None, options: _Opts = None) -> _Res:
    """Baseline with a band and an event calendar; ``start`` is the ISO date of day 0."""
def baseline_event_calendar(events: Any) -> _Res:
    """Validated event calendar with effective policies."""
def baseline_detect_changes(values: _F64, options: _Opts = None) -> _Res:
    """Level shifts with the confirmation rule."""
def baseline_period_move(before: Any, after: Any, options: _Opts = None) -> _Res:
    """Significance of a period-over-period move from two {estimate, se, n} summaries."""
def baseline_period_move_from_values(before: _F64, after: _F64, options: _Opts = None) -> _Res:
    """Significance of a period-over-period move from raw values."""
def baseline_aggregate_daily(days: npt.NDArray[np.int64], values: _F64, stat: str) -> _Res:
    """Row-level answers per day; ``days`` = int64 days since 1970-01-01."""
def baseline_daily_series(days: npt.NDArray[np.int64], values: _F64) -> _Res:
    """A daily series from (day, value) pairs."""

# screens (core `baseline::{drift, screens, alerts}`): rates, events, signals and ladders as dicts / lists.
def screens_psi(reference: _F64, current: _F64, options: _Opts = None) -> _Res:
    """Population stability index."""
def screens_ks_2samp(reference: _F64, current: _F64, options: _Opts = None) -> _Res:
    """Two-sample Kolmogorov-Smirnov test."""
def screens_jensen_shannon(p: _F64, q: _F64, options: _Opts = None) -> _Res:
    """Jensen-Shannon distance."""
def screens_chi_square(rows: List[_F64], options: _Opts = None) -> _Res:
    """Chi-square test of homogeneity with Cramér's V; ``rows[i]`` = row i of the table."""
def screens_top_box_inflation(scores: _F64, teams: _U32, options: _Opts = None) -> _Res:
    """Top-box inflation against the pooled rest."""
def screens_low_variance(values: _F64, teams: _U32, options: _Opts = None) -> _Res:
    """Unusually low variance against the pooled rest."""
def screens_duplicate_verbatims(texts: List[Optional[str]], teams: Optional[_U32] = None, options: _Opts = None) -> _Res:
    """Duplicated and near-duplicated verbatims."""
def screens_selective_filtering(scores: _F64, teams: _U32, period: _U32, rates: Any, options: _Opts = None) -> _Res:
    """Score jump with a drop in the invitation / response rate."""
def screens_coaching_step(values: _F64, teams: _U32, day: _F64, events: Any, options: _Opts = None) -> _Res:
    """Step after a coaching date (difference-in-differences)."""
def screens_signals(result: Any) -> List[_Res]:
    """Signals of the flagged findings of a screen result dict."""
def screens_alert_ladder(ladder: Any) -> _Res:
    """Validated escalation ladder from a dict or TOML / JSON text."""
def screens_build_alerts(signals: Any, ladder: Any = None, options: _Opts = None) -> _Res:
    """Alerts from signals with an escalation ladder."""

# charts: control charts, run rules, ARLs, calibrated thresholds (helper "charts").
def charts_individuals(x: _F64, options: _Opts = None) -> _Res:
    """Individuals / moving-range chart."""
def charts_p(successes: _F64, sizes: _F64, options: _Opts = None) -> _Res:
    """p chart with varying n (Laney p' with laney=True)."""
def charts_ewma(x: _F64, options: _Opts = None) -> _Res:
    """EWMA chart with exact time-varying limits."""
def charts_cusum(x: _F64, options: _Opts = None) -> _Res:
    """Tabular CUSUM."""
def charts_funnel(successes: _F64, sizes: _F64, options: _Opts = None) -> _Res:
    """Funnel limits."""
def charts_run_rules(z: _F64, options: _Opts = None) -> List[_Res]:
    """Run rules on a standardised series."""
def charts_chart_rules(chart: Any, options: _Opts = None) -> List[_Res]:
    """Run rules on a chart result dict, as Signals."""
def charts_monitor(x: _F64, options: _Opts = None) -> _Res:
    """Fused single-pass monitor."""
def charts_arl(query: _Opts = None) -> _Res:
    """Average run length."""
def charts_calibrate(config: _Opts = None) -> _Res:
    """Threshold for a false-alarm budget."""
