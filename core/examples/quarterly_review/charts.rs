//! Section "Control charts" of the quarterly review (core modules `baseline::charts`, `rules`, `arl`):
//! is the daily promoter share moving, and which teams sit outside their funnel limits?
//!
//! Reads the survey CSV itself (by header name: `date`, `nps`, `team`), because the review's `Survey` rows
//! carry the quarter, not the day. Rows with an unparseable or out-of-period date or a missing / invalid NPS
//! answer are counted and left out. Then:
//!
//! 1. a p chart (and Laney p') of the daily promoter share, phase I = the first 91 days (2024-Q1), with the
//!    Western Electric rules on the chart's z-scores;
//! 2. an EWMA (λ = 0.1) and a two-sided CUSUM (k = 0.5, h calibrated so that 12 team charts checked daily
//!    give one false alarm a quarter in expectation) on the daily NPS;
//! 3. a funnel plot of the promoter share of the 12 teams over the last quarter (99.8 % limits, with
//!    multiplicative overdispersion).
//!
//! Call: `charts::section(&path)` with the CSV path the review reads.

use cxkpi::baseline::arl::{calibrate, CalibratedChart, CalibrationConfig};
use cxkpi::baseline::charts::{
    cusum_chart, ewma_chart, funnel, p_chart, CusumConfig, EwmaConfig, FunnelConfig,
    Overdispersion, PChartConfig,
};
use cxkpi::baseline::rules::{evaluate, RulesConfig};
use std::collections::BTreeMap;

struct Day {
    n: f64,
    promoters: f64,
    detractors: f64,
}

