//! The main job: a quarterly customer-experience review of the sample survey that ships in
//! `core/examples/data/cx_survey_sample.csv` (50,000 responses over 8 quarters).
//!
//! Run: `cargo run --release -p cxkpi --example quarterly_review [path/to/survey.csv]`
//!
//! It validates every row (invalid rows are excluded and counted by reason, never dropped silently),
//! then prints NPS, CSAT (top-2-box) and CES, overall and by segment and region, each with its 95%
//! interval and n, and the change against the prior quarter marked significant or not.

use cxkpi::options::Options;
use cxkpi::scale::{check_value, ValueCheck};
use cxkpi::*;
use std::collections::BTreeMap;
use std::fmt::Write as _;

// Sections of the review that live in files of their own (one per library module they show).
mod baselines; // baseline: weekly pattern, event impact, level shifts, period moves
mod bonuses; // incentive: executive and frontline bonus outcomes
mod charts; // baseline: p / Laney p', EWMA and CUSUM charts, a team funnel
mod linkage; // stats: does sentiment predict churn, test-retest check
mod quality; // quality: the exclusion account of the validation rules, a suppressed small group
mod scorecard; // composite: the balanced scorecard of the sample company
mod screens; // baseline: manipulation screens, drift and escalated alerts
mod themes; // text: theme tagging, top pain points by impact, sentiment agreement

/// The validated survey; `pub(crate)` so the section files can read it.
pub(crate) struct Survey {
    quarter: Vec<u32>,
    segment: Vec<u32>,
    region: Vec<u32>,
    nps: Vec<f64>,
    csat: Vec<f64>,
    ces: Vec<f64>,
    sentiment: Vec<f64>,
    quarter_names: Vec<String>,
    segment_names: Vec<String>,
    region_names: Vec<String>,
    rows_read: usize,
    excluded: BTreeMap<String, usize>,
}

fn code(names: &mut Vec<String>, s: &str) -> u32 {
    match names.iter().position(|n| n == s) {
        Some(i) => i as u32,
        None => {
            names.push(s.to_string());
            (names.len() - 1) as u32
        }
    }
}

/// Parses an answer: blank = missing (NaN); otherwise it must be a valid point of `scale`.
fn answer(field: &str, scale: Scale) -> std::result::Result<f64, String> {
    if field.is_empty() {
        return Ok(f64::NAN);
    }
    let v: f64 = field
        .parse()
        .map_err(|_| "unparseable number".to_string())?;
    check_value("answer", 0, v, ValueCheck::Scale(scale)).map_err(|e| e.kind().to_string())?;
    Ok(v)
}

/// The calendar quarter of an ISO date ("2025-04-09" → "2025-Q2"); `None` for anything that is not a real
/// date (wrong format, 2025-02-30, month 13, ...).
fn quarter_of(date: &str) -> Option<String> {
    use chrono::Datelike;
    let d = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
    Some(format!("{}-Q{}", d.year(), d.month0() / 3 + 1))
}

fn load(path: &str) -> Survey {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("header").split(',').collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    };
    let (c_date, c_seg, c_reg, c_nps, c_csat, c_ces, c_sent) = (
        col("date"),
        col("segment"),
        col("region"),
        col("nps"),
        col("csat"),
        col("ces"),
        col("sentiment"),
    );
    let mut s = Survey {
        quarter: vec![],
        segment: vec![],
        region: vec![],
        nps: vec![],
        csat: vec![],
        ces: vec![],
        sentiment: vec![],
        quarter_names: vec![],
        segment_names: vec![],
        region_names: vec![],
        rows_read: 0,
        excluded: BTreeMap::new(),
    };
    // Parsed rows are kept with their quarter label; quarters are coded in calendar order afterwards.
    let mut rows = Vec::new();
    for line in lines {
        s.rows_read += 1;
        let f: Vec<&str> = line.split(',').collect();
        let parsed = (|| {
            let q = quarter_of(f[c_date]).ok_or("date: not a valid YYYY-MM-DD date")?;
            let nps = answer(f[c_nps], Scale::NPS).map_err(|k| format!("nps: {k}"))?;
            let csat = answer(f[c_csat], Scale::CSAT).map_err(|k| format!("csat: {k}"))?;
            let ces = answer(f[c_ces], Scale::CES).map_err(|k| format!("ces: {k}"))?;
            let label = f[c_sent];
            let sent = parse_sentiment_labels(&[(!label.is_empty()).then_some(label)])
                .map_err(|_| "sentiment: unknown label".to_string())?[0];
            Ok::<_, String>((q, nps, csat, ces, sent))
        })();
        match parsed {
            Ok((q, nps, csat, ces, sent)) => rows.push((
                q,
                f[c_seg].to_string(),
                f[c_reg].to_string(),
                nps,
                csat,
                ces,
                sent,
            )),
            Err(reason) => *s.excluded.entry(reason).or_default() += 1,
        }
    }
    let mut qs: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
    qs.sort();
    qs.dedup();
    s.quarter_names = qs;
    for (q, seg, reg, nps, csat, ces, sent) in rows {
        s.quarter
            .push(s.quarter_names.iter().position(|x| *x == q).unwrap() as u32);
        s.segment.push(code(&mut s.segment_names, &seg));
        s.region.push(code(&mut s.region_names, &reg));
        s.nps.push(nps);
        s.csat.push(csat);
        s.ces.push(ces);
        s.sentiment.push(sent);
    }
    s
}

