"""nps, nps_from_counts, compare_nps."""
import math

import numpy as np
from scipy import stats

from common import R, RV, SCIPY, SURVEY, arr, case, close, err, rvec, write, zq
from npsref import adj_wald_se, categorise, kish, nps_expect

NaN = float("nan")
TOL = 1e-9

D20 = [10, 9, 9, 10, 8, 7, 6, 5, 9, 10, 3, 8, 9, 7, 10, 0, 9, 6, 8, 10]
W20 = [1.2, 0.8, 1.0, 2.5, 0.5, 1.1, 0.9, 1.6, 0.7, 1.3, 2.0, 0.6, 1.0, 1.4, 0.8, 3.0, 1.0, 0.9, 1.2, 0.75]
D20_NAN = [10, 9, NaN, 9, 10, 8, 7, 6, 5, 9, NaN, 10, 3, 8, 9, 7, 10, 0, 9, 6, 8, NaN, 10]
W20_NAN = [1.2, 0.8, 5.0, 1.0, 2.5, 0.5, 1.1, 0.9, 1.6, 0.7, 0.4, 1.3, 2.0, 0.6, 1.0, 1.4, 0.8, 3.0, 1.0, 0.9, 1.2,
           2.2, 0.75]


def gen_scores(seed, n, probs):
    rng = np.random.default_rng(seed)
    return [int(v) for v in rng.choice(11, size=n, p=probs)]


P_A = [0.03, 0.02, 0.02, 0.03, 0.04, 0.06, 0.08, 0.14, 0.18, 0.2, 0.2]
P_B = [0.06, 0.04, 0.04, 0.05, 0.07, 0.1, 0.1, 0.15, 0.15, 0.12, 0.12]
D150 = gen_scores(11, 150, P_A)
W150 = [round(float(x), 3) for x in np.random.default_rng(12).uniform(0.3, 3.0, 150)]
D120B = gen_scores(13, 120, P_B)
W120B = [round(float(x), 3) for x in np.random.default_rng(14).uniform(0.5, 2.0, 120)]


