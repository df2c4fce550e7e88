"""Writes tests/golden/composite/*.json.

Every expected number is hand arithmetic written out next to it (exact fractions, converted to the nearest
double at the end) or a value printed by R (r_refs.R, R 4.2.2, base stats only; its output is r_refs.out).
cxkpi is never run here. Run: python3 make_cases.py (from any directory).
"""

import json
import math
import statistics
from fractions import Fraction as F
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent
T3 = {"red_flag": 0, "threshold": 20, "target": 40, "stretch": 60}
TEN = {"red_flag": 0, "target": 10}  # two points: score = value on 0..10


def f(x):
    return float(x)


def kpi(id, **kw):
    d = {"id": id}
    d.update(kw)
    return d


def sc(kpis, **kw):
    d = {"id": "golden", "kpis": kpis}
    d.update(kw)
    return d


def vals(rows):
    """rows: (unit, kpi, period, value) -> columns."""
    return {
        "unit": [r[0] for r in rows],
        "kpi": [r[1] for r in rows],
        "period": [r[2] for r in rows],
        "value": [r[3] for r in rows],
    }


def single(value, thresholds=T3, settings=None, **kw):
    k = kpi("nps", thresholds=thresholds, **kw)
    s = sc([k], settings=settings or {})
    return {"scorecard": s, "values": vals([("u", "nps", "", value)])}


files = {}


def add(fn, name, input, expect=None, error=None, source="", tolerance=None):
    c = {"name": name, "input": input}
    if error:
        c["error"] = {"kind": error}
    else:
        c["expect"] = expect
    if tolerance is not None:
        c["tolerance"] = tolerance
    c["source"] = source
    files.setdefault(fn, []).append(c)


E = "evaluate_scorecard"
THIRDS = "Default anchors for four thresholds are equally spaced: red_flag 0, threshold 1/3, target 2/3, stretch 1 of score_max. "

# ---------------- threshold scoring and status ----------------
add(E, "higher_interior", single(30),
    {"units.u.items.nps.score": 5.0, "units.u.items.nps.normalised": 0.5, "units.u.items.nps.status": "amber",
     "units.u.composite": 5.0, "units.u.status": "amber", "units.u.rank": 1,
     "units.u.items.nps.effective_weight": 1.0, "units.u.items.nps.contribution": 5.0},
    source=THIRDS + "30 lies between threshold 20 and target 40: 10*(1/3 + (1/3)*(30-20)/(40-20)) = 10*(1/2) = 5. Status: 30 >= 20 (threshold) but < 40 (target) -> amber. Node bands 10/3 <= 5 < 20/3 -> amber.")
add(E, "at_target_inclusive", single(40),
    {"units.u.items.nps.score": f(F(20, 3)), "units.u.items.nps.status": "green", "units.u.status": "green"},
    source=THIRDS + "40 is exactly the target: score 10*2/3 = 20/3; inclusive (default): at the threshold earns it -> green; composite 20/3 >= (2/3)*10 -> green.")
add(E, "at_target_exclusive", single(40, settings={"inclusivity": "exclusive"}),
    {"units.u.items.nps.score": f(F(20, 3)), "units.u.items.nps.status": "amber", "units.u.status": "amber",
     "policies.inclusivity": "exclusive"},
    source=THIRDS + "Score 20/3 as at_target_inclusive (scoring is continuous); exclusive: 40 > 40 is false so the target is not earned -> amber; node 20/3 > 20/3 false -> amber.")
add(E, "at_threshold_inclusive", single(20),
    {"units.u.items.nps.score": f(F(10, 3)), "units.u.items.nps.status": "amber"},
    source=THIRDS + "20 is the threshold: score 10/3; inclusive -> amber.")
add(E, "at_stretch", single(60),
    {"units.u.items.nps.score": 10.0, "units.u.items.nps.status": "blue", "units.u.status": "blue"},
    source=THIRDS + "60 is the stretch: score 10 (the cap); inclusive -> blue; node 10 >= 1*10 -> blue.")
add(E, "at_stretch_exclusive", single(60, settings={"inclusivity": "exclusive"}),
    {"units.u.items.nps.score": 10.0, "units.u.items.nps.status": "green", "units.u.status": "green"},
    source=THIRDS + "Exclusive: 60 > 60 false, 60 > 40 true -> green; node 10 > 10 false, 10 > 20/3 -> green.")
add(E, "below_red_flag_capped", single(-10),
    {"units.u.items.nps.score": 0.0, "units.u.items.nps.status": "red", "units.u.status": "red",
     "units.u.items.nps.raw": -10.0},
    source="-10 is worse than the red flag 0: score capped at 0; below threshold -> red.")
add(E, "above_stretch_0_100", single(80, settings={"score_max": 100}),
    {"units.u.items.nps.score": 100.0, "units.u.items.nps.normalised": 1.0, "units.u.items.nps.status": "blue",
     "policies.score_max": 100.0},
    source="80 beyond the stretch 60: capped at score_max 100; blue.")
LOW = {"red_flag": 600, "threshold": 450, "target": 300, "stretch": 240}
add(E, "lower_interior", single(400, thresholds=LOW, direction="lower"),
    {"units.u.items.nps.score": f(F(40, 9)), "units.u.items.nps.status": "amber"},
    source="Lower is better, thresholds 600 > 450 > 300 > 240. 400 lies between threshold 450 (1/3) and target 300 (2/3): 1/3 + (1/3)*(450-400)/(450-300) = 1/3 + 1/9 = 4/9 -> 40/9. 400 <= 450 earns the threshold, 400 > 300 not the target -> amber.")
add(E, "lower_at_threshold_exclusive", single(450, thresholds=LOW, direction="lower", settings={"inclusivity": "exclusive"}),
    {"units.u.items.nps.score": f(F(10, 3)), "units.u.items.nps.status": "red"},
    source="450 is the threshold: score 10/3; exclusive needs 450 < 450 -> not earned -> red.")
add(E, "lower_beyond_stretch", single(200, thresholds=LOW, direction="lower"),
    {"units.u.items.nps.score": 10.0, "units.u.items.nps.status": "blue"},
    source="200 < stretch 240 (lower is better): capped at 10; blue.")
