"""Writes tests/golden/incentive/*.json.

Every expected number below is hand arithmetic, written out twice: once as the Python expression that
produces the literal (plain float arithmetic on the plan's numbers, no cxkpi), and once in words in the
case's `source`. Run: python3 tests/golden/incentive/derive/make_cases.py  (never run by the tests).
"""
import copy
import json
import os

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def ttm(th, tg, mx, p=(0.5, 1.0, 2.0)):
    return {"type": "threshold_target_maximum", "threshold": th, "target": tg, "maximum": mx,
            "threshold_payout": p[0], "target_payout": p[1], "maximum_payout": p[2]}


def exec_plan(**extra):
    """revenue (% of budget) 90/100/110 -> 0.5/1/2, w 0.5; ebitda margin 10/12/15 -> 0.5/1/2, w 0.3;
    nps 20/30/40 -> 0.5/1/1.5, w 0.2; one participant with a 100,000 target."""
    plan = {
        "id": "exec-fy2025", "version": "2025.1", "currency": "EUR",
        "period": {"fiscal_year": 2025},
        "kpis": [
            {"id": "revenue", "category": "financial", "weight": 0.5, "curve": ttm(90, 100, 110)},
            {"id": "ebitda_margin", "category": "financial", "weight": 0.3, "curve": ttm(10, 12, 15)},
            {"id": "nps", "category": "customer", "weight": 0.2, "curve": ttm(20, 30, 40, (0.5, 1.0, 1.5))},
        ],
        "participants": [{"id": "ceo", "role": None, "target_bonus": {"amount": 100000}}],
    }
    del plan["participants"][0]["role"]
    plan.update(extra)
    return plan


def vals(rev, eb, nps):
    return {"values": {"revenue": rev, "ebitda_margin": eb, "nps": nps}}


def case(name, plan, inputs, expect=None, source="", error=None, tol=None):
    c = {"name": name, "input": {"plan": plan, "inputs": inputs}}
    if error:
        c["error"] = {"kind": error}
    else:
        c["expect"] = expect
    if tol:
        c["tolerance"] = tol
    c["source"] = source
    return c


def p0(**kv):
    return {f"participants.0.{k}": v for k, v in kv.items()}


FLOOR = {"id": "nps_floor", "kpi": "nps", "threshold": 20, "effect": "cap_total", "cap": 0.5}

evaluate = []
evaluate.append(case("all_at_target", exec_plan(), vals(100, 12, 30),
    {**p0(weighted_sum=1.0, factor=1.0, amount=100000.0), "participants.0.kpis.0.attainment": 1.0,
     "participants.0.kpis.2.curve_payout": 1.0, "total_amount": 100000.0, "period.days": 365},
    "Every KPI exactly at target pays 1.0: 0.5*1 + 0.3*1 + 0.2*1 = 1.0; amount 100000*1 = 100000. FY2025 on a "
    "January calendar is 2025-01-01..2025-12-31 = 365 days."))
evaluate.append(case("revenue_exactly_at_threshold", exec_plan(), vals(90, 12, 30),
    {**p0(weighted_sum=0.5 * 0.5 + 0.3 + 0.2, amount=75000.0), "participants.0.kpis.0.curve_payout": 0.5,
     "participants.0.kpis.0.attainment": 0.9},
    "Threshold inclusive: revenue 90 = threshold earns the threshold payout 0.5. Sum 0.5*0.5 + 0.3*1 + 0.2*1 = "
    "0.75; amount 75000. Attainment 90/100 = 0.9."))
evaluate.append(case("revenue_just_below_threshold", exec_plan(), vals(89.999, 12, 30),
    {**p0(weighted_sum=0.5, amount=50000.0), "participants.0.kpis.0.curve_payout": 0.0,
     "participants.0.kpis.0.weighted": 0.0},
    "89.999 < threshold 90: below the first point the curve pays 0 (no payout for revenue). Sum 0 + 0.3 + 0.2 = "
    "0.5; amount 50000."))
evaluate.append(case("revenue_above_maximum_flat", exec_plan(), vals(130, 12, 30),
    {**p0(weighted_sum=1.5, amount=150000.0), "participants.0.kpis.0.curve_payout": 2.0},
    "130 > maximum 110: the curve is flat at the maximum payout 2.0. Sum 0.5*2 + 0.3 + 0.2 = 1.5; amount 150000."))
evaluate.append(case("asymmetric_interpolation", exec_plan(), vals(95, 13.5, 35),
    {**p0(weighted_sum=0.5 * 0.75 + 0.3 * 1.5 + 0.2 * 1.25, amount=107500.0),
     "participants.0.kpis.0.curve_payout": 0.75, "participants.0.kpis.1.curve_payout": 1.5,
     "participants.0.kpis.2.curve_payout": 1.25},
    "Slopes differ below and above target. Revenue 95: 0.5 + (1-0.5)*(95-90)/(100-90) = 0.75 (slope 0.05/pt). "
    "EBITDA 13.5: 1 + (2-1)*(13.5-12)/(15-12) = 1.5 (slope 1/3 per pt above target vs 0.25 below). NPS 35: "
    "1 + (1.5-1)*(35-30)/(40-30) = 1.25. Sum 0.5*0.75 + 0.3*1.5 + 0.2*1.25 = 0.375+0.45+0.25 = 1.075; amount "
    "107500."))
