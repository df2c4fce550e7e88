"""design_estimate.json: weighted mean / top-box / NPS with calibration-aware SEs, from R survey's svymean and
svyby on calibrated, raked and post-stratified designs (svydesign(ids=~1, weights=~base)).

Input of a case: the fit (`method` rake / calibrate / poststratify, `codes`, `targets` or `levels` +
`cell_targets`, `base`, `fit` = fit options), then the estimate (`metric`, `values`, `by`, `options`).
Expected fields: overall.* and by.<k>.* of the DesignEstimate. R's `svymean(..., deff=TRUE)` gives `deff`
(against SRS without replacement), `deff="replace"` gives `deff_replace`; `se_fixed_weights` is svymean on
svydesign(ids=~1, weights=~w) with w the calibrated weights (weights treated as fixed).
"""
import numpy as np

from apidata import api
from rhelp import CTRL
from synth import cx_survey, N, SEG_SHARE, REG_SHARE, CHAN_SHARE
from wcommon import R, SURVEY, LOG, case, write, rvec, rint

ALL = []


def register(fn):
    ALL.append(fn)
    return fn


def r_frame(names, codes, levels, base, y, by):
    cols = [f"{nm}=factor({rint(c)}, levels=0:{L - 1})" for nm, c, L in zip(names, codes, levels)]
    cols.append(f"base={rvec(base) if base is not None else 'rep(1, ' + str(len(codes[0])) + ')'}")
    cols.append("y=" + "c(" + ",".join("NA" if (v is None or np.isnan(v)) else repr(float(v)) for v in y) + ")")
    if by is not None:
        cols.append(f"dom=factor({rint(by)}, levels=0:{max(by)})")
    return f"d <- data.frame({', '.join(cols)}); des <- svydesign(ids=~1, weights=~base, data=d);"


def r_pop_calibrate(names, targets):
    """calibrate()'s population vector for ~v1+v2+...: total, then levels 1.. of each variable."""
    tot = sum(targets[0])
    parts = [repr(float(tot))] + [repr(float(t)) for tg in targets for t in tg[1:]]
    return "c(" + ",".join(parts) + ")"


def r_margins(names, targets):
    return "list(" + ", ".join(f"data.frame({nm}=factor(0:{len(t) - 1}), Freq={rvec(t)})"
                               for nm, t in zip(names, targets)) + ")"


def yexpr(metric, opts):
    if metric == "nps":
        pm, dm = opts.get("promoter_min", 9), opts.get("detractor_max", 6)
        return f"I(100*((y>={pm})-(y<={dm})))"
    if metric == "top_box":
        hi, k = opts.get("scale_max", 5), opts.get("k", 2)
        return f"I(as.numeric(y>{hi - k}))"
    return "y"


def r_estimates(call_design, yf, by):
    """R code printing: estimate, se, deff, deff_replace, se_fixed (overall, then per domain)."""
    if by is None:
        return (f"m <- svymean(~{yf}, cal, na.rm=TRUE, deff=TRUE); mr <- svymean(~{yf}, cal, na.rm=TRUE, deff='replace');"
                f"mf <- svymean(~{yf}, fx, na.rm=TRUE);"
                f"out(coef(m), SE(m), deff(m), deff(mr), SE(mf));")
    return (f"m <- svyby(~{yf}, ~dom, cal, svymean, na.rm=TRUE, deff=TRUE);"
            f"mr <- svyby(~{yf}, ~dom, cal, svymean, na.rm=TRUE, deff='replace');"
            f"mf <- svyby(~{yf}, ~dom, fx, svymean, na.rm=TRUE);"
            f"out(rbind(coef(m), SE(m), m[, ncol(m)], mr[, ncol(mr)], SE(mf)));")


