"""mean_score, ces, mean_from_summary, compare_means."""
import math

import numpy as np
from scipy import stats

from common import R, RV, SCIPY, SURVEY, arr, case, close, err, rvec, write, zq, tq
from npsref import kish

NaN = float("nan")
TOL = 1e-9

V12 = [3.5, 4.25, 2.0, 5.0, 3.75, 4.5, 1.5, 3.0, 4.0, 2.75, 3.25, 4.75]
CSAT = [4, 5, 3, 5, 4, 2, 5, 4, 3, 4, 5, 1, 4, 4, 5, 3]
W16 = [1.0, 0.5, 2.0, 1.5, 1.0, 0.8, 1.2, 2.5, 0.6, 1.0, 1.1, 3.0, 0.9, 1.0, 0.7, 1.3]
CES = [6, 7, 5, 4, 7, 6, 3, 5, 6, 7, 2, 6, 5, 6]
W_CES = [1.1, 0.9, 1.5, 2.0, 0.6, 1.0, 2.2, 0.8, 1.0, 1.3, 0.5, 1.7, 0.9, 1.2]
MIX = [float(v) for v in np.random.default_rng(21).integers(1, 11, 60)]  # 1..10 scores


def mean_expect(values, weights=None, interval="auto", conf=0.95, direction=None):
    idx = [i for i, v in enumerate(values) if not (isinstance(v, float) and math.isnan(v))]
    y = [float(values[i]) for i in idx]
    n = len(y)
    nmiss = len(values) - n
    exp = {"n": n, "n_missing": nmiss, "confidence": conf}
    if direction:
        exp["direction"] = direction
    if weights is None:
        iv = "t" if interval == "auto" else interval
        r = R(f"y <- {rvec(y)}; tt <- t.test(y, conf.level={conf!r}); out(mean(y), sd(y), tt$stderr, tt$parameter,"
              f" tt$conf.int)")
        mean, sd, se, df, tlo, thi = r
        close(se, sd / math.sqrt(n), 1e-12, "se")
        exp.update({"mean": mean, "sd": sd, "se": se, "effective_n": float(n), "weighted": False, "interval": iv})
        src = f"{RV()}: y <- valid values; mean(y), sd(y), se = t.test(y)$stderr"
        if iv == "t":
            exp.update({"df": df, "lower": tlo, "upper": thi})
            src += f"; t.test(y, conf.level={conf!r})$conf.int and $parameter (df = n-1)"
        else:
            z = zq(conf)
            exp.update({"df": None, "lower": mean - z * se, "upper": mean + z * se})
            src += f"; normal interval by hand: mean +/- z se, z = {SCIPY} norm.ppf(1-(1-{conf})/2)"
        return exp, src
    w = [float(weights[i]) for i in idx]
    iv = "normal" if interval == "auto" else interval
    r = R(f"d <- data.frame(y={rvec(y)}, w={rvec(w)}); des <- svydesign(ids=~1, weights=~w, data=d);"
          f"s <- svymean(~y, des); ci <- confint(s, df=degf(des), level={conf!r}); "
          f"cz <- confint(s, level={conf!r}); out(coef(s), SE(s), degf(des), ci, cz)")
    mean, se, degf, tlo, thi, zlo, zhi = r
    ws = math.fsum(w)
    sd = math.sqrt(math.fsum(wi * (yi - mean) ** 2 for wi, yi in zip(w, y)) / ws * n / (n - 1))
    exp.update({"mean": mean, "sd": sd, "se": se, "effective_n": kish(w), "weight_sum": ws, "weighted": True,
                "interval": iv})
    src = (f"{SURVEY()}: des <- svydesign(ids=~1, weights=~w, data=d); s <- svymean(~y, des) -> mean, se; "
           f"sd by hand = sqrt(sum w (y-ybar)^2 / sum w * n/(n-1)); effective_n, weight_sum by hand")
    if iv == "normal":
        z = zq(conf)
        close(zlo, mean - z * se, 1e-12, "normal ci")
        exp.update({"df": None, "lower": zlo, "upper": zhi})
        src += f"; confint(s, level={conf!r}) (normal)"
    else:
        exp.update({"df": degf, "lower": tlo, "upper": thi})
        src += f"; confint(s, df=degf(des)={degf:.0f}, level={conf!r}) (t)"
    return exp, src


