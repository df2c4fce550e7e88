//! Manipulation screens, reported as evidence and never as a verdict: each finding carries an effect size,
//! its test statistic and p-value, Holm and Benjamini-Hochberg adjusted p-values across the units
//! screened, and the row indices that make up the evidence. A finding is `flagged` when its adjusted
//! p-value (the `adjust` policy) is at most `alpha`: a reason to look, not a conclusion.
//!
//! - [`top_box_inflation`]: each team's top-box share against the pooled rest (Fisher's exact test,
//!   one-sided, or the pooled two-proportion z test).
//! - [`low_variance`]: each team's spread against the pooled rest (Brown-Forsythe, Levene or the F ratio
//!   of variances), one-sided for *lower* spread.
//! - [`duplicate_verbatims`]: verbatims identical after normalisation, and near-duplicates by character
//!   shingles and Jaccard similarity (all pairs, or MinHash-LSH candidates verified exactly), as clusters
//!   of row indices; per team, the share of its verbatims in clusters against the rest (Fisher).
//! - [`selective_filtering`]: a rise in scores together with a fall in the invitation / response rate
//!   between two periods (Welch and pooled z, one-sided, combined by the intersection-union rule).
//! - [`coaching_step`]: a step in a team's scores right after a coaching date, against uncoached peers in
//!   the same window (difference-in-differences with its regression SE).
//!
//! Every result converts into [`Signal`]s for the alert ladder ([`crate::baseline::alerts`]).

use crate::baseline::signal::{BaselineInfo, Signal, SignalDirection};
use crate::error::{CxkpiError, Result};
use crate::stats::association::{p_adjust, PAdjust};
use crate::stats::check;
use crate::stats::dist::normal_sf;
use crate::stats::fdist::{f_sf, t_two_sided};
use crate::stats::impact::{did, t_test, Alternative, DidOptions, TTestKind, TTestOptions};
use crate::stats::regression::CovType;
use crate::stats::sum::NeumaierSum;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

// ---------------------------------------------------------------------------------------------------
// Common result
// ---------------------------------------------------------------------------------------------------

/// One unit (team, or coaching event) screened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Screen id: `top_box_inflation`, `low_variance`, `duplicate_verbatims`, `selective_filtering`,
    /// `coaching_step`.
    pub screen: String,
    /// Team code.
    pub team: u32,
    /// Team label (from `team_labels`, else `team <code>`).
    pub label: String,
    /// The team's value (share, variance, mean after, ...; see `effect_name`).
    pub value: f64,
    /// The comparison value (pooled peers, the period before, ...).
    pub reference: f64,
    /// Name of the effect size: `share_difference`, `variance_ratio`, `score_change`, `did`, ...
    pub effect_name: String,
    /// The effect size.
    pub effect: f64,
    /// Name of the test statistic: `z`, `odds_ratio`, `t`, `f`, ...
    pub statistic_name: String,
    /// The test statistic (None when undefined, e.g. zero variance or an infinite odds ratio).
    pub statistic: Option<f64>,
    /// Standard error of the effect, where the test has one.
    pub se: Option<f64>,
    /// p-value of the test (None when undefined: too few rows or no variation).
    pub p_value: Option<f64>,
    /// Holm-adjusted p-value across the units with a defined p.
    pub p_holm: Option<f64>,
    /// Benjamini-Hochberg adjusted p-value across the units with a defined p.
    pub p_bh: Option<f64>,
    /// True when the adjusted p (per `adjust`) is at most `alpha`.
    pub flagged: bool,
    /// Rows of the unit.
    pub n: u64,
    /// Further named numbers of the screen (counts, the second test of a combined screen, ...).
    pub measures: BTreeMap<String, f64>,
    /// The evidence: row indices (ascending).
    pub rows: Vec<usize>,
}

/// Result of a team screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScreenResult {
    /// Screen id.
    pub screen: String,
    /// The test used (e.g. `fisher_exact_greater`, `brown_forsythe_less`).
    pub method: String,
    /// Which adjusted p drives `flagged`: `holm` or `benjamini_hochberg`.
    pub adjust: String,
    /// Level for `flagged`.
    pub alpha: f64,
    /// Named numeric parameters of the screen.
    pub parameters: BTreeMap<String, f64>,
    /// One finding per unit, in ascending team code (events: in input order).
    pub findings: Vec<Finding>,
}

/// Multiplicity adjustment used for `flagged`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum AdjustPolicy {
    /// Holm step-down (family-wise error; default).
    #[default]
    Holm,
    /// Benjamini-Hochberg (false discovery rate).
    #[serde(alias = "bh", alias = "fdr")]
    BenjaminiHochberg,
}

impl AdjustPolicy {
    fn name(self) -> &'static str {
        match self {
            AdjustPolicy::Holm => "holm",
            AdjustPolicy::BenjaminiHochberg => "benjamini_hochberg",
        }
    }
}

fn check_alpha(alpha: f64) -> Result<()> {
    if alpha > 0.0 && alpha < 1.0 {
        Ok(())
    } else {
        Err(CxkpiError::invalid(
            "alpha",
            format!("must lie strictly between 0 and 1, got {alpha}"),
        ))
    }
}

fn label_of(labels: &Option<Vec<String>>, team: u32) -> String {
    labels
        .as_ref()
        .and_then(|l| l.get(team as usize).cloned())
        .unwrap_or_else(|| format!("team {team}"))
}

fn check_labels(labels: &Option<Vec<String>>, teams: &[u32]) -> Result<()> {
    if let Some(l) = labels {
        if let Some((i, &t)) = teams
            .iter()
            .enumerate()
            .find(|(_, &t)| t as usize >= l.len())
        {
            return Err(CxkpiError::invalid(
                "team_labels",
                format!(
                    "has {} labels but teams[{i}] = {t} needs label index {t}",
                    l.len()
                ),
            ));
        }
    }
    Ok(())
}

/// Fills `p_holm`, `p_bh` and `flagged` across the findings with a defined p.
fn adjust(findings: &mut [Finding], policy: AdjustPolicy, alpha: f64) -> Result<()> {
    let idx: Vec<usize> = (0..findings.len())
        .filter(|&i| findings[i].p_value.is_some())
        .collect();
    let p: Vec<f64> = idx
        .iter()
        .map(|&i| findings[i].p_value.unwrap_or(1.0))
        .collect();
    let holm = p_adjust(&p, PAdjust::Holm)?;
    let bh = p_adjust(&p, PAdjust::BenjaminiHochberg)?;
    for (k, &i) in idx.iter().enumerate() {
        let f = &mut findings[i];
        f.p_holm = Some(holm[k]);
        f.p_bh = Some(bh[k]);
        let adj = match policy {
            AdjustPolicy::Holm => holm[k],
            AdjustPolicy::BenjaminiHochberg => bh[k],
        };
        f.flagged = adj <= alpha;
    }
    Ok(())
}

