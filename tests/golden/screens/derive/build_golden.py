"""Builds tests/golden/screens/*.json (drift, manipulation screens, alerts) from independent references.

Run with the scratch venv (scipy, statsmodels, numpy):
    /work/scratch/venv/bin/python tests/golden/screens/derive/build_golden.py
Every expected number comes from a scipy / statsmodels call made below, or from a hand formula written out
here in plain Python (PSI, bias-corrected Cramér's V, near-duplicate clusters on Python sets of shingle
strings, alert explanations written by hand); each case's `source` records it. No value comes from cxkpi.
"""
import json
import math
import os
import unicodedata

import numpy as np
import scipy
import statsmodels
import statsmodels.api as sm
from scipy import stats
from scipy.spatial.distance import jensenshannon
from scipy.stats.contingency import association
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportions_ztest

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.dirname(HERE)
VER = f"scipy {scipy.__version__}, statsmodels {statsmodels.__version__}"
Q = 1e-9  # special function / iteration involved
C = 1e-12  # closed form


def write(name, function, description, cases):
    with open(os.path.join(OUT, f"{name}.json"), "w") as fh:
        json.dump({"function": function, "description": description, "cases": cases}, fh, indent=1,
                  ensure_ascii=False)
        fh.write("\n")
    print(name, len(cases))


rng = np.random.default_rng(20261123)


def r2(a):
    return [round(float(x), 2) for x in a]


# ------------------------------------------------------------------------------------------------ PSI
def psi_hand(ref, cur, edges, eps):
    """Bins (-inf,e1), [e1,e2), ..., [ek, inf): bin = number of edges <= x. Zero shares -> eps."""
    k = len(edges) + 1
    rc = [0] * k
    cc = [0] * k
    for x in ref:
        rc[sum(1 for e in edges if e <= x)] += 1
    for x in cur:
        cc[sum(1 for e in edges if e <= x)] += 1
    total = 0.0
    shares = []
    for a, b in zip(rc, cc):
        r = a / len(ref) or eps
        c = b / len(cur) or eps
        shares.append((r, c, (c - r) * math.log(c / r)))
        total += (c - r) * math.log(c / r)
    return total, rc, cc, shares


psi_cases = []
ref = r2(rng.normal(7.0, 1.5, 40))
cur = r2(rng.normal(7.6, 1.2, 30))
edges = [4.0, 6.0, 7.0, 8.0, 9.0, 20.0]  # the last bin [20, inf) is empty in both samples
tot, rc, cc, sh = psi_hand(ref, cur, edges, 1e-4)
e = {"psi": tot, "n_replaced": sum(1 for x in rc if x == 0) + sum(1 for x in cc if x == 0), "bins.6.replaced": True, "bins.6.reference_count": 0,
     "bins.6.reference_share": 1e-4, "bins.6.current_share": 1e-4, "bins.6.contribution": 0.0}
for i in range(7):
    e[f"bins.{i}.reference_count"] = rc[i]
    e[f"bins.{i}.current_count"] = cc[i]
    e[f"bins.{i}.contribution"] = sh[i][2]
psi_cases.append({"name": "edges_empty_bin_epsilon", "input": {"reference": ref, "current": cur, "binning": "edges",
                  "edges": edges, "zero_policy": "epsilon", "epsilon": 1e-4}, "expect": e, "tolerance": C,
                  "source": "hand: shares per bin (-inf,4),[4,6),[6,7),[7,8),[8,9),[9,20),[20,inf); zero shares -> 1e-4; "
                            "PSI = sum (c - r) ln(c / r) (Python math.log, script build_golden.py psi_hand)"})
psi_cases.append({"name": "edges_empty_bin_error", "input": {"reference": ref, "current": cur, "binning": "edges",
                  "edges": edges, "zero_policy": "error"}, "error": {"kind": "invalid_argument"},
                  "source": "bin 6 [20, inf) is empty and zero_policy = error"})
# categories (sentiment labels -1 / 0 / 1 as codes)
refc = [1] * 52 + [0] * 28 + [-1] * 20
curc = [1] * 41 + [0] * 27 + [-1] * 32
r = np.array([20, 28, 52]) / 100
c = np.array([32, 27, 41]) / 100
psi_cases.append({"name": "categories_sentiment", "input": {"reference": refc, "current": curc, "binning": "categories"},
                  "expect": {"psi": float(np.sum((c - r) * np.log(c / r))), "bins.0.category": -1, "bins.2.category": 1,
                             "bins.0.reference_share": 0.2, "bins.0.current_share": 0.32, "n_replaced": 0},
                  "tolerance": C, "source": "hand: numpy sum((c - r) * log(c / r)) with r = (20, 28, 52)/100, c = (32, 27, 41)/100"})
