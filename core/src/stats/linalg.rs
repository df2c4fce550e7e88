//! Linear-algebra plumbing shared by OLS and logistic regression: the centred design, deterministic
//! blocked cross-product accumulation (fixed blocks, merged in order with compensated sums, so the result
//! does not depend on the thread count) and a Cholesky factorisation (nalgebra) of the scaled Gram matrix
//! that names the first collinear column.

use crate::error::{CxkpiError, Result};
use crate::stats::check;
use crate::stats::sum::NeumaierSum;
use nalgebra::{DMatrix, DVector};
use rayon::prelude::*;

/// Rows per block of the deterministic accumulation.
const BLOCK: usize = 4096;

/// Sums `len` accumulators over rows 0..n: `f(i, scratch, acc)` adds row i's contribution to `acc`;
/// `scratch` (length `scratch_len`) is per-block work space. Blocks of 4096 rows are summed plainly and
/// merged in block order with Neumaier sums.
pub(crate) fn blocked_sum<F>(n: usize, scratch_len: usize, len: usize, f: F) -> Vec<f64>
where
    F: Fn(usize, &mut [f64], &mut [f64]) + Sync,
{
    let nblocks = n.div_ceil(BLOCK);
    let partials: Vec<Vec<f64>> = (0..nblocks)
        .into_par_iter()
        .map(|b| {
            let mut acc = vec![0.0; len];
            let mut scratch = vec![0.0; scratch_len];
            for i in b * BLOCK..((b + 1) * BLOCK).min(n) {
                f(i, &mut scratch, &mut acc);
            }
            acc
        })
        .collect();
    let mut sums = vec![NeumaierSum::default(); len];
    for part in &partials {
        for (s, &v) in sums.iter_mut().zip(part) {
            s.add(v);
        }
    }
    sums.iter().map(|s| s.value()).collect()
}

/// The regression design: optional intercept column of ones, then the predictors centred at their means
/// when there is an intercept (centring conditions the Gram matrix; the intercept is mapped back after).
pub(crate) struct Design<'a> {
    pub cols: &'a [&'a [f64]],
    pub means: Vec<f64>,
    pub intercept: bool,
    pub n: usize,
    pub p: usize,
    pub names: Vec<String>,
}

impl<'a> Design<'a> {
    pub fn new(
        y_len: usize,
        cols: &'a [&'a [f64]],
        intercept: bool,
        names: Option<&[String]>,
    ) -> Result<Self> {
        for (j, c) in cols.iter().enumerate() {
            let name = format!("x[{j}]");
            check::same_len(&name, c.len(), "y", y_len)?;
            check::finite(&name, c)?;
        }
        let m = cols.len();
        let p = m + usize::from(intercept);
        if p == 0 {
            return Err(CxkpiError::invalid(
                "x",
                "no predictors and no intercept: nothing to fit",
            ));
        }
        let pred_names: Vec<String> = match names {
            Some(nm) => {
                check::same_len("names", nm.len(), "x", m)?;
                nm.to_vec()
            }
            None => (0..m).map(|j| format!("x{}", j + 1)).collect(),
        };
        let mut all = Vec::with_capacity(p);
        if intercept {
            all.push("intercept".to_string());
        }
        all.extend(pred_names);
        let means = if intercept {
            column_means(y_len, cols)
        } else {
            vec![0.0; m]
        };
        Ok(Design {
            cols,
            means,
            intercept,
            n: y_len,
            p,
            names: all,
        })
    }

    /// Writes row i of the (centred) design into `z`.
    #[inline]
    pub fn row(&self, i: usize, z: &mut [f64]) {
        let off = usize::from(self.intercept);
        if self.intercept {
            z[0] = 1.0;
        }
        for (j, c) in self.cols.iter().enumerate() {
            z[off + j] = c[i] - self.means[j];
        }
    }

    /// The map A from centred-design coefficients γ to original coefficients θ = A γ.
    pub fn back_transform(&self) -> DMatrix<f64> {
        let mut a = DMatrix::identity(self.p, self.p);
        if self.intercept {
            for (j, &m) in self.means.iter().enumerate() {
                a[(0, j + 1)] = -m;
            }
        }
        a
    }
}

/// Index of (a, b), a ≤ b, in a packed upper triangle of a p×p matrix.
#[inline]
pub(crate) fn packed(p: usize, a: usize, b: usize) -> usize {
    a * p - a * (a + 1) / 2 + b
}

