"""Survey weighting through the Python API: inputs (pandas, polars, dicts), level order, errors with names,
result classes (repr, to_dict, margins_frame, pickling)."""

from __future__ import annotations

import math
import pickle

import numpy as np
import pandas as pd
import polars as pl
import pytest

import cxkpi
from cxkpi import _cxkpi

REGION = ["North", "North", "South", "East", "North", "South", "East", "North", "South", "North"]
PLAN = ["basic", "pro", "basic", "basic", "pro", "pro", "basic", "basic", "basic", "pro"]
TARGETS = {
    "region": {"North": 400.0, "South": 350.0, "East": 250.0},
    "plan": {"basic": 700.0, "pro": 300.0},
}


def _pandas() -> pd.DataFrame:
    return pd.DataFrame({"region": REGION, "plan": PLAN, "score": range(10)})


def _native_rake(targets=TARGETS, **opts):
    """The same fit straight through the native module, codes made by hand."""
    codes, values = [], []
    for var, spec in targets.items():
        col = {"region": REGION, "plan": PLAN}[var]
        levels = list(spec)
        codes.append(np.array([levels.index(x) for x in col], dtype=np.uint32))
        values.append(np.array(list(spec.values()), dtype=np.float64))
    return _cxkpi.rake(codes, values, None, opts)


def _cell_of_rows() -> np.ndarray:
    """The cell (key-tuple order, first variable most significant) of each row for TARGETS' level order."""
    keys = [(list(TARGETS["region"]).index(a), list(TARGETS["plan"]).index(b)) for a, b in zip(REGION, PLAN)]
    distinct = sorted(set(keys))
    return np.array([distinct.index(k) for k in keys])


# ---------------------------------------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------------------------------------

INPUTS = {
    "pandas_str": lambda: _pandas(),
    "pandas_categorical_other_order": lambda: _pandas().assign(
        region=pd.Categorical(REGION, categories=["South", "East", "North", "West"]),
        plan=pd.Categorical(PLAN, categories=["pro", "basic"]),
    ),
    "pandas_object": lambda: _pandas().astype({"region": object, "plan": object}),
    "polars_str": lambda: pl.DataFrame({"region": REGION, "plan": PLAN}),
    "polars_enum": lambda: pl.DataFrame(
        {
            "region": pl.Series(REGION, dtype=pl.Enum(["East", "South", "North"])),
            "plan": pl.Series(PLAN, dtype=pl.Enum(["pro", "basic"])),
        }
    ),
    "polars_categorical": lambda: pl.DataFrame(
        {"region": pl.Series(REGION, dtype=pl.Categorical), "plan": pl.Series(PLAN, dtype=pl.Categorical)}
    ),
    "dict_lists": lambda: {"region": list(REGION), "plan": list(PLAN)},
    "dict_numpy_str": lambda: {"region": np.array(REGION), "plan": np.array(PLAN, dtype=object)},
    "dict_mixed": lambda: {"region": pd.Series(REGION), "plan": pl.Series(PLAN)},
    "dict_bytes": lambda: {"region": np.array(REGION, dtype="S"), "plan": tuple(PLAN)},
}


@pytest.mark.parametrize("kind", list(INPUTS))
def test_every_input_gives_identical_weights(kind):
    ref = _native_rake()
    r = cxkpi.rake(INPUTS[kind](), TARGETS)
    assert isinstance(r.weights, np.ndarray) and r.weights.dtype == np.float64
    assert r.weights.tobytes() == ref["weights"].tobytes()  # bit for bit
    assert r.g.tobytes() == ref["g"].tobytes()
    assert r.variables == ["region", "plan"]
    assert r.levels == [["North", "South", "East"], ["basic", "pro"]]


