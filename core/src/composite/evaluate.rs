//! Evaluation of a scorecard on observations: period aggregation, scoring, aggregation up the tree,
//! ranks, roll-ups by business unit / segment / region, and the explanation chain.

use super::document::{Compiled, KpiDef, Scorecard};
use super::score::{
    bounded, kpi_status, node_status, normalise_with, slope_test, MeanAcc, NormParams, SlopeTest,
    ThresholdScorer,
};
use super::{
    Aggregation, Inclusivity, MissingKpiPolicy, NormalisationMethod, PeriodAggregation,
    ScoringMethod, Status, ZeroPolicy, ZeroRangePolicy,
};
use crate::error::{CxkpiError, Result};
use crate::options::{value_to_f64, OptionReader, Options};
use crate::stats::NeumaierSum;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

/// KPI observations in long form: one row per (unit, kpi, period). `value` NaN = missing (counted).
/// Ratio KPIs (`ratio_of_sums`, `mean_of_ratios`) read `numerator` and `denominator` instead of `value`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Observations {
    pub unit: Vec<String>,
    pub kpi: Vec<String>,
    pub period: Vec<String>,
    pub value: Vec<f64>,
    pub numerator: Option<Vec<f64>>,
    pub denominator: Option<Vec<f64>>,
}

fn num_or_nan(v: &Value, arg: &str) -> Result<f64> {
    if v.is_null() {
        return Ok(f64::NAN);
    }
    value_to_f64(v).ok_or_else(|| CxkpiError::invalid(arg, format!("expected a number, got {v}")))
}

fn str_col(v: &Value, arg: &str) -> Result<Vec<String>> {
    let a = v
        .as_array()
        .ok_or_else(|| CxkpiError::invalid(arg, "expected an array of strings"))?;
    a.iter()
        .enumerate()
        .map(|(i, x)| match x {
            Value::String(s) => Ok(s.clone()),
            Value::Number(n) => Ok(n.to_string()),
            _ => Err(CxkpiError::invalid(
                &format!("{arg}[{i}]"),
                format!("expected a string, got {x}"),
            )),
        })
        .collect()
}

fn num_col(v: &Value, arg: &str) -> Result<Vec<f64>> {
    let a = v
        .as_array()
        .ok_or_else(|| CxkpiError::invalid(arg, "expected an array of numbers"))?;
    a.iter()
        .enumerate()
        .map(|(i, x)| num_or_nan(x, &format!("{arg}[{i}]")))
        .collect()
}

impl Observations {
    /// From (unit, kpi, period, value) rows.
    pub fn from_rows(rows: &[(&str, &str, &str, f64)]) -> Observations {
        let mut o = Observations::default();
        for (u, k, p, v) in rows {
            o.unit.push(u.to_string());
            o.kpi.push(k.to_string());
            o.period.push(p.to_string());
            o.value.push(*v);
        }
        o
    }

    /// From JSON: either columns `{"unit": [...], "kpi": [...], "period": [...], "value": [...],
    /// "numerator": [...], "denominator": [...]}` (period, value, numerator and denominator optional; null =
    /// missing), or a nested map `{unit: {kpi: value}}` (one period, "") or `{unit: {kpi: {period: value}}}`.
    pub fn from_value(v: &Value) -> Result<Observations> {
        let m = v.as_object().ok_or_else(|| {
            CxkpiError::invalid(
                "values",
                "expected an object (columns or {unit: {kpi: value}})",
            )
        })?;
        if m.contains_key("unit") && m.get("unit").is_some_and(Value::is_array) {
            let known = ["unit", "kpi", "period", "value", "numerator", "denominator"];
            if let Some(k) = m.keys().find(|k| !known.contains(&k.as_str())) {
                return Err(CxkpiError::invalid(
                    &format!("values.{k}"),
                    "unknown column (expected unit, kpi, period, value, numerator, denominator)",
                ));
            }
            let unit = str_col(&m["unit"], "values.unit")?;
            let n = unit.len();
            let kpi = str_col(
                m.get("kpi")
                    .ok_or_else(|| CxkpiError::invalid("values.kpi", "column missing"))?,
                "values.kpi",
            )?;
            let period = match m.get("period") {
                Some(p) if !p.is_null() => str_col(p, "values.period")?,
                _ => vec![String::new(); n],
            };
            let numerator = match m.get("numerator") {
                Some(p) if !p.is_null() => Some(num_col(p, "values.numerator")?),
                _ => None,
            };
            let denominator = match m.get("denominator") {
                Some(p) if !p.is_null() => Some(num_col(p, "values.denominator")?),
                _ => None,
            };
            let value = match m.get("value") {
                Some(p) if !p.is_null() => num_col(p, "values.value")?,
                _ => vec![f64::NAN; n],
            };
            let o = Observations {
                unit,
                kpi,
                period,
                value,
                numerator,
                denominator,
            };
            o.check_lengths()?;
            return Ok(o);
        }
        let mut o = Observations::default();
        for (u, kv) in m {
            let km = kv.as_object().ok_or_else(|| {
                CxkpiError::invalid(&format!("values.{u}"), "expected an object {kpi: value}")
            })?;
            for (k, x) in km {
                match x {
                    Value::Object(pm) => {
                        for (p, y) in pm {
                            o.unit.push(u.clone());
                            o.kpi.push(k.clone());
                            o.period.push(p.clone());
                            o.value.push(num_or_nan(y, &format!("values.{u}.{k}.{p}"))?);
                        }
                    }
                    y => {
                        o.unit.push(u.clone());
                        o.kpi.push(k.clone());
                        o.period.push(String::new());
                        o.value.push(num_or_nan(y, &format!("values.{u}.{k}"))?);
                    }
                }
            }
        }
        Ok(o)
    }

