"""Derives tests/golden/charts/*.json. Run by hand (never by the test command):

    /work/scratch/venv/bin/python tests/golden/charts/derive/derive_charts.py

Expected values come from (1) hand formulas written out below in plain Python (numpy/scipy only for
normal and binomial quantiles), (2) R 4.2.2 with package spc 0.6.7 (`xewma.arl`, `xcusum.arl`,
`xewma.crit`, `xcusum.crit`, `uniroot` over them), called through Rscript; the exact R call is recorded
in each case's `source`. Nothing here calls cxkpi.
"""
import json, math, subprocess, os
from scipy.stats import norm, binom

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.dirname(HERE)
D2 = 2 / math.sqrt(math.pi)               # E|X1-X2| for iid N(0,1): 2/sqrt(pi)
D3 = math.sqrt(2 - 4 / math.pi)           # sd|X1-X2| = sqrt(E R^2 - d2^2) = sqrt(2 - 4/pi)


def R(expr):
    out = subprocess.run(["Rscript", "-e", f"suppressMessages(library(spc)); cat(sprintf('%.17g', {expr}))"],
                         capture_output=True, text=True, check=True).stdout
    return float(out.strip())


def fsum(xs):
    return math.fsum(xs)


def expand(expect):
    out = {}
    for k, v in expect.items():
        if isinstance(v, list):
            if not v and k == "signals":
                out["n_signals"] = 0
            for i, x in enumerate(v):
                out[f"{k}.{i}"] = x
        else:
            out[k] = v
    return out


def write(name, description, cases):
    for c in cases:
        if "expect" in c:
            c["expect"] = expand(c["expect"])
    with open(os.path.join(OUT, f"{name}.json"), "w") as f:
        json.dump({"function": name, "description": description, "cases": cases}, f, indent=1)
        f.write("\n")


# ---------------------------------------------------------------- individuals
def indiv(x, ref=None, mu=None, sigma=None, L=3.0):
    a, b = ref if ref else (0, len(x))
    w = x[a:b]
    m = fsum(w) / len(w) if mu is None else mu
    mr = fsum(abs(w[i] - w[i - 1]) for i in range(1, len(w))) / (len(w) - 1)
    s = mr / D2 if sigma is None else sigma
    sig = [i for i, v in enumerate(x) if v > m + L * s or v < m - L * s]
    return m, s, mr, sig

x1 = [52.0, 55.0, 49.0, 61.0, 58.0, 50.0, 47.0, 53.0, 56.0, 51.0, 54.0, 48.0, 70.0, 52.0]
m, s, mr, sig = indiv(x1, ref=(0, 12))
ind_cases = [
    {"name": "phase_one_window_detects_jump", "input": {"x": x1, "reference": [0, 12]},
     "expect": {"center.0": m, "upper.3": m + 3 * s, "lower.13": m - 3 * s, "estimation.mu": m,
                "estimation.sigma": s, "estimation.mr_bar": mr, "estimation.n_used": 12,
                "moving_range.0": None, "moving_range.12": 22.0,
                "moving_range_upper": (1 + 3 * D3 / D2) * mr,
                "signals.0.index": sig[0], "signals.0.rule": "shewhart_limit",
                "signals.0.deviation": 70.0 - m, "signals.0.sigma": (70.0 - m) / s,
                "signals.0.false_alarm_rate": 2 * norm.sf(3.0), "z.12": (70.0 - m) / s},
     "tolerance": 1e-12,
     "source": "hand: mean and MRbar of x[0:12]; sigma = MRbar/d2, d2 = 2/sqrt(pi) (exact E|X1-X2|); "
               "limits mean +- 3 sigma; D4 = 1 + 3 d3/d2, d3 = sqrt(2-4/pi) (Montgomery App. VI: 3.267); "
               "false-alarm rate 2*pnorm(-3) (scipy norm.sf)"},
]
x2 = [10.0, 12.0, 11.0, 9.0, 13.0, 10.0, 11.0, 12.0]
m2, s2, mr2, sig2 = indiv(x2)
ind_cases.append({"name": "all_points_phase_one", "input": {"x": x2},
                  "expect": {"center.0": m2, "upper.0": m2 + 3 * s2, "estimation.sigma": s2,
                             "estimation.method": "phase_one_moving_range", "signals": []},
                  "tolerance": 1e-12, "source": "hand: qcc::qcc(x, type='xbar.one') formulas: mean, MRbar/d2 (d2 = 2/sqrt(pi))"})
