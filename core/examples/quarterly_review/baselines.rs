//! Section "Baselines" of the quarterly review (core module `baseline`: series, stl, expected, events,
//! changepoint, significance): the weekly pattern of daily NPS, a baseline for EMEA that leaves the outage
//! out and measures its counterfactual impact, the confirmed level shifts, and the last quarter's move in
//! plain words.
//!
//! `Survey` carries no per-row date, so the section re-reads the date, region and nps columns of the same
//! CSV (by header name) and applies the same validity rules (a row with an unparseable date or an invalid
//! nps is left out and counted; a blank nps is a missing answer).
//!
//! Wiring (in main.rs): `mod baselines;` and `baselines::section(&path, &s)?;`.

use cxkpi::baseline::changepoint::{detect_changes, ChangeMethod, ChangepointOptions, Penalty};
use cxkpi::baseline::events::EventCalendar;
use cxkpi::baseline::expected::{baseline, BaselineMethod, BaselineOptions};
use cxkpi::baseline::series::{aggregate_daily, format_date, parse_date, DailyStat, MissingDays};
use cxkpi::baseline::significance::{period_move, MoveOptions, PeriodSummary};
use cxkpi::baseline::stl::{stl, StlOptions, StlPreset};
use cxkpi::{nps, NpsOptions};

/// The event calendar of the sample company (core/examples/data/README.md, planted effects 2 and 3).
const CALENDAR: &str = r#"{"events": [
  {"name": "Mobile App 5.0 launch", "kind": "launch", "start": "2024-05-14", "end": "2024-06-10", "policy": "exclude"},
  {"name": "EMEA outage", "kind": "outage", "start": "2025-04-09", "end": "2025-06-15"},
  {"name": "EMEA outage recovery", "kind": "outage", "start": "2025-06-16", "end": "2025-08-31"}
]}"#;

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

