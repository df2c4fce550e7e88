//! Reconciliation of two sources of the same KPI per period and group.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::error::{CxkpiError, Result};
use crate::options::{option_enum, OptionReader, Options};
use crate::stats::dist::normal_sf;

option_enum! {
    /// What the two sources report.
    KpiKind {
        /// A share in [0, 1] with its n.
        Share => "share",
        /// A mean with its standard error (`se`) and n.
        Mean => "mean",
    }
}

impl Default for KpiKind {
    fn default() -> Self {
        KpiKind::Share
    }
}

option_enum! {
    /// The standard error of the difference of two shares.
    ShareTest {
        /// Pooled under the null of equal shares: p = (p_a n_a + p_b n_b) / (n_a + n_b),
        /// se = sqrt(p (1 - p) (1/n_a + 1/n_b)) (default).
        Pooled => "pooled",
        /// Unpooled (Wald): se = sqrt(p_a (1 - p_a) / n_a + p_b (1 - p_b) / n_b).
        Unpooled => "unpooled",
    }
}

impl Default for ShareTest {
    fn default() -> Self {
        ShareTest::Pooled
    }
}

option_enum! {
    /// When a period and group counts as diverging.
    DivergenceRule {
        /// The absolute difference exceeds the tolerance and is significant (default).
        ToleranceAndSignificant => "tolerance_and_significant",
        /// The absolute difference exceeds the tolerance.
        Tolerance => "tolerance",
        /// The difference is significant.
        Significant => "significant",
    }
}

impl Default for DivergenceRule {
    fn default() -> Self {
        DivergenceRule::ToleranceAndSignificant
    }
}

/// One value of one source.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceRecord {
    pub period: String,
    #[serde(default)]
    pub group: String,
    pub value: f64,
    pub n: u64,
    /// The standard error (means only).
    #[serde(default)]
    pub se: Option<f64>,
}

/// Options of [`reconcile`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReconcileOptions {
    pub kind: KpiKind,
    /// The absolute difference the sources may differ by (default 0).
    pub tolerance: f64,
    /// Two-sided significance level (default 0.05); significant means p < alpha.
    pub alpha: f64,
    pub share_test: ShareTest,
    pub rule: DivergenceRule,
    /// The order of periods (default: the periods of both sources sorted as text).
    pub periods: Option<Vec<String>>,
}

impl Default for ReconcileOptions {
    fn default() -> Self {
        ReconcileOptions {
            kind: KpiKind::Share,
            tolerance: 0.0,
            alpha: 0.05,
            share_test: ShareTest::Pooled,
            rule: DivergenceRule::ToleranceAndSignificant,
            periods: None,
        }
    }
}

impl ReconcileOptions {
    /// Checks tolerance >= 0 (finite) and 0 < alpha < 1.
    pub fn validate(&self) -> Result<()> {
        if !(self.tolerance.is_finite() && self.tolerance >= 0.0) {
            return Err(CxkpiError::invalid(
                "tolerance",
                format!("{} must be finite and >= 0", self.tolerance),
            ));
        }
        if !(self.alpha > 0.0 && self.alpha < 1.0) {
            return Err(CxkpiError::invalid(
                "alpha",
                format!("{} must lie strictly between 0 and 1", self.alpha),
            ));
        }
        Ok(())
    }

    /// Reads the options from an options map (keys as the fields).
    pub fn from_options(o: &Options) -> Result<Self> {
        let mut r = OptionReader::new(o);
        let d = ReconcileOptions::default();
        let periods =
            match o.get("periods") {
                None | Some(serde_json::Value::Null) => None,
                Some(v) => Some(serde_json::from_value::<Vec<String>>(v.clone()).map_err(
                    |_| CxkpiError::invalid("periods", "expected a list of period names"),
                )?),
            };
        let _ = r.str("periods").ok();
        let s = ReconcileOptions {
            kind: r.enumeration("kind")?.unwrap_or_default(),
            tolerance: r.f64("tolerance")?.unwrap_or(d.tolerance),
            alpha: r.f64("alpha")?.unwrap_or(d.alpha),
            share_test: r.enumeration("share_test")?.unwrap_or_default(),
            rule: r.enumeration("rule")?.unwrap_or_default(),
            periods,
        };
        r.finish()?;
        s.validate()?;
        Ok(s)
    }
}