CL = {"target": 100, "red_flag": 20, "threshold": 10, "stretch": 2}
add(E, "closer_to_target", {
    "scorecard": sc([kpi("fill", direction="closer", thresholds=CL)]),
    "values": vals([("a", "fill", "", 94), ("b", "fill", "", 121), ("c", "fill", "", 101), ("d", "fill", "", 110)])},
    {"units.a.items.fill.score": 7.5, "units.a.items.fill.status": "green",
     "units.b.items.fill.score": 0.0, "units.b.items.fill.status": "red",
     "units.c.items.fill.score": 10.0, "units.c.items.fill.status": "blue",
     "units.d.items.fill.score": 5.0, "units.d.items.fill.status": "green",
     "units.c.rank": 1, "units.a.rank": 2, "units.d.rank": 3, "units.b.rank": 4},
    source="Closer to target 100; distances red_flag 20 > threshold 10 > stretch 2, anchors 0, 1/2, 1. a: d=6, 1/2 + (1/2)*(10-6)/(10-2) = 3/4 -> 7.5, within threshold 10 -> green. b: d=21 >= 20 -> 0, red. c: d=1 <= 2 -> 10, blue. d: d=10 exactly the threshold -> 1/2 -> 5, inclusive -> green. Ranks by composite: c 10, a 7.5, d 5, b 0.")
add(E, "custom_anchors", single(30, thresholds=T3, anchors=[0, 0.5, 0.8, 1.0]),
    {"units.u.items.nps.score": 6.5},
    source="Anchors 0, 0.5, 0.8, 1: 30 between threshold 20 (0.5) and target 40 (0.8): 0.5 + 0.3*(10/20) = 0.65 -> 6.5.")
add(E, "two_thresholds", single(20, thresholds={"red_flag": 0, "target": 50}),
    {"units.u.items.nps.score": 4.0, "units.u.items.nps.status": "red"},
    source="Two points red_flag 0 -> 0 and target 50 -> 1: 20/50 = 0.4 -> 4. No threshold declared: below the target -> red.")

# ---------------- missing KPI policies ----------------
def three(settings, extra=None):
    ks = [kpi("a", thresholds=TEN, weight=1), kpi("b", thresholds=TEN, weight=2), kpi("c", thresholds=TEN, weight=1)]
    return {"scorecard": sc(ks, settings=settings),
            "values": vals([("u", "a", "", 4), ("u", "b", "", None), ("u", "c", "", 8)])}


add(E, "missing_renormalise", three({}),
    {"units.u.composite": 6.0, "units.u.items.a.effective_weight": 0.5, "units.u.items.c.effective_weight": 0.5,
     "units.u.items.a.contribution": 2.0, "units.u.items.c.contribution": 4.0, "units.u.items.b.missing": True,
     "units.u.items.b.score": None, "units.u.items.b.effective_weight": None, "units.u.items.b.status": "missing",
     "units.u.n_missing_kpis": 1, "counts.n_missing_values": 1, "counts.n_used": 2, "policies.missing_kpi": "renormalise"},
    source="Scores = values (red_flag 0, target 10). Weights a 1, b 2 (missing), c 1: renormalise over a and c: (1*4 + 1*8)/(1+1) = 6; shares 1/2 each; contributions 2 and 4. The null value is counted as missing.")
add(E, "missing_zero_fill", three({"missing_kpi": "zero_fill"}),
    {"units.u.composite": 3.0, "units.u.items.a.effective_weight": 0.25, "units.u.items.b.effective_weight": 0.5,
     "units.u.items.b.contribution": 0.0, "units.u.items.c.contribution": 2.0, "policies.missing_kpi": "zero_fill"},
    source="zero_fill: b counts as 0 with its weight 2: (4 + 2*0 + 8)/4 = 3; shares 1/4, 2/4, 1/4; c contributes 8/4 = 2.")
add(E, "missing_error", three({"missing_kpi": "error"}), error="missing_value",
    source="missing_kpi = error and b has no value.")

# ---------------- geometric / harmonic ----------------
def two(a, b, settings, wa=1, wb=1):
    ks = [kpi("a", thresholds=TEN, weight=wa), kpi("b", thresholds=TEN, weight=wb)]
    return {"scorecard": sc(ks, settings=settings), "values": vals([("u", "a", "", a), ("u", "b", "", b)])}


add(E, "geometric", two(4, 9, {"aggregation": "geometric"}),
    {"units.u.composite": 6.0, "units.u.items.a.contribution": 2.0, "units.u.items.b.contribution": 3.0,
     "units.u.items.composite.aggregation": "geometric"},
    source="COINr a_gmean(c(4, 9), w = c(1, 1)) = exp((ln 4 + ln 9)/2) = sqrt(36) = 6; contributions 4^(1/2) = 2 and 9^(1/2) = 3 multiply to 6.")
add(E, "geometric_weighted", two(2, 8, {"aggregation": "geometric"}, 1, 2),
    {"units.u.composite": 2 ** (7 / 3)},
    source="exp((1*ln 2 + 2*ln 8)/3) = exp((ln 2 + 6 ln 2)/3) = 2^(7/3) = 5.0396841995794928.")
add(E, "geometric_zero_propagate", two(0, 9, {"aggregation": "geometric", "zero_policy": "propagate"}),
    {"units.u.composite": 0.0, "units.u.status": "red", "policies.zero_policy": "propagate"},
    source="A zero component in a geometric mean: propagate gives the limit 0 (prod x_i^w_i = 0).")
add(E, "geometric_zero_exclude", two(0, 9, {"aggregation": "geometric", "zero_policy": "exclude"}),
    {"units.u.composite": 9.0, "units.u.items.b.effective_weight": 1.0},
    source="exclude: the zero is treated as missing and the weights renormalised: the mean of {9} is 9.")
add(E, "geometric_zero_error", two(0, 9, {"aggregation": "geometric", "zero_policy": "error"}), error="invalid_argument",
    source="zero_policy = error refuses a zero in a geometric mean (as COINr a_gmean refuses non-positive values).")
add(E, "harmonic_weighted", two(2, 6, {"aggregation": "harmonic"}, 1, 3),
    {"units.u.composite": 4.0, "units.u.items.a.contribution": 0.125, "units.u.items.b.contribution": 0.125},
    source="COINr a_hmean(c(2, 6), w = c(1, 3)) = (1+3)/(1/2 + 3/6) = 4/1 = 4. Contributions w_share/x: (1/4)/2 = 1/8 and (3/4)/6 = 1/8; 1/(1/8+1/8) = 4.")

