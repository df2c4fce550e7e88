//! Runs every case of the shared golden corpus (tests/golden/*.json) against the Rust API and writes
//! target/golden-out/rust.tsv for the cross-language bit-identity diff (format: tests/golden/README.md).

use cxkpi::options::{value_to_f64, Options};
use cxkpi::*;
use serde_json::{json, Map, Value};
mod common;
use common::{out_dir, repo, run_dir};

fn floats(v: &Value, key: &str) -> Vec<f64> {
    v.as_array()
        .unwrap_or_else(|| panic!("`{key}` must be an array"))
        .iter()
        .map(|x| value_to_f64(x).unwrap_or_else(|| panic!("`{key}`: not a number: {x}")))
        .collect()
}

fn u32s(v: &Value) -> Vec<u32> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_u64().unwrap() as u32)
        .collect()
}

/// Splits `input` into the named data fields and the remaining options.
fn split(input: &Value, data: &[&str]) -> (Map<String, Value>, Options) {
    let mut d = Map::new();
    let mut o = Options::new();
    for (k, v) in input.as_object().unwrap() {
        if data.contains(&k.as_str()) {
            d.insert(k.clone(), v.clone());
        } else {
            o.insert(k.clone(), v.clone());
        }
    }
    (d, o)
}

fn col(d: &Map<String, Value>, k: &str) -> Vec<f64> {
    floats(&d[k], k)
}

fn opt_col(d: &Map<String, Value>, k: &str) -> Option<Vec<f64>> {
    d.get(k).filter(|v| !v.is_null()).map(|v| floats(v, k))
}

fn num(d: &Map<String, Value>, k: &str) -> f64 {
    value_to_f64(&d[k]).unwrap_or_else(|| panic!("`{k}` must be a number"))
}

fn count(d: &Map<String, Value>, k: &str) -> u64 {
    d[k].as_u64()
        .unwrap_or_else(|| panic!("`{k}` must be a whole number"))
}

fn labels(v: &Value) -> Result<Vec<f64>> {
    let arr = v.as_array().unwrap();
    if arr.iter().any(|x| {
        x.as_str()
            .is_some_and(|s| !["NaN", "Infinity", "-Infinity"].contains(&s))
    }) {
        let strs: Vec<Option<&str>> = arr.iter().map(|x| x.as_str()).collect();
        parse_sentiment_labels(&strs)
    } else {
        Ok(floats(v, "labels"))
    }
}

fn to_value<T: serde::Serialize>(r: Result<T>) -> Result<Value> {
    r.map(|x| serde_json::to_value(x).unwrap())
}

fn nps_call(c: &Value) -> Result<NpsResult> {
    let (d, o) = split(
        c,
        &["scores", "weights", "promoters", "passives", "detractors"],
    );
    let opts = NpsOptions::from_options(&o)?;
    if d.contains_key("scores") {
        nps(&col(&d, "scores"), opt_col(&d, "weights").as_deref(), &opts)
    } else {
        nps_from_counts(
            count(&d, "promoters"),
            count(&d, "passives"),
            count(&d, "detractors"),
            &opts,
        )
    }
}

fn share_call(c: &Value) -> Result<ShareResult> {
    let (d, o) = split(c, &["successes", "n", "scores", "weights"]);
    if d.contains_key("scores") {
        top_box(
            &col(&d, "scores"),
            opt_col(&d, "weights").as_deref(),
            &TopBoxOptions::from_options(&o)?,
        )
    } else {
        share_from_counts(
            count(&d, "successes"),
            count(&d, "n"),
            &ShareOptions::from_options(&o)?,
        )
    }
}

fn mean_call(c: &Value) -> Result<MeanResult> {
    let (d, o) = split(c, &["values", "weights", "mean", "sd", "n"]);
    let opts = MeanOptions::from_options(&o)?;
    if d.contains_key("values") {
        mean_score(&col(&d, "values"), opt_col(&d, "weights").as_deref(), &opts)
    } else {
        mean_from_summary(num(&d, "mean"), num(&d, "sd"), count(&d, "n"), &opts)
    }
}

const CLASSIFY: &[&str] = &[
    "scale_min",
    "scale_max",
    "promoter_min",
    "detractor_max",
    "missing",
    "side",
    "k",
    "direction",
];

