//! The plan document: KPIs with weights and curves, roles and participants, gates, caps, modifiers,
//! minimum-payout rules, periods and the clawback policy. Read from JSON or TOML with serde
//! (`deny_unknown_fields` everywhere), then [`IncentivePlan::validate`]d.

use super::curve::{Compiled, Curve};
use super::period::{parse_date, FiscalCalendar, Period};
use crate::error::{CxkpiError, Result};
use crate::options::option_enum;
use crate::scale::Direction;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The plan-document format version this build reads.
pub const PLAN_SCHEMA_VERSION: u32 = 1;

option_enum! {
    /// How a KPI is turned into a score before its curve. Only `target` may drive money.
    Scoring {
        /// The raw KPI value read against the plan's fixed thresholds and targets (the only one allowed).
        Target => "target",
        /// Min-max normalisation against the data (refused: data-relative).
        MinMax => "min_max",
        /// z-score against the data (refused: data-relative).
        Z => "z",
        /// Rank or percentile against peers (refused: data-relative).
        Rank => "rank",
    }
}

// The option_enum! macro owns the derives, so Default is written out.
#[allow(clippy::derivable_impls)]
impl Default for Scoring {
    fn default() -> Self {
        Scoring::Target
    }
}

option_enum! {
    /// Where the individual modifier is applied relative to the total cap and the gate caps.
    ModifierOrder {
        /// weighted sum × modifier, then the caps: the caps are hard limits (default).
        BeforeCaps => "before_caps",
        /// caps first, then × modifier: the modifier can lift a payout above the caps.
        AfterCaps => "after_caps",
    }
}

// The option_enum! macro owns the derives, so Default is written out.
#[allow(clippy::derivable_impls)]
impl Default for ModifierOrder {
    fn default() -> Self {
        ModifierOrder::BeforeCaps
    }
}

option_enum! {
    /// Pro-rating for partial participation.
    Proration {
        /// Days of participation inside the period / days of the period (default).
        Daily => "daily",
        /// No pro-rating: any participation pays in full.
        None => "none",
    }
}

// The option_enum! macro owns the derives, so Default is written out.
#[allow(clippy::derivable_impls)]
impl Default for Proration {
    fn default() -> Self {
        Proration::Daily
    }
}

option_enum! {
    /// What a gate does when its KPI misses the gate's threshold.
    GateEffect {
        /// Caps the total payout factor at `cap` (e.g. 0.5 = 50% of target), whatever the other KPIs did.
        CapTotal => "cap_total",
        /// Zeroes the total payout.
        ZeroTotal => "zero_total",
        /// Zeroes the components listed in `components`.
        ZeroComponents => "zero_components",
        /// Caps each component listed in `components` at `cap`.
        CapComponents => "cap_components",
    }
}

option_enum! {
    /// A minimum-payout rule on the final factor (before pro-rating).
    MinimumRule {
        /// Pays at least `factor` (unless a `zero_total` gate fired).
        Guaranteed => "guaranteed",
        /// Pays nothing when the factor is below `factor` (de minimis).
        Threshold => "threshold",
    }
}

/// One KPI of the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct KpiSpec {
    /// Identifier used in values, weights and gates.
    pub id: String,
    /// Display name.
    #[serde(default)]
    pub name: Option<String>,
    /// Free category, e.g. "financial", "customer".
    #[serde(default)]
    pub category: Option<String>,
    /// Weight in the plan (weights sum to 1; 0 for a gate-only KPI).
    pub weight: f64,
    /// Direction (default higher_is_better).
    #[serde(default)]
    pub direction: Direction,
    /// Scoring (default and only accepted: target).
    #[serde(default)]
    pub scoring: Scoring,
    /// The target value, for the attainment ratio in the trail (defaults to the curve's target).
    #[serde(default)]
    pub target: Option<f64>,
    /// The payout curve.
    pub curve: Curve,
    /// Cap on this KPI's curve payout (a factor, e.g. 1.5).
    #[serde(default)]
    pub cap: Option<f64>,
}

