# Golden cases for hazard_by_group (churn hazard by sentiment band), computed with R 4.2.2 (stats, survival).
# Run from this folder: Rscript r_hazard.R  (writes ../hazard_by_group.json). No value comes from cxkpi.
suppressMessages({library(jsonlite); library(survival)})
cases <- list()
num <- function(x) if (is.null(x) || is.na(x) || !is.finite(x)) NULL else unname(x)

hazard_case <- function(name, time, event, group, conf = 0.95, reference = NULL) {
  codes <- sort(unique(group))
  ref <- if (is.null(reference)) codes[1] else reference
  ex <- list(reference = ref)
  sd <- survdiff(Surv(time, event) ~ factor(group))
  if (length(codes) > 1) {
    ex$logrank_chisq <- sd$chisq
    ex$logrank_df <- length(codes) - 1
    ex$logrank_p_value <- pchisq(sd$chisq, length(codes) - 1, lower.tail = FALSE)
  }
  T0 <- sum(time[group == ref]); d0 <- sum(event[group == ref])
  for (j in seq_along(codes)) {
    g <- codes[j]; k <- j - 1
    Tg <- sum(time[group == g]); dg <- sum(event[group == g])
    pt <- poisson.test(dg, Tg, conf.level = conf)
    ex[[sprintf("groups.%d.group", k)]] <- g
    ex[[sprintf("groups.%d.events", k)]] <- dg
    ex[[sprintf("groups.%d.exposure", k)]] <- Tg
    ex[[sprintf("groups.%d.rate", k)]] <- unname(pt$estimate)
    ex[[sprintf("groups.%d.rate_lower", k)]] <- pt$conf.int[1]
    ex[[sprintf("groups.%d.rate_upper", k)]] <- pt$conf.int[2]
    ex[[sprintf("groups.%d.observed", k)]] <- unname(sd$obs[j])
    ex[[sprintf("groups.%d.expected", k)]] <- unname(sd$exp[j])
    if (g != ref) {
      pr <- poisson.test(c(dg, d0), c(Tg, T0), conf.level = conf)
      ex[[sprintf("groups.%d.rate_ratio", k)]] <- num(pr$estimate)
      ex[[sprintf("groups.%d.ratio_lower", k)]] <- num(pr$conf.int[1])
      ex[[sprintf("groups.%d.ratio_upper", k)]] <- num(pr$conf.int[2])
      ex[[sprintf("groups.%d.ratio_p_value", k)]] <- pr$p.value
      if (dg > 0 && d0 > 0) {
        l <- log((dg / Tg) / (d0 / T0)); se <- sqrt(1 / dg + 1 / d0); z <- qnorm(1 - (1 - conf) / 2)
        ex[[sprintf("groups.%d.ratio_wald_lower", k)]] <- exp(l - z * se)
        ex[[sprintf("groups.%d.ratio_wald_upper", k)]] <- exp(l + z * se)
      }
    } else {
      ex[[sprintf("groups.%d.rate_ratio", k)]] <- NA
    }
  }
  inp <- list(time = time, event = event, group = group)
  if (conf != 0.95) inp$confidence <- conf
  if (!is.null(reference)) inp$reference <- reference
  list(name = name, input = inp, expect = ex, tolerance = 1e-9,
       source = paste0("R 4.2.2: poisson.test(d, T, conf.level = ", conf, ") per group; ",
                       "poisson.test(c(d_g, d_ref), c(T_g, T_ref)) for the ratio (estimate, conf.int, p.value); ",
                       "Wald: exp(log(RR) +/- qnorm(1 - alpha/2) * sqrt(1/d_g + 1/d_ref)); ",
                       "survdiff(Surv(time, event) ~ factor(group)) for obs, exp, chisq; ",
                       "pchisq(chisq, k - 1, lower.tail = FALSE). Tolerance 1e-9: chi-square/beta quantiles."))
}

# 1. the lung data of survival (time in days, status 2 = dead), grouped by ph.ecog 0/1/2 (3 and NA dropped)
lung2 <- subset(survival::lung, !is.na(ph.ecog) & ph.ecog < 3)
cases[[1]] <- hazard_case("lung_by_ecog", lung2$time, as.numeric(lung2$status == 2), lung2$ph.ecog)
# 2. a small churn table by sentiment band (0 positive, 1 neutral, 2 negative), months of tenure
set.seed(20261123)
n <- 60; band <- rep(0:2, each = 20)
rate <- c(0.02, 0.04, 0.09)[band + 1]
t_ev <- round(rexp(n, rate), 1); cens <- 24
time <- pmin(t_ev, cens); event <- as.numeric(t_ev <= cens)
cases[[2]] <- hazard_case("churn_by_sentiment_band", time, event, band)
# 3. the same with the negative band as reference and 90% intervals
cases[[3]] <- hazard_case("reference_negative_90", time, event, band, conf = 0.90, reference = 2)
# 4. a band with no churn at all: rate 0 with lower limit 0, exact ratio limits
cases[[4]] <- hazard_case("band_without_events", c(5, 8, 12, 12, 3, 4, 6, 2), c(0, 0, 0, 0, 1, 1, 0, 1),
                          c(0, 0, 0, 0, 1, 1, 1, 1))
cases[[5]] <- list(name = "error_event_not_binary", input = list(time = c(1, 2), event = c(1, 2), group = c(0, 1)),
                   error = list(kind = "invalid_argument"), source = "event must be 0 or 1")
cases[[6]] <- list(name = "error_unknown_reference", input = list(time = c(1, 2), event = c(1, 0), group = c(0, 1), reference = 7),
                   error = list(kind = "invalid_argument"), source = "the reference group must occur")
cases[[7]] <- list(name = "error_length_mismatch", input = list(time = c(1, 2), event = c(1, 0), group = I(0)),
                   error = list(kind = "length_mismatch"), source = "group shorter than time")
doc <- list(`function` = "hazard_by_group",
            description = "Churn hazard by group: exact Poisson rates, rate ratios (exact conditional, Wald) and the log-rank test.",
            cases = cases)
writeLines(toJSON(doc, auto_unbox = TRUE, digits = NA, null = "null", na = "null", pretty = TRUE), "../hazard_by_group.json")
