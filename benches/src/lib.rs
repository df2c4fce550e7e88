//! Benchmarks for cxkpi (`cargo bench -p cxkpi-benches`) and the seeded data they run on.

use rand::{Rng, SeedableRng};

/// A seeded synthetic export: `n` NPS answers (about 2% missing) and group codes in `0..groups`.
pub fn nps_export(n: usize, groups: u32, seed: u64) -> (Vec<f64>, Vec<u32>) {
    let mut rng = rand_pcg::Pcg64::seed_from_u64(seed);
    let mut scores = Vec::with_capacity(n);
    let mut keys = Vec::with_capacity(n);
    for _ in 0..n {
        let g = rng.random_range(0..groups);
        // Group-dependent mix: a group's answers lean higher with its code.
        let tilt = (g % 11) as f64 / 10.0;
        let s = if rng.random::<f64>() < 0.02 {
            f64::NAN
        } else {
            let u: f64 = rng.random();
            ((u * (1.0 - 0.3 * tilt) + 0.3 * tilt) * 11.0)
                .floor()
                .min(10.0)
        };
        scores.push(s);
        keys.push(g);
    }
    (scores, keys)
}

/// A seeded respondent table for raking: four variables with 5, 4, 10 and 3 levels (unequal response
/// rates), and population targets that differ from the sample's distribution; every margin totals `n`.
pub fn raking_sample(n: usize, seed: u64) -> (Vec<Vec<u32>>, Vec<Vec<f64>>) {
    let mut rng = rand_pcg::Pcg64::seed_from_u64(seed);
    let levels = [5u32, 4, 10, 3];
    let codes: Vec<Vec<u32>> = levels
        .iter()
        .map(|&l| {
            (0..n)
                .map(|_| {
                    // Skewed response: lower levels answer more often.
                    let u: f64 = rng.random();
                    ((u * u) * l as f64).floor().min(l as f64 - 1.0) as u32
                })
                .collect()
        })
        .collect();
    let targets = levels
        .iter()
        .map(|&l| {
            let raw: Vec<f64> = (0..l)
                .map(|k| 1.0 + (k as f64 * 0.37).sin().abs())
                .collect();
            let s: f64 = raw.iter().sum();
            raw.iter().map(|x| x * n as f64 / s).collect()
        })
        .collect();
    (codes, targets)
}
