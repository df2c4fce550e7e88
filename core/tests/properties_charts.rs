//! Invariants of the control charts, run rules and ARLs (issue 4).

use cxkpi::baseline::arl::{cusum_arl, ewma_arl, shewhart_arl, ArlOptions, Sided};
use cxkpi::baseline::charts::{
    cusum_chart, ewma_chart, individuals_chart, monitor, p_chart, CusumConfig, EwmaConfig,
    IndividualsConfig, MonitorConfig, PChartConfig,
};
use cxkpi::baseline::rules::{evaluate_z, RulesConfig};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

fn series() -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(-5.0f64..5.0, 3..120)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Shifting and scaling the data leaves z, the signals and the EWMA/CUSUM signal points unchanged.
    #[test]
    fn location_scale_invariance(x in series(), a in -100.0f64..100.0, b in 0.5f64..20.0) {
        let y: Vec<f64> = x.iter().map(|v| a + b * v).collect();
        let cx = individuals_chart(&x, &IndividualsConfig { mu: Some(0.0), sigma: Some(1.0), ..Default::default() }).unwrap();
        let cy = individuals_chart(&y, &IndividualsConfig { mu: Some(a), sigma: Some(b), ..Default::default() }).unwrap();
        for (u, v) in cx.z.iter().zip(&cy.z) {
            prop_assert!((u - v).abs() < 1e-9);
        }
        let ix: Vec<usize> = cx.signals.iter().map(|s| s.index).collect();
        let iy: Vec<usize> = cy.signals.iter().map(|s| s.index).collect();
        // borderline points (|z| within 1e-9 of 3) may flip by rounding; none occur with overwhelming probability
        if cx.z.iter().all(|z| (z.abs() - 3.0).abs() > 1e-9) {
            prop_assert_eq!(ix, iy);
        }
    }

    /// Limits bracket the centre and the EWMA time-varying width grows monotonically to the asymptote.
    #[test]
    fn ewma_limits_grow(x in series(), lam in 0.05f64..1.0) {
        let c = ewma_chart(&x, &EwmaConfig { lambda: lam, mu: Some(0.0), sigma: Some(1.0), ..Default::default() }).unwrap();
        let asym = 3.0 * (lam / (2.0 - lam)).sqrt();
        for i in 0..x.len() {
            prop_assert!(c.lower[i] <= c.center[i] && c.center[i] <= c.upper[i]);
            prop_assert!(c.upper[i] <= asym * (1.0 + 1e-12));
            if i > 0 { prop_assert!(c.upper[i] >= c.upper[i - 1]); }
        }
    }

    /// CUSUM sums are non-negative and stay at or below h between resets.
    #[test]
    fn cusum_sums_bounded(x in series()) {
        let c = cusum_chart(&x, &CusumConfig { mu: Some(0.0), sigma: Some(1.0), ..Default::default() }).unwrap();
        for i in 0..x.len() {
            prop_assert!(c.statistic[i] >= 0.0 && c.statistic_lower.as_ref().unwrap()[i] <= 0.0);
        }
        for s in &c.signals {
            prop_assert!(s.points.last() == Some(&s.index));
        }
    }

    /// The fused monitor finds exactly the individuals-limit and run-rule hits of the separate functions.
    #[test]
    fn monitor_matches_separate_functions(x in series()) {
        let cfg = MonitorConfig { rules: RulesConfig::all(), ..Default::default() };
        let m = monitor(&x, &cfg).unwrap();
        let hits = evaluate_z(&x, &RulesConfig::all()).unwrap();
        for (rule, count) in &m.counts {
            if rule.starts_with("western") || rule.starts_with("nelson") || rule.starts_with("anhoej") {
                let n = hits.iter().filter(|h| &h.rule == rule).count() as u64;
                prop_assert_eq!(*count, n, "{}", rule);
            }
        }
        let ind = individuals_chart(&x, &IndividualsConfig { mu: Some(0.0), sigma: Some(1.0), ..Default::default() }).unwrap();
        prop_assert_eq!(m.counts["shewhart_limit"], ind.signals.len() as u64);
        let cus = cusum_chart(&x, &CusumConfig { mu: Some(0.0), sigma: Some(1.0), ..Default::default() }).unwrap();
        let up = cus.signals.iter().filter(|s| s.rule == "cusum_upper").count() as u64;
        prop_assert_eq!(m.counts["cusum_upper"], up);
    }

    /// First-in-episode firing never yields more hits than every-point firing.
    #[test]
    fn first_in_episode_is_a_subset(x in series()) {
        let all = evaluate_z(&x, &RulesConfig::all()).unwrap();
        let first = evaluate_z(&x, &RulesConfig { firing: cxkpi::baseline::rules::Firing::FirstInEpisode, ..RulesConfig::all() }).unwrap();
        prop_assert!(first.len() <= all.len());
        for h in &first {
            prop_assert!(all.iter().any(|a| a.rule == h.rule && a.index == h.index));
        }
    }

    /// p-chart limits lie in [0, 1] and widen as n shrinks.
    #[test]
    fn p_limits_in_unit_interval(sizes in prop::collection::vec(1u32..500, 2..40), frac in 0.05f64..0.95) {
        let n: Vec<f64> = sizes.iter().map(|&v| v as f64).collect();
        let x: Vec<f64> = n.iter().map(|v| (v * frac).round()).collect();
        if let Ok(c) = p_chart(&x, &n, &PChartConfig::default()) {
            for i in 0..n.len() {
                prop_assert!(c.lower[i] >= 0.0 && c.upper[i] <= 1.0 && c.lower[i] <= c.upper[i]);
            }
        }
    }

    /// ARLs fall as the shift grows and rise with the threshold.
    #[test]
    fn arl_monotone(l in 2.0f64..3.5, d in 0.1f64..2.0) {
        prop_assert!(shewhart_arl(l, d, Sided::Two).unwrap() < shewhart_arl(l, 0.0, Sided::Two).unwrap());
        let o = ArlOptions { nodes: Some(20), ..Default::default() };
        prop_assert!(ewma_arl(0.2, l, d, &o).unwrap() < ewma_arl(0.2, l, 0.0, &o).unwrap());
        prop_assert!(ewma_arl(0.2, l, 0.0, &o).unwrap() < ewma_arl(0.2, l + 0.2, 0.0, &o).unwrap());
        prop_assert!(cusum_arl(0.5, l + 1.0, d, &o).unwrap() < cusum_arl(0.5, l + 1.0, 0.0, &o).unwrap());
    }
}

