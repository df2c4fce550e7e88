"""Composite KPIs and the balanced scorecard: KPI definitions as a document, target scoring with status
colours, benchmarking normalisations, aggregation up the tree and across units, balance, redundancy and
myopia checks, Monte Carlo sensitivity and the explanation of every figure.

A scorecard is a document (dict, JSON or TOML) that the Rust core parses and validates with serde, so it
means exactly the same thing in Rust, Python and Node. ``Scorecard`` keeps the validated, normalised dict;
every method hands it to the core with the values and wraps the result. The format and every policy are
described in ``docs/scorecard.md``.
"""

from __future__ import annotations

import copy
import json
import math
from typing import Any, Dict, List, Mapping, Optional, Sequence

from . import _cxkpi
from ._convert import as_f64

__all__ = [
    "Scorecard",
    "ScorecardResult",
    "composite_normalise",
    "composite_aggregate",
    "composite_slope_test",
    "suggest_weights",
]


def _frame(cols: Dict[str, List[Any]]) -> Any:
    try:
        import pandas as pd  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        try:
            import polars as pl
        except ImportError:
            raise ImportError("to_frame() needs pandas or polars") from None
        return pl.DataFrame(cols, strict=False)
    return pd.DataFrame(cols)


def _cell(v: Any) -> Any:
    """A column cell as JSON-ready data: missing numbers (None, NaN, pd.NA) become None."""
    if v is None:
        return None
    try:
        import pandas as pd  # type: ignore[import-untyped,unused-ignore]

        if v is pd.NA or v is pd.NaT:
            return None
    except ImportError:
        pass
    if isinstance(v, float) and math.isnan(v):
        return None
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):
        try:
            return v.item()
        except (ValueError, AttributeError):
            pass
    return v


_COLUMNS = ("unit", "kpi", "period", "value", "numerator", "denominator")


def _values(values: Any) -> Dict[str, Any]:
    """Long data (pandas / polars DataFrame with unit, kpi[, period], value[, numerator, denominator]), a
    dict of such columns, or a nested dict {unit: {kpi: value}} / {unit: {kpi: {period: value}}}."""
    mod = type(values).__module__.split(".", 1)[0]
    if mod in ("pandas", "polars") and hasattr(values, "columns"):
        cols = [str(c) for c in values.columns]
        unknown = [c for c in cols if c not in _COLUMNS]
        if unknown:
            from ._convert import invalid_argument

            raise invalid_argument("values", f"unknown column(s) {unknown}; expected {list(_COLUMNS)}")
        out: Dict[str, Any] = {}
        for c in cols:
            data = values[c].to_list() if mod == "polars" else values[c].tolist()
            if c in ("unit", "kpi", "period"):
                out[c] = [str(x) for x in data]
            else:
                out[c] = [_cell(x) for x in data]
        return out
    if isinstance(values, Mapping):
        if "unit" in values and not isinstance(values["unit"], Mapping):
            out = {}
            for k, v in values.items():
                seq = list(v.tolist() if hasattr(v, "tolist") else v) if v is not None else None
                if seq is None:
                    out[k] = None
                elif k in ("unit", "kpi", "period"):
                    out[k] = [str(x) for x in seq]
                else:
                    out[k] = [_cell(x) for x in seq]
            return out
        nested: Dict[str, Any] = {}
        for u, kv in values.items():
            if not isinstance(kv, Mapping):
                return dict(values)  # let the core report the shape error
            nested[str(u)] = {
                str(k): ({str(p): _cell(x) for p, x in v.items()} if isinstance(v, Mapping) else _cell(v))
                for k, v in kv.items()
            }
        return nested
    from ._convert import invalid_argument

    raise invalid_argument("values", f"expected a DataFrame or a dict, got {type(values).__name__}")


