"""Runs one case of the shared golden corpus (tests/golden/*.json, format in spec GOLDEN.md) through the public
Python API and renders the result as the lines of target/golden-out/python.tsv.

The dispatch mirrors core/tests/golden.rs so that the three languages run the same calls.
"""

from __future__ import annotations

import inspect
import itertools
import math
import os
import struct
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

import numpy as np

import cxkpi
from cxkpi import _cxkpi

REPO = Path(__file__).resolve().parents[2]
GOLDEN_DIR = Path(os.environ.get("CXKPI_GOLDEN_DIR") or REPO / "tests" / "golden")

_NONFINITE = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}

# Options that configure how a partial accumulates (from_*); the other top-level options go to finish().
PART_COLUMNS = {"scores", "values", "labels", "weights", "customers_start", "lost", "customers_end"}
PARTIAL_FROM_OPTIONS = {"scale_min", "scale_max", "promoter_min", "detractor_max", "missing", "side", "k", "direction"}


class CaseError(Exception):
    """A case could not be run as written (bad corpus entry), as opposed to a library error."""


def number(v: Any) -> Any:
    if isinstance(v, str) and v in _NONFINITE:
        return _NONFINITE[v]
    return v


def column(v: Any) -> Optional[np.ndarray]:
    if v is None:
        return None
    return np.asarray([math.nan if x is None else number(x) for x in v], dtype=np.float64)


def labels_column(v: List[Any]) -> Any:
    """Text labels stay text (the binding parses them); numeric codes become a float64 column."""
    if any(isinstance(x, str) and x not in _NONFINITE for x in v):
        return list(v)
    return column(v)


def _options(d: Dict[str, Any]) -> Dict[str, Any]:
    return {k: number(v) for k, v in d.items()}


def _call(fn: Callable[..., Any], native: Callable[..., Any], args: List[Any], opts: Dict[str, Any]) -> Any:
    """Public function with keyword options; an option the public signature does not have (a corpus case
    that tests the core's rejection of unknown options) goes through the native function with the same
    options dict, so the core's own error is what is checked."""
    params = inspect.signature(fn).parameters
    has_var_kw = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
    if has_var_kw or all(k in params for k in opts):
        return fn(*args, **opts)
    return native(*args, opts)


def _split(inp: Dict[str, Any], data: Tuple[str, ...]) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    d = {k: v for k, v in inp.items() if k in data}
    o = {k: v for k, v in inp.items() if k not in data}
    return d, _options(o)


def _nps_call(c: Dict[str, Any]) -> Any:
    d, o = _split(c, ("scores", "weights", "promoters", "passives", "detractors"))
    if "scores" in d:
        args = [column(d["scores"]), column(d.get("weights"))]
        return _call(cxkpi.nps, lambda *a: cxkpi.NpsResult(_cxkpi.nps(*a)), args, o)
    args = [d["promoters"], d["passives"], d["detractors"]]
    return _call(cxkpi.nps_from_counts, lambda *a: cxkpi.NpsResult(_cxkpi.nps_from_counts(*a)), args, o)


def _share_call(c: Dict[str, Any]) -> Any:
    d, o = _split(c, ("successes", "n", "scores", "weights"))
    if "scores" in d:
        args = [column(d["scores"]), column(d.get("weights"))]
        return _call(cxkpi.top_box, lambda *a: cxkpi.ShareResult(_cxkpi.top_box(*a)), args, o)
    args = [d["successes"], d["n"]]
    return _call(cxkpi.share_from_counts, lambda *a: cxkpi.ShareResult(_cxkpi.share_from_counts(*a)), args, o)


def _mean_call(c: Dict[str, Any]) -> Any:
    d, o = _split(c, ("values", "weights", "mean", "sd", "n"))
    if "values" in d:
        args = [column(d["values"]), column(d.get("weights"))]
        return _call(cxkpi.mean_score, lambda *a: cxkpi.MeanResult(_cxkpi.mean_score(*a)), args, o)
    args = [number(d["mean"]), number(d["sd"]), d["n"]]
    return _call(cxkpi.mean_from_summary, lambda *a: cxkpi.MeanResult(_cxkpi.mean_from_summary(*a)), args, o)