# quantile bins of the reference (numpy quantile, linear = type 7)
refq = r2(rng.gamma(2.0, 2.0, 50))
curq = r2(rng.gamma(2.5, 2.0, 45))
qe = list(np.quantile(refq, [0.25, 0.5, 0.75]))
tot, rc, cc, sh = psi_hand(refq, curq, qe, 1e-4)
psi_cases.append({"name": "quartiles_of_reference", "input": {"reference": refq, "current": curq, "binning": "quantiles", "bins": 4},
                  "expect": {"psi": tot, "bins.1.lower": qe[0], "bins.1.upper": qe[1], "bins.3.lower": qe[2],
                             "bins.0.reference_count": rc[0], "bins.3.current_count": cc[3]},
                  "tolerance": C, "source": "hand: edges = numpy.quantile(reference, [0.25, 0.5, 0.75]) (type 7), then psi_hand"})
write("psi", "psi", "Population stability index with declared binning and zero policy", psi_cases)

# ------------------------------------------------------------------------------------------------ KS
ks_cases = []
a = r2(rng.normal(0, 1, 8))
b = r2(rng.normal(0.9, 1, 10))
k = stats.ks_2samp(a, b, method="exact")
ks_cases.append({"name": "exact_8_10", "input": {"reference": a, "current": b, "method": "exact"},
                 "expect": {"statistic": float(k.statistic), "p_value": float(k.pvalue), "method": "exact",
                            "sign": int(k.statistic_sign), "location": float(k.statistic_location)},
                 "tolerance": Q, "source": f"{VER}: scipy.stats.ks_2samp(reference, current, method='exact')"})
a = r2(rng.normal(0, 1, 12))
b = r2(rng.normal(0.5, 1.3, 12))
k = stats.ks_2samp(a, b, method="exact")
ks_cases.append({"name": "exact_equal_12", "input": {"reference": a, "current": b},
                 "expect": {"statistic": float(k.statistic), "p_value": float(k.pvalue), "method": "exact"},
                 "tolerance": Q, "source": f"{VER}: scipy.stats.ks_2samp(reference, current, method='exact'); input method auto -> exact"})
a = [round(float(x), 3) for x in rng.normal(0, 1, 60)]
b = [round(float(x), 3) for x in rng.normal(0.35, 1, 45)]
k = stats.ks_2samp(a, b, method="asymp")
en = 60 * 45 / 105
ks_cases.append({"name": "asymp_kolmogorov_60_45", "input": {"reference": a, "current": b, "method": "asymp"},
                 "expect": {"statistic": float(k.statistic), "p_value": float(stats.kstwobign.sf(math.sqrt(en) * k.statistic)),
                            "method": "asymp"},
                 "tolerance": Q, "source": f"{VER}: D = scipy.stats.ks_2samp(a, b, method='asymp').statistic; "
                 "p = scipy.stats.kstwobign.sf(sqrt(60*45/105) * D) (Smirnov's limiting distribution; scipy's own "
                 "method='asymp' p uses kstwo.sf(D, round(en)) instead and is not this value)"})
ks_cases.append({"name": "error_empty", "input": {"reference": [], "current": [1.0]}, "error": {"kind": "empty_input"},
                 "source": "empty reference"})
write("ks_2samp", "ks_2samp", "Two-sample Kolmogorov-Smirnov test, exact and asymptotic", ks_cases)

# ------------------------------------------------------------------------------------------------ JS
js_cases = []
p = [52, 28, 20, 0]
q = [41, 27, 30, 2]
js_cases.append({"name": "base2_with_zero", "input": {"p": p, "q": q, "base": "2"},
                 "expect": {"distance": float(jensenshannon(p, q, base=2)), "base": "2"},
                 "tolerance": C, "source": f"{VER}: scipy.spatial.distance.jensenshannon(p, q, base=2)"})
js_cases.append({"name": "base_e", "input": {"p": p, "q": q, "base": "e"},
                 "expect": {"distance": float(jensenshannon(p, q))},
                 "tolerance": C, "source": f"{VER}: scipy.spatial.distance.jensenshannon(p, q) (natural log)"})
