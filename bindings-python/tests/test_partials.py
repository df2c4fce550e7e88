"""Mergeable partials: merge == whole, any order; pickle and JSON round trips; incompatible settings."""

from __future__ import annotations

import functools
import json
import pickle

import numpy as np
import pytest

import cxkpi

rng = np.random.default_rng(7)
SCORES = rng.integers(0, 11, 3000).astype(np.float64)
SCORES[::97] = np.nan
WEIGHTS = rng.uniform(0.2, 3.0, 3000)
CSAT = rng.integers(1, 6, 3000).astype(np.float64)
LABELS = rng.integers(-1, 2, 3000).astype(np.float64)
SHARDS = [slice(0, 700), slice(700, 701), slice(701, 2000), slice(2000, 3000)]


def _approx_same(a, b, rel=1e-12):
    da, db = a.to_dict(), b.to_dict()
    assert da.keys() == db.keys()
    for k in da:
        if isinstance(da[k], float):
            assert da[k] == pytest.approx(db[k], rel=rel, abs=1e-12), k
        else:
            assert da[k] == db[k], k


def test_nps_counts_merge_exactly():
    parts = [cxkpi.NpsPartial.from_scores(SCORES[s]) for s in SHARDS]
    merged = functools.reduce(lambda a, b: a.merge(b), parts)
    assert merged.finish() == cxkpi.nps(SCORES)
    # any order, tree or sum()
    assert (parts[3].merge(parts[1])).merge(parts[0].merge(parts[2])).finish() == cxkpi.nps(SCORES)
    assert sum(parts[1:], parts[0]).finish() == cxkpi.nps(SCORES)


def test_weighted_nps_and_finish_options():
    parts = [cxkpi.NpsPartial.from_scores(SCORES[s], WEIGHTS[s]) for s in SHARDS]
    merged = functools.reduce(lambda a, b: a.merge(b), parts)
    _approx_same(merged.finish(interval="wald", confidence=0.9), cxkpi.nps(SCORES, WEIGHTS, interval="wald", confidence=0.9))


def test_merge_leaves_inputs_unchanged():
    a = cxkpi.NpsPartial.from_scores([10, 9])
    b = cxkpi.NpsPartial.from_scores([0])
    before = a.to_json()
    c = a.merge(b)
    assert a.to_json() == before and c.finish().n == 3 and a.finish().n == 2


def test_top_box_mean_sentiment_churn():
    tb = functools.reduce(lambda a, b: a.merge(b), [cxkpi.TopBoxPartial.from_scores(CSAT[s], k=1) for s in SHARDS])
    assert tb.finish(interval="jeffreys") == cxkpi.top_box(CSAT, k=1, interval="jeffreys")
    mp = functools.reduce(lambda a, b: a.merge(b), [cxkpi.MeanPartial.from_values(CSAT[s], scale_min=1, scale_max=5) for s in SHARDS])
    _approx_same(mp.finish(), cxkpi.mean_score(CSAT, scale_min=1, scale_max=5))
    sp = functools.reduce(lambda a, b: a.merge(b), [cxkpi.SentimentPartial.from_labels(LABELS[s]) for s in SHARDS])
    assert sp.finish() == cxkpi.sentiment_share(LABELS)
    strings = cxkpi.SentimentPartial.from_labels(["positive", "negative", None])
    assert strings.finish().n == 2
    ch = cxkpi.ChurnPartial(1000, 30, 990).merge(cxkpi.ChurnPartial.from_counts(500, 20, 495))
    assert ch.finish(base="average", period_months=3) == cxkpi.churn(
        1500, 50, customers_end=1485, base="average", period_months=3
    )


@pytest.mark.parametrize(
    "make",
    [
        lambda: cxkpi.NpsPartial.from_scores(SCORES[:100], WEIGHTS[:100]),
        lambda: cxkpi.TopBoxPartial.from_scores(CSAT[:100], side="bottom"),
        lambda: cxkpi.MeanPartial.from_values(SCORES[:100]),
        lambda: cxkpi.SentimentPartial.from_labels(LABELS[:100]),
        lambda: cxkpi.ChurnPartial(100, 3),
    ],
)
def test_pickle_and_json_round_trip(make):
    p = make()
    q = pickle.loads(pickle.dumps(p, protocol=pickle.HIGHEST_PROTOCOL))
    assert type(q) is type(p) and q == p and q.to_json() == p.to_json()
    r = type(p).from_json(p.to_json())
    assert r == p
    assert p.to_dict() == json.loads(p.to_json())
    assert q.finish() == p.finish()
    assert type(p).__name__ in repr(p)


def test_incompatible_partials():
    with pytest.raises(cxkpi.IncompatiblePartialsError):
        cxkpi.NpsPartial.from_scores([10]).merge(cxkpi.NpsPartial.from_scores([10], promoter_min=10))
    with pytest.raises(cxkpi.IncompatiblePartialsError):
        cxkpi.TopBoxPartial.from_scores([5]).merge(cxkpi.TopBoxPartial.from_scores([5], k=1))
    with pytest.raises(cxkpi.IncompatiblePartialsError):
        cxkpi.ChurnPartial(10, 1, 9).merge(cxkpi.ChurnPartial(10, 1))
    with pytest.raises(TypeError):
        cxkpi.NpsPartial.from_scores([10]).merge(cxkpi.TopBoxPartial.from_scores([5]))  # type: ignore[arg-type]


def test_bad_json_is_invalid_argument():
    with pytest.raises(cxkpi.InvalidArgumentError):
        cxkpi.NpsPartial.from_json('{"not": "a partial"}')


def test_empty_shard_is_allowed_and_finish_of_nothing_is_an_error():
    empty = cxkpi.NpsPartial.from_scores(np.array([], dtype=np.float64))
    assert empty.merge(cxkpi.NpsPartial.from_scores([10, 0])).finish().nps == 0.0
    with pytest.raises(cxkpi.InsufficientDataError):
        empty.finish()


def test_dask_style_map_reduce_with_pandas_groups():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"score": SCORES, "w": WEIGHTS, "part": np.arange(len(SCORES)) % 5})
    partials = [cxkpi.NpsPartial.from_scores(g["score"], g["w"]) for _, g in df.groupby("part")]
    blobs = [pickle.dumps(p) for p in partials]  # as shipped between workers
    total = functools.reduce(lambda a, b: a.merge(b), (pickle.loads(b) for b in blobs))
    _approx_same(total.finish(), cxkpi.nps(SCORES, WEIGHTS))
