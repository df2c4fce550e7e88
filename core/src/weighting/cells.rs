//! The table of distinct cells of the weighting variables: one pass to aggregate the rows, the fit on the
//! cells, one pass to map the per-cell adjustment back to the rows.

use crate::error::{CxkpiError, Result};
use crate::scale::check_weight;
use crate::stats::NeumaierSum;
use std::collections::HashMap;

/// Distinct combinations of the weighting variables present in the sample, with their base-weight totals.
#[derive(Debug, Clone, PartialEq)]
pub struct CellTable {
    pub n_rows: usize,
    /// Number of levels of each variable.
    pub levels: Vec<usize>,
    /// The cell of each row (4 bytes a row).
    pub cell_of_row: Vec<u32>,
    /// `cell_levels[v][c]`: the level of variable v in cell c. Cells are ordered by key tuple, the first
    /// variable most significant.
    pub cell_levels: Vec<Vec<u32>>,
    /// Σ base weight of the rows of each cell (n when unweighted).
    pub base_total: Vec<f64>,
    /// Σ base weight² of the rows of each cell (n when unweighted), for Kish's effective n by domain.
    pub base_sq_total: Vec<f64>,
    /// Respondents in each cell.
    pub count: Vec<u64>,
}

/// Key spaces up to this many combinations are numbered through a dense table (4 bytes per combination).
const DENSE_LIMIT: u64 = 1 << 24;
/// From this many rows the row passes run in parallel chunks of `PAR_CHUNK` rows (integer work and gathers:
/// the result does not depend on the split).
const PAR_ROWS: usize = 1 << 16;
const PAR_CHUNK: usize = 1 << 15;
/// Per-thread id counts are used up to this many ids (beyond, one sequential count).
const PAR_MAX_IDS: usize = 1 << 16;

/// ids[i] += Σ_k cols[k][i] · strides[k]; true when a code is at or above its number of levels.
#[inline]
fn add_ids<const K: usize>(
    cols: [&[u32]; K],
    strides: [u32; K],
    levels: [u32; K],
    ids: &mut [u32],
) -> bool {
    let len = ids.len();
    let cols: [&[u32]; K] = cols.map(|c| &c[..len]);
    let mut bad = false;
    for i in 0..len {
        let mut acc = ids[i];
        for k in 0..K {
            let x = cols[k][i];
            acc = acc.wrapping_add(x.wrapping_mul(strides[k]));
            bad |= x >= levels[k];
        }
        ids[i] = acc;
    }
    bad
}

#[cold]
fn code_out_of_scale(v: usize, i: usize, k: u32, levels: usize) -> CxkpiError {
    CxkpiError::OutOfScale {
        arg: format!("codes[{v}]"),
        index: i,
        value: k as f64,
        scale: format!(
            "levels 0..{} (the sampled level has no target)",
            levels.saturating_sub(1)
        ),
    }
}

impl CellTable {
    /// A table without rows, from sorted cell keys and per-cell totals (merged partials).
    pub(crate) fn from_keys(
        levels: &[usize],
        keys: &[Vec<u32>],
        base_total: Vec<f64>,
        base_sq_total: Vec<f64>,
        count: Vec<u64>,
    ) -> CellTable {
        CellTable {
            n_rows: count.iter().sum::<u64>() as usize,
            levels: levels.to_vec(),
            cell_of_row: Vec::new(),
            cell_levels: (0..levels.len())
                .map(|v| keys.iter().map(|k| k[v]).collect())
                .collect(),
            base_total,
            base_sq_total,
            count,
        }
    }