js_cases.append({"name": "disjoint_is_one", "input": {"p": [1, 0], "q": [0, 3]},
                 "expect": {"distance": float(jensenshannon([1, 0], [0, 3], base=2))},
                 "tolerance": C, "source": f"{VER}: jensenshannon([1,0],[0,3], base=2) = 1"})
js_cases.append({"name": "error_length", "input": {"p": [1, 2], "q": [1, 2, 3]}, "error": {"kind": "length_mismatch"},
                 "source": "p and q differ in length"})
write("jensen_shannon", "jensen_shannon", "Jensen-Shannon distance", js_cases)

# ------------------------------------------------------------------------------------------------ chi-square
chi_cases = []
t = np.array([[120, 80, 45, 15], [98, 91, 60, 31], [60, 70, 40, 22]])
res = stats.chi2_contingency(t, correction=False)
n = t.sum()
r_, c_ = t.shape
phi2 = res.statistic / n
phi2c = max(0.0, phi2 - (r_ - 1) * (c_ - 1) / (n - 1))
rc_ = r_ - (r_ - 1) ** 2 / (n - 1)
cc_ = c_ - (c_ - 1) ** 2 / (n - 1)
vcorr = math.sqrt(phi2c / min(rc_ - 1, cc_ - 1))
chi_cases.append({"name": "three_by_four", "input": {"table": t.tolist(), "bias_corrected": True},
                  "expect": {"statistic": float(res.statistic), "p_value": float(res.pvalue), "df": int(res.dof),
                             "cramers_v": float(association(t, method="cramer")),
                             "cramers_v_corrected": vcorr, "expected.1.3": float(res.expected_freq[1][3]), "yates": False},
                  "tolerance": Q, "source": f"{VER}: scipy.stats.chi2_contingency(t, correction=False); "
                  "scipy.stats.contingency.association(t, method='cramer'); bias-corrected V (Bergsma 2013) by hand: "
                  "sqrt(max(0, phi2 - (r-1)(c-1)/(n-1)) / min(r~ - 1, c~ - 1)), r~ = r - (r-1)^2/(n-1)"})
t2 = np.array([[30, 10], [18, 22]])
res = stats.chi2_contingency(t2, correction=True)
chi_cases.append({"name": "two_by_two_yates", "input": {"table": t2.tolist(), "yates": True},
                  "expect": {"statistic": float(res.statistic), "p_value": float(res.pvalue), "df": 1, "yates": True,
                             "cramers_v": float(association(t2, method="cramer", correction=False))},
                  "tolerance": Q, "source": f"{VER}: scipy.stats.chi2_contingency(t, correction=True); V from "
                  "association(t, method='cramer', correction=False) (V uses the uncorrected chi-square)"})
chi_cases.append({"name": "error_zero_column", "input": {"table": [[1, 0, 3], [2, 0, 5]]}, "error": {"kind": "invalid_argument"},
                  "source": "column 1 sums to zero: expected counts 0"})
write("chi_square", "chi_square", "Chi-square test of homogeneity with Cramér's V", chi_cases)


# ------------------------------------------------------------------------------------------------ top-box inflation
def teams_data(sizes, probs):
    scores, teams = [], []
    for tm, (nn, pp) in enumerate(zip(sizes, probs)):
        for _ in range(nn):
            u = rng.random()
            s = 10 if u < pp else int(rng.integers(5, 9))
            scores.append(s)
            teams.append(tm)
    return scores, teams


sizes = [40, 35, 50, 30, 45]
scores, teams = teams_data(sizes, [0.35, 0.3, 0.4, 0.8, 0.33])
tb_cases = []
for test in ["fisher_exact", "z"]:
    pv, exp = [], {}
    S = np.array(scores)
    T = np.array(teams)
    for tm in range(5):
        own = S[T == tm] >= 9
        rest = S[T != tm] >= 9
        x1, n1, x2, n2 = int(own.sum()), len(own), int(rest.sum()), len(rest)
        if test == "fisher_exact":
            odds, p = stats.fisher_exact([[x1, n1 - x1], [x2, n2 - x2]], alternative="greater")
            exp[f"findings.{tm}.statistic"] = float(odds)
        else:
            z, p = proportions_ztest([x1, x2], [n1, n2], alternative="larger")
            exp[f"findings.{tm}.statistic"] = float(z)
        pv.append(float(p))
        exp[f"findings.{tm}.p_value"] = float(p)
        exp[f"findings.{tm}.value"] = x1 / n1
        exp[f"findings.{tm}.effect"] = x1 / n1 - x2 / n2
    holm = multipletests(pv, method="holm")[1]
    bh = multipletests(pv, method="fdr_bh")[1]
    for tm in range(5):
        exp[f"findings.{tm}.p_holm"] = float(holm[tm])
        exp[f"findings.{tm}.p_bh"] = float(bh[tm])
        exp[f"findings.{tm}.flagged"] = bool(holm[tm] <= 0.05)
    call = ("scipy.stats.fisher_exact([[x, n-x], [x_rest, n_rest-x_rest]], alternative='greater')" if test == "fisher_exact"
            else "statsmodels proportions_ztest([x, x_rest], [n, n_rest], alternative='larger')")
    tb_cases.append({"name": f"five_teams_{test}", "input": {"scores": scores, "teams": teams, "top_min": 9, "test": test},
                     "expect": exp, "tolerance": Q,
                     "source": f"{VER}: per team {call}; statsmodels multipletests(p, method='holm') and 'fdr_bh'; "
                               "team 3 planted with 80% top box"})
