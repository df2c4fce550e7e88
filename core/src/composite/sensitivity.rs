//! Sensitivity of the composite to weights, normalisation and aggregation choices: seeded Monte Carlo
//! (Pcg64) or exact enumeration of the alternatives, with rank and status stability per unit.

use super::document::Scorecard;
use super::evaluate::{aggregate_tree, rank_desc, EvaluateOptions, Observations};
use super::score::{bounded, node_status, normalise_with, NormParams};
use super::{Aggregation, NormalisationMethod, ScoringMethod, Status};
use crate::error::{CxkpiError, Result};
use crate::options::Options;
use rand::{Rng, SeedableRng};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Options of [`sensitivity`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SensitivityOptions {
    /// Monte Carlo draws (default 1000; 1..=1,000,000).
    pub draws: u32,
    /// Seed of the Pcg64 generator (default 42).
    pub seed: u64,
    /// Every weight below the root is multiplied by an independent U(1 - s, 1 + s) factor (default 0.25;
    /// 0 keeps the weights; must lie in [0, 1)).
    pub weight_spread: f64,
    /// Alternative aggregations, drawn uniformly per draw and applied to every node (default: none, the
    /// scorecard's own).
    pub aggregations: Vec<Aggregation>,
    /// Alternative normalisations (only with `scoring = "normalised"`), drawn uniformly per draw.
    pub normalisations: Vec<NormalisationMethod>,
    /// Enumerate every combination of the alternatives once instead of sampling. Default (None): exactly
    /// when `weight_spread` is 0 (nothing random is left).
    pub exact: Option<bool>,
    /// Evaluate as of this period.
    pub as_of: Option<String>,
}

impl Default for SensitivityOptions {
    fn default() -> Self {
        SensitivityOptions {
            draws: 1000,
            seed: 42,
            weight_spread: 0.25,
            aggregations: Vec::new(),
            normalisations: Vec::new(),
            exact: None,
            as_of: None,
        }
    }
}

impl SensitivityOptions {
    /// Reads `draws`, `seed`, `weight_spread`, `aggregations`, `normalisations` (lists of names), `exact`,
    /// `as_of`.
    pub fn from_options(o: &Options) -> Result<SensitivityOptions> {
        let v = serde_json::Value::Object(o.clone());
        let s: SensitivityOptions = serde_json::from_value(v)
            .map_err(|e| CxkpiError::invalid("sensitivity options", e.to_string()))?;
        s.validate()?;
        Ok(s)
    }

    /// Checks the ranges.
    pub fn validate(&self) -> Result<()> {
        if !(1..=1_000_000).contains(&self.draws) {
            return Err(CxkpiError::invalid(
                "draws",
                format!("must lie in 1..=1000000, got {}", self.draws),
            ));
        }
        if !(0.0..1.0).contains(&self.weight_spread) {
            return Err(CxkpiError::invalid(
                "weight_spread",
                format!("must lie in [0, 1), got {}", self.weight_spread),
            ));
        }
        Ok(())
    }
}

/// Stability of one unit across the draws.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitStability {
    /// Composite with the nominal settings.
    pub nominal: Option<f64>,
    pub nominal_rank: Option<u32>,
    pub nominal_status: Status,
    /// Draws in which the composite was defined.
    pub n: u32,
    pub mean: Option<f64>,
    /// Standard deviation (n - 1) of the composite over the draws.
    pub sd: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub rank_mean: Option<f64>,
    pub rank_min: Option<u32>,
    pub rank_max: Option<u32>,
    /// Share of draws with the nominal rank.
    pub rank_stability: Option<f64>,
    /// Share of draws with the nominal status colour (None for unbounded scores).
    pub status_stability: Option<f64>,
}

/// The result of [`sensitivity`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SensitivityResult {
    /// Draws made (the number of combinations when exact).
    pub draws: u32,
    pub exact: bool,
    pub seed: u64,
    pub weight_spread: f64,
    pub aggregations: Vec<Aggregation>,
    pub normalisations: Vec<NormalisationMethod>,
    pub units: BTreeMap<String, UnitStability>,
}

#[derive(Clone, Copy)]
struct Acc {
    n: u32,
    /// Σ (x - c) and Σ (x - c)² with c = the unit's nominal composite (a shift that keeps the sums small).
    s1: f64,
    s2: f64,
    min: f64,
    max: f64,
    rank_sum: u64,
    rank_min: u32,
    rank_max: u32,
    same_rank: u32,
    same_status: u32,
}

