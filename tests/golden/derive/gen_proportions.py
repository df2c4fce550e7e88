"""proportion_interval, share_from_counts, compare_shares, churn, convert_rate, sample_size."""
import math

from scipy import stats
from statsmodels.stats.proportion import (confint_proportions_2indep, proportions_ztest,
                                          test_proportions_2indep)

from common import SM, SCIPY, case, err, write, zq, close
from props import interval

METHODS = ["wilson", "wald", "agresti_coull", "clopper_pearson", "jeffreys", "wilson_cc"]
TOL_Q = 1e-9  # a normal or beta quantile is involved


def tol_for(method):
    return TOL_Q


def proportion_interval():
    cases = []
    grid = [(7, 20, 0.95), (0, 10, 0.95), (10, 10, 0.95), (0, 1, 0.95), (1, 1, 0.90), (3, 50, 0.99),
            (45, 50, 0.90), (1, 2, 0.95)]
    for m in METHODS:
        for x, n, conf in grid:
            lo, hi, src = interval(x, n, m, conf)
            nm = f"{m}_x{x}_n{n}_c{int(round(conf * 100))}"
            cases.append(case(nm, {"x": x, "n": n, "method": m, "confidence": conf},
                              {"estimate": x / n, "lower": lo, "upper": hi, "method": m, "confidence": conf},
                              tol_for(m), src))
    # default method and confidence omitted
    lo, hi, src = interval(12, 40, "wilson", 0.95)
    cases.append(case("defaults_are_wilson_95", {"x": 12, "n": 40},
                      {"estimate": 0.3, "lower": lo, "upper": hi, "method": "wilson", "confidence": 0.95},
                      TOL_Q, src))
    # real-valued x and n (as used for weighted shares: x = share*m, n = m)
    for m in ["wilson", "wald", "agresti_coull", "clopper_pearson", "jeffreys"]:
        x, n = 12.75, 30.5
        lo, hi, src = interval(x, n, m, 0.95)
        cases.append(case(f"{m}_real_x12.75_n30.5", {"x": x, "n": n, "method": m, "confidence": 0.95},
                          {"estimate": x / n, "lower": lo, "upper": hi, "method": m, "confidence": 0.95},
                          TOL_Q, src + " (non-integer x and n)"))
    # clipping actually bites
    for m in ["wald", "agresti_coull"]:
        lo, hi, src = interval(1, 12, m, 0.99)
        assert lo == 0.0
        cases.append(case(f"{m}_clipped_at_0_x1_n12_c99", {"x": 1, "n": 12, "method": m, "confidence": 0.99},
                          {"estimate": 1 / 12, "lower": lo, "upper": hi, "method": m, "confidence": 0.99},
                          TOL_Q, src + "; the unclipped lower limit is negative"))
    hand = "hand: API.md requires n > 0 and 0 <= x <= n"
    cases += [
        err("error_x_above_n", {"x": 11, "n": 10}, "invalid_argument", hand + " (x=11 > n=10)"),
        err("error_x_negative", {"x": -1, "n": 10}, "invalid_argument", hand + " (x=-1)"),
        err("error_n_zero", {"x": 0, "n": 0}, "invalid_argument", hand + " (n=0)"),
        err("error_confidence_0", {"x": 3, "n": 10, "confidence": 0.0}, "invalid_confidence",
            "hand: confidence must lie in (0,1)"),
        err("error_confidence_1", {"x": 3, "n": 10, "confidence": 1.0}, "invalid_confidence",
            "hand: confidence must lie in (0,1)"),
        err("error_confidence_1.5", {"x": 3, "n": 10, "confidence": 1.5}, "invalid_confidence",
            "hand: confidence must lie in (0,1)"),
        err("error_unknown_method", {"x": 3, "n": 10, "method": "bogus_method"}, "unknown_method",
            "hand: method names are wilson|wald|agresti_coull|clopper_pearson|jeffreys|wilson_cc"),
    ]
    return write("proportion_interval",
                 "One-sample proportion intervals, all six methods, incl. x=0, x=n, n=1, 90/95/99%", cases)


def share_result(x, n, method, conf):
    lo, hi, src = interval(x, n, method, conf)
    p = x / n
    return ({"share": p, "successes": float(x), "n": n, "n_missing": 0, "effective_n": float(n),
             "se": math.sqrt(p * (1 - p) / n), "lower": lo, "upper": hi, "interval": method,
             "confidence": conf, "weighted": False},
            src + f"; share = {x}/{n}, se = sqrt(p(1-p)/n) by hand")


