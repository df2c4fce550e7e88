"""top_box, sentiment_share, sentiment_from_counts."""
import math

from common import R, RV, SCIPY, SURVEY, arr, case, close, err, rvec, write, zq, tq
from npsref import adj_wald_se, kish
from props import interval

NaN = float("nan")
TOL = 1e-9

CSAT = [4, 5, 3, 5, 4, 2, 5, 4, 3, 4, 5, 1, 4, 4, 5, 3]
W16 = [1.0, 0.5, 2.0, 1.5, 1.0, 0.8, 1.2, 2.5, 0.6, 1.0, 1.1, 3.0, 0.9, 1.0, 0.7, 1.3]


def topbox_expect(scores, weights=None, smin=1, smax=5, side="top", k=2, method="wilson", conf=0.95):
    idx = [i for i, v in enumerate(scores) if not (isinstance(v, float) and math.isnan(v))]
    thr = smax - k + 1 if side == "top" else smin + k - 1
    s = [1 if ((scores[i] >= thr) if side == "top" else (scores[i] <= thr)) else 0 for i in idx]
    n = len(s)
    exp = {"n": n, "n_missing": len(scores) - n, "interval": method, "confidence": conf}
    rule = f"success = answer {'>=' if side == 'top' else '<='} {thr}"
    if weights is None:
        x = sum(s)
        lo, hi, isrc = interval(x, n, method, conf)
        p = x / n
        exp.update({"share": p, "successes": float(x), "effective_n": float(n), "se": math.sqrt(p * (1 - p) / n),
                    "lower": lo, "upper": hi, "weighted": False})
        return exp, f"hand: {rule}: x={x}, n={n}, se=sqrt(p(1-p)/n); interval {isrc}"
    w = [float(weights[i]) for i in idx]
    r = R(f"d <- data.frame(s={rvec(s)}, w={rvec(w)}); des <- svydesign(ids=~1, weights=~w, data=d);"
          f"m <- svymean(~s, des); tot <- svytotal(~s, des); out(coef(m), SE(m), coef(tot))")
    share, se, tot = r
    m = kish(w)
    lo, hi, isrc = interval(share * m, m, method, conf)
    exp.update({"share": share, "successes": tot, "effective_n": m, "weight_sum": math.fsum(w), "se": se,
                "lower": lo, "upper": hi, "weighted": True})
    return exp, (f"{SURVEY()}: {rule}; des <- svydesign(ids=~1, weights=~w, data=d); svymean(~s, des) -> share, se;"
                 f" svytotal(~s, des) -> successes; m = Kish n = {m!r} (hand); interval on (x=share*m, n=m): {isrc}")