impl Default for Acc {
    fn default() -> Self {
        Acc {
            n: 0,
            s1: 0.0,
            s2: 0.0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
            rank_sum: 0,
            rank_min: u32::MAX,
            rank_max: 0,
            same_rank: 0,
            same_status: 0,
        }
    }
}

impl Acc {
    fn merge(&mut self, o: &Acc) {
        self.n += o.n;
        self.s1 += o.s1;
        self.s2 += o.s2;
        self.min = self.min.min(o.min);
        self.max = self.max.max(o.max);
        self.rank_sum += o.rank_sum;
        self.rank_min = self.rank_min.min(o.rank_min);
        self.rank_max = self.rank_max.max(o.rank_max);
        self.same_rank += o.same_rank;
        self.same_status += o.same_status;
    }
}

/// One draw's choices.
struct Draw {
    agg: Option<Aggregation>,
    norm: usize,
    factors: Vec<f64>,
}

/// Ranks by decreasing value into `ranks` (0 = missing), ties share the minimum rank.
///
/// A bucket sort on order-preserving u64 keys: the bucket of a key is a monotone function of it
/// (`⌊(key - min) · n / range⌋` in f64, and correctly rounded conversion and multiplication are monotone), so
/// buckets are ordered and equal values share a bucket; each bucket (about one key on average) is then
/// sorted by key. Linear time on spread-out values, O(n log n) at worst; same answer as a comparison sort.
fn ranks_fast(v: &[f64], keys: &mut Vec<(u64, u32)>, tmp: &mut Vec<(u64, u32)>, ranks: &mut [u32]) {
    keys.clear();
    let (mut lo, mut hi) = (u64::MAX, 0u64);
    for (i, &x) in v.iter().enumerate() {
        ranks[i] = 0;
        if x.is_nan() {
            continue;
        }
        let x = if x == 0.0 { 0.0 } else { x };
        let b = x.to_bits();
        let asc = if b >> 63 == 1 { !b } else { b | (1 << 63) };
        let k = !asc; // descending
        lo = lo.min(k);
        hi = hi.max(k);
        keys.push((k, i as u32));
    }
    let n = keys.len();
    if n == 0 {
        return;
    }
    if lo == hi {
        keys.iter().for_each(|&(_, i)| ranks[i as usize] = 1);
        return;
    }
    let nb = n;
    let scale = (nb as f64) / ((hi - lo) as f64 * (1.0 + 1e-12));
    let bucket = |k: u64| (((k - lo) as f64 * scale) as usize).min(nb - 1);
    let mut count = vec![0u32; nb + 1];
    for k in keys.iter() {
        count[bucket(k.0) + 1] += 1;
    }
    for i in 0..nb {
        count[i + 1] += count[i];
    }
    tmp.resize(n, (0, 0));
    let mut next = count.clone();
    for k in keys.iter() {
        let d = bucket(k.0);
        tmp[next[d] as usize] = *k;
        next[d] += 1;
    }
    for w in count.windows(2) {
        let (s, e) = (w[0] as usize, w[1] as usize);
        if e - s > 1 {
            tmp[s..e].sort_unstable_by_key(|k| k.0);
        }
    }
    let mut rank = 0u32;
    for pos in 0..n {
        if pos == 0 || tmp[pos].0 != tmp[pos - 1].0 {
            rank = pos as u32 + 1;
        }
        ranks[tmp[pos].1 as usize] = rank;
    }
}

/// Global weight of every KPI for item weights `w`: the product of renormalised sibling weights down the
/// tree (None when a node's children all weigh 0).
fn flat_weights(c: &super::Compiled, w: &[f64], out: &mut Vec<f64>) -> bool {
    out.clear();
    out.resize(c.ids.len(), 0.0);
    out[c.root] = 1.0;
    for &nd in c.node_order.iter().rev() {
        let s: f64 = c.children[nd].iter().map(|&ch| w[ch]).sum();
        if !(s > 0.0) {
            return false;
        }
        for &ch in &c.children[nd] {
            out[ch] = out[nd] * w[ch] / s;
        }
    }
    out.iter().all(|x| x.is_finite())
}

