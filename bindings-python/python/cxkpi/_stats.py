"""Validation and linkage statistics: reliability (ICC, Cronbach's alpha, SEM/MDC, test-retest), association
(Pearson/Spearman with exact or labelled p-values, correlation matrices with Holm/BH), regression (OLS with
HC0-HC3, Shapley R² drivers), logistic regression with odds ratios, impact (t-tests, difference-in-differences),
survival (Kaplan-Meier, retention by cohort) and empirical-Bayes shrinkage of agent scores.

Every function runs the Rust core (the numbers are bit-identical to Rust and Node) and returns a
:class:`StatsResult`: attribute access to the core's fields, ``to_dict()`` and a short ``repr``. Undefined
results are exceptions of the kind's class (zero variance: ``InvalidArgumentError``; too few rows:
``InsufficientDataError``; a singular design: ``InvalidArgumentError``; separation: ``NotConvergedError``),
never NaN.

Names do not clash with the metric functions (``nps``, ``mean_score``...): the statistics are ``icc``,
``cronbach_alpha``, ``correlation``, ``ols``, ``logistic``, ``t_test``, ``did``, ``kaplan_meier``, ``shrink``...
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

import numpy as np

from . import _cxkpi
from ._convert import _module_name, as_f64, invalid_argument
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

_U32 = np.dtype(np.uint32)


class StatsResult(_Result):
    """A statistics result: the core's fields as attributes (``r.alpha``, ``r.coefficients``...) and
    ``to_dict()``; ``r["field"]`` works too."""

    __slots__ = ("_kind",)

    def __init__(self, data: Dict[str, Any], kind: str = "stats") -> None:
        super().__init__(data)
        self._kind = kind

    def __getattr__(self, name: str) -> Any:
        try:
            return self._d[name]
        except KeyError:
            raise AttributeError(f"{self._kind} result has no field {name!r}") from None

    def __reduce__(self) -> Tuple[Any, Tuple[Dict[str, Any], str]]:  # type: ignore[override]
        return (type(self), (self._d, self._kind))

    def __repr__(self) -> str:
        keys = [k for k, v in self._d.items() if isinstance(v, (int, float, str)) and not isinstance(v, bool)]
        shown = ", ".join(f"{k}={self._d[k]!r}" for k in keys[:8])
        return f"StatsResult[{self._kind}]({shown})"


def _opts(**kw: Any) -> Dict[str, Any]:
    return {k: v for k, v in kw.items() if v is not None}


def _matrix_columns(data: Any, arg: str) -> Tuple[List[np.ndarray], Optional[List[str]]]:
    """A rows × columns table as C-contiguous float64 columns (and the column names when it has them).

    Accepts a 2-D numpy array or list of rows, a pandas or polars DataFrame, or a mapping {name: column}.
    """
    mod = _module_name(data)
    if isinstance(data, Mapping):
        names = [str(k) for k in data.keys()]
        return [as_f64(v, f"{arg}[{k!r}]") for k, v in data.items()], names
    if mod in ("pandas", "polars") and hasattr(data, "columns"):
        names = [str(c) for c in data.columns]
        return [as_f64(data[c], f"{arg}[{c!r}]") for c in data.columns], names
    try:
        arr = np.asarray(data, dtype=np.float64)
    except (TypeError, ValueError) as e:
        raise invalid_argument(arg, f"must be a table of numbers ({e})") from None
    if arr.ndim == 1:
        arr = arr.reshape(-1, 1)
    if arr.ndim != 2:
        raise invalid_argument(arg, f"must be 2-D (rows x columns), got shape {arr.shape}")
    # one column-major copy (or none), then every column is a contiguous view the core borrows
    arr = np.asfortranarray(arr)
    return [arr[:, j] for j in range(arr.shape[1])], None


def _predictors(x: Any, names: Optional[Sequence[str]]) -> Tuple[Any, Optional[List[str]]]:
    """Predictors: a 1-D column (one predictor), a 2-D array (rows × predictors), a DataFrame or a mapping.

    A C-ordered float64 2-D numpy array is passed through as is (the core reads it in place, row by row);
    everything else becomes a list of contiguous columns."""
    if (isinstance(x, np.ndarray) and x.ndim == 2 and x.dtype == np.float64 and x.flags.c_contiguous
            and x.shape[1] > 0):
        return x, list(names) if names is not None else None
    if isinstance(x, np.ndarray) and x.ndim == 1:
        cols, found = [as_f64(x, "x")], None
    elif isinstance(x, (list, tuple)) and x and not isinstance(x[0], (list, tuple, np.ndarray)):
        cols, found = [as_f64(x, "x")], None
    elif _module_name(x) in ("pandas", "polars") and not hasattr(x, "columns"):
        cols, found = [as_f64(x, "x")], None
    else:
        cols, found = _matrix_columns(x, "x")
    return cols, list(names) if names is not None else found


def icc(ratings: Any, *, confidence: float = 0.95) -> StatsResult:
    """All six intraclass correlations (Shrout-Fleiss ICC(1,1), (2,1), (3,1), (1,k), (2,k), (3,k), with their
    McGraw-Wong names ICC(1), ICC(A,1), ICC(C,1), ICC(k), ICC(A,k), ICC(C,k)), F tests and exact intervals.

    ``ratings``: rows = targets, columns = judges (2-D array, list of rows, DataFrame or {judge: column}).
    """
    cols, _ = _matrix_columns(ratings, "ratings")
    return StatsResult(_cxkpi.stats_icc(cols, {"confidence": confidence}), "icc")


def cronbach_alpha(items: Any, *, confidence: float = 0.95) -> StatsResult:
    """Cronbach's alpha with the Feldt interval, standardised alpha and alpha-if-item-deleted.

    ``items``: rows = respondents, columns = items.
    """
    cols, _ = _matrix_columns(items, "items")
    return StatsResult(_cxkpi.stats_cronbach_alpha(cols, {"confidence": confidence}), "cronbach_alpha")


def measurement_error(sd: float, reliability: float, *, confidence: float = 0.95) -> StatsResult:
    """SEM = sd·sqrt(1 - reliability) and MDC = z·sqrt(2)·SEM."""
    return StatsResult(_cxkpi.stats_measurement_error(float(sd), float(reliability), float(confidence)),
                       "measurement_error")


def test_retest(test: Any, retest: Any, *, confidence: float = 0.95) -> StatsResult:
    """Test-retest reliability: ICC(A,1), ICC(C,1), mean change, SEM and MDC."""
    return StatsResult(_cxkpi.stats_test_retest(as_f64(test, "test"), as_f64(retest, "retest"), float(confidence)),
                       "test_retest")


test_retest.__test__ = False  # type: ignore[attr-defined]  # not a pytest test


def correlation(x: Any, y: Any, *, method: str = "pearson", p_method: str = "auto",
                confidence: float = 0.95) -> StatsResult:
    """Pearson or Spearman correlation with its p-value (``t``, ``t_approximation`` or ``exact_permutation``;
    ``auto`` = exact for Spearman with n <= 10) and interval (Fisher z; Bonett-Wright for Spearman)."""
    o = {"method": method, "p_method": p_method, "confidence": confidence}
    return StatsResult(_cxkpi.stats_correlation(as_f64(x, "x"), as_f64(y, "y"), o), "correlation")


def correlation_matrix(data: Any, *, names: Optional[Sequence[str]] = None, method: str = "pearson",
                       p_method: str = "auto", confidence: float = 0.95) -> StatsResult:
    """Pairwise correlations of the columns of ``data`` with Holm and Benjamini-Hochberg adjusted p-values."""
    cols, found = _matrix_columns(data, "data")
    nm = list(names) if names is not None else found
    o = {"method": method, "p_method": p_method, "confidence": confidence}
    return StatsResult(_cxkpi.stats_correlation_matrix(cols, nm, o), "correlation_matrix")


def p_adjust(p: Any, method: str = "holm") -> np.ndarray:
    """Adjusted p-values in input order, as R ``p.adjust`` (``holm``, ``benjamini_hochberg``/``bh``,
    ``bonferroni``)."""
    return np.asarray(_cxkpi.stats_p_adjust(as_f64(p, "p"), method), dtype=np.float64)


def ols(y: Any, x: Any, *, names: Optional[Sequence[str]] = None, intercept: bool = True,
        cov_type: str = "nonrobust", robust_se: bool = False, confidence: float = 0.95) -> StatsResult:
    """Ordinary least squares: coefficient table (estimate, se, t, p, interval, standardised), R², adjusted
    R², F, log-likelihood, AIC/BIC; ``cov_type`` ``nonrobust`` or ``HC0``-``HC3``; ``robust_se=True`` adds all
    four HC standard errors.

    ``x``: one column, a 2-D array (rows × predictors), a DataFrame or {name: column}.
    """
    cols, nm = _predictors(x, names)
    o = _opts(intercept=intercept, cov_type=cov_type, robust_se=robust_se, confidence=confidence, names=nm)
    fit = _cxkpi.stats_ols_rows if isinstance(cols, np.ndarray) else _cxkpi.stats_ols
    return StatsResult(fit(as_f64(y, "y"), cols, o), "ols")


def shapley_r2(y: Any, x: Any, *, names: Optional[Sequence[str]] = None) -> StatsResult:
    """Driver importance: the Shapley (LMG) decomposition of R² over the predictors of ``x``."""
    cols, nm = _predictors(x, names)
    if isinstance(cols, np.ndarray):
        f = np.asfortranarray(cols)
        cols = [f[:, j] for j in range(f.shape[1])]
    return StatsResult(_cxkpi.stats_shapley_r2(as_f64(y, "y"), cols, nm), "shapley_r2")


def logistic(y: Any, x: Any, *, names: Optional[Sequence[str]] = None, intercept: bool = True,
             confidence: float = 0.95, tol: float = 1e-10, max_iter: int = 50) -> StatsResult:
    """Logistic regression of a 0/1 outcome (Newton-IRLS) with Wald intervals and odds ratios; failure to
    converge (e.g. separation) raises ``NotConvergedError``."""
    cols, nm = _predictors(x, names)
    o = _opts(intercept=intercept, confidence=confidence, tol=tol, max_iter=max_iter, names=nm)
    fit = _cxkpi.stats_logistic_rows if isinstance(cols, np.ndarray) else _cxkpi.stats_logistic
    return StatsResult(fit(as_f64(y, "y"), cols, o), "logistic")


def t_test(x: Any, y: Any = None, *, kind: str = "welch", alternative: str = "two_sided", mu: float = 0.0,
           confidence: float = 0.95) -> StatsResult:
    """Welch (default), Student, paired or one-sample t-test of mean(x) - mean(y)."""
    o = {"kind": kind, "alternative": alternative, "mu": mu, "confidence": confidence}
    ys = None if y is None else as_f64(y, "y")
    return StatsResult(_cxkpi.stats_t_test(as_f64(x, "x"), ys, o), "t_test")


t_test.__test__ = False  # type: ignore[attr-defined]


def did(y: Any, treated: Any, post: Any, *, cov_type: str = "nonrobust", confidence: float = 0.95) -> StatsResult:
    """Difference-in-differences with 0/1 ``treated`` and ``post`` flags; SE from the regression
    y ~ treated + post + treated·post (``nonrobust`` or ``HC0``-``HC3``)."""
    o = {"cov_type": cov_type, "confidence": confidence}
    return StatsResult(_cxkpi.stats_did(as_f64(y, "y"), as_f64(treated, "treated"), as_f64(post, "post"), o), "did")


def kaplan_meier(time: Any, event: Any, *, conf_type: str = "log_log", confidence: float = 0.95) -> StatsResult:
    """Kaplan-Meier curve (Greenwood SE; ``log_log`` (default), ``log`` or ``plain`` intervals) and median."""
    o = {"conf_type": conf_type, "confidence": confidence}
    return StatsResult(_cxkpi.stats_kaplan_meier(as_f64(time, "time"), as_f64(event, "event"), o), "kaplan_meier")


def _codes(values: Any, arg: str) -> np.ndarray:
    arr = np.asarray(values)
    if arr.dtype.kind not in "iu" or (arr.size and arr.min() < 0):
        raise invalid_argument(arg, "must be non-negative integer codes")
    return np.ascontiguousarray(arr, dtype=_U32)


def _epoch_days(dates: Any, arg: str) -> np.ndarray:
    """Dates (numpy datetime64, pandas/polars datetimes, date objects, ISO strings, or integer days since
    1970-01-01) as int64 days since 1970-01-01."""
    if _module_name(dates) == "polars":
        dates = dates.to_numpy()
    arr = np.asarray(dates)
    if arr.dtype.kind in "iu":
        return np.ascontiguousarray(arr, dtype=np.int64)
    try:
        d = arr.astype("datetime64[D]") if arr.dtype.kind == "M" else np.array(arr, dtype="datetime64[D]")
    except (TypeError, ValueError) as e:
        raise invalid_argument(arg, f"must be dates (datetime64, date objects or ISO strings): {e}") from None
    if np.isnat(d).any():
        raise invalid_argument(arg, f"element {int(np.flatnonzero(np.isnat(d))[0])} is not a date (NaT)")
    return np.ascontiguousarray(d.astype(np.int64))


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
    """A KPI before and after an intervention date: the before window ``[intervention - window_before,
    intervention)`` and the after window ``[intervention + gap, intervention + gap + window_after)`` (None: every
    day on that side; ``gap`` transition days left out). Returns the period move (z test on the two means,
    minimal detectable change, plain words) and Welch's t-test (after - before), with the counts of missing
    values and of rows outside the windows. ``dates``: datetime64, pandas/polars dates, ``datetime.date``
    objects, ISO strings or integer days since 1970-01-01; ``intervention``: a date or ISO string."""
    if isinstance(intervention, str):
        when = intervention  # validated by the core (a typed error names a bad date)
    else:
        try:
            when = str(np.datetime64(intervention, "D"))
        except (TypeError, ValueError) as e:
            raise invalid_argument("intervention", f"must be a date or an ISO date string: {e}") from None
    o: Dict[str, Any] = {"intervention": when, "gap": int(gap),
                         "alpha": alpha, "power": power, "units": units}
    if window_before is not None:
        o["window_before"] = int(window_before)
    if window_after is not None:
        o["window_after"] = int(window_after)
    return StatsResult(
        _cxkpi.stats_before_after(as_f64(values, "values"), _epoch_days(dates, "dates"), o), "before_after"
    )


def hazard_by_group(
    time: Any, event: Any, group: Any, *, reference: Optional[int] = None, confidence: float = 0.95
) -> StatsResult:
    """Churn hazard by group (e.g. sentiment band): events per unit of follow-up with exact Poisson intervals
    (R ``poisson.test``), rate ratios against ``reference`` (default: the smallest code) with exact
    conditional and Wald intervals and the exact conditional p-value, and the log-rank test across groups
    (R ``survdiff``). ``event`` is 1 for a churn at ``time``, 0 for still active; ``group`` integer codes."""
    o: Dict[str, Any] = {"confidence": confidence}
    if reference is not None:
        o["reference"] = int(reference)
    return StatsResult(
        _cxkpi.stats_hazard_by_group(as_f64(time, "time"), as_f64(event, "event"), _codes(group, "group"), o),
        "hazard_by_group",
    )


def retention_by_cohort(cohort: Any, churn_period: Any, *, observed_until: int, horizon: int) -> List[Dict[str, Any]]:
    """Retention by signup cohort: share still active t periods after signup (None when not yet observable)."""
    return _cxkpi.stats_retention_by_cohort(_codes(cohort, "cohort"), as_f64(churn_period, "churn_period"),
                                            int(observed_until), int(horizon))


def shrink(values: Any, groups: Any, *, model: str = "normal", confidence: float = 0.95) -> StatsResult:
    """Empirical-Bayes shrinkage of group (agent/team) scores toward the prior mean, with the ICC (share of
    variance due to groups). ``model`` ``normal`` (scores) or ``beta_binomial`` (0/1 flags); ``groups`` are
    integer codes."""
    o = {"model": model, "confidence": confidence}
    return StatsResult(_cxkpi.stats_shrink(as_f64(values, "values"), _codes(groups, "groups"), o), "shrink")