def top_box_cases():
    cases = []

    def add(name, scores, weights=None, note="", **opts):
        exp, src = topbox_expect(scores, weights, opts.get("scale_min", 1), opts.get("scale_max", 5),
                                 opts.get("side", "top"), opts.get("k", 2), opts.get("interval", "wilson"),
                                 opts.get("confidence", 0.95))
        inp = {"scores": arr(scores)}
        if weights is not None:
            inp["weights"] = arr(weights)
        inp.update(opts)
        cases.append(case(name, inp, exp, TOL, src + note))

    add("csat_top2_defaults", CSAT)
    add("csat_top1_clopper_pearson", CSAT, k=1, interval="clopper_pearson")
    add("csat_bottom2_jeffreys_c90", CSAT, side="bottom", k=2, interval="jeffreys", confidence=0.90)
    add("csat_with_missing", CSAT[:5] + [NaN] + CSAT[5:] + [NaN, NaN], missing="exclude")
    add("csat_weighted_wilson", CSAT, W16)
    add("csat_weighted_agresti_coull_c99", CSAT, W16, interval="agresti_coull", confidence=0.99)
    add("csat_weighted_clopper_pearson", CSAT, W16, interval="clopper_pearson")
    add("csat_weighted_with_missing_wald", CSAT[:3] + [NaN] + CSAT[3:], W16[:3] + [7.0] + W16[3:], interval="wald",
        note="; the NaN row (weight 7.0) is excluded")
    add("all_top_x_equals_n", [5, 4, 5, 5, 4], interval="wilson")
    add("none_top_x_zero", [1, 2, 3, 2, 1, 3], interval="jeffreys")
    add("n1_top", [5], interval="clopper_pearson")
    add("n1_not_top_wilson_cc", [2], interval="wilson_cc")
    add("scale_0_10_top3", [10, 9, 8, 7, 6, 5, 10, 3, 9, 8, 0, 7], scale_min=0, scale_max=10, k=3)
    add("scale_1_7_bottom1_wilson_cc_c99", [1, 2, 7, 1, 5, 6, 1, 4, 3, 1, 2], scale_min=1, scale_max=7,
        side="bottom", k=1, interval="wilson_cc", confidence=0.99)
    add("k4_max_on_1_5", CSAT, k=4)
    hand = "hand: API.md error rules (top_box default scale 1-5)"
    cases += [
        err("error_empty", {"scores": []}, "empty_input", hand),
        err("error_out_of_scale_6", {"scores": [5, 6, 4]}, "out_of_scale", hand + " (index 1 value 6)"),
        err("error_out_of_scale_0", {"scores": [5, 0, 4]}, "out_of_scale", hand + " (index 1 value 0)"),
        err("error_out_of_scale_minus_infinity", {"scores": arr([5, float("-inf"), 4])}, "out_of_scale", hand),
        err("error_non_integer", {"scores": [5, 3.5, 4]}, "non_integer", hand + " (index 1 value 3.5)"),
        err("error_nan_missing_error", {"scores": arr([5, NaN, 4]), "missing": "error"}, "missing_value", hand),
        err("error_all_missing", {"scores": arr([NaN, NaN])}, "insufficient_data", hand),
        err("error_k0", {"scores": [5, 4, 3], "k": 0}, "invalid_argument", hand + " (k in 1..4 on 1-5)"),
        err("error_k5_on_1_5", {"scores": [5, 4, 3], "k": 5}, "invalid_argument", hand + " (k in 1..4 on 1-5)"),
        err("error_unknown_side", {"scores": [5, 4, 3], "side": "middle"}, "unknown_method", hand),
        err("error_unknown_interval", {"scores": [5, 4, 3], "interval": "exact"}, "unknown_method", hand),
        err("error_weights_length_mismatch", {"scores": [5, 4, 3], "weights": [1.0, 2.0]}, "length_mismatch", hand),
        err("error_nan_weight", {"scores": [5, 4, 3], "weights": arr([1.0, NaN, 2.0])}, "invalid_weight", hand),
        err("error_negative_weight", {"scores": [5, 4, 3], "weights": [1.0, -1.0, 2.0]}, "invalid_weight", hand),
        err("error_zero_weight_sum", {"scores": [5, 4, 3], "weights": [0.0, 0.0, 0.0]}, "zero_weight_sum", hand),
        err("error_confidence_1", {"scores": [5, 4, 3], "confidence": 1.0}, "invalid_confidence", hand),
    ]
    return write("top_box", "Top-/bottom-k-box share (CSAT) with a proportion interval", cases)


LABELS = [1, 1, 0, -1, 1, 0, 0, -1, 1, 1, 0, 1, -1, 1, 0, 1, -1, 1, 1, 0, 0, 1, -1, 1, 1]
W_LAB = [1.0, 0.7, 1.3, 2.0, 0.9, 1.1, 0.6, 1.8, 1.0, 1.2, 0.8, 0.5, 2.2, 1.0, 1.4, 0.9, 1.6, 1.0, 0.75, 1.25,
         1.0, 0.85, 1.5, 1.05, 0.95]


