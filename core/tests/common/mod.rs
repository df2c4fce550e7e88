//! Golden-corpus plumbing shared by the Rust golden suites (`core/tests/golden*.rs`): running every case of a
//! directory of JSON files, checking the expected fields, and writing the TSV that tests/golden_diff.py
//! compares bit for bit with the Python and Node outputs (format: tests/golden/README.md).
//!
//! A new family of golden cases (say `tests/golden/incentive/*.json`) gets its own test file
//! `core/tests/golden_incentive.rs` with `mod common;` and one test that calls [`run_family`]. Its output goes
//! to `<target>/golden-out/rust-incentive.tsv`; golden_diff.py merges every `rust*.tsv`.
#![allow(dead_code)]

use cxkpi::options::value_to_f64;
use cxkpi::Result;
use serde_json::{Map, Value};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// A JSON array of numbers (or "NaN"/"Infinity" strings) as f64.
pub fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| value_to_f64(x).expect("number"))
        .collect()
}

/// A JSON array of non-negative integers as u32 codes.
pub fn codes(v: &Value) -> Vec<u32> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| x.as_u64().expect("code") as u32)
        .collect()
}

/// Splits a case input into its data keys (`data`) and the rest (the options object).
pub fn split(input: &Value, data: &[&str]) -> (Map<String, Value>, Value) {
    let mut d = Map::new();
    let mut o = Map::new();
    for (k, v) in input.as_object().unwrap() {
        if data.contains(&k.as_str()) {
            d.insert(k.clone(), v.clone());
        } else {
            o.insert(k.clone(), v.clone());
        }
    }
    (d, Value::Object(o))
}

/// A core result as JSON.
pub fn to_value<T: serde::Serialize>(r: Result<T>) -> Result<Value> {
    r.map(|x| serde_json::to_value(x).unwrap())
}

/// The repository root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// `<CARGO_TARGET_DIR or target>/golden-out`, created.
pub fn out_dir() -> PathBuf {
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| repo().join("target"));
    let out = target.join("golden-out");
    std::fs::create_dir_all(&out).unwrap();
    out
}

/// Runs the family in `tests/golden/<family>/*.json` with `runner`, writes `rust-<family>.tsv`, prints
/// `golden (rust, <family>): N passed, M failed` and fails the test on any failure or on an empty family.
/// `default_tol` applies to cases without a `tolerance`.
pub fn run_family(family: &str, runner: fn(&str, &Value) -> Result<Value>, default_tol: f64) {
    let mut tsv = String::new();
    let dir = repo().join("tests/golden").join(family);
    let (passed, failures) = run_dir(&dir, runner, default_tol, &mut tsv);
    std::fs::write(out_dir().join(format!("rust-{family}.tsv")), tsv).unwrap();
    println!(
        "golden (rust, {family}): {passed} passed, {} failed",
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "golden failures:\n{}",
        failures.join("\n")
    );
    assert!(passed > 0, "no golden cases found in {}", dir.display());
}

/// Flattens a result into (dotted field, leaf) pairs.
pub fn flatten(prefix: &str, v: &Value, out: &mut Vec<(String, Value)>) {
    let key = |k: &str| {
        if prefix.is_empty() {
            k.to_string()
        } else {
            format!("{prefix}.{k}")
        }
    };
    match v {
        Value::Object(m) => m.iter().for_each(|(k, x)| flatten(&key(k), x, out)),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, x)| flatten(&key(&i.to_string()), x, out)),
        leaf => out.push((prefix.to_string(), leaf.clone())),
    }
}

pub fn tsv_value(v: &Value) -> String {
    match v {
        Value::Number(n) => format!("{:016x}", n.as_f64().unwrap().to_bits()),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".into(),
        _ => unreachable!(),
    }
}

pub fn check(
    expected: &Value,
    actual: Option<&Value>,
    tol: f64,
) -> std::result::Result<(), String> {
    let Some(actual) = actual else {
        return Err("field missing".into());
    };
    match (expected, actual) {
        (Value::Null, Value::Null) => Ok(()),
        (e, a) if value_to_f64(e).is_some() && e.as_str().is_none_or(|_| a.as_str().is_none()) => {
            let (e, a) = (
                value_to_f64(e).unwrap(),
                value_to_f64(a).ok_or(format!("expected a number, got {a}"))?,
            );
            let ok = if e.is_nan() {
                a.is_nan()
            } else if e.is_infinite() {
                a == e
            } else {
                (a - e).abs() <= tol * e.abs().max(1.0)
            };
            ok.then_some(()).ok_or(format!(
                "expected {e:e}, got {a:e} (diff {:e})",
                (a - e).abs()
            ))
        }
        (e, a) => (e == a)
            .then_some(())
            .ok_or(format!("expected {e}, got {a}")),
    }
}

/// Runs every case of the JSON files in `dir` with `runner`, appending TSV lines; returns (passed, failures).
pub fn run_dir(
    dir: &Path,
    runner: fn(&str, &Value) -> Result<Value>,
    default_tol: f64,
    tsv: &mut String,
) -> (usize, Vec<String>) {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("the golden directory exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let (mut passed, mut failures) = (0usize, Vec::<String>::new());
    for f in &files {
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap();
        let function = doc["function"].as_str().unwrap();
        for case in doc["cases"].as_array().unwrap() {
            let name = case["name"].as_str().unwrap();
            let tol = case
                .get("tolerance")
                .and_then(Value::as_f64)
                .unwrap_or(default_tol);
            let got = match std::panic::catch_unwind(|| runner(function, &case["input"])) {
                Ok(g) => g,
                Err(_) => {
                    failures.push(format!("{function}/{name}: PANIC"));
                    continue;
                }
            };
            let mut problems = Vec::new();
            match (&got, case.get("error")) {
                (Err(e), want) => {
                    writeln!(tsv, "{function}/{name}\terror\t{}", e.kind()).unwrap();
                    if want.and_then(|w| w["kind"].as_str()) != Some(e.kind()) {
                        problems.push(format!(
                            "error {} ({e}), expected {:?}",
                            e.kind(),
                            want.map(|w| &w["kind"])
                        ));
                    }
                }
                (Ok(v), want_err) => {
                    let mut leaves = Vec::new();
                    flatten("", v, &mut leaves);
                    leaves.sort_by(|a, b| a.0.cmp(&b.0));
                    for (k, leaf) in &leaves {
                        writeln!(tsv, "{function}/{name}\t{k}\t{}", tsv_value(leaf)).unwrap();
                    }
                    if let Some(w) = want_err {
                        problems.push(format!("expected error {}, got a result", w["kind"]));
                    }
                    if let Some(exp) = case.get("expect").and_then(Value::as_object) {
                        for (k, e) in exp {
                            let a = leaves.iter().find(|(f, _)| f == k).map(|(_, v)| v);
                            if let Err(msg) = check(e, a, tol) {
                                problems.push(format!("{k}: {msg}"));
                            }
                        }
                    }
                }
            }
            if problems.is_empty() {
                passed += 1;
            } else {
                failures.push(format!("{function}/{name}: {}", problems.join("; ")));
            }
        }
    }
    (passed, failures)
}
