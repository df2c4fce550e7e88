"""Incentive plans: payout curves, weighted KPIs, gates and floors, caps, modifiers, minimum payouts,
pro-rating, clawbacks, explanation trails and what-if comparison (see docs/incentives.md)."""

from typing import Any, Dict, List, Mapping, Optional, Sequence

__all__ = ["IncentivePlan", "IncentiveResult", "ClawbackResult", "WhatIfResult"]

class IncentiveResult:
    """The payouts of one evaluation."""

    def __init__(self, data: Dict[str, Any], plan: Dict[str, Any], inputs: Dict[str, Any]) -> None: ...
    @property
    def participants(self) -> List[Dict[str, Any]]:
        """One dict per participant, in plan order."""
    @property
    def total_amount(self) -> float:
        """Sum of the amounts."""
    @property
    def period(self) -> Optional[Dict[str, Any]]:
        """The period assessed (label, start, end, days), or None."""
    @property
    def policies(self) -> Dict[str, Any]:
        """The conventions used."""
    def payout(self, participant: str) -> Dict[str, Any]:
        """The payout dict of one participant."""
    def amounts(self) -> Dict[str, float]:
        """participant id -> amount."""
    def explain(self, participant: str) -> Dict[str, Any]:
        """The explanation of one payout: ``lines`` (readable trail) and ``payout``."""
    def to_dict(self) -> Dict[str, Any]:
        """The whole result as plain Python data."""
    def to_frame(self) -> Any:
        """One row per participant (pandas when installed, else polars)."""

class ClawbackResult:
    """A clawback review."""

    def __init__(self, data: Dict[str, Any]) -> None: ...
    @property
    def total_recoverable(self) -> float:
        """Sum recoverable inside the look-back window."""
    @property
    def lines(self) -> List[Dict[str, Any]]:
        """Per period and participant."""
    def recoverable(self) -> Dict[str, float]:
        """participant id -> recoverable amount."""
    def to_dict(self) -> Dict[str, Any]:
        """The whole result as plain Python data."""
    def to_frame(self) -> Any:
        """One row per period and participant."""

class WhatIfResult:
    """A what-if comparison."""

    def __init__(self, data: Dict[str, Any]) -> None: ...
    @property
    def effects(self) -> List[Dict[str, Any]]:
        """Per participant effects."""
    @property
    def total_delta(self) -> float:
        """Scenario total minus base total."""
    def to_dict(self) -> Dict[str, Any]:
        """The whole result as plain Python data."""
    def to_frame(self) -> Any:
        """One row per participant."""

class IncentivePlan:
    """A validated incentive plan."""

    def __init__(self, plan: Dict[str, Any]) -> None: ...
    @classmethod
    def from_dict(cls, plan: Mapping[str, Any]) -> "IncentivePlan":
        """From a plan dict."""
    @classmethod
    def from_json(cls, text: str) -> "IncentivePlan":
        """From JSON text."""
    @classmethod
    def from_toml(cls, text: str) -> "IncentivePlan":
        """From TOML text."""
    @property
    def id(self) -> str:
        """Plan id."""
    @property
    def version(self) -> str:
        """Plan version."""
    def to_dict(self) -> Dict[str, Any]:
        """The normalised plan."""
    def to_json(self) -> str:
        """The normalised plan as JSON text."""
    def evaluate(
        self,
        values: Optional[Mapping[str, float]] = None,
        *,
        participant_values: Optional[Mapping[str, Mapping[str, float]]] = None,
        modifiers: Optional[Mapping[str, float]] = None,
        period: Optional[Mapping[str, Any]] = None,
    ) -> IncentiveResult:
        """Evaluates every participant."""
    def explain(
        self,
        participant: str,
        values: Optional[Mapping[str, float]] = None,
        *,
        participant_values: Optional[Mapping[str, Mapping[str, float]]] = None,
        modifiers: Optional[Mapping[str, float]] = None,
        period: Optional[Mapping[str, Any]] = None,
    ) -> Dict[str, Any]:
        """The explanation of one participant's payout."""
    def what_if(
        self,
        changes: Mapping[str, Any],
        values: Optional[Mapping[str, float]] = None,
        *,
        participant_values: Optional[Mapping[str, Mapping[str, float]]] = None,
        modifiers: Optional[Mapping[str, float]] = None,
        period: Optional[Mapping[str, Any]] = None,
    ) -> WhatIfResult:
        """Base inputs vs base with ``changes`` laid over it."""
    def clawback(self, restated_values: Sequence[Mapping[str, Any]], *, as_of: str) -> ClawbackResult:
        """Recomputes past payouts with restated values."""
    def evaluate_columns(
        self,
        columns: Sequence[Any],
        target_bonus: Any,
        *,
        modifiers: Any = None,
        participation: Any = None,
    ) -> Dict[str, Any]:
        """Bulk payouts, one column per plan KPI."""
