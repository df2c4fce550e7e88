"""Open-text feedback: theme taxonomies and tagging, impact, trend, validation, version mapping; sentiment
standardisation and agreement (kappa, Bland-Altman, correlation)."""

import os
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

from ._results import _Result

__all__ = [
    "IsotonicFit",
    "Taxonomy",
    "TextResult",
    "ThemeTags",
    "bland_altman",
    "cohen_kappa",
    "fold_text",
    "isotonic_fit",
    "map_theme_counts",
    "provider_agreement",
    "sentiment_survey_agreement",
    "standardise_sentiment",
    "tag_themes",
    "theme_impact",
    "theme_trend",
    "validate_taxonomy",
]

class TextResult(_Result):
    """A text-module result: the core's fields as attributes, ``to_dict()`` and ``to_frame()``."""

    def __init__(self, data: Dict[str, Any], kind: str = "text") -> None: ...
    def __getattr__(self, name: str) -> Any: ...
    def to_frame(self) -> Any:
        """A pandas DataFrame of the result's table."""

class Taxonomy:
    """A versioned hierarchical theme taxonomy (dict, JSON/TOML text or a path), validated by the core."""

    def __init__(self, document: Union[Mapping[str, Any], str, os.PathLike[str], Taxonomy]) -> None: ...
    @property
    def version(self) -> str:
        """The version string."""
    @property
    def theme_ids(self) -> List[str]:
        """Theme ids in document order."""
    def to_dict(self) -> Dict[str, Any]:
        """The document with defaults filled in."""
    def tag(self, verbatims: Any, languages: Optional[Sequence[str]] = None) -> ThemeTags:
        """Tags ``verbatims``."""
    def __reduce__(self) -> Tuple[Any, Tuple[Dict[str, Any]]]: ...

class ThemeTags(_Result):
    """Theme tags of many verbatims (offsets, theme_index, negated), coverage and counts."""

    def __getattr__(self, name: str) -> Any: ...
    def themes_of(self, i: int) -> List[str]:
        """Theme ids of verbatim ``i``."""
    def to_lists(self) -> List[List[str]]:
        """Per verbatim, its theme ids."""
    def to_frame(self) -> Any:
        """Long pandas DataFrame (verbatim, theme, negated)."""
    def counts_frame(self) -> Any:
        """pandas DataFrame of per-theme counts."""

class IsotonicFit(TextResult):
    """An isotonic calibration; ``predict(scores)`` applies it."""

    def predict(self, scores: Any) -> List[Optional[float]]:
        """Calibrated values (NaN -> None)."""

def tag_themes(taxonomy: Any, verbatims: Any, languages: Optional[Sequence[str]] = None) -> ThemeTags:
    """Multi-label theme tagging (folding, whole words, negation window, parents implied)."""

def theme_trend(tags: Any, periods: Any) -> TextResult:
    """Theme frequency per period and its trend."""

def theme_impact(tags: Any, sentiment: Any, value: Any = None, *, negative_below: float = 0.0) -> TextResult:
    """Pain-point ranking: frequency x negative share x value."""

def validate_taxonomy(taxonomy: Any, tags: Any, labels: Sequence[Sequence[str]]) -> TextResult:
    """Precision, recall, F1 and kappa per theme against hand labels."""

def map_theme_counts(old: Any, new: Any, map: Mapping[str, Any], counts: Any) -> TextResult:
    """Counts per old theme carried into the new taxonomy."""

def standardise_sentiment(scores: Any, method: Mapping[str, Any]) -> TextResult:
    """Scores onto -1..1 (linear or isotonic)."""

def isotonic_fit(
    scores: Any,
    targets: Any,
    weights: Any = None,
    *,
    increasing: bool = True,
    out_of_range: str = "clip",
) -> IsotonicFit:
    """Weighted pool-adjacent-violators fit."""

def cohen_kappa(
    a: Any,
    b: Any,
    *,
    weights: str = "none",
    n_categories: Optional[int] = None,
    confidence: float = 0.95,
) -> TextResult:
    """Cohen's kappa (none, linear, quadratic weights) with SE and interval."""

def bland_altman(a: Any, b: Any, *, coverage: float = 0.95, confidence: float = 0.95) -> TextResult:
    """Bland-Altman bias and limits of agreement with CIs."""

def provider_agreement(a: Any, b: Any, *, coverage: float = 0.95, confidence: float = 0.95) -> TextResult:
    """Correlation and Bland-Altman agreement of two providers."""

def sentiment_survey_agreement(
    sentiment: Any,
    scores: Any,
    *,
    neutral_band: Tuple[float, float] = (-0.05, 0.05),
    detractor_max: float = 6.0,
    passive_max: float = 8.0,
    scale: Tuple[float, float] = (0.0, 10.0),
    confidence: float = 0.95,
) -> TextResult:
    """Kappa and Spearman between text sentiment and the 0-10 answer."""

def fold_text(text: str) -> str:
    """The folded form the tagger matches on."""