/// Adds w·z·zᵀ into a packed upper triangle.
#[inline]
pub(crate) fn add_outer(acc: &mut [f64], z: &[f64], w: f64) {
    let p = z.len();
    let mut rest = &mut acc[..p * (p + 1) / 2];
    for a in 0..p {
        let wa = w * z[a];
        let (row, tail) = rest.split_at_mut(p - a);
        for (r, &zb) in row.iter_mut().zip(&z[a..]) {
            *r += wa * zb;
        }
        rest = tail;
    }
}

/// z·γ.
#[inline]
pub(crate) fn dot(z: &[f64], g: &[f64]) -> f64 {
    z.iter().zip(g).map(|(a, b)| a * b).sum()
}

/// Column means of `cols` in one deterministic blocked pass (compensated across blocks).
pub(crate) fn column_means(n: usize, cols: &[&[f64]]) -> Vec<f64> {
    let m = cols.len();
    let s = blocked_sum(n, 0, m, |i, _, acc| {
        for (a, c) in acc.iter_mut().zip(cols) {
            *a += c[i];
        }
    });
    s.into_iter().map(|v| v / n as f64).collect()
}

/// Unpacks a packed upper triangle into a symmetric matrix.
pub(crate) fn unpack(p: usize, v: &[f64]) -> DMatrix<f64> {
    let mut m = DMatrix::zeros(p, p);
    for a in 0..p {
        for b in a..p {
            let x = v[packed(p, a, b)];
            m[(a, b)] = x;
            m[(b, a)] = x;
        }
    }
    m
}

/// Cholesky factorisation of a symmetric positive-definite matrix after scaling it to unit diagonal;
/// a column whose scaled pivot falls below `tol` (it is a linear combination of the columns before it up
/// to 1 - R² < tol) is reported by name as `invalid_argument` on `arg`.
pub(crate) struct Chol {
    scale: DVector<f64>,
    chol: nalgebra::Cholesky<f64, nalgebra::Dyn>,
}

/// Pivot tolerance: 1 - R² of a column on the ones before it below this is treated as collinear.
pub(crate) const SINGULAR_TOL: f64 = 1e-12;

impl Chol {
    pub fn new(g: &DMatrix<f64>, names: &[String], arg: &str) -> Result<Chol> {
        let p = g.nrows();
        let mut scale = DVector::zeros(p);
        for j in 0..p {
            let d = g[(j, j)];
            if d <= 0.0 || !d.is_finite() {
                return Err(singular(arg, &names[j], j, 0.0));
            }
            scale[j] = 1.0 / d.sqrt();
        }
        let mut gs = g.clone();
        for a in 0..p {
            for b in 0..p {
                gs[(a, b)] *= scale[a] * scale[b];
            }
        }
        match nalgebra::Cholesky::new(gs.clone()) {
            Some(chol) => {
                let l = chol.l_dirty();
                for j in 0..p {
                    let piv = l[(j, j)] * l[(j, j)];
                    if piv < SINGULAR_TOL {
                        return Err(singular(arg, &names[j], j, piv));
                    }
                }
                Ok(Chol { scale, chol })
            }
            None => {
                // find the first leading block that is not positive definite
                for j in 1..=p {
                    let sub = gs.view((0, 0), (j, j)).into_owned();
                    if nalgebra::Cholesky::new(sub).is_none() {
                        return Err(singular(arg, &names[j - 1], j - 1, 0.0));
                    }
                }
                Err(singular(arg, &names[p - 1], p - 1, 0.0))
            }
        }
    }

    /// Solves G x = b.
    pub fn solve(&self, b: &DVector<f64>) -> DVector<f64> {
        let sb = b.component_mul(&self.scale);
        let x = self.chol.solve(&sb);
        x.component_mul(&self.scale)
    }

    /// G⁻¹.
    pub fn inverse(&self) -> DMatrix<f64> {
        let mut inv = self.chol.inverse();
        let p = inv.nrows();
        for a in 0..p {
            for b in 0..p {
                inv[(a, b)] *= self.scale[a] * self.scale[b];
            }
        }
        inv
    }
}

fn singular(arg: &str, name: &str, j: usize, piv: f64) -> CxkpiError {
    CxkpiError::invalid(
        arg,
        format!(
            "the design is singular: column {j} (`{name}`) is constant or a linear combination of the columns before it (1 - R² = {piv:.3e})"
        ),
    )
}