def _partials(inp: Dict[str, Any]) -> Any:
    import pickle

    metric = inp["metric"]
    rest = {k: number(v) for k, v in inp.items() if k not in ("metric", "parts")}
    cls_opts = {k: v for k, v in rest.items() if k in PARTIAL_FROM_OPTIONS}
    fin_opts = {k: v for k, v in rest.items() if k not in PARTIAL_FROM_OPTIONS}

    def make(part: Dict[str, Any]) -> Any:
        # A part may carry its own accumulation options (e.g. a shard computed with other bands).
        own = {k: number(v) for k, v in part.items() if k not in PART_COLUMNS}
        opts = {**cls_opts, **own}
        if metric == "nps":
            return cxkpi.NpsPartial.from_scores(column(part["scores"]), column(part.get("weights")), **opts)
        if metric == "top_box":
            return cxkpi.TopBoxPartial.from_scores(column(part["scores"]), column(part.get("weights")), **opts)
        if metric == "mean":
            return cxkpi.MeanPartial.from_values(column(part["values"]), column(part.get("weights")), **opts)
        if metric == "sentiment":
            return cxkpi.SentimentPartial.from_labels(
                labels_column(part["labels"]), column(part.get("weights")), **opts
            )
        if metric == "churn":
            end = part.get("customers_end")
            return cxkpi.ChurnPartial(number(part["customers_start"]), number(part["lost"]), number(end))
        raise CaseError(f"unknown partial metric {metric!r}")

    acc = None
    for i, part in enumerate(inp["parts"]):
        p = make(part)
        # As between workers: alternately through pickle and through JSON before merging.
        p = pickle.loads(pickle.dumps(p)) if i % 2 == 0 else type(p).from_json(p.to_json())
        acc = p if acc is None else acc.merge(p)
    if acc is None:
        raise CaseError("partials case without parts")
    return acc.finish(**fin_opts)


def run(function: str, inp: Dict[str, Any]) -> Dict[str, Any]:
    """The result of one case as a dict (the core's fields)."""
    if function in ("nps", "nps_from_counts"):
        r = _nps_call(inp)
    elif function == "top_box":
        d, o = _split(inp, ("scores", "weights"))
        args = [column(d["scores"]), column(d.get("weights"))]
        r = _call(cxkpi.top_box, lambda *a: cxkpi.ShareResult(_cxkpi.top_box(*a)), args, o)
    elif function == "share_from_counts":
        r = _share_call(inp)
    elif function == "proportion_interval":
        d, o = _split(inp, ("x", "n"))
        args = [number(d["x"]), number(d["n"])]
        r = _call(cxkpi.proportion_interval, lambda *a: cxkpi.Interval(_cxkpi.proportion_interval(*a)), args, o)
    elif function in ("mean_score", "mean_from_summary"):
        r = _mean_call(inp)
    elif function == "ces":
        d, o = _split(inp, ("scores", "weights"))
        args = [column(d["scores"]), column(d.get("weights"))]
        r = _call(cxkpi.ces, lambda *a: cxkpi.MeanResult(_cxkpi.ces(*a)), args, o)
    elif function == "churn":
        d, o = _split(inp, ("customers_start", "lost"))
        args = [number(d["customers_start"]), number(d["lost"])]
        r = _call(cxkpi.churn, lambda *a: cxkpi.ChurnResult(_cxkpi.churn(*a)), args, o)
    elif function == "convert_rate":
        d, _ = _split(inp, ("rate", "from_months", "to_months"))
        return {"value": cxkpi.convert_rate(number(d["rate"]), number(d["from_months"]), number(d["to_months"]))}
    elif function == "sentiment_share":
        d, o = _split(inp, ("labels", "weights"))
        args = [labels_column(d["labels"]), column(d.get("weights"))]

        def native(labels: Any, weights: Any, opts: Dict[str, Any]) -> Any:
            codes = cxkpi._api._sentiment_codes(labels)
            return cxkpi.SentimentResult(_cxkpi.sentiment_share(codes, weights, opts))

        r = _call(cxkpi.sentiment_share, native, args, o)
    elif function == "sentiment_from_counts":
        d, o = _split(inp, ("positive", "neutral", "negative"))
        args = [d["positive"], d["neutral"], d["negative"]]
        r = _call(
            cxkpi.sentiment_from_counts, lambda *a: cxkpi.SentimentResult(_cxkpi.sentiment_from_counts(*a)), args, o
        )
    elif function in ("compare_nps", "compare_shares", "compare_means"):
        d, o = _split(inp, ("a", "b"))
        build = {"compare_nps": _nps_call, "compare_shares": _share_call, "compare_means": _mean_call}[function]
        fn = getattr(cxkpi, function)
        a, b = build(d["a"]), build(d["b"])
        r = _call(
            fn, lambda x, y, opts: cxkpi.ComparisonResult(getattr(_cxkpi, function)(x.to_dict(), y.to_dict(), opts)),
            [a, b], o,
        )
    elif function == "sample_size":
        d, o = _split(inp, ("metric", "margin"))
        if "metric" in d and "margin" in d:
            r = _call(
                cxkpi.sample_size,
                lambda m, g, opts: cxkpi.SampleSizeResult(_cxkpi.sample_size({"metric": m, "margin": g, **opts})),
                [d["metric"], number(d["margin"])], o,
            )
        else:
            # A case that tests the core's "metric/margin is required": only the native call can omit them.
            r = cxkpi.SampleSizeResult(_cxkpi.sample_size({**_options(d), **o}))
    elif function == "grouped":
        d, o = _split(inp, ("metric", "values", "keys", "weights"))
        vals = labels_column(d["values"]) if d["metric"] == "sentiment" else column(d["values"])
        keys = [np.asarray(k, dtype=np.int64) for k in d["keys"]]
        r = cxkpi.grouped(d["metric"], vals, keys, column(d.get("weights")), **o)
    elif function == "partials":
        r = _partials(inp)
    elif function in WEIGHTING_FUNCTIONS:
        r = run_weighting(function, inp)
    else:
        raise CaseError(f"no Python runner for golden function {function!r}")
    return r.to_dict()  # type: ignore[no-any-return]