/// Rows of each team, teams ascending.
fn rows_by_team(teams: &[u32]) -> BTreeMap<u32, Vec<usize>> {
    let mut m: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
    for (i, &t) in teams.iter().enumerate() {
        m.entry(t).or_default().push(i);
    }
    m
}

fn blank_finding(screen: &str, team: u32, label: String) -> Finding {
    Finding {
        screen: screen.into(),
        team,
        label,
        value: 0.0,
        reference: 0.0,
        effect_name: String::new(),
        effect: 0.0,
        statistic_name: String::new(),
        statistic: None,
        se: None,
        p_value: None,
        p_holm: None,
        p_bh: None,
        flagged: false,
        n: 0,
        measures: BTreeMap::new(),
        rows: Vec::new(),
    }
}

/// P(X ≥ x) for X hypergeometric: `draws` rows drawn from `total`, of which `successes` are successes;
/// a ratio recursion normalised over the whole support (no factorial overflows, full relative accuracy).
pub fn hypergeom_sf_ge(x: u64, total: u64, successes: u64, draws: u64) -> f64 {
    let lo = draws.saturating_sub(total - successes);
    let hi = draws.min(successes);
    if x <= lo {
        return 1.0;
    }
    if x > hi {
        return 0.0;
    }
    let (n, k, d) = (total as f64, successes as f64, draws as f64);
    let mode = (((d + 1.0) * (k + 1.0) / (n + 2.0)).floor() as u64).clamp(lo, hi);
    let len = (hi - lo + 1) as usize;
    let mut t = vec![0.0f64; len];
    t[(mode - lo) as usize] = 1.0;
    // upwards: t(j+1)/t(j) = (K - j)(d - j) / ((j + 1)(N - K - d + j + 1))
    let mut v = 1.0;
    for j in mode..hi {
        let jf = j as f64;
        v *= (k - jf) * (d - jf) / ((jf + 1.0) * (n - k - d + jf + 1.0));
        t[(j + 1 - lo) as usize] = v;
        if v == 0.0 {
            break;
        }
    }
    let mut v = 1.0;
    let mut j = mode;
    while j > lo {
        let jf = (j - 1) as f64;
        // t(j-1)/t(j) = j (N - K - d + j) / ((K - j + 1)(d - j + 1))
        v *= (jf + 1.0) * (n - k - d + jf + 1.0) / ((k - jf) * (d - jf));
        t[(j - 1 - lo) as usize] = v;
        if v == 0.0 {
            break;
        }
        j -= 1;
    }
    let mut all = NeumaierSum::default();
    let mut upper = NeumaierSum::default();
    for (i, &ti) in t.iter().enumerate() {
        all.add(ti);
        if lo + i as u64 >= x {
            upper.add(ti);
        }
    }
    (upper.value() / all.value()).clamp(0.0, 1.0)
}

// ---------------------------------------------------------------------------------------------------
// Top-box inflation
// ---------------------------------------------------------------------------------------------------

/// Test of a team's share against the pooled rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ShareTest {
    /// Fisher's exact test, one-sided (team share greater); statistic = sample odds ratio (default).
    #[default]
    FisherExact,
    /// Pooled two-proportion z test, one-sided (greater).
    Z,
}

/// Options of [`top_box_inflation`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TopBoxInflationOptions {
    /// Lowest score that counts as top box (default 9: promoters on 0-10; 4 for top-2 of 1-5).
    pub top_min: f64,
    /// `fisher_exact` (default) or `z`.
    pub test: ShareTest,
    /// `holm` (default) or `benjamini_hochberg`.
    pub adjust: AdjustPolicy,
    /// Level for `flagged` (default 0.05).
    pub alpha: f64,
    /// Labels of the team codes (label index = code).
    pub team_labels: Option<Vec<String>>,
}

impl Default for TopBoxInflationOptions {
    fn default() -> Self {
        TopBoxInflationOptions {
            top_min: 9.0,
            test: ShareTest::FisherExact,
            adjust: AdjustPolicy::Holm,
            alpha: 0.05,
            team_labels: None,
        }
    }
}

impl TopBoxInflationOptions {
    /// Checks the options.
    pub fn validate(&self) -> Result<()> {
        check_alpha(self.alpha)?;
        if !self.top_min.is_finite() {
            return Err(CxkpiError::invalid("top_min", "must be finite"));
        }
        Ok(())
    }
}

fn scores_teams(scores: &[f64], teams: &[u32]) -> Result<()> {
    if scores.is_empty() {
        return Err(CxkpiError::EmptyInput {
            arg: "scores".into(),
        });
    }
    check::same_len("teams", teams.len(), "scores", scores.len())?;
    check::finite("scores", scores)?;
    Ok(())
}

fn at_least_two_teams(by: &BTreeMap<u32, Vec<usize>>) -> Result<()> {
    if by.len() < 2 {
        return Err(CxkpiError::InsufficientData {
            what: "a screen against peers (distinct teams)".into(),
            n: by.len() as u64,
            required: 2,
        });
    }
    Ok(())
}

