"""Builds tests/golden/stats/*.json from reference values computed by independent packages.

Run with the scratch venv (scipy 1.17.1, statsmodels 0.15.0, numpy) after `Rscript r_refs.R`:
    /work/scratch/venv/bin/python build_golden.py
Every expected number comes from R (r_refs.json, psych/survival/base) or from scipy/statsmodels calls made
below; each case's `source` records the exact call. No value is computed with cxkpi.
"""
import json
import itertools
import math
import os

import numpy as np
import scipy
import statsmodels
import statsmodels.api as sm
from scipy import stats

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.dirname(HERE)
D = json.load(open(os.path.join(HERE, "data.json")))
R = json.load(open(os.path.join(HERE, "r_refs.json")))
VER = f"scipy {scipy.__version__}, statsmodels {statsmodels.__version__}"
RV = "R 4.2.2"
Q = 1e-9  # quantile / iteration / special function involved
C = 1e-12  # closed form


def f(x):
    x = float(x)
    if math.isnan(x):
        return None
    return x


def write(name, function, description, cases):
    with open(os.path.join(OUT, f"{name}.json"), "w") as fh:
        json.dump({"function": function, "description": description, "cases": cases}, fh, indent=1)
        fh.write("\n")
    print(name, len(cases))


def cols(rows):
    return [list(c) for c in zip(*rows)]


# ---------------------------------------------------------------- icc
def icc_expect(r, forms=range(6)):
    e = {}
    for i in forms:
        e[f"forms.{i}.value"] = r["value"][i]
        e[f"forms.{i}.f"] = r["f"][i]
        e[f"forms.{i}.df1"] = r["df1"][i]
        e[f"forms.{i}.df2"] = r["df2"][i]
        e[f"forms.{i}.p_value"] = r["p"][i]
        e[f"forms.{i}.lower"] = r["lower"][i]
        e[f"forms.{i}.upper"] = r["upper"][i]
    e["ms_rows"], e["ms_columns"], e["ms_error"] = R_ms(r)
    return e


def R_ms(r):
    return r["ms"][0], r["ms"][1], r["ms"][2]


names = ["ICC(1,1)", "ICC(2,1)", "ICC(3,1)", "ICC(1,k)", "ICC(2,k)", "ICC(3,k)"]
mw = ["ICC(1)", "ICC(A,1)", "ICC(C,1)", "ICC(k)", "ICC(A,k)", "ICC(C,k)"]
e_sf = icc_expect(R["icc_sf"])
for i in range(6):
    e_sf[f"forms.{i}.shrout_fleiss"] = names[i]
    e_sf[f"forms.{i}.mcgraw_wong"] = mw[i]
icc_cases = [
    {"name": "shrout_fleiss_1979_table2", "input": {"ratings": D["sf_table"]}, "expect": e_sf, "tolerance": Q,
     "source": f"{RV}, psych 2.2.9: psych::ICC(m, alpha = 0.05, lmer = FALSE) on Shrout & Fleiss (1979) Table 2 "
               "(6 targets x 4 judges); $results ICC, F, df1, df2, p, lower/upper bound; $summary Mean Sq. "
               "Paper's rounded values: .17 .29 .71 .44 .62 .91."},
    {"name": "shrout_fleiss_conf90", "input": {"ratings": D["sf_table"], "confidence": 0.90},
     "expect": icc_expect(R["icc_sf90"]), "tolerance": Q,
     "source": f"{RV}: psych::ICC(m, alpha = 0.10, lmer = FALSE) on Shrout & Fleiss (1979) Table 2"},
    {"name": "ten_targets_three_judges", "input": {"ratings": D["icc_b"]}, "expect": icc_expect(R["icc_b"]),
     "tolerance": Q, "source": f"{RV}: psych::ICC(m, lmer = FALSE), m = derive/data.json icc_b"},
    {"name": "error_zero_variance", "input": {"ratings": [[3, 3], [3, 3], [3, 3]]},
     "error": {"kind": "invalid_argument"}, "source": "all ratings equal: every ICC is 0/0"},
    {"name": "error_one_judge", "input": {"ratings": [[1], [2], [3]]},
     "error": {"kind": "insufficient_data"}, "source": "k = 1 judge: no between-judge variation"},
]
write("icc", "icc", "Six Shrout-Fleiss ICC forms (McGraw-Wong names) with F tests and exact intervals; "
      "input ratings are rows = targets, columns = judges.", icc_cases)

# ---------------------------------------------------------------- cronbach alpha
def alpha_expect(a):
    e = {"alpha": a["alpha"][0], "standardized_alpha": a["std_alpha"][0], "lower": a["lower"][0],
         "upper": a["upper"][0], "interval_method": "feldt"}
    for j, v in enumerate(a["drop"]):
        e[f"alpha_if_deleted.{j}"] = v
    return e


