//! Checks on a scorecard's design: balance of weight across perspectives and leading/lagging indicators,
//! redundancy between KPIs over history, and metric myopia.

use super::document::Scorecard;
use super::evaluate::Observations;
use super::{Indicator, KpiDirection, PeriodAggregation, Perspective};
use crate::error::{CxkpiError, Result};
use crate::options::OptionEnum;
use crate::stats::NeumaierSum;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// A broken balance rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BalanceWarning {
    /// Index of the rule in `balance_rules`.
    pub rule: u32,
    /// The perspective or indicator the rule is about.
    pub subject: String,
    pub share: f64,
    pub min_share: Option<f64>,
    pub max_share: Option<f64>,
    pub message: String,
}

/// Share of the total (global) weight per perspective and per leading/lagging, with broken rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BalanceReport {
    /// Global weight of every KPI: the product of its renormalised sibling weights up to the root.
    pub kpi_weights: BTreeMap<String, f64>,
    pub perspective_shares: BTreeMap<String, f64>,
    pub indicator_shares: BTreeMap<String, f64>,
    pub warnings: Vec<BalanceWarning>,
}

/// Balance of the scorecard's declared weights.
///
/// ```
/// use cxkpi::composite::{Scorecard, balance};
/// let sc = Scorecard::from_json(r#"{"id": "b", "kpis": [
///   {"id": "nps", "perspective": "customer", "thresholds": {"red_flag": 0, "target": 50}, "weight": 3},
///   {"id": "margin", "perspective": "financial", "thresholds": {"red_flag": 0, "target": 0.2}}],
///  "balance_rules": [{"perspective": "customer", "max_share": 0.5}]}"#).unwrap();
/// let b = balance(&sc).unwrap();
/// assert_eq!(b.perspective_shares["customer"], 0.75);
/// assert_eq!(b.warnings.len(), 1);
/// ```
pub fn balance(sc: &Scorecard) -> Result<BalanceReport> {
    let c = sc.compile()?;
    let g = c.global_weights();
    let mut kpi_weights = BTreeMap::new();
    let mut persp: BTreeMap<String, NeumaierSum> = Perspective::NAMES
        .iter()
        .map(|n| (n.to_string(), NeumaierSum::default()))
        .collect();
    let mut ind: BTreeMap<String, NeumaierSum> = Indicator::NAMES
        .iter()
        .map(|n| (n.to_string(), NeumaierSum::default()))
        .collect();
    for (k, kd) in sc.kpis.iter().enumerate() {
        kpi_weights.insert(kd.id.clone(), g[k]);
        persp.get_mut(kd.perspective.as_str()).unwrap().add(g[k]);
        ind.get_mut(kd.indicator.as_str()).unwrap().add(g[k]);
    }
    let perspective_shares: BTreeMap<String, f64> =
        persp.into_iter().map(|(k, v)| (k, v.value())).collect();
    let indicator_shares: BTreeMap<String, f64> =
        ind.into_iter().map(|(k, v)| (k, v.value())).collect();
    let mut warnings = Vec::new();
    for (i, r) in sc.balance_rules.iter().enumerate() {
        let (subject, share) = match (r.perspective, r.indicator) {
            (Some(p), _) => (p.as_str(), perspective_shares[p.as_str()]),
            (None, Some(x)) => (x.as_str(), indicator_shares[x.as_str()]),
            _ => continue,
        };
        let low = r.min_share.is_some_and(|m| share < m);
        let high = r.max_share.is_some_and(|m| share > m);
        if low || high {
            warnings.push(BalanceWarning {
                rule: i as u32,
                subject: subject.into(),
                share,
                min_share: r.min_share,
                max_share: r.max_share,
                message: if low {
                    format!(
                        "{subject} carries {:.1}% of the weight, below the minimum {:.1}%",
                        share * 100.0,
                        r.min_share.unwrap() * 100.0
                    )
                } else {
                    format!(
                        "{subject} carries {:.1}% of the weight, above the maximum {:.1}%",
                        share * 100.0,
                        r.max_share.unwrap() * 100.0
                    )
                },
            });
        }
    }
    Ok(BalanceReport {
        kpi_weights,
        perspective_shares,
        indicator_shares,
        warnings,
    })
}

