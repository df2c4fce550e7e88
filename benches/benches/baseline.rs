//! Criterion benchmark of STL (issue 4): 10,000 daily series of 730 points, period 7, statsmodels and R
//! presets, single-threaded loop versus `stl_batch` (rayon across series); plus a trailing EWMA baseline with
//! an event window and PELT on one 730-day series. Peer: `benches/peers/stl_peers.py` (statsmodels STL,
//! augurs MSTL). Recorded in docs/benchmarks.md.

use criterion::{criterion_group, criterion_main, Criterion};
use cxkpi::baseline::changepoint::{detect_changes, ChangepointOptions};
use cxkpi::baseline::events::EventCalendar;
use cxkpi::baseline::expected::{baseline, BaselineMethod, BaselineOptions};
use cxkpi::baseline::series::parse_date;
use cxkpi::baseline::stl::{stl, stl_batch, StlOptions, StlPreset};
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;

const SERIES: usize = 10_000;
const DAYS: usize = 730;

fn data() -> Vec<Vec<f64>> {
    let week = [4.0, 2.0, 0.0, -1.0, -3.0, -5.0, 3.0];
    let mut rng = Pcg64::seed_from_u64(11);
    (0..SERIES)
        .map(|_| {
            let amp = 0.5 + rng.random::<f64>();
            (0..DAYS)
                .map(|t| {
                    let noise = (0..4).map(|_| rng.random::<f64>()).sum::<f64>() - 2.0;
                    35.0 + week[t % 7] * amp + 0.01 * t as f64 + 3.0 * noise
                })
                .collect()
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let d = data();
    let refs: Vec<&[f64]> = d.iter().map(|s| s.as_slice()).collect();
    let sm = StlOptions {
        period: 7,
        preset: StlPreset::Statsmodels,
        seasonal_length: Some(7),
        ..Default::default()
    };
    let r = StlOptions {
        preset: StlPreset::RStl,
        ..sm.clone()
    };
    let mut g = c.benchmark_group("stl_10000x730");
    g.sample_size(10);
    g.bench_function("statsmodels_preset_batch", |b| {
        b.iter(|| stl_batch(&refs, &sm).unwrap())
    });
    g.bench_function("r_preset_batch", |b| {
        b.iter(|| stl_batch(&refs, &r).unwrap())
    });
    g.bench_function("statsmodels_preset_one_thread", |b| {
        b.iter(|| {
            refs.iter()
                .map(|s| stl(s, &sm).unwrap())
                .collect::<Vec<_>>()
        })
    });
    g.finish();

    let x = &d[0];
    let cal = EventCalendar::from_json(
        r#"{"events":[{"name":"outage","kind":"outage","start":"2025-03-01","end":"2025-03-07"}]}"#,
    )
    .unwrap();
    let start = parse_date("start", "2025-01-01").unwrap();
    let o = BaselineOptions {
        method: BaselineMethod::Ewma,
        window: 28,
        ..Default::default()
    };
    c.bench_function("ewma_baseline_730_with_event", |b| {
        b.iter(|| baseline(x, start, &cal, &o).unwrap())
    });
    c.bench_function("pelt_730", |b| {
        b.iter(|| detect_changes(x, &ChangepointOptions::default()).unwrap())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