def mean_score_cases():
    cases = []

    def add(name, values, weights=None, note="", **opts):
        exp, src = mean_expect(values, weights, opts.get("interval", "auto"), opts.get("confidence", 0.95),
                               opts.get("direction"))
        inp = {"values": arr(values)}
        if weights is not None:
            inp["weights"] = arr(weights)
        inp.update(opts)
        cases.append(case(name, inp, exp, TOL, src + note))

    add("unscaled_auto_t", V12)
    add("unscaled_normal_c90", V12, interval="normal", confidence=0.90)
    add("unscaled_t_c99", V12, interval="t", confidence=0.99)
    add("csat_1_5_scale_auto", CSAT, scale_min=1, scale_max=5)
    add("csat_weighted_auto_normal", CSAT, W16, scale_min=1, scale_max=5)
    add("csat_weighted_t_c99", CSAT, W16, scale_min=1, scale_max=5, interval="t", confidence=0.99)
    add("with_missing", [3.0, NaN, 4.5, 2.0, NaN, 5.5, 4.0], missing="exclude")
    add("weighted_with_missing", [3.0, NaN, 4.5, 2.0, NaN, 5.5, 4.0], [1.0, 9.0, 2.0, 0.5, 9.0, 1.5, 1.0],
        note="; rows with NaN values (weights 9.0) excluded")
    add("n2_minimum", [2.0, 5.0])
    add("scale_1_10_n60", MIX, scale_min=1, scale_max=10, confidence=0.90)
    add("lower_is_better_direction_recorded", [2, 1, 3, 2, 4, 1, 2], scale_min=1, scale_max=5,
        direction="lower_is_better", note="; direction only recorded, the mean is not transformed")
    add("negative_and_fractional_values", [-1.5, 0.25, 2.0, -0.75, 3.5, 1.0, -2.25])
    hand = "hand: API.md error rules"
    cases += [
        err("error_empty", {"values": []}, "empty_input", hand),
        err("error_n1", {"values": [4.0]}, "insufficient_data", hand + " (mean with n < 2: sd undefined)"),
        err("error_n1_after_missing", {"values": arr([NaN, 4.0, NaN])}, "insufficient_data", hand),
        err("error_weighted_n1", {"values": [4.0], "weights": [2.0]}, "insufficient_data", hand),
        err("error_all_missing", {"values": arr([NaN, NaN, NaN])}, "insufficient_data", hand),
        err("error_nan_missing_error", {"values": arr([1.0, NaN, 2.0]), "missing": "error"}, "missing_value", hand),
        err("error_infinity_unscaled", {"values": arr([1.0, float("inf"), 2.0])}, "out_of_scale",
            hand + " (+inf answer)"),
        err("error_minus_infinity_unscaled", {"values": arr([1.0, float("-inf"), 2.0])}, "out_of_scale",
            hand + " (-inf answer)"),
        err("error_non_integer_with_scale", {"values": [1, 2.5, 3], "scale_min": 1, "scale_max": 5}, "non_integer",
            hand + " (index 1 value 2.5)"),
        err("error_out_of_scale", {"values": [1, 6, 3], "scale_min": 1, "scale_max": 5}, "out_of_scale",
            hand + " (index 1 value 6)"),
        err("error_out_of_scale_below", {"values": [1, 0, 3], "scale_min": 1, "scale_max": 5}, "out_of_scale",
            hand + " (index 1 value 0)"),
        err("error_weights_length_mismatch", {"values": [1.0, 2.0, 3.0], "weights": [1.0, 1.0, 1.0, 1.0]},
            "length_mismatch", hand),
        err("error_negative_weight", {"values": [1.0, 2.0, 3.0], "weights": [1.0, 1.0, -2.0]}, "invalid_weight",
            hand),
        err("error_zero_weight_sum", {"values": [1.0, 2.0, 3.0], "weights": [0.0, 0.0, 0.0]}, "zero_weight_sum",
            hand),
        err("error_confidence_1", {"values": [1.0, 2.0, 3.0], "confidence": 1.0}, "invalid_confidence", hand),
        err("error_unknown_interval", {"values": [1.0, 2.0, 3.0], "interval": "bootstrap"}, "unknown_method",
            hand + " (mean intervals are auto|t|normal)"),
        err("error_unknown_direction", {"values": [1.0, 2.0, 3.0], "direction": "up"}, "unknown_method", hand),
    ]
    return write("mean_score", "Mean score with t (unweighted) or normal (weighted, linearisation) interval", cases)