/// Top-box inflation: each team's top-box share against the pooled rest, one-sided.
///
/// ```
/// use cxkpi::baseline::screens::{top_box_inflation, TopBoxInflationOptions};
/// let scores = [10.0, 10.0, 9.0, 10.0, 9.0, 7.0, 8.0, 9.0, 6.0, 10.0, 5.0, 8.0];
/// let teams = [0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2];
/// let r = top_box_inflation(&scores, &teams, &TopBoxInflationOptions::default()).unwrap();
/// assert_eq!(r.findings[0].value, 1.0); // team 0: all top box
/// assert!(r.findings[0].p_value.unwrap() < 0.05);
/// ```
pub fn top_box_inflation(
    scores: &[f64],
    teams: &[u32],
    options: &TopBoxInflationOptions,
) -> Result<ScreenResult> {
    options.validate()?;
    scores_teams(scores, teams)?;
    check_labels(&options.team_labels, teams)?;
    let by = rows_by_team(teams);
    at_least_two_teams(&by)?;
    let total_n = scores.len() as u64;
    let total_top = scores.iter().filter(|&&s| s >= options.top_min).count() as u64;
    let mut findings = Vec::with_capacity(by.len());
    for (&team, rows) in &by {
        let n1 = rows.len() as u64;
        let x1 = rows
            .iter()
            .filter(|&&i| scores[i] >= options.top_min)
            .count() as u64;
        let (n2, x2) = (total_n - n1, total_top - x1);
        let (p1, p2) = (x1 as f64 / n1 as f64, x2 as f64 / n2 as f64);
        let mut f = blank_finding(
            "top_box_inflation",
            team,
            label_of(&options.team_labels, team),
        );
        f.value = p1;
        f.reference = p2;
        f.effect_name = "share_difference".into();
        f.effect = p1 - p2;
        f.n = n1;
        f.rows = rows.clone();
        f.measures.insert("top".into(), x1 as f64);
        f.measures.insert("peer_n".into(), n2 as f64);
        f.measures.insert("peer_top".into(), x2 as f64);
        let pooled = (x1 + x2) as f64 / (n1 + n2) as f64;
        let se = (pooled * (1.0 - pooled) * (1.0 / n1 as f64 + 1.0 / n2 as f64)).sqrt();
        match options.test {
            ShareTest::FisherExact => {
                f.statistic_name = "odds_ratio".into();
                let den = (n1 - x1) as f64 * x2 as f64;
                let num = x1 as f64 * (n2 - x2) as f64;
                f.statistic = (den > 0.0).then(|| num / den);
                f.se = (se > 0.0).then_some(se);
                f.p_value = Some(hypergeom_sf_ge(x1, n1 + n2, x1 + x2, n1));
            }
            ShareTest::Z => {
                f.statistic_name = "z".into();
                if se > 0.0 {
                    let z = (p1 - p2) / se;
                    f.statistic = Some(z);
                    f.se = Some(se);
                    f.p_value = Some(normal_sf(z));
                }
            }
        }
        findings.push(f);
    }
    adjust(&mut findings, options.adjust, options.alpha)?;
    let mut parameters = BTreeMap::new();
    parameters.insert("top_min".into(), options.top_min);
    parameters.insert("alpha".into(), options.alpha);
    Ok(ScreenResult {
        screen: "top_box_inflation".into(),
        method: match options.test {
            ShareTest::FisherExact => "fisher_exact_greater",
            ShareTest::Z => "z_pooled_greater",
        }
        .into(),
        adjust: options.adjust.name().into(),
        alpha: options.alpha,
        parameters,
        findings,
    })
}

// ---------------------------------------------------------------------------------------------------
// Low variance
// ---------------------------------------------------------------------------------------------------

/// Test of a team's spread against the pooled rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum VarianceTest {
    /// Brown-Forsythe: t test (pooled) on absolute deviations from each group's median, one-sided
    /// (default; robust to non-normal scores).
    #[default]
    BrownForsythe,
    /// Levene: the same on absolute deviations from each group's mean.
    Levene,
    /// F ratio s²_team / s²_rest, lower tail (normal theory).
    FRatio,
}

/// Options of [`low_variance`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LowVarianceOptions {
    /// `brown_forsythe` (default), `levene` or `f_ratio`.
    pub test: VarianceTest,
    /// `holm` (default) or `benjamini_hochberg`.
    pub adjust: AdjustPolicy,
    /// Level for `flagged` (default 0.05).
    pub alpha: f64,
    /// Labels of the team codes.
    pub team_labels: Option<Vec<String>>,
}

impl Default for LowVarianceOptions {
    fn default() -> Self {
        LowVarianceOptions {
            test: VarianceTest::BrownForsythe,
            adjust: AdjustPolicy::Holm,
            alpha: 0.05,
            team_labels: None,
        }
    }
}

impl LowVarianceOptions {
    /// Checks the options.
    pub fn validate(&self) -> Result<()> {
        check_alpha(self.alpha)
    }
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    crate::stats::quantile_sorted(v, 0.5)
}

fn var(xs: &[f64]) -> f64 {
    check::ss(xs, check::mean(xs)) / (xs.len() as f64 - 1.0)
}

/// Unusually low variance: each team's spread against the pooled rest, one-sided (lower).
///
/// ```
/// use cxkpi::baseline::screens::{low_variance, LowVarianceOptions};
/// let scores = [9.0, 9.0, 9.0, 9.0, 10.0, 2.0, 10.0, 5.0, 8.0, 0.0, 7.0, 9.0];
/// let teams = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1];
/// let r = low_variance(&scores, &teams, &LowVarianceOptions::default()).unwrap();
/// assert!(r.findings[0].effect < 0.1); // variance ratio team / rest
/// ```
pub fn low_variance(
    values: &[f64],
    teams: &[u32],
    options: &LowVarianceOptions,
) -> Result<ScreenResult> {
    options.validate()?;
    scores_teams(values, teams)?;
    check_labels(&options.team_labels, teams)?;
    let by = rows_by_team(teams);
    at_least_two_teams(&by)?;
    let mut findings = Vec::with_capacity(by.len());
    for (&team, rows) in &by {
        let own: Vec<f64> = rows.iter().map(|&i| values[i]).collect();
        let rest: Vec<f64> = (0..values.len())
            .filter(|&i| teams[i] != team)
            .map(|i| values[i])
            .collect();
        let mut f = blank_finding("low_variance", team, label_of(&options.team_labels, team));
        f.n = own.len() as u64;
        f.rows = rows.clone();
        f.effect_name = "variance_ratio".into();
        f.measures.insert("peer_n".into(), rest.len() as f64);
        if own.len() < 2 || rest.len() < 2 {
            f.value = 0.0;
            f.reference = 0.0;
            f.effect = 0.0;
            f.statistic_name = "t".into();
            findings.push(f);
            continue;
        }
        let (v1, v2) = (var(&own), var(&rest));
        f.value = v1;
        f.reference = v2;
        f.effect = if v2 > 0.0 { v1 / v2 } else { 0.0 };
        f.measures.insert("sd".into(), v1.sqrt());
        f.measures.insert("peer_sd".into(), v2.sqrt());
        let (d1, d2) = ((own.len() - 1) as f64, (rest.len() - 1) as f64);
        match options.test {
            VarianceTest::FRatio => {
                f.statistic_name = "f".into();
                if v2 > 0.0 && v1 > 0.0 {
                    let fr = v1 / v2;
                    f.statistic = Some(fr);
                    // P(F_{d1,d2} <= fr) = P(F_{d2,d1} >= 1/fr)
                    f.p_value = Some(f_sf(1.0 / fr, d2, d1));
                } else if v2 > 0.0 {
                    f.statistic = Some(0.0);
                    f.p_value = Some(0.0);
                }
            }
            VarianceTest::BrownForsythe | VarianceTest::Levene => {
                f.statistic_name = "t".into();
                let centre = |xs: &[f64]| -> f64 {
                    if options.test == VarianceTest::Levene {
                        check::mean(xs)
                    } else {
                        median(&mut xs.to_vec())
                    }
                };
                let (c1, c2) = (centre(&own), centre(&rest));
                let z1: Vec<f64> = own.iter().map(|x| (x - c1).abs()).collect();
                let z2: Vec<f64> = rest.iter().map(|x| (x - c2).abs()).collect();
                let (m1, m2) = (check::mean(&z1), check::mean(&z2));
                let (n1, n2) = (z1.len() as f64, z2.len() as f64);
                let sp = (check::ss(&z1, m1) + check::ss(&z2, m2)) / (n1 + n2 - 2.0);
                let se = (sp * (1.0 / n1 + 1.0 / n2)).sqrt();
                f.measures.insert("mean_abs_dev".into(), m1);
                f.measures.insert("peer_mean_abs_dev".into(), m2);
                if se > 0.0 {
                    let t = (m1 - m2) / se;
                    let df = n1 + n2 - 2.0;
                    let two = t_two_sided(t, df);
                    // lower tail P(T <= t)
                    let p = if t < 0.0 { two / 2.0 } else { 1.0 - two / 2.0 };
                    f.statistic = Some(t);
                    f.se = Some(se);
                    f.p_value = Some(p);
                    f.measures.insert("df".into(), df);
                    f.measures.insert("levene_w".into(), t * t);
                }
            }
        }
        findings.push(f);
    }
    adjust(&mut findings, options.adjust, options.alpha)?;
    let mut parameters = BTreeMap::new();
    parameters.insert("alpha".into(), options.alpha);
    Ok(ScreenResult {
        screen: "low_variance".into(),
        method: match options.test {
            VarianceTest::BrownForsythe => "brown_forsythe_less",
            VarianceTest::Levene => "levene_less",
            VarianceTest::FRatio => "f_ratio_less",
        }
        .into(),
        adjust: options.adjust.name().into(),
        alpha: options.alpha,
        parameters,
        findings,
    })
}