/// Per-period values of every (KPI, unit): ratios for ratio KPIs; NaN rows skipped.
fn series(
    sc: &Scorecard,
    obs: &Observations,
) -> Result<HashMap<(usize, String), BTreeMap<String, f64>>> {
    let idx: HashMap<&str, usize> = sc
        .kpis
        .iter()
        .enumerate()
        .map(|(i, k)| (k.id.as_str(), i))
        .collect();
    let mut out: HashMap<(usize, String), BTreeMap<String, f64>> = HashMap::new();
    for i in 0..obs.len() {
        let k = *idx.get(obs.kpi[i].as_str()).ok_or_else(|| {
            CxkpiError::invalid(
                &format!("values.kpi[{i}]"),
                format!("unknown KPI id \"{}\"", obs.kpi[i]),
            )
        })?;
        let ratio = matches!(
            sc.kpis[k].period_aggregation,
            PeriodAggregation::RatioOfSums | PeriodAggregation::MeanOfRatios
        );
        let v = if ratio {
            match (&obs.numerator, &obs.denominator) {
                (Some(n), Some(d)) if d[i] != 0.0 => n[i] / d[i],
                _ => f64::NAN,
            }
        } else {
            obs.value[i]
        };
        if v.is_finite() {
            let e = out.entry((k, obs.unit[i].clone())).or_default();
            if e.insert(obs.period[i].clone(), v).is_some() {
                return Err(CxkpiError::invalid(
                    &format!("values[{i}]"),
                    format!(
                        "duplicate observation for unit \"{}\", KPI \"{}\", period \"{}\"",
                        obs.unit[i], obs.kpi[i], obs.period[i]
                    ),
                ));
            }
        }
    }
    Ok(out)
}

/// A pair of KPIs whose histories move together.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RedundantPair {
    pub a: String,
    pub b: String,
    pub r: f64,
    pub n: u64,
}

/// Pearson correlations between KPIs over (unit, period) pairs observed for both.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RedundancyReport {
    pub kpis: Vec<String>,
    /// `matrix[i][j]`: None with fewer than 3 common observations or zero variance.
    pub matrix: Vec<Vec<Option<f64>>>,
    /// Common observations behind each entry.
    pub n: Vec<Vec<u64>>,
    pub threshold: f64,
    /// Pairs with |r| >= threshold.
    pub flagged: Vec<RedundantPair>,
}

fn pearson(x: &[f64], y: &[f64]) -> Option<f64> {
    let n = x.len();
    if n < 3 {
        return None;
    }
    let mx = NeumaierSum::of(x) / n as f64;
    let my = NeumaierSum::of(y) / n as f64;
    let (mut sxx, mut syy, mut sxy) = (
        NeumaierSum::default(),
        NeumaierSum::default(),
        NeumaierSum::default(),
    );
    for (a, b) in x.iter().zip(y) {
        sxx.add((a - mx) * (a - mx));
        syy.add((b - my) * (b - my));
        sxy.add((a - mx) * (b - my));
    }
    let d = (sxx.value() * syy.value()).sqrt();
    (d > 0.0).then(|| (sxy.value() / d).clamp(-1.0, 1.0))
}