# ---------------------------------------------------------------------------------------------------------
# Weighting (tests/golden/weighting/*.json; input format in spec WEIGHTING_BINDINGS.md)
# ---------------------------------------------------------------------------------------------------------

WEIGHTING_FUNCTIONS = ("rake", "calibrate", "poststratify", "trim_weights", "weight_diagnostics", "design_estimate")

# design_estimate: the metric's public function, called with design=.
DESIGN_METRICS = {"nps": "nps", "top_box": "top_box", "mean": "mean_score", "ces": "ces"}


def _codes_data(codes: List[List[int]]) -> Dict[str, np.ndarray]:
    """Code columns as a dict of int64 columns named v0, v1, ... (the public API maps them to codes by the
    targets' level order, here 0..L-1, exactly as a user's integer-coded column)."""
    return {f"v{i}": np.asarray(c, dtype=np.int64) for i, c in enumerate(codes)}


def run_weighting(function: str, inp: Dict[str, Any]) -> Any:
    """One weighting case through the public API (cxkpi.rake, ...), the options as keywords. A case the public
    signature cannot express (an option it does not take, cell targets that do not fit the levels) goes to the
    native function with the same arrays and options dict, so the core's own answer is what is checked."""
    if function in ("rake", "calibrate"):
        d, o = _split(inp, ("codes", "targets", "base"))
        data = _codes_data(d["codes"])
        targets = {f"v{i}": column(t) for i, t in enumerate(d["targets"])}
        base = column(d.get("base"))
        fn = getattr(cxkpi, function)
        params = inspect.signature(fn).parameters
        if all(k in params for k in o) and len(targets) == len(data):
            return fn(data, targets, base=base, **o)
        native = getattr(_cxkpi, function)
        codes = [np.asarray(c, dtype=np.uint32) for c in d["codes"]]
        return cxkpi.WeightingResult(native(codes, [column(t) for t in d["targets"]], base, o))
    if function == "poststratify":
        d, o = _split(inp, ("codes", "cell_targets", "levels", "base"))
        codes = d["codes"]
        cell_targets = column(d["cell_targets"])
        assert cell_targets is not None
        if "levels" in d:
            levels = [int(x) for x in d["levels"]]
        elif len(codes) == 1:
            levels = [len(cell_targets)]
        else:
            levels = [(max(c) if c else 0) + 1 for c in codes]
        base = column(d.get("base"))
        params = inspect.signature(cxkpi.poststratify).parameters
        fits = len(levels) == len(codes) and int(np.prod(levels)) == len(cell_targets)
        if fits and all(k in params for k in o):
            data = _codes_data(codes)
            names = list(data)
            if len(names) == 1:
                targets: Dict[Any, float] = {lv: float(t) for lv, t in enumerate(cell_targets)}
                return cxkpi.poststratify(data, targets, by=names[0], base=base, **o)
            keys = list(itertools.product(*(range(n) for n in levels)))  # first variable most significant
            crossed = {k: float(t) for k, t in zip(keys, cell_targets)}
            return cxkpi.poststratify(data, crossed, by=names, base=base, **o)
        native_codes = [np.asarray(c, dtype=np.uint32) for c in codes]
        return cxkpi.WeightingResult(_cxkpi.poststratify(native_codes, levels, cell_targets, base, o))
    if function == "trim_weights":
        d, o = _split(inp, ("weights",))
        args = [column(d["weights"])]
        return _call(cxkpi.trim_weights, lambda *a: cxkpi.TrimResult(_cxkpi.trim_weights(*a)), args, o)
    if function == "design_estimate":
        fit_inp = {k: inp[k] for k in ("codes", "targets", "cell_targets", "levels", "base") if k in inp}
        fit_inp.update(inp.get("fit") or {})
        result = run_weighting(inp["method"], fit_inp)
        values = column(inp["values"])
        by = np.asarray(inp["by"], dtype=np.int64) if "by" in inp else None
        opts = dict(inp.get("options") or {})
        if inp["metric"] in DESIGN_METRICS:
            fn = getattr(cxkpi, DESIGN_METRICS[inp["metric"]])
            return fn(values, design=result, by=by, **opts)
        return cxkpi.design_estimate(inp["metric"], values, result, by=by, **opts)
    if function == "weight_diagnostics":
        d, _ = _split(inp, ("weights", "base"))  # no options (other keys are ignored, as in the Rust runner)
        return cxkpi.weight_diagnostics(column(d["weights"]), column(d.get("base")))
    raise CaseError(f"no Python runner for weighting function {function!r}")


