"""Governance: a registry of versioned, effective-dated metric and instrument definitions, the definition
in force on a date (intervals [effective_from, effective_to)), result stamps with lineage, retirement that
keeps history readable, and bridges across instrument changes (docs/governance.md).

Registries are documents (dict, JSON or TOML text) parsed and validated by the Rust core. Bridge inputs
(overlap answers, values to bridge) go to the core as float64 numpy arrays without a copy (lists, pandas and
polars columns are converted once; None/NaN = missing) and bridged values come back as a numpy array."""

from __future__ import annotations

import json
from typing import Any, Dict, List, Mapping, Optional, Sequence

import numpy as np

from . import _cxkpi
from ._convert import as_f64

__all__ = ["Registry", "Bridge"]


def _date(d: Any) -> str:
    return d.isoformat()[:10] if hasattr(d, "isoformat") else str(d)


class Registry:
    """A registry of definitions (dict, JSON or TOML text)."""

    def __init__(self, doc: Any) -> None:
        if isinstance(doc, Registry):
            doc = doc._doc
        if isinstance(doc, str):
            fmt = "json" if doc.strip().startswith("{") else "toml"
            data = _cxkpi.governance_registry_from_text(doc, fmt)
        else:
            data = _cxkpi.governance_registry_check(dict(doc))
        self._doc: Dict[str, Any] = dict(data)

    @classmethod
    def from_dict(cls, doc: Mapping[str, Any]) -> "Registry":
        return cls(dict(doc))

    @classmethod
    def from_json(cls, text: str) -> "Registry":
        reg = cls.__new__(cls)
        reg._doc = dict(_cxkpi.governance_registry_from_text(text, "json"))
        return reg

    @classmethod
    def from_toml(cls, text: str) -> "Registry":
        reg = cls.__new__(cls)
        reg._doc = dict(_cxkpi.governance_registry_from_text(text, "toml"))
        return reg

    def to_dict(self) -> Dict[str, Any]:
        return json.loads(json.dumps(self._doc))

    def to_frame(self) -> Any:
        try:
            import pandas as pd  # type: ignore[import-untyped,unused-ignore]

            return pd.DataFrame(self._doc["definitions"])
        except ImportError:
            import polars as pl

            return pl.DataFrame(self._doc["definitions"], strict=False)

    def in_force(self, id: str, date: Any) -> Dict[str, Any]:
        """The version of ``id`` in force on ``date`` (``version`` None with a ``reason`` if none)."""
        return dict(_cxkpi.governance_in_force(self._doc, id, _date(date)))

    def history(self, id: str) -> List[Dict[str, Any]]:
        """Every version of ``id``, drafts and retired ones included."""
        return list(_cxkpi.governance_history(self._doc, id))

    def retire(self, id: str, date: Any, approver: str, reason: str) -> "Registry":
        """A new registry with ``id`` retired from ``date`` on (history stays readable)."""
        reg = Registry.__new__(Registry)
        reg._doc = dict(_cxkpi.governance_retire(self._doc, id, _date(date), approver, reason))
        return reg

    def stamp(self, id: str, date: Any, lineage: Optional[Mapping[str, Any]] = None) -> Dict[str, Any]:
        """The stamp of a result for ``date``: definition version in force and lineage."""
        return dict(_cxkpi.governance_stamp(self._doc, id, _date(date), dict(lineage) if lineage else None))

    def __repr__(self) -> str:
        return f"Registry({len(self._doc['definitions'])} definitions)"


def _scale(s: Any) -> Any:
    if isinstance(s, Mapping):
        return dict(s)
    return list(s)


class Bridge:
    """A scale bridge across an instrument change: ``linear``, ``mean_sigma`` or ``equipercentile``."""

    def __init__(self, data: Dict[str, Any]) -> None:
        self._data = data

    @classmethod
    def fit(cls, method: str, from_scale: Any, to_scale: Any, old: Any = None, new: Any = None) -> "Bridge":
        """Fits a bridge; scales as ``(min, max)`` (or ``{"min", "max"}``), overlap answers ``old`` (old
        instrument) and ``new`` for ``mean_sigma`` and ``equipercentile`` (None/NaN = missing)."""
        o = None if old is None else as_f64(old, "old")
        n = None if new is None else as_f64(new, "new")
        return cls(dict(_cxkpi.governance_bridge_fit(method, _scale(from_scale), _scale(to_scale), o, n)))

    @classmethod
    def linear(cls, from_scale: Sequence[int], to_scale: Sequence[int]) -> "Bridge":
        return cls.fit("linear", from_scale, to_scale)

    @classmethod
    def mean_sigma(cls, old: Any, new: Any, from_scale: Sequence[int], to_scale: Sequence[int]) -> "Bridge":
        return cls.fit("mean_sigma", from_scale, to_scale, old, new)

    @classmethod
    def equipercentile(cls, old: Any, new: Any, from_scale: Sequence[int], to_scale: Sequence[int]) -> "Bridge":
        return cls.fit("equipercentile", from_scale, to_scale, old, new)

    def apply(self, values: Any) -> np.ndarray:
        """Maps old-scale values (NaN/None stay missing); returns a float64 numpy array. A float64 array is
        read without a copy."""
        return _cxkpi.governance_bridge_apply(self._data, as_f64(values, "values"))

    def series(self, periods: Sequence[str], values: Any, break_period: str) -> Dict[str, Any]:
        """A series put on the new scale with the break marked."""
        return dict(_cxkpi.governance_bridge_series(self._data, [str(p) for p in periods],
                                                    as_f64(values, "values"), break_period))

    def to_dict(self) -> Dict[str, Any]:
        return json.loads(json.dumps(self._data))

    def to_frame(self) -> Any:
        t = self._data["table"]
        try:
            import pandas as pd  # type: ignore[import-untyped,unused-ignore]

            return pd.DataFrame(t)
        except ImportError:
            import polars as pl

            return pl.DataFrame(t, strict=False)

    def __repr__(self) -> str:
        return f"Bridge(method={self._data['method']}, table={[(p['from'], p['to']) for p in self._data['table']]})"