// ---------------------------------------------------------------------------------------------------------
// The fast `monitor` (bit-parallel run rules, EWMA/CUSUM pass beside them) against a point-by-point
// reference written from the rule definitions in `rules.rs`: every window is looked up directly in z.

mod reference {
    use cxkpi::baseline::charts::MonitorConfig;
    use cxkpi::baseline::rules::{anhoej_crossings_limit, anhoej_run_limit, Firing, RULE_IDS};

    pub struct Out {
        pub counts: Vec<(String, u64)>,
        pub hits: Vec<(String, usize)>,
        pub truncated: bool,
        pub ewma: f64,
        pub cusum: [f64; 2],
    }

    /// Points i-n+1..=i all exist and satisfy `p`.
    fn last_n(z: &[f64], i: usize, n: usize, p: impl Fn(f64) -> bool) -> bool {
        i + 1 >= n && (i + 1 - n..=i).all(|j| p(z[j]))
    }

    /// How many of the points i-n+1..=i (those that exist) satisfy `p`.
    fn count_last(z: &[f64], i: usize, n: usize, p: impl Fn(f64) -> bool) -> usize {
        (i.saturating_sub(n - 1)..=i).filter(|&j| p(z[j])).count()
    }

    fn held(z: &[f64], i: usize, bit: usize) -> bool {
        let v = z[i];
        match bit {
            // one point beyond 3 sigma
            0 | 4 => v.abs() > 3.0,
            // 2 of 3 beyond 2 sigma on the side of this point, this point included
            1 | 8 => {
                (v > 2.0 && count_last(z, i, 3, |w| w > 2.0) >= 2)
                    || (v < -2.0 && count_last(z, i, 3, |w| w < -2.0) >= 2)
            }
            // 4 of 5 beyond 1 sigma, this point included
            2 | 9 => {
                (v > 1.0 && count_last(z, i, 5, |w| w > 1.0) >= 4)
                    || (v < -1.0 && count_last(z, i, 5, |w| w < -1.0) >= 4)
            }
            3 => last_n(z, i, 8, |w| w > 0.0) || last_n(z, i, 8, |w| w < 0.0),
            5 => last_n(z, i, 9, |w| w > 0.0) || last_n(z, i, 9, |w| w < 0.0),
            // 6 points strictly increasing or strictly decreasing
            6 => {
                i >= 5
                    && ((i - 4..=i).all(|j| z[j] > z[j - 1])
                        || (i - 4..=i).all(|j| z[j] < z[j - 1]))
            }
            // 14 points alternating: 13 non-zero differences, each the opposite sign of the one before
            7 => {
                let d = |j: usize| {
                    if z[j] > z[j - 1] {
                        1
                    } else if z[j] < z[j - 1] {
                        -1
                    } else {
                        0
                    }
                };
                i >= 13
                    && (i - 12..=i).all(|j| d(j) != 0)
                    && (i - 11..=i).all(|j| d(j) == -d(j - 1))
            }
            10 => last_n(z, i, 15, |w| w.abs() < 1.0),
            11 => last_n(z, i, 8, |w| w.abs() > 1.0),
            _ => unreachable!(),
        }
    }