src_a = (f"{RV}, psych 2.2.9: a <- psych::alpha(as.data.frame(m)); a$total$raw_alpha, a$total$std.alpha, "
         "a$alpha.drop$raw_alpha; Feldt limits 1 - (1 - alpha) * qf(1 - p/2, n - 1, (n - 1)(k - 1)) and "
         "qf(p/2, ...) as psych::alpha.ci")
alpha_cases = [
    {"name": "likert_10x4", "input": {"items": D["alpha_a"]}, "expect": alpha_expect(R["alpha_a"]),
     "tolerance": Q, "source": src_a + " (m = data.json alpha_a, p = 0.05)"},
    {"name": "likert_12x5_conf90", "input": {"items": D["alpha_b"], "confidence": 0.90},
     "expect": alpha_expect(R["alpha_b"]), "tolerance": Q, "source": src_a + " (m = alpha_b, p = 0.10)"},
    {"name": "shrout_fleiss_judges_as_items", "input": {"items": D["sf_table"]},
     "expect": alpha_expect(R["alpha_sf"]), "tolerance": Q,
     "source": src_a + " (m = Shrout-Fleiss table; alpha equals ICC(3,k) = 0.9093155423770695)"},
    {"name": "error_constant_total", "input": {"items": [[1, 2], [2, 1], [3, 0]]},
     "error": {"kind": "invalid_argument"}, "source": "row totals all 3: var(total) = 0"},
    {"name": "error_one_item", "input": {"items": [[1], [2], [3]]}, "error": {"kind": "insufficient_data"},
     "source": "alpha needs k >= 2 items"},
]
write("cronbach_alpha", "cronbach_alpha", "Cronbach's alpha with Feldt interval and alpha-if-item-deleted; "
      "input items are rows = respondents, columns = items.", alpha_cases)

# ---------------------------------------------------------------- measurement error / test-retest
me_cases = [
    {"name": "sd12.5_r0.82", "input": {"sd": 12.5, "reliability": 0.82},
     "expect": {"sem": R["me1"]["sem"][0], "mdc": R["me1"]["mdc"][0]}, "tolerance": Q,
     "source": f"{RV}: sem = 12.5 * sqrt(1 - 0.82); mdc = qnorm(0.975) * sqrt(2) * sem (Weir 2005)"},
    {"name": "sd0.9_r0.7_conf90", "input": {"sd": 0.9, "reliability": 0.7, "confidence": 0.90},
     "expect": {"sem": R["me2"]["sem"][0], "mdc": R["me2"]["mdc"][0]}, "tolerance": Q,
     "source": f"{RV}: sem = 0.9 * sqrt(1 - 0.7); mdc = qnorm(0.95) * sqrt(2) * sem"},
    {"name": "error_reliability_above_1", "input": {"sd": 1.0, "reliability": 1.2},
     "error": {"kind": "invalid_argument"}, "source": "reliability must lie in [0, 1]"},
]
write("measurement_error", "measurement_error", "Standard error of measurement and minimal detectable change.",
      me_cases)
rt = R["retest"]
tr_cases = [
    {"name": "twelve_respondents", "input": {"test": D["retest"]["test"], "retest": D["retest"]["retest"]},
     "expect": {"icc_agreement.value": rt["icc_a"][0], "icc_agreement.lower": rt["icc_a_lower"][0],
                "icc_agreement.upper": rt["icc_a_upper"][0], "icc_consistency.value": rt["icc_c"][0],
                "mean_difference": rt["mean_diff"][0], "sd_pooled": rt["sd_pooled"][0],
                "measurement_error.sem": rt["sem"][0], "measurement_error.mdc": rt["mdc"][0],
                "icc_agreement.mcgraw_wong": "ICC(A,1)"},
     "tolerance": Q,
     "source": f"{RV}: psych::ICC(cbind(test, retest), lmer = FALSE)$results rows 2-3; sd_pooled = "
               "sqrt((var(test) + var(retest)) / 2); sem = sd_pooled * sqrt(1 - ICC(A,1)); "
               "mdc = qnorm(0.975) * sqrt(2) * sem"},
]
write("test_retest", "test_retest", "Test-retest report: ICC(A,1), ICC(C,1), SEM, MDC.", tr_cases)

# ---------------------------------------------------------------- correlation
x, y = np.array(D["corr_x"]), np.array(D["corr_y"])
pr = stats.pearsonr(x, y)
rp = R["pearson"]


def perm_p(a, b, method):
    def stat(yy):
        if method == "pearson":
            return stats.pearsonr(a, yy).statistic
        return stats.spearmanr(a, yy).statistic
    res = stats.permutation_test((np.asarray(b, float),), stat, permutation_type="pairings",
                                 n_resamples=np.inf, alternative="two-sided")
    return float(res.pvalue)


