"""Validation and linkage statistics (see ``_stats.py``): every function returns a :class:`StatsResult` whose
attributes are the core's result fields."""

from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np
import numpy.typing as npt

from ._results import _Result

__all__ = [
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
]

class StatsResult(_Result):
    """A statistics result: the core's fields as attributes and ``to_dict()``."""

    def __init__(self, data: Dict[str, Any], kind: str = "stats") -> None: ...
    def __getattr__(self, name: str) -> Any: ...

def icc(ratings: Any, *, confidence: float = 0.95) -> StatsResult:
    """All six ICC forms (Shrout-Fleiss and McGraw-Wong names) with F tests and exact intervals; ``ratings``
    rows = targets, columns = judges."""

def cronbach_alpha(items: Any, *, confidence: float = 0.95) -> StatsResult:
    """Cronbach's alpha with the Feldt interval and alpha-if-item-deleted; rows = respondents."""

def measurement_error(sd: float, reliability: float, *, confidence: float = 0.95) -> StatsResult:
    """SEM = sd·sqrt(1 - reliability), MDC = z·sqrt(2)·SEM."""

def test_retest(test: Any, retest: Any, *, confidence: float = 0.95) -> StatsResult:
    """ICC(A,1), ICC(C,1), mean change, SEM and MDC of two occasions."""

def correlation(
    x: Any, y: Any, *, method: str = "pearson", p_method: str = "auto", confidence: float = 0.95
) -> StatsResult:
    """Pearson or Spearman correlation with p-value and interval."""

def correlation_matrix(
    data: Any,
    *,
    names: Optional[Sequence[str]] = None,
    method: str = "pearson",
    p_method: str = "auto",
    confidence: float = 0.95,
) -> StatsResult:
    """Pairwise correlations with Holm and Benjamini-Hochberg adjusted p-values."""

def p_adjust(p: Any, method: str = "holm") -> npt.NDArray[np.float64]:
    """Adjusted p-values (holm, benjamini_hochberg / bh, bonferroni)."""

def ols(
    y: Any,
    x: Any,
    *,
    names: Optional[Sequence[str]] = None,
    intercept: bool = True,
    cov_type: str = "nonrobust",
    robust_se: bool = False,
    confidence: float = 0.95,
) -> StatsResult:
    """Ordinary least squares with classical or HC0-HC3 covariance."""

def shapley_r2(y: Any, x: Any, *, names: Optional[Sequence[str]] = None) -> StatsResult:
    """Shapley (LMG) decomposition of R²."""

def logistic(
    y: Any,
    x: Any,
    *,
    names: Optional[Sequence[str]] = None,
    intercept: bool = True,
    confidence: float = 0.95,
    tol: float = 1e-10,
    max_iter: int = 50,
) -> StatsResult:
    """Logistic regression with odds ratios."""

def t_test(
    x: Any,
    y: Any = None,
    *,
    kind: str = "welch",
    alternative: str = "two_sided",
    mu: float = 0.0,
    confidence: float = 0.95,
) -> StatsResult:
    """Welch, Student, paired or one-sample t-test."""

def did(y: Any, treated: Any, post: Any, *, cov_type: str = "nonrobust", confidence: float = 0.95) -> StatsResult:
    """Difference-in-differences with regression SE."""

def kaplan_meier(time: Any, event: Any, *, conf_type: str = "log_log", confidence: float = 0.95) -> StatsResult:
    """Kaplan-Meier curve with Greenwood SE and log-log/log/plain intervals."""

def before_after(
    values: Any,
    dates: Any,
    intervention: Any,
    *,
    window_before: Optional[int] = None,
    window_after: Optional[int] = None,
    gap: int = 0,
    alpha: float = 0.05,
    power: float = 0.8,
    units: str = "points",
) -> StatsResult:
    """A KPI before and after an intervention date: period move (z, MDC, words) and Welch's t-test."""

def hazard_by_group(
    time: Any, event: Any, group: Any, *, reference: Optional[int] = None, confidence: float = 0.95
) -> StatsResult:
    """Churn hazard by group: exact Poisson rates, rate ratios (exact conditional, Wald) and the log-rank
    test."""

def retention_by_cohort(
    cohort: Any, churn_period: Any, *, observed_until: int, horizon: int
) -> List[Dict[str, Any]]:
    """Retention by signup cohort."""

def shrink(values: Any, groups: Any, *, model: str = "normal", confidence: float = 0.95) -> StatsResult:
    """Empirical-Bayes shrinkage of group scores with the ICC."""