fn subset(values: &[f64], mask: impl Fn(usize) -> bool) -> Vec<f64> {
    values
        .iter()
        .enumerate()
        .filter(|(i, _)| mask(*i))
        .map(|(_, v)| *v)
        .collect()
}

struct Cell {
    nps: NpsResult,
    csat: ShareResult,
    ces: MeanResult,
}

fn cell(s: &Survey, mask: impl Fn(usize) -> bool + Copy) -> Result<Cell> {
    Ok(Cell {
        nps: nps(&subset(&s.nps, mask), None, &NpsOptions::default())?,
        csat: top_box(&subset(&s.csat, mask), None, &TopBoxOptions::default())?,
        ces: ces(&subset(&s.ces, mask), None, &MeanOptions::ces())?,
    })
}

fn mark(c: &ComparisonResult) -> &'static str {
    if c.significant {
        "*"
    } else {
        " "
    }
}

fn row(label: &str, cur: &Cell, prev: Option<&Cell>) -> Result<String> {
    let cmp = CompareOptions::default();
    let mut out = format!(
        "  {label:<14} NPS {:+6.1} [{:+6.1}, {:+6.1}] n={:<6}",
        cur.nps.nps, cur.nps.lower, cur.nps.upper, cur.nps.n
    );
    if let Some(p) = prev {
        let c = compare_nps(&cur.nps, &p.nps, &cmp)?;
        write!(out, " Δ{:+6.1}{}", c.difference, mark(&c)).unwrap();
    }
    write!(
        out,
        " | CSAT {:5.1}% [{:5.1}, {:5.1}] n={:<6}",
        100.0 * cur.csat.share,
        100.0 * cur.csat.lower,
        100.0 * cur.csat.upper,
        cur.csat.n
    )
    .unwrap();
    if let Some(p) = prev {
        let c = compare_shares(&cur.csat, &p.csat, &cmp)?;
        write!(out, " Δ{:+5.1}{}", 100.0 * c.difference, mark(&c)).unwrap();
    }
    write!(
        out,
        " | CES {:4.2} [{:4.2}, {:4.2}] n={:<6}",
        cur.ces.mean, cur.ces.lower, cur.ces.upper, cur.ces.n
    )
    .unwrap();
    if let Some(p) = prev {
        let c = compare_means(&cur.ces, &p.ces, &cmp)?;
        write!(out, " Δ{:+5.2}{}", c.difference, mark(&c)).unwrap();
    }
    Ok(out)
}

/// The customer base the survey should represent (as a CRM would count it), by segment and by region.
const BASE_SEGMENTS: [(&str, f64); 4] = [
    ("Enterprise", 1_800.0),
    ("Mid-Market", 4_200.0),
    ("SMB", 14_000.0),
    ("Consumer", 30_000.0),
];
const BASE_REGIONS: [(&str, f64); 4] = [
    ("NA", 20_000.0),
    ("EMEA", 15_000.0),
    ("APAC", 10_000.0),
    ("LATAM", 5_000.0),
];

