"""The text golden family (tests/golden/text/*.json) through the public Python API."""

from __future__ import annotations

from typing import Any, Dict

import cxkpi
from golden_family import family_test


def _nan(v: Any) -> Any:
    return float("nan") if v == "NaN" else v


def _col(v: Any) -> Any:
    return [_nan(x) for x in v]


def _kw(inp: Dict[str, Any], *skip: str) -> Dict[str, Any]:
    return {k: v for k, v in inp.items() if k not in skip}


def _tags(inp: Dict[str, Any]) -> Any:
    return cxkpi.tag_themes(inp["taxonomy"], inp["verbatims"], languages=inp.get("languages"))


def run(function: str, inp: Dict[str, Any]) -> Any:
    if function == "tag_themes":
        return _tags(inp).to_dict()
    if function == "theme_impact":
        value = inp.get("value")
        return cxkpi.theme_impact(
            _tags(inp), _col(inp["sentiment"]), None if value is None else _col(value),
            **_kw(inp, "taxonomy", "verbatims", "sentiment", "value"),
        ).to_dict()
    if function == "theme_trend":
        return cxkpi.theme_trend(_tags(inp), inp["periods"]).to_dict()
    if function == "validate_taxonomy":
        return cxkpi.validate_taxonomy(inp["taxonomy"], _tags(inp), inp["labels"]).to_dict()
    if function == "map_theme_counts":
        return cxkpi.map_theme_counts(inp["old"], inp["new"], inp["map"], inp["counts"]).to_dict()
    if function == "standardise_sentiment":
        return cxkpi.standardise_sentiment(_col(inp["scores"]), inp["method"]).to_dict()
    if function == "isotonic_fit":
        return cxkpi.isotonic_fit(inp["scores"], inp["targets"], inp.get("weights"),
                                  **_kw(inp, "scores", "targets", "weights")).to_dict()
    if function == "cohen_kappa":
        return cxkpi.cohen_kappa(inp["a"], inp["b"], **_kw(inp, "a", "b")).to_dict()
    if function == "bland_altman":
        return cxkpi.bland_altman(_col(inp["a"]), _col(inp["b"]), **_kw(inp, "a", "b")).to_dict()
    if function == "provider_agreement":
        return cxkpi.provider_agreement(_col(inp["a"]), _col(inp["b"]), **_kw(inp, "a", "b")).to_dict()
    if function == "sentiment_survey_agreement":
        return cxkpi.sentiment_survey_agreement(_col(inp["sentiment"]), _col(inp["scores"]),
                                                **_kw(inp, "sentiment", "scores")).to_dict()
    raise KeyError(function)


test_case, _write_tsv = family_test("text", run, default_tol=1e-12)