def nps_cases():
    cases = []

    def add(name, scores, weights=None, tol=TOL, note="", **opts):
        exp, src = nps_expect(scores, weights, opts.get("interval", "adjusted_wald"), opts.get("confidence", 0.95),
                              opts.get("promoter_min", 9), opts.get("detractor_max", 6))
        inp = {"scores": arr(scores)}
        if weights is not None:
            inp["weights"] = arr(weights)
        inp.update(opts)
        cases.append(case(name, inp, exp, tol, src + note))

    add("d20_defaults_adjusted_wald", D20)
    add("d20_wald", D20, interval="wald")
    add("d20_t", D20, interval="t")
    add("d20_adjusted_wald_c90", D20, interval="adjusted_wald", confidence=0.90)
    add("d20_wald_c99", D20, interval="wald", confidence=0.99)
    add("d20_t_c99", D20, interval="t", confidence=0.99)
    add("d20_with_missing", D20_NAN, interval="adjusted_wald", missing="exclude")
    add("d150_adjusted_wald", D150)
    add("d150_t_c90", D150, interval="t", confidence=0.90)
    add("d20_weighted_adjusted_wald", D20, W20)
    add("d20_weighted_wald", D20, W20, interval="wald")
    add("d20_weighted_t", D20, W20, interval="t")
    add("d20_weighted_with_missing", D20_NAN, W20_NAN, interval="wald",
        note="; rows with NaN scores (and their weights 5.0, 0.4, 2.2) are excluded")
    add("d150_weighted_adjusted_wald_c99", D150, W150, interval="adjusted_wald", confidence=0.99)
    add("d150_weighted_wald_c90", D150, W150, interval="wald", confidence=0.90)
    add("n1_promoter_adjusted_wald", [9], note="; n=1: interval not clipped to [-100,100] (API.md: observed +/- z se)")
    add("n1_detractor_wald", [4], interval="wald", note="; se = 0 so the interval is the point")
    add("all_promoters_adjusted_wald", [9, 10, 10, 9, 9, 10, 10, 9, 10, 10],
        note="; interval not clipped to [-100,100]")
    add("all_detractors_adjusted_wald_c90", [0, 3, 6, 5, 1, 6, 2, 4], confidence=0.90,
        note="; interval not clipped to [-100,100]")
    add("all_passives", [7, 8, 8, 7, 7, 8], interval="adjusted_wald")
    add("custom_bands_8_and_5", D20, promoter_min=8, detractor_max=5)
    add("five_point_scale_custom_bands", [5, 4, 3, 5, 1, 2, 5, 4, 4, 3, 5, 2], scale_min=1, scale_max=5,
        promoter_min=5, detractor_max=3, interval="wald")
    # exact bootstrap
    add("exact_bootstrap_n1", [10], interval="exact_bootstrap")
    add("exact_bootstrap_n5", [10, 9, 7, 3, 9], interval="exact_bootstrap")
    add("exact_bootstrap_n10", [10, 9, 8, 7, 6, 10, 9, 2, 9, 8], interval="exact_bootstrap")
    add("exact_bootstrap_n20", D20, interval="exact_bootstrap")
    add("exact_bootstrap_n20_c90", D20, interval="exact_bootstrap", confidence=0.90)
    add("exact_bootstrap_n20_with_missing", D20_NAN, interval="exact_bootstrap", confidence=0.99)

    # seeded bootstrap: only closeness to the Wald interval on a large n
    block = [10] * 9 + [9] * 7 + [8] * 5 + [7] * 3 + [6] * 2 + [4] * 2 + [1] * 2  # 30 answers: P=16 U=8 D=6
    scores = block * 10  # n = 300
    ew, _ = nps_expect(scores, None, "wald", 0.95)
    cases.append(case("bootstrap_n300_close_to_wald", {"scores": arr(scores), "interval": "bootstrap",
                                                        "resamples": 2000, "seed": 42},
                      {"nps": ew["nps"], "n": 300, "lower": ew["lower"], "upper": ew["upper"],
                       "interval": "bootstrap"}, 0.05,
                      "hand: NOT a reproduction of the seeded bootstrap (not reproducible elsewhere). Expected "
                      "lower/upper are the Wald interval nps +/- z sqrt((p+d-(p-d)^2)/n) (P=160, U=80, D=60, n=300);"
                      " tolerance 0.05 relative (~1.2 and ~2.2 NPS points on the two limits; the Monte-Carlo sd of "
                      "a 2000-replicate percentile limit is ~0.3 point here)"))

    hand = "hand: API.md error rules"
    cases += [
        err("error_empty", {"scores": []}, "empty_input", hand + " (empty column)"),
        err("error_nan_with_missing_error", {"scores": arr([9, 10, NaN, 3]), "missing": "error"}, "missing_value",
            hand + " (NaN at index 2, missing='error')"),
        err("error_out_of_scale_11", {"scores": [9, 10, 11, 3]}, "out_of_scale", hand + " (index 2 value 11)"),
        err("error_out_of_scale_negative", {"scores": [9, -1, 3]}, "out_of_scale", hand + " (index 1 value -1)"),
        err("error_out_of_scale_infinity", {"scores": arr([9, float("inf"), 3])}, "out_of_scale",
            hand + " (+inf answer)"),
        err("error_non_integer", {"scores": [9, 7.5, 3]}, "non_integer", hand + " (index 1 value 7.5)"),
        err("error_all_missing", {"scores": arr([NaN, NaN])}, "insufficient_data",
            hand + " (no valid answers left)"),
        err("error_weights_length_mismatch", {"scores": [9, 7, 3], "weights": [1.0, 1.0]}, "length_mismatch",
            hand),
        err("error_negative_weight", {"scores": [9, 7, 3], "weights": [1.0, -0.5, 1.0]}, "invalid_weight",
            hand + " (index 1 value -0.5)"),
        err("error_nan_weight", {"scores": [9, 7, 3], "weights": arr([1.0, NaN, 1.0])}, "invalid_weight",
            hand + " (index 1 NaN)"),
        err("error_infinite_weight", {"scores": [9, 7, 3], "weights": arr([1.0, 1.0, float("inf")])},
            "invalid_weight", hand + " (index 2 inf)"),
        err("error_all_zero_weights", {"scores": [9, 7, 3], "weights": [0.0, 0.0, 0.0]}, "zero_weight_sum", hand),
        err("error_zero_weights_on_valid_rows", {"scores": arr([9, NaN, 3]), "weights": [0.0, 2.0, 0.0]},
            "zero_weight_sum", hand + " (only the missing row has weight)"),
        err("error_confidence_0", {"scores": [9, 7, 3], "confidence": 0.0}, "invalid_confidence", hand),
        err("error_confidence_1", {"scores": [9, 7, 3], "confidence": 1.0}, "invalid_confidence", hand),
        err("error_confidence_1.5", {"scores": [9, 7, 3], "confidence": 1.5}, "invalid_confidence", hand),
        err("error_unknown_interval", {"scores": [9, 7, 3], "interval": "bayesian"}, "unknown_method", hand),
        err("error_unknown_missing_policy", {"scores": [9, 7, 3], "missing": "drop"}, "unknown_method", hand),
        err("error_t_with_n1", {"scores": [9], "interval": "t"}, "insufficient_data",
            hand + " (t interval with n < 2)"),
        err("error_t_with_n1_after_missing", {"scores": arr([NaN, 9, NaN]), "interval": "t"}, "insufficient_data",
            hand + " (one valid answer)"),
        err("error_exact_bootstrap_weighted", {"scores": [9, 7, 3], "weights": [1.0, 2.0, 1.0],
                                               "interval": "exact_bootstrap"}, "unsupported",
            hand + " (exact_bootstrap is unweighted only)"),
    ]
    return write("nps", "Net Promoter Score from raw 0-10 answers", cases)


