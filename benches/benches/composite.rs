//! Criterion benchmark of the scorecard engine (issue 5): 10,000 units x 30 KPIs in a 4-level tree
//! (root -> 4 perspectives -> 10 objectives -> 30 KPIs), target scoring; and 10,000 Monte Carlo draws of it
//! (weights +/-25%). Recorded in docs/benchmarks.md.

use criterion::{criterion_group, criterion_main, Criterion};
use cxkpi::composite::{sensitivity, Observations, Scorecard, SensitivityOptions};
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;

const UNITS: usize = 10_000;
const KPIS: usize = 30;

fn scorecard() -> Scorecard {
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
    let kpis: Vec<_> = (0..KPIS)
        .map(|k| {
            let lower = k % 3 == 2;
            serde_json::json!({"id": format!("k{k}"), "parent": format!("o{}", k % 10), "weight": 1 + k % 4,
                "perspective": persp[(k % 10) % 4],
                "direction": if lower { "lower" } else { "higher" },
                "thresholds": if lower {
                    serde_json::json!({"red_flag": 90, "threshold": 60, "target": 40, "stretch": 20})
                } else {
                    serde_json::json!({"red_flag": 10, "threshold": 40, "target": 60, "stretch": 80})
                }})
        })
        .collect();
    Scorecard::from_value(&serde_json::json!({"id": "bench", "nodes": nodes, "kpis": kpis}))
        .unwrap()
}

fn columns() -> Vec<Vec<f64>> {
    let mut rng = Pcg64::seed_from_u64(1);
    (0..KPIS)
        .map(|_| (0..UNITS).map(|_| rng.random_range(0.0..100.0)).collect())
        .collect()
}

fn bench(c: &mut Criterion) {
    let sc = scorecard();
    let cols = columns();
    let refs: Vec<&[f64]> = cols.iter().map(|c| c.as_slice()).collect();
    let mut g = c.benchmark_group("scorecard_10k_units_30_kpis_4_levels");
    g.bench_function("evaluate_columns", |b| {
        b.iter(|| sc.evaluate_columns(&refs).unwrap())
    });

    let mut obs = Observations::default();
    for (k, col) in cols.iter().enumerate() {
        for (u, &v) in col.iter().enumerate() {
            obs.unit.push(format!("u{u:05}"));
            obs.kpi.push(format!("k{k}"));
            obs.period.push("2026-Q1".into());
            obs.value.push(v);
        }
    }
    g.sample_size(10);
    g.bench_function("evaluate_with_explain", |b| {
        b.iter(|| sc.evaluate(&obs, &Default::default()).unwrap())
    });
    let opts = SensitivityOptions {
        draws: 10_000,
        seed: 42,
        weight_spread: 0.25,
        ..Default::default()
    };
    g.bench_function("monte_carlo_10k_draws", |b| {
        b.iter(|| sensitivity(&sc, &obs, &opts).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