tb_cases.append({"name": "error_one_team", "input": {"scores": [9, 10, 3], "teams": [0, 0, 0]},
                 "error": {"kind": "insufficient_data"}, "source": "a single team has no peers"})
write("top_box_inflation", "top_box_inflation", "Top-box inflation of a team against the pooled rest", tb_cases)

# ------------------------------------------------------------------------------------------------ low variance
lv_cases = []
vals, tms = [], []
for tm, (nn, sd) in enumerate([(30, 2.0), (25, 0.5), (35, 1.8), (28, 2.2)]):
    v = np.clip(np.round(rng.normal(7.5, sd, nn)), 0, 10)
    vals += [float(x) for x in v]
    tms += [tm] * nn
V, T = np.array(vals), np.array(tms)
for test in ["brown_forsythe", "f_ratio"]:
    exp, pv = {}, []
    for tm in range(4):
        own, rest = V[T == tm], V[T != tm]
        if test == "brown_forsythe":
            d1, d2 = np.abs(own - np.median(own)), np.abs(rest - np.median(rest))
            tt = stats.ttest_ind(d1, d2, alternative="less")
            w = stats.levene(own, rest, center="median").statistic
            p = float(tt.pvalue)
            exp[f"findings.{tm}.statistic"] = float(tt.statistic)
            exp[f"findings.{tm}.measures.levene_w"] = float(w)
        else:
            fr = np.var(own, ddof=1) / np.var(rest, ddof=1)
            p = float(stats.f.cdf(fr, len(own) - 1, len(rest) - 1))
            exp[f"findings.{tm}.statistic"] = float(fr)
        exp[f"findings.{tm}.p_value"] = p
        exp[f"findings.{tm}.effect"] = float(np.var(own, ddof=1) / np.var(rest, ddof=1))
        pv.append(p)
    holm = multipletests(pv, method="holm")[1]
    bh = multipletests(pv, method="fdr_bh")[1]
    for tm in range(4):
        exp[f"findings.{tm}.p_holm"] = float(holm[tm])
        exp[f"findings.{tm}.p_bh"] = float(bh[tm])
    src = ("scipy.stats.levene(team, rest, center='median').statistic (= t^2) and "
           "scipy.stats.ttest_ind(|team - median(team)|, |rest - median(rest)|, alternative='less') for t and p"
           if test == "brown_forsythe" else "F = var(team, ddof=1)/var(rest, ddof=1); p = scipy.stats.f.cdf(F, n-1, n_rest-1)")
    lv_cases.append({"name": f"four_teams_{test}", "input": {"values": vals, "teams": tms, "test": test},
                     "expect": exp, "tolerance": Q,
                     "source": f"{VER}: {src}; multipletests holm / fdr_bh; team 1 planted with sd 0.5"})
write("low_variance", "low_variance", "Unusually low variance of a team against the pooled rest", lv_cases)


# ------------------------------------------------------------------------------------------------ duplicates
def norm(s):
    out, space = [], True
    for ch in unicodedata.normalize("NFKC", s).lower():
        if ch.isalnum():
            out.append(ch)
            space = False
        elif not space:
            out.append(" ")
            space = True
    return "".join(out).rstrip(" ")


def sh(s, k):
    return {s} if len(s) <= k else {s[i:i + k] for i in range(len(s) - k + 1)}


