//! Calibration (Deville & Särndal 1992) to the margins of categorical variables with the linear, raking
//! and logit distances, optionally bounded, by safeguarded Newton on the dual; IPF is the fallback for
//! the raking distance.

use super::rake::ipf;
use super::{
    finish, prepare_targets, CellTable, Distance, FitStatus, Targets, WeightingOptions,
    WeightingResult,
};
use crate::error::{CxkpiError, Result};
use crate::stats::NeumaierSum;

/// Calibrates base weights (or 1) to the margins of `codes` with the distance in `opts.distance`
/// (default linear), optionally bounding the adjustment g = w / base to `opts.bounds`.
///
/// ```
/// use cxkpi::weighting::{calibrate, Distance, WeightingOptions};
/// let a = [0u32, 0, 0, 1, 1, 0];
/// let b = [0u32, 1, 0, 1, 0, 0];
/// let opts = WeightingOptions { distance: Distance::Raking, ..Default::default() };
/// let r = calibrate(&[&a, &b], &[&[50.0, 50.0], &[60.0, 40.0]], None, &opts).unwrap();
/// assert!(r.max_rel_error <= 1e-10);
/// ```
pub fn calibrate(
    codes: &[&[u32]],
    targets: &[&[f64]],
    base: Option<&[f64]>,
    opts: &WeightingOptions,
) -> Result<WeightingResult> {
    opts.validate()?;
    if opts.trim_upper.is_some() || opts.trim_lower.is_some() {
        return Err(CxkpiError::invalid(
            "trim_upper",
            "calibrate bounds weights with `bounds` or `weight_bounds`; trim bounds are for rake",
        ));
    }
    if codes.len() != targets.len() {
        return Err(CxkpiError::LengthMismatch {
            arg: "targets".into(),
            len: targets.len(),
            other: "codes".into(),
            other_len: codes.len(),
        });
    }
    let mut levels: Vec<usize> = targets.iter().map(|t| t.len()).collect();
    // Bounds on absolute weights become bounds on g = w / base per row (as R's bounds.const = TRUE), so
    // rows with different base weights must not share a cell: the base weight joins the cell key.
    let base_codes: Option<Vec<u32>> = match (opts.weight_bounds, base) {
        (Some(_), Some(b)) => Some(super::rake::base_weight_codes(b, &mut levels)),
        _ => None,
    };
    let mut all_codes: Vec<&[u32]> = codes.to_vec();
    if let Some(bc) = &base_codes {
        all_codes.push(bc);
    }
    let cells = CellTable::build(&all_codes, &levels, base)?;
    let t = prepare_targets(&cells, targets, opts)?;
    let bounds = cell_bounds(&cells, opts)?;
    check_bounds_feasible(&cells, &t, bounds.as_deref())?;
    let (g, status, iters) = match newton(&cells, &t, opts, bounds.as_deref()) {
        Some((g, iters)) => (g, FitStatus::Converged, iters),
        None if opts.distance == Distance::Raking && bounds.is_none() => ipf(&cells, &t, opts),
        None => {
            let (g, iters) = newton_last(&cells, &t, opts, bounds.as_deref());
            (g, FitStatus::Stalled, iters)
        }
    };
    check_nonnegative(&cells, &g)?;
    finish(
        "calibrate",
        Some(opts.distance),
        &cells,
        &t,
        g,
        status,
        iters,
        base,
        opts,
    )
}