sx, sy = np.array(D["sp_x"], float), np.array(D["sp_y"], float)
sp = stats.spearmanr(sx, sy)
smx, smy = np.array(D["small_x"]), np.array(D["small_y"])
px, py = np.array(D["perm_x"]), np.array(D["perm_y"])
corr_cases = [
    {"name": "pearson_n12", "input": {"x": D["corr_x"], "y": D["corr_y"]},
     "expect": {"r": float(pr.statistic), "p_value": float(pr.pvalue), "t": rp["t"][0], "df": 10.0,
                "lower": rp["lower"][0], "upper": rp["upper"][0], "p_method": "t", "interval_method": "fisher_z"},
     "tolerance": Q,
     "source": f"{VER}: scipy.stats.pearsonr(x, y) (statistic, pvalue); {RV}: cor.test(x, y) (statistic, conf.int)"},
    {"name": "pearson_exact_permutation_n8_conf90",
     "input": {"x": D["perm_x"], "y": D["perm_y"], "p_method": "exact_permutation", "confidence": 0.90},
     "expect": {"r": R["pearson_perm90"]["r"][0], "p_value": perm_p(px, py, "pearson"),
                "lower": R["pearson_perm90"]["lower"][0], "upper": R["pearson_perm90"]["upper"][0],
                "p_method": "exact_permutation"},
     "tolerance": Q,
     "source": f"{VER}: scipy.stats.permutation_test((y,), lambda y: pearsonr(x, y).statistic, "
               "permutation_type='pairings', n_resamples=inf) (all 8! pairings); "
               f"{RV}: cor.test(x, y, conf.level = 0.90)"},
    {"name": "spearman_ties_n15", "input": {"x": D["sp_x"], "y": D["sp_y"], "method": "spearman"},
     "expect": {"r": float(sp.statistic), "p_value": float(sp.pvalue), "p_method": "t_approximation",
                "lower": R["spearman_ties"]["lower"][0], "upper": R["spearman_ties"]["upper"][0],
                "interval_method": "bonett_wright"},
     "tolerance": Q,
     "source": f"{VER}: scipy.stats.spearmanr(x, y) (t approximation, average ranks); Bonett-Wright limits "
               f"in {RV}: tanh(atanh(r) -/+ qnorm(0.975) * sqrt((1 + r^2/2) / (n - 3)))"},
    {"name": "spearman_exact_n7", "input": {"x": D["small_x"], "y": D["small_y"], "method": "spearman"},
     "expect": {"r": R["spearman_small"]["r"][0], "p_value": perm_p(smx, smy, "spearman"),
                "p_method": "exact_permutation", "lower": R["spearman_small"]["lower"][0],
                "upper": R["spearman_small"]["upper"][0]},
     "tolerance": Q,
     "source": f"{VER}: scipy.stats.permutation_test((y,), lambda y: spearmanr(x, y).statistic, "
               "permutation_type='pairings', n_resamples=inf) (all 7! pairings; equals "
               f"{RV} cor.test(x, y, method = 'spearman', exact = TRUE)$p.value = {R['spearman_small']['p_r'][0]!r}); "
               "Bonett-Wright limits by formula in R"},
    {"name": "error_zero_variance", "input": {"x": [1, 2, 3, 4], "y": [5, 5, 5, 5]},
     "error": {"kind": "invalid_argument"}, "source": "var(y) = 0: r is 0/0"},
    {"name": "error_n2", "input": {"x": [1, 2], "y": [2, 1]}, "error": {"kind": "insufficient_data"},
     "source": "n = 2 leaves no degrees of freedom"},
    {"name": "error_length", "input": {"x": [1, 2, 3], "y": [2, 1]}, "error": {"kind": "length_mismatch"},
     "source": "x and y differ in length"},
]
write("correlation", "correlation", "Pearson/Spearman correlation with p-value and interval.", corr_cases)

rm = R["mat"]
e = {}
for q in range(6):
    for k_r, k_e in [("r", "r"), ("p", "p_value"), ("holm", "p_holm"), ("bh", "p_bh"), ("lower", "lower"),
                     ("upper", "upper")]:
        e[f"pairs.{q}.{k_e}"] = rm[k_r][q]