def test_integer_codes_with_list_targets():
    codes_region = np.array([["North", "South", "East"].index(x) for x in REGION])
    codes_plan = [["basic", "pro"].index(x) for x in PLAN]
    data = {"region": codes_region, "plan": pd.Series(codes_plan, dtype="Int64")}
    r = cxkpi.rake(data, {"region": [400, 350, 250], "plan": np.array([700.0, 300.0])})
    assert r.weights.tobytes() == _native_rake()["weights"].tobytes()
    assert r.levels == [[0, 1, 2], [0, 1]]
    # Float codes match integer levels by value.
    floats = {"region": codes_region.astype(float), "plan": codes_plan}
    r2 = cxkpi.rake(floats, {"region": [400, 350, 250], "plan": [700, 300]})
    assert r2.weights.tobytes() == r.weights.tobytes()


def test_targets_as_pandas_series_indexed_by_level():
    targets = {
        "region": pd.Series({"North": 400.0, "South": 350.0, "East": 250.0}),
        "plan": pd.Series([700, 300], index=["basic", "pro"]),
    }
    assert cxkpi.rake(_pandas(), targets).weights.tobytes() == _native_rake()["weights"].tobytes()


def test_only_target_variables_are_used_in_targets_order():
    df = _pandas().assign(other=["x"] * 10)
    swapped = {"plan": TARGETS["plan"], "region": TARGETS["region"]}
    r = cxkpi.rake(df, swapped)
    assert r.variables == ["plan", "region"]
    assert [m["variable"] for m in r.margins] == [0, 1]
    assert r.margins[0]["target"] == [700.0, 300.0]
    # Same weights as the other variable order (up to rounding: the fit visits the margins in another order).
    np.testing.assert_allclose(r.weights, _native_rake()["weights"], rtol=1e-9)


def test_level_order_comes_from_the_targets():
    reordered = {"region": {"East": 250.0, "North": 400.0, "South": 350.0}, "plan": {"pro": 300.0, "basic": 700.0}}
    r = cxkpi.rake(_pandas(), reordered)
    assert r.levels == [["East", "North", "South"], ["pro", "basic"]]
    assert r.margins[0]["target"] == [250.0, 400.0, 350.0]
    frame = r.margins_frame()
    assert list(frame["level"]) == ["East", "North", "South", "pro", "basic"]
    np.testing.assert_allclose(r.weights, _native_rake()["weights"], rtol=1e-9)
    # The weights follow the rows, whatever the level order.
    east = np.array(REGION) == "East"
    assert math.isclose(r.weights[east].sum(), 250.0, rel_tol=1e-9)


def test_base_as_column_name_or_array():
    df = _pandas().assign(w=np.linspace(0.5, 2.0, 10))
    a = cxkpi.rake(df, TARGETS, base="w")
    b = cxkpi.rake(df, TARGETS, base=df["w"].to_numpy())
    c = cxkpi.rake(pl.DataFrame({"region": REGION, "plan": PLAN, "w": df["w"].tolist()}), TARGETS, base="w")
    assert a.weights.tobytes() == b.weights.tobytes() == c.weights.tobytes()
    assert a.margins[0]["before"] != cxkpi.rake(df, TARGETS).margins[0]["before"]
    g_rows = a.weights / df["w"].to_numpy()
    assert set(np.round(g_rows, 9)) == set(np.round(a.g, 9))


def test_shares_and_population():
    shares = {"region": {"North": 0.4, "South": 0.35, "East": 0.25}, "plan": {"basic": 0.7, "pro": 0.3}}
    r = cxkpi.rake(_pandas(), shares, targets_as="shares", population=1000)
    np.testing.assert_allclose(r.weights, _native_rake()["weights"], rtol=1e-9)
    r10 = cxkpi.rake(_pandas(), shares, targets_as="shares")  # population = n
    assert math.isclose(r10.weights.sum(), 10.0, rel_tol=1e-12)


# ---------------------------------------------------------------------------------------------------------
# Calibration, post-stratification, trimming, diagnostics
# ---------------------------------------------------------------------------------------------------------