texts = [
    "The agent was very helpful and solved my problem quickly.",        # 0 \
    "Great product, but the app crashes when I open the reports tab.",  # 1
    "the agent was VERY helpful and solved my problem quickly!!",       # 2 / exact with 0 after normalisation
    "Delivery took three weeks and nobody answered my emails.",         # 3
    None,                                                               # 4 missing
    "The agent was very helpful and solved my problem so quickly.",     # 5 near 0
    "ok",                                                               # 6 short
    "Great product but the app crashes when I open the report tab",     # 7 near 1
    "Billing charged me twice this month and support was slow to fix it.",  # 8
    "The agent was very helpful and solved my problem quickly.",        # 9 exact with 0
    "Ｔｈｅ agent was very helpful and solved my problem quickly",        # 10 fullwidth -> NFKC exact with 0
    "I waited on hold for forty minutes before anyone picked up.",      # 11
]
tteams = [2, 0, 2, 1, 1, 2, 0, 0, 1, 2, 2, 1]
N = [None if t is None else norm(t) for t in texts]
scr = [i for i, s in enumerate(N) if s and len(s) >= 20]
k, thr = 5, 0.8
parent = list(range(len(texts)))


def fnd(x):
    while parent[x] != x:
        x = parent[x]
    return x


sims = {}
for i in scr:
    for j in scr:
        if i < j:
            a_, b_ = sh(N[i], k), sh(N[j], k)
            jac = len(a_ & b_) / len(a_ | b_)
            if jac >= thr:
                ri, rj = fnd(i), fnd(j)
                parent[max(ri, rj)] = min(ri, rj)
                if N[i] != N[j]:
                    sims[(i, j)] = jac
comps = {}
for i in scr:
    comps.setdefault(fnd(i), []).append(i)
clusters = sorted([sorted(v) for v in comps.values() if len(v) > 1])
exp = {"n_screened": len(scr), "n_missing": 1, "n_short": 1, "candidates": "all_pairs"}
for ci, rows in enumerate(clusters):
    for j, r in enumerate(rows):
        exp[f"clusters.{ci}.rows.{j}"] = r
    exp[f"clusters.{ci}.size"] = len(rows)
    exp[f"clusters.{ci}.distinct_texts"] = len({N[r] for r in rows})
    exp[f"clusters.{ci}.kind"] = "exact" if len({N[r] for r in rows}) == 1 else "near"
    exp[f"clusters.{ci}.text"] = N[rows[0]]
in_cl = {r for rows in clusters for r in rows}
exp["n_in_clusters"] = len(in_cl)
# near-cluster 0 links 0~5 (and the exact copies); its min similarity is the smallest linking pair over threshold
near0 = [v for (i, j), v in sims.items() if i in clusters[0] and j in clusters[0]]
exp["clusters.0.min_similarity"] = min(near0)
pv = []
for tm in range(3):
    rows = [i for i in scr if tteams[i] == tm]
    x1, n1 = sum(1 for i in rows if i in in_cl), len(rows)
    x2, n2 = len(in_cl) - x1, len(scr) - n1
    _, p = stats.fisher_exact([[x1, n1 - x1], [x2, n2 - x2]], alternative="greater")
    exp[f"findings.{tm}.p_value"] = float(p)
    exp[f"findings.{tm}.value"] = x1 / n1
    pv.append(float(p))
holm = multipletests(pv, method="holm")[1]
for tm in range(3):
    exp[f"findings.{tm}.p_holm"] = float(holm[tm])
dup_cases = [{"name": "exact_and_near_clusters", "input": {"texts": texts, "teams": tteams, "shingle": 5, "threshold": 0.8,
              "min_chars": 20, "candidates": "all_pairs"}, "expect": exp, "tolerance": Q,
              "source": "hand (Python, build_golden.py): NFKC + lower + non-alphanumeric -> one space; 5-character "
                        "shingle sets (Python sets of strings); Jaccard >= 0.8 over all pairs; connected components. "
                        f"Team findings: {VER} fisher_exact(..., alternative='greater'), multipletests holm"}]
exp2 = {k_: v for k_, v in exp.items() if k_.startswith("clusters") or k_ in ("n_screened", "n_in_clusters")}
exp2["candidates"] = "minhash_lsh"
dup_cases.append({"name": "minhash_lsh_same_clusters", "input": {"texts": texts, "shingle": 5, "threshold": 0.8,
                  "min_chars": 20, "candidates": "minhash_lsh", "bands": 32, "rows_per_band": 4},
                  "expect": exp2, "tolerance": Q,
                  "source": "same clusters as all_pairs (hand, above): every pair at Jaccard >= 0.8 is a candidate under 32 bands x 4 rows "
                            "with probability >= 1 - (1 - 0.8^4)^32 > 0.9999999; candidates verified exactly"})
