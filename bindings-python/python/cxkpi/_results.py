"""Result classes: thin, read-only views over the dict the core returns.

Each class exposes the core's result fields as attributes, has a readable ``repr`` and ``to_dict()`` (a copy of
the core's fields, exactly). Results pickle, and ``compare_*`` accept them back.
"""

from __future__ import annotations

import math
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np

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


def _field(name: str) -> property:
    def get(self: "_Result") -> Any:
        return self._d.get(name)

    get.__name__ = name
    return property(get, doc=f"The `{name}` field of the result.")


class _Result:
    """Base of the result classes: a read-only view over the core's result dict."""

    __slots__ = ("_d",)
    _fields: Tuple[str, ...] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name in cls._fields:
            if name not in cls.__dict__:
                setattr(cls, name, _field(name))

    def __init__(self, data: Dict[str, Any]) -> None:
        if not isinstance(data, dict):
            raise TypeError(f"{type(self).__name__} is built from a dict, got {type(data).__name__}")
        self._d = dict(data)

    def to_dict(self) -> Dict[str, Any]:
        """The result's fields as a plain dict (a copy; the same names and values as the Rust result)."""
        return dict(self._d)

    def __getitem__(self, key: str) -> Any:
        return self._d[key]

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return _same(self._d, other._d)  # type: ignore[attr-defined]

    def __ne__(self, other: object) -> bool:
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    __hash__ = None  # type: ignore[assignment]

    def __reduce__(self) -> Tuple[Any, Tuple[Dict[str, Any]]]:
        return (type(self), (self._d,))

    def __dir__(self) -> List[str]:
        return sorted(set(super().__dir__()) | set(self._d))


def _same(a: Any, b: Any) -> bool:
    """Equality that treats NaN as equal to NaN (results are data, not arithmetic)."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        if not (isinstance(a, np.ndarray) and isinstance(b, np.ndarray)) or a.shape != b.shape:
            return False
        return bool(np.array_equal(a, b, equal_nan=a.dtype.kind == "f" and b.dtype.kind == "f"))
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return bool(a == b)


# ---------------------------------------------------------------------------------------------------------
# formatting helpers (display only: the values themselves are never rounded)
# ---------------------------------------------------------------------------------------------------------


def _num(x: Any, fmt: str) -> str:
    if x is None:
        return "None"
    if isinstance(x, float) and not math.isfinite(x):
        return str(x)
    return format(x, fmt)


def _ci(conf: Any, lo: Any, hi: Any, fmt: str) -> str:
    if lo is None and hi is None:
        return ""
    pct = _num(conf * 100, "g") if isinstance(conf, (int, float)) else "?"
    return f" [{pct}% CI {_num(lo, fmt)}, {_num(hi, fmt)}]"


class NpsResult(_Result):
    """A Net Promoter Score (on -100..100) with shares, counts, standard errors and its interval."""

    __slots__ = ()
    _fields = (
        "nps", "promoters", "passives", "detractors", "n", "n_missing", "n_promoters", "n_passives",
        "n_detractors", "weight_sum", "effective_n", "se", "se_linearised", "lower", "upper", "interval",
        "confidence", "weighted",
    )

    def __repr__(self) -> str:
        d = self._d
        return (
            f"NpsResult(nps={_num(d.get('nps'), '+.1f')}"
            f"{_ci(d.get('confidence'), d.get('lower'), d.get('upper'), '+.1f')}, n={d.get('n')}, "
            f"n_missing={d.get('n_missing')}, method={d.get('interval')}"
            f"{', weighted' if d.get('weighted') else ''})"
        )


class ShareResult(_Result):
    """A share (top-box / CSAT or any proportion) in 0..1 with its interval."""

    __slots__ = ()
    _fields = (
        "share", "successes", "n", "n_missing", "weight_sum", "effective_n", "se", "lower", "upper",
        "interval", "confidence", "weighted",
    )

    def __repr__(self) -> str:
        d = self._d
        return (
            f"ShareResult(share={_num(d.get('share'), '.4f')}"
            f"{_ci(d.get('confidence'), d.get('lower'), d.get('upper'), '.4f')}, n={d.get('n')}, "
            f"n_missing={d.get('n_missing')}, method={d.get('interval')}"
            f"{', weighted' if d.get('weighted') else ''})"
        )


class Interval(_Result):
    """A proportion's estimate x/n and its confidence interval."""

    __slots__ = ()
    _fields = ("estimate", "lower", "upper", "method", "confidence")

    def __repr__(self) -> str:
        d = self._d
        return (
            f"Interval(estimate={_num(d.get('estimate'), '.4f')}"
            f"{_ci(d.get('confidence'), d.get('lower'), d.get('upper'), '.4f')}, method={d.get('method')})"
        )