// ---------------------------------------------------------------------------------------------------
// Duplicated verbatims
// ---------------------------------------------------------------------------------------------------

/// How candidate pairs for near-duplicates are found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Candidates {
    /// `all_pairs` up to 3,000 distinct texts, else `minhash_lsh` (default).
    #[default]
    Auto,
    /// Every pair of distinct texts (exact, quadratic).
    AllPairs,
    /// MinHash signatures banded (LSH); every candidate pair is verified with the exact Jaccard, so there
    /// are no false positives (a pair far below the LSH curve's midpoint may be missed).
    MinhashLsh,
}

/// Options of [`duplicate_verbatims`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DuplicateOptions {
    /// Character shingle length (default 5).
    pub shingle: usize,
    /// Jaccard similarity of the shingle sets at or above which two texts are near-duplicates
    /// (default 0.8).
    pub threshold: f64,
    /// Texts shorter than this many characters after normalisation are not screened (default 20:
    /// "great service" twice is not scripting).
    pub min_chars: usize,
    /// `auto` (default), `all_pairs` or `minhash_lsh`.
    pub candidates: Candidates,
    /// LSH bands (default 32).
    pub bands: usize,
    /// Rows per band (default 4); bands × rows MinHash functions.
    pub rows_per_band: usize,
    /// Seed of the MinHash functions (default 0; deterministic).
    pub seed: u64,
    /// `holm` (default) or `benjamini_hochberg` for the per-team findings.
    pub adjust: AdjustPolicy,
    /// Level for `flagged` (default 0.05).
    pub alpha: f64,
    /// Labels of the team codes.
    pub team_labels: Option<Vec<String>>,
}

impl Default for DuplicateOptions {
    fn default() -> Self {
        DuplicateOptions {
            shingle: 5,
            threshold: 0.8,
            min_chars: 20,
            candidates: Candidates::Auto,
            bands: 32,
            rows_per_band: 4,
            seed: 0,
            adjust: AdjustPolicy::Holm,
            alpha: 0.05,
            team_labels: None,
        }
    }
}

impl DuplicateOptions {
    /// Checks the options.
    pub fn validate(&self) -> Result<()> {
        check_alpha(self.alpha)?;
        if self.shingle == 0 {
            return Err(CxkpiError::invalid("shingle", "must be at least 1"));
        }
        if !(self.threshold > 0.0 && self.threshold <= 1.0) {
            return Err(CxkpiError::invalid(
                "threshold",
                format!("must lie in (0, 1], got {}", self.threshold),
            ));
        }
        if self.bands == 0 || self.rows_per_band == 0 {
            return Err(CxkpiError::invalid(
                "bands",
                "bands and rows_per_band must be at least 1",
            ));
        }
        Ok(())
    }
}

/// A cluster of duplicated or near-duplicated verbatims.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DuplicateCluster {
    /// `exact` (all identical after normalisation) or `near`.
    pub kind: String,
    /// Row indices (ascending).
    pub rows: Vec<usize>,
    /// Number of rows.
    pub size: u64,
    /// Distinct normalised texts in the cluster.
    pub distinct_texts: u64,
    /// Smallest Jaccard similarity among the pairs that linked the cluster (1 for exact clusters).
    pub min_similarity: f64,
    /// The normalised text of the cluster's first row.
    pub text: String,
    /// Team codes present (when `teams` was given).
    pub teams: Vec<u32>,
}

/// Result of [`duplicate_verbatims`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DuplicateResult {
    /// Clusters ordered by their first row.
    pub clusters: Vec<DuplicateCluster>,
    /// Rows screened.
    pub n_screened: u64,
    /// Rows without a verbatim (None or empty after normalisation).
    pub n_missing: u64,
    /// Rows shorter than `min_chars` after normalisation.
    pub n_short: u64,
    /// Screened rows that fall in a cluster.
    pub n_in_clusters: u64,
    /// Normalisation applied (named).
    pub normalisation: String,
    /// Candidate method used: `all_pairs` or `minhash_lsh`.
    pub candidates: String,
    /// Shingle length, threshold and LSH parameters.
    pub parameters: BTreeMap<String, f64>,
    /// Per team (when `teams` was given): share of its screened verbatims in clusters against the rest,
    /// one-sided Fisher; otherwise empty.
    pub findings: Vec<Finding>,
    /// `holm` or `benjamini_hochberg`.
    pub adjust: String,
    /// Level for `flagged`.
    pub alpha: f64,
}

