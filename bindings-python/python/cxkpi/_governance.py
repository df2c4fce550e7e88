"""Governance: a registry of versioned, effective-dated metric and instrument definitions, the definition
in force on a date (intervals [effective_from, effective_to)), result stamps with lineage, retirement that
keeps history readable, and bridges across instrument changes (docs/governance.md)."""

from __future__ import annotations

import json
from typing import Any, Dict, List, Mapping, Optional, Sequence

from . import _cxkpi

__all__ = ["Registry", "Bridge"]


def _date(d: Any) -> str:
    return d.isoformat()[:10] if hasattr(d, "isoformat") else str(d)


class Registry:
    """A registry of definitions (dict, JSON or TOML text)."""

    def __init__(self, doc: Any) -> None:
        if isinstance(doc, str):
            fmt = "json" if doc.strip().startswith("{") else "toml"
            doc = _cxkpi.governance_call("registry_from_text", {"text": doc, "format": fmt})
        else:
            doc = _cxkpi.governance_call("registry_from_text", {"text": json.dumps(dict(doc)), "format": "json"})
        self._doc: Dict[str, Any] = dict(doc)

    @classmethod
    def from_dict(cls, doc: Mapping[str, Any]) -> "Registry":
        return cls(dict(doc))

    @classmethod
    def from_json(cls, text: str) -> "Registry":
        return cls(text)

    @classmethod
    def from_toml(cls, text: str) -> "Registry":
        return cls(dict(_cxkpi.governance_call("registry_from_text", {"text": text, "format": "toml"})))

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
        return dict(_cxkpi.governance_call("in_force", {"registry": self._doc, "id": id, "date": _date(date)}))

    def history(self, id: str) -> List[Dict[str, Any]]:
        """Every version of ``id``, drafts and retired ones included."""
        return list(_cxkpi.governance_call("history", {"registry": self._doc, "id": id})["versions"])

    def retire(self, id: str, date: Any, approver: str, reason: str) -> "Registry":
        """A new registry with ``id`` retired from ``date`` on (history stays readable)."""
        doc = _cxkpi.governance_call("retire", {"registry": self._doc, "id": id, "date": _date(date),
                                                "approver": approver, "reason": reason})
        return Registry.from_dict(doc)

    def stamp(self, id: str, date: Any, lineage: Optional[Mapping[str, Any]] = None) -> Dict[str, Any]:
        """The stamp of a result for ``date``: definition version in force and lineage."""
        return dict(_cxkpi.governance_call("stamp", {"registry": self._doc, "id": id, "date": _date(date),
                                                     "lineage": dict(lineage) if lineage else None}))


def _nums(x: Any) -> List[Any]:
    vals = x.tolist() if hasattr(x, "tolist") else list(x)
    return [None if v is None or v != v else float(v) for v in vals]


class Bridge:
    """A scale bridge across an instrument change: ``linear``, ``mean_sigma`` or ``equipercentile``."""

    def __init__(self, data: Dict[str, Any]) -> None:
        self._data = data

    @classmethod
    def fit(cls, method: str, from_scale: Sequence[int], to_scale: Sequence[int], old: Any = None,
            new: Any = None) -> "Bridge":
        spec: Dict[str, Any] = {"method": method, "from_scale": list(from_scale), "to_scale": list(to_scale)}
        if old is not None:
            spec["old"] = _nums(old)
        if new is not None:
            spec["new"] = _nums(new)
        return cls(dict(_cxkpi.governance_call("bridge", {"bridge": spec})))

    @classmethod
    def linear(cls, from_scale: Sequence[int], to_scale: Sequence[int]) -> "Bridge":
        return cls.fit("linear", from_scale, to_scale)

    @classmethod
    def mean_sigma(cls, old: Any, new: Any, from_scale: Sequence[int], to_scale: Sequence[int]) -> "Bridge":
        return cls.fit("mean_sigma", from_scale, to_scale, old, new)

    @classmethod
    def equipercentile(cls, old: Any, new: Any, from_scale: Sequence[int], to_scale: Sequence[int]) -> "Bridge":
        return cls.fit("equipercentile", from_scale, to_scale, old, new)

    def apply(self, values: Any) -> Any:
        """Maps old-scale values (NaN/None stay missing); returns a float64 numpy array."""
        import numpy as np

        r = _cxkpi.governance_call("apply_bridge", {"bridge": self._data, "values": _nums(values)})
        return np.array([np.nan if v is None else v for v in r["values"]], dtype=float)

    def series(self, periods: Sequence[str], values: Any, break_period: str) -> Dict[str, Any]:
        """A series put on the new scale with the break marked."""
        return dict(_cxkpi.governance_call("bridge_series", {"bridge": self._data, "periods": list(periods),
                                                             "values": _nums(values), "break_period": break_period}))

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