write("correlation_matrix", "correlation_matrix", "Pairwise correlations with Holm and BH adjusted p.", [
    {"name": "four_columns_pearson", "input": {"columns": cols(D["mat"])}, "expect": e, "tolerance": Q,
     "source": f"{RV}: cor.test(m[, i], m[, j]) for the 6 pairs (1,2), (1,3), ..., (3,4); "
               "p.adjust(p, 'holm') and p.adjust(p, 'BH')"},
    {"name": "error_one_column", "input": {"columns": [[1, 2, 3]]}, "error": {"kind": "insufficient_data"},
     "source": "a matrix needs two columns"},
])
pa = R["padj"]
write("p_adjust", "p_adjust", "Multiplicity adjustment (as R p.adjust).", [
    {"name": f"seven_{m}", "input": {"p": pa["p"], "method": m}, "expect": {str(i): v for i, v in enumerate(pa[k])},
     "tolerance": C, "source": f"{RV}: p.adjust(c(0.01, 0.04, 0.03, 0.005, 0.2, 0.04, 0.6), '{rn}')"}
    for m, k, rn in [("holm", "holm", "holm"), ("benjamini_hochberg", "bh", "BH"), ("bonferroni", "bonferroni", "bonferroni")]
] + [{"name": "error_not_probability", "input": {"p": [0.1, 1.5], "method": "holm"},
      "error": {"kind": "invalid_argument"}, "source": "1.5 is not a probability"}])

# ---------------------------------------------------------------- OLS
rng = np.random.default_rng(20261122)
n = 40
x1 = np.round(rng.normal(5, 2, n), 2)
x2 = np.round(rng.uniform(0, 10, n), 2)
yv = np.round(3 + 0.8 * x1 - 0.3 * x2 + rng.normal(0, 1 + 0.2 * x2, n), 2)
X = sm.add_constant(np.column_stack([x1, x2]))


def ols_expect(res, robust=None):
    e = {}
    ci = res.conf_int()
    for j in range(len(res.params)):
        e[f"coefficients.{j}.estimate"] = float(res.params[j])
        e[f"coefficients.{j}.se"] = float(res.bse[j])
        e[f"coefficients.{j}.t"] = float(res.tvalues[j])
        e[f"coefficients.{j}.p_value"] = float(res.pvalues[j])
        e[f"coefficients.{j}.lower"] = float(ci[j][0])
        e[f"coefficients.{j}.upper"] = float(ci[j][1])
    for k, v in [("r_squared", res.rsquared), ("adj_r_squared", res.rsquared_adj), ("rss", res.ssr),
                 ("log_likelihood", res.llf), ("aic", res.aic), ("bic", res.bic), ("df_resid", res.df_resid),
                 ("df_model", res.df_model)]:
        e[k] = float(v)
    return e


res = sm.OLS(yv, X).fit()
e = ols_expect(res)
e["f"] = float(res.fvalue)
e["f_p_value"] = float(res.f_pvalue)
e["sigma"] = float(np.sqrt(res.scale))
sd_y = yv.std(ddof=1)
e["coefficients.1.standardized"] = float(res.params[1] * x1.std(ddof=1) / sd_y)
e["coefficients.2.standardized"] = float(res.params[2] * x2.std(ddof=1) / sd_y)
e["coefficients.0.standardized"] = None
for hc in ["HC0", "HC1", "HC2", "HC3"]:
    b = getattr(res, f"{hc}_se")
    for j in range(3):
        e[f"robust_se.{hc.lower()}.{j}"] = float(b[j])
ols_in = {"y": yv.tolist(), "x": [x1.tolist(), x2.tolist()], "names": ["wait", "fcr"]}
res3 = sm.OLS(yv, X).fit(cov_type="HC3", use_t=True)
e3 = ols_expect(res3)
e3["cov_type"] = "HC3"
res1 = sm.OLS(yv, X).fit(cov_type="HC1", use_t=True)
e1 = ols_expect(res1)
res0 = sm.OLS(yv, np.column_stack([x1, x2])).fit()
e0 = ols_expect(res0)
e0["f"] = float(res0.fvalue)
ols_cases = [
    {"name": "two_predictors_classical_with_hc", "input": dict(ols_in, robust_se=True), "expect": e,
     "tolerance": Q,
     "source": f"{VER}: res = sm.OLS(y, sm.add_constant(column_stack([x1, x2]))).fit(): params, bse, tvalues, "
               "pvalues, conf_int(), rsquared, rsquared_adj, fvalue, f_pvalue, ssr, llf, aic, bic, sqrt(scale), "
               "HC0_se..HC3_se; standardized = params * std(x, ddof=1) / std(y, ddof=1). Data: numpy "
               "default_rng(20261122), see derive/build_golden.py"},
    {"name": "two_predictors_hc3_table", "input": dict(ols_in, cov_type="HC3"), "expect": e3, "tolerance": Q,
     "source": f"{VER}: sm.OLS(y, X).fit(cov_type='HC3', use_t=True): params, bse, tvalues, pvalues, conf_int()"},
    {"name": "two_predictors_hc1_table", "input": dict(ols_in, cov_type="HC1"), "expect": e1, "tolerance": Q,
     "source": f"{VER}: sm.OLS(y, X).fit(cov_type='HC1', use_t=True) (Stata's robust)"},
    {"name": "no_intercept", "input": {"y": yv.tolist(), "x": [x1.tolist(), x2.tolist()], "intercept": False},
     "expect": e0, "tolerance": Q,
     "source": f"{VER}: sm.OLS(y, column_stack([x1, x2])).fit() (uncentred R², as statsmodels and R)"},
    {"name": "error_singular", "input": {"y": [1, 2, 3, 4, 5], "x": [[1, 2, 3, 4, 5], [2, 4, 6, 8, 10]]},
     "error": {"kind": "invalid_argument"}, "source": "x2 = 2 x1: the design is singular"},
    {"name": "error_too_few_rows", "input": {"y": [1, 2, 3], "x": [[1, 2, 3], [3, 1, 2]]},
     "error": {"kind": "insufficient_data"}, "source": "n = 3 rows, p = 3 parameters: no residual df"},
]
write("ols", "ols", "Ordinary least squares with classical and HC0-HC3 covariances.", ols_cases)

