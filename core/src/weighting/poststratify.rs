//! Post-stratification: each crossed cell of the stratification variables is weighted to its target.

use super::{
    finish, CellTable, EmptyLevelPolicy, FitStatus, LevelChange, Targets, TargetsAs,
    WeightingOptions, WeightingResult,
};
use crate::error::{CxkpiError, Result};
use crate::stats::NeumaierSum;

/// Post-stratifies on one or more crossed variables. `cell_targets` has one target per crossed cell, the
/// first variable most significant (for two variables with 3 and 2 levels: (0,0), (0,1), (1,0), ...).
/// `levels[v]` gives the number of levels of each variable.
///
/// ```
/// use cxkpi::weighting::{poststratify, WeightingOptions};
/// let region = [0u32, 0, 0, 1];
/// let r = poststratify(&[&region], &[2], &[50.0, 50.0], None, &WeightingOptions::default()).unwrap();
/// assert_eq!(r.weights, vec![50.0 / 3.0, 50.0 / 3.0, 50.0 / 3.0, 50.0]);
/// ```
pub fn poststratify(
    codes: &[&[u32]],
    levels: &[usize],
    cell_targets: &[f64],
    base: Option<&[f64]>,
    opts: &WeightingOptions,
) -> Result<WeightingResult> {
    opts.validate()?;
    opts.only_for("poststratify")?;
    if codes.len() != levels.len() {
        return Err(CxkpiError::LengthMismatch {
            arg: "levels".into(),
            len: levels.len(),
            other: "codes".into(),
            other_len: codes.len(),
        });
    }
    let n_crossed: usize = levels.iter().product();
    if cell_targets.len() != n_crossed {
        return Err(CxkpiError::LengthMismatch {
            arg: "cell_targets".into(),
            len: cell_targets.len(),
            other: "the crossed levels".into(),
            other_len: n_crossed,
        });
    }
    let cells = CellTable::build(codes, levels, base)?;
    let base_total = NeumaierSum::of(&cells.base_total);
    let scale = match opts.targets_as {
        TargetsAs::Counts => 1.0,
        TargetsAs::Shares => opts.population.unwrap_or(base_total),
    };
    let mut strides = vec![1usize; levels.len()];
    for v in (0..levels.len().saturating_sub(1)).rev() {
        strides[v] = strides[v + 1] * levels[v + 1];
    }
    // Crossed index of every sampled cell.
    let crossed: Vec<usize> = (0..cells.n_cells())
        .map(|c| {
            (0..levels.len())
                .map(|v| cells.cell_levels[v][c] as usize * strides[v])
                .sum()
        })
        .collect();
    let mut sampled = vec![false; n_crossed];
    crossed.iter().for_each(|&k| sampled[k] = true);
    let mut targets: Vec<f64> = cell_targets.iter().map(|t| t * scale).collect();
    for (k, &t) in targets.iter().enumerate() {
        if !(t >= 0.0 && t.is_finite()) {
            return Err(CxkpiError::invalid(
                &format!("cell_targets[{k}]"),
                format!("must be a finite number >= 0, got {t}"),
            ));
        }
        if sampled[k] && t <= 0.0 {
            return Err(CxkpiError::invalid(
                &format!("cell_targets[{k}]"),
                format!("cell {k} has respondents but a target of {t}"),
            ));
        }
    }
    let mut changes = Vec::new();
    let mut mass_lost = 0.0;
    for k in 0..n_crossed {
        if !sampled[k] && targets[k] > 0.0 {
            match opts.empty_level {
                EmptyLevelPolicy::Error => {
                    return Err(CxkpiError::EmptyLevel {
                        variable: 0,
                        level: k,
                        target: targets[k],
                    })
                }
                EmptyLevelPolicy::Collapse => {
                    // The nearest sampled cell of the same stratum of the other variables (the crossed
                    // cells that differ only in the last variable: lower first, then higher), else the
                    // nearest sampled cell anywhere.
                    let block = levels.last().copied().unwrap_or(1).max(1);
                    let (lo, hi) = (k - k % block, (k - k % block + block).min(n_crossed));
                    let into = (lo..k)
                        .rev()
                        .chain(k + 1..hi)
                        .find(|&j| sampled[j])
                        .or_else(|| (0..k).rev().chain(k + 1..n_crossed).find(|&j| sampled[j]))
                        .expect("a sampled cell exists");
                    changes.push(LevelChange {
                        variable: 0,
                        level: k,
                        action: "collapsed".into(),
                        into: Some(into),
                        target: targets[k],
                    });
                    targets[into] += targets[k];
                    targets[k] = 0.0;
                }
                EmptyLevelPolicy::Drop => {
                    changes.push(LevelChange {
                        variable: 0,
                        level: k,
                        action: "dropped".into(),
                        into: None,
                        target: targets[k],
                    });
                    mass_lost += targets[k];
                    targets[k] = 0.0;
                }
            }
        }
    }
    if let Some(c) = (0..cells.n_cells()).find(|&c| cells.base_total[c] <= 0.0) {
        return Err(CxkpiError::ZeroWeightSum {
            arg: format!("base (cell {})", crossed[c]),
            n: cells.count[c],
        });
    }
    let g: Vec<f64> = (0..cells.n_cells())
        .map(|c| targets[crossed[c]] / cells.base_total[c])
        .collect();
    // Margins reported per stratification variable.
    let per_var: Vec<Vec<f64>> = (0..levels.len())
        .map(|v| {
            let mut m = vec![0.0; levels[v]];
            for (k, &t) in targets.iter().enumerate() {
                m[(k / strides[v]) % levels[v]] += t;
            }
            m
        })
        .collect();
    let t = Targets {
        per_var,
        changes,
        mass_lost,
    };
    finish(
        "poststratify",
        None,
        &cells,
        &t,
        g,
        FitStatus::Converged,
        1,
        base,
        opts,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapse_stays_within_the_stratum_of_the_other_variables() {
        // a: 2 levels, b: 3 levels; crossed index a·3 + b. Cell (1, 0) = 3 has a target but no respondent.
        // The nearest lower sampled cell is (0, 2) = 2, in the other stratum of a; the collapse goes to
        // (1, 1) = 4, so the margin of a keeps its target.
        let a = [0u32, 0, 0, 1, 1];
        let b = [0u32, 1, 2, 1, 2];
        let t = [10.0, 20.0, 30.0, 5.0, 15.0, 20.0];
        let o = WeightingOptions {
            empty_level: EmptyLevelPolicy::Collapse,
            ..Default::default()
        };
        let r = poststratify(&[&a, &b], &[2, 3], &t, None, &o).unwrap();
        assert_eq!(r.level_changes[0].level, 3);
        assert_eq!(r.level_changes[0].into, Some(4));
        assert_eq!(r.weights, vec![10.0, 20.0, 30.0, 20.0, 20.0]);
        // When the whole stratum is empty, the nearest sampled cell anywhere takes it.
        let a = [0u32, 0, 0];
        let b = [0u32, 1, 2];
        let r = poststratify(&[&a, &b], &[2, 3], &t, None, &o).unwrap();
        assert_eq!(r.level_changes[0].into, Some(2));
    }
}