    fn check_lengths(&self) -> Result<()> {
        let n = self.unit.len();
        let mut cols = vec![
            ("kpi", self.kpi.len()),
            ("period", self.period.len()),
            ("value", self.value.len()),
        ];
        if let Some(x) = &self.numerator {
            cols.push(("numerator", x.len()));
        }
        if let Some(x) = &self.denominator {
            cols.push(("denominator", x.len()));
        }
        for (name, len) in cols {
            if len != n {
                return Err(CxkpiError::LengthMismatch {
                    arg: format!("values.{name}"),
                    len,
                    other: "values.unit".into(),
                    other_len: n,
                });
            }
        }
        Ok(())
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.unit.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.unit.is_empty()
    }
}

/// Options of [`Scorecard::evaluate`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EvaluateOptions {
    /// Evaluate as of this period (inclusive; periods compare as text, so use ISO forms like "2026-03" or
    /// "2026-Q1"). Default: every period. Also decides which definitions are effective.
    pub as_of: Option<String>,
}

impl EvaluateOptions {
    /// Reads `as_of`; unknown keys are errors.
    pub fn from_options(o: &Options) -> Result<EvaluateOptions> {
        let mut r = OptionReader::new(o);
        let e = EvaluateOptions {
            as_of: r.str("as_of")?.map(str::to_string),
        };
        r.finish()?;
        Ok(e)
    }
}

/// The policies an evaluation used (recorded in every result).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Policies {
    pub scoring: ScoringMethod,
    pub normalisation: Option<NormalisationMethod>,
    pub zero_range: Option<ZeroRangePolicy>,
    pub aggregation: Aggregation,
    pub zero_policy: ZeroPolicy,
    pub missing_kpi: MissingKpiPolicy,
    pub inclusivity: Inclusivity,
    pub score_max: f64,
    pub unit_aggregation: Aggregation,
}

/// One KPI or node for one unit: the chain raw → normalised → score → weight → contribution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemResult {
    /// "kpi" or "node".
    pub kind: String,
    pub parent: Option<String>,
    /// Depth in the tree (root 0).
    pub level: u32,
    /// Period-aggregated value (KPIs; the slope for directional KPIs).
    pub raw: Option<f64>,
    /// Position on [0, 1] of the score scale (target scoring) or the normalisation's value.
    pub normalised: Option<f64>,
    /// Score on 0..score_max (nodes: the aggregate of their children).
    pub score: Option<f64>,
    pub status: Status,
    /// Declared weight among siblings.
    pub weight: f64,
    /// Weight share within the parent for this unit after the missing policy (None when missing).
    pub effective_weight: Option<f64>,
    /// Contribution to the parent: w·score (arithmetic; they sum to the parent), score^w (geometric; they
    /// multiply to it), w/score (harmonic; the parent is 1 / their sum).
    pub contribution: Option<f64>,
    /// No value (the missing-KPI policy decided what happened).
    pub missing: bool,
    /// Periods that went into the value.
    pub n_periods: u32,
    /// Aggregation of a node's children.
    pub aggregation: Option<Aggregation>,
    /// Whether the definition is effective at `as_of` (a KPI that is not has weight 0 here).
    pub effective: bool,
    /// The slope test of a directional KPI.
    pub trend: Option<SlopeTest>,
}

/// One unit's composite and items.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitResult {
    /// The root score.
    pub composite: Option<f64>,
    pub status: Status,
    /// 1 = best; ties share the smallest rank; None when the composite is missing.
    pub rank: Option<u32>,
    pub n_missing_kpis: u32,
    pub business_unit: Option<String>,
    pub segment: Option<String>,
    pub region: Option<String>,
    pub items: BTreeMap<String, ItemResult>,
}

/// One roll-up group: every node aggregated across the group's units.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RollupGroup {
    pub n_units: u32,
    /// Units whose composite is missing (left out, weights renormalised).
    pub n_missing: u32,
    pub composite: Option<f64>,
    pub status: Status,
    /// Every node's value across the group's units.
    pub nodes: BTreeMap<String, Option<f64>>,
}

/// Counts of the observation rows.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RowCounts {
    pub n_rows: u64,
    pub n_used: u64,
    /// NaN values (excluded).
    pub n_missing_values: u64,
    /// Rows after `as_of` (excluded).
    pub n_after_as_of: u64,
}

/// The result of [`Scorecard::evaluate`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScorecardResult {
    pub scorecard_id: String,
    pub version: String,
    pub as_of: Option<String>,
    pub root: String,
    pub policies: Policies,
    pub counts: RowCounts,
    pub units: BTreeMap<String, UnitResult>,
    /// dimension ("business_unit", "segment", "region") → group → roll-up.
    pub rollups: BTreeMap<String, BTreeMap<String, RollupGroup>>,
}

/// The result of [`Scorecard::evaluate_columns`]: per unit (in column order) the composite and every node.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnsResult {
    pub composite: Vec<Option<f64>>,
    /// node id -> its value per unit.
    pub nodes: BTreeMap<String, Vec<Option<f64>>>,
}

/// One step of an explanation chain (from a KPI up to the root).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExplainStep {
    pub id: String,
    pub kind: String,
    pub raw: Option<f64>,
    pub normalised: Option<f64>,
    pub score: Option<f64>,
    pub status: Status,
    pub weight: f64,
    pub effective_weight: Option<f64>,
    pub contribution: Option<f64>,
    pub parent: Option<String>,
    pub parent_aggregation: Option<Aggregation>,
    /// A sentence a reviewer can read.
    pub text: String,
}

fn fmt_opt(x: Option<f64>) -> String {
    match x {
        Some(v) => format!("{v:.4}"),
        None => "missing".into(),
    }
}

