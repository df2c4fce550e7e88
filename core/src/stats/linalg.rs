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
pub(crate) const BLOCK: usize = 4096;

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

/// Where the predictor values live: one slice per predictor, or one row-major table (rows × `ncols`, e.g.
/// a C-ordered 2-D numpy array, read in place).
#[derive(Clone, Copy)]
pub(crate) enum Source<'a> {
    Columns(&'a [&'a [f64]]),
    Rows { data: &'a [f64], ncols: usize },
}

/// The regression design: optional intercept column of ones, then the predictors centred at their means
/// when there is an intercept (centring conditions the Gram matrix; the intercept is mapped back after).
pub(crate) struct Design<'a> {
    pub src: Source<'a>,
    pub means: Vec<f64>,
    pub intercept: bool,
    pub n: usize,
    pub p: usize,
    pub names: Vec<String>,
}

impl<'a> Design<'a> {
    /// A design from predictor columns.
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
        Self::build(y_len, Source::Columns(cols), cols.len(), intercept, names)
    }

    /// A design from a row-major table `data` of `y_len` rows × `ncols` predictors.
    pub fn from_rows(
        y_len: usize,
        data: &'a [f64],
        ncols: usize,
        intercept: bool,
        names: Option<&[String]>,
    ) -> Result<Self> {
        if ncols == 0 && !data.is_empty() {
            return Err(CxkpiError::invalid(
                "x",
                "a table with values but zero columns",
            ));
        }
        check::same_len("x (rows)", data.len() / ncols.max(1), "y", y_len)?;
        if data.len() != y_len * ncols {
            return Err(CxkpiError::invalid(
                "x",
                format!(
                    "a row-major table of {y_len} rows x {ncols} columns needs {} values, got {}",
                    y_len * ncols,
                    data.len()
                ),
            ));
        }
        if let Some(k) = data.iter().position(|v| !v.is_finite()) {
            let (i, j) = (k / ncols, k % ncols);
            return Err(if data[k].is_nan() {
                CxkpiError::MissingValue {
                    arg: format!("x[{j}]"),
                    index: i,
                }
            } else {
                CxkpiError::invalid(
                    &format!("x[{j}]"),
                    format!("element {i} = {}; values must be finite", data[k]),
                )
            });
        }
        Self::build(y_len, Source::Rows { data, ncols }, ncols, intercept, names)
    }

    fn build(
        y_len: usize,
        src: Source<'a>,
        m: usize,
        intercept: bool,
        names: Option<&[String]>,
    ) -> Result<Self> {
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
        let mut d = Design {
            src,
            means: vec![0.0; m],
            intercept,
            n: y_len,
            p,
            names: all,
        };
        if intercept {
            d.means = column_means(&d);
        }
        Ok(d)
    }

    /// Number of predictors (without the intercept).
    pub fn m(&self) -> usize {
        self.p - usize::from(self.intercept)
    }

    /// Raw (uncentred) value of predictor j in row i.
    #[inline]
    pub fn raw(&self, i: usize, j: usize) -> f64 {
        match self.src {
            Source::Columns(c) => c[j][i],
            Source::Rows { data, ncols } => data[i * ncols + j],
        }
    }

    /// Compensated Σ(x - x̄)² of predictor j (raw values, whatever the centring).
    pub fn column_ss(&self, j: usize) -> f64 {
        let mut s = NeumaierSum::default();
        (0..self.n).for_each(|i| s.add(self.raw(i, j)));
        let m = s.value() / self.n as f64;
        let mut q = NeumaierSum::default();
        (0..self.n).for_each(|i| {
            let v = self.raw(i, j) - m;
            q.add(v * v)
        });
        q.value()
    }

    /// Writes rows `i0..i0 + len` of the (centred) design into `z`, column-major: column j occupies
    /// `z[j * len..(j + 1) * len]` (the intercept, when present, is column 0, all ones).
    pub fn block(&self, i0: usize, len: usize, z: &mut [f64]) {
        let off = usize::from(self.intercept);
        if self.intercept {
            z[..len].fill(1.0);
        }
        match self.src {
            Source::Columns(cols) => {
                for (j, c) in cols.iter().enumerate() {
                    let m = self.means[j];
                    let dst = &mut z[(off + j) * len..(off + j + 1) * len];
                    for (d, &v) in dst.iter_mut().zip(&c[i0..i0 + len]) {
                        *d = v - m;
                    }
                }
            }
            Source::Rows { data, ncols } => {
                let rows = &data[i0 * ncols..(i0 + len) * ncols];
                for (k, row) in rows.chunks_exact(ncols).enumerate() {
                    for (j, &v) in row.iter().enumerate() {
                        z[(off + j) * len + k] = v - self.means[j];
                    }
                }
            }
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

/// Sums `len` accumulators over the design's rows block by block: `f(i0, bl, z, scratch, acc)` gets rows
/// `i0..i0 + bl` as a column-major block `z` (see [`Design::block`]) and a per-thread scratch of
/// `scratch_len` values, and adds the block's contribution to `acc`. Blocks of 4096 rows are merged in block
/// order with Neumaier sums, so the result does not depend on the thread count.
pub(crate) fn block_sum<F>(d: &Design, scratch_len: usize, len: usize, f: F) -> Vec<f64>
where
    F: Fn(usize, usize, &[f64], &mut [f64], &mut [f64]) + Sync,
{
    let n = d.n;
    let nblocks = n.div_ceil(BLOCK);
    let zlen = d.p * BLOCK;
    let partials: Vec<Vec<f64>> = (0..nblocks)
        .into_par_iter()
        .map_init(
            || (vec![0.0; zlen], vec![0.0; scratch_len]),
            |(z, scratch), b| {
                let i0 = b * BLOCK;
                let bl = BLOCK.min(n - i0);
                d.block(i0, bl, z);
                let mut acc = vec![0.0; len];
                f(i0, bl, &z[..d.p * bl], scratch, &mut acc);
                acc
            },
        )
        .collect();
    let mut sums = vec![NeumaierSum::default(); len];
    for part in &partials {
        for (s, &v) in sums.iter_mut().zip(part) {
            s.add(v);
        }
    }
    sums.iter().map(|s| s.value()).collect()
}

/// Σ a·b in eight fixed lanes (vectorisable, and the same bits on every machine: no fused multiply-add
/// is introduced by the compiler).
#[inline]
pub(crate) fn dot_lanes(a: &[f64], b: &[f64]) -> f64 {
    let mut s = [0.0f64; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for k in 0..8 {
            s[k] += x[k] * y[k];
        }
    }
    let mut t = ((s[0] + s[4]) + (s[1] + s[5])) + ((s[2] + s[6]) + (s[3] + s[7]));
    for (x, y) in ra.iter().zip(rb) {
        t += x * y;
    }
    t
}

/// Adds the packed upper triangle of ZᵀZ of a column-major block `z` (`p` columns of `bl` rows) to `acc`.
#[inline]
pub(crate) fn gram_block(z: &[f64], bl: usize, p: usize, acc: &mut [f64]) {
    for a in 0..p {
        let za = &z[a * bl..(a + 1) * bl];
        for b in a..p {
            acc[packed(p, a, b)] += dot_lanes(za, &z[b * bl..(b + 1) * bl]);
        }
    }
}

/// Adds the packed upper triangle of Zᵀ diag(w) Z to `acc`; `tmp` is scratch of `bl` values.
#[inline]
pub(crate) fn gram_block_w(
    z: &[f64],
    bl: usize,
    p: usize,
    w: &[f64],
    tmp: &mut [f64],
    acc: &mut [f64],
) {
    let tmp = &mut tmp[..bl];
    for a in 0..p {
        let za = &z[a * bl..(a + 1) * bl];
        for ((t, &x), &wi) in tmp.iter_mut().zip(za).zip(w) {
            *t = x * wi;
        }
        for b in a..p {
            acc[packed(p, a, b)] += dot_lanes(tmp, &z[b * bl..(b + 1) * bl]);
        }
    }
}

/// Adds Zᵀv of a column-major block to `acc` (length p).
#[inline]
pub(crate) fn xtv_block(z: &[f64], bl: usize, v: &[f64], acc: &mut [f64]) {
    for (a, s) in acc.iter_mut().enumerate() {
        *s += dot_lanes(&z[a * bl..(a + 1) * bl], v);
    }
}

/// out = Z·g for a column-major block (`out` of length bl), accumulated column by column.
#[inline]
pub(crate) fn xb_block(z: &[f64], bl: usize, g: &[f64], out: &mut [f64]) {
    let out = &mut out[..bl];
    out.fill(0.0);
    for (a, &ga) in g.iter().enumerate() {
        for (o, &x) in out.iter_mut().zip(&z[a * bl..(a + 1) * bl]) {
            *o += ga * x;
        }
    }
}

/// Index of (a, b), a ≤ b, in a packed upper triangle of a p×p matrix.
#[inline]
pub(crate) fn packed(p: usize, a: usize, b: usize) -> usize {
    a * p - a * (a + 1) / 2 + b
}

/// Means of the design's predictors in one deterministic blocked pass (compensated across blocks).
fn column_means(d: &Design) -> Vec<f64> {
    let (n, m) = (d.n, d.m());
    let s = blocked_sum(n, 0, m, |i, _, acc| {
        for (j, a) in acc.iter_mut().enumerate() {
            *a += d.raw(i, j);
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