class MeanResult(_Result):
    """A mean score (CES, ratings, any numeric score) with its SD, SE and t or normal interval."""

    __slots__ = ()
    _fields = (
        "mean", "sd", "n", "n_missing", "weight_sum", "effective_n", "se", "df", "lower", "upper", "interval",
        "confidence", "weighted", "direction", "scale",
    )

    def __repr__(self) -> str:
        d = self._d
        return (
            f"MeanResult(mean={_num(d.get('mean'), '.3f')}"
            f"{_ci(d.get('confidence'), d.get('lower'), d.get('upper'), '.3f')}, sd={_num(d.get('sd'), '.3f')}, "
            f"n={d.get('n')}, n_missing={d.get('n_missing')}, method={d.get('interval')}"
            f"{', weighted' if d.get('weighted') else ''})"
        )


class ChurnResult(_Result):
    """Churn and retention for one period, annualised by compounding, with an interval on the churn rate."""

    __slots__ = ()
    _fields = (
        "churn_rate", "retention_rate", "annualised_churn", "annualised_retention", "period_months", "base",
        "customers_start", "customers_end", "lost", "lower", "upper", "interval", "confidence",
    )

    def __repr__(self) -> str:
        d = self._d
        return (
            f"ChurnResult(churn_rate={_num(d.get('churn_rate'), '.4f')}"
            f"{_ci(d.get('confidence'), d.get('lower'), d.get('upper'), '.4f')}, "
            f"annualised_churn={_num(d.get('annualised_churn'), '.4f')}, "
            f"period_months={_num(d.get('period_months'), 'g')}, base={d.get('base')})"
        )


class SentimentResult(_Result):
    """Sentiment shares, net sentiment (-1..1) and polarity with their intervals."""

    __slots__ = ()
    _fields = (
        "positive_share", "neutral_share", "negative_share", "positive_lower", "positive_upper",
        "net_sentiment", "net_se", "net_lower", "net_upper", "polarity", "polarity_lower", "polarity_upper",
        "n", "n_missing", "n_positive", "n_neutral", "n_negative", "weight_sum", "effective_n", "interval",
        "share_interval", "confidence", "weighted",
    )

    def __repr__(self) -> str:
        d = self._d
        return (
            f"SentimentResult(net_sentiment={_num(d.get('net_sentiment'), '+.3f')}"
            f"{_ci(d.get('confidence'), d.get('net_lower'), d.get('net_upper'), '+.3f')}, "
            f"polarity={_num(d.get('polarity'), '+.3f')}, n={d.get('n')}, n_missing={d.get('n_missing')}, "
            f"method={d.get('interval')}{', weighted' if d.get('weighted') else ''})"
        )


class ComparisonResult(_Result):
    """Difference a - b of two results with its standard error, test statistic, p-value and interval."""

    __slots__ = ()
    _fields = (
        "metric", "estimate_a", "estimate_b", "difference", "se", "statistic", "df", "p_value", "lower", "upper",
        "significant", "method", "confidence",
    )

    def __repr__(self) -> str:
        d = self._d
        return (
            f"ComparisonResult(difference={_num(d.get('difference'), '+.4g')}"
            f"{_ci(d.get('confidence'), d.get('lower'), d.get('upper'), '+.4g')}, "
            f"p_value={_num(d.get('p_value'), '.4g')}, significant={d.get('significant')}, "
            f"method={d.get('method')})"
        )