    /// Aggregates rows into cells. `levels[v]` is the number of levels (targets) of variable v; a code at or
    /// above it is an `out_of_scale` error naming the variable and row.
    pub fn build(codes: &[&[u32]], levels: &[usize], base: Option<&[f64]>) -> Result<CellTable> {
        if codes.is_empty() {
            return Err(CxkpiError::invalid(
                "codes",
                "at least one weighting variable is needed",
            ));
        }
        let n = codes[0].len();
        if n == 0 {
            return Err(CxkpiError::EmptyInput {
                arg: "codes[0]".into(),
            });
        }
        for (v, c) in codes.iter().enumerate() {
            if c.len() != n {
                return Err(CxkpiError::LengthMismatch {
                    arg: format!("codes[{v}]"),
                    len: c.len(),
                    other: "codes[0]".into(),
                    other_len: n,
                });
            }
        }
        if let Some(b) = base {
            if b.len() != n {
                return Err(CxkpiError::LengthMismatch {
                    arg: "base".into(),
                    len: b.len(),
                    other: "codes[0]".into(),
                    other_len: n,
                });
            }
            for (i, &w) in b.iter().enumerate() {
                check_weight(i, w).map_err(|e| match e {
                    CxkpiError::InvalidWeight {
                        index,
                        value,
                        reason,
                        ..
                    } => CxkpiError::InvalidWeight {
                        arg: "base".into(),
                        index,
                        value,
                        reason,
                    },
                    e => e,
                })?;
            }
        }
        // Mixed-radix id, first variable most significant: id order is key-tuple order.
        let total = levels
            .iter()
            .try_fold(1u64, |t, &l| t.checked_mul(l as u64));
        let mut strides = vec![1u64; levels.len()];
        for v in (0..levels.len().saturating_sub(1)).rev() {
            strides[v] = strides[v + 1] * levels[v + 1] as u64;
        }
        // Pass 1: each row's mixed-radix id, written into what becomes `cell_of_row`.
        let dense = total.filter(|&t| t <= DENSE_LIMIT);
        if dense.is_none() {
            // The sparse path below validates row by row; the dense path validates while it builds.
            for (v, c) in codes.iter().enumerate() {
                if let Some(i) = c.iter().position(|&k| k as usize >= levels[v]) {
                    return Err(code_out_of_scale(v, i, c[i], levels[v]));
                }
            }
        }
        let mut cell_of_row: Vec<u32>;
        let mut dense_counts: Option<Vec<u64>> = None;
        let ids_sorted: Vec<u64> = match dense {
            Some(t) => {
                // Mixed-radix ids, up to four variables fused per pass over a chunk of rows (a multiply-add
                // the compiler vectorises, with the level check fused), chunks in parallel for large n:
                // integer work, exact in any split.
                cell_of_row = vec![0u32; n];
                let vars: Vec<(&[u32], u32, u32)> = codes
                    .iter()
                    .enumerate()
                    .map(|(v, c)| (*c, strides[v] as u32, levels[v] as u32))
                    .collect();
                let chunk_ids = |(k, ids): (usize, &mut [u32])| -> bool {
                    let (start, len) = (k * PAR_CHUNK, ids.len());
                    let mut bad = false;
                    for g in vars.chunks(4) {
                        let col = |j: usize| &g[j].0[start..start + len];
                        bad |= match g.len() {
                            1 => add_ids([col(0)], [g[0].1], [g[0].2], ids),
                            2 => add_ids([col(0), col(1)], [g[0].1, g[1].1], [g[0].2, g[1].2], ids),
                            3 => add_ids(
                                [col(0), col(1), col(2)],
                                [g[0].1, g[1].1, g[2].1],
                                [g[0].2, g[1].2, g[2].2],
                                ids,
                            ),
                            _ => add_ids(
                                [col(0), col(1), col(2), col(3)],
                                [g[0].1, g[1].1, g[2].1, g[3].1],
                                [g[0].2, g[1].2, g[2].2, g[3].2],
                                ids,
                            ),
                        };
                    }
                    bad
                };
                // Rows per id, counted while each chunk's ids are still in cache (per-thread tables up to
                // PAR_MAX_IDS ids; beyond, one sequential pass).
                let t = t as usize;
                let fuse = t <= PAR_MAX_IDS;
                let width = if fuse { t } else { 0 };
                let step = |(bad, mut cnt): (bool, Vec<u64>), (k, ids): (usize, &mut [u32])| {
                    let bad = bad | chunk_ids((k, &mut *ids));
                    if fuse && !bad {
                        ids.iter().for_each(|&id| cnt[id as usize] += 1);
                    }
                    (bad, cnt)
                };
                let add = |(b1, mut c1): (bool, Vec<u64>), (b2, c2): (bool, Vec<u64>)| {
                    c1.iter_mut().zip(&c2).for_each(|(x, y)| *x += y);
                    (b1 | b2, c1)
                };
                let (bad, cnt) = if n >= PAR_ROWS {
                    use rayon::prelude::*;
                    cell_of_row
                        .par_chunks_mut(PAR_CHUNK)
                        .enumerate()
                        .fold(|| (false, vec![0u64; width]), step)
                        .reduce(|| (false, vec![0u64; width]), add)
                } else {
                    cell_of_row
                        .chunks_mut(PAR_CHUNK)
                        .enumerate()
                        .fold((false, vec![0u64; width]), step)
                };
                if bad {
                    for (v, c) in codes.iter().enumerate() {
                        if let Some(i) = c.iter().position(|&k| k as usize >= levels[v]) {
                            return Err(code_out_of_scale(v, i, c[i], levels[v]));
                        }
                    }
                }
                let cnt = if fuse {
                    cnt
                } else {
                    let mut cnt = vec![0u64; t];
                    cell_of_row.iter().for_each(|&id| cnt[id as usize] += 1);
                    cnt
                };
                let mut remap = vec![u32::MAX; t];
                let mut present = Vec::new();
                let mut counts = Vec::new();
                for (k, &c) in cnt.iter().enumerate() {
                    if c > 0 {
                        remap[k] = present.len() as u32;
                        present.push(k as u64);
                        counts.push(c);
                    }
                }
                let rewrite =
                    |ids: &mut [u32]| ids.iter_mut().for_each(|c| *c = remap[*c as usize]);
                if present.len() == t {
                    // Every combination is present: the ids are already the cell numbers.
                } else if n >= PAR_ROWS {
                    use rayon::prelude::*;
                    cell_of_row.par_chunks_mut(PAR_CHUNK).for_each(rewrite);
                } else {
                    rewrite(&mut cell_of_row);
                }
                dense_counts = Some(counts);
                present
            }
            None => {
                cell_of_row = Vec::with_capacity(n);
                let ids: Vec<u64> = (0..n)
                    .map(|i| {
                        codes
                            .iter()
                            .zip(&strides)
                            .map(|(c, s)| c[i] as u64 * s)
                            .sum::<u64>()
                    })
                    .collect();
                let mut set = ids.clone();
                set.sort_unstable();
                set.dedup();
                let index: HashMap<u64, u32> = set
                    .iter()
                    .enumerate()
                    .map(|(c, &k)| (k, c as u32))
                    .collect();
                cell_of_row.extend(ids.iter().map(|k| index[k]));
                set
            }
        };
        // Pass 2: counts and base totals per cell.
        let n_cells = ids_sorted.len();
        let mut sums = vec![NeumaierSum::default(); n_cells];
        let mut sq = vec![NeumaierSum::default(); n_cells];
        let have_counts = dense_counts.is_some();
        let mut count = dense_counts.unwrap_or_else(|| vec![0u64; n_cells]);
        if let Some(b) = base {
            for (&c, &w) in cell_of_row.iter().zip(b) {
                sums[c as usize].add(w);
                sq[c as usize].add(w * w);
            }
        }
        if !have_counts {
            cell_of_row.iter().for_each(|&c| count[c as usize] += 1);
        }
        let (base_total, base_sq_total): (Vec<f64>, Vec<f64>) = match base {
            Some(_) => (
                sums.iter().map(NeumaierSum::value).collect(),
                sq.iter().map(NeumaierSum::value).collect(),
            ),
            None => (
                count.iter().map(|&c| c as f64).collect(),
                count.iter().map(|&c| c as f64).collect(),
            ),
        };
        let cell_levels = (0..levels.len())
            .map(|v| {
                ids_sorted
                    .iter()
                    .map(|&k| ((k / strides[v]) % levels[v] as u64) as u32)
                    .collect()
            })
            .collect();
        Ok(CellTable {
            n_rows: n,
            levels: levels.to_vec(),
            cell_of_row,
            cell_levels,
            base_total,
            base_sq_total,
            count,
        })
    }