def test_calibrate_distances_and_bounds():
    df = _pandas()
    lin = cxkpi.calibrate(df, TARGETS)
    assert lin.method == "calibrate" and lin.distance == "linear" and lin.converged
    rak = cxkpi.calibrate(df, TARGETS, distance="raking")
    np.testing.assert_allclose(rak.weights, _native_rake()["weights"], rtol=1e-8)  # raking distance = raking
    # Bounds are on g = weight / base: with design weights N / n = 100, g is near 1.
    design = df.assign(w=100.0)
    bounded = cxkpi.calibrate(design, TARGETS, distance="logit", bounds=(0.7, 1.5), base="w")
    assert bounded.distance == "logit" and bounded.max_rel_error <= 1e-10
    assert ((bounded.g > 0.7) & (bounded.g < 1.5)).all()
    np.testing.assert_allclose(bounded.weights, 100.0 * bounded.g[_cell_of_rows()], rtol=1e-15)
    trunc = cxkpi.calibrate(design, TARGETS, bounds=(0.7, 1.3), base="w")
    assert ((trunc.g >= 0.7 - 1e-12) & (trunc.g <= 1.3 + 1e-12)).all() and trunc.converged
    for m in bounded.margins:
        np.testing.assert_allclose(m["after"], m["target"], rtol=1e-9)


def test_calibrate_weight_bounds():
    design = _pandas().assign(w=100.0)
    r = cxkpi.calibrate(design, TARGETS, base="w", weight_bounds=(70.0, 130.0))
    assert r.converged and r.weights.min() >= 70.0 - 1e-9 and r.weights.max() <= 130.0 + 1e-9
    for m in r.margins:
        np.testing.assert_allclose(m["after"], m["target"], rtol=1e-9)
    with pytest.raises(cxkpi.InfeasibleError):
        cxkpi.calibrate(design, TARGETS, base="w", weight_bounds=(95.0, 105.0))


def test_poststratify_crossed_forms():
    df = _pandas()
    cells = {
        ("North", "basic"): 300.0, ("North", "pro"): 100.0, ("South", "basic"): 250.0,
        ("South", "pro"): 100.0, ("East", "basic"): 250.0,
    }
    r = cxkpi.poststratify(df, cells, by=["region", "plan"])
    assert r.method == "poststratify" and r.variables == ["region", "plan"]
    assert r.levels == [["North", "South", "East"], ["basic", "pro"]]
    reg, plan = np.array(REGION), np.array(PLAN)
    for (a, b), t in cells.items():
        assert math.isclose(r.weights[(reg == a) & (plan == b)].sum(), t, rel_tol=1e-12)
    frame = r.margins_frame()
    assert list(frame["target"]) == [400.0, 350.0, 250.0, 800.0, 200.0]
    # The same targets as a pandas Series with a MultiIndex.
    series = pd.Series(cells)
    assert cxkpi.poststratify(df, series, by=["region", "plan"]).weights.tobytes() == r.weights.tobytes()
    # Polars input.
    pdf = pl.DataFrame({"region": REGION, "plan": PLAN})
    assert cxkpi.poststratify(pdf, cells, by=("region", "plan")).weights.tobytes() == r.weights.tobytes()


def test_poststratify_one_variable_forms():
    df = _pandas()
    a = cxkpi.poststratify(df, TARGETS["region"], by="region")
    b = cxkpi.poststratify(df, {"region": TARGETS["region"]})
    c = cxkpi.poststratify(df, {("North",): 400.0, ("South",): 350.0, ("East",): 250.0}, by=["region"])
    assert a.weights.tobytes() == b.weights.tobytes() == c.weights.tobytes()
    assert math.isclose(a.weights[np.array(REGION) == "North"][0], 80.0)  # 400 / 5 respondents
    with pytest.raises(cxkpi.InvalidArgumentError, match="by="):
        cxkpi.poststratify(df, TARGETS)