p = exec_plan(); p["kpis"][0]["cap"] = 1.5
evaluate.append(case("kpi_cap", p, vals(110, 12, 30),
    {**p0(weighted_sum=0.5 * 1.5 + 0.3 + 0.2, amount=125000.0), "participants.0.kpis.0.curve_payout": 2.0,
     "participants.0.kpis.0.capped_payout": 1.5, "participants.0.kpis.0.kpi_cap": 1.5},
    "Revenue at maximum 110 pays 2.0 on the curve, capped at the KPI cap 1.5. Sum 0.5*1.5 + 0.3 + 0.2 = 1.25; "
    "amount 125000."))
evaluate.append(case("total_cap", exec_plan(total_cap=1.2), vals(110, 15, 40),
    {**p0(weighted_sum=0.5 * 2 + 0.3 * 2 + 0.2 * 1.5, factor=1.2, amount=120000.0),
     "participants.0.capped_by.0": "total_cap"},
    "All KPIs at maximum: 0.5*2 + 0.3*2 + 0.2*1.5 = 1.9 > total_cap 1.2 -> 1.2; amount 120000."))
evaluate.append(case("sentiment_floor_caps_total_at_50pct", exec_plan(gates=[FLOOR]), vals(110, 15, 18),
    {**p0(weighted_sum=0.5 * 2 + 0.3 * 2 + 0.0, factor=0.5, amount=50000.0),
     "participants.0.gates.0.missed": True, "participants.0.gates.0.binding": True,
     "participants.0.capped_by.0": "gate:nps_floor", "participants.0.kpis.2.curve_payout": 0.0},
    "Financials at maximum (revenue 110 -> 2, EBITDA 15 -> 2), NPS 18 below its threshold 20 pays 0: weighted "
    "sum 0.5*2 + 0.3*2 + 0.2*0 = 1.6. NPS 18 < floor 20 -> gate missed -> total capped at 0.5 however high the "
    "financials: factor 0.5, amount 50000."))
evaluate.append(case("sentiment_floor_met_exactly", exec_plan(gates=[FLOOR]), vals(110, 15, 20),
    {**p0(weighted_sum=0.5 * 2 + 0.3 * 2 + 0.2 * 0.5, factor=1.7, amount=170000.0),
     "participants.0.gates.0.missed": False, "participants.0.gates.0.binding": False},
    "NPS 20 is exactly at the floor: inclusive, the gate is met (and NPS earns its threshold payout 0.5). Sum "
    "1 + 0.6 + 0.2*0.5 = 1.7; amount 170000."))
g = {"id": "compliance", "kpi": "compliance_incidents", "threshold": 0, "direction": "lower_is_better",
     "effect": "zero_total"}
evaluate.append(case("zero_total_gate_on_outside_kpi", exec_plan(gates=[g]),
    {"values": {"revenue": 110, "ebitda_margin": 15, "nps": 40, "compliance_incidents": 1}},
    {**p0(weighted_sum=1.9, factor=0.0, amount=0.0), "participants.0.gates.0.missed": True,
     "participants.0.capped_by.0": "gate:compliance"},
    "Gate on a value that is not a paid KPI (compliance incidents, lower is better, floor 0): 1 > 0 -> missed "
    "-> total zeroed although the weighted sum is 0.5*2 + 0.3*2 + 0.2*1.5 = 1.9."))
g = {"id": "margin_gate", "kpi": "ebitda_margin", "threshold": 10, "effect": "zero_components",
     "components": ["revenue"]}
evaluate.append(case("component_gate_zeroes_revenue", exec_plan(gates=[g]), vals(110, 9, 30),
    {**p0(weighted_sum=0.2, amount=20000.0), "participants.0.kpis.0.capped_payout": 2.0,
     "participants.0.kpis.0.payout": 0.0, "participants.0.kpis.0.gated_by": "margin_gate"},
    "Component gate: no revenue bonus when EBITDA margin < 10. Margin 9 -> gate missed -> revenue component "
    "(curve 2.0) zeroed; margin 9 < its own threshold 10 pays 0; NPS 30 pays 1. Sum 0 + 0 + 0.2*1 = 0.2; "
    "amount 20000."))
g = {"id": "nps_component_cap", "kpi": "nps", "threshold": 25, "effect": "cap_components", "cap": 1.0,
     "components": ["revenue"]}
evaluate.append(case("component_cap_gate", exec_plan(gates=[g]), vals(110, 12, 22),
    {**p0(weighted_sum=0.5 * 1.0 + 0.3 * 1.0 + 0.2 * 0.6), "participants.0.kpis.0.payout": 1.0,
     "participants.0.kpis.2.curve_payout": 0.6},
    "NPS 22 < 25 caps the revenue component at 1.0 (curve 2.0 at revenue 110). NPS 22 pays 0.5 + 0.5*(22-20)/10 "
    "= 0.6. Sum 0.5*1 + 0.3*1 + 0.2*0.6 = 0.92."))