impl ScorecardResult {
    /// The chain from item `id` (KPI or node) of `unit` up to the root.
    pub fn explain(&self, unit: &str, id: &str) -> Result<Vec<ExplainStep>> {
        let u = self
            .units
            .get(unit)
            .ok_or_else(|| CxkpiError::invalid("unit", format!("unknown unit \"{unit}\"")))?;
        let mut cur = id.to_string();
        if !u.items.contains_key(&cur) {
            return Err(CxkpiError::invalid(
                "kpi",
                format!("unknown KPI or node id \"{id}\""),
            ));
        }
        let mut out = Vec::new();
        loop {
            let it = &u.items[&cur];
            let parent_agg = it.parent.as_ref().and_then(|p| u.items[p].aggregation);
            let text = match &it.parent {
                None => format!(
                    "{cur} ({}) = {} [{}]",
                    it.kind,
                    fmt_opt(it.score),
                    it.status
                ),
                Some(p) => format!(
                    "{cur} ({}): {}score {} [{}] x weight {} (share {}) -> contribution {} to {p} ({})",
                    it.kind,
                    if it.kind == "kpi" {
                        format!(
                            "raw {} -> normalised {} -> ",
                            fmt_opt(it.raw),
                            fmt_opt(it.normalised)
                        )
                    } else {
                        String::new()
                    },
                    fmt_opt(it.score),
                    it.status,
                    it.weight,
                    fmt_opt(it.effective_weight),
                    fmt_opt(it.contribution),
                    parent_agg.map(|a| a.to_string()).unwrap_or_default()
                ),
            };
            out.push(ExplainStep {
                id: cur.clone(),
                kind: it.kind.clone(),
                raw: it.raw,
                normalised: it.normalised,
                score: it.score,
                status: it.status,
                weight: it.weight,
                effective_weight: it.effective_weight,
                contribution: it.contribution,
                parent: it.parent.clone(),
                parent_aggregation: parent_agg,
                text,
            });
            match &it.parent {
                Some(p) => cur = p.clone(),
                None => break,
            }
        }
        Ok(out)
    }
}

/// Scored KPI matrices of one evaluation (column-major: one vector over units per KPI).
pub(crate) struct Scored {
    pub units: Vec<String>,
    /// raw[k][u]
    pub raw: Vec<Vec<f64>>,
    pub normalised: Vec<Vec<f64>>,
    pub score: Vec<Vec<f64>>,
    pub n_periods: Vec<Vec<u32>>,
    pub trend: Vec<Vec<Option<SlopeTest>>>,
    /// Effective KPI weights (0 for definitions not in effect).
    pub weight: Vec<f64>,
    pub effective: Vec<bool>,
    pub counts: RowCounts,
}

/// Aggregates node values bottom-up, column-major. Returns the values of every item (KPIs' scores
/// copied) indexed by item.
pub(crate) fn aggregate_tree(
    c: &Compiled,
    kpi_scores: &[Vec<f64>],
    weight: &[f64],
    aggregation: &[Aggregation],
    missing: MissingKpiPolicy,
    zero: ZeroPolicy,
    n_units: usize,
    out: &mut Vec<Vec<f64>>,
) -> Result<()> {
    let n_k = c.n_kpis;
    out.resize(c.ids.len() - n_k, Vec::new());
    // complete[item]: a value for every unit (so an arithmetic node over complete children is a plain
    // weighted sum with one denominator, computed column by column).
    let mut complete: Vec<bool> = kpi_scores
        .iter()
        .map(|col| !col.iter().any(|x| x.is_nan()))
        .collect();
    complete.resize(c.ids.len(), false);
    let mut acc = vec![MeanAcc::default(); n_units];
    let (mut num, mut lo, mut hi) = (vec![0.0; n_units], vec![0.0; n_units], vec![0.0; n_units]);
    for &nd in &c.node_order {
        let method = aggregation[nd];
        let kids = &c.children[nd];
        let col = |ch: usize| -> &[f64] {
            if ch < n_k {
                &kpi_scores[ch]
            } else {
                &out[ch - n_k]
            }
        };
        if method == Aggregation::Arithmetic
            && kids.iter().all(|&ch| weight[ch] == 0.0 || complete[ch])
        {
            num.iter_mut().for_each(|x| *x = 0.0);
            lo.iter_mut().for_each(|x| *x = f64::INFINITY);
            hi.iter_mut().for_each(|x| *x = f64::NEG_INFINITY);
            let mut den = 0.0;
            for &ch in kids {
                let w = weight[ch];
                if w == 0.0 {
                    continue;
                }
                den += w;
                for (((n, l), h), &x) in num.iter_mut().zip(&mut lo).zip(&mut hi).zip(col(ch)) {
                    *n += w * x;
                    *l = l.min(x);
                    *h = h.max(x);
                }
            }
            let v: Vec<f64> = num
                .iter()
                .zip(&lo)
                .zip(&hi)
                .map(|((n, l), h)| (n / den).clamp(*l, *h))
                .collect();
            out[nd - n_k] = v;
            complete[nd] = true;
            continue;
        }
        acc.iter_mut().for_each(|a| *a = MeanAcc::default());
        for &ch in kids {
            let w = weight[ch];
            let xs = col(ch);
            for (u, (a, &x)) in acc.iter_mut().zip(xs).enumerate() {
                a.push(x, w, method, missing, zero).map_err(|m| {
                    if x.is_nan() {
                        CxkpiError::MissingValue {
                            arg: format!(
                                "\"{}\" for unit #{u} in node \"{}\"",
                                c.ids[ch], c.ids[nd]
                            ),
                            index: u,
                        }
                    } else {
                        CxkpiError::invalid(
                            &format!("\"{}\" for unit #{u} in node \"{}\"", c.ids[ch], c.ids[nd]),
                            m,
                        )
                    }
                })?;
            }
        }
        let v: Vec<f64> = acc
            .iter()
            .map(|a| a.finish(method, missing).unwrap_or(f64::NAN))
            .collect();
        complete[nd] = !v.iter().any(|x| x.is_nan());
        out[nd - n_k] = v;
    }
    Ok(())
}