/// A target bonus: a fixed amount, or a percentage of base salary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct TargetBonus {
    /// A fixed amount.
    #[serde(default)]
    pub amount: Option<f64>,
    /// Percent of base salary (15 = 15%).
    #[serde(default)]
    pub percent_of_base: Option<f64>,
    /// The base salary that `percent_of_base` applies to.
    #[serde(default)]
    pub base_salary: Option<f64>,
}

impl TargetBonus {
    /// The target amount; `arg` names it in errors.
    pub fn resolve(&self, arg: &str) -> Result<f64> {
        let chk = |name: &str, v: f64| {
            if v.is_finite() && v >= 0.0 {
                Ok(v)
            } else {
                Err(CxkpiError::invalid(
                    &format!("{arg}.{name}"),
                    format!("must be finite and >= 0, got {v}"),
                ))
            }
        };
        match (self.amount, self.percent_of_base, self.base_salary) {
            (Some(a), None, None) => chk("amount", a),
            (None, Some(p), Some(b)) => {
                Ok(chk("base_salary", b)? * chk("percent_of_base", p)? / 100.0)
            }
            (None, Some(_), None) => Err(CxkpiError::invalid(
                arg,
                "percent_of_base needs base_salary",
            )),
            _ => Err(CxkpiError::invalid(
                arg,
                "give either `amount` or `percent_of_base` with `base_salary`",
            )),
        }
    }
}

/// A role: a default target bonus and its own KPI weights (e.g. frontline staff weighted on their own goals).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Role {
    /// Identifier.
    pub id: String,
    /// Default target bonus of the role's participants.
    #[serde(default)]
    pub target_bonus: Option<TargetBonus>,
    /// KPI weights for this role (kpi id -> weight; must sum to 1); absent = the plan weights.
    #[serde(default)]
    pub weights: Option<BTreeMap<String, f64>>,
}

/// A participant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Participant {
    /// Identifier.
    pub id: String,
    /// Role id.
    #[serde(default)]
    pub role: Option<String>,
    /// Target bonus (overrides the role's).
    #[serde(default)]
    pub target_bonus: Option<TargetBonus>,
    /// Individual modifier (default 1).
    #[serde(default)]
    pub modifier: Option<f64>,
    /// First day in the plan (ISO); absent = from the period start.
    #[serde(default)]
    pub start_date: Option<String>,
    /// Last day in the plan (ISO); absent = to the period end.
    #[serde(default)]
    pub end_date: Option<String>,
}

/// A gate or floor: when the KPI `kpi` is worse than `threshold`, `effect` applies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gate {
    /// Identifier.
    pub id: String,
    /// The KPI whose value is tested (a plan KPI, or any value passed in).
    pub kpi: String,
    /// The floor: a value exactly at it passes.
    pub threshold: f64,
    /// Direction of the test (default: the plan KPI's direction, else higher_is_better).
    #[serde(default)]
    pub direction: Option<Direction>,
    /// What a miss does.
    pub effect: GateEffect,
    /// The cap factor for `cap_total` / `cap_components`.
    #[serde(default)]
    pub cap: Option<f64>,
    /// The components for `zero_components` / `cap_components`.
    #[serde(default)]
    pub components: Vec<String>,
}

/// A minimum-payout rule.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MinimumPayout {
    /// `guaranteed` or `threshold`.
    pub rule: MinimumRule,
    /// The factor (e.g. 0.25 = 25% of target).
    pub factor: f64,
}

fn three() -> u32 {
    3
}

/// The clawback policy.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClawbackPolicy {
    /// Completed fiscal years before the restatement date that can be recovered (default 3, SEC Rule 10D-1).
    #[serde(default = "three")]
    pub lookback_fiscal_years: u32,
}

impl Default for ClawbackPolicy {
    fn default() -> Self {
        ClawbackPolicy {
            lookback_fiscal_years: 3,
        }
    }
}

