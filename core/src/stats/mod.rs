//! Numeric building blocks: compensated sums, distribution quantiles, intervals for proportions,
//! weighted moments and quantiles.

pub mod dist;
pub mod moments;
pub mod proportion;
pub mod sum;

pub mod association;
pub mod before_after;
pub(crate) mod check;
pub mod fdist;
pub mod hazard;
pub mod impact;
pub(crate) mod linalg;
pub mod logistic;
pub mod regression;
pub mod reliability;
pub mod shrinkage;
pub mod survival;

pub use check::parse_options;

pub use dist::{normal_sf, t_crit, t_sf, z_crit};
pub use moments::{CategorySums, WeightedMoments};
pub use proportion::{proportion_limits, ProportionMethod};
pub use sum::NeumaierSum;

/// Type-7 quantile (R's default, numpy's `linear`) of an ascending sorted slice; `q` in [0, 1].
pub fn quantile_sorted(sorted: &[f64], q: f64) -> f64 {
    debug_assert!(!sorted.is_empty());
    let h = (sorted.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}