dup_cases.append({"name": "error_threshold", "input": {"texts": ["abc"], "threshold": 1.5}, "error": {"kind": "invalid_argument"},
                  "source": "threshold must lie in (0, 1]"})
write("duplicate_verbatims", "duplicate_verbatims", "Duplicated and near-duplicated verbatims", dup_cases)

# ------------------------------------------------------------------------------------------------ selective filtering
sf_scores, sf_teams, sf_period = [], [], []
plan = {0: (7.0, 7.1, 40, 38), 1: (7.0, 8.3, 35, 30), 2: (7.2, 7.0, 45, 44)}
for tm, (mb, ma, nb, na) in plan.items():
    for per, (m, nn) in enumerate([(mb, nb), (ma, na)]):
        v = np.clip(np.round(rng.normal(m, 1.6, nn)), 0, 10)
        sf_scores += [float(x) for x in v]
        sf_teams += [tm] * nn
        sf_period += [per] * nn
rates = [
    {"team": 0, "before_numerator": 400, "before_denominator": 520, "after_numerator": 395, "after_denominator": 510},
    {"team": 1, "before_numerator": 380, "before_denominator": 500, "after_numerator": 240, "after_denominator": 505},
    {"team": 2, "before_numerator": 450, "before_denominator": 600, "after_numerator": 430, "after_denominator": 610},
]
S, T, P = np.array(sf_scores), np.array(sf_teams), np.array(sf_period)
exp, pv = {}, []
for tm in range(3):
    before, after = S[(T == tm) & (P == 0)], S[(T == tm) & (P == 1)]
    tt = stats.ttest_ind(after, before, equal_var=False, alternative="greater")
    rr = rates[tm]
    z, pr = proportions_ztest([rr["after_numerator"], rr["before_numerator"]],
                              [rr["after_denominator"], rr["before_denominator"]], alternative="smaller")
    exp[f"findings.{tm}.statistic"] = float(tt.statistic)
    exp[f"findings.{tm}.measures.score_p"] = float(tt.pvalue)
    exp[f"findings.{tm}.measures.rate_z"] = float(z)
    exp[f"findings.{tm}.measures.rate_p"] = float(pr)
    exp[f"findings.{tm}.p_value"] = max(float(tt.pvalue), float(pr))
    exp[f"findings.{tm}.effect"] = float(after.mean() - before.mean())
    pv.append(max(float(tt.pvalue), float(pr)))
holm = multipletests(pv, method="holm")[1]
bh = multipletests(pv, method="fdr_bh")[1]
for tm in range(3):
    exp[f"findings.{tm}.p_holm"] = float(holm[tm])
    exp[f"findings.{tm}.p_bh"] = float(bh[tm])
    exp[f"findings.{tm}.flagged"] = bool(holm[tm] <= 0.05)
write("selective_filtering", "selective_filtering", "Score jump with a drop in the invitation rate", [
    {"name": "three_teams", "input": {"scores": sf_scores, "teams": sf_teams, "period": sf_period, "rates": rates},
     "expect": exp, "tolerance": Q,
     "source": f"{VER}: scipy.stats.ttest_ind(after, before, equal_var=False, alternative='greater'); "
               "statsmodels proportions_ztest([x_after, x_before], [n_after, n_before], alternative='smaller'); "
               "p = max of the two (intersection-union); multipletests holm / fdr_bh; team 1 planted"},
    {"name": "error_period_code", "input": {"scores": [1.0, 2.0], "teams": [0, 0], "period": [0, 2], "rates": rates[:1]},
     "error": {"kind": "invalid_argument"}, "source": "period 2 is not 0 or 1"},
])

# ------------------------------------------------------------------------------------------------ coaching step
cy, ct, cd = [], [], []
for tm in range(4):
    for dday in range(0, 60):
        if rng.random() < 0.6:
            base = 7.0 + 0.2 * tm
            step = 1.2 if (tm == 1 and dday >= 30) else 0.0
            cy.append(round(float(base + step + rng.normal(0, 1.0)), 1))
            ct.append(tm)
            cd.append(float(dday))