evaluate.append(case("modifier_before_caps", exec_plan(total_cap=1.5, participants=[
        {"id": "ceo", "target_bonus": {"amount": 100000}, "modifier": 1.2}]), vals(130, 12, 30),
    {**p0(weighted_sum=1.5, modifier=1.2, factor=1.5, amount=150000.0), "participants.0.capped_by.0": "total_cap"},
    "modifier_order before_caps (default): sum 0.5*2 + 0.3 + 0.2 = 1.5; x modifier 1.2 = 1.8; total_cap 1.5 -> "
    "1.5; amount 150000."))
evaluate.append(case("modifier_after_caps", exec_plan(total_cap=1.5, modifier_order="after_caps", participants=[
        {"id": "ceo", "target_bonus": {"amount": 100000}, "modifier": 1.2}]), vals(130, 12, 30),
    {**p0(weighted_sum=1.5, factor=1.5 * 1.2, amount=180000.0)},
    "modifier_order after_caps: sum 1.5, within total_cap 1.5, then x modifier 1.2 = 1.8 (the modifier may lift "
    "the payout above the cap); amount 180000."))
evaluate.append(case("modifier_0_8_before_caps", exec_plan(total_cap=1.5, participants=[
        {"id": "ceo", "target_bonus": {"amount": 100000}, "modifier": 0.8}]), vals(110, 15, 40),
    {**p0(weighted_sum=1.9, factor=1.5, amount=150000.0)},
    "before_caps: sum 1.9 x 0.8 = 1.52 > cap 1.5 -> 1.5; amount 150000."))
evaluate.append(case("modifier_0_8_after_caps", exec_plan(total_cap=1.5, modifier_order="after_caps",
        participants=[{"id": "ceo", "target_bonus": {"amount": 100000}, "modifier": 0.8}]), vals(110, 15, 40),
    {**p0(weighted_sum=1.9, factor=1.5 * 0.8, amount=120000.0)},
    "after_caps: sum 1.9 capped at 1.5, then x 0.8 = 1.2; amount 120000 (vs 150000 with before_caps)."))
evaluate.append(case("modifier_override_in_inputs", exec_plan(modifier_bounds=[0.8, 1.2]),
    {**vals(100, 12, 30), "modifiers": {"ceo": 0.9}},
    {**p0(modifier=0.9, factor=0.9, amount=90000.0)},
    "Input modifier 0.9 (inside bounds [0.8, 1.2]) overrides the plan default 1: 1.0 x 0.9 = 0.9."))

churn = {"id": "retention", "period": {"fiscal_year": 2025}, "kpis": [
    {"id": "churn", "weight": 1.0, "direction": "lower_is_better", "curve": ttm(10, 8, 6)}],
    "participants": [{"id": "cs_lead", "target_bonus": {"amount": 20000}}]}
evaluate.append(case("churn_lower_is_better_between", churn, {"values": {"churn": 9}},
    {**p0(factor=0.75, amount=15000.0), "participants.0.kpis.0.attainment": 8 / 9},
    "Churn (lower is better) curve 10% -> 0.5, 8% -> 1, 6% -> 2. Churn 9: 0.5 + (1-0.5)*(10-9)/(10-8) = 0.75; "
    "amount 20000*0.75 = 15000. Attainment target/value = 8/9."))
evaluate.append(case("churn_lower_is_better_above_target", churn, {"values": {"churn": 7}},
    {**p0(factor=1.5, amount=30000.0)},
    "Churn 7 (better than target 8): 1 + (2-1)*(8-7)/(8-6) = 1.5; amount 30000."))
evaluate.append(case("churn_worse_than_threshold", churn, {"values": {"churn": 10.5}},
    {**p0(factor=0.0, amount=0.0)},
    "Churn 10.5 is worse than the threshold 10 (higher churn is worse): no payout."))

stepped = {"id": "frontline", "kpis": [{"id": "csat", "weight": 1.0, "curve": {"type": "stepped", "tiers": [
    {"value": 0.80, "payout": 0.5}, {"value": 0.85, "payout": 1.0}, {"value": 0.90, "payout": 1.5}]}}],
    "participants": [{"id": "agent", "target_bonus": {"percent_of_base": 10, "base_salary": 40000}}]}
evaluate.append(case("stepped_middle_tier", stepped, {"values": {"csat": 0.87}},
    {**p0(target_bonus=4000.0, factor=1.0, amount=4000.0), "period": None, "participants.0.participation_days": None},
    "Stepped tiers 0.80->0.5, 0.85->1.0, 0.90->1.5, no interpolation: CSAT 0.87 reaches the 0.85 tier -> 1.0. "
    "Target 10% of 40000 = 4000; amount 4000. No period in plan or inputs -> period null, participation 1."))
evaluate.append(case("stepped_exactly_on_top_tier", stepped, {"values": {"csat": 0.90}},
    {**p0(factor=1.5, amount=6000.0)}, "CSAT exactly 0.90 earns the 0.90 tier (inclusive): 1.5 x 4000 = 6000."))
evaluate.append(case("stepped_below_first_tier", stepped, {"values": {"csat": 0.7999}},
    {**p0(factor=0.0, amount=0.0)}, "0.7999 < first tier 0.80: no payout."))


