//! Evaluation: per participant, value -> attainment -> curve payout -> KPI cap -> component gates -> weight
//! -> weighted sum -> modifier and total caps/gates (in the named order) -> minimum-payout rule -> pro-rating
//! -> amount, with the whole chain kept as a trail. Also what-if comparison and the column-oriented bulk path
//! (the same arithmetic in the same order, so both paths give identical bits).

use super::curve::Compiled;
use super::period::{parse_date, participation, Period, PeriodDates};
use super::plan::{
    finite, CompiledPlan, GateEffect, IncentivePlan, MinimumPayout, MinimumRule, ModifierOrder,
    Proration,
};
use crate::error::{CxkpiError, Result};
use crate::scale::Direction;
use crate::stats::NeumaierSum;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The inputs of one evaluation: KPI values for the period.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvaluationInput {
    /// The period assessed (default: the plan's `period`).
    #[serde(default)]
    pub period: Option<Period>,
    /// Shared KPI values (kpi id -> value), e.g. company revenue, NPS.
    #[serde(default)]
    pub values: BTreeMap<String, f64>,
    /// Individual KPI values (participant id -> kpi id -> value); they override the shared ones.
    #[serde(default)]
    pub participant_values: BTreeMap<String, BTreeMap<String, f64>>,
    /// Individual modifiers for this period (participant id -> modifier); they override the plan's.
    #[serde(default)]
    pub modifiers: BTreeMap<String, f64>,
}

impl EvaluationInput {
    /// Shared values only.
    pub fn from_values(values: &[(&str, f64)]) -> Self {
        EvaluationInput {
            values: values.iter().map(|&(k, v)| (k.to_string(), v)).collect(),
            ..Default::default()
        }
    }

    /// Reads the input from a JSON value.
    pub fn from_value(v: &serde_json::Value) -> Result<Self> {
        serde_json::from_value(v.clone())
            .map_err(|e| CxkpiError::invalid("inputs", format!("not valid evaluation inputs: {e}")))
    }

    /// This input with `changes` laid over it (values, participant values and modifiers key by key; the
    /// period if given).
    pub fn overlay(&self, changes: &EvaluationInput) -> EvaluationInput {
        let mut out = self.clone();
        if changes.period.is_some() {
            out.period = changes.period;
        }
        out.values
            .extend(changes.values.iter().map(|(k, v)| (k.clone(), *v)));
        for (p, m) in &changes.participant_values {
            out.participant_values
                .entry(p.clone())
                .or_default()
                .extend(m.iter().map(|(k, v)| (k.clone(), *v)));
        }
        out.modifiers
            .extend(changes.modifiers.iter().map(|(k, v)| (k.clone(), *v)));
        out
    }
}

/// One KPI of one participant's payout.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KpiLine {
    /// KPI id.
    pub kpi: String,
    /// The value assessed (null for a KPI with weight 0 for this participant and no value given).
    pub value: Option<f64>,
    /// The KPI's direction.
    pub direction: Direction,
    /// value / target (higher is better) or target / value (lower is better); null without a target or
    /// when the ratio is undefined.
    pub attainment: Option<f64>,
    /// The curve's payout factor.
    pub curve_payout: f64,
    /// The KPI cap, if any.
    pub kpi_cap: Option<f64>,
    /// After the KPI cap.
    pub capped_payout: f64,
    /// The component gate that zeroed or capped this KPI, if any.
    pub gated_by: Option<String>,
    /// After component gates.
    pub payout: f64,
    /// The weight (the role's, or the plan's).
    pub weight: f64,
    /// weight × payout.
    pub weighted: f64,
}

/// The outcome of one gate for one participant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GateOutcome {
    /// Gate id.
    pub gate: String,
    /// The KPI tested.
    pub kpi: String,
    /// Its value.
    pub value: f64,
    /// The floor.
    pub threshold: f64,
    /// True when the value is worse than the floor (a value exactly at the floor passes).
    pub missed: bool,
    /// The effect (applied only when missed).
    pub effect: GateEffect,
    /// True when the effect changed the payout (a cap that was not binding changes nothing).
    pub binding: bool,
}

