//! Neumaier-compensated summation: long sums stay accurate and, because the order of additions is
//! fixed, bit-identical in every language and build.

/// A running compensated sum.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NeumaierSum {
    sum: f64,
    comp: f64,
}

impl NeumaierSum {
    /// Adds one term.
    #[inline]
    pub fn add(&mut self, x: f64) {
        let t = self.sum + x;
        if self.sum.abs() >= x.abs() {
            self.comp += (self.sum - t) + x;
        } else {
            self.comp += (x - t) + self.sum;
        }
        self.sum = t;
    }

    /// Adds another compensated sum (used when merging partials).
    pub fn merge(&mut self, other: &NeumaierSum) {
        self.add(other.sum);
        self.comp += other.comp;
    }

    /// The compensated total.
    #[inline]
    pub fn value(&self) -> f64 {
        self.sum + self.comp
    }

    /// Sums a slice.
    pub fn of(xs: &[f64]) -> f64 {
        let mut s = NeumaierSum::default();
        for &x in xs {
            s.add(x);
        }
        s.value()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compensates_cancellation() {
        // 1 + 1e100 + 1 - 1e100 = 2 exactly (a naive sum gives 0).
        assert_eq!(NeumaierSum::of(&[1.0, 1e100, 1.0, -1e100]), 2.0);
        let tenth: Vec<f64> = vec![0.1; 10];
        assert_eq!(NeumaierSum::of(&tenth), 1.0);
    }
}