fn schema_one() -> u32 {
    PLAN_SCHEMA_VERSION
}
fn v1() -> String {
    "1".into()
}

/// An incentive plan document (JSON or TOML).
///
/// ```
/// use cxkpi::incentive::{IncentivePlan, EvaluationInput};
/// let plan = IncentivePlan::from_json(r#"{
///   "id": "exec-2025", "version": "2025.1", "period": {"fiscal_year": 2025},
///   "kpis": [
///     {"id": "revenue", "weight": 0.6, "curve": {"type": "threshold_target_maximum",
///      "threshold": 90, "target": 100, "maximum": 110}},
///     {"id": "nps", "weight": 0.4, "curve": {"type": "threshold_target_maximum",
///      "threshold": 20, "target": 30, "maximum": 40}}
///   ],
///   "gates": [{"id": "nps_floor", "kpi": "nps", "threshold": 20, "effect": "cap_total", "cap": 0.5}],
///   "participants": [{"id": "ceo", "target_bonus": {"amount": 100000}}]
/// }"#).unwrap();
/// let input = EvaluationInput::from_values(&[("revenue", 110.0), ("nps", 15.0)]);
/// let r = plan.evaluate(&input).unwrap();
/// // revenue at maximum pays 2.0 x 0.6 = 1.2, NPS below threshold pays 0; the NPS floor caps at 0.5.
/// assert_eq!(r.participants[0].factor, 0.5);
/// assert_eq!(r.participants[0].amount, 50000.0);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct IncentivePlan {
    /// Format version of the document (must be 1).
    #[serde(default = "schema_one")]
    pub schema_version: u32,
    /// Plan identifier.
    pub id: String,
    /// The plan's own version, recorded in every result.
    #[serde(default = "v1")]
    pub version: String,
    /// Display name.
    #[serde(default)]
    pub name: Option<String>,
    /// Currency of the amounts.
    #[serde(default)]
    pub currency: Option<String>,
    /// Fiscal calendar.
    #[serde(default)]
    pub calendar: FiscalCalendar,
    /// The plan period (evaluation inputs may name another one).
    #[serde(default)]
    pub period: Option<Period>,
    /// The KPIs.
    pub kpis: Vec<KpiSpec>,
    /// Roles.
    #[serde(default)]
    pub roles: Vec<Role>,
    /// Participants.
    #[serde(default)]
    pub participants: Vec<Participant>,
    /// Gates and floors.
    #[serde(default)]
    pub gates: Vec<Gate>,
    /// Cap on the total payout factor (e.g. 2.0 = 200% of target).
    #[serde(default)]
    pub total_cap: Option<f64>,
    /// Minimum-payout rule.
    #[serde(default)]
    pub minimum_payout: Option<MinimumPayout>,
    /// Modifier order against the caps.
    #[serde(default)]
    pub modifier_order: ModifierOrder,
    /// Allowed range of individual modifiers, e.g. [0.8, 1.2] (a modifier outside is an error).
    #[serde(default)]
    pub modifier_bounds: Option<(f64, f64)>,
    /// Pro-rating policy.
    #[serde(default)]
    pub proration: Proration,
    /// Clawback policy.
    #[serde(default)]
    pub clawback: ClawbackPolicy,
}

/// A validated plan, compiled for evaluation.
#[derive(Debug, Clone)]
pub(crate) struct CompiledPlan {
    pub curves: Vec<Compiled>,
    /// Weight vectors: index 0 = plan weights, then one per role that has its own.
    pub weight_sets: Vec<Vec<f64>>,
    /// role id -> (weight set index, target bonus)
    pub roles: BTreeMap<String, (usize, Option<f64>)>,
    /// per gate: direction and, when the tested KPI is a plan KPI, its index
    pub gates: Vec<(Direction, Option<usize>, Vec<usize>)>,
}

pub(crate) fn finite(arg: &str, v: f64) -> Result<f64> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(CxkpiError::invalid(
            arg,
            format!("must be a finite number, got {v}"),
        ))
    }
}

