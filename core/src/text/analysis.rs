//! What the tags say: theme frequency and trend by period, theme impact (pain-point ranking) and the
//! validation of a taxonomy against a hand-labelled sample.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::error::{CxkpiError, Result};
use crate::stats::check;
use crate::stats::sum::NeumaierSum;
use crate::text::tag::ThemeTags;
use crate::text::taxonomy::{ParentPolicy, Taxonomy};

/// One theme's frequency by period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThemePeriodRow {
    /// Theme id.
    pub id: String,
    /// Verbatims tagged with the theme, per period (order of `ThemeTrend::periods`).
    pub counts: Vec<u64>,
    /// counts / verbatims of the period (None for a period without verbatims: not possible here, kept
    /// for symmetry with merged partials).
    pub shares: Vec<f64>,
    /// Least-squares slope of the share on the period position 0, 1, …, P-1 (share points per period;
    /// None with fewer than two periods).
    pub slope: Option<f64>,
    /// Share in the last period minus the share in the one before (None with fewer than two periods).
    pub last_change: Option<f64>,
}

/// Theme frequency and trend by period ([`theme_trend`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThemeTrend {
    /// The distinct period codes, ascending.
    pub periods: Vec<i64>,
    /// Verbatims per period.
    pub n_by_period: Vec<u64>,
    /// One row per theme, document order.
    pub themes: Vec<ThemePeriodRow>,
    /// `ols_on_period_position`.
    pub slope_method: String,
}

/// Frequency of every theme per period (`periods[i]` = period code of verbatim i, e.g. 202601 or a
/// quarter index) and its trend: the least-squares slope of the share over the period positions
/// 0..P-1 (equally spaced, whatever the codes) and the last period-on-period change.
///
/// ```
/// use cxkpi::text::{tag_themes, theme_trend, Taxonomy};
/// let tax = Taxonomy::from_json(r#"{"version":"1","themes":[{"id":"price","keywords":["price*"]}]}"#).unwrap();
/// let tags = tag_themes(&tax, &["prices up", "fine", "price!", "great"]).unwrap();
/// let tr = theme_trend(&tags, &[1, 1, 2, 2]).unwrap();
/// assert_eq!(tr.themes[0].shares, vec![0.5, 0.5]);
/// ```
pub fn theme_trend(tags: &ThemeTags, periods: &[i64]) -> Result<ThemeTrend> {
    let n = tags.n_verbatims as usize;
    check::same_len("periods", periods.len(), "verbatims", n)?;
    let mut codes: Vec<i64> = periods.to_vec();
    codes.sort_unstable();
    codes.dedup();
    let pos: HashMap<i64, usize> = codes.iter().enumerate().map(|(i, &c)| (c, i)).collect();
    let p = codes.len();
    let k = tags.theme_ids.len();
    let mut n_by = vec![0u64; p];
    let mut counts = vec![vec![0u64; p]; k];
    for (i, per) in periods.iter().enumerate() {
        let j = pos[per];
        n_by[j] += 1;
        for &t in tags.themes_of(i) {
            counts[t as usize][j] += 1;
        }
    }
    let xbar = (p as f64 - 1.0) / 2.0;
    let sxx: f64 = (0..p).map(|j| (j as f64 - xbar).powi(2)).sum();
    let themes = counts
        .into_iter()
        .enumerate()
        .map(|(t, c)| {
            let shares: Vec<f64> = c
                .iter()
                .zip(&n_by)
                .map(|(&a, &b)| a as f64 / b as f64)
                .collect();
            let (slope, last_change) = if p >= 2 {
                let mut sxy = NeumaierSum::default();
                for (j, s) in shares.iter().enumerate() {
                    sxy.add((j as f64 - xbar) * s);
                }
                (Some(sxy.value() / sxx), Some(shares[p - 1] - shares[p - 2]))
            } else {
                (None, None)
            };
            ThemePeriodRow {
                id: tags.theme_ids[t].clone(),
                counts: c,
                shares,
                slope,
                last_change,
            }
        })
        .collect();
    Ok(ThemeTrend {
        periods: codes,
        n_by_period: n_by,
        themes,
        slope_method: "ols_on_period_position".into(),
    })
}

/// Options of [`theme_impact`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ImpactOptions {
    /// A verbatim is negative when its sentiment is strictly below this (default 0 on the -1..1 scale).
    pub negative_below: f64,
}

