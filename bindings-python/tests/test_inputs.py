"""Input handling: float64 numpy columns pass without conversion; lists, pandas and polars give the same numbers."""

from __future__ import annotations

import math

import numpy as np
import pytest

import cxkpi
from cxkpi import _convert

pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")

SCORES = [10, 9, 9, 10, 9, 8, 7, 8, 3, 6, None, 0, 5, 10]
WEIGHTS = [1.0, 2.0, 0.5, 1.5, 1.0, 1.0, 3.0, 0.25, 1.0, 2.0, 1.0, 1.0, 0.75, 1.0]


def _f64(values):
    return np.array([math.nan if v is None else v for v in values], dtype=np.float64)


def _same(a, b):
    assert a.to_dict().keys() == b.to_dict().keys()
    for k, v in a.to_dict().items():
        w = b.to_dict()[k]
        if isinstance(v, float) and math.isnan(v):
            assert isinstance(w, float) and math.isnan(w), k
        else:
            assert v == w, (k, v, w)


# -- zero copy ------------------------------------------------------------------------------------------------


def test_float64_contiguous_array_is_passed_through_unchanged():
    arr = np.array([10.0, 9.0, 3.0])
    assert _convert.as_f64(arr) is arr


def test_float64_array_reaches_the_core_without_any_numpy_conversion(monkeypatch):
    arr = _f64(SCORES)
    w = np.asarray(WEIGHTS)
    expected = cxkpi.nps(arr, w)

    def forbidden(*a, **k):
        raise AssertionError("a float64 contiguous column must not be converted")

    monkeypatch.setattr(_convert.np, "asarray", forbidden)
    monkeypatch.setattr(_convert.np, "ascontiguousarray", forbidden)
    _same(cxkpi.nps(arr, w), expected)
    _same(cxkpi.NpsPartial.from_scores(arr, w).finish(), expected)


def test_other_dtypes_and_layouts_are_converted_once():
    base = np.arange(12, dtype=np.float64) % 11
    strided = base[::2]
    assert not strided.flags.c_contiguous
    out = _convert.as_f64(strided)
    assert out is not strided and out.flags.c_contiguous and out.dtype == np.float64
    ints = np.array([1, 2, 3], dtype=np.int32)
    assert _convert.as_f64(ints).dtype == np.float64
    f32 = np.array([1.5, 2.5], dtype=np.float32)
    assert _convert.as_f64(f32).tolist() == [1.5, 2.5]
    # a non-contiguous column gives the same result as a contiguous copy
    _same(cxkpi.nps(strided), cxkpi.nps(np.ascontiguousarray(strided)))


def test_two_dimensional_input_is_rejected():
    with pytest.raises(TypeError, match="1-D"):
        cxkpi.nps(np.zeros((2, 2)))


# -- lists / pandas / polars equal numpy ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "make,make_w",
    [
        pytest.param(list, list, id="list"),
        pytest.param(tuple, tuple, id="tuple"),
        pytest.param(lambda v: pd.Series(v, dtype="float64"), lambda v: pd.Series(v), id="pandas-float64"),
        pytest.param(lambda v: pd.Series(v, dtype="Int64"), lambda v: pd.Series(v, dtype="Float64"), id="pandas-Int64-NA"),
        pytest.param(lambda v: pd.Series(v, dtype="Float64"), lambda v: pd.Series(v, dtype="Float64"), id="pandas-Float64-NA"),
        pytest.param(lambda v: pd.Series(v, dtype="object"), lambda v: pd.Series(v, dtype="object"), id="pandas-object"),
        pytest.param(lambda v: pl.Series(v, dtype=pl.Int64), lambda v: pl.Series(v), id="polars-Int64-null"),
        pytest.param(lambda v: pl.Series(v, dtype=pl.Float64), lambda v: pl.Series(v, dtype=pl.Float32), id="polars-Float64-null"),
        pytest.param(lambda v: np.array(v, dtype=object), lambda v: np.array(v, dtype=object), id="numpy-object"),
    ],
)
def test_column_types_give_the_numpy_result(make, make_w):
    expected_nps = cxkpi.nps(_f64(SCORES), np.asarray(WEIGHTS))
    _same(cxkpi.nps(make(SCORES), make_w(WEIGHTS)), expected_nps)
    _same(cxkpi.nps(make(SCORES)), cxkpi.nps(_f64(SCORES)))
    _same(cxkpi.mean_score(make(SCORES)), cxkpi.mean_score(_f64(SCORES)))
    csat = [v if v is None else min(5, max(1, v // 2)) for v in SCORES]
    _same(cxkpi.top_box(make(csat)), cxkpi.top_box(_f64(csat)))


def test_pandas_nullable_na_counts_as_missing():
    s = pd.Series([10, pd.NA, 3, 9], dtype="Int64")
    r = cxkpi.nps(s)
    assert (r.n, r.n_missing) == (3, 1)


def test_polars_null_counts_as_missing():
    r = cxkpi.nps(pl.Series([10, None, 3, 9]))
    assert (r.n, r.n_missing) == (3, 1)


def test_pandas_index_and_categorical_numbers():
    _same(cxkpi.nps(pd.Index([10, 9, 3])), cxkpi.nps([10, 9, 3]))


# -- sentiment labels -----------------------------------------------------------------------------------------

LABELS = ["positive", "Negative", " neutral ", None, "POSITIVE", "negative"]
CODES = [1.0, -1.0, 0.0, math.nan, 1.0, -1.0]


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda v: list(v), id="list"),
        pytest.param(lambda v: np.array(v, dtype=object), id="numpy-object"),
        pytest.param(lambda v: pd.Series(v), id="pandas-object"),
        pytest.param(lambda v: pd.Series(v, dtype="string"), id="pandas-string"),
        pytest.param(lambda v: pd.Series(v, dtype="category"), id="pandas-category"),
        pytest.param(lambda v: pl.Series(v), id="polars-str"),
        pytest.param(lambda v: pl.Series(v, dtype=pl.Categorical), id="polars-categorical"),
    ],
)
def test_sentiment_strings_equal_codes(make):
    _same(cxkpi.sentiment_share(make(LABELS)), cxkpi.sentiment_share(np.asarray(CODES)))


