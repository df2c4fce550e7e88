//! Criterion benchmarks of the hot paths. The headline job (issue 2): NPS with its adjusted-Wald
//! interval by 1,000 groups over 10 million rows. Results are recorded in docs/benchmarks.md.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use cxkpi::options::Options;
use cxkpi::{grouped, nps, top_box, NpsOptions, TopBoxOptions};
use cxkpi_benches::nps_export;

fn grouped_nps(c: &mut Criterion) {
    let mut g = c.benchmark_group("grouped_nps");
    g.sample_size(10);
    for &n in &[1_000_000usize, 10_000_000] {
        let (scores, keys) = nps_export(n, 1000, 7);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::new("1000_groups", n), &n, |b, _| {
            b.iter(|| grouped("nps", &scores, &[&keys], None, &Options::new()).unwrap())
        });
    }
    g.finish();
}

fn single_metrics(c: &mut Criterion) {
    let (scores, _) = nps_export(1_000_000, 1, 11);
    let csat: Vec<f64> = scores
        .iter()
        .map(|s| {
            if s.is_nan() {
                *s
            } else {
                (s / 2.5).floor() + 1.0
            }
        })
        .collect();
    let weights: Vec<f64> = (0..scores.len())
        .map(|i| 0.5 + (i % 7) as f64 * 0.25)
        .collect();
    let mut g = c.benchmark_group("single");
    g.throughput(Throughput::Elements(scores.len() as u64));
    g.bench_function("nps_1m", |b| {
        b.iter(|| nps(&scores, None, &NpsOptions::default()).unwrap())
    });
    g.bench_function("nps_1m_weighted", |b| {
        b.iter(|| nps(&scores, Some(&weights), &NpsOptions::default()).unwrap())
    });
    g.bench_function("top_box_1m", |b| {
        b.iter(|| top_box(&csat, None, &TopBoxOptions::default()).unwrap())
    });
    g.finish();
}

fn raking(c: &mut Criterion) {
    use cxkpi::weighting::{rake, WeightingOptions};
    let mut g = c.benchmark_group("rake_4_vars");
    g.sample_size(10);
    for &n in &[100_000usize, 1_000_000] {
        let (codes, targets) = cxkpi_benches::raking_sample(n, 3);
        let code_refs: Vec<&[u32]> = codes.iter().map(|c| c.as_slice()).collect();
        let target_refs: Vec<&[f64]> = targets.iter().map(|t| t.as_slice()).collect();
        // The job: margin error 1e-6.
        let opts = WeightingOptions {
            tolerance: 1e-6,
            ..Default::default()
        };
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::new("tol_1e-6", n), &n, |b, _| {
            b.iter(|| rake(&code_refs, &target_refs, None, &opts).unwrap())
        });
    }
    g.finish();
}

criterion_group!(benches, grouped_nps, single_metrics, raking);
criterion_main!(benches);