def accel(mode):
    return {"id": "sales", "kpis": [{"id": "quota_pct", "weight": 1.0, "curve": {"type": "accelerated", "mode": mode,
        "tiers": [{"from": 80, "rate": 0.05}, {"from": 100, "rate": 0.08}, {"from": 110, "rate": 0.1}]}}],
        "participants": [{"id": "rep", "target_bonus": {"amount": 10000}}]}


evaluate.append(case("accelerator_marginal", accel("marginal"), {"values": {"quota_pct": 115}},
    {**p0(factor=20 * 0.05 + 10 * 0.08 + 5 * 0.1, amount=23000.0)},
    "Marginal: each rate only on its slice. 80..100 at 0.05 = 1.0, 100..110 at 0.08 = 0.8, 110..115 at 0.1 = 0.5; "
    "total 2.3; amount 23000."))
evaluate.append(case("accelerator_whole", accel("whole"), {"values": {"quota_pct": 115}},
    {**p0(factor=0.1 * 35, amount=35000.0)},
    "Whole: the rate of the highest tier reached (0.1 from 110) applies to all progress from 80: 0.1 x (115-80) = "
    "3.5; amount 35000 (vs 23000 marginal)."))
evaluate.append(case("accelerator_marginal_mid", accel("marginal"), {"values": {"quota_pct": 105}},
    {**p0(factor=1.0 + 5 * 0.08)}, "Marginal at 105: 20*0.05 + 5*0.08 = 1.4."))
evaluate.append(case("accelerator_whole_mid", accel("whole"), {"values": {"quota_pct": 105}},
    {**p0(factor=0.08 * 25)}, "Whole at 105: 0.08 x (105-80) = 2.0."))
evaluate.append(case("minimum_guaranteed", exec_plan(minimum_payout={"rule": "guaranteed", "factor": 0.25}),
    vals(80, 8, 10), {**p0(weighted_sum=0.0, factor=0.25, amount=25000.0), "participants.0.capped_by.0": "minimum_payout"},
    "Every KPI below threshold: sum 0; the guaranteed minimum raises it to 0.25; amount 25000."))
evaluate.append(case("minimum_threshold_de_minimis", exec_plan(minimum_payout={"rule": "threshold", "factor": 0.3}),
    vals(80, 8, 30), {**p0(weighted_sum=0.2, factor=0.0, amount=0.0)},
    "Only NPS pays (1.0 x 0.2 = 0.2) which is below the de-minimis threshold 0.3: nothing is paid."))
g = {"id": "compliance", "kpi": "incidents", "threshold": 0, "direction": "lower_is_better", "effect": "zero_total"}
evaluate.append(case("guaranteed_minimum_yields_to_zero_gate",
    exec_plan(minimum_payout={"rule": "guaranteed", "factor": 0.25}, gates=[g]),
    {"values": {"revenue": 100, "ebitda_margin": 12, "nps": 30, "incidents": 2}}, {**p0(factor=0.0, amount=0.0)},
    "A missed zero_total gate zeroes the payout and the guaranteed minimum does not apply: 0."))
evaluate.append(case("percent_of_base_target", exec_plan(participants=[
        {"id": "cfo", "target_bonus": {"percent_of_base": 15, "base_salary": 120000}}]), vals(105, 12, 30),
    {**p0(target_bonus=18000.0, weighted_sum=0.5 * 1.5 + 0.3 + 0.2, amount=18000.0 * 1.25)},
    "Target 15% of 120000 = 18000. Revenue 105: 1 + 1*(5/10) = 1.5; sum 0.75 + 0.3 + 0.2 = 1.25; amount 22500."))
evaluate.append(case("proration_joined_mid_year", exec_plan(participants=[
        {"id": "cro", "target_bonus": {"amount": 100000}, "start_date": "2025-07-01"}]), vals(100, 12, 30),
    {**p0(participation_days=184, participation=184 / 365, amount=100000 * (184 / 365))},
    "Joined 2025-07-01: Jul 31 + Aug 31 + Sep 30 + Oct 31 + Nov 30 + Dec 31 = 184 days of 365 in FY2025; factor "
    "1.0 x 184/365; amount 100000 x 184/365 = 50410.9589..."))
evaluate.append(case("proration_quarter", exec_plan(participants=[
        {"id": "vp", "target_bonus": {"amount": 25000}, "start_date": "2025-05-01"}]),
    {**vals(100, 12, 30), "period": {"fiscal_year": 2025, "quarter": 2}},
    {**p0(participation_days=61, participation=61 / 91, amount=25000 * (61 / 91)), "period.label": "FY2025-Q2",
     "period.start": "2025-04-01", "period.end": "2025-06-30", "period.days": 91},
    "Q2 2025 = Apr 30 + May 31 + Jun 30 = 91 days; joined May 1 -> 31 + 30 = 61 days; 25000 x 61/91."))
evaluate.append(case("proration_july_fiscal_year_leaver", exec_plan(calendar={"start_month": 7},
        period={"fiscal_year": 2026}, participants=[
        {"id": "coo", "target_bonus": {"amount": 100000}, "end_date": "2025-12-31"}]), vals(100, 12, 30),
    {**p0(participation_days=184, participation=184 / 365), "period.start": "2025-07-01", "period.end": "2026-06-30"},
    "Fiscal year starting in July, named by its end year: FY2026 = 2025-07-01..2026-06-30 (365 days, Feb 2026 has "
    "28). Left 2025-12-31: Jul..Dec = 31+31+30+31+30+31 = 184 days -> 184/365."))
