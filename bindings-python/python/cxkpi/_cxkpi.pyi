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
    "design_estimate",
    "stats_icc",
    "stats_cronbach_alpha",
    "stats_measurement_error",
    "stats_test_retest",
    "stats_correlation",
    "stats_correlation_matrix",
    "stats_p_adjust",
    "stats_ols",
    "stats_shapley_r2",
    "stats_logistic",
    "stats_t_test",
    "stats_did",
    "stats_kaplan_meier",
    "stats_retention_by_cohort",
    "stats_hazard_by_group",
    "stats_shrink",
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
def stats_shapley_r2(y: _F64, x: List[_F64], names: Optional[List[str]] = None) -> _Res:
    """Shapley decomposition of R²."""
def stats_logistic(y: _F64, x: List[_F64], options: _Opts = None) -> _Res:
    """Logistic regression."""
def stats_t_test(x: _F64, y: Optional[_F64] = None, options: _Opts = None) -> _Res:
    """t-test."""
def stats_did(y: _F64, treated: _F64, post: _F64, options: _Opts = None) -> _Res:
    """Difference-in-differences."""
def stats_kaplan_meier(time: _F64, event: _F64, options: _Opts = None) -> _Res:
    """Kaplan-Meier curve."""
def stats_hazard_by_group(time: _F64, event: _F64, group: _U32, options: _Opts = None) -> _Res: ...
def stats_retention_by_cohort(cohort: _U32, churn_period: _F64, observed_until: int, horizon: int) -> List[_Res]:
    """Retention by signup cohort."""
def stats_shrink(values: _F64, groups: _U32, options: _Opts = None) -> _Res:
    """Empirical-Bayes shrinkage."""

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
