//! Raking: iterative proportional fitting of the cell adjustments to every margin in turn.

use super::{
    finish, prepare_targets, CellTable, FitStatus, Targets, WeightingOptions, WeightingResult,
};
use crate::error::{CxkpiError, Result};
use crate::stats::NeumaierSum;

/// Rakes base weights (or 1) so that the weighted totals of every variable's levels equal its targets.
///
/// `codes[v]` are the level codes of variable v (0-based); `targets[v][l]` the population total (or share,
/// with `targets_as = shares`) of level l. The fit runs on the table of distinct cells: one pass to
/// aggregate, IPF on the cells, one pass to map back.
///
/// ```
/// use cxkpi::weighting::{rake, WeightingOptions};
/// // Two variables; the sample over-represents level 0 of each.
/// let a = [0u32, 0, 0, 1, 1, 0];
/// let b = [0u32, 1, 0, 1, 0, 0];
/// let r = rake(&[&a, &b], &[&[50.0, 50.0], &[60.0, 40.0]], None, &WeightingOptions::default()).unwrap();
/// assert!(r.max_rel_error <= 1e-10);
/// let total_a0: f64 = r.weights.iter().zip(&a).filter(|(_, &k)| k == 0).map(|(w, _)| w).sum();
/// assert!((total_a0 - 50.0).abs() < 1e-8);
/// ```
pub fn rake(
    codes: &[&[u32]],
    targets: &[&[f64]],
    base: Option<&[f64]>,
    opts: &WeightingOptions,
) -> Result<WeightingResult> {
    opts.validate()?;
    if codes.len() != targets.len() {
        return Err(CxkpiError::LengthMismatch {
            arg: "targets".into(),
            len: targets.len(),
            other: "codes".into(),
            other_len: codes.len(),
        });
    }
    let levels: Vec<usize> = targets.iter().map(|t| t.len()).collect();
    let cells = CellTable::build(codes, &levels, base)?;
    let t = prepare_targets(&cells, targets, opts)?;
    let (g, status, sweeps) = ipf(&cells, &t, opts);
    finish("rake", None, &cells, &t, g, status, sweeps, base, opts)
}

/// IPF on the cells: returns the per-cell adjustment, the status and the sweeps used.
pub(crate) fn ipf(
    cells: &CellTable,
    t: &Targets,
    opts: &WeightingOptions,
) -> (Vec<f64>, FitStatus, u32) {
    let nc = cells.n_cells();
    let mut g = vec![1.0f64; nc];
    let mut mass: Vec<f64> = cells.base_total.clone();
    let mut best = f64::INFINITY;
    let mut since_progress = 0u32;
    for sweep in 1..=opts.max_sweeps {
        for (v, target) in t.per_var.iter().enumerate() {
            let current = cells.margin(v, &mass);
            let factor: Vec<f64> = current
                .iter()
                .zip(target)
                .map(|(c, t)| if *c > 0.0 { t / c } else { 1.0 })
                .collect();
            for c in 0..nc {
                let f = factor[cells.cell_levels[v][c] as usize];
                g[c] *= f;
                mass[c] = cells.base_total[c] * g[c];
            }
        }
        let err = max_rel_error(cells, t, &mass);
        if err <= opts.tolerance {
            return (g, FitStatus::Converged, sweep);
        }
        if err < best * (1.0 - 1e-12) {
            best = err;
            since_progress = 0;
        } else {
            since_progress += 1;
            if since_progress >= 50 {
                return (g, FitStatus::Stalled, sweep);
            }
        }
    }
    (g, FitStatus::MaxIter, opts.max_sweeps)
}

pub(crate) fn max_rel_error(cells: &CellTable, t: &Targets, mass: &[f64]) -> f64 {
    let mut worst: f64 = 0.0;
    for (v, target) in t.per_var.iter().enumerate() {
        let m = cells.margin(v, mass);
        for (a, tt) in m.iter().zip(target) {
            let e = if *tt > 0.0 {
                ((a - tt) / tt).abs()
            } else {
                a.abs() / NeumaierSum::of(target).max(1.0)
            };
            worst = worst.max(e);
        }
    }
    worst
}
