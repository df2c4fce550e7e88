//! Section "Manipulation screens, drift and alerts" of the quarterly review (core modules
//! `baseline::screens`, `baseline::drift`, `baseline::alerts`).
//!
//! Reads the survey CSV itself (by header name: `date`, `team`, `nps`, `sentiment`, `verbatim`; the
//! verbatim may be quoted) because the review's `Survey` rows carry neither team, day nor text, and the daily
//! invitations file next to it (`cx_daily_invitations.csv`: `date,team,invited,responded`). Rows with an
//! unparseable date or a missing / invalid NPS answer are counted and left out. Then:
//!
//! 1. the five screens on the teams, "before" = 2025-01-01 .. 2025-07-06 and "after" = 2025-07-07 ..
//!    2025-12-29: top-box inflation (NPS 9-10, Fisher, Holm), low variance (Brown-Forsythe), selective
//!    filtering (NPS jump with a response-rate drop), a step after the coaching date 2025-07-07 of every team
//!    (difference-in-differences, 8 weeks either side) and scripted verbatims (near-duplicate clusters);
//! 2. drift of the sentiment label mix and of the NPS distribution, 2024 against 2025 (PSI, chi-square with
//!    Cramér's V, Jensen-Shannon, KS);
//! 3. every flagged finding becomes an alert with the ladder in `core/examples/data/alert_ladder.toml`.
//!
//! Call: `screens::section(&path)` with the CSV path the review reads.

use cxkpi::baseline::alerts::{build_alerts, AlertLadder, AlertOptions};
use cxkpi::baseline::drift::{
    chi_square, jensen_shannon, ks_2samp, psi, ChiSquareOptions, JsOptions, KsOptions, PsiBinning,
    PsiOptions,
};
use cxkpi::baseline::screens::{
    coaching_step, duplicate_verbatims, low_variance, selective_filtering, top_box_inflation,
    CoachingEvent, CoachingStepOptions, DuplicateOptions, LowVarianceOptions, PeriodRates,
    SelectiveFilteringOptions, TopBoxInflationOptions,
};
use cxkpi::baseline::Signal;
use std::collections::BTreeMap;

/// Splits one CSV line (RFC 4180 quoting: `"a, b"`, `""` inside quotes).
fn fields(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out
}

const COACHING: &str = "2025-07-07";
const BEFORE: (&str, &str) = ("2025-01-01", "2025-07-06");
const AFTER: (&str, &str) = ("2025-07-07", "2025-12-29");

fn day_number(d: &str) -> Option<f64> {
    let d = chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()?;
    let epoch = chrono::NaiveDate::from_ymd_opt(2024, 1, 1)?;
    Some((d - epoch).num_days() as f64)
}

struct Rows {
    date: Vec<String>,
    day: Vec<f64>,
    team: Vec<u32>,
    nps: Vec<f64>,
    sentiment: Vec<Option<String>>,
    verbatim: Vec<Option<String>>,
    region: Vec<String>,
}

fn read(path: &str, team_names: &mut Vec<String>) -> Option<(Rows, usize)> {
    let text = std::fs::read_to_string(path).ok()?;
    let mut lines = text.lines();
    let header = fields(lines.next()?);
    let col = |n: &str| header.iter().position(|h| h == n);
    let cr = col("region")?;
    let (cd, ct, cn, cs, cv) = (
        col("date")?,
        col("team")?,
        col("nps")?,
        col("sentiment")?,
        col("verbatim"),
    );
    let mut r = Rows {
        date: vec![],
        day: vec![],
        team: vec![],
        nps: vec![],
        sentiment: vec![],
        verbatim: vec![],
        region: vec![],
    };
    let mut skipped = 0;
    for line in lines {
        let f = fields(line);
        let (Some(day), Ok(nps)) = (day_number(&f[cd]), f[cn].parse::<f64>()) else {
            skipped += 1;
            continue;
        };
        if !(0.0..=10.0).contains(&nps) || nps.fract() != 0.0 || f[cd].as_str() > AFTER.1 {
            skipped += 1;
            continue;
        }
        let t = match team_names.iter().position(|n| *n == f[ct]) {
            Some(i) => i,
            None => {
                team_names.push(f[ct].clone());
                team_names.len() - 1
            }
        };
        r.date.push(f[cd].clone());
        r.day.push(day);
        r.team.push(t as u32);
        r.nps.push(nps);
        r.sentiment.push((!f[cs].is_empty()).then(|| f[cs].clone()));
        r.region.push(f[cr].clone());
        r.verbatim
            .push(cv.and_then(|c| f.get(c)).filter(|v| !v.is_empty()).cloned());
    }
    Some((r, skipped))
}

