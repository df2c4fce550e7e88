//! Grouped computation in one pass: any metric by one or more integer key columns.
//!
//! Rows are assigned to cells (distinct key combinations) in one pass that accumulates each cell's
//! mergeable sufficient statistics; each cell is then finished exactly like the ungrouped function,
//! so a group's row equals the metric computed on that group alone.

use super::mean::{MeanIntervalOptions, MeanOptions, MeanSpec};
use super::nps::{NetIntervalOptions, NpsBands, NpsOptions};
use super::sentiment::SentimentOptions;
use super::share::{Binomial, BoxSpec, ShareOptions, TopBoxOptions};
use super::trinomial::Trinomial;
use crate::error::{CxkpiError, Result};
use crate::options::{option_enum, OptionEnum, Options};
use crate::scale::{
    bad_answer, check_lengths, check_value, check_weight, histogram_slot, is_valid, MissingPolicy,
    Scale, ValueCheck,
};
use crate::stats::WeightedMoments;
use std::collections::HashMap;

option_enum! {
    /// The metric computed per group.
    GroupMetric {
        Nps => "nps",
        TopBox => "top_box",
        Mean => "mean",
        Ces => "ces",
        Sentiment => "sentiment",
    }
}

/// One row per group, as columns.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct GroupedResult {
    pub metric: GroupMetric,
    /// The key codes of each group: `keys[j][g]` is key column j of group g. Groups are ordered by
    /// their key tuple.
    pub keys: Vec<Vec<u32>>,
    pub n: Vec<u64>,
    pub n_missing: Vec<u64>,
    /// NPS (−100..100), share (0..1), mean, or net sentiment (−1..1); `None` when `status` is not "ok".
    pub estimate: Vec<Option<f64>>,
    /// The SE used by the interval; `None` when undefined.
    pub se: Vec<Option<f64>>,
    pub lower: Vec<Option<f64>>,
    pub upper: Vec<Option<f64>>,
    pub effective_n: Vec<Option<f64>>,
    pub weight_sum: Vec<Option<f64>>,
    /// "ok" or the kind of error that made the group's estimate undefined (e.g. "insufficient_data").
    pub status: Vec<String>,
    /// Empty for "ok", else the error message.
    pub message: Vec<String>,
}

enum Acc {
    /// Unweighted answers on a scale: a histogram of `bins` scale points (from `first`) per cell, turned
    /// into the metric's own statistics once at the end (the hot path).
    Hist {
        bins: usize,
        first: i32,
        counts: Vec<u64>,
    },
    Net(Vec<Trinomial>),
    Share(Vec<Binomial>),
    Mean(Vec<WeightedMoments>),
}

impl Acc {
    /// Turns per-cell histograms into the metric's own statistics (other accumulators pass through).
    fn materialize(self, code: Coder, finisher: &Finisher) -> Acc {
        let Acc::Hist {
            bins,
            first,
            counts,
        } = self
        else {
            return self;
        };
        // Each cell's block is its `bins` scale points, then its missing count.
        let cells = counts.chunks_exact(bins + 1).map(|h| &h[..bins]);
        match finisher {
            Finisher::Nps(_) | Finisher::Sentiment(_) => Acc::Net(
                cells
                    .map(|h| {
                        let mut t = Trinomial::default();
                        t.add_histogram(h, first, |v| code.net(v));
                        t
                    })
                    .collect(),
            ),
            Finisher::Share(_) => Acc::Share(
                cells
                    .map(|h| {
                        let mut b = Binomial::default();
                        b.add_histogram(h, first, |v| code.hit(v));
                        b
                    })
                    .collect(),
            ),
            Finisher::Mean(..) => Acc::Mean(
                cells
                    .map(|h| WeightedMoments::from_histogram(h, first as f64))
                    .collect(),
            ),
        }
    }
}

/// Maps key tuples to cell indices in order of first appearance (for key spaces too large to index densely).
struct CellIndex<'a> {
    keys: &'a [&'a [u32]],
    map: HashMap<Vec<u32>, u32>,
    first_row: Vec<usize>,
}

impl<'a> CellIndex<'a> {
    fn new(keys: &'a [&'a [u32]]) -> Self {
        CellIndex {
            keys,
            map: HashMap::new(),
            first_row: Vec::new(),
        }
    }

    fn cell(&mut self, i: usize) -> usize {
        let key: Vec<u32> = self.keys.iter().map(|k| k[i]).collect();
        let next = self.first_row.len() as u32;
        let slot = *self.map.entry(key).or_insert(next);
        if slot == next {
            self.first_row.push(i);
        }
        slot as usize
    }
}

