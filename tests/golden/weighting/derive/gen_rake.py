"""rake.json: R survey::rake on apistrat / a seeded synthetic CX survey, plus hand-derived 2x2 cases."""
import math

import numpy as np

from apidata import api
from rhelp import CTRL, r_data, r_data_desc, r_margins, r_margins_desc, r_formulas
from synth import cx_survey, N, SEG_SHARE, REG_SHARE, CHAN_SHARE
from wcommon import (R, SURVEY, LOG, case, write, weights_expect, diagnostics, ipf_at_tolerance,
                     margin_rel_err)

TOL = 1e-9
SLOW_NOTE = (" IPF converges slowly here: stopping at the default tolerance 1e-10 leaves weights up to ~5e-10 "
             "(relative) from the fixed point, so the input sets tolerance=1e-12.")


def check_ipf(name, codes, targets, base, w_r):
    """Cross-check R's weights against numpy IPF (converged, and stopped at cxkpi's default 1e-10 rule)."""
    w_conv, s1 = ipf_at_tolerance(codes, targets, base, tol=1e-14)
    w_def, s2 = ipf_at_tolerance(codes, targets, base, tol=1e-10)
    w_r = np.asarray(w_r)
    d_conv = float(np.max(np.abs(w_conv - w_r) / np.maximum(1, np.abs(w_r))))
    d_def = float(np.max(np.abs(w_def - w_r) / np.abs(w_r)))
    merr = margin_rel_err(codes, targets, w_r)
    LOG.append(f"rake {name}: R margin rel err {merr:.2e}; |R - numpy IPF(1e-14, {s1} sweeps)| {d_conv:.2e}; "
               f"|R - IPF stopped at 1e-10 ({s2} sweeps)| {d_def:.2e}")
    assert d_conv < 1e-10, (name, d_conv)
    if d_def > 2e-10:
        w_t, s3 = ipf_at_tolerance(codes, targets, base, tol=1e-12)
        d_t = float(np.max(np.abs(w_t - w_r) / np.abs(w_r)))
        LOG.append(f"   -> slow IPF: input gets tolerance=1e-12; |R - IPF stopped at 1e-12 ({s3} sweeps)| {d_t:.2e}")
        assert d_t < 2e-10
        return True
    return False


def api_case(name, vars_, base_col, pop, targets_in, extra_input=None, r_margin_exprs=None, note="",
             diag=False, check_targets=None):
    d = api()
    codes = [d[v] for v in vars_]
    base = d["pw"] if base_col == "pw" else None
    popname = "apipop" if pop == "apipop" else "pp"
    if r_margin_exprs is None:
        r_margin_exprs = [f"table({v}={popname}${v})" for v in vars_]
    call = (f"des <- svydesign(ids=~1, weights=~{base_col}, data=apistrat); "
            f"r <- rake(des, list({', '.join('~' + v for v in vars_)}), list({', '.join(r_margin_exprs)}), {CTRL}); "
            f"out(weights(r))")
    w = R(call + ";")
    counts = [d["pop"][v] if pop == "apipop" else d["pp"][v] for v in vars_]
    slow = check_ipf(name, codes, check_targets or counts, base, w)
    inp = {"codes": codes, "targets": targets_in if targets_in is not None else counts}
    if slow:
        inp["tolerance"] = 1e-12
        note += SLOW_NOTE
    if base is not None:
        inp["base"] = base
    inp.update(extra_input or {})
    exp = {"status": "converged", **weights_expect(w)}
    if diag:
        exp.update(diagnostics(w, "diagnostics."))
    pre = ("data(api); " + ("apistrat$one <- 1; " if base_col == "one" else "")
           + ("apistrat$enrollbin <- cut(apistrat$enroll, c(0,300,500,800,Inf), right=FALSE); "
              "pp <- subset(apipop, !is.na(enroll)); pp$enrollbin <- cut(pp$enroll, c(0,300,500,800,Inf), right=FALSE); "
              if pop == "pp" else ""))
    codes_note = "codes = as.integer(apistrat$<var>)-1 for " + ", ".join(vars_)
    src = f"{SURVEY()}: {pre}{call.replace('out(weights(r))', 'weights(r)')}. {codes_note}. {note}".strip()
    return case(name, inp, exp, TOL, src)