    pub fn monitor(x: &[f64], c: &MonitorConfig) -> Result<Out, usize> {
        if let Some(i) = x.iter().position(|v| v.is_nan()) {
            return Err(i);
        }
        let inv = 1.0 / c.sigma;
        let z: Vec<f64> = x.iter().map(|v| (v - c.mu) * inv).collect();
        let enabled = c.rules.mask();
        let names: Vec<&str> = RULE_IDS
            .iter()
            .copied()
            .chain(["shewhart_limit", "ewma_limit", "cusum_upper", "cusum_lower"])
            .collect();
        let mut counts = [0u64; 18];
        let mut hits = Vec::new();
        let mut truncated = false;
        let (lam, om) = (c.lambda, 1.0 - c.lambda);
        let asym = lam / (2.0 - lam);
        let q = om * om;
        let mut qt = 1.0f64;
        let (mut e, mut cp, mut cm) = (0.0f64, 0.0f64, 0.0f64);
        let mut prev_held = [false; 12];
        for i in 0..z.len() {
            let mut fired = [false; 18];
            for b in 0..12 {
                let h = enabled & (1 << b) != 0 && held(&z, i, b);
                fired[b] = match c.rules.firing {
                    Firing::EveryPoint => h,
                    Firing::FirstInEpisode => h && !prev_held[b],
                };
                prev_held[b] = h;
            }
            fired[14] = z[i].abs() > c.l;
            e = lam * z[i] + om * e;
            if qt > 0.0 {
                qt *= q;
            }
            fired[15] = e * e > c.ewma_l * c.ewma_l * asym * (1.0 - qt);
            cp = (cp + z[i] - c.k).max(0.0);
            cm = (cm - z[i] - c.k).max(0.0);
            if cp > c.h {
                fired[16] = true;
                cp = 0.0;
            }
            if cm > c.h {
                fired[17] = true;
                cm = 0.0;
            }
            for (b, &f) in fired.iter().enumerate() {
                if f {
                    counts[b] += 1;
                    if hits.len() < c.max_hits {
                        hits.push((names[b].to_string(), i));
                    } else {
                        truncated = true;
                    }
                }
            }
        }
        // Anhøj: the points off the centre line, their sides, runs and crossings
        let useful: Vec<(usize, bool)> = (0..z.len())
            .filter(|&i| z[i] != 0.0 && !z[i].is_nan())
            .map(|i| (i, z[i] > 0.0))
            .collect();
        let n = useful.len() as u64;
        let mut best = (0u64, 0usize, 0usize);
        let mut start = 0;
        while start < useful.len() {
            let mut end = start;
            while end + 1 < useful.len() && useful[end + 1].1 == useful[start].1 {
                end += 1;
            }
            let len = (end - start + 1) as u64;
            if len > best.0 {
                best = (len, useful[start].0, useful[end].0);
            }
            start = end + 1;
        }
        let crossings = useful.windows(2).filter(|w| w[0].1 != w[1].1).count() as u64;
        if enabled & (1 << 12) != 0 && n > 0 && best.0 > anhoej_run_limit(n) {
            counts[12] += 1;
            hits.push((names[12].to_string(), best.2));
        }
        if enabled & (1 << 13) != 0 && n >= 2 && crossings < anhoej_crossings_limit(n) {
            counts[13] += 1;
            hits.push((names[13].to_string(), x.len() - 1));
        }
        let mut cs: Vec<(String, u64)> = (0..18)
            .filter(|&b| b >= 14 || enabled & (1 << b) != 0)
            .map(|b| (names[b].to_string(), counts[b]))
            .collect();
        cs.sort();
        Ok(Out {
            counts: cs,
            hits,
            truncated,
            ewma: c.mu + e * c.sigma,
            cusum: [cp * c.sigma, cm * c.sigma],
        })
    }
}