/// What a score set allows: complete (every KPI in effect has a score for every unit), any zero, any
/// negative score.
struct SetInfo {
    complete: bool,
    zeros: bool,
    negatives: bool,
}

fn set_info(scores: &[Vec<f64>], weight: &[f64]) -> SetInfo {
    let mut i = SetInfo {
        complete: true,
        zeros: false,
        negatives: false,
    };
    for (k, col) in scores.iter().enumerate() {
        if weight[k] == 0.0 {
            continue;
        }
        for &x in col {
            if x.is_nan() {
                i.complete = false;
            } else if x == 0.0 {
                i.zeros = true;
            } else if x < 0.0 {
                i.negatives = true;
            }
        }
    }
    i
}

/// Monte Carlo (or exact) sensitivity of every unit's composite, rank and status.
///
/// Draws whose tree uses one mean everywhere and whose scores are complete are computed as one weighted
/// mean of the KPI scores with the flattened global weights (the same value as the tree up to rounding);
/// others go through the tree. Draw order is fixed (for each draw: the aggregation choice, the normalisation choice, then one factor
/// per weight in item order, all from one Pcg64 seeded with `seed`), and draws are computed in fixed blocks
/// merged in order, so the result does not depend on the number of threads.
///
/// ```
/// use cxkpi::composite::{Scorecard, Observations, sensitivity, SensitivityOptions, Aggregation};
/// let sc = Scorecard::from_json(r#"{"id": "s", "kpis": [
///   {"id": "a", "thresholds": {"red_flag": 0, "target": 10}},
///   {"id": "b", "thresholds": {"red_flag": 0, "target": 10}}]}"#).unwrap();
/// let obs = Observations::from_rows(&[("u", "a", "", 4.0), ("u", "b", "", 9.0)]);
/// let opts = SensitivityOptions { weight_spread: 0.0,
///     aggregations: vec![Aggregation::Arithmetic, Aggregation::Geometric], ..Default::default() };
/// let r = sensitivity(&sc, &obs, &opts).unwrap();
/// assert!(r.exact && r.draws == 2);
/// assert!((r.units["u"].mean.unwrap() - 6.25).abs() < 1e-12); // (6.5 + 6) / 2
/// ```
pub fn sensitivity(
    sc: &Scorecard,
    obs: &Observations,
    opts: &SensitivityOptions,
) -> Result<SensitivityResult> {
    opts.validate()?;
    let c = sc.compile()?;
    let s = &sc.settings;
    if !opts.normalisations.is_empty() && s.scoring != ScoringMethod::Normalised {
        return Err(CxkpiError::invalid(
            "normalisations",
            "alternative normalisations need settings.scoring = \"normalised\"",
        ));
    }
    let eo = EvaluateOptions {
        as_of: opts.as_of.clone(),
    };
    let scored = sc.score_units(&c, obs, &eo)?;
    let n_u = scored.units.len();
    let n_k = c.n_kpis;
    // Score matrices per normalisation alternative (index 0 = nominal).
    let mut score_sets = vec![scored.score.clone()];
    for &m in &opts.normalisations {
        let f = if bounded(m) { s.score_max } else { 1.0 };
        let mut set = Vec::with_capacity(n_k);
        for (k, kd) in sc.kpis.iter().enumerate() {
            if kd.goal.is_some() || !scored.effective[k] {
                set.push(scored.score[k].clone());
                continue;
            }
            let p = NormParams {
                goalposts: kd.goalposts,
                target: kd.thresholds.and_then(|t| t.target),
            };
            let v = normalise_with(&scored.raw[k], m, kd.direction, s.zero_range, p, &kd.id)?;
            set.push(v.into_iter().map(|x| x * f).collect());
        }
        score_sets.push(set);
    }
    let infos: Vec<SetInfo> = score_sets
        .iter()
        .map(|set| set_info(set, &scored.weight))
        .collect();
    let uniform_agg = c.aggregation[n_k..]
        .iter()
        .all(|a| *a == c.aggregation[n_k]);
    // Nominal.
    let mut nominal_vals = Vec::new();
    aggregate_tree(
        &c,
        &scored.score,
        &scored.weight,
        &c.aggregation,
        s.missing_kpi,
        s.zero_policy,
        n_u,
        &mut nominal_vals,
    )?;
    let nominal = nominal_vals[c.root - n_k].clone();
    let nominal_rank = rank_desc(&nominal);
    let status_ok = |norm: usize| {
        s.scoring == ScoringMethod::Target
            || bounded(if norm == 0 {
                s.normalisation
            } else {
                opts.normalisations[norm - 1]
            })
    };
    let status_of = |x: f64| node_status(x, s.node_status_bands, s.score_max, s.inclusivity);
    let nominal_status: Vec<Status> = nominal
        .iter()
        .map(|&x| {
            if x.is_nan() {
                Status::Missing
            } else if status_ok(0) {
                status_of(x)
            } else {
                Status::None
            }
        })
        .collect();
    // Draw plan.
    let n_agg = opts.aggregations.len();
    let n_norm = opts.normalisations.len();
    let exact = opts.exact.unwrap_or(opts.weight_spread == 0.0);
    let n_items = c.ids.len();
    let mut plan: Vec<Draw> = Vec::new();
    if exact {
        if opts.weight_spread != 0.0 {
            return Err(CxkpiError::invalid(
                "exact",
                "exact enumeration needs weight_spread = 0 (random weights cannot be enumerated)",
            ));
        }
        let aggs: Vec<Option<Aggregation>> = if n_agg == 0 {
            vec![None]
        } else {
            opts.aggregations.iter().map(|&a| Some(a)).collect()
        };
        let norms: Vec<usize> = if n_norm == 0 {
            vec![0]
        } else {
            (1..=n_norm).collect()
        };
        for &a in &aggs {
            for &nm in &norms {
                plan.push(Draw {
                    agg: a,
                    norm: nm,
                    factors: Vec::new(),
                });
            }
        }
    } else {
        let mut rng = rand_pcg::Pcg64::seed_from_u64(opts.seed);
        for _ in 0..opts.draws {
            let agg = (n_agg > 0).then(|| opts.aggregations[rng.random_range(0..n_agg)]);
            let norm = if n_norm > 0 {
                1 + rng.random_range(0..n_norm)
            } else {
                0
            };
            let factors = if opts.weight_spread > 0.0 {
                (0..n_items)
                    .map(|_| 1.0 + opts.weight_spread * (2.0 * rng.random::<f64>() - 1.0))
                    .collect()
            } else {
                Vec::new()
            };
            plan.push(Draw { agg, norm, factors });
        }
    }
    let n_draws = plan.len();
    let n_blocks = n_draws.clamp(1, 32);
    let per = n_draws.div_ceil(n_blocks);
    // Unit-major transformed scores (s, ln s or 1/s) per (score set, mean), built on first use: a batch of
    // flat draws then reads every unit's row once and forms all its weighted sums.
    let n_sets = score_sets.len();
    let transformed: Vec<[std::sync::OnceLock<Vec<f64>>; 3]> = (0..n_sets)
        .map(|_| std::array::from_fn(|_| std::sync::OnceLock::new()))
        .collect();
    let method_index = |m: Aggregation| match m {
        Aggregation::Arithmetic => 0,
        Aggregation::Geometric => 1,
        Aggregation::Harmonic => 2,
    };
    let transform = |set: usize, m: Aggregation| -> &Vec<f64> {
        transformed[set][method_index(m)].get_or_init(|| {
            let mut t = vec![0.0; n_u * n_k];
            for (k, col) in score_sets[set].iter().enumerate() {
                if scored.weight[k] == 0.0 {
                    continue; // weighs nothing in every draw; keep 0 (never NaN)
                }
                for (u, &x) in col.iter().enumerate() {
                    t[u * n_k + k] = match m {
                        Aggregation::Arithmetic => x,
                        Aggregation::Geometric => x.ln(),
                        Aggregation::Harmonic => 1.0 / x,
                    };
                }
            }
            t
        })
    };
    // Per score set, every unit's smallest and largest KPI score (in effect): any mean of means lies in
    // between, so flat composites are clamped into it (as the tree's means are).
    let bounds: Vec<Vec<(f64, f64)>> = score_sets
        .iter()
        .map(|set| {
            let mut b = vec![(f64::INFINITY, f64::NEG_INFINITY); n_u];
            for (k, col) in set.iter().enumerate() {
                if scored.weight[k] == 0.0 {
                    continue;
                }
                for (bu, &x) in b.iter_mut().zip(col) {
                    if !x.is_nan() {
                        *bu = (bu.0.min(x), bu.1.max(x));
                    }
                }
            }
            b
        })
        .collect();
    let shift: Vec<f64> = nominal
        .iter()
        .map(|&x| if x.is_nan() { 0.0 } else { x })
        .collect();
    const BATCH: usize = 16;
    let blocks: Vec<Result<Vec<Acc>>> = (0..n_blocks)
        .into_par_iter()
        .map(|b| {
            let mut acc = vec![Acc::default(); n_u];
            let mut vals = Vec::new();
            let mut w = scored.weight.clone();
            let mut aggs = c.aggregation.clone();
            let (mut keys, mut tmp) = (Vec::new(), Vec::new());
            let mut ranks = vec![0u32; n_u];
            let mut gw = Vec::new();
            // Per batch: each draw's composites (row j) and, for flat draws, its KPI weights.
            let mut out = vec![0.0; BATCH * n_u];
            let mut wb = vec![0.0; n_k * BATCH];
            let mut dots = [0.0f64; BATCH];
            let draws = &plan[(b * per).min(n_draws)..((b + 1) * per).min(n_draws)];
            for batch in draws.chunks(BATCH) {
                // (score set, mean) of each flat draw; None = through the tree.
                let mut flat_of: [Option<(usize, Aggregation)>; BATCH] = [None; BATCH];
                for (j, d) in batch.iter().enumerate() {
                    if d.factors.is_empty() {
                        w.copy_from_slice(&scored.weight);
                    } else {
                        for i in 0..n_items {
                            w[i] = scored.weight[i] * d.factors[i];
                        }
                    }
                    let method = match d.agg {
                        Some(a) => Some(a),
                        None if uniform_agg => Some(c.aggregation[n_k]),
                        None => None,
                    };
                    let info = &infos[d.norm];
                    let flat = match method {
                        Some(m) if info.complete => {
                            (m == Aggregation::Arithmetic
                                || (!info.negatives
                                    && (!info.zeros
                                        || s.zero_policy == super::ZeroPolicy::Propagate)))
                                && flat_weights(&c, &w, &mut gw)
                        }
                        _ => false,
                    };
                    if flat {
                        flat_of[j] = Some((d.norm, method.unwrap()));
                        for k in 0..n_k {
                            wb[k * BATCH + j] = gw[k];
                        }
                    } else {
                        match d.agg {
                            Some(a) => aggs.iter_mut().for_each(|x| *x = a),
                            None => aggs.copy_from_slice(&c.aggregation),
                        }
                        aggregate_tree(
                            &c,
                            &score_sets[d.norm],
                            &w,
                            &aggs,
                            s.missing_kpi,
                            s.zero_policy,
                            n_u,
                            &mut vals,
                        )?;
                        out[j * n_u..(j + 1) * n_u].copy_from_slice(&vals[c.root - n_k]);
                    }
                }
                // Flat draws, grouped by (score set, mean): one pass over the units per group.
                let mut groups: Vec<(usize, Aggregation)> =
                    flat_of[..batch.len()].iter().flatten().copied().collect();
                groups.sort_by_key(|&(set, m)| (set, method_index(m)));
                groups.dedup();
                for (set, m) in groups {
                    let t = transform(set, m);
                    let js: Vec<usize> = (0..batch.len())
                        .filter(|&j| flat_of[j] == Some((set, m)))
                        .collect();
                    for u in 0..n_u {
                        let row = &t[u * n_k..(u + 1) * n_k];
                        dots.iter_mut().for_each(|x| *x = 0.0);
                        for (k, &x) in row.iter().enumerate() {
                            let wk: &[f64; BATCH] = wb[k * BATCH..(k + 1) * BATCH]
                                .try_into()
                                .expect("BATCH weights");
                            for (d, w) in dots.iter_mut().zip(wk) {
                                *d += w * x;
                            }
                        }
                        let (blo, bhi) = bounds[set][u];
                        for &j in &js {
                            let v = match m {
                                Aggregation::Arithmetic => dots[j],
                                Aggregation::Geometric => dots[j].exp(),
                                Aggregation::Harmonic => 1.0 / dots[j],
                            };
                            out[j * n_u + u] = if blo <= bhi { v.clamp(blo, bhi) } else { v };
                        }
                    }
                }
                for (j, d) in batch.iter().enumerate() {
                    let root = &out[j * n_u..(j + 1) * n_u];
                    ranks_fast(root, &mut keys, &mut tmp, &mut ranks);
                    let st_ok = status_ok(d.norm);
                    for u in 0..n_u {
                        let x = root[u];
                        if x.is_nan() {
                            continue;
                        }
                        let a = &mut acc[u];
                        a.n += 1;
                        let dx = x - shift[u];
                        a.s1 += dx;
                        a.s2 += dx * dx;
                        a.min = a.min.min(x);
                        a.max = a.max.max(x);
                        let r = ranks[u];
                        a.rank_sum += r as u64;
                        a.rank_min = a.rank_min.min(r);
                        a.rank_max = a.rank_max.max(r);
                        if Some(r) == nominal_rank[u] {
                            a.same_rank += 1;
                        }
                        if st_ok && status_of(x) == nominal_status[u] {
                            a.same_status += 1;
                        }
                    }
                }
            }
            Ok(acc)
        })
        .collect();
    let mut total = vec![Acc::default(); n_u];
    for b in blocks {
        let b = b?;
        for (t, x) in total.iter_mut().zip(&b) {
            t.merge(x);
        }
    }
    let all_status = (0..=n_norm).all(status_ok);
    let mut units = BTreeMap::new();
    for u in 0..n_u {
        let a = &total[u];
        let has = a.n > 0;
        let nf = a.n as f64;
        units.insert(
            scored.units[u].clone(),
            UnitStability {
                nominal: (!nominal[u].is_nan()).then_some(nominal[u]),
                nominal_rank: nominal_rank[u],
                nominal_status: nominal_status[u],
                n: a.n,
                mean: has.then(|| shift[u] + a.s1 / nf),
                sd: (a.n > 1).then(|| ((a.s2 - a.s1 * a.s1 / nf).max(0.0) / (nf - 1.0)).sqrt()),
                min: has.then_some(a.min),
                max: has.then_some(a.max),
                rank_mean: has.then(|| a.rank_sum as f64 / nf),
                rank_min: has.then_some(a.rank_min),
                rank_max: has.then_some(a.rank_max),
                rank_stability: has.then(|| a.same_rank as f64 / nf),
                status_stability: (has && all_status).then(|| a.same_status as f64 / nf),
            },
        );
    }
    Ok(SensitivityResult {
        draws: n_draws as u32,
        exact,
        seed: opts.seed,
        weight_spread: opts.weight_spread,
        aggregations: opts.aggregations.clone(),
        normalisations: opts.normalisations.clone(),
        units,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_ranks_match_sort_on_many_shapes() {
        let mut state = 7u64;
        let mut next = move || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        for n in [1usize, 2, 3, 10, 257, 5000] {
            for shape in 0..5 {
                let v: Vec<f64> = (0..n)
                    .map(|i| match shape {
                        0 => next() * 100.0,
                        1 => (next() * 5.0).floor(),  // heavy ties
                        2 => (next() - 0.5) * 1e-300, // tiny, both signs
                        3 => {
                            if i % 7 == 0 {
                                f64::NAN
                            } else {
                                (next() * 3.0).exp2()
                            }
                        }
                        _ => {
                            if i % 2 == 0 {
                                1e300
                            } else {
                                -next()
                            }
                        } // extreme spread
                    })
                    .collect();
                let (mut k, mut t) = (Vec::new(), Vec::new());
                let mut r = vec![0u32; n];
                ranks_fast(&v, &mut k, &mut t, &mut r);
                let want = rank_desc(&v);
                for i in 0..n {
                    assert_eq!(want[i].unwrap_or(0), r[i], "n {n} shape {shape} index {i}");
                }
            }
        }
    }

    #[test]
    fn ranks_match_sort_with_nan_and_signed_zero() {
        let v = [3.0, -1.0, f64::NAN, 3.0, 0.0, -0.0, 7.5, -2.5];
        let (mut k, mut t) = (Vec::new(), Vec::new());
        let mut r = vec![0u32; v.len()];
        ranks_fast(&v, &mut k, &mut t, &mut r);
        let want = rank_desc(&v);
        for i in 0..v.len() {
            assert_eq!(want[i].unwrap_or(0), r[i], "index {i}");
        }
    }
}
