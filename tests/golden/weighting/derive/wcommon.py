"""Helpers for the cxkpi weighting golden cases (tests/golden/weighting/*.json).

Expected numbers come from R survey (run through Rscript) or from hand formulas coded here with numpy /
exact fractions.  Nothing here imports cxkpi.
"""
import json
import math
import os
import subprocess

import numpy as np

# default: the folder above derive/, i.e. tests/golden/weighting/
OUT_DIR = os.environ.get("GOLDEN_OUT", os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LOG = []          # cross-check notes, written to derive_log.txt


def R_raw(code):
    res = subprocess.run(["Rscript", "--vanilla", "-e", code], capture_output=True, text=True)
    if res.returncode != 0:
        raise RuntimeError(f"R failed: {res.stderr}\n--- code ---\n{code[:3000]}")
    return res.stdout, res.stderr


PRELUDE = ('suppressMessages(library(survey)); data(api);'
           'out <- function(...) cat(sprintf("%.17g", c(...)), sep="\\n");'
           'apistrat$one <- 1;'
           'apistrat$enrollbin <- cut(apistrat$enroll, c(0,300,500,800,Inf), right=FALSE);'
           'pp <- subset(apipop, !is.na(enroll));'
           'pp$enrollbin <- cut(pp$enroll, c(0,300,500,800,Inf), right=FALSE);')


def R(code, allow_warning=False):
    """Run R code that prints numbers with out(...); return floats. Fails on any R warning unless allowed."""
    txt, err = R_raw(PRELUDE + code)
    if ("Warning" in err or "warning" in err) and not allow_warning:
        raise RuntimeError(f"R warned: {err}\n--- code ---\n{code[:3000]}")
    return [float(t) for t in txt.split()]


def R_try(code):
    """Run R code inside tryCatch; return ('ok', floats, warnings) or ('error', message, warnings)."""
    wrapped = ('res <- tryCatch({' + code + '; "OK"}, error=function(e) paste("RERROR:", conditionMessage(e)));'
               'cat(res, "\\n")')
    txt, err = R_raw(PRELUDE + wrapped)
    if "RERROR:" in txt:
        return "error", txt[txt.index("RERROR:"):].strip(), err.strip()
    toks = txt.split()
    assert toks[-1] == "OK", txt
    return "ok", [float(t) for t in toks[:-1]], err.strip()


_V = None


def versions():
    global _V
    if _V is None:
        txt, _ = R_raw('suppressMessages(library(survey)); cat(paste(R.version$major, R.version$minor, sep="."),'
                       'as.character(packageVersion("survey")), as.character(packageVersion("MASS")), "\\n")')
        _V = txt.split()
    return _V


def SURVEY():
    r, s, _ = versions()
    return f"R {r} survey {s}"


def rvec(xs):
    return "c(" + ",".join(repr(float(x)) for x in xs) + ")"


def rint(xs):
    return "c(" + ",".join(str(int(x)) for x in xs) + ")"


def num(x):
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def weights_expect(w, prefix="weights"):
    return {f"{prefix}.{i}": num(v) for i, v in enumerate(w)}


QPROBS = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99]


def diagnostics(w, prefix=""):
    """WEIGHTING.md WeightDiagnostics by hand (numpy): kish_n=(Σw)²/Σw², deff=nΣw²/(Σw)², type-7 quantiles."""
    w = np.asarray(w, dtype=float)
    n = len(w)
    s = math.fsum(w)
    s2 = math.fsum(w * w)
    d = {"n": n, "sum": s, "mean": s / n, "min": float(w.min()), "max": float(w.max()),
         "ratio": float(w.max() / w.min()), "kish_n": s * s / s2, "deff_kish": n * s2 / (s * s)}
    q = np.quantile(w, QPROBS, method="linear")
    for k, v in enumerate(q):
        d[f"quantiles.{k}"] = float(v)
    return {prefix + k: (v if isinstance(v, int) else num(v)) for k, v in d.items()}