    /// Number of cells.
    pub fn n_cells(&self) -> usize {
        self.count.len()
    }

    /// Σ over cells of `mass[c]` by level of variable `v`.
    pub fn margin(&self, v: usize, mass: &[f64]) -> Vec<f64> {
        let mut m = vec![NeumaierSum::default(); self.levels[v]];
        for (c, &x) in mass.iter().enumerate() {
            m[self.cell_levels[v][c] as usize].add(x);
        }
        m.iter().map(NeumaierSum::value).collect()
    }

    /// Row weights base_i · g[cell(i)] (a gather, in parallel chunks for large n: the same bits in any split).
    pub fn expand(&self, g: &[f64], base: Option<&[f64]>) -> Vec<f64> {
        use rayon::prelude::*;
        let par = self.n_rows >= PAR_ROWS;
        match (base, par) {
            (Some(b), true) => self
                .cell_of_row
                .par_iter()
                .with_min_len(PAR_CHUNK)
                .zip(b)
                .map(|(&c, &w)| w * g[c as usize])
                .collect(),
            (Some(b), false) => self
                .cell_of_row
                .iter()
                .zip(b)
                .map(|(&c, &w)| w * g[c as usize])
                .collect(),
            (None, true) => self
                .cell_of_row
                .par_iter()
                .with_min_len(PAR_CHUNK)
                .map(|&c| g[c as usize])
                .collect(),
            (None, false) => self.cell_of_row.iter().map(|&c| g[c as usize]).collect(),
        }
    }
}