fn partials(input: &Value) -> Result<Value> {
    let metric = input["metric"].as_str().unwrap();
    let (_, rest) = split(input, &["metric", "parts"]);
    let (mut cls, mut fin) = (Options::new(), Options::new());
    for (k, v) in rest {
        if CLASSIFY.contains(&k.as_str()) {
            cls.insert(k, v);
        } else {
            fin.insert(k, v);
        }
    }
    let parts = input["parts"].as_array().unwrap();
    // A part's own keys other than its columns are classification options for that part (over the
    // top-level ones), e.g. a shard computed with other bands, which must then fail to merge.
    let part_opts = |d: &Map<String, Value>| -> Options {
        let mut o = cls.clone();
        for (k, v) in d {
            if ![
                "scores",
                "values",
                "labels",
                "weights",
                "customers_start",
                "lost",
                "customers_end",
            ]
            .contains(&k.as_str())
            {
                o.insert(k.clone(), v.clone());
            }
        }
        o
    };
    // Every partial goes through JSON before it is merged, as it would between workers.
    fn rt<T: serde::Serialize + serde::de::DeserializeOwned>(p: T) -> T {
        serde_json::from_str(&serde_json::to_string(&p).unwrap()).unwrap()
    }
    macro_rules! fold {
        ($make:expr) => {{
            let mut acc = None;
            for p in parts {
                let d = p.as_object().unwrap();
                let part = rt($make(d)?);
                match &mut acc {
                    None => acc = Some(part),
                    Some(a) => a.merge(&part)?,
                }
            }
            acc.expect("at least one part")
        }};
    }
    match metric {
        "nps" => to_value(
            fold!(|d: &Map<String, Value>| NpsPartial::from_scores(
                &col(d, "scores"),
                opt_col(d, "weights").as_deref(),
                &part_opts(d)
            ))
            .finish(&fin),
        ),
        "top_box" => to_value(
            fold!(|d: &Map<String, Value>| TopBoxPartial::from_scores(
                &col(d, "scores"),
                opt_col(d, "weights").as_deref(),
                &part_opts(d)
            ))
            .finish(&fin),
        ),
        "mean" => to_value(
            fold!(|d: &Map<String, Value>| MeanPartial::from_values(
                &col(d, "values"),
                opt_col(d, "weights").as_deref(),
                &part_opts(d)
            ))
            .finish(&fin),
        ),
        "sentiment" => to_value(
            fold!(|d: &Map<String, Value>| SentimentPartial::from_labels(
                &labels(&d["labels"])?,
                opt_col(d, "weights").as_deref(),
                &part_opts(d)
            ))
            .finish(&fin),
        ),
        "churn" => to_value(
            fold!(|d: &Map<String, Value>| ChurnPartial::new(
                num(d, "customers_start"),
                num(d, "lost"),
                d.get("customers_end").and_then(value_to_f64)
            ))
            .finish(&fin),
        ),
        m => panic!("unknown partial metric {m}"),
    }
}

fn run(function: &str, input: &Value) -> Result<Value> {
    match function {
        "nps" | "nps_from_counts" => to_value(nps_call(input)),
        "top_box" => {
            let (d, o) = split(input, &["scores", "weights"]);
            to_value(top_box(
                &col(&d, "scores"),
                opt_col(&d, "weights").as_deref(),
                &TopBoxOptions::from_options(&o)?,
            ))
        }
        "share_from_counts" => to_value(share_call(input)),
        "proportion_interval" => {
            let (d, o) = split(input, &["x", "n"]);
            to_value(proportion_interval(
                num(&d, "x"),
                num(&d, "n"),
                &ProportionOptions::from_options(&o)?,
            ))
        }
        "mean_score" | "mean_from_summary" => to_value(mean_call(input)),
        "ces" => {
            let (d, o) = split(input, &["scores", "weights"]);
            to_value(ces(
                &col(&d, "scores"),
                opt_col(&d, "weights").as_deref(),
                &MeanOptions::ces_from_options(&o)?,
            ))
        }
        "churn" => {
            let (d, o) = split(input, &["customers_start", "lost"]);
            to_value(churn(
                num(&d, "customers_start"),
                num(&d, "lost"),
                &ChurnOptions::from_options(&o)?,
            ))
        }
        "convert_rate" => {
            let (d, _) = split(input, &["rate", "from_months", "to_months"]);
            convert_rate(
                num(&d, "rate"),
                num(&d, "from_months"),
                num(&d, "to_months"),
            )
            .map(|v| json!({ "value": v }))
        }
        "sentiment_share" => {
            let (d, o) = split(input, &["labels", "weights"]);
            let codes = labels(&d["labels"])?;
            to_value(sentiment_share(
                &codes,
                opt_col(&d, "weights").as_deref(),
                &SentimentOptions::from_options(&o)?,
            ))
        }
        "sentiment_from_counts" => {
            let (d, o) = split(input, &["positive", "neutral", "negative"]);
            to_value(sentiment_from_counts(
                count(&d, "positive"),
                count(&d, "neutral"),
                count(&d, "negative"),
                &SentimentOptions::from_options(&o)?,
            ))
        }
        "compare_nps" | "compare_shares" | "compare_means" => {
            let (d, o) = split(input, &["a", "b"]);
            let opts = CompareOptions::from_options(&o)?;
            match function {
                "compare_nps" => {
                    to_value(compare_nps(&nps_call(&d["a"])?, &nps_call(&d["b"])?, &opts))
                }
                "compare_shares" => to_value(compare_shares(
                    &share_call(&d["a"])?,
                    &share_call(&d["b"])?,
                    &opts,
                )),
                _ => to_value(compare_means(
                    &mean_call(&d["a"])?,
                    &mean_call(&d["b"])?,
                    &opts,
                )),
            }
        }
        "sample_size" => to_value(sample_size(&SampleSizeOptions::from_options(
            input.as_object().unwrap(),
        )?)),
        "grouped" => {
            let (d, o) = split(input, &["metric", "values", "keys", "weights"]);
            let keys: Vec<Vec<u32>> = d["keys"].as_array().unwrap().iter().map(u32s).collect();
            let key_refs: Vec<&[u32]> = keys.iter().map(|k| k.as_slice()).collect();
            to_value(grouped(
                d["metric"].as_str().unwrap(),
                &col(&d, "values"),
                &key_refs,
                opt_col(&d, "weights").as_deref(),
                &o,
            ))
        }
        "partials" => partials(input),
        f => panic!("no runner for golden function {f}"),
    }
}