/// NFKC, lower case, every non-alphanumeric character a space, runs of spaces collapsed, trimmed.
pub fn normalise_verbatim(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::with_capacity(s.len());
    let mut space = true;
    for c in s.nfkc().flat_map(|c| c.to_lowercase()) {
        if c.is_alphanumeric() {
            out.push(c);
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    while out.ends_with(' ') {
        out.pop();
    }
    out
}

fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Sorted, de-duplicated 64-bit hashes (FNV-1a) of the character `k`-shingles of `s`.
fn shingles(s: &str, k: usize) -> Vec<u64> {
    let idx: Vec<usize> = s
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(s.len()))
        .collect();
    let nchar = idx.len() - 1;
    let mut out: Vec<u64> = if nchar <= k {
        vec![fnv1a(s.as_bytes())]
    } else {
        (0..=nchar - k)
            .map(|i| fnv1a(&s.as_bytes()[idx[i]..idx[i + k]]))
            .collect()
    };
    out.sort_unstable();
    out.dedup();
    out
}

fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    let (mut i, mut j, mut inter) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                inter += 1;
                i += 1;
                j += 1;
            }
        }
    }
    inter as f64 / (a.len() + b.len() - inter) as f64
}

fn find(parent: &mut [usize], mut x: usize) -> usize {
    while parent[x] != x {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    x
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if ra != rb {
        let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
        parent[hi] = lo;
    }
}

/// Duplicated and near-duplicated verbatims (response scripting), as clusters of row indices.
///
/// ```
/// use cxkpi::baseline::screens::{duplicate_verbatims, DuplicateOptions};
/// let texts = [
///     Some("The agent was very helpful and solved my issue quickly!"),
///     Some("the agent was very helpful and solved my issue quickly"),
///     Some("Delivery took three weeks and nobody answered the phone."),
///     None,
/// ];
/// let r = duplicate_verbatims(&texts, None, &DuplicateOptions::default()).unwrap();
/// assert_eq!(r.clusters.len(), 1);
/// assert_eq!(r.clusters[0].rows, vec![0, 1]);
/// ```
pub fn duplicate_verbatims(
    texts: &[Option<&str>],
    teams: Option<&[u32]>,
    options: &DuplicateOptions,
) -> Result<DuplicateResult> {
    options.validate()?;
    if texts.is_empty() {
        return Err(CxkpiError::EmptyInput {
            arg: "texts".into(),
        });
    }
    if let Some(t) = teams {
        check::same_len("teams", t.len(), "texts", texts.len())?;
        check_labels(&options.team_labels, t)?;
    }
    // normalise; group exact duplicates (BTreeMap: deterministic)
    let mut n_missing = 0u64;
    let mut n_short = 0u64;
    let mut screened = vec![false; texts.len()];
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, t) in texts.iter().enumerate() {
        let norm = t.map(normalise_verbatim).unwrap_or_default();
        if norm.is_empty() {
            n_missing += 1;
            continue;
        }
        if norm.chars().count() < options.min_chars {
            n_short += 1;
            continue;
        }
        screened[i] = true;
        groups.entry(norm).or_default().push(i);
    }
    // distinct texts ordered by first row
    let mut distinct: Vec<(String, Vec<usize>)> = groups.into_iter().collect();
    distinct.sort_by_key(|(_, rows)| rows[0]);
    let m = distinct.len();
    let sh: Vec<Vec<u64>> = distinct
        .iter()
        .map(|(s, _)| shingles(s, options.shingle))
        .collect();
    let use_lsh = match options.candidates {
        Candidates::AllPairs => false,
        Candidates::MinhashLsh => true,
        Candidates::Auto => m > 3000,
    };
    let mut pairs: BTreeSet<(usize, usize)> = BTreeSet::new();
    if use_lsh {
        let nh = options.bands * options.rows_per_band;
        let seeds: Vec<u64> = (0..nh as u64)
            .map(|i| splitmix(options.seed ^ splitmix(i)))
            .collect();
        let sig: Vec<Vec<u64>> = sh
            .iter()
            .map(|s| {
                seeds
                    .iter()
                    .map(|&seed| s.iter().map(|&x| splitmix(x ^ seed)).min().unwrap_or(0))
                    .collect()
            })
            .collect();
        for b in 0..options.bands {
            let mut keys: Vec<(u64, usize)> = (0..m)
                .map(|d| {
                    let mut h = splitmix(b as u64);
                    for r in 0..options.rows_per_band {
                        h = splitmix(h ^ sig[d][b * options.rows_per_band + r]);
                    }
                    (h, d)
                })
                .collect();
            keys.sort_unstable();
            let mut s = 0;
            while s < keys.len() {
                let mut e = s + 1;
                while e < keys.len() && keys[e].0 == keys[s].0 {
                    e += 1;
                }
                for x in s..e {
                    for y in x + 1..e {
                        pairs.insert((keys[x].1, keys[y].1));
                    }
                }
                s = e;
            }
        }
    } else {
        for a in 0..m {
            for b in a + 1..m {
                pairs.insert((a, b));
            }
        }
    }
    let mut parent: Vec<usize> = (0..m).collect();
    let mut edges: Vec<(usize, usize, f64)> = Vec::new();
    for &(a, b) in &pairs {
        let j = jaccard(&sh[a], &sh[b]);
        if j >= options.threshold {
            edges.push((a, b, j));
            union(&mut parent, a, b);
        }
    }
    let mut comp: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for d in 0..m {
        let r = find(&mut parent, d);
        comp.entry(r).or_default().push(d);
    }
    let mut min_sim: BTreeMap<usize, f64> = BTreeMap::new();
    for &(a, _, j) in &edges {
        let r = find(&mut parent, a);
        let e = min_sim.entry(r).or_insert(1.0);
        *e = e.min(j);
    }
    let mut clusters = Vec::new();
    let mut in_cluster = vec![false; texts.len()];
    for (root, members) in &comp {
        let mut rows: Vec<usize> = members
            .iter()
            .flat_map(|&d| distinct[d].1.iter().copied())
            .collect();
        if rows.len() < 2 {
            continue;
        }
        rows.sort_unstable();
        for &i in &rows {
            in_cluster[i] = true;
        }
        let team_set: BTreeSet<u32> = teams
            .map(|t| rows.iter().map(|&i| t[i]).collect())
            .unwrap_or_default();
        clusters.push(DuplicateCluster {
            kind: if members.len() == 1 { "exact" } else { "near" }.into(),
            size: rows.len() as u64,
            distinct_texts: members.len() as u64,
            min_similarity: *min_sim.get(root).unwrap_or(&1.0),
            text: distinct[members[0]].0.clone(),
            rows,
            teams: team_set.into_iter().collect(),
        });
    }
    clusters.sort_by_key(|c| c.rows[0]);
    let n_screened = screened.iter().filter(|&&s| s).count() as u64;
    let n_in_clusters = in_cluster.iter().filter(|&&s| s).count() as u64;
    let mut findings = Vec::new();
    if let Some(t) = teams {
        let mut by: BTreeMap<u32, (u64, u64, Vec<usize>)> = BTreeMap::new();
        for i in 0..texts.len() {
            if screened[i] {
                let e = by.entry(t[i]).or_default();
                e.0 += 1;
                if in_cluster[i] {
                    e.1 += 1;
                    e.2.push(i);
                }
            }
        }
        for (&team, (n1, x1, rows)) in &by {
            let (n2, x2) = (n_screened - n1, n_in_clusters - x1);
            let mut f = blank_finding(
                "duplicate_verbatims",
                team,
                label_of(&options.team_labels, team),
            );
            f.n = *n1;
            f.value = *x1 as f64 / *n1 as f64;
            f.reference = if n2 > 0 { x2 as f64 / n2 as f64 } else { 0.0 };
            f.effect_name = "share_difference".into();
            f.effect = f.value - f.reference;
            f.statistic_name = "odds_ratio".into();
            let den = (n1 - x1) as f64 * x2 as f64;
            f.statistic = (den > 0.0).then(|| *x1 as f64 * (n2 - x2) as f64 / den);
            if n2 > 0 {
                f.p_value = Some(hypergeom_sf_ge(*x1, n_screened, n_in_clusters, *n1));
            }
            f.measures.insert("in_clusters".into(), *x1 as f64);
            f.measures.insert("peer_n".into(), n2 as f64);
            f.measures.insert("peer_in_clusters".into(), x2 as f64);
            f.rows = rows.clone();
            findings.push(f);
        }
        adjust(&mut findings, options.adjust, options.alpha)?;
    }
    let mut parameters = BTreeMap::new();
    parameters.insert("shingle".into(), options.shingle as f64);
    parameters.insert("threshold".into(), options.threshold);
    parameters.insert("min_chars".into(), options.min_chars as f64);
    if use_lsh {
        parameters.insert("bands".into(), options.bands as f64);
        parameters.insert("rows_per_band".into(), options.rows_per_band as f64);
        parameters.insert("seed".into(), options.seed as f64);
    }
    Ok(DuplicateResult {
        clusters,
        n_screened,
        n_missing,
        n_short,
        n_in_clusters,
        normalisation: "nfkc_lowercase_alphanumeric_collapse".into(),
        candidates: if use_lsh { "minhash_lsh" } else { "all_pairs" }.into(),
        parameters,
        findings,
        adjust: options.adjust.name().into(),
        alpha: options.alpha,
    })
}