/// One step of the explanation trail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrailStep {
    /// The step ("kpi:revenue", "weighted_sum", "modifier", "total_cap", "gate:nps_floor", "minimum_payout",
    /// "proration", "amount").
    pub step: String,
    /// The running figure after the step (a factor of target, or the amount for "amount").
    pub value: f64,
    /// What happened, in words.
    pub detail: String,
}

/// One participant's payout.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParticipantPayout {
    /// Participant id.
    pub participant: String,
    /// Role id.
    pub role: Option<String>,
    /// The target bonus amount.
    pub target_bonus: f64,
    /// Per KPI.
    pub kpis: Vec<KpiLine>,
    /// Per gate.
    pub gates: Vec<GateOutcome>,
    /// Σ weight × payout (compensated, in KPI order).
    pub weighted_sum: f64,
    /// The individual modifier.
    pub modifier: f64,
    /// What limited the payout: "total_cap", "gate:<id>", "minimum_payout".
    pub capped_by: Vec<String>,
    /// The factor of target after modifier, caps, gates and minimum rule (before pro-rating).
    pub factor: f64,
    /// Days of participation in the period (null without a period).
    pub participation_days: Option<u32>,
    /// Share of the period participated (1 without pro-rating).
    pub participation: f64,
    /// factor × participation.
    pub prorated_factor: f64,
    /// target_bonus × prorated_factor.
    pub amount: f64,
    /// The trail from values to amount.
    pub trail: Vec<TrailStep>,
}

/// The conventions an evaluation used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Policies {
    /// `before_caps` or `after_caps`.
    pub modifier_order: ModifierOrder,
    /// `daily` or `none`.
    pub proration: Proration,
    /// Always `inclusive`: a value exactly at a threshold, tier or floor earns it.
    pub threshold_inclusivity: String,
    /// Always `zero`: below the first curve point a KPI pays nothing.
    pub below_threshold: String,
    /// The plan's total cap.
    pub total_cap: Option<f64>,
    /// The plan's minimum-payout rule.
    pub minimum_payout: Option<MinimumPayout>,
}

/// The result of evaluating a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvaluationResult {
    /// Plan id.
    pub plan_id: String,
    /// Plan version.
    pub plan_version: String,
    /// Currency.
    pub currency: Option<String>,
    /// The period assessed.
    pub period: Option<PeriodDates>,
    /// Conventions used.
    pub policies: Policies,
    /// Per participant, in plan order.
    pub participants: Vec<ParticipantPayout>,
    /// Σ amount.
    pub total_amount: f64,
    /// Σ target bonus.
    pub total_target: f64,
}

/// A readable explanation of one payout.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    /// Participant id.
    pub participant: String,
    /// One line per step, for a compensation committee.
    pub lines: Vec<String>,
    /// The payout itself.
    pub payout: ParticipantPayout,
}

/// The effect of a what-if change on one participant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WhatIfEffect {
    /// Participant id.
    pub participant: String,
    /// Factor before / after.
    pub base_factor: f64,
    /// Factor under the scenario.
    pub scenario_factor: f64,
    /// Amount before.
    pub base_amount: f64,
    /// Amount under the scenario.
    pub scenario_amount: f64,
    /// scenario − base.
    pub delta_amount: f64,
    /// Trail steps whose figure changed.
    pub changed_steps: Vec<String>,
}

/// A what-if comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WhatIfResult {
    /// The inputs that changed, in words.
    pub changes: Vec<String>,
    /// Per participant.
    pub effects: Vec<WhatIfEffect>,
    /// Σ scenario − Σ base.
    pub total_delta: f64,
    /// The base evaluation.
    pub base: EvaluationResult,
    /// The scenario evaluation.
    pub scenario: EvaluationResult,
}

/// Column-oriented payouts of [`IncentivePlan::evaluate_columns`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BulkPayouts {
    /// Final factor per participant (before pro-rating).
    pub factor: Vec<f64>,
    /// Amount per participant.
    pub amount: Vec<f64>,
    /// Σ amount (compensated).
    pub total_amount: f64,
}

#[inline]
pub(crate) fn missed(dir: Direction, threshold: f64, x: f64) -> bool {
    match dir {
        Direction::HigherIsBetter => x < threshold,
        Direction::LowerIsBetter => x > threshold,
    }
}

#[inline]
fn kpi_payout(curve: &Compiled, dir: Direction, cap: Option<f64>, x: f64) -> (f64, f64) {
    let p = curve.payout(dir, x);
    let c = match cap {
        Some(c) if p > c => c,
        _ => p,
    };
    (p, c)
}

