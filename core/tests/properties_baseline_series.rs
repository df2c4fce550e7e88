//! Invariants of the series / decomposition / baseline / changepoint / significance part of `baseline`.
#![allow(clippy::needless_range_loop)]

use chrono::NaiveDate;
use cxkpi::baseline::changepoint::{detect_changes, ChangeMethod, ChangepointOptions, Penalty};
use cxkpi::baseline::decompose::{decompose, DecomposeModel, DecomposeOptions};
use cxkpi::baseline::events::EventCalendar;
use cxkpi::baseline::expected::{baseline, BaselineMethod, BaselineOptions};
use cxkpi::baseline::significance::{period_move, MoveOptions, PeriodSummary};
use cxkpi::baseline::stl::{stl, stl_batch, StlOptions, StlPreset};
use proptest::prelude::*;

fn series(min: usize, max: usize) -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(-50.0f64..100.0, min..max)
}

fn start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn additive_components_sum_back(x in series(14, 80), period in 2usize..8) {
        let d = decompose(&x, &DecomposeOptions { period, ..Default::default() }).unwrap();
        for i in 0..x.len() {
            if let (Some(t), Some(r)) = (d.trend[i], d.remainder[i]) {
                prop_assert!((t + d.seasonal[i] + r - x[i]).abs() <= 1e-9 * x[i].abs().max(1.0));
            } else {
                prop_assert!(d.trend[i].is_none() && d.remainder[i].is_none());
            }
        }
        // the figure is centred
        let s: f64 = d.figure.iter().sum();
        prop_assert!(s.abs() < 1e-9 * (1.0 + d.figure.iter().map(|f| f.abs()).sum::<f64>()));
    }

    #[test]
    fn multiplicative_components_multiply_back(x in prop::collection::vec(1.0f64..100.0, 14..60)) {
        let d = decompose(&x, &DecomposeOptions { period: 7, model: DecomposeModel::Multiplicative, ..Default::default() }).unwrap();
        for i in 0..x.len() {
            if let (Some(t), Some(r)) = (d.trend[i], d.remainder[i]) {
                prop_assert!((t * d.seasonal[i] * r - x[i]).abs() <= 1e-9 * x[i]);
            }
        }
    }

    #[test]
    fn stl_components_sum_back_and_batch_equals_single(a in series(30, 90), b in series(30, 90), r in any::<bool>()) {
        let o = StlOptions { period: 7, preset: if r { StlPreset::RStl } else { StlPreset::Statsmodels }, robust: r, ..Default::default() };
        let one = stl(&a, &o).unwrap();
        for i in 0..a.len() {
            prop_assert!((one.seasonal[i] + one.trend[i] + one.remainder[i] - a[i]).abs() <= 1e-9 * a[i].abs().max(1.0));
        }
        let batch = stl_batch(&[&a, &b], &o).unwrap();
        prop_assert_eq!(&batch[0], &one);
        prop_assert_eq!(&batch[1], &stl(&b, &o).unwrap());
    }

    #[test]
    fn excluded_days_never_enter_a_baseline(
        x in series(40, 80),
        shock in -80.0f64..80.0,
        method in 0usize..4,
        a in 10usize..30,
        len in 1usize..8,
    ) {
        let m = [BaselineMethod::RollingMean, BaselineMethod::RollingMedian, BaselineMethod::Ewma, BaselineMethod::SeasonalNaive][method];
        let s = start();
        let (d0, d1) = (s + chrono::Days::new(a as u64), s + chrono::Days::new((a + len - 1) as u64));
        let cal = EventCalendar::from_json(&format!(
            r#"{{"events":[{{"name":"crisis","kind":"pr_crisis","start":"{}","end":"{}"}}]}}"#,
            d0.format("%Y-%m-%d"), d1.format("%Y-%m-%d")
        )).unwrap();
        let o = BaselineOptions { method: m, window: 7, ..Default::default() };
        let base = baseline(&x, s, &cal, &o).unwrap();
        let mut y = x.clone();
        for v in &mut y[a..(a + len).min(x.len())] { *v += shock; }
        let moved = baseline(&y, s, &cal, &o).unwrap();
        // the whole baseline (expected values and band) is unchanged: the event days never entered it
        prop_assert_eq!(&base.expected, &moved.expected);
        prop_assert_eq!(&base.scale, &moved.scale);
        for i in a..(a + len).min(x.len()) { prop_assert!(!base.included[i]); }
    }

    #[test]
    fn least_squares_split_is_optimal(x in series(6, 40)) {
        let o = ChangepointOptions { method: ChangeMethod::LeastSquares, sigma: Some(1.0), min_size: 2, ..Default::default() };
        let r = detect_changes(&x, &o).unwrap();
        let sse = |v: &[f64]| { let m = v.iter().sum::<f64>() / v.len() as f64; v.iter().map(|a| (a - m) * (a - m)).sum::<f64>() };
        for k in 2..=x.len() - 2 {
            prop_assert!(r.sse <= sse(&x[..k]) + sse(&x[k..]) + 1e-9 * (1.0 + r.sse));
        }
    }

    #[test]
    fn pelt_with_a_huge_penalty_finds_nothing(x in series(6, 40)) {
        let o = ChangepointOptions { method: ChangeMethod::Pelt, penalty: Penalty::Manual, penalty_value: Some(1e12), sigma: Some(1.0), ..Default::default() };
        prop_assert!(detect_changes(&x, &o).unwrap().changepoints.is_empty());
    }

    #[test]
    fn period_move_is_antisymmetric(e1 in -100.0f64..100.0, e2 in -100.0f64..100.0, s1 in 0.01f64..10.0, s2 in 0.01f64..10.0) {
        let b = PeriodSummary { estimate: e1, se: s1, n: 100.0 };
        let a = PeriodSummary { estimate: e2, se: s2, n: 120.0 };
        let f = period_move(&b, &a, &MoveOptions::default()).unwrap();
        let r = period_move(&a, &b, &MoveOptions::default()).unwrap();
        prop_assert_eq!(f.change, -r.change);
        prop_assert_eq!(f.p_value, r.p_value);
        prop_assert_eq!(f.mdc, r.mdc);
        prop_assert!(f.p_value.unwrap() >= 0.0 && f.p_value.unwrap() <= 1.0);
    }
}
