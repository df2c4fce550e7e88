"""grouped and partials: expectations are each group's / the concatenated data's metric computed independently."""
import math

import numpy as np

from common import arr, case, err, write
from gen_means import mean_expect
from gen_nps import D150, W150, D20, D20_NAN, W20, W20_NAN
from gen_topbox_sentiment import topbox_expect, sentiment_expect, CSAT, W16, LABELS, W_LAB
from props import interval

NaN = float("nan")
TOL = 1e-9


def grouped_expect(values, keys, per_group):
    """per_group(vals, weights_or_None) -> (estimate, se, lower, upper, n, n_missing, effective_n, weight_sum, src)."""
    tuples = sorted(set(zip(*keys)))
    exp = {}
    srcs = []
    for gi, t in enumerate(tuples):
        rows = [i for i in range(len(values)) if tuple(k[i] for k in keys) == t]
        for j, kv in enumerate(t):
            exp[f"keys.{j}.{gi}"] = kv
        res, src = per_group(rows)
        for fld, v in res.items():
            exp[f"{fld}.{gi}"] = v
        srcs.append(f"group {t}: {src}")
    return exp, tuples, srcs


def grouped_cases():
    cases = []
    rng = np.random.default_rng(31)
    # NPS by region x channel, 60 rows, with missing answers
    vals = [float(v) for v in D150[:60]]
    for i in (4, 17, 33):
        vals[i] = NaN
    k0 = [int(v) for v in rng.integers(0, 2, 60)]
    k1 = [int(v) for v in rng.integers(0, 3, 60)]

    from npsref import nps_expect

    def nps_group(rows, weights=None):
        e, s = nps_expect([vals[i] for i in rows], None if weights is None else [weights[i] for i in rows])
        out = {"n": e["n"], "n_missing": e["n_missing"], "estimate": e["nps"], "se": e["se"], "lower": e["lower"],
               "upper": e["upper"], "effective_n": e["effective_n"], "status": "ok"}
        if weights is not None:
            out["weight_sum"] = e["weight_sum"]
        return out, s

    exp, tuples, srcs = grouped_expect(vals, [k0, k1], nps_group)
    cases.append(case("nps_two_keys_adjusted_wald", {"metric": "nps", "values": arr(vals), "keys": [k0, k1]}, exp,
                      TOL, "each group computed separately (default adjusted_wald, 95%): " + " | ".join(
                          s.split(";")[0] for s in srcs) + "; formulas as in nps.json d20_defaults_adjusted_wald"))
    w60 = W150[:60]
    exp, tuples, srcs = grouped_expect(vals, [k0, k1], lambda rows: nps_group(rows, w60))
    cases.append(case("nps_two_keys_weighted", {"metric": "nps", "values": arr(vals), "keys": [k0, k1],
                                                "weights": arr(w60)}, exp, TOL,
                      "each group computed separately with its own design (not a domain estimate): per group "
                      + srcs[0].split(": ", 1)[1] + " (the weights of the 3 NaN rows are ignored)"))

    # top_box by one key with weights, plus a wilson_cc option
    kb = [0, 1, 1, 0, 2, 2, 1, 0, 0, 1, 2, 0, 1, 1, 2, 0]

    def tb_group(rows):
        e, s = topbox_expect([CSAT[i] for i in rows], [W16[i] for i in rows], method="jeffreys", conf=0.90)
        return {"n": e["n"], "n_missing": e["n_missing"], "estimate": e["share"], "se": e["se"],
                "lower": e["lower"], "upper": e["upper"], "effective_n": e["effective_n"],
                "weight_sum": e["weight_sum"], "status": "ok"}, s

    exp, tuples, srcs = grouped_expect(CSAT, [kb], tb_group)
    cases.append(case("top_box_one_key_weighted_jeffreys_c90",
                      {"metric": "top_box", "values": arr(CSAT), "keys": [kb], "weights": arr(W16),
                       "interval": "jeffreys", "confidence": 0.90}, exp, TOL,
                      "each group separately: " + srcs[0].split(":", 1)[1]))

    # mean by two keys, one group with a single valid value -> insufficient_data
    mv = [3.5, 4.0, 2.5, 5.0, 4.5, 3.0, NaN, 2.0, 4.0, 3.5, 1.5, 4.5, 5.0]
    a0 = [0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 0]
    a1 = [1, 1, 2, 2, 1, 1, 1, 1, 1, 0, 0, 0, 3]

    def mean_group(rows):
        v = [mv[i] for i in rows]
        valid = [x for x in v if not math.isnan(x)]
        if len(valid) < 2:
            return {"n": len(valid), "n_missing": len(v) - len(valid), "estimate": None, "se": None, "lower": None, "upper": None,
                    "status": "insufficient_data"}, "n < 2 -> status insufficient_data, estimate, se and limits null (undefined, typed by status)"
        e, s = mean_expect(v)
        return {"n": e["n"], "n_missing": e["n_missing"], "estimate": e["mean"], "se": e["se"], "lower": e["lower"],
                "upper": e["upper"], "effective_n": e["effective_n"], "status": "ok"}, s

    exp, tuples, srcs = grouped_expect(mv, [a0, a1], mean_group)
    cases.append(case("mean_two_keys_with_insufficient_group", {"metric": "mean", "values": arr(mv),
                                                                 "keys": [a0, a1]}, exp, TOL,
                      "each group separately (t interval, R t.test per group); group (0,3) has n=1 -> "
                      "insufficient_data; " + " | ".join(srcs)))

    # sentiment by one key
    ks = [i % 3 for i in range(len(LABELS))]

    def sent_group(rows):
        e, s = sentiment_expect([LABELS[i] for i in rows])
        return {"n": e["n"], "n_missing": e["n_missing"], "estimate": e["net_sentiment"], "se": e["net_se"],
                "lower": e["net_lower"], "upper": e["net_upper"], "effective_n": e["effective_n"],
                "status": "ok"}, s

    exp, tuples, srcs = grouped_expect(LABELS, [ks], sent_group)
    cases.append(case("sentiment_one_key", {"metric": "sentiment", "values": arr(LABELS), "keys": [ks]}, exp, TOL,
                      "each group separately: net sentiment with adjusted-Wald on -1..1; " + srcs[0]))
    cases += [
        err("error_keys_length_mismatch", {"metric": "nps", "values": [9, 7, 3], "keys": [[0, 1]]},
            "length_mismatch", "hand: key column length != values length"),
        err("error_unknown_metric", {"metric": "median", "values": [9, 7, 3], "keys": [[0, 1, 0]]},
            "unknown_method", "hand: metric is nps|top_box|mean|ces|sentiment"),
        err("error_empty_values", {"metric": "nps", "values": [], "keys": [[]]}, "empty_input", "hand"),
    ]
    return write("grouped", "One-pass grouped metrics; groups ordered by key tuple ascending", cases)