def ces_cases():
    cases = []

    def add(name, values, weights=None, note="", **opts):
        exp, src = mean_expect(values, weights, opts.get("interval", "auto"), opts.get("confidence", 0.95),
                               opts.get("direction", "higher_is_better"))
        inp = {"scores": arr(values)}
        if weights is not None:
            inp["weights"] = arr(weights)
        inp.update(opts)
        cases.append(case(name, inp, exp, TOL, src + note))

    add("ces7_defaults", CES)
    add("ces7_weighted", CES, W_CES)
    add("ces7_with_missing_c90", CES[:7] + [NaN] + CES[7:] + [NaN], confidence=0.90)
    add("ces5_lower_is_better", [2, 1, 3, 2, 4, 1, 2, 5, 2], scale_min=1, scale_max=5, direction="lower_is_better",
        note="; direction recorded, mean not transformed")
    add("ces7_weighted_t_c99", CES, W_CES, interval="t", confidence=0.99)
    hand = "hand: API.md error rules (CES default scale 1-7)"
    cases += [
        err("error_out_of_scale_8", {"scores": [5, 8, 6]}, "out_of_scale", hand + " (index 1 value 8)"),
        err("error_out_of_scale_0", {"scores": [5, 0, 6]}, "out_of_scale", hand + " (index 1 value 0)"),
        err("error_non_integer", {"scores": [5, 6.5, 6]}, "non_integer", hand),
        err("error_empty", {"scores": []}, "empty_input", hand),
        err("error_n1", {"scores": [5]}, "insufficient_data", hand),
    ]
    return write("ces", "Customer Effort Score (mean on a 1-7 scale by default)", cases)


def mean_from_summary_cases():
    cases = []

    def add(name, mean, sd, n, interval="t", conf=0.95, direction=None, omit=False):
        se = sd / math.sqrt(n)
        exp = {"mean": mean, "sd": sd, "n": n, "se": se, "interval": interval, "confidence": conf}
        if interval == "t":
            lo, hi = stats.t.interval(conf, n - 1, loc=mean, scale=se)
            r = R(f"q <- qt(1-(1-{conf!r})/2, {n - 1}); out({mean!r} - q*{sd!r}/sqrt({n}), {mean!r} + q*{sd!r}/sqrt({n}))")
            close(float(lo), r[0], 1e-12, "t lo"); close(float(hi), r[1], 1e-12, "t hi")
            exp.update({"df": float(n - 1), "lower": float(lo), "upper": float(hi)})
            src = (f"{SCIPY}: t.interval({conf}, {n - 1}, loc={mean!r}, scale={sd!r}/sqrt({n})); equal to 1e-12 to "
                   f"{RV()} mean +/- qt(1-(1-conf)/2, n-1) sd/sqrt(n)")
        else:
            lo, hi = stats.norm.interval(conf, loc=mean, scale=se)
            exp.update({"df": None, "lower": float(lo), "upper": float(hi)})
            src = f"{SCIPY}: norm.interval({conf}, loc={mean!r}, scale={sd!r}/sqrt({n}))"
        if direction:
            exp["direction"] = direction
        inp = {"mean": mean, "sd": sd, "n": n}
        if not omit:
            inp.update({"interval": interval, "confidence": conf})
        if direction:
            inp["direction"] = direction
        cases.append(case(name, inp, exp, TOL, src))

    add("t_defaults", 4.12, 0.87, 250, omit=True)
    add("t_c90", 5.6, 1.3, 40, conf=0.90)
    add("t_c99_small_n", 3.2, 1.1, 5, conf=0.99)
    add("normal_c95", 71.5, 18.2, 1200, interval="normal")
    add("t_n2", 2.5, 0.7071067811865476, 2)
    add("lower_is_better", 2.3, 0.9, 64, direction="lower_is_better")
    hand = "hand: API.md error rules"
    cases += [
        err("error_n1", {"mean": 4.0, "sd": 1.0, "n": 1}, "insufficient_data", hand + " (t with n < 2)"),
        err("error_negative_sd", {"mean": 4.0, "sd": -1.0, "n": 10}, "invalid_argument", hand),
        err("error_confidence_0", {"mean": 4.0, "sd": 1.0, "n": 10, "confidence": 0.0}, "invalid_confidence", hand),
        err("error_unknown_interval", {"mean": 4.0, "sd": 1.0, "n": 10, "interval": "wilson"}, "unknown_method",
            hand),
    ]
    return write("mean_from_summary", "Mean interval from published summary statistics (mean, sd, n)", cases)