/// Correlation matrix of the KPIs over history, with the pairs at or above `settings.redundancy_threshold`.
pub fn redundancy(sc: &Scorecard, obs: &Observations) -> Result<RedundancyReport> {
    sc.validate()?;
    let s = series(sc, obs)?;
    let k = sc.kpis.len();
    // Per KPI: (unit, period) → value, sorted.
    let mut per: Vec<BTreeMap<(String, String), f64>> = vec![BTreeMap::new(); k];
    for ((ki, u), m) in &s {
        for (p, v) in m {
            per[*ki].insert((u.clone(), p.clone()), *v);
        }
    }
    let mut matrix = vec![vec![None; k]; k];
    let mut n = vec![vec![0u64; k]; k];
    let mut flagged = Vec::new();
    let thr = sc.settings.redundancy_threshold;
    for i in 0..k {
        for j in i..k {
            let (mut x, mut y) = (Vec::new(), Vec::new());
            for (key, a) in &per[i] {
                if let Some(b) = per[j].get(key) {
                    x.push(*a);
                    y.push(*b);
                }
            }
            let r = pearson(&x, &y);
            matrix[i][j] = r;
            matrix[j][i] = r;
            n[i][j] = x.len() as u64;
            n[j][i] = x.len() as u64;
            if let (true, Some(r)) = (i != j, r) {
                if r.abs() >= thr {
                    flagged.push(RedundantPair {
                        a: sc.kpis[i].id.clone(),
                        b: sc.kpis[j].id.clone(),
                        r,
                        n: x.len() as u64,
                    });
                }
            }
        }
    }
    Ok(RedundancyReport {
        kpis: sc.kpis.iter().map(|k| k.id.clone()).collect(),
        matrix,
        n,
        threshold: thr,
        flagged,
    })
}

/// A unit where a KPI improved while its linked KPI worsened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MyopiaFlag {
    pub unit: String,
    pub kpi: String,
    pub linked: String,
    pub from_period: String,
    pub to_period: String,
    /// Change of `kpi` (last - first of the window).
    pub kpi_change: f64,
    pub linked_change: f64,
    pub message: String,
}

fn improved(d: KpiDirection, change: f64) -> i8 {
    let g = if d == KpiDirection::Lower {
        -change
    } else {
        change
    };
    if g > 0.0 {
        1
    } else if g < 0.0 {
        -1
    } else {
        0
    }
}

/// Metric-myopia flags for the scorecard's `myopia_links`: over the last `periods` periods both KPIs have
/// in common, `kpi` improved (in its direction) while `linked` worsened. Closer-to-target KPIs use the
/// distance to their target.
pub fn myopia(sc: &Scorecard, obs: &Observations) -> Result<Vec<MyopiaFlag>> {
    sc.validate()?;
    let s = series(sc, obs)?;
    let idx: HashMap<&str, usize> = sc
        .kpis
        .iter()
        .enumerate()
        .map(|(i, k)| (k.id.as_str(), i))
        .collect();
    let mut units: Vec<&String> = s.keys().map(|(_, u)| u).collect();
    units.sort();
    units.dedup();
    let mut flags = Vec::new();
    let eff = |k: usize, v: f64| -> (f64, KpiDirection) {
        let kd = &sc.kpis[k];
        match (kd.direction, kd.thresholds.and_then(|t| t.target)) {
            (KpiDirection::Closer, Some(t)) => ((v - t).abs(), KpiDirection::Lower),
            (d, _) => (v, d),
        }
    };
    for l in &sc.myopia_links {
        let (a, b) = (idx[l.kpi.as_str()], idx[l.linked.as_str()]);
        for u in &units {
            let (Some(sa), Some(sb)) = (s.get(&(a, (*u).clone())), s.get(&(b, (*u).clone())))
            else {
                continue;
            };
            let common: Vec<&String> = sa.keys().filter(|p| sb.contains_key(*p)).collect();
            if common.len() < l.periods as usize {
                continue;
            }
            let w = &common[common.len() - l.periods as usize..];
            let (p0, p1) = (w[0], w[w.len() - 1]);
            let (a0, da) = eff(a, sa[p0]);
            let (a1, _) = eff(a, sa[p1]);
            let (b0, db) = eff(b, sb[p0]);
            let (b1, _) = eff(b, sb[p1]);
            let (ca, cb) = (a1 - a0, b1 - b0);
            if improved(da, ca) > 0 && improved(db, cb) < 0 {
                flags.push(MyopiaFlag {
                    unit: (*u).clone(),
                    kpi: l.kpi.clone(),
                    linked: l.linked.clone(),
                    from_period: p0.clone(),
                    to_period: p1.clone(),
                    kpi_change: ca,
                    linked_change: cb,
                    message: format!(
                        "unit \"{u}\": {} improved by {ca:+} while {} worsened by {cb:+} from {p0} to {p1}",
                        l.kpi, l.linked
                    ),
                });
            }
        }
    }
    Ok(flags)
}
