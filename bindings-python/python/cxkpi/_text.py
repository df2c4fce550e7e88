"""Open-text feedback: theme taxonomies and tagging (case/accent folding, negation window, overlaps),
coverage, theme frequency and trend, pain-point impact, validation against hand labels, mapping between
taxonomy versions; sentiment standardisation (linear or isotonic), Cohen's kappa, Bland-Altman and the
agreement of text sentiment with the survey answer.

Every function runs the Rust core, so numbers are bit-identical to Rust and Node. Documents (taxonomy,
taxonomy map, scale method) are dicts (or JSON/TOML text for a taxonomy) parsed by the core with
``deny_unknown_fields``. Results are :class:`TextResult` views (attributes, ``to_dict()``, ``to_frame()``
where a table is natural) or :class:`ThemeTags`.
"""

from __future__ import annotations

import json
import math
import os
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

import numpy as np

from . import _cxkpi
from ._convert import _module_name, as_f64, invalid_argument
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


def _opts(**kw: Any) -> Dict[str, Any]:
    return {k: v for k, v in kw.items() if v is not None}


class TextResult(_Result):
    """A text-module result: the core's fields as attributes and ``to_dict()``; ``r["field"]`` works too."""

    __slots__ = ("_kind",)

    def __init__(self, data: Dict[str, Any], kind: str = "text") -> None:
        super().__init__(data)
        self._kind = kind

    def __getattr__(self, name: str) -> Any:
        try:
            return self._d[name]
        except KeyError:
            raise AttributeError(f"{self._kind} result has no field {name!r}") from None

    def __reduce__(self) -> Tuple[Any, Tuple[Dict[str, Any], str]]:  # type: ignore[override]
        return (type(self), (self._d, self._kind))

    def __repr__(self) -> str:
        keys = [k for k, v in self._d.items() if isinstance(v, (int, float, str)) and not isinstance(v, bool)]
        shown = ", ".join(f"{k}={self._d[k]!r}" for k in keys[:8])
        return f"TextResult[{self._kind}]({shown})"

    def to_frame(self) -> Any:
        """A pandas DataFrame of the result's table: impact rows, trend rows (long: theme x period),
        validation rows, mapped counts; other results give one row of their scalar fields."""
        import pandas as pd

        d = self._d
        if self._kind == "theme_impact":
            return pd.DataFrame(d["rows"])
        if self._kind == "validate_taxonomy":
            return pd.DataFrame(d["themes"])
        if self._kind == "theme_trend":
            rows = []
            for t in d["themes"]:
                for p, c, s in zip(d["periods"], t["counts"], t["shares"]):
                    rows.append({"id": t["id"], "period": p, "count": c, "share": s})
            return pd.DataFrame(rows)
        if self._kind == "map_theme_counts":
            return pd.DataFrame({"id": d["ids"], "count": d["counts"]})
        return pd.DataFrame([{k: v for k, v in d.items() if not isinstance(v, (list, dict))}])


def _verbatims(values: Any, arg: str = "verbatims") -> List[str]:
    """A list of str from a list/tuple, pandas or polars Series, or numpy array (None/NaN is an error)."""
    mod = _module_name(values)
    if mod == "polars":
        values = values.to_list()
    elif mod == "pandas":
        values = values.tolist()
    elif isinstance(values, np.ndarray):
        values = values.tolist()
    elif isinstance(values, str):
        raise invalid_argument(arg, "must be a sequence of strings, got one str (wrap it in a list)")
    out = list(values)
    for i, v in enumerate(out):
        if not isinstance(v, str):
            if v is None or (isinstance(v, float) and math.isnan(v)):
                raise invalid_argument(arg, f"{arg}[{i}] is missing; pass '' for an empty comment")
            raise invalid_argument(arg, f"{arg}[{i}] is {type(v).__name__}, not str")
    return out