fn check_weights(arg: &str, w: &[f64], ids: &[&str]) -> Result<()> {
    for (i, &x) in w.iter().enumerate() {
        if !x.is_finite() || x < 0.0 {
            return Err(CxkpiError::InvalidWeight {
                arg: format!("{arg}.{}", ids[i]),
                index: i,
                value: x,
                reason: "weights must be finite and >= 0".into(),
            });
        }
    }
    let s = crate::stats::NeumaierSum::of(w);
    if (s - 1.0).abs() > 1e-9 {
        return Err(CxkpiError::invalid(
            arg,
            format!("the KPI weights sum to {s}, they must sum to 1"),
        ));
    }
    Ok(())
}

impl IncentivePlan {
    /// Reads a plan from JSON text and validates it.
    pub fn from_json(text: &str) -> Result<Self> {
        let p: IncentivePlan = serde_json::from_str(text)
            .map_err(|e| CxkpiError::invalid("plan", format!("not a valid plan document: {e}")))?;
        p.validate()?;
        Ok(p)
    }

    /// Reads a plan from a JSON value and validates it.
    pub fn from_value(v: &serde_json::Value) -> Result<Self> {
        let p: IncentivePlan = serde_json::from_value(v.clone())
            .map_err(|e| CxkpiError::invalid("plan", format!("not a valid plan document: {e}")))?;
        p.validate()?;
        Ok(p)
    }

    /// Reads a plan from TOML text and validates it.
    pub fn from_toml(text: &str) -> Result<Self> {
        let p: IncentivePlan = toml::from_str(text).map_err(|e| {
            CxkpiError::invalid("plan", format!("not a valid TOML plan document: {e}"))
        })?;
        p.validate()?;
        Ok(p)
    }

