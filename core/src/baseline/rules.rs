//! Run rules on a chart's standardised series z = (value - centre)/sigma: Western Electric 1-4, Nelson 1-8,
//! Anhøj runs and crossings. Each rule is switched on or off in [`RulesConfig`].
//!
//! | id | pattern (fires at the point that completes it) | per-point in-control probability (iid normal) |
//! |---|---|---|
//! | `western_electric_1`, `nelson_1` | one point with \|z\| > 3 | 2Φ(-3) |
//! | `western_electric_2`, `nelson_5` | this point and at least one of the two before beyond 2, same side | 2·q₂·(1-(1-q₂)²), q₂ = Φ(-2) |
//! | `western_electric_3`, `nelson_6` | this point and at least 3 of the 4 before beyond 1, same side | 2·q₁·P(Bin(4, q₁) ≥ 3) |
//! | `western_electric_4` | 8 points in a row on one side of the centre | 2·0.5⁸ |
//! | `nelson_2` | 9 points in a row on one side | 2·0.5⁹ |
//! | `nelson_3` | 6 points in a row strictly increasing or decreasing | 2/6! |
//! | `nelson_4` | 14 points in a row alternating up and down | 2·E₁₄/14! (E = Euler zigzag numbers) |
//! | `nelson_7` | 15 points in a row with \|z\| < 1 | (1-2Φ(-1))¹⁵ |
//! | `nelson_8` | 8 points in a row with \|z\| > 1 (either side) | (2Φ(-1))⁸ |
//! | `anhoej_runs` | longest run on one side > round(log2(n) + 3) (whole series, n = points not on the centre) | — |
//! | `anhoej_crossings` | centre-line crossings < qbinom(0.05, n - 1, 0.5) | — |
//!
//! Conventions: a point exactly on the centre (z = 0) breaks a run and is not a useful observation for
//! Anhøj; equal consecutive values break trends and alternations; "beyond" is strict. `firing =
//! every_point` (default) fires at every point where the pattern holds (a run of 10 fires Western Electric 4
//! at its 8th, 9th and 10th point); `first_in_episode` fires only where it starts to hold. A signal's
//! `points` are the qualifying points of the window, or the whole current run / trend.
//! References: Western Electric, *Statistical Quality Control Handbook* (1956); Nelson, L. S. (1984),
//! "The Shewhart control chart—tests for special causes", JQT 16(4); Anhøj & Olesen (2014), "Run charts
//! revisited", PLoS ONE 9(11): e113825.
//!
//! ```
//! use cxkpi::baseline::rules::{evaluate_z, RulesConfig};
//! let z = [0.5, 0.4, 0.3, 0.6, 0.2, 0.1, 0.7, 0.8];
//! let hits = evaluate_z(&z, &RulesConfig::default()).unwrap();
//! assert_eq!(hits.len(), 1);
//! assert_eq!(hits[0].rule, "western_electric_4");
//! assert_eq!(hits[0].index, 7);
//! ```

use crate::baseline::charts::ChartResult;
use crate::baseline::signal::{BaselineInfo, Signal, SignalDirection};
use crate::error::{CxkpiError, Result};
use crate::stats::dist::normal_sf;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Rule ids in bit order.
pub const RULE_IDS: [&str; 14] = [
    "western_electric_1",
    "western_electric_2",
    "western_electric_3",
    "western_electric_4",
    "nelson_1",
    "nelson_2",
    "nelson_3",
    "nelson_4",
    "nelson_5",
    "nelson_6",
    "nelson_7",
    "nelson_8",
    "anhoej_runs",
    "anhoej_crossings",
];

/// When a rule whose pattern keeps holding fires again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Firing {
    /// At every point where the pattern holds (Minitab-style marking).
    #[default]
    EveryPoint,
    /// Only at the first point of each stretch of consecutive points where it holds.
    FirstInEpisode,
}

/// Which run rules to evaluate. Default: Western Electric 1-4 on, the rest off.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[allow(missing_docs)]
pub struct RulesConfig {
    pub western_electric_1: bool,
    pub western_electric_2: bool,
    pub western_electric_3: bool,
    pub western_electric_4: bool,
    pub nelson_1: bool,
    pub nelson_2: bool,
    pub nelson_3: bool,
    pub nelson_4: bool,
    pub nelson_5: bool,
    pub nelson_6: bool,
    pub nelson_7: bool,
    pub nelson_8: bool,
    pub anhoej_runs: bool,
    pub anhoej_crossings: bool,
    /// `every_point` (default) or `first_in_episode`.
    pub firing: Firing,
}