def test_sentiment_numeric_codes_from_lists_and_series():
    codes = [1, -1, 0, None, 1, -1]
    expected = cxkpi.sentiment_share(np.asarray(CODES))
    _same(cxkpi.sentiment_share(codes), expected)
    _same(cxkpi.sentiment_share(pd.Series(codes, dtype="Int64")), expected)
    _same(cxkpi.sentiment_share(pl.Series(codes)), expected)


def test_unknown_sentiment_label_is_out_of_scale():
    with pytest.raises(cxkpi.OutOfScaleError) as e:
        cxkpi.sentiment_share(["positive", "meh"])
    assert e.value.details["index"] == 1


def test_integer_counts_accept_numpy_integers_and_whole_floats():
    a = cxkpi.nps_from_counts(np.int64(50), np.uint32(30), 20.0)
    b = cxkpi.nps_from_counts(50, 30, 20)
    _same(a, b)
    with pytest.raises(cxkpi.InvalidArgumentError) as e:
        cxkpi.nps_from_counts(-1, 3, 4)
    assert e.value.details["arg"] == "promoters"
    with pytest.raises(cxkpi.InvalidArgumentError):
        cxkpi.share_from_counts(2.5, 10)


def test_options_left_as_none_take_core_defaults():
    r = cxkpi.nps([10, 9, 3], interval=None, confidence=None)
    assert r.interval == "adjusted_wald" and r.confidence == 0.95


def test_numpy_scalar_options_are_accepted():
    a = cxkpi.nps([10, 9, 3, 8], confidence=np.float64(0.9), promoter_min=np.int64(8))
    b = cxkpi.nps([10, 9, 3, 8], confidence=0.9, promoter_min=8)
    _same(a, b)


def test_gil_is_released_threads_agree():
    from concurrent.futures import ThreadPoolExecutor

    rng = np.random.default_rng(1)
    cols = [rng.integers(0, 11, 20_000).astype(np.float64) for _ in range(8)]
    with ThreadPoolExecutor(4) as ex:
        got = list(ex.map(lambda c: cxkpi.nps(c, interval="bootstrap", resamples=200).to_dict(), cols))
    assert got == [cxkpi.nps(c, interval="bootstrap", resamples=200).to_dict() for c in cols]


@pytest.mark.parametrize(
    "bad",
    [
        pytest.param(["10", "x"], id="list-of-text"),
        pytest.param(pd.Series(["a", "b"]), id="pandas-text"),
        pytest.param(pl.Series(["a", "b"]), id="polars-text"),
        pytest.param([{"a": 1}], id="objects"),
    ],
)
def test_non_numeric_column_is_invalid_argument(bad):
    with pytest.raises(cxkpi.InvalidArgumentError) as e:
        cxkpi.nps(bad)
    assert e.value.kind == "invalid_argument" and e.value.details["arg"] == "scores"
