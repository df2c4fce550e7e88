"""Native part of cxkpi (private: use the functions and classes of the ``cxkpi`` package).

Columns must be 1-D float64 numpy arrays (uint32 for group keys); the package's public functions convert
other inputs once. Options are dicts of the core's option names; results are dicts of the core's fields.
"""

from typing import Any, Dict, List, Optional, final


import numpy as np
import numpy.typing as npt

from . import (
    CxkpiError as CxkpiError,
    EmptyInputError as EmptyInputError,
    IncompatiblePartialsError as IncompatiblePartialsError,
    InsufficientDataError as InsufficientDataError,
    InvalidArgumentError as InvalidArgumentError,
    InvalidConfidenceError as InvalidConfidenceError,
    InvalidWeightError as InvalidWeightError,
    LengthMismatchError as LengthMismatchError,
    MissingValueError as MissingValueError,
    NonIntegerError as NonIntegerError,
    OutOfScaleError as OutOfScaleError,
    UnknownMethodError as UnknownMethodError,
    UnsupportedError as UnsupportedError,
    InconsistentMarginsError as InconsistentMarginsError,
    EmptyLevelError as EmptyLevelError,
    InfeasibleError as InfeasibleError,
    NotConvergedError as NotConvergedError,
    ZeroWeightSumError as ZeroWeightSumError,
)

__all__ = [
    "__version__",
    "version",
    "nps",
    "nps_from_counts",
    "top_box",
    "share_from_counts",
    "proportion_interval",
    "mean_score",
    "ces",
    "mean_from_summary",
    "churn",
    "convert_rate",
    "sentiment_share",
    "parse_sentiment_labels",
    "sentiment_from_counts",
    "compare_nps",
    "compare_shares",
    "compare_means",
    "sample_size",
    "grouped",
    "rake",
    "calibrate",
    "poststratify",
    "trim_weights",
    "weight_diagnostics",
    "NpsPartial",
    "TopBoxPartial",
    "MeanPartial",
    "SentimentPartial",
    "ChurnPartial",
    "CxkpiError",
    "EmptyInputError",
    "MissingValueError",
    "OutOfScaleError",
    "NonIntegerError",
    "LengthMismatchError",
    "InvalidWeightError",
    "ZeroWeightSumError",
    "InvalidConfidenceError",
    "UnknownMethodError",
    "InvalidArgumentError",
    "InsufficientDataError",
    "IncompatiblePartialsError",
    "UnsupportedError",
    "InconsistentMarginsError",
    "EmptyLevelError",
    "InfeasibleError",
    "NotConvergedError",
]

__version__: str

_F64 = npt.NDArray[np.float64]
_U32 = npt.NDArray[np.uint32]
_Opts = Optional[Dict[str, Any]]
_Res = Dict[str, Any]

def version() -> str:
    """The version of the cxkpi core this module was built from."""

def nps(scores: _F64, weights: Optional[_F64] = None, options: _Opts = None) -> _Res: ...
def nps_from_counts(promoters: int, passives: int, detractors: int, options: _Opts = None) -> _Res: ...
def top_box(scores: _F64, weights: Optional[_F64] = None, options: _Opts = None) -> _Res: ...
def share_from_counts(successes: int, n: int, options: _Opts = None) -> _Res: ...
def proportion_interval(x: float, n: float, options: _Opts = None) -> _Res: ...
def mean_score(values: _F64, weights: Optional[_F64] = None, options: _Opts = None) -> _Res: ...
def ces(scores: _F64, weights: Optional[_F64] = None, options: _Opts = None) -> _Res: ...
def mean_from_summary(mean: float, sd: float, n: int, options: _Opts = None) -> _Res: ...
def churn(customers_start: float, lost: float, options: _Opts = None) -> _Res: ...
def convert_rate(rate: float, from_months: float, to_months: float) -> float: ...
def sentiment_share(labels: _F64, weights: Optional[_F64] = None, options: _Opts = None) -> _Res: ...
def parse_sentiment_labels(labels: List[Optional[str]]) -> _F64:
    """Text labels (str or None) -> float64 codes (+1, 0, -1, NaN), parsed by the core."""

