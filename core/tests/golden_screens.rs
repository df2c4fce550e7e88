//! Golden cases of drift, manipulation screens and alerts (tests/golden/screens/*.json).

mod common;
use common::{codes, floats, split, to_value};

use cxkpi::baseline::signal::Signal;
use cxkpi::baseline::{alerts, drift, screens};
use cxkpi::stats::parse_options as opts;
use cxkpi::Result;
use serde_json::Value;

fn run(function: &str, input: &Value) -> Result<Value> {
    match function {
        "psi" => {
            let (d, o) = split(input, &["reference", "current"]);
            to_value(drift::psi(
                &floats(&d["reference"]),
                &floats(&d["current"]),
                &opts(&o)?,
            ))
        }
        "ks_2samp" => {
            let (d, o) = split(input, &["reference", "current"]);
            to_value(drift::ks_2samp(
                &floats(&d["reference"]),
                &floats(&d["current"]),
                &opts(&o)?,
            ))
        }
        "jensen_shannon" => {
            let (d, o) = split(input, &["p", "q"]);
            to_value(drift::jensen_shannon(
                &floats(&d["p"]),
                &floats(&d["q"]),
                &opts(&o)?,
            ))
        }
        "chi_square" => {
            let (d, o) = split(input, &["table"]);
            let rows: Vec<Vec<f64>> = d["table"].as_array().unwrap().iter().map(floats).collect();
            let refs: Vec<&[f64]> = rows.iter().map(|r| r.as_slice()).collect();
            to_value(drift::chi_square(&refs, &opts(&o)?))
        }
        "top_box_inflation" => {
            let (d, o) = split(input, &["scores", "teams"]);
            to_value(screens::top_box_inflation(
                &floats(&d["scores"]),
                &codes(&d["teams"]),
                &opts(&o)?,
            ))
        }
        "low_variance" => {
            let (d, o) = split(input, &["values", "teams"]);
            to_value(screens::low_variance(
                &floats(&d["values"]),
                &codes(&d["teams"]),
                &opts(&o)?,
            ))
        }
        "duplicate_verbatims" => {
            let (d, o) = split(input, &["texts", "teams"]);
            let texts: Vec<Option<&str>> = d["texts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str())
                .collect();
            let teams = d.get("teams").map(codes);
            to_value(screens::duplicate_verbatims(
                &texts,
                teams.as_deref(),
                &opts(&o)?,
            ))
        }
        "selective_filtering" => {
            let (d, o) = split(input, &["scores", "teams", "period", "rates"]);
            let rates: Vec<screens::PeriodRates> =
                serde_json::from_value(d["rates"].clone()).expect("rates");
            to_value(screens::selective_filtering(
                &floats(&d["scores"]),
                &codes(&d["teams"]),
                &codes(&d["period"]),
                &rates,
                &opts(&o)?,
            ))
        }
        "coaching_step" => {
            let (d, o) = split(input, &["values", "teams", "day", "events"]);
            let events: Vec<screens::CoachingEvent> =
                serde_json::from_value(d["events"].clone()).expect("events");
            to_value(screens::coaching_step(
                &floats(&d["values"]),
                &codes(&d["teams"]),
                &floats(&d["day"]),
                &events,
                &opts(&o)?,
            ))
        }
        "build_alerts" => {
            let (d, o) = split(input, &["signals", "ladder"]);
            let signals: Vec<Signal> =
                serde_json::from_value(d["signals"].clone()).expect("signals");
            let ladder = alerts::AlertLadder::from_value(&d["ladder"])?;
            to_value(alerts::build_alerts(&signals, &ladder, &opts(&o)?))
        }
        other => panic!("unknown function {other}"),
    }
}

#[test]
fn golden_screens() {
    common::run_family("screens", run, 1e-12)
}