/// Responded / invited per team in the before and after periods.
fn rates(path: &str, team_names: &[String]) -> Vec<PeriodRates> {
    let file = std::path::Path::new(path).with_file_name("cx_daily_invitations.csv");
    let Ok(text) = std::fs::read_to_string(&file) else {
        return vec![];
    };
    let mut acc: BTreeMap<u32, [f64; 4]> = BTreeMap::new();
    for line in text.lines().skip(1) {
        let f = fields(line);
        let Some(t) = team_names.iter().position(|n| *n == f[1]) else {
            continue;
        };
        let (inv, resp): (f64, f64) = (f[2].parse().unwrap_or(0.0), f[3].parse().unwrap_or(0.0));
        let d = f[0].as_str();
        let e = acc.entry(t as u32).or_default();
        if d >= BEFORE.0 && d <= BEFORE.1 {
            e[0] += resp;
            e[1] += inv;
        } else if d >= AFTER.0 && d <= AFTER.1 {
            e[2] += resp;
            e[3] += inv;
        }
    }
    acc.into_iter()
        .map(|(team, a)| PeriodRates {
            team,
            before_numerator: a[0],
            before_denominator: a[1],
            after_numerator: a[2],
            after_denominator: a[3],
        })
        .collect()
}

fn p(x: Option<f64>) -> String {
    x.map_or("n/a".into(), |v| format!("{v:.2e}"))
}

