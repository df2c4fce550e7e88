"""The shared golden corpus (tests/golden/*.json and tests/golden/weighting/*.json) through the Python binding.

Every case of every file is one test; the results of all of them are written to
``<target>/golden-out/python.tsv`` (``<target>`` = $CARGO_TARGET_DIR or <repo>/target), which
tests/golden_diff.py compares bit for bit with the Rust and Node outputs. No case is skipped: a function the
binding cannot run fails its cases, and test_corpus_is_complete fails when a corpus file is missing.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import pytest

import cxkpi
from golden_runner import GOLDEN_DIR, REPO, CaseError, check, flatten, run, tsv_lines

# The corpus files GOLDEN.md requires (one per function, plus partials).
REQUIRED_FILES = [
    "nps", "nps_from_counts", "top_box", "share_from_counts", "proportion_interval", "mean_score", "ces",
    "mean_from_summary", "churn", "convert_rate", "sentiment_share", "sentiment_from_counts", "compare_nps",
    "compare_shares", "compare_means", "sample_size", "grouped", "partials",
]

# The weighting corpus (spec WEIGHTING_BINDINGS.md): one file per function in tests/golden/weighting/.
WEIGHTING_DIR = GOLDEN_DIR / "weighting"
WEIGHTING_FILES = ["rake", "calibrate", "poststratify", "trim_weights", "weight_diagnostics", "design_estimate"]
WEIGHTING_ERROR_KINDS = ["inconsistent_margins", "empty_level", "infeasible", "not_converged"]

ERROR_KINDS = [
    "empty_input", "missing_value", "out_of_scale", "non_integer", "length_mismatch", "invalid_weight",
    "zero_weight_sum", "invalid_confidence", "unknown_method", "invalid_argument", "insufficient_data",
    "incompatible_partials", "unsupported",
]


def _load() -> List[Tuple[str, str, Dict[str, Any]]]:
    """(file, function, case) of every case: the metric files, then the weighting files (file "weighting/x.json")."""
    cases = []
    paths = sorted(GOLDEN_DIR.glob("*.json")) + sorted(WEIGHTING_DIR.glob("*.json"))
    for path in paths:
        doc = json.loads(path.read_text())
        file = path.relative_to(GOLDEN_DIR).as_posix()
        for case in doc["cases"]:
            cases.append((file, doc["function"], case))
    return cases


CASES = _load()
_LINES: Dict[int, List[str]] = {}


def _out_dir() -> Path:
    target = os.environ.get("CARGO_TARGET_DIR")
    return (Path(target) if target else REPO / "target") / "golden-out"


@pytest.fixture(scope="module", autouse=True)
def _write_tsv() -> Iterator[None]:
    yield
    out = _out_dir()
    out.mkdir(parents=True, exist_ok=True)
    lines = [line for i in sorted(_LINES) for line in _LINES[i]]
    (out / "python.tsv").write_text("".join(line + "\n" for line in lines))


def _ids() -> List[str]:
    return [f"{f[:-5]}:{c['name']}" for f, _, c in CASES]


@pytest.mark.parametrize("idx", range(len(CASES)), ids=_ids())
def test_case(idx: int) -> None:
    file, function, case = CASES[idx]
    name = f"{function}/{case['name']}"  # the TSV key, as in the Rust and Node suites
    # Default tolerance: 1e-12 for the metrics, 1e-9 for weighting (iterative fits), as in core/tests/golden.rs.
    tol = float(case.get("tolerance", 1e-9 if file.startswith("weighting/") else 1e-12))
    try:
        result = run(function, case["input"])
    except cxkpi.CxkpiError as e:
        _LINES[idx] = [f"{name}\terror\t{e.kind}"]
        assert isinstance(e, ValueError)
        want = case.get("error")
        assert want is not None, f"unexpected error {e.kind}: {e}"
        assert e.kind == want["kind"], f"expected error {want['kind']}, got {e.kind} ({e})"
        return
    except CaseError:
        raise
    except Exception as e:  # a non-cxkpi exception is a binding bug: record it so the diff shows it too
        _LINES[idx] = [f"{name}\terror\tpython:{type(e).__name__}"]
        raise
    _LINES[idx] = tsv_lines(name, result)
    assert "error" not in case, f"expected error {case['error']['kind']}, got a result"
    leaves: List[Tuple[str, Any]] = []
    flatten("", result, leaves)
    flat = dict(leaves)
    problems = []
    for key, exp in (case.get("expect") or {}).items():
        msg = check(exp, flat.get(key), key in flat, tol)
        if msg:
            problems.append(f"{key}: {msg}")
    assert not problems, "; ".join(problems)


def test_corpus_is_complete() -> None:
    """Every corpus file GOLDEN.md lists exists and has cases, and every error kind is exercised."""
    present = {p.stem for p in GOLDEN_DIR.glob("*.json")}
    missing = [f for f in REQUIRED_FILES if f not in present]
    assert not missing, f"golden files missing: {missing}"
    assert CASES, "no golden cases"
    kinds = {c["error"]["kind"] for _, _, c in CASES if "error" in c}
    assert not [k for k in ERROR_KINDS if k not in kinds], f"error kinds without a golden case: {sorted(set(ERROR_KINDS) - kinds)}"


def test_weighting_corpus_is_complete() -> None:
    """tests/golden/weighting has a file with cases for every weighting function, and the four weighting error
    kinds are exercised. Loud on purpose: a missing or empty directory fails here instead of running nothing."""
    assert WEIGHTING_DIR.is_dir(), f"weighting golden corpus missing: {WEIGHTING_DIR} does not exist"
    present = {p.stem for p in WEIGHTING_DIR.glob("*.json")}
    assert present, f"weighting golden corpus empty: no *.json in {WEIGHTING_DIR}"
    missing = [f for f in WEIGHTING_FILES if f not in present]
    assert not missing, f"weighting golden files missing: {missing}"
    weighting = [(fn, c) for f, fn, c in CASES if f.startswith("weighting/")]
    empty = [f for f in WEIGHTING_FILES if not any(fn == f for fn, _ in weighting)]
    assert not empty, f"weighting golden files without cases: {empty}"
    kinds = {c["error"]["kind"] for _, c in weighting if "error" in c}
    lacking = [k for k in WEIGHTING_ERROR_KINDS if k not in kinds]
    assert not lacking, f"weighting error kinds without a golden case: {lacking}"


def test_case_names_unique() -> None:
    names = [f"{function}/{c['name']}" for _, function, c in CASES]
    dupes = sorted({n for n in names if names.count(n) > 1})
    assert not dupes, f"duplicate case names (the TSV is keyed by function/name): {dupes}"
    assert all(re.fullmatch(r"[^\t\n]+", n) for n in names)