def sentiment_from_counts(positive: int, neutral: int, negative: int, options: _Opts = None) -> _Res: ...
def compare_nps(a: _Res, b: _Res, options: _Opts = None) -> _Res: ...
def compare_shares(a: _Res, b: _Res, options: _Opts = None) -> _Res: ...
def compare_means(a: _Res, b: _Res, options: _Opts = None) -> _Res: ...
def sample_size(options: _Opts = None) -> _Res: ...
def grouped(
    metric: str, values: _F64, keys: List[_U32], weights: Optional[_F64] = None, options: _Opts = None
) -> _Res: ...

def rake(codes: List[_U32], targets: List[_F64], base: Optional[_F64] = None, options: _Opts = None) -> _Res:
    """Rake to the margins: ``codes[v]`` level codes (0..L-1) of variable v, ``targets[v]`` its targets.
    The result dict has ``weights`` and ``g`` as float64 arrays."""

def calibrate(
    codes: List[_U32], targets: List[_F64], base: Optional[_F64] = None, options: _Opts = None
) -> _Res:
    """Calibrate to the margins with the distance and bounds of the options."""

def poststratify(
    codes: List[_U32], levels: List[int], cell_targets: _F64, base: Optional[_F64] = None, options: _Opts = None
) -> _Res:
    """Post-stratify: one target per crossed cell, the first variable most significant."""

def trim_weights(weights: _F64, options: _Opts = None) -> _Res:
    """Trim weights (options: upper, lower, relative_to_mean); ``weights`` comes back as an array."""

def weight_diagnostics(weights: _F64, base: Optional[_F64] = None) -> _Res:
    """Spread, Kish effective n and design effect of the weights."""

@final
class NpsPartial:
    """Native NPS partial."""

    @staticmethod
    def from_scores(scores: _F64, weights: Optional[_F64] = None, options: _Opts = None) -> NpsPartial: ...
    def merge(self, other: NpsPartial) -> NpsPartial:
        """A new partial holding both shards."""
    def to_json(self) -> str:
        """The core's JSON form."""
    @staticmethod
    def from_json(data: str) -> NpsPartial:
        """Rebuild from `to_json()` output."""
    def finish(self, options: _Opts = None) -> _Res:
        """Final result (options: the interval options of the metric)."""

@final
class TopBoxPartial:
    """Native top-box partial."""

    @staticmethod
    def from_scores(scores: _F64, weights: Optional[_F64] = None, options: _Opts = None) -> TopBoxPartial: ...
    def merge(self, other: TopBoxPartial) -> TopBoxPartial:
        """A new partial holding both shards."""
    def to_json(self) -> str:
        """The core's JSON form."""
    @staticmethod
    def from_json(data: str) -> TopBoxPartial:
        """Rebuild from `to_json()` output."""
    def finish(self, options: _Opts = None) -> _Res:
        """Final result (options: the interval options of the metric)."""

@final
class MeanPartial:
    """Native mean partial."""

    @staticmethod
    def from_values(values: _F64, weights: Optional[_F64] = None, options: _Opts = None) -> MeanPartial: ...
    def merge(self, other: MeanPartial) -> MeanPartial:
        """A new partial holding both shards."""
    def to_json(self) -> str:
        """The core's JSON form."""
    @staticmethod
    def from_json(data: str) -> MeanPartial:
        """Rebuild from `to_json()` output."""
    def finish(self, options: _Opts = None) -> _Res:
        """Final result (options: the interval options of the metric)."""

@final
class SentimentPartial:
    """Native sentiment partial."""

    @staticmethod
    def from_labels(labels: _F64, weights: Optional[_F64] = None, options: _Opts = None) -> SentimentPartial: ...
    def merge(self, other: SentimentPartial) -> SentimentPartial:
        """A new partial holding both shards."""
    def to_json(self) -> str:
        """The core's JSON form."""
    @staticmethod
    def from_json(data: str) -> SentimentPartial:
        """Rebuild from `to_json()` output."""
    def finish(self, options: _Opts = None) -> _Res:
        """Final result (options: the interval options of the metric)."""

@final
class ChurnPartial:
    """Native churn partial."""

    def __new__(cls, customers_start: float, lost: float, customers_end: Optional[float] = None) -> ChurnPartial: ...
    def merge(self, other: ChurnPartial) -> ChurnPartial:
        """A new partial holding both shards."""
    def to_json(self) -> str:
        """The core's JSON form."""
    @staticmethod
    def from_json(data: str) -> ChurnPartial:
        """Rebuild from `to_json()` output."""
    def finish(self, options: _Opts = None) -> _Res:
        """Final result (options: the interval options of the metric)."""
