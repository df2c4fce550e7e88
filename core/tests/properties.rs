//! Property tests of the invariants: merging partials equals computing on the whole, estimates and
//! intervals stay in their bounds, grouped rows equal the ungrouped metric on each group.

use cxkpi::options::Options;
use cxkpi::stats::{proportion_limits, ProportionMethod};
use cxkpi::*;
use proptest::prelude::*;

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * a.abs().max(b.abs()).max(1.0)
}

fn nps_scores() -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(
        prop_oneof![9 => (0u8..=10).prop_map(f64::from), 1 => Just(f64::NAN)],
        1..300,
    )
}

fn with_weights(len: usize) -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(0.05f64..20.0, len)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn nps_partials_merge_to_the_whole(scores in nps_scores(), cut in 0usize..300) {
        let cut = cut.min(scores.len());
        let o = Options::new();
        let whole = nps(&scores, None, &NpsOptions::default());
        let mut p = NpsPartial::from_scores(&scores[..cut], None, &o).unwrap();
        p.merge(&NpsPartial::from_scores(&scores[cut..], None, &o).unwrap()).unwrap();
        match whole {
            Ok(w) => prop_assert_eq!(p.finish(&o).unwrap(), w),
            Err(e) => prop_assert_eq!(p.finish(&o).unwrap_err().kind(), e.kind()),
        }
    }

    #[test]
    fn weighted_nps_partials_merge_to_the_whole(
        (scores, weights) in (1usize..200).prop_flat_map(|n| (prop::collection::vec((0u8..=10).prop_map(f64::from), n), with_weights(n))),
        cut in 0usize..200,
    ) {
        let cut = cut.min(scores.len());
        let o = Options::new();
        let w = nps(&scores, Some(&weights), &NpsOptions::default()).unwrap();
        let mut p = NpsPartial::from_scores(&scores[..cut], Some(&weights[..cut]), &o).unwrap();
        p.merge(&NpsPartial::from_scores(&scores[cut..], Some(&weights[cut..]), &o).unwrap()).unwrap();
        let m = p.finish(&o).unwrap();
        prop_assert_eq!(m.n, w.n);
        for (a, b) in [(m.nps, w.nps), (m.se, w.se), (m.lower, w.lower), (m.upper, w.upper), (m.effective_n, w.effective_n)] {
            prop_assert!(close(a, b, 1e-12), "{} vs {}", a, b);
        }
    }

    #[test]
    fn mean_partials_merge_to_the_whole(
        (values, weights) in (2usize..200).prop_flat_map(|n| (prop::collection::vec(-1e3f64..1e3, n), with_weights(n))),
        cut in 0usize..200,
        weighted in any::<bool>(),
    ) {
        let cut = cut.min(values.len());
        let w = weighted.then_some(weights.as_slice());
        let o = Options::new();
        let whole = mean_score(&values, w, &MeanOptions::default()).unwrap();
        let mut p = MeanPartial::from_values(&values[..cut], w.map(|w| &w[..cut]), &o).unwrap();
        p.merge(&MeanPartial::from_values(&values[cut..], w.map(|w| &w[cut..]), &o).unwrap()).unwrap();
        let m = p.finish(&o).unwrap();
        for (a, b) in [(m.mean, whole.mean), (m.sd, whole.sd), (m.se, whole.se), (m.lower, whole.lower)] {
            prop_assert!(close(a, b, 1e-9), "{} vs {}", a, b);
        }
    }

    #[test]
    fn top_box_partials_merge_to_the_whole(scores in prop::collection::vec((1u8..=5).prop_map(f64::from), 1..300), cut in 0usize..300) {
        let cut = cut.min(scores.len());
        let o = Options::new();
        let whole = top_box(&scores, None, &TopBoxOptions::default()).unwrap();
        let mut p = TopBoxPartial::from_scores(&scores[..cut], None, &o).unwrap();
        p.merge(&TopBoxPartial::from_scores(&scores[cut..], None, &o).unwrap()).unwrap();
        prop_assert_eq!(p.finish(&o).unwrap(), whole);
    }

    #[test]
    fn nps_and_shares_stay_in_bounds(scores in nps_scores()) {
        if let Ok(r) = nps(&scores, None, &NpsOptions::default()) {
            prop_assert!((-100.0..=100.0).contains(&r.nps));
            prop_assert!(close(r.promoters + r.passives + r.detractors, 1.0, 1e-15));
            prop_assert!(r.lower <= r.nps && r.nps <= r.upper);
            prop_assert_eq!(r.n + r.n_missing, scores.len() as u64);
        }
    }

    #[test]
    fn proportion_intervals_are_ordered_and_bounded(x in 0u32..200, extra in 0u32..200, conf in 0.5f64..0.999) {
        let n = (x + extra).max(1) as f64;
        let x = (x as f64).min(n);
        for m in [ProportionMethod::Wilson, ProportionMethod::Wald, ProportionMethod::AgrestiCoull,
                  ProportionMethod::ClopperPearson, ProportionMethod::Jeffreys, ProportionMethod::WilsonCc] {
            let (lo, hi) = proportion_limits(x, n, conf, m).unwrap();
            prop_assert!((0.0..=1.0).contains(&lo) && (0.0..=1.0).contains(&hi), "{m}: {lo} {hi}");
            prop_assert!(lo <= hi, "{m}: {lo} > {hi}");
            if m != ProportionMethod::AgrestiCoull {
                prop_assert!(lo <= x / n + 1e-12 && x / n <= hi + 1e-12, "{m}: {lo} {} {hi}", x / n);
            }
        }
    }

    #[test]
    fn grouped_rows_equal_each_group_alone(
        rows in prop::collection::vec(((0u8..=10).prop_map(f64::from), 0u32..4, 0u32..3), 1..300)
    ) {
        let scores: Vec<f64> = rows.iter().map(|r| r.0).collect();
        let k1: Vec<u32> = rows.iter().map(|r| r.1).collect();
        let k2: Vec<u32> = rows.iter().map(|r| r.2).collect();
        let g = grouped("nps", &scores, &[&k1, &k2], None, &Options::new()).unwrap();
        prop_assert_eq!(g.n.iter().sum::<u64>(), scores.len() as u64);
        for i in 0..g.n.len() {
            let sub: Vec<f64> = rows.iter().filter(|r| r.1 == g.keys[0][i] && r.2 == g.keys[1][i]).map(|r| r.0).collect();
            let alone = nps(&sub, None, &NpsOptions::default()).unwrap();
            prop_assert_eq!(g.estimate[i].map(f64::to_bits), Some(alone.nps.to_bits()));
            prop_assert_eq!(g.lower[i].map(f64::to_bits), Some(alone.lower.to_bits()));
            prop_assert_eq!(g.upper[i].map(f64::to_bits), Some(alone.upper.to_bits()));
        }
        for i in 1..g.n.len() {
            prop_assert!((g.keys[0][i - 1], g.keys[1][i - 1]) < (g.keys[0][i], g.keys[1][i]));
        }
    }

    #[test]
    fn bad_answers_are_named(scores in prop::collection::vec((0u8..=10).prop_map(f64::from), 1..50), at in 0usize..50, bad in prop_oneof![Just(11.0), Just(-1.0), Just(7.5), Just(f64::INFINITY)]) {
        let mut s = scores.clone();
        let at = at.min(s.len() - 1);
        s[at] = bad;
        let e = nps(&s, None, &NpsOptions::default()).unwrap_err();
        let d = e.details();
        prop_assert_eq!(d.index, Some(at));
        prop_assert!(["out_of_scale", "non_integer"].contains(&e.kind()));
    }
}