def counts_expect(P, U, D, interval="adjusted_wald", conf=0.95):
    scores = [10] * P + [7] * U + [0] * D
    exp, src = nps_expect(scores, None, interval, conf)
    return exp, src.replace("hand: counts", "hand: from counts")


def nps_from_counts_cases():
    cases = []
    for nm, (P, U, D, iv, conf) in {
        "c120_50_30_defaults": (120, 50, 30, None, None),
        "c120_50_30_wald_c90": (120, 50, 30, "wald", 0.90),
        "c120_50_30_t_c99": (120, 50, 30, "t", 0.99),
        "c45_30_25_adjusted_wald_c99": (45, 30, 25, "adjusted_wald", 0.99),
        "c3_1_1_exact_bootstrap": (3, 1, 1, "exact_bootstrap", 0.95),
        "c6_8_6_exact_bootstrap_c90": (6, 8, 6, "exact_bootstrap", 0.90),
        "c1_0_0_adjusted_wald": (1, 0, 0, "adjusted_wald", 0.95),
        "c0_0_12_wald": (0, 0, 12, "wald", 0.95),
        "c2_0_1_t": (2, 0, 1, "t", 0.95),
    }.items():
        exp, src = counts_expect(P, U, D, iv or "adjusted_wald", conf or 0.95)
        inp = {"promoters": P, "passives": U, "detractors": D}
        if iv:
            inp["interval"] = iv
        if conf:
            inp["confidence"] = conf
        if "se_linearised" not in exp:
            pass
        cases.append(case(nm, inp, exp, TOL, src))
    # exact bootstrap on a larger n, still cheap to enumerate
    exp, src = counts_expect(40, 25, 35, "exact_bootstrap", 0.95)
    cases.append(case("c40_25_35_exact_bootstrap", {"promoters": 40, "passives": 25, "detractors": 35,
                                                    "interval": "exact_bootstrap"}, exp, TOL, src))
    # seeded bootstrap closeness
    ew, _ = counts_expect(900, 600, 500, "wald", 0.95)
    cases.append(case("bootstrap_n2000_close_to_wald", {"promoters": 900, "passives": 600, "detractors": 500,
                                                         "interval": "bootstrap", "resamples": 2000, "seed": 7},
                      {"nps": ew["nps"], "n": 2000, "lower": ew["lower"], "upper": ew["upper"],
                       "interval": "bootstrap"}, 0.04,
                      "hand: NOT a reproduction of the seeded bootstrap. Expected lower/upper = Wald interval "
                      "20 +/- 100 z sqrt((0.45+0.25-0.2^2)/2000); tolerance 0.04 relative (~0.7-0.9 NPS points)"))
    hand = "hand: API.md error rules"
    cases += [
        err("error_all_zero_counts", {"promoters": 0, "passives": 0, "detractors": 0}, "insufficient_data",
            hand + " (no answers)"),
        err("error_t_with_n1", {"promoters": 0, "passives": 1, "detractors": 0, "interval": "t"},
            "insufficient_data", hand + " (t with n=1)"),
        err("error_exact_bootstrap_n2001", {"promoters": 1000, "passives": 501, "detractors": 500,
                                            "interval": "exact_bootstrap"}, "invalid_argument",
            hand + " (exact_bootstrap needs n <= 2000)"),
        err("error_confidence_1", {"promoters": 5, "passives": 1, "detractors": 2, "confidence": 1.0},
            "invalid_confidence", hand),
        err("error_unknown_interval", {"promoters": 5, "passives": 1, "detractors": 2, "interval": "bca"},
            "unknown_method", hand),
    ]
    return write("nps_from_counts", "NPS from promoter/passive/detractor counts", cases)