def case(name, inp, expect=None, tol=None, source="", error=None):
    c = {"name": name, "input": inp}
    if error is not None:
        c["error"] = {"kind": error}
    else:
        c["expect"] = expect
        c["tolerance"] = tol
    c["source"] = source
    return c


def write(function, description, cases):
    names = [c["name"] for c in cases]
    assert len(names) == len(set(names)), "duplicate case names"
    os.makedirs(OUT_DIR, exist_ok=True)
    path = os.path.join(OUT_DIR, f"{function}.json")
    with open(path, "w") as fh:
        json.dump({"function": function, "description": description, "cases": cases}, fh, indent=1,
                  allow_nan=False)
        fh.write("\n")
    return len(cases)


# ---------------------------------------------------------------- independent numpy references (cross-checks)

def cells(codes):
    codes = [np.asarray(c, dtype=int) for c in codes]
    key = np.stack(codes, axis=1)
    uniq, inv = np.unique(key, axis=0, return_inverse=True)
    return uniq, inv.ravel()


def margin_rel_err(codes, targets, w):
    e = 0.0
    for c, t in zip(codes, targets):
        t = np.asarray(t, float)
        tot = np.bincount(np.asarray(c), weights=w, minlength=len(t))
        m = t > 0
        e = max(e, float(np.max(np.abs(tot[m] - t[m]) / t[m])))
    return e


def ipf_at_tolerance(codes, targets, base=None, tol=1e-10):
    """IPF stopped at cxkpi's default rule (max relative margin error <= tol after a sweep).
    Returns (weights, sweeps).  tol=1e-14 gives an essentially converged answer for cross-checking R."""
    n = len(codes[0])
    w = np.ones(n) if base is None else np.asarray(base, dtype=float).copy()
    prev = None
    for sweep in range(1, 100001):
        for c, t in zip(codes, targets):
            c = np.asarray(c)
            t = np.asarray(t, float)
            tot = np.bincount(c, weights=w, minlength=len(t))
            f = np.divide(t, tot, out=np.zeros_like(t), where=tot > 0)
            w = w * f[c]
        e = margin_rel_err(codes, targets, w)
        if e <= tol or (prev is not None and sweep > 200 and e >= prev):
            return w, sweep
        prev = e
    raise RuntimeError("no convergence")


def greg_linear(codes, levels, totals_by_level, base):
    """Closed-form linear calibration with x = [1, indicators of levels 1..L-1]; numpy lstsq solve."""
    n = len(codes[0])
    cols = [np.ones(n)]
    T = [sum(totals_by_level[0])]
    for c, L, t in zip(codes, levels, totals_by_level):
        for l in range(1, L):
            cols.append((np.asarray(c) == l).astype(float))
            T.append(t[l])
    X = np.stack(cols, axis=1)
    d = np.asarray(base, float)
    M = X.T @ (X * d[:, None])
    lam = np.linalg.solve(M, np.asarray(T) - X.T @ d)
    return d * (1 + X @ lam)


def design_matrix(codes, levels):
    """x = [1, indicators of levels 1..L-1 of each variable] (R model.matrix treatment contrasts)."""
    n = len(codes[0])
    cols = [np.ones(n)]
    for c, L in zip(codes, levels):
        c = np.asarray(c)
        for l in range(1, L):
            cols.append((c == l).astype(float))
    return np.stack(cols, axis=1)


def totals_vector(targets):
    """Population totals for design_matrix: N, then targets of levels 1..L-1 of each variable."""
    T = [math.fsum(targets[0])]
    for t in targets:
        T.extend(t[1:])
    return np.asarray(T, float)


