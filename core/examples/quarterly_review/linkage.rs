//! Section "Linkage" of the quarterly review (core module `stats`): does sentiment predict churn, and is
//! the metric stable from one quarter to the next (test-retest)?
//!
//! The sample survey has no churn column, so the section derives a synthetic churn outcome from each
//! respondent's sentiment and NPS answer with a documented, seeded model:
//!
//! ```text
//! logit P(churn) = -1.5 - 0.8 · sentiment - 0.3 · (nps - 7)      sentiment in {-1, 0, 1}, nps 0-10
//! churn ~ Bernoulli(P)                                          Pcg64, seed 2026
//! ```
//!
//! and fits a logistic regression churn ~ sentiment + nps: the true log-odds are -0.8 and -0.3, so the fit
//! shows what a real churn file would let an executive check before sentiment enters their pay. The
//! churn hazard by sentiment band reads the same model as a 12-month churn probability with a constant
//! monthly hazard (rates, rate ratios against the positive band, log-rank test). The
//! test-retest check treats each segment × region cell as a "respondent" measured in the last two quarters
//! (mean CSAT on 1-5) and reports ICC(A,1), ICC(C,1), SEM and the minimal detectable change.

use cxkpi::stats::hazard::{hazard_by_group, HazardOptions};
use cxkpi::stats::logistic::{logistic, LogisticOptions};
use cxkpi::stats::reliability::test_retest;
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;

/// Intercept and log-odds of the synthetic churn model.
const CHURN_MODEL: (f64, f64, f64) = (-1.5, -0.8, -0.3);