def test_poststratify_missing_combination_names_the_cell():
    cells = {("North", "basic"): 300.0, ("North", "pro"): 100.0, ("South", "basic"): 250.0, ("East", "basic"): 350.0}
    with pytest.raises(cxkpi.InvalidArgumentError) as info:
        cxkpi.poststratify(_pandas(), cells, by=["region", "plan"])
    assert "('South', 'pro')" in str(info.value)
    assert info.value.details["arg"] == "targets[('South', 'pro')]"


def test_trim_weights():
    w = np.array([1.0, 1.0, 1.0, 1.0, 6.0])
    t = cxkpi.trim_weights(w, upper=3)
    assert isinstance(t, cxkpi.TrimResult) and t.weights.dtype == np.float64
    assert t.n_at_upper == 1 and t.upper == 3.0 and t.lower is None
    assert math.isclose(t.weights.sum(), w.sum(), rel_tol=1e-15) and t.total == t.diagnostics.sum
    assert t.diagnostics_before.max == 6.0 and t.diagnostics.max == 3.0
    assert t.diagnostics.kish_n > t.diagnostics_before.kish_n
    rel = cxkpi.trim_weights(w, upper=1.5, relative_to_mean=True)
    assert rel.upper == 1.5 * w.mean()
    assert repr(t).startswith("TrimResult(upper=3, lower=None, n_at_upper=1, n_at_lower=0, total=")
    both = cxkpi.trim_weights(pd.Series([0.2, 1.0, 1.0, 1.0, 1.8]), lower=0.5, upper=1.5)
    assert (both.n_at_lower, both.n_at_upper) == (1, 1) and both.weights.tolist() == [0.5, 1.0, 1.0, 1.0, 1.5]


def test_trim_units_at_lower_bound_are_released_when_the_excess_lifts_them():
    t = cxkpi.trim_weights([1.0, 1.0, 1.0, 1.0, 6.0], lower=1.2, upper=3.0)
    assert t.weights.tolist() == [1.75, 1.75, 1.75, 1.75, 3.0]


def test_weight_diagnostics():
    d = cxkpi.weight_diagnostics([1.0, 1.0, 2.0, 4.0])
    assert d.kish_n == 64.0 / 22.0 and d.ratio == 4.0 and d.n == 4 and d.adjustment_deff is None
    assert len(d.quantiles) == len(d.quantile_probs) == 7 and d.quantiles[3] == 1.5
    assert repr(d).startswith("WeightDiagnostics(n=4, sum=8, min=1, max=4, ratio=4, cv=")
    with_base = cxkpi.weight_diagnostics([2.0, 2.0, 4.0, 8.0], base=[2.0, 2.0, 2.0, 2.0])
    assert with_base.adjustment_deff == pytest.approx(1.375)
    # The diagnostics of a fit are the diagnostics of its weights.
    r = cxkpi.rake(_pandas(), TARGETS)
    direct = cxkpi.weight_diagnostics(r.weights)
    assert r.diagnostics.n == direct.n and r.diagnostics.kish_n == pytest.approx(direct.kish_n, rel=1e-13)


# ---------------------------------------------------------------------------------------------------------
# Result classes
# ---------------------------------------------------------------------------------------------------------


