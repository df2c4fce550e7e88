"""calibrate.json: R survey::calibrate (linear / raking / logit, with and without bounds)."""
import math

import numpy as np
from scipy.optimize import linprog

from apidata import api, LEVELS
from rhelp import CTRL, r_data, r_data_desc, r_margins, r_formulas
from synth import cx_survey, N, SEG_SHARE, REG_SHARE, CHAN_SHARE
from wcommon import (R, R_try, SURVEY, LOG, case, write, weights_expect, rvec, design_matrix, totals_vector,
                     calibrate_numpy, calibrate_dual, ipf_at_tolerance, diagnostics)

TOL = 1e-9
TOL_BOUNDED = 1e-8


def as_negative_weight_error(c):
    """cxkpi refuses negative calibrated weights (no estimator of the library accepts them) with an
    `infeasible` error that says to bound the adjustment or change the distance; R's weights stay in the source."""
    c = dict(c)
    expect = c.pop("expect")
    c.pop("tolerance", None)
    c["error"] = {"kind": "infeasible"}
    c["source"] += (" cxkpi refuses negative calibrated weights (error infeasible, naming the cell and advising "
                    f"bounds or another distance); R's weights: {[expect[f'weights.{i}'] for i in range(6)]}.")
    return c


def rbounds(b):
    return f"c({b[0]!r}, {b[1]!r})"


def r_cal_args(distance, bounds, weight_bounds):
    a = ""
    if distance != "linear" or bounds or weight_bounds:
        a += f', calfun="{distance}"'
    if bounds:
        a += f", bounds={rbounds(bounds)}"
    if weight_bounds:
        a += f", bounds={rbounds(weight_bounds)}, bounds.const=TRUE"
    if distance != "linear" or bounds or weight_bounds:
        a += ", epsilon=1e-12, maxit=1000"
    return a


def xcheck(name, codes, levels, targets, base, distance, bounds, weight_bounds, w_r):
    X = design_matrix(codes, levels)
    T = totals_vector(targets)
    b = np.ones(len(codes[0])) if base is None else np.asarray(base, float)
    lo = hi = None
    if bounds:
        lo, hi = bounds
    if weight_bounds:
        lo, hi = weight_bounds[0] / b, weight_bounds[1] / b
    dd = math.inf
    for solver in (calibrate_numpy, calibrate_dual):
        g = solver(X, b, T, distance, lo, hi, tol=1e-13)
        if g is not None:
            dd = min(dd, float(np.max(np.abs(b * g - np.asarray(w_r)) / np.abs(np.asarray(w_r)))))
    res = float(np.max(np.abs(X.T @ np.asarray(w_r) - T) / T))
    LOG.append(f"calibrate {name}: R totals max rel err {res:.2e}; |R - numpy Newton| max rel {dd:.2e}; "
               f"g range [{np.min(np.asarray(w_r) / b):.6g}, {np.max(np.asarray(w_r) / b):.6g}]")
    assert dd < 1e-10, (name, dd)
    if bounds:
        gr = np.asarray(w_r) / b
        nlo = int(np.sum(np.abs(gr - bounds[0]) < 1e-9))
        nhi = int(np.sum(np.abs(gr - bounds[1]) < 1e-9))
        LOG.append(f"   {nlo} rows at the lower bound, {nhi} at the upper")
        return nlo, nhi
    if weight_bounds:
        wr = np.asarray(w_r)
        nlo = int(np.sum(np.abs(wr - weight_bounds[0]) < 1e-9))
        nhi = int(np.sum(np.abs(wr - weight_bounds[1]) < 1e-9))
        LOG.append(f"   {nlo} rows at the lower weight bound, {nhi} at the upper")
    return None