# ---------------- four-perspective tree and roll-ups ----------------
nodes = [
    {"id": "bsc", "name": "Balanced scorecard"},
    {"id": "financial", "parent": "bsc", "weight": 0.3, "perspective": "financial"},
    {"id": "customer", "parent": "bsc", "weight": 0.3, "perspective": "customer"},
    {"id": "internal", "parent": "bsc", "weight": 0.2, "perspective": "internal_process"},
    {"id": "learning", "parent": "bsc", "weight": 0.2, "perspective": "learning_growth"},
]
tk = [
    kpi("revenue", parent="financial", perspective="financial", thresholds=TEN),
    kpi("margin", parent="financial", perspective="financial", thresholds=TEN),
    kpi("nps", parent="customer", perspective="customer", thresholds=TEN, weight=2, indicator="leading"),
    kpi("csat", parent="customer", perspective="customer", thresholds=TEN),
    kpi("otd", parent="internal", perspective="internal_process", thresholds=TEN, indicator="leading"),
    kpi("training", parent="learning", perspective="learning_growth", thresholds=TEN, indicator="leading"),
    kpi("engagement", parent="learning", perspective="learning_growth", thresholds=TEN, weight=3),
]
units = [
    {"id": "north", "business_unit": "retail", "region": "eu"},
    {"id": "south", "business_unit": "b2b", "region": "eu"},
]
north = {"revenue": 8, "margin": 6, "nps": 9, "csat": 6, "otd": 5, "training": 4, "engagement": 10}
south = {"revenue": 4, "margin": 6, "nps": 3, "csat": 6, "otd": 10, "training": 2, "engagement": 2}
rows = [("north", k, "2026-Q1", v) for k, v in north.items()] + [("south", k, "2026-Q1", v) for k, v in south.items()]
TREE = {"scorecard": sc(tk, nodes=nodes, units=units), "values": vals(rows)}
n_fin, n_cus, n_int, n_lea = F(8 + 6, 2), F(2 * 9 + 6, 3), F(5), F(4 + 3 * 10, 4)
n_root = F(3, 10) * n_fin + F(3, 10) * n_cus + F(2, 10) * n_int + F(2, 10) * n_lea
s_fin, s_cus, s_int, s_lea = F(4 + 6, 2), F(2 * 3 + 6, 3), F(10), F(2 + 3 * 2, 4)
s_root = F(3, 10) * s_fin + F(3, 10) * s_cus + F(2, 10) * s_int + F(2, 10) * s_lea
assert n_root == F(72, 10) and s_root == F(51, 10)
add(E, "four_perspectives", TREE,
    {"units.north.items.financial.score": 7.0, "units.north.items.customer.score": 8.0,
     "units.north.items.internal.score": 5.0, "units.north.items.learning.score": 8.5,
     "units.north.composite": 7.2, "units.south.composite": 5.1,
     "units.north.items.customer.contribution": 2.4, "units.north.items.customer.effective_weight": 0.3,
     "units.north.items.nps.effective_weight": f(F(2, 3)), "units.north.items.nps.contribution": 6.0,
     "units.north.items.nps.level": 2, "units.north.items.bsc.level": 0,
     "units.north.status": "green", "units.south.status": "amber", "units.north.rank": 1, "units.south.rank": 2,
     "rollups.region.eu.composite": 6.15, "rollups.region.eu.n_units": 2, "rollups.region.eu.nodes.customer": 6.0,
     "rollups.business_unit.retail.composite": 7.2, "rollups.business_unit.b2b.nodes.learning": 2.0,
     "root": "bsc", "units.north.region": "eu"},
    source="Scores = values. north: financial (8+6)/2 = 7; customer (2*9+6)/3 = 8; internal 5; learning (4+3*10)/4 = 8.5; root 0.3*7 + 0.3*8 + 0.2*5 + 0.2*8.5 = 2.1+2.4+1.0+1.7 = 7.2 (>= 20/3 green). south: (4+6)/2 = 5; (6+6)/3 = 4; 10; (2+6)/4 = 2; 1.5+1.2+2.0+0.4 = 5.1 (amber). nps share in customer 2/3, contribution 2/3*9 = 6. Region eu (arithmetic across units): (7.2+5.1)/2 = 6.15; customer (8+4)/2 = 6. Business unit b2b = south: learning 2.")

# ---------------- period aggregation ----------------
PER = [("2025-11", 1), ("2025-12", 2), ("2026-01", 3), ("2026-02", 4)]
pk = [kpi("s", period_aggregation="sum", thresholds={"red_flag": 0, "target": 100}),
      kpi("m", period_aggregation="mean", thresholds={"red_flag": 0, "target": 100}),
      kpi("l", period_aggregation="last", thresholds={"red_flag": 0, "target": 100}),
      kpi("y", period_aggregation="ytd", thresholds={"red_flag": 0, "target": 100})]
prow = [("u", k["id"], p, v) for k in pk for p, v in PER]
add(E, "period_aggregations", {"scorecard": sc(pk), "values": vals(prow)},
    {"units.u.items.s.raw": 10.0, "units.u.items.m.raw": 2.5, "units.u.items.l.raw": 4.0, "units.u.items.y.raw": 7.0,
     "units.u.items.s.n_periods": 4, "units.u.items.y.n_periods": 2, "units.u.items.s.score": 1.0,
     "counts.n_rows": 16, "counts.n_used": 16},
    source="Periods 2025-11..2026-02 with values 1, 2, 3, 4: sum 10, mean 2.5, last 4, year to date (2026: 2026-01, 2026-02) 3+4 = 7. Score of s on red_flag 0, target 100: 10/100*10 = 1.")
add(E, "as_of", {"scorecard": sc(pk[:3] + [pk[3]]), "values": vals(prow), "options": {"as_of": "2026-01"}},
    {"units.u.items.s.raw": 6.0, "units.u.items.l.raw": 3.0, "units.u.items.y.raw": 3.0, "units.u.items.m.raw": 2.0,
     "counts.n_after_as_of": 4, "as_of": "2026-01"},
    source="as_of 2026-01 drops the 2026-02 row of each of the 4 KPIs (4 rows): sum 1+2+3 = 6, mean 2, last 3, ytd 2026 = 3.")
rk = [kpi("ros", period_aggregation="ratio_of_sums", thresholds={"red_flag": 0, "target": 1}),
      kpi("mor", period_aggregation="mean_of_ratios", thresholds={"red_flag": 0, "target": 1})]
rv = {"unit": ["u"] * 4, "kpi": ["ros", "ros", "mor", "mor"], "period": ["p1", "p2", "p1", "p2"],
      "numerator": [1, 9, 1, 9], "denominator": [2, 10, 2, 10]}
add(E, "ratio_of_sums_vs_mean_of_ratios", {"scorecard": sc(rk), "values": rv},
    {"units.u.items.ros.raw": f(F(10, 12)), "units.u.items.mor.raw": 0.7,
     "units.u.items.ros.score": f(F(100, 12)), "units.u.items.mor.score": 7.0},
    source="Periods 1/2 and 9/10. Ratio of sums (1+9)/(2+10) = 10/12 = 0.8333...; mean of ratios (0.5 + 0.9)/2 = 0.7. Scores on 0..1 -> 0..10: 8.333... and 7.")