def test_result_attributes_repr_and_dict():
    r = cxkpi.rake(_pandas(), TARGETS)
    d = r.to_dict()
    assert set(d) == {
        "method", "distance", "weights", "g", "n_cells", "status", "iterations", "max_rel_error", "tolerance",
        "margins", "level_changes", "mass_lost", "n_at_lower", "n_at_upper", "diagnostics",
    }
    assert r.method == "rake" and r.distance is None and r.status == "converged" and r.n_cells == r.g.size == 5
    assert r.tolerance == 1e-10 and r.max_rel_error <= 1e-10 and r.level_changes == [] and r.mass_lost == 0.0
    assert isinstance(r.diagnostics, cxkpi.WeightDiagnostics) and isinstance(d["diagnostics"], dict)
    assert repr(r) == (
        f"WeightingResult(method=rake, status=converged, iterations={r.iterations}, "
        f"max_rel_error={r.max_rel_error:.3g}, n=10, kish_n={r.diagnostics.kish_n:.1f}, "
        f"deff={r.diagnostics.deff_kish:.4f})"
    )
    c = cxkpi.calibrate(_pandas(), TARGETS, distance="raking")
    assert repr(c).startswith("WeightingResult(method=calibrate, distance=raking, status=converged, ")


def test_margins_frame_pandas_and_polars():
    r = cxkpi.rake(_pandas(), TARGETS)
    f = r.margins_frame()
    assert isinstance(f, pd.DataFrame)
    assert list(f.columns) == ["variable", "level", "target", "before", "after", "rel_error", "asmd_before", "asmd_after", "kish_n", "deff_kish"]
    assert list(f["variable"]) == ["region"] * 3 + ["plan"] * 2
    assert list(f["level"]) == ["North", "South", "East", "basic", "pro"]
    assert list(f["before"]) == [5.0, 3.0, 2.0, 6.0, 4.0]  # respondents (unit base weights)
    np.testing.assert_allclose(f["after"], f["target"], rtol=1e-10)
    p = r.margins_frame(backend="polars")
    assert isinstance(p, pl.DataFrame) and p.columns == list(f.columns) and p.height == 5
    assert p["level"].to_list() == list(f["level"])
    with pytest.raises(ValueError):
        r.margins_frame(backend="excel")  # type: ignore[arg-type]


def test_results_pickle():
    r = cxkpi.rake(_pandas(), TARGETS)
    r2 = pickle.loads(pickle.dumps(r))
    assert r2 == r and r2.variables == r.variables and r2.levels == r.levels
    assert r2.weights.tobytes() == r.weights.tobytes()
    assert r2.margins_frame().equals(r.margins_frame())
    assert r != cxkpi.rake(_pandas(), {**TARGETS, "plan": {"basic": 600.0, "pro": 400.0}})
    t = cxkpi.trim_weights([1.0, 1.0, 5.0], upper=2.5)
    assert pickle.loads(pickle.dumps(t)) == t
    d = cxkpi.weight_diagnostics([1.0, 3.0])
    assert pickle.loads(pickle.dumps(d)) == d


def test_native_result_dict_wraps_without_names():
    r = cxkpi.WeightingResult(_native_rake())
    assert r.variables == [0, 1] and r.levels == [[0, 1, 2], [0, 1]]
    assert list(r.margins_frame()["variable"]) == [0, 0, 0, 1, 1]


# ---------------------------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind", ["pandas_str", "pandas_categorical_other_order", "polars_str", "polars_enum", "dict_lists"]
)
def test_unknown_level_names_variable_row_and_value(kind):
    targets = {"region": {"North": 400.0, "South": 600.0}, "plan": TARGETS["plan"]}  # no "East"
    with pytest.raises(cxkpi.OutOfScaleError) as info:
        cxkpi.rake(INPUTS[kind](), targets)
    e = info.value
    assert e.kind == "out_of_scale"
    assert e.details == {"arg": "region", "index": 3, "value": "East"}
    assert "`region`[3] = 'East' has no target" in str(e) and "'North', 'South'" in str(e)


def test_missing_value_has_no_level():
    data = {"region": REGION[:-1] + [None], "plan": PLAN}
    with pytest.raises(cxkpi.OutOfScaleError, match=r"`region`\[9\] = None has no target.*level of its own"):
        cxkpi.rake(data, TARGETS)
    df = _pandas()
    df.loc[9, "plan"] = np.nan
    with pytest.raises(cxkpi.OutOfScaleError) as info:
        cxkpi.rake(df, TARGETS)
    assert info.value.details["arg"] == "plan" and info.value.details["index"] == 9


