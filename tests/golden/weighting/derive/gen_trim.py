"""trim_weights.json: the WEIGHTING.md trimming rule in exact rational arithmetic, checked against
R survey::trimWeights(strict=TRUE) where the two rules coincide (all untrimmed weights equal)."""
from fractions import Fraction as Fr

import numpy as np

from wcommon import R, R_try, SURVEY, LOG, case, write, weights_expect, rvec

TOL = 1e-9


def trim_exact(w, upper=None, lower=None):
    """WEIGHTING.md: clip to the bounds, give the excess (or take the deficit) to the units never trimmed, in
    proportion to their weights, repeat until none is outside.  Exact Fractions."""
    w = [Fr(x) for x in w]
    U = None if upper is None else Fr(upper)
    L = None if lower is None else Fr(lower)
    total = sum(w)
    trimmed = [False] * len(w)
    rounds = 0
    while True:
        out = [(U is not None and x > U) or (L is not None and x < L) for x in w]
        if not any(out):
            break
        rounds += 1
        for i, o in enumerate(out):
            if o:
                w[i] = U if (U is not None and w[i] > U) else L
                trimmed[i] = True
        free = [i for i in range(len(w)) if not trimmed[i]]
        excess = total - sum(w)
        s = sum(w[i] for i in free)
        for i in free:
            w[i] = w[i] + excess * w[i] / s
        assert rounds < 1000
    assert sum(w) == total
    return [float(x) for x in w], rounds


def r_trim(w, upper=None, lower=None):
    args = []
    if upper is not None:
        args.append(f"upper={upper!r}")
    if lower is not None:
        args.append(f"lower={lower!r}")
    return R(f"des <- svydesign(ids=~1, weights=~w, data=data.frame(w={rvec(w)})); "
             f"t <- trimWeights(des, {', '.join(args)}, strict=TRUE); out(weights(t));")


def r_trim_try(w, upper=None, lower=None):
    args = []
    if upper is not None:
        args.append(f"upper={upper!r}")
    if lower is not None:
        args.append(f"lower={lower!r}")
    st, res, _ = R_try(f"des <- svydesign(ids=~1, weights=~w, data=data.frame(w={rvec(w)})); "
                       f"t <- trimWeights(des, {', '.join(args)}, strict=TRUE); out(weights(t))")
    import re
    msg = re.sub(r"C stack usage\s+\d+", "C stack usage <n>", res[8:].strip()) if st != "ok" else ""
    return f"returns {res}" if st == "ok" else f"fails with '{msg}' (endless recursion)"


def r_call(upper, lower, wdesc="w"):
    args = []
    if upper is not None:
        args.append(f"upper={upper!r}")
    if lower is not None:
        args.append(f"lower={lower!r}")
    return (f"trimWeights(svydesign(ids=~1, weights=~w, data=data.frame(w={wdesc})), {', '.join(args)}, "
            f"strict=TRUE)")


def mk(name, w, upper=None, lower=None, relative=False, agree=True, note=""):
    m = float(np.mean(w)) if relative else 1.0
    U = None if upper is None else upper * m
    Lw = None if lower is None else lower * m
    if relative:
        m_exact = sum(Fr(x) for x in w) / len(w)
        U = None if upper is None else Fr(upper) * m_exact
        Lw = None if lower is None else Fr(lower) * m_exact
    hand, rounds = trim_exact(w, U, Lw)
    rw = r_trim(w, None if U is None else float(U), None if Lw is None else float(Lw))
    dd = max(abs(a - b) / abs(b) for a, b in zip(rw, hand))
    LOG.append(f"trim {name}: {rounds} round(s); |R trimWeights - hand| max rel {dd:.2e}")
    inp = {"weights": list(map(float, w))}
    if upper is not None:
        inp["upper"] = upper
    if lower is not None:
        inp["lower"] = lower
    if relative:
        inp["relative_to_mean"] = True
    S = SURVEY()
    rc = r_call(None if U is None else float(U), None if Lw is None else float(Lw))
    if agree:
        assert dd < 1e-13, (name, dd)
        why = ("every untrimmed weight is equal, so R's equal split of the excess is the proportional split"
               if rounds else "nothing is outside the bounds")
        src = (f"{S}: weights({rc}) with w = the input weights; equals the hand rule (exact fractions, "
               f"{rounds} round(s)) to {dd:.0e}: {why}. {note}").strip()
    else:
        assert dd > 1e-6, (name, dd)
        src = (f"hand (exact fractions, derive/gen_trim.py trim_exact): clip, give the excess to the never-trimmed "
               f"units in proportion to their weights, repeat ({rounds} round(s)). {note} R DIFFERS: {S} "
               f"weights({rc}) = "
               + (f"{[float('%.15g' % x) for x in rw]}" if len(rw) <= 10 else
                  f"weights up to {dd:.3g} (relative) away")
               + " because trimWeights splits the excess equally (sum(trimmings)/sum(!outside)).").strip()
    if relative:
        src += f" relative_to_mean: bounds are multiples of mean(w) = {m!r}."
    return case(name, inp, weights_expect(hand), TOL, src)


