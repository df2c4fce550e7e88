"""poststratify.json: R survey::postStratify on apistrat and the synthetic CX survey."""
import math

import numpy as np

from apidata import api
from rhelp import r_data, r_data_desc
from synth import cx_survey
from wcommon import R, R_try, SURVEY, LOG, case, write, weights_expect, rvec

TOL = 1e-9

REG_CHAN = [3200.0, 1800.0, 1000.0, 2400.0, 1600.0, 1000.0, 2600.0, 1500.0, 900.0, 1800.0, 1100.0, 1100.0]
SEG_CHAN = [4000.0, 2400.0, 1600.0, 2800.0, 1680.0, 1120.0, 1800.0, 1080.0, 720.0, 1400.0, 840.0, 560.0]


def hand_ps(codes, levels, cell_targets, base):
    """Independent check: w_i = base_i * T_c / sum_{j in c} base_j, cell c = mixed-radix key."""
    n = len(codes[0])
    b = np.ones(n) if base is None else np.asarray(base, float)
    key = np.zeros(n, dtype=int)
    for c, L in zip(codes, levels):
        key = key * L + np.asarray(c)
    tot = np.bincount(key, weights=b, minlength=len(cell_targets))
    t = np.asarray(cell_targets, float)
    g = np.divide(t, tot, out=np.zeros_like(t), where=tot > 0)
    return b * g[key]


def check(name, codes, levels, cell_targets, base, w):
    h = hand_ps(codes, levels, cell_targets, base)
    dd = float(np.max(np.abs(h - np.asarray(w)) / np.abs(np.asarray(w))))
    LOG.append(f"poststratify {name}: |R - hand base*T_c/B_c| max rel {dd:.2e}")
    assert dd < 1e-13


def api_case(name, vars_, base_col, note=""):
    d = api()
    codes = [d[v] for v in vars_]
    base = d["pw"] if base_col == "pw" else None
    if len(vars_) == 1:
        v = vars_[0]
        poptab = f"table({v}=apipop${v})"
        cells = d["pop"][v]
        levels = [len(cells)]
    else:
        poptab = "xtabs(~stype+sch.wide, apipop)"
        cells = d["pop_cross_stype_schwide"]
        levels = [3, 2]
    call = (f"des <- svydesign(ids=~1, weights=~{base_col}, data=apistrat); "
            f"p <- postStratify(des, ~{'+'.join(vars_)}, {poptab}); out(weights(p))")
    w = R(call + ";")
    check(name, codes, levels, cells, base, w)
    inp = {"codes": codes, "cell_targets": cells}
    if base is not None:
        inp["base"] = base
    src = (f"{SURVEY()}: data(api); {'apistrat$one <- 1; ' if base_col == 'one' else ''}"
           f"{call.replace('out(weights(p))', 'weights(p)')}. codes = as.integer(apistrat$<var>)-1; "
           f"cell_targets = as.vector of the population table with {vars_[0]} most significant. {note}").strip()
    return case(name, inp, weights_expect(w), TOL, src)


def synth_case(name, names, codes, levels, cells_r, base, inp_cells=None, extra=None, partial=False, note=""):
    tab = (f"data.frame(expand.grid({', '.join(f'{nm}=factor(0:{L - 1})' for nm, L in reversed(list(zip(names, levels))))}), "
           f"Freq={rvec(cells_r)})")
    call = (f"p <- postStratify(des, ~{'+'.join(names)}, {tab}{', partial=TRUE' if partial else ''}); "
            "out(weights(p))")
    w = R(r_data(names, codes, levels, base) + call + ";", allow_warning=partial)
    live = list(cells_r)
    check(name, codes, levels, live, base, w)
    inp = {"codes": [list(map(int, c)) for c in codes], "cell_targets": inp_cells or cells_r}
    if base is not None:
        inp["base"] = list(map(float, base))
    inp.update(extra or {})
    src = (f"{SURVEY()}: {r_data_desc(names, levels, base is not None)}; "
           f"p <- postStratify(des, ~{'+'.join(names)}, data.frame(expand.grid("
           f"{', '.join(f'{nm}=factor(0:{L - 1})' for nm, L in reversed(list(zip(names, levels))))}), "
           f"Freq=cells){', partial=TRUE' if partial else ''}); weights(p) -- expand.grid varies the last "
           f"variable fastest, so Freq is in cxkpi's cell order (first variable most significant); "
           f"cells = {list(cells_r)}. {note}").strip()
    return case(name, inp, weights_expect(w), TOL, src)