def sentiment_expect(labels, weights=None, iv="adjusted_wald", siv="wilson", conf=0.95):
    idx = [i for i, v in enumerate(labels) if not (isinstance(v, float) and math.isnan(v))]
    y = [int(labels[i]) for i in idx]
    n = len(y)
    P, U, N = y.count(1), y.count(0), y.count(-1)
    z = zq(conf)
    exp = {"n": n, "n_missing": len(labels) - n, "n_positive": P, "n_neutral": U, "n_negative": N,
           "interval": iv, "share_interval": siv, "confidence": conf}
    if weights is None:
        p, u, d = P / n, U / n, N / n
        net = (P - N) / n
        exp.update({"positive_share": p, "neutral_share": u, "negative_share": d, "net_sentiment": net,
                    "effective_n": float(n), "weighted": False})
        src = f"hand: P={P}, U={U}, N={N}, n={n}; shares and net=(P-N)/n"
        if iv == "adjusted_wald":
            se = adj_wald_se(p, d, n)
            exp.update({"net_se": se, "net_lower": net - z * se, "net_upper": net + z * se})
            src += "; net interval: adjusted-Wald (NPS formula on -1..1): p'=(pn+.75)/(n+3), d' likewise, observed +/- z se"
        elif iv == "wald":
            se = math.sqrt((p + d - (p - d) ** 2) / n)
            exp.update({"net_se": se, "net_lower": net - z * se, "net_upper": net + z * se})
            src += "; net interval: Wald se=sqrt((p+d-(p-d)^2)/n)"
        elif iv == "t":
            r = R(f"tt <- t.test({rvec(y)}, conf.level={conf!r}); out(tt$conf.int, tt$stderr)")
            exp.update({"net_se": r[2], "net_lower": r[0], "net_upper": r[1]})
            src += f"; net interval: {RV()} t.test(labels, conf.level={conf!r})$conf.int, se=$stderr"
        lo, hi, s1 = interval(P, n, siv, conf)
        exp.update({"positive_lower": lo, "positive_upper": hi})
        src += f"; positive interval {s1}"
    else:
        w = [float(weights[i]) for i in idx]
        r = R(f"d <- data.frame(y={rvec(y)}, w={rvec(w)}); d$pos <- as.numeric(d$y==1); d$neu <- as.numeric(d$y==0);"
              f" d$neg <- as.numeric(d$y==-1); des <- svydesign(ids=~1, weights=~w, data=d);"
              f" s <- svymean(~y, des); sh <- svymean(~pos+neu+neg, des); out(coef(s), SE(s), coef(sh))")
        net, se_lin, p, u, d = r
        m = kish(w)
        exp.update({"positive_share": p, "neutral_share": u, "negative_share": d, "net_sentiment": net,
                    "effective_n": m, "weight_sum": math.fsum(w), "weighted": True})
        src = (f"{SURVEY()}: svydesign(ids=~1, weights=~w); svymean(~y) -> net, se_lin; svymean(~pos+neu+neg) -> "
               f"shares; m = Kish n (hand)")
        if iv == "adjusted_wald":
            se = adj_wald_se(p, d, m)
            src += "; net interval: adjusted-Wald with m = Kish n"
        else:
            se = se_lin
            src += "; net interval: Wald with se_lin"
        exp.update({"net_se": se, "net_lower": net - z * se, "net_upper": net + z * se})
        P_w = math.fsum(wi for wi, yi in zip(w, y) if yi == 1)
        N_w = math.fsum(wi for wi, yi in zip(w, y) if yi == -1)
        P, N = P_w, N_w
    if "net_lower" in exp and (exp["net_lower"] < -1 or exp["net_upper"] > 1):
        exp["net_lower"], exp["net_upper"] = max(exp["net_lower"], -1.0), min(exp["net_upper"], 1.0)
        src += "; net limits clipped to [-1, 1] (the attainable range)"
    if P + N == 0:
        exp.update({"polarity": None, "polarity_lower": None, "polarity_upper": None})
        src += "; P+N=0 so polarity and its limits are null"
    else:
        exp["polarity"] = (P - N) / (P + N)
        if weights is None:
            lo, hi, s2 = interval(P, P + N, siv, conf)
            exp.update({"polarity_lower": 2 * lo - 1, "polarity_upper": 2 * hi - 1})
            src += f"; polarity=(P-N)/(P+N); polarity limits = 2L-1, 2U-1 of {s2}"
        else:
            src += "; polarity=(wP-wN)/(wP+wN) by hand (weighted polarity limits not checked: spec leaves n open)"
    return exp, src