# ---------------------------------------------------------------------------------------------------------
# TSV and checks (same rules as core/tests/golden.rs)
# ---------------------------------------------------------------------------------------------------------


def flatten(prefix: str, v: Any, out: List[Tuple[str, Any]]) -> None:
    if isinstance(v, np.ndarray):
        v = v.tolist()  # weighting results carry weights and g as numpy arrays
    if isinstance(v, dict):
        for k, x in v.items():
            flatten(f"{prefix}.{k}" if prefix else str(k), x, out)
    elif isinstance(v, (list, tuple)):
        for i, x in enumerate(v):
            flatten(f"{prefix}.{i}" if prefix else str(i), x, out)
    else:
        out.append((prefix, v))


def f64_hex(x: float) -> str:
    if math.isnan(x):
        return "7ff8000000000000"  # one canonical NaN (sign and payload of a NaN carry no meaning)
    return struct.pack(">d", x).hex()


def tsv_value(v: Any) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return f64_hex(float(v))
    if isinstance(v, str):
        return v
    raise TypeError(f"unexpected leaf {v!r}")


def tsv_lines(case: str, result: Dict[str, Any]) -> List[str]:
    leaves: List[Tuple[str, Any]] = []
    flatten("", result, leaves)
    leaves.sort(key=lambda kv: kv[0].encode())
    return [f"{case}\t{k}\t{tsv_value(v)}" for k, v in leaves]


def _as_number(v: Any) -> Optional[float]:
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, str) and v in _NONFINITE:
        return _NONFINITE[v]
    return None


def check(expected: Any, actual: Any, present: bool, tol: float) -> Optional[str]:
    """None when `actual` matches `expected`, else a message."""
    if not present:
        return "field missing"
    if expected is None:
        return None if actual is None else f"expected null, got {actual!r}"
    e = _as_number(expected)
    if e is not None and not (isinstance(expected, str) and isinstance(actual, str)):
        a = _as_number(actual)
        if a is None:
            return f"expected a number, got {actual!r}"
        if math.isnan(e):
            ok = math.isnan(a)
        elif math.isinf(e):
            ok = a == e
        else:
            ok = abs(a - e) <= tol * max(1.0, abs(e))
        return None if ok else f"expected {e!r}, got {a!r} (diff {abs(a - e):.3e})"
    if type(expected) is not type(actual) or expected != actual:
        return f"expected {expected!r}, got {actual!r}"
    return None
