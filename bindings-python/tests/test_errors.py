"""Exception classes: one per error kind, all ValueError, with .kind and .details."""

from __future__ import annotations

import math
import pickle

import numpy as np
import pytest

import cxkpi

CLASSES = {
    "empty_input": cxkpi.EmptyInputError,
    "missing_value": cxkpi.MissingValueError,
    "out_of_scale": cxkpi.OutOfScaleError,
    "non_integer": cxkpi.NonIntegerError,
    "length_mismatch": cxkpi.LengthMismatchError,
    "invalid_weight": cxkpi.InvalidWeightError,
    "zero_weight_sum": cxkpi.ZeroWeightSumError,
    "invalid_confidence": cxkpi.InvalidConfidenceError,
    "unknown_method": cxkpi.UnknownMethodError,
    "invalid_argument": cxkpi.InvalidArgumentError,
    "insufficient_data": cxkpi.InsufficientDataError,
    "incompatible_partials": cxkpi.IncompatiblePartialsError,
    "unsupported": cxkpi.UnsupportedError,
    "inconsistent_margins": cxkpi.InconsistentMarginsError,
    "empty_level": cxkpi.EmptyLevelError,
    "infeasible": cxkpi.InfeasibleError,
    "not_converged": cxkpi.NotConvergedError,
}


def test_hierarchy_and_class_kinds():
    assert issubclass(cxkpi.CxkpiError, ValueError)
    for kind, cls in CLASSES.items():
        assert issubclass(cls, cxkpi.CxkpiError)
        assert cls.kind == kind
        assert cls.__module__ == "cxkpi"
        assert getattr(cxkpi, cls.__name__) is cls


# (kind, call, expected details subset)
CASES = [
    ("empty_input", lambda: cxkpi.nps([]), {"arg": "scores", "index": None}),
    ("missing_value", lambda: cxkpi.nps([10, math.nan], missing="error"), {"arg": "scores", "index": 1}),
    ("out_of_scale", lambda: cxkpi.nps([10, 11]), {"arg": "scores", "index": 1, "value": 11.0}),
    ("out_of_scale", lambda: cxkpi.nps([math.inf]), {"arg": "scores", "index": 0, "value": math.inf}),
    ("non_integer", lambda: cxkpi.nps([9.5]), {"arg": "scores", "index": 0, "value": 9.5}),
    ("length_mismatch", lambda: cxkpi.nps([10, 9], [1.0]), {"arg": "weights"}),
    ("invalid_weight", lambda: cxkpi.nps([10, 9], [1.0, -2.0]), {"arg": "weights", "index": 1, "value": -2.0}),
    ("zero_weight_sum", lambda: cxkpi.nps([10, 9], [0.0, 0.0]), {"arg": "weights"}),
    ("invalid_confidence", lambda: cxkpi.nps([10], confidence=1.5), {"arg": "confidence", "value": 1.5}),
    ("invalid_confidence", lambda: cxkpi.nps([10], confidence=math.nan), {"arg": "confidence"}),
    ("unknown_method", lambda: cxkpi.nps([10], interval="magic"), {"arg": "interval"}),
    ("invalid_argument", lambda: cxkpi.churn(10, 11), {}),
    ("insufficient_data", lambda: cxkpi.nps([10], interval="t"), {}),
    ("insufficient_data", lambda: cxkpi.nps([math.nan]), {}),
    (
        "incompatible_partials",
        lambda: cxkpi.NpsPartial.from_scores([10]).merge(cxkpi.NpsPartial.from_scores([10], [1.0])),
        {},
    ),
    ("unsupported", lambda: cxkpi.nps([10, 9], [1.0, 2.0], interval="exact_bootstrap"), {}),
    # Weighting (issue 3).
    (
        "inconsistent_margins",
        lambda: cxkpi.rake({"a": [0, 1], "b": [0, 1]}, {"a": {0: 5.0, 1: 5.0}, "b": {0: 5.0, 1: 6.0}}),
        {"arg": None, "index": None},
    ),
    (
        "empty_level",
        lambda: cxkpi.rake({"a": ["x", "x"]}, {"a": {"x": 5.0, "y": 5.0}}),
        {"arg": None, "index": None},
    ),
    ("infeasible", lambda: cxkpi.calibrate({"a": [0, 1]}, {"a": [5.0, 5.0]}, bounds=(0.5, 2.0)), {}),
    ("infeasible", lambda: cxkpi.trim_weights([1.0, 1.0, 10.0], upper=2.0), {}),
    (
        "not_converged",
        lambda: cxkpi.rake(
            {"a": [0, 0, 1, 1, 0], "b": [0, 1, 0, 1, 0]}, {"a": [6.0, 4.0], "b": [3.0, 7.0]}, max_sweeps=1
        ),
        {},
    ),
    (
        "out_of_scale",
        lambda: cxkpi.rake({"region": ["N", "S", "W"]}, {"region": {"N": 1.0, "S": 2.0}}),
        {"arg": "region", "index": 2, "value": "W"},
    ),
]


@pytest.mark.parametrize("kind,call,details", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_errors_carry_kind_and_details(kind, call, details):
    with pytest.raises(cxkpi.CxkpiError) as info:
        call()
    e = info.value
    assert isinstance(e, ValueError)
    assert type(e) is CLASSES[kind]
    assert e.kind == kind
    assert set(e.details) == {"arg", "index", "value"}
    for k, v in details.items():
        assert e.details[k] == v, (k, e.details)
    assert str(e)  # the core's message


def test_every_kind_is_reachable_from_python():
    seen = set()
    for kind, call, _ in CASES:
        try:
            call()
        except cxkpi.CxkpiError as e:
            seen.add(e.kind)
    assert seen == set(CLASSES)


def test_message_names_argument_index_and_value():
    with pytest.raises(cxkpi.OutOfScaleError, match=r"scores\[2\]` = 12"):
        cxkpi.nps(np.array([1.0, 2.0, 12.0]))


def test_unknown_option_from_native_call_is_invalid_argument():
    from cxkpi import _cxkpi

    with pytest.raises(cxkpi.InvalidArgumentError) as e:
        _cxkpi.nps(np.array([10.0]), None, {"bogus": 1})
    assert e.value.details["arg"] == "bogus"


def test_misspelt_keyword_is_a_type_error():
    with pytest.raises(TypeError):
        cxkpi.nps([10], confidance=0.9)  # type: ignore[call-arg]


def test_weighting_errors_restated_with_names_pickle():
    with pytest.raises(cxkpi.EmptyLevelError) as info:
        cxkpi.rake({"region": ["N", "N"]}, {"region": {"N": 5.0, "S": 5.0}})
    e2 = pickle.loads(pickle.dumps(info.value))
    assert type(e2) is cxkpi.EmptyLevelError and e2.kind == "empty_level" and str(e2) == str(info.value)
    assert "level 'S' of variable 'region'" in str(e2)


def test_exceptions_pickle_with_kind_and_details():
    with pytest.raises(cxkpi.CxkpiError) as info:
        cxkpi.nps([10, 11])
    e2 = pickle.loads(pickle.dumps(info.value))
    assert type(e2) is cxkpi.OutOfScaleError
    assert e2.kind == "out_of_scale" and e2.details == info.value.details and str(e2) == str(info.value)


def test_catch_as_value_error():
    with pytest.raises(ValueError):
        cxkpi.top_box([1, 2, 9])