impl Default for RulesConfig {
    fn default() -> Self {
        RulesConfig {
            western_electric_1: true,
            western_electric_2: true,
            western_electric_3: true,
            western_electric_4: true,
            nelson_1: false,
            nelson_2: false,
            nelson_3: false,
            nelson_4: false,
            nelson_5: false,
            nelson_6: false,
            nelson_7: false,
            nelson_8: false,
            anhoej_runs: false,
            anhoej_crossings: false,
            firing: Firing::EveryPoint,
        }
    }
}

impl RulesConfig {
    /// Every rule on.
    pub fn all() -> Self {
        RulesConfig {
            nelson_1: true,
            nelson_2: true,
            nelson_3: true,
            nelson_4: true,
            nelson_5: true,
            nelson_6: true,
            nelson_7: true,
            nelson_8: true,
            anhoej_runs: true,
            anhoej_crossings: true,
            ..RulesConfig::default()
        }
    }

    /// Nothing to check (every combination is valid).
    pub fn validate(&self) -> Result<()> {
        Ok(())
    }

    /// Bit mask of the enabled rules in [`RULE_IDS`] order.
    pub fn mask(&self) -> u16 {
        let f = [
            self.western_electric_1,
            self.western_electric_2,
            self.western_electric_3,
            self.western_electric_4,
            self.nelson_1,
            self.nelson_2,
            self.nelson_3,
            self.nelson_4,
            self.nelson_5,
            self.nelson_6,
            self.nelson_7,
            self.nelson_8,
            self.anhoej_runs,
            self.anhoej_crossings,
        ];
        f.iter()
            .enumerate()
            .fold(0u16, |m, (i, &on)| if on { m | (1 << i) } else { m })
    }
}

/// Bits of the point rules (everything but Anhøj).
const POINT_RULES: u16 = (1 << 12) - 1;

/// One rule hit on a standardised series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleHit {
    /// Rule id.
    pub rule: String,
    /// Index at which it fired.
    pub index: usize,
    /// Points forming the pattern (ascending).
    pub points: Vec<usize>,
    /// `up`, `down` or `neither`.
    pub direction: SignalDirection,
    /// The rule's parameters (sigma bounds, run lengths, Anhøj limits and counts).
    pub parameters: BTreeMap<String, f64>,
    /// Per-point in-control probability of the pattern (iid normal), when defined.
    pub false_alarm_rate: Option<f64>,
}

/// Streaming state of the point rules: fixed size, no allocation per point.
#[derive(Debug, Clone, Default)]
pub struct RuleState {
    prev: f64,
    has_prev: bool,
    above2: u8,
    below2: u8,
    above1: u8,
    below1: u8,
    side: i8,
    run: u32,
    inc: u32,
    dec: u32,
    alt_diffs: u32,
    last_diff: i8,
    within1: u32,
    outside1: u32,
    held: u16,
    /// Longest run on one side among the useful points (points on the centre skipped; for Anhøj).
    pub longest_run: u32,
    /// Index of the first point of the longest run.
    pub longest_run_start: usize,
    /// Index of the last point of the longest run.
    pub longest_run_end: usize,
    arun: u32,
    arun_start: usize,
    /// Number of centre-line crossings between useful points.
    pub crossings: u32,
    /// Points not exactly on the centre.
    pub useful: u32,
    last_useful_side: i8,
    index: usize,
}