def api_case(name, vars_, pop, distance="linear", bounds=None, weight_bounds=None, shares=None, note="", diag=False):
    d = api()
    codes = [d[v] for v in vars_]
    levels = [len(LEVELS[v]) for v in vars_]
    popd = d["pop"] if pop == "apipop" else d["pp"]
    targets = [popd[v] for v in vars_]
    T = totals_vector(targets)
    f = "~" + "+".join(vars_)
    pre = ("apistrat$enrollbin <- cut(apistrat$enroll, c(0,300,500,800,Inf), right=FALSE); " if "enrollbin" in vars_ else "")
    popexpr = f"pop <- {rvec(T)}; names(pop) <- colnames(model.matrix({f}, apistrat)); "
    call = (f"des <- svydesign(ids=~1, weights=~pw, data=apistrat); {popexpr}"
            f"cal <- calibrate(des, {f}, pop{r_cal_args(distance, bounds, weight_bounds)}); out(weights(cal))")
    w = R(call + ";")
    xcheck(name, codes, levels, targets, d["pw"], distance, bounds, weight_bounds, w)
    inp = {"codes": codes, "targets": targets, "base": d["pw"], "distance": distance}
    if shares:
        inp["targets"] = [[x / shares for x in t] for t in targets]
        inp["targets_as"] = "shares"
        inp["population"] = shares
    if bounds:
        inp["bounds"] = list(bounds)
    if weight_bounds:
        inp["weight_bounds"] = list(weight_bounds)
    exp = {"status": "converged", **weights_expect(w)}
    if diag:
        exp.update(diagnostics(w, "diagnostics."))
    src = (f"{SURVEY()}: data(api); {pre}{call.replace('out(weights(cal))', 'weights(cal)')}. "
           f"codes = as.integer(apistrat$<var>)-1; targets = the per-level population counts "
           f"({'apipop' if pop == 'apipop' else 'apipop rows with non-missing enroll, N=6157'}); "
           f"pop = (Intercept)=N then the counts of levels 2..L of each variable. {note}").strip()
    tol = TOL_BOUNDED if (bounds or weight_bounds or distance == "logit") else TOL
    return case(name, inp, exp, tol, src)


def synth_case(name, names, codes, levels, targets, base, distance="linear", bounds=None, weight_bounds=None,
               inp_targets=None, extra=None, note="", expect_w=None, src_override=None, r_fails=False):
    T = totals_vector(targets)
    f = "~" + "+".join(names)
    popexpr = f"pop <- {rvec(T)}; names(pop) <- colnames(model.matrix({f}, d)); "
    call = f"{popexpr}cal <- calibrate(des, {f}, pop{r_cal_args(distance, bounds, weight_bounds)}); out(weights(cal))"
    if r_fails:
        st, rmsg, rwarn = R_try(r_data(names, codes, levels, base) + call.replace("; out(weights(cal))", ""))
        assert st == "error", (name, rmsg)
        w = numpy_solution(name, codes, levels, targets, base, distance, bounds, weight_bounds)
    else:
        w = R(r_data(names, codes, levels, base) + call + ";", allow_warning=(base is None and distance != "linear"))
        xcheck(name, codes, levels, targets, base, distance, bounds, weight_bounds, w)
    inp = {"codes": [list(map(int, c)) for c in codes], "targets": inp_targets or targets, "distance": distance}
    if base is not None:
        inp["base"] = list(map(float, base))
    if bounds:
        inp["bounds"] = list(bounds)
    if weight_bounds:
        inp["weight_bounds"] = list(weight_bounds)
    inp.update(extra or {})
    src = (f"{SURVEY()}: {r_data_desc(names, levels, base is not None)}; pop <- c(N, targets of levels 2..L of "
           f"each variable) = {list(map(float, T))}; names(pop) <- colnames(model.matrix({f}, d)); "
           f"cal <- calibrate(des, {f}, pop{r_cal_args(distance, bounds, weight_bounds)}); weights(cal). {note}").strip()
    if r_fails:
        src = (f"numpy (derive/wcommon.py): Newton on the calibration equations with step halving on ||residual|| "
               f"(calibrate_numpy) and Newton on the convex dual objective with Armijo backtracking (calibrate_dual) "
               f"agree to {LOG[-1].split('agree to ')[1]}. R FAILS here: " + src.replace("weights(cal).", "")
               + f" stops with '{rmsg[8:].strip()}' after '{warn_line(rwarn)}' (R's grake takes full Newton steps "
               "from g = 1 with no line search).")
    if expect_w is not None:
        dd = max(abs(a - b) / abs(b) for a, b in zip(w, expect_w))
        LOG.append(f"calibrate {name}: R calibrate vs expect (R rake) max rel diff {dd:.2e}")
        assert dd < 1e-10
        w = expect_w
        src = src_override + f" Cross-check: {src} agrees to {dd:.1e}."
    tol = TOL_BOUNDED if (bounds or weight_bounds or distance == "logit") else TOL
    return case(name, inp, {"status": "converged", **weights_expect(w)}, tol, src)