def test_numeric_column_with_text_levels_is_out_of_scale():
    with pytest.raises(cxkpi.OutOfScaleError) as info:
        cxkpi.rake(
            {"region": [1, 2, 1], "plan": ["a", "b", "a"]},
            {"region": {"1": 1.0, "2": 2.0}, "plan": {"a": 2.0, "b": 1.0}},
        )
    assert info.value.details == {"arg": "region", "index": 0, "value": 1}


def test_inconsistent_margins_names_the_variables():
    with pytest.raises(cxkpi.InconsistentMarginsError) as info:
        cxkpi.rake(_pandas(), {**TARGETS, "plan": {"basic": 700.0, "pro": 400.0}})
    assert info.value.kind == "inconsistent_margins"
    assert "variable 'region' totals 1000 but variable 'plan' totals 1100" in str(info.value)


def test_empty_level_error_collapse_and_drop():
    targets = {"region": {"North": 400.0, "West": 50.0, "South": 300.0, "East": 250.0}, "plan": TARGETS["plan"]}
    with pytest.raises(cxkpi.EmptyLevelError) as info:
        cxkpi.rake(_pandas(), targets)
    assert "level 'West' of variable 'region' has a target of 50" in str(info.value)
    collapsed = cxkpi.rake(_pandas(), targets, empty_level="collapse")
    assert collapsed.level_changes == [
        {"variable": 0, "level": 1, "action": "collapsed", "into": 0, "target": 50.0}
    ]
    assert "level_changes=1" in repr(collapsed)
    north = np.array(REGION) == "North"
    assert math.isclose(collapsed.weights[north].sum(), 450.0, rel_tol=1e-9)
    targets_drop = {"region": {"North": 400.0, "West": 100.0, "South": 250.0, "East": 250.0}, "plan": TARGETS["plan"]}
    dropped = cxkpi.rake(_pandas(), targets_drop, empty_level="drop")
    assert dropped.mass_lost == 100.0 and dropped.level_changes[0]["action"] == "dropped"
    assert "mass_lost=100" in repr(dropped)
    assert math.isclose(dropped.weights.sum(), 900.0, rel_tol=1e-9)


def test_infeasible_bounds_name_the_level():
    with pytest.raises(cxkpi.InfeasibleError) as info:
        cxkpi.calibrate(_pandas(), TARGETS, bounds=(0.5, 2.0))
    assert info.value.kind == "infeasible" and "variable 'region', level 'North'" in str(info.value)
    with pytest.raises(cxkpi.InfeasibleError):
        cxkpi.trim_weights([1.0, 1.0, 10.0], upper=2.0)


def test_not_converged_error_or_warn():
    with pytest.raises(cxkpi.NotConvergedError) as info:
        cxkpi.rake(_pandas(), TARGETS, max_sweeps=1)
    assert info.value.kind == "not_converged" and "rake did not converge" in str(info.value)
    r = cxkpi.rake(_pandas(), TARGETS, max_sweeps=1, on_nonconvergence="warn")
    assert r.status == "max_iter" and not r.converged and r.iterations == 1 and r.max_rel_error > 1e-10
    assert "status=max_iter" in repr(r)
    frame = r.margins_frame()
    assert frame["rel_error"].abs().max() == pytest.approx(r.max_rel_error)


