//! Property tests of drift, manipulation screens and alerts: PSI ≥ 0 and 0 for identical samples; JS
//! distance symmetric, in [0, 1] in bits; KS statistic in [0, 1], symmetric, exact p in [0, 1] and equal
//! to the asymptotic one's ordering sanity; chi-square V in [0, 1]; screens' p-values and adjusted
//! p-values in [0, 1] with adjusted ≥ raw; duplicate clusters invariant under text case and punctuation;
//! alerts deterministic under any permutation of the signals.

use cxkpi::baseline::alerts::{build_alerts, AlertLadder, AlertOptions};
use cxkpi::baseline::drift::{
    chi_square, jensen_shannon, ks_2samp, psi, ChiSquareOptions, JsBase, JsOptions, KsMethod,
    KsOptions, PsiBinning, PsiOptions,
};
use cxkpi::baseline::screens::{
    duplicate_verbatims, low_variance, top_box_inflation, DuplicateOptions, LowVarianceOptions,
    TopBoxInflationOptions,
};
use cxkpi::baseline::{BaselineInfo, Signal, SignalDirection};
use proptest::prelude::*;
use std::collections::BTreeMap;

fn sample() -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec((0u32..11).prop_map(|x| x as f64), 1..60)
}

fn counts() -> impl Strategy<Value = (Vec<f64>, Vec<f64>)> {
    (2usize..8).prop_flat_map(|k| {
        (
            prop::collection::vec((0u32..50).prop_map(|x| x as f64), k),
            prop::collection::vec((0u32..50).prop_map(|x| x as f64), k),
        )
    })
}

fn signal_strategy() -> impl Strategy<Value = Signal> {
    (
        prop::sample::select(vec!["cusum_upper", "cusum_lower", "nelson_2", "ewma_limit"]),
        prop::sample::select(vec!["EMEA", "NA", "APAC"]),
        0usize..30,
        -20.0f64..20.0,
        prop::option::of(-5.0f64..5.0),
        1usize..12,
    )
        .prop_map(|(rule, series, index, dev, sigma, np)| Signal {
            rule: rule.into(),
            parameters: BTreeMap::from([("k".into(), 0.5)]),
            detector: "cusum".into(),
            series: Some(series.into()),
            index,
            points: (0..np).collect(),
            value: 30.0 + dev,
            center: 30.0,
            deviation: dev,
            sigma,
            n: Some(100.0),
            se: Some(2.0),
            false_alarm_rate: Some(0.005),
            direction: if dev > 0.0 {
                SignalDirection::Up
            } else {
                SignalDirection::Down
            },
            baseline: BaselineInfo {
                method: "ewma".into(),
                ..BaselineInfo::default()
            },
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn psi_nonnegative_and_zero_on_identical(a in sample(), b in sample()) {
        for binning in [PsiBinning::Categories, PsiBinning::Quantiles] {
            let o = PsiOptions { binning, bins: 4, ..PsiOptions::default() };
            let r = psi(&a, &b, &o).unwrap();
            prop_assert!(r.psi >= 0.0 && r.psi.is_finite());
            let same = psi(&a, &a, &o).unwrap();
            prop_assert_eq!(same.psi, 0.0);
        }
    }

    #[test]
    fn js_symmetric_and_bounded((p, q) in counts()) {
        if p.iter().sum::<f64>() > 0.0 && q.iter().sum::<f64>() > 0.0 {
            let o = JsOptions { base: JsBase::Two };
            let a = jensen_shannon(&p, &q, &o).unwrap();
            let b = jensen_shannon(&q, &p, &o).unwrap();
            prop_assert!((a.distance - b.distance).abs() <= 1e-15);
            prop_assert!((0.0..=1.0 + 1e-15).contains(&a.distance));
            prop_assert_eq!(jensen_shannon(&p, &p, &o).unwrap().distance, 0.0);
        }
    }

    #[test]
    fn ks_bounded_and_symmetric(a in sample(), b in sample()) {
        for method in [KsMethod::Exact, KsMethod::Asymp] {
            let o = KsOptions { method };
            let r = ks_2samp(&a, &b, &o).unwrap();
            let s = ks_2samp(&b, &a, &o).unwrap();
            prop_assert!((0.0..=1.0).contains(&r.statistic) && (0.0..=1.0).contains(&r.p_value));
            prop_assert_eq!(r.statistic, s.statistic);
            prop_assert!((r.p_value - s.p_value).abs() <= 1e-12);
        }
    }

    #[test]
    fn cramers_v_bounded((p, q) in counts()) {
        let t: [&[f64]; 2] = [&p, &q];
        if let Ok(r) = chi_square(&t, &ChiSquareOptions { bias_corrected: true, ..Default::default() }) {
            prop_assert!((0.0..=1.0 + 1e-12).contains(&r.cramers_v));
            prop_assert!((0.0..=1.0).contains(&r.p_value));
            let vc = r.cramers_v_corrected.unwrap();
            prop_assert!((0.0..=1.0 + 1e-12).contains(&vc));
        }
    }

    #[test]
    fn screen_p_values_valid(scores in prop::collection::vec((0u32..11).prop_map(|x| x as f64), 12..80), seed in 0u32..1000) {
        let teams: Vec<u32> = (0..scores.len()).map(|i| ((i as u32).wrapping_mul(2654435761u32) ^ seed) % 4).collect();
        if let Ok(r) = top_box_inflation(&scores, &teams, &TopBoxInflationOptions::default()) {
            for f in &r.findings {
                let p = f.p_value.unwrap();
                prop_assert!((0.0..=1.0).contains(&p));
                prop_assert!(f.p_holm.unwrap() >= p - 1e-15 && f.p_bh.unwrap() >= p - 1e-15);
                prop_assert!(f.p_holm.unwrap() <= 1.0);
            }
        }
        if let Ok(r) = low_variance(&scores, &teams, &LowVarianceOptions::default()) {
            for f in &r.findings {
                if let Some(p) = f.p_value {
                    prop_assert!((0.0..=1.0).contains(&p));
                }
            }
        }
    }

    #[test]
    fn duplicates_ignore_case_and_punctuation(words in prop::collection::vec("[a-z]{3,8}", 5..10), k in 2usize..6) {
        let base = words.join(" ");
        let loud = format!("{}!!", base.to_uppercase().replace(' ', " , "));
        let other = "completely unrelated remark about billing and invoices".to_string();
        let texts = [Some(base.as_str()), Some(other.as_str()), Some(loud.as_str())];
        let o = DuplicateOptions { shingle: k, min_chars: 1, ..DuplicateOptions::default() };
        let r = duplicate_verbatims(&texts, None, &o).unwrap();
        prop_assert_eq!(r.clusters.len(), 1);
        prop_assert_eq!(&r.clusters[0].rows, &vec![0usize, 2]);
        prop_assert_eq!(r.clusters[0].kind.as_str(), "exact");
    }

    #[test]
    fn alerts_deterministic_under_permutation(signals in prop::collection::vec(signal_strategy(), 1..12), rot in 0usize..12) {
        let ladder = AlertLadder::default();
        let o = AlertOptions { kpi: Some("NPS".into()), ..AlertOptions::default() };
        let a = build_alerts(&signals, &ladder, &o).unwrap();
        let mut shuffled = signals.clone();
        shuffled.reverse();
        let n = shuffled.len();
        shuffled.rotate_left(rot % n);
        let b = build_alerts(&shuffled, &ladder, &o).unwrap();
        prop_assert_eq!(a, b);
    }
}