def numpy_solution(name, codes, levels, targets, base, distance, bounds, weight_bounds):
    X = design_matrix(codes, levels)
    T = totals_vector(targets)
    b = np.ones(len(codes[0])) if base is None else np.asarray(base, float)
    lo = hi = None
    if bounds:
        lo, hi = bounds
    if weight_bounds:
        lo, hi = weight_bounds[0] / b, weight_bounds[1] / b
    g1 = calibrate_numpy(X, b, T, distance, lo, hi, tol=1e-14)
    g2 = calibrate_dual(X, b, T, distance, lo, hi, tol=1e-14)
    assert g1 is not None and g2 is not None, name
    dd = float(np.max(np.abs(g1 - g2) / np.abs(g2)))
    assert dd < 1e-12
    res = float(np.max(np.abs(X.T @ (b * g2) - T) / T))
    LOG.append(f"calibrate {name}: R fails; numpy solvers agree to {dd:.1e}; totals max rel err {res:.1e}")
    return list(b * g2)


def feasible(codes, levels, targets, base, lo, hi):
    """LP: is there g in [lo, hi] with sum base*g*x = T?"""
    X = design_matrix(codes, levels)
    T = totals_vector(targets)
    b = np.asarray(base, float)
    A = (X * b[:, None]).T
    res = linprog(np.zeros(len(b)), A_eq=A, b_eq=T, bounds=[(lo, hi)] * len(b), method="highs")
    return res.status == 0, res.message


