//! Incentive plans: payout curves, weighted KPIs, gates and floors that cap bonuses, caps, individual
//! modifiers, minimum-payout rules, fiscal periods with pro-rating, clawbacks with a look-back window, an
//! explanation trail for every payout, what-if comparison and a column-oriented bulk path.
//!
//! A plan is a serde document (JSON or TOML, `deny_unknown_fields`): see [`IncentivePlan`] and
//! `docs/incentives.md`. Money may only depend on fixed thresholds and targets: a KPI scored by data-relative
//! normalisation (min-max, z, rank) is refused, weights must sum to 1, and curve points must be ordered for
//! the KPI's direction.
//!
//! The payout of a participant is computed in this fixed order (each step recorded in the trail):
//!
//! 1. per KPI: value → attainment (value / target, or target / value when lower is better) → curve payout →
//!    KPI cap → component gates (`zero_components`, `cap_components`) → × weight;
//! 2. weighted sum (compensated, in KPI order);
//! 3. modifier, if `modifier_order = before_caps` (default);
//! 4. `total_cap`; then the tightest missed `cap_total` gate; a missed `zero_total` gate zeroes;
//! 5. modifier, if `modifier_order = after_caps`;
//! 6. minimum-payout rule (`guaranteed` or `threshold`);
//! 7. × participation (pro-rating by days) → × target bonus = amount.
//!
//! ```
//! use cxkpi::incentive::{EvaluationInput, IncentivePlan};
//! let plan = IncentivePlan::from_toml(r#"
//! id = "frontline"
//! [[kpis]]
//! id = "csat"
//! weight = 1.0
//! curve = { type = "stepped", tiers = [{ value = 0.80, payout = 0.5 }, { value = 0.85, payout = 1.0 }] }
//! [[participants]]
//! id = "agent-7"
//! target_bonus = { percent_of_base = 10, base_salary = 40000 }
//! "#).unwrap();
//! let r = plan.evaluate(&EvaluationInput::from_values(&[("csat", 0.86)])).unwrap();
//! assert_eq!(r.participants[0].amount, 4000.0);
//! ```

mod clawback;
mod curve;
mod evaluate;
mod period;
mod plan;
#[cfg(test)]
mod tests;

pub use clawback::{
    ClawbackInput, ClawbackLine, ClawbackResult, ClawbackTotal, RestatedPeriod, RestatedValue,
    Restatement,
};
pub use curve::{AcceleratorMode, Curve, CurvePoint, RateTier};
pub use evaluate::{
    BulkPayouts, EvaluationInput, EvaluationResult, Explanation, GateOutcome, KpiLine,
    ParticipantPayout, Policies, TrailStep, WhatIfEffect, WhatIfResult,
};
pub use period::{label as period_label, FiscalCalendar, FiscalYearNaming, Period, PeriodDates};
pub use plan::{
    ClawbackPolicy, Gate, GateEffect, IncentivePlan, KpiSpec, MinimumPayout, MinimumRule,
    ModifierOrder, Participant, Proration, Role, Scoring, TargetBonus, PLAN_SCHEMA_VERSION,
};

impl IncentivePlan {
    /// True when every KPI curve never pays less for a better value (the plan is then monotone in each KPI,
    /// provided the modifier is the same).
    pub fn is_monotone(&self) -> crate::Result<bool> {
        Ok(self.compile()?.curves.iter().all(|c| c.is_monotone()))
    }

    /// The largest factor any KPI curve can pay (after its KPI cap), per KPI; `None` where unbounded.
    pub fn kpi_max_payouts(&self) -> crate::Result<Vec<Option<f64>>> {
        let cp = self.compile()?;
        Ok(cp
            .curves
            .iter()
            .zip(&self.kpis)
            .map(|(c, k)| match (c.max_payout(), k.cap) {
                (Some(m), Some(cap)) => Some(m.min(cap)),
                (Some(m), None) => Some(m),
                (None, cap) => cap,
            })
            .collect())
    }
}