def partials_cases():
    cases = []
    from npsref import nps_expect
    # NPS, unweighted, 3 shards incl. missing
    parts = [D20_NAN[:7], D20_NAN[7:15], D20_NAN[15:]]
    e, s = nps_expect(D20_NAN)
    cases.append(case("nps_three_shards", {"metric": "nps", "parts": [{"scores": arr(p)} for p in parts]}, e, TOL,
                      "whole data = nps.json d20_with_missing: " + s))
    e, s = nps_expect(D20_NAN, None, "t", 0.90)
    cases.append(case("nps_three_shards_t_c90", {"metric": "nps", "parts": [{"scores": arr(p)} for p in parts],
                                                 "interval": "t", "confidence": 0.90}, e, TOL, "whole data: " + s))
    e, s = nps_expect(D20, None, "exact_bootstrap", 0.95)
    cases.append(case("nps_two_shards_exact_bootstrap",
                      {"metric": "nps", "parts": [{"scores": arr(D20[:12])}, {"scores": arr(D20[12:])}],
                       "interval": "exact_bootstrap"}, e, TOL, "whole data: " + s))
    # weighted NPS shards
    wp = [(D150[:50], W150[:50]), (D150[50:110], W150[50:110]), (D150[110:], W150[110:])]
    e, s = nps_expect(D150, W150, "wald", 0.95)
    cases.append(case("nps_weighted_three_shards_wald",
                      {"metric": "nps", "parts": [{"scores": arr(a), "weights": arr(b)} for a, b in wp],
                       "interval": "wald"}, e, TOL, "whole data: " + s))
    # top box
    tp = [CSAT[:6], CSAT[6:]]
    e, s = topbox_expect(CSAT, None, method="clopper_pearson")
    cases.append(case("top_box_two_shards", {"metric": "top_box", "parts": [{"scores": arr(p)} for p in tp],
                                             "interval": "clopper_pearson"}, e, TOL, "whole data: " + s))
    e, s = topbox_expect(CSAT, W16, method="wilson")
    cases.append(case("top_box_weighted_two_shards",
                      {"metric": "top_box", "parts": [{"scores": arr(CSAT[:9]), "weights": arr(W16[:9])},
                                                      {"scores": arr(CSAT[9:]), "weights": arr(W16[9:])}]},
                      e, TOL, "whole data: " + s))
    # mean
    mv = [3.5, 4.25, 2.0, 5.0, 3.75, NaN, 4.5, 1.5, 3.0, 4.0, 2.75, 3.25, 4.75]
    e, s = mean_expect(mv)
    cases.append(case("mean_three_shards", {"metric": "mean", "parts": [{"values": arr(mv[:4])},
                                                                        {"values": arr(mv[4:9])},
                                                                        {"values": arr(mv[9:])}]}, e, TOL,
                      "whole data: " + s))
    mw = [1.0, 2.0, 0.5, 1.5, 1.0, 3.0, 0.8, 1.2, 2.2, 0.6, 1.0, 1.4, 0.9]
    e, s = mean_expect(mv, mw)
    cases.append(case("mean_weighted_two_shards",
                      {"metric": "mean", "parts": [{"values": arr(mv[:6]), "weights": arr(mw[:6])},
                                                   {"values": arr(mv[6:]), "weights": arr(mw[6:])}]}, e, TOL,
                      "whole data: " + s))
    # sentiment
    e, s = sentiment_expect(LABELS)
    cases.append(case("sentiment_two_shards", {"metric": "sentiment", "parts": [{"labels": arr(LABELS[:10])},
                                                                                {"labels": arr(LABELS[10:])}]},
                      e, TOL, "whole data: " + s))
    # churn
    start, lost = 600 + 400 + 250, 15 + 17 + 4
    c = lost / start
    ann = 1 - (1 - c) ** 12
    lo, hi, isrc = interval(lost, start, "wilson", 0.95)
    cases.append(case("churn_three_shards", {"metric": "churn", "parts": [
        {"customers_start": 600, "lost": 15}, {"customers_start": 400, "lost": 17},
        {"customers_start": 250, "lost": 4}]},
        {"churn_rate": c, "retention_rate": 1 - c, "annualised_churn": ann, "annualised_retention": 1 - ann,
         "customers_start": float(start), "lost": float(lost), "lower": lo, "upper": hi, "interval": "wilson",
         "confidence": 0.95, "period_months": 1.0, "base": "start"}, TOL,
        f"hand: whole data start={start}, lost={lost}; churn = lost/start, annualised 1-(1-c)^12; interval {isrc}"))
    cases += [
        err("nps_incompatible_bands", {"metric": "nps", "parts": [{"scores": [9, 7, 3], "promoter_min": 9},
                                                                  {"scores": [8, 6], "promoter_min": 8}]},
            "incompatible_partials", "hand: partials computed with different promoter_min cannot be merged"),
        err("top_box_incompatible_k", {"metric": "top_box", "parts": [{"scores": [5, 4, 3], "k": 2},
                                                                      {"scores": [5, 1], "k": 1}]},
            "incompatible_partials", "hand: partials computed with different k cannot be merged"),
    ]
    return write("partials", "Mergeable partials: merge(shards) then finish == metric on the concatenated data", cases)


ALL = [grouped_cases, partials_cases]