/// Per-cell bounds on g: the bounds on g intersected with the weight bounds divided by the cell's base weight.
/// Calibration on merged per-cell aggregates ([`super::CellPartial`]): the same fit as [`calibrate`] on the
/// union of the shards' rows, returned as per-cell adjustments that each shard applies to its own rows with
/// [`super::CellWeights::apply`]. Bounds on the adjustment (`bounds`) work as in `calibrate`; bounds on
/// absolute weights (`weight_bounds`) need each row's base weight and are refused (`unsupported`).
///
/// ```
/// use cxkpi::weighting::{calibrate, calibrate_cells, CellPartial, Distance, WeightingOptions};
/// let (a1, b1) = ([0u32, 0, 1], [0u32, 1, 1]);
/// let (a2, b2) = ([0u32, 1, 1], [0u32, 0, 1]);
/// let mut p = CellPartial::from_codes(&[&a1, &b1], &[2, 2], None).unwrap();
/// p.merge(&CellPartial::from_codes(&[&a2, &b2], &[2, 2], None).unwrap()).unwrap();
/// // Six respondents standing for six customers: adjustments within [0.5, 3].
/// let t: [&[f64]; 2] = [&[2.4, 3.6], &[1.8, 4.2]];
/// let o = WeightingOptions { distance: Distance::Logit, bounds: Some((0.5, 3.0)), ..Default::default() };
/// let cw = calibrate_cells(&p, &t, &o).unwrap();
/// let mut w = cw.apply(&[&a1, &b1], None).unwrap();
/// w.extend(cw.apply(&[&a2, &b2], None).unwrap());
/// let whole = calibrate(&[&[0, 0, 1, 0, 1, 1], &[0, 1, 1, 0, 0, 1]], &t, None, &o).unwrap();
/// for (x, y) in w.iter().zip(&whole.weights) { assert!((x - y).abs() < 1e-10 * y); }
/// ```
pub fn calibrate_cells(
    cells: &super::CellPartial,
    targets: &[&[f64]],
    opts: &WeightingOptions,
) -> Result<super::CellWeights> {
    opts.validate()?;
    if opts.trim_upper.is_some() || opts.trim_lower.is_some() {
        return Err(CxkpiError::invalid(
            "trim_upper",
            "calibrate bounds weights with `bounds`; trim bounds are for rake",
        ));
    }
    if opts.weight_bounds.is_some() {
        return Err(CxkpiError::Unsupported {
            message: "weight_bounds bound each row's weight, which needs the rows: use calibrate, or bounds on \
                      the adjustment (`bounds`) with calibrate_cells"
                .into(),
        });
    }
    let table = cells.table_for(targets)?;
    let t = prepare_targets(&table, targets, opts)?;
    let bounds = cell_bounds(&table, opts)?;
    check_bounds_feasible(&table, &t, bounds.as_deref())?;
    let (g, status, iters) = match newton(&table, &t, opts, bounds.as_deref()) {
        Some((g, iters)) => (g, FitStatus::Converged, iters),
        None if opts.distance == Distance::Raking && bounds.is_none() => ipf(&table, &t, opts),
        None => {
            let (g, iters) = newton_last(&table, &t, opts, bounds.as_deref());
            (g, FitStatus::Stalled, iters)
        }
    };
    if status != FitStatus::Converged && opts.on_nonconvergence == super::OnNonConvergence::Error {
        let mass: Vec<f64> = table
            .base_total
            .iter()
            .zip(&g)
            .map(|(b, g)| b * g)
            .collect();
        return Err(CxkpiError::NotConverged {
            method: "calibrate".into(),
            iterations: iters,
            max_rel_error: super::rake::max_rel_error(&table, &t, &mass),
            tolerance: opts.tolerance,
        });
    }
    check_nonnegative(&table, &g)?;
    Ok(super::CellWeights {
        levels: table.levels.clone(),
        keys: cells.keys.clone(),
        g,
    })
}

/// Linear calibration without bounds can reach the targets only with negative adjustments: an error that
/// says so (and what to do), instead of negative weights.
fn check_nonnegative(cells: &CellTable, g: &[f64]) -> Result<()> {
    if let Some(c) = g.iter().position(|&x| x < 0.0) {
        let key: Vec<String> = (0..cells.levels.len())
            .map(|v| format!("variable {v} level {}", cells.cell_levels[v][c]))
            .collect();
        return Err(CxkpiError::Infeasible {
            message: format!(
                "the linear distance reaches the targets only with negative weights (adjustment {:.6} in the cell \
                 {}); give `bounds` (e.g. [0, 10]) or use the raking or logit distance",
                g[c],
                key.join(", ")
            ),
        });
    }
    Ok(())
}

fn cell_bounds(cells: &CellTable, opts: &WeightingOptions) -> Result<Option<Vec<(f64, f64)>>> {
    if opts.bounds.is_none() && opts.weight_bounds.is_none() {
        return Ok(None);
    }
    let (glo, ghi) = opts.bounds.unwrap_or((f64::NEG_INFINITY, f64::INFINITY));
    (0..cells.n_cells())
        .map(|c| {
            let b = cells.base_total[c] / cells.count[c] as f64;
            let (lo, hi) = match opts.weight_bounds {
                Some((wlo, whi)) => (glo.max(wlo / b), ghi.min(whi / b)),
                None => (glo, ghi),
            };
            if lo > hi {
                return Err(CxkpiError::Infeasible {
                    message: format!(
                        "a base weight of {b} cannot meet both the g bounds [{glo}, {ghi}] and the weight bounds {:?}",
                        opts.weight_bounds
                    ),
                });
            }
            Ok((lo, hi))
        })
        .collect::<Result<Vec<_>>>()
        .map(Some)
}