/// One matched period and group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReconcileRow {
    pub period: String,
    pub group: String,
    pub value_a: f64,
    pub value_b: f64,
    pub n_a: u64,
    pub n_b: u64,
    /// `value_a - value_b`.
    pub difference: f64,
    pub within_tolerance: bool,
    /// Standard error of the difference (null when zero).
    pub se: Option<f64>,
    pub z: Option<f64>,
    /// Two-sided normal p-value (null when the standard error is zero).
    pub p_value: Option<f64>,
    /// p < alpha; with a zero standard error, whether the difference is non-zero.
    pub significant: bool,
    pub diverging: bool,
}

/// Where and since when one group diverges.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupDivergence {
    pub group: String,
    /// Matched periods of the group.
    pub n_periods: u64,
    pub n_diverging: u64,
    /// Whether the latest matched period diverges.
    pub diverging_now: bool,
    /// The first period of the current (latest) run of diverging periods; null if not diverging now.
    pub since: Option<String>,
    /// The length of that run in matched periods.
    pub run_length: u64,
    pub latest_period: String,
}

/// A period and group present in one source only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unmatched {
    pub period: String,
    pub group: String,
}

/// The outcome of [`reconcile`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reconciliation {
    pub kind: KpiKind,
    pub tolerance: f64,
    pub alpha: f64,
    pub share_test: ShareTest,
    pub rule: DivergenceRule,
    /// Matched rows, by group (sorted) then period order.
    pub rows: Vec<ReconcileRow>,
    /// One entry per group, sorted by group.
    pub groups: Vec<GroupDivergence>,
    pub only_in_a: Vec<Unmatched>,
    pub only_in_b: Vec<Unmatched>,
    pub n_diverging: u64,
}

fn index(
    arg: &str,
    recs: &[SourceRecord],
    kind: KpiKind,
) -> Result<BTreeMap<(String, String), SourceRecord>> {
    let mut m = BTreeMap::new();
    for (i, r) in recs.iter().enumerate() {
        let at = |k: &str| format!("{arg}[{i}].{k}");
        if r.n == 0 {
            return Err(CxkpiError::invalid(&at("n"), "must be at least 1"));
        }
        match kind {
            KpiKind::Share => {
                if !(r.value >= 0.0 && r.value <= 1.0) {
                    return Err(CxkpiError::invalid(
                        &at("value"),
                        format!("share {} is outside [0, 1]", r.value),
                    ));
                }
            }
            KpiKind::Mean => {
                if !r.value.is_finite() {
                    return Err(CxkpiError::invalid(
                        &at("value"),
                        format!("{} is not finite", r.value),
                    ));
                }
                match r.se {
                    Some(s) if s.is_finite() && s >= 0.0 => {}
                    Some(s) => {
                        return Err(CxkpiError::invalid(
                            &at("se"),
                            format!("{s} must be finite and >= 0"),
                        ))
                    }
                    None => {
                        return Err(CxkpiError::invalid(
                            &at("se"),
                            "a mean needs its standard error",
                        ))
                    }
                }
            }
        }
        if m.insert((r.group.clone(), r.period.clone()), r.clone())
            .is_some()
        {
            return Err(CxkpiError::invalid(
                &at("period"),
                format!(
                    "period \"{}\" group \"{}\" appears twice",
                    r.period, r.group
                ),
            ));
        }
    }
    Ok(m)
}

