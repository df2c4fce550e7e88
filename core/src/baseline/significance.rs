//! Significance of a period-over-period move, in numbers and in plain words.
//!
//! [`period_move`] is the reusable helper (the before/after comparisons of `stats` call it): given each
//! period's estimate, its standard error and its n, it returns
//!
//! - the move `after − before`,
//! - its SE `√(se_before² + se_after²)` (the two periods are independent samples),
//! - `z = move / SE` and the two-sided normal p-value `2 · P(Z > |z|)`,
//! - the minimal detectable change at these n: `MDC = (z_{1−α/2} + z_{power}) · SE` — the smallest true
//!   move the comparison would detect with probability `power` at level `alpha`,
//! - plain words: `"within noise at n = 600 (move −1.3 points; minimal detectable change 4.1 points)"` or
//!   `"significant drop of 4.2 points (p = 0.003, n = 600)"`.
//!
//! From raw values, [`period_move_from_values`] uses the mean and its SE `s / √n` (sample sd, n − 1).
//!
//! ```
//! use cxkpi::baseline::significance::{period_move, PeriodSummary, MoveOptions};
//! let before = PeriodSummary { estimate: 42.0, se: 1.5, n: 600.0 };
//! let after = PeriodSummary { estimate: 37.8, se: 1.5, n: 600.0 };
//! let m = period_move(&before, &after, &MoveOptions::default()).unwrap();
//! assert!(m.significant);
//! println!("{}", m.words); // significant drop of 4.2 points (p = 0.048, n = 600)
//! ```

use crate::error::{CxkpiError, Result};
use crate::stats::dist::{normal_sf, z_crit};
use crate::stats::sum::NeumaierSum;
use serde::{Deserialize, Serialize};

/// One period's estimate, its standard error and the number of observations behind it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeriodSummary {
    /// The KPI value of the period (e.g. NPS on -100..100, a mean score, a share).
    pub estimate: f64,
    /// Its standard error, in the same units (≥ 0).
    pub se: f64,
    /// Number of observations (used for the words and recorded; not in the formulas).
    pub n: f64,
}

/// Options of [`period_move`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MoveOptions {
    /// Two-sided significance level (default 0.05).
    pub alpha: f64,
    /// Power for the minimal detectable change (default 0.8).
    pub power: f64,
    /// Unit word used in the plain-words sentence (default `"points"`).
    pub units: String,
}

impl Default for MoveOptions {
    fn default() -> Self {
        MoveOptions {
            alpha: 0.05,
            power: 0.8,
            units: "points".into(),
        }
    }
}

impl MoveOptions {
    /// Checks `alpha` and `power` lie strictly between 0 and 1.
    pub fn validate(&self) -> Result<()> {
        for (arg, v) in [("alpha", self.alpha), ("power", self.power)] {
            if !(v > 0.0 && v < 1.0) {
                return Err(CxkpiError::invalid(
                    arg,
                    format!("must lie strictly between 0 and 1, got {v}"),
                ));
            }
        }
        Ok(())
    }
}

/// The significance of a move between two periods.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeriodMove {
    /// Earlier period.
    pub before: PeriodSummary,
    /// Later period.
    pub after: PeriodSummary,
    /// `after.estimate − before.estimate`.
    #[serde(rename = "move")]
    pub change: f64,
    /// `√(se_before² + se_after²)`.
    pub se: f64,
    /// `move / se`; `None` when `se` = 0.
    pub z: Option<f64>,
    /// Two-sided normal p-value; `None` when `se` = 0.
    pub p_value: Option<f64>,
    /// Minimal detectable change `(z_{1−α/2} + z_{power}) · se`.
    pub mdc: f64,
    /// `p_value < alpha`.
    pub significant: bool,
    /// `"up"`, `"down"` or `"flat"` (move exactly 0).
    pub direction: String,
    /// Level used.
    pub alpha: f64,
    /// Power used.
    pub power: f64,
    /// The sentence.
    pub words: String,
}

fn norm_quantile(p: f64) -> f64 {
    use statrs::distribution::{ContinuousCDF, Normal};
    Normal::new(0.0, 1.0)
        .expect("standard normal")
        .inverse_cdf(p)
}

fn check_summary(arg: &str, s: &PeriodSummary) -> Result<()> {
    if !s.estimate.is_finite() {
        return Err(CxkpiError::invalid(
            arg,
            format!("estimate must be finite, got {}", s.estimate),
        ));
    }
    if !(s.se.is_finite() && s.se >= 0.0) {
        return Err(CxkpiError::invalid(
            arg,
            format!("se must be finite and >= 0, got {}", s.se),
        ));
    }
    if !(s.n.is_finite() && s.n >= 0.0) {
        return Err(CxkpiError::invalid(
            arg,
            format!("n must be finite and >= 0, got {}", s.n),
        ));
    }
    Ok(())
}

