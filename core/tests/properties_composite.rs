//! Property tests of the composite engine: a composite stays within its bounds, renormalised weights sum to
//! 1, an arithmetic node lies between its children, and the sensitivity run is reproducible.

#![allow(clippy::type_complexity)]

use cxkpi::composite::*;
use proptest::prelude::*;

const AGGS: [&str; 3] = ["arithmetic", "geometric", "harmonic"];
const MISSING: [&str; 2] = ["renormalise", "zero_fill"];

/// A two-level scorecard: root -> 3 nodes -> `weights.len()` KPIs spread over the nodes.
fn scorecard(
    weights: &[f64],
    node_w: &[f64; 3],
    agg: &str,
    missing: &str,
    score_max: f64,
) -> Scorecard {
    let kpis: Vec<serde_json::Value> = weights
        .iter()
        .enumerate()
        .map(|(i, w)| {
            serde_json::json!({"id": format!("k{i}"), "parent": format!("n{}", i % 3), "weight": w,
            "direction": if i % 2 == 0 { "higher" } else { "lower" },
            "thresholds": if i % 2 == 0 {
                serde_json::json!({"red_flag": 0, "threshold": 25, "target": 50, "stretch": 75})
            } else {
                serde_json::json!({"red_flag": 75, "threshold": 50, "target": 25, "stretch": 0})
            }})
        })
        .collect();
    let doc = serde_json::json!({"id": "p", "settings": {"aggregation": agg, "missing_kpi": missing,
        "score_max": score_max},
        "nodes": [{"id": "root"}, {"id": "n0", "parent": "root", "weight": node_w[0]},
                  {"id": "n1", "parent": "root", "weight": node_w[1]},
                  {"id": "n2", "parent": "root", "weight": node_w[2]}],
        "kpis": kpis});
    Scorecard::from_value(&doc).unwrap()
}

fn obs(values: &[Vec<Option<f64>>]) -> Observations {
    let mut o = Observations::default();
    for (u, row) in values.iter().enumerate() {
        for (k, v) in row.iter().enumerate() {
            o.unit.push(format!("u{u}"));
            o.kpi.push(format!("k{k}"));
            o.period.push(String::new());
            o.value.push(v.unwrap_or(f64::NAN));
        }
    }
    o
}

fn case() -> impl Strategy<
    Value = (
        Vec<f64>,
        [f64; 3],
        Vec<Vec<Option<f64>>>,
        usize,
        usize,
        bool,
    ),
