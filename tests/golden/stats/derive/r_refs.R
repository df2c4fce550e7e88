# Reference values for the stats golden family, computed with R 4.2.2 and CRAN packages psych, survival.
# Run from this folder: Rscript r_refs.R  (writes r_refs.json; build_golden.py assembles the JSON cases).
suppressMessages({library(jsonlite); library(psych); library(survival)})
d <- fromJSON("data.json")
out <- list()

icc_ref <- function(m, alpha = 0.05) {
  r <- psych::ICC(m, alpha = alpha, lmer = FALSE)
  res <- r$results
  list(value = res$ICC, f = res$F, df1 = res$df1, df2 = res$df2, p = res$p,
       lower = res[["lower bound"]], upper = res[["upper bound"]],
       ms = r$summary[[1]][["Mean Sq"]])
}
out$icc_sf <- icc_ref(as.matrix(d$sf_table))
out$icc_sf90 <- icc_ref(as.matrix(d$sf_table), alpha = 0.10)
out$icc_b <- icc_ref(as.matrix(d$icc_b))

alpha_ref <- function(m, conf = 0.95) {
  a <- psych::alpha(as.data.frame(m), warnings = FALSE)
  n <- nrow(m); k <- ncol(m); al <- a$total$raw_alpha; pv <- 1 - conf
  list(alpha = al, std_alpha = a$total$std.alpha,
       drop = a$alpha.drop$raw_alpha,
       # Feldt (1965), as psych::alpha.ci: 1 - (1 - alpha) * qf(...)
       lower = 1 - (1 - al) * qf(1 - pv / 2, n - 1, (n - 1) * (k - 1)),
       upper = 1 - (1 - al) * qf(pv / 2, n - 1, (n - 1) * (k - 1)))
}
out$alpha_a <- alpha_ref(as.matrix(d$alpha_a))
out$alpha_b <- alpha_ref(as.matrix(d$alpha_b), 0.90)
out$alpha_sf <- alpha_ref(as.matrix(d$sf_table))

# test-retest: psych::ICC on the two occasions; SEM = sd_pooled * sqrt(1 - ICC(A,1)), MDC = qnorm(.975) sqrt(2) SEM
tr <- cbind(d$retest$test, d$retest$retest)
rr <- psych::ICC(tr, lmer = FALSE)$results
sdp <- sqrt((var(tr[, 1]) + var(tr[, 2])) / 2)
sem <- sdp * sqrt(1 - rr$ICC[2])
out$retest <- list(icc_a = rr$ICC[2], icc_a_lower = rr[["lower bound"]][2], icc_a_upper = rr[["upper bound"]][2],
                   icc_c = rr$ICC[3], mean_diff = mean(tr[, 2] - tr[, 1]), sd_pooled = sdp,
                   sem = sem, mdc = qnorm(0.975) * sqrt(2) * sem)
out$me1 <- list(sem = 12.5 * sqrt(1 - 0.82), mdc = qnorm(0.975) * sqrt(2) * 12.5 * sqrt(1 - 0.82))
out$me2 <- list(sem = 0.9 * sqrt(1 - 0.7), mdc = qnorm(0.95) * sqrt(2) * 0.9 * sqrt(1 - 0.7))

# correlation intervals: cor.test (Fisher z) for Pearson; Bonett-Wright by formula for Spearman
ct <- cor.test(d$corr_x, d$corr_y)
out$pearson <- list(r = unname(ct$estimate), t = unname(ct$statistic), p = ct$p.value,
                    lower = ct$conf.int[1], upper = ct$conf.int[2])
ct90 <- cor.test(d$perm_x, d$perm_y, conf.level = 0.90)
out$pearson_perm90 <- list(r = unname(ct90$estimate), lower = ct90$conf.int[1], upper = ct90$conf.int[2])
bw <- function(x, y, conf = 0.95) {
  r <- cor(x, y, method = "spearman"); n <- length(x)
  z <- atanh(r); h <- qnorm(1 - (1 - conf) / 2) * sqrt((1 + r^2 / 2) / (n - 3))
  list(r = r, lower = tanh(z - h), upper = tanh(z + h))
}
out$spearman_ties <- bw(d$sp_x, d$sp_y)
out$spearman_small <- bw(d$small_x, d$small_y)
# exact Spearman p for n = 7 without ties: cor.test(method = "spearman", exact = TRUE) (AS 89 exact for n <= 9)
out$spearman_small$p_r <- cor.test(d$small_x, d$small_y, method = "spearman", exact = TRUE)$p.value

