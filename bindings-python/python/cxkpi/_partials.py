"""Mergeable partials: compute a partial per shard (Spark partition, Dask chunk, Ray task, file, day...), merge
them in any order, finish once. Merging partials of shards equals computing on the whole data.

Partials are immutable: ``a.merge(b)`` returns a new partial, so ``functools.reduce(lambda a, b: a.merge(b),
parts)`` and tree reductions work. They pickle (through their JSON form) and round-trip through
``to_json()`` / ``from_json()``, which is the same JSON the Rust core and the Node binding read and write.
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Tuple, Type, TypeVar

from . import _cxkpi
from ._api import _opts, _sentiment_codes
from ._convert import as_f64, as_f64_opt
from ._results import ChurnResult, MeanResult, NpsResult, SentimentResult, ShareResult

__all__ = ["ChurnPartial", "MeanPartial", "NpsPartial", "SentimentPartial", "TopBoxPartial"]

P = TypeVar("P", bound="_Partial")


def _restore(cls_name: str, state: str) -> "_Partial":
    """Unpickle helper: rebuild a partial from its JSON."""
    cls = _CLASSES[cls_name]
    return cls.from_json(state)


class _Partial:
    __slots__ = ("_p",)
    _native_name = ""

    def __init__(self, native: Any) -> None:
        self._p = native

    @classmethod
    def _native(cls) -> Any:
        return getattr(_cxkpi, cls._native_name)

    @classmethod
    def _wrap(cls: Type[P], native: Any) -> P:
        obj = cls.__new__(cls)
        obj._p = native
        return obj

    def merge(self: P, other: P) -> P:
        """A new partial holding both shards (self and other are left unchanged).

        Raises IncompatiblePartialsError if they were computed under different settings (bands, scale,
        weighting, missing-value policy).
        """
        if type(other) is not type(self):
            raise TypeError(f"cannot merge {type(self).__name__} with {type(other).__name__}")
        return self._wrap(self._p.merge(other._p))

    def __add__(self: P, other: P) -> P:
        if type(other) is not type(self):
            return NotImplemented
        return self.merge(other)

    def to_json(self) -> str:
        """The partial as JSON (the core's serde form; Rust and Node read the same)."""
        return self._p.to_json()  # type: ignore[no-any-return]

    @classmethod
    def from_json(cls: Type[P], data: str) -> P:
        """Rebuild a partial from ``to_json()`` output (from Python, Rust or Node)."""
        return cls._wrap(cls._native().from_json(data))

    def to_dict(self) -> Dict[str, Any]:
        """The partial's state as a dict (same content as the JSON)."""
        import json

        return json.loads(self.to_json())  # type: ignore[no-any-return]

    def __reduce__(self) -> Tuple[Any, Tuple[str, str]]:
        return (_restore, (type(self).__name__, self.to_json()))

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.to_json() == other.to_json()  # type: ignore[attr-defined]

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.to_json()})"


class NpsPartial(_Partial):
    """Mergeable partial NPS: the category counts and weight sums of a shard of 0-10 answers."""

    __slots__ = ()
    _native_name = "NpsPartial"

    @classmethod
    def from_scores(
        cls,
        scores: Any,
        weights: Any = None,
        *,
        missing: Optional[str] = None,
        promoter_min: Optional[int] = None,
        detractor_max: Optional[int] = None,
        scale_min: Optional[int] = None,
        scale_max: Optional[int] = None,
    ) -> "NpsPartial":
        """Partial of one shard of answers (an empty shard is allowed). Options as for ``nps``."""
        opts = _opts(
            missing=missing, promoter_min=promoter_min, detractor_max=detractor_max, scale_min=scale_min,
            scale_max=scale_max,
        )
        return cls._wrap(cls._native().from_scores(as_f64(scores, "scores"), as_f64_opt(weights), opts))

    def finish(
        self,
        *,
        interval: Optional[str] = None,
        confidence: Optional[float] = None,
        resamples: Optional[int] = None,
        seed: Optional[int] = None,
    ) -> NpsResult:
        """The NPS of all merged shards (interval options as for ``nps``)."""
        opts = _opts(interval=interval, confidence=confidence, resamples=resamples, seed=seed)
        return NpsResult(self._p.finish(opts))