def group_stats(call):
    """Per-group quantities for compare_nps: nps, p, d, m, se_lin, y (unweighted recoding)."""
    if "promoters" in call:
        scores = [10] * call["promoters"] + [7] * call["passives"] + [0] * call["detractors"]
        weights = None
    else:
        scores, weights = call["scores"], call.get("weights")
    ys, idx, _ = categorise([float(s) if not isinstance(s, str) else float("nan") for s in scores])
    n = len(ys)
    if weights is None:
        p, d = ys.count(1) / n, ys.count(-1) / n
        return {"nps": 100 * (ys.count(1) - ys.count(-1)) / n, "p": p, "d": d, "m": float(n), "weighted": False,
                "y": ys, "n": n, "se_lin": float(np.std(ys, ddof=1)) / math.sqrt(n)}
    w = [weights[i] for i in idx]
    r = R(f"d <- data.frame(y={rvec(ys)}, w={rvec(w)}); d$pro <- as.numeric(d$y==1); d$pas <- as.numeric(d$y==0); d$det <- as.numeric(d$y==-1); des <- svydesign(ids=~1, weights=~w, data=d);"
          f"s <- svymean(~y, des); sh <- svymean(~pro+det, des); out(coef(s), SE(s), coef(sh))")
    return {"nps": 100 * r[0], "p": r[2], "d": r[3], "m": kish(w), "weighted": True, "n": n, "se_lin": r[1]}