def share_from_counts():
    cases = []
    for (x, n, m, conf) in [(38, 50, "wilson", 0.95), (0, 25, "wilson", 0.95), (25, 25, "clopper_pearson", 0.95),
                            (1, 1, "jeffreys", 0.90), (120, 400, "agresti_coull", 0.99), (7, 30, "wilson_cc", 0.95),
                            (17, 60, "wald", 0.90)]:
        exp, src = share_result(x, n, m, conf)
        cases.append(case(f"{m}_x{x}_n{n}_c{int(round(conf * 100))}",
                          {"successes": x, "n": n, "interval": m, "confidence": conf}, exp, TOL_Q, src))
    exp, src = share_result(9, 12, "wilson", 0.95)
    cases.append(case("defaults", {"successes": 9, "n": 12}, exp, TOL_Q, src))
    cases += [
        err("error_successes_above_n", {"successes": 6, "n": 5}, "invalid_argument", "hand: 0<=x<=n required"),
        err("error_n_zero", {"successes": 0, "n": 0}, "invalid_argument", "hand: n>=1 required"),
        err("error_confidence_0", {"successes": 2, "n": 5, "confidence": 0.0}, "invalid_confidence",
            "hand: confidence must lie in (0,1)"),
        err("error_unknown_interval", {"successes": 2, "n": 5, "interval": "exact"}, "unknown_method",
            "hand: 'exact' is not one of the six method names (clopper_pearson is)"),
    ]
    return write("share_from_counts", "ShareResult from integer counts", cases)


def compare_shares():
    cases = []

    def comp(x1, n1, x2, n2, method, conf):
        alpha = 1 - conf
        p1, p2 = x1 / n1, x2 / n2
        diff = p1 - p2
        smm = {"newcombe": "newcomb", "wald": "wald", "agresti_caffo": "agresti-caffo"}[method]
        lo, hi = confint_proportions_2indep(x1, n1, x2, n2, method=smm, compare="diff", alpha=alpha)
        lo, hi = float(lo), float(hi)
        src = (f"{SM}: confint_proportions_2indep({x1}, {n1}, {x2}, {n2}, method='{smm}', compare='diff', "
               f"alpha=1-{conf})")
        exp = {"estimate_a": p1, "estimate_b": p2, "difference": diff, "lower": lo, "upper": hi,
               "method": method, "confidence": conf, "df": None}
        if method == "newcombe":
            zs, pv = proportions_ztest([x1, x2], [n1, n2])
            pp = (x1 + x2) / (n1 + n2)
            close(float(zs), diff / math.sqrt(pp * (1 - pp) * (1 / n1 + 1 / n2)), 1e-12, "pooled z")
            exp.update({"statistic": float(zs), "p_value": float(pv)})
            src += f"; statistic, p_value: {SM}: proportions_ztest([{x1}, {x2}], [{n1}, {n2}]) (pooled variance)"
        else:
            res = test_proportions_2indep(x1, n1, x2, n2, method=smm, compare="diff")
            a1 = 1 if method == "agresti_caffo" else 0
            q1, q2 = (x1 + a1) / (n1 + 2 * a1), (x2 + a1) / (n2 + 2 * a1)
            se = math.sqrt(q1 * (1 - q1) / (n1 + 2 * a1) + q2 * (1 - q2) / (n2 + 2 * a1))
            close(float(res.statistic), (q1 - q2) / se, 1e-12, "2indep stat")
            close(float(res.pvalue), 2 * stats.norm.sf(abs((q1 - q2) / se)), 1e-12, "2indep p")
            exp.update({"statistic": float(res.statistic), "p_value": float(res.pvalue), "se": se})
            src += (f"; statistic, p_value: {SM}: test_proportions_2indep({x1}, {n1}, {x2}, {n2}, method='{smm}', "
                    f"compare='diff'); se by hand = sqrt(sum p~(1-p~)/n~)")
            if method == "agresti_caffo":
                src += " with p~=(x+1)/(n+2) (interval and z centred on the adjusted difference, as statsmodels)"
        exp["significant"] = bool(exp["p_value"] < 1 - conf)
        return exp, src

    for (x1, n1, x2, n2, m, conf) in [
        (45, 120, 30, 110, "newcombe", 0.95), (45, 120, 30, 110, "wald", 0.95),
        (45, 120, 30, 110, "agresti_caffo", 0.95),
        (0, 20, 5, 25, "newcombe", 0.95), (20, 20, 15, 20, "wald", 0.90), (20, 20, 15, 20, "newcombe", 0.90),
        (8, 40, 14, 35, "agresti_caffo", 0.99), (150, 300, 120, 310, "newcombe", 0.99),
        (12, 50, 11, 50, "wald", 0.95)]:
        exp, src = comp(x1, n1, x2, n2, m, conf)
        inp = {"a": {"successes": x1, "n": n1}, "b": {"successes": x2, "n": n2}, "method": m, "confidence": conf}
        cases.append(case(f"{m}_{x1}of{n1}_vs_{x2}of{n2}_c{int(round(conf * 100))}", inp, exp, TOL_Q, src))
    exp, src = comp(30, 80, 20, 90, "newcombe", 0.95)
    cases.append(case("defaults_newcombe_95", {"a": {"successes": 30, "n": 80}, "b": {"successes": 20, "n": 90}},
                      exp, TOL_Q, src))
    cases += [
        err("error_unknown_method", {"a": {"successes": 3, "n": 10}, "b": {"successes": 4, "n": 10},
                                     "method": "fisher"}, "unknown_method",
            "hand: methods are newcombe|wald|agresti_caffo"),
        err("error_confidence_1.5", {"a": {"successes": 3, "n": 10}, "b": {"successes": 4, "n": 10},
                                     "confidence": 1.5}, "invalid_confidence", "hand: confidence in (0,1)"),
        err("error_group_b_x_above_n", {"a": {"successes": 3, "n": 10}, "b": {"successes": 11, "n": 10}},
            "invalid_argument", "hand: share_from_counts(11, 10) is invalid"),
    ]
    return write("compare_shares", "Difference of two independent shares (a - b)", cases)