class SampleSizeResult(_Result):
    """Respondents (and invitations) needed for a target margin of error."""

    __slots__ = ()
    _fields = (
        "metric", "margin", "confidence", "variance", "n_infinite", "n_required", "population",
        "response_rate", "invitations", "feasible", "max_respondents", "achievable_margin", "fpc",
    )

    def __repr__(self) -> str:
        d = self._d
        parts = [
            f"n_required={d.get('n_required')}",
            f"metric={d.get('metric')}",
            f"margin={_num(d.get('margin'), 'g')}",
            f"confidence={_num(d.get('confidence'), 'g')}",
        ]
        if d.get("invitations") is not None:
            parts.append(f"invitations={d.get('invitations')}")
        if d.get("population") is not None:
            parts.append(f"population={_num(d.get('population'), 'g')}")
        if d.get("feasible") is False:
            parts.append(
                f"feasible=False, max_respondents={d.get('max_respondents')}, "
                f"achievable_margin={_num(d.get('achievable_margin'), '.4g')}"
            )
        return f"SampleSizeResult({', '.join(parts)})"


_GROUP_COLUMNS = (
    "n", "n_missing", "estimate", "se", "lower", "upper", "effective_n", "weight_sum", "status", "message",
)


class GroupedResult(_Result):
    """One row per group (distinct key combination, in ascending key order): the metric's estimate, SE,
    interval and counts as columns. ``to_frame()`` gives a pandas (or polars) DataFrame with the key labels."""

    __slots__ = ("_names", "_labels")
    _fields = ("metric", "keys") + _GROUP_COLUMNS

    def __init__(
        self,
        data: Dict[str, Any],
        key_names: Optional[Sequence[str]] = None,
        key_labels: Optional[Sequence[Optional[Sequence[Any]]]] = None,
    ) -> None:
        super().__init__(data)
        keys = self._d.get("keys") or []
        self._names: List[str] = list(key_names) if key_names is not None else [f"key_{i}" for i in range(len(keys))]
        self._labels: List[Optional[List[Any]]] = (
            [None if lab is None else list(lab) for lab in key_labels] if key_labels is not None else [None] * len(keys)
        )

    def __reduce__(self) -> Tuple[Any, Tuple[Any, ...]]:  # type: ignore[override]
        return (type(self), (self._d, self._names, self._labels))

    @property
    def key_names(self) -> List[str]:
        """Names of the key columns (from the Series names, else key_0, key_1, ...)."""
        return list(self._names)

    @property
    def key_labels(self) -> List[Optional[List[Any]]]:
        """Per key column, the level labels indexed by code (None: the codes are the values)."""
        return [None if lab is None else list(lab) for lab in self._labels]

    def key_values(self, i: int) -> List[Any]:
        """Key column ``i`` of the result, one entry per group, as labels (not codes)."""
        codes = self._d["keys"][i]
        labels = self._labels[i]
        return list(codes) if labels is None else [labels[c] for c in codes]

    def __len__(self) -> int:
        return len(self._d.get("n") or [])

    def _columns(self) -> Dict[str, List[Any]]:
        cols: Dict[str, List[Any]] = {}
        for i, name in enumerate(self._names):
            cols[name] = self.key_values(i)
        for c in _GROUP_COLUMNS:
            if c in self._d:
                cols[c] = list(self._d[c])
        return cols

    def to_frame(self) -> Any:
        """The groups as a DataFrame: key columns (labels) then n, n_missing, estimate, se, lower, upper,
        effective_n, weight_sum, status, message. pandas when installed, else polars."""
        cols = self._columns()
        try:
            import pandas as pd  # type: ignore[import-untyped,unused-ignore]
        except ImportError:
            try:
                import polars as pl
            except ImportError:
                raise ImportError("GroupedResult.to_frame() needs pandas or polars") from None
            return pl.DataFrame(cols, strict=False)
        return pd.DataFrame(cols)

    def __repr__(self) -> str:
        n = len(self)
        head = self._columns()
        lines = [f"GroupedResult(metric={self._d.get('metric')}, groups={n}, keys={self._names})"]
        for r in range(min(n, 10)):
            key = ", ".join(f"{name}={head[name][r]!r}" for name in self._names)
            est = head.get("estimate", [None] * n)[r]
            lo = head.get("lower", [None] * n)[r]
            hi = head.get("upper", [None] * n)[r]
            lines.append(
                f"  {key}: estimate={_num(est, '.4g')} [{_num(lo, '.4g')}, {_num(hi, '.4g')}], "
                f"n={head['n'][r]}, status={head.get('status', ['?'] * n)[r]}"
            )
        if n > 10:
            lines.append(f"  ... {n - 10} more")
        return "\n".join(lines)