def compare_nps_cases():
    cases = []

    def add(name, a, b, method="adjusted_wald", conf=0.95, omit_opts=False):
        ga, gb = group_stats(a), group_stats(b)
        diff = ga["nps"] - gb["nps"]
        zc = zq(conf)
        exp = {"estimate_a": ga["nps"], "estimate_b": gb["nps"], "difference": diff, "method": method,
               "confidence": conf}
        wsrc = ""
        if ga["weighted"] or gb["weighted"]:
            wsrc = (f"; weighted groups: shares, nps and se_lin from {SURVEY()} svydesign(ids=~1, weights=~w) + "
                    f"svymean, m = Kish effective n (hand)")
        if method == "adjusted_wald":
            def var(g):
                pa = (g["p"] * g["m"] + 0.75) / (g["m"] + 3)
                da = (g["d"] * g["m"] + 0.75) / (g["m"] + 3)
                return (pa + da - (pa - da) ** 2) / (g["m"] + 3)
            se = math.sqrt(var(ga) + var(gb))
            zs = diff / 100 / se
            pv = 2 * stats.norm.sf(abs(zs))
            exp.update({"se": 100 * se, "statistic": zs, "df": None, "p_value": pv,
                        "lower": diff - 100 * zc * se, "upper": diff + 100 * zc * se})
            src = ("hand (Lewis & Sauro, MeasuringU 2021, adjusted-Wald per group as for the single interval): "
                   "p'=(p m+.75)/(m+3), d'=(d m+.75)/(m+3), "
                   "var=(p'+d'-(p'-d')^2)/(m+3); se=sqrt(var_a+var_b) (reported x100); z=(nps_a-nps_b)/100/se; "
                   f"p=2*{SCIPY} norm.sf(|z|); observed difference +/- z_crit se x100")
        elif method == "wald":
            def var(g):
                if g["weighted"]:
                    return g["se_lin"] ** 2
                return (g["p"] + g["d"] - (g["p"] - g["d"]) ** 2) / g["m"]
            se = math.sqrt(var(ga) + var(gb))
            zs = diff / 100 / se
            pv = 2 * stats.norm.sf(abs(zs))
            exp.update({"se": 100 * se, "statistic": zs, "df": None, "p_value": pv,
                        "lower": diff - 100 * zc * se, "upper": diff + 100 * zc * se})
            src = ("hand: var=(p+d-(p-d)^2)/n unweighted or se_lin^2 weighted; se=sqrt(var_a+var_b) (x100); "
                   f"z=diff/100/se; p=2*{SCIPY} norm.sf(|z|)")
        elif method == "welch":
            assert not ga["weighted"] and not gb["weighted"]
            res = stats.ttest_ind(ga["y"], gb["y"], equal_var=False)
            ci = res.confidence_interval(confidence_level=conf)
            va, vb = np.var(ga["y"], ddof=1) / ga["n"], np.var(gb["y"], ddof=1) / gb["n"]
            se = math.sqrt(va + vb)
            close(float(res.statistic), diff / 100 / se, 1e-12, "welch t")
            exp.update({"se": 100 * se, "statistic": float(res.statistic), "df": float(res.df),
                        "p_value": float(res.pvalue), "lower": 100 * float(ci.low), "upper": 100 * float(ci.high)})
            src = (f"{SCIPY}: r = ttest_ind(y_a, y_b, equal_var=False) on the -1/0/+1 recodings; statistic, df, "
                   f"pvalue; r.confidence_interval({conf}) x100; se = sqrt(s_a^2/n_a + s_b^2/n_b) x100 (hand)")
        exp["significant"] = bool(exp["p_value"] < 1 - conf)
        inp = {"a": a, "b": b}
        if not omit_opts:
            inp.update({"method": method, "confidence": conf})
        cases.append(case(name, inp, exp, TOL, src + wsrc))

    A = {"promoters": 120, "passives": 50, "detractors": 30}
    B = {"promoters": 90, "passives": 60, "detractors": 50}
    add("counts_defaults_adjusted_wald", A, B, omit_opts=True)
    add("counts_wald", A, B, "wald")
    add("counts_welch", A, B, "welch")
    add("counts_adjusted_wald_c99", A, B, "adjusted_wald", 0.99)
    sa, sb = {"scores": arr(D150)}, {"scores": arr(D120B)}
    add("scores_adjusted_wald_c90", sa, sb, "adjusted_wald", 0.90)
    add("scores_welch_c99", sa, sb, "welch", 0.99)
    add("scores_wald", {"scores": arr(D20_NAN)}, sb, "wald")
    wa, wb = {"scores": arr(D150), "weights": arr(W150)}, {"scores": arr(D120B), "weights": arr(W120B)}
    add("weighted_wald", wa, wb, "wald")
    add("weighted_adjusted_wald", wa, wb, "adjusted_wald")
    add("small_not_significant", {"promoters": 6, "passives": 3, "detractors": 3},
        {"promoters": 5, "passives": 3, "detractors": 4}, "adjusted_wald")
    add("small_welch_c90", {"scores": [10, 9, 3, 8, 9]}, {"scores": [2, 6, 9, 7, 5, 0]}, "welch", 0.90)
    cases += [
        err("error_unknown_method", {"a": A, "b": B, "method": "bootstrap"}, "unknown_method",
            "hand: methods are adjusted_wald|wald|welch"),
        err("error_confidence_0", {"a": A, "b": B, "confidence": 0.0}, "invalid_confidence", "hand"),
        err("error_welch_group_n1", {"a": {"promoters": 1, "passives": 0, "detractors": 0}, "b": B,
                                     "method": "welch"}, "insufficient_data",
            "hand: Welch needs n >= 2 per group (sd undefined for n=1)"),
    ]
    return write("compare_nps", "Difference of two NPS (a - b)", cases)


ALL = [nps_cases, nps_from_counts_cases, compare_nps_cases]