impl Default for ImpactOptions {
    fn default() -> Self {
        ImpactOptions {
            negative_below: 0.0,
        }
    }
}

impl ImpactOptions {
    /// Checks the options (a finite threshold).
    pub fn validate(&self) -> Result<()> {
        if !self.negative_below.is_finite() {
            return Err(CxkpiError::invalid(
                "negative_below",
                format!("{} must be finite", self.negative_below),
            ));
        }
        Ok(())
    }
}

/// One theme of the impact ranking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImpactRow {
    /// 1 = largest impact.
    pub rank: u32,
    /// Theme id.
    pub id: String,
    /// Verbatims (with a sentiment) tagged with the theme.
    pub n: u64,
    /// n / verbatims with a sentiment.
    pub frequency: f64,
    /// Of the n, those with a negative sentiment.
    pub n_negative: u64,
    /// n_negative / n (None when n = 0).
    pub negative_share: Option<f64>,
    /// Value at risk of the theme: the sum of `value` over its n verbatims (revenue), or n (customers) when
    /// no value column is given.
    pub value: f64,
    /// frequency × negative_share × value (0 when n = 0).
    pub impact: f64,
}

/// Themes ranked by impact ([`theme_impact`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThemeImpact {
    /// Rows by descending impact (ties: document order).
    pub rows: Vec<ImpactRow>,
    /// Verbatims with a sentiment (the denominator of `frequency`).
    pub n_verbatims: u64,
    /// Verbatims whose sentiment is missing (NaN): excluded from every figure.
    pub n_missing_sentiment: u64,
    /// `value` (a value column was given) or `customers`.
    pub value_basis: String,
    /// The threshold used.
    pub negative_below: f64,
    /// `frequency_x_negative_share_x_value`.
    pub formula: String,
}

/// Ranks themes as pain points: impact_t = frequency_t × negative share_t × value_t, where
/// frequency_t = n_t / N (N verbatims with a sentiment), negative share_t = n_t⁻ / n_t (sentiment strictly
/// below `negative_below`) and value_t = Σ value over the theme's verbatims (revenue at risk) or n_t
/// (customers at risk) without a value column. Missing sentiments (NaN) are excluded and counted.
///
/// ```
/// use cxkpi::text::{tag_themes, theme_impact, ImpactOptions, Taxonomy};
/// let tax = Taxonomy::from_json(r#"{"version":"1","themes":[
///   {"id":"price","keywords":["price"]},{"id":"staff","keywords":["staff"]}]}"#).unwrap();
/// let tags = tag_themes(&tax, &["price too high", "staff rude", "staff great", "price ok"]).unwrap();
/// let imp = theme_impact(&tags, &[-0.8, -0.5, 0.9, 0.1], None, &ImpactOptions::default()).unwrap();
/// assert_eq!(imp.rows[0].id, "price"); // 0.5 x 0.5 x 2 = 0.5, staff also 0.5: tie -> document order
/// ```
pub fn theme_impact(
    tags: &ThemeTags,
    sentiment: &[f64],
    value: Option<&[f64]>,
    options: &ImpactOptions,
) -> Result<ThemeImpact> {
    options.validate()?;
    let n = tags.n_verbatims as usize;
    check::same_len("sentiment", sentiment.len(), "verbatims", n)?;
    if let Some(v) = value {
        check::same_len("value", v.len(), "verbatims", n)?;
        for (i, &x) in v.iter().enumerate() {
            if !x.is_finite() || x < 0.0 {
                return Err(CxkpiError::InvalidWeight {
                    arg: "value".into(),
                    index: i,
                    value: x,
                    reason: "a value at risk must be finite and non-negative".into(),
                });
            }
        }
    }
    for (i, &s) in sentiment.iter().enumerate() {
        if s.is_infinite() {
            return Err(CxkpiError::invalid(
                "sentiment",
                format!("sentiment[{i}] = {s}; values must be finite (NaN = missing)"),
            ));
        }
    }
    let k = tags.theme_ids.len();
    let mut cnt = vec![0u64; k];
    let mut neg = vec![0u64; k];
    let mut val: Vec<NeumaierSum> = vec![NeumaierSum::default(); k];
    let mut n_used = 0u64;
    let mut n_missing = 0u64;
    for (i, &s) in sentiment.iter().enumerate() {
        if s.is_nan() {
            n_missing += 1;
            continue;
        }
        n_used += 1;
        let is_neg = s < options.negative_below;
        for &t in tags.themes_of(i) {
            let t = t as usize;
            cnt[t] += 1;
            if is_neg {
                neg[t] += 1;
            }
            val[t].add(value.map_or(1.0, |v| v[i]));
        }
    }
    if n_used == 0 {
        return Err(CxkpiError::InsufficientData {
            what: "theme impact (verbatims with a sentiment)".into(),
            n: 0,
            required: 1,
        });
    }
    let mut rows: Vec<ImpactRow> = (0..k)
        .map(|t| {
            let frequency = cnt[t] as f64 / n_used as f64;
            let negative_share = (cnt[t] > 0).then(|| neg[t] as f64 / cnt[t] as f64);
            let value = val[t].value();
            ImpactRow {
                rank: 0,
                id: tags.theme_ids[t].clone(),
                n: cnt[t],
                frequency,
                n_negative: neg[t],
                negative_share,
                value,
                impact: negative_share.map_or(0.0, |s| frequency * s * value),
            }
        })
        .collect();
    // stable sort keeps document order among ties
    rows.sort_by(|a, b| b.impact.total_cmp(&a.impact));
    for (r, row) in rows.iter_mut().enumerate() {
        row.rank = r as u32 + 1;
    }
    Ok(ThemeImpact {
        rows,
        n_verbatims: n_used,
        n_missing_sentiment: n_missing,
        value_basis: if value.is_some() {
            "value"
        } else {
            "customers"
        }
        .into(),
        negative_below: options.negative_below,
        formula: "frequency_x_negative_share_x_value".into(),
    })
}