# ---------------------------------------------------------------------------------------------------------
# Weighting
# ---------------------------------------------------------------------------------------------------------

#: Probabilities of ``WeightDiagnostics.quantiles``.
QUANTILE_PROBS = (0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99)


class WeightDiagnostics(_Result):
    """How spread out a set of weights is and what it costs in precision: Kish effective n and design effect,
    coefficient of variation, min / max / ratio and quantiles."""

    __slots__ = ()
    _fields = (
        "n", "sum", "mean", "min", "max", "ratio", "quantiles", "cv", "kish_n", "deff_kish", "adjustment_deff",
    )
    quantile_probs = QUANTILE_PROBS

    def __repr__(self) -> str:
        d = self._d
        parts = [
            f"n={d.get('n')}",
            f"sum={_num(d.get('sum'), '.6g')}",
            f"min={_num(d.get('min'), '.4g')}",
            f"max={_num(d.get('max'), '.4g')}",
            f"ratio={_num(d.get('ratio'), '.4g')}",
            f"cv={_num(d.get('cv'), '.4f')}",
            f"kish_n={_num(d.get('kish_n'), '.1f')}",
            f"deff_kish={_num(d.get('deff_kish'), '.4f')}",
        ]
        if d.get("adjustment_deff") is not None:
            parts.append(f"adjustment_deff={_num(d.get('adjustment_deff'), '.4f')}")
        return f"WeightDiagnostics({', '.join(parts)})"


def _frame(cols: Dict[str, List[Any]], backend: Optional[str], what: str) -> Any:
    """A DataFrame of the columns: pandas, polars, or (backend None) pandas when installed, else polars."""
    if backend not in (None, "pandas", "polars"):
        raise ValueError(f"backend must be None, 'pandas' or 'polars', got {backend!r}")
    if backend != "polars":
        try:
            import pandas as pd  # type: ignore[import-untyped,unused-ignore]
        except ImportError:
            if backend == "pandas":
                raise
        else:
            return pd.DataFrame(cols)
    try:
        import polars as pl
    except ImportError:
        raise ImportError(f"{what} needs pandas or polars") from None
    return pl.DataFrame(cols, strict=False)