def compare_means_cases():
    cases = []

    def add(name, a, b, method="welch", conf=0.95, omit=False):
        eq = method == "student"
        if "values" in a:
            ya = [float(v) for v in a["values"]]
            yb = [float(v) for v in b["values"]]
            res = stats.ttest_ind(ya, yb, equal_var=eq)
            ma, mb = float(np.mean(ya)), float(np.mean(yb))
            sa, sb = float(np.std(ya, ddof=1)), float(np.std(yb, ddof=1))
            na, nb = len(ya), len(yb)
            src = f"{SCIPY}: r = ttest_ind(a, b, equal_var={eq}); r.statistic, r.df, r.pvalue, " \
                  f"r.confidence_interval({conf})"
            ci = res.confidence_interval(confidence_level=conf)
            lo, hi, df = float(ci.low), float(ci.high), float(res.df)
            r = R(f"tt <- t.test({rvec(ya)}, {rvec(yb)}, var.equal={'TRUE' if eq else 'FALSE'}, "
                  f"conf.level={conf!r}); out(tt$statistic, tt$parameter, tt$p.value, tt$conf.int)")
            close(float(res.statistic), r[0], 1e-12, "t"); close(df, r[1], 1e-12, "df")
            close(float(res.pvalue), r[2], 1e-9, "p"); close(lo, r[3], 1e-9, "lo"); close(hi, r[4], 1e-9, "hi")
            src += f"; equal to 1e-9 to {RV()} t.test(a, b, var.equal={'TRUE' if eq else 'FALSE'})"
        else:
            ma, sa, na = a["mean"], a["sd"], a["n"]
            mb, sb, nb = b["mean"], b["sd"], b["n"]
            res = stats.ttest_ind_from_stats(ma, sa, na, mb, sb, nb, equal_var=eq)
            if eq:
                df = na + nb - 2.0
            else:
                va, vb = sa * sa / na, sb * sb / nb
                df = (va + vb) ** 2 / (va * va / (na - 1) + vb * vb / (nb - 1))
            src = (f"{SCIPY}: ttest_ind_from_stats({ma}, {sa}, {na}, {mb}, {sb}, {nb}, equal_var={eq}) -> statistic,"
                   f" pvalue; df by hand ({'n_a+n_b-2' if eq else 'Welch-Satterthwaite'}); interval by hand: "
                   f"diff +/- {SCIPY} t.ppf(1-(1-{conf})/2, df) se")
            lo = hi = None
        if eq:
            sp2 = ((na - 1) * sa * sa + (nb - 1) * sb * sb) / (na + nb - 2)
            se = math.sqrt(sp2 * (1 / na + 1 / nb))
            src += "; se = pooled sd sqrt(1/n_a+1/n_b) by hand"
        else:
            se = math.sqrt(sa * sa / na + sb * sb / nb)
            src += "; se = sqrt(s_a^2/n_a + s_b^2/n_b) by hand"
        diff = ma - mb
        close(float(res.statistic), diff / se, 1e-12, "stat")
        if lo is None:
            q = tq(conf, df)
            lo, hi = diff - q * se, diff + q * se
        exp = {"estimate_a": ma, "estimate_b": mb, "difference": diff, "se": se, "statistic": float(res.statistic),
               "df": df, "p_value": float(res.pvalue), "lower": lo, "upper": hi,
               "significant": bool(res.pvalue < 1 - conf), "method": method, "confidence": conf}
        inp = {"a": a, "b": b}
        if not omit:
            inp.update({"method": method, "confidence": conf})
        cases.append(case(name, inp, exp, TOL, src))

    A = {"values": arr(V12)}
    B = {"values": arr([2.5, 3.0, 4.0, 1.75, 3.5, 2.0, 2.25, 3.75, 1.5])}
    add("values_welch_defaults", A, B, omit=True)
    add("values_student", A, B, "student")
    add("values_welch_c99", A, B, "welch", 0.99)
    add("csat_student_c90", {"values": arr(CSAT)}, {"values": arr(CES[:10])}, "student", 0.90)
    add("nearly_equal_not_significant", {"values": [3.0, 4.0, 5.0, 4.0]}, {"values": [4.0, 3.0, 5.0, 4.5, 3.5]})
    add("summary_welch", {"mean": 4.12, "sd": 0.87, "n": 250}, {"mean": 3.95, "sd": 1.02, "n": 180})
    add("summary_student_c90", {"mean": 4.12, "sd": 0.87, "n": 250}, {"mean": 3.95, "sd": 1.02, "n": 180},
        "student", 0.90)
    add("summary_welch_small_n", {"mean": 5.6, "sd": 1.3, "n": 8}, {"mean": 4.1, "sd": 2.2, "n": 11}, "welch", 0.95)
    cases += [
        err("error_unknown_method", {"a": A, "b": B, "method": "mann_whitney"}, "unknown_method",
            "hand: methods are welch|student"),
        err("error_group_n1", {"a": {"values": [3.0]}, "b": B}, "insufficient_data",
            "hand: mean with n < 2 (sd undefined)"),
        err("error_summary_n1", {"a": {"mean": 3.0, "sd": 1.0, "n": 1}, "b": {"mean": 3.5, "sd": 1.0, "n": 10}},
            "insufficient_data", "hand: t with n < 2"),
        err("error_confidence_1.5", {"a": A, "b": B, "confidence": 1.5}, "invalid_confidence", "hand"),
    ]
    return write("compare_means", "Difference of two means (a - b), Welch or Student t", cases)


ALL = [mean_score_cases, ces_cases, mean_from_summary_cases, compare_means_cases]