def F_dist(u, distance, lo, hi):
    """g = F(u) and dF/du, as R survey cal.linear / cal.raking / cal.logit (with bounds)."""
    if distance == "linear":
        g = 1 + u
        d = np.ones_like(u)
    elif distance == "raking":
        g = np.exp(u)
        d = g.copy()
    elif distance == "logit":
        A = (hi - lo) / ((1 - lo) * (hi - 1))
        e = np.exp(A * u)
        g = (lo * (hi - 1) + hi * (1 - lo) * e) / ((hi - 1) + (1 - lo) * e)
        # derivative of the logit F: dg/du = A (g-L)(U-g)/(U-L)
        d = A * (g - lo) * (hi - g) / (hi - lo)
        return g, d
    else:
        raise ValueError(distance)
    if lo is not None:
        inside = (g > lo) & (g < hi)
        g = np.clip(g, lo, hi)
        d = np.where(inside, d, 0.0)
    return g, d


def calibrate_numpy(X, base, T, distance, lo=None, hi=None, tol=1e-15, maxit=500):
    """Independent calibration solver: Newton on lambda with step halving on ||residual|| (numpy pinv).
    Returns g (None if it fails to reach tol)."""
    lam = np.zeros(X.shape[1])
    def resid(lam):
        g, d = F_dist(X @ lam, distance, lo, hi)
        return T - X.T @ (base * g), g, d
    r, g, d = resid(lam)
    for it in range(maxit):
        H = X.T @ (X * (base * d)[:, None])
        step = np.linalg.pinv(H) @ r
        t = 1.0
        nr = np.linalg.norm(r)
        while True:
            r2, g2, d2 = resid(lam + t * step)
            if np.linalg.norm(r2) < nr or t < 1e-12:
                break
            t /= 2
        lam = lam + t * step
        r, g, d = r2, g2, d2
        if np.max(np.abs(r) / (1 + np.abs(T))) < tol:
            return g
        if t < 1e-12:
            return None
    return None


def H_dist(u, distance, lo, hi):
    """Antiderivative of F (up to a constant): the dual objective is sum d_i H(x_i'lam) - lam'T."""
    if distance == "logit":
        A = (hi - lo) / ((1 - lo) * (hi - 1))
        a, b = hi - 1, 1 - lo
        # L u + (U-L)/A log(a + b e^{Au}), written stably
        z = A * u
        return lo * u + (hi - lo) / A * (np.logaddexp(np.log(a), np.log(b) + z))
    if distance == "linear":
        z = 1 + u
        if lo is None:
            return z * z / 2
        zl = np.minimum(z, lo)
        zm = np.clip(z, lo, hi)
        zh = np.maximum(z, hi)
        return lo * zl + (zm * zm - lo * lo) / 2 + hi * (zh - hi)
    if distance == "raking":
        if lo is None:
            return np.exp(u)
        ul, uh = np.log(lo), np.log(hi)
        return lo * np.minimum(u, ul) + (np.exp(np.clip(u, ul, uh)) - lo) + hi * (np.maximum(u, uh) - uh)
    raise ValueError(distance)


def calibrate_dual(X, base, T, distance, lo=None, hi=None, tol=1e-15, maxit=2000):
    """Second independent solver: Newton on the convex dual objective with Armijo backtracking on the objective
    (Hessian regularised when singular). Returns g or None."""
    lam = np.zeros(X.shape[1])
    def obj(lam):
        u = X @ lam
        return float(np.sum(base * H_dist(u, distance, lo, hi)) - lam @ T)
    for it in range(maxit):
        u = X @ lam
        g, d = F_dist(u, distance, lo, hi)
        grad = X.T @ (base * g) - T
        if np.max(np.abs(grad) / (1 + np.abs(T))) < tol:
            return g
        Hm = X.T @ (X * (base * d)[:, None])
        Hm = Hm + 1e-12 * np.trace(Hm) / len(T) * np.eye(len(T))
        step = -np.linalg.solve(Hm, grad)
        f0 = obj(lam)
        t = 1.0
        while obj(lam + t * step) > f0 + 1e-4 * t * (grad @ step) and t > 1e-14:
            t /= 2
        if t <= 1e-14:
            step = -grad
            t = 1.0
            while obj(lam + t * step) > f0 - 1e-4 * t * (grad @ grad) and t > 1e-20:
                t /= 2
        lam = lam + t * step
    return None
