//! Tail probabilities and quantiles of the F, t (two-sided) and chi-square distributions used by the
//! validation statistics, through the regularised incomplete beta function (statrs). Upper tails are
//! computed directly, never as `1 - cdf`.

use statrs::function::beta::{beta_reg, inv_beta_reg};

/// Upper tail P(F > f) of the F distribution with (`d1`, `d2`) degrees of freedom.
pub fn f_sf(f: f64, d1: f64, d2: f64) -> f64 {
    if f <= 0.0 {
        return 1.0;
    }
    if f.is_infinite() {
        return 0.0;
    }
    // P(F > f) = I_{d2 / (d2 + d1 f)}(d2/2, d1/2)
    beta_reg(d2 / 2.0, d1 / 2.0, d2 / (d2 + d1 * f))
}

/// The `p`-quantile of the F distribution with (`d1`, `d2`) degrees of freedom.
pub fn f_quantile(p: f64, d1: f64, d2: f64) -> f64 {
    // X = d2 z / (d1 (1 - z)) with z ~ Beta(d1/2, d2/2); 1 - z ~ Beta(d2/2, d1/2).
    let z = inv_beta_reg(d1 / 2.0, d2 / 2.0, p);
    let w = inv_beta_reg(d2 / 2.0, d1 / 2.0, 1.0 - p);
    // use the better-conditioned of the two complements
    if z < 0.5 {
        d2 * z / (d1 * (1.0 - z))
    } else {
        d2 * (1.0 - w) / (d1 * w)
    }
}

/// Two-sided p-value of a t statistic with `df` degrees of freedom: P(|T| > |t|).
pub fn t_two_sided(t: f64, df: f64) -> f64 {
    if t.is_infinite() {
        return 0.0;
    }
    // P(|T| > |t|) = I_{df / (df + t^2)}(df/2, 1/2)
    beta_reg(df / 2.0, 0.5, df / (df + t * t))
}

/// Two-sided p-value of a standard normal statistic: P(|Z| > |z|).
pub fn z_two_sided(z: f64) -> f64 {
    2.0 * super::dist::normal_sf(z.abs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn f_and_t_against_r() {
        // R 4.2.2: pf(3.5, 4, 20, lower.tail = FALSE) = 0.025385230866441295
        assert!((f_sf(3.5, 4.0, 20.0) - 0.025385230866441295).abs() < 1e-15);
        // R: qf(0.975, 5, 15) = 3.5764153492790602
        assert!((f_quantile(0.975, 5.0, 15.0) - 3.5764153492790602).abs() < 1e-11);
        // R: 2 * pt(-2.1, 9) = 0.065118282412151923
        assert!((t_two_sided(2.1, 9.0) - 0.065_118_282_412_151_92).abs() < 1e-14);
    }
}