add(E, "mean_of_ratios_zero_denominator", {"scorecard": sc(rk[1:]), "values": {
    "unit": ["u", "u"], "kpi": ["mor", "mor"], "period": ["p1", "p2"], "numerator": [1, 2], "denominator": [2, 0]}},
    error="invalid_argument", source="A zero denominator makes one period's ratio undefined: error naming the row.")
ek = [kpi("old", thresholds=TEN, effective_to="2025-12"), kpi("new", thresholds=TEN, effective_from="2026-01")]
add(E, "effective_dates", {"scorecard": sc(ek), "values": vals([("u", "old", "2026-02", 2), ("u", "new", "2026-02", 8)])},
    {"units.u.composite": 8.0, "units.u.items.old.effective": False, "units.u.items.old.status": "none",
     "units.u.items.new.effective": True, "units.u.items.new.effective_weight": 1.0, "units.u.n_missing_kpis": 0},
    source="Latest period 2026-02: 'old' (effective to 2025-12) is not in effect and weighs 0; the composite is 'new' alone = 8.")

# ---------------- directional goals ----------------
gk = [kpi("trend", goal={"periods": 4})]
add(E, "goal_exact_line", {"scorecard": sc(gk), "values": vals([("u", "trend", f"p{i}", v) for i, v in enumerate([1, 2, 3, 4])])},
    {"units.u.items.trend.raw": 1.0, "units.u.items.trend.score": 10.0, "units.u.items.trend.status": "green",
     "units.u.items.trend.trend.verdict": "improving", "units.u.items.trend.trend.se": None,
     "units.u.items.trend.trend.p_improving": 0.0},
    source="y = 1, 2, 3, 4 is an exact line with slope 1: zero residuals, so the rise is certain (p_improving 0, se null) -> improving -> score_max 10, green.")
noisy = [10, 12, 11, 15, 16]
add(E, "goal_noisy_improving", {"scorecard": sc([kpi("trend", goal={"periods": 5, "alpha": 0.05})]),
                                "values": vals([("u", "trend", f"p{i}", v) for i, v in enumerate(noisy)])},
    {"units.u.items.trend.raw": 1.4999999999999993, "units.u.items.trend.trend.se": 0.37859388972001828,
     "units.u.items.trend.trend.t": 3.9620290784653052, "units.u.items.trend.trend.p_improving": 0.014357804203404477,
     "units.u.items.trend.score": 10.0, "units.u.items.trend.status": "green"},
    tolerance=1e-9,
    source="R 4.2.2: summary(lm(y ~ x)) with y = c(10,12,11,15,16), x = 0:4: slope 1.5, se 0.37859388972001828, t 3.9620290784653052; pt(t, 3, lower.tail = FALSE) = 0.014357804203404477 < 0.05 -> improving -> 10. Tolerance 1e-9: t distribution tail.")
add(E, "goal_lower_flat", {"scorecard": sc([kpi("aht", direction="lower", goal={"periods": 4})]),
                           "values": vals([("u", "aht", f"p{i}", v) for i, v in enumerate([3, 3.5, 2.9, 3.4])])},
    {"units.u.items.aht.trend.p_improving": 0.63155870289605431, "units.u.items.aht.trend.p_worsening": 0.36844129710394574,
     "units.u.items.aht.score": 5.0, "units.u.items.aht.status": "amber", "units.u.items.aht.trend.verdict": "no_trend"},
    tolerance=1e-9,
    source="R: lm on y = c(3, 3.5, 2.9, 3.4): slope 0.06, t 0.38569460791993465, df 2; lower is better so improving = falling: pt(t, 2) = 0.63155870289605431; worsening pt(t, 2, lower.tail = FALSE) = 0.36844129710394574; neither < 0.05 -> no_trend -> score_max/2 = 5, amber.")

# ---------------- normalised scoring ----------------
def norm_case(values, settings, k_extra=None, units_ids="abcd"):
    k = kpi("x", **(k_extra or {}))
    return {"scorecard": sc([k], settings=dict(settings, scoring="normalised")),
            "values": vals([(units_ids[i], "x", "", v) for i, v in enumerate(values)])}


add(E, "normalised_min_max", norm_case([2, 4, 6], {"normalisation": "min_max"}),
    {"units.a.items.x.normalised": 0.0, "units.b.items.x.normalised": 0.5, "units.c.items.x.score": 10.0,
     "units.b.composite": 5.0, "units.c.rank": 1, "units.a.rank": 3, "policies.normalisation": "min_max"},
    source="COINr n_minmax(c(2,4,6), l_u = c(0,1)) = (x-2)/4 = 0, 0.5, 1; scores x10.")
add(E, "normalised_min_max_lower", norm_case([2, 4, 6], {"normalisation": "min_max"}, {"direction": "lower"}),
    {"units.a.items.x.score": 10.0, "units.b.items.x.score": 5.0, "units.c.items.x.score": 0.0},
    source="Lower is better: COINr negates (direction -1): n_minmax(-x) = (max - x)/(max - min) = 1, 0.5, 0 -> 10, 5, 0.")
z = [(v - 5) / math.sqrt(32 / 7) for v in [2, 4, 4, 4, 5, 5, 7, 9]]
add(E, "normalised_z_score", norm_case([2, 4, 6], {"normalisation": "z_score"}),
    {"units.a.items.x.score": -1.0, "units.b.items.x.score": 0.0, "units.c.items.x.score": 1.0,
     "units.a.items.x.status": "none", "units.a.status": "none", "units.a.composite": -1.0},
    source="COINr n_zscore: mean 4, sd (n-1) = sqrt(((2-4)^2+0+(6-4)^2)/2) = 2 -> -1, 0, 1; unbounded, not rescaled, status none.")
add(E, "normalised_rank_ties", norm_case([5, 3, 5, 1], {"normalisation": "rank"}),
    {"units.a.items.x.score": 3.0, "units.b.items.x.score": 2.0, "units.c.items.x.score": 3.0, "units.d.items.x.score": 1.0,
     "units.a.rank": 1, "units.c.rank": 1, "units.b.rank": 3, "units.d.rank": 4},
    source="COINr n_rank(c(5,3,5,1), ties.method = 'min') = rank() = 3, 2, 3, 1; unit ranks by composite (1 = best, ties share the minimum): a, c 1; b 3; d 4.")


def zr_case(policy):
    ks = [kpi("x"), kpi("y")]
    return {"scorecard": sc(ks, settings={"scoring": "normalised", "normalisation": "min_max", "zero_range": policy}),
            "values": vals([("a", "x", "", 7), ("b", "x", "", 7), ("a", "y", "", 0), ("b", "y", "", 10)])}


