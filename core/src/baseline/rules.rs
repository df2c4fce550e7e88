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

// ---------------------------------------------------------------------------------------------------------
// Bit-parallel evaluation over blocks of 64 points (the engine of `charts::monitor`)
//
// Every point rule is a pattern over a bounded window of per-point predicates, so a block of 64 points is
// classified into one bit word per predicate (bit j = point base + j) and each rule becomes a few shifts and
// ANDs over the word and the previous block's word ("k points in a row" = the AND of k shifted copies):
//
// | rule | streaming definition ([`RuleState::push`]) | bit form |
// |---|---|---|
// | WE1 / N1 | \|z\| > 3 | A3 |
// | WE2 / N5 | z > 2 and ≥ 2 of the last 3 above 2 (same below) | A2 & (A2⁻¹ \| A2⁻²) \| same for B2 |
// | WE3 / N6 | z > 1 and ≥ 4 of the last 5 above 1 | A1 & (≥ 3 of A1⁻¹..A1⁻⁴) \| same for B1 |
// | WE4 / N2 | run ≥ 8 / ≥ 9 (run of equal non-zero sides) | 8 / 9 in a row of UP, or of DN |
// | N3 | inc ≥ 6 or dec ≥ 6 (inc = 1 + rises in a row) | 5 in a row of DUP, or of DDN |
// | N4 | alt + 1 ≥ 14 (alt = 1 + alternations in a row) | 12 in a row of ALT = DUP & DDN⁻¹ \| DDN & DUP⁻¹ |
// | N7 / N8 | 15 in a row with \|z\| < 1 / 8 in a row with \|z\| > 1 | 15 in a row of W1 / 8 in a row of A1 \| B1 |
//
// (X⁻ᵏ = X shifted by k points; before the first point every predicate is false, which is the streaming
// state's initial value.) `first_in_episode` keeps H & !H⁻¹. The Anhøj counters (crossings, useful points,
// longest run with its first position) are additive or monotone: a block without points on the centre
// updates them from the side word (popcount of the side changes, the position of the last change) and is
// stepped point by point only when it holds a point on the centre, when no useful point precedes it, or when
// a run in it could exceed the longest run so far (tested with the same "k in a row" form).

const W_UP: usize = 0;
const W_DN: usize = 1;
const W_A1: usize = 2;
const W_B1: usize = 3;
const W_A2: usize = 4;
const W_B2: usize = 5;
const W_W1: usize = 6;
const W_DUP: usize = 7;
const W_DDN: usize = 8;
const W_ALT: usize = 9;
const N_WORDS: usize = 10;

#[inline(always)]
fn cat(cur: u64, prev: u64) -> u128 {
    ((cur as u128) << 64) | prev as u128
}

/// Bit j set when the point j - k (counting into the previous block) has its bit set.
#[inline(always)]
fn back(cur: u64, prev: u64, k: u32) -> u64 {
    ((cat(cur, prev) << k) >> 64) as u64
}

/// Bit j set when points j - k + 1 ..= j all have their bit set (1 <= k <= 64).
#[inline(always)]
fn in_a_row(cur: u64, prev: u64, k: u32) -> u64 {
    let mut r = cat(cur, prev);
    let mut covered = 1;
    while covered < k {
        let s = covered.min(k - covered);
        r &= r << s;
        covered += s;
    }
    (r >> 64) as u64
}

/// True when `x` holds `k` consecutive set bits (k >= 1).
#[inline]
fn has_ones_in_a_row(x: u64, k: u64) -> bool {
    if k > 64 {
        return false;
    }
    let mut r = x;
    let mut covered = 1u64;
    while covered < k && r != 0 {
        let s = covered.min(k - covered);
        r &= r >> s;
        covered += s;
    }
    r != 0
}

/// At least 3 of the 4 words set.
#[inline(always)]
fn three_of_four(p1: u64, p2: u64, p3: u64, p4: u64) -> u64 {
    (p1 & p2 & (p3 | p4)) | (p3 & p4 & (p1 | p2))
}

/// Anhøj counters (whole-series run and crossing statistics among the points off the centre).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct AnhoejState {
    /// Longest run on one side among the useful points.
    pub longest_run: u64,
    /// First point of the longest run.
    pub longest_run_start: usize,
    /// Point at which the longest run reached its length.
    pub longest_run_end: usize,
    arun: u64,
    arun_start: usize,
    /// Crossings between consecutive useful points.
    pub crossings: u64,
    /// Points not exactly on the centre.
    pub useful: u64,
    last_useful_side: i8,
}

