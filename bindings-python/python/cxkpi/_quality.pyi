"""Data quality: response validation, privacy suppression, view policies, reconciliation.

Validation is columnar: numeric columns go to the core as float64 numpy arrays without a copy (ints, bools,
nullable and datetime columns converted once; datetimes as float seconds since 1970-01-01 UTC, NaT = NaN),
text columns as lists of str (None/NaN = missing). The result keeps the core's ``keep`` and ``failed``
arrays; the readable account of excluded rows is built when first asked for.
"""

from typing import Any, Dict, List, Mapping, Optional, Sequence

import numpy as np

__all__ = ["RuleSet", "ValidationResult", "ViewPolicy", "QualityResult", "suppress", "reconcile", "validate_responses"]

class QualityResult:
    """A result dict with attribute access, ``to_dict()`` and ``to_frame()``."""
    def __init__(self, data: Dict[str, Any]) -> None: ...
    def __getattr__(self, name: str) -> Any: ...
    def __getitem__(self, key: str) -> Any: ...
    def to_dict(self) -> Dict[str, Any]:
        """The result as a plain dict (the core's serde output)."""
    def to_frame(self) -> Any:
        """The main table of the result as a pandas (or polars) DataFrame."""

class ValidationResult(QualityResult):
    """Keep mask, failed-rule bit sets, totals by rule; the excluded-row account built lazily."""
    @property
    def keep(self) -> np.ndarray:
        """The keep mask (numpy bool, the core's vector itself)."""
    @property
    def failed(self) -> np.ndarray:
        """Per row, the bit set of failed rules (numpy uint64; bit i = ``rules[i]``, 0 for kept rows)."""
    @property
    def excluded_rows(self) -> np.ndarray:
        """Indices of the excluded rows (numpy int64, ascending)."""
    @property
    def first_rule(self) -> np.ndarray:
        """Per row, the index into ``rules`` of the first failed rule (numpy int64), -1 for kept rows."""
    @property
    def excluded(self) -> List[Dict[str, Any]]:
        """Every excluded row: ``row``, ``first_rule`` and every ``failed`` rule (built on first access)."""
    def excluded_frame(self) -> Any:
        """The excluded rows: row, first_rule, failed (comma-separated)."""
    def to_dict(self) -> Dict[str, Any]:
        """The readable report (the core's ValidationReport) as a plain dict."""

class RuleSet:
    """A validation rule set (dict, JSON or TOML text; format in docs/data-quality.md)."""
    def __init__(self, doc: Any) -> None: ...
    @classmethod
    def from_dict(cls, doc: Mapping[str, Any]) -> RuleSet: ...
    @classmethod
    def from_json(cls, text: str) -> RuleSet: ...
    @classmethod
    def from_toml(cls, text: str) -> RuleSet: ...
    @property
    def ids(self) -> List[str]:
        """Rule ids in declared order (bit i of ``ValidationResult.failed`` is ``ids[i]``)."""
    def to_dict(self) -> Dict[str, Any]: ...
    def validate(self, columns: Any) -> ValidationResult:
        """Applies the rules to ``columns`` (a dict of columns or a DataFrame)."""

def validate_responses(rules: Any, columns: Any) -> ValidationResult:
    """Applies a rule set (RuleSet, dict, JSON or TOML text) to columns."""

class SuppressionResult(QualityResult):
    """Cell statuses (published, primary, complementary) of a suppressed table."""

def suppress(counts: Any, min_group_size: int = 10, complementary: bool = True, zero_cells: str = "safe") -> SuppressionResult:
    """Minimum group size with complementary suppression (one- or two-way table with margins)."""

class ViewPolicy:
    """A role-based view policy: roles -> grouping levels and fields."""
    def __init__(self, doc: Any) -> None: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def evaluate(self, role: str, level: str, fields: Sequence[str] = ()) -> Dict[str, Any]:
        """What ``role`` may see of ``fields`` at ``level``; an unknown role raises."""

class Reconciliation(QualityResult):
    """Matched rows, per-group divergence and unmatched periods."""

def reconcile(a: Any, b: Any, kind: str = "share", tolerance: float = 0.0, alpha: float = 0.05,
              share_test: str = "pooled", rule: str = "tolerance_and_significant",
              periods: Optional[Sequence[str]] = None) -> Reconciliation:
    """Compares two sources of a KPI per period and group."""
