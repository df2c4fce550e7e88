"""Plumbing for a golden family of its own: ``tests/golden/<family>/*.json`` run through a family runner, the
results written to ``<target>/golden-out/python-<family>.tsv`` (tests/golden_diff.py merges every
``python*.tsv`` and compares it bit for bit with Rust and Node).

A family's test file (``tests/test_golden_<family>.py``) is three statements::

    from golden_family import family_test
    def run(function, inp): ...            # one case through the public Python API, a dict back
    test_case, _write_tsv = family_test("incentive", run, default_tol=1e-12)
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Tuple

import pytest

import cxkpi
from golden_runner import GOLDEN_DIR, REPO, CaseError, check, flatten, tsv_lines

Runner = Callable[[str, Dict[str, Any]], Any]


def family_cases(family: str) -> List[Tuple[str, Dict[str, Any]]]:
    """(function, case) of every case of tests/golden/<family>/*.json, in file order."""
    out = []
    for path in sorted((GOLDEN_DIR / family).glob("*.json")):
        doc = json.loads(path.read_text())
        out += [(doc["function"], case) for case in doc["cases"]]
    return out


def run_case(function: str, case: Dict[str, Any], runner: Runner, default_tol: float) -> List[str]:
    """Runs one case, returns its TSV lines; raises AssertionError (after recording the lines) on a mismatch."""
    name = f"{function}/{case['name']}"
    tol = float(case.get("tolerance", default_tol))
    try:
        result = runner(function, case["input"])
    except cxkpi.CxkpiError as e:
        want = case.get("error")
        lines = [f"{name}\terror\t{e.kind}"]
        if want is None or e.kind != want["kind"]:
            raise CaseFailure(lines, f"expected {want and want['kind'] or 'a result'}, got error {e.kind} ({e})")
        return lines
    except CaseError:
        raise
    except Exception as e:  # a non-cxkpi exception is a binding bug: record it so the diff shows it too
        raise CaseFailure([f"{name}\terror\tpython:{type(e).__name__}"], repr(e)) from e
    lines = tsv_lines(name, result)
    if "error" in case:
        raise CaseFailure(lines, f"expected error {case['error']['kind']}, got a result")
    leaves: List[Tuple[str, Any]] = []
    flatten("", result, leaves)
    flat = dict(leaves)
    problems = []
    for key, exp in (case.get("expect") or {}).items():
        msg = check(exp, flat.get(key), key in flat, tol)
        if msg:
            problems.append(f"{key}: {msg}")
    if problems:
        raise CaseFailure(lines, "; ".join(problems))
    return lines


class CaseFailure(AssertionError):
    def __init__(self, lines: List[str], msg: str) -> None:
        super().__init__(msg)
        self.lines = lines


def family_test(family: str, runner: Runner, default_tol: float = 1e-12) -> Tuple[Any, Any]:
    """The parametrised test over every case of the family and the module fixture that writes its TSV."""
    cases = family_cases(family)
    lines: Dict[int, List[str]] = {}

    @pytest.fixture(scope="module", autouse=True)
    def _write_tsv() -> Iterator[None]:
        yield
        target = os.environ.get("CARGO_TARGET_DIR")
        out = (Path(target) if target else REPO / "target") / "golden-out"
        out.mkdir(parents=True, exist_ok=True)
        text = "".join(line + "\n" for i in sorted(lines) for line in lines[i])
        (out / f"python-{family}.tsv").write_text(text)

    ids = [f"{family}:{fn}/{c['name']}" for fn, c in cases] or ["empty"]

    @pytest.mark.parametrize("idx", range(len(cases)) if cases else [None], ids=ids)
    def test_case(idx: Any) -> None:
        assert idx is not None, f"no golden cases in {GOLDEN_DIR / family}"
        function, case = cases[idx]
        try:
            lines[idx] = run_case(function, case, runner, default_tol)
        except CaseFailure as f:
            lines[idx] = f.lines
            raise

    return test_case, _write_tsv