ind_cases.append({"name": "given_mu_sigma_l2", "input": {"x": [0.5, 2.5, -2.1, 1.9], "mu": 0.0, "sigma": 1.0, "l": 2.0},
                  "expect": {"upper.0": 2.0, "lower.0": -2.0, "signals.0.index": 1, "signals.1.index": 2,
                             "signals.1.direction": "down", "estimation.method": "given",
                             "false_alarm_rate": 2 * norm.sf(2.0)},
                  "tolerance": 1e-12, "source": "hand: limits 0 +- 2*1; points strictly outside; rate 2*pnorm(-2) (scipy)"})
ind_cases.append({"name": "error_missing", "input": {"x": [1.0, "NaN", 2.0]}, "error": {"kind": "missing_value"},
                  "source": "missing-value policy: error"})
ind_cases.append({"name": "error_empty", "input": {"x": []}, "error": {"kind": "empty_input"}, "source": "empty input"})
write("individuals_chart", "Individuals / moving-range chart", ind_cases)

# ---------------------------------------------------------------- p and Laney p'
succ = [42.0, 55.0, 38.0, 61.0, 47.0, 90.0, 40.0, 52.0]
size = [100.0, 120.0, 95.0, 130.0, 110.0, 150.0, 105.0, 115.0]
pbar = fsum(succ) / fsum(size)
p = [a / b for a, b in zip(succ, size)]
se = [math.sqrt(pbar * (1 - pbar) / n) for n in size]
z = [(pi - pbar) / s for pi, s in zip(p, se)]
sigz = fsum(abs(z[i] - z[i - 1]) for i in range(1, len(z))) / (len(z) - 1) / D2
p_cases = [
    {"name": "varying_n", "input": {"successes": succ, "sizes": size},
     "expect": {"center.0": pbar, "upper.0": pbar + 3 * se[0], "lower.5": pbar - 3 * se[5],
                "value.5": 0.6, "value_se.3": se[3], "z.5": z[5], "chart": "p",
                "signals.0.index": 5, "signals.0.n": 150.0, "signals.0.se": se[5]},
     "tolerance": 1e-12,
     "source": "hand (qcc type='p' formulas): pbar = sum x / sum n; limits pbar +- 3 sqrt(pbar(1-pbar)/n_i)"},
    {"name": "laney_p_prime", "input": {"successes": succ, "sizes": size, "laney": True},
     "expect": {"chart": "laney_p", "estimation.sigma_z": sigz, "parameters.sigma_z": sigz,
                "upper.2": pbar + 3 * se[2] * sigz, "lower.2": pbar - 3 * se[2] * sigz,
                "z.5": z[5] / sigz},
     "tolerance": 1e-12,
     "source": "hand (Laney 2002): z_i = (p_i - pbar)/sigma_i; sigma_z = mean |z_i - z_{i-1}| / d2 (d2 = 2/sqrt(pi)); "
               "limits pbar +- 3 sigma_i sigma_z"},
    {"name": "given_p0_clip_lower", "input": {"successes": [1.0, 0.0, 3.0], "sizes": [10.0, 20.0, 40.0], "p0": 0.05},
     "expect": {"lower.0": 0.0, "upper.0": 0.05 + 3 * math.sqrt(0.05 * 0.95 / 10), "center.2": 0.05,
                "estimation.method": "given", "signals": []},
     "tolerance": 1e-12, "source": "hand: 0.05 - 3 sqrt(0.05*0.95/10) < 0 clipped to 0 (clip_limits default)"},
    {"name": "error_successes_above_size", "input": {"successes": [5.0, 12.0], "sizes": [10.0, 10.0]},
     "error": {"kind": "invalid_argument"}, "source": "successes[1] > sizes[1]"},
    {"name": "error_length_mismatch", "input": {"successes": [5.0, 2.0], "sizes": [10.0]},
     "error": {"kind": "length_mismatch"}, "source": "columns of different length"},
]
write("p_chart", "p chart with varying n and Laney p'", p_cases)