/// The shared corpus: tests/golden (metrics) and tests/golden/weighting (values from R survey). Writes
/// target/golden-out/rust.tsv for the cross-language bit-identity diff.
#[test]
fn golden_corpus() {
    let mut tsv = String::new();
    let (p1, mut failures) = run_dir(&repo().join("tests/golden"), run, 1e-12, &mut tsv);
    let (p2, f2) = run_dir(
        &repo().join("tests/golden/weighting"),
        run_weighting,
        1e-12,
        &mut tsv,
    );
    failures.extend(f2);
    std::fs::write(out_dir().join("rust.tsv"), tsv).unwrap();
    println!(
        "golden (rust): {} passed ({p1} metrics, {p2} weighting), {} failed",
        p1 + p2,
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "golden failures:\n{}",
        failures.join("\n")
    );
    assert!(p1 > 0 && p2 > 0, "no golden cases found");
}

/// Integer code columns.
fn code_cols(v: &Value) -> Vec<Vec<u32>> {
    v.as_array()
        .expect("codes: a list of columns")
        .iter()
        .map(u32s)
        .collect()
}

fn run_weighting(function: &str, input: &Value) -> Result<Value> {
    use cxkpi::weighting::*;
    match function {
        "rake" | "calibrate" | "poststratify" => {
            let (d, o) = split(
                input,
                &["codes", "targets", "cell_targets", "base", "levels"],
            );
            let opts = WeightingOptions::from_options(&o)?;
            let codes = code_cols(&d["codes"]);
            let code_refs: Vec<&[u32]> = codes.iter().map(|c| c.as_slice()).collect();
            let base = opt_col(&d, "base");
            if function == "poststratify" {
                let cell_targets = col(&d, "cell_targets");
                let levels: Vec<usize> = match d.get("levels") {
                    Some(l) => l
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|x| x.as_u64().unwrap() as usize)
                        .collect(),
                    None if codes.len() == 1 => vec![cell_targets.len()],
                    None => codes
                        .iter()
                        .map(|c| c.iter().copied().max().unwrap_or(0) as usize + 1)
                        .collect(),
                };
                return to_value(poststratify(
                    &code_refs,
                    &levels,
                    &cell_targets,
                    base.as_deref(),
                    &opts,
                ));
            }
            let targets: Vec<Vec<f64>> = d["targets"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| floats(t, "targets"))
                .collect();
            let target_refs: Vec<&[f64]> = targets.iter().map(|t| t.as_slice()).collect();
            if function == "rake" {
                to_value(rake(&code_refs, &target_refs, base.as_deref(), &opts))
            } else {
                to_value(calibrate(&code_refs, &target_refs, base.as_deref(), &opts))
            }
        }
        "trim_weights" => {
            let (d, o) = split(input, &["weights"]);
            to_value(trim_weights(
                &col(&d, "weights"),
                &TrimOptions::from_options(&o)?,
            ))
        }
        "weight_diagnostics" => {
            let (d, _) = split(input, &["weights", "base"]);
            to_value(weight_diagnostics(
                &col(&d, "weights"),
                opt_col(&d, "base").as_deref(),
            ))
        }
        "design_estimate" => {
            // The fit (method, codes, targets | levels + cell_targets, base, fit options), then the estimate.
            let mut fit = Map::new();
            for k in ["codes", "targets", "cell_targets", "levels", "base"] {
                if let Some(v) = input.get(k) {
                    fit.insert(k.into(), v.clone());
                }
            }
            if let Some(Value::Object(f)) = input.get("fit") {
                fit.extend(f.clone());
            }
            let method = input["method"].as_str().unwrap();
            let result: WeightingResult =
                serde_json::from_value(run_weighting(method, &Value::Object(fit))?).unwrap();
            let codes = code_cols(&input["codes"]);
            let code_refs: Vec<&[u32]> = codes.iter().map(|c| c.as_slice()).collect();
            let base = input.get("base").map(|b| floats(b, "base"));
            let design = Design::from_result(&code_refs, base.as_deref(), &result)?;
            let mut o = Options::new();
            if let Some(Value::Object(m)) = input.get("options") {
                o.extend(m.clone());
            }
            let opts = DesignEstimateOptions::from_options(input["metric"].as_str().unwrap(), &o)?;
            let by = input.get("by").map(u32s);
            to_value(design_estimate(
                &floats(&input["values"], "values"),
                &design,
                by.as_deref(),
                &opts,
            ))
        }
        f => panic!("no runner for weighting golden function {f}"),
    }
}
