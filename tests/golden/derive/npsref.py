"""Reference NPS computations (unweighted and weighted) independent of cxkpi."""
import math
from fractions import Fraction

import numpy as np

from common import R, RV, SURVEY, close, rvec, tq, zq, SCIPY


def categorise(scores, promoter_min=9, detractor_max=6):
    """Return y in {-1,0,1} for valid rows and the count of missing."""
    ys, idx = [], []
    nmiss = 0
    for i, s in enumerate(scores):
        if isinstance(s, float) and math.isnan(s):
            nmiss += 1
            continue
        ys.append(1 if s >= promoter_min else (-1 if s <= detractor_max else 0))
        idx.append(i)
    return ys, idx, nmiss


def kish(w):
    return math.fsum(w) ** 2 / math.fsum(x * x for x in w)


def adj_wald_se(p, d, m):
    pa = (p * m + 0.75) / (m + 3)
    da = (d * m + 0.75) / (m + 3)
    return math.sqrt((pa + da - (pa - da) ** 2) / (m + 3))


def exact_bootstrap(nP, nU, nD, conf):
    """Exact distribution of NPS* = 100 (a-c)/n over multinomial(n; p,u,d) with the observed shares.
    Returns (lower, upper, min_gap) where min_gap is the distance between the exact CDF values next to the two
    levels and the levels themselves (to show float comparisons cannot flip the answer)."""
    n = nP + nU + nD
    p, u, d = Fraction(nP, n), Fraction(nU, n), Fraction(nD, n)
    dist = {}
    fact = math.factorial
    for a in range(n + 1):
        for c in range(n - a + 1):
            b = n - a - c
            pr = Fraction(fact(n), fact(a) * fact(b) * fact(c)) * p ** a * u ** b * d ** c
            if pr == 0:
                continue
            k = a - c  # NPS* = 100 k / n
            dist[k] = dist.get(k, 0) + pr
    assert sum(dist.values()) == 1
    # cross-check the exact pmf against scipy.stats.multinomial (floats)
    from scipy.stats import multinomial
    chk = {}
    for a in range(n + 1):
        for c in range(n - a + 1):
            chk[a - c] = chk.get(a - c, 0.0) + float(multinomial.pmf([a, n - a - c, c], n, [nP / n, nU / n, nD / n]))
    for k, v in dist.items():
        assert abs(float(v) - chk[k]) < 1e-12, (k, float(v), chk[k])
    alpha = 1 - conf  # float, as the implementation computes it
    lv_lo, lv_hi = Fraction(alpha / 2), Fraction(1 - alpha / 2)
    cum = Fraction(0)
    lo = hi = None
    gaps = []
    for k in sorted(dist):
        cum += dist[k]
        gaps.append(abs(cum - lv_lo))
        gaps.append(abs(cum - lv_hi))
        if lo is None and cum >= lv_lo:
            lo = k
        if hi is None and cum >= lv_hi:
            hi = k
    return 100 * lo / n, 100 * hi / n, float(min(gaps))


def nps_expect(scores, weights=None, interval="adjusted_wald", conf=0.95, promoter_min=9, detractor_max=6):
    """Expected NpsResult fields + source string; limits clipped to the attainable range [-100, 100]."""
    exp, src = _nps_expect(scores, weights, interval, conf, promoter_min, detractor_max)
    lo, hi = exp.get("lower"), exp.get("upper")
    if lo is not None and (lo < -100 or hi > 100):
        exp["lower"], exp["upper"] = max(lo, -100.0), min(hi, 100.0)
        src += "; limits clipped to [-100, 100] (the attainable range)"
    return exp, src


