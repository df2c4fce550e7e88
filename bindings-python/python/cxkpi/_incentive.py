"""Incentive plans: payout curves, weighted KPIs, gates and floors, caps, modifiers, minimum payouts,
pro-rating, clawbacks, explanation trails and what-if comparison.

A plan is a document (dict, JSON or TOML) that the Rust core parses and validates with serde, so a plan
means exactly the same thing in Rust, Python and Node. ``IncentivePlan`` keeps the validated, normalised
plan dict; every method hands it to the core with the inputs and wraps the result.
"""

from __future__ import annotations

import copy
import json
from typing import Any, Dict, List, Mapping, Optional, Sequence

from . import _cxkpi
from ._convert import as_f64, as_f64_opt

__all__ = ["IncentivePlan", "IncentiveResult", "ClawbackResult", "WhatIfResult"]


def _inputs(
    values: Optional[Mapping[str, float]],
    participant_values: Optional[Mapping[str, Mapping[str, float]]],
    modifiers: Optional[Mapping[str, float]],
    period: Optional[Mapping[str, Any]],
) -> Dict[str, Any]:
    d: Dict[str, Any] = {}
    if values is not None:
        d["values"] = dict(values)
    if participant_values is not None:
        d["participant_values"] = {k: dict(v) for k, v in participant_values.items()}
    if modifiers is not None:
        d["modifiers"] = dict(modifiers)
    if period is not None:
        d["period"] = dict(period)
    return d


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


class IncentiveResult:
    """The payouts of one evaluation: ``participants`` (one dict per participant with its KPI lines, gates,
    factor, amount and trail), ``total_amount``, the ``period`` and the ``policies`` used."""

    __slots__ = ("_d", "_plan", "_inputs")

    def __init__(self, data: Dict[str, Any], plan: Dict[str, Any], inputs: Dict[str, Any]) -> None:
        self._d = data
        self._plan = plan
        self._inputs = inputs

    @property
    def participants(self) -> List[Dict[str, Any]]:
        """One dict per participant, in plan order."""
        return list(self._d["participants"])

    @property
    def total_amount(self) -> float:
        """Sum of the amounts."""
        return float(self._d["total_amount"])

    @property
    def period(self) -> Optional[Dict[str, Any]]:
        """The period assessed (label, start, end, days), or None."""
        p = self._d["period"]
        return None if p is None else dict(p)

    @property
    def policies(self) -> Dict[str, Any]:
        """The conventions used (modifier order, proration, threshold inclusivity, ...)."""
        return dict(self._d["policies"])

    def payout(self, participant: str) -> Dict[str, Any]:
        """The payout dict of one participant."""
        for p in self._d["participants"]:
            if p["participant"] == participant:
                return dict(p)
        raise _cxkpi.InvalidArgumentError(f"`participant`: {participant!r} is not a participant of the plan")

    def amounts(self) -> Dict[str, float]:
        """participant id -> amount."""
        return {p["participant"]: p["amount"] for p in self._d["participants"]}

    def explain(self, participant: str) -> Dict[str, Any]:
        """The explanation of one payout: ``lines`` (readable trail) and ``payout``. ``print("\\n".join(
        result.explain("ceo")["lines"]))`` gives the committee view."""
        return dict(_cxkpi.incentive_explain(self._plan, self._inputs, participant))

    def to_dict(self) -> Dict[str, Any]:
        """The whole result as plain Python data (the core's result, field for field)."""
        return copy.deepcopy(self._d)

    def _columns(self) -> Dict[str, List[Any]]:
        ps = self._d["participants"]
        cols: Dict[str, List[Any]] = {
            "participant": [p["participant"] for p in ps],
            "role": [p["role"] for p in ps],
            "target_bonus": [p["target_bonus"] for p in ps],
            "weighted_sum": [p["weighted_sum"] for p in ps],
            "modifier": [p["modifier"] for p in ps],
            "factor": [p["factor"] for p in ps],
            "participation": [p["participation"] for p in ps],
            "prorated_factor": [p["prorated_factor"] for p in ps],
            "amount": [p["amount"] for p in ps],
            "capped_by": [",".join(p["capped_by"]) for p in ps],
        }
        if ps:
            for j, line in enumerate(ps[0]["kpis"]):
                cols[f"payout_{line['kpi']}"] = [p["kpis"][j]["payout"] for p in ps]
        return cols

    def to_frame(self) -> Any:
        """One row per participant: target, weighted sum, modifier, factor, participation, amount, what capped
        it, and one ``payout_<kpi>`` column per KPI. pandas when installed, else polars."""
        return _frame(self._columns())

    def __repr__(self) -> str:
        cur = self._d.get("currency") or ""
        rows = [f"IncentiveResult(plan={self._d['plan_id']!r} v{self._d['plan_version']}, "
                f"participants={len(self._d['participants'])}, total={cur}{self._d['total_amount']:,.2f})"]
        for p in self._d["participants"][:10]:
            capped = f"  [{', '.join(p['capped_by'])}]" if p["capped_by"] else ""
            rows.append(f"  {p['participant']:<16} factor {p['factor']:.4f}  amount {cur}{p['amount']:,.2f}{capped}")
        return "\n".join(rows)