/// Flags of the total step.
const F_TOTAL_CAP: u8 = 1;
const F_GATE_CAP: u8 = 2;
const F_ZERO: u8 = 4;
const F_MIN_RAISED: u8 = 8;
const F_MIN_ZEROED: u8 = 16;

/// (factor after modifier-before, after total cap, after gate cap/zero, after modifier-after, final), flags
#[inline]
fn total(
    order: ModifierOrder,
    total_cap: Option<f64>,
    minimum: Option<MinimumPayout>,
    weighted_sum: f64,
    modifier: f64,
    gate_cap: f64,
    zero: bool,
) -> ([f64; 5], u8) {
    let mut flags = 0u8;
    let mut f = weighted_sum;
    if order == ModifierOrder::BeforeCaps {
        f *= modifier;
    }
    let a = f;
    if let Some(c) = total_cap {
        if f > c {
            f = c;
            flags |= F_TOTAL_CAP;
        }
    }
    let b = f;
    if f > gate_cap {
        f = gate_cap;
        flags |= F_GATE_CAP;
    }
    if zero {
        if f != 0.0 {
            flags |= F_ZERO;
        }
        f = 0.0;
    }
    let c = f;
    if order == ModifierOrder::AfterCaps {
        f *= modifier;
    }
    let d = f;
    if let Some(m) = minimum {
        match m.rule {
            MinimumRule::Guaranteed if !zero && f < m.factor => {
                f = m.factor;
                flags |= F_MIN_RAISED;
            }
            MinimumRule::Threshold if f < m.factor && f != 0.0 => {
                f = 0.0;
                flags |= F_MIN_ZEROED;
            }
            _ => {}
        }
    }
    ([a, b, c, d, f], flags)
}

fn fmt_opt(x: Option<f64>) -> String {
    x.map_or("n/a".into(), |v| v.to_string())
}

impl IncentivePlan {
    /// Evaluates every participant of the plan on `input`.
    pub fn evaluate(&self, input: &EvaluationInput) -> Result<EvaluationResult> {
        let cp = self.compile()?;
        self.evaluate_compiled(&cp, input)
    }

    fn resolve_period(
        &self,
        input: &EvaluationInput,
    ) -> Result<Option<(PeriodDates, chrono::NaiveDate, chrono::NaiveDate)>> {
        match input.period.or(self.period) {
            None => Ok(None),
            Some(p) => {
                let (s, e) = self.calendar.bounds(&p)?;
                Ok(Some((self.calendar.dates(&p)?, s, e)))
            }
        }
    }

    pub(crate) fn evaluate_compiled(
        &self,
        cp: &CompiledPlan,
        input: &EvaluationInput,
    ) -> Result<EvaluationResult> {
        if self.participants.is_empty() {
            return Err(CxkpiError::EmptyInput {
                arg: "participants".into(),
            });
        }
        let known = |k: &str| self.kpi_index(k).is_some() || self.gates.iter().any(|g| g.kpi == k);
        for (k, &v) in &input.values {
            if !known(k) {
                return Err(CxkpiError::invalid(
                    &format!("values.{k}"),
                    "not a KPI or gate KPI of the plan",
                ));
            }
            finite(&format!("values.{k}"), v)?;
        }
        for (p, m) in &input.participant_values {
            if !self.participants.iter().any(|x| &x.id == p) {
                return Err(CxkpiError::invalid(
                    &format!("participant_values.{p}"),
                    "not a participant of the plan",
                ));
            }
            for (k, &v) in m {
                if !known(k) {
                    return Err(CxkpiError::invalid(
                        &format!("participant_values.{p}.{k}"),
                        "not a KPI or gate KPI of the plan",
                    ));
                }
                finite(&format!("participant_values.{p}.{k}"), v)?;
            }
        }
        for (p, &m) in &input.modifiers {
            if !self.participants.iter().any(|x| &x.id == p) {
                return Err(CxkpiError::invalid(
                    &format!("modifiers.{p}"),
                    "not a participant of the plan",
                ));
            }
            self.check_modifier(&format!("modifiers.{p}"), m)?;
        }
        let period = self.resolve_period(input)?;
        let mut out = Vec::with_capacity(self.participants.len());
        let (mut tot, mut tgt) = (NeumaierSum::default(), NeumaierSum::default());
        for (i, p) in self.participants.iter().enumerate() {
            let pp = self.evaluate_one(cp, input, i, period.as_ref().map(|x| (x.1, x.2)))?;
            tot.add(pp.amount);
            tgt.add(pp.target_bonus);
            out.push(pp);
            let _ = p;
        }
        Ok(EvaluationResult {
            plan_id: self.id.clone(),
            plan_version: self.version.clone(),
            currency: self.currency.clone(),
            period: period.map(|x| x.0),
            policies: Policies {
                modifier_order: self.modifier_order,
                proration: self.proration,
                threshold_inclusivity: "inclusive".into(),
                below_threshold: "zero".into(),
                total_cap: self.total_cap,
                minimum_payout: self.minimum_payout,
            },
            participants: out,
            total_amount: tot.value(),
            total_target: tgt.value(),
        })
    }