pub(crate) fn section(path: &str, s: &super::Survey) -> cxkpi::Result<()> {
    use chrono::Datelike;
    println!("\n== Baselines: weekly pattern, event windows, level shifts ==");
    let text = std::fs::read_to_string(path).map_err(|e| cxkpi::CxkpiError::Unsupported {
        message: format!("cannot read {path}: {e}"),
    })?;
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name);
    let (Some(c_date), Some(c_reg), Some(c_nps)) = (col("date"), col("region"), col("nps")) else {
        println!("  (no date / region / nps column: section skipped)");
        return Ok(());
    };
    let (mut dates, mut all, mut emea_dates, mut emea) = (vec![], vec![], vec![], vec![]);
    let mut left_out = 0usize;
    for line in lines {
        let f: Vec<&str> = line.split(',').collect();
        let (Ok(d), Some(v)) = (
            parse_date("date", f[c_date]),
            match f[c_nps] {
                "" => Some(f64::NAN),
                x => x
                    .parse::<f64>()
                    .ok()
                    .filter(|v| (0.0..=10.0).contains(v) && v.fract() == 0.0),
            },
        ) else {
            left_out += 1;
            continue;
        };
        // the 16 planted dates outside the field period are left out too
        if !(parse_date("d", "2024-01-03")?..=parse_date("d", "2025-12-29")?).contains(&d) {
            left_out += 1;
            continue;
        }
        dates.push(d);
        all.push(v);
        if f[c_reg] == "EMEA" {
            emea_dates.push(d);
            emea.push(v);
        }
    }
    let daily = aggregate_daily(&dates, &all, DailyStat::Nps)?;
    let x = daily.series.values_nan();
    println!(
        "  daily NPS: {} days from {} ({} rows left out as invalid, {} blank answers skipped, {} days without answers)",
        x.len(),
        format_date(daily.series.start),
        left_out,
        daily.n_missing_values,
        daily.gaps.iter().map(|g| g.days).sum::<usize>()
    );

    // 1. The weekly pattern: STL (statsmodels preset, period 7, seasonal window 13), averaged per weekday.
    let fit = stl(
        &x,
        &StlOptions {
            period: 7,
            preset: StlPreset::Statsmodels,
            seasonal_length: Some(13),
            robust: true,
            missing: MissingDays::InterpolateLinear,
            ..Default::default()
        },
    )?;
    let mut by_day = [(0.0, 0usize); 7];
    for (i, v) in fit.seasonal.iter().enumerate() {
        let wd = daily.series.date(i).weekday().num_days_from_monday() as usize;
        by_day[wd].0 += v;
        by_day[wd].1 += 1;
    }
    let p = &fit.parameters;
    println!(
        "  STL weekly pattern (robust, seasonal {} / trend {} / low-pass {}; seasonal strength {:.2}):",
        p.seasonal_length,
        p.trend_length,
        p.low_pass_length,
        fit.seasonal_strength.unwrap_or(0.0)
    );
    println!(
        "    {}",
        WEEKDAYS
            .iter()
            .zip(by_day)
            .map(|(d, (sum, k))| format!("{d} {:+5.1}", sum / k as f64))
            .collect::<Vec<_>>()
            .join("  ")
    );

    // 2. EMEA: a 28-day trailing baseline that leaves the outage out; the outage's counterfactual impact.
    let cal = EventCalendar::from_json(CALENDAR)?;
    let e = aggregate_daily(&emea_dates, &emea, DailyStat::Nps)?;
    let ex = e.series.values_nan();
    let b = baseline(
        &ex,
        e.series.start,
        &cal,
        &BaselineOptions {
            method: BaselineMethod::RollingMean,
            window: 56,
            k: 2.0,
            series: Some("EMEA daily NPS".into()),
            ..Default::default()
        },
    )?;
    println!(
        "  EMEA daily NPS baseline: {} over the last {} included days, band ±{} x rolling sd; {} days left out",
        b.method,
        56,
        2,
        b.excluded.len()
    );
    for imp in &b.impacts {
        if imp.days_measured == 0 {
            continue;
        }
        println!(
            "    {:<24} {} days: observed {:+6.1} vs counterfactual {:+6.1} → impact {:+6.1} NPS/day ({:+.0} NPS-days)",
            imp.name,
            imp.days_measured,
            imp.observed_mean.unwrap_or(f64::NAN),
            imp.counterfactual_mean.unwrap_or(f64::NAN),
            imp.impact_mean.unwrap_or(f64::NAN),
            imp.impact_sum.unwrap_or(f64::NAN)
        );
    }
    let flagged = b.flag.iter().filter(|f| f.is_some()).count();
    println!(
        "    included days outside the band: {flagged} of {}",
        b.included.iter().filter(|i| **i).count()
    );

    // 3. Level shifts in the deseasonalised daily NPS (all regions): PELT, MBIC, confirmed if they last 14 days.
    let adj: Vec<f64> = x
        .iter()
        .zip(&fit.seasonal)
        .map(|(v, s)| if v.is_nan() { f64::NAN } else { v - s })
        .collect();
    let cp = detect_changes(
        &adj,
        &ChangepointOptions {
            method: ChangeMethod::Pelt,
            penalty: Penalty::Mbic,
            min_size: 7,
            persist_days: 14,
            series: Some("daily NPS, all regions".into()),
            missing: MissingDays::InterpolateLinear,
            ..Default::default()
        },
    )?;
    println!(
        "  level shifts (PELT, MBIC, sigma {:.1} by {}, min segment 7 days): {} found, {} confirmed",
        cp.sigma,
        cp.sigma_method,
        cp.changepoints.len(),
        cp.signals.len()
    );
    for c in &cp.confirmations {
        println!(
            "    {} {:+5.1} NPS (MDC {:.1}, lasted {} days){}",
            format_date(daily.series.date(c.index)),
            c.shift,
            c.mdc,
            c.persisted_days,
            if c.confirmed {
                "  confirmed → signal level_shift"
            } else {
                "  not confirmed"
            }
        );
    }

    // 4. The last quarter against the one before, in plain words.
    let nq = s.quarter_names.len();
    if nq >= 2 {
        let q = |k: usize| -> cxkpi::Result<PeriodSummary> {
            let v: Vec<f64> = (0..s.nps.len())
                .filter(|&i| s.quarter[i] as usize == k)
                .map(|i| s.nps[i])
                .collect();
            let r = nps(&v, None, &NpsOptions::default())?;
            Ok(PeriodSummary {
                estimate: r.nps,
                se: r.se,
                n: r.n as f64,
            })
        };
        let m = period_move(&q(nq - 2)?, &q(nq - 1)?, &MoveOptions::default())?;
        println!(
            "  {} vs {}: {}",
            s.quarter_names[nq - 1],
            s.quarter_names[nq - 2],
            m.words
        );
    }
    Ok(())
}
