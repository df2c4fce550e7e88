"""Design-based estimates through the Python API: ``cxkpi.nps(scores, design=result)`` and friends, domains
with labels, conventions, pickling, and the errors for arguments that do not go together."""

from __future__ import annotations

import math
import pickle

import numpy as np
import pandas as pd
import pytest

import cxkpi

REGION = ["North", "North", "South", "East", "North", "South", "East", "North", "South", "North", "East", "South"]
PLAN = ["basic", "pro", "basic", "basic", "pro", "pro", "basic", "basic", "basic", "pro", "pro", "basic"]
LTR = [10, 9, 3, 8, 10, 6, 7, 9, 2, 10, np.nan, 8]
CSAT = [5, 4, 2, 4, 5, 3, 4, 5, 1, 5, 4, 3]
CHANNEL = ["app", "web", "web", "app", "phone", "web", "app", "phone", "web", "app", "app", "phone"]
TARGETS = {
    "region": {"North": 400.0, "South": 350.0, "East": 250.0},
    "plan": {"basic": 700.0, "pro": 300.0},
}


def _survey() -> pd.DataFrame:
    return pd.DataFrame({"region": REGION, "plan": PLAN, "ltr": LTR, "csat": CSAT, "channel": CHANNEL})


def test_nps_with_design_is_the_design_estimate() -> None:
    s = _survey()
    r = cxkpi.rake(s, TARGETS)
    e = cxkpi.nps(s["ltr"], design=r)
    assert isinstance(e, cxkpi.DesignEstimate)
    same = cxkpi.design_estimate("nps", s["ltr"], r)
    assert e == same
    assert e.metric == "nps" and e.weighting_method == "rake" and e.linearisation == "greg"
    assert e.n_rows == 12 and e.n_missing == 1
    # The estimate is the weighted NPS; the fixed-weights SE is the foundation's linearised SE.
    w = cxkpi.nps(s["ltr"], r.weights)
    assert math.isclose(e.estimate, w.nps, rel_tol=1e-12)
    fixed = cxkpi.nps(s["ltr"], design=r, linearisation="fixed_weights")
    assert fixed.se == fixed.overall["se_fixed_weights"] == e.overall["se_fixed_weights"]
    assert "DesignEstimate(nps" in repr(e)


def test_domains_by_label_and_to_frame() -> None:
    s = _survey()
    r = cxkpi.calibrate(s, TARGETS)
    e = cxkpi.top_box(s["csat"], design=r, by=s["channel"])
    f = e.to_frame()
    assert list(f["channel"]) == ["app", "phone", "web"]  # sorted labels
    assert list(f.columns)[1:] == [
        "n", "weight_sum", "estimate", "se", "se_fixed_weights", "lower", "upper", "deff", "deff_replace",
    ]
    assert f["weight_sum"].sum() == pytest.approx(e.overall["weight_sum"], rel=1e-12)
    assert all(0.0 <= x <= 1.0 for x in f["estimate"])


def test_mean_ces_and_poststratify() -> None:
    s = _survey()
    p = cxkpi.poststratify(s, {"North": 400.0, "South": 350.0, "East": 250.0}, by="region")
    m = cxkpi.mean_score(s["csat"], design=p)
    c = cxkpi.ces(s["csat"], design=p)  # CSAT answers are also valid 1-7 points
    assert m.estimate == c.estimate
    assert m.weighting_method == "poststratify"
    # One variable: raking and post-stratification make the same design, so the same GREG SE.
    r = cxkpi.rake(s, {"region": TARGETS["region"]})
    assert cxkpi.mean_score(s["csat"], design=r).se == pytest.approx(m.se, rel=1e-10)


def test_design_survives_pickling() -> None:
    s = _survey()
    r = pickle.loads(pickle.dumps(cxkpi.rake(s, TARGETS)))
    e = pickle.loads(pickle.dumps(cxkpi.nps(s["ltr"], design=r, by=s["channel"])))
    assert e.to_frame()["channel"].tolist() == ["app", "phone", "web"]


def test_arguments_that_do_not_go_together() -> None:
    s = _survey()
    r = cxkpi.rake(s, TARGETS)
    with pytest.raises(cxkpi.InvalidArgumentError, match="weights"):
        cxkpi.nps(s["ltr"], r.weights, design=r)
    with pytest.raises(cxkpi.InvalidArgumentError, match="interval"):
        cxkpi.nps(s["ltr"], design=r, interval="wald")
    with pytest.raises(cxkpi.InvalidArgumentError, match="by"):
        cxkpi.nps(s["ltr"], by=s["channel"])
    with pytest.raises(cxkpi.InvalidArgumentError, match="linearisation"):
        cxkpi.top_box(s["csat"], linearisation="greg")
    with pytest.raises(cxkpi.UnknownMethodError):
        cxkpi.nps(s["ltr"], design=r, linearisation="jackknife")
    with pytest.raises(cxkpi.LengthMismatchError):
        cxkpi.nps(s["ltr"][:5], design=r)
    with pytest.raises(cxkpi.OutOfScaleError):
        cxkpi.top_box(s["ltr"], design=r)  # 0-10 answers on the default 1-5 scale
    with pytest.raises(TypeError):
        cxkpi.design_estimate("nps", s["ltr"], r.weights)  # type: ignore[arg-type]
    bare = cxkpi.WeightingResult(r.to_dict())
    with pytest.raises(cxkpi.InvalidArgumentError, match="design"):
        cxkpi.nps(s["ltr"], design=bare)