    fn evaluate_one(
        &self,
        cp: &CompiledPlan,
        input: &EvaluationInput,
        pi: usize,
        period: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
    ) -> Result<ParticipantPayout> {
        let p = &self.participants[pi];
        let arg = format!("participants[{pi}]");
        let own = input.participant_values.get(&p.id);
        let value_of = |k: &str| -> Result<f64> {
            own.and_then(|m| m.get(k))
                .or_else(|| input.values.get(k))
                .copied()
                .ok_or_else(|| {
                    CxkpiError::invalid(
                        &format!("values.{k}"),
                        format!("no value for KPI \"{k}\" (participant \"{}\")", p.id),
                    )
                })
        };
        let target_bonus = self.target_of(p, &cp.roles, &arg)?;
        let set = p
            .role
            .as_ref()
            .and_then(|r| cp.roles.get(r))
            .map_or(0, |x| x.0);
        let weights = &cp.weight_sets[set];
        let modifier = match input.modifiers.get(&p.id) {
            Some(&m) => m,
            None => p.modifier.unwrap_or(1.0),
        };
        let mut trail = Vec::new();
        // Gates first (their outcome is needed by component gates).
        let mut gates = Vec::with_capacity(self.gates.len());
        for (g, gate) in self.gates.iter().enumerate() {
            let v = value_of(&gate.kpi)?;
            let m = missed(cp.gates[g].0, gate.threshold, v);
            gates.push(GateOutcome {
                gate: gate.id.clone(),
                kpi: gate.kpi.clone(),
                value: v,
                threshold: gate.threshold,
                missed: m,
                effect: gate.effect,
                binding: false,
            });
        }
        let mut lines = Vec::with_capacity(self.kpis.len());
        let mut sum = NeumaierSum::default();
        for (k, kpi) in self.kpis.iter().enumerate() {
            let w = weights[k];
            // A KPI that does not count for this participant (weight 0) needs no value.
            let v = if w == 0.0 {
                value_of(&kpi.id).ok()
            } else {
                Some(value_of(&kpi.id)?)
            };
            let (raw, capped) = match v {
                Some(v) => kpi_payout(&cp.curves[k], kpi.direction, kpi.cap, v),
                None => (0.0, 0.0),
            };
            let mut pay = capped;
            let mut gated_by = None;
            for (g, gate) in self.gates.iter().enumerate() {
                if !gates[g].missed || !cp.gates[g].2.contains(&k) {
                    continue;
                }
                let new = match gate.effect {
                    GateEffect::ZeroComponents => 0.0,
                    GateEffect::CapComponents => pay.min(gate.cap.unwrap_or(f64::INFINITY)),
                    _ => pay,
                };
                if new != pay {
                    gates[g].binding = true;
                    gated_by = Some(gate.id.clone());
                    pay = new;
                }
            }
            let weighted = w * pay;
            sum.add(weighted);
            let target = kpi.target.or(kpi.curve.target());
            let attainment = target.zip(v).and_then(|(t, v)| {
                let r = match kpi.direction {
                    Direction::HigherIsBetter => v / t,
                    Direction::LowerIsBetter => t / v,
                };
                r.is_finite().then_some(r)
            });
            let mut d = format!("value {} -> attainment", fmt_opt(v));
            d += &format!(" {} -> curve payout {raw}", fmt_opt(attainment));
            if capped != raw {
                d += &format!(" -> KPI cap {} -> {capped}", kpi.cap.unwrap_or(f64::NAN));
            }
            if let Some(g) = &gated_by {
                d += &format!(" -> gate {g} -> {pay}");
            }
            d += &format!(" x weight {w} = {weighted}");
            trail.push(TrailStep {
                step: format!("kpi:{}", kpi.id),
                value: weighted,
                detail: d,
            });
            lines.push(KpiLine {
                kpi: kpi.id.clone(),
                value: v,
                direction: kpi.direction,
                attainment,
                curve_payout: raw,
                kpi_cap: kpi.cap,
                capped_payout: capped,
                gated_by,
                payout: pay,
                weight: w,
                weighted,
            });
        }
        let ws = sum.value();
        trail.push(TrailStep {
            step: "weighted_sum".into(),
            value: ws,
            detail: "sum of weight x payout over the KPIs".into(),
        });
        // Total-level gates: the tightest cap_total, any zero_total.
        let mut gate_cap = f64::INFINITY;
        let mut gate_cap_id = None;
        let mut zero = false;
        for (g, gate) in self.gates.iter().enumerate() {
            if !gates[g].missed {
                continue;
            }
            match gate.effect {
                GateEffect::CapTotal => {
                    let c = gate.cap.unwrap_or(f64::INFINITY);
                    if c < gate_cap {
                        gate_cap = c;
                        gate_cap_id = Some(g);
                    }
                }
                GateEffect::ZeroTotal => zero = true,
                _ => {}
            }
        }
        let ([a, b, c, d, f], flags) = total(
            self.modifier_order,
            self.total_cap,
            self.minimum_payout,
            ws,
            modifier,
            gate_cap,
            zero,
        );
        let mut capped_by = Vec::new();
        if self.modifier_order == ModifierOrder::BeforeCaps {
            trail.push(TrailStep {
                step: "modifier".into(),
                value: a,
                detail: format!("{ws} x modifier {modifier} = {a} (modifier_order before_caps)"),
            });
        }
        if let Some(cap) = self.total_cap {
            let det = if flags & F_TOTAL_CAP != 0 {
                capped_by.push("total_cap".to_string());
                format!("{a} capped at total_cap {cap}")
            } else {
                format!("{a} within total_cap {cap}")
            };
            trail.push(TrailStep {
                step: "total_cap".into(),
                value: b,
                detail: det,
            });
        }
        for (g, gate) in self.gates.iter().enumerate() {
            let o = &gates[g];
            if matches!(
                gate.effect,
                GateEffect::ZeroComponents | GateEffect::CapComponents
            ) {
                continue;
            }
            let state = if o.missed { "missed" } else { "met" };
            let det = format!(
                "{} = {} vs floor {}: {state}{}",
                o.kpi,
                o.value,
                o.threshold,
                match (o.missed, gate.effect) {
                    (false, _) => String::new(),
                    (true, GateEffect::ZeroTotal) => " -> total payout zeroed".into(),
                    (true, _) => format!(" -> total capped at {}", gate.cap.unwrap_or(f64::NAN)),
                }
            );
            trail.push(TrailStep {
                step: format!("gate:{}", gate.id),
                value: c,
                detail: det,
            });
        }
        if flags & F_GATE_CAP != 0 {
            if let Some(g) = gate_cap_id {
                gates[g].binding = true;
                capped_by.push(format!("gate:{}", self.gates[g].id));
            }
        }
        if flags & F_ZERO != 0 {
            for (g, gate) in self.gates.iter().enumerate() {
                if gates[g].missed && gate.effect == GateEffect::ZeroTotal {
                    gates[g].binding = true;
                    capped_by.push(format!("gate:{}", gate.id));
                }
            }
        }
        if self.modifier_order == ModifierOrder::AfterCaps {
            trail.push(TrailStep {
                step: "modifier".into(),
                value: d,
                detail: format!("{c} x modifier {modifier} = {d} (modifier_order after_caps)"),
            });
        }
        if let Some(m) = self.minimum_payout {
            let det = if flags & F_MIN_RAISED != 0 {
                capped_by.push("minimum_payout".into());
                format!("{d} raised to the guaranteed minimum {}", m.factor)
            } else if flags & F_MIN_ZEROED != 0 {
                capped_by.push("minimum_payout".into());
                format!("{d} is below the minimum {}: nothing is paid", m.factor)
            } else {
                format!("{d}: minimum rule {} {} not triggered", m.rule, m.factor)
            };
            trail.push(TrailStep {
                step: "minimum_payout".into(),
                value: f,
                detail: det,
            });
        }
        let ps = p
            .start_date
            .as_deref()
            .map(|d| parse_date(&format!("{arg}.start_date"), d))
            .transpose()?;
        let pe = p
            .end_date
            .as_deref()
            .map(|d| parse_date(&format!("{arg}.end_date"), d))
            .transpose()?;
        let (days, share) = match (period, self.proration) {
            (Some((s, e)), Proration::Daily) => {
                let (d, sh) = participation(s, e, ps, pe);
                (Some(d), sh)
            }
            (Some((s, e)), Proration::None) => {
                let (d, sh) = participation(s, e, ps, pe);
                (Some(d), if sh > 0.0 { 1.0 } else { 0.0 })
            }
            (None, _) => {
                if ps.is_some() || pe.is_some() {
                    return Err(CxkpiError::invalid("period", format!("participant \"{}\" has dates but neither the plan nor the inputs name a period", p.id)));
                }
                (None, 1.0)
            }
        };
        let pf = f * share;
        let amount = target_bonus * pf;
        trail.push(TrailStep {
            step: "proration".into(),
            value: pf,
            detail: match days {
                Some(dd) => format!(
                    "{f} x participation {share} ({dd} days, proration {}) = {pf}",
                    self.proration
                ),
                None => format!("{f} x participation 1 (no period) = {pf}"),
            },
        });
        trail.push(TrailStep {
            step: "amount".into(),
            value: amount,
            detail: format!("target bonus {target_bonus} x {pf} = {amount}"),
        });
        Ok(ParticipantPayout {
            participant: p.id.clone(),
            role: p.role.clone(),
            target_bonus,
            kpis: lines,
            gates,
            weighted_sum: ws,
            modifier,
            capped_by,
            factor: f,
            participation_days: days,
            participation: share,
            prorated_factor: pf,
            amount,
            trail,
        })
    }

