//! Criterion benchmark of the validation statistics (issue 7): OLS with 10 predictors on 1,000,000 rows
//! (classical and HC1 covariance) and logistic regression with 10 predictors on 1,000,000 rows (Newton-IRLS to
//! 1e-10). Peer: `benches/peers/stats_peers.py` (statsmodels). Recorded in docs/benchmarks.md.

use criterion::{criterion_group, criterion_main, Criterion};
use cxkpi::stats::logistic::{logistic, LogisticOptions};
use cxkpi::stats::regression::{ols, CovType, OlsOptions};
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;

const ROWS: usize = 1_000_000;
const PREDICTORS: usize = 10;

/// Seeded predictors (standard-ish normal via the sum of uniforms), a linear outcome and a logistic outcome.
fn data() -> (Vec<Vec<f64>>, Vec<f64>, Vec<f64>) {
    let mut rng = Pcg64::seed_from_u64(7);
    let mut normal = || (0..4).map(|_| rng.random::<f64>()).sum::<f64>() - 2.0;
    let x: Vec<Vec<f64>> = (0..PREDICTORS)
        .map(|_| (0..ROWS).map(|_| normal()).collect())
        .collect();
    let mut rng = Pcg64::seed_from_u64(11);
    let mut y = Vec::with_capacity(ROWS);
    let mut b = Vec::with_capacity(ROWS);
    for i in 0..ROWS {
        let eta: f64 = (0..PREDICTORS)
            .map(|j| x[j][i] * (j as f64 - 4.5) / 10.0)
            .sum();
        y.push(1.0 + eta + rng.random::<f64>() - 0.5);
        let p = 1.0 / (1.0 + (-(eta - 0.3)).exp());
        b.push(if rng.random::<f64>() < p { 1.0 } else { 0.0 });
    }
    (x, y, b)
}

fn bench(c: &mut Criterion) {
    let (x, y, b) = data();
    let cols: Vec<&[f64]> = x.iter().map(|v| v.as_slice()).collect();
    let mut g = c.benchmark_group("stats_1m_rows_10_predictors");
    g.sample_size(10);
    g.bench_function("ols_nonrobust", |bch| {
        bch.iter(|| ols(&y, &cols, &OlsOptions::default()).unwrap())
    });
    let hc1 = OlsOptions {
        cov_type: CovType::Hc1,
        ..OlsOptions::default()
    };
    g.bench_function("ols_hc1", |bch| bch.iter(|| ols(&y, &cols, &hc1).unwrap()));
    g.bench_function("logistic", |bch| {
        bch.iter(|| logistic(&b, &cols, &LogisticOptions::default()).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