# ---------------------------------------------------------------- Shapley R2
x3 = np.round(0.5 * x1 + rng.normal(0, 1, n), 2)
Xs = [x1, x2, x3]
r2 = {}
for m in range(8):
    idx = [j for j in range(3) if m >> j & 1]
    if not idx:
        r2[m] = 0.0
        continue
    r2[m] = sm.OLS(yv, sm.add_constant(np.column_stack([Xs[j] for j in idx]))).fit().rsquared
shap = []
for j in range(3):
    s = 0.0
    for m in range(8):
        if m >> j & 1:
            continue
        size = bin(m).count("1")
        s += math.factorial(size) * math.factorial(3 - size - 1) / math.factorial(3) * (r2[m | 1 << j] - r2[m])
    shap.append(s)
e = {"r_squared": float(r2[7])}
for j in range(3):
    e[f"drivers.{j}.shapley"] = shap[j]
    e[f"drivers.{j}.share"] = shap[j] / r2[7]
write("shapley_r2", "shapley_r2", "Shapley (LMG) decomposition of R².", [
    {"name": "three_drivers", "input": {"y": yv.tolist(), "x": [x1.tolist(), x2.tolist(), x3.tolist()]},
     "expect": e, "tolerance": Q,
     "source": f"{VER}: rsquared of sm.OLS(y, add_constant(subset)).fit() for all 8 subsets; Shapley weights "
               "|S|!(m-|S|-1)!/m! summed in Python (derive/build_golden.py)"},
    {"name": "error_collinear", "input": {"y": [1, 3, 2, 5, 4], "x": [[1, 2, 3, 4, 5], [2, 4, 6, 8, 10]]},
     "error": {"kind": "invalid_argument"}, "source": "x2 = 2 x1"},
])

# ---------------------------------------------------------------- logistic
nl = 80
sent = np.round(rng.uniform(-1, 1, nl), 2)
tenure = np.round(rng.uniform(0, 36, nl), 1)
eta = 0.2 - 1.6 * sent - 0.05 * tenure
churn = (rng.uniform(0, 1, nl) < 1 / (1 + np.exp(-eta))).astype(float)
XL = sm.add_constant(np.column_stack([sent, tenure]))
g = sm.GLM(churn, XL, family=sm.families.Binomial()).fit(tol=1e-14, maxiter=100)
ci = g.conf_int()
e = {}
for j in range(3):
    e[f"coefficients.{j}.estimate"] = float(g.params[j])
    e[f"coefficients.{j}.se"] = float(g.bse[j])
    e[f"coefficients.{j}.z"] = float(g.tvalues[j])
    e[f"coefficients.{j}.p_value"] = float(g.pvalues[j])
    e[f"coefficients.{j}.lower"] = float(ci[j][0])
    e[f"coefficients.{j}.upper"] = float(ci[j][1])
    e[f"coefficients.{j}.odds_ratio"] = float(np.exp(g.params[j]))
    e[f"coefficients.{j}.odds_ratio_lower"] = float(np.exp(ci[j][0]))
    e[f"coefficients.{j}.odds_ratio_upper"] = float(np.exp(ci[j][1]))
e.update({"deviance": float(g.deviance), "null_deviance": float(g.null_deviance), "log_likelihood": float(g.llf),
          "aic": float(g.aic), "n_events": int(churn.sum()), "converged": True,
          "pseudo_r_squared": float(1 - g.deviance / g.null_deviance)})