    /// Explains one participant's payout on `input` as readable lines plus the payout itself.
    pub fn explain(&self, input: &EvaluationInput, participant: &str) -> Result<Explanation> {
        self.evaluate(input)?.explain(participant)
    }

    /// Evaluates `base` and `base` overlaid with `changes`, and reports every participant's change and the
    /// trail steps it went through.
    pub fn what_if(
        &self,
        base: &EvaluationInput,
        changes: &EvaluationInput,
    ) -> Result<WhatIfResult> {
        let cp = self.compile()?;
        let b = self.evaluate_compiled(&cp, base)?;
        let scen = base.overlay(changes);
        let s = self.evaluate_compiled(&cp, &scen)?;
        let mut words = Vec::new();
        if let Some(p) = changes.period {
            words.push(format!("period -> {}", super::period::label(&p)));
        }
        for (k, v) in &changes.values {
            words.push(format!(
                "{k}: {} -> {v}",
                fmt_opt(base.values.get(k).copied())
            ));
        }
        for (p, m) in &changes.participant_values {
            for (k, v) in m {
                let old = base
                    .participant_values
                    .get(p)
                    .and_then(|x| x.get(k))
                    .or(base.values.get(k))
                    .copied();
                words.push(format!("{p}.{k}: {} -> {v}", fmt_opt(old)));
            }
        }
        for (p, v) in &changes.modifiers {
            words.push(format!(
                "{p}.modifier: {} -> {v}",
                fmt_opt(base.modifiers.get(p).copied())
            ));
        }
        let mut effects = Vec::new();
        for (x, y) in b.participants.iter().zip(&s.participants) {
            let changed_steps = x
                .trail
                .iter()
                .zip(&y.trail)
                .filter(|(u, v)| u.value.to_bits() != v.value.to_bits() || u.detail != v.detail)
                .map(|(u, _)| u.step.clone())
                .collect();
            effects.push(WhatIfEffect {
                participant: x.participant.clone(),
                base_factor: x.factor,
                scenario_factor: y.factor,
                base_amount: x.amount,
                scenario_amount: y.amount,
                delta_amount: y.amount - x.amount,
                changed_steps,
            });
        }
        Ok(WhatIfResult {
            changes: words,
            total_delta: s.total_amount - b.total_amount,
            effects,
            base: b,
            scenario: s,
        })
    }