# ---------------------------------------------------------------- EWMA
xe = [0.2, -0.5, 0.8, 1.1, 0.3, 1.9, 2.2, 1.5, 2.4, 1.8]
lam, L = 0.2, 3.0
e, ew, up, lo, sigs = 0.0, [], [], [], []
for t, v in enumerate(xe, start=1):
    e = lam * v + (1 - lam) * e
    sd = math.sqrt(lam / (2 - lam) * (1 - (1 - lam) ** (2 * t)))
    ew.append(e); up.append(L * sd); lo.append(-L * sd)
    if e > L * sd or e < -L * sd:
        sigs.append(t - 1)
arl0 = R("xewma.arl(0.2, 3, 0, sided='two')")
ewma_cases = [
    {"name": "time_varying_limits", "input": {"x": xe, "mu": 0.0, "sigma": 1.0, "lambda": 0.2, "l": 3.0},
     "expect": {"statistic.0": ew[0], "statistic.9": ew[9], "upper.0": up[0], "lower.0": lo[0],
                "upper.9": up[9], "signals.0.index": sigs[0], "signals.0.value": ew[sigs[0]],
                "false_alarm_rate": 1 / arl0},
     "tolerance": 1e-12,
     "source": "hand: z_t = 0.2 x_t + 0.8 z_{t-1}, z_0 = 0; limits +-3 sqrt(0.2/1.8 (1-0.8^(2t))) (Montgomery 9.2); "
               "false_alarm_rate = 1/spc::xewma.arl(0.2, 3, 0, sided='two') (r=40), tolerance 1e-12 relative "
               "(Nystrom with the same 40 nodes agrees to ~1e-13)"},
]
e = 10.0; ew2 = []
xe2 = [10.4, 9.8, 10.9, 11.2]
for v in xe2:
    e = 0.1 * v + 0.9 * e; ew2.append(e)
ewma_cases.append({"name": "asymptotic_limits_scaled", "input": {"x": xe2, "mu": 10.0, "sigma": 0.5, "lambda": 0.1, "l": 2.7, "limits": "asymptotic"},
                   "expect": {"statistic.3": ew2[3], "upper.0": 10.0 + 2.7 * 0.5 * math.sqrt(0.1 / 1.9),
                              "lower.3": 10.0 - 2.7 * 0.5 * math.sqrt(0.1 / 1.9), "policies.limits": "asymptotic"},
                   "tolerance": 1e-12, "source": "hand: asymptotic limits mu +- L sigma sqrt(lambda/(2-lambda))"})
ewma_cases.append({"name": "error_lambda", "input": {"x": [1.0, 2.0], "lambda": 1.5}, "error": {"kind": "invalid_argument"},
                   "source": "lambda outside (0, 1]"})
write("ewma_chart", "EWMA chart with exact time-varying limits", ewma_cases)

# ---------------------------------------------------------------- CUSUM
xc = [0.3, -0.2, 1.4, 1.1, 0.9, 1.6, 1.2, 0.8, 1.5, -0.4, -1.6, -1.8, -1.2, -1.5]
def cusum(x, mu, sigma, k, h, reset=True):
    cp = cm = 0.0; sp = sm = 0; CP = []; CM = []; S = []
    for i, v in enumerate(x):
        if cp <= 0: sp = i
        if cm <= 0: sm = i
        cp = max(0.0, cp + v - mu - k * sigma)
        cm = max(0.0, cm + mu - k * sigma - v)
        CP.append(cp); CM.append(-cm)
        if cp > h * sigma:
            S.append(("cusum_upper", i, list(range(sp, i + 1)), mu + k * sigma + cp / (i - sp + 1)))
            if reset: cp = 0.0; sp = i + 1
        if cm > h * sigma:
            S.append(("cusum_lower", i, list(range(sm, i + 1)), mu - k * sigma - cm / (i - sm + 1)))
            if reset: cm = 0.0; sm = i + 1
    return CP, CM, S