lr = g.null_deviance - g.deviance
e["lr_chi2"] = float(lr)
e["lr_p_value"] = float(stats.chi2.sf(lr, 2))
lm = sm.Logit(churn, sm.add_constant(sent)).fit(method="newton", tol=1e-14, maxiter=100, disp=0)
e1 = {"coefficients.0.estimate": float(lm.params[0]), "coefficients.1.estimate": float(lm.params[1]),
      "coefficients.0.se": float(lm.bse[0]), "coefficients.1.se": float(lm.bse[1]),
      "coefficients.1.p_value": float(lm.pvalues[1]), "log_likelihood": float(lm.llf),
      "pseudo_r_squared": float(lm.prsquared), "lr_p_value": float(lm.llr_pvalue),
      "coefficients.1.odds_ratio": float(np.exp(lm.params[1]))}
write("logistic", "logistic", "Logistic regression (Newton-IRLS) with odds ratios.", [
    {"name": "churn_on_sentiment_and_tenure", "input": {"y": churn.tolist(), "x": [sent.tolist(), tenure.tolist()],
                                                        "names": ["sentiment", "tenure"]},
     "expect": e, "tolerance": Q,
     "source": f"{VER}: g = sm.GLM(y, add_constant(column_stack([sentiment, tenure])), "
               "family=Binomial()).fit(tol=1e-14, maxiter=100): params, bse, tvalues (z), pvalues, conf_int(), "
               "exp(...), deviance, null_deviance, llf, aic; lr = null_deviance - deviance, "
               "scipy.stats.chi2.sf(lr, 2). Data: numpy default_rng(20261122) (build_golden.py)"},
    {"name": "churn_on_sentiment_logit", "input": {"y": churn.tolist(), "x": [sent.tolist()]}, "expect": e1,
     "tolerance": Q,
     "source": f"{VER}: sm.Logit(y, add_constant(sentiment)).fit(method='newton', tol=1e-14, maxiter=100): "
               "params, bse, pvalues, llf, prsquared, llr_pvalue"},
    {"name": "error_complete_separation", "input": {"y": [0, 0, 0, 0, 1, 1, 1, 1], "x": [[1, 2, 3, 4, 5, 6, 7, 8]]},
     "error": {"kind": "not_converged"},
     "source": "y = 1 exactly when x > 4.5: the MLE does not exist (coefficient diverges)"},
    {"name": "error_outcome_not_binary", "input": {"y": [0, 1, 2, 0, 1], "x": [[1, 2, 3, 4, 5]]},
     "error": {"kind": "invalid_argument"}, "source": "y must be 0/1"},
])

# ---------------------------------------------------------------- t tests
a = np.round(rng.normal(7.4, 0.6, 14), 1)
b = np.round(rng.normal(7.0, 1.1, 11), 1)


def tt_expect(r, est, ci):
    return {"t": float(r.statistic), "df": float(r.df), "p_value": float(r.pvalue), "estimate": float(est),
            "lower": float(ci.low), "upper": float(ci.high)}


w = stats.ttest_ind(a, b, equal_var=False)
s = stats.ttest_ind(a, b, equal_var=True)
pre = np.round(rng.normal(6.8, 1, 10), 1)
post = np.round(pre + rng.normal(0.4, 0.5, 10), 1)
pr_ = stats.ttest_rel(post, pre)
one = stats.ttest_1samp(a, 7.0)
wl = stats.ttest_ind(a, b, equal_var=False, alternative="greater")
tt_cases = [
    {"name": "welch", "input": {"x": a.tolist(), "y": b.tolist()},
     "expect": dict(tt_expect(w, a.mean() - b.mean(), w.confidence_interval(0.95)), kind="welch"),
     "tolerance": Q, "source": f"{VER}: r = scipy.stats.ttest_ind(x, y, equal_var=False); r.statistic, r.df, "
                               "r.pvalue, r.confidence_interval(0.95)"},
    {"name": "student_conf90", "input": {"x": a.tolist(), "y": b.tolist(), "kind": "student", "confidence": 0.90},
     "expect": tt_expect(s, a.mean() - b.mean(), s.confidence_interval(0.90)), "tolerance": Q,
     "source": f"{VER}: r = scipy.stats.ttest_ind(x, y, equal_var=True); r.confidence_interval(0.90)"},
    {"name": "paired", "input": {"x": post.tolist(), "y": pre.tolist(), "kind": "paired"},
     "expect": tt_expect(pr_, (post - pre).mean(), pr_.confidence_interval(0.95)), "tolerance": Q,
     "source": f"{VER}: r = scipy.stats.ttest_rel(post, pre); r.confidence_interval(0.95)"},
    {"name": "one_sample_mu7", "input": {"x": a.tolist(), "kind": "one_sample", "mu": 7.0},
     "expect": tt_expect(one, a.mean(), one.confidence_interval(0.95)), "tolerance": Q,
     "source": f"{VER}: r = scipy.stats.ttest_1samp(x, 7.0); r.confidence_interval(0.95)"},
    {"name": "welch_greater", "input": {"x": a.tolist(), "y": b.tolist(), "alternative": "greater"},
     "expect": {"t": float(wl.statistic), "p_value": float(wl.pvalue), "lower": float(wl.confidence_interval(0.95).low),
                "upper": None},
     "tolerance": Q, "source": f"{VER}: scipy.stats.ttest_ind(x, y, equal_var=False, alternative='greater')"},
    {"name": "error_zero_variance", "input": {"x": [3, 3, 3], "y": [3, 3, 3, 3]},
     "error": {"kind": "invalid_argument"}, "source": "both samples constant: se = 0"},
    {"name": "error_n1_welch", "input": {"x": [3], "y": [1, 2, 3]}, "error": {"kind": "insufficient_data"},
     "source": "Welch needs two values per group"},
]
write("t_test", "t_test", "Welch, Student, paired and one-sample t-tests.", tt_cases)

