"""Reference one-sample proportion intervals (shared by proportion_interval, share_from_counts, top_box, churn,
sentiment).  Each function returns (lower, upper, source-string)."""
import math

from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from common import SM, RV, R, close, zq

SM_METHOD = {"wilson": "wilson", "wald": "normal", "agresti_coull": "agresti_coull",
             "clopper_pearson": "beta", "jeffreys": "jeffreys"}


def newcombe_cc_hand(x, n, conf):
    """Newcombe (1998) method 4, Stat Med 17:857-872, eq. for L and U (continuity-corrected Wilson)."""
    z = zq(conf)
    p = x / n
    if x == 0:
        lo = 0.0
    else:
        lo = (2 * n * p + z * z - 1 - z * math.sqrt(z * z - 2 - 1 / n + 4 * p * (n * (1 - p) + 1))) / (2 * (n + z * z))
    if x == n:
        hi = 1.0
    else:
        hi = (2 * n * p + z * z + 1 + z * math.sqrt(z * z + 2 - 1 / n + 4 * p * (n * (1 - p) - 1))) / (2 * (n + z * z))
    return lo, hi


def interval(x, n, method, conf):
    alpha = 1 - conf
    if method in SM_METHOD:
        lo, hi = proportion_confint(x, n, alpha=alpha, method=SM_METHOD[method])
        lo, hi = float(lo), float(hi)
        src = f"{SM}: proportion_confint({x!r}, {n!r}, alpha=1-{conf!r}, method='{SM_METHOD[method]}')"
        if method == "wilson":
            # cross-check with R prop.test without correction (same score interval)
            r = R(f"out(suppressWarnings(prop.test({x!r},{n!r},conf.level={conf!r},correct=FALSE))$conf.int)")
            close(lo, r[0], 1e-12, "wilson lo"); close(hi, r[1], 1e-12, "wilson hi")
            src += f"; equal to 1e-12 to {RV()} prop.test(correct=FALSE)$conf.int"
            if x == 0:
                lo = 0.0
                src += "; lower is exactly 0 at x=0 (hand: centre = half-width)"
            if x == n:
                hi = 1.0
                src += "; upper is exactly 1 at x=n (hand: centre + half-width = 1)"
        if method in ("wald", "agresti_coull"):
            src += " (statsmodels clips to [0,1], as the spec does)"
        if method == "clopper_pearson":
            a2 = alpha / 2
            rl = R(f"out(qbeta({a2!r},{x!r},{n - x + 1!r}), qbeta(1-{a2!r},{x + 1!r},{n - x!r}))")
            if x > 0:
                close(lo, rl[0], 1e-9, "cp lo")
            if x < n:
                close(hi, rl[1], 1e-9, "cp hi")
        if method == "jeffreys":
            a2 = alpha / 2
            rl = R(f"out(qbeta({a2!r},{x + .5!r},{n - x + .5!r}), qbeta(1-{a2!r},{x + .5!r},{n - x + .5!r}))")
            close(lo, rl[0], 1e-9, "jeffreys lo"); close(hi, rl[1], 1e-9, "jeffreys hi")
            fixes = []
            if x == 0:
                lo = 0.0
                fixes.append("lower set to 0 by hand (x=0)")
            if x == n:
                hi = 1.0
                fixes.append("upper set to 1 by hand (x=n)")
            if fixes:
                src += ("; statsmodels has no boundary rule: " + ", ".join(fixes) +
                        " per Brown, Cai & DasGupta (2001) Stat Sci 16:101-133")
            src += f"; cross-checked against {RV()} qbeta"
        return lo, hi, src
    if method == "wilson_cc":
        # R's prop.test continuity-corrected score interval equals Newcombe method 4 when its Yates term is the
        # full 0.5, i.e. when |x - n*p0| >= 0.5; p0 is chosen far from x/n so that holds.
        p0 = 1e-6 if x / n >= 0.5 else 1 - 1e-6
        assert abs(x - n * p0) >= 0.5
        r = R(f"out(suppressWarnings(prop.test({x!r},{n!r},p={p0!r},conf.level={conf!r},correct=TRUE))$conf.int)")
        lo, hi = newcombe_cc_hand(x, n, conf)
        close(lo, r[0], 1e-12, "wilson_cc lo"); close(hi, r[1], 1e-12, "wilson_cc hi")
        src = (f"{RV()}: prop.test({x!r}, {n!r}, p={p0!r}, conf.level={conf!r}, correct=TRUE)$conf.int "
               f"(p0 chosen so the Yates term is the full 0.5, which makes it Newcombe 1998 method 4); "
               f"equal to 1e-12 to a hand-coded Newcombe (1998) Stat Med 17:857 method-4 formula")
        return float(r[0]), float(r[1]), src
    raise ValueError(method)