fn fmt_n(n: f64) -> String {
    if n.fract() == 0.0 {
        format!("{n:.0}")
    } else {
        format!("{n:.1}")
    }
}

fn fmt_p(p: f64) -> String {
    if p < 0.001 {
        "p < 0.001".into()
    } else {
        format!("p = {p:.3}")
    }
}

/// Significance of the move from `before` to `after` (independent periods). Inputs: each period's
/// estimate, SE and n ([`PeriodSummary`]); `opts.alpha` (two-sided), `opts.power` (for the minimal
/// detectable change) and `opts.units` (word in the sentence).
pub fn period_move(
    before: &PeriodSummary,
    after: &PeriodSummary,
    opts: &MoveOptions,
) -> Result<PeriodMove> {
    opts.validate()?;
    check_summary("before", before)?;
    check_summary("after", after)?;
    let change = after.estimate - before.estimate;
    let se = before.se.hypot(after.se);
    let (z, p) = if se > 0.0 {
        let z = change / se;
        (Some(z), Some((2.0 * normal_sf(z.abs())).min(1.0)))
    } else {
        (None, None)
    };
    // z_{1-α/2} (two-sided critical value) + z_{power} (the power quantile of N(0, 1)).
    let za = z_crit(1.0 - opts.alpha);
    let zb = norm_quantile(opts.power);
    let mdc = (za + zb) * se;
    let significant = p.is_some_and(|p| p < opts.alpha) || (se == 0.0 && change != 0.0);
    let direction = if change > 0.0 {
        "up"
    } else if change < 0.0 {
        "down"
    } else {
        "flat"
    };
    let n_words = if before.n == after.n {
        format!("n = {} per period", fmt_n(after.n))
    } else {
        format!("n = {} then {}", fmt_n(before.n), fmt_n(after.n))
    };
    let u = &opts.units;
    let words = if significant {
        let what = if change > 0.0 { "rise" } else { "drop" };
        let pw = p.map_or("SE = 0".to_string(), fmt_p);
        format!(
            "significant {what} of {:.1} {u} ({pw}, {n_words})",
            change.abs()
        )
    } else {
        format!(
            "within noise at {n_words} (move {change:+.1} {u}; minimal detectable change {mdc:.1} {u})"
        )
    };
    Ok(PeriodMove {
        before: *before,
        after: *after,
        change,
        se,
        z,
        p_value: p,
        mdc,
        significant,
        direction: direction.into(),
        alpha: opts.alpha,
        power: opts.power,
        words,
    })
}

/// Mean, SE (`s/√n`, sample sd) and n of raw values; NaN values are skipped.
pub fn summarise(arg: &str, values: &[f64]) -> Result<PeriodSummary> {
    let xs: Vec<f64> = values.iter().copied().filter(|x| !x.is_nan()).collect();
    if let Some(x) = xs.iter().find(|x| x.is_infinite()) {
        return Err(CxkpiError::invalid(arg, format!("value {x} is not finite")));
    }
    if xs.len() < 2 {
        return Err(CxkpiError::InsufficientData {
            what: format!("`{arg}` (mean and its standard error)"),
            n: xs.len() as u64,
            required: 2,
        });
    }
    let n = xs.len() as f64;
    let m = NeumaierSum::of(&xs) / n;
    let mut q = NeumaierSum::default();
    xs.iter().for_each(|x| q.add((x - m) * (x - m)));
    let sd = (q.value() / (n - 1.0)).sqrt();
    Ok(PeriodSummary {
        estimate: m,
        se: sd / n.sqrt(),
        n,
    })
}

/// [`period_move`] from raw values of each period (mean and `s/√n`; NaN skipped).
pub fn period_move_from_values(
    before: &[f64],
    after: &[f64],
    opts: &MoveOptions,
) -> Result<PeriodMove> {
    period_move(
        &summarise("before", before)?,
        &summarise("after", after)?,
        opts,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_example() {
        // move -4.2, se = sqrt(2)*1.5 = 2.1213203435596424, z = -1.979898987322333
        let b = PeriodSummary {
            estimate: 42.0,
            se: 1.5,
            n: 600.0,
        };
        let a = PeriodSummary {
            estimate: 37.8,
            se: 1.5,
            n: 600.0,
        };
        let m = period_move(&b, &a, &MoveOptions::default()).unwrap();
        assert!((m.se - 2.1213203435596424).abs() < 1e-15);
        assert!((m.z.unwrap() + 1.979898987322333).abs() < 1e-12);
        // MDC = (1.959963984540054 + 0.8416212335729143) * se
        assert!((m.mdc - 2.801585218112968 * m.se).abs() < 1e-12);
        assert!(m.words.starts_with("significant drop of 4.2 points"));
    }
}