/// Text order of periods with a `year` prefix for ytd.
fn year_of(p: &str) -> &str {
    p.get(..4).unwrap_or(p)
}

impl Scorecard {
    /// Scores every unit: period aggregation, scoring, aggregation up the tree, ranks and roll-ups.
    ///
    /// ```
    /// use cxkpi::composite::{Scorecard, Observations};
    /// let sc = Scorecard::from_toml(r#"
    /// id = "demo"
    /// [[kpis]]
    /// id = "csat"
    /// thresholds = { red_flag = 0.6, target = 0.8 }
    /// "#).unwrap();
    /// let r = sc.evaluate(&Observations::from_rows(&[("a", "csat", "", 0.7)]), &Default::default()).unwrap();
    /// assert!((r.units["a"].items["csat"].score.unwrap() - 5.0).abs() < 1e-12);
    /// ```
    pub fn evaluate(&self, obs: &Observations, opts: &EvaluateOptions) -> Result<ScorecardResult> {
        let c = self.compile()?;
        let scored = self.score_units(&c, obs, opts)?;
        let n_u = scored.units.len();
        let s = &self.settings;
        let mut vals = Vec::new();
        aggregate_tree(
            &c,
            &scored.score,
            &scored.weight,
            &c.aggregation,
            s.missing_kpi,
            s.zero_policy,
            n_u,
            &mut vals,
        )?;
        Ok(self.build_result(&c, &scored, &vals, opts))
    }

    /// Period aggregation and scoring of every (unit, KPI).
    pub(crate) fn score_units(
        &self,
        c: &Compiled,
        obs: &Observations,
        opts: &EvaluateOptions,
    ) -> Result<Scored> {
        obs.check_lengths()?;
        let n_k = c.n_kpis;
        let kpi_index: HashMap<&str, usize> = self
            .kpis
            .iter()
            .enumerate()
            .map(|(i, k)| (k.id.as_str(), i))
            .collect();
        // Units: declared order, else sorted distinct ids of the observations.
        let units: Vec<String> = if self.units.is_empty() {
            let mut u: Vec<String> = obs.unit.clone();
            u.sort();
            u.dedup();
            u
        } else {
            self.units.iter().map(|u| u.id.clone()).collect()
        };
        let unit_index: HashMap<&str, usize> = units
            .iter()
            .enumerate()
            .map(|(i, u)| (u.as_str(), i))
            .collect();
        let n_u = units.len();
        let mut counts = RowCounts {
            n_rows: obs.len() as u64,
            ..Default::default()
        };
        // Cell id per usable row, then rows sorted by (cell, period).
        let mut rows: Vec<(u32, usize)> = Vec::with_capacity(obs.len());
        for i in 0..obs.len() {
            let k = *kpi_index.get(obs.kpi[i].as_str()).ok_or_else(|| {
                CxkpiError::invalid(
                    &format!("values.kpi[{i}]"),
                    format!("unknown KPI id \"{}\"", obs.kpi[i]),
                )
            })?;
            let u = *unit_index.get(obs.unit[i].as_str()).ok_or_else(|| {
                CxkpiError::invalid(
                    &format!("values.unit[{i}]"),
                    format!(
                        "unknown unit id \"{}\" (not in the scorecard's units)",
                        obs.unit[i]
                    ),
                )
            })?;
            if let Some(a) = &opts.as_of {
                if obs.period[i].as_str() > a.as_str() {
                    counts.n_after_as_of += 1;
                    continue;
                }
            }
            rows.push(((k * n_u + u) as u32, i));
        }
        rows.sort_by(|a, b| {
            a.0.cmp(&b.0)
                .then_with(|| obs.period[a.1].cmp(&obs.period[b.1]))
        });
        for w in rows.windows(2) {
            if w[0].0 == w[1].0 && obs.period[w[0].1] == obs.period[w[1].1] {
                let i = w[1].1;
                return Err(CxkpiError::invalid(
                    &format!("values[{i}]"),
                    format!(
                        "duplicate observation for unit \"{}\", KPI \"{}\", period \"{}\"",
                        obs.unit[i], obs.kpi[i], obs.period[i]
                    ),
                ));
            }
        }
        // Which definitions are in effect: at as_of, else at the latest period seen.
        let at: Option<String> = opts.as_of.clone().or_else(|| {
            rows.iter()
                .map(|r| obs.period[r.1].as_str())
                .max()
                .map(str::to_string)
        });
        let effective: Vec<bool> = self
            .kpis
            .iter()
            .map(|k| match &at {
                None => true,
                Some(a) => {
                    k.effective_from
                        .as_ref()
                        .is_none_or(|f| f.as_str() <= a.as_str())
                        && k.effective_to
                            .as_ref()
                            .is_none_or(|t| a.as_str() <= t.as_str())
                }
            })
            .collect();
        let mut raw = vec![vec![f64::NAN; n_u]; n_k];
        let mut n_periods = vec![vec![0u32; n_u]; n_k];
        let mut trend: Vec<Vec<Option<SlopeTest>>> = vec![Vec::new(); n_k];
        let mut goal_score = vec![vec![f64::NAN; n_u]; n_k];
        for (k, kd) in self.kpis.iter().enumerate() {
            if kd.goal.is_some() {
                trend[k] = vec![None; n_u];
            }
        }
        let smax = self.settings.score_max;
        let mut start = 0;
        while start < rows.len() {
            let cell = rows[start].0;
            let mut end = start;
            while end < rows.len() && rows[end].0 == cell {
                end += 1;
            }
            let (k, u) = (cell as usize / n_u, cell as usize % n_u);
            let kd = &self.kpis[k];
            let idx: Vec<usize> = rows[start..end].iter().map(|r| r.1).collect();
            let (v, np, used, nmiss) = period_value(kd, obs, &idx)?;
            counts.n_used += used;
            counts.n_missing_values += nmiss;
            raw[k][u] = v;
            n_periods[k][u] = np;
            if let Some(g) = kd.goal {
                let series = period_series(kd, obs, &idx)?;
                if series.len() >= g.periods as usize {
                    let tail = &series[series.len() - g.periods as usize..];
                    let t = slope_test(tail, kd.direction, g.alpha)?;
                    raw[k][u] = t.slope;
                    goal_score[k][u] = match t.verdict.as_str() {
                        "improving" => smax,
                        "worsening" => 0.0,
                        _ => smax / 2.0,
                    };
                    n_periods[k][u] = g.periods;
                    trend[k][u] = Some(t);
                } else {
                    raw[k][u] = f64::NAN;
                }
            }
            start = end;
        }
        // Scores.
        let mut normalised = vec![Vec::new(); n_k];
        let mut score = vec![Vec::new(); n_k];
        for (k, kd) in self.kpis.iter().enumerate() {
            if kd.goal.is_some() {
                normalised[k] = goal_score[k].iter().map(|g| g / smax).collect();
                score[k] = goal_score[k].clone();
                continue;
            }
            let (nv, sv) = self.score_column(k, &raw[k], true)?;
            normalised[k] = nv;
            score[k] = sv;
        }
        let mut weight = c.weight.clone();
        for (k, e) in effective.iter().enumerate() {
            if !e {
                weight[k] = 0.0;
                score[k].iter_mut().for_each(|x| *x = f64::NAN);
            }
        }
        Ok(Scored {
            units,
            raw,
            normalised,
            score,
            n_periods,
            trend,
            weight,
            effective,
            counts,
        })
    }

