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