    /// The plan as JSON text.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a plan always serialises")
    }

    /// Index of a KPI by id.
    pub fn kpi_index(&self, id: &str) -> Option<usize> {
        self.kpis.iter().position(|k| k.id == id)
    }

    /// Checks every guard rail: schema version, unique ids, no data-relative scoring, weights summing to 1,
    /// curve points ordered for the KPI's direction, gates naming known components, caps and modifiers
    /// that make sense, dates that parse.
    pub fn validate(&self) -> Result<()> {
        self.compile().map(|_| ())
    }

    pub(crate) fn compile(&self) -> Result<CompiledPlan> {
        if self.schema_version != PLAN_SCHEMA_VERSION {
            return Err(CxkpiError::Unsupported {
                message: format!(
                    "plan schema_version {} is not supported (this build reads {PLAN_SCHEMA_VERSION})",
                    self.schema_version
                ),
            });
        }
        if self.id.is_empty() {
            return Err(CxkpiError::invalid("id", "the plan needs an id"));
        }
        self.calendar.validate()?;
        if let Some(p) = &self.period {
            self.calendar.bounds(p)?;
        }
        if self.kpis.is_empty() {
            return Err(CxkpiError::EmptyInput { arg: "kpis".into() });
        }
        let mut curves = Vec::with_capacity(self.kpis.len());
        for (i, k) in self.kpis.iter().enumerate() {
            if k.id.is_empty() {
                return Err(CxkpiError::invalid(
                    &format!("kpis[{i}].id"),
                    "must not be empty",
                ));
            }
            if self.kpis[..i].iter().any(|o| o.id == k.id) {
                return Err(CxkpiError::invalid(
                    &format!("kpis[{i}].id"),
                    format!("duplicate KPI id \"{}\"", k.id),
                ));
            }
            if k.scoring != Scoring::Target {
                return Err(CxkpiError::Unsupported {
                    message: format!(
                        "kpis[{i}] (\"{}\"): scoring \"{}\" is data-relative normalisation; it is for benchmarking and may not drive a payout (use scoring \"target\" with fixed thresholds)",
                        k.id, k.scoring
                    ),
                });
            }
            if let Some(t) = k.target {
                finite(&format!("kpis[{i}].target"), t)?;
            }
            if let Some(c) = k.cap {
                if !(c.is_finite() && c >= 0.0) {
                    return Err(CxkpiError::invalid(
                        &format!("kpis[{i}].cap"),
                        format!("must be finite and >= 0, got {c}"),
                    ));
                }
            }
            curves.push(k.curve.compile(&format!("kpis[{i}].curve"), k.direction)?);
        }
        let ids: Vec<&str> = self.kpis.iter().map(|k| k.id.as_str()).collect();
        let plan_w: Vec<f64> = self.kpis.iter().map(|k| k.weight).collect();
        check_weights("kpis.weight", &plan_w, &ids)?;
        let mut weight_sets = vec![plan_w];
        let mut roles = BTreeMap::new();
        for (r, role) in self.roles.iter().enumerate() {
            if roles.contains_key(&role.id) {
                return Err(CxkpiError::invalid(
                    &format!("roles[{r}].id"),
                    format!("duplicate role id \"{}\"", role.id),
                ));
            }
            let set = match &role.weights {
                None => 0,
                Some(map) => {
                    let mut w = vec![0.0; self.kpis.len()];
                    for (kid, &x) in map {
                        let j = self.kpi_index(kid).ok_or_else(|| {
                            CxkpiError::invalid(
                                &format!("roles[{r}].weights"),
                                format!("unknown KPI \"{kid}\""),
                            )
                        })?;
                        w[j] = x;
                    }
                    check_weights(&format!("roles[{r}].weights"), &w, &ids)?;
                    weight_sets.push(w);
                    weight_sets.len() - 1
                }
            };
            let tb = match &role.target_bonus {
                Some(t) => Some(t.resolve(&format!("roles[{r}].target_bonus"))?),
                None => None,
            };
            roles.insert(role.id.clone(), (set, tb));
        }
        let mut gates = Vec::with_capacity(self.gates.len());
        for (g, gate) in self.gates.iter().enumerate() {
            let arg = format!("gates[{g}]");
            if self.gates[..g].iter().any(|o| o.id == gate.id) {
                return Err(CxkpiError::invalid(
                    &format!("{arg}.id"),
                    format!("duplicate gate id \"{}\"", gate.id),
                ));
            }
            finite(&format!("{arg}.threshold"), gate.threshold)?;
            let kpi = self.kpi_index(&gate.kpi);
            let dir = gate
                .direction
                .or(kpi.map(|j| self.kpis[j].direction))
                .unwrap_or_default();
            let needs_cap = matches!(
                gate.effect,
                GateEffect::CapTotal | GateEffect::CapComponents
            );
            match gate.cap {
                Some(c) if needs_cap && !(c.is_finite() && c >= 0.0) => {
                    return Err(CxkpiError::invalid(
                        &format!("{arg}.cap"),
                        format!("must be finite and >= 0, got {c}"),
                    ))
                }
                None if needs_cap => {
                    return Err(CxkpiError::invalid(
                        &format!("{arg}.cap"),
                        format!("effect \"{}\" needs a cap", gate.effect),
                    ))
                }
                Some(_) if !needs_cap => {
                    return Err(CxkpiError::invalid(
                        &format!("{arg}.cap"),
                        format!("effect \"{}\" takes no cap", gate.effect),
                    ))
                }
                _ => {}
            }
            let needs_comp = matches!(
                gate.effect,
                GateEffect::ZeroComponents | GateEffect::CapComponents
            );
            if needs_comp && gate.components.is_empty() {
                return Err(CxkpiError::EmptyInput {
                    arg: format!("{arg}.components"),
                });
            }
            if !needs_comp && !gate.components.is_empty() {
                return Err(CxkpiError::invalid(
                    &format!("{arg}.components"),
                    format!("effect \"{}\" takes no components", gate.effect),
                ));
            }
            let mut comps = Vec::new();
            for c in &gate.components {
                comps.push(self.kpi_index(c).ok_or_else(|| {
                    CxkpiError::invalid(
                        &format!("{arg}.components"),
                        format!("unknown KPI \"{c}\""),
                    )
                })?);
            }
            gates.push((dir, kpi, comps));
        }
        if let Some(c) = self.total_cap {
            if !(c.is_finite() && c >= 0.0) {
                return Err(CxkpiError::invalid(
                    "total_cap",
                    format!("must be finite and >= 0, got {c}"),
                ));
            }
        }
        if let Some(m) = &self.minimum_payout {
            if !(m.factor.is_finite() && m.factor >= 0.0) {
                return Err(CxkpiError::invalid(
                    "minimum_payout.factor",
                    format!("must be finite and >= 0, got {}", m.factor),
                ));
            }
            if let (MinimumRule::Guaranteed, Some(cap)) = (m.rule, self.total_cap) {
                if m.factor > cap {
                    return Err(CxkpiError::invalid(
                        "minimum_payout.factor",
                        format!("guaranteed {} exceeds total_cap {cap}", m.factor),
                    ));
                }
            }
        }
        if let Some((lo, hi)) = self.modifier_bounds {
            if !(lo.is_finite() && hi.is_finite() && 0.0 <= lo && lo <= hi) {
                return Err(CxkpiError::invalid(
                    "modifier_bounds",
                    format!("need 0 <= lower <= upper, got [{lo}, {hi}]"),
                ));
            }
        }
        for (i, p) in self.participants.iter().enumerate() {
            let arg = format!("participants[{i}]");
            if self.participants[..i].iter().any(|o| o.id == p.id) {
                return Err(CxkpiError::invalid(
                    &format!("{arg}.id"),
                    format!("duplicate participant id \"{}\"", p.id),
                ));
            }
            if let Some(r) = &p.role {
                if !roles.contains_key(r) {
                    return Err(CxkpiError::invalid(
                        &format!("{arg}.role"),
                        format!("unknown role \"{r}\""),
                    ));
                }
            }
            self.target_of(p, &roles, &arg)?;
            if let Some(m) = p.modifier {
                self.check_modifier(&format!("{arg}.modifier"), m)?;
            }
            let s = p
                .start_date
                .as_deref()
                .map(|d| parse_date(&format!("{arg}.start_date"), d))
                .transpose()?;
            let e = p
                .end_date
                .as_deref()
                .map(|d| parse_date(&format!("{arg}.end_date"), d))
                .transpose()?;
            if let (Some(s), Some(e)) = (s, e) {
                if e < s {
                    return Err(CxkpiError::invalid(
                        &format!("{arg}.end_date"),
                        format!("{e} is before start_date {s}"),
                    ));
                }
            }
        }
        Ok(CompiledPlan {
            curves,
            weight_sets,
            roles,
            gates,
        })
    }

    pub(crate) fn check_modifier(&self, arg: &str, m: f64) -> Result<f64> {
        if !(m.is_finite() && m >= 0.0) {
            return Err(CxkpiError::invalid(
                arg,
                format!("must be finite and >= 0, got {m}"),
            ));
        }
        if let Some((lo, hi)) = self.modifier_bounds {
            if m < lo || m > hi {
                return Err(CxkpiError::invalid(
                    arg,
                    format!("{m} is outside modifier_bounds [{lo}, {hi}]"),
                ));
            }
        }
        Ok(m)
    }

    pub(crate) fn target_of(
        &self,
        p: &Participant,
        roles: &BTreeMap<String, (usize, Option<f64>)>,
        arg: &str,
    ) -> Result<f64> {
        if let Some(t) = &p.target_bonus {
            return t.resolve(&format!("{arg}.target_bonus"));
        }
        if let Some(Some(t)) = p.role.as_ref().and_then(|r| roles.get(r)).map(|x| x.1) {
            return Ok(t);
        }
        Err(CxkpiError::invalid(
            &format!("{arg}.target_bonus"),
            format!(
                "participant \"{}\" has no target bonus (none on the participant or its role)",
                p.id
            ),
        ))
    }
}