def _codes(values: Any, arg: str) -> np.ndarray:
    arr = np.asarray(values.to_numpy() if _module_name(values) in ("pandas", "polars") else values)
    if arr.ndim != 1:
        raise invalid_argument(arg, f"must be 1-D, got shape {arr.shape}")
    if arr.size and (arr.dtype.kind not in "iu" or arr.min() < 0 or arr.max() > 2**32 - 1):
        if arr.dtype.kind == "f" and np.all(np.isfinite(arr)) and np.all(arr == np.floor(arr)) and arr.min() >= 0:
            pass
        else:
            raise invalid_argument(arg, "must hold category codes 0, 1, 2, ... (non-negative integers)")
    return np.ascontiguousarray(arr, dtype=np.uint32)


class Taxonomy:
    """A versioned hierarchical theme taxonomy, validated by the core.

    ``Taxonomy(doc)`` accepts a dict, JSON or TOML text, or a path (``.json``/``.toml``). ``to_dict()`` gives
    the document with every default filled in (negation cues, policies).
    """

    __slots__ = ("_doc",)

    def __init__(self, document: Union[Mapping[str, Any], str, "os.PathLike[str]", "Taxonomy"]) -> None:
        if isinstance(document, Taxonomy):
            self._doc: Dict[str, Any] = document._doc
            return
        if isinstance(document, os.PathLike) or (
            isinstance(document, str) and document.endswith((".json", ".toml")) and os.path.exists(document)
        ):
            path = os.fspath(document)
            with open(path, encoding="utf-8") as f:
                text = f.read()
            fmt = "toml" if path.endswith(".toml") else "json"
            self._doc = _cxkpi.text_parse_taxonomy(text, fmt)
        elif isinstance(document, str):
            fmt = "json" if document.lstrip().startswith("{") else "toml"
            self._doc = _cxkpi.text_parse_taxonomy(document, fmt)
        elif isinstance(document, Mapping):
            self._doc = _cxkpi.text_parse_taxonomy(dict(document), "dict")
        else:
            raise invalid_argument("taxonomy", f"must be a dict, JSON/TOML text or a path, got {type(document).__name__}")

    @property
    def version(self) -> str:
        """The version string."""
        return str(self._doc["version"])

    @property
    def theme_ids(self) -> List[str]:
        """Theme ids in document order."""
        return [t["id"] for t in self._doc["themes"]]

    def to_dict(self) -> Dict[str, Any]:
        """The document (defaults filled in)."""
        return json.loads(json.dumps(self._doc))

    def tag(self, verbatims: Any, languages: Optional[Sequence[str]] = None) -> "ThemeTags":
        """Tags ``verbatims`` (see :func:`tag_themes`)."""
        return tag_themes(self, verbatims, languages=languages)

    def __repr__(self) -> str:
        return f"Taxonomy(version={self.version!r}, themes={len(self._doc['themes'])})"

    def __reduce__(self) -> Tuple[Any, Tuple[Dict[str, Any]]]:
        return (Taxonomy, (self._doc,))


def _taxonomy(t: Any) -> Dict[str, Any]:
    return (t if isinstance(t, Taxonomy) else Taxonomy(t))._doc


