"""The text functions through the Python API: input forms (list, pandas, polars, numpy object arrays),
documents (dict, JSON, TOML, path), result classes and errors. Reference numbers live in the golden family
(test_golden_text.py)."""

from __future__ import annotations

import json
import os
import pickle

import numpy as np
import pytest

import cxkpi

TAX = {
    "version": "1",
    "themes": [
        {"id": "billing", "keywords": ["invoice", "bill*"]},
        {"id": "billing.double", "parent": "billing", "phrases": ["charged twice", "facturé deux fois"]},
        {"id": "staff", "keywords": ["staff", "rude"]},
    ],
}
TEXTS = ["CHARGED TWICE", "facture deux fois", "not charged twice but staff rude", "ok"]
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_tag_themes_lists_and_frames() -> None:
    t = cxkpi.tag_themes(TAX, TEXTS)
    assert t.offsets == [0, 2, 4, 5, 5]
    assert t.to_lists() == [["billing", "billing.double"], ["billing", "billing.double"], ["staff"], []]
    assert t.share_untagged == 0.25 and t.coverage == 0.75
    f = t.to_frame()
    assert list(f.columns) == ["verbatim", "theme", "negated"] and len(f) == 5
    assert t.counts_frame()["count"].tolist() == [2, 2, 1]


def test_input_forms_agree() -> None:
    base = cxkpi.tag_themes(TAX, TEXTS).to_dict()
    assert cxkpi.tag_themes(TAX, np.array(TEXTS, dtype=object)).to_dict() == base
    pd = pytest.importorskip("pandas")
    assert cxkpi.tag_themes(TAX, pd.Series(TEXTS)).to_dict() == base
    try:
        import polars as pl
    except ImportError:
        pl = None
    if pl is not None:
        assert cxkpi.tag_themes(TAX, pl.Series(TEXTS)).to_dict() == base
    with pytest.raises(cxkpi.InvalidArgumentError):
        cxkpi.tag_themes(TAX, ["ok", None])


def test_taxonomy_documents() -> None:
    a = cxkpi.Taxonomy(TAX)
    b = cxkpi.Taxonomy(json.dumps(TAX))
    assert a.to_dict() == b.to_dict() and a.version == "1"
    assert a.theme_ids == ["billing", "billing.double", "staff"]
    sample = cxkpi.Taxonomy(os.path.join(ROOT, "core", "examples", "data", "themes.toml"))
    assert sample.version == "2025.1"
    t = sample.tag(["The agent was not helpful at all.", "Die App stürzt ständig ab."])
    ids = sample.theme_ids
    assert t.counts[ids.index("app_crashes")] == 1 and t.counts[ids.index("helpful_staff")] == 0
    assert pickle.loads(pickle.dumps(a)).to_dict() == a.to_dict()
    with pytest.raises(cxkpi.InvalidArgumentError):
        cxkpi.Taxonomy({"version": "1", "themes": [{"id": "a", "parent": "a"}]})
    with pytest.raises(cxkpi.InvalidArgumentError):
        cxkpi.Taxonomy({"version": "1", "themes": [{"id": "a"}], "bogus": 1})


def test_impact_trend_validation_mapping() -> None:
    t = cxkpi.tag_themes(TAX, ["bill wrong", "rude staff", "invoice ok", "fine"])
    imp = cxkpi.theme_impact(t, [-1, -0.5, 0.5, float("nan")], value=[10, 500, 10, 5])
    assert imp.rows[0]["id"] == "staff" and imp.n_missing_sentiment == 1
    assert list(imp.to_frame()["id"])[:2] == ["staff", "billing"]
    tr = cxkpi.theme_trend(t, np.array([1, 1, 2, 2]))
    assert tr.periods == [1, 2] and len(tr.to_frame()) == 6
    v = cxkpi.validate_taxonomy(TAX, t, [["billing"], ["staff"], [], []])
    assert v.themes[0]["fp"] == 1
    new = {"version": "2", "themes": [{"id": "money"}, {"id": "people"}]}
    mp = {"from_version": "1", "to_version": "2", "map": [
        {"from": "billing", "to": [{"id": "money"}]}, {"from": "billing.double", "to": [{"id": "money"}]},
        {"from": "staff", "to": [{"id": "people"}]}]}
    m = cxkpi.map_theme_counts(TAX, new, mp, [3, 1, 2])
    assert m.counts == [4.0, 2.0]


def test_sentiment_and_agreement() -> None:
    s = cxkpi.standardise_sentiment([1, 3, 5, None], {"method": "linear", "source_min": 1, "source_max": 5})
    assert s.values == [-1.0, 0.0, 1.0, None]
    with pytest.raises(cxkpi.OutOfScaleError):
        cxkpi.standardise_sentiment([7], {"method": "linear", "source_min": 1, "source_max": 5})
    fit = cxkpi.isotonic_fit([1, 2, 3, 4], [-0.5, 0.2, 0.0, 0.8])
    assert fit.y == [-0.5, 0.1, 0.1, 0.8]
    assert fit.predict([2.5, 9.0]) == [0.1, 0.8]
    k = cxkpi.cohen_kappa(np.array([0, 1, 2, 2]), [0, 1, 2, 1], weights="quadratic", n_categories=3)
    assert k.n_categories == 3 and k.weights == "quadratic"
    with pytest.raises(cxkpi.InvalidArgumentError):
        cxkpi.cohen_kappa([0, -1], [0, 1])
    ba = cxkpi.bland_altman([0.2, 0.5, -0.1, 0.8], [0.1, 0.3, -0.3, 0.4])
    assert abs(ba.bias - 0.225) < 1e-12
    ag = cxkpi.sentiment_survey_agreement([-0.8, -0.3, 0.0, 0.6, 0.9, -0.5], [2, 5, 7, 9, 10, 6])
    assert ag.kappa["confusion"][0] == [3, 0, 0]
    assert cxkpi.fold_text("Ça ne marche PAS") == "ca ne marche pas"