    /// (normalised, score) of KPI `k` for a column of raw values (NaN = missing).
    fn score_column(
        &self,
        k: usize,
        raw: &[f64],
        want_normalised: bool,
    ) -> Result<(Vec<f64>, Vec<f64>)> {
        let s = &self.settings;
        let kd = &self.kpis[k];
        let smax = s.score_max;
        match s.scoring {
            ScoringMethod::Target => {
                let scorer = ThresholdScorer::new(kd);
                let sv: Vec<f64> = raw
                    .iter()
                    .map(|&x| {
                        if x.is_nan() {
                            f64::NAN
                        } else {
                            scorer.score(x, smax)
                        }
                    })
                    .collect();
                let nv = if want_normalised {
                    sv.iter().map(|x| x / smax).collect()
                } else {
                    Vec::new()
                };
                Ok((nv, sv))
            }
            ScoringMethod::Normalised => {
                let p = NormParams {
                    goalposts: kd.goalposts,
                    target: kd.thresholds.and_then(|t| t.target),
                };
                let nv =
                    normalise_with(raw, s.normalisation, kd.direction, s.zero_range, p, &kd.id)?;
                let f = if bounded(s.normalisation) { smax } else { 1.0 };
                let sv = nv.iter().map(|x| x * f).collect();
                Ok((nv, sv))
            }
        }
    }

    /// The fast path for large scorecards: KPI values already aggregated over periods, one column per KPI
    /// in document order (`columns[k][u]`, NaN = missing), scored and aggregated up the tree without
    /// building the per-item explanation. Directional (goal) KPIs need their period series and are refused
    /// (`unsupported`); every definition is taken as effective.
    ///
    /// ```
    /// use cxkpi::composite::Scorecard;
    /// let sc = Scorecard::from_json(r#"{"id": "f", "kpis": [
    ///   {"id": "a", "thresholds": {"red_flag": 0, "target": 10}},
    ///   {"id": "b", "thresholds": {"red_flag": 0, "target": 10}}]}"#).unwrap();
    /// let r = sc.evaluate_columns(&[&[2.0, 4.0], &[6.0, f64::NAN]]).unwrap();
    /// assert_eq!(r.composite, vec![Some(4.0), Some(4.0)]);
    /// ```
    pub fn evaluate_columns(&self, columns: &[&[f64]]) -> Result<ColumnsResult> {
        let c = self.compile()?;
        if columns.len() != c.n_kpis {
            return Err(CxkpiError::LengthMismatch {
                arg: "columns".into(),
                len: columns.len(),
                other: "kpis".into(),
                other_len: c.n_kpis,
            });
        }
        let n_u = columns.first().map_or(0, |x| x.len());
        for (k, col) in columns.iter().enumerate() {
            if col.len() != n_u {
                return Err(CxkpiError::LengthMismatch {
                    arg: format!("columns[{k}]"),
                    len: col.len(),
                    other: "columns[0]".into(),
                    other_len: n_u,
                });
            }
            if self.kpis[k].goal.is_some() {
                return Err(CxkpiError::Unsupported {
                    message: format!(
                        "KPI \"{}\" has a directional goal, which needs its period series: use evaluate",
                        self.kpis[k].id
                    ),
                });
            }
            if let Some(u) = col.iter().position(|x| x.is_infinite()) {
                return Err(CxkpiError::invalid(
                    &format!("columns[{k}][{u}]"),
                    format!("must be finite, got {}", col[u]),
                ));
            }
        }
        let s = &self.settings;
        // Target scoring is per unit: fixed chunks of units are scored and aggregated in parallel (the
        // split does not change any unit's arithmetic). Normalisation needs every unit: one chunk.
        let chunk = if s.scoring == ScoringMethod::Target {
            4096
        } else {
            n_u.max(1)
        };
        let starts: Vec<usize> = (0..n_u.max(1)).step_by(chunk).collect();
        let parts: Vec<Result<Vec<Vec<f64>>>> = starts
            .par_iter()
            .map(|&a| {
                let b = (a + chunk).min(n_u);
                let mut scores = Vec::with_capacity(c.n_kpis);
                for (k, col) in columns.iter().enumerate() {
                    scores.push(self.score_column(k, &col[a..b], false)?.1);
                }
                let mut vals = Vec::new();
                aggregate_tree(
                    &c,
                    &scores,
                    &c.weight,
                    &c.aggregation,
                    s.missing_kpi,
                    s.zero_policy,
                    b - a,
                    &mut vals,
                )?;
                Ok(vals)
            })
            .collect();
        let mut vals: Vec<Vec<f64>> = vec![Vec::with_capacity(n_u); c.ids.len() - c.n_kpis];
        for p in parts {
            for (v, x) in vals.iter_mut().zip(p?) {
                v.extend_from_slice(&x);
            }
        }
        let opt = |v: &[f64]| {
            v.iter()
                .map(|&x| (!x.is_nan()).then_some(x))
                .collect::<Vec<_>>()
        };
        let mut nodes = BTreeMap::new();
        for nd in c.n_kpis..c.ids.len() {
            nodes.insert(c.ids[nd].clone(), opt(&vals[nd - c.n_kpis]));
        }
        Ok(ColumnsResult {
            composite: opt(&vals[c.root - c.n_kpis]),
            nodes,
        })
    }

