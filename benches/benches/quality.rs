//! Criterion benchmark of response validation (issue 8): 10,000,000 responses against 8 rules (out of
//! scale over 5 items, duplicates by customer and survey within 7 days, speeders absolute and relative to
//! the median, straight-liners, impossible timestamps, identical answer vectors in bulk (500 or more), test flags, field
//! period). Goal: under 1 s on the 2-core machine. Recorded in docs/benchmarks.md.

use criterion::{criterion_group, criterion_main, Criterion};
use cxkpi::quality::{validate, Column, ResponseTable, RuleSet};
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;

const ROWS: usize = 10_000_000;
const JAN1: f64 = 1_767_225_600.0;

const RULES: &str = r#"{"rules": [
  {"id": "scale", "kind": "out_of_scale", "columns": ["q1", "q2", "q3", "q4", "q5"], "min": 0, "max": 10},
  {"id": "dups", "kind": "duplicate", "customer": "cust", "survey": "survey", "timestamp": "completed", "window_days": 7},
  {"id": "fast", "kind": "speeder", "duration": "secs", "min_seconds": 30, "min_fraction_of_median": 0.3},
  {"id": "flat", "kind": "straight_liner", "columns": ["q1", "q2", "q3", "q4", "q5"], "min_items": 5},
  {"id": "time", "kind": "impossible_timestamps", "started": "started", "completed": "completed", "as_of": "2026-11-23"},
  {"id": "bots", "kind": "identical_vectors", "columns": ["q1", "q2", "q3", "q4", "q5"], "min_count": 500},
  {"id": "internal", "kind": "test_entries", "flag": "is_test"},
  {"id": "period", "kind": "field_period", "timestamp": "completed", "start": "2026-01-01", "end": "2026-10-01"}
]}"#;

struct Data {
    cols: Vec<(&'static str, Vec<f64>)>,
}

fn data() -> Data {
    let mut rng = Pcg64::seed_from_u64(8);
    let names = [
        "cust",
        "survey",
        "started",
        "completed",
        "secs",
        "q1",
        "q2",
        "q3",
        "q4",
        "q5",
        "is_test",
    ];
    let mut cols: Vec<(&'static str, Vec<f64>)> = names
        .iter()
        .map(|&n| (n, Vec::with_capacity(ROWS)))
        .collect();
    for _ in 0..ROWS {
        // ~2% of customers answer twice (ids drawn from a slightly smaller range).
        let cust = rng.random_range(0..(ROWS as u64 * 49 / 50)) as f64;
        let completed = JAN1 + rng.random_range(0.0..(280.0 * 86400.0));
        let secs = if rng.random::<f64>() < 0.03 {
            rng.random_range(5.0..40.0)
        } else {
            rng.random_range(120.0..900.0)
        };
        cols[0].1.push(cust);
        cols[1].1.push(rng.random_range(0..4) as f64);
        cols[2].1.push(completed - secs);
        cols[3].1.push(completed);
        cols[4].1.push(secs);
        let flat = rng.random::<f64>() < 0.02;
        let bot = rng.random::<f64>() < 0.002;
        let first = rng.random_range(0..11) as f64;
        for k in 0..5 {
            let v = if bot {
                [3.0, 7.0, 3.0, 7.0, 3.0][k]
            } else if flat {
                first
            } else if rng.random::<f64>() < 0.001 {
                11.0
            } else {
                rng.random_range(0..11) as f64
            };
            cols[5 + k].1.push(v);
        }
        cols[10].1.push(if rng.random::<f64>() < 0.005 {
            1.0
        } else {
            0.0
        });
    }
    Data { cols }
}

fn bench(c: &mut Criterion) {
    let d = data();
    let rules = RuleSet::from_json(RULES).unwrap();
    let mut t = ResponseTable::new(ROWS);
    for (k, v) in &d.cols {
        t.add(k, Column::Num(v)).unwrap();
    }
    let v = validate(&rules, &t).unwrap();
    for tot in &v.totals {
        eprintln!(
            "{:>10} failed {:>9} first {:>9}",
            tot.rule, tot.n_failed, tot.n_excluded
        );
    }
    let mut g = c.benchmark_group("quality_10m_rows_8_rules");
    g.sample_size(10);
    g.bench_function("validate", |b| b.iter(|| validate(&rules, &t).unwrap()));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