class WeightingResult(_Result):
    """Weights from ``rake``, ``calibrate`` or ``poststratify`` with the account of how they were made: status,
    iterations, the achieved margins with the relative error of every level, changed levels and diagnostics.

    ``weights`` is a numpy float64 array (one weight per row of the data). ``margins_frame()`` gives the margins
    as a table with the variable names and level labels.
    """

    __slots__ = ("_names", "_labels", "_design")
    _fields = (
        "method", "distance", "weights", "g", "n_cells", "status", "iterations", "max_rel_error", "tolerance",
        "margins", "level_changes", "mass_lost", "n_at_lower", "n_at_upper", "diagnostics",
    )

    def __init__(
        self,
        data: Dict[str, Any],
        variables: Optional[Sequence[Any]] = None,
        levels: Optional[Sequence[Sequence[Any]]] = None,
        design: Optional[Tuple[List[np.ndarray], List[int], Optional[np.ndarray]]] = None,
    ) -> None:
        super().__init__(data)
        # (codes, number of levels, base) of the fit's inputs: what design-based estimates need besides the
        # weights (``cxkpi.nps(scores, design=result)``). None for a result rebuilt from a bare dict.
        self._design = design
        margins = self._d.get("margins") or []
        self._names: List[Any] = list(variables) if variables is not None else [m["variable"] for m in margins]
        self._labels: List[List[Any]] = (
            [list(lv) for lv in levels] if levels is not None else [list(range(len(m["target"]))) for m in margins]
        )

    def __reduce__(self) -> Tuple[Any, Tuple[Any, ...]]:  # type: ignore[override]
        return (type(self), (self._d, self._names, self._labels, self._design))

    @property
    def diagnostics(self) -> WeightDiagnostics:
        """Diagnostics of the final weights."""
        return WeightDiagnostics(self._d["diagnostics"])

    @property
    def variables(self) -> List[Any]:
        """The weighting variables (names as given in the targets), in the order of ``margins``."""
        return list(self._names)

    @property
    def levels(self) -> List[List[Any]]:
        """Per variable, the level labels in code order (the targets' order)."""
        return [list(lv) for lv in self._labels]

    @property
    def converged(self) -> bool:
        """True when status is "converged"."""
        return bool(self._d.get("status") == "converged")

    def _margin_columns(self) -> Dict[str, List[Any]]:
        cols: Dict[str, List[Any]] = {
            "variable": [], "level": [], "target": [], "before": [], "after": [], "rel_error": [],
            "asmd_before": [], "asmd_after": [], "kish_n": [], "deff_kish": [],
        }
        for m in self._d.get("margins") or []:
            v = m["variable"]
            name = self._names[v] if v < len(self._names) else v
            labels = self._labels[v] if v < len(self._labels) else []
            for i, target in enumerate(m["target"]):
                cols["variable"].append(name)
                cols["level"].append(labels[i] if i < len(labels) else i)
                cols["target"].append(target)
                cols["before"].append(m["before"][i])
                cols["after"].append(m["after"][i])
                cols["rel_error"].append(m["rel_error"][i])
                cols["asmd_before"].append(m["asmd_before"][i])
                cols["asmd_after"].append(m["asmd_after"][i])
                cols["kish_n"].append(m["kish_n"][i])
                cols["deff_kish"].append(m["deff_kish"][i])
        return cols

    def margins_frame(self, backend: Optional[str] = None) -> Any:
        """The margins as a DataFrame, one row per level of every variable: variable, level (label), target,
        before (base-weight total), after (weighted total), rel_error ((after - target) / target; missing
        where the target is 0: a collapsed, dropped or unsampled level), asmd_before / asmd_after (absolute
        standardised mean difference of the level's indicator from the population share, before and after),
        kish_n / deff_kish (Kish effective n and design effect of the level's respondents).

        backend: "pandas", "polars", or None (pandas when installed, else polars).
        """
        return _frame(self._margin_columns(), backend, "WeightingResult.margins_frame()")

    def __repr__(self) -> str:
        d = self._d
        diag = d.get("diagnostics") or {}
        parts = [f"method={d.get('method')}"]
        if d.get("distance") is not None:
            parts.append(f"distance={d.get('distance')}")
        parts += [
            f"status={d.get('status')}",
            f"iterations={d.get('iterations')}",
            f"max_rel_error={_num(d.get('max_rel_error'), '.3g')}",
            f"n={diag.get('n')}",
            f"kish_n={_num(diag.get('kish_n'), '.1f')}",
            f"deff={_num(diag.get('deff_kish'), '.4f')}",
        ]
        if d.get("level_changes"):
            parts.append(f"level_changes={len(d['level_changes'])}")
        if d.get("mass_lost"):
            parts.append(f"mass_lost={_num(d.get('mass_lost'), '.6g')}")
        return f"WeightingResult({', '.join(parts)})"


class TrimResult(_Result):
    """Trimmed weights (numpy float64, total preserved), the bounds applied, how many weights sit at each bound,
    and the diagnostics before and after."""

    __slots__ = ()
    _fields = (
        "weights", "upper", "lower", "n_at_upper", "n_at_lower", "iterations", "total", "diagnostics_before",
        "diagnostics",
    )

    @property
    def diagnostics(self) -> WeightDiagnostics:
        """Diagnostics of the trimmed weights."""
        return WeightDiagnostics(self._d["diagnostics"])

    @property
    def diagnostics_before(self) -> WeightDiagnostics:
        """Diagnostics of the weights before trimming."""
        return WeightDiagnostics(self._d["diagnostics_before"])

    def __repr__(self) -> str:
        d = self._d
        before = d.get("diagnostics_before") or {}
        after = d.get("diagnostics") or {}
        return (
            f"TrimResult(upper={_num(d.get('upper'), '.6g')}, lower={_num(d.get('lower'), '.6g')}, "
            f"n_at_upper={d.get('n_at_upper')}, n_at_lower={d.get('n_at_lower')}, "
            f"total={_num(d.get('total'), '.6g')}, "
            f"kish_n={_num(before.get('kish_n'), '.1f')} -> {_num(after.get('kish_n'), '.1f')}, "
            f"deff={_num(before.get('deff_kish'), '.4f')} -> {_num(after.get('deff_kish'), '.4f')})"
        )