def cases():
    d = api()
    out = []
    S = SURVEY()
    out.append(api_case("api_pw_linear_stype_schwide", ["stype", "sch.wide"], "apipop",
                        note="calfun linear without bounds: R's closed-form regcalibrate (GREG).", diag=True))
    out.append(api_case("api_pw_linear_3vars", ["stype", "sch.wide", "awards"], "apipop"))
    out.append(api_case("api_pw_linear_4vars", ["stype", "sch.wide", "enrollbin", "awards"], "pp",
                        note="Unbounded linear g ranges over [0.558, 1.384]."))
    out.append(api_case("api_pw_linear_4vars_shares", ["stype", "sch.wide", "enrollbin", "awards"], "pp",
                        shares=6157.0, note="Same as api_pw_linear_4vars with targets given as shares "
                                            "(count/6157) and population 6157."))
    out.append(api_case("api_pw_raking_4vars", ["stype", "sch.wide", "enrollbin", "awards"], "pp", "raking",
                        note="Unbounded raking calibration = raking (IPF) fixed point."))
    out.append(api_case("api_pw_linear_bounds_4vars", ["stype", "sch.wide", "enrollbin", "awards"], "pp", "linear",
                        bounds=(0.7, 1.3), note="Truncated linear (R grake Newton)."))
    out.append(api_case("api_pw_raking_bounds_4vars", ["stype", "sch.wide", "enrollbin", "awards"], "pp", "raking",
                        bounds=(0.7, 1.3), note="Truncated raking (R grake Newton)."))
    out.append(api_case("api_pw_logit_4vars", ["stype", "sch.wide", "enrollbin", "awards"], "pp", "logit",
                        bounds=(0.5, 1.6)))
    out.append(api_case("api_pw_logit_tight_4vars", ["stype", "sch.wide", "enrollbin", "awards"], "pp", "logit",
                        bounds=(0.7, 1.3), diag=True))
    out.append(api_case("api_pw_logit_stype_schwide", ["stype", "sch.wide"], "apipop", "logit", bounds=(0.99, 1.01)))
    # ---- synthetic sparse survey
    seg, reg, chan, base = cx_survey()
    seg, reg, chan, base = [list(map(int, seg)), list(map(int, reg)), list(map(int, chan)), list(map(float, base))]
    names = ["segment", "region", "channel"]
    Tc = [[float(round(s * N)) for s in SEG_SHARE], [float(round(s * N)) for s in REG_SHARE],
          [float(round(s * N)) for s in CHAN_SHARE]]
    sparse = ("Synthetic CX survey (derive/synth.py), n=150; segment 3 has 3 respondents (2%) and 14% of the "
              "population.")
    out.append(synth_case("cx_sparse_linear_unweighted", names, [seg, reg, chan], [4, 4, 3], Tc, None,
                          note=sparse + " R's calibrate(calfun='linear') succeeds here (closed form; all weights "
                                        "positive, min 23.7)."))
    # raking distance on the sparse case: expect from R rake (brief), cross-checked with R calibrate raking
    wr = R(r_data(names, [seg, reg, chan], [4, 4, 3], None) +
           f"r <- rake(des, {r_formulas(names)}, {r_margins(names, Tc)}, {CTRL}); out(weights(r));")
    out.append(synth_case("cx_sparse_raking_unweighted", names, [seg, reg, chan], [4, 4, 3], Tc, None, "raking",
                          expect_w=wr,
                          src_override=f"{S}: {r_data_desc(names, [4, 4, 3], False)}; r <- rake(des, "
                                       f"{r_formulas(names)}, list(data.frame(segment=factor(0:3), Freq=targets[[1]]), "
                                       f"data.frame(region=factor(0:3), Freq=targets[[2]]), data.frame(channel=factor(0:2), "
                                       f"Freq=targets[[3]])), {CTRL}); weights(r). {sparse} (R calibrate rescales the unit "
                                       f"weights by mean(pop/sample totals) because that is > 20; harmless without bounds.)"))
    sb = math.fsum(base)
    shares = [SEG_SHARE, REG_SHARE, CHAN_SHARE]
    Tb = [[s * sb for s in sh] for sh in shares]
    sh_note = f"targets_as shares, population defaults to sum(base) = {sb!r}; R totals = share*sum(base). "
    out.append(synth_case("cx_base_linear_shares", names, [seg, reg, chan], [4, 4, 3], Tb, base, inp_targets=shares,
                          extra={"targets_as": "shares"}, note=sparse + " " + sh_note))
    out.append(synth_case("cx_base_raking_bounds", names, [seg, reg, chan], [4, 4, 3], Tb, base, "raking",
                          bounds=(0.35, 8.0), inp_targets=shares, extra={"targets_as": "shares"},
                          note=sparse + " " + sh_note + "Unbounded raking g ranges over [0.305, 7.885]."))
    out.append(synth_case("cx_base_linear_bounds", names, [seg, reg, chan], [4, 4, 3], Tb, base, "linear",
                          bounds=(0.25, 9.0), inp_targets=shares, extra={"targets_as": "shares"},
                          note=sparse + " " + sh_note + "Unbounded linear g ranges over [0.048, 7.18]."))
    out.append(synth_case("cx_base_logit", names, [seg, reg, chan], [4, 4, 3], Tb, base, "logit",
                          bounds=(0.35, 8.0), inp_targets=shares, extra={"targets_as": "shares"}, r_fails=True,
                          note=sparse + " " + sh_note))
    out.append(synth_case("cx_base_linear_weight_bounds", names, [seg, reg, chan], [4, 4, 3], Tb, base, "linear",
                          weight_bounds=(0.25, 12.0), inp_targets=shares, extra={"targets_as": "shares"},
                          note=sparse + " " + sh_note + "weight_bounds are bounds on w itself: R bounds.const=TRUE "
                                                        "(R divides them by the design weights, giving per-row g bounds)."))
    out.append(synth_case("cx_base_logit_region_channel", ["region", "channel"], [reg, chan], [4, 3], Tb[1:], base,
                          "logit", bounds=(0.6, 2.2), inp_targets=shares[1:], extra={"targets_as": "shares"},
                          note=sh_note + "Unbounded raking g ranges over [0.585, 2.287]."))
    # linear calibration with negative weights (GREG allows them; R returns them)
    hc = [[0, 0, 0, 1, 1, 1], [0, 1, 1, 0, 0, 1]]
    ht = [[20.0, 80.0], [20.0, 80.0]]
    neg = synth_case("hand_linear_negative_weight", ["a", "b"], hc, [2, 2], ht, None,
                     note="Tiny design where unbounded linear (GREG) calibration gives a negative weight; R "
                          "returns it. By hand: w = (-40/3, 50/3, 50/3, 50/3, 50/3, 140/3) (g = 1 + l0 + l1*a + l2*b "
                          "with l0 = -43/3, l1 = l2 = 30).")
    out.append(as_negative_weight_error(neg))
    # ---- errors
    v4 = ["stype", "sch.wide", "enrollbin", "awards"]
    codes4 = [d[v] for v in v4]
    t4 = [d["pp"][v] for v in v4]
    ok, msg = feasible(codes4, [3, 2, 4, 2], t4, d["pw"], 0.95, 1.05)
    assert not ok, msg
    call = ("des <- svydesign(ids=~1, weights=~pw, data=apistrat); "
            f"pop <- {rvec(totals_vector(t4))}; names(pop) <- colnames(model.matrix(~stype+sch.wide+enrollbin+awards, apistrat)); "
            "cal <- calibrate(des, ~stype+sch.wide+enrollbin+awards, pop, calfun=\"linear\", bounds=c(0.95, 1.05), "
            "epsilon=1e-12, maxit=1000)")
    st, rmsg, rwarn = R_try("apistrat$enrollbin <- cut(apistrat$enroll, c(0,300,500,800,Inf), right=FALSE); " + call)
    assert st == "error", rmsg
    LOG.append(f"calibrate error_infeasible_bounds: LP says infeasible ({msg}); R: {rmsg} / {rwarn[:200]}")
    out.append(case("error_infeasible_bounds", {"codes": codes4, "targets": t4, "base": d["pw"], "distance": "linear",
                                                "bounds": [0.95, 1.05]}, error="infeasible",
                    source=f"scipy linprog(method='highs'): no g in [0.95, 1.05] meets the totals ('{msg}'). "
                           f"{S}: data(api); apistrat$enrollbin <- cut(apistrat$enroll, c(0,300,500,800,Inf), right=FALSE); {call} stops with '{rmsg[8:].strip()}' after warning '{warn_line(rwarn)}'."))
    ok, msg = feasible(codes4, [3, 2, 4, 2], t4, d["pw"], 0.9, 1.1)
    assert not ok, msg
    call2 = call.replace('calfun=\"linear\", bounds=c(0.95, 1.05)', 'calfun=\"logit\", bounds=c(0.9, 1.1)')
    st, rmsg, rwarn = R_try("apistrat$enrollbin <- cut(apistrat$enroll, c(0,300,500,800,Inf), right=FALSE); " + call2)
    assert st == "error", rmsg
    LOG.append(f"calibrate error_infeasible_logit: LP infeasible; R: {rmsg} / {rwarn[:200]}")
    out.append(case("error_infeasible_logit", {"codes": codes4, "targets": t4, "base": d["pw"], "distance": "logit",
                                               "bounds": [0.9, 1.1]}, error="infeasible",
                    source=f"scipy linprog(method='highs'): no g in [0.9, 1.1] meets the totals. {S}: data(api); "
                           f"apistrat$enrollbin <- cut(apistrat$enroll, c(0,300,500,800,Inf), right=FALSE); {call2} stops "
                           f"with '{rmsg[8:].strip()}' after warning '{warn_line(rwarn)}'."))
    ok, msg = feasible([seg, reg, chan], [4, 4, 3], Tb, base, 0.35, 7.0)
    assert not ok, msg
    seg3 = [i for i in range(len(seg)) if seg[i] == 3]
    need = Tb[0][3] / math.fsum(base[i] for i in seg3)
    st, rmsg, rwarn = R_try(r_data(names, [seg, reg, chan], [4, 4, 3], base) +
                            f"pop <- {rvec(totals_vector(Tb))}; names(pop) <- colnames(model.matrix(~segment+region+channel, d)); "
                            "cal <- calibrate(des, ~segment+region+channel, pop, calfun='raking', bounds=c(0.35, 7), "
                            "epsilon=1e-12, maxit=1000)")
    assert st == "error", rmsg
    LOG.append(f"calibrate error_infeasible_sparse_level: needs mean g {need:.6f} on segment 3; R: {rmsg}")
    out.append(case("error_infeasible_sparse_level", {"codes": [seg, reg, chan], "targets": shares, "base": base,
                                                      "targets_as": "shares", "distance": "raking",
                                                      "bounds": [0.35, 7.0]}, error="infeasible",
                    source=f"hand: segment 3's 3 respondents carry base {math.fsum(base[i] for i in seg3)!r} but must reach "
                           f"0.14*sum(base) = {Tb[0][3]!r}, a mean g of {need:.6f} > upper bound 7; scipy linprog agrees "
                           f"('{msg}'). {S} calibrate(des, ~segment+region+channel, pop, calfun='raking', bounds=c(0.35, 7), "
                           f"epsilon=1e-12, maxit=1000) stops with '{rmsg[8:].strip()}' after '{warn_line(rwarn)}'."))
    codes2 = [d["stype"], d["sch.wide"]]
    t2 = [d["pop"]["stype"], d["pop"]["sch.wide"]]
    out.append(case("error_unknown_distance", {"codes": codes2, "targets": t2, "base": d["pw"], "distance": "chisq"},
                    error="unknown_method", source="hand: distance must be linear, raking or logit."))
    st, rmsg, _ = R_try("des <- svydesign(ids=~1, weights=~pw, data=apistrat); "
                        "cal <- calibrate(des, ~stype+sch.wide, c(6194, 755, 1018, 5122), calfun='logit')")
    assert st == "error"
    out.append(case("error_logit_without_bounds", {"codes": codes2, "targets": t2, "base": d["pw"], "distance": "logit"},
                    error="invalid_argument",
                    source=f"hand: WEIGHTING.md says bounds are required for logit. {S} calibrate(des, ~stype+sch.wide, "
                           f"c(6194, 755, 1018, 5122), calfun='logit') stops: '{rmsg[8:].strip()}'."))
    out.append(case("error_logit_bounds_exclude_one", {"codes": codes2, "targets": t2, "base": d["pw"],
                                                       "distance": "logit", "bounds": [1.1, 2.0]},
                    error="invalid_argument",
                    source="hand: the logit distance needs L < 1 < U (A = (U-L)/((1-L)(U-1)) is negative otherwise)."))
    out.append(case("error_inconsistent_margins", {"codes": codes2, "targets": [t2[0], [1072.0, 5100.0]],
                                                   "base": d["pw"]}, error="inconsistent_margins",
                    source="hand: stype totals 6194, sch.wide totals 6172. (R calibrate cannot see this: it only "
                           "gets N and the non-reference levels.)"))
    out.append(case("error_empty_level", {"codes": [seg, reg], "targets": [Tc[0], [5400.0, 4600.0, 4400.0, 3600.0, 2000.0]]},
                    error="empty_level", source="hand: region level 4 has no respondents and target 2000."))
    out.append(case("error_out_of_scale_code", {"codes": [seg, chan], "targets": [Tc[0], [12000.0, 8000.0]],
                                                "distance": "raking"},
                    error="out_of_scale", source="hand: channel codes include 2 but only 2 targets are given."))
    return out


def warn_line(w):
    lines = [l.strip() for l in w.splitlines() if l.strip()]
    return " ".join(lines[-1:]) if lines else ""


def run():
    return write("calibrate", "Calibration (Deville-Sarndal) with linear, raking and logit distances", cases())


ALL = [run]