    fn build_result(
        &self,
        c: &Compiled,
        sc: &Scored,
        vals: &[Vec<f64>],
        opts: &EvaluateOptions,
    ) -> ScorecardResult {
        let s = &self.settings;
        let n_k = c.n_kpis;
        let n_u = sc.units.len();
        let smax = s.score_max;
        let item_val = |it: usize, u: usize| -> f64 {
            if it < n_k {
                sc.score[it][u]
            } else {
                vals[it - n_k][u]
            }
        };
        let opt = |x: f64| if x.is_nan() { None } else { Some(x) };
        let root_vals = &vals[c.root - n_k];
        let ranks = rank_desc(root_vals);
        let unit_def: HashMap<&str, &super::UnitDef> =
            self.units.iter().map(|u| (u.id.as_str(), u)).collect();
        let node_bounded = s.scoring == ScoringMethod::Target || bounded(s.normalisation);
        let status_of_node = |x: f64| {
            if x.is_nan() {
                Status::Missing
            } else if node_bounded {
                node_status(x, s.node_status_bands, smax, s.inclusivity)
            } else {
                Status::None
            }
        };
        let mut units = BTreeMap::new();
        for u in 0..n_u {
            let mut items = BTreeMap::new();
            let mut n_missing = 0u32;
            for it in 0..c.ids.len() {
                let x = item_val(it, u);
                let is_kpi = it < n_k;
                if is_kpi && x.is_nan() && sc.effective[it] {
                    n_missing += 1;
                }
                let (eff_w, contrib) = match c.parent[it] {
                    None => (Some(1.0), None),
                    Some(p) => {
                        let agg = c.aggregation[p];
                        let w = sc.weight[it];
                        let mut den = 0.0;
                        let mut total = 0.0;
                        for &ch in &c.children[p] {
                            let y = item_val(ch, u);
                            let excluded_zero = y == 0.0
                                && agg != Aggregation::Arithmetic
                                && s.zero_policy == ZeroPolicy::Exclude;
                            if !excluded_zero {
                                total += sc.weight[ch];
                            }
                            if !(y.is_nan() || excluded_zero) {
                                den += sc.weight[ch];
                            }
                        }
                        let filled = x.is_nan() && s.missing_kpi == MissingKpiPolicy::ZeroFill;
                        let xv = if filled { 0.0 } else { x };
                        let share = match s.missing_kpi {
                            MissingKpiPolicy::ZeroFill => Some(w / total),
                            _ if x.is_nan() => None,
                            _ => (den > 0.0).then(|| w / den),
                        };
                        let contrib = match share {
                            Some(sh) if !xv.is_nan() => match agg {
                                Aggregation::Arithmetic => Some(sh * xv),
                                Aggregation::Geometric => Some(xv.powf(sh)),
                                Aggregation::Harmonic => (xv > 0.0).then(|| sh / xv),
                            },
                            _ => None,
                        };
                        (share, contrib)
                    }
                };
                let kd: Option<&KpiDef> = is_kpi.then(|| &self.kpis[it]);
                let status = match kd {
                    Some(k) => {
                        if !sc.effective[it] {
                            Status::None
                        } else if let Some(Some(t)) = sc.trend[it].get(u) {
                            match t.verdict.as_str() {
                                "improving" => Status::Green,
                                "worsening" => Status::Red,
                                _ => Status::Amber,
                            }
                        } else if sc.raw[it][u].is_nan() || x.is_nan() {
                            Status::Missing
                        } else if k.thresholds.is_some() {
                            kpi_status(k, sc.raw[it][u], s.inclusivity)
                        } else {
                            Status::None
                        }
                    }
                    None => status_of_node(x),
                };
                items.insert(
                    c.ids[it].clone(),
                    ItemResult {
                        kind: if is_kpi { "kpi" } else { "node" }.into(),
                        parent: c.parent[it].map(|p| c.ids[p].clone()),
                        level: c.depth[it],
                        raw: if is_kpi { opt(sc.raw[it][u]) } else { None },
                        normalised: if is_kpi {
                            opt(sc.normalised[it][u])
                        } else {
                            None
                        },
                        score: opt(x),
                        status,
                        weight: c.weight[it],
                        effective_weight: eff_w,
                        contribution: contrib,
                        missing: x.is_nan() && (!is_kpi || sc.effective[it]),
                        n_periods: if is_kpi { sc.n_periods[it][u] } else { 0 },
                        aggregation: (!is_kpi).then(|| c.aggregation[it]),
                        effective: if is_kpi { sc.effective[it] } else { true },
                        trend: if is_kpi {
                            sc.trend[it].get(u).cloned().flatten()
                        } else {
                            None
                        },
                    },
                );
            }
            let ud = unit_def.get(sc.units[u].as_str());
            units.insert(
                sc.units[u].clone(),
                UnitResult {
                    composite: opt(root_vals[u]),
                    status: status_of_node(root_vals[u]),
                    rank: ranks[u],
                    n_missing_kpis: n_missing,
                    business_unit: ud.and_then(|d| d.business_unit.clone()),
                    segment: ud.and_then(|d| d.segment.clone()),
                    region: ud.and_then(|d| d.region.clone()),
                    items,
                },
            );
        }
        // Roll-ups across units.
        let mut rollups = BTreeMap::new();
        for dim in ["business_unit", "segment", "region"] {
            let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
            for (u, id) in sc.units.iter().enumerate() {
                if let Some(d) = unit_def.get(id.as_str()) {
                    let g = match dim {
                        "business_unit" => &d.business_unit,
                        "segment" => &d.segment,
                        _ => &d.region,
                    };
                    if let Some(g) = g {
                        groups.entry(g.clone()).or_default().push(u);
                    }
                }
            }
            if groups.is_empty() {
                continue;
            }
            let mut out = BTreeMap::new();
            for (g, members) in groups {
                let mut nodes = BTreeMap::new();
                for nd in n_k..c.ids.len() {
                    let mut a = MeanAcc::default();
                    for &u in &members {
                        let w = unit_def[sc.units[u].as_str()].weight;
                        // Missing units are left out (renormalised); zeros propagate.
                        let _ = a.push(
                            vals[nd - n_k][u],
                            w,
                            s.unit_aggregation,
                            MissingKpiPolicy::Renormalise,
                            ZeroPolicy::Propagate,
                        );
                    }
                    nodes.insert(
                        c.ids[nd].clone(),
                        a.finish(s.unit_aggregation, MissingKpiPolicy::Renormalise),
                    );
                }
                let comp = nodes[&c.ids[c.root]];
                let n_missing = members.iter().filter(|&&u| root_vals[u].is_nan()).count();
                out.insert(
                    g,
                    RollupGroup {
                        n_units: members.len() as u32,
                        n_missing: n_missing as u32,
                        composite: comp,
                        status: status_of_node(comp.unwrap_or(f64::NAN)),
                        nodes,
                    },
                );
            }
            rollups.insert(dim.to_string(), out);
        }
        ScorecardResult {
            scorecard_id: self.id.clone(),
            version: self.version.clone(),
            as_of: opts.as_of.clone(),
            root: c.ids[c.root].clone(),
            policies: Policies {
                scoring: s.scoring,
                normalisation: (s.scoring == ScoringMethod::Normalised).then_some(s.normalisation),
                zero_range: (s.scoring == ScoringMethod::Normalised).then_some(s.zero_range),
                aggregation: s.aggregation,
                zero_policy: s.zero_policy,
                missing_kpi: s.missing_kpi,
                inclusivity: s.inclusivity,
                score_max: s.score_max,
                unit_aggregation: s.unit_aggregation,
            },
            counts: sc.counts.clone(),
            units,
            rollups,
        }
    }
}