def sentiment_share_cases():
    cases = []

    def add(name, labels, weights=None, note="", **opts):
        exp, src = sentiment_expect(labels, weights, opts.get("interval", "adjusted_wald"),
                                    opts.get("share_interval", "wilson"), opts.get("confidence", 0.95))
        inp = {"labels": arr(labels)}
        if weights is not None:
            inp["weights"] = arr(weights)
        inp.update(opts)
        cases.append(case(name, inp, exp, TOL, src + note))

    add("labels25_defaults", LABELS)
    add("labels25_wald_jeffreys_c90", LABELS, interval="wald", share_interval="jeffreys", confidence=0.90)
    add("labels25_t_clopper_pearson_c99", LABELS, interval="t", share_interval="clopper_pearson", confidence=0.99)
    add("with_missing", LABELS[:4] + [NaN] + LABELS[4:] + [NaN])
    add("weighted_adjusted_wald", LABELS, W_LAB)
    add("weighted_wald_c90", LABELS, W_LAB, interval="wald", confidence=0.90)
    add("all_neutral_polarity_null", [0, 0, 0, 0])
    add("all_positive", [1, 1, 1, 1, 1, 1], share_interval="wilson_cc")
    add("n1_negative", [-1])
    # string labels (Python/Node; Rust via cxkpi::parse_sentiment_label)
    strs = ["positive", "Positive", "NEUTRAL", None, "negative", "positive", "Neutral", "NEGATIVE", "positive"]
    codes = [1, 1, 0, NaN, -1, 1, 0, -1, 1]
    exp, src = sentiment_expect(codes)
    cases.append(case("string_labels_case_insensitive", {"labels": strs}, exp, TOL,
                      src + "; strings mapped by hand: positive->+1, neutral->0, negative->-1 "
                            "(case-insensitive), null -> missing"))
    hand = "hand: API.md error rules"
    cases += [
        err("error_empty", {"labels": []}, "empty_input", hand),
        err("error_code_2", {"labels": [1, 2, 0]}, "out_of_scale", hand + " (other code -> out_of_scale)"),
        err("error_code_minus_2", {"labels": [1, -2, 0]}, "out_of_scale", hand),
        err("error_all_missing", {"labels": arr([NaN, NaN])}, "insufficient_data", hand),
        err("error_nan_missing_error", {"labels": arr([1, NaN, 0]), "missing": "error"}, "missing_value", hand),
        err("error_unknown_interval", {"labels": [1, 0, -1], "interval": "bayes"}, "unknown_method", hand),
        err("error_unknown_share_interval", {"labels": [1, 0, -1], "share_interval": "exact"}, "unknown_method",
            hand),
        err("error_weights_length_mismatch", {"labels": [1, 0, -1], "weights": [1.0]}, "length_mismatch", hand),
        err("error_negative_weight", {"labels": [1, 0, -1], "weights": [1.0, -1.0, 1.0]}, "invalid_weight", hand),
        err("error_t_n1", {"labels": [1], "interval": "t"}, "insufficient_data", hand + " (t with n < 2)"),
        err("error_confidence_1.5", {"labels": [1, 0, -1], "confidence": 1.5}, "invalid_confidence", hand),
    ]
    return write("sentiment_share", "Sentiment shares, net sentiment and polarity from -1/0/+1 labels", cases)


def sentiment_from_counts_cases():
    cases = []
    for nm, (P, U, N, iv, siv, conf) in {
        "c60_25_15_defaults": (60, 25, 15, None, None, None),
        "c60_25_15_wald_agresti_coull_c99": (60, 25, 15, "wald", "agresti_coull", 0.99),
        "c10_5_5_t_wilson_cc_c90": (10, 5, 5, "t", "wilson_cc", 0.90),
        "c0_7_0_all_neutral": (0, 7, 0, None, None, None),
        "c0_3_9_no_positive_jeffreys": (0, 3, 9, "adjusted_wald", "jeffreys", 0.95),
        "c1_0_0_n1": (1, 0, 0, "adjusted_wald", "clopper_pearson", 0.95),
    }.items():
        labels = [1] * P + [0] * U + [-1] * N
        exp, src = sentiment_expect(labels, None, iv or "adjusted_wald", siv or "wilson", conf or 0.95)
        inp = {"positive": P, "neutral": U, "negative": N}
        if iv:
            inp["interval"] = iv
        if siv:
            inp["share_interval"] = siv
        if conf:
            inp["confidence"] = conf
        cases.append(case(nm, inp, exp, TOL, src))
    cases += [
        err("error_all_zero", {"positive": 0, "neutral": 0, "negative": 0}, "insufficient_data",
            "hand: no answers"),
        err("error_confidence_0", {"positive": 3, "neutral": 1, "negative": 0, "confidence": 0.0},
            "invalid_confidence", "hand"),
    ]
    return write("sentiment_from_counts", "Sentiment result from positive/neutral/negative counts", cases)


ALL = [top_box_cases, sentiment_share_cases, sentiment_from_counts_cases]