class TopBoxPartial(_Partial):
    """Mergeable partial top-box share: success and total counts (weight sums) of a shard."""

    __slots__ = ()
    _native_name = "TopBoxPartial"

    @classmethod
    def from_scores(
        cls,
        scores: Any,
        weights: Any = None,
        *,
        scale_min: Optional[int] = None,
        scale_max: Optional[int] = None,
        side: Optional[str] = None,
        k: Optional[int] = None,
        missing: Optional[str] = None,
    ) -> "TopBoxPartial":
        """Partial of one shard of answers. Options as for ``top_box``."""
        opts = _opts(scale_min=scale_min, scale_max=scale_max, side=side, k=k, missing=missing)
        return cls._wrap(cls._native().from_scores(as_f64(scores, "scores"), as_f64_opt(weights), opts))

    def finish(self, *, interval: Optional[str] = None, confidence: Optional[float] = None) -> ShareResult:
        """The share of all merged shards (interval options as for ``top_box``)."""
        return ShareResult(self._p.finish(_opts(interval=interval, confidence=confidence)))


class MeanPartial(_Partial):
    """Mergeable partial mean: count, weight sums and centred moments of a shard."""

    __slots__ = ()
    _native_name = "MeanPartial"

    @classmethod
    def from_values(
        cls,
        values: Any,
        weights: Any = None,
        *,
        scale_min: Optional[int] = None,
        scale_max: Optional[int] = None,
        direction: Optional[str] = None,
        missing: Optional[str] = None,
    ) -> "MeanPartial":
        """Partial of one shard of values. Options as for ``mean_score`` (for CES give scale_min=1,
        scale_max=7)."""
        opts = _opts(scale_min=scale_min, scale_max=scale_max, direction=direction, missing=missing)
        return cls._wrap(cls._native().from_values(as_f64(values, "values"), as_f64_opt(weights), opts))

    def finish(self, *, interval: Optional[str] = None, confidence: Optional[float] = None) -> MeanResult:
        """The mean of all merged shards (interval options as for ``mean_score``)."""
        return MeanResult(self._p.finish(_opts(interval=interval, confidence=confidence)))


class SentimentPartial(_Partial):
    """Mergeable partial sentiment: positive/neutral/negative counts (weight sums) of a shard."""

    __slots__ = ()
    _native_name = "SentimentPartial"

    @classmethod
    def from_labels(
        cls,
        labels: Any,
        weights: Any = None,
        *,
        missing: Optional[str] = None,
    ) -> "SentimentPartial":
        """Partial of one shard of labels (codes +1/0/-1 or strings, as for ``sentiment_share``)."""
        opts = _opts(missing=missing)
        return cls._wrap(cls._native().from_labels(_sentiment_codes(labels), as_f64_opt(weights), opts))

    def finish(
        self,
        *,
        interval: Optional[str] = None,
        share_interval: Optional[str] = None,
        confidence: Optional[float] = None,
        resamples: Optional[int] = None,
        seed: Optional[int] = None,
    ) -> SentimentResult:
        """The sentiment result of all merged shards (options as for ``sentiment_share``)."""
        opts = _opts(
            interval=interval, share_interval=share_interval, confidence=confidence, resamples=resamples,
            seed=seed,
        )
        return SentimentResult(self._p.finish(opts))


class ChurnPartial(_Partial):
    """Mergeable churn counts: customers at start, lost and (optionally) at end add across disjoint books."""

    __slots__ = ()
    _native_name = "ChurnPartial"

    def __init__(self, customers_start: float, lost: float, customers_end: Optional[float] = None) -> None:
        """Partial of one book of customers (validated: non-negative counts)."""
        super().__init__(
            self._native()(float(customers_start), float(lost), None if customers_end is None else float(customers_end))
        )

    @classmethod
    def from_counts(
        cls, customers_start: float, lost: float, customers_end: Optional[float] = None
    ) -> "ChurnPartial":
        """Same as the constructor."""
        return cls(customers_start, lost, customers_end)

    def finish(
        self,
        *,
        period_months: Optional[float] = None,
        base: Optional[str] = None,
        interval: Optional[str] = None,
        confidence: Optional[float] = None,
    ) -> ChurnResult:
        """Churn of all merged books (options as for ``churn``; customers_end comes from the partial)."""
        opts = _opts(period_months=period_months, base=base, interval=interval, confidence=confidence)
        return ChurnResult(self._p.finish(opts))


_CLASSES: Dict[str, Type[_Partial]] = {
    c.__name__: c for c in (NpsPartial, TopBoxPartial, MeanPartial, SentimentPartial, ChurnPartial)
}