def churn():
    cases = []

    def ch(start, lost, months=1.0, base="start", end=None, method="wilson", conf=0.95):
        if base == "start":
            c = lost / start
        else:
            c = lost / ((start + end) / 2)
        ann = 1 - (1 - c) ** (12 / months)
        exp = {"churn_rate": c, "retention_rate": 1 - c, "annualised_churn": ann, "annualised_retention": 1 - ann,
               "period_months": months, "base": base, "customers_start": float(start),
               "customers_end": None if end is None else float(end), "lost": float(lost), "confidence": conf}
        src = (f"hand: churn = {lost}/" + (f"{start}" if base == "start" else f"(({start}+{end})/2)") +
               f"; annualised = 1-(1-churn)^(12/{months})")
        if base == "start":
            lo, hi, s2 = interval(lost, start, method, conf)
            exp.update({"lower": lo, "upper": hi, "interval": method})
            src += f"; interval {s2}"
        else:
            exp.update({"lower": None, "upper": None})
            src += "; no interval for base 'average' (null)"
        inp = {"customers_start": start, "lost": lost}
        if end is not None:
            inp["customers_end"] = end
        inp.update({"period_months": months, "base": base, "interval": method, "confidence": conf})
        return inp, exp, src

    specs = [("monthly_25_of_1000", dict(start=1000, lost=25)),
             ("quarterly_60_of_800", dict(start=800, lost=60, months=3.0)),
             ("annual_period_12", dict(start=500, lost=90, months=12.0)),
             ("half_month_period", dict(start=2000, lost=14, months=0.5, method="clopper_pearson")),
             ("average_base", dict(start=1000, lost=40, end=1100, base="average")),
             ("average_base_quarterly", dict(start=400, lost=30, end=380, base="average", months=3.0)),
             ("zero_lost", dict(start=300, lost=0, method="jeffreys")),
             ("all_lost", dict(start=40, lost=40, method="clopper_pearson", conf=0.99)),
             ("jeffreys_90", dict(start=250, lost=12, method="jeffreys", conf=0.90)),
             ("wilson_cc_99", dict(start=120, lost=9, method="wilson_cc", conf=0.99))]
    for nm, kw in specs:
        inp, exp, src = ch(**kw)
        cases.append(case(nm, inp, exp, TOL_Q, src))
    # defaults omitted
    _, exp, src = ch(1200, 30)
    cases.append(case("defaults", {"customers_start": 1200, "lost": 30}, exp, TOL_Q, src))
    cases += [
        err("error_lost_above_start", {"customers_start": 100, "lost": 101}, "invalid_argument",
            "hand: lost > customers_start"),
        err("error_start_zero", {"customers_start": 0, "lost": 0}, "invalid_argument", "hand: customers_start = 0"),
        err("error_negative_lost", {"customers_start": 100, "lost": -3}, "invalid_argument", "hand: negative count"),
        err("error_nan_lost", {"customers_start": 100, "lost": "NaN"}, "invalid_argument", "hand: NaN count"),
        err("error_negative_start", {"customers_start": -100, "lost": 3}, "invalid_argument", "hand: negative count"),
        err("error_average_without_end", {"customers_start": 100, "lost": 3, "base": "average"}, "invalid_argument",
            "hand: base 'average' needs customers_end"),
        err("error_unknown_base", {"customers_start": 100, "lost": 3, "base": "median"}, "unknown_method",
            "hand: base is start|average"),
        err("error_unknown_interval", {"customers_start": 100, "lost": 3, "interval": "poisson"}, "unknown_method",
            "hand: interval is one of the six proportion methods"),
        err("error_confidence_0", {"customers_start": 100, "lost": 3, "confidence": 0.0}, "invalid_confidence",
            "hand: confidence in (0,1)"),
    ]
    return write("churn", "Churn and retention rates, annualised by compounding", cases)