/// Compares source `a` with source `b` per period and group: difference `a - b`, whether it is within
/// the tolerance, its z test given the n (shares) or standard errors (means) on each side, and per group
/// since when the sources diverge (the first period of the latest run of diverging matched periods).
/// Periods or groups present in one source only are listed, not dropped.
///
/// ```
/// use cxkpi::quality::{reconcile, ReconcileOptions, SourceRecord};
/// let rec = |p: &str, v: f64, n: u64| SourceRecord { period: p.into(), group: "all".into(), value: v, n, se: None };
/// let a = vec![rec("Q1", 0.50, 400), rec("Q2", 0.60, 400)];
/// let b = vec![rec("Q1", 0.50, 400), rec("Q2", 0.50, 400)];
/// let o = ReconcileOptions { tolerance: 0.02, ..Default::default() };
/// let r = reconcile(&a, &b, &o).unwrap();
/// assert!(r.rows[1].diverging);
/// assert_eq!(r.groups[0].since.as_deref(), Some("Q2"));
/// ```
pub fn reconcile(
    a: &[SourceRecord],
    b: &[SourceRecord],
    o: &ReconcileOptions,
) -> Result<Reconciliation> {
    o.validate()?;
    let ma = index("a", a, o.kind)?;
    let mb = index("b", b, o.kind)?;
    let order: BTreeMap<String, usize> = match &o.periods {
        Some(p) => {
            let mut m = BTreeMap::new();
            for (i, x) in p.iter().enumerate() {
                if m.insert(x.clone(), i).is_some() {
                    return Err(CxkpiError::invalid(
                        "periods",
                        format!("\"{x}\" is listed twice"),
                    ));
                }
            }
            for (_, per) in ma.keys().chain(mb.keys()) {
                if !m.contains_key(per) {
                    return Err(CxkpiError::invalid(
                        "periods",
                        format!("period \"{per}\" of the data is not in the period order"),
                    ));
                }
            }
            m
        }
        None => {
            let s: BTreeSet<&String> = ma.keys().chain(mb.keys()).map(|k| &k.1).collect();
            s.into_iter()
                .enumerate()
                .map(|(i, p)| (p.clone(), i))
                .collect()
        }
    };
    let mut keys: Vec<&(String, String)> = ma.keys().chain(mb.keys()).collect();
    keys.sort_by(|x, y| x.0.cmp(&y.0).then(order[&x.1].cmp(&order[&y.1])));
    keys.dedup();
    let mut rows = Vec::new();
    let (mut only_a, mut only_b) = (vec![], vec![]);
    for k in keys {
        let (ra, rb) = match (ma.get(k), mb.get(k)) {
            (Some(x), Some(y)) => (x, y),
            (Some(_), None) => {
                only_a.push(Unmatched {
                    period: k.1.clone(),
                    group: k.0.clone(),
                });
                continue;
            }
            _ => {
                only_b.push(Unmatched {
                    period: k.1.clone(),
                    group: k.0.clone(),
                });
                continue;
            }
        };
        let d = ra.value - rb.value;
        let (na, nb) = (ra.n as f64, rb.n as f64);
        let var = match o.kind {
            KpiKind::Share => match o.share_test {
                ShareTest::Pooled => {
                    let p = (ra.value * na + rb.value * nb) / (na + nb);
                    p * (1.0 - p) * (1.0 / na + 1.0 / nb)
                }
                ShareTest::Unpooled => {
                    ra.value * (1.0 - ra.value) / na + rb.value * (1.0 - rb.value) / nb
                }
            },
            KpiKind::Mean => {
                let (sa, sb) = (ra.se.unwrap_or(0.0), rb.se.unwrap_or(0.0));
                sa * sa + sb * sb
            }
        };
        let se = var.max(0.0).sqrt();
        let (se, z, p) = if se > 0.0 {
            let z = d / se;
            (Some(se), Some(z), Some((2.0 * normal_sf(z.abs())).min(1.0)))
        } else {
            (None, None, None)
        };
        let significant = match p {
            Some(p) => p < o.alpha,
            None => d != 0.0,
        };
        let within = d.abs() <= o.tolerance;
        let diverging = match o.rule {
            DivergenceRule::ToleranceAndSignificant => !within && significant,
            DivergenceRule::Tolerance => !within,
            DivergenceRule::Significant => significant,
        };
        rows.push(ReconcileRow {
            period: k.1.clone(),
            group: k.0.clone(),
            value_a: ra.value,
            value_b: rb.value,
            n_a: ra.n,
            n_b: rb.n,
            difference: d,
            within_tolerance: within,
            se,
            z,
            p_value: p,
            significant,
            diverging,
        });
    }
    let mut groups = Vec::new();
    let mut i = 0;
    while i < rows.len() {
        let mut j = i + 1;
        while j < rows.len() && rows[j].group == rows[i].group {
            j += 1;
        }
        let g = &rows[i..j];
        let mut run = 0;
        while run < g.len() && g[g.len() - 1 - run].diverging {
            run += 1;
        }
        groups.push(GroupDivergence {
            group: g[0].group.clone(),
            n_periods: g.len() as u64,
            n_diverging: g.iter().filter(|r| r.diverging).count() as u64,
            diverging_now: run > 0,
            since: (run > 0).then(|| g[g.len() - run].period.clone()),
            run_length: run as u64,
            latest_period: g[g.len() - 1].period.clone(),
        });
        i = j;
    }
    Ok(Reconciliation {
        kind: o.kind,
        tolerance: o.tolerance,
        alpha: o.alpha,
        share_test: o.share_test,
        rule: o.rule,
        n_diverging: rows.iter().filter(|r| r.diverging).count() as u64,
        rows,
        groups,
        only_in_a: only_a,
        only_in_b: only_b,
    })
}