add(E, "zero_range_constant", zr_case("constant"),
    {"units.a.items.x.normalised": 0.5, "units.a.items.x.score": 5.0, "units.a.composite": 2.5, "units.b.composite": 7.5,
     "policies.zero_range": "constant"},
    source="x is 7 for both units: zero range; constant gives the midpoint 0.5 -> 5. y min-max: 0, 1 -> 0, 10. a: (5+0)/2 = 2.5; b: (5+10)/2 = 7.5.")
add(E, "zero_range_missing", zr_case("missing"),
    {"units.a.items.x.missing": True, "units.a.composite": 0.0, "units.b.composite": 10.0, "units.a.n_missing_kpis": 1},
    source="missing: x has no value for any unit; renormalise over y alone: 0 and 10.")
add(E, "zero_range_error", zr_case("error"), error="invalid_argument",
    source="zero_range = error (default) on a constant KPI.")
add(E, "goalposts_lower", norm_case([25, 150], {"normalisation": "goalposts"}, {"direction": "lower", "goalposts": [0, 100]}),
    {"units.a.items.x.normalised": 0.75, "units.a.items.x.score": 7.5, "units.b.items.x.normalised": 0.0},
    source="COINr n_goalposts(x, gposts = c(0, 100, 1), direction = -1): (x - 100)/(0 - 100): 25 -> 0.75; 150 -> -0.5 truncated to 0.")
add(E, "distance_to_target", norm_case([2, 5, 10], {"normalisation": "distance_to_target"},
                                        {"thresholds": {"red_flag": 0, "target": 8}}),
    {"units.a.items.x.normalised": 0.0, "units.b.items.x.normalised": 0.5, "units.c.items.x.normalised": 1.0},
    source="COINr n_dist2targ(c(2,5,10), targ = 8, cap_max = TRUE) = (x - 2)/(8 - 2) = 0, 0.5, 1.333 capped to 1.")
add(E, "distance_to_best_lower", norm_case([2, 4, 6], {"normalisation": "distance_to_best"}, {"direction": "lower"}),
    {"units.a.items.x.normalised": 1.0, "units.b.items.x.normalised": 0.5, "units.c.items.x.normalised": 0.0},
    source="COINr n_dist2max on -x (direction -1): 1 - (max(-x) - (-x))/(range) = 1 - (x - 2)/4: 1, 0.5, 0.")

# ---------------- validation errors ----------------
add(E, "error_cycle", {"scorecard": sc([kpi("k", thresholds=TEN, parent="a")], nodes=[
    {"id": "root"}, {"id": "a", "parent": "b"}, {"id": "b", "parent": "a"}]), "values": vals([])},
    error="invalid_argument", source="Nodes a -> b -> a form a cycle.")
add(E, "error_negative_weight", {"scorecard": sc([kpi("k", thresholds=TEN, weight=-1)]), "values": vals([])},
    error="invalid_weight", source="Weight -1 < 0.")
add(E, "error_thresholds_out_of_order", {"scorecard": sc([kpi("k", thresholds={"red_flag": 10, "threshold": 5, "target": 20})]),
                                         "values": vals([])},
    error="invalid_argument", source="Higher is better needs red_flag < threshold < target; 10 > 5.")
add(E, "error_thresholds_wrong_direction", {"scorecard": sc([kpi("k", direction="lower", thresholds=T3)]), "values": vals([])},
    error="invalid_argument", source="Lower is better needs decreasing thresholds; 0 < 20 < 40 < 60 is increasing.")
add(E, "error_unknown_parent", {"scorecard": sc([kpi("k", thresholds=TEN, parent="nowhere")], nodes=[{"id": "root"}]),
                                "values": vals([])},
    error="invalid_argument", source="Parent 'nowhere' is not a node id.")
add(E, "error_unknown_kpi_in_values", {"scorecard": sc([kpi("k", thresholds=TEN)]), "values": vals([("u", "zz", "", 1)])},
    error="invalid_argument", source="Values name KPI 'zz', not in the scorecard.")
add(E, "error_unknown_unit", {"scorecard": sc([kpi("k", thresholds=TEN)], units=[{"id": "a"}]), "values": vals([("b", "k", "", 1)])},
    error="invalid_argument", source="Units are declared and 'b' is not one of them.")
add(E, "error_duplicate_observation", {"scorecard": sc([kpi("k", thresholds=TEN)]),
                                       "values": vals([("u", "k", "p", 1), ("u", "k", "p", 2)])},
    error="invalid_argument", source="Two values for (u, k, p).")
add(E, "error_score_max", {"scorecard": sc([kpi("k", thresholds=TEN)], settings={"score_max": 50}), "values": vals([])},
    error="invalid_argument", source="score_max must be 10 or 100.")
add(E, "error_zero_sibling_weights", {"scorecard": sc([kpi("k", thresholds=TEN, weight=0), kpi("j", thresholds=TEN, weight=0)]),
                                      "values": vals([])},
    error="zero_weight_sum", source="All children of the root weigh 0.")
add(E, "error_unknown_policy", {"scorecard": sc([kpi("k", thresholds=TEN)], settings={"missing_kpi": "drop"}), "values": vals([])},
    error="invalid_argument", source="'drop' is not a missing-KPI policy (renormalise, zero_fill, error).")
add(E, "error_no_thresholds", {"scorecard": sc([kpi("k")]), "values": vals([])},
    error="invalid_argument", source="Target scoring needs thresholds or a goal.")
add(E, "error_two_roots", {"scorecard": sc([kpi("k", thresholds=TEN, parent="a")], nodes=[{"id": "a"}, {"id": "b"}]),
                           "values": vals([])},
    error="invalid_argument", source="Two nodes without parent.")

# ---------------- explain ----------------
add("explain", "four_perspectives_north_nps", dict(TREE, unit="north", kpi="nps"),
    {"steps.0.id": "nps", "steps.0.raw": 9.0, "steps.0.score": 9.0, "steps.0.effective_weight": f(F(2, 3)),
     "steps.0.contribution": 6.0, "steps.0.parent": "customer", "steps.1.id": "customer", "steps.1.score": 8.0,
     "steps.1.contribution": 2.4, "steps.2.id": "bsc", "steps.2.score": 7.2, "steps.2.parent": None},
    source="Chain of four_perspectives: nps 9 (share 2/3 of customer) contributes 6 to customer = 8; customer (share 0.3) contributes 2.4 to bsc = 7.2.")
add("explain", "unknown_unit", dict(TREE, unit="west", kpi="nps"), error="invalid_argument", source="No unit 'west'.")