/// Ranks by decreasing value, 1 = best, ties share the minimum rank; NaN → None.
pub(crate) fn rank_desc(v: &[f64]) -> Vec<Option<u32>> {
    let mut idx: Vec<usize> = (0..v.len()).filter(|&i| !v[i].is_nan()).collect();
    idx.sort_by(|&a, &b| v[b].total_cmp(&v[a]).then(a.cmp(&b)));
    let mut out = vec![None; v.len()];
    let mut rank = 0u32;
    for (pos, &i) in idx.iter().enumerate() {
        if pos == 0 || v[i] != v[idx[pos - 1]] {
            rank = pos as u32 + 1;
        }
        out[i] = Some(rank);
    }
    out
}

/// (value, periods used, rows used, NaN rows) of one (unit, KPI) cell; rows are sorted by period.
fn period_value(k: &KpiDef, obs: &Observations, idx: &[usize]) -> Result<(f64, u32, u64, u64)> {
    use PeriodAggregation as P;
    let ratio = matches!(k.period_aggregation, P::RatioOfSums | P::MeanOfRatios);
    let mut vals: Vec<(usize, f64, f64)> = Vec::with_capacity(idx.len());
    let mut nmiss = 0u64;
    for &i in idx {
        if ratio {
            let (Some(nu), Some(de)) = (&obs.numerator, &obs.denominator) else {
                return Err(CxkpiError::invalid(
                    "values.numerator",
                    format!(
                        "KPI \"{}\" ({}) needs numerator and denominator columns",
                        k.id, k.period_aggregation
                    ),
                ));
            };
            if nu[i].is_nan() || de[i].is_nan() {
                nmiss += 1;
                continue;
            }
            if !nu[i].is_finite() || !de[i].is_finite() {
                return Err(CxkpiError::invalid(
                    &format!("values[{i}]"),
                    format!("numerator {} / denominator {} must be finite", nu[i], de[i]),
                ));
            }
            vals.push((i, nu[i], de[i]));
        } else {
            let v = obs.value[i];
            if v.is_nan() {
                nmiss += 1;
                continue;
            }
            if !v.is_finite() {
                return Err(CxkpiError::invalid(
                    &format!("values.value[{i}]"),
                    format!("must be finite, got {v}"),
                ));
            }
            vals.push((i, v, 1.0));
        }
    }
    let used = vals.len() as u64;
    if vals.is_empty() {
        return Ok((f64::NAN, 0, used, nmiss));
    }
    let n = vals.len();
    let v = match k.period_aggregation {
        P::Sum => NeumaierSum::of(&vals.iter().map(|x| x.1).collect::<Vec<_>>()),
        P::Mean => NeumaierSum::of(&vals.iter().map(|x| x.1).collect::<Vec<_>>()) / n as f64,
        P::Last => vals[n - 1].1,
        P::Ytd => {
            let year = year_of(&obs.period[vals[n - 1].0]);
            let xs: Vec<f64> = vals
                .iter()
                .filter(|x| year_of(&obs.period[x.0]) == year)
                .map(|x| x.1)
                .collect();
            return Ok((NeumaierSum::of(&xs), xs.len() as u32, used, nmiss));
        }
        P::RatioOfSums => {
            let num = NeumaierSum::of(&vals.iter().map(|x| x.1).collect::<Vec<_>>());
            let den = NeumaierSum::of(&vals.iter().map(|x| x.2).collect::<Vec<_>>());
            if den == 0.0 {
                return Err(CxkpiError::invalid(
                    &format!("values (KPI \"{}\", unit \"{}\")", k.id, obs.unit[idx[0]]),
                    "the denominators sum to zero: ratio_of_sums is undefined",
                ));
            }
            num / den
        }
        P::MeanOfRatios => {
            let mut r = Vec::with_capacity(n);
            for &(i, a, b) in &vals {
                if b == 0.0 {
                    return Err(CxkpiError::invalid(
                        &format!("values.denominator[{i}]"),
                        format!(
                            "is zero (KPI \"{}\", unit \"{}\", period \"{}\"): mean_of_ratios is undefined",
                            k.id, obs.unit[i], obs.period[i]
                        ),
                    ));
                }
                r.push(a / b);
            }
            NeumaierSum::of(&r) / n as f64
        }
    };
    Ok((v, n as u32, used, nmiss))
}