def _nps_expect(scores, weights=None, interval="adjusted_wald", conf=0.95, promoter_min=9, detractor_max=6):
    ys, idx, nmiss = categorise(scores, promoter_min, detractor_max)
    n = len(ys)
    nP, nU, nD = ys.count(1), ys.count(0), ys.count(-1)
    z = zq(conf)
    exp = {"n": n, "n_missing": nmiss, "n_promoters": nP, "n_passives": nU, "n_detractors": nD,
           "interval": interval, "confidence": conf}
    if weights is None:
        p, u, d = nP / n, nU / n, nD / n
        nps = 100 * (nP - nD) / n
        exp.update({"nps": nps, "promoters": p, "passives": u, "detractors": d, "effective_n": float(n),
                    "weighted": False})
        src = f"hand: counts P={nP}, U={nU}, D={nD}, n={n}, n_missing={nmiss}; nps = 100(P-D)/n"
        if n >= 2:
            r = R(f"y <- {rvec(ys)}; out(sd(y)/sqrt(length(y)), mean(y))")
            se_lin = 100 * r[0]
            close(se_lin / 100, math.sqrt((p + d - (p - d) ** 2) / (n - 1)), 1e-12, "se_lin unweighted")
            exp["se_linearised"] = se_lin
            src += f"; se_linearised = 100*sd(y)/sqrt(n) ({RV()} sd on the -1/0/+1 recoding)"
        m = n
        if interval == "adjusted_wald":
            se = adj_wald_se(p, d, m)
            exp.update({"se": 100 * se, "lower": nps - 100 * z * se, "upper": nps + 100 * z * se})
            src += ("; adjusted-Wald by hand: p'=(p n+.75)/(n+3), d'=(d n+.75)/(n+3), se=sqrt((p'+d'-(p'-d')^2)/(n+3)),"
                    f" observed nps +/- z se, z={SCIPY} norm.ppf(1-(1-{conf})/2)")
        elif interval == "wald":
            se = math.sqrt((p + d - (p - d) ** 2) / n)
            exp.update({"se": 100 * se, "lower": nps - 100 * z * se, "upper": nps + 100 * z * se})
            src += f"; Wald by hand: se=sqrt((p+d-(p-d)^2)/n), z={SCIPY} norm.ppf"
        elif interval == "t":
            r = R(f"y <- {rvec(ys)}; tt <- t.test(y, conf.level={conf!r}); out(tt$conf.int, tt$stderr)")
            exp.update({"se": 100 * r[2], "lower": 100 * r[0], "upper": 100 * r[1]})
            close(r[2] * 100, exp["se_linearised"], 1e-12, "t se")
            close(r[0] * 100, nps - 100 * tq(conf, n - 1) * r[2], 1e-9, "t lower vs scipy")
            src += f"; t: {RV()}: t.test(y, conf.level={conf!r})$conf.int * 100 on y = -1/0/+1 recoding (se = $stderr*100)"
        elif interval == "exact_bootstrap":
            lo, hi, gap = exact_bootstrap(nP, nU, nD, conf)
            assert gap > 1e-9, gap
            se = math.sqrt((p + d - (p - d) ** 2) / n)
            exp.update({"se": 100 * se, "lower": lo, "upper": hi})
            src += (f"; exact bootstrap by full enumeration of multinomial({n}; {nP}/{n},{nU}/{n},{nD}/{n}) outcomes "
                    f"in exact rational arithmetic (python fractions; pmf cross-checked with scipy.stats.multinomial.pmf); lower/upper = smallest v with F(v) >= a/2, "
                    f">= 1-a/2; the nearest CDF value is {gap:.3g} away from either level; se = 100 sqrt((p+d-(p-d)^2)/n)")
        else:
            raise ValueError(interval)
        return exp, src
    # weighted
    w = [weights[i] for i in idx]
    m = kish(w)
    ws = math.fsum(w)
    r = R(f"d <- data.frame(y={rvec(ys)}, w={rvec(w)}); d$pro <- as.numeric(d$y==1); d$pas <- as.numeric(d$y==0); d$det <- as.numeric(d$y==-1); des <- svydesign(ids=~1, weights=~w, data=d);"
          f"s <- svymean(~y, des); sh <- svymean(~pro+pas+det, des);"
          f"ci <- confint(s, df=degf(des), level={conf!r}); out(coef(s), SE(s), coef(sh), degf(des), ci)")
    est, se_lin, p, u, d, degf, tlo, thi = r
    assert degf == n - 1
    # hand cross-check of the linearisation formula of API.md
    wy = math.fsum(wi * yi for wi, yi in zip(w, ys)) / ws
    se_hand = math.sqrt(n / (n - 1) * math.fsum(wi * wi * (yi - wy) ** 2 for wi, yi in zip(w, ys))) / ws
    close(se_lin, se_hand, 1e-12, "se_lin weighted")
    close(est, wy, 1e-12, "weighted mean")
    nps = 100 * est
    exp.update({"nps": nps, "promoters": p, "passives": u, "detractors": d, "effective_n": m, "weight_sum": ws,
                "weighted": True, "se_linearised": 100 * se_lin})
    src = (f"{SURVEY()}: d <- data.frame(y = -1/0/+1 recoding of valid rows, w); des <- svydesign(ids=~1, "
           f"weights=~w, data=d); svymean(~y, des) -> nps/100 and se_linearised/100; "
           f"svymean(~pro+pas+det, des) -> shares; effective_n = (sum w)^2/sum w^2 and weight_sum by "
           f"hand (python math.fsum)")
    if interval == "adjusted_wald":
        se = adj_wald_se(p, d, m)
        exp.update({"se": 100 * se, "lower": nps - 100 * z * se, "upper": nps + 100 * z * se})
        src += "; adjusted-Wald by hand with m = Kish effective n, observed weighted nps +/- z se"
    elif interval == "wald":
        exp.update({"se": 100 * se_lin, "lower": nps - 100 * z * se_lin, "upper": nps + 100 * z * se_lin})
        src += "; Wald: nps +/- z se_lin (z normal)"
    elif interval == "t":
        exp.update({"se": 100 * se_lin, "lower": 100 * tlo, "upper": 100 * thi})
        src += f"; t: confint(svymean(~y, des), df=degf(des)={degf:.0f}, level={conf!r}) * 100"
    else:
        raise ValueError(interval)
    return exp, src