CP, CM, S = cusum(xc, 0.0, 1.0, 0.5, 4.0)
two = R("xcusum.arl(0.5, 4, 0, sided='two')")
cus_cases = [
    {"name": "tabular_reset_after_signal", "input": {"x": xc, "mu": 0.0, "sigma": 1.0, "k": 0.5, "h": 4.0},
     "expect": {"statistic.2": CP[2], "statistic.6": CP[6], "statistic_lower.12": CM[12], "upper.0": 4.0, "lower.0": -4.0,
                "signals.0.rule": S[0][0], "signals.0.index": S[0][1], "signals.0.points": S[0][2],
                "signals.0.value": S[0][3], "signals.0.deviation": S[0][3],
                "signals.1.rule": S[1][0], "signals.1.index": S[1][1], "signals.1.points": S[1][2],
                "policies.reset": "after_signal", "false_alarm_rate": 1 / two},
     "tolerance": 1e-12,
     "source": "hand (Montgomery 9.1): C+ = max(0, x - (mu + k sigma) + C+), C- = max(0, (mu - k sigma) - x + C-), "
               "signal when > h sigma, reset to 0; shift estimate mu + K + C+/N+; "
               "false_alarm_rate = 1/spc::xcusum.arl(0.5, 4, 0, sided='two') (igl, r=30)"},
]
CP2, CM2, S2 = cusum(xc, 0.0, 1.0, 0.5, 4.0, reset=False)
cus_cases.append({"name": "no_reset_scaled", "input": {"x": [2 * v + 50 for v in xc], "mu": 50.0, "sigma": 2.0, "k": 0.5, "h": 4.0, "reset": "none"},
                  "expect": {"statistic.8": 2 * CP2[8], "upper.0": 8.0, "signals.0.index": S2[0][1],
                             "signals.1.index": S2[1][1], "signals.1.rule": S2[1][0]},
                  "tolerance": 1e-12, "source": "hand: same recursion on 2x+50 with mu=50, sigma=2 (statistic scales by 2), no reset"})
cus_cases.append({"name": "error_headstart", "input": {"x": [1.0, 2.0], "h": 4.0, "headstart": 5.0}, "error": {"kind": "invalid_argument"},
                  "source": "headstart must lie in [0, h)"})
write("cusum_chart", "Tabular CUSUM (k, h in sigma units)", cus_cases)

# ---------------------------------------------------------------- funnel
fs = [18.0, 70.0, 35.0, 160.0, 9.0, 44.0, 230.0, 12.0]
fn = [40.0, 150.0, 60.0, 400.0, 30.0, 80.0, 500.0, 20.0]
p0 = fsum(fs) / fsum(fn)
zq95, zq998 = norm.isf(0.025), norm.isf(0.001)
sef = [math.sqrt(p0 * (1 - p0) / n) for n in fn]
zf = [(a / n - p0) / s for a, n, s in zip(fs, fn, sef)]
def binlim(P, n, th):
    r = binom.ppf(P, n, th)
    Fr, Fr1 = binom.cdf(r, n, th), binom.cdf(r - 1, n, th)
    return (r - (Fr - P) / (Fr - Fr1)) / n
# winsorised phi: 10% of 8 -> floor(0.8) = 0 points, so use 25% to make winsorisation bite: g = 2
zs = sorted(zf); g = 2
phi = fsum(min(max(v, zs[g]), zs[len(zs) - 1 - g]) ** 2 for v in zf) / len(zf)
fun_cases = [
    {"name": "normal_pooled_target", "input": {"successes": fs, "sizes": fn},
     "expect": {"target": p0, "bands.0.z": zq95, "bands.1.z": zq998,
                "bands.0.upper.0": p0 + zq95 * sef[0], "bands.1.lower.6": p0 - zq998 * sef[6], "z.3": zf[3], "phi": 1.0},
     "tolerance": 1e-12,
     "source": "hand (Spiegelhalter 2005): p0 = sum x / sum n; limits p0 +- z sqrt(p0(1-p0)/n), z = scipy norm.isf(0.025), norm.isf(0.001)"},
    {"name": "binomial_exact_interpolated", "input": {"successes": fs, "sizes": fn, "target": 0.5, "method": "binomial", "levels": [0.95]},
     "expect": {"bands.0.lower.0": binlim(0.025, 40, 0.5), "bands.0.upper.0": binlim(0.975, 40, 0.5),
                "bands.0.upper.4": binlim(0.975, 30, 0.5), "bands.0.lower.6": binlim(0.025, 500, 0.5)},
     "tolerance": 1e-9,
     "source": "Spiegelhalter 2005 appendix: r = qbinom(P, n, 0.5), alpha = (F(r)-P)/(F(r)-F(r-1)), limit (r-alpha)/n; "
               "scipy binom.ppf/cdf (1e-9: regularised incomplete beta)"},
    {"name": "multiplicative_overdispersion", "input": {"successes": fs, "sizes": fn, "overdispersion": "multiplicative", "winsorize": 0.25},
     "expect": {"phi_estimated": phi, "phi": max(phi, 1.0), "bands.1.upper.1": p0 + zq998 * math.sqrt(max(phi, 1.0)) * sef[1]},
     "tolerance": 1e-12,
     "source": "hand (Spiegelhalter 2005 s.3.2): z winsorised at the 2nd smallest / 2nd largest of 8 (floor(0.25*8) = 2), "
               "phi = mean z^2, limits p0 +- z sqrt(phi) se"},
]
write("funnel", "Funnel limits for units of different sizes", fun_cases)