def cases():
    out = []
    out.append(mk("upper_equal_untrimmed", [1.0] * 8 + [10.0], upper=3.0,
                  note="10 -> 3; the excess 7 goes to eight units of weight 1: 1 + 7/8 = 1.875."))
    out.append(mk("upper_two_rounds_equal_untrimmed", [1.0] * 10 + [2.6, 12.0], upper=3.0,
                  note="Round 1 trims 12; 2.6 then exceeds 3 and is trimmed in round 2; the ten 1s end at "
                       "(24.6 - 6)/10 = 1.86. (R re-trims units sitting at the bound in later rounds, converging "
                       "to the same point.)"))
    out.append(mk("lower_equal_untrimmed", [0.1, 0.2] + [2.0] * 5, lower=0.5,
                  note="0.1, 0.2 -> 0.5; the deficit 0.7 is taken from five 2s: 2 - 0.14 = 1.86."))
    out.append(mk("upper_lower_equal_untrimmed", [0.2] + [1.0] * 6 + [6.0], upper=3.0, lower=0.5,
                  note="0.2 -> 0.5 and 6 -> 3: net excess 2.7 over six 1s: 1.45."))
    out.append(mk("relative_to_mean_upper", [1.0] * 8 + [10.0], upper=1.5, relative=True,
                  note="mean 2, so the upper bound is 3: same as upper_equal_untrimmed."))
    out.append(mk("no_trimming_needed", [0.8, 1.0, 1.2, 1.5, 2.5], upper=3.0, lower=0.5,
                  note="All weights inside [0.5, 3]: unchanged."))
    out.append(mk("upper_proportional_two_rounds", [1.0, 2.0, 3.0, 4.0, 10.0], upper=5.5, agree=False,
                  note="Round 1: 10 -> 5.5, factor 14.5/10 puts 4 at 5.8; round 2 trims it: the rest scale by "
                       "(20 - 11)/6 = 1.5, giving 1.5, 3, 4.5, 5.5, 5.5."))
    out.append(mk("lower_proportional", [0.2, 1.0, 2.0, 3.0, 3.8], lower=0.5, agree=False,
                  note="0.2 -> 0.5; the others scale by (9.8 - 0.3)/9.8."))
    out.append(mk("upper_lower_proportional_one_round", [0.2, 1.0, 2.0, 3.0, 8.0], upper=5.0, lower=0.5, agree=False,
                  note="0.2 -> 0.5 and 8 -> 5: net excess 2.7, the others scale by 8.7/6 = 1.45."))
    # a larger case: raked weights of the synthetic survey, trimmed at 3 x mean
    from gen_rake import cx
    from synth import N, SEG_SHARE, REG_SHARE, CHAN_SHARE
    from rhelp import r_data, r_margins, r_formulas, CTRL
    seg, reg, chan, _ = cx()
    T = [[float(round(s * N)) for s in SEG_SHARE], [float(round(s * N)) for s in REG_SHARE],
         [float(round(s * N)) for s in CHAN_SHARE]]
    names = ["segment", "region", "channel"]
    wr = R(r_data(names, [seg, reg, chan], [4, 4, 3], None) +
           f"r <- rake(des, {r_formulas(names)}, {r_margins(names, T)}, {CTRL}); out(weights(r));")
    out.append(mk("raked_weights_relative_upper", wr, upper=3.0, relative=True, agree=False,
                  note="Input = the weights of rake.json cx_sparse_unweighted_counts (R rake), upper = 3 x mean."))
    # errors
    out.append(case("error_infeasible_upper", {"weights": [1.0, 2.0, 3.0, 10.0], "upper": 2.0}, error="infeasible",
                    source=f"hand: upper*n = 8 < total 16. {SURVEY()} {r_call(2.0, None, 'c(1, 2, 3, 10)')} "
                           f"{r_trim_try([1.0, 2.0, 3.0, 10.0], 2.0)}."))
    out.append(case("error_infeasible_lower", {"weights": [1.0, 2.0, 3.0], "lower": 2.5}, error="infeasible",
                    source=f"hand: lower*n = 7.5 > total 6. {SURVEY()} {r_call(None, 2.5, 'c(1, 2, 3)')} "
                           f"{r_trim_try([1.0, 2.0, 3.0], None, 2.5)}."))
    out.append(case("error_infeasible_relative", {"weights": [1.0, 1.0, 1.0, 5.0], "upper": 0.9,
                                                  "relative_to_mean": True}, error="infeasible",
                    source="hand: an upper bound of 0.9 x mean is below the mean, so upper*n < total."))
    out.append(case("error_negative_weight", {"weights": [1.0, -2.0, 3.0], "upper": 2.5}, error="invalid_weight",
                    source="hand: weight 1 is -2."))
    out.append(case("error_nan_weight", {"weights": [1.0, "NaN", 3.0], "upper": 2.5}, error="invalid_weight",
                    source="hand: weight 1 is NaN."))
    return out


def run():
    return write("trim_weights", "Weight trimming with redistribution of the trimmed mass", cases())


ALL = [run]