class ThemeTags(_Result):
    """Theme tags of many verbatims (compressed sparse rows): ``offsets`` (n + 1), ``theme_index``,
    ``negated``, ``theme_ids``; coverage and per-theme counts. ``themes_of(i)`` gives verbatim i's theme ids,
    ``to_lists()`` all of them, ``to_frame()`` a long table (verbatim, theme, negated)."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        try:
            return self._d[name]
        except KeyError:
            raise AttributeError(f"ThemeTags has no field {name!r}") from None

    def themes_of(self, i: int) -> List[str]:
        """Theme ids of verbatim ``i``."""
        o = self._d["offsets"]
        ids = self._d["theme_ids"]
        return [ids[t] for t in self._d["theme_index"][o[i] : o[i + 1]]]

    def to_lists(self) -> List[List[str]]:
        """Per verbatim, its theme ids."""
        return [self.themes_of(i) for i in range(self._d["n_verbatims"])]

    def to_frame(self) -> Any:
        """Long pandas DataFrame: one row per (verbatim, theme) with ``negated``."""
        import pandas as pd

        o = np.asarray(self._d["offsets"], dtype=np.int64)
        rows = np.repeat(np.arange(len(o) - 1), np.diff(o))
        ids = np.asarray(self._d["theme_ids"], dtype=object)
        return pd.DataFrame(
            {
                "verbatim": rows,
                "theme": ids[np.asarray(self._d["theme_index"], dtype=np.int64)] if len(rows) else [],
                "negated": np.asarray(self._d["negated"], dtype=bool),
            }
        )

    def counts_frame(self) -> Any:
        """pandas DataFrame of per-theme counts (theme, count, negated_count)."""
        import pandas as pd

        return pd.DataFrame(
            {"theme": self._d["theme_ids"], "count": self._d["counts"], "negated_count": self._d["negated_counts"]}
        )

    def __repr__(self) -> str:
        d = self._d
        return (
            f"ThemeTags(n_verbatims={d['n_verbatims']}, coverage={d['coverage']!r}, "
            f"taxonomy_version={d['taxonomy_version']!r})"
        )


def tag_themes(taxonomy: Any, verbatims: Any, languages: Optional[Sequence[str]] = None) -> ThemeTags:
    """Multi-label theme tagging of ``verbatims`` (list of str, pandas/polars Series or numpy object array).

    Texts and rules are folded (lower case, accents removed); rules match whole words (``*`` at the end allows a
    suffix); a negation cue within ``negation.window`` tokens before a match suppresses it or flips it (the
    taxonomy's ``negation.policy``); ``languages[i]`` (optional) restricts verbatim i's cues to its language
    (``""`` = all). Parents are implied under ``parent_policy = "implied"``.
    """
    doc = _taxonomy(taxonomy)
    langs = None if languages is None else _verbatims(languages, "languages")
    return ThemeTags(_cxkpi.text_tag_themes(doc, _verbatims(verbatims), langs))


def _tags(tags: Any) -> Dict[str, Any]:
    if isinstance(tags, ThemeTags):
        return tags._d
    if isinstance(tags, Mapping):
        return dict(tags)
    raise invalid_argument("tags", f"must be ThemeTags (from tag_themes), got {type(tags).__name__}")


def theme_trend(tags: Any, periods: Any) -> TextResult:
    """Theme frequency per period (``periods[i]``: integer period code of verbatim i) and trend: least-squares
    slope of the share over the period positions and the last period-on-period change."""
    arr = np.asarray(periods.to_numpy() if _module_name(periods) in ("pandas", "polars") else periods)
    if arr.dtype.kind == "f":
        if not (np.all(np.isfinite(arr)) and np.all(arr == np.floor(arr))):
            raise invalid_argument("periods", "must be integer period codes")
    elif arr.dtype.kind not in "iu":
        raise invalid_argument("periods", "must be integer period codes")
    return TextResult(_cxkpi.text_theme_trend(_tags(tags), [int(x) for x in arr.tolist()]), "theme_trend")


def theme_impact(tags: Any, sentiment: Any, value: Any = None, *, negative_below: float = 0.0) -> TextResult:
    """Pain-point ranking: impact = frequency x negative share x value (revenue at risk from ``value``, or
    customers when ``value`` is None). ``sentiment`` on -1..1, NaN = missing (excluded, counted)."""
    v = None if value is None else as_f64(value, "value")
    return TextResult(
        _cxkpi.text_theme_impact(_tags(tags), as_f64(sentiment, "sentiment"), v, {"negative_below": negative_below}),
        "theme_impact",
    )


def validate_taxonomy(taxonomy: Any, tags: Any, labels: Sequence[Sequence[str]]) -> TextResult:
    """Per-theme precision, recall, F1 and Cohen's kappa of the tags against hand labels (theme ids per
    verbatim), with micro/macro summaries."""
    lab = [list(x) for x in labels]
    return TextResult(_cxkpi.text_validate_taxonomy(_taxonomy(taxonomy), _tags(tags), lab), "validate_taxonomy")


def map_theme_counts(old: Any, new: Any, map: Mapping[str, Any], counts: Any) -> TextResult:
    """Carries counts per old theme (old document order) into the new taxonomy via the declared ``map``
    (``{"from_version", "to_version", "map": [{"from": id, "to": [{"id", "share"}]}]}``)."""
    return TextResult(
        _cxkpi.text_map_theme_counts(_taxonomy(old), _taxonomy(new), dict(map), as_f64(counts, "counts")),
        "map_theme_counts",
    )


def standardise_sentiment(scores: Any, method: Mapping[str, Any]) -> TextResult:
    """Maps ``scores`` onto -1..1 with the declared ``method``: ``{"method": "linear", "source_min",
    "source_max", "out_of_range"}`` or ``{"method": "isotonic", "reference_scores", "reference_targets",
    "reference_weights", "out_of_range"}``. Missing scores (NaN) give None."""
    m = dict(method)
    for k in ("reference_scores", "reference_targets", "reference_weights"):
        if k in m and m[k] is not None:
            m[k] = [float(x) for x in as_f64(m[k], k).tolist()]
    return TextResult(_cxkpi.text_standardise_sentiment(as_f64(scores, "scores"), m), "standardise_sentiment")


class IsotonicFit(TextResult):
    """An isotonic calibration (fields ``x``, ``y``, ``weight``...); ``predict(scores)`` applies it."""

    __slots__ = ()

    def predict(self, scores: Any) -> List[Optional[float]]:
        """Calibrated values (linear interpolation; clip or error outside the range; NaN -> None)."""
        return list(_cxkpi.text_isotonic_predict(self._d, as_f64(scores, "scores")))


def isotonic_fit(
    scores: Any,
    targets: Any,
    weights: Any = None,
    *,
    increasing: bool = True,
    out_of_range: str = "clip",
) -> IsotonicFit:
    """Weighted pool-adjacent-violators fit of ``targets`` on ``scores`` (ties pooled by weighted mean, as
    scikit-learn's IsotonicRegression)."""
    w = None if weights is None else as_f64(weights, "weights")
    return IsotonicFit(
        _cxkpi.text_isotonic_fit(
            as_f64(scores, "scores"),
            as_f64(targets, "targets"),
            w,
            {"increasing": increasing, "out_of_range": out_of_range},
        ),
        "isotonic_fit",
    )


def cohen_kappa(
    a: Any,
    b: Any,
    *,
    weights: str = "none",
    n_categories: Optional[int] = None,
    confidence: float = 0.95,
) -> TextResult:
    """Cohen's kappa of two ratings coded 0..k-1 (``weights``: none, linear, quadratic), with the
    Fleiss-Cohen-Everitt standard error and a normal interval."""
    return TextResult(
        _cxkpi.text_cohen_kappa(
            _codes(a, "a"),
            _codes(b, "b"),
            _opts(weights=weights, n_categories=n_categories, confidence=confidence),
        ),
        "cohen_kappa",
    )


def bland_altman(a: Any, b: Any, *, coverage: float = 0.95, confidence: float = 0.95) -> TextResult:
    """Bland-Altman bias and limits of agreement of ``a - b`` with their confidence intervals."""
    return TextResult(
        _cxkpi.text_bland_altman(as_f64(a, "a"), as_f64(b, "b"), {"coverage": coverage, "confidence": confidence}),
        "bland_altman",
    )


def provider_agreement(a: Any, b: Any, *, coverage: float = 0.95, confidence: float = 0.95) -> TextResult:
    """Pearson and Spearman correlation and Bland-Altman agreement of two providers' standardised scores."""
    return TextResult(
        _cxkpi.text_provider_agreement(
            as_f64(a, "a"), as_f64(b, "b"), {"coverage": coverage, "confidence": confidence}
        ),
        "provider_agreement",
    )


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
    """Agreement of text sentiment (-1..1) with the 0-10 answer of the same response: kappa (unweighted and
    linear) between sentiment category and NPS category, and the Spearman correlation."""
    return TextResult(
        _cxkpi.text_sentiment_survey_agreement(
            as_f64(sentiment, "sentiment"),
            as_f64(scores, "scores"),
            {
                "neutral_band": list(neutral_band),
                "detractor_max": detractor_max,
                "passive_max": passive_max,
                "scale": list(scale),
                "confidence": confidence,
            },
        ),
        "sentiment_survey_agreement",
    )


def fold_text(text: str) -> str:
    """The folded form the tagger matches on (lower case, accents removed, separators normalised)."""
    return str(_cxkpi.text_fold(text))