# ---------------------------------------------------------------- run rules
def rr(name, z, enable, expect, source, firing=None):
    inp = {"z": z}
    base = {k: False for k in ["western_electric_1", "western_electric_2", "western_electric_3", "western_electric_4"]}
    inp.update(base)
    for r in enable:
        inp[r] = True
    if firing:
        inp["firing"] = firing
    return {"name": name, "input": inp, "expect": expect, "tolerance": 1e-12, "source": source}

q1, q2 = norm.sf(1.0), norm.sf(2.0)
run_cases = [
    rr("we1", [0.5, -0.2, 3.2, 0.1, -3.5, 1.0], ["western_electric_1"],
       {"n_hits": 2, "hits.0.index": 2, "hits.0.direction": "up", "hits.1.index": 4, "hits.1.direction": "down",
        "hits.0.false_alarm_rate": 2 * norm.sf(3.0)}, "hand: |z| > 3 at 2 and 4; rate 2*pnorm(-3)"),
    rr("we2", [0.1, 2.5, -0.3, 2.1, 0.2, -2.2, -2.6, 0.0], ["western_electric_2"],
       {"n_hits": 2, "hits.0.index": 3, "hits.0.points": [1, 3], "hits.1.index": 6, "hits.1.points": [5, 6],
        "hits.0.false_alarm_rate": 2 * q2 * (1 - (1 - q2) ** 2)},
       "hand: 2 of 3 beyond 2 same side, completing point beyond; rate 2 q2 (1-(1-q2)^2), q2 = pnorm(-2)"),
    rr("we3", [1.2, 1.5, 0.3, 1.1, 1.3, 0.2, 1.4], ["western_electric_3"],
       {"n_hits": 1, "hits.0.index": 4, "hits.0.points": [0, 1, 3, 4],
        "hits.0.false_alarm_rate": 2 * q1 * (4 * q1 ** 3 * (1 - q1) + q1 ** 4)},
       "hand: 4 of 5 beyond 1 same side at index 4 (index 6 has only 3 of 5); rate 2 q1 P(Bin(4,q1)>=3)"),
    rr("we4_every_point", [-0.1, 0.2, 0.3, 0.1, 0.5, 0.9, 0.4, 0.2, 0.6, 0.3, -0.5], ["western_electric_4"],
       {"n_hits": 2, "hits.0.index": 8, "hits.0.points": list(range(1, 9)), "hits.1.index": 9,
        "hits.1.points": list(range(1, 10)), "hits.0.false_alarm_rate": 2 * 0.5 ** 8},
       "hand: run of 9 above the centre from index 1: 8th point (index 8) and 9th (index 9) fire"),
    rr("we4_first_in_episode", [-0.1, 0.2, 0.3, 0.1, 0.5, 0.9, 0.4, 0.2, 0.6, 0.3, -0.5], ["western_electric_4"],
       {"n_hits": 1, "hits.0.index": 8}, "hand: same run fires once", firing="first_in_episode"),
    rr("nelson1", [0.0, -3.01, 2.99], ["nelson_1"], {"n_hits": 1, "hits.0.index": 1, "hits.0.rule": "nelson_1"},
       "hand: |z| > 3 only at index 1"),
    rr("nelson2", [-0.1, 0.2, 0.3, 0.1, 0.5, 0.9, 0.4, 0.2, 0.6, 0.3, -0.5], ["nelson_2"],
       {"n_hits": 1, "hits.0.index": 9, "hits.0.false_alarm_rate": 2 * 0.5 ** 9}, "hand: 9 in a row above at index 9"),
    rr("nelson3", [0.5, -1.0, -0.5, 0.0, 0.3, 0.8, 1.1, 0.9], ["nelson_3"],
       {"n_hits": 1, "hits.0.index": 6, "hits.0.points": [1, 2, 3, 4, 5, 6], "hits.0.direction": "up",
        "hits.0.false_alarm_rate": 2 / 720},
       "hand: 6 strictly increasing points ending at index 6; rate 2/6!"),
    rr("nelson4", [0.1, 0.5, 0.2, 0.6, 0.1, 0.7, 0.0, 0.4, -0.2, 0.3, -0.1, 0.5, 0.2, 0.8, 0.9], ["nelson_4"],
       {"n_hits": 1, "hits.0.index": 13, "hits.0.points": list(range(0, 14)),
        "hits.0.false_alarm_rate": 2 * 199360981 / math.factorial(14)},
       "hand: 13 alternating differences (14 points) at index 13; index 14 goes up twice. Rate 2 E14/14!, "
       "E14 = 199360981 (OEIS A000111)"),
    rr("nelson5", [0.1, 2.5, -0.3, 2.1, 0.2, -2.2, -2.6, 0.0], ["nelson_5"],
       {"n_hits": 2, "hits.0.index": 3, "hits.1.index": 6}, "hand: as we2"),
    rr("nelson6", [-1.2, -1.5, -0.3, -1.1, -1.3], ["nelson_6"],
       {"n_hits": 1, "hits.0.index": 4, "hits.0.direction": "down"}, "hand: 4 of 5 below -1"),
    rr("nelson7", [0.1, -0.2, 0.3, -0.4, 0.5, -0.6, 0.7, -0.8, 0.9, -0.1, 0.2, -0.3, 0.4, -0.5, 0.6, 0.0, 1.5],
       ["nelson_7"], {"n_hits": 2, "hits.0.index": 14, "hits.1.index": 15, "hits.1.points": list(range(0, 16)),
                      "hits.0.false_alarm_rate": (1 - 2 * q1) ** 15},
       "hand: 15 and 16 points within 1 sigma at 14 and 15; rate (1-2 pnorm(-1))^15"),
    rr("nelson8", [1.5, -1.2, 1.8, -1.1, 1.3, -2.0, 1.6, -1.4, 0.3], ["nelson_8"],
       {"n_hits": 1, "hits.0.index": 7, "hits.0.false_alarm_rate": (2 * q1) ** 8},
       "hand: 8 points beyond 1 sigma (both sides) at index 7; rate (2 pnorm(-1))^8"),
]
# Anhøj: n = 20 useful points; runs limit round(log2(20)+3) = 7; crossings limit qbinom(0.05, 19, 0.5)
za = [0.5, -0.5, 0.4, -0.3, 0.2, -0.6, 0.0, 0.3, -0.2, 0.1, -0.1, 0.2, 0.4, 0.6, 0.1, 0.3, 0.8, 0.5, 0.2, 0.7, 0.9]
useful = [v for v in za if v != 0]
n_use = len(useful)
assert n_use == 20
runs_lim = round(math.log2(n_use) + 3)
crossq = R("qbinom(0.05, 19, 0.5)")
run_cases.append(rr("anhoej_runs", za, ["anhoej_runs"],
                    {"n_hits": 1, "hits.0.rule": "anhoej_runs", "hits.0.parameters.limit": runs_lim,
                     "hits.0.parameters.longest_run": 10, "hits.0.parameters.n_useful": 20,
                     "hits.0.index": 20, "hits.0.points": list(range(11, 21))},
                    "hand: the point on the centre (index 6) is skipped; 20 useful points; longest run 10 (indices 11-20) "
                    "> round(log2(20)+3) = 7 (Anhoej & Olesen 2014)"))