def build(name, method, names, codes, levels, targets, base, y, metric, opts, by=None, fit=None,
          linearisation="greg", r_method=None, tol=1e-9, note=""):
    """One case: fits in R, estimates in R, records the calls."""
    r_method = r_method or method
    frame = r_frame(names, codes, levels, base, y, by)
    if r_method == "calibrate":
        fopts = fit or {}
        cf = ""
        if fopts.get("distance", "linear") != "linear":
            cf += f", calfun='{fopts['distance']}'"
        if fopts.get("bounds"):
            b = fopts["bounds"]
            cf += f", bounds=c({b[0]!r}, {b[1]!r})"
        if cf:
            cf += ", epsilon=1e-13, maxit=1000"
        fit_r = f"cal <- calibrate(des, ~{'+'.join(names)}, {r_pop_calibrate(names, targets)}{cf});"
    elif r_method == "rake":
        fit_r = f"cal <- rake(des, list({', '.join('~' + n for n in names)}), {r_margins(names, targets)}, {CTRL});"
    elif r_method == "poststratify":
        # targets: crossed cell targets, first variable most significant
        grid = np.array(np.meshgrid(*[np.arange(L) for L in levels], indexing="ij")).reshape(len(levels), -1)
        cols = ", ".join(f"{nm}=factor({rint(grid[i])}, levels=0:{levels[i] - 1})" for i, nm in enumerate(names))
        fit_r = (f"pop <- data.frame({cols}, Freq={rvec(targets)});"
                 f"cal <- postStratify(des, ~{'+'.join(names)}, pop);")
    else:
        raise ValueError(r_method)
    yf = yexpr(metric, opts)
    code = frame + fit_r + "d$w <- weights(cal); fx <- svydesign(ids=~1, weights=~w, data=d);" + r_estimates("cal", yf, by)
    x = R(code)
    if by is None:
        est, se, deff, deffr, sef = x
        expect = {"overall.estimate": est, "overall.se": se, "overall.deff": deff, "overall.deff_replace": deffr,
                  "overall.se_fixed_weights": sef}
    else:
        k = len(x) // 5
        # out() prints the matrix column-major: for each domain: est, se, deff, deffr, sef
        vals = np.array(x).reshape(k, 5)
        expect = {}
        for j in range(k):
            est, se, deff, deffr, sef = vals[j]
            expect.update({f"by.{j}.estimate": est, f"by.{j}.se": se, f"by.{j}.deff": deff,
                           f"by.{j}.deff_replace": deffr, f"by.{j}.se_fixed_weights": sef})
    inp = {"method": method, "codes": [list(map(int, c)) for c in codes]}
    if method == "poststratify":
        inp["levels"] = list(levels)
        inp["cell_targets"] = list(map(float, targets))
    else:
        inp["targets"] = [list(map(float, t)) for t in targets]
    if base is not None:
        inp["base"] = list(map(float, base))
    if fit:
        inp["fit"] = fit
    inp["metric"] = metric
    inp["values"] = [("NaN" if (v is None or np.isnan(v)) else float(v)) for v in y]
    if by is not None:
        inp["by"] = list(map(int, by))
    o = dict(opts)
    if linearisation != "greg":
        o["linearisation"] = linearisation
    if o:
        inp["options"] = o
    src = (f"{SURVEY()}: {frame.split(';')[1].strip()}; {fit_r} "
           f"then svymean/svyby(~{yf}, ..., na.rm=TRUE, deff=TRUE) and deff='replace'; se_fixed_weights from "
           f"svymean on svydesign(ids=~1, weights=~weights(cal)). Linearisation {linearisation}. {note}")
    LOG.append(f"design {name}: {expect}")
    return case(name, inp, expect, tol, src)


def api_cols():
    # api00 and derived 0-10 and 1-5 scores; apistrat order
    x = R("out(apistrat$api00);")
    api00 = np.array(x)
    nps = np.clip(np.round((api00 - 400) / 55), 0, 10)
    csat = np.clip(np.round((api00 - 300) / 140), 1, 5)
    return api00, nps, csat