roles_plan = {
    "id": "cx-2025", "period": {"fiscal_year": 2025},
    "kpis": [
        {"id": "revenue", "weight": 0.7, "curve": ttm(90, 100, 110)},
        {"id": "nps", "weight": 0.3, "curve": ttm(20, 30, 40, (0.5, 1.0, 1.5))},
        {"id": "agent_csat", "weight": 0.0, "curve": {"type": "stepped", "tiers": [
            {"value": 0.8, "payout": 0.5}, {"value": 0.85, "payout": 1.0}, {"value": 0.9, "payout": 1.5}]}},
    ],
    "roles": [{"id": "executive", "target_bonus": {"amount": 50000}},
              {"id": "frontline", "target_bonus": {"amount": 3000}, "weights": {"agent_csat": 0.6, "nps": 0.4}}],
    "participants": [{"id": "vp_cx", "role": "executive"}, {"id": "agent_1", "role": "frontline"},
                     {"id": "agent_2", "role": "frontline", "modifier": 1.1}],
}
evaluate.append(case("roles_individual_goals", roles_plan,
    {"values": {"revenue": 104, "nps": 32}, "participant_values": {
        "agent_1": {"agent_csat": 0.91}, "agent_2": {"agent_csat": 0.83}}, "modifiers": {}},
    {"participants.0.weighted_sum": 0.7 * 1.4 + 0.3 * 1.1, "participants.0.amount": 50000 * (0.7 * 1.4 + 0.3 * 1.1),
     "participants.1.weighted_sum": 0.6 * 1.5 + 0.4 * 1.1, "participants.1.amount": 3000 * (0.6 * 1.5 + 0.4 * 1.1),
     "participants.2.weighted_sum": 0.6 * 0.5 + 0.4 * 1.1, "participants.2.factor": (0.6 * 0.5 + 0.4 * 1.1) * 1.1,
     "participants.2.amount": 3000 * ((0.6 * 0.5 + 0.4 * 1.1) * 1.1),
     "participants.0.kpis.2.weight": 0.0, "participants.1.kpis.0.weight": 0.0,
     "total_target": 56000.0},
    "Revenue 104: 1 + (4/10) = 1.4; NPS 32: 1 + 0.5*(2/10) = 1.1. Executive (plan weights 0.7/0.3/0): "
    "0.7*1.4 + 0.3*1.1 = 1.31 -> 65500. Frontline (role weights csat 0.6, nps 0.4): agent_1 CSAT 0.91 -> tier 1.5: "
    "0.6*1.5 + 0.4*1.1 = 1.34 -> 4020; agent_2 CSAT 0.83 -> tier 0.5: 0.3 + 0.44 = 0.74 x modifier 1.1 = 0.814 -> "
    "2442. Targets 50000 + 3000 + 3000 = 56000."))

# Errors
p = exec_plan(); p["kpis"][2]["weight"] = 0.1
evaluate.append(case("error_weights_do_not_sum_to_1", p, vals(100, 12, 30), error="invalid_argument",
    source="0.5 + 0.3 + 0.1 = 0.9 != 1: refused."))
p = copy.deepcopy(churn); p["kpis"][0]["curve"] = ttm(6, 8, 10)
evaluate.append(case("error_curve_order_for_direction", p, {"values": {"churn": 7}}, error="invalid_argument",
    source="A lower-is-better KPI needs decreasing curve values; 6, 8, 10 increases: refused."))
p = exec_plan(); p["kpis"][2]["scoring"] = "min_max"
evaluate.append(case("error_data_relative_scoring", p, vals(100, 12, 30), error="unsupported",
    source="Min-max normalisation depends on the data; money may only depend on fixed targets: refused."))
p = exec_plan(); p["kpis"][0]["scoring"] = "rank"
evaluate.append(case("error_rank_scoring", p, vals(100, 12, 30), error="unsupported",
    source="Rank scoring is data-relative: refused."))
evaluate.append(case("error_missing_kpi_value", exec_plan(), {"values": {"revenue": 100, "nps": 30}},
    error="invalid_argument", source="No value for ebitda_margin: an error, never a silent zero."))
evaluate.append(case("error_unknown_value_key", exec_plan(), {"values": {"revenue": 100, "ebitda_margin": 12,
    "nps": 30, "csat": 0.9}}, error="invalid_argument", source="csat is neither a KPI nor a gate KPI: refused."))
evaluate.append(case("error_unknown_plan_field", exec_plan(bonus_pool=5), vals(100, 12, 30),
    error="invalid_argument", source="deny_unknown_fields: bonus_pool is not a plan field."))
evaluate.append(case("error_modifier_outside_bounds", exec_plan(modifier_bounds=[0.8, 1.2]),
    {**vals(100, 12, 30), "modifiers": {"ceo": 1.3}}, error="invalid_argument",
    source="Modifier 1.3 outside [0.8, 1.2]."))
