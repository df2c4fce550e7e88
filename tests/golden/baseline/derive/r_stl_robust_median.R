# Evidence for docs/baselines.md ("R stl, robust"): R's robustness weights do not always use the median of
# |residual|. r_stl_robust_median_x.txt: 140 days, weekly pattern, trend, N(0,1) noise (numpy default_rng(3)) and 4 outliers
# (days 20, 50, 51, 90: +15, -12, +10, +20). cxkpi (r_stl preset, inner 1, jumps 1) equals R exactly for
# outer = 1, 2, 3 and drifts from outer = 4. Rebuilding R's outer = 4 weights from its outer = 3 fit with the
# true median gives different weights: R used cmad = 2.785 where 6 x median = 2.464 (R 4.2.2).
# Run: Rscript r_stl_robust_median.R (reads r_stl_robust_median_x.txt, the series described above).
x <- scan('r_stl_robust_median_x.txt', quiet=TRUE)
f3 <- stl(ts(x, frequency=7), s.window=7, robust=TRUE, inner=1, outer=3, t.jump=1, s.jump=1, l.jump=1)
f4 <- stl(ts(x, frequency=7), s.window=7, robust=TRUE, inner=1, outer=4, t.jump=1, s.jump=1, l.jump=1)
fit <- f3$time.series[,'trend'] + f3$time.series[,'seasonal']
r <- abs(x - fit); n <- length(x)
s <- sort(r); cmad <- 3*(s[n/2] + s[n/2+1])
w <- ifelse(r <= 0.001*cmad, 1, ifelse(r <= 0.999*cmad, (1-(r/cmad)^2)^2, 0))
cat('max |w_correct - w_R|:', max(abs(w - f4$weights)), '\n')
# which cmad would R have used? solve from a weight in (0,1)
i <- which(f4$weights > 0 & f4$weights < 1)[1]
cmadR <- r[i] / sqrt(1 - sqrt(f4$weights[i]))
cat('cmad correct', cmad, ' cmad implied by R', cmadR, '\n')
cat('sorted |resid| around the middle:', s[(n/2-2):(n/2+3)], '\n')
cat('implied cmad/3 =', cmadR/3, '\n')