events = [{"team": 1, "day": 30.0}, {"team": 3, "day": 45.0}]
Y, T, D = np.array(cy), np.array(ct), np.array(cd)
exp, pv = {}, []
for ei, ev in enumerate(events):
    lo, c0, hi = ev["day"] - 21, ev["day"], ev["day"] + 14
    coached = {e["team"] for e in events if lo <= e["day"] < hi}
    m = (D >= lo) & (D < hi) & ((T == ev["team"]) | ~np.isin(T, list(coached - {ev["team"]})))
    tr = (T[m] == ev["team"]).astype(float)
    po = (D[m] >= c0).astype(float)
    X = sm.add_constant(np.column_stack([tr, po, tr * po]))
    fit = sm.OLS(Y[m], X).fit()
    exp[f"findings.{ei}.effect"] = float(fit.params[3])
    exp[f"findings.{ei}.se"] = float(fit.bse[3])
    exp[f"findings.{ei}.p_value"] = float(fit.pvalues[3])
    exp[f"findings.{ei}.statistic"] = float(fit.tvalues[3])
    exp[f"findings.{ei}.measures.n_window"] = int(m.sum())
    pv.append(float(fit.pvalues[3]))
holm = multipletests(pv, method="holm")[1]
for ei in range(2):
    exp[f"findings.{ei}.p_holm"] = float(holm[ei])
write("coaching_step", "coaching_step", "Step right after a coaching date (difference-in-differences)", [
    {"name": "two_events_window_21_14", "input": {"values": cy, "teams": ct, "day": cd, "events": events,
     "window_before": 21, "window_after": 14}, "expect": exp, "tolerance": Q,
     "source": f"{VER}: rows with day in [c-21, c+14), the team and the teams not coached in that window; "
               "sm.OLS(y, add_constant([treated, post, treated*post])).fit(): params[3], bse[3], tvalues[3], pvalues[3]; "
               "multipletests holm; team 1 planted +1.2 from day 30"},
    {"name": "error_no_events", "input": {"values": [1.0], "teams": [0], "day": [0.0], "events": []},
     "error": {"kind": "empty_input"}, "source": "no coaching events"},
])

# ------------------------------------------------------------------------------------------------ alerts
ladder = {
    "name": "cx-daily",
    "default_level": 0,
    "levels": [
        {"level": 0, "name": "context", "owner": "CX analyst"},
        {"level": 1, "name": "watch", "owner": "Team lead", "ack_hours": 48, "action": "watch by"},
        {"level": 2, "name": "escalate", "owner": "Regional CX lead", "ack_hours": 24, "action": "escalate to"},
        {"level": 3, "name": "strategic review", "owner": "VP Customer Experience", "ack_hours": 24,
         "action": "strategic review by"},
    ],
    "conditions": [
        {"name": "2 sigma", "level": 1, "min_sigma": 2.0},
        {"name": "cusum 3 sigma", "level": 2, "rules": ["cusum_upper", "cusum_lower"], "min_sigma": 3.0},
        {"name": "persistent EMEA drop", "level": 3, "segments": ["EMEA"], "direction": "down", "min_points": 10},
    ],
}


def signal(rule, params, detector, series, index, points, value, center, sigma, far, direction, baseline, n=None, se=None):
    return {"rule": rule, "parameters": params, "detector": detector, "series": series, "index": index, "points": points,
            "value": value, "center": center, "deviation": value - center, "sigma": sigma, "n": n, "se": se,
            "false_alarm_rate": far, "direction": direction, "baseline": baseline}


ewma = {"method": "ewma", "parameters": {"window": 28}, "excluded": [3, 4, 5, 6, 7], "seasonal_adjustment": None}
sigs = [
    signal("western_electric_1", {"limit": 3}, "individuals", "APAC", 5, [5], 41.0, 35.5, 2.5, 0.0027, "up",
           {"method": "phase_one_mean", "parameters": {}, "excluded": [], "seasonal_adjustment": None}),
    signal("cusum_lower", {"k": 0.5, "h": 4}, "cusum", "EMEA", 9, [7, 8, 9], 20.0, 32.3, -3.4, 1 / 168, "down", ewma,
           410.0, 3.6),
    signal("nelson_2", {"run": 9}, "individuals", "NA", 2, [0, 1, 2], 30.0, 31.0, -1.2, None, "down",
           {"method": "", "parameters": {}, "excluded": [], "seasonal_adjustment": None}),
]
dates = [f"2025-04-{d:02d}" for d in range(1, 13)]
e_cusum = ("NPS in EMEA fell 12.3 points (3.4 sigma) below its EWMA baseline (28 days, 5 event days excluded) on "
           "2025-04-10 (3 points in the pattern); rule cusum_lower h=4 k=0.5 (in-control ARL 168); "
           "escalate to Regional CX lead within 24 h")