p = exec_plan(); p["kpis"][0]["weight"] = -0.5; p["kpis"][1]["weight"] = 1.3
evaluate.append(case("error_negative_weight", p, vals(100, 12, 30), error="invalid_weight",
    source="Weight -0.5 < 0 (even though the weights sum to 1)."))
evaluate.append(case("error_schema_version", exec_plan(schema_version=2), vals(100, 12, 30), error="unsupported",
    source="schema_version 2 is not read by this build."))
evaluate.append(case("error_cap_gate_without_cap", exec_plan(gates=[{"id": "f", "kpi": "nps", "threshold": 20,
    "effect": "cap_total"}]), vals(100, 12, 30), error="invalid_argument", source="cap_total needs a cap."))
evaluate.append(case("error_no_target_bonus", exec_plan(participants=[{"id": "x"}]), vals(100, 12, 30),
    error="invalid_argument", source="Participant without a target bonus (none on it or a role)."))

# ---- clawback
claw_plan = {
    "id": "exec-quarterly", "version": "2023.1",
    "kpis": [{"id": "revenue", "weight": 0.5, "curve": ttm(90, 100, 110)},
             {"id": "nps", "weight": 0.5, "curve": ttm(20, 30, 40)}],
    "gates": [FLOOR],
    "participants": [{"id": "ceo", "target_bonus": {"amount": 10000}},
                     {"id": "cco", "target_bonus": {"amount": 4000}}],
}


def cb(name, plan, claw, expect=None, source="", error=None):
    c = {"name": name, "input": {"plan": plan, "clawback": claw}}
    if error:
        c["error"] = {"kind": error}
    else:
        c["expect"] = expect
    c["source"] = source
    return c


def per(fy, q, rep, rest):
    return {"period": {"fiscal_year": fy, "quarter": q}, "reported": {"values": rep}, "restated": {"values": rest}}


clawback = []
clawback.append(cb("manipulated_quarters_one_outside_window", claw_plan, {"as_of": "2026-02-15", "periods": [
        per(2022, 4, {"revenue": 100, "nps": 40}, {"nps": 30}),
        per(2023, 1, {"revenue": 100, "nps": 35}, {"nps": 25})]},
    {"lookback_start": "2023-01-01", "lookback_fiscal_years": 3,
     "lines.0.participant": "ceo", "lines.0.period": "FY2022-Q4", "lines.0.in_lookback": False,
     "lines.0.reported_amount": 10000 * (0.5 * 1 + 0.5 * 2), "lines.0.restated_amount": 10000 * 1.0,
     "lines.0.excess": 5000.0, "lines.0.recoverable": 0.0,
     "lines.0.restated_values.0.kpi": "nps", "lines.0.restated_values.0.reported": 40.0,
     "lines.0.restated_values.0.restated": 30.0,
     "lines.2.participant": "ceo", "lines.2.period": "FY2023-Q1", "lines.2.in_lookback": True,
     "lines.2.reported_amount": 10000 * (0.5 + 0.5 * 1.5), "lines.2.restated_amount": 10000 * (0.5 + 0.5 * 0.75),
     "lines.2.recoverable": 3750.0, "lines.3.recoverable": 1500.0,
     "participants.0.recoverable": 3750.0, "participants.0.outside_window": 5000.0,
     "participants.1.recoverable": 1500.0, "participants.1.outside_window": 2000.0,
     "total_recoverable": 5250.0},
    "Restatement required 2026-02-15, in FY2026 (January calendar). Look-back = the 3 completed fiscal years "
    "before it: FY2023..FY2025, window from 2023-01-01. FY2022-Q4 (ends 2022-12-31) is outside. "
    "Q4-2022: reported NPS 40 -> 2, restated 30 -> 1; revenue 100 -> 1: reported 0.5*1 + 0.5*2 = 1.5 (ceo "
    "15000, cco 6000), restated 1.0 (10000, 4000): excess 5000 / 2000 but not recoverable. Q1-2023: reported NPS "
    "35 -> 1 + (1*5/10) = 1.5; restated 25 -> 0.5 + 0.5*5/10 = 0.75: reported 0.5 + 0.75 = 1.25 (12500 / 5000), "
    "restated 0.5 + 0.375 = 0.875 (8750 / 3500): recoverable 3750 (ceo) and 1500 (cco); total 5250."))
clawback.append(cb("restated_below_floor", claw_plan, {"as_of": "2024-03-31", "periods": [
        per(2023, 3, {"revenue": 110, "nps": 22}, {"nps": 18})]},
    {"lines.0.reported_factor": 0.5 * 2 + 0.5 * 0.6, "lines.0.restated_factor": 0.5,
     "lines.0.reported_amount": 13000.0, "lines.0.restated_amount": 5000.0, "lines.0.recoverable": 8000.0,
     "total_recoverable": 8000.0 + 3200.0},
    "Reported NPS 22 (above the floor 20): 0.5*2 + 0.5*(0.5 + 0.5*2/10) = 1 + 0.3 = 1.3 -> 13000. Restated NPS 18 "
    "misses the floor: sum 1.0 capped at 0.5 -> 5000. Recoverable 8000 (ceo) + 4000*(1.3-0.5) = 3200 (cco)."))