    /// Bulk evaluation, column-oriented: `columns[k][i]` is KPI `k` (plan order) of participant `i`, with the
    /// plan weights (no roles), the plan's gates (each must test a plan KPI), `target_bonus[i]`, optional
    /// `modifiers[i]` (default 1) and `participation[i]` in [0, 1] (default 1). The arithmetic and its order
    /// are those of [`IncentivePlan::evaluate`], so the figures are bit-identical.
    pub fn evaluate_columns(
        &self,
        columns: &[&[f64]],
        target_bonus: &[f64],
        modifiers: Option<&[f64]>,
        participation: Option<&[f64]>,
    ) -> Result<BulkPayouts> {
        let cp = self.compile()?;
        if columns.len() != self.kpis.len() {
            return Err(CxkpiError::LengthMismatch {
                arg: "columns".into(),
                len: columns.len(),
                other: "kpis".into(),
                other_len: self.kpis.len(),
            });
        }
        let n = target_bonus.len();
        for (k, c) in columns.iter().enumerate() {
            if c.len() != n {
                return Err(CxkpiError::LengthMismatch {
                    arg: format!("columns[{k}]"),
                    len: c.len(),
                    other: "target_bonus".into(),
                    other_len: n,
                });
            }
            if let Some(i) = c.iter().position(|x| !x.is_finite()) {
                if c[i].is_nan() {
                    return Err(CxkpiError::MissingValue {
                        arg: format!("columns[{k}] ({})", self.kpis[k].id),
                        index: i,
                    });
                }
                return Err(CxkpiError::invalid(
                    &format!("columns[{k}][{i}]"),
                    format!("must be finite, got {}", c[i]),
                ));
            }
        }
        if let Some(i) = target_bonus
            .iter()
            .position(|x| !(x.is_finite() && *x >= 0.0))
        {
            return Err(CxkpiError::invalid(
                &format!("target_bonus[{i}]"),
                format!("must be finite and >= 0, got {}", target_bonus[i]),
            ));
        }
        if let Some(m) = modifiers {
            if m.len() != n {
                return Err(CxkpiError::LengthMismatch {
                    arg: "modifiers".into(),
                    len: m.len(),
                    other: "target_bonus".into(),
                    other_len: n,
                });
            }
            let (lo, hi) = self.modifier_bounds.unwrap_or((0.0, f64::INFINITY));
            if let Some(i) = m
                .iter()
                .position(|&x| !(x.is_finite() && x >= lo && x <= hi))
            {
                self.check_modifier(&format!("modifiers[{i}]"), m[i])?;
            }
        }
        if let Some(p) = participation {
            if p.len() != n {
                return Err(CxkpiError::LengthMismatch {
                    arg: "participation".into(),
                    len: p.len(),
                    other: "target_bonus".into(),
                    other_len: n,
                });
            }
            if let Some(i) = p.iter().position(|x| !(0.0..=1.0).contains(x)) {
                return Err(CxkpiError::invalid(
                    &format!("participation[{i}]"),
                    format!("must lie in [0, 1], got {}", p[i]),
                ));
            }
        }
        // Which plan KPI each gate tests.
        let mut gate_kpi = Vec::with_capacity(self.gates.len());
        for (g, gate) in self.gates.iter().enumerate() {
            gate_kpi.push(cp.gates[g].1.ok_or_else(|| CxkpiError::Unsupported {
                message: format!(
                    "gates[{g}] tests \"{}\", which is not a plan KPI; bulk evaluation needs every gate KPI as a column",
                    gate.kpi
                ),
            })?);
        }
        let mut factor = vec![0.0; n];
        let mut amount = vec![0.0; n];
        // Rows are independent: fixed chunks evaluated in parallel, each column-oriented inside (one curve
        // dispatch per KPI and chunk). Every row's arithmetic is that of `evaluate`, in the same order.
        const CHUNK: usize = 4096;
        factor
            .par_chunks_mut(CHUNK)
            .zip(amount.par_chunks_mut(CHUNK))
            .enumerate()
            .for_each(|(c, (fac, amt))| {
                let lo = c * CHUNK;
                let len = fac.len();
                let hi = lo + len;
                let mut sums = vec![NeumaierSum::default(); len];
                let mut buf = vec![0.0; len];
                let mut miss = vec![false; len * self.gates.len()];
                for (g, gate) in self.gates.iter().enumerate() {
                    let dir = cp.gates[g].0;
                    for (m, &x) in miss[g * len..(g + 1) * len]
                        .iter_mut()
                        .zip(&columns[gate_kpi[g]][lo..hi])
                    {
                        *m = missed(dir, gate.threshold, x);
                    }
                }
                for (k, kpi) in self.kpis.iter().enumerate() {
                    let w = cp.weight_sets[0][k];
                    cp.curves[k].payout_column(
                        kpi.direction,
                        kpi.cap,
                        &columns[k][lo..hi],
                        &mut buf,
                    );
                    for (g, gate) in self.gates.iter().enumerate() {
                        if !cp.gates[g].2.contains(&k) {
                            continue;
                        }
                        for (b, &m) in buf.iter_mut().zip(&miss[g * len..(g + 1) * len]) {
                            if m {
                                *b = match gate.effect {
                                    GateEffect::ZeroComponents => 0.0,
                                    GateEffect::CapComponents => {
                                        b.min(gate.cap.unwrap_or(f64::INFINITY))
                                    }
                                    _ => *b,
                                };
                            }
                        }
                    }
                    for (s, &b) in sums.iter_mut().zip(&buf) {
                        s.add(w * b);
                    }
                }
                for j in 0..len {
                    let i = lo + j;
                    let mut gate_cap = f64::INFINITY;
                    let mut zero = false;
                    for (g, gate) in self.gates.iter().enumerate() {
                        if miss[g * len + j] {
                            match gate.effect {
                                GateEffect::CapTotal => {
                                    gate_cap = gate_cap.min(gate.cap.unwrap_or(f64::INFINITY))
                                }
                                GateEffect::ZeroTotal => zero = true,
                                _ => {}
                            }
                        }
                    }
                    let m = modifiers.map_or(1.0, |m| m[i]);
                    let (steps, _) = total(
                        self.modifier_order,
                        self.total_cap,
                        self.minimum_payout,
                        sums[j].value(),
                        m,
                        gate_cap,
                        zero,
                    );
                    let f = steps[4];
                    let share = participation.map_or(1.0, |p| p[i]);
                    fac[j] = f;
                    amt[j] = target_bonus[i] * (f * share);
                }
            });
        // The total in row order, sequentially: deterministic whatever the thread count.
        let total_amount = NeumaierSum::of(&amount);
        Ok(BulkPayouts {
            factor,
            amount,
            total_amount,
        })
    }
}

