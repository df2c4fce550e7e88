//! Criterion benchmark of bulk incentive evaluation (issue 6): 100,000 participants x 10 KPIs, column-oriented,
//! with a mix of curve types, a KPI cap, a sentiment floor (cap_total gate), a total cap and modifiers.
//! Recorded in docs/benchmarks.md.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use cxkpi::incentive::IncentivePlan;
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;

fn plan() -> IncentivePlan {
    let mut kpis = Vec::new();
    for k in 0..10 {
        let curve = match k % 4 {
            0 => r#"{"type": "threshold_target_maximum", "threshold": 80, "target": 100, "maximum": 120}"#.to_string(),
            1 => r#"{"type": "stepped", "tiers": [{"value": 85, "payout": 0.5}, {"value": 95, "payout": 1.0},
                  {"value": 105, "payout": 1.5}, {"value": 115, "payout": 2.0}]}"#
                .to_string(),
            2 => r#"{"type": "accelerated", "mode": "marginal", "tiers": [{"from": 80, "rate": 0.05},
                  {"from": 100, "rate": 0.08}, {"from": 110, "rate": 0.1}]}"#
                .to_string(),
            _ => r#"{"type": "linear", "points": [{"value": 120, "payout": 0.5}, {"value": 100, "payout": 1.0},
                  {"value": 90, "payout": 1.5}, {"value": 80, "payout": 2.0}]}"#
                .to_string(),
        };
        let dir = if k % 4 == 3 {
            "lower_is_better"
        } else {
            "higher_is_better"
        };
        let cap = if k == 2 { r#", "cap": 2.0"# } else { "" };
        kpis.push(format!(
            r#"{{"id": "k{k}", "weight": 0.1, "direction": "{dir}", "curve": {curve}{cap}}}"#
        ));
    }
    let json = format!(
        r#"{{"id": "bulk", "kpis": [{}], "total_cap": 1.8,
        "gates": [{{"id": "sentiment_floor", "kpi": "k0", "threshold": 85, "effect": "cap_total", "cap": 0.5}}],
        "participants": [{{"id": "template", "target_bonus": {{"amount": 1}}}}]}}"#,
        kpis.join(",")
    );
    IncentivePlan::from_json(&json).unwrap()
}

fn bulk(c: &mut Criterion) {
    let n = 100_000;
    let plan = plan();
    let mut rng = Pcg64::seed_from_u64(6);
    let cols: Vec<Vec<f64>> = (0..10)
        .map(|_| (0..n).map(|_| rng.random_range(70.0..130.0)).collect())
        .collect();
    let refs: Vec<&[f64]> = cols.iter().map(|c| c.as_slice()).collect();
    let target: Vec<f64> = (0..n)
        .map(|i| 5_000.0 + (i % 50) as f64 * 1_000.0)
        .collect();
    let modifiers: Vec<f64> = (0..n).map(|i| 0.8 + (i % 5) as f64 * 0.1).collect();
    let mut g = c.benchmark_group("incentive_bulk");
    g.sample_size(20);
    g.throughput(Throughput::Elements(n as u64));
    g.bench_function("100k_participants_x_10_kpis", |b| {
        b.iter(|| {
            plan.evaluate_columns(&refs, &target, Some(&modifiers), None)
                .unwrap()
        })
    });
    g.finish();
}

criterion_group!(benches, bulk);
criterion_main!(benches);