impl RuleState {
    /// Adds z; returns the bit mask (in [`RULE_IDS`] order, bits 0..12) of the point rules whose pattern holds
    /// at this point, before any firing policy.
    #[inline]
    pub fn push(&mut self, z: f64) -> u16 {
        // Written without data-dependent branches (selects and bit arithmetic): the signs of noise are
        // unpredictable, and mispredicted branches would dominate the cost per point.
        let up = z > 0.0;
        let dn = z < 0.0;
        let nz = up | dn;
        self.above2 = (self.above2 << 1) | (z > 2.0) as u8;
        self.below2 = (self.below2 << 1) | (z < -2.0) as u8;
        self.above1 = (self.above1 << 1) | (z > 1.0) as u8;
        self.below1 = (self.below1 << 1) | (z < -1.0) as u8;
        let side: i8 = up as i8 - dn as i8;
        let same = nz & (side == self.side);
        self.run = if same { self.run + 1 } else { nz as u32 };
        self.side = side;
        // Anhøj: points on the centre are skipped (neither extend nor break a run)
        let last = self.last_useful_side;
        let cont = nz & (side == last);
        let cross = nz & (last != 0) & (side != last);
        self.crossings += cross as u32;
        self.useful += nz as u32;
        let fresh = nz & !cont;
        self.arun = if cont {
            self.arun + 1
        } else if fresh {
            1
        } else {
            self.arun
        };
        self.arun_start = if fresh { self.index } else { self.arun_start };
        self.last_useful_side = if nz { side } else { last };
        if self.arun > self.longest_run {
            self.longest_run = self.arun;
            self.longest_run_start = self.arun_start;
            self.longest_run_end = self.index;
        }
        let p = self.prev;
        let has = self.has_prev;
        let d: i8 = ((z > p) & has) as i8 - ((z < p) & has) as i8;
        self.inc = if d > 0 { self.inc + 1 } else { 1 };
        self.dec = if d < 0 { self.dec + 1 } else { 1 };
        self.alt_diffs = if (d != 0) & (d == -self.last_diff) {
            self.alt_diffs + 1
        } else {
            (d != 0) as u32
        };
        self.last_diff = d;
        self.prev = z;
        self.has_prev = true;
        let a = z.abs();
        self.within1 = if a < 1.0 { self.within1 + 1 } else { 0 };
        self.outside1 = if a > 1.0 { self.outside1 + 1 } else { 0 };
        self.index += 1;

        let r1 = a > 3.0;
        let r2 = ((z > 2.0) & ((self.above2 & 0b111).count_ones() >= 2))
            | ((z < -2.0) & ((self.below2 & 0b111).count_ones() >= 2));
        let r3 = ((z > 1.0) & ((self.above1 & 0b11111).count_ones() >= 4))
            | ((z < -1.0) & ((self.below1 & 0b11111).count_ones() >= 4));
        let we4 = self.run >= 8;
        let n2 = self.run >= 9;
        let n3 = (self.inc >= 6) | (self.dec >= 6);
        let n4 = self.alt_diffs + 1 >= 14;
        let n7 = self.within1 >= 15;
        let n8 = self.outside1 >= 8;
        (r1 as u16)
            | (r2 as u16) << 1
            | (r3 as u16) << 2
            | (we4 as u16) << 3
            | (r1 as u16) << 4
            | (n2 as u16) << 5
            | (n3 as u16) << 6
            | (n4 as u16) << 7
            | (r2 as u16) << 8
            | (r3 as u16) << 9
            | (n7 as u16) << 10
            | (n8 as u16) << 11
    }

    /// Applies the enabled-rule mask and the firing policy to the held mask of [`RuleState::push`].
    #[inline]
    pub fn fire(&mut self, held: u16, enabled: u16, firing: Firing) -> u16 {
        let h = held & enabled;
        let out = match firing {
            Firing::EveryPoint => h,
            Firing::FirstInEpisode => h & !self.held,
        };
        self.held = h;
        out
    }
}

/// Anhøj's run-length limit round(log2(n) + 3).
pub fn anhoej_run_limit(n: u64) -> u64 {
    ((n as f64).log2() + 3.0).round() as u64
}

/// Anhøj's crossings limit qbinom(0.05, n - 1, 0.5) (fewer crossings than this signal).
pub fn anhoej_crossings_limit(n: u64) -> u64 {
    if n < 2 {
        return 0;
    }
    crate::baseline::charts::binom_quantile(0.05, (n - 1) as f64, 0.5) as u64
}

/// Number of alternating permutations of n (Euler zigzag number Eₙ), via the Seidel-Entringer triangle.
fn zigzag(n: usize) -> f64 {
    let mut row = vec![1.0f64];
    for i in 1..=n {
        let mut next = vec![0.0; i + 1];
        for j in 1..=i {
            next[j] = next[j - 1] + row[i - j];
        }
        row = next;
    }
    row[n]
}

fn factorial(n: usize) -> f64 {
    (1..=n).fold(1.0, |a, k| a * k as f64)
}