/// Mergeable per-cell aggregate of a shard of respondents: the level tuple, respondent count and base-weight
/// total of every cell. Shards (days, partitions, workers) aggregate on their own, the aggregates merge in
/// any order, the fit runs once on the merged cells, and each shard maps the cell adjustments back to its rows
/// with [`CellWeights::apply`] — no respondent row ever moves.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CellPartial {
    pub levels: Vec<usize>,
    /// `keys[c]`: the level of every variable in cell c; cells sorted by key.
    pub keys: Vec<Vec<u32>>,
    pub count: Vec<u64>,
    pub base_total: Vec<NeumaierSum>,
    /// Σ base weight² per cell.
    pub base_sq_total: Vec<NeumaierSum>,
}

impl CellPartial {
    /// Aggregates a shard (an empty shard gives an empty partial).
    pub fn from_codes(
        codes: &[&[u32]],
        levels: &[usize],
        base: Option<&[f64]>,
    ) -> Result<CellPartial> {
        if !codes.is_empty()
            && codes.iter().all(|c| c.is_empty())
            && base.is_none_or(|b| b.is_empty())
        {
            return Ok(CellPartial {
                levels: levels.to_vec(),
                keys: vec![],
                count: vec![],
                base_total: vec![],
                base_sq_total: vec![],
            });
        }
        let t = CellTable::build(codes, levels, base)?;
        let mut sums = vec![NeumaierSum::default(); t.n_cells()];
        let mut sq = vec![NeumaierSum::default(); t.n_cells()];
        match base {
            Some(b) => t.cell_of_row.iter().zip(b).for_each(|(&c, &w)| {
                sums[c as usize].add(w);
                sq[c as usize].add(w * w);
            }),
            None => {
                for (c, &k) in t.count.iter().enumerate() {
                    sums[c].add(k as f64);
                    sq[c].add(k as f64);
                }
            }
        }
        Ok(CellPartial {
            keys: (0..t.n_cells())
                .map(|c| t.cell_levels.iter().map(|l| l[c]).collect())
                .collect(),
            levels: t.levels,
            count: t.count,
            base_total: sums,
            base_sq_total: sq,
        })
    }

    /// Adds another shard's cells.
    pub fn merge(&mut self, o: &CellPartial) -> Result<()> {
        if o.levels != self.levels {
            return Err(CxkpiError::IncompatiblePartials {
                message: format!(
                    "cell partials have different levels ({:?} vs {:?})",
                    self.levels, o.levels
                ),
            });
        }
        let mut merged = CellPartial {
            levels: self.levels.clone(),
            keys: vec![],
            count: vec![],
            base_total: vec![],
            base_sq_total: vec![],
        };
        let (mut i, mut j) = (0, 0);
        while i < self.keys.len() || j < o.keys.len() {
            let take_self = j >= o.keys.len() || (i < self.keys.len() && self.keys[i] <= o.keys[j]);
            let take_other =
                i >= self.keys.len() || (j < o.keys.len() && o.keys[j] <= self.keys[i]);
            let key = if take_self {
                self.keys[i].clone()
            } else {
                o.keys[j].clone()
            };
            let mut count = 0;
            let mut sum = NeumaierSum::default();
            let mut sq = NeumaierSum::default();
            if take_self {
                count += self.count[i];
                sum.merge(&self.base_total[i]);
                sq.merge(&self.base_sq_total[i]);
                i += 1;
            }
            if take_other {
                count += o.count[j];
                sum.merge(&o.base_total[j]);
                sq.merge(&o.base_sq_total[j]);
                j += 1;
            }
            merged.keys.push(key);
            merged.count.push(count);
            merged.base_total.push(sum);
            merged.base_sq_total.push(sq);
        }
        *self = merged;
        Ok(())
    }

