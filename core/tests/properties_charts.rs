//! Invariants of the control charts, run rules and ARLs (issue 4).

use cxkpi::baseline::arl::{cusum_arl, ewma_arl, shewhart_arl, ArlOptions, Sided};
use cxkpi::baseline::charts::{
    cusum_chart, ewma_chart, individuals_chart, monitor, p_chart, CusumConfig, EwmaConfig,
    IndividualsConfig, MonitorConfig, PChartConfig,
};
use cxkpi::baseline::rules::{evaluate_z, RulesConfig};
use proptest::prelude::*;

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
