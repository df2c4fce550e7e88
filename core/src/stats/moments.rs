//! Mergeable weighted moments: the sufficient statistics behind every mean, share and NPS.

use super::sum::NeumaierSum;

/// Sums for one category of a categorical outcome: count, Σw and Σw².
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CategorySums {
    pub count: u64,
    pub sum_w: NeumaierSum,
    pub sum_w2: NeumaierSum,
}

impl CategorySums {
    #[inline]
    pub fn add(&mut self, w: f64) {
        self.count += 1;
        self.sum_w.add(w);
        self.sum_w2.add(w * w);
    }

    pub fn merge(&mut self, o: &CategorySums) {
        self.count += o.count;
        self.sum_w.merge(&o.sum_w);
        self.sum_w2.merge(&o.sum_w2);
    }
}

/// Weighted count, mean and centred second moments, updated one value at a time (West 1979) and
/// merged pairwise (Chan, Golub & LeVeque 1979). Besides Σw(y−ȳ)² it keeps Σw²(y−ȳ) and Σw²(y−ȳ)²,
/// which the linearisation variance of a weighted mean needs.
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct WeightedMoments {
    /// Rows seen.
    pub n: u64,
    /// Σw.
    pub sum_w: f64,
    /// Σw².
    pub sum_w2: f64,
    /// Weighted mean ȳ = Σwy / Σw.
    pub mean: f64,
    /// Σw(y−ȳ)².
    pub m2: f64,
    /// Σw²(y−ȳ).
    pub b: f64,
    /// Σw²(y−ȳ)².
    pub c: f64,
}

impl WeightedMoments {
    fn shift(&mut self, new_mean: f64) {
        let d = new_mean - self.mean;
        if d != 0.0 {
            self.c += d * (d * self.sum_w2 - 2.0 * self.b);
            self.b -= d * self.sum_w2;
            self.mean = new_mean;
        }
    }

    /// Adds the value `y` with weight `w >= 0`.
    #[inline]
    pub fn add(&mut self, y: f64, w: f64) {
        self.n += 1;
        if w == 0.0 {
            return;
        }
        let sw = self.sum_w + w;
        let delta = y - self.mean;
        let new_mean = self.mean + delta * (w / sw);
        self.m2 += w * delta * (y - new_mean);
        self.shift(new_mean);
        self.sum_w = sw;
        let r = y - new_mean;
        let w2 = w * w;
        self.sum_w2 += w2;
        self.b += w2 * r;
        self.c += w2 * r * r;
    }

    /// Merges the moments of another disjoint set of rows.
    pub fn merge(&mut self, o: &WeightedMoments) {
        if o.n == 0 {
            return;
        }
        if self.sum_w == 0.0 {
            let n = self.n;
            *self = *o;
            self.n += n;
            return;
        }
        if o.sum_w == 0.0 {
            self.n += o.n;
            return;
        }
        let sw = self.sum_w + o.sum_w;
        let delta = o.mean - self.mean;
        let new_mean = self.mean + delta * (o.sum_w / sw);
        let m2 = self.m2 + o.m2 + delta * delta * (self.sum_w * o.sum_w / sw);
        let mut other = *o;
        self.shift(new_mean);
        other.shift(new_mean);
        self.n += o.n;
        self.sum_w = sw;
        self.sum_w2 += o.sum_w2;
        self.m2 = m2;
        self.b += other.b;
        self.c += other.c;
    }

    /// Unit-weight moments of a histogram: `hist[k]` values equal to `first + k`. Sums of whole numbers
    /// are exact, so the mean is correctly rounded and the centred sums are computed around it.
    pub fn from_histogram(hist: &[u64], first: f64) -> WeightedMoments {
        let n: u64 = hist.iter().sum();
        if n == 0 {
            return WeightedMoments::default();
        }
        let mut sum = NeumaierSum::default();
        for (k, &c) in hist.iter().enumerate() {
            sum.add(c as f64 * (first + k as f64));
        }
        let nf = n as f64;
        let mean = sum.value() / nf;
        let mut m2 = NeumaierSum::default();
        let mut b = NeumaierSum::default();
        for (k, &c) in hist.iter().enumerate() {
            let d = first + k as f64 - mean;
            m2.add(c as f64 * d * d);
            b.add(c as f64 * d);
        }
        WeightedMoments {
            n,
            sum_w: nf,
            sum_w2: nf,
            mean,
            m2: m2.value(),
            b: b.value(),
            c: m2.value(),
        }
    }

    /// Kish effective sample size (Σw)² / Σw².
    pub fn effective_n(&self) -> f64 {
        self.sum_w * self.sum_w / self.sum_w2
    }

    /// Linearisation (Taylor) standard error of the weighted mean under a with-replacement design:
    /// sqrt(n/(n−1) · Σw²(y−ȳ)²) / Σw, as R `survey::svymean` with `svydesign(ids = ~1, weights = ~w)`.
    /// For unit weights this is s/√n.
    pub fn se_linearised(&self) -> f64 {
        let n = self.n as f64;
        (n / (n - 1.0) * self.c.max(0.0)).sqrt() / self.sum_w
    }

    /// Weighted standard deviation sqrt(Σw(y−ȳ)²/Σw · n/(n−1)); the sample SD for unit weights.
    pub fn sd(&self) -> f64 {
        let n = self.n as f64;
        (self.m2.max(0.0) / self.sum_w * n / (n - 1.0)).sqrt()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_weights_match_textbook() {
        let ys = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0];
        let mut m = WeightedMoments::default();
        for &y in &ys {
            m.add(y, 1.0);
        }
        // mean 5, Σ(y−ȳ)² = 32, s = sqrt(32/7).
        assert!((m.mean - 5.0).abs() < 1e-15);
        assert!((m.m2 - 32.0).abs() < 1e-12);
        assert!((m.sd() - (32.0f64 / 7.0).sqrt()).abs() < 1e-14);
        assert!((m.se_linearised() - (32.0f64 / 7.0).sqrt() / 8f64.sqrt()).abs() < 1e-14);
    }

    #[test]
    fn merge_equals_whole() {
        let ys = [1.0, 7.0, 3.0, 3.0, 6.0, 2.0, 5.0];
        let ws = [0.5, 2.0, 1.0, 3.0, 0.0, 1.5, 2.5];
        let mut whole = WeightedMoments::default();
        let mut a = WeightedMoments::default();
        let mut b = WeightedMoments::default();
        for i in 0..ys.len() {
            whole.add(ys[i], ws[i]);
            if i < 3 {
                a.add(ys[i], ws[i])
            } else {
                b.add(ys[i], ws[i])
            }
        }
        a.merge(&b);
        for (x, y) in [
            (a.mean, whole.mean),
            (a.m2, whole.m2),
            (a.c, whole.c),
            (a.sum_w2, whole.sum_w2),
        ] {
            assert!((x - y).abs() <= 1e-12 * y.abs().max(1.0), "{x} vs {y}");
        }
        assert_eq!(a.n, whole.n);
    }
}