clawback.append(cb("same_values_recover_nothing", claw_plan, {"as_of": "2026-02-15", "periods": [
        per(2025, 2, {"revenue": 105, "nps": 33}, {"revenue": 105, "nps": 33})]},
    {"total_recoverable": 0.0, "lines.0.excess": 0.0},
    "Restating with the reported values changes nothing: 0 recoverable, no restated values listed."))
clawback.append(cb("restated_higher_no_top_up", claw_plan, {"as_of": "2026-02-15", "periods": [
        per(2025, 1, {"revenue": 100, "nps": 30}, {"nps": 35})]},
    {"lines.0.reported_amount": 10000.0, "lines.0.restated_amount": 12500.0, "lines.0.excess": 0.0,
     "total_recoverable": 0.0, "policy": "excess_over_restated"},
    "Restated NPS 35 would pay 1.25 > 1.0 paid: the excess is max(0, 10000 - 12500) = 0; a clawback never tops up."))
p = copy.deepcopy(claw_plan); p["calendar"] = {"start_month": 7}
clawback.append(cb("july_calendar_window", p, {"as_of": "2026-08-01", "periods": [
        per(2023, 4, {"revenue": 100, "nps": 40}, {"nps": 30}),
        per(2024, 1, {"revenue": 100, "nps": 40}, {"nps": 30})]},
    {"lookback_start": "2023-07-01", "lines.0.period_end": "2023-06-30", "lines.0.in_lookback": False,
     "lines.2.period_end": "2023-09-30", "lines.2.in_lookback": True, "total_recoverable": 5000.0 + 2000.0},
    "July fiscal year named by end year: 2026-08-01 is in FY2027; the 3 completed years are FY2024..FY2026, from "
    "2023-07-01. FY2023-Q4 = Apr-Jun 2023 (ends 2023-06-30) is outside; FY2024-Q1 = Jul-Sep 2023 is inside. "
    "Each: reported 1.5, restated 1.0 -> excess 5000 (ceo), 2000 (cco)."))
p = copy.deepcopy(claw_plan); p["clawback"] = {"lookback_fiscal_years": 1}
clawback.append(cb("lookback_one_year", p, {"as_of": "2026-02-15", "periods": [
        per(2024, 4, {"revenue": 100, "nps": 40}, {"nps": 30}),
        per(2025, 1, {"revenue": 100, "nps": 40}, {"nps": 30})]},
    {"lookback_start": "2025-01-01", "lines.0.in_lookback": False, "lines.2.in_lookback": True,
     "total_recoverable": 7000.0},
    "lookback_fiscal_years 1: only FY2025 (from 2025-01-01); FY2024-Q4 is outside. FY2025-Q1 excess 5000 + 2000."))
clawback.append(cb("error_period_not_completed", claw_plan, {"as_of": "2026-02-15", "periods": [
        per(2026, 1, {"revenue": 100, "nps": 40}, {"nps": 30})]}, error="invalid_argument",
    source="FY2026-Q1 ends 2026-03-31, after as_of: cannot be restated yet."))
clawback.append(cb("error_bad_as_of", claw_plan, {"as_of": "2026-02-30", "periods": [
        per(2025, 1, {"revenue": 100, "nps": 40}, {"nps": 30})]}, error="invalid_argument",
    source="2026-02-30 is not a date."))

# ---- what-if
what_if = [
    {"name": "nps_drop_trips_floor", "input": {"plan": exec_plan(gates=[FLOOR]), "inputs": vals(110, 15, 25),
        "changes": {"values": {"nps": 19}}},
     "expect": {"effects.0.base_factor": 1.0 + 0.6 + 0.2 * 0.75, "effects.0.scenario_factor": 0.5,
                "effects.0.base_amount": 175000.0, "effects.0.scenario_amount": 50000.0,
                "effects.0.delta_amount": -125000.0, "total_delta": -125000.0, "changes.0": "nps: 25 -> 19"},
     "source": "Base: revenue 110 -> 2, EBITDA 15 -> 2, NPS 25 -> 0.5 + 0.5*5/10 = 0.75: 1 + 0.6 + 0.15 = 1.75 -> "
               "175000. What if NPS were 19: NPS pays 0 and misses the floor 20 -> capped at 0.5 -> 50000; "
               "delta -125000."},
    {"name": "revenue_up_no_change_when_capped", "input": {"plan": exec_plan(total_cap=1.5),
        "inputs": vals(110, 15, 40), "changes": {"values": {"revenue": 120}}},
     "expect": {"effects.0.base_factor": 1.5, "effects.0.scenario_factor": 1.5, "effects.0.delta_amount": 0.0},
     "source": "Already capped at 1.5 (sum 1.9): more revenue changes nothing."},
]

