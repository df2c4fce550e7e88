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
    let mut levels: Vec<usize> = targets.iter().map(|t| t.len()).collect();
    let trimming = opts.trim_upper.is_some() || opts.trim_lower.is_some();
    // Trimming acts on each row's weight: rows with different base weights must not share a cell.
    let base_codes = if trimming {
        base.map(|b| base_weight_codes(b, &mut levels))
    } else {
        None
    };
    let mut all_codes: Vec<&[u32]> = codes.to_vec();
    if let Some(bc) = &base_codes {
        all_codes.push(bc);
    }
    let cells = CellTable::build(&all_codes, &levels, base)?;
    let t = prepare_targets(&cells, targets, opts)?;
    let (g, status, sweeps) = ipf_from(&cells, &t, opts, vec![1.0; cells.n_cells()]);
    if !trimming {
        return finish("rake", None, &cells, &t, g, status, sweeps, base, opts);
    }
    let (g, status, sweeps) = trim_rerake(&cells, &t, opts, g, status, sweeps)?;
    finish("rake_trim", None, &cells, &t, g, status, sweeps, base, opts)
}

/// Codes of the distinct base weights (in order of first appearance), appended as an extra cell variable.
pub(crate) fn base_weight_codes(b: &[f64], levels: &mut Vec<usize>) -> Vec<u32> {
    let mut seen: std::collections::HashMap<u64, u32> = std::collections::HashMap::new();
    let codes = b
        .iter()
        .map(|w| {
            let next = seen.len() as u32;
            *seen.entry(w.to_bits()).or_insert(next)
        })
        .collect();
    levels.push(seen.len());
    codes
}

/// Trim-then-rerake: cap (and raise) the row weights with [`super::trim_weights`]' exact rule, rake again
/// from the trimmed adjustments, and repeat until the margins hold and no weight is outside the trim bounds
/// (status converged), or `max_cycles` cycles have run (status max_iter: the cycle always ends). The
/// sweeps of every rake are added up.
fn trim_rerake(
    cells: &CellTable,
    t: &Targets,
    opts: &WeightingOptions,
    mut g: Vec<f64>,
    mut status: FitStatus,
    mut sweeps: u32,
) -> Result<(Vec<f64>, FitStatus, u32)> {
    let total = NeumaierSum::of(&t.per_var[0]);
    let n = cells.n_rows as f64;
    let scale = if opts.trim_relative_to_mean {
        total / n
    } else {
        1.0
    };
    let lo = opts.trim_lower.map_or(0.0, |x| x * scale);
    let hi = opts.trim_upper.map_or(f64::INFINITY, |x| x * scale);
    if !(lo >= 0.0 && lo <= hi) || hi * n < total * (1.0 - 1e-12) || lo * n > total * (1.0 + 1e-12)
    {
        return Err(CxkpiError::Infeasible {
            message: format!(
                "trim bounds [{lo}, {hi}] for {n} rows cannot hold the population total {total}"
            ),
        });
    }
    // Every row of a cell has the weight b_c · g_c.
    let unit: Vec<f64> = cells
        .base_total
        .iter()
        .zip(&cells.count)
        .map(|(b, &c)| b / c as f64)
        .collect();
    let slack = 1e-9;
    for _cycle in 0..opts.max_cycles {
        let w: Vec<f64> = unit.iter().zip(&g).map(|(b, g)| b * g).collect();
        let inside = w
            .iter()
            .all(|&x| x >= lo * (1.0 - slack) && x <= hi * (1.0 + slack));
        if inside && status == FitStatus::Converged {
            return Ok((g, FitStatus::Converged, sweeps));
        }
        let (f, _) = super::trim::common_factor(&w, Some(&cells.count), lo, hi, total)?;
        let trimmed: Vec<f64> = w
            .iter()
            .zip(&unit)
            .map(|(x, b)| (f * x).clamp(lo, hi) / b)
            .collect();
        let (g2, s2, k) = ipf_from(cells, t, opts, trimmed);
        g = g2;
        status = s2;
        sweeps += k;
    }
    let w: Vec<f64> = unit.iter().zip(&g).map(|(b, g)| b * g).collect();
    let inside = w
        .iter()
        .all(|&x| x >= lo * (1.0 - slack) && x <= hi * (1.0 + slack));
    Ok((
        g,
        if inside && status == FitStatus::Converged {
            FitStatus::Converged
        } else {
            FitStatus::MaxIter
        },
        sweeps,
    ))
}

/// IPF on the cells from g = 1: returns the per-cell adjustment, the status and the sweeps used.
pub(crate) fn ipf(
    cells: &CellTable,
    t: &Targets,
    opts: &WeightingOptions,
) -> (Vec<f64>, FitStatus, u32) {
    ipf_from(cells, t, opts, vec![1.0; cells.n_cells()])
}

/// IPF on the cells from the adjustments `g`.
pub(crate) fn ipf_from(
    cells: &CellTable,
    t: &Targets,
    opts: &WeightingOptions,
    mut g: Vec<f64>,
) -> (Vec<f64>, FitStatus, u32) {
    let nc = cells.n_cells();
    let mut mass: Vec<f64> = cells
        .base_total
        .iter()
        .zip(&g)
        .map(|(b, g)| b * g)
        .collect();
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
    if opts.trim_upper.is_some() || opts.trim_lower.is_some() {
        return Err(CxkpiError::Unsupported {
            message: "trim-then-rerake works on rows: use rake, not rake_cells".into(),
        });
    }
    let table = cells.table_for(targets)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trim_then_rerake_meets_margins_and_caps() {
        // 2 respondents of 40 in level 1 of `a` must carry 30% of the population: raking alone gives them
        // weights far above 2 × the mean.
        let a: Vec<u32> = (0..40).map(|i| u32::from(i < 2)).collect();
        let b: Vec<u32> = (0..40).map(|i| (i % 3) as u32).collect();
        let targets: [&[f64]; 2] = [&[70.0, 30.0], &[40.0, 30.0, 30.0]];
        let plain = rake(&[&a, &b], &targets, None, &WeightingOptions::default()).unwrap();
        let mean = 100.0 / 40.0;
        assert!(plain.diagnostics.max > 2.0 * mean);
        // A cap of 2 × mean cannot hold 30 with 2 rows (2 × 5 = 10): the cycle ends, status max_iter.
        let o = WeightingOptions {
            trim_upper: Some(2.0),
            trim_relative_to_mean: true,
            on_nonconvergence: crate::weighting::OnNonConvergence::Warn,
            ..Default::default()
        };
        let r = rake(&[&a, &b], &targets, None, &o).unwrap();
        assert_eq!(r.status, FitStatus::MaxIter);
        assert_eq!(r.method, "rake_trim");
        // A feasible cap: level-1 rows need 15 each; cap at 7 × mean = 17.5.
        let o = WeightingOptions {
            trim_upper: Some(7.0),
            trim_relative_to_mean: true,
            ..Default::default()
        };
        let r = rake(&[&a, &b], &targets, None, &o).unwrap();
        assert_eq!(r.status, FitStatus::Converged);
        assert!(r.max_rel_error <= 1e-10);
        assert!(
            r.weights.iter().all(|&w| w <= 7.0 * mean * (1.0 + 1e-9)),
            "{:?}",
            r.diagnostics
        );
    }
}