/// Key spaces up to this many cells are indexed densely and accumulated in parallel.
const PARALLEL_DENSE_LIMIT: u64 = 1 << 16;
/// Rows per part of the parallel split (fixed, so results do not depend on the machine).
const ROWS_PER_PART: usize = 1 << 18;
const MAX_PARTS: usize = 16;

/// What every row needs: the columns, the validation and the coding.
struct RowCtx<'a> {
    values: &'a [f64],
    weights: Option<&'a [f64]>,
    check: ValueCheck,
    missing: MissingPolicy,
    code: Coder,
    arg: &'a str,
}

/// Accumulators of a set of rows, one slot per cell.
struct Part {
    n_missing: Vec<u64>,
    n_valid: Vec<u64>,
    acc: Acc,
}

impl Part {
    fn new(kind: &Acc, cells: usize) -> Part {
        let acc = match kind {
            Acc::Hist { bins, first, .. } => Acc::Hist {
                bins: *bins,
                first: *first,
                counts: vec![0; cells * (bins + 1)],
            },
            Acc::Net(_) => Acc::Net(vec![Trinomial::default(); cells]),
            Acc::Share(_) => Acc::Share(vec![Binomial::default(); cells]),
            Acc::Mean(_) => Acc::Mean(vec![WeightedMoments::default(); cells]),
        };
        Part {
            n_missing: vec![0; cells],
            n_valid: vec![0; cells],
            acc,
        }
    }

    fn grow(&mut self, c: usize) {
        while c >= self.n_missing.len() {
            self.n_missing.push(0);
            self.n_valid.push(0);
            match &mut self.acc {
                Acc::Hist { bins, counts, .. } => counts.resize(counts.len() + *bins + 1, 0),
                Acc::Net(v) => v.push(Trinomial::default()),
                Acc::Share(v) => v.push(Binomial::default()),
                Acc::Mean(v) => v.push(WeightedMoments::default()),
            }
        }
    }

    /// One pass over `rows`: locate each row's cell, validate (the same checks and errors as the
    /// ungrouped functions, first bad row first), accumulate.
    fn accumulate(
        &mut self,
        x: &RowCtx<'_>,
        rows: std::ops::Range<usize>,
        mut locate: impl FnMut(usize) -> usize,
    ) -> Result<()> {
        if let Acc::Hist {
            bins,
            first,
            counts,
        } = &mut self.acc
        {
            // One branch-free increment per row: slot `bins` of a cell counts its missing answers.
            let (bins, lo, stride) = (*bins, *first as f64, *bins + 1);
            let scale = Scale {
                min: *first,
                max: *first + bins as i32 - 1,
            };
            let missing_ok = x.missing == MissingPolicy::Exclude;
            for i in rows {
                let c = locate(i);
                let v = x.values[i];
                let k = histogram_slot(v, lo, bins, missing_ok)
                    .ok_or_else(|| bad_answer(x.arg, i, v, scale))?;
                let slot = c * stride + k;
                if slot >= counts.len() {
                    counts.resize((c + 1) * stride, 0);
                }
                counts[slot] += 1;
            }
            let cells = counts.len() / stride;
            self.n_missing = (0..cells).map(|c| counts[c * stride + bins]).collect();
            self.n_valid = (0..cells)
                .map(|c| counts[c * stride..c * stride + bins].iter().sum())
                .collect();
            return Ok(());
        }
        let weighted = x.weights.is_some();
        for i in rows {
            let w = match x.weights {
                Some(ws) => check_weight(i, ws[i])?,
                None => 1.0,
            };
            let c = locate(i);
            if c >= self.n_missing.len() {
                self.grow(c);
            }
            let v = x.values[i];
            if v.is_nan() {
                if x.missing == MissingPolicy::Error {
                    return Err(CxkpiError::MissingValue {
                        arg: x.arg.into(),
                        index: i,
                    });
                }
                self.n_missing[c] += 1;
                continue;
            }
            if !is_valid(v, x.check) {
                check_value(x.arg, i, v, x.check)?;
            }
            self.n_valid[c] += 1;
            match &mut self.acc {
                Acc::Hist { .. } => unreachable!("histograms are counted above"),
                Acc::Net(t) => t[c].add(x.code.net(v), w),
                Acc::Share(b) => {
                    let h = x.code.hit(v);
                    if weighted {
                        b[c].add(h, w)
                    } else {
                        b[c].add_count(h)
                    }
                }
                Acc::Mean(m) => m[c].add(v, w),
            }
        }
        Ok(())
    }