/// Every level's target must be reachable with every g inside its bounds.
fn check_bounds_feasible(
    cells: &CellTable,
    t: &Targets,
    bounds: Option<&[(f64, f64)]>,
) -> Result<()> {
    let Some(bounds) = bounds else {
        return Ok(());
    };
    let lo_mass: Vec<f64> = cells
        .base_total
        .iter()
        .zip(bounds)
        .map(|(b, (lo, _))| b * lo)
        .collect();
    let hi_mass: Vec<f64> = cells
        .base_total
        .iter()
        .zip(bounds)
        .map(|(b, (_, hi))| b * hi)
        .collect();
    for (v, target) in t.per_var.iter().enumerate() {
        let (low, high) = (cells.margin(v, &lo_mass), cells.margin(v, &hi_mass));
        for (l, &tt) in target.iter().enumerate() {
            if tt < low[l] * (1.0 - 1e-12) || tt > high[l] * (1.0 + 1e-12) {
                return Err(CxkpiError::Infeasible {
                    message: format!(
                        "variable {v}, level {l}: target {tt} is outside [{}, {}], the totals reachable within the bounds",
                        low[l], high[l]
                    ),
                });
            }
        }
    }
    Ok(())
}

/// The design: intercept plus indicators of every sampled non-reference level (the first sampled level of
/// each variable is the reference). Returns (per-cell column lists, target vector).
fn design(cells: &CellTable, t: &Targets) -> (Vec<Vec<usize>>, Vec<f64>) {
    let nc = cells.n_cells();
    let mut cols: Vec<Vec<usize>> = vec![vec![0]; nc];
    let total = NeumaierSum::of(&t.per_var[0]);
    let mut target = vec![total];
    for (v, tv) in t.per_var.iter().enumerate() {
        let mut sampled = vec![false; tv.len()];
        for c in 0..nc {
            sampled[cells.cell_levels[v][c] as usize] = true;
        }
        let reference = sampled.iter().position(|&s| s).expect("a sampled level");
        let mut col_of = vec![usize::MAX; tv.len()];
        for l in (0..tv.len()).filter(|&l| sampled[l] && l != reference) {
            col_of[l] = target.len();
            target.push(tv[l]);
        }
        for c in 0..nc {
            let k = col_of[cells.cell_levels[v][c] as usize];
            if k != usize::MAX {
                cols[c].push(k);
            }
        }
    }
    (cols, target)
}

/// g = F(u) and dF/du for the distance, with bounds (truncation for linear and raking).
fn dist(d: Distance, bounds: Option<(f64, f64)>, u: f64) -> (f64, f64) {
    match d {
        Distance::Linear | Distance::Raking => {
            let (g, dg) = if d == Distance::Linear {
                (1.0 + u, 1.0)
            } else {
                (u.exp(), u.exp())
            };
            match bounds {
                Some((lo, _)) if g < lo => (lo, 0.0),
                Some((_, hi)) if g > hi => (hi, 0.0),
                _ => (g, dg),
            }
        }
        Distance::Logit => {
            let (l, h) = bounds.expect("validated: logit has bounds");
            let a = (h - l) / ((1.0 - l) * (h - 1.0));
            // g = (l(h−1) + h(1−l)E) / ((h−1) + (1−l)E), E = e^{a u}; written with e^{−|a u|} to avoid overflow.
            let (p, q) = (h - 1.0, 1.0 - l);
            if a * u <= 0.0 {
                let e = (a * u).exp();
                let den = p + q * e;
                (
                    (l * p + h * q * e) / den,
                    a * e * p * q * (h - l) / (den * den),
                )
            } else {
                let e = (-a * u).exp();
                let den = p * e + q;
                (
                    (l * p * e + h * q) / den,
                    a * e * p * q * (h - l) / (den * den),
                )
            }
        }
    }
}

