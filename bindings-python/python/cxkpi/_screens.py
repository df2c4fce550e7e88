"""Drift between distributions, manipulation screens and explained alerts (core ``baseline::{drift, screens,
alerts}``).

- Drift: :func:`psi` (population stability index with declared binning and a named zero policy),
  :func:`ks_2samp` (exact or asymptotic p), :func:`jensen_shannon` (base 2 or e), :func:`chi_square`
  (homogeneity with Cramér's V, optionally bias-corrected).
- Screens, reported as evidence and never a verdict (effect size, p, Holm and BH adjusted p, evidence rows):
  :func:`top_box_inflation`, :func:`low_variance`, :func:`duplicate_verbatims`, :func:`selective_filtering`,
  :func:`coaching_step`. ``result.signals()`` turns the flagged findings into signals.
- Alerts: :func:`build_alerts` turns signals (from any detector) into alerts with an escalation ladder given as
  a dict or TOML/JSON text (:func:`alert_ladder` validates one).

Teams may be integer codes or labels (strings, pandas/polars categoricals): labels are factorised once and
handed to the core as ``team_labels``; ``team`` in ``rates`` and ``events`` may then be a label too.
Every number comes from the Rust core and is bit-identical to Rust and Node.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np

from . import _cxkpi
from ._convert import _module_name, as_f64, factorize, invalid_argument
from ._results import _Result

__all__ = [
    "ScreensResult",
    "alert_ladder",
    "build_alerts",
    "chi_square",
    "coaching_step",
    "duplicate_verbatims",
    "jensen_shannon",
    "ks_2samp",
    "low_variance",
    "psi",
    "selective_filtering",
    "top_box_inflation",
]


class ScreensResult(_Result):
    """A drift, screen or alert result: the core's fields as attributes (``r.psi``, ``r.findings``,
    ``r.alerts``...), ``r["field"]`` and ``to_dict()``. Screen results also have :meth:`signals`."""

    __slots__ = ("_kind",)

    def __init__(self, data: Dict[str, Any], kind: str = "screens") -> None:
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
        return f"ScreensResult[{self._kind}]({shown})"

    def signals(self) -> List[Dict[str, Any]]:
        """The flagged findings of a screen result as signal dicts (rule = the screen id, points = the
        evidence rows), ready for :func:`build_alerts`."""
        if "findings" not in self._d:
            raise invalid_argument("result", f"{self._kind} result has no findings to turn into signals")
        out: List[Dict[str, Any]] = _cxkpi.screens_signals(self._d)
        return out


def _teams(teams: Any, arg: str = "teams") -> Tuple[np.ndarray, Optional[List[str]]]:
    codes, labels = factorize(teams)
    if labels is None:
        return codes, None
    if any(lab is None for lab in labels):
        raise invalid_argument(arg, "has a missing team (None/NaN); every row needs a team")
    return codes, [str(lab) for lab in labels]


def _team_ref(team: Any, labels: Optional[List[str]], arg: str) -> int:
    if labels is None:
        if isinstance(team, (int, np.integer)) and not isinstance(team, bool) and team >= 0:
            return int(team)
        raise invalid_argument(arg, f"= {team!r} must be a team code (teams are integer codes)")
    key = str(team)
    if key in labels:
        return labels.index(key)
    raise invalid_argument(arg, f"= {team!r} is not one of the teams {labels}")


def _codes(values: Any, arg: str) -> np.ndarray:
    arr = np.asarray(values)
    if arr.dtype.kind not in "iu" or (arr.size and arr.min() < 0):
        raise invalid_argument(arg, "must be non-negative integer codes")
    return np.ascontiguousarray(arr, dtype=np.uint32)


def _opts(base: Dict[str, Any], labels: Optional[List[str]] = None) -> Dict[str, Any]:
    o = {k: v for k, v in base.items() if v is not None}
    if labels is not None and "team_labels" not in o:
        o["team_labels"] = labels
    return o


# ----------------------------------------------------------------------------------------------- drift
def psi(reference: Any, current: Any, *, binning: str = "quantiles", bins: int = 10,
        edges: Optional[Sequence[float]] = None, zero_policy: str = "epsilon", epsilon: float = 1e-4) -> ScreensResult:
    """Population stability index Σ (c − r)·ln(c / r) of ``current`` against ``reference``.

    ``binning``: ``quantiles`` (``bins`` type-7 quantile bins of the reference), ``edges`` (the given interior
    ``edges``: (−∞, e1), [e1, e2), …, [ek, ∞)) or ``categories`` (each distinct value a bin). ``zero_policy``:
    ``epsilon`` (a zero share becomes ``epsilon``, recorded) or ``error``.
    """
    o = _opts({"binning": binning, "bins": bins, "edges": None if edges is None else [float(e) for e in edges],
               "zero_policy": zero_policy, "epsilon": epsilon})
    return ScreensResult(_cxkpi.screens_psi(as_f64(reference, "reference"), as_f64(current, "current"), o), "psi")


def ks_2samp(reference: Any, current: Any, *, method: str = "auto") -> ScreensResult:
    """Two-sample Kolmogorov-Smirnov test: D and its two-sided p, ``exact`` (lattice paths, as scipy
    ``method='exact'``), ``asymp`` (Smirnov's limiting distribution, scipy ``kstwobign.sf(sqrt(en)·D)``) or
    ``auto`` (exact when n·m ≤ 1e6). The method used is recorded."""
    return ScreensResult(_cxkpi.screens_ks_2samp(as_f64(reference, "reference"), as_f64(current, "current"),
                                                 {"method": method}), "ks_2samp")


def jensen_shannon(p: Any, q: Any, *, base: str = "2") -> ScreensResult:
    """Jensen-Shannon distance √JSD of two count (or share) vectors over the same categories; ``base``
    ``"2"`` (bits, in [0, 1]) or ``"e"`` (nats), as scipy ``jensenshannon``."""
    return ScreensResult(_cxkpi.screens_jensen_shannon(as_f64(p, "p"), as_f64(q, "q"), {"base": str(base)}),
                         "jensen_shannon")


def chi_square(table: Any, *, yates: bool = False, bias_corrected: bool = False) -> ScreensResult:
    """Chi-square test of homogeneity of the rows of a table of counts (rows = samples, columns = categories)
    with Cramér's V; ``yates`` applies the continuity correction to a 2 × 2 table; ``bias_corrected`` adds
    Bergsma's corrected V."""
    try:
        arr = np.asarray(table, dtype=np.float64)
    except (TypeError, ValueError) as e:
        raise invalid_argument("table", f"must be a table of counts ({e})") from None
    if arr.ndim != 2:
        raise invalid_argument("table", f"must be 2-D (rows x categories), got shape {arr.shape}")
    rows = [np.ascontiguousarray(arr[i]) for i in range(arr.shape[0])]
    return ScreensResult(_cxkpi.screens_chi_square(rows, {"yates": yates, "bias_corrected": bias_corrected}),
                         "chi_square")


# ----------------------------------------------------------------------------------------------- screens
def top_box_inflation(scores: Any, teams: Any, *, top_min: float = 9, test: str = "fisher_exact",
                      adjust: str = "holm", alpha: float = 0.05,
                      team_labels: Optional[Sequence[str]] = None) -> ScreensResult:
    """Each team's top-box share (score ≥ ``top_min``) against the pooled rest, one-sided: ``fisher_exact``
    (default) or ``z`` (pooled two-proportion); Holm and BH adjusted p for every team; ``flagged`` uses
    ``adjust`` at ``alpha``."""
    codes, labels = _teams(teams)
    o = _opts({"top_min": top_min, "test": test, "adjust": adjust, "alpha": alpha,
               "team_labels": list(team_labels) if team_labels is not None else None}, labels)
    return ScreensResult(_cxkpi.screens_top_box_inflation(as_f64(scores, "scores"), codes, o), "top_box_inflation")


def low_variance(values: Any, teams: Any, *, test: str = "brown_forsythe", adjust: str = "holm",
                 alpha: float = 0.05, team_labels: Optional[Sequence[str]] = None) -> ScreensResult:
    """Each team's spread against the pooled rest, one-sided for lower spread: ``brown_forsythe`` (default;
    absolute deviations from the median), ``levene`` (from the mean) or ``f_ratio``; effect = variance ratio."""
    codes, labels = _teams(teams)
    o = _opts({"test": test, "adjust": adjust, "alpha": alpha,
               "team_labels": list(team_labels) if team_labels is not None else None}, labels)
    return ScreensResult(_cxkpi.screens_low_variance(as_f64(values, "values"), codes, o), "low_variance")


def _texts(texts: Any) -> List[Optional[str]]:
    mod = _module_name(texts)
    items = texts.to_list() if mod in ("pandas", "polars") and hasattr(texts, "to_list") else list(texts)
    out: List[Optional[str]] = []
    for i, t in enumerate(items):
        if t is None or (isinstance(t, float) and t != t) or type(t).__name__ in ("NAType",):
            out.append(None)
        elif isinstance(t, str):
            out.append(t)
        else:
            raise invalid_argument(f"texts[{i}]", f"must be a string or None, got {type(t).__name__}")
    return out


def duplicate_verbatims(texts: Any, teams: Any = None, *, shingle: int = 5, threshold: float = 0.8,
                        min_chars: int = 20, candidates: str = "auto", bands: int = 32, rows_per_band: int = 4,
                        seed: int = 0, adjust: str = "holm", alpha: float = 0.05,
                        team_labels: Optional[Sequence[str]] = None) -> ScreensResult:
    """Verbatims identical after normalisation (NFKC, lower case, punctuation to spaces) and near-duplicates
    (Jaccard of character ``shingle``-grams ≥ ``threshold``; ``all_pairs`` or ``minhash_lsh`` candidates,
    verified exactly), as clusters of row indices; with ``teams``, each team's share of clustered verbatims
    against the rest (Fisher, one-sided)."""
    codes, labels = (None, None) if teams is None else _teams(teams)
    o = _opts({"shingle": shingle, "threshold": threshold, "min_chars": min_chars, "candidates": candidates,
               "bands": bands, "rows_per_band": rows_per_band, "seed": seed, "adjust": adjust, "alpha": alpha,
               "team_labels": list(team_labels) if team_labels is not None else None}, labels)
    return ScreensResult(_cxkpi.screens_duplicate_verbatims(_texts(texts), codes, o), "duplicate_verbatims")


def selective_filtering(scores: Any, teams: Any, period: Any, rates: Sequence[Dict[str, Any]], *,
                        adjust: str = "holm", alpha: float = 0.05,
                        team_labels: Optional[Sequence[str]] = None) -> ScreensResult:
    """A rise in scores (after vs before, Welch one-sided) together with a fall in the team's invitation or
    response rate (pooled z one-sided); p = the larger of the two (intersection-union). ``period``: 0 before,
    1 after per row; ``rates``: one dict per team with ``team``, ``before_numerator``, ``before_denominator``,
    ``after_numerator``, ``after_denominator``."""
    codes, labels = _teams(teams)
    rs = []
    for k, r in enumerate(rates):
        d = dict(r)
        d["team"] = _team_ref(d.get("team"), labels, f"rates[{k}].team")
        rs.append(d)
    o = _opts({"adjust": adjust, "alpha": alpha,
               "team_labels": list(team_labels) if team_labels is not None else None}, labels)
    return ScreensResult(_cxkpi.screens_selective_filtering(as_f64(scores, "scores"), codes,
                                                            _codes(period, "period"), rs, o), "selective_filtering")


def coaching_step(values: Any, teams: Any, day: Any, events: Sequence[Dict[str, Any]], *,
                  window_before: float = 28, window_after: float = 28, cov_type: str = "nonrobust",
                  adjust: str = "holm", alpha: float = 0.05,
                  team_labels: Optional[Sequence[str]] = None) -> ScreensResult:
    """A step right after each coaching ``events`` entry (``{"team", "day"}``): the team's rows in
    [day − window_before, day) and [day, day + window_after) against the teams not coached in that window,
    as a difference-in-differences with its regression SE (``cov_type`` ``nonrobust`` or ``HC0``-``HC3``)."""
    codes, labels = _teams(teams)
    ev = []
    for k, e in enumerate(events):
        d = dict(e)
        d["team"] = _team_ref(d.get("team"), labels, f"events[{k}].team")
        d["day"] = float(d.get("day", float("nan")))
        ev.append(d)
    o = _opts({"window_before": window_before, "window_after": window_after, "cov_type": cov_type,
               "adjust": adjust, "alpha": alpha,
               "team_labels": list(team_labels) if team_labels is not None else None}, labels)
    return ScreensResult(_cxkpi.screens_coaching_step(as_f64(values, "values"), codes, as_f64(day, "day"), ev, o),
                         "coaching_step")


# ----------------------------------------------------------------------------------------------- alerts
def alert_ladder(ladder: Any) -> Dict[str, Any]:
    """Parses and validates an escalation ladder (a dict, or TOML / JSON text) and returns it as a dict."""
    out: Dict[str, Any] = _cxkpi.screens_alert_ladder(ladder)
    return out


def build_alerts(signals: Sequence[Dict[str, Any]], ladder: Any = None, *, kpi: Optional[str] = None,
                 unit: str = "points", dates: Optional[Sequence[Any]] = None, raised_at: Optional[str] = None,
                 min_level: int = 0, decimals: int = 1) -> ScreensResult:
    """Explained, escalated alerts from signals (dicts with the core's ``Signal`` fields, e.g. from
    ``result.signals()`` or a chart) and a ``ladder`` (dict or TOML/JSON text; None = the default four-level
    ladder). ``dates[index]`` names the point of a signal; ``raised_at`` gives acknowledgement deadlines."""
    lad = None if ladder is None else (alert_ladder(ladder) if isinstance(ladder, str) else ladder)
    o = _opts({"kpi": kpi, "unit": unit, "dates": None if dates is None else [str(d) for d in dates],
               "raised_at": raised_at, "min_level": min_level, "decimals": decimals})
    return ScreensResult(_cxkpi.screens_build_alerts(list(signals), lad, o), "alerts")
