//! Quantiles and tail probabilities of the normal and Student t distributions (statrs).
//! Upper tails go through `sf`, never `1 - cdf`.

use crate::error::{CxkpiError, Result};
use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

fn std_normal() -> Normal {
    Normal::new(0.0, 1.0).expect("standard normal")
}

/// Two-sided critical value z for `confidence` (e.g. 1.959963984540054 for 0.95).
pub fn z_crit(confidence: f64) -> f64 {
    std_normal().inverse_cdf(1.0 - (1.0 - confidence) / 2.0)
}

/// Two-sided critical value of Student's t with `df` degrees of freedom.
pub fn t_crit(confidence: f64, df: f64) -> Result<f64> {
    let t = StudentsT::new(0.0, 1.0, df).map_err(|_| {
        CxkpiError::invalid("df", format!("degrees of freedom must be > 0, got {df}"))
    })?;
    Ok(t.inverse_cdf(1.0 - (1.0 - confidence) / 2.0))
}

/// Upper tail P(Z > x) of the standard normal, as erfc(x/√2)/2.
///
/// Uses `libm::erfc` (musl's, accurate to about an ulp): statrs 0.19's `erfc` is off by up to ~1e-10
/// relative in 0.5 < x < 4 (e.g. `Normal::sf(2)` = 0.022750131947162619 vs 0.022750131948179195 in
/// R `pnorm(2, lower.tail = FALSE)`), which a p-value cannot afford.
pub fn normal_sf(x: f64) -> f64 {
    0.5 * libm::erfc(x / std::f64::consts::SQRT_2)
}

/// Upper tail P(T > x) of Student's t with `df` degrees of freedom.
pub fn t_sf(x: f64, df: f64) -> Result<f64> {
    let t = StudentsT::new(0.0, 1.0, df).map_err(|_| {
        CxkpiError::invalid("df", format!("degrees of freedom must be > 0, got {df}"))
    })?;
    Ok(t.sf(x))
}

/// p-quantile of Beta(a, b).
pub fn beta_quantile(p: f64, a: f64, b: f64) -> f64 {
    statrs::distribution::Beta::new(a, b)
        .expect("beta shape > 0")
        .inverse_cdf(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn z_and_t_quantiles() {
        // Reference values: R qnorm(0.975) = 1.959963984540054, qt(0.975, 10) = 2.228138851986274.
        assert!((z_crit(0.95) - 1.959963984540054).abs() < 1e-15);
        assert!((t_crit(0.95, 10.0).unwrap() - 2.228138851986274).abs() < 1e-12);
        // scipy 1.x: norm.sf(x)
        for (x, want) in [
            (2.0, 0.022750131948179195),
            (1.0, 0.15865525393145707),
            (8.0, 6.22096057427174e-16),
        ] {
            let got = normal_sf(x);
            assert!(
                (got - want).abs() <= 1e-13 * want,
                "sf({x}) = {got:e}, scipy {want:e}"
            );
        }
    }
}