/// NPS as if each quarter's respondents matched the customer base: raking on segment and region.
fn weighted_section(s: &Survey) -> Result<()> {
    println!("\n== Weighted to the customer base (raking on segment and region)");
    println!(
        "  base: {}",
        BASE_SEGMENTS
            .iter()
            .chain(&BASE_REGIONS)
            .map(|(n, c)| format!("{n} {c:.0}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    // Level order of the targets, mapped to the survey's own codes.
    let seg_targets: Vec<f64> = s
        .segment_names
        .iter()
        .map(|n| BASE_SEGMENTS.iter().find(|b| b.0 == n).map_or(0.0, |b| b.1))
        .collect();
    let reg_targets: Vec<f64> = s
        .region_names
        .iter()
        .map(|n| BASE_REGIONS.iter().find(|b| b.0 == n).map_or(0.0, |b| b.1))
        .collect();
    println!(
        "  {:<8} {:>24} {:>24} {:>6} {:>8} {:>6} {:>10} {:>13}",
        "quarter",
        "NPS unweighted",
        "NPS weighted",
        "n",
        "Kish n",
        "deff",
        "max error",
        "SE greg/fixed"
    );
    let design_opts = weighting::DesignEstimateOptions::from_options("nps", &Options::new())?;
    let mut last = None;
    for q in 0..s.quarter_names.len() as u32 {
        let rows: Vec<usize> = (0..s.nps.len()).filter(|&i| s.quarter[i] == q).collect();
        let seg: Vec<u32> = rows.iter().map(|&i| s.segment[i]).collect();
        let reg: Vec<u32> = rows.iter().map(|&i| s.region[i]).collect();
        let w = weighting::rake(
            &[&seg, &reg],
            &[&seg_targets, &reg_targets],
            None,
            &weighting::WeightingOptions::default(),
        )?;
        let scores: Vec<f64> = rows.iter().map(|&i| s.nps[i]).collect();
        let u = nps(&scores, None, &NpsOptions::default())?;
        let wt = nps(&scores, Some(&w.weights), &NpsOptions::default())?;
        // The SE that knows the weights were raked (GREG residuals), beside the fixed-weights one.
        let design = weighting::Design::from_result(&[&seg, &reg], None, &w)?;
        let by_region = weighting::design_estimate(&scores, &design, Some(&reg), &design_opts)?;
        let se = |x: Option<f64>| x.unwrap_or(f64::NAN);
        println!(
            "  {:<8} {:+6.1} [{:+6.1}, {:+6.1}] {:+6.1} [{:+6.1}, {:+6.1}] {:>6} {:>8.0} {:>6.2} {:>10.1e} {:>6.2}/{:<6.2}",
            s.quarter_names[q as usize], u.nps, u.lower, u.upper, wt.nps, wt.lower, wt.upper, u.n, wt.effective_n,
            w.diagnostics.deff_kish, w.max_rel_error, se(by_region.overall.se), se(by_region.overall.se_fixed_weights)
        );
        last = Some((q, by_region));
    }
    println!("  (weighted intervals: adjusted Wald on the Kish effective n; SE greg = linearisation that accounts");
    println!("   for the raking, fixed = weights taken as given)");
    if let Some((q, e)) = last {
        println!(
            "  {} weighted NPS by region (domains on the whole quarter, calibration-aware):",
            s.quarter_names[q as usize]
        );
        for d in &e.by {
            let name = &s.region_names[d.level.unwrap_or(0) as usize];
            match (d.estimate, d.se, d.deff) {
                (Some(est), Some(se), deff) => println!(
                    "    {name:<6} {est:+6.1} ± {:4.1} (se {se:.2}, fixed-weights se {:.2}, deff {})",
                    1.959963984540054 * se,
                    d.se_fixed_weights.unwrap_or(f64::NAN),
                    deff.map_or("n/a".into(), |x| format!("{x:.2}"))
                ),
                _ => println!("    {name:<6} no weighted answers"),
            }
        }
    }
    Ok(())
}

fn main() -> Result<()> {
    let default = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/data/cx_survey_sample.csv"
    );
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| default.to_string());
    let t0 = std::time::Instant::now();
    let s = load(&path);
    let n_used = s.nps.len();

    println!("cxkpi {} — quarterly customer-experience review", VERSION);
    println!("source: {path}");
    println!(
        "rows read {}, used {}, excluded {}:",
        s.rows_read,
        n_used,
        s.rows_read - n_used
    );
    for (reason, k) in &s.excluded {
        println!("  {k:>5}  {reason}");
    }
    let missing = |v: &[f64]| v.iter().filter(|x| x.is_nan()).count();
    println!(
        "missing answers (excluded per metric, counted): nps {}, csat {}, ces {}, sentiment {}",
        missing(&s.nps),
        missing(&s.csat),
        missing(&s.ces),
        missing(&s.sentiment)
    );
    println!("intervals: NPS adjusted-Wald, CSAT (top-2-box of 1-5) Wilson, CES (1-7, higher = easier) t; 95%.");
    println!(
        "Δ = change against the prior quarter; * = significant at 5% (NPS adjusted-Wald z, CSAT"
    );
    println!("pooled z with Newcombe interval, CES Welch t).");

    // Trend: every quarter in one grouped pass per metric.
    println!("\n== Trend by quarter (one grouped pass per metric)");
    let g_nps = grouped("nps", &s.nps, &[&s.quarter], None, &Options::new())?;
    let g_csat = grouped("top_box", &s.csat, &[&s.quarter], None, &Options::new())?;
    let g_ces = grouped("ces", &s.ces, &[&s.quarter], None, &Options::new())?;
    let g_sent = grouped(
        "sentiment",
        &s.sentiment,
        &[&s.quarter],
        None,
        &Options::new(),
    )?;
    println!(
        "  {:<8} {:>22} {:>24} {:>20} {:>10}",
        "quarter", "NPS [95% CI]", "CSAT % [95% CI]", "CES [95% CI]", "net sent."
    );
    // An undefined cell (never the case here: every quarter has answers) would print as NaN, its status said.
    let v = |col: &[Option<f64>], i: usize| col[i].unwrap_or(f64::NAN);
    for i in 0..g_nps.n.len() {
        println!(
            "  {:<8} {:+6.1} [{:+6.1},{:+6.1}] {:6.1} [{:5.1},{:5.1}] {:6.2} [{:4.2},{:4.2}] {:+9.3}",
            s.quarter_names[g_nps.keys[0][i] as usize],
            v(&g_nps.estimate, i),
            v(&g_nps.lower, i),
            v(&g_nps.upper, i),
            100.0 * v(&g_csat.estimate, i),
            100.0 * v(&g_csat.lower, i),
            100.0 * v(&g_csat.upper, i),
            v(&g_ces.estimate, i),
            v(&g_ces.lower, i),
            v(&g_ces.upper, i),
            v(&g_sent.estimate, i),
        );
    }

    let nq = s.quarter_names.len() as u32;
    for q in 1..nq {
        let (cur_q, prev_q) = (q, q - 1);
        println!(
            "\n== {} vs {}",
            s.quarter_names[cur_q as usize], s.quarter_names[prev_q as usize]
        );
        let cur = cell(&s, |i| s.quarter[i] == cur_q)?;
        let prev = cell(&s, |i| s.quarter[i] == prev_q)?;
        println!("{}", row("overall", &cur, Some(&prev))?);
        println!(" by segment:");
        for (k, name) in s.segment_names.iter().enumerate() {
            let k = k as u32;
            let cur = cell(&s, |i| s.quarter[i] == cur_q && s.segment[i] == k)?;
            let prev = cell(&s, |i| s.quarter[i] == prev_q && s.segment[i] == k)?;
            println!("{}", row(name, &cur, Some(&prev))?);
        }
        println!(" by region:");
        for (k, name) in s.region_names.iter().enumerate() {
            let k = k as u32;
            let cur = cell(&s, |i| s.quarter[i] == cur_q && s.region[i] == k)?;
            let prev = cell(&s, |i| s.quarter[i] == prev_q && s.region[i] == k)?;
            println!("{}", row(name, &cur, Some(&prev))?);
        }
    }

    // The biggest significant regional moves of the whole period.
    println!("\n== Significant regional NPS moves, quarter on quarter");
    for (k, name) in s.region_names.iter().enumerate() {
        let k = k as u32;
        for q in 1..nq {
            let cur = nps(
                &subset(&s.nps, |i| s.region[i] == k && s.quarter[i] == q),
                None,
                &NpsOptions::default(),
            )?;
            let prev = nps(
                &subset(&s.nps, |i| s.region[i] == k && s.quarter[i] == q - 1),
                None,
                &NpsOptions::default(),
            )?;
            let c = compare_nps(&cur, &prev, &CompareOptions::default())?;
            if c.significant && c.difference.abs() >= 10.0 {
                println!(
                    "  {name:<6} {} {:+6.1} -> {:+6.1}  Δ {:+6.1} [{:+6.1}, {:+6.1}] p = {:.2e}",
                    s.quarter_names[q as usize],
                    prev.nps,
                    cur.nps,
                    c.difference,
                    c.lower,
                    c.upper,
                    c.p_value.unwrap_or(f64::NAN)
                );
            }
        }
    }

    quality::section(&path)?;
    weighted_section(&s)?;
    scorecard::section(&s)?;
    bonuses::section(&s)?;
    linkage::section(&s)?;
    baselines::section(&path, &s)?;
    charts::section(&path)?;
    screens::section(&path)?;
    themes::section(&path)?;

    let worst = sample_size(&SampleSizeOptions::new(SampleMetric::Nps, 5.0))?;
    let all = nps(&s.nps, None, &NpsOptions::default())?;
    let observed = sample_size(&SampleSizeOptions {
        promoters: all.promoters,
        detractors: all.detractors,
        ..SampleSizeOptions::new(SampleMetric::Nps, 5.0)
    })?;
    println!(
        "\nplanning: ±5 NPS points at 95% needs {} respondents per cell in the worst case, {} with the observed mix.",
        worst.n_required, observed.n_required
    );
    println!("done in {:.0} ms", t0.elapsed().as_secs_f64() * 1e3);
    Ok(())
}
