//! Criterion benchmark of the control charts (issue 4): individuals limits + Western Electric 1-4 +
//! Nelson 1-8 + Anhøj runs/crossings + EWMA (exact time-varying limits) + two-sided CUSUM over 10 million
//! points (`cxkpi::baseline::charts::monitor`: bit-parallel run rules beside the EWMA/CUSUM recurrences, no
//! allocation per point); goal under 0.15 s.
//! Also the column-producing charts (individuals, EWMA, CUSUM) separately. Peer:
//! `benches/peers/charts_peers.py` (numpy / pandas). Recorded in docs/benchmarks.md.

use criterion::{criterion_group, criterion_main, Criterion};
use cxkpi::baseline::charts::{
    cusum_chart, ewma_chart, individuals_chart, monitor, CusumConfig, EwmaConfig,
    IndividualsConfig, MonitorConfig,
};
use cxkpi::baseline::rules::RulesConfig;
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;

const POINTS: usize = 10_000_000;

/// Seeded roughly normal points (sum of 4 uniforms, sd 1/sqrt(3)), mean 50, with a 0.5-sd shift in the last
/// tenth.
fn data() -> Vec<f64> {
    let mut rng = Pcg64::seed_from_u64(4);
    (0..POINTS)
        .map(|i| {
            let z = ((0..4).map(|_| rng.random::<f64>()).sum::<f64>() - 2.0) * 3f64.sqrt();
            50.0 + z + if i >= POINTS / 10 * 9 { 0.5 } else { 0.0 }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let x = data();
    let mut g = c.benchmark_group("charts_10m_points");
    g.sample_size(10);
    let cfg = MonitorConfig {
        mu: 50.0,
        sigma: 1.0,
        rules: RulesConfig::all(),
        ..Default::default()
    };
    g.bench_function("monitor_all_rules_ewma_cusum", |b| {
        b.iter(|| monitor(std::hint::black_box(&x), &cfg).unwrap())
    });
    let given = |_: ()| (Some(50.0), Some(1.0));
    let (mu, sigma) = given(());
    g.bench_function("individuals_chart", |b| {
        b.iter(|| {
            individuals_chart(
                &x,
                &IndividualsConfig {
                    mu,
                    sigma,
                    ..Default::default()
                },
            )
            .unwrap()
        })
    });
    g.bench_function("ewma_chart", |b| {
        b.iter(|| {
            ewma_chart(
                &x,
                &EwmaConfig {
                    mu,
                    sigma,
                    ..Default::default()
                },
            )
            .unwrap()
        })
    });
    g.bench_function("cusum_chart", |b| {
        b.iter(|| {
            cusum_chart(
                &x,
                &CusumConfig {
                    mu,
                    sigma,
                    ..Default::default()
                },
            )
            .unwrap()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