# ---------------------------------------------------------------- DiD
cells = []
yd, tr, po = [], [], []
for t_, p_, mu in [(0, 0, 70.0), (0, 1, 71.5), (1, 0, 69.0), (1, 1, 74.0)]:
    v = np.round(rng.normal(mu, 3.0 + 2 * t_, 12), 1)
    yd += v.tolist()
    tr += [t_] * 12
    po += [p_] * 12
yd, tr, po = np.array(yd), np.array(tr, float), np.array(po, float)
XD = sm.add_constant(np.column_stack([tr, po, tr * po]))
dn = sm.OLS(yd, XD).fit()
dh = sm.OLS(yd, XD).fit(cov_type="HC1", use_t=True)
m_ = lambda t_, p_: float(yd[(tr == t_) & (po == p_)].mean())
did_hand = (m_(1, 1) - m_(1, 0)) - (m_(0, 1) - m_(0, 0))


def did_expect(r):
    ci = r.conf_int()
    return {"estimate": float(r.params[3]), "se": float(r.bse[3]), "t": float(r.tvalues[3]),
            "p_value": float(r.pvalues[3]), "lower": float(ci[3][0]), "upper": float(ci[3][1]), "df": 44.0,
            "treated_post.mean": m_(1, 1), "control_pre.mean": m_(0, 0), "treated_post.n": 12}


write("did", "did", "Difference-in-differences with regression SE.", [
    {"name": "two_by_two_classical", "input": {"y": yd.tolist(), "treated": tr.tolist(), "post": po.tolist()},
     "expect": did_expect(dn), "tolerance": Q,
     "source": f"{VER}: sm.OLS(y, add_constant(column_stack([treated, post, treated*post]))).fit(), "
               f"coefficient 3; cell means by numpy (hand DiD = {did_hand!r})"},
    {"name": "two_by_two_hc1", "input": {"y": yd.tolist(), "treated": tr.tolist(), "post": po.tolist(),
                                         "cov_type": "HC1"},
     "expect": dict(did_expect(dh), cov_type="HC1"), "tolerance": Q,
     "source": f"{VER}: same design, .fit(cov_type='HC1', use_t=True)"},
    {"name": "error_empty_cell", "input": {"y": [1, 2, 3, 4], "treated": [0, 0, 1, 1], "post": [0, 1, 0, 0]},
     "error": {"kind": "insufficient_data"}, "source": "no treated-post rows"},
])

# ---------------------------------------------------------------- Kaplan-Meier
def km_expect(k):
    e = {}
    for i in range(len(k["time"])):
        for src, dst in [("time", "time"), ("n_risk", "n_risk"), ("n_event", "n_event"), ("n_censor", "n_censor"),
                         ("surv", "survival"), ("std_err", "std_err"), ("lower", "lower"), ("upper", "upper")]:
            v = k[src][i]
            e[f"rows.{i}.{dst}"] = int(v) if dst.startswith("n_") else v
    e["median"] = k["median"][0]
    return e


km_src = (f"{RV}, survival 3.5.3: f <- survfit(Surv(time, status) ~ 1, conf.type = '%s'); "
          "s <- summary(f, censored = TRUE): time, n.risk, n.event, n.censor, surv, std.err, lower, upper; "
          "summary(f)$table['median']")