def cases():
    out = []
    out.append(api_case("api_pw_stype", ["stype"], "pw",
                        note="apistrat is stratified on stype with pw = N_h/n_h stored as float32, so g = 1 + O(1e-8)."))
    out.append(api_case("api_unweighted_schwide", ["sch.wide"], "one",
                        note="Unweighted (weights ~one); the cxkpi input has no base."))
    out.append(api_case("api_pw_stype_schwide", ["stype", "sch.wide"], "pw"))
    out.append(api_case("api_unweighted_stype_schwide", ["stype", "sch.wide"], "one",
                        note="Unweighted (weights ~one); the cxkpi input has no base."))
    seg, reg, chan, base = cx_survey()
    seg, reg, chan, base = [list(map(int, seg)), list(map(int, reg)), list(map(int, chan)), list(map(float, base))]
    out.append(synth_case("cx_base_region_channel", ["region", "channel"], [reg, chan], [4, 3], REG_CHAN, base,
                          note="Synthetic CX survey (derive/synth.py), all 12 cells sampled."))
    shares = [c / 20000.0 for c in REG_CHAN]
    out.append(synth_case("cx_base_region_channel_shares_population", ["region", "channel"], [reg, chan], [4, 3],
                          [s * 50000.0 for s in shares], base, inp_cells=shares,
                          extra={"targets_as": "shares", "population": 50000.0},
                          note="targets_as shares with population 50000: R cells = share*50000."))
    out.append(synth_case("cx_unweighted_region_channel_shares_default", ["region", "channel"], [reg, chan], [4, 3],
                          [s * 150.0 for s in shares], None, inp_cells=shares, extra={"targets_as": "shares"},
                          note="Unweighted, targets_as shares without population: population = n = 150."))
    out.append(synth_case("cx_empty_cell_drop", ["segment", "channel"], [seg, chan], [4, 3], SEG_CHAN, base,
                          extra={"empty_level": "drop"}, partial=True,
                          note="Cell (segment 3, channel 2) has no respondents (target 560): with empty_level "
                               "'drop' it is removed and the other cells keep their targets (total 19440), "
                               "which is R's partial=TRUE (R warns 'Some strata absent from sample: ignored')."))
    out.append(case("hand_one_variable", {"codes": [[0, 0, 1, 1, 1]], "cell_targets": [10.0, 30.0]},
                    weights_expect([5.0, 5.0, 10.0, 10.0, 10.0]), TOL,
                    "hand: unweighted; cell 0 has 2 rows (10/2 = 5), cell 1 has 3 rows (30/3 = 10)."))
    out.append(case("hand_weighted_crossed", {"codes": [[0, 0, 0, 1, 1], [0, 1, 1, 0, 1]],
                                              "cell_targets": [6.0, 9.0, 4.0, 8.0], "base": [2.0, 1.0, 2.0, 4.0, 0.5]},
                    weights_expect([6.0, 3.0, 6.0, 4.0, 8.0]), TOL,
                    "hand: cells (0,0)={row0}, (0,1)={row1,row2} base sum 3 -> g=3, (1,0)={row3} g=1, "
                    "(1,1)={row4} g=16."))
    # errors
    st, msg, _ = R_try(r_data(["segment", "channel"], [seg, chan], [4, 3], base) +
                       f"p <- postStratify(des, ~segment+channel, data.frame(expand.grid(channel=factor(0:2), "
                       f"segment=factor(0:3)), Freq={rvec(SEG_CHAN)}))")
    assert st == "error" and "absent from sample" in msg, msg
    out.append(case("error_empty_cell", {"codes": [seg, chan], "cell_targets": SEG_CHAN, "base": base},
                    error="empty_level",
                    source=f"hand: cell (segment 3, channel 2) has no respondents and target 560; default "
                           f"empty_level='error'. {SURVEY()} postStratify without partial=TRUE stops: '{msg[8:].strip()}'"))
    bneg = list(base)
    bneg[11] = -1.0
    out.append(case("error_negative_base", {"codes": [reg, chan], "cell_targets": REG_CHAN, "base": bneg},
                    error="invalid_weight", source="hand: base weight of row 11 is -1."))
    zc = list(REG_CHAN)
    zc[0] = 0.0
    zc[1] = 5000.0
    out.append(case("error_zero_target_sampled_cell", {"codes": [reg, chan], "cell_targets": zc},
                    error="invalid_argument", source="hand: cell (region 0, channel 0) has 25 respondents and target 0."))
    return out


def run():
    return write("poststratify", "Post-stratification of base weights to crossed-cell population counts", cases())


ALL = [run]