# correlation matrix: pairwise cor.test, then p.adjust
m <- as.matrix(d$mat); k <- ncol(m); ps <- c(); rs <- c(); lo <- c(); up <- c()
for (i in 1:(k - 1)) for (j in (i + 1):k) {
  t <- cor.test(m[, i], m[, j]); ps <- c(ps, t$p.value); rs <- c(rs, unname(t$estimate))
  lo <- c(lo, t$conf.int[1]); up <- c(up, t$conf.int[2])
}
out$mat <- list(r = rs, p = ps, holm = p.adjust(ps, "holm"), bh = p.adjust(ps, "BH"), lower = lo, upper = up)
pv <- c(0.01, 0.04, 0.03, 0.005, 0.2, 0.04, 0.6)
out$padj <- list(p = pv, holm = p.adjust(pv, "holm"), bh = p.adjust(pv, "BH"), bonferroni = p.adjust(pv, "bonferroni"))

# Kaplan-Meier: survfit; summary(censored = TRUE) rows; std.err of S
km <- function(time, status, ct) {
  f <- survfit(Surv(time, status) ~ 1, conf.type = ct)
  s <- summary(f, censored = TRUE)
  med <- unname(summary(f)$table["median"])
  list(time = s$time, n_risk = s$n.risk, n_event = s$n.event, n_censor = s$n.censor, surv = s$surv,
       std_err = s$std.err, lower = s$lower, upper = s$upper, median = med)
}
out$km_aml_loglog <- km(d$km_aml_time, d$km_aml_status, "log-log")
out$km_aml_log <- km(d$km_aml_time, d$km_aml_status, "log")
out$km_b_plain <- km(d$km_b_time, d$km_b_status, "plain")
out$km_b_loglog <- km(d$km_b_time, d$km_b_status, "log-log")

# shrinkage: one-way ANOVA moments (formulas written out), normal-normal and beta-binomial
anova_mom <- function(v, g) {
  g <- factor(g); ni <- as.numeric(table(g)); k <- length(ni); N <- length(v)
  mi <- as.numeric(tapply(v, g, mean)); gm <- mean(v)
  msb <- sum(ni * (mi - gm)^2) / (k - 1); msw <- sum((v - mi[as.integer(g)])^2) / (N - k)
  n0 <- (N - sum(ni^2) / N) / (k - 1); tau2 <- max(0, (msb - msw) / n0)
  list(ni = ni, mi = mi, gm = gm, msb = msb, msw = msw, n0 = n0, tau2 = tau2, s2 = msw, icc = tau2 / (tau2 + msw),
       si = as.numeric(tapply(v, g, sum)))
}
a <- anova_mom(d$shrink_values, d$shrink_groups)
w <- 1 / (a$tau2 + a$s2 / a$ni); mu <- sum(w * a$mi) / sum(w)
wi <- a$tau2 / (a$tau2 + a$s2 / a$ni); sh <- mu + wi * (a$mi - mu); sdp <- sqrt(wi * a$s2 / a$ni)
out$shrink_normal <- list(mu = mu, tau2 = a$tau2, s2 = a$s2, icc = a$icc, msb = a$msb, msw = a$msw, n0 = a$n0,
                          raw = a$mi, shrunk = sh, weight = wi, sd = sdp,
                          lower = sh - qnorm(0.975) * sdp, upper = sh + qnorm(0.975) * sdp)
b <- anova_mom(d$bb_values, d$bb_groups)
mm <- (1 - b$icc) / b$icc; pa <- b$gm * mm; pb <- (1 - b$gm) * mm
qa <- b$si + pa; qb <- b$ni - b$si + pb
out$shrink_bb <- list(p = b$gm, icc = b$icc, a = pa, b = pb, raw = b$mi, shrunk = qa / (qa + qb),
                      weight = b$ni / (b$ni + mm), lower = qbeta(0.05, qa, qb), upper = qbeta(0.95, qa, qb))

# full-precision JSON (%.17g round-trips every double)
tojs <- function(x) {
  if (is.list(x)) return(paste0("{", paste(sprintf("\"%s\": %s", names(x), sapply(x, tojs)), collapse = ", "), "}"))
  paste0("[", paste(ifelse(is.na(x), "null", sprintf("%.17g", as.numeric(x))), collapse = ", "), "]")
}
writeLines(tojs(out), "r_refs.json")
cat("wrote r_refs.json\n")
