# Reference values for the composite golden family (run by hand: Rscript r_refs.R > r_refs.out).
options(digits = 17)
# slope test: y on 0..n-1, one-sided t test of the slope
slope <- function(y) {
  x <- seq_along(y) - 1
  s <- summary(lm(y ~ x))$coefficients
  b <- s["x", "Estimate"]; se <- s["x", "Std. Error"]; t <- s["x", "t value"]; df <- length(y) - 2
  cat(sprintf("slope %.17g se %.17g t %.17g df %d p_up %.17g p_down %.17g\n", b, se, t, df,
              pt(t, df, lower.tail = FALSE), pt(t, df, lower.tail = TRUE)))
}
slope(c(10, 12, 11, 15, 16))
slope(c(5, 4.5, 4.8, 4.1, 3.9, 3.2))
slope(c(1, 2, 4))
slope(c(3, 3.5, 2.9, 3.4))
# redundancy: correlations over (unit, period) pairs
a <- c(1, 2, 3, 4, 5, 6)
b <- c(2.1, 3.9, 6.2, 8.1, 9.8, 12.2)
c <- c(5, 3, 4, 1, 2, 6)
cat(sprintf("cor_ab %.17g cor_ac %.17g cor_bc %.17g\n", cor(a, b), cor(a, c), cor(b, c)))
# suggest weights: lm and Shapley (LMG) by enumerating subsets
x1 <- c(1, 2, 3, 4, 5, 6, 7, 8)
x2 <- c(2, 1, 4, 3, 6, 5, 8, 9)
x3 <- c(5, 3, 6, 2, 7, 1, 4, 8)
y  <- c(3.1, 3.9, 6.2, 6.8, 9.9, 10.1, 12.8, 15.2)
X <- list(x1 = x1, x2 = x2, x3 = x3)
fit <- lm(y ~ x1 + x2 + x3)
co <- summary(fit)$coefficients
print(co, digits = 17)
print(confint(fit), digits = 17)
r2 <- function(cols) if (length(cols) == 0) 0 else summary(lm(y ~ ., data = as.data.frame(X[cols])))$r.squared
cat(sprintf("r2 %.17g\n", summary(fit)$r.squared))
p <- 3
for (j in names(X)) {
  others <- setdiff(names(X), j); phi <- 0
  for (k in 0:(p - 1)) {
    subs <- if (k == 0) list(character(0)) else combn(others, k, simplify = FALSE)
    for (S in subs) phi <- phi + factorial(k) * factorial(p - k - 1) / factorial(p) * (r2(c(S, j)) - r2(S))
  }
  cat(sprintf("shapley %s %.17g\n", j, phi))
}