class ClawbackResult:
    """A clawback review: ``lines`` (per period and participant, as reported and as restated),
    ``participants`` (recoverable totals) and ``total_recoverable``."""

    __slots__ = ("_d",)

    def __init__(self, data: Dict[str, Any]) -> None:
        self._d = data

    @property
    def total_recoverable(self) -> float:
        """Sum recoverable inside the look-back window."""
        return float(self._d["total_recoverable"])

    @property
    def lines(self) -> List[Dict[str, Any]]:
        """Per period and participant."""
        return list(self._d["lines"])

    def recoverable(self) -> Dict[str, float]:
        """participant id -> recoverable amount."""
        return {p["participant"]: p["recoverable"] for p in self._d["participants"]}

    def to_dict(self) -> Dict[str, Any]:
        """The whole result as plain Python data."""
        return copy.deepcopy(self._d)

    def to_frame(self) -> Any:
        """One row per period and participant (pandas, else polars)."""
        keys = ["participant", "period", "period_end", "in_lookback", "reported_factor", "restated_factor",
                "reported_amount", "restated_amount", "excess", "recoverable"]
        return _frame({k: [line[k] for line in self._d["lines"]] for k in keys})

    def __repr__(self) -> str:
        return (f"ClawbackResult(as_of={self._d['as_of']}, lookback_start={self._d['lookback_start']}, "
                f"total_recoverable={self._d['total_recoverable']:,.2f})")


class WhatIfResult:
    """A what-if comparison: ``changes`` (in words), ``effects`` per participant, ``total_delta``, and the
    ``base`` and ``scenario`` evaluations."""

    __slots__ = ("_d",)

    def __init__(self, data: Dict[str, Any]) -> None:
        self._d = data

    @property
    def effects(self) -> List[Dict[str, Any]]:
        """Per participant: base/scenario factor and amount, delta and the changed trail steps."""
        return list(self._d["effects"])

    @property
    def total_delta(self) -> float:
        """Scenario total minus base total."""
        return float(self._d["total_delta"])

    def to_dict(self) -> Dict[str, Any]:
        """The whole result as plain Python data."""
        return copy.deepcopy(self._d)

    def to_frame(self) -> Any:
        """One row per participant (pandas, else polars)."""
        keys = ["participant", "base_factor", "scenario_factor", "base_amount", "scenario_amount", "delta_amount"]
        return _frame({k: [e[k] for e in self._d["effects"]] for k in keys})

    def __repr__(self) -> str:
        return f"WhatIfResult(changes={self._d['changes']}, total_delta={self._d['total_delta']:,.2f})"


