"""Shared helpers for the cxkpi golden-corpus derivation scripts.

Every expected number is computed here from reference packages (R 4.2 + survey, scipy, statsmodels) or from
hand-coded textbook formulas that do NOT use cxkpi.  Nothing in this folder imports cxkpi.
"""
import json
import math
import os
import subprocess
import sys

import numpy as np
import scipy
import statsmodels
from scipy import stats

OUT_DIR = os.environ.get("GOLDEN_OUT", os.path.join(os.path.dirname(os.path.abspath(__file__)), "out"))

SCIPY = f"scipy {scipy.__version__}"
SM = f"statsmodels {statsmodels.__version__}"
NUMPY = f"numpy {np.__version__}"

_R_VERSION = None
_SURVEY_VERSION = None


def r_versions():
    global _R_VERSION, _SURVEY_VERSION
    if _R_VERSION is None:
        out = R_raw('cat(paste(R.version$major, R.version$minor, sep="."), "\\n");'
                    'suppressMessages(library(survey)); cat(as.character(packageVersion("survey")), "\\n")')
        lines = out.split()
        _R_VERSION, _SURVEY_VERSION = lines[0], lines[1]
    return _R_VERSION, _SURVEY_VERSION


def RV():
    return f"R {r_versions()[0]}"


def SURVEY():
    return f"R {r_versions()[0]} survey {r_versions()[1]}"


def R_raw(code):
    res = subprocess.run(["Rscript", "--vanilla", "-e", code], capture_output=True, text=True)
    if res.returncode != 0:
        raise RuntimeError(f"R failed: {res.stderr}\n--- code ---\n{code}")
    return res.stdout


def R(code):
    """Run R code that ends by printing numbers with out(...); return the list of floats."""
    prelude = (('suppressMessages(library(survey));' if 'svy' in code else '') +
               'out <- function(...) cat(sprintf("%.17g", c(...)), sep="\\n");')
    txt = R_raw(prelude + code)
    return [float(t) for t in txt.split()]


def rvec(xs):
    """An R numeric vector literal (17 significant digits, NaN as NA-free NaN)."""
    parts = []
    for x in xs:
        if isinstance(x, float) and math.isnan(x):
            parts.append("NaN")
        else:
            parts.append(repr(float(x)))
    return "c(" + ",".join(parts) + ")"


def zq(conf):
    """Normal quantile 1-(1-conf)/2 (scipy.stats.norm.ppf)."""
    return float(stats.norm.ppf(1 - (1 - conf) / 2))


def tq(conf, df):
    return float(stats.t.ppf(1 - (1 - conf) / 2, df))


def f(x):
    """Convert numpy scalars to plain Python numbers; NaN/inf to the corpus strings."""
    if x is None or isinstance(x, (bool, str)):
        return x
    if isinstance(x, (int, np.integer)):
        return int(x)
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def clean(obj):
    if isinstance(obj, dict):
        return {k: clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [clean(v) for v in obj]
    return f(obj)


def arr(xs):
    """Input array for JSON: NaN -> "NaN", integral floats written as ints for compactness."""
    out = []
    for x in xs:
        if isinstance(x, str) or x is None:
            out.append(x)
            continue
        x = float(x)
        if math.isnan(x):
            out.append("NaN")
        elif math.isinf(x):
            out.append("Infinity" if x > 0 else "-Infinity")
        elif x == int(x) and abs(x) < 2**53:
            out.append(int(x))
        else:
            out.append(x)
    return out


def case(name, inp, expect, tol, source):
    return {"name": name, "input": clean(inp), "expect": clean(expect), "tolerance": tol, "source": source}


def err(name, inp, kind, source):
    return {"name": name, "input": clean(inp), "error": {"kind": kind}, "source": source}


def close(a, b, tol=1e-12, what=""):
    """Cross-check two independent computations in the derivation itself."""
    if a is None and b is None:
        return
    if abs(a - b) > tol * max(1.0, abs(b)):
        raise AssertionError(f"cross-check failed {what}: {a!r} vs {b!r}")


def write(function, description, cases):
    names = [c["name"] for c in cases]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        raise ValueError(f"duplicate case names in {function}: {dup}")
    os.makedirs(OUT_DIR, exist_ok=True)
    doc = {"function": function, "description": description, "cases": cases}
    txt = _dump(doc)
    # round-trip check: every float parses back to itself
    back = json.loads(txt)
    assert back == json.loads(json.dumps(doc, allow_nan=False))
    with open(os.path.join(OUT_DIR, f"{function}.json"), "w") as fh:
        fh.write(txt + "\n")
    print(f"{function}: {len(cases)} cases", file=sys.stderr)
    return len(cases)


def _dump(obj, ind=0):
    """JSON with dicts indented and lists of scalars on one line; floats via repr (round-trip)."""
    sp = " " * ind
    if isinstance(obj, dict):
        if not obj:
            return "{}"
        if all(not isinstance(v, dict) for v in obj.values()) and all(
                not isinstance(v, list) or all(not isinstance(u, (dict, list)) for u in v) for v in obj.values()):
            one = json.dumps(obj, allow_nan=False)
            if len(one) <= 110:
                return one
        items = [f'{sp} {json.dumps(k)}: {_dump(v, ind + 1)}' for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + sp + "}"
    if isinstance(obj, list):
        if all(not isinstance(v, (dict, list)) for v in obj):
            return "[" + ", ".join(json.dumps(v, allow_nan=False) for v in obj) + "]"
        if all(isinstance(v, list) for v in obj):
            return "[" + ", ".join(_dump(v, ind + 1) for v in obj) + "]"
        items = [sp + " " + _dump(v, ind + 1) for v in obj]
        return "[\n" + ",\n".join(items) + "\n" + sp + "]"
    return json.dumps(obj, allow_nan=False)