impl AnhoejState {
    /// The streaming step of [`RuleState::push`] (Anhøj part) for point `index` with value z.
    #[inline]
    fn step(&mut self, z: f64, index: usize) {
        let up = z > 0.0;
        let dn = z < 0.0;
        let nz = up | dn;
        let side: i8 = up as i8 - dn as i8;
        let last = self.last_useful_side;
        let cont = nz & (side == last);
        let cross = nz & (last != 0) & (side != last);
        self.crossings += cross as u64;
        self.useful += nz as u64;
        let fresh = nz & !cont;
        self.arun = if cont {
            self.arun + 1
        } else if fresh {
            1
        } else {
            self.arun
        };
        self.arun_start = if fresh { index } else { self.arun_start };
        self.last_useful_side = if nz { side } else { last };
        if self.arun > self.longest_run {
            self.longest_run = self.arun;
            self.longest_run_start = self.arun_start;
            self.longest_run_end = index;
        }
    }

    /// Advances over a block of `len` points with side words `up`/`dn` (bits >= len clear) and values `z`.
    #[inline]
    fn block(&mut self, up: u64, dn: u64, len: usize, base: usize, z: &[f64]) {
        let valid = if len == 64 { !0u64 } else { (1u64 << len) - 1 };
        let all_useful = (up | dn) == valid;
        if all_useful && self.last_useful_side != 0 {
            let ps = (self.last_useful_side > 0) as u64;
            let changes = (up ^ ((up << 1) | ps)) & valid;
            let first = changes.trailing_zeros().min(len as u32) as u64;
            // the run carried in reaches arun + first; after the first change a run longer than the longest
            // so far needs `longest` equal sides in a row after it
            let after_first = if first >= 63 {
                0
            } else {
                !((2u64 << first) - 1)
            };
            let same = !changes & valid & after_first;
            if self.arun + first <= self.longest_run && !has_ones_in_a_row(same, self.longest_run) {
                self.crossings += changes.count_ones() as u64;
                self.useful += len as u64;
                if changes == 0 {
                    self.arun += len as u64;
                } else {
                    let p = 63 - changes.leading_zeros() as usize;
                    self.arun = (len - p) as u64;
                    self.arun_start = base + p;
                }
                self.last_useful_side = if (up >> (len - 1)) & 1 == 1 { 1 } else { -1 };
                return;
            }
        }
        for (j, &v) in z[..len].iter().enumerate() {
            self.step(v, base + j);
        }
    }
}

/// `1 << j` for j = 0..64 (bit of point j in a block word).
const POS: [u64; 64] = {
    let mut t = [0u64; 64];
    let mut i = 0;
    while i < 64 {
        t[i] = 1 << i;
        i += 1;
    }
    t
};

/// `pos` when `c`, else 0 (a compare mask ANDed with the point's bit: vectorises to cmppd / andpd / orpd).
#[inline(always)]
fn bit_if(c: bool, pos: u64) -> u64 {
    (c as u64).wrapping_neg() & pos
}

/// Per-point predicates of one block of 1 to 64 points: z = (x - mu) * inv is written to `zb`, and the
/// words UP (z > 0), DN (z < 0), A1 (z > 1), B1 (z < -1), A2 (z > 2), B2 (z < -2), W1 (|z| < 1), DUP (z above
/// the previous z, `prev_z` before the block), DDN (below it) are returned with A3 (|z| > 3) and |z| > l.
/// Two loops of few accumulators each, so that both stay in registers.
#[inline(always)]
fn classify(
    xs: &[f64],
    zb: &mut [f64; 64],
    prev_z: f64,
    mu: f64,
    inv: f64,
    l: f64,
) -> ([u64; N_WORDS], u64, u64) {
    let len = xs.len();
    for (zj, &v) in zb.iter_mut().zip(xs) {
        *zj = (v - mu) * inv;
    }
    let mut zp = [0.0f64; 64];
    zp[0] = prev_z;
    zp[1..len].copy_from_slice(&zb[..len - 1]);
    let (mut up, mut dn, mut a1, mut b1, mut a2, mut b2) = (0u64, 0u64, 0u64, 0u64, 0u64, 0u64);
    for (&z, &pos) in zb[..len].iter().zip(&POS) {
        up |= bit_if(z > 0.0, pos);
        dn |= bit_if(z < 0.0, pos);
        a1 |= bit_if(z > 1.0, pos);
        b1 |= bit_if(z < -1.0, pos);
        a2 |= bit_if(z > 2.0, pos);
        b2 |= bit_if(z < -2.0, pos);
    }
    let (mut w1, mut a3, mut sh, mut dup, mut ddn) = (0u64, 0u64, 0u64, 0u64, 0u64);
    for ((&z, &p), &pos) in zb[..len].iter().zip(&zp).zip(&POS) {
        let a = z.abs();
        w1 |= bit_if(a < 1.0, pos);
        a3 |= bit_if(a > 3.0, pos);
        sh |= bit_if(a > l, pos);
        dup |= bit_if(z > p, pos);
        ddn |= bit_if(z < p, pos);
    }
    let mut w = [0u64; N_WORDS];
    w[W_UP] = up;
    w[W_DN] = dn;
    w[W_A1] = a1;
    w[W_B1] = b1;
    w[W_A2] = a2;
    w[W_B2] = b2;
    w[W_W1] = w1;
    w[W_DUP] = dup;
    w[W_DDN] = ddn;
    (w, a3, sh)
}