#[test]
fn bootstrap_is_seeded_and_close_to_wald() {
    let scores: Vec<f64> = (0..1500).map(|i| ((i * 7) % 11) as f64).collect();
    let mut o = NpsOptions::default();
    o.interval.interval = NetInterval::Bootstrap;
    let a = nps(&scores, None, &o).unwrap();
    let b = nps(&scores, None, &o).unwrap();
    assert_eq!(a, b, "same seed, same interval");
    o.interval.interval = NetInterval::Wald;
    let w = nps(&scores, None, &o).unwrap();
    assert!(
        (a.lower - w.lower).abs() < 1.0 && (a.upper - w.upper).abs() < 1.0,
        "{a:?} vs {w:?}"
    );
    assert!((a.se - w.se).abs() / w.se < 0.1);
}

#[test]
fn weighted_bootstrap_needs_rows() {
    let p = NpsPartial::from_scores(&[9.0, 3.0], Some(&[1.0, 2.0]), &Options::new()).unwrap();
    let mut o = Options::new();
    o.insert("interval".into(), "bootstrap".into());
    assert_eq!(p.finish(&o).unwrap_err().kind(), "unsupported");
}

#[test]
fn exact_bootstrap_small_hand_case() {
    // n = 1, one promoter: the bootstrap distribution is a point mass at +100.
    let mut o = NpsOptions::default();
    o.interval.interval = NetInterval::ExactBootstrap;
    let r = nps_from_counts(1, 0, 0, &o).unwrap();
    assert_eq!((r.lower, r.upper), (100.0, 100.0));
    // n = 2, one promoter and one detractor: P(−100) = 1/4, P(0) = 1/2, P(+100) = 1/4.
    let r = nps_from_counts(1, 0, 1, &o).unwrap();
    assert_eq!((r.lower, r.upper), (-100.0, 100.0));
    o.interval.confidence = 0.4; // levels 0.3 and 0.7 both fall on 0
    let r = nps_from_counts(1, 0, 1, &o).unwrap();
    assert_eq!((r.lower, r.upper), (0.0, 0.0));
}