/// Agreement of one theme's tags with the hand labels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThemeValidationRow {
    /// Theme id.
    pub id: String,
    /// Tagged and labelled.
    pub tp: u64,
    /// Tagged, not labelled.
    pub fp: u64,
    /// Labelled, not tagged (serialised as `fn`).
    #[serde(rename = "fn")]
    pub fn_: u64,
    /// Neither.
    pub tn: u64,
    /// tp / (tp + fp) (None when nothing was tagged).
    pub precision: Option<f64>,
    /// tp / (tp + fn) (None when nothing was labelled).
    pub recall: Option<f64>,
    /// 2·tp / (2·tp + fp + fn) (None when tp + fp + fn = 0).
    pub f1: Option<f64>,
    /// Cohen's kappa of presence/absence (None when the expected agreement is 1).
    pub kappa: Option<f64>,
}

/// Validation of a taxonomy against a hand-labelled sample ([`validate_taxonomy`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaxonomyValidation {
    /// Taxonomy version.
    pub taxonomy_version: String,
    /// Verbatims in the sample.
    pub n: u64,
    /// One row per theme, document order.
    pub themes: Vec<ThemeValidationRow>,
    /// Pooled over themes: Σtp / (Σtp + Σfp).
    pub micro_precision: Option<f64>,
    /// Σtp / (Σtp + Σfn).
    pub micro_recall: Option<f64>,
    /// 2Σtp / (2Σtp + Σfp + Σfn).
    pub micro_f1: Option<f64>,
    /// Mean of the defined per-theme F1 values.
    pub macro_f1: Option<f64>,
    /// `implied` (hand labels get the ancestors of every labelled theme, as the tags do) or `explicit`.
    pub parent_policy: String,
}

fn ratio(a: u64, b: u64) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