// ---------------------------------------------------------------------------------------------------
// Selective filtering
// ---------------------------------------------------------------------------------------------------

/// A team's invitation (or response) counts in the two periods: rate = numerator / denominator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeriodRates {
    /// Team code.
    pub team: u32,
    /// Invited (or responded) in the period before.
    pub before_numerator: f64,
    /// Eligible (or invited) in the period before.
    pub before_denominator: f64,
    /// Invited (or responded) in the period after.
    pub after_numerator: f64,
    /// Eligible (or invited) in the period after.
    pub after_denominator: f64,
}

/// Options of [`selective_filtering`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SelectiveFilteringOptions {
    /// `holm` (default) or `benjamini_hochberg`.
    pub adjust: AdjustPolicy,
    /// Level for `flagged` (default 0.05).
    pub alpha: f64,
    /// Labels of the team codes.
    pub team_labels: Option<Vec<String>>,
}

impl Default for SelectiveFilteringOptions {
    fn default() -> Self {
        SelectiveFilteringOptions {
            adjust: AdjustPolicy::Holm,
            alpha: 0.05,
            team_labels: None,
        }
    }
}

impl SelectiveFilteringOptions {
    /// Checks the options.
    pub fn validate(&self) -> Result<()> {
        check_alpha(self.alpha)
    }
}

fn whole(arg: &str, x: f64) -> Result<()> {
    if !(x.is_finite() && x >= 0.0 && x.fract() == 0.0) {
        return Err(CxkpiError::invalid(
            arg,
            format!("= {x} must be a whole count >= 0"),
        ));
    }
    Ok(())
}