impl EvaluationResult {
    /// The payout of one participant.
    pub fn participant(&self, id: &str) -> Result<&ParticipantPayout> {
        self.participants
            .iter()
            .find(|p| p.participant == id)
            .ok_or_else(|| {
                CxkpiError::invalid(
                    "participant",
                    format!("\"{id}\" is not a participant of plan \"{}\"", self.plan_id),
                )
            })
    }

    /// The trail of one participant as readable lines.
    pub fn explain(&self, participant: &str) -> Result<Explanation> {
        let p = self.participant(participant)?;
        let cur = self.currency.as_deref().unwrap_or("");
        let mut lines = vec![format!(
            "{} ({}) under plan {} version {}{}: target bonus {cur} {}",
            p.participant,
            p.role.as_deref().unwrap_or("no role"),
            self.plan_id,
            self.plan_version,
            self.period.as_ref().map_or(String::new(), |d| format!(
                ", period {} ({} .. {})",
                d.label, d.start, d.end
            )),
            p.target_bonus
        )];
        for s in &p.trail {
            lines.push(format!(
                "  {:<22} {:>14}  {}",
                s.step,
                s.value.to_string(),
                s.detail
            ));
        }
        if !p.capped_by.is_empty() {
            lines.push(format!("  limited by: {}", p.capped_by.join(", ")));
        }
        lines.push(format!(
            "  payout: {cur} {} ({}% of target)",
            p.amount,
            p.prorated_factor * 100.0
        ));
        Ok(Explanation {
            participant: p.participant.clone(),
            lines,
            payout: p.clone(),
        })
    }
}