# ---- explain
explain = [
    {"name": "floor_capped_ceo", "input": {"plan": exec_plan(gates=[FLOOR]), "inputs": vals(110, 15, 18),
        "participant": "ceo"},
     "expect": {"participant": "ceo", "payout.amount": 50000.0, "payout.trail.0.step": "kpi:revenue",
                "payout.trail.0.detail": "value 110 -> attainment 1.1 -> curve payout 2 x weight 0.5 = 1",
                "payout.trail.0.value": 1.0, "payout.trail.3.step": "weighted_sum", "payout.trail.3.value": 1.6,
                "payout.trail.5.step": "gate:nps_floor", "payout.trail.5.value": 0.5,
                "payout.trail.7.step": "amount", "payout.trail.7.value": 50000.0},
     "source": "Trail: revenue 110/100 = 1.1 attainment, curve 2, x 0.5 = 1; EBITDA 2 x 0.3 = 0.6; NPS 0; sum 1.6; "
               "modifier 1 -> 1.6; NPS floor missed -> 0.5; proration 1 -> 0.5; amount 100000 x 0.5 = 50000."},
    {"name": "error_unknown_participant", "input": {"plan": exec_plan(), "inputs": vals(100, 12, 30),
        "participant": "nobody"}, "error": {"kind": "invalid_argument"}, "source": "No such participant."},
]

# ---- TOML
TOML = """schema_version = 1
id = "frontline-toml"
version = "2025.2"
period = { fiscal_year = 2025, quarter = 3 }

[[kpis]]
id = "csat"
weight = 0.6
curve = { type = "stepped", tiers = [{ value = 0.8, payout = 0.5 }, { value = 0.85, payout = 1.0 }] }

[[kpis]]
id = "aht_minutes"
weight = 0.4
direction = "lower_is_better"
curve = { type = "linear", points = [{ value = 9.0, payout = 0.5 }, { value = 7.0, payout = 1.0 }, { value = 6.0, payout = 1.25 }] }

[[participants]]
id = "agent-9"
target_bonus = { amount = 1500 }
"""
toml_cases = [
    {"name": "toml_plan", "input": {"toml": TOML, "inputs": {"values": {"csat": 0.86, "aht_minutes": 8.0}}},
     "expect": {"plan_version": "2025.2", "period.label": "FY2025-Q3", "period.days": 92,
                "participants.0.kpis.1.curve_payout": 0.75, "participants.0.factor": 0.6 * 1.0 + 0.4 * 0.75,
                "participants.0.amount": 1500 * 0.9},
     "source": "CSAT 0.86 -> tier 0.85 -> 1.0; handling time 8 min (lower is better, 9 -> 0.5, 7 -> 1): "
               "0.5 + 0.5*(9-8)/(9-7) = 0.75. 0.6*1 + 0.4*0.75 = 0.9 x 1500 = 1350. Q3 = Jul-Sep = 92 days."},
    {"name": "error_toml_syntax", "input": {"toml": "id = \"x\"\n[[kpis]\n", "inputs": {"values": {}}},
     "error": {"kind": "invalid_argument"}, "source": "Malformed TOML."},
]

# ---- bulk
bulk_plan = exec_plan(gates=[FLOOR], total_cap=1.8)
bulk = [
    {"name": "three_participants", "input": {"plan": bulk_plan,
        "columns": [[100, 110, 95], [12, 15, 13.5], [30, 18, 35]], "target_bonus": [1000, 2000, 3000],
        "modifiers": [1.0, 1.0, 1.2], "participation": [1.0, 1.0, 0.5]},
     "expect": {"factor.0": 1.0, "factor.1": 0.5, "factor.2": 1.075 * 1.2, "amount.0": 1000.0, "amount.1": 1000.0,
                "amount.2": 3000 * (1.075 * 1.2 * 0.5), "total_amount": 2000 + 3000 * (1.075 * 1.2 * 0.5)},
     "source": "Same plan as the single cases: row 0 at target -> 1.0; row 1 financials max, NPS 18 misses the floor "
               "-> 0.5 -> 1000; row 2 = asymmetric case 1.075 x modifier 1.2 = 1.29 (< cap 1.8) x participation 0.5 "
               "x 3000 = 1935."},
    {"name": "error_nan_value", "input": {"plan": bulk_plan, "columns": [[100], [12], ["NaN"]],
        "target_bonus": [1000]}, "error": {"kind": "missing_value"}, "source": "NaN in the nps column."},
    {"name": "error_length_mismatch", "input": {"plan": bulk_plan, "columns": [[100, 1], [12, 1], [30, 1]],
        "target_bonus": [1000]}, "error": {"kind": "length_mismatch"}, "source": "2 values vs 1 target."},
]

files = {
    "evaluate.json": ("incentive_evaluate", "Plan evaluation: curves, weights, gates, caps, modifiers, minimums, "
                      "periods and pro-rating", evaluate),
    "clawback.json": ("incentive_clawback", "Clawbacks from restated KPI values with a look-back window", clawback),
    "what_if.json": ("incentive_what_if", "What-if: change one input, see every effect", what_if),
    "explain.json": ("incentive_explain", "The explanation trail of one payout", explain),
    "toml.json": ("incentive_evaluate_toml", "Plans read from TOML", toml_cases),
    "bulk.json": ("incentive_bulk", "Column-oriented bulk evaluation", bulk),
}
n = 0
for fname, (fn, desc, cases) in files.items():
    with open(os.path.join(OUT, fname), "w") as f:
        json.dump({"function": fn, "description": desc, "cases": cases}, f, indent=1)
        f.write("\n")
    n += len(cases)
print(n, "cases")