/// Compares the tags of a sample with hand labels: per theme precision, recall, F1 and Cohen's kappa of
/// presence/absence (2×2: p_o = (tp+tn)/n, p_e = ((tp+fp)(tp+fn) + (fn+tn)(fp+tn))/n², κ = (p_o-p_e)/(1-p_e)),
/// and micro/macro summaries. Hand labels are theme ids per verbatim; under `parent_policy = implied` each
/// labelled theme's ancestors count as labelled too. An unknown id is an error naming the verbatim.
///
/// ```
/// use cxkpi::text::{tag_themes, validate_taxonomy, Taxonomy};
/// let tax = Taxonomy::from_json(r#"{"version":"1","themes":[{"id":"price","keywords":["price"]}]}"#).unwrap();
/// let tags = tag_themes(&tax, &["price high", "too expensive", "nice"]).unwrap();
/// let gold = vec![vec!["price"], vec!["price"], vec![]];
/// let v = validate_taxonomy(&tax, &tags, &gold).unwrap();
/// assert_eq!(v.themes[0].recall, Some(0.5));
/// ```
pub fn validate_taxonomy<G: AsRef<[S]>, S: AsRef<str>>(
    taxonomy: &Taxonomy,
    tags: &ThemeTags,
    gold: &[G],
) -> Result<TaxonomyValidation> {
    let n = tags.n_verbatims as usize;
    check::same_len("labels", gold.len(), "verbatims", n)?;
    let ids: Vec<&str> = taxonomy.themes.iter().map(|t| t.id.as_str()).collect();
    if ids.len() != tags.theme_ids.len() || ids.iter().zip(&tags.theme_ids).any(|(a, b)| a != b) {
        return Err(CxkpiError::invalid(
            "tags",
            "the tags were not produced with this taxonomy (theme ids differ)",
        ));
    }
    let index: HashMap<&str, usize> = ids.iter().enumerate().map(|(i, &s)| (s, i)).collect();
    let anc = taxonomy.ancestors();
    let k = ids.len();
    let (mut tp, mut fp, mut fnn) = (vec![0u64; k], vec![0u64; k], vec![0u64; k]);
    let mut lab = vec![false; k];
    let mut pred = vec![false; k];
    for (i, g) in gold.iter().enumerate() {
        lab.iter_mut().for_each(|x| *x = false);
        pred.iter_mut().for_each(|x| *x = false);
        for s in g.as_ref() {
            let s = s.as_ref();
            let Some(&t) = index.get(s) else {
                return Err(CxkpiError::invalid(
                    "labels",
                    format!(
                        "labels[{i}] names theme \"{s}\", which is not in taxonomy {}",
                        taxonomy.version
                    ),
                ));
            };
            lab[t] = true;
            if taxonomy.parent_policy == ParentPolicy::Implied {
                for &a in &anc[t] {
                    lab[a as usize] = true;
                }
            }
        }
        for &t in tags.themes_of(i) {
            pred[t as usize] = true;
        }
        for t in 0..k {
            match (pred[t], lab[t]) {
                (true, true) => tp[t] += 1,
                (true, false) => fp[t] += 1,
                (false, true) => fnn[t] += 1,
                _ => {}
            }
        }
    }
    let nf = n as f64;
    let mut themes = Vec::with_capacity(k);
    let (mut stp, mut sfp, mut sfn) = (0u64, 0u64, 0u64);
    let mut f1s = Vec::new();
    for t in 0..k {
        let tn = n as u64 - tp[t] - fp[t] - fnn[t];
        let f1 = ratio(2 * tp[t], 2 * tp[t] + fp[t] + fnn[t]);
        if let Some(f) = f1 {
            f1s.push(f);
        }
        let po = (tp[t] + tn) as f64 / nf;
        let pe = ((tp[t] + fp[t]) as f64 * (tp[t] + fnn[t]) as f64
            + (fnn[t] + tn) as f64 * (fp[t] + tn) as f64)
            / (nf * nf);
        let kappa = (pe < 1.0).then(|| (po - pe) / (1.0 - pe));
        stp += tp[t];
        sfp += fp[t];
        sfn += fnn[t];
        themes.push(ThemeValidationRow {
            id: ids[t].to_string(),
            tp: tp[t],
            fp: fp[t],
            fn_: fnn[t],
            tn,
            precision: ratio(tp[t], tp[t] + fp[t]),
            recall: ratio(tp[t], tp[t] + fnn[t]),
            f1,
            kappa,
        });
    }
    let macro_f1 = (!f1s.is_empty()).then(|| NeumaierSum::of(&f1s) / f1s.len() as f64);
    Ok(TaxonomyValidation {
        taxonomy_version: taxonomy.version.clone(),
        n: n as u64,
        themes,
        micro_precision: ratio(stp, stp + sfp),
        micro_recall: ratio(stp, stp + sfn),
        micro_f1: ratio(2 * stp, 2 * stp + sfp + sfn),
        macro_f1,
        parent_policy: taxonomy.parent_policy.name().into(),
    })
}
