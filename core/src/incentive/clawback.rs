//! Clawbacks: recompute past payouts with restated KPI values and recover the excess inside the look-back
//! window (by default the three completed fiscal years before the date the restatement was required, as in
//! SEC Rule 10D-1), keeping the as-reported and as-restated figures side by side.

use super::evaluate::EvaluationInput;
use super::period::{label, parse_date, Period};
use super::plan::IncentivePlan;
use crate::error::{CxkpiError, Result};
use crate::stats::NeumaierSum;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The restated values of one period (only what changed; everything else stays as reported).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Restatement {
    /// Restated shared KPI values.
    #[serde(default)]
    pub values: BTreeMap<String, f64>,
    /// Restated individual KPI values.
    #[serde(default)]
    pub participant_values: BTreeMap<String, BTreeMap<String, f64>>,
}

/// One past period: the inputs as reported (and paid on), and the restatement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RestatedPeriod {
    /// The period.
    pub period: Period,
    /// The inputs the payout was computed from (the `period` inside is ignored: the one above counts).
    pub reported: EvaluationInput,
    /// The restated values.
    #[serde(default)]
    pub restated: Restatement,
}

/// The inputs of a clawback review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClawbackInput {
    /// The date the restatement was required (ISO); the look-back window ends here.
    pub as_of: String,
    /// The periods to review.
    pub periods: Vec<RestatedPeriod>,
}

/// A restated KPI value, as reported and as restated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RestatedValue {
    /// KPI id.
    pub kpi: String,
    /// Value as reported.
    pub reported: f64,
    /// Value as restated.
    pub restated: f64,
}

/// One participant in one period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClawbackLine {
    /// Participant id.
    pub participant: String,
    /// Period label.
    pub period: String,
    /// Last day of the period.
    pub period_end: String,
    /// True when the period ends inside the look-back window.
    pub in_lookback: bool,
    /// The KPI values that changed for this participant.
    pub restated_values: Vec<RestatedValue>,
    /// Factor as reported.
    pub reported_factor: f64,
    /// Factor as restated.
    pub restated_factor: f64,
    /// Amount as reported (paid).
    pub reported_amount: f64,
    /// Amount as restated.
    pub restated_amount: f64,
    /// max(0, reported − restated).
    pub excess: f64,
    /// The excess if in the window, else 0.
    pub recoverable: f64,
}

/// Recoverable total of one participant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClawbackTotal {
    /// Participant id.
    pub participant: String,
    /// Σ recoverable.
    pub recoverable: f64,
    /// Σ excess outside the window (not recoverable).
    pub outside_window: f64,
}

/// The result of a clawback review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClawbackResult {
    /// Plan id.
    pub plan_id: String,
    /// Plan version.
    pub plan_version: String,
    /// The restatement date.
    pub as_of: String,
    /// Completed fiscal years looked back.
    pub lookback_fiscal_years: u32,
    /// First day of the window.
    pub lookback_start: String,
    /// Always `excess_over_restated`: recover what was paid above the restated payout; never a top-up.
    pub policy: String,
    /// Per period and participant.
    pub lines: Vec<ClawbackLine>,
    /// Per participant.
    pub participants: Vec<ClawbackTotal>,
    /// Σ recoverable.
    pub total_recoverable: f64,
}