class IncentivePlan:
    """A validated incentive plan. Build it with ``from_dict``, ``from_json`` or ``from_toml``; the core checks
    every guard rail (weights sum to 1, curves ordered for their direction, no data-relative scoring, ...)
    and raises a ``CxkpiError`` subclass naming what is wrong."""

    __slots__ = ("_plan",)

    def __init__(self, plan: Dict[str, Any]) -> None:
        self._plan = plan

    @classmethod
    def from_dict(cls, plan: Mapping[str, Any]) -> "IncentivePlan":
        """From a plan dict (the JSON document as Python data)."""
        return cls(_cxkpi.incentive_plan_check(dict(plan)))

    @classmethod
    def from_json(cls, text: str) -> "IncentivePlan":
        """From JSON text."""
        return cls(_cxkpi.incentive_plan_from_json(text))

    @classmethod
    def from_toml(cls, text: str) -> "IncentivePlan":
        """From TOML text."""
        return cls(_cxkpi.incentive_plan_from_toml(text))

    @property
    def id(self) -> str:
        """Plan id."""
        return str(self._plan["id"])

    @property
    def version(self) -> str:
        """Plan version."""
        return str(self._plan["version"])

    def to_dict(self) -> Dict[str, Any]:
        """The normalised plan (every default filled in)."""
        return copy.deepcopy(self._plan)

    def to_json(self) -> str:
        """The normalised plan as JSON text."""
        return json.dumps(self._plan, indent=2)

    def evaluate(
        self,
        values: Optional[Mapping[str, float]] = None,
        *,
        participant_values: Optional[Mapping[str, Mapping[str, float]]] = None,
        modifiers: Optional[Mapping[str, float]] = None,
        period: Optional[Mapping[str, Any]] = None,
    ) -> IncentiveResult:
        """Evaluates every participant. ``values``: shared KPI values (kpi id -> value);
        ``participant_values``: individual values (participant -> kpi -> value); ``modifiers``: individual
        modifiers for this period; ``period``: ``{"fiscal_year": 2025, "quarter": 2}`` (default: the plan's)."""
        inp = _inputs(values, participant_values, modifiers, period)
        return IncentiveResult(_cxkpi.incentive_evaluate(self._plan, inp), self._plan, inp)

    def explain(
        self,
        participant: str,
        values: Optional[Mapping[str, float]] = None,
        *,
        participant_values: Optional[Mapping[str, Mapping[str, float]]] = None,
        modifiers: Optional[Mapping[str, float]] = None,
        period: Optional[Mapping[str, Any]] = None,
    ) -> Dict[str, Any]:
        """The explanation of one participant's payout (``lines`` and ``payout``)."""
        inp = _inputs(values, participant_values, modifiers, period)
        return dict(_cxkpi.incentive_explain(self._plan, inp, participant))

    def what_if(
        self,
        changes: Mapping[str, Any],
        values: Optional[Mapping[str, float]] = None,
        *,
        participant_values: Optional[Mapping[str, Mapping[str, float]]] = None,
        modifiers: Optional[Mapping[str, float]] = None,
        period: Optional[Mapping[str, Any]] = None,
    ) -> WhatIfResult:
        """Evaluates the base inputs and the base with ``changes`` laid over it (a dict with any of ``values``,
        ``participant_values``, ``modifiers``, ``period``) and reports every effect."""
        inp = _inputs(values, participant_values, modifiers, period)
        return WhatIfResult(_cxkpi.incentive_what_if(self._plan, inp, dict(changes)))

    def clawback(self, restated_values: Sequence[Mapping[str, Any]], *, as_of: str) -> ClawbackResult:
        """Recomputes past payouts with restated values. ``restated_values``: one dict per period,
        ``{"period": {"fiscal_year", "quarter"}, "reported": {"values": ...}, "restated": {"values": ...}}``;
        ``as_of``: the date the restatement was required (ISO), which ends the look-back window."""
        review = {"as_of": as_of, "periods": [dict(p) for p in restated_values]}
        return ClawbackResult(_cxkpi.incentive_clawback(self._plan, review))

    def evaluate_columns(
        self,
        columns: Sequence[Any],
        target_bonus: Any,
        *,
        modifiers: Any = None,
        participation: Any = None,
    ) -> Dict[str, Any]:
        """Bulk payouts, one column per plan KPI (in plan order, numpy float64 used without a copy): a dict with
        ``factor`` and ``amount`` (numpy arrays) and ``total_amount``. Plan weights, no roles."""
        cols = [as_f64(c, f"columns[{k}]") for k, c in enumerate(columns)]
        return dict(_cxkpi.incentive_evaluate_columns(
            self._plan, cols, as_f64(target_bonus, "target_bonus"),
            as_f64_opt(modifiers, "modifiers"), as_f64_opt(participation, "participation")))

    def __repr__(self) -> str:
        kpis = ", ".join(f"{k['id']}={k['weight']}" for k in self._plan["kpis"])
        return (f"IncentivePlan(id={self.id!r}, version={self.version!r}, kpis=[{kpis}], "
                f"participants={len(self._plan['participants'])})")