    /// A cell table without rows (for fitting on merged aggregates).
    pub(crate) fn table(&self) -> CellTable {
        CellTable::from_keys(
            &self.levels,
            &self.keys,
            self.base_total.iter().map(NeumaierSum::value).collect(),
            self.base_sq_total.iter().map(NeumaierSum::value).collect(),
            self.count.clone(),
        )
    }

    /// The cell table, after checking that `targets` has one target per level of every variable.
    pub(crate) fn table_for(&self, targets: &[&[f64]]) -> Result<CellTable> {
        if targets.len() != self.levels.len()
            || targets.iter().zip(&self.levels).any(|(t, &l)| t.len() != l)
        {
            return Err(CxkpiError::invalid(
                "targets",
                "one target per level of every variable of the partial is needed",
            ));
        }
        Ok(self.table())
    }
}

/// The adjustment of every cell of a fit on merged aggregates; [`CellWeights::apply`] maps it to a shard's rows.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CellWeights {
    pub levels: Vec<usize>,
    pub keys: Vec<Vec<u32>>,
    pub g: Vec<f64>,
}

impl CellWeights {
    /// Row weights base_i · g(cell of row i) for a shard; a row whose cell was not in the fit is an error.
    pub fn apply(&self, codes: &[&[u32]], base: Option<&[f64]>) -> Result<Vec<f64>> {
        if !codes.is_empty()
            && codes.iter().all(|c| c.is_empty())
            && base.is_none_or(|b| b.is_empty())
        {
            return Ok(Vec::new());
        }
        let t = CellTable::build(codes, &self.levels, base)?;
        let g: Vec<f64> = (0..t.n_cells())
            .map(|c| {
                let key: Vec<u32> = t.cell_levels.iter().map(|l| l[c]).collect();
                self.keys
                    .binary_search(&key)
                    .map(|k| self.g[k])
                    .map_err(|_| {
                        CxkpiError::invalid(
                            "codes",
                            format!("cell {key:?} was not part of the fit"),
                        )
                    })
            })
            .collect::<Result<_>>()?;
        Ok(t.expand(&g, base))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The parallel chunked build (n ≥ PAR_ROWS, five variables so two fused groups, one combination absent
    /// so the ids are renumbered) against a naive per-row build.
    #[test]
    fn chunked_build_equals_the_naive_one() {
        let n = 200_003usize;
        let levels = [3usize, 2, 4, 5, 2];
        let codes: Vec<Vec<u32>> = levels
            .iter()
            .enumerate()
            .map(|(v, &l)| {
                (0..n)
                    .map(|i| ((i * (7 + 2 * v) + i / (3 + v)) % l) as u32)
                    .collect()
            })
            .collect();
        let mut codes = codes;
        // Remove combination (0, 0, 0, 0, 0) wherever it occurs.
        for i in 0..n {
            if (0..5).all(|v| codes[v][i] == 0) {
                codes[4][i] = 1;
            }
        }
        let refs: Vec<&[u32]> = codes.iter().map(|c| c.as_slice()).collect();
        let base: Vec<f64> = (0..n).map(|i| 0.5 + (i % 7) as f64).collect();
        let t = CellTable::build(&refs, &levels, Some(&base)).unwrap();
        let mut keys: Vec<Vec<u32>> = (0..n)
            .map(|i| (0..5).map(|v| codes[v][i]).collect())
            .collect();
        keys.sort();
        keys.dedup();
        assert_eq!(t.n_cells(), keys.len());
        for i in (0..n).step_by(997) {
            let c = t.cell_of_row[i] as usize;
            let key: Vec<u32> = (0..5).map(|v| codes[v][i]).collect();
            assert_eq!(keys[c], key);
            assert_eq!((0..5).map(|v| t.cell_levels[v][c]).collect::<Vec<_>>(), key);
        }
        assert_eq!(t.count.iter().sum::<u64>(), n as u64);
        let w = t.expand(&vec![2.0; t.n_cells()], Some(&base));
        assert!(w.iter().zip(&base).all(|(x, b)| *x == 2.0 * b));
        // An out-of-range code deep in a parallel chunk is named by variable and row.
        codes[3][150_001] = 5;
        let refs: Vec<&[u32]> = codes.iter().map(|c| c.as_slice()).collect();
        match CellTable::build(&refs, &levels, None).unwrap_err() {
            CxkpiError::OutOfScale { arg, index, .. } => {
                assert_eq!((arg.as_str(), index), ("codes[3]", 150_001))
            }
            e => panic!("{e:?}"),
        }
    }
}