e_we = ("NPS in APAC rose 5.5 points (2.5 sigma) above its phase-one-mean baseline on 2025-04-06; "
        "rule western_electric_1 limit=3 (in-control ARL 370); watch by Team lead within 48 h")
e_nelson = ("NPS in NA fell 1.0 points (1.2 sigma) below its baseline on 2025-04-03 (3 points in the pattern); "
            "rule nelson_2 run=9; for context to CX analyst")
ladder_ctx = json.loads(json.dumps(ladder))
ladder_ctx["levels"][0]["action"] = "for context to"
alert_cases = [
    {"name": "three_signals_levels_and_words",
     "input": {"signals": sigs, "ladder": ladder_ctx, "kpi": "NPS", "dates": dates, "raised_at": "2025-04-10T08:00:00"},
     "expect": {"alerts.0.level": 2, "alerts.0.rule": "cusum_lower", "alerts.0.owner": "Regional CX lead",
                "alerts.0.ack_deadline": "2025-04-11T08:00:00", "alerts.0.explanation": e_cusum,
                "alerts.0.matched.0": "2 sigma", "alerts.0.matched.1": "cusum 3 sigma",
                "alerts.0.deviation": 20.0 - 32.3, "alerts.0.arl0": 168.0, "alerts.0.persistence": 3,
                "alerts.1.level": 1, "alerts.1.series": "APAC", "alerts.1.explanation": e_we,
                "alerts.1.ack_deadline": "2025-04-12T08:00:00",
                "alerts.2.level": 0, "alerts.2.explanation": e_nelson, "alerts.2.ack_deadline": None,
                "by_level.0": 1, "by_level.1": 1, "by_level.2": 1, "by_level.3": 0, "ladder": "cx-daily"},
     "tolerance": C,
     "source": "hand: levels = highest condition met (cusum_lower |sigma| 3.4 meets '2 sigma' and 'cusum 3 sigma' -> 2; "
               "APAC 2.5 sigma -> 1; NA 1.2 sigma -> default 0); order level desc; ARL = 1/(1/168) = 168, "
               "1/0.0027 = 370.37 -> 370; deadline 2025-04-10T08:00 + 24 h / 48 h; explanations written out by hand"},
    {"name": "persistence_lifts_to_strategic",
     "input": {"signals": [signal("ewma_limit", {"limit": 2.8, "lambda": 0.2}, "ewma", "EMEA", 11, list(range(0, 12)), 25.0, 31.0,
                                  -2.2, 0.002, "down", ewma)], "ladder": ladder, "kpi": "NPS"},
     "expect": {"alerts.0.level": 3, "alerts.0.owner": "VP Customer Experience", "alerts.0.persistence": 12,
                "alerts.0.matched.0": "2 sigma", "alerts.0.matched.1": "persistent EMEA drop",
                "alerts.0.explanation": "NPS in EMEA fell 6.0 points (2.2 sigma) below its EWMA baseline (28 days, "
                                        "5 event days excluded) at point 11 (12 points in the pattern); rule ewma_limit "
                                        "lambda=0.2 limit=2.8 (in-control ARL 500); strategic review by VP Customer Experience within 24 h"},
     "tolerance": C, "source": "hand: 12 points >= min_points 10, EMEA, down -> level 3; no dates -> 'at point 11'; ARL 1/0.002 = 500"},
    {"name": "min_level_drops_context",
     "input": {"signals": sigs, "ladder": ladder, "kpi": "NPS", "min_level": 1},
     "expect": {"n_signals": 3, "n_below_min_level": 1, "by_level.0": 0, "alerts.0.level": 2, "alerts.1.level": 1},
     "tolerance": C, "source": "hand: the NA signal (level 0) is below min_level 1"},
    {"name": "error_levels_out_of_order",
     "input": {"signals": sigs, "ladder": {"levels": [{"level": 2, "name": "escalate", "owner": "x"},
                                                      {"level": 1, "name": "watch", "owner": "y"}], "default_level": 2}},
     "error": {"kind": "invalid_argument"}, "source": "levels must be strictly ascending"},
    {"name": "error_unknown_condition_level",
     "input": {"signals": sigs, "ladder": {"levels": [{"level": 0, "name": "context", "owner": "x"}],
                                           "conditions": [{"level": 2, "min_sigma": 3}]}},
     "error": {"kind": "invalid_argument"}, "source": "condition level 2 is not defined"},
]
write("build_alerts", "build_alerts", "Alerts from signals with an escalation ladder", alert_cases)