# ---------------- normalise (COINr n_*) ----------------
N = "normalise"
add(N, "min_max_with_missing", {"x": [3, 1, "NaN", 5], "method": "min_max"},
    {"values.0": 0.5, "values.1": 0.0, "values.2": None, "values.3": 1.0},
    source="COINr n_minmax(c(3,1,NA,5), l_u = c(0,1)) = (x - 1)/(5 - 1): 0.5, 0, NA, 1.")
add(N, "z_score", {"x": [2, 4, 4, 4, 5, 5, 7, 9], "method": "z_score"},
    {f"values.{i}": z[i] for i in range(8)},
    source="COINr n_zscore(x, m_sd = c(0,1)): mean 5, sd(x) = sqrt(32/7) (n - 1); (x - 5)/sqrt(32/7).")
add(N, "rank_min_ties", {"x": [3, 1, 3, "NaN", 2], "method": "rank"},
    {"values.0": 3.0, "values.1": 1.0, "values.2": 3.0, "values.3": None, "values.4": 2.0},
    source="COINr n_rank(x, ties.method = 'min'): rank(c(3,1,3,NA,2), ties.method = 'min', na.last = 'keep') = 3, 1, 3, NA, 2.")
add(N, "goalposts_higher", {"x": [-1, 2.5, 12], "method": "goalposts", "goalposts": [0, 10]},
    {"values.0": 0.0, "values.1": 0.25, "values.2": 1.0},
    source="COINr n_goalposts(x, gposts = c(0, 10, 1)): (x - 0)/10 truncated to the posts: 0, 0.25, 1.")
add(N, "goalposts_lower", {"x": [-1, 2.5, 12], "method": "goalposts", "goalposts": [0, 10], "direction": "lower"},
    {"values.0": 1.0, "values.1": 0.75, "values.2": 0.0},
    source="COINr n_goalposts(x, c(0, 10, 1), direction = -1): (x - 10)/(0 - 10): 1.1 -> 1, 0.75, -0.2 -> 0.")
add(N, "dist2targ_higher", {"x": [2, 5, 10], "method": "distance_to_target", "target": 8},
    {"values.0": 0.0, "values.1": 0.5, "values.2": 1.0},
    source="COINr n_dist2targ(c(2,5,10), targ = 8, cap_max = TRUE): (x - 2)/(8 - 2) = 0, 0.5, 1.33 -> 1.")
add(N, "dist2targ_lower", {"x": [2, 5, 10], "method": "distance_to_target", "target": 2, "direction": "lower"},
    {"values.0": 1.0, "values.1": 0.625, "values.2": 0.0},
    source="COINr n_dist2targ(x, targ = 2, direction = -1, cap_max = TRUE): (10 - x)/(10 - 2) = 1, 5/8, 0.")
add(N, "dist2max", {"x": [1, 3, 5], "method": "distance_to_best"},
    {"values.0": 0.0, "values.1": 0.5, "values.2": 1.0},
    source="COINr n_dist2max: 1 - (5 - x)/(5 - 1) = 0, 0.5, 1.")
add(N, "closer_min_max", {"x": [3, 5, 9], "method": "min_max", "direction": "closer", "target": 5},
    {"values.0": 0.5, "values.1": 1.0, "values.2": 0.0},
    source="Closer to target 5: oriented -|x - 5| = -2, 0, -4; min-max: (o + 4)/4 = 0.5, 1, 0.")
add(N, "zero_range_constant", {"x": [4, 4], "method": "min_max", "zero_range": "constant"},
    {"values.0": 0.5, "values.1": 0.5}, source="Zero range, constant policy: midpoint 0.5 (COINr would return NaN).")
add(N, "zero_range_missing", {"x": [4, 4], "method": "min_max", "zero_range": "missing"},
    {"values.0": None, "values.1": None}, source="Zero range, missing policy: every value missing.")
add(N, "zero_range_error", {"x": [4, 4], "method": "z_score"}, error="invalid_argument",
    source="sd = 0 and zero_range = error (default).")
add(N, "unknown_method", {"x": [1, 2], "method": "softmax"}, error="unknown_method", source="Not a normalisation.")

# ---------------- aggregate (COINr a_*) ----------------
A = "aggregate"
add(A, "arithmetic_renormalise", {"values": [1, 2, "NaN", 4], "weights": [1, 1, 1, 2]},
    {"value": 2.75}, source="COINr a_amean(c(1,2,NA,4), w = c(1,1,1,2)) renormalises over non-missing: (1+2+8)/(1+1+2) = 11/4.")
add(A, "arithmetic_zero_fill", {"values": [1, 2, "NaN", 4], "weights": [1, 1, 1, 2], "missing": "zero_fill"},
    {"value": 2.2}, source="zero_fill: (1+2+0+8)/5 = 11/5.")
add(A, "geometric", {"values": [1, 4, 16], "weights": [1, 1, 1], "method": "geometric"},
    {"value": 4.0}, source="COINr a_gmean(c(1,4,16)) = (1*4*16)^(1/3) = 64^(1/3) = 4.")
add(A, "harmonic", {"values": [1, 2, 4], "weights": [1, 1, 1], "method": "harmonic"},
    {"value": f(F(12, 7))}, source="COINr a_hmean(c(1,2,4)) = 3/(1 + 1/2 + 1/4) = 12/7.")
add(A, "geometric_zero_propagate", {"values": [0, 4], "weights": [1, 1], "method": "geometric", "zero": "propagate"},
    {"value": 0.0}, source="propagate: a zero makes the geometric mean 0.")
add(A, "harmonic_zero_exclude", {"values": [0, 4, 4], "weights": [1, 1, 2], "method": "harmonic", "zero": "exclude"},
    {"value": 4.0}, source="exclude: harmonic mean of 4 and 4 = 4.")
add(A, "geometric_zero_error", {"values": [0, 4], "weights": [1, 1], "method": "geometric", "zero": "error"},
    error="invalid_argument", source="zero = error.")
add(A, "all_missing", {"values": ["NaN", "NaN"], "weights": [1, 1]}, {"value": None},
    source="Nothing present under renormalise: undefined -> null.")
add(A, "negative_weight", {"values": [1, 2], "weights": [1, -1]}, error="invalid_weight", source="Weight -1.")
add(A, "length_mismatch", {"values": [1, 2], "weights": [1]}, error="length_mismatch", source="2 values, 1 weight.")
add(A, "zero_weights", {"values": [1, 2], "weights": [0, 0]}, error="zero_weight_sum", source="Weights sum to 0.")