/// Per-point in-control probability of rule `bit` (iid standard normal points, every-point firing).
pub fn rule_false_alarm_rate(bit: usize) -> Option<f64> {
    let q1 = normal_sf(1.0);
    let q2 = normal_sf(2.0);
    match bit {
        0 | 4 => Some(2.0 * normal_sf(3.0)),
        1 | 8 => Some(2.0 * q2 * (1.0 - (1.0 - q2) * (1.0 - q2))),
        2 | 9 => {
            // P(Bin(4, q1) >= 3) = 4 q1^3 (1-q1) + q1^4
            let b = 4.0 * q1.powi(3) * (1.0 - q1) + q1.powi(4);
            Some(2.0 * q1 * b)
        }
        3 => Some(2.0 * 0.5f64.powi(8)),
        5 => Some(2.0 * 0.5f64.powi(9)),
        6 => Some(2.0 / factorial(6)),
        7 => Some(2.0 * zigzag(14) / factorial(14)),
        10 => Some((1.0 - 2.0 * q1).powi(15)),
        11 => Some((2.0 * q1).powi(8)),
        _ => None,
    }
}

fn rule_parameters(bit: usize) -> BTreeMap<String, f64> {
    let p: &[(&str, f64)] = match bit {
        0 | 4 => &[("sigma", 3.0)],
        1 | 8 => &[("sigma", 2.0), ("count", 2.0), ("window", 3.0)],
        2 | 9 => &[("sigma", 1.0), ("count", 4.0), ("window", 5.0)],
        3 => &[("run", 8.0)],
        5 => &[("run", 9.0)],
        6 => &[("trend", 6.0)],
        7 => &[("alternating", 14.0)],
        10 => &[("run", 15.0), ("sigma", 1.0)],
        11 => &[("run", 8.0), ("sigma", 1.0)],
        _ => &[],
    };
    p.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

fn pattern_points(
    bit: usize,
    z: &[f64],
    i: usize,
    st: &RuleState,
) -> (Vec<usize>, SignalDirection) {
    let dir_of = |v: f64| {
        if v > 0.0 {
            SignalDirection::Up
        } else if v < 0.0 {
            SignalDirection::Down
        } else {
            SignalDirection::Neither
        }
    };
    let tail = |len: usize| ((i + 1 - len.min(i + 1))..=i).collect::<Vec<_>>();
    match bit {
        0 | 4 => (vec![i], dir_of(z[i])),
        1 | 8 | 2 | 9 => {
            let (bound, win) = if bit == 1 || bit == 8 {
                (2.0, 3)
            } else {
                (1.0, 5)
            };
            let s = z[i].signum();
            let start = i + 1 - win.min(i + 1);
            let pts = (start..=i).filter(|&j| z[j] * s > bound).collect();
            (pts, dir_of(z[i]))
        }
        3 | 5 => (tail(st.run as usize), dir_of(z[i])),
        6 => {
            if st.inc >= 6 {
                (tail(st.inc as usize), SignalDirection::Up)
            } else {
                (tail(st.dec as usize), SignalDirection::Down)
            }
        }
        7 => (tail(st.alt_diffs as usize + 1), SignalDirection::Neither),
        10 => (tail(st.within1 as usize), SignalDirection::Neither),
        11 => (tail(st.outside1 as usize), SignalDirection::Neither),
        _ => (vec![i], SignalDirection::Neither),
    }
}

fn check_z(z: &[f64]) -> Result<()> {
    for (i, v) in z.iter().enumerate() {
        if v.is_nan() {
            return Err(CxkpiError::MissingValue {
                arg: "z".into(),
                index: i,
            });
        }
        if !v.is_finite() {
            return Err(CxkpiError::invalid(
                "z",
                format!("`z[{i}]` = {v} is not finite"),
            ));
        }
    }
    Ok(())
}

/// Evaluates the enabled rules on a standardised series; hits in index order (Anhøj hits last).
pub fn evaluate_z(z: &[f64], config: &RulesConfig) -> Result<Vec<RuleHit>> {
    config.validate()?;
    check_z(z)?;
    let enabled = config.mask();
    let mut st = RuleState::default();
    let mut hits = Vec::new();
    for (i, &v) in z.iter().enumerate() {
        let held = st.push(v);
        let mut f = st.fire(held, enabled & POINT_RULES, config.firing);
        while f != 0 {
            let bit = f.trailing_zeros() as usize;
            f &= f - 1;
            let (points, direction) = pattern_points(bit, z, i, &st);
            hits.push(RuleHit {
                rule: RULE_IDS[bit].into(),
                index: i,
                points,
                direction,
                parameters: rule_parameters(bit),
                false_alarm_rate: rule_false_alarm_rate(bit),
            });
        }
    }
    let n = st.useful as u64;
    if enabled & (1 << 12) != 0 && n > 0 {
        let limit = anhoej_run_limit(n);
        if st.longest_run as u64 > limit {
            let (start, end) = (st.longest_run_start, st.longest_run_end);
            let mut params = BTreeMap::new();
            params.insert("n_useful".into(), n as f64);
            params.insert("longest_run".into(), st.longest_run as f64);
            params.insert("limit".into(), limit as f64);
            hits.push(RuleHit {
                rule: RULE_IDS[12].into(),
                index: end,
                points: (start..=end).filter(|&j| z[j] != 0.0).collect(),
                direction: if z[end] > 0.0 {
                    SignalDirection::Up
                } else {
                    SignalDirection::Down
                },
                parameters: params,
                false_alarm_rate: None,
            });
        }
    }
    if enabled & (1 << 13) != 0 && n >= 2 {
        let limit = anhoej_crossings_limit(n);
        if (st.crossings as u64) < limit {
            let mut params = BTreeMap::new();
            params.insert("n_useful".into(), n as f64);
            params.insert("crossings".into(), st.crossings as f64);
            params.insert("limit".into(), limit as f64);
            hits.push(RuleHit {
                rule: RULE_IDS[13].into(),
                index: z.len() - 1,
                points: (0..z.len()).filter(|&j| z[j] != 0.0).collect(),
                direction: SignalDirection::Neither,
                parameters: params,
                false_alarm_rate: None,
            });
        }
    }
    Ok(hits)
}

/// Evaluates the enabled rules on a chart's standardised series `z` and returns them as [`Signal`]s
/// (value, centre, deviation in KPI units and sigma, n and SE taken from the chart).
///
/// ```
/// use cxkpi::baseline::charts::{individuals_chart, IndividualsConfig};
/// use cxkpi::baseline::rules::{evaluate, RulesConfig};
/// let x: Vec<f64> = (0..20).map(|i| if i < 10 { 10.0 + (i % 3) as f64 } else { 12.5 }).collect();
/// let cfg = IndividualsConfig { mu: Some(11.0), sigma: Some(1.0), ..Default::default() };
/// let chart = individuals_chart(&x, &cfg).unwrap();
/// let signals = evaluate(&chart, &RulesConfig::default()).unwrap();
/// assert!(signals.iter().any(|s| s.rule == "western_electric_4"));
/// ```
pub fn evaluate(chart: &ChartResult, config: &RulesConfig) -> Result<Vec<Signal>> {
    let hits = evaluate_z(&chart.z, config)?;
    let mu = chart.estimation.mu;
    let mut base_params = chart.parameters.clone();
    base_params.insert(
        "reference_start".into(),
        chart.estimation.reference[0] as f64,
    );
    base_params.insert("reference_end".into(), chart.estimation.reference[1] as f64);
    base_params.insert("mu".into(), mu);
    if let Some(s) = chart.estimation.sigma {
        base_params.insert("sigma".into(), s);
    }
    let baseline = BaselineInfo {
        method: format!("{}:{}", chart.chart, chart.estimation.method),
        parameters: base_params,
        excluded: Vec::new(),
        seasonal_adjustment: None,
    };
    Ok(hits
        .into_iter()
        .map(|h| {
            let i = h.index;
            let value = chart.value[i];
            Signal {
                rule: h.rule,
                parameters: h.parameters,
                detector: chart.chart.clone(),
                series: None,
                index: i,
                points: h.points,
                value,
                center: mu,
                deviation: value - mu,
                sigma: Some(chart.z[i]),
                n: chart.sizes.as_ref().map(|s| s[i]),
                se: Some(chart.value_se[i]),
                false_alarm_rate: h.false_alarm_rate,
                direction: h.direction,
                baseline: baseline.clone(),
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zigzag_numbers() {
        // OEIS A000111: 1, 1, 1, 2, 5, 16, 61, 272, ..., E14 = 199360981
        assert_eq!(zigzag(5), 16.0);
        assert_eq!(zigzag(14), 199360981.0);
    }
}
