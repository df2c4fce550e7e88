//! Section "Bonuses" of the quarterly review: executive and frontline bonus outcomes of the sample company
//! under `core/examples/data/bonus_plan.toml` (core module `incentive`).
//!
//! Customer KPIs of the last fiscal year come from the survey: company NPS and CSAT (top-2-box) for the
//! executives, each region's NPS and CSAT for its service lead. The financial KPIs are reported by finance
//! (declared below). One lead is capped by the customer-sentiment floor of the plan.

use cxkpi::incentive::{EvaluationInput, IncentivePlan};
use cxkpi::{nps, top_box, NpsOptions, TopBoxOptions};
use std::collections::BTreeMap;

/// Financial KPIs of FY2025 as reported by finance (percent).
const REVENUE_GROWTH_PCT: f64 = 9.1;
const EBITDA_MARGIN_PCT: f64 = 17.2;

pub(crate) fn section(s: &super::Survey) -> cxkpi::Result<()> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/bonus_plan.toml");
    let text = std::fs::read_to_string(path).map_err(|e| cxkpi::CxkpiError::InvalidArgument {
        arg: "bonus_plan.toml".into(),
        message: e.to_string(),
    })?;
    let plan = IncentivePlan::from_toml(&text)?;
    // The last fiscal year of the survey (the plan's calendar starts in January): its four quarters.
    let last = s
        .quarter_names
        .last()
        .map(|q| q[..4].to_string())
        .unwrap_or_default();
    let in_year = |i: usize| s.quarter_names[s.quarter[i] as usize].starts_with(&last);
    let cx = |mask: &dyn Fn(usize) -> bool| -> cxkpi::Result<(f64, f64)> {
        let n = nps(&super::subset(&s.nps, mask), None, &NpsOptions::default())?;
        let c = top_box(
            &super::subset(&s.csat, mask),
            None,
            &TopBoxOptions::default(),
        )?;
        Ok((n.nps, c.share))
    };
    let (company_nps, company_csat) = cx(&in_year)?;
    let mut input = EvaluationInput::from_values(&[
        ("revenue_growth_pct", REVENUE_GROWTH_PCT),
        ("ebitda_margin_pct", EBITDA_MARGIN_PCT),
        ("nps", company_nps),
        ("csat_top2", company_csat),
    ]);
    for (k, region) in s.region_names.iter().enumerate() {
        let id = format!("service_lead_{region}");
        if plan.participants.iter().all(|p| p.id != id) {
            continue;
        }
        let (n, c) = cx(&|i| in_year(i) && s.region[i] == k as u32)?;
        input.participant_values.insert(
            id,
            BTreeMap::from([("nps".to_string(), n), ("csat_top2".to_string(), c)]),
        );
    }
    let r = plan.evaluate(&input)?;
    let cur = r.currency.clone().unwrap_or_default();
    println!(
        "\n== Bonuses FY{last} (plan {} version {}, {})",
        r.plan_id,
        r.plan_version,
        r.period
            .as_ref()
            .map_or("no period".into(), |p| format!("{} .. {}", p.start, p.end))
    );
    println!(
        "  company: NPS {company_nps:+.1}, CSAT top-2 {:.1}%, revenue growth {REVENUE_GROWTH_PCT}%, EBITDA margin {EBITDA_MARGIN_PCT}%",
        100.0 * company_csat
    );
    println!(
        "  {:<24} {:<10} {:>10} {:>8} {:>8} {:>7} {:>12}  limited by",
        "participant", "role", "target", "NPS", "sum", "factor", "amount"
    );
    for p in &r.participants {
        let nps_line = p
            .kpis
            .iter()
            .find(|k| k.kpi == "nps")
            .and_then(|k| k.value)
            .unwrap_or(f64::NAN);
        println!(
            "  {:<24} {:<10} {:>10.0} {:>+8.1} {:>8.3} {:>7.3} {:>12.2}  {}",
            p.participant,
            p.role.as_deref().unwrap_or("-"),
            p.target_bonus,
            nps_line,
            p.weighted_sum,
            p.prorated_factor,
            p.amount,
            if p.capped_by.is_empty() {
                "-".to_string()
            } else {
                p.capped_by.join(", ")
            }
        );
    }
    println!(
        "  total {cur} {:.2} of {:.2} target",
        r.total_amount, r.total_target
    );
    if let Some(capped) = r
        .participants
        .iter()
        .find(|p| p.capped_by.iter().any(|c| c == "gate:sentiment_floor"))
    {
        println!(
            "  why {} is capped (explanation trail):",
            capped.participant
        );
        for line in r.explain(&capped.participant)?.lines.iter().skip(1) {
            println!("  {line}");
        }
    }
    // What-if: the same year with company NPS below the floor.
    let w = plan.what_if(&input, &EvaluationInput::from_values(&[("nps", 11.0)]))?;
    println!(
        "  what if company NPS had been +11 (below the floor of 12): total change {cur} {:.2}",
        w.total_delta
    );
    Ok(())
}