# ---------------- slope test ----------------
S = "slope_test"
add(S, "falling_lower_improving", {"y": [5, 4.5, 4.8, 4.1, 3.9, 3.2], "direction": "lower"},
    {"slope": -0.32857142857142863, "se": 0.06388765649999395, "t": -5.1429563482495206, "df": 4,
     "p_improving": 0.0033886990349720814, "p_worsening": 0.99661130096502792, "verdict": "improving"},
    tolerance=1e-9, source="R 4.2.2 summary(lm(y ~ x)), y = c(5,4.5,4.8,4.1,3.9,3.2), x = 0:5; lower is better so p_improving = pt(t, 4) = 0.0033886990349720814.")
add(S, "three_points", {"y": [1, 2, 4]},
    {"slope": 1.5, "se": 0.2886751345948132, "t": 5.1961524227066258, "p_improving": 0.060518859161838419, "verdict": "no_trend"},
    tolerance=1e-9, source="R: lm on c(1,2,4): slope 1.5, se 0.2886751345948132; pt(5.196, 1, lower.tail = FALSE) = 0.0605 >= 0.05 -> no_trend.")
add(S, "too_short", {"y": [1, 2]}, error="insufficient_data", source="Needs 3 points.")

# ---------------- sensitivity ----------------
SE = "sensitivity"
sk = [kpi("a", thresholds=TEN), kpi("b", thresholds=TEN)]
ex_in = {"scorecard": sc(sk), "values": vals([("u", "a", "", 4), ("u", "b", "", 9), ("v", "a", "", 6.2), ("v", "b", "", 6.2)]),
         "options": {"weight_spread": 0, "aggregations": ["arithmetic", "geometric", "harmonic"]}}
u_vals = [6.5, 6.0, 72 / 13]
add(SE, "exact_aggregations", ex_in,
    {"draws": 3, "exact": True, "units.u.nominal": 6.5, "units.u.mean": statistics.fmean(u_vals),
     "units.u.sd": statistics.stdev(u_vals), "units.u.min": 72 / 13, "units.u.max": 6.5,
     "units.u.rank_mean": f(F(5, 3)), "units.u.rank_stability": f(F(1, 3)), "units.u.status_stability": 1.0,
     "units.v.nominal": 6.2, "units.v.mean": 6.2, "units.v.sd": 0.0, "units.v.rank_stability": f(F(1, 3)),
     "units.v.nominal_rank": 2, "units.u.nominal_status": "amber"},
    source="Exact enumeration of 3 aggregations with fixed weights. u (4, 9): arithmetic 6.5, geometric sqrt(36) = 6, harmonic 2/(1/4+1/9) = 72/13 = 5.538...; mean, sample sd of these three (Python statistics). v (6.2, 6.2) is 6.2 under every mean. Ranks of u: 1 (6.5 > 6.2), 2, 2 -> mean 5/3, nominal rank 1 kept in 1/3 of the draws; v likewise 1/3. All u values in the amber band [10/3, 20/3) -> status stability 1.")
mc_in = {"scorecard": sc(sk), "values": vals([("u", "a", "", 2), ("u", "b", "", 8), ("v", "a", "", 5), ("v", "b", "", 5)]),
         "options": {"weight_spread": 0.25, "draws": 10000, "seed": 7}}
add(SE, "mc_seeded_mean", mc_in,
    {"draws": 10000, "exact": False, "units.u.n": 10000, "units.u.nominal": 5.0, "units.u.mean": 5.0,
     "units.v.mean": 5.0, "units.v.sd": 0.0, "units.u.status_stability": 1.0, "units.v.status_stability": 1.0,
     "units.u.rank_min": 1, "units.u.rank_max": 2},
    tolerance=0.004,
    source="Properties, not draws: u = (2 w1 + 8 w2)/(w1 + w2) with w1, w2 iid U(0.75, 1.25) is symmetric about 5 (swap w1, w2), so E = 5; its sd is about 0.43, so the SE of a 10000-draw mean is about 0.0043 and the tolerance 0.004*5 = 0.02 is 4.6 SE. v is 5 whatever the weights (sd 0 up to rounding). u stays in [4.25, 5.75], inside amber [10/3, 20/3): status stability 1. Ranks are 1 or 2.")
add(SE, "mc_seeded_ranks", mc_in,
    {"units.u.rank_stability": 0.5, "units.v.rank_stability": 0.5, "units.u.rank_mean": 1.5, "units.u.min": 4.25,
     "units.u.max": 5.75, "units.u.nominal_rank": 1, "units.v.nominal_rank": 1},
    tolerance=0.04,
    source="Nominal u = v = 5: both rank 1 (tie). In a draw u > 5 iff w2 > w1 (probability 1/2 by symmetry), then u is 1 and v 2, else the reverse: each keeps rank 1 in half the draws (SE 0.005; tolerance 0.04 absolute) and u's mean rank is 1.5. Extremes (w1, w2) = (1.25, 0.75) -> (2.5 + 6)/2 = 4.25 and the mirror 5.75 are approached within the tolerance (0.04*4.25 = 0.17) by 10000 draws.")
add(SE, "error_normalisations_with_target", dict(ex_in, options={"normalisations": ["min_max"]}), error="invalid_argument",
    source="Alternative normalisations need normalised scoring.")
add(SE, "error_draws_zero", dict(mc_in, options={"draws": 0}), error="invalid_argument", source="draws must be >= 1.")

# ---------------- balance ----------------
B = "balance"
bk = [kpi("nps", perspective="customer", indicator="leading", thresholds=TEN, weight=3),
      kpi("csat", perspective="customer", thresholds=TEN, weight=1),
      kpi("margin", perspective="financial", thresholds=TEN, weight=2),
      kpi("training", perspective="learning_growth", indicator="leading", thresholds=TEN, weight=2)]
rules = [{"perspective": "customer", "max_share": 0.4}, {"perspective": "internal_process", "min_share": 0.1},
         {"indicator": "leading", "min_share": 0.3}]
add(B, "shares_and_warnings", {"scorecard": sc(bk, balance_rules=rules)},
    {"perspective_shares.customer": 0.5, "perspective_shares.financial": 0.25, "perspective_shares.learning_growth": 0.25,
     "perspective_shares.internal_process": 0.0, "indicator_shares.leading": 0.625, "indicator_shares.lagging": 0.375,
     "kpi_weights.nps": 0.375, "warnings.0.rule": 0, "warnings.0.subject": "customer", "warnings.0.share": 0.5,
     "warnings.1.rule": 1, "warnings.1.subject": "internal_process"},
    source="Weights 3+1+2+2 = 8: customer (3+1)/8 = 0.5 > 0.4 (warning), financial 2/8, learning 2/8, internal 0 < 0.1 (warning); leading (3+2)/8 = 0.625 >= 0.3 (no warning).")