/// Per-period values (ratios for ratio KPIs), sorted by period, missing skipped.
fn period_series(k: &KpiDef, obs: &Observations, idx: &[usize]) -> Result<Vec<f64>> {
    let ratio = matches!(
        k.period_aggregation,
        PeriodAggregation::RatioOfSums | PeriodAggregation::MeanOfRatios
    );
    let mut out = Vec::new();
    for &i in idx {
        let v = if ratio {
            match (&obs.numerator, &obs.denominator) {
                (Some(n), Some(d)) if d[i] != 0.0 => n[i] / d[i],
                _ => f64::NAN,
            }
        } else {
            obs.value[i]
        };
        if v.is_finite() {
            out.push(v);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Scorecard {
        Scorecard::from_json(
            r#"{"id": "t", "nodes": [{"id": "root"}, {"id": "c", "parent": "root", "weight": 3},
                {"id": "f", "parent": "root"}],
              "kpis": [
                {"id": "a", "parent": "c", "thresholds": {"red_flag": 0, "target": 10}},
                {"id": "b", "parent": "c", "direction": "lower", "thresholds": {"red_flag": 10, "target": 0}},
                {"id": "m", "parent": "f", "thresholds": {"red_flag": 0, "target": 10}}]}"#,
        )
        .unwrap()
    }

    #[test]
    fn columns_path_equals_full_evaluation() {
        let sc = doc();
        let a = [2.0, 8.0, f64::NAN];
        let b = [4.0, 1.0, 5.0];
        let m = [6.0, f64::NAN, 3.0];
        let cols = sc.evaluate_columns(&[&a, &b, &m]).unwrap();
        let mut obs = Observations::default();
        for (k, col) in [("a", &a), ("b", &b), ("m", &m)] {
            for (u, &v) in col.iter().enumerate() {
                obs.unit.push(format!("u{u}"));
                obs.kpi.push(k.into());
                obs.period.push(String::new());
                obs.value.push(v);
            }
        }
        let full = sc.evaluate(&obs, &EvaluateOptions::default()).unwrap();
        for u in 0..3 {
            let fu = &full.units[&format!("u{u}")];
            assert_eq!(cols.composite[u], fu.composite);
            assert_eq!(cols.nodes["c"][u], fu.items["c"].score);
        }
        // u0: c = (2 + 6)/2 = 4, f = 6, root = (3*4 + 6)/4 = 4.5
        assert!((cols.composite[0].unwrap() - 4.5).abs() < 1e-12);
        // u1: m missing -> root = c = (8 + 9)/2 = 8.5
        assert!((cols.composite[1].unwrap() - 8.5).abs() < 1e-12);
    }

    #[test]
    fn nested_values_and_explain_text() {
        let sc = doc();
        let v: Value =
            serde_json::json!({"x": {"a": 5, "b": {"2026-01": 9, "2026-02": 5}, "m": null}});
        let obs = Observations::from_value(&v).unwrap();
        let r = sc.evaluate(&obs, &EvaluateOptions::default()).unwrap();
        let x = &r.units["x"];
        assert_eq!(x.items["b"].raw, Some(5.0));
        assert_eq!(x.n_missing_kpis, 1);
        assert_eq!(r.counts.n_missing_values, 1);
        let steps = r.explain("x", "a").unwrap();
        assert_eq!(steps.len(), 3);
        assert!(steps[0].text.contains("contribution"));
        assert_eq!(r.explain("x", "zz").unwrap_err().kind(), "invalid_argument");
        let bad = serde_json::json!({"unit": ["x"], "kpi": ["a"], "value": [1, 2]});
        assert_eq!(
            Observations::from_value(&bad).unwrap_err().kind(),
            "length_mismatch"
        );
    }

    #[test]
    fn goal_kpi_refused_by_columns_path() {
        let sc =
            Scorecard::from_json(r#"{"id": "g", "kpis": [{"id": "t", "goal": {"periods": 3}}]}"#)
                .unwrap();
        assert_eq!(
            sc.evaluate_columns(&[&[1.0]]).unwrap_err().kind(),
            "unsupported"
        );
    }
}
