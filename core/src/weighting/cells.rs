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

impl CellTable {
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
            if let Some(i) = c.iter().position(|&k| k as usize >= levels[v]) {
                return Err(CxkpiError::OutOfScale {
                    arg: format!("codes[{v}]"),
                    index: i,
                    value: c[i] as f64,
                    scale: format!(
                        "levels 0..{} (the sampled level has no target)",
                        levels[v].saturating_sub(1)
                    ),
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
        let mut cell_of_row: Vec<u32> = Vec::with_capacity(n);
        let ids_sorted: Vec<u64> = match dense {
            Some(t) => {
                let mut remap = vec![u32::MAX; t as usize];
                for i in 0..n {
                    let id = codes
                        .iter()
                        .zip(&strides)
                        .map(|(c, s)| c[i] as u64 * s)
                        .sum::<u64>() as u32;
                    remap[id as usize] = 0;
                    cell_of_row.push(id);
                }
                // Number the present ids in order, then rewrite ids as cell numbers in place.
                let mut present = Vec::new();
                for (k, slot) in remap.iter_mut().enumerate() {
                    if *slot == 0 {
                        *slot = present.len() as u32;
                        present.push(k as u64);
                    }
                }
                cell_of_row.iter_mut().for_each(|c| *c = remap[*c as usize]);
                present
            }
            None => {
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
        let mut count = vec![0u64; n_cells];
        match base {
            Some(b) => {
                for (&c, &w) in cell_of_row.iter().zip(b) {
                    sums[c as usize].add(w);
                    sq[c as usize].add(w * w);
                    count[c as usize] += 1;
                }
            }
            None => cell_of_row.iter().for_each(|&c| count[c as usize] += 1),
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

    /// Row weights base_i · g[cell(i)].
    pub fn expand(&self, g: &[f64], base: Option<&[f64]>) -> Vec<f64> {
        match base {
            Some(b) => self
                .cell_of_row
                .iter()
                .zip(b)
                .map(|(&c, &w)| w * g[c as usize])
                .collect(),
            None => self.cell_of_row.iter().map(|&c| g[c as usize]).collect(),
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
        CellTable {
            n_rows: self.count.iter().sum::<u64>() as usize,
            levels: self.levels.clone(),
            cell_of_row: Vec::new(),
            cell_levels: (0..self.levels.len())
                .map(|v| self.keys.iter().map(|k| k[v]).collect())
                .collect(),
            base_total: self.base_total.iter().map(NeumaierSum::value).collect(),
            base_sq_total: self.base_sq_total.iter().map(NeumaierSum::value).collect(),
            count: self.count.clone(),
        }
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
