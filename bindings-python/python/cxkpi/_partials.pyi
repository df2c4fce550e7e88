"""Mergeable partials."""

from typing import Any, Dict, Literal, Optional, Tuple, TypeVar, Union

from ._results import ChurnResult, MeanResult, NpsResult, SentimentResult, ShareResult
import numpy.typing as npt

_ArrayLike = Union[npt.ArrayLike, Any]
_NetInterval = Literal["adjusted_wald", "wald", "t", "bootstrap", "exact_bootstrap"]
_ProportionMethod = Literal["wilson", "wald", "agresti_coull", "clopper_pearson", "jeffreys", "wilson_cc"]
_MeanInterval = Literal["auto", "t", "normal"]
_Missing = Literal["exclude", "error"]
_Direction = Literal["higher_is_better", "lower_is_better"]

__all__ = [
    "ChurnPartial",
    "MeanPartial",
    "NpsPartial",
    "SentimentPartial",
    "TopBoxPartial",
]

# ---------------------------------------------------------------------------------------------------------
# Partials
# ---------------------------------------------------------------------------------------------------------

_P = TypeVar("_P", bound="_Partial")

class _Partial:
    def __init__(self, native: Any) -> None: ...
    def merge(self: _P, other: _P) -> _P:
        """A new partial holding both shards (self and other are left unchanged).

        Raises IncompatiblePartialsError if they were computed under different settings (bands, scale,
        weighting, missing-value policy).
        """
    def __add__(self: _P, other: _P) -> _P: ...
    def to_json(self) -> str:
        """The partial as JSON (the core's serde form; Rust and Node read the same)."""
    @classmethod
    def from_json(cls: type[_P], data: str) -> _P:
        """Rebuild a partial from ``to_json()`` output (from Python, Rust or Node)."""
    def to_dict(self) -> Dict[str, Any]:
        """The partial's state as a dict (same content as the JSON)."""
    def __reduce__(self) -> Tuple[Any, Tuple[str, str]]: ...
    def __eq__(self, other: object) -> bool: ...
    __hash__: None  # type: ignore[assignment]

class NpsPartial(_Partial):
    """Mergeable partial NPS: the category counts and weight sums of a shard of 0-10 answers."""

    @classmethod
    def from_scores(
        cls,
        scores: _ArrayLike,
        weights: Optional[_ArrayLike] = None,
        *,
        missing: Optional[_Missing] = None,
        promoter_min: Optional[int] = None,
        detractor_max: Optional[int] = None,
        scale_min: Optional[int] = None,
        scale_max: Optional[int] = None,
    ) -> NpsPartial:
        """Partial of one shard of answers (an empty shard is allowed). Options as for ``nps``."""
    def finish(
        self,
        *,
        interval: Optional[_NetInterval] = None,
        confidence: Optional[float] = None,
        resamples: Optional[int] = None,
        seed: Optional[int] = None,
    ) -> NpsResult:
        """The NPS of all merged shards (interval options as for ``nps``)."""

class TopBoxPartial(_Partial):
    """Mergeable partial top-box share: success and total counts (weight sums) of a shard."""

    @classmethod
    def from_scores(
        cls,
        scores: _ArrayLike,
        weights: Optional[_ArrayLike] = None,
        *,
        scale_min: Optional[int] = None,
        scale_max: Optional[int] = None,
        side: Optional[Literal["top", "bottom"]] = None,
        k: Optional[int] = None,
        missing: Optional[_Missing] = None,
    ) -> TopBoxPartial:
        """Partial of one shard of answers. Options as for ``top_box``."""
    def finish(
        self, *, interval: Optional[_ProportionMethod] = None, confidence: Optional[float] = None
    ) -> ShareResult:
        """The share of all merged shards (interval options as for ``top_box``)."""

class MeanPartial(_Partial):
    """Mergeable partial mean: count, weight sums and centred moments of a shard."""

    @classmethod
    def from_values(
        cls,
        values: _ArrayLike,
        weights: Optional[_ArrayLike] = None,
        *,
        scale_min: Optional[int] = None,
        scale_max: Optional[int] = None,
        direction: Optional[_Direction] = None,
        missing: Optional[_Missing] = None,
    ) -> MeanPartial:
        """Partial of one shard of values. Options as for ``mean_score`` (for CES give scale_min=1,
        scale_max=7)."""
    def finish(
        self, *, interval: Optional[_MeanInterval] = None, confidence: Optional[float] = None
    ) -> MeanResult:
        """The mean of all merged shards (interval options as for ``mean_score``)."""

class SentimentPartial(_Partial):
    """Mergeable partial sentiment: positive/neutral/negative counts (weight sums) of a shard."""

    @classmethod
    def from_labels(
        cls,
        labels: _ArrayLike,
        weights: Optional[_ArrayLike] = None,
        *,
        missing: Optional[_Missing] = None,
    ) -> SentimentPartial:
        """Partial of one shard of labels (codes +1/0/-1 or strings, as for ``sentiment_share``)."""
    def finish(
        self,
        *,
        interval: Optional[_NetInterval] = None,
        share_interval: Optional[_ProportionMethod] = None,
        confidence: Optional[float] = None,
        resamples: Optional[int] = None,
        seed: Optional[int] = None,
    ) -> SentimentResult:
        """The sentiment result of all merged shards (options as for ``sentiment_share``)."""

class ChurnPartial(_Partial):
    """Mergeable churn counts: customers at start, lost and (optionally) at end add across disjoint books."""

    def __init__(self, customers_start: float, lost: float, customers_end: Optional[float] = None) -> None:
        """Partial of one book of customers (validated: non-negative counts)."""
    @classmethod
    def from_counts(
        cls, customers_start: float, lost: float, customers_end: Optional[float] = None
    ) -> ChurnPartial:
        """Same as the constructor."""
    def finish(
        self,
        *,
        period_months: Optional[float] = None,
        base: Optional[Literal["start", "average"]] = None,
        interval: Optional[_ProportionMethod] = None,
        confidence: Optional[float] = None,
    ) -> ChurnResult:
        """Churn of all merged books (options as for ``churn``; customers_end comes from the partial)."""