impl IncentivePlan {
    /// Recomputes the payouts of past periods with restated values and returns what can be recovered.
    ///
    /// ```
    /// use cxkpi::incentive::{IncentivePlan, ClawbackInput};
    /// let plan = IncentivePlan::from_json(r#"{"id": "q", "kpis": [{"id": "nps", "weight": 1,
    ///   "curve": {"type": "threshold_target_maximum", "threshold": 20, "target": 30, "maximum": 40}}],
    ///   "participants": [{"id": "a", "target_bonus": {"amount": 1000}}]}"#).unwrap();
    /// let input: ClawbackInput = serde_json::from_str(r#"{"as_of": "2026-03-01", "periods": [
    ///   {"period": {"fiscal_year": 2025, "quarter": 4}, "reported": {"values": {"nps": 40}},
    ///    "restated": {"values": {"nps": 30}}}]}"#).unwrap();
    /// let r = plan.clawback(&input).unwrap();
    /// assert_eq!(r.total_recoverable, 1000.0); // paid 2000 (maximum), restated 1000 (target)
    /// ```
    pub fn clawback(&self, input: &ClawbackInput) -> Result<ClawbackResult> {
        let cp = self.compile()?;
        let as_of = parse_date("as_of", &input.as_of)?;
        if input.periods.is_empty() {
            return Err(CxkpiError::EmptyInput {
                arg: "periods".into(),
            });
        }
        let n = self.clawback.lookback_fiscal_years;
        let fy = self.calendar.fiscal_year_of(as_of);
        let start = self.calendar.year_start(fy - n as i32)?;
        let mut lines = Vec::new();
        let mut totals: Vec<(NeumaierSum, NeumaierSum)> =
            vec![Default::default(); self.participants.len()];
        let mut grand = NeumaierSum::default();
        for (j, rp) in input.periods.iter().enumerate() {
            let (_, pend) = self.calendar.bounds(&rp.period)?;
            if input.periods[..j].iter().any(|o| o.period == rp.period) {
                return Err(CxkpiError::invalid(
                    &format!("periods[{j}].period"),
                    format!("{} is listed twice", label(&rp.period)),
                ));
            }
            if pend > as_of {
                return Err(CxkpiError::invalid(
                    &format!("periods[{j}].period"),
                    format!("{} ends {pend}, after as_of {as_of}: only completed periods can be restated", label(&rp.period)),
                ));
            }
            let mut reported = rp.reported.clone();
            reported.period = Some(rp.period);
            let restated = reported.overlay(&EvaluationInput {
                period: None,
                values: rp.restated.values.clone(),
                participant_values: rp.restated.participant_values.clone(),
                modifiers: BTreeMap::new(),
            });
            let a = self
                .evaluate_compiled(&cp, &reported)
                .map_err(|e| prefix(e, j, "reported"))?;
            let b = self
                .evaluate_compiled(&cp, &restated)
                .map_err(|e| prefix(e, j, "restated"))?;
            let in_window = pend >= start;
            for (i, (x, y)) in a.participants.iter().zip(&b.participants).enumerate() {
                let restated_values = x
                    .kpis
                    .iter()
                    .zip(&y.kpis)
                    .filter_map(|(u, v)| Some((u.kpi.clone(), u.value?, v.value?)))
                    .chain(
                        x.gates
                            .iter()
                            .zip(&y.gates)
                            .filter(|(u, _)| self.kpi_index(&u.kpi).is_none())
                            .map(|(u, v)| (u.kpi.clone(), u.value, v.value)),
                    )
                    .filter(|(_, r, s)| r.to_bits() != s.to_bits())
                    .map(|(kpi, reported, restated)| RestatedValue {
                        kpi,
                        reported,
                        restated,
                    })
                    .collect();
                let excess = (x.amount - y.amount).max(0.0);
                let rec = if in_window { excess } else { 0.0 };
                totals[i].0.add(rec);
                if !in_window {
                    totals[i].1.add(excess);
                }
                grand.add(rec);
                lines.push(ClawbackLine {
                    participant: x.participant.clone(),
                    period: label(&rp.period),
                    period_end: pend.to_string(),
                    in_lookback: in_window,
                    restated_values,
                    reported_factor: x.prorated_factor,
                    restated_factor: y.prorated_factor,
                    reported_amount: x.amount,
                    restated_amount: y.amount,
                    excess,
                    recoverable: rec,
                });
            }
        }
        Ok(ClawbackResult {
            plan_id: self.id.clone(),
            plan_version: self.version.clone(),
            as_of: as_of.to_string(),
            lookback_fiscal_years: n,
            lookback_start: start.to_string(),
            policy: "excess_over_restated".into(),
            lines,
            participants: self
                .participants
                .iter()
                .zip(&totals)
                .map(|(p, t)| ClawbackTotal {
                    participant: p.id.clone(),
                    recoverable: t.0.value(),
                    outside_window: t.1.value(),
                })
                .collect(),
            total_recoverable: grand.value(),
        })
    }
}

fn prefix(e: CxkpiError, j: usize, which: &str) -> CxkpiError {
    match e {
        CxkpiError::InvalidArgument { arg, message } => CxkpiError::InvalidArgument {
            arg: format!("periods[{j}].{which}.{arg}"),
            message,
        },
        e => e,
    }
}
