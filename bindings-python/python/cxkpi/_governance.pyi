"""Governance: versioned definitions, lookups, stamps, retirement, scale bridges."""

from typing import Any, Dict, List, Mapping, Optional, Sequence

import numpy as np

__all__ = ["Registry", "Bridge"]

class Registry:
    """A registry of definitions (dict, JSON or TOML text)."""
    def __init__(self, doc: Any) -> None: ...
    @classmethod
    def from_dict(cls, doc: Mapping[str, Any]) -> Registry: ...
    @classmethod
    def from_json(cls, text: str) -> Registry: ...
    @classmethod
    def from_toml(cls, text: str) -> Registry: ...
    def to_dict(self) -> Dict[str, Any]: ...
    def to_frame(self) -> Any: ...
    def in_force(self, id: str, date: Any) -> Dict[str, Any]:
        """The version of ``id`` in force on ``date`` ([from, to) intervals)."""
    def history(self, id: str) -> List[Dict[str, Any]]:
        """Every version of ``id``."""
    def retire(self, id: str, date: Any, approver: str, reason: str) -> Registry:
        """A new registry with ``id`` retired from ``date`` on."""
    def stamp(self, id: str, date: Any, lineage: Optional[Mapping[str, Any]] = None) -> Dict[str, Any]:
        """Definition version in force on ``date`` and lineage."""

class Bridge:
    """A scale bridge across an instrument change."""
    def __init__(self, data: Dict[str, Any]) -> None: ...
    @classmethod
    def fit(cls, method: str, from_scale: Any, to_scale: Any, old: Any = None, new: Any = None) -> Bridge:
        """Fits a bridge; scales as (min, max); overlap answers for mean_sigma and equipercentile."""
    @classmethod
    def linear(cls, from_scale: Sequence[int], to_scale: Sequence[int]) -> Bridge: ...
    @classmethod
    def mean_sigma(cls, old: Any, new: Any, from_scale: Sequence[int], to_scale: Sequence[int]) -> Bridge: ...
    @classmethod
    def equipercentile(cls, old: Any, new: Any, from_scale: Sequence[int], to_scale: Sequence[int]) -> Bridge: ...
    def apply(self, values: Any) -> np.ndarray:
        """Maps old-scale values; returns a float64 numpy array (NaN = missing)."""
    def series(self, periods: Sequence[str], values: Any, break_period: str) -> Dict[str, Any]:
        """A series on the new scale with the break marked."""
    def to_dict(self) -> Dict[str, Any]: ...
    def to_frame(self) -> Any: ...