/// Runs the section on the survey at `path`, printing the signals.
pub(crate) fn section(path: &str) -> cxkpi::Result<()> {
    println!("\n== Control charts: daily promoter share and NPS, team funnel ==");
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            println!("  cannot read {path}: {e}");
            return Ok(());
        }
    };
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or("").split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name);
    let (Some(ci_date), Some(ci_nps)) = (col("date"), col("nps")) else {
        println!("  the file has no date / nps columns");
        return Ok(());
    };
    let ci_team = col("team");
    let mut days: BTreeMap<String, Day> = BTreeMap::new();
    let mut teams: BTreeMap<String, (f64, f64)> = BTreeMap::new(); // last quarter: (promoters, n)
    let (mut bad_date, mut no_nps) = (0usize, 0usize);
    for line in lines {
        let f: Vec<&str> = line.split(',').collect();
        let date = f.get(ci_date).copied().unwrap_or("");
        let ok_date = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
            .ok()
            .filter(|d| (2024..=2025).contains(&chrono::Datelike::year(d)));
        if ok_date.is_none() {
            bad_date += 1;
            continue;
        }
        let nps: Option<f64> = f
            .get(ci_nps)
            .and_then(|v| v.parse().ok())
            .filter(|v: &f64| v.fract() == 0.0 && (0.0..=10.0).contains(v));
        let Some(v) = nps else {
            no_nps += 1;
            continue;
        };
        let d = days.entry(date.to_string()).or_insert(Day {
            n: 0.0,
            promoters: 0.0,
            detractors: 0.0,
        });
        d.n += 1.0;
        d.promoters += (v >= 9.0) as u8 as f64;
        d.detractors += (v <= 6.0) as u8 as f64;
        if let Some(t) = ci_team.and_then(|i| f.get(i)) {
            if date >= "2025-10-01" && !t.is_empty() {
                let e = teams.entry(t.to_string()).or_insert((0.0, 0.0));
                e.0 += (v >= 9.0) as u8 as f64;
                e.1 += 1.0;
            }
        }
    }
    let dates: Vec<&String> = days.keys().collect();
    let n: Vec<f64> = days.values().map(|d| d.n).collect();
    let prom: Vec<f64> = days.values().map(|d| d.promoters).collect();
    let nps: Vec<f64> = days
        .values()
        .map(|d| 100.0 * (d.promoters - d.detractors) / d.n)
        .collect();
    println!(
        "  {} days, {} answers used; left out: {bad_date} bad or out-of-period dates, {no_nps} missing / invalid NPS",
        dates.len(),
        n.iter().sum::<f64>()
    );
    let phase1 = Some([0, 91.min(dates.len())]);

    // 1. p chart and Laney p' of the daily promoter share
    let p = p_chart(
        &prom,
        &n,
        &PChartConfig {
            reference: phase1,
            ..Default::default()
        },
    )?;
    let lp = p_chart(
        &prom,
        &n,
        &PChartConfig {
            reference: phase1,
            laney: true,
            ..Default::default()
        },
    )?;
    println!(
        "  p chart: centre {:.4} (2024-Q1 pooled), {} days outside 3-sigma limits; Laney sigma_z = {:.3} -> {} days outside",
        p.estimation.mu,
        p.signals.len(),
        lp.estimation.sigma_z.unwrap_or(f64::NAN),
        lp.signals.len()
    );
    let we = evaluate(&lp, &RulesConfig::default())?;
    let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
    for s in &we {
        *by_rule.entry(s.rule.as_str()).or_default() += 1;
    }
    println!("  Western Electric hits on the Laney p' z-scores: {by_rule:?}");
    for s in lp.signals.iter().take(5) {
        println!(
            "    {} promoter share {:.3} vs {:.3} ({:+.2} sigma, n = {}), rule {}",
            dates[s.index],
            s.value,
            s.center,
            s.sigma.unwrap_or(0.0),
            s.n.unwrap_or(0.0),
            s.rule
        );
    }

    // 2. EWMA and a calibrated CUSUM on daily NPS
    let cal = calibrate(&CalibrationConfig {
        chart: CalibratedChart::Cusum,
        charts: 12.0,
        checks_per_period: 91.0,
        false_alarms: 1.0,
        k: 0.5,
        ..Default::default()
    })?;
    println!(
        "  budget: 12 team charts checked daily, one false alarm a quarter -> ARL0 {:.0}; CUSUM k = 0.5 needs h = {:.3} (ARL1 at 1 sd: {:.1} days)",
        cal.target_arl0, cal.threshold, cal.arl1
    );
    let ew = ewma_chart(
        &nps,
        &EwmaConfig {
            lambda: 0.1,
            l: 2.7,
            reference: phase1,
            ..Default::default()
        },
    )?;
    let cu = cusum_chart(
        &nps,
        &CusumConfig {
            k: 0.5,
            h: cal.threshold,
            reference: phase1,
            ..Default::default()
        },
    )?;
    println!(
        "  daily NPS phase I: mean {:.2}, sigma {:.2} (MR/d2); EWMA(0.1, L = 2.7): {} signals; CUSUM: {} signals",
        ew.estimation.mu,
        ew.estimation.sigma.unwrap_or(f64::NAN),
        ew.signals.len(),
        cu.signals.len()
    );
    for s in cu.signals.iter().take(8) {
        println!(
            "    {} {}: run of {} days from {}, estimated NPS {:.1} ({:+.1} points, {:+.2} sigma)",
            dates[s.index],
            s.rule,
            s.points.len(),
            dates[s.points[0]],
            s.value,
            s.deviation,
            s.sigma.unwrap_or(0.0)
        );
    }

    // 3. funnel over teams (last quarter)
    if teams.len() >= 3 {
        let names: Vec<String> = teams.keys().cloned().collect();
        let x: Vec<f64> = teams.values().map(|t| t.0).collect();
        let m: Vec<f64> = teams.values().map(|t| t.1).collect();
        let f = funnel(
            &x,
            &m,
            &FunnelConfig {
                overdispersion: Overdispersion::Multiplicative,
                labels: Some(names.clone()),
                ..Default::default()
            },
        )?;
        println!(
            "  funnel, {} teams in 2025-Q4: target share {:.3}, overdispersion phi = {:.2}",
            names.len(),
            f.target,
            f.phi_estimated.unwrap_or(1.0)
        );
        for s in &f.signals {
            println!(
                "    {}: promoter share {:.3} (n = {}) outside the {:.1} % limits ({:+.2} sigma)",
                s.series.as_deref().unwrap_or("?"),
                s.value,
                s.n.unwrap_or(0.0),
                100.0 * s.parameters["level"],
                s.sigma.unwrap_or(0.0)
            );
        }
        if f.signals.is_empty() {
            println!("    no team outside its limits");
        }
    } else {
        println!("  funnel: the file has no team column");
    }
    Ok(())
}