    /// Adds another part with the same cells.
    fn merge(&mut self, o: &Part) {
        for (a, b) in self.n_missing.iter_mut().zip(&o.n_missing) {
            *a += b;
        }
        for (a, b) in self.n_valid.iter_mut().zip(&o.n_valid) {
            *a += b;
        }
        match (&mut self.acc, &o.acc) {
            (Acc::Hist { counts: a, .. }, Acc::Hist { counts: b, .. }) => {
                a.iter_mut().zip(b).for_each(|(x, y)| *x += y)
            }
            (Acc::Net(a), Acc::Net(b)) => a.iter_mut().zip(b).for_each(|(x, y)| x.merge(y)),
            (Acc::Share(a), Acc::Share(b)) => a.iter_mut().zip(b).for_each(|(x, y)| x.merge(y)),
            (Acc::Mean(a), Acc::Mean(b)) => a.iter_mut().zip(b).for_each(|(x, y)| x.merge(y)),
            _ => unreachable!("parts of one call share their accumulator kind"),
        }
    }
}

#[derive(Clone, Copy)]
enum Finisher {
    Nps(NetIntervalOptions),
    Share(ShareOptions),
    Mean(MeanSpec, MeanIntervalOptions),
    Sentiment(SentimentOptions),
}

/// Computes `metric` for every distinct combination of `keys` in one pass over the rows.
///
/// `options` are those of the metric's own function (e.g. `interval`, `confidence`, `scale_min`).
///
/// ```
/// use cxkpi::{grouped, options::Options};
/// let scores = [10.0, 9.0, 3.0, 8.0, 10.0, 0.0];
/// let region = [0u32, 0, 0, 1, 1, 1];
/// let g = grouped("nps", &scores, &[&region], None, &Options::new()).unwrap();
/// assert_eq!(g.keys, vec![vec![0, 1]]);
/// assert!((g.estimate[0].unwrap() - 100.0 / 3.0).abs() < 1e-12); // 2 promoters, 1 detractor
/// assert_eq!(g.estimate[1], Some(0.0));                         // 1 promoter, 1 passive, 1 detractor
/// ```
pub fn grouped(
    metric: &str,
    values: &[f64],
    keys: &[&[u32]],
    weights: Option<&[f64]>,
    options: &Options,
) -> Result<GroupedResult> {
    let metric = GroupMetric::parse("metric", metric)?;
    let arg = "values";
    if values.is_empty() {
        return Err(CxkpiError::EmptyInput { arg: arg.into() });
    }
    for (j, k) in keys.iter().enumerate() {
        if k.len() != values.len() {
            return Err(CxkpiError::LengthMismatch {
                arg: format!("keys[{j}]"),
                len: k.len(),
                other: arg.into(),
                other_len: values.len(),
            });
        }
    }
    check_lengths(arg, values.len(), weights)?;
    let weighted = weights.is_some();
    let (check, missing, finisher, mut acc, code): (
        ValueCheck,
        MissingPolicy,
        Finisher,
        Acc,
        Coder,
    ) = match metric {
        GroupMetric::Nps => {
            let o = NpsOptions::from_options(options)?;
            let b = o.bands;
            (
                scale_check(b.scale_min, b.scale_max),
                b.missing,
                Finisher::Nps(o.interval),
                Acc::Net(vec![]),
                Coder::Nps(b),
            )
        }
        GroupMetric::Sentiment => {
            let o = SentimentOptions::from_options(options)?;
            (
                scale_check(-1, 1),
                o.missing,
                Finisher::Sentiment(o),
                Acc::Net(vec![]),
                Coder::Sentiment,
            )
        }
        GroupMetric::TopBox => {
            let o = TopBoxOptions::from_options(options)?;
            let s = o.spec;
            (
                scale_check(s.scale_min, s.scale_max),
                s.missing,
                Finisher::Share(o.share),
                Acc::Share(vec![]),
                Coder::Box(s),
            )
        }
        GroupMetric::Mean | GroupMetric::Ces => {
            let o = if metric == GroupMetric::Ces {
                MeanOptions::ces_from_options(options)?
            } else {
                MeanOptions::from_options(options)?
            };
            let check = o.spec.scale.map_or(ValueCheck::Finite, ValueCheck::Scale);
            (
                check,
                o.spec.missing,
                Finisher::Mean(o.spec, o.interval),
                Acc::Mean(vec![]),
                Coder::Raw,
            )
        }
    };

    if let (false, ValueCheck::Scale(scale)) = (weighted, check) {
        if scale.histogram_friendly() {
            acc = Acc::Hist {
                bins: scale.points(),
                first: scale.min,
                counts: Vec::new(),
            };
        }
    }
    let ctx = RowCtx {
        values,
        weights,
        check,
        missing,
        code,
        arg,
    };
    let radices: Vec<u64> = keys
        .iter()
        .map(|k| k.iter().copied().max().map_or(1, |m| m as u64 + 1))
        .collect();
    let total = radices.iter().try_fold(1u64, |t, &r| t.checked_mul(r));

    // `slots[g]` = the accumulator index of group g; `group_keys[j][g]` = its key codes, in key-tuple order.
    let (part, slots, group_keys) = match total {
        Some(total) if total <= PARALLEL_DENSE_LIMIT => {
            // Dense: a cell's index is its mixed-radix id with the first key most significant, so id order
            // is key-tuple order. Rows are split into a fixed number of parts (independent of the thread
            // count) accumulated in parallel and merged in part order: deterministic to the last bit.
            let mut strides = vec![1u64; keys.len()];
            for j in (0..keys.len().saturating_sub(1)).rev() {
                strides[j] = strides[j + 1] * radices[j + 1];
            }
            let n = values.len();
            let parts = (n / ROWS_PER_PART).clamp(1, MAX_PARTS);
            let bounds: Vec<(usize, usize)> = (0..parts)
                .map(|p| (p * n / parts, (p + 1) * n / parts))
                .collect();
            let run = |&(lo, hi): &(usize, usize)| -> Result<Part> {
                let mut part = Part::new(&acc, total as usize);
                // Monomorphised cell lookups for the common one- and two-key cases.
                match keys {
                    [k0] => part.accumulate(&ctx, lo..hi, |i| k0[i] as usize)?,
                    [k0, k1] => {
                        let s0 = strides[0] as usize;
                        part.accumulate(&ctx, lo..hi, |i| k0[i] as usize * s0 + k1[i] as usize)?
                    }
                    _ => part.accumulate(&ctx, lo..hi, |i| {
                        keys.iter()
                            .zip(&strides)
                            .map(|(k, s)| k[i] as u64 * s)
                            .sum::<u64>() as usize
                    })?,
                }
                Ok(part)
            };
            let done: Vec<Result<Part>> = if parts > 1 {
                use rayon::prelude::*;
                bounds.par_iter().map(run).collect()
            } else {
                bounds.iter().map(run).collect()
            };
            let mut it = done.into_iter();
            let mut whole = it.next().expect("at least one part")?;
            for p in it {
                whole.merge(&p?);
            }
            let slots: Vec<usize> = (0..total as usize)
                .filter(|&c| whole.n_valid[c] + whole.n_missing[c] > 0)
                .collect();
            let group_keys = (0..keys.len())
                .map(|j| {
                    slots
                        .iter()
                        .map(|&c| ((c as u64 / strides[j]) % radices[j]) as u32)
                        .collect()
                })
                .collect();
            (whole, slots, group_keys)
        }
        _ => {
            // Sparse: cells numbered in order of first appearance, then sorted by key tuple.
            let mut cells = CellIndex::new(keys);
            let mut part = Part::new(&acc, 0);
            part.accumulate(&ctx, 0..values.len(), |i| cells.cell(i))?;
            let mut slots: Vec<usize> = (0..cells.first_row.len()).collect();
            slots.sort_by(|&a, &b| {
                let (ra, rb) = (cells.first_row[a], cells.first_row[b]);
                keys.iter()
                    .map(|k| k[ra].cmp(&k[rb]))
                    .find(|o| o.is_ne())
                    .unwrap_or(std::cmp::Ordering::Equal)
            });
            let group_keys = keys
                .iter()
                .map(|k| slots.iter().map(|&c| k[cells.first_row[c]]).collect())
                .collect();
            (part, slots, group_keys)
        }
    };
    let Part {
        n_missing,
        n_valid,
        acc,
    } = part;
    let acc = acc.materialize(code, &finisher);
    let order = slots;
    let g = order.len();
    let mut out = GroupedResult {
        metric,
        keys: group_keys,
        n: order.iter().map(|&c| n_valid[c]).collect(),
        n_missing: order.iter().map(|&c| n_missing[c]).collect(),
        estimate: Vec::with_capacity(g),
        se: Vec::with_capacity(g),
        lower: Vec::with_capacity(g),
        upper: Vec::with_capacity(g),
        effective_n: Vec::with_capacity(g),
        weight_sum: Vec::with_capacity(g),
        status: Vec::with_capacity(g),
        message: Vec::with_capacity(g),
    };
    let trinomial = |c: usize| -> Trinomial {
        match &acc {
            Acc::Net(t) => t[c],
            _ => unreachable!("only net scores use trinomials"),
        }
    };
    for &c in &order {
        let row: Result<Row> = match (&acc, finisher) {
            (Acc::Net(_), Finisher::Nps(o)) => trinomial(c)
                .estimate(weighted, &o.spec(), None)
                .map(|e| Row {
                    estimate: 100.0 * e.net,
                    se: Some(100.0 * e.se),
                    lower: 100.0 * e.lower,
                    upper: 100.0 * e.upper,
                    effective_n: e.effective_n,
                    weight_sum: e.weight_sum,
                }),
            (Acc::Net(_), Finisher::Sentiment(o)) => trinomial(c)
                .estimate(weighted, &o.net.spec(), None)
                .map(|e| Row {
                    estimate: e.net,
                    se: Some(e.se),
                    lower: e.lower,
                    upper: e.upper,
                    effective_n: e.effective_n,
                    weight_sum: e.weight_sum,
                }),
            (Acc::Share(b), Finisher::Share(o)) => {
                b[c].finish(n_missing[c], weighted, &o).map(|r| Row {
                    estimate: r.share,
                    se: r.se,
                    lower: r.lower,
                    upper: r.upper,
                    effective_n: r.effective_n,
                    weight_sum: r.weight_sum,
                })
            }
            (Acc::Mean(m), Finisher::Mean(spec, o)) => {
                let mut p = super::mean::MeanPartial::empty(spec, weighted);
                p.moments = m[c];
                p.n_missing = n_missing[c];
                p.finish_with(&o).map(|r| Row {
                    estimate: r.mean,
                    se: Some(r.se),
                    lower: r.lower,
                    upper: r.upper,
                    effective_n: r.effective_n,
                    weight_sum: r.weight_sum,
                })
            }
            _ => unreachable!("accumulator and finisher are chosen together"),
        };
        match row {
            Ok(r) => {
                out.estimate.push(Some(r.estimate));
                out.se.push(r.se);
                out.lower.push(Some(r.lower));
                out.upper.push(Some(r.upper));
                out.effective_n.push(Some(r.effective_n));
                out.weight_sum.push(Some(r.weight_sum));
                out.status.push("ok".into());
                out.message.push(String::new());
            }
            Err(e) => {
                for col in [
                    &mut out.estimate,
                    &mut out.se,
                    &mut out.lower,
                    &mut out.upper,
                    &mut out.effective_n,
                ] {
                    col.push(None);
                }
                out.weight_sum.push(match &acc {
                    Acc::Mean(m) => Some(m[c].sum_w),
                    _ => None,
                });
                out.status.push(e.kind().into());
                out.message.push(e.to_string());
            }
        }
    }
    Ok(out)
}

struct Row {
    estimate: f64,
    se: Option<f64>,
    lower: f64,
    upper: f64,
    effective_n: f64,
    weight_sum: f64,
}

/// Turns a validated answer into the category the metric counts.
#[derive(Clone, Copy)]
enum Coder {
    Nps(NpsBands),
    Sentiment,
    Box(BoxSpec),
    Raw,
}

impl Coder {
    #[inline]
    fn net(&self, v: f64) -> i8 {
        match self {
            Coder::Nps(b) => b.code(v),
            _ => v as i8,
        }
    }

    #[inline]
    fn hit(&self, v: f64) -> bool {
        match self {
            Coder::Box(s) => s.hit(v),
            _ => false,
        }
    }
}

fn scale_check(min: i32, max: i32) -> ValueCheck {
    ValueCheck::Scale(Scale { min, max })
}