add(B, "tree_global_weights", {"scorecard": TREE["scorecard"]},
    {"kpi_weights.nps": 0.2, "kpi_weights.csat": 0.1, "kpi_weights.engagement": 0.15, "perspective_shares.customer": 0.3,
     "indicator_shares.leading": 0.2 + 0.2 + 0.05},
    source="Global weight = product of renormalised weights down the tree: nps 0.3*2/3 = 0.2, csat 0.3*1/3 = 0.1, engagement 0.2*3/4 = 0.15; leading: nps 0.2 + otd 0.2 + training 0.2*1/4 = 0.45.")

# ---------------- redundancy ----------------
R = "redundancy"
ra = [1, 2, 3, 4, 5, 6]
rb = [2.1, 3.9, 6.2, 8.1, 9.8, 12.2]
rc = [5, 3, 4, 1, 2, 6]
rrows = []
for i in range(6):
    unit, per = ("u1", "u2")[i // 3], f"p{i % 3}"
    rrows += [(unit, "a", per, ra[i]), (unit, "b", per, rb[i]), (unit, "c", per, rc[i])]
add(R, "correlations", {"scorecard": sc([kpi("a", thresholds=TEN), kpi("b", thresholds=TEN), kpi("c", thresholds=TEN)]),
                        "values": vals(rrows)},
    {"matrix.0.1": 0.99904086267756631, "matrix.0.2": -0.028571428571428574, "matrix.1.2": -0.0042754958459810741,
     "matrix.0.0": 1.0, "n.0.1": 6, "flagged.0.a": "a", "flagged.0.b": "b", "flagged.0.r": 0.99904086267756631},
    source="R 4.2.2 cor(a, b), cor(a, c), cor(b, c) over the 6 (unit, period) pairs (r_refs.out); only |r(a,b)| >= 0.9 is flagged.")

# ---------------- myopia ----------------
M = "myopia"
mk = [kpi("csat", thresholds=TEN), kpi("fcr", thresholds={"red_flag": 0.5, "target": 0.9}),
      kpi("aht", direction="lower", thresholds={"red_flag": 600, "target": 300})]
mrows = [("a", "csat", "p1", 70), ("a", "csat", "p2", 80), ("a", "fcr", "p1", 0.8), ("a", "fcr", "p2", 0.7),
         ("a", "aht", "p1", 400), ("a", "aht", "p2", 380),
         ("b", "csat", "p1", 70), ("b", "csat", "p2", 75), ("b", "fcr", "p1", 0.7), ("b", "fcr", "p2", 0.8),
         ("b", "aht", "p1", 400), ("b", "aht", "p2", 450)]
add(M, "satisfaction_up_quality_down", {"scorecard": sc(mk, myopia_links=[{"kpi": "csat", "linked": "fcr"}, {"kpi": "csat", "linked": "aht"}]),
                                         "values": vals(mrows)},
    {"flags.0.unit": "a", "flags.0.linked": "fcr", "flags.0.kpi_change": 10.0, "flags.0.linked_change": 0.7 - 0.8,
     "flags.1.unit": "b", "flags.1.linked": "aht", "flags.1.linked_change": 50.0, "flags.0.from_period": "p1"},
    source="Link csat-fcr: a csat +10 while fcr 0.8 -> 0.7 (worse) -> flag; b both improve. Link csat-aht (lower is better): a aht falls (better) -> no flag; b csat +5 while aht +50 (worse) -> flag.")

# ---------------- suggest weights ----------------
W = "suggest_weights"
x1 = [1, 2, 3, 4, 5, 6, 7, 8]
x2 = [2, 1, 4, 3, 6, 5, 8, 9]
x3 = [5, 3, 6, 2, 7, 1, 4, 8]
y = [3.1, 3.9, 6.2, 6.8, 9.9, 10.1, 12.8, 15.2]
r2 = 0.99897833990226548
sh = [0.49282410857401759, 0.4611743216351199, 0.044979909693127929]
add(W, "ols_shapley", {"components": {"x1": x1, "x2": x2, "x3": x3}, "outcome": y},
    {"intercept": 0.17408017572762588, "coefficients.0": 1.42169137836353432, "coefficients.1": 0.24239428885228090,
     "coefficients.2": 0.17265238879736353, "std_errors.0": 0.126387516411198247, "std_errors.2": 0.052081981590949157,
     "lower.0": 1.070783377065557040, "upper.2": 0.31725515165455587, "r_squared": r2,
     "shapley.0": sh[0], "shapley.1": sh[1], "shapley.2": sh[2], "weights.0": sh[0] / r2, "weights.2": sh[2] / r2,
     "names.1": "x2"},
    tolerance=1e-9,
    source="R 4.2.2: summary(lm(y ~ x1 + x2 + x3)), confint(); Shapley/LMG shares by enumerating every subset with lm()$r.squared and weights k!(p-k-1)!/p! (r_refs.R). Tolerance 1e-9: t quantile in confint.")
add(W, "collinear", {"components": {"a": [1, 2, 3, 4], "b": [2, 4, 6, 8]}, "outcome": [1, 2, 3, 5]},
    error="invalid_argument", source="b = 2a: no unique OLS solution.")

# ---------------- TOML ----------------
TOML = """
id = "cx"
name = "CX scorecard"

[settings]
score_max = 100

[[kpis]]
id = "nps"
perspective = "customer"
thresholds = { red_flag = 0, threshold = 20, target = 40, stretch = 60 }

[[kpis]]
id = "aht"
direction = "lower"
weight = 0.5
thresholds = { red_flag = 600, target = 300 }
"""
add("scorecard_from_toml", "defaults_filled", {"toml": TOML},
    {"settings.score_max": 100.0, "settings.missing_kpi": "renormalise", "settings.inclusivity": "inclusive",
     "kpis.0.weight": 1.0, "kpis.0.period_aggregation": "last", "kpis.1.direction": "lower", "kpis.1.weight": 0.5,
     "kpis.1.thresholds.target": 300.0, "kpis.1.thresholds.threshold": None, "version": "1"},
    source="The document as written plus the documented defaults (weight 1, last, renormalise, inclusive, version '1').")
add("scorecard_from_toml", "unknown_field", {"toml": TOML + "\ncolour = \"red\"\n"}, error="invalid_argument",
    source="deny_unknown_fields: 'colour' is not a scorecard field.")

for fn, cases in files.items():
    doc = {"function": fn, "description": f"composite: {fn} (see tests/golden/composite/derive/make_cases.py)", "cases": cases}
    (OUT / f"{fn}.json").write_text(json.dumps(doc, indent=1) + "\n")
print({k: len(v) for k, v in files.items()}, sum(len(v) for v in files.values()))