zc = [0.5] * 10 + [0.0] + [-0.5] * 10
run_cases.append(rr("anhoej_crossings", zc, ["anhoej_crossings"],
                    {"n_hits": 1, "hits.0.parameters.crossings": 1, "hits.0.parameters.limit": crossq,
                     "hits.0.parameters.n_useful": 20},
                    "R: qbinom(0.05, 19, 0.5) = %d; 1 crossing < %d (centre point skipped)" % (crossq, crossq)))
zn = [0.5, -0.4, 0.3, -0.2, 0.6, -0.1, 0.2, -0.3, 0.4, -0.5, 0.1, -0.6]
run_cases.append(rr("anhoej_no_signal", zn, ["anhoej_runs", "anhoej_crossings"], {"n_hits": 0},
                    "hand: 11 crossings >= qbinom(0.05, 11, 0.5) = %d; longest run 1 <= round(log2(12)+3) = 7"
                    % R("qbinom(0.05, 11, 0.5)")))
run_cases.append({"name": "error_nan", "input": {"z": [0.1, "NaN"]}, "error": {"kind": "missing_value"}, "source": "NaN in z"})
write("run_rules", "Western Electric, Nelson and Anhoej run rules on a standardised series", run_cases)

# ---------------------------------------------------------------- ARLs
arl_cases = [
    {"name": "shewhart_arl0_3sigma", "input": {"chart": "shewhart", "l": 3.0, "shift": 0.0},
     "expect": {"arl": 1 / (2 * norm.sf(3.0))}, "tolerance": 1e-12, "source": "closed form 1/(2 pnorm(-3)) (scipy norm.sf)"},
    {"name": "shewhart_arl1_shift1", "input": {"chart": "shewhart", "l": 3.0, "shift": 1.0},
     "expect": {"arl": 1 / (norm.sf(2.0) + norm.sf(4.0))}, "tolerance": 1e-12, "source": "closed form 1/(pnorm(-2) + pnorm(-4))"},
    {"name": "shewhart_one_sided", "input": {"chart": "shewhart", "l": 2.5, "shift": 0.5, "sided": "one"},
     "expect": {"arl": 1 / norm.sf(2.0)}, "tolerance": 1e-12, "source": "closed form 1/pnorm(-(2.5-0.5))"},
]
for lam_, c_, mu_ in [(0.1, 2.7, 0.0), (0.1, 2.7, 1.0), (0.2, 2.86, 0.5), (0.05, 2.5, 0.0)]:
    call = f"xewma.arl({lam_}, {c_}, {mu_}, sided='two')"
    arl_cases.append({"name": f"ewma_l{lam_}_c{c_}_mu{mu_}", "input": {"chart": "ewma", "lambda": lam_, "l": c_, "shift": mu_},
                      "expect": {"arl": R(call)}, "tolerance": 1e-9,
                      "source": f"R spc 0.6.7: {call} (Nystrom, r = 40 Gauss-Legendre nodes; same nodes here, agreement ~1e-13)"})