class ScorecardResult:
    """The evaluation of a scorecard: per unit the composite, status, rank and every KPI and node with the
    chain raw -> normalised -> score -> weight -> contribution; roll-ups by business unit, segment and
    region; the policies used and the row counts."""

    __slots__ = ("_d",)

    def __init__(self, data: Dict[str, Any]) -> None:
        self._d = data

    @property
    def units(self) -> Dict[str, Dict[str, Any]]:
        """unit id -> its result dict (composite, status, rank, items, ...)."""
        return dict(self._d["units"])

    @property
    def rollups(self) -> Dict[str, Dict[str, Dict[str, Any]]]:
        """dimension (business_unit, segment, region) -> group -> roll-up."""
        return dict(self._d["rollups"])

    @property
    def policies(self) -> Dict[str, Any]:
        """The scoring, normalisation, aggregation, zero, missing-KPI and inclusivity policies used."""
        return dict(self._d["policies"])

    @property
    def counts(self) -> Dict[str, int]:
        """Rows read, used, missing (NaN) and after ``as_of``."""
        return dict(self._d["counts"])

    def composites(self) -> Dict[str, Optional[float]]:
        """unit id -> composite score (None when undefined)."""
        return {u: r["composite"] for u, r in self._d["units"].items()}

    def explain(self, unit: str, kpi: str) -> List[Dict[str, Any]]:
        """The chain from ``kpi`` (a KPI or node id) of ``unit`` up to the root: one dict per step with raw,
        normalised, score, status, weight, effective_weight, contribution, parent and a readable ``text``."""
        return list(_cxkpi.scorecard_explain(self._d, unit, kpi))

    def explain_text(self, unit: str, kpi: str) -> str:
        """The explanation chain as lines of text."""
        return "\n".join(s["text"] for s in self.explain(unit, kpi))

    def to_dict(self) -> Dict[str, Any]:
        """The whole result as plain Python data (the core's result, field for field)."""
        return copy.deepcopy(self._d)

    def to_frame(self) -> Any:
        """One row per (unit, KPI or node): pandas DataFrame (or polars if pandas is absent)."""
        keys = ["kind", "parent", "level", "raw", "normalised", "score", "status", "weight",
                "effective_weight", "contribution", "missing", "n_periods"]
        cols: Dict[str, List[Any]] = {"unit": [], "id": []}
        for k in keys:
            cols[k] = []
        for u, r in self._d["units"].items():
            for i, it in r["items"].items():
                cols["unit"].append(u)
                cols["id"].append(i)
                for k in keys:
                    cols[k].append(it[k])
        return _frame(cols)

    def __repr__(self) -> str:
        c = self.composites()
        shown = ", ".join(f"{u}={v:.3f}" if v is not None else f"{u}=None" for u, v in list(c.items())[:5])
        more = "" if len(c) <= 5 else f", ... ({len(c)} units)"
        return f"ScorecardResult({self._d['scorecard_id']!r} v{self._d['version']}: {shown}{more})"