def test_unknown_distance_and_options():
    with pytest.raises(cxkpi.UnknownMethodError) as info:
        cxkpi.calibrate(_pandas(), TARGETS, distance="chi2")  # type: ignore[arg-type]
    assert info.value.details["arg"] == "distance"
    with pytest.raises(cxkpi.UnknownMethodError):
        cxkpi.rake(_pandas(), TARGETS, empty_level="ignore")  # type: ignore[arg-type]
    with pytest.raises(cxkpi.InvalidArgumentError, match="bounds"):
        cxkpi.calibrate(_pandas(), TARGETS, distance="logit")
    with pytest.raises(cxkpi.InvalidArgumentError, match="tolerance"):
        cxkpi.rake(_pandas(), TARGETS, tolerance=2.0)
    with pytest.raises(TypeError):
        cxkpi.rake(_pandas(), TARGETS, tolerence=1e-8)  # type: ignore[call-arg]
    with pytest.raises(cxkpi.InvalidArgumentError, match="bounds"):
        cxkpi.calibrate(_pandas(), TARGETS, bounds=0.5)  # type: ignore[arg-type]


def test_bad_targets_and_data():
    df = _pandas()
    with pytest.raises(cxkpi.InvalidArgumentError, match="'age' is not a column"):
        cxkpi.rake(df, {"age": {"y": 1.0}})
    with pytest.raises(cxkpi.InvalidArgumentError) as info:
        cxkpi.rake(df, {**TARGETS, "region": {"North": 400.0, "South": -1.0, "East": 601.0}})
    assert info.value.details["arg"] == "targets['region']['South']"
    with pytest.raises(cxkpi.InvalidArgumentError, match="appears twice"):
        cxkpi.rake(df, {"region": pd.Series([1.0, 2.0], index=["North", "North"])})
    with pytest.raises(cxkpi.InvalidArgumentError, match="cannot be missing"):
        cxkpi.rake(df, {"region": {"North": 1.0, None: 2.0}})
    with pytest.raises(cxkpi.InvalidArgumentError, match="at least one"):
        cxkpi.rake(df, {})
    with pytest.raises(TypeError, match="targets must be a dict"):
        cxkpi.rake(df, [("region", TARGETS["region"])])
    with pytest.raises(TypeError, match="data must be"):
        cxkpi.rake(np.zeros((3, 2)), TARGETS)
    with pytest.raises(cxkpi.LengthMismatchError):
        cxkpi.rake({"region": REGION, "plan": PLAN[:-1]}, TARGETS)
    with pytest.raises(cxkpi.InvalidWeightError) as info:
        cxkpi.rake(df, TARGETS, base=[1.0] * 9 + [-1.0])
    assert info.value.details == {"arg": "base", "index": 9, "value": -1.0}


def test_large_categorical_input_is_mapped_once():
    rng = np.random.default_rng(7)
    n = 200_000
    region = pd.Categorical.from_codes(rng.integers(0, 3, n), categories=["North", "South", "East"])
    plan = pd.Categorical.from_codes(rng.integers(0, 2, n), categories=["basic", "pro"])
    r = cxkpi.rake(pd.DataFrame({"region": region, "plan": plan}), TARGETS)
    assert r.weights.shape == (n,) and r.converged and r.n_cells == 6  # every combination sampled
    s = cxkpi.rake({"region": np.asarray(region), "plan": pl.Series(np.asarray(plan).astype(str))}, TARGETS)
    assert s.weights.tobytes() == r.weights.tobytes()


def test_trim_then_rerake_meets_margins_and_caps():
    # 2 respondents of 40 carry 30 % of the population; cap every weight at 7 x the mean weight.
    data = {"a": [1 if i < 2 else 0 for i in range(40)], "b": [i % 3 for i in range(40)]}
    targets = {"a": [70.0, 30.0], "b": [40.0, 30.0, 30.0]}
    r = cxkpi.rake(data, targets, trim_upper=7, trim_relative_to_mean=True)
    assert r.status == "converged" and r.max_rel_error <= 1e-10
    assert r.to_dict()["method"] == "rake_trim"
    assert r.weights.max() <= 7 * 100 / 40 * (1 + 1e-9)
    with pytest.raises(cxkpi.NotConvergedError):
        cxkpi.rake(data, targets, trim_upper=2, trim_relative_to_mean=True)