ref = R("xewma.arl(0.1, 2.7, 0, sided='two', r=200)")
arl_cases.append({"name": "ewma_markov_chain_501_states", "input": {"chart": "ewma", "lambda": 0.1, "l": 2.7, "shift": 0.0,
                                                                    "method": "markov_chain", "nodes": 501},
                  "expect": {"arl": ref}, "tolerance": 2e-4,
                  "source": "R spc: xewma.arl(0.1, 2.7, 0, sided='two', r=200) (converged integral equation); "
                            "the 501-state Lucas-Saccucci chain has discretisation error O(1/m^2) (observed 1.06, 0.12, 0.011 at 101, 301, 1001 states; about 0.043 = 1.2e-4 relative at 501): tolerance 2e-4 relative"})
for k_, h_, mu_, sided, meth, r_ in [(0.5, 5.0, 0.0, "one", "igl", 30), (0.5, 5.0, 1.0, "one", "igl", 30),
                                     (0.5, 4.0, 0.0, "two", "igl", 30), (0.5, 4.0, 1.5, "two", "igl", 30),
                                     (0.5, 5.0, 0.0, "one", "mc", 100), (0.25, 8.0, 0.5, "one", "mc", 50)]:
    call = f"xcusum.arl({k_}, {h_}, {mu_}, sided='{sided}', method='{meth}', r={r_})"
    val = R(call)
    inp = {"chart": "cusum", "k": k_, "h": h_, "shift": mu_, "sided": sided, "nodes": r_,
           "method": "integral_equation" if meth == "igl" else "markov_chain"}
    arl_cases.append({"name": f"cusum_{meth}_{sided}_k{k_}_h{h_}_mu{mu_}", "input": inp, "expect": {"arl": val},
                      "tolerance": 1e-9,
                      "source": f"R spc 0.6.7: {call}" + (" (two-sided: Lucas-Crosier combination of one-sided igl ARLs)" if sided == "two" else "")
                                + "; same nodes/states, tolerance 1e-9 relative (observed ~1e-12)"})
arl_cases.append({"name": "error_lambda", "input": {"chart": "ewma", "lambda": 0.0, "l": 3.0, "shift": 0.0},
                  "error": {"kind": "invalid_argument"}, "source": "lambda must lie in (0, 1]"})
write("arl", "Average run lengths: Shewhart closed form, EWMA and CUSUM vs R spc", arl_cases)