/// Runs the section on the survey at `path`, printing findings, drift and alerts.
pub(crate) fn section(path: &str) -> cxkpi::Result<()> {
    println!("\n== Manipulation screens, drift and alerts ==");
    let mut names: Vec<String> = Vec::new();
    let Some((all, skipped)) = read(path, &mut names) else {
        println!("  cannot read {path} (or it has no date / team / nps / sentiment columns)");
        return Ok(());
    };
    println!(
        "  {} rows with a valid date and NPS answer ({skipped} left out: bad date or NPS, or after {})",
        all.nps.len(),
        AFTER.1
    );
    let labels = Some(names.clone());
    let in_after = |i: usize| all.date[i].as_str() >= AFTER.0 && all.date[i].as_str() <= AFTER.1;
    let in_before = |i: usize| all.date[i].as_str() >= BEFORE.0 && all.date[i].as_str() <= BEFORE.1;
    let after: Vec<usize> = (0..all.nps.len()).filter(|&i| in_after(i)).collect();
    let pick = |rows: &[usize], v: &[f64]| rows.iter().map(|&i| v[i]).collect::<Vec<f64>>();
    let pick_u = |rows: &[usize], v: &[u32]| rows.iter().map(|&i| v[i]).collect::<Vec<u32>>();
    let (a_nps, a_team) = (pick(&after, &all.nps), pick_u(&after, &all.team));
    // Screens report evidence rows as positions in their input; map back to the survey's dates.
    let a_dates: Vec<String> = after.iter().map(|&i| all.date[i].clone()).collect();
    let mut signals: Vec<(Signal, Vec<String>, &str, &str)> = Vec::new();

    println!("  (screens report effect, p, Holm-adjusted p and evidence rows: reasons to look, not verdicts)");
    let tb = top_box_inflation(
        &a_nps,
        &a_team,
        &TopBoxInflationOptions {
            team_labels: labels.clone(),
            ..Default::default()
        },
    )?;
    let lv = low_variance(
        &a_nps,
        &a_team,
        &LowVarianceOptions {
            team_labels: labels.clone(),
            ..Default::default()
        },
    )?;
    println!(
        "  {:<10} {:>8} {:>8} {:>10} {:>10} | {:>7} {:>10} {:>10}",
        "team", "n after", "9-10 %", "vs rest", "p Holm", "SD", "var ratio", "p Holm"
    );
    for (f, g) in tb.findings.iter().zip(&lv.findings) {
        println!(
            "  {:<10} {:>8} {:>8.1} {:>+10.1} {:>10} | {:>7.2} {:>10.2} {:>10}{}",
            f.label,
            f.n,
            100.0 * f.value,
            100.0 * f.effect,
            p(f.p_holm),
            g.value.sqrt(),
            g.effect,
            p(g.p_holm),
            if f.flagged || g.flagged {
                "  <- flagged"
            } else {
                ""
            }
        );
    }
    for s in tb.signals() {
        signals.push((s, a_dates.clone(), "NPS top-box share", "share"));
    }
    for s in lv.signals() {
        signals.push((s, a_dates.clone(), "NPS variance", "points²"));
    }

    // Selective filtering: before / after rows, rates from the invitations file.
    let ba: Vec<usize> = (0..all.nps.len())
        .filter(|&i| in_before(i) || in_after(i))
        .collect();
    let period: Vec<u32> = ba.iter().map(|&i| u32::from(in_after(i))).collect();
    let r = rates(path, &names);
    if r.is_empty() {
        println!(
            "  no cx_daily_invitations.csv next to the survey: selective-filtering screen skipped"
        );
    } else {
        let sf = selective_filtering(
            &pick(&ba, &all.nps),
            &pick_u(&ba, &all.team),
            &period,
            &r,
            &SelectiveFilteringOptions {
                team_labels: labels.clone(),
                ..Default::default()
            },
        )?;
        println!("  selective filtering (NPS mean after - before, response rate after - before):");
        for f in sf.findings.iter().filter(|f| f.flagged) {
            println!(
                "    {:<10} score {:+.2} (p {}), rate {:.3} -> {:.3} (p {}), combined p Holm {}  <- flagged",
                f.label,
                f.effect,
                p(f.measures.get("score_p").copied()),
                f.measures["rate_before"],
                f.measures["rate_after"],
                p(f.measures.get("rate_p").copied()),
                p(f.p_holm)
            );
        }
        println!(
            "    {} of {} teams flagged",
            sf.findings.iter().filter(|f| f.flagged).count(),
            sf.findings.len()
        );
        let d: Vec<String> = ba.iter().map(|&i| all.date[i].clone()).collect();
        for s in sf.signals() {
            signals.push((s, d.clone(), "NPS (mean 0-10)", "points"));
        }
    }

    // The coaching day of team Denver (README of the data): a step right after it, against the other teams.
    let c_day = day_number(COACHING).unwrap_or(0.0);
    if let Some(denver) = names.iter().position(|n| n == "Denver") {
        // peers = the other teams of Denver's region (EMEA's outage recovery would blur an all-teams DiD)
        let home = all
            .team
            .iter()
            .position(|&t| t == denver as u32)
            .map(|i| all.region[i].clone())
            .unwrap_or_default();
        let rr: Vec<usize> = (0..all.nps.len())
            .filter(|&i| all.region[i] == home)
            .collect();
        let st = coaching_step(
            &pick(&rr, &all.nps),
            &pick_u(&rr, &all.team),
            &pick(&rr, &all.day),
            &[CoachingEvent {
                team: denver as u32,
                day: c_day,
            }],
            &CoachingStepOptions {
                window_before: 56.0,
                window_after: 56.0,
                team_labels: labels.clone(),
                ..Default::default()
            },
        )?;
        let f = &st.findings[0];
        println!(
            "  step after Denver's coaching day {COACHING} (8 weeks either side, DiD vs the other {home} teams): \
             team {:.2} -> {:.2}, peers {:.2} -> {:.2}, DiD {:+.2} (SE {:.2}), p {}{}",
            f.measures["team_before"],
            f.measures["team_after"],
            f.measures["peer_before"],
            f.measures["peer_after"],
            f.effect,
            f.se.unwrap_or(f64::NAN),
            p(f.p_value),
            if f.flagged { "  <- flagged" } else { "" }
        );
        let rd: Vec<String> = rr.iter().map(|&i| all.date[i].clone()).collect();
        for s in st.signals() {
            signals.push((s, rd.clone(), "NPS (mean 0-10)", "points"));
        }
    }

    // Scripted verbatims: near-duplicates among the after-period comments.
    let vt: Vec<usize> = after
        .iter()
        .copied()
        .filter(|&i| all.verbatim[i].is_some())
        .collect();
    let texts: Vec<Option<&str>> = vt.iter().map(|&i| all.verbatim[i].as_deref()).collect();
    let dup = duplicate_verbatims(
        &texts,
        Some(&pick_u(&vt, &all.team)),
        &DuplicateOptions {
            team_labels: labels.clone(),
            ..Default::default()
        },
    )?;
    println!(
        "  verbatims after {}: {} screened, {} clusters ({} candidates), {} rows in clusters",
        AFTER.0,
        dup.n_screened,
        dup.clusters.len(),
        dup.candidates,
        dup.n_in_clusters
    );
    // Template comments repeat across every team (exact clusters everywhere); a script shows up as a
    // near-duplicate cluster of many distinct texts inside one team.
    let mut near: Vec<_> = dup
        .clusters
        .iter()
        .filter(|c| c.kind == "near" && c.teams.len() == 1 && c.distinct_texts >= 3)
        .collect();
    near.sort_by(|a, b| b.size.cmp(&a.size).then(a.rows[0].cmp(&b.rows[0])));
    let exact_all = dup
        .clusters
        .iter()
        .filter(|c| c.kind == "exact" && c.teams.len() > 1)
        .count();
    println!(
        "    {exact_all} exact clusters span several teams (template comments); near-duplicate clusters inside one team:"
    );
    for c in near.iter().take(3) {
        println!(
            "    {} rows, {} distinct texts (min Jaccard {:.2}), team {}: \"{}\"",
            c.size,
            c.distinct_texts,
            c.min_similarity,
            names[c.teams[0] as usize],
            c.text.chars().take(70).collect::<String>()
        );
    }
    if let Some(c) = near.first() {
        // the largest single-team script cluster becomes a signal of its own
        let team = c.teams[0];
        let n_team = vt.iter().filter(|&&i| all.team[i] == team).count() as f64;
        let rows: Vec<usize> = c.rows.clone();
        let s = Signal {
            rule: "duplicate_verbatims".into(),
            parameters: dup.parameters.clone(),
            detector: "screen".into(),
            series: Some(names[team as usize].clone()),
            index: *rows.last().unwrap_or(&0),
            points: rows,
            value: c.size as f64 / n_team,
            center: 0.0,
            deviation: c.size as f64 / n_team,
            sigma: None,
            n: Some(n_team),
            se: None,
            false_alarm_rate: None,
            direction: cxkpi::baseline::SignalDirection::Up,
            baseline: cxkpi::baseline::BaselineInfo {
                method: "no_script".into(),
                ..Default::default()
            },
        };
        let vd: Vec<String> = vt.iter().map(|&i| all.date[i].clone()).collect();
        signals.push((
            s,
            vd,
            "share of a team's verbatims in one script cluster",
            "share",
        ));
    }

    // Drift 2024 -> 2025: sentiment label mix and the NPS distribution.
    println!("  drift 2024 -> 2025:");
    let year = |i: usize| &all.date[i][..4];
    let code = |s: &Option<String>| match s.as_deref() {
        Some("positive") => Some(1.0),
        Some("neutral") => Some(0.0),
        Some("negative") => Some(-1.0),
        _ => None,
    };
    let (mut s24, mut s25) = (Vec::new(), Vec::new());
    let (mut n24, mut n25) = (Vec::new(), Vec::new());
    for i in 0..all.nps.len() {
        let (s, n) = if year(i) == "2024" {
            (&mut s24, &mut n24)
        } else {
            (&mut s25, &mut n25)
        };
        n.push(all.nps[i]);
        if let Some(c) = code(&all.sentiment[i]) {
            s.push(c);
        }
    }
    let cat = PsiOptions {
        binning: PsiBinning::Categories,
        ..PsiOptions::default()
    };
    let ps = psi(&s24, &s25, &cat)?;
    let counts = |v: &[f64]| -> Vec<f64> {
        [-1.0, 0.0, 1.0]
            .iter()
            .map(|c| v.iter().filter(|x| *x == c).count() as f64)
            .collect()
    };
    let (c24, c25) = (counts(&s24), counts(&s25));
    let chi = chi_square(&[&c24, &c25], &ChiSquareOptions::default())?;
    let js = jensen_shannon(&c24, &c25, &JsOptions::default())?;
    println!(
        "    sentiment mix (neg/neu/pos) {:.3}/{:.3}/{:.3} -> {:.3}/{:.3}/{:.3}: PSI {:.4} ({} policy), \
         chi-square {:.1} (df {}, p {}), Cramér's V {:.3}, JS distance {:.4} bits",
        c24[0] / s24.len() as f64,
        c24[1] / s24.len() as f64,
        c24[2] / s24.len() as f64,
        c25[0] / s25.len() as f64,
        c25[1] / s25.len() as f64,
        c25[2] / s25.len() as f64,
        ps.psi,
        ps.zero_policy,
        chi.statistic,
        chi.df,
        p(Some(chi.p_value)),
        chi.cramers_v,
        js.distance
    );
    let nps_psi = psi(&n24, &n25, &cat)?;
    let ks = ks_2samp(&n24, &n25, &KsOptions::default())?;
    println!(
        "    NPS answers 0-10: PSI {:.4}, KS D {:.4} (p {}, {} method; ties make it conservative)",
        nps_psi.psi,
        ks.statistic,
        p(Some(ks.p_value)),
        ks.method
    );

    // Alerts.
    let ladder_path = std::path::Path::new(path).with_file_name("alert_ladder.toml");
    let ladder = match std::fs::read_to_string(&ladder_path) {
        Ok(t) => AlertLadder::from_toml(&t)?,
        Err(_) => AlertLadder::default(),
    };
    println!(
        "  alerts ({} signals, ladder \"{}\" from {}):",
        signals.len(),
        ladder.name,
        ladder_path.display()
    );
    let mut out = Vec::new();
    for (s, dates, kpi, unit) in signals {
        let o = AlertOptions {
            kpi: Some(kpi.into()),
            unit: unit.into(),
            dates: Some(dates),
            raised_at: Some("2025-12-30T09:00:00".into()),
            decimals: if unit == "share" { 3 } else { 2 },
            ..AlertOptions::default()
        };
        out.extend(build_alerts(&[s], &ladder, &o)?.alerts);
    }
    out.sort_by(|a, b| b.level.cmp(&a.level).then(a.series.cmp(&b.series)));
    for a in &out {
        println!(
            "    [{} {}] ack by {}: {}",
            a.level,
            a.level_name,
            a.ack_deadline.as_deref().unwrap_or("-"),
            a.explanation
        );
    }
    Ok(())
}