/// Selective filtering: for each team in `rates`, a rise in scores (after vs before, Welch one-sided)
/// together with a fall in its rate (pooled z one-sided); the combined p is the larger of the two
/// (intersection-union test: small only when both moves are significant).
///
/// `period[i]` is 0 (before) or 1 (after) for row i.
///
/// ```
/// use cxkpi::baseline::screens::{selective_filtering, PeriodRates, SelectiveFilteringOptions};
/// let scores = [6.0, 7.0, 8.0, 7.0, 9.0, 10.0, 9.0, 10.0];
/// let teams = [0, 0, 0, 0, 0, 0, 0, 0];
/// let period = [0, 0, 0, 0, 1, 1, 1, 1];
/// let rates = [PeriodRates { team: 0, before_numerator: 400.0, before_denominator: 500.0,
///                            after_numerator: 200.0, after_denominator: 500.0 }];
/// let r = selective_filtering(&scores, &teams, &period, &rates, &SelectiveFilteringOptions::default()).unwrap();
/// assert!(r.findings[0].effect > 0.0);
/// ```
pub fn selective_filtering(
    scores: &[f64],
    teams: &[u32],
    period: &[u32],
    rates: &[PeriodRates],
    options: &SelectiveFilteringOptions,
) -> Result<ScreenResult> {
    options.validate()?;
    scores_teams(scores, teams)?;
    check::same_len("period", period.len(), "scores", scores.len())?;
    check_labels(&options.team_labels, teams)?;
    if let Some((i, &p)) = period.iter().enumerate().find(|(_, &p)| p > 1) {
        return Err(CxkpiError::invalid(
            "period",
            format!("element {i} = {p}; periods must be 0 (before) or 1 (after)"),
        ));
    }
    if rates.is_empty() {
        return Err(CxkpiError::EmptyInput {
            arg: "rates".into(),
        });
    }
    let mut seen = BTreeSet::new();
    for (k, r) in rates.iter().enumerate() {
        let arg = |f: &str| format!("rates[{k}].{f}");
        whole(&arg("before_numerator"), r.before_numerator)?;
        whole(&arg("before_denominator"), r.before_denominator)?;
        whole(&arg("after_numerator"), r.after_numerator)?;
        whole(&arg("after_denominator"), r.after_denominator)?;
        if r.before_denominator == 0.0 || r.after_denominator == 0.0 {
            return Err(CxkpiError::invalid(
                &arg("before_denominator"),
                "denominators must be > 0",
            ));
        }
        if r.before_numerator > r.before_denominator || r.after_numerator > r.after_denominator {
            return Err(CxkpiError::invalid(
                &arg("after_numerator"),
                "a numerator exceeds its denominator",
            ));
        }
        if !seen.insert(r.team) {
            return Err(CxkpiError::invalid(
                &format!("rates[{k}].team"),
                format!("team {} appears twice", r.team),
            ));
        }
    }
    let mut order: Vec<&PeriodRates> = rates.iter().collect();
    order.sort_by_key(|r| r.team);
    let mut findings = Vec::with_capacity(order.len());
    for r in order {
        let team = r.team;
        let before: Vec<f64> = (0..scores.len())
            .filter(|&i| teams[i] == team && period[i] == 0)
            .map(|i| scores[i])
            .collect();
        let after_rows: Vec<usize> = (0..scores.len())
            .filter(|&i| teams[i] == team && period[i] == 1)
            .collect();
        let after: Vec<f64> = after_rows.iter().map(|&i| scores[i]).collect();
        let mut f = blank_finding(
            "selective_filtering",
            team,
            label_of(&options.team_labels, team),
        );
        f.n = (before.len() + after.len()) as u64;
        f.rows = after_rows;
        f.effect_name = "score_change".into();
        f.statistic_name = "t".into();
        let (rb, ra) = (
            r.before_numerator / r.before_denominator,
            r.after_numerator / r.after_denominator,
        );
        f.measures.insert("rate_before".into(), rb);
        f.measures.insert("rate_after".into(), ra);
        f.measures.insert("rate_change".into(), ra - rb);
        f.measures.insert("n_before".into(), before.len() as f64);
        f.measures.insert("n_after".into(), after.len() as f64);
        // rate: pooled z, one-sided (after < before)
        let pooled =
            (r.before_numerator + r.after_numerator) / (r.before_denominator + r.after_denominator);
        let rse =
            (pooled * (1.0 - pooled) * (1.0 / r.before_denominator + 1.0 / r.after_denominator))
                .sqrt();
        let p_rate = (rse > 0.0).then(|| {
            let z = (ra - rb) / rse;
            f.measures.insert("rate_z".into(), z);
            f.measures.insert("rate_se".into(), rse);
            normal_sf(-z)
        });
        if let Some(p) = p_rate {
            f.measures.insert("rate_p".into(), p);
        }
        if before.is_empty() || after.is_empty() {
            findings.push(f);
            continue;
        }
        let (mb, ma) = (check::mean(&before), check::mean(&after));
        f.value = ma;
        f.reference = mb;
        f.effect = ma - mb;
        let tt = if before.len() >= 2 && after.len() >= 2 {
            t_test(
                &after,
                Some(&before),
                &TTestOptions {
                    kind: TTestKind::Welch,
                    alternative: Alternative::Greater,
                    ..TTestOptions::default()
                },
            )
            .ok()
            .filter(|t| t.se > 0.0)
        } else {
            None
        };
        if let Some(t) = &tt {
            f.statistic = Some(t.t);
            f.se = Some(t.se);
            f.measures.insert("score_p".into(), t.p_value);
            f.measures.insert("score_df".into(), t.df);
        }
        if let (Some(t), Some(pr)) = (&tt, p_rate) {
            f.p_value = Some(t.p_value.max(pr));
        }
        findings.push(f);
    }
    adjust(&mut findings, options.adjust, options.alpha)?;
    let mut parameters = BTreeMap::new();
    parameters.insert("alpha".into(), options.alpha);
    Ok(ScreenResult {
        screen: "selective_filtering".into(),
        method: "welch_greater_and_z_pooled_less_intersection_union".into(),
        adjust: options.adjust.name().into(),
        alpha: options.alpha,
        parameters,
        findings,
    })
}

// ---------------------------------------------------------------------------------------------------
// Step after coaching
// ---------------------------------------------------------------------------------------------------

/// A coaching session of a team on a day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoachingEvent {
    /// Team code.
    pub team: u32,
    /// Day number of the coaching (same scale as `day`); rows on this day count as after.
    pub day: f64,
}

/// Options of [`coaching_step`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CoachingStepOptions {
    /// Days before the coaching in the window: [day − window_before, day) (default 28).
    pub window_before: f64,
    /// Days from the coaching on: [day, day + window_after) (default 28).
    pub window_after: f64,
    /// Covariance of the difference-in-differences SE (default `nonrobust`; `HC0`-`HC3`).
    pub cov_type: CovType,
    /// `holm` (default) or `benjamini_hochberg` across the events.
    pub adjust: AdjustPolicy,
    /// Level for `flagged` (default 0.05).
    pub alpha: f64,
    /// Labels of the team codes.
    pub team_labels: Option<Vec<String>>,
}

impl Default for CoachingStepOptions {
    fn default() -> Self {
        CoachingStepOptions {
            window_before: 28.0,
            window_after: 28.0,
            cov_type: CovType::Nonrobust,
            adjust: AdjustPolicy::Holm,
            alpha: 0.05,
            team_labels: None,
        }
    }
}

impl CoachingStepOptions {
    /// Checks the options.
    pub fn validate(&self) -> Result<()> {
        check_alpha(self.alpha)?;
        for (arg, w) in [
            ("window_before", self.window_before),
            ("window_after", self.window_after),
        ] {
            if !(w.is_finite() && w > 0.0) {
                return Err(CxkpiError::invalid(arg, format!("must be > 0, got {w}")));
            }
        }
        Ok(())
    }
}

