//! Section "Scorecard" of the quarterly review: the balanced scorecard of the sample company under
//! `core/examples/data/scorecard.toml` (core module `composite`).
//!
//! Units are region x segment cells. The customer KPIs (NPS, CSAT top-2-box, CES) of each cell come from the
//! survey's last quarter; the financial, process and learning KPIs are declared per region in the data file.
//! Prints every unit's composite with its status colour (ANSI colour and the word), the roll-ups by business
//! unit, segment and region, the balance check, and the explanation of one red KPI.

use cxkpi::composite::{balance, Observations, Scorecard, ScorecardResult, Status};
use cxkpi::{ces, nps, top_box, MeanOptions, NpsOptions, TopBoxOptions};

fn colour(s: Status) -> String {
    let code = match s {
        Status::Red => "31",
        Status::Amber => "33",
        Status::Green => "32",
        Status::Blue => "34",
        _ => "90",
    };
    format!("\x1b[{code}m{:<6}\x1b[0m", s.to_string())
}

fn read_error(what: &str, e: impl std::fmt::Display) -> cxkpi::CxkpiError {
    cxkpi::CxkpiError::InvalidArgument {
        arg: what.into(),
        message: e.to_string(),
    }
}

/// Business unit of a segment: the volume business and the enterprise business.
fn business_unit(segment: &str) -> &'static str {
    match segment {
        "Consumer" | "SMB" => "volume",
        _ => "enterprise",
    }
}

pub(crate) fn section(s: &super::Survey) -> cxkpi::Result<()> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/scorecard.toml");
    let text = std::fs::read_to_string(path).map_err(|e| read_error("scorecard.toml", e))?;
    let mut table: toml::Table =
        toml::from_str(&text).map_err(|e| read_error("scorecard.toml", e))?;
    let declared = table.remove("declared");
    let mut doc = serde_json::to_value(&table).map_err(|e| read_error("scorecard.toml", e))?;
    let last_q = s.quarter_names.len() - 1;
    let period = s.quarter_names[last_q].clone();

    // Units: every region x segment cell, with its roll-up groups.
    let mut units = Vec::new();
    let mut obs = Observations::default();
    let mut push = |unit: &str, kpi: &str, v: f64| {
        obs.unit.push(unit.to_string());
        obs.kpi.push(kpi.to_string());
        obs.period.push(period.clone());
        obs.value.push(v);
    };
    for (r, region) in s.region_names.iter().enumerate() {
        for (g, segment) in s.segment_names.iter().enumerate() {
            let id = format!("{region}/{segment}");
            units.push(
                serde_json::json!({"id": id, "region": region, "segment": segment,
                "business_unit": business_unit(segment)}),
            );
            let mask = |i: usize| {
                s.quarter[i] as usize == last_q
                    && s.region[i] as usize == r
                    && s.segment[i] as usize == g
            };
            let n = nps(&super::subset(&s.nps, mask), None, &NpsOptions::default())?;
            let c = top_box(
                &super::subset(&s.csat, mask),
                None,
                &TopBoxOptions::default(),
            )?;
            let e = ces(&super::subset(&s.ces, mask), None, &MeanOptions::ces())?;
            push(&id, "nps", n.nps);
            push(&id, "csat", c.share);
            push(&id, "ces", e.mean);
            // The declared KPIs of the cell's region.
            if let Some(rows) = declared.as_ref().and_then(|d| d.as_array()) {
                for row in rows {
                    if row.get("region").and_then(|x| x.as_str()) == Some(region.as_str()) {
                        for (k, v) in row.as_table().into_iter().flatten() {
                            if k != "region" {
                                let x = v.as_float().or_else(|| v.as_integer().map(|i| i as f64));
                                push(&id, k, x.unwrap_or(f64::NAN));
                            }
                        }
                    }
                }
            }
        }
    }
    doc["units"] = serde_json::Value::Array(units);
    let sc = Scorecard::from_value(&doc)?;
    let r = sc.evaluate(&obs, &Default::default())?;
    print_result(&sc, &r, &period)?;
    Ok(())
}

fn print_result(sc: &Scorecard, r: &ScorecardResult, period: &str) -> cxkpi::Result<()> {
    println!(
        "\nbalanced scorecard \"{}\" v{} for {period} (score 0-{}, status: red < 1/3, amber, green >= 2/3, blue = full marks)",
        sc.name, sc.version, r.policies.score_max
    );
    println!(
        "  {:<22} {:>9} {:<6} {:>5} {:>9} {:>9} {:>9} {:>9}",
        "unit", "composite", "status", "rank", "financial", "customer", "process", "learning"
    );
    let mut rows: Vec<_> = r.units.iter().collect();
    rows.sort_by_key(|(_, u)| u.rank.unwrap_or(u32::MAX));
    let node = |u: &cxkpi::composite::UnitResult, id: &str| {
        u.items[id]
            .score
            .map_or("-".to_string(), |x| format!("{x:.2}"))
    };
    for (id, u) in &rows {
        println!(
            "  {:<22} {:>9} {} {:>5} {:>9} {:>9} {:>9} {:>9}",
            id,
            u.composite.map_or("-".into(), |x| format!("{x:.2}")),
            colour(u.status),
            u.rank.map_or("-".into(), |x| x.to_string()),
            node(u, "financial"),
            node(u, "customer"),
            node(u, "process"),
            node(u, "learning")
        );
    }
    for dim in ["business_unit", "region"] {
        if let Some(groups) = r.rollups.get(dim) {
            let line: Vec<String> = groups
                .iter()
                .map(|(g, x)| {
                    format!(
                        "{g} {} {}",
                        x.composite.map_or("-".into(), |c| format!("{c:.2}")),
                        colour(x.status).trim_end()
                    )
                })
                .collect();
            println!("  by {dim}: {}", line.join("  "));
        }
    }
    let b = balance(sc)?;
    let shares: Vec<String> = b
        .perspective_shares
        .iter()
        .filter(|(_, v)| **v > 0.0)
        .map(|(k, v)| format!("{k} {:.0}%", v * 100.0))
        .collect();
    println!(
        "  weight balance: {}; leading {:.0}%{}",
        shares.join(", "),
        b.indicator_shares["leading"] * 100.0,
        if b.warnings.is_empty() {
            " (all balance rules met)".to_string()
        } else {
            format!(
                " — {}",
                b.warnings
                    .iter()
                    .map(|w| w.message.clone())
                    .collect::<Vec<_>>()
                    .join("; ")
            )
        }
    );
    // Explain one red KPI: the first red KPI of the lowest-ranked unit that has one.
    for (id, u) in rows.iter().rev() {
        if let Some((kpi, _)) = u
            .items
            .iter()
            .find(|(_, it)| it.kind == "kpi" && it.status == Status::Red)
        {
            println!("  why is {kpi} red for {id}?");
            for step in r.explain(id, kpi)? {
                println!("    {}", step.text);
            }
            break;
        }
    }
    Ok(())
}