/// Newton on the calibration equations Σ_c d_c F(x_c'λ) x_c = T with a backtracking line search on the
/// largest relative residual. `None` when it cannot reach the tolerance.
fn newton(
    cells: &CellTable,
    t: &Targets,
    opts: &WeightingOptions,
    bounds: Option<&[(f64, f64)]>,
) -> Option<(Vec<f64>, u32)> {
    let (cols, target) = design(cells, t);
    let p = target.len();
    let mut lambda = vec![0.0; p];
    let eval = |lambda: &[f64]| -> (Vec<f64>, Vec<f64>, Vec<f64>) {
        let mut g = Vec::with_capacity(cols.len());
        let mut dg = Vec::with_capacity(cols.len());
        let mut fitted = vec![NeumaierSum::default(); p];
        for (c, cc) in cols.iter().enumerate() {
            let u: f64 = cc.iter().map(|&k| lambda[k]).sum();
            let (gi, di) = dist(opts.distance, bounds.map(|b| b[c]), u);
            for &k in cc {
                fitted[k].add(cells.base_total[c] * gi);
            }
            g.push(gi);
            dg.push(di);
        }
        let resid: Vec<f64> = fitted
            .iter()
            .zip(&target)
            .map(|(f, t)| f.value() - t)
            .collect();
        (g, dg, resid)
    };
    let size = |r: &[f64]| {
        r.iter()
            .zip(&target)
            .fold(0.0f64, |m, (r, t)| m.max((r / t).abs()))
    };
    let (mut g, mut dg, mut resid) = eval(&lambda);
    for iter in 0..opts.max_sweeps {
        if size(&resid) <= opts.tolerance * 0.5 {
            return Some((g, iter));
        }
        // J = Σ d_c F'(u_c) x_c x_c' (+ a tiny ridge for cells at a bound).
        let mut jac = vec![0.0; p * p];
        for (c, cc) in cols.iter().enumerate() {
            let w = cells.base_total[c] * dg[c];
            for &a in cc {
                for &b in cc {
                    jac[a * p + b] += w;
                }
            }
        }
        for k in 0..p {
            jac[k * p + k] += 1e-12 * target[0];
        }
        let step = solve(&mut jac, &resid.iter().map(|r| -r).collect::<Vec<_>>(), p)?;
        let current = size(&resid);
        let mut alpha = 1.0;
        loop {
            let trial: Vec<f64> = lambda
                .iter()
                .zip(&step)
                .map(|(l, s)| l + alpha * s)
                .collect();
            let (g2, dg2, r2) = eval(&trial);
            if size(&r2) < current || alpha < 1e-10 {
                if size(&r2) >= current {
                    return None;
                }
                lambda = trial;
                g = g2;
                dg = dg2;
                resid = r2;
                break;
            }
            alpha *= 0.5;
        }
    }
    (size(&resid) <= opts.tolerance * 0.5).then_some((g, opts.max_sweeps))
}

/// The best Newton iterate, for reporting when the fit does not converge.
fn newton_last(
    cells: &CellTable,
    t: &Targets,
    opts: &WeightingOptions,
    bounds: Option<&[(f64, f64)]>,
) -> (Vec<f64>, u32) {
    let o = WeightingOptions {
        tolerance: f64::MIN_POSITIVE,
        max_sweeps: opts.max_sweeps.min(50),
        ..opts.clone()
    };
    match newton(cells, t, &o, bounds) {
        Some(r) => r,
        None => (vec![1.0; cells.n_cells()], 0),
    }
}

/// Solves the small dense system `a x = b` (p × p, row-major) by Gaussian elimination with partial
/// pivoting; `None` when singular. The systems are tiny (one unknown per calibration level).
fn solve(a: &mut [f64], b: &[f64], p: usize) -> Option<Vec<f64>> {
    let mut x = b.to_vec();
    for col in 0..p {
        let piv =
            (col..p).max_by(|&i, &j| a[i * p + col].abs().total_cmp(&a[j * p + col].abs()))?;
        if a[piv * p + col].abs() < 1e-300 {
            return None;
        }
        if piv != col {
            for k in 0..p {
                a.swap(piv * p + k, col * p + k);
            }
            x.swap(piv, col);
        }
        for r in col + 1..p {
            let f = a[r * p + col] / a[col * p + col];
            if f != 0.0 {
                for k in col..p {
                    a[r * p + k] -= f * a[col * p + k];
                }
                x[r] -= f * x[col];
            }
        }
    }
    for col in (0..p).rev() {
        let s: f64 = (col + 1..p).map(|k| a[col * p + k] * x[k]).sum();
        x[col] = (x[col] - s) / a[col * p + col];
    }
    Some(x)
}