write("kaplan_meier", "kaplan_meier", "Kaplan-Meier with Greenwood SE and log-log/log/plain intervals.", [
    {"name": "aml_loglog", "input": {"time": D["km_aml_time"], "event": D["km_aml_status"]},
     "expect": dict(km_expect(R["km_aml_loglog"]), conf_type="log-log"), "tolerance": Q,
     "source": km_src % "log-log" + " on survival::aml (both arms pooled)"},
    {"name": "aml_log", "input": {"time": D["km_aml_time"], "event": D["km_aml_status"], "conf_type": "log"},
     "expect": km_expect(R["km_aml_log"]), "tolerance": Q, "source": km_src % "log" + " on survival::aml"},
    {"name": "ties_to_zero_plain", "input": {"time": D["km_b_time"], "event": D["km_b_status"], "conf_type": "plain"},
     "expect": km_expect(R["km_b_plain"]), "tolerance": Q,
     "source": km_src % "plain" + "; the last subject dies so S = 0 and the limits are NA (null)"},
    {"name": "ties_to_zero_loglog", "input": {"time": D["km_b_time"], "event": D["km_b_status"]},
     "expect": km_expect(R["km_b_loglog"]), "tolerance": Q, "source": km_src % "log-log"},
    {"name": "error_event_not_binary", "input": {"time": [1, 2, 3], "event": [1, 2, 0]},
     "error": {"kind": "invalid_argument"}, "source": "event must be 0/1"},
    {"name": "error_negative_time", "input": {"time": [1, -2, 3], "event": [1, 1, 0]},
     "error": {"kind": "invalid_argument"}, "source": "times must be >= 0"},
])

# ---------------------------------------------------------------- shrinkage
sn = R["shrink_normal"]
e = {"prior_mean": sn["mu"][0], "between_variance": sn["tau2"][0], "within_variance": sn["s2"][0],
     "icc": sn["icc"][0], "ms_between": sn["msb"][0], "ms_within": sn["msw"][0], "n0": sn["n0"][0]}
for j in range(5):
    for k_r, k_e in [("raw", "raw"), ("shrunk", "shrunk"), ("weight", "weight"), ("sd", "sd"), ("lower", "lower"),
                     ("upper", "upper")]:
        e[f"groups.{j}.{k_e}"] = sn[k_r][j]
sb = R["shrink_bb"]
eb = {"prior_mean": sb["p"][0], "icc": sb["icc"][0], "prior_a": sb["a"][0], "prior_b": sb["b"][0]}
for j in range(6):
    for k_r, k_e in [("raw", "raw"), ("shrunk", "shrunk"), ("weight", "weight"), ("lower", "lower"),
                     ("upper", "upper")]:
        eb[f"groups.{j}.{k_e}"] = sb[k_r][j]
write("shrink", "shrink", "Empirical-Bayes shrinkage of group scores with the ICC.", [
    {"name": "csat_five_agents_normal", "input": {"values": D["shrink_values"], "groups": D["shrink_groups"]},
     "expect": e, "tolerance": Q,
     "source": f"{RV}: one-way ANOVA moments written out in derive/r_refs.R (anova_mom): msb, msw, "
               "n0 = (N - sum(n_i^2)/N)/(k-1), tau2 = max(0, (msb - msw)/n0); mu = precision-weighted mean; "
               "shrunk = mu + w(ybar_i - mu), w = tau2/(tau2 + s2/n_i); limits +/- qnorm(0.975) sqrt(w s2/n_i)"},
    {"name": "topbox_six_agents_beta_binomial",
     "input": {"values": D["bb_values"], "groups": D["bb_groups"], "model": "beta_binomial", "confidence": 0.90},
     "expect": eb, "tolerance": Q,
     "source": f"{RV}: same ANOVA moments on 0/1 flags; a + b = (1 - icc)/icc, a = p (a + b); shrunk = "
               "(s_i + a)/(n_i + a + b); limits qbeta(0.05 / 0.95, s_i + a, n_i - s_i + b)"},
    {"name": "error_one_group", "input": {"values": [1, 2, 3], "groups": [0, 0, 0]},
     "error": {"kind": "insufficient_data"}, "source": "one group: no between-group variance"},
])

# ---------------------------------------------------------------- retention by cohort
write("retention_by_cohort", "retention_by_cohort", "Retention curves by signup cohort.", [
    {"name": "three_cohorts", "input": {"cohort": [0, 0, 0, 0, 1, 1, 1, 2, 2], "churn_period": [1, 2, "NaN", "NaN", 2, "NaN", 3, "NaN", 3],
                                         "observed_until": 3, "horizon": 3},
     "expect": {"0.n": 4, "0.retention.0": 1.0, "0.retention.1": 0.75, "0.retention.2": 0.5, "0.retention.3": 0.5,
                "1.retention.0": 1.0, "1.retention.1": 2 / 3, "1.retention.2": 1 / 3, "1.retention.3": None,
                "2.retention.0": 1.0, "2.retention.1": 0.5, "2.retention.2": None},
     "tolerance": C,
     "source": "hand: cohort 0 churns at 1 and 2 of 4 -> 1, 3/4, 2/4, 2/4; cohort 1 churns at 2 and 3 of 3 -> "
               "1, 2/3, 1/3, not observable at 1+3 = 4 > 3; cohort 2 churns at 3 of 2 -> 1, 1/2, then unobservable"},
])