/// Output of [`block_rules`].
pub(crate) struct BlockRulesOut {
    /// Hits per bit (bits 0..12 run rules, 14 the Shewhart limit; others 0).
    pub counts: [u64; 18],
    /// The first `cap` hits as (bit, index), in index then bit order.
    pub hits: Vec<(u8, usize)>,
    /// Anhøj counters of the series (when either Anhøj rule is enabled).
    pub anhoej: AnhoejState,
    /// First index with a NaN value (processing stops there).
    pub nan_at: Option<usize>,
}

/// Point rules (with the firing policy), the Shewhart limit |z| > `l` and the Anhøj counters over
/// z = (x - mu) * inv, exactly as the point-by-point [`RuleState`] would give them.
pub(crate) fn block_rules(
    x: &[f64],
    mu: f64,
    inv: f64,
    l: f64,
    config: &RulesConfig,
    cap: usize,
) -> BlockRulesOut {
    let enabled = config.mask();
    let anhoej_on = enabled & (3 << 12) != 0;
    let first_only = config.firing == Firing::FirstInEpisode;
    let mut out = BlockRulesOut {
        counts: [0; 18],
        hits: Vec::new(),
        anhoej: AnhoejState::default(),
        nan_at: None,
    };
    let mut prev = [0u64; N_WORDS];
    let mut prev_held = [0u64; 12];
    let mut prev_z = f64::NAN;
    let mut zb = [0.0f64; 64];
    for (bi, xs) in x.chunks(64).enumerate() {
        let base = bi * 64;
        let len = xs.len();
        let (mut w, a3, sh_l) = classify(xs, &mut zb, prev_z, mu, inv, l);
        let sh = if l == 3.0 { a3 } else { sh_l };
        let valid = if len == 64 { !0u64 } else { (1u64 << len) - 1 };
        if (w[W_UP] | w[W_DN]) != valid {
            // a point on the centre, or a NaN (z = NaN exactly when x is NaN or 0·inf)
            if let Some(j) = xs.iter().position(|v| v.is_nan()) {
                out.nan_at = Some(base + j);
                return out;
            }
        }
        if base == 0 {
            // no difference before the first point
            w[W_DUP] &= !1;
            w[W_DDN] &= !1;
        }
        w[W_ALT] = (w[W_DUP] & back(w[W_DDN], prev[W_DDN], 1))
            | (w[W_DDN] & back(w[W_DUP], prev[W_DUP], 1));
        prev_z = zb[len - 1];
        let (a1, pa1) = (w[W_A1], prev[W_A1]);
        let (b1, pb1) = (w[W_B1], prev[W_B1]);
        let (a2, pa2) = (w[W_A2], prev[W_A2]);
        let (b2, pb2) = (w[W_B2], prev[W_B2]);
        let r2 = (a2 & (back(a2, pa2, 1) | back(a2, pa2, 2)))
            | (b2 & (back(b2, pb2, 1) | back(b2, pb2, 2)));
        let r3 =
            (a1 & three_of_four(
                back(a1, pa1, 1),
                back(a1, pa1, 2),
                back(a1, pa1, 3),
                back(a1, pa1, 4),
            )) | (b1
                & three_of_four(
                    back(b1, pb1, 1),
                    back(b1, pb1, 2),
                    back(b1, pb1, 3),
                    back(b1, pb1, 4),
                ));
        let (up, pup) = (w[W_UP], prev[W_UP]);
        let (dn, pdn) = (w[W_DN], prev[W_DN]);
        let run8 = in_a_row(up, pup, 8) | in_a_row(dn, pdn, 8);
        let run9 = in_a_row(up, pup, 9) | in_a_row(dn, pdn, 9);
        let n3 = in_a_row(w[W_DUP], prev[W_DUP], 5) | in_a_row(w[W_DDN], prev[W_DDN], 5);
        let n4 = in_a_row(w[W_ALT], prev[W_ALT], 12);
        let n7 = in_a_row(w[W_W1], prev[W_W1], 15);
        let n8 = in_a_row(a1 | b1, pa1 | pb1, 8);
        let held: [u64; 12] = [a3, r2, r3, run8, a3, run9, n3, n4, r2, r3, n7, n8];
        let mut fired = [0u64; 15];
        let mut any = sh;
        for b in 0..12 {
            let h = if enabled & (1 << b) != 0 { held[b] } else { 0 };
            let f = if first_only {
                h & !back(h, prev_held[b], 1)
            } else {
                h
            };
            prev_held[b] = h;
            fired[b] = f;
            any |= f;
        }
        fired[14] = sh;
        if any != 0 {
            for (c, f) in out.counts.iter_mut().zip(&fired) {
                *c += f.count_ones() as u64;
            }
            if out.hits.len() < cap {
                let mut g = any;
                'points: while g != 0 {
                    let j = g.trailing_zeros();
                    g &= g - 1;
                    for (b, f) in fired.iter().enumerate() {
                        if (f >> j) & 1 == 1 {
                            if out.hits.len() == cap {
                                break 'points;
                            }
                            out.hits.push((b as u8, base + j as usize));
                        }
                    }
                }
            }
        }
        if anhoej_on {
            out.anhoej.block(up, dn, len, base, &zb);
        }
        prev = w;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    use proptest::prelude::*;

    /// Runs of one side (some longer than a block), alternations, noise and points on the centre.
    fn sided_series() -> impl Strategy<Value = Vec<f64>> {
        prop::collection::vec((0u8..5, 1usize..150, any::<u64>()), 1..14).prop_map(|segs| {
            let mut x = Vec::new();
            for (kind, len, seed) in segs {
                let mut st = seed | 1;
                let mut unit = move || {
                    st = st
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    (st >> 11) as f64 / (1u64 << 53) as f64
                };
                let s = if unit() < 0.5 { 1.0 } else { -1.0 };
                for j in 0..len {
                    let u = unit();
                    x.push(match kind {
                        0 => {
                            if u < 0.1 {
                                0.0
                            } else {
                                u * 8.0 - 4.4
                            }
                        }
                        1 => s * (0.2 + 3.0 * u),
                        2 => s * if j % 2 == 0 { 1.5 } else { -0.5 },
                        3 => 0.0,
                        _ => {
                            if u < 0.05 {
                                0.0
                            } else {
                                s * (0.5 + u)
                            }
                        }
                    });
                }
            }
            x
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// The block engine gives the streaming state's fired rules, hits and Anhøj counters.
        #[test]
        fn block_rules_equal_streaming(x in sided_series(), mask in 0u16..(1 << 12), first in any::<bool>(), cap in 0usize..40, l in prop::sample::select(vec![3.0, 2.0, 0.5])) {
            let on = |b: u16| mask & (1 << b) != 0;
            let cfg = RulesConfig {
                western_electric_1: on(0),
                western_electric_2: on(1),
                western_electric_3: on(2),
                western_electric_4: on(3),
                nelson_1: on(4),
                nelson_2: on(5),
                nelson_3: on(6),
                nelson_4: on(7),
                nelson_5: on(8),
                nelson_6: on(9),
                nelson_7: on(10),
                nelson_8: on(11),
                anhoej_runs: true,
                anhoej_crossings: false,
                firing: if first { Firing::FirstInEpisode } else { Firing::EveryPoint },
            };
            let out = block_rules(&x, 0.0, 1.0, l, &cfg, cap);
            let mut st = RuleState::default();
            let mut counts = [0u64; 18];
            let mut hits = Vec::new();
            for (i, &z) in x.iter().enumerate() {
                let held = st.push(z);
                let f = st.fire(held, cfg.mask() & POINT_RULES, cfg.firing) as u32 | ((z.abs() > l) as u32) << 14;
                for (b, c) in counts.iter_mut().enumerate() {
                    if (f >> b) & 1 == 1 {
                        *c += 1;
                        if hits.len() < cap {
                            hits.push((b as u8, i));
                        }
                    }
                }
            }
            prop_assert!(out.nan_at.is_none());
            prop_assert_eq!(out.counts, counts);
            prop_assert_eq!(out.hits, hits);
            let a = out.anhoej;
            prop_assert_eq!(a.longest_run, st.longest_run as u64);
            prop_assert_eq!(a.longest_run_start, st.longest_run_start);
            prop_assert_eq!(a.longest_run_end, st.longest_run_end);
            prop_assert_eq!(a.crossings, st.crossings as u64);
            prop_assert_eq!(a.useful, st.useful as u64);
        }
    }

    #[test]
    fn block_rules_nan_index() {
        let mut x = vec![0.5; 300];
        x[200] = f64::NAN;
        x[250] = f64::NAN;
        let out = block_rules(&x, 0.0, 1.0, 3.0, &RulesConfig::all(), 10);
        assert_eq!(out.nan_at, Some(200));
    }

    #[test]
    fn zigzag_numbers() {
        // OEIS A000111: 1, 1, 1, 2, 5, 16, 61, 272, ..., E14 = 199360981
        assert_eq!(zigzag(5), 16.0);
        assert_eq!(zigzag(14), 199360981.0);
    }
}