> {
    (3usize..8).prop_flat_map(|k| {
        (
            prop::collection::vec(0.1f64..10.0, k),
            [0.1f64..5.0, 0.1f64..5.0, 0.1f64..5.0],
            prop::collection::vec(
                prop::collection::vec(
                    prop_oneof![4 => (-20.0f64..100.0).prop_map(Some), 1 => Just(None)],
                    k,
                ),
                1..6,
            ),
            0usize..3,
            0usize..2,
            any::<bool>(),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn composite_within_bounds((w, nw, vals, a, m, big) in case()) {
        let smax = if big { 100.0 } else { 10.0 };
        let sc = scorecard(&w, &nw, AGGS[a], MISSING[m], smax);
        let r = sc.evaluate(&obs(&vals), &EvaluateOptions::default()).unwrap();
        for u in r.units.values() {
            if let Some(c) = u.composite {
                prop_assert!((0.0..=smax).contains(&c), "composite {} outside [0, {}]", c, smax);
            }
            for it in u.items.values() {
                if let Some(s) = it.score {
                    prop_assert!((-1e-12..=smax * (1.0 + 1e-12)).contains(&s));
                }
            }
        }
    }

    #[test]
    fn renormalised_weights_sum_to_one((w, nw, vals, a, _m, big) in case()) {
        let smax = if big { 100.0 } else { 10.0 };
        let sc = scorecard(&w, &nw, AGGS[a], "renormalise", smax);
        let r = sc.evaluate(&obs(&vals), &EvaluateOptions::default()).unwrap();
        for u in r.units.values() {
            for parent in ["root", "n0", "n1", "n2"] {
                let shares: Vec<f64> = u.items.values()
                    .filter(|it| it.parent.as_deref() == Some(parent))
                    .filter_map(|it| it.effective_weight)
                    .collect();
                if !shares.is_empty() {
                    let s: f64 = shares.iter().sum();
                    prop_assert!((s - 1.0).abs() < 1e-12, "shares of {} sum to {}", parent, s);
                }
            }
        }
    }

    #[test]
    fn arithmetic_node_between_children((w, nw, vals, _a, _m, _b) in case()) {
        let sc = scorecard(&w, &nw, "arithmetic", "renormalise", 10.0);
        let r = sc.evaluate(&obs(&vals), &EvaluateOptions::default()).unwrap();
        for u in r.units.values() {
            for parent in ["n0", "n1", "n2", "root"] {
                let kids: Vec<f64> = u.items.values()
                    .filter(|it| it.parent.as_deref() == Some(parent))
                    .filter_map(|it| it.score)
                    .collect();
                if let Some(p) = u.items[parent].score {
                    let lo = kids.iter().cloned().fold(f64::INFINITY, f64::min);
                    let hi = kids.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
                    prop_assert!(p >= lo - 1e-12 && p <= hi + 1e-12);
                    // arithmetic contributions add up to the parent
                    let c: f64 = u.items.values()
                        .filter(|it| it.parent.as_deref() == Some(parent))
                        .filter_map(|it| it.contribution).sum();
                    prop_assert!((c - p).abs() <= 1e-9 * p.abs().max(1.0));
                }
            }
        }
    }

    #[test]
    fn normalised_min_max_in_unit_interval(x in prop::collection::vec(-1e6f64..1e6, 2..50)) {
        match normalise(&x, NormalisationMethod::MinMax, KpiDirection::Higher, ZeroRangePolicy::Constant, None, None, "x") {
            Ok(v) => for y in v { prop_assert!((0.0..=1.0).contains(&y)); },
            Err(e) => prop_assert!(false, "{}", e),
        }
    }
}

#[test]
fn sensitivity_is_reproducible_and_bounded() {
    let sc = scorecard(
        &[1.0, 2.0, 1.0, 3.0],
        &[1.0, 1.0, 2.0],
        "arithmetic",
        "renormalise",
        10.0,
    );
    let vals: Vec<Vec<Option<f64>>> = (0..20)
        .map(|u| {
            (0..4)
                .map(|k| Some(((u * 7 + k * 13) % 90) as f64))
                .collect()
        })
        .collect();
    let o = obs(&vals);
    let opts = SensitivityOptions {
        draws: 500,
        seed: 3,
        ..Default::default()
    };
    let a = sensitivity(&sc, &o, &opts).unwrap();
    let b = sensitivity(&sc, &o, &opts).unwrap();
    assert_eq!(a, b);
    for u in a.units.values() {
        let (lo, hi) = (u.min.unwrap(), u.max.unwrap());
        assert!(0.0 <= lo && lo <= u.mean.unwrap() && u.mean.unwrap() <= hi && hi <= 10.0);
        let rs = u.rank_stability.unwrap();
        assert!((0.0..=1.0).contains(&rs));
    }
}

/// CPU time of this process (user + system), from /proc/self/stat (Linux; None elsewhere).
fn cpu_seconds() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = &s[s.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

/// Timing of the benchmark job (10,000 units x 30 KPIs, 4 levels) in wall and CPU time, for machines too
/// busy for criterion to be meaningful. Run: cargo test --release -p cxkpi --test properties_composite --
/// --ignored timing --nocapture
#[test]
#[ignore]
fn timing_10k_units() {
    let persp = [
        "financial",
        "customer",
        "internal_process",
        "learning_growth",
    ];
    let mut nodes = vec![serde_json::json!({"id": "root"})];
    for (p, name) in persp.iter().enumerate() {
        nodes.push(serde_json::json!({"id": format!("p{p}"), "parent": "root", "weight": 1 + p, "perspective": name}));
    }
    for o in 0..10 {
        nodes.push(serde_json::json!({"id": format!("o{o}"), "parent": format!("p{}", o % 4), "weight": 1 + o % 3}));
    }
    let kpis: Vec<_> = (0..30)
        .map(|k| serde_json::json!({"id": format!("k{k}"), "parent": format!("o{}", k % 10), "weight": 1 + k % 4,
            "thresholds": {"red_flag": 10, "threshold": 40, "target": 60, "stretch": 80}}))
        .collect();
    let sc = Scorecard::from_value(&serde_json::json!({"id": "t", "nodes": nodes, "kpis": kpis}))
        .unwrap();
    let cols: Vec<Vec<f64>> = (0..30)
        .map(|k| {
            (0..10_000)
                .map(|u| ((u * 37 + k * 101) % 1000) as f64 / 10.0)
                .collect()
        })
        .collect();
    let refs: Vec<&[f64]> = cols.iter().map(|c| c.as_slice()).collect();
    let (t0, c0) = (std::time::Instant::now(), cpu_seconds().unwrap_or(0.0));
    let reps = 50;
    for _ in 0..reps {
        sc.evaluate_columns(&refs).unwrap();
    }
    let (t1, c1) = (t0.elapsed().as_secs_f64(), cpu_seconds().unwrap_or(0.0));
    println!(
        "evaluate_columns: wall {:.2} ms, cpu {:.2} ms per call",
        t1 / reps as f64 * 1e3,
        (c1 - c0) / reps as f64 * 1e3
    );
    let mut obs = Observations::default();
    for (k, col) in cols.iter().enumerate() {
        for (u, &v) in col.iter().enumerate() {
            obs.unit.push(format!("u{u:05}"));
            obs.kpi.push(format!("k{k}"));
            obs.period.push("2026-Q1".into());
            obs.value.push(v);
        }
    }
    let opts = SensitivityOptions {
        draws: 10_000,
        seed: 42,
        weight_spread: 0.25,
        ..Default::default()
    };
    let (t0, c0) = (std::time::Instant::now(), cpu_seconds().unwrap_or(0.0));
    sensitivity(&sc, &obs, &opts).unwrap();
    let (t1, c1) = (t0.elapsed().as_secs_f64(), cpu_seconds().unwrap_or(0.0));
    println!(
        "sensitivity 10k draws: wall {:.2} s, cpu {:.2} s (threads: {})",
        t1,
        c1 - c0,
        rayon::current_num_threads()
    );
}