def convert_rate():
    cases = []
    for nm, (r, fm, tm) in {"monthly_to_annual": (0.02, 1.0, 12.0), "annual_to_monthly": (0.2, 12.0, 1.0),
                            "quarterly_to_monthly": (0.075, 3.0, 1.0), "same_period": (0.13, 6.0, 6.0),
                            "zero_rate": (0.0, 1.0, 12.0), "full_rate": (1.0, 1.0, 12.0),
                            "weekly_to_annual_in_months": (0.004, 12 / 52, 12.0)}.items():
        v = 1 - (1 - r) ** (tm / fm)
        cases.append(case(nm, {"rate": r, "from_months": fm, "to_months": tm}, {"value": v}, 1e-12,
                          f"hand: 1-(1-{r!r})^({tm!r}/{fm!r}) = {v!r}"))
    return write("convert_rate", "Convert a period rate to another period length by compounding", cases)


def sample_size():
    cases = []

    def ss(metric, margin, conf=0.95, pr=0.5, de=0.25, p=0.5, sd=None, N=None, rr=None, fpc="exact"):
        z = zq(conf)
        if metric == "nps":
            V = (pr + de - (pr - de) ** 2) * 10000
        elif metric == "share":
            V = p * (1 - p)
        else:
            V = sd ** 2
        n0 = z * z * V / margin ** 2
        if N is None:
            n = n0
        elif fpc == "exact":
            n = N * z * z * V / ((N - 1) * margin ** 2 + z * z * V)
        else:
            n = n0 / (1 + n0 / N)
        # guard: the expected ceil must not be sensitive to rounding
        assert abs(n - round(n)) > 1e-6, n
        nreq = math.ceil(n)
        exp = {"metric": metric, "margin": margin, "confidence": conf, "variance": V, "n_infinite": n0,
               "n_required": nreq, "fpc": fpc,
               "population": None if N is None else N, "response_rate": rr}
        src = (f"hand: z = scipy norm.ppf(1-(1-{conf})/2), V = {V!r}, n0 = z^2 V / margin^2 = {n0!r}")
        if N is not None:
            src += (f"; {'exact: N z^2 V/((N-1) e^2 + z^2 V)' if fpc == 'exact' else 'simple: n0/(1+n0/N)'}"
                    f" = {n!r}")
        src += f" -> ceil {nreq}"
        feasible = True
        if N is not None:
            cap = N * rr if rr is not None else N
            if cap < nreq:
                feasible = False
                mr = math.floor(cap)
                am = z * math.sqrt(V / mr * (N - mr) / (N - 1))
                exp.update({"max_respondents": mr, "achievable_margin": am})
                src += (f"; infeasible: floor(N*rr) = {mr} < {nreq}; achievable margin = z sqrt(V/n (N-n)/(N-1))"
                        f" = {am!r}")
        exp["feasible"] = feasible
        if rr is not None and feasible:
            inv = math.ceil(nreq / rr)
            assert abs(nreq / rr - round(nreq / rr)) > 1e-6 or nreq / rr == round(nreq / rr)
            exp["invitations"] = inv
            src += f"; invitations = ceil({nreq}/{rr}) = {inv}"
        if rr is None:
            exp["invitations"] = None
        inp = {"metric": metric, "margin": margin, "confidence": conf}
        if metric == "nps":
            inp.update({"promoters": pr, "detractors": de})
        elif metric == "share":
            inp["p"] = p
        else:
            inp["sd"] = sd
        if N is not None:
            inp["population"] = N
        if rr is not None:
            inp["response_rate"] = rr
        inp["fpc"] = fpc
        return inp, exp, src, n

    tol = TOL_Q
    inp, exp, src, n = ss("share", 0.05)
    assert exp["n_required"] == 385
    cases.append(case("share_p50_e05_cochran_385", inp, exp, tol,
                      src + "; published: n0 = 1.96^2*0.25/0.05^2 = 384.16 -> 385 (Cochran, Sampling Techniques, "
                            "3rd ed., 1977, sec. 4.4)"))
    for N, pub in [(100, 80), (1000, 278), (10000, 370)]:
        inp, exp, src, n = ss("share", 0.05, N=N)
        assert exp["n_required"] == pub, (N, exp["n_required"])
        cases.append(case(f"share_krejcie_morgan_N{N}", inp, exp, tol,
                          src + f"; published: Krejcie & Morgan (1970), Educ. Psychol. Meas. 30:607-610, Table 1: "
                                f"N={N} -> s={pub} (their formula is this exact inversion with chi^2=3.841)"))
    inp, exp, src, n = ss("share", 0.05, N=1000, fpc="simple")
    cases.append(case("share_N1000_simple_fpc", inp, exp, tol,
                      src + "; note: n0/(1+(n0-1)/N) = N n0/(N-1+n0) is algebraically the same as the 'exact' "
                            "formula, so both give 278 here"))
    inp, exp, src, n = ss("nps", 5.0)
    cases.append(case("nps_defaults_margin5", inp, exp, tol, src))
    inp, exp, src, n = ss("nps", 3.0, conf=0.90, pr=0.6, de=0.1, N=2000)
    cases.append(case("nps_N2000_c90", inp, exp, tol, src))
    inp, exp, src, n = ss("share", 0.03, conf=0.99, p=0.3)
    cases.append(case("share_p30_e03_c99", inp, exp, tol, src))
    inp, exp, src, n = ss("mean", 0.1, sd=1.2)
    cases.append(case("mean_sd1.2_e0.1", inp, exp, tol, src))
    inp, exp, src, n = ss("mean", 0.25, conf=0.90, sd=1.5, N=800, rr=0.4)
    cases.append(case("mean_N800_rr40_c90", inp, exp, tol, src))
    inp, exp, src, n = ss("share", 0.05, N=5000, rr=0.25)
    cases.append(case("share_N5000_rr25_invitations", inp, exp, tol, src))
    inp, exp, src, n = ss("share", 0.05, N=1000, rr=0.25)
    assert exp["feasible"] is False
    cases.append(case("share_infeasible_N1000_rr25", inp, exp, tol, src))
    inp, exp, src, n = ss("nps", 5.0, N=3000, rr=0.2)
    assert exp["feasible"] is False
    cases.append(case("nps_infeasible_N3000_rr20", inp, exp, tol, src))
    # defaults: metric share with p omitted
    inp, exp, src, n = ss("share", 0.04)
    cases.append(case("share_defaults_e04", {"metric": "share", "margin": 0.04}, exp, tol, src))
    cases += [
        err("error_margin_zero", {"metric": "share", "margin": 0.0}, "invalid_argument", "hand: margin must be > 0"),
        err("error_margin_negative", {"metric": "nps", "margin": -5.0}, "invalid_argument",
            "hand: margin must be > 0"),
        err("error_unknown_metric", {"metric": "median", "margin": 0.05}, "unknown_method",
            "hand: metric is nps|share|mean"),
        err("error_mean_without_sd", {"metric": "mean", "margin": 0.1}, "invalid_argument",
            "hand: metric 'mean' needs sd"),
        err("error_confidence_1", {"metric": "share", "margin": 0.05, "confidence": 1.0}, "invalid_confidence",
            "hand: confidence in (0,1)"),
        err("error_unknown_fpc", {"metric": "share", "margin": 0.05, "population": 1000, "fpc": "none"},
            "unknown_method", "hand: fpc is exact|simple"),
        err("error_response_rate_above_1", {"metric": "share", "margin": 0.05, "population": 1000,
                                            "response_rate": 1.5}, "invalid_argument",
            "hand: response_rate must lie in (0,1]"),
    ]
    return write("sample_size", "Sample-size planning with finite-population correction", cases)


ALL = [proportion_interval, share_from_counts, compare_shares, churn, convert_rate, sample_size]