/// Tiny deterministic generator for the segment contents.
struct Lcg(u64);
impl Lcg {
    fn unit(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A series made of segments: noise, one-sided runs, trends, alternations, values on the rule boundaries
/// (0, ±1, ±2, ±3 and ties), zeros, calm stretches, and rare infinities.
fn segment_series(segments: &[(u8, usize, u64)]) -> Vec<f64> {
    let mut x = Vec::new();
    for &(kind, len, seed) in segments {
        let mut r = Lcg(seed);
        let s = if r.unit() < 0.5 { 1.0 } else { -1.0 };
        let start = r.unit() * 6.0 - 3.0;
        let step = (0.05 + r.unit()) * s;
        for j in 0..len {
            let v = match kind {
                0 => r.unit() * 8.0 - 4.0,
                1 => s * (0.1 + r.unit() * 3.5),
                2 => start + step * j as f64,
                3 => start + if j % 2 == 0 { step } else { -step },
                4 => [-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0, 0.5, -0.5, 2.5]
                    [(r.unit() * 10.0) as usize],
                5 => 0.0,
                6 => r.unit() * 1.8 - 0.9,
                7 => s * (1.01 + r.unit() * 2.0),
                _ => {
                    if j == 0 {
                        s * f64::INFINITY
                    } else {
                        s * 4.5
                    }
                }
            };
            x.push(v);
        }
    }
    x
}

fn segments(max_segments: usize, max_len: usize) -> impl Strategy<Value = Vec<(u8, usize, u64)>> {
    prop::collection::vec(
        (
            prop_oneof![8 => 0u8..8, 1 => Just(8u8)],
            1..max_len,
            any::<u64>(),
        ),
        1..max_segments,
    )
}

fn monitor_config() -> impl Strategy<Value = MonitorConfig> {
    (
        (0u16..(1 << 14), any::<bool>()),
        prop_oneof![Just(0usize), 1..6usize, 6..60usize, Just(1_000_000usize)],
        (
            prop::sample::select(vec![0.0, 0.25, -1.0]),
            prop::sample::select(vec![1.0, 0.5, 2.0, 0.3]),
        ),
        prop::sample::select(vec![3.0, 2.5, 1.0]),
        prop::sample::select(vec![0.2, 0.05, 1.0, 0.5, 0.001]),
        prop::sample::select(vec![3.0, 2.0, 0.5]),
        (
            prop::sample::select(vec![0.5, 0.0, 1.0]),
            prop::sample::select(vec![4.0, 1.0, 0.5, 8.0]),
        ),
    )
        .prop_map(
            |((mask, first), max_hits, (mu, sigma), l, lambda, ewma_l, (k, h))| {
                let on = |b: u16| mask & (1 << b) != 0;
                let rules = RulesConfig {
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
                    anhoej_runs: on(12),
                    anhoej_crossings: on(13),
                    firing: if first {
                        cxkpi::baseline::rules::Firing::FirstInEpisode
                    } else {
                        cxkpi::baseline::rules::Firing::EveryPoint
                    },
                };
                MonitorConfig {
                    mu,
                    sigma,
                    l,
                    lambda,
                    ewma_l,
                    k,
                    h,
                    rules,
                    max_hits,
                }
            },
        )
}

fn same_bits(a: f64, b: f64) -> bool {
    a.to_bits() == b.to_bits()
}

fn check_monitor_against_reference(x: &[f64], cfg: &MonitorConfig) -> Result<(), TestCaseError> {
    let fast = monitor(x, cfg);
    match reference::monitor(x, cfg) {
        Err(i) => {
            let err = fast.expect_err("NaN must be an error");
            prop_assert_eq!(err.kind(), "missing_value");
            let at = match err {
                cxkpi::CxkpiError::MissingValue { index, .. } => Some(index),
                _ => None,
            };
            prop_assert_eq!(at, Some(i));
        }
        Ok(r) => {
            let m = fast.expect("no NaN: no error");
            prop_assert_eq!(m.n_points, x.len());
            let counts: Vec<(String, u64)> =
                m.counts.iter().map(|(k, v)| (k.clone(), *v)).collect();
            prop_assert_eq!(counts, r.counts);
            let hits: Vec<(String, usize)> =
                m.hits.iter().map(|h| (h.rule.clone(), h.index)).collect();
            prop_assert_eq!(hits, r.hits);
            prop_assert_eq!(m.truncated, r.truncated);
            prop_assert!(same_bits(m.ewma, r.ewma), "ewma {} vs {}", m.ewma, r.ewma);
            prop_assert!(same_bits(m.cusum[0], r.cusum[0]) && same_bits(m.cusum[1], r.cusum[1]));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Short and medium series (across several 64-point blocks): every count, hit, flag and final
    /// EWMA/CUSUM bit equals the point-by-point reference, for every rule subset, firing policy and cap.
    #[test]
    fn monitor_equals_reference(segs in segments(12, 60), cfg in monitor_config(), nan in prop::option::weighted(0.1, any::<prop::sample::Index>())) {
        let mut x = segment_series(&segs);
        if let Some(ix) = nan {
            let i = ix.index(x.len());
            x[i] = f64::NAN;
        }
        check_monitor_against_reference(&x, &cfg)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(6))]

    /// Long series (the two passes run side by side): still equal to the reference.
    #[test]
    fn monitor_equals_reference_long(segs in segments(200, 600), cfg in monitor_config(), nan in prop::option::weighted(0.2, any::<prop::sample::Index>())) {
        let mut x = segment_series(&segs);
        while x.len() < 40_000 {
            let more = x.clone();
            x.extend(more);
        }
        if let Some(ix) = nan {
            let i = ix.index(x.len());
            x[i] = f64::NAN;
        }
        check_monitor_against_reference(&x, &cfg)?;
    }
}

/// Edge cases: one point, all zeros, a NaN first, the first useful point late, a run longer than a block.
#[test]
fn monitor_equals_reference_edges() {
    let all = MonitorConfig {
        rules: RulesConfig::all(),
        ..Default::default()
    };
    let first = MonitorConfig {
        rules: RulesConfig {
            firing: cxkpi::baseline::rules::Firing::FirstInEpisode,
            ..RulesConfig::all()
        },
        max_hits: 3,
        ..Default::default()
    };
    let mut cases: Vec<Vec<f64>> = vec![
        vec![1.0],
        vec![0.0; 200],
        vec![f64::NAN, 1.0],
        vec![5.0],
        (0..300).map(|i| if i < 100 { 0.0 } else { 1.5 }).collect(),
        (0..500).map(|i| if i < 130 { 0.5 } else { -0.5 }).collect(),
        (0..1000)
            .map(|i| ((i * 37) % 11) as f64 * 0.5 - 2.5)
            .collect(),
        (0..640)
            .map(|i| {
                if i % 64 == 63 {
                    0.0
                } else if (i / 70) % 2 == 0 {
                    0.7
                } else {
                    -0.7
                }
            })
            .collect(),
    ];
    cases.push((0..129).map(|i| (i % 2) as f64 * 2.0 - 1.0).collect());
    for x in &cases {
        for cfg in [&all, &first] {
            check_monitor_against_reference(x, cfg).unwrap();
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// The column-producing charts against their point-by-point definitions (bit for bit): individuals z
    /// and moving ranges, EWMA statistic with exact time-varying (or asymptotic) limits, CUSUM sums.
    #[test]
    #[allow(clippy::needless_range_loop)]
    fn charts_equal_pointwise_definitions(segs in segments(8, 400), lam in prop::sample::select(vec![0.2, 0.05, 1.0, 0.5, 0.001, 0.9]), asymptotic in any::<bool>(), given in any::<bool>()) {
        let x = segment_series(&segs);
        if x.iter().any(|v| !v.is_finite()) || x.len() < 2 {
            return Ok(());
        }
        let (mu, sigma) = if given { (Some(0.25), Some(1.5)) } else { (None, None) };
        let ind = individuals_chart(&x, &IndividualsConfig { mu, sigma, ..Default::default() });
        let Ok(ind) = ind else { return Ok(()); };
        let (m, s) = (ind.estimation.mu, ind.estimation.sigma.unwrap());
        for i in 0..x.len() {
            prop_assert!(same_bits(ind.z[i], (x[i] - m) / s));
            let mr = ind.moving_range.as_ref().unwrap()[i];
            prop_assert_eq!(mr.map(f64::to_bits), if i == 0 { None } else { Some((x[i] - x[i - 1]).abs().to_bits()) });
        }
        let limits = if asymptotic { cxkpi::baseline::charts::EwmaLimits::Asymptotic } else { cxkpi::baseline::charts::EwmaLimits::TimeVarying };
        let ew = ewma_chart(&x, &EwmaConfig { lambda: lam, mu, sigma, limits, ..Default::default() }).unwrap();
        let asym = lam / (2.0 - lam);
        let (mut e, mut qt) = (m, 1.0f64);
        let mut sig = Vec::new();
        for i in 0..x.len() {
            e = lam * x[i] + (1.0 - lam) * e;
            qt *= (1.0 - lam) * (1.0 - lam);
            let sd = if asymptotic { s * asym.sqrt() } else { s * (asym * (1.0 - qt)).sqrt() };
            let (lo, hi) = (m - 3.0 * sd, m + 3.0 * sd);
            prop_assert!(same_bits(ew.statistic[i], e) && same_bits(ew.lower[i], lo) && same_bits(ew.upper[i], hi));
            prop_assert!(same_bits(ew.z[i], (x[i] - m) / s));
            if e > hi || e < lo {
                sig.push((i, ((e - m) / sd).to_bits()));
            }
        }
        let got: Vec<(usize, u64)> = ew.signals.iter().map(|g| (g.index, g.sigma.unwrap().to_bits())).collect();
        prop_assert_eq!(got, sig);
        let cu = cusum_chart(&x, &CusumConfig { mu, sigma, ..Default::default() }).unwrap();
        let (kk, hh) = (0.5 * s, 4.0 * s);
        let (mut cp, mut cm) = (0.0f64, 0.0f64);
        let mut n_sig = 0;
        for i in 0..x.len() {
            cp = (cp + x[i] - m - kk).max(0.0);
            cm = (cm + m - kk - x[i]).max(0.0);
            prop_assert!(same_bits(cu.statistic[i], cp) && same_bits(cu.statistic_lower.as_ref().unwrap()[i], -cm));
            prop_assert!(same_bits(cu.z[i], (x[i] - m) / s));
            if cp > hh { cp = 0.0; n_sig += 1; }
            if cm > hh { cm = 0.0; n_sig += 1; }
        }
        prop_assert_eq!(cu.signals.len(), n_sig);
    }
}