# ---------------------------------------------------------------- calibration
cal_cases = []
alpha = 1 / 60000
cal_cases.append({"name": "shewhart_2000_charts_daily_one_a_month",
                  "input": {"chart": "shewhart", "charts": 2000, "checks_per_period": 30, "false_alarms": 1},
                  "expect": {"target_arl0": 60000.0, "threshold": norm.isf(alpha / 2), "arl0": 60000.0,
                             "arl1": 1 / (norm.sf(norm.isf(alpha / 2) - 1) + norm.sf(norm.isf(alpha / 2) + 1)),
                             "expected_false_alarms_per_period": 1.0, "method": "closed_form"},
                  "tolerance": 1e-9,
                  "source": "hand: ARL0 = 2000*30/1; L = qnorm(1 - 1/120000) (scipy norm.isf(1/120000)); ARL1 at 1 sd closed form"})
a_fw = -math.expm1(math.log1p(-0.05) / 60000)
cal_cases.append({"name": "shewhart_familywise_5pct",
                  "input": {"chart": "shewhart", "charts": 2000, "checks_per_period": 30, "false_alarms": 0.05, "policy": "familywise"},
                  "expect": {"target_arl0": 1 / a_fw, "threshold": norm.isf(a_fw / 2)},
                  "tolerance": 1e-9, "source": "hand: alpha = 1-(0.95)^(1/60000); L = qnorm(1 - alpha/2) (scipy)"})
ewc = R("uniroot(function(c) xewma.arl(0.1, c, 0, sided='two') - 60000, c(2, 5), tol=1e-14)$root")
ewcrit = R("xewma.crit(0.1, 60000, sided='two')")
cal_cases.append({"name": "ewma_lambda01_arl0_60000",
                  "input": {"chart": "ewma", "lambda": 0.1, "charts": 2000, "checks_per_period": 30, "false_alarms": 1},
                  "expect": {"threshold": ewc, "arl0": 60000.0, "threshold_name": "l", "method": "integral_equation(40)"},
                  "tolerance": 1e-9,
                  "source": "R spc: uniroot(function(c) xewma.arl(0.1, c, 0, sided='two') - 60000, c(2,5), tol=1e-14)$root; "
                            f"spc's own xewma.crit(0.1, 60000, sided='two') = {ewcrit!r} (stops at a looser tolerance)"})
cuh = R("uniroot(function(h) xcusum.arl(0.5, h, 0, sided='two') - 60000, c(2, 12), tol=1e-14)$root")
cucrit = R("xcusum.crit(0.5, 60000, sided='two')")
cal_cases.append({"name": "cusum_k05_arl0_60000",
                  "input": {"chart": "cusum", "k": 0.5, "charts": 2000, "checks_per_period": 30, "false_alarms": 1},
                  "expect": {"threshold": cuh, "arl0": 60000.0, "threshold_name": "h",
                             "arl1": R(f"xcusum.arl(0.5, {cuh!r}, 1, sided='two')")},
                  "tolerance": 1e-9,
                  "source": "R spc: uniroot(function(h) xcusum.arl(0.5, h, 0, sided='two') - 60000, c(2,12), tol=1e-14)$root, "
                            f"arl1 = xcusum.arl(0.5, h, 1, sided='two'); spc xcusum.crit(0.5, 60000, sided='two') = {cucrit!r}"})
cuh1 = R("uniroot(function(h) xcusum.arl(0.5, h, 0, sided='one') - 370.4, c(2, 12), tol=1e-14)$root")
cal_cases.append({"name": "cusum_one_sided_arl0_370",
                  "input": {"chart": "cusum", "k": 0.5, "charts": 370.4, "arl": {"sided": "one"}},
                  "expect": {"threshold": cuh1, "arl0": 370.4, "sided": "one"},
                  "tolerance": 1e-9,
                  "source": f"R spc: uniroot(function(h) xcusum.arl(0.5, h, 0, sided='one') - 370.4, c(2,12), tol=1e-14)$root; "
                            f"xcusum.crit(0.5, 370.4) = {R('xcusum.crit(0.5, 370.4)')!r}"})
cal_cases.append({"name": "error_familywise_probability", "input": {"chart": "shewhart", "false_alarms": 1.5, "policy": "familywise"},
                  "error": {"kind": "invalid_argument"}, "source": "a probability must lie in (0, 1)"})
write("calibrate", "Thresholds (L, h) for a false-alarm budget across K charts", cal_cases)
print("ok")
