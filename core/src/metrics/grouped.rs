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
    check_lengths, check_value, check_weight, is_valid, MissingPolicy, Scale, ValueCheck,
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
    /// NPS (−100..100), share (0..1), mean, or net sentiment (−1..1); NaN when `status` is not "ok".
    pub estimate: Vec<f64>,
    /// The SE used by the interval; NaN when undefined.
    pub se: Vec<f64>,
    pub lower: Vec<f64>,
    pub upper: Vec<f64>,
    pub effective_n: Vec<f64>,
    pub weight_sum: Vec<f64>,
    /// "ok" or the kind of error that made the group's estimate undefined (e.g. "insufficient_data").
    pub status: Vec<String>,
    /// Empty for "ok", else the error message.
    pub message: Vec<String>,
}

enum Acc {
    /// Unweighted net scores: counts `[bottom, middle, top]` only (the hot path).
    NetCounts(Vec<[u64; 3]>),
    Net(Vec<Trinomial>),
    Share(Vec<Binomial>),
    Mean(Vec<WeightedMoments>),
}

/// Maps key tuples to dense cell indices in order of first appearance.
struct CellIndex<'a> {
    keys: &'a [&'a [u32]],
    strides: Vec<u64>,
    dense: Option<Vec<u32>>,
    sparse: HashMap<u64, u32>,
    first_row: Vec<usize>,
}

const DENSE_LIMIT: u64 = 1 << 22;

impl<'a> CellIndex<'a> {
    fn new(keys: &'a [&'a [u32]]) -> Result<Self> {
        let mut strides = Vec::with_capacity(keys.len());
        let mut total: u64 = 1;
        for (j, k) in keys.iter().enumerate() {
            let radix = k.iter().copied().max().map_or(1, |m| m as u64 + 1);
            strides.push(total);
            total = total.checked_mul(radix).ok_or_else(|| {
                CxkpiError::invalid(
                    &format!("keys[{j}]"),
                    "too many distinct key combinations to index",
                )
            })?;
        }
        let dense = (total <= DENSE_LIMIT).then(|| vec![u32::MAX; total as usize]);
        Ok(CellIndex {
            keys,
            strides,
            dense,
            sparse: HashMap::new(),
            first_row: Vec::new(),
        })
    }

    #[inline]
    fn cell(&mut self, i: usize) -> usize {
        let mut id: u64 = 0;
        for (k, s) in self.keys.iter().zip(&self.strides) {
            id += k[i] as u64 * s;
        }
        let next = self.first_row.len() as u32;
        let slot = match &mut self.dense {
            Some(d) => &mut d[id as usize],
            None => self.sparse.entry(id).or_insert(u32::MAX),
        };
        if *slot == u32::MAX {
            *slot = next;
            self.first_row.push(i);
        }
        *slot as usize
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
/// assert!((g.estimate[0] - 100.0 / 3.0).abs() < 1e-12); // 2 promoters, 1 detractor
/// assert!((g.estimate[1] - 0.0).abs() < 1e-12);         // 1 promoter, 1 passive, 1 detractor
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

    if !weighted {
        if let Acc::Net(_) = acc {
            acc = Acc::NetCounts(Vec::new());
        }
    }
    let mut cells = CellIndex::new(keys)?;
    let mut n_missing: Vec<u64> = Vec::new();
    let mut n_valid: Vec<u64> = Vec::new();
    // One pass: locate the row's cell, validate, accumulate (the same checks as the ungrouped functions).
    for i in 0..values.len() {
        let w = match weights {
            Some(ws) => check_weight(i, ws[i])?,
            None => 1.0,
        };
        let c = cells.cell(i);
        if c == n_missing.len() {
            n_missing.push(0);
            n_valid.push(0);
            match &mut acc {
                Acc::NetCounts(v) => v.push([0; 3]),
                Acc::Net(v) => v.push(Trinomial::default()),
                Acc::Share(v) => v.push(Binomial::default()),
                Acc::Mean(v) => v.push(WeightedMoments::default()),
            }
        }
        let v = values[i];
        if v.is_nan() {
            if missing == MissingPolicy::Error {
                return Err(CxkpiError::MissingValue {
                    arg: arg.into(),
                    index: i,
                });
            }
            n_missing[c] += 1;
            continue;
        }
        if !is_valid(v, check) {
            check_value(arg, i, v, check)?;
        }
        n_valid[c] += 1;
        match &mut acc {
            Acc::NetCounts(t) => t[c][(code.net(v) + 1) as usize] += 1,
            Acc::Net(t) => t[c].add(code.net(v), w),
            Acc::Share(b) => {
                let h = code.hit(v);
                if weighted {
                    b[c].add(h, w)
                } else {
                    b[c].add_count(h)
                }
            }
            Acc::Mean(m) => m[c].add(v, w),
        }
    }

    // Order groups by key tuple.
    let g = cells.first_row.len();
    let mut order: Vec<usize> = (0..g).collect();
    order.sort_by(|&a, &b| {
        let (ra, rb) = (cells.first_row[a], cells.first_row[b]);
        keys.iter()
            .map(|k| k[ra].cmp(&k[rb]))
            .find(|o| o.is_ne())
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let mut out = GroupedResult {
        metric,
        keys: keys
            .iter()
            .map(|k| order.iter().map(|&c| k[cells.first_row[c]]).collect())
            .collect(),
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
            Acc::NetCounts(k) => {
                let mut t = Trinomial::default();
                t.add_counts(k[c]);
                t
            }
            Acc::Net(t) => t[c],
            _ => unreachable!("only net scores use trinomials"),
        }
    };
    for &c in &order {
        let row: Result<Row> = match (&acc, finisher) {
            (Acc::Net(_) | Acc::NetCounts(_), Finisher::Nps(o)) => trinomial(c)
                .estimate(weighted, &o.spec(), None)
                .map(|e| Row {
                    estimate: 100.0 * e.net,
                    se: 100.0 * e.se,
                    lower: 100.0 * e.lower,
                    upper: 100.0 * e.upper,
                    effective_n: e.effective_n,
                    weight_sum: e.weight_sum,
                }),
            (Acc::Net(t), Finisher::Sentiment(o)) => {
                t[c].estimate(weighted, &o.net.spec(), None).map(|e| Row {
                    estimate: e.net,
                    se: e.se,
                    lower: e.lower,
                    upper: e.upper,
                    effective_n: e.effective_n,
                    weight_sum: e.weight_sum,
                })
            }
            (Acc::Share(b), Finisher::Share(o)) => {
                b[c].finish(n_missing[c], weighted, &o).map(|r| Row {
                    estimate: r.share,
                    se: r.se.unwrap_or(f64::NAN),
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
                    se: r.se,
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
                out.estimate.push(r.estimate);
                out.se.push(r.se);
                out.lower.push(r.lower);
                out.upper.push(r.upper);
                out.effective_n.push(r.effective_n);
                out.weight_sum.push(r.weight_sum);
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
                    col.push(f64::NAN);
                }
                out.weight_sum.push(match &acc {
                    Acc::Mean(m) => m[c].sum_w,
                    _ => f64::NAN,
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
    se: f64,
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