/// A step right after a coaching date: for each event, the team's mean in
/// [day − window_before, day) and [day, day + window_after) against the rows of teams with no coaching
/// in that window, as a difference-in-differences with its regression SE (two-sided p).
///
/// ```
/// use cxkpi::baseline::screens::{coaching_step, CoachingEvent, CoachingStepOptions};
/// let y = [7.0, 7.5, 9.5, 9.8, 7.1, 7.3, 7.2, 7.4];
/// let teams = [0, 0, 0, 0, 1, 1, 1, 1];
/// let day = [1.0, 2.0, 11.0, 12.0, 1.0, 2.0, 11.0, 12.0];
/// let ev = [CoachingEvent { team: 0, day: 10.0 }];
/// let r = coaching_step(&y, &teams, &day, &ev, &CoachingStepOptions::default()).unwrap();
/// // (9.65 - 7.25) - (7.3 - 7.2) = 2.3
/// assert!((r.findings[0].effect - 2.3).abs() < 1e-12);
/// ```
pub fn coaching_step(
    values: &[f64],
    teams: &[u32],
    day: &[f64],
    events: &[CoachingEvent],
    options: &CoachingStepOptions,
) -> Result<ScreenResult> {
    options.validate()?;
    scores_teams(values, teams)?;
    check::same_len("day", day.len(), "values", values.len())?;
    check::finite("day", day)?;
    check_labels(&options.team_labels, teams)?;
    if events.is_empty() {
        return Err(CxkpiError::EmptyInput {
            arg: "events".into(),
        });
    }
    for (k, e) in events.iter().enumerate() {
        if !e.day.is_finite() {
            return Err(CxkpiError::invalid(
                &format!("events[{k}].day"),
                "must be finite",
            ));
        }
    }
    let mut findings = Vec::with_capacity(events.len());
    for e in events {
        let (lo, c, hi) = (
            e.day - options.window_before,
            e.day,
            e.day + options.window_after,
        );
        let coached: BTreeSet<u32> = events
            .iter()
            .filter(|o| o.day >= lo && o.day < hi)
            .map(|o| o.team)
            .collect();
        let mut y = Vec::new();
        let mut treated = Vec::new();
        let mut post = Vec::new();
        let mut post_rows = Vec::new();
        for i in 0..values.len() {
            if day[i] < lo || day[i] >= hi {
                continue;
            }
            let is_t = teams[i] == e.team;
            if !is_t && coached.contains(&teams[i]) {
                continue;
            }
            let is_post = day[i] >= c;
            y.push(values[i]);
            treated.push(if is_t { 1.0 } else { 0.0 });
            post.push(if is_post { 1.0 } else { 0.0 });
            if is_t && is_post {
                post_rows.push(i);
            }
        }
        let mut f = blank_finding(
            "coaching_step",
            e.team,
            label_of(&options.team_labels, e.team),
        );
        f.effect_name = "did".into();
        f.statistic_name = "t".into();
        f.rows = post_rows;
        f.n = treated.iter().filter(|&&t| t == 1.0).count() as u64;
        f.measures.insert("coaching_day".into(), e.day);
        f.measures.insert("n_window".into(), y.len() as f64);
        match did(
            &y,
            &treated,
            &post,
            &DidOptions {
                cov_type: options.cov_type,
                confidence: 0.95,
            },
        ) {
            Ok(d) => {
                f.value = d.treated_post.mean;
                f.reference = d.treated_pre.mean;
                f.effect = d.estimate;
                f.se = Some(d.se);
                f.statistic = d.t;
                f.p_value = d.p_value;
                f.measures.insert("team_before".into(), d.treated_pre.mean);
                f.measures.insert("team_after".into(), d.treated_post.mean);
                f.measures.insert("peer_before".into(), d.control_pre.mean);
                f.measures.insert("peer_after".into(), d.control_post.mean);
                f.measures.insert("df".into(), d.df);
            }
            Err(CxkpiError::InsufficientData { .. }) | Err(CxkpiError::InvalidArgument { .. }) => {}
            Err(other) => return Err(other),
        }
        findings.push(f);
    }
    adjust(&mut findings, options.adjust, options.alpha)?;
    let mut parameters = BTreeMap::new();
    parameters.insert("window_before".into(), options.window_before);
    parameters.insert("window_after".into(), options.window_after);
    parameters.insert("alpha".into(), options.alpha);
    Ok(ScreenResult {
        screen: "coaching_step".into(),
        method: format!("did_ols_{}", options.cov_type.name()),
        adjust: options.adjust.name().into(),
        alpha: options.alpha,
        parameters,
        findings,
    })
}

// ---------------------------------------------------------------------------------------------------
// Signals
// ---------------------------------------------------------------------------------------------------

fn finding_signal(
    f: &Finding,
    screen: &str,
    parameters: &BTreeMap<String, f64>,
    alpha: f64,
) -> Signal {
    let parameters = parameters.clone();
    let sigma = match f.statistic_name.as_str() {
        "z" | "t" => f.statistic,
        _ => f.se.filter(|s| *s > 0.0).map(|s| f.effect / s),
    };
    // the counterfactual of a difference-in-differences is the team's level before plus the peers' move
    let center = if screen == "coaching_step" {
        f.value - f.effect
    } else {
        f.reference
    };
    let deviation = f.value - center;
    let direction = if deviation > 0.0 {
        SignalDirection::Up
    } else if deviation < 0.0 {
        SignalDirection::Down
    } else {
        SignalDirection::Neither
    };
    let mut params = parameters;
    if let Some(p) = f.p_value {
        params.insert("p_value".into(), p);
    }
    if let Some(p) = f.p_holm {
        params.insert("p_holm".into(), p);
    }
    if let Some(p) = f.p_bh {
        params.insert("p_bh".into(), p);
    }
    Signal {
        rule: screen.into(),
        parameters: params,
        detector: "screen".into(),
        series: Some(f.label.clone()),
        index: f.rows.last().copied().unwrap_or(0),
        points: f.rows.clone(),
        value: f.value,
        center,
        deviation,
        sigma,
        n: Some(f.n as f64),
        se: f.se,
        false_alarm_rate: Some(alpha),
        direction,
        baseline: BaselineInfo {
            method: match screen {
                "selective_filtering" => "period_before",
                "coaching_step" => "uncoached_peers_did",
                _ => "pooled_peers",
            }
            .into(),
            parameters: BTreeMap::new(),
            excluded: Vec::new(),
            seasonal_adjustment: None,
        },
    }
}

impl ScreenResult {
    /// One [`Signal`] per flagged finding (rule = the screen id, detector `screen`, points = the evidence
    /// rows, deviation = the effect, sigma = the z / t statistic when the test has one, false-alarm rate
    /// = `alpha`; p-values in the parameters).
    pub fn signals(&self) -> Vec<Signal> {
        self.findings
            .iter()
            .filter(|f| f.flagged)
            .map(|f| finding_signal(f, &self.screen, &self.parameters, self.alpha))
            .collect()
    }
}

impl DuplicateResult {
    /// One [`Signal`] per flagged team finding (see [`ScreenResult::signals`]).
    pub fn signals(&self) -> Vec<Signal> {
        self.findings
            .iter()
            .filter(|f| f.flagged)
            .map(|f| finding_signal(f, "duplicate_verbatims", &self.parameters, self.alpha))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hypergeom_small_by_hand() {
        // N = 10, K = 4, draws 3: P(X >= 2) = (C(4,2)C(6,1) + C(4,3)) / C(10,3) = (36 + 4) / 120
        assert!((hypergeom_sf_ge(2, 10, 4, 3) - 40.0 / 120.0).abs() < 1e-15);
        assert_eq!(hypergeom_sf_ge(0, 10, 4, 3), 1.0);
        assert_eq!(hypergeom_sf_ge(4, 10, 4, 3), 0.0);
    }

    #[test]
    fn normalise() {
        assert_eq!(
            normalise_verbatim("  Great   SERVICE!!  ﬁne "),
            "great service fine"
        );
    }
}
