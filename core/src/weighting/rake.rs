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
    opts.only_for("rake")?;
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

/// Rakes merged per-cell aggregates (see [`super::CellPartial`]): the same fit as [`rake`] on the union of
/// the shards, returned per cell.
///
/// ```
/// use cxkpi::weighting::{rake, rake_cells, CellPartial, WeightingOptions};
/// let (a1, b1) = ([0u32, 0, 1], [0u32, 1, 1]);
/// let (a2, b2) = ([0u32, 1, 1], [0u32, 0, 1]);
/// let mut p = CellPartial::from_codes(&[&a1, &b1], &[2, 2], None).unwrap();
/// p.merge(&CellPartial::from_codes(&[&a2, &b2], &[2, 2], None).unwrap()).unwrap();
/// let t: [&[f64]; 2] = [&[40.0, 60.0], &[30.0, 70.0]];
/// let cw = rake_cells(&p, &t, &WeightingOptions::default()).unwrap();
/// let mut w = cw.apply(&[&a1, &b1], None).unwrap();
/// w.extend(cw.apply(&[&a2, &b2], None).unwrap());
/// let whole = rake(&[&[0, 0, 1, 0, 1, 1], &[0, 1, 1, 0, 0, 1]], &t, None, &WeightingOptions::default()).unwrap();
/// for (x, y) in w.iter().zip(&whole.weights) { assert!((x - y).abs() < 1e-12 * y); }
/// ```
pub fn rake_cells(
    cells: &super::CellPartial,
    targets: &[&[f64]],
    opts: &WeightingOptions,
) -> Result<super::CellWeights> {
    opts.validate()?;
    opts.only_for("rake")?;
    opts.only_for("rake")?;
    let table = cells.table();
    if targets.len() != table.levels.len()
        || targets
            .iter()
            .zip(&table.levels)
            .any(|(t, &l)| t.len() != l)
    {
        return Err(CxkpiError::invalid(
            "targets",
            "one target per level of every variable of the partial is needed",
        ));
    }
    let t = prepare_targets(&table, targets, opts)?;
    let (g, status, sweeps) = ipf(&table, &t, opts);
    if status != FitStatus::Converged && opts.on_nonconvergence == super::OnNonConvergence::Error {
        return Err(CxkpiError::NotConverged {
            method: "rake".into(),
            iterations: sweeps,
            max_rel_error: max_rel_error(
                &table,
                &t,
                &table
                    .base_total
                    .iter()
                    .zip(&g)
                    .map(|(b, g)| b * g)
                    .collect::<Vec<_>>(),
            ),
            tolerance: opts.tolerance,
        });
    }
    Ok(super::CellWeights {
        levels: table.levels.clone(),
        keys: cells.keys.clone(),
        g,
    })
}