class Scorecard:
    """A validated scorecard document. Build it with :meth:`from_dict`, :meth:`from_json` or
    :meth:`from_toml`; evaluate it with :meth:`evaluate`."""

    __slots__ = ("_doc",)

    def __init__(self, doc: Mapping[str, Any]) -> None:
        self._doc: Dict[str, Any] = _cxkpi.scorecard_check(dict(doc))

    @classmethod
    def from_dict(cls, doc: Mapping[str, Any]) -> "Scorecard":
        """From a dict (validated by the core; defaults filled in)."""
        return cls(doc)

    @classmethod
    def from_json(cls, text: str) -> "Scorecard":
        """From JSON text."""
        sc = cls.__new__(cls)
        sc._doc = _cxkpi.scorecard_from_text(text, "json")
        return sc

    @classmethod
    def from_toml(cls, text: str) -> "Scorecard":
        """From TOML text."""
        sc = cls.__new__(cls)
        sc._doc = _cxkpi.scorecard_from_text(text, "toml")
        return sc

    @property
    def id(self) -> str:
        """The scorecard id."""
        return str(self._doc["id"])

    @property
    def version(self) -> str:
        """The definition version."""
        return str(self._doc["version"])

    @property
    def kpi_ids(self) -> List[str]:
        """KPI ids in document order."""
        return [k["id"] for k in self._doc["kpis"]]

    def to_dict(self) -> Dict[str, Any]:
        """The normalised document."""
        return copy.deepcopy(self._doc)

    def to_json(self) -> str:
        """The normalised document as JSON text."""
        return json.dumps(self._doc, indent=2)

    def evaluate(self, values: Any, *, as_of: Optional[str] = None) -> ScorecardResult:
        """Scores every unit. ``values``: a DataFrame with columns unit, kpi, period, value (numerator and
        denominator for ratio KPIs), a dict of such columns, or ``{unit: {kpi: value}}``."""
        opts = {"as_of": as_of} if as_of is not None else None
        return ScorecardResult(_cxkpi.scorecard_evaluate(self._doc, _values(values), opts))

    def sensitivity(
        self,
        values: Any,
        *,
        draws: int = 1000,
        seed: int = 42,
        weight_spread: float = 0.25,
        aggregations: Optional[Sequence[str]] = None,
        normalisations: Optional[Sequence[str]] = None,
        exact: Optional[bool] = None,
        as_of: Optional[str] = None,
    ) -> Dict[str, Any]:
        """Monte Carlo (seeded Pcg64) or exact sensitivity of each unit's composite, rank and status."""
        opts: Dict[str, Any] = {"draws": draws, "seed": seed, "weight_spread": weight_spread}
        if aggregations is not None:
            opts["aggregations"] = list(aggregations)
        if normalisations is not None:
            opts["normalisations"] = list(normalisations)
        if exact is not None:
            opts["exact"] = exact
        if as_of is not None:
            opts["as_of"] = as_of
        return dict(_cxkpi.scorecard_sensitivity(self._doc, _values(values), opts))

    def balance(self) -> Dict[str, Any]:
        """Share of weight per perspective and leading/lagging, with the broken balance rules."""
        return dict(_cxkpi.scorecard_balance(self._doc))

    def redundancy(self, values: Any) -> Dict[str, Any]:
        """Correlation matrix of the KPIs over history and the flagged pairs."""
        return dict(_cxkpi.scorecard_redundancy(self._doc, _values(values)))

    def myopia(self, values: Any) -> List[Dict[str, Any]]:
        """Units where a KPI improved while its linked KPI worsened."""
        return list(_cxkpi.scorecard_myopia(self._doc, _values(values))["flags"])

    def __repr__(self) -> str:
        return f"Scorecard({self.id!r} v{self.version}, {len(self._doc['kpis'])} KPIs)"


def composite_normalise(
    x: Any,
    method: str = "min_max",
    *,
    direction: str = "higher",
    zero_range: str = "error",
    goalposts: Optional[Sequence[float]] = None,
    target: Optional[float] = None,
) -> List[Optional[float]]:
    """Benchmarking normalisation of one column (COINr equivalents: n_minmax, n_zscore, n_rank,
    n_goalposts, n_dist2targ, n_dist2max); missing stays missing (None)."""
    opts: Dict[str, Any] = {"method": method, "direction": direction, "zero_range": zero_range}
    if goalposts is not None:
        opts["goalposts"] = list(goalposts)
    if target is not None:
        opts["target"] = target
    return list(_cxkpi.composite_normalise(as_f64(x, "x"), opts)["values"])


def composite_aggregate(
    values: Any,
    weights: Any,
    method: str = "arithmetic",
    *,
    missing: str = "renormalise",
    zero: str = "propagate",
) -> Optional[float]:
    """Weighted arithmetic, geometric or harmonic mean (COINr a_amean, a_gmean, a_hmean) with a missing and
    a zero policy; None when nothing is present."""
    opts = {"method": method, "missing": missing, "zero": zero}
    v = _cxkpi.composite_aggregate(as_f64(values, "values"), as_f64(weights, "weights"), opts)["value"]
    return None if v is None else float(v)


def composite_slope_test(y: Any, direction: str = "higher", alpha: float = 0.05) -> Dict[str, Any]:
    """OLS slope of ``y`` over periods 0..n-1 with a one-sided t-test in the KPI's direction."""
    return dict(_cxkpi.composite_slope_test(as_f64(y, "y"), {"direction": direction, "alpha": alpha}))


def suggest_weights(components: Mapping[str, Any], outcome: Any) -> Dict[str, Any]:
    """OLS of ``outcome`` on the components ({name: values}) and the Shapley (LMG) decomposition of R^2;
    ``weights`` are the Shapley shares divided by R^2."""
    comps = {str(k): [float(x) for x in as_f64(v, f"components.{k}")] for k, v in components.items()}
    return dict(_cxkpi.composite_suggest_weights(comps, [float(x) for x in as_f64(outcome, "outcome")]))