@register
def gen():
    a = api()
    api00, nps_s, csat = api_cols()
    st, sw, aw, ci = a["stype"], a["sch.wide"], a["awards"], a["comp.imp"]
    pw = a["pw"]
    pop = a["pop"]
    cases = []
    T2 = [pop["stype"], pop["sch.wide"]]
    derived = ("Scores derived in R from apistrat$api00: nps = pmin(10, pmax(0, round((api00-400)/55))), "
               "csat = pmin(5, pmax(1, round((api00-300)/140))).")
    cases.append(build("api_cal_linear_mean", "calibrate", ["stype", "schwide"], [st, sw], [3, 2], T2, pw,
                       api00, "mean", {}))
    cases.append(build("api_cal_linear_mean_by_awards", "calibrate", ["stype", "schwide"], [st, sw], [3, 2], T2,
                       pw, api00, "mean", {}, by=aw))
    cases.append(build("api_cal_linear_mean_by_stype", "calibrate", ["stype", "schwide"], [st, sw], [3, 2], T2,
                       pw, api00, "mean", {}, by=st, note="Domains = levels of a calibration variable."))
    cases.append(build("api_cal_raking_nps", "calibrate", ["stype", "schwide"], [st, sw], [3, 2], T2, pw,
                       nps_s, "nps", {}, fit={"distance": "raking"}, note=derived))
    cases.append(build("api_cal_logit_bounded_top_box", "calibrate", ["stype", "schwide"], [st, sw], [3, 2], T2,
                       pw, csat, "top_box", {}, fit={"distance": "logit", "bounds": [0.7, 1.6]}, note=derived,
                       tol=1e-8))
    cases.append(build("api_cal_linear_bounded_nps_by_compimp", "calibrate", ["stype", "schwide"], [st, sw],
                       [3, 2], T2, pw, nps_s, "nps", {}, fit={"bounds": [0.8, 1.3]}, by=ci, note=derived, tol=1e-8))
    T3 = [pop["stype"], pop["sch.wide"], pop["awards"]]
    cases.append(build("api_rake_3vars_nps_r_survey", "rake", ["stype", "schwide", "awards"], [st, sw, aw],
                       [3, 2, 2], T3, pw, nps_s, "nps", {}, linearisation="r_survey", tol=1e-8, note=derived +
                       " R's rake SE: 10 backfitting sweeps (svyrecvar)."))
    # greg on a raked design: R calibrate(calfun="raking") reaches the raked weights; its SE is the projection.
    c = build("api_rake_3vars_nps_greg", "calibrate", ["stype", "schwide", "awards"], [st, sw, aw], [3, 2, 2],
              T3, pw, nps_s, "nps", {}, fit={"distance": "raking"}, tol=1e-8, note=derived)
    c["input"]["method"] = "rake"
    del c["input"]["fit"]
    c["source"] += (" The case rakes (IPF); the R reference is calibrate(calfun='raking') on the same margins, "
                    "whose weights equal the raked ones at convergence and whose SE is the exact GREG projection.")
    cases.append(c)
    cases.append(build("api_rake_3vars_mean_by_awards_r_survey", "rake", ["stype", "schwide", "awards"],
                       [st, sw, aw], [3, 2, 2], T3, pw, api00, "mean", {}, by=aw, linearisation="r_survey",
                       tol=1e-8))
    PS = list(np.array(a["pop_cross_stype_schwide"]).reshape(2, 3).T.reshape(-1))  # stype-major
    cases.append(build("api_poststratify_cross_mean", "poststratify", ["stype", "schwide"], [st, sw], [3, 2], PS,
                       pw, api00, "mean", {}))
    cases.append(build("api_poststratify_cross_top_box_by_awards", "poststratify", ["stype", "schwide"],
                       [st, sw], [3, 2], PS, pw, csat, "top_box", {}, by=aw, note=derived))
    # missing answers: every 7th api00 set to NA
    ymiss = api00.copy()
    ymiss[::7] = np.nan
    cases.append(build("api_cal_linear_mean_missing", "calibrate", ["stype", "schwide"], [st, sw], [3, 2], T2, pw,
                       ymiss, "mean", {}, note="Every 7th api00 set to NA (na.rm=TRUE keeps the rows in the "
                       "calibrated design with zero weight)."))
    # unweighted start
    cases.append(build("api_cal_linear_unweighted_nps", "calibrate", ["stype", "schwide"], [st, sw], [3, 2], T2,
                       None, nps_s, "nps", {}, note=derived))
    # synthetic CX survey with a sparse segment (3 respondents carrying 14%)
    seg, region, channel, base = cx_survey()
    rng = np.random.default_rng(7)
    scores = np.clip(np.round(rng.normal(7.2 + 0.6 * (seg == 0) - 1.0 * (channel == 2), 2.0)), 0, 10)
    tg = [[N * s for s in SEG_SHARE], [N * s for s in REG_SHARE], [N * s for s in CHAN_SHARE]]
    cases.append(build("cx_rake_sparse_nps_by_region_r_survey", "rake", ["seg", "region", "channel"],
                       [seg, region, channel], [4, 4, 3], tg, None, scores, "nps", {}, by=region,
                       linearisation="r_survey", tol=1e-8,
                       note="Synthetic CX survey (synth.py cx_survey, seed 20240603; scores: numpy default_rng(7) "
                       "normal(7.2 + 0.6[seg=0] - 1.0[channel=2], 2) rounded and clipped to 0..10)."))
    cases.append(build("cx_cal_raking_sparse_base_nps", "calibrate", ["seg", "region", "channel"],
                       [seg, region, channel], [4, 4, 3], tg, base, scores, "nps", {}, fit={"distance": "raking"},
                       tol=1e-8, note="Synthetic CX survey with base weights (synth.py)."))
    # confidence and interval: normal limits from confint(svymean)
    lo_hi = R(r_frame(["stype", "schwide"], [st, sw], [3, 2], pw, api00, None) +
              f"cal <- calibrate(des, ~stype+schwide, {r_pop_calibrate(['stype', 'schwide'], T2)});"
              "out(confint(svymean(~y, cal), level=0.9));")
    c = build("api_cal_linear_mean_conf90", "calibrate", ["stype", "schwide"], [st, sw], [3, 2], T2, pw, api00,
              "mean", {"confidence": 0.9})
    c["expect"]["overall.lower"], c["expect"]["overall.upper"] = lo_hi
    c["source"] += " Limits: confint(svymean(~y, cal), level=0.9)."
    cases.append(c)
    # errors
    small = {"method": "rake", "codes": [[0, 1, 0, 1]], "targets": [[10.0, 10.0]], "metric": "nps",
             "values": [9, 10, 3, 7]}
    cases.append(case("error_values_length", {**small, "values": [9, 10, 3]}, error="length_mismatch",
                      source="values must have one entry per row of the design"))
    cases.append(case("error_unknown_linearisation", {**small, "options": {"linearisation": "jackknife"}},
                      error="unknown_method", source="linearisation must be greg, r_survey or fixed_weights"))
    cases.append(case("error_missing_policy", {**small, "values": [9, "NaN", 3, 7], "options": {"missing": "error"}},
                      error="missing_value", source="missing='error' with a NaN answer"))
    cases.append(case("error_out_of_scale", {**small, "values": [9, 11, 3, 7]}, error="out_of_scale",
                      source="11 is outside the 0-10 NPS scale"))
    cases.append(case("error_unknown_metric", {**small, "metric": "median"}, error="unknown_method",
                      source="metric must be nps, top_box, mean or ces"))
    cases.append(case("error_interval_option", {**small, "options": {"interval": "wilson"}}, error="invalid_argument",
                      source="design-based intervals are normal: `interval` is not an option here"))
    return write("design_estimate", "Weighted estimates with calibration-aware (GREG) linearisation SEs and "
                 "design effects, overall and by domain", cases)


if __name__ == "__main__":
    print(gen())