#[test]
fn unknown_options_and_methods_are_errors() {
    let mut o = Options::new();
    o.insert("intervall".into(), "wald".into());
    assert_eq!(
        NpsOptions::from_options(&o).unwrap_err().kind(),
        "invalid_argument"
    );
    let mut o = Options::new();
    o.insert("interval".into(), "wilsonn".into());
    let e = TopBoxOptions::from_options(&o).unwrap_err();
    assert_eq!(e.kind(), "unknown_method");
    assert!(e.to_string().contains("wilson, wald"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Every metric, weighted or not, by a key: each group's row equals the metric on that group alone.
    #[test]
    fn every_grouped_metric_equals_each_group_alone(
        rows in prop::collection::vec(((1u8..=5).prop_map(f64::from), 0u32..3, 0.1f64..5.0), 2..200),
        weighted in any::<bool>(),
    ) {
        let vals: Vec<f64> = rows.iter().map(|r| r.0).collect();
        let key: Vec<u32> = rows.iter().map(|r| r.1).collect();
        let ws: Vec<f64> = rows.iter().map(|r| r.2).collect();
        let w = weighted.then_some(ws.as_slice());
        let labels: Vec<f64> = vals.iter().map(|v| v.min(3.0) - 2.0).collect();
        for metric in ["nps", "top_box", "mean", "ces", "sentiment"] {
            let col = if metric == "sentiment" { &labels } else { &vals };
            let g = grouped(metric, col, &[&key], w, &Options::new()).unwrap();
            for i in 0..g.n.len() {
                let pick = |c: &[f64]| -> Vec<f64> { c.iter().zip(&key).filter(|(_, k)| **k == g.keys[0][i]).map(|(v, _)| *v).collect() };
                let (sub, sw) = (pick(col), pick(&ws));
                let sw = weighted.then_some(sw.as_slice());
                let alone: Result<(f64, f64, f64)> = match metric {
                    "nps" => nps(&sub, sw, &NpsOptions::default()).map(|r| (r.nps, r.lower, r.upper)),
                    "top_box" => top_box(&sub, sw, &TopBoxOptions::default()).map(|r| (r.share, r.lower, r.upper)),
                    "mean" => mean_score(&sub, sw, &MeanOptions::default()).map(|r| (r.mean, r.lower, r.upper)),
                    "ces" => ces(&sub, sw, &MeanOptions::ces()).map(|r| (r.mean, r.lower, r.upper)),
                    _ => sentiment_share(&sub, sw, &SentimentOptions::default()).map(|r| (r.net_sentiment, r.net_lower, r.net_upper)),
                };
                match alone {
                    Ok((e, lo, hi)) => {
                        prop_assert_eq!(&g.status[i], "ok");
                        for (a, b) in [(g.estimate[i].unwrap(), e), (g.lower[i].unwrap(), lo), (g.upper[i].unwrap(), hi)] {
                            prop_assert!(close(a, b, 1e-12), "{} {}: {} vs {}", metric, i, a, b);
                        }
                    }
                    Err(err) => prop_assert_eq!(&g.status[i], err.kind()),
                }
            }
        }
    }
}

mod weighting_props {
    use cxkpi::weighting::{
        calibrate, rake, trim_weights, Distance, TrimOptions, WeightingOptions,
    };
    use proptest::prelude::*;

    /// A sample where every level of two variables (3 and 4 levels) is present, with random targets.
    fn sample() -> impl Strategy<Value = (Vec<u32>, Vec<u32>, Vec<f64>, Vec<f64>, Vec<f64>)> {
        (12usize..200).prop_flat_map(|n| {
            (
                prop::collection::vec(0u32..3, n),
                prop::collection::vec(0u32..4, n),
                prop::collection::vec(0.2f64..5.0, n),
                prop::collection::vec(1.0f64..100.0, 3),
                prop::collection::vec(1.0f64..100.0, 4),
            )
        })
    }

    fn full(a: &[u32], b: &[u32]) -> bool {
        (0..3).all(|l| a.contains(&l)) && (0..4).all(|l| b.contains(&l))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn raked_weights_reproduce_every_target((a, b, base, ta, tb) in sample()) {
            prop_assume!(full(&a, &b));
            // Both margins total 1000.
            let sa: f64 = ta.iter().sum();
            let sb: f64 = tb.iter().sum();
            let ta: Vec<f64> = ta.iter().map(|x| x * 1000.0 / sa).collect();
            let tb: Vec<f64> = tb.iter().map(|x| x * 1000.0 / sb).collect();
            let opts = WeightingOptions { on_nonconvergence: cxkpi::weighting::OnNonConvergence::Warn, ..Default::default() };
            let r = rake(&[&a, &b], &[&ta, &tb], Some(&base), &opts).unwrap();
            if r.status == cxkpi::weighting::FitStatus::Converged {
                for (codes, t) in [(&a, &ta), (&b, &tb)] {
                    for (l, &tl) in t.iter().enumerate() {
                        let got: f64 = r.weights.iter().zip(codes.iter()).filter(|(_, &k)| k as usize == l).map(|(w, _)| w).sum();
                        prop_assert!((got - tl).abs() <= 1e-9 * tl, "level {} {} vs {}", l, got, tl);
                    }
                }
                // Calibration with the raking distance finds the same weights.
                let c = calibrate(&[&a, &b], &[&ta, &tb], Some(&base), &WeightingOptions { distance: Distance::Raking, ..opts.clone() }).unwrap();
                for (x, y) in c.weights.iter().zip(&r.weights) {
                    prop_assert!((x - y).abs() <= 1e-7 * y, "{} vs {}", x, y);
                }
            }
        }

        #[test]
        fn weights_scale_with_the_targets((a, b, base, ta, tb) in sample(), k in 0.01f64..100.0) {
            prop_assume!(full(&a, &b));
            let sa: f64 = ta.iter().sum();
            let sb: f64 = tb.iter().sum();
            let tb: Vec<f64> = tb.iter().map(|x| x * sa / sb).collect();
            let opts = WeightingOptions::default();
            let r1 = rake(&[&a, &b], &[&ta, &tb], Some(&base), &opts);
            let ta2: Vec<f64> = ta.iter().map(|x| x * k).collect();
            let tb2: Vec<f64> = tb.iter().map(|x| x * k).collect();
            let r2 = rake(&[&a, &b], &[&ta2, &tb2], Some(&base), &opts);
            if let (Ok(r1), Ok(r2)) = (r1, r2) {
                for (x, y) in r1.weights.iter().zip(&r2.weights) {
                    prop_assert!((x * k - y).abs() <= 1e-8 * y, "{} * {} vs {}", x, k, y);
                }
            }
        }

        #[test]
        fn merged_cell_partials_rake_like_the_whole((a, b, base, ta, tb) in sample(), cut in 0usize..200) {
            use cxkpi::weighting::{rake_cells, CellPartial};
            prop_assume!(full(&a, &b));
            let cut = cut.min(a.len());
            let sa: f64 = ta.iter().sum();
            let sb: f64 = tb.iter().sum();
            let tb: Vec<f64> = tb.iter().map(|x| x * sa / sb).collect();
            let opts = WeightingOptions::default();
            let Ok(whole) = rake(&[&a, &b], &[&ta, &tb], Some(&base), &opts) else { return Ok(()) };
            let mut p = CellPartial::from_codes(&[&a[..cut], &b[..cut]], &[3, 4], Some(&base[..cut])).unwrap();
            // Through JSON, as between workers.
            let q = CellPartial::from_codes(&[&a[cut..], &b[cut..]], &[3, 4], Some(&base[cut..])).unwrap();
            let q: CellPartial = serde_json::from_str(&serde_json::to_string(&q).unwrap()).unwrap();
            p.merge(&q).unwrap();
            let cw = rake_cells(&p, &[&ta, &tb], &opts).unwrap();
            let mut w = cw.apply(&[&a[..cut], &b[..cut]], Some(&base[..cut])).unwrap();
            w.extend(cw.apply(&[&a[cut..], &b[cut..]], Some(&base[cut..])).unwrap());
            for (x, y) in w.iter().zip(&whole.weights) {
                prop_assert!((x - y).abs() <= 1e-9 * y, "{} vs {}", x, y);
            }
        }

        #[test]
        fn merged_cell_partials_calibrate_like_the_whole((a, b, base, ta, tb) in sample(), cut in 0usize..200) {
            use cxkpi::weighting::{calibrate, calibrate_cells, CellPartial, Distance};
            prop_assume!(full(&a, &b));
            let cut = cut.min(a.len());
            let sa: f64 = ta.iter().sum();
            let sb: f64 = tb.iter().sum();
            let tb: Vec<f64> = tb.iter().map(|x| x * sa / sb).collect();
            let opts = WeightingOptions { distance: Distance::Linear, ..Default::default() };
            let whole = calibrate(&[&a, &b], &[&ta, &tb], Some(&base), &opts);
            let mut p = CellPartial::from_codes(&[&a[..cut], &b[..cut]], &[3, 4], Some(&base[..cut])).unwrap();
            p.merge(&CellPartial::from_codes(&[&a[cut..], &b[cut..]], &[3, 4], Some(&base[cut..])).unwrap()).unwrap();
            let cells = calibrate_cells(&p, &[&ta, &tb], &opts);
            match (whole, cells) {
                (Ok(whole), Ok(cw)) => {
                    let mut w = cw.apply(&[&a[..cut], &b[..cut]], Some(&base[..cut])).unwrap();
                    w.extend(cw.apply(&[&a[cut..], &b[cut..]], Some(&base[cut..])).unwrap());
                    for (x, y) in w.iter().zip(&whole.weights) {
                        prop_assert!((x - y).abs() <= 1e-9 * y.abs().max(1.0), "{} vs {}", x, y);
                    }
                }
                (Err(e1), Err(e2)) => prop_assert_eq!(e1.kind(), e2.kind()),
                (x, y) => prop_assert!(false, "whole {:?} vs cells {:?}", x.map(|_| ()), y.map(|_| ())),
            }
        }

        #[test]
        fn design_estimates_agree_with_the_metrics_and_across_methods((a, b, base, ta, tb) in sample(),
                                                                     ys in prop::collection::vec(0u32..11, 200)) {
            use cxkpi::weighting::{design_estimate, poststratify, Design, DesignEstimateOptions};
            use cxkpi::{nps, NpsOptions, Options};
            prop_assume!(full(&a, &b));
            let n = a.len();
            let y: Vec<f64> = ys[..n].iter().map(|&v| v as f64).collect();
            let sa: f64 = ta.iter().sum();
            let sb: f64 = tb.iter().sum();
            let tb: Vec<f64> = tb.iter().map(|x| x * sa / sb).collect();
            let Ok(r) = rake(&[&a, &b], &[&ta, &tb], Some(&base), &WeightingOptions::default()) else { return Ok(()) };
            let d = Design::from_result(&[&a, &b], Some(&base), &r).unwrap();
            let opts = DesignEstimateOptions::from_options("nps", &Options::new()).unwrap();
            let e = design_estimate(&y, &d, Some(&a), &opts).unwrap();
            // The estimate and the fixed-weights SE are the weighted NPS of the foundation metrics.
            let m = nps(&y, Some(&r.weights), &NpsOptions::default()).unwrap();
            let (est, sef) = (e.overall.estimate.unwrap(), e.overall.se_fixed_weights.unwrap());
            prop_assert!((est - m.nps).abs() <= 1e-9 * m.nps.abs().max(1.0), "{} vs {}", est, m.nps);
            let sel = m.se_linearised.unwrap();
            prop_assert!((sef - sel).abs() <= 1e-9 * sel.max(1.0), "{} vs {}", sef, sel);
            // Domain weights add up to the whole.
            let parts: f64 = e.by.iter().map(|x| x.weight_sum).sum();
            prop_assert!((parts - e.overall.weight_sum).abs() <= 1e-9 * parts);
            // One variable: raking, calibration and post-stratification are the same design.
            let Ok(r1) = rake(&[&a], &[&ta], Some(&base), &WeightingOptions::default()) else { return Ok(()) };
            let p1 = poststratify(&[&a], &[3], &ta, Some(&base), &WeightingOptions::default()).unwrap();
            let s1 = design_estimate(&y, &Design::from_result(&[&a], Some(&base), &r1).unwrap(), None, &opts).unwrap();
            let s2 = design_estimate(&y, &Design::from_result(&[&a], Some(&base), &p1).unwrap(), None, &opts).unwrap();
            let (x1, x2) = (s1.overall.se.unwrap(), s2.overall.se.unwrap());
            prop_assert!((x1 - x2).abs() <= 1e-8 * x1.max(1.0), "{} vs {}", x1, x2);
        }

        #[test]
        fn merged_design_partials_estimate_like_the_whole((a, b, base, ta, tb) in sample(),
                                                          ys in prop::collection::vec(0u32..12, 200),
                                                          cut in 0usize..200) {
            use cxkpi::weighting::{design_estimate, Design, DesignEstimateOptions, DesignPartial};
            use cxkpi::Options;
            prop_assume!(full(&a, &b));
            let n = a.len();
            let cut = cut.min(n);
            // 11 = a missing answer.
            let y: Vec<f64> = ys[..n].iter().map(|&v| if v == 11 { f64::NAN } else { v as f64 }).collect();
            let sa: f64 = ta.iter().sum();
            let sb: f64 = tb.iter().sum();
            let tb: Vec<f64> = tb.iter().map(|x| x * sa / sb).collect();
            let Ok(r) = rake(&[&a, &b], &[&ta, &tb], Some(&base), &WeightingOptions::default()) else { return Ok(()) };
            let o = DesignEstimateOptions::from_options("nps", &Options::new()).unwrap();
            let whole = design_estimate(&y, &Design::from_result(&[&a, &b], Some(&base), &r).unwrap(), Some(&b), &o).unwrap();
            let part = |lo: usize, hi: usize| {
                DesignPartial::from_rows(&y[lo..hi], &[&a[lo..hi], &b[lo..hi]], &[3, 4], Some(&base[lo..hi]),
                                         &r.weights[lo..hi], Some(&b[lo..hi]), &o).unwrap()
            };
            let mut p = part(0, cut);
            let q: DesignPartial = serde_json::from_str(&serde_json::to_string(&part(cut, n)).unwrap()).unwrap();
            p.merge(&q).unwrap();
            let m = p.finish("rake", &o).unwrap();
            prop_assert_eq!(m.n_rows, whole.n_rows);
            prop_assert_eq!(m.n_missing, whole.n_missing);
            let close = |x: Option<f64>, y: Option<f64>| match (x, y) {
                (Some(x), Some(y)) => (x - y).abs() <= 1e-9 * y.abs().max(1.0),
                (None, None) => true,
                _ => false,
            };
            for (d1, d2) in std::iter::once((&m.overall, &whole.overall)).chain(m.by.iter().zip(&whole.by)) {
                prop_assert!(close(d1.estimate, d2.estimate) && close(d1.se, d2.se)
                    && close(d1.se_fixed_weights, d2.se_fixed_weights) && close(d1.deff, d2.deff),
                    "{:?} vs {:?}", d1, d2);
            }
        }

        #[test]
        fn trimming_keeps_the_total_and_the_bounds(w in prop::collection::vec(0.1f64..20.0, 5..200), cap in 1.2f64..4.0) {
            let total: f64 = w.iter().sum();
            let t = trim_weights(&w, &TrimOptions { upper: Some(cap), relative_to_mean: true, ..Default::default() }).unwrap();
            let upper = cap * total / w.len() as f64;
            prop_assert!(t.weights.iter().all(|&x| x <= upper * (1.0 + 1e-12)));
            let after: f64 = t.weights.iter().sum();
            prop_assert!((after - total).abs() <= 1e-10 * total);
        }
    }
}