def synth_case(name, names, codes, levels, targets_r, base=None, inp_targets=None, extra_input=None, note="",
               ipf_codes=None, ipf_targets=None, diag=False):
    call = f"r <- rake(des, {r_formulas(names)}, {r_margins(names, targets_r)}, {CTRL}); out(weights(r))"
    w = R(r_data(names, codes, levels, base) + call + ";")
    slow = check_ipf(name, ipf_codes or codes, ipf_targets or targets_r, base, w)
    inp = {"codes": [list(map(int, c)) for c in codes], "targets": inp_targets or targets_r}
    if slow:
        inp["tolerance"] = 1e-12
        note += SLOW_NOTE
    if base is not None:
        inp["base"] = list(map(float, base))
    inp.update(extra_input or {})
    exp = {"status": "converged", **weights_expect(w)}
    if diag:
        exp.update(diagnostics(w, "diagnostics."))
    src = (f"{SURVEY()}: {r_data_desc(names, levels, base is not None)}; "
           f"r <- rake(des, {r_formulas(names)}, {r_margins_desc(names, targets_r)}, {CTRL}); weights(r) "
           f"-- with codes/base of this input and targets[[k]] = {[list(t) for t in targets_r]}. {note}").strip()
    return case(name, inp, exp, TOL, src)


def cx():
    seg, reg, chan, base = cx_survey()
    return [int(x) for x in seg], [int(x) for x in reg], [int(x) for x in chan], [float(x) for x in base]


