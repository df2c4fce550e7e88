//! Golden cases of the open-text module (tests/golden/text/*.json): theme tagging, impact, trend,
//! taxonomy validation and version mapping; sentiment standardisation, isotonic calibration, kappa,
//! Bland-Altman and provider/survey agreement.

mod common;
use common::{codes, floats, to_value};

use cxkpi::text::{self, Taxonomy, TaxonomyMap};
use cxkpi::{CxkpiError, Result};
use serde_json::{Map, Value};

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| x.as_str().expect("string").to_string())
        .collect()
}

/// Everything in `input` except `skip`, as an options document.
fn rest(input: &Value, skip: &[&str]) -> Value {
    let mut o = Map::new();
    for (k, v) in input.as_object().unwrap() {
        if !skip.contains(&k.as_str()) {
            o.insert(k.clone(), v.clone());
        }
    }
    Value::Object(o)
}

fn tags(input: &Value) -> Result<(Taxonomy, text::ThemeTags)> {
    let tax = Taxonomy::from_value(&input["taxonomy"])?;
    let verbatims = strings(&input["verbatims"]);
    let tagger = text::ThemeTagger::new(&tax)?;
    let t = match input.get("languages") {
        Some(l) => tagger.tag_with_languages(&verbatims, &strings(l))?,
        None => tagger.tag(&verbatims)?,
    };
    Ok((tax, t))
}

fn run(function: &str, input: &Value) -> Result<Value> {
    use cxkpi::text::parse_options as opts;
    match function {
        "tag_themes" => to_value(tags(input).map(|x| x.1)),
        "theme_impact" => {
            let (_, t) = tags(input)?;
            let value = input.get("value").map(floats);
            let o = rest(input, &["taxonomy", "verbatims", "sentiment", "value"]);
            to_value(text::theme_impact(
                &t,
                &floats(&input["sentiment"]),
                value.as_deref(),
                &opts(&o)?,
            ))
        }
        "theme_trend" => {
            let (_, t) = tags(input)?;
            let periods: Vec<i64> = input["periods"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_i64().unwrap())
                .collect();
            to_value(text::theme_trend(&t, &periods))
        }
        "validate_taxonomy" => {
            let (tax, t) = tags(input)?;
            let labels: Vec<Vec<String>> = input["labels"]
                .as_array()
                .unwrap()
                .iter()
                .map(strings)
                .collect();
            to_value(text::validate_taxonomy(&tax, &t, &labels))
        }
        "map_theme_counts" => {
            let old = Taxonomy::from_value(&input["old"])?;
            let new = Taxonomy::from_value(&input["new"])?;
            let map: TaxonomyMap = serde_json::from_value(input["map"].clone()).map_err(|e| {
                CxkpiError::InvalidArgument {
                    arg: "map".into(),
                    message: e.to_string(),
                }
            })?;
            to_value(map.map_counts(&old, &new, &floats(&input["counts"])))
        }
        "standardise_sentiment" => {
            let method: text::SentimentScaleMethod =
                serde_json::from_value(input["method"].clone()).map_err(|e| {
                    CxkpiError::InvalidArgument {
                        arg: "method".into(),
                        message: e.to_string(),
                    }
                })?;
            to_value(text::standardise_sentiment(
                &floats(&input["scores"]),
                &method,
            ))
        }
        "isotonic_fit" => {
            let w = input.get("weights").map(floats);
            let o = rest(input, &["scores", "targets", "weights"]);
            to_value(text::isotonic_fit(
                &floats(&input["scores"]),
                &floats(&input["targets"]),
                w.as_deref(),
                &opts(&o)?,
            ))
        }
        "cohen_kappa" => {
            let o = rest(input, &["a", "b"]);
            to_value(text::cohen_kappa(
                &codes(&input["a"]),
                &codes(&input["b"]),
                &opts(&o)?,
            ))
        }
        "bland_altman" => {
            let o = rest(input, &["a", "b"]);
            to_value(text::bland_altman(
                &floats(&input["a"]),
                &floats(&input["b"]),
                &opts(&o)?,
            ))
        }
        "provider_agreement" => {
            let o = rest(input, &["a", "b"]);
            to_value(text::provider_agreement(
                &floats(&input["a"]),
                &floats(&input["b"]),
                &opts(&o)?,
            ))
        }
        "sentiment_survey_agreement" => {
            let o = rest(input, &["sentiment", "scores"]);
            to_value(text::sentiment_survey_agreement(
                &floats(&input["sentiment"]),
                &floats(&input["scores"]),
                &opts(&o)?,
            ))
        }
        other => panic!("unknown golden function {other}"),
    }
}

#[test]
fn golden_text() {
    common::run_family("text", run, 1e-12)
}