pub(crate) fn section(s: &super::Survey) -> cxkpi::Result<()> {
    println!(
        "\n== Linkage: does sentiment predict churn? (synthetic churn, model in linkage.rs) =="
    );
    let mut rng = Pcg64::seed_from_u64(2026);
    let (mut churn, mut sent, mut score) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..s.nps.len() {
        let (se, n) = (s.sentiment[i], s.nps[i]);
        if se.is_nan() || n.is_nan() {
            continue;
        }
        let (b0, bs, bn) = CHURN_MODEL;
        let p = 1.0 / (1.0 + (-(b0 + bs * se + bn * (n - 7.0))).exp());
        churn.push(if rng.random::<f64>() < p { 1.0 } else { 0.0 });
        sent.push(se);
        score.push(n);
    }
    let fit = logistic(
        &churn,
        &[&sent, &score],
        &LogisticOptions {
            names: Some(vec!["sentiment".into(), "nps".into()]),
            ..LogisticOptions::default()
        },
    )?;
    println!(
        "n = {} respondents with sentiment and NPS, {} churned; {} Newton iterations",
        fit.n, fit.n_events, fit.iterations
    );
    for c in &fit.coefficients[1..] {
        println!(
            "  {:<10} log-odds {:+.3} (SE {:.3}, p {:.2e})  odds ratio {:.3} [95% CI {:.3}, {:.3}]",
            c.name,
            c.estimate,
            c.se,
            c.p_value,
            c.odds_ratio,
            c.odds_ratio_lower,
            c.odds_ratio_upper
        );
    }
    println!(
        "  likelihood-ratio chi2 {:.1} (p {:.2e}), McFadden pseudo-R2 {:.3}; true log-odds {:+.1} and {:+.1}",
        fit.lr_chi2, fit.lr_p_value, fit.pseudo_r_squared, CHURN_MODEL.1, CHURN_MODEL.2
    );
    let sig = fit.coefficients[1].p_value < 0.05;
    println!(
        "  verdict: sentiment {} churn after controlling for NPS (alpha 0.05)",
        if sig { "predicts" } else { "does not predict" }
    );

    // Churn hazard by sentiment band: the same model read as the chance of churning within 12 months,
    // spread over the months with a constant monthly hazard 1 - (1 - P)^(1/12) (Pcg64, seed 2027);
    // customers who do not churn are followed for the full 12 months (censored).
    let mut rng = Pcg64::seed_from_u64(2027);
    let (mut months, mut churned, mut band) = (Vec::new(), Vec::new(), Vec::new());
    for (&se, &n) in sent.iter().zip(&score) {
        let (b0, bs, bn) = CHURN_MODEL;
        let p = 1.0 / (1.0 + (-(b0 + bs * se + bn * (n - 7.0))).exp());
        let h = 1.0 - (1.0 - p).powf(1.0 / 12.0);
        let month = (1..=12).find(|_| rng.random::<f64>() < h);
        months.push(month.map_or(12.0, f64::from));
        churned.push(if month.is_some() { 1.0 } else { 0.0 });
        band.push((se + 1.0) as u32); // 0 negative, 1 neutral, 2 positive
    }
    let hz = hazard_by_group(
        &months,
        &churned,
        &band,
        &HazardOptions {
            reference: Some(2),
            ..HazardOptions::default()
        },
    )?;
    println!("  churn hazard by sentiment band (12-month follow-up, reference: positive):");
    for g in &hz.groups {
        let label = ["negative", "neutral", "positive"][g.group as usize];
        let ratio = match (g.rate_ratio, g.ratio_lower, g.ratio_upper) {
            (Some(r), Some(l), Some(u)) => format!("{r:.2}x [{l:.2}, {u:.2}]"),
            _ => "reference".to_string(),
        };
        println!(
            "    {label:<8} {:>6} customers, {:>5} churned: {:.2} per 100 customer-months [{:.2}, {:.2}], rate ratio {ratio}",
            g.n,
            g.events,
            100.0 * g.rate,
            100.0 * g.rate_lower,
            100.0 * g.rate_upper
        );
    }
    println!(
        "    log-rank chi2 {:.1} on {} df (p {:.2e})",
        hz.logrank_chisq.unwrap_or(0.0),
        hz.logrank_df,
        hz.logrank_p_value.unwrap_or(1.0)
    );

    println!("\n== Test-retest: segment x region mean CSAT, last two quarters ==");
    let nq = s.quarter_names.len();
    if nq < 2 {
        println!("  fewer than two quarters: skipped");
        return Ok(());
    }
    let (q0, q1) = ((nq - 2) as u32, (nq - 1) as u32);
    let (ns, nr) = (s.segment_names.len(), s.region_names.len());
    let cell_mean = |q: u32, seg: usize, reg: usize| {
        let (mut sum, mut n) = (0.0, 0usize);
        for i in 0..s.csat.len() {
            if s.quarter[i] == q
                && s.segment[i] as usize == seg
                && s.region[i] as usize == reg
                && !s.csat[i].is_nan()
            {
                sum += s.csat[i];
                n += 1;
            }
        }
        (n > 0).then(|| sum / n as f64)
    };
    let (mut test, mut retest) = (Vec::new(), Vec::new());
    for seg in 0..ns {
        for reg in 0..nr {
            if let (Some(a), Some(b)) = (cell_mean(q0, seg, reg), cell_mean(q1, seg, reg)) {
                test.push(a);
                retest.push(b);
            }
        }
    }
    let tr = test_retest(&test, &retest, 0.95)?;
    let fmt = |x: Option<f64>| x.map_or("n/a".to_string(), |v| format!("{v:.3}"));
    println!(
        "  {} cells, {} -> {}: ICC(A,1) {:.3} [{}, {}], ICC(C,1) {:.3}, mean change {:+.3}",
        tr.n,
        s.quarter_names[q0 as usize],
        s.quarter_names[q1 as usize],
        tr.icc_agreement.value,
        fmt(tr.icc_agreement.lower),
        fmt(tr.icc_agreement.upper),
        tr.icc_consistency.value,
        tr.mean_difference
    );
    match &tr.measurement_error {
        Some(me) => println!(
            "  SEM {:.3} CSAT points; a cell must move by more than {:.3} (MDC95) to be a real change",
            me.sem, me.mdc
        ),
        None => println!("  ICC(A,1) is negative: the cell means do not agree across quarters (no SEM)"),
    }
    Ok(())
}