def cases():
    d = api()
    out = []
    pop = d["pop"]
    # ---- apistrat
    out.append(api_case("api_unweighted_stype_schwide", ["stype", "sch.wide"], "one", "apipop", None,
                        note="Unweighted: svydesign weights ~one (all 1); cxkpi input has no base.", diag=True))
    out.append(api_case("api_pw_stype_schwide_awards", ["stype", "sch.wide", "awards"], "pw", "apipop", None,
                        diag=True))
    out.append(api_case("api_pw_4vars_enrollbin", ["stype", "sch.wide", "comp.imp", "enrollbin"], "pw", "pp", None,
                        note="Population = the 6157 apipop schools with non-missing enroll, so all four margins "
                             "total 6157."))
    v3 = ["stype", "awards", "comp.imp"]
    shares = [[c / 6194.0 for c in pop[v]] for v in v3]
    out.append(api_case("api_pw_shares_population", v3, "pw", "apipop", shares,
                        {"targets_as": "shares", "population": 6194.0},
                        check_targets=[[x * 6194.0 for x in sh] for sh in shares],
                        r_margin_exprs=[f"data.frame({v}=levels(apistrat${v}), Freq={share_r(s)}*6194)"
                                        for v, s in zip(v3, shares)],
                        note="targets are shares (count/6194 as doubles); R margins = share*6194."))
    v2 = ["sch.wide", "awards"]
    shares = [[c / 6194.0 for c in pop[v]] for v in v2]
    out.append(api_case("api_pw_shares_default_population", v2, "pw", "apipop", shares,
                        {"targets_as": "shares"},
                        check_targets=[[x * math.fsum(d["pw"]) for x in sh] for sh in shares],
                        r_margin_exprs=[f"data.frame({v}=levels(apistrat${v}), Freq={share_r(s)}*sum(apistrat$pw))"
                                        for v, s in zip(v2, shares)],
                        note="targets_as shares without population: population = sum of base weights "
                             "(sum(apistrat$pw) = 6193.99995803833, pw are float32 values)."))
    v2 = ["stype", "comp.imp"]
    shares = [[c / 6194.0 for c in pop[v]] for v in v2]
    out.append(api_case("api_unweighted_shares_default_population", v2, "one", "apipop", shares,
                        {"targets_as": "shares"},
                        check_targets=[[x * 200.0 for x in sh] for sh in shares],
                        r_margin_exprs=[f"data.frame({v}=levels(apistrat${v}), Freq={share_r(s)}*200)"
                                        for v, s in zip(v2, shares)],
                        note="Unweighted and targets_as shares without population: population = n = 200."))
    out.append(api_case("api_pw_single_variable", ["sch.wide"], "pw", "apipop", None,
                        note="One margin: raking = post-stratification on sch.wide."))
    # ---- synthetic CX survey
    seg, reg, chan, base = cx()
    names = ["segment", "region", "channel"]
    T = [[float(round(s * N)) for s in SEG_SHARE], [float(round(s * N)) for s in REG_SHARE],
         [float(round(s * N)) for s in CHAN_SHARE]]
    lv = [4, 4, 3]
    sparse_note = ("Synthetic CX survey (derive/synth.py, numpy default_rng(20240603)), n=150: segment 3 has 3 "
                   "respondents (2% of the sample) but 14% of the population; R's raking solves it.")
    out.append(synth_case("cx_sparse_unweighted_counts", names, [seg, reg, chan], lv, T, None, note=sparse_note,
                          diag=True))
    shares = [SEG_SHARE, REG_SHARE, CHAN_SHARE]
    sb = math.fsum(base)
    Tb = [[s * sb for s in sh] for sh in shares]
    c = synth_case("cx_sparse_base_shares", names, [seg, reg, chan], lv, Tb, base, inp_targets=shares,
                   extra_input={"targets_as": "shares"},
                   note=sparse_note + f" targets_as shares, population defaults to sum(base) = {sb!r}; "
                                      "R margins = share*sum(base).")
    out.append(c)
    out.append(synth_case("cx_sparse_options_tolerance", names, [seg, reg, chan], lv, T, base,
                          extra_input={"tolerance": 1e-12, "max_sweeps": 5000},
                          note=sparse_note + " With base weights and options tolerance=1e-12, max_sweeps=5000."))
    # region with a 5th level that has no respondents and target 0: allowed, no effect
    T5 = [T[0], T[1] + [0.0], T[2]]
    out.append(synth_case("cx_zero_target_unsampled_level", names, [seg, reg, chan], [4, 5, 3], T5, None,
                          ipf_targets=T5,
                          note="region has a 5th level with no respondents and target 0: not an error; "
                               "R postStratify drops strata that are zero in both sample and population. "
                               "Same weights as cx_sparse_unweighted_counts."))
    # collapse: middle level empty -> its target moves to the nearest lower level
    reg_gap = [r if r < 2 else r + 1 for r in reg]            # level 2 has no respondents
    Tin = [T[0], [6000.0, 5000.0, 1000.0, 4000.0, 4000.0], T[2]]
    Tcol = [T[0], [6000.0, 6000.0, 0.0, 4000.0, 4000.0], T[2]]
    out.append(synth_case("cx_empty_level_collapse_middle", names, [seg, reg_gap, chan], [4, 5, 3], Tcol, None,
                          inp_targets=Tin, extra_input={"empty_level": "collapse"},
                          note="region recoded so level 2 is empty (codes >= 2 shifted up); its target 1000 "
                               "is collapsed into level 1 (nearest lower): R is run on the collapsed margin "
                               "6000, 6000, 0, 4000, 4000."))
    chan_gap = [c + 1 for c in chan]                             # level 0 has no respondents
    Tin = [T[0], T[1], [2000.0, 8000.0, 6000.0, 4000.0]]
    Tcol = [T[0], T[1], [0.0, 10000.0, 6000.0, 4000.0]]
    out.append(synth_case("cx_empty_level_collapse_level0", names, [seg, reg, chan_gap], [4, 4, 4], Tcol, None,
                          inp_targets=Tin, extra_input={"empty_level": "collapse"},
                          note="channel codes shifted up by 1 so level 0 is empty; its target 2000 goes to "
                               "level 1 (the next higher, level 0 has no lower): R margin 0, 10000, 6000, 4000."))
    # drop: region level 4 empty (target 2000 of 20000) -> removed; other margins rescaled to 18000
    Tin = [T[0], [5400.0, 4600.0, 4400.0, 3600.0, 2000.0], T[2]]
    f = 18000.0 / 20000.0
    Tdrop = [[t * f for t in T[0]], [5400.0, 4600.0, 4400.0, 3600.0, 0.0], [t * f for t in T[2]]]
    out.append(synth_case("cx_empty_level_drop", names, [seg, reg, chan], [4, 5, 3], Tdrop, None,
                          inp_targets=Tin, extra_input={"empty_level": "drop"},
                          note="region level 4 (target 2000) has no respondents and is dropped; the new total "
                               "is 18000 and segment/channel margins are rescaled by 18000/20000: "
                               "R is run on those rescaled margins."))
    # ---- hand-derived 2x2 (IPF keeps the base cross-product ratio)
    out.append(case("hand_2x2_uniform", {"codes": [[0, 0, 1, 1], [0, 1, 0, 1]], "targets": [[30.0, 70.0], [40.0, 60.0]]},
                    {"status": "converged", **weights_expect([12.0, 18.0, 28.0, 42.0])}, TOL,
                    "hand: one row per cell, unit base; IPF preserves the cross-product ratio 1, so "
                    "w_ij = A_i*B_j/N = 30*40/100, 30*60/100, 70*40/100, 70*60/100. Also "
                    f"{SURVEY()} rake(..., control=list(epsilon=1e-12, maxit=1000)) gives the same."))
    x = (-210.0 + math.sqrt(210.0 ** 2 + 16000.0)) / 2.0
    hw = [x, 50.0 - x, 40.0 - x, 10.0 + x]
    out.append(case("hand_2x2_weighted", {"codes": [[0, 0, 1, 1], [0, 1, 0, 1]], "targets": [[50.0, 50.0], [40.0, 60.0]],
                                          "base": [1.0, 2.0, 3.0, 4.0]},
                    {"status": "converged", **weights_expect(hw)}, TOL,
                    "hand: IPF keeps the base cross-product ratio 1*4/(2*3) = 2/3; with w11 = x the margins give "
                    "w = (x, 50-x, 40-x, 10+x) and 3x(10+x) = 2(50-x)(40-x), i.e. x^2 + 210x - 4000 = 0, "
                    "x = (-210 + sqrt(60100))/2. Also equal to R survey rake to 1e-12."))
    for cs, codes_, T_, b_ in ((out[-2], [[0, 0, 1, 1], [0, 1, 0, 1]], [[30.0, 70.0], [40.0, 60.0]], None),
                               (out[-1], [[0, 0, 1, 1], [0, 1, 0, 1]], [[50.0, 50.0], [40.0, 60.0]], [1.0, 2.0, 3.0, 4.0])):
        w = R(r_data(["a", "b"], codes_, [2, 2], b_) +
              f"r <- rake(des, list(~a, ~b), {r_margins(['a', 'b'], T_)}, {CTRL}); out(weights(r));")
        exp = [cs["expect"][f"weights.{i}"] for i in range(4)]
        dd = max(abs(a - b) / max(1, abs(b)) for a, b in zip(w, exp))
        LOG.append(f"rake {cs['name']}: hand vs R rake max rel diff {dd:.2e}")
        assert dd < 1e-12
    # ---- errors
    S = SURVEY()
    out.append(case("error_inconsistent_margins", {"codes": [d["stype"], d["sch.wide"]],
                                                   "targets": [pop["stype"], [1072.0, 5000.0]], "base": d["pw"]},
                    error="inconsistent_margins",
                    source="hand: stype targets total 6194, sch.wide targets total 6072 (relative gap 2%)."))
    out.append(case("error_inconsistent_shares", {"codes": [seg, chan],
                                                  "targets": [SEG_SHARE, [0.5, 0.3, 0.18]], "targets_as": "shares"},
                    error="inconsistent_margins",
                    source="hand: segment shares sum to 1, channel shares to 0.98."))
    out.append(case("error_empty_level", {"codes": [seg, reg, chan],
                                          "targets": [T[0], [5400.0, 4600.0, 4400.0, 3600.0, 2000.0], T[2]]},
                    error="empty_level",
                    source="hand: region level 4 has no respondents but target 2000 (> 0); default empty_level='error'. "
                           "R survey postStratify (inside rake) stops too: 'Some strata absent from sample: use partial=TRUE'."))
    out.append(case("error_out_of_scale_code", {"codes": [seg, chan], "targets": [T[0], [12000.0, 8000.0]]},
                    error="out_of_scale",
                    source="hand: channel codes include 2 but only 2 targets (levels 0,1) are given."))
    bneg = list(base)
    bneg[7] = -0.5
    out.append(case("error_negative_base", {"codes": [seg, reg], "targets": [T[0], T[1]], "base": bneg},
                    error="invalid_weight", source="hand: base weight of row 7 is -0.5."))
    bnan = list(base)
    bnan[3] = "NaN"
    out.append(case("error_nan_base", {"codes": [seg, reg], "targets": [T[0], T[1]], "base": bnan},
                    error="invalid_weight", source="hand: base weight of row 3 is NaN."))
    binf = list(base)
    binf[0] = "Infinity"
    out.append(case("error_infinite_base", {"codes": [seg, reg], "targets": [T[0], T[1]], "base": binf},
                    error="invalid_weight", source="hand: base weight of row 0 is +Infinity."))
    out.append(case("error_zero_target_sampled_level", {"codes": [seg, reg],
                                                        "targets": [[8000.0, 5600.0, 6400.0, 0.0], T[1]]},
                    error="invalid_argument",
                    source="hand: segment level 3 has 3 respondents but target 0 (totals still agree: 20000)."))
    out.append(case("error_negative_target_sampled_level", {"codes": [seg, reg],
                                                            "targets": [[9000.0, 5600.0, 6400.0, -1000.0], T[1]]},
                    error="invalid_argument",
                    source="hand: segment level 3 has 3 respondents and target -1000 (totals still agree: 20000)."))
    # not converged after one sweep: verify with numpy IPF that one sweep leaves a large error
    w1 = np.ones(len(seg))
    for c_, t_ in zip([seg, reg, chan], T):
        c_ = np.asarray(c_)
        tot = np.bincount(c_, weights=w1, minlength=len(t_))
        w1 = w1 * (np.asarray(t_) / tot)[c_]
    e1 = margin_rel_err([seg, reg, chan], T, w1)
    LOG.append(f"rake error_not_converged: max rel margin error after 1 IPF sweep = {e1:.3e}")
    assert e1 > 1e-4
    out.append(case("error_not_converged", {"codes": [seg, reg, chan], "targets": T, "max_sweeps": 1},
                    error="not_converged",
                    source=f"hand (numpy IPF): after one sweep the largest relative margin error is {e1:.3e} "
                           "> tolerance 1e-10; on_nonconvergence defaults to 'error'."))
    return out


def share_r(s):
    return "c(" + ",".join(repr(float(x)) for x in s) + ")"


def run():
    return write("rake", "Raking (IPF) of base weights to marginal population targets", cases())


ALL = [run]
