//! Confidence intervals for a binomial proportion.

use super::dist::{beta_quantile, z_crit};
use crate::error::{CxkpiError, Result};
use crate::options::option_enum;

option_enum! {
    /// Interval method for a proportion x / n.
    ProportionMethod {
        /// Wilson score interval (default).
        Wilson => "wilson",
        /// Wald (normal approximation), clipped to [0, 1].
        Wald => "wald",
        /// Agresti-Coull "add z²/2 successes and failures", clipped to [0, 1].
        AgrestiCoull => "agresti_coull",
        /// Clopper-Pearson exact (beta quantiles).
        ClopperPearson => "clopper_pearson",
        /// Jeffreys (Beta(x+½, n−x+½) quantiles) with the boundary rule of Brown, Cai & DasGupta (2001).
        Jeffreys => "jeffreys",
        /// Wilson with continuity correction (Newcombe 1998, method 4).
        WilsonCc => "wilson_cc",
    }
}

impl Default for ProportionMethod {
    fn default() -> Self {
        ProportionMethod::Wilson
    }
}

/// Lower and upper limits of the `confidence` interval for the proportion `x / n` (real `x` and `n`
/// are allowed so that weighted shares can use their effective counts).
pub fn proportion_limits(
    x: f64,
    n: f64,
    confidence: f64,
    method: ProportionMethod,
) -> Result<(f64, f64)> {
    if !(n > 0.0 && n.is_finite()) {
        return Err(CxkpiError::invalid(
            "n",
            format!("must be a positive finite number, got {n}"),
        ));
    }
    if !(x >= 0.0 && x <= n) {
        return Err(CxkpiError::invalid(
            "x",
            format!("must lie in [0, n = {n}], got {x}"),
        ));
    }
    let p = x / n;
    let alpha = 1.0 - confidence;
    let z = z_crit(confidence);
    let z2 = z * z;
    let clip = |v: f64| v.clamp(0.0, 1.0);
    Ok(match method {
        ProportionMethod::Wald => {
            let h = z * (p * (1.0 - p) / n).sqrt();
            (clip(p - h), clip(p + h))
        }
        ProportionMethod::Wilson => {
            let denom = 1.0 + z2 / n;
            let centre = p + z2 / (2.0 * n);
            let h = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
            let lo = if x == 0.0 {
                0.0
            } else {
                clip((centre - h) / denom)
            };
            let hi = if x == n {
                1.0
            } else {
                clip((centre + h) / denom)
            };
            (lo, hi)
        }
        ProportionMethod::AgrestiCoull => {
            let nt = n + z2;
            let pt = (x + z2 / 2.0) / nt;
            let h = z * (pt * (1.0 - pt) / nt).sqrt();
            (clip(pt - h), clip(pt + h))
        }
        ProportionMethod::ClopperPearson => {
            let lo = if x == 0.0 {
                0.0
            } else {
                beta_quantile(alpha / 2.0, x, n - x + 1.0)
            };
            let hi = if x == n {
                1.0
            } else {
                beta_quantile(1.0 - alpha / 2.0, x + 1.0, n - x)
            };
            (lo, hi)
        }
        ProportionMethod::Jeffreys => {
            let lo = if x == 0.0 {
                0.0
            } else {
                beta_quantile(alpha / 2.0, x + 0.5, n - x + 0.5)
            };
            let hi = if x == n {
                1.0
            } else {
                beta_quantile(1.0 - alpha / 2.0, x + 0.5, n - x + 0.5)
            };
            (lo, hi)
        }
        ProportionMethod::WilsonCc => {
            let q = 1.0 - p;
            let denom = 2.0 * (n + z2);
            let lo = if x == 0.0 {
                0.0
            } else {
                clip(
                    (2.0 * n * p + z2
                        - 1.0
                        - z * (z2 - 2.0 - 1.0 / n + 4.0 * p * (n * q + 1.0)).sqrt())
                        / denom,
                )
            };
            let hi = if x == n {
                1.0
            } else {
                clip(
                    (2.0 * n * p
                        + z2
                        + 1.0
                        + z * (z2 + 2.0 - 1.0 / n + 4.0 * p * (n * q - 1.0)).sqrt())
                        / denom,
                )
            };
            (lo, hi)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_hand_example() {
        // x = 0 of n = 10: the upper Wilson limit is z²/(n + z²).
        let z = z_crit(0.95);
        let (lo, hi) = proportion_limits(0.0, 10.0, 0.95, ProportionMethod::Wilson).unwrap();
        assert_eq!(lo, 0.0);
        assert!((hi - z * z / (10.0 + z * z)).abs() < 1e-15);
    }

    #[test]
    fn clopper_pearson_boundary() {
        // x = n: lower = (alpha/2)^(1/n) exactly; n = 10, alpha = 0.05.
        let (lo, hi) =
            proportion_limits(10.0, 10.0, 0.95, ProportionMethod::ClopperPearson).unwrap();
        assert_eq!(hi, 1.0);
        assert!((lo - 0.025f64.powf(0.1)).abs() < 1e-12, "{lo}");
    }
}
