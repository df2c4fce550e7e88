//! Unit tests of the incentive module (the golden cases in tests/golden/incentive carry the hand-derived
//! payouts; these check the plumbing around them).

use super::*;
use serde_json::json;

fn plan() -> IncentivePlan {
    IncentivePlan::from_value(&json!({
        "id": "t", "version": "3", "period": {"fiscal_year": 2025},
        "kpis": [
            {"id": "revenue", "weight": 0.6, "curve": {"type": "threshold_target_maximum",
             "threshold": 90, "target": 100, "maximum": 110}},
            {"id": "nps", "weight": 0.4, "curve": {"type": "threshold_target_maximum",
             "threshold": 20, "target": 30, "maximum": 40}}
        ],
        "gates": [{"id": "floor", "kpi": "nps", "threshold": 20, "effect": "cap_total", "cap": 0.5}],
        "participants": [{"id": "a", "target_bonus": {"amount": 1000}},
                         {"id": "b", "target_bonus": {"amount": 2000}, "start_date": "2025-07-01"}]
    }))
    .unwrap()
}

#[test]
fn toml_and_json_read_the_same_plan() {
    let p = plan();
    let text = p.to_json();
    assert_eq!(IncentivePlan::from_json(&text).unwrap(), p);
    let toml_text = r#"
id = "t"
version = "3"
period = { fiscal_year = 2025 }
[[kpis]]
id = "revenue"
weight = 0.6
curve = { type = "threshold_target_maximum", threshold = 90, target = 100, maximum = 110 }
[[kpis]]
id = "nps"
weight = 0.4
curve = { type = "threshold_target_maximum", threshold = 20, target = 30, maximum = 40 }
[[gates]]
id = "floor"
kpi = "nps"
threshold = 20
effect = "cap_total"
cap = 0.5
[[participants]]
id = "a"
target_bonus = { amount = 1000 }
[[participants]]
id = "b"
target_bonus = { amount = 2000 }
start_date = "2025-07-01"
"#;
    assert_eq!(IncentivePlan::from_toml(toml_text).unwrap(), p);
}

#[test]
fn explain_reads_as_a_trail() {
    let r = plan()
        .evaluate(&EvaluationInput::from_values(&[
            ("revenue", 110.0),
            ("nps", 15.0),
        ]))
        .unwrap();
    let e = r.explain("a").unwrap();
    assert!(e.lines[0].contains("plan t version 3"), "{:?}", e.lines);
    assert!(e
        .lines
        .iter()
        .any(|l| l.contains("gate:floor") && l.contains("missed")));
    assert!(e.lines.iter().any(|l| l.contains("limited by: gate:floor")));
    assert_eq!(e.payout.amount, 500.0);
    assert_eq!(r.explain("zz").unwrap_err().kind(), "invalid_argument");
}

#[test]
fn what_if_reports_changed_steps() {
    let p = plan();
    let base = EvaluationInput::from_values(&[("revenue", 100.0), ("nps", 30.0)]);
    let change = EvaluationInput::from_values(&[("nps", 15.0)]);
    let w = p.what_if(&base, &change).unwrap();
    assert_eq!(w.changes, vec!["nps: 30 -> 15".to_string()]);
    let e = &w.effects[0];
    // base 0.6 + 0.4 = 1.0; scenario 0.6 + 0 = 0.6 capped by the floor at 0.5.
    assert_eq!((e.base_factor, e.scenario_factor), (1.0, 0.5));
    assert!(e.changed_steps.contains(&"kpi:nps".to_string()));
    assert!(e.changed_steps.contains(&"gate:floor".to_string()));
    assert!(!e.changed_steps.contains(&"kpi:revenue".to_string()));
}

#[test]
fn bulk_matches_document_path_with_proration() {
    let p = plan();
    let r = p
        .evaluate(&EvaluationInput::from_values(&[
            ("revenue", 104.0),
            ("nps", 33.0),
        ]))
        .unwrap();
    let b = p
        .evaluate_columns(
            &[&[104.0, 104.0], &[33.0, 33.0]],
            &[1000.0, 2000.0],
            None,
            Some(&[1.0, r.participants[1].participation]),
        )
        .unwrap();
    for i in 0..2 {
        assert_eq!(b.amount[i].to_bits(), r.participants[i].amount.to_bits());
    }
    assert_eq!(b.total_amount.to_bits(), r.total_amount.to_bits());
}

#[test]
fn guard_rails() {
    let mut v = serde_json::to_value(plan()).unwrap();
    v["kpis"][0]["scoring"] = json!("z");
    let e = IncentivePlan::from_value(&v).unwrap_err();
    assert_eq!(e.kind(), "unsupported");
    assert!(e.to_string().contains("data-relative"), "{e}");
    let mut v = serde_json::to_value(plan()).unwrap();
    v["kpis"][0]["weight"] = json!(0.7);
    let e = IncentivePlan::from_value(&v).unwrap_err();
    assert!(e.to_string().contains("sum to 1.1"), "{e}");
    let mut v = serde_json::to_value(plan()).unwrap();
    v["kpis"][1]["curve"]["maximum"] = json!(25);
    let e = IncentivePlan::from_value(&v).unwrap_err();
    assert!(e.to_string().contains("kpis[1].curve"), "{e}");
    let mut v = serde_json::to_value(plan()).unwrap();
    v["gates"][0]["components"] = json!(["revenue"]);
    assert_eq!(
        IncentivePlan::from_value(&v).unwrap_err().kind(),
        "invalid_argument"
    );
    let mut v = serde_json::to_value(plan()).unwrap();
    v["participants"][1]["start_date"] = json!("2025-13-01");
    let e = IncentivePlan::from_value(&v).unwrap_err();
    assert!(e.to_string().contains("participants[1].start_date"), "{e}");
    let bad = plan()
        .evaluate_columns(&[&[f64::NAN], &[1.0]], &[1.0], None, None)
        .unwrap_err();
    assert_eq!(bad.kind(), "missing_value");
}

#[test]
fn monotone_and_max_payouts() {
    let p = plan();
    assert!(p.is_monotone().unwrap());
    assert_eq!(p.kpi_max_payouts().unwrap(), vec![Some(2.0), Some(2.0)]);
}

#[test]
fn bulk_across_chunks_matches_document_path() {
    let p = plan();
    let n = 10_000;
    let rev: Vec<f64> = (0..n).map(|i| 85.0 + (i % 300) as f64 * 0.1).collect();
    let nps: Vec<f64> = (0..n).map(|i| 15.0 + (i % 277) as f64 * 0.1).collect();
    let tb = vec![1000.0; n];
    let b = p.evaluate_columns(&[&rev, &nps], &tb, None, None).unwrap();
    let mut total = crate::stats::NeumaierSum::default();
    for i in 0..n {
        total.add(b.amount[i]);
        if i % 97 == 0 || i == n - 1 {
            let r = p
                .evaluate(&EvaluationInput::from_values(&[
                    ("revenue", rev[i]),
                    ("nps", nps[i]),
                ]))
                .unwrap();
            assert_eq!(
                b.factor[i].to_bits(),
                r.participants[0].factor.to_bits(),
                "row {i}"
            );
        }
    }
    assert_eq!(b.total_amount.to_bits(), total.value().to_bits());
}
