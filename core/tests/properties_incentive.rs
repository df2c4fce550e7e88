//! Property tests of incentive plans: a payout never exceeds its cap, raising one KPI never lowers the payout
//! of a monotone plan, restating with the same values recovers nothing, and the bulk path equals the
//! document path bit for bit.

use cxkpi::incentive::{ClawbackInput, EvaluationInput, IncentivePlan, ModifierOrder};
use proptest::prelude::*;
use serde_json::{json, Value};

/// A random monotone curve for a KPI whose good values lie roughly in 0..100 (mirrored when lower is better).
fn curve(lower: bool) -> impl Strategy<Value = Value> {
    let sign = if lower { -1.0 } else { 1.0 };
    let pts = prop::collection::vec((1.0f64..30.0, 0.0f64..1.0), 1..5).prop_map(move |steps| {
        let (mut x, mut p) = (0.0, 0.0);
        steps
            .into_iter()
            .map(|(dx, dp)| {
                x += dx;
                p += dp;
                json!({"value": sign * x, "payout": p})
            })
            .collect::<Vec<_>>()
    });
    let rates = prop::collection::vec((1.0f64..30.0, 0.0f64..0.05), 1..4).prop_map(move |steps| {
        let (mut x, mut r) = (0.0, 0.0);
        steps
            .into_iter()
            .map(|(dx, dr)| {
                x += dx;
                r += dr;
                json!({"from": sign * x, "rate": r})
            })
            .collect::<Vec<_>>()
    });
    prop_oneof![
        pts.clone()
            .prop_map(|p| json!({"type": "linear", "points": p})),
        pts.prop_map(|p| json!({"type": "stepped", "tiers": p})),
        (rates, any::<bool>()).prop_map(|(t, whole)| json!({"type": "accelerated",
            "mode": if whole { "whole" } else { "marginal" }, "tiers": t})),
    ]
}

fn kpi(i: usize) -> impl Strategy<Value = Value> {
    any::<bool>().prop_flat_map(move |lower| {
        (curve(lower), prop::option::of(0.5f64..3.0)).prop_map(move |(c, cap)| {
            let mut k = json!({"id": format!("k{i}"), "weight": 0.0, "curve": c,
                "direction": if lower { "lower_is_better" } else { "higher_is_better" }});
            if let Some(cap) = cap {
                k["cap"] = json!(cap);
            }
            k
        })
    })
}

/// A plan with 3 KPIs, weights (a, b, 1-a-b), maybe a total cap, a cap_total gate on k0, a modifier order.
fn plan() -> impl Strategy<Value = (Value, f64)> {
    (
        (kpi(0), kpi(1), kpi(2)),
        (0.0f64..0.5, 0.0f64..0.5),
        prop::option::of(0.5f64..3.0),
        prop::option::of((-60.0f64..60.0, 0.0f64..1.0)),
        any::<bool>(),
        0.8f64..1.2,
    )
        .prop_map(|((a, b, c), (wa, wb), total_cap, gate, after, modifier)| {
            let mut kpis = vec![a, b, c];
            kpis[0]["weight"] = json!(wa);
            kpis[1]["weight"] = json!(wb);
            kpis[2]["weight"] = json!(1.0 - wa - wb);
            let mut p = json!({"id": "p", "period": {"fiscal_year": 2025}, "kpis": kpis,
                "modifier_order": if after { "after_caps" } else { "before_caps" },
                "participants": [{"id": "x", "target_bonus": {"amount": 1000}, "modifier": modifier}]});
            if let Some(c) = total_cap {
                p["total_cap"] = json!(c);
            }
            if let Some((t, cap)) = gate {
                p["gates"] = json!([{"id": "g", "kpi": "k0", "threshold": t, "effect": "cap_total", "cap": cap}]);
            }
            (p, modifier)
        })
}

fn values() -> impl Strategy<Value = [f64; 3]> {
    [-120.0f64..120.0, -120.0f64..120.0, -120.0f64..120.0]
}

fn input(v: &[f64; 3]) -> EvaluationInput {
    EvaluationInput::from_values(&[("k0", v[0]), ("k1", v[1]), ("k2", v[2])])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn payout_never_exceeds_its_cap((pv, modifier) in plan(), v in values()) {
        let plan = IncentivePlan::from_value(&pv).unwrap();
        let r = plan.evaluate(&input(&v)).unwrap();
        let p = &r.participants[0];
        for (line, spec) in p.kpis.iter().zip(&plan.kpis) {
            if let Some(cap) = spec.cap {
                prop_assert!(line.capped_payout <= cap);
                prop_assert!(line.payout <= cap);
            }
        }
        let post = if plan.modifier_order == ModifierOrder::AfterCaps { modifier } else { 1.0 };
        if let Some(cap) = plan.total_cap {
            prop_assert!(p.factor <= cap * post, "factor {} > cap {} x {}", p.factor, cap, post);
        }
        for (g, spec) in p.gates.iter().zip(&plan.gates) {
            if g.missed {
                prop_assert!(p.factor <= spec.cap.unwrap() * post);
            }
        }
        prop_assert!(p.amount <= 1000.0 * p.factor);
        prop_assert!(p.amount >= 0.0);
    }

    #[test]
    fn raising_one_kpi_never_lowers_the_payout((pv, _) in plan(), v in values(), k in 0usize..3, dx in 0.0f64..50.0) {
        let plan = IncentivePlan::from_value(&pv).unwrap();
        prop_assert!(plan.is_monotone().unwrap());
        let base = plan.evaluate(&input(&v)).unwrap().participants[0].amount;
        let mut better = v;
        // "Raising" = improving in the KPI's direction.
        let lower = plan.kpis[k].direction == cxkpi::Direction::LowerIsBetter;
        better[k] += if lower { -dx } else { dx };
        let after = plan.evaluate(&input(&better)).unwrap().participants[0].amount;
        prop_assert!(after >= base, "improving k{} by {} lowered the payout {} -> {}", k, dx, base, after);
    }

    #[test]
    fn restating_with_the_same_values_recovers_nothing((pv, _) in plan(), v in values(), q in 1u32..=4, fy in 2021i32..2026) {
        let plan = IncentivePlan::from_value(&pv).unwrap();
        let vals = json!({"k0": v[0], "k1": v[1], "k2": v[2]});
        let claw: ClawbackInput = serde_json::from_value(json!({"as_of": "2026-06-30", "periods": [
            {"period": {"fiscal_year": fy, "quarter": q}, "reported": {"values": vals}, "restated": {"values": vals}}]})).unwrap();
        let r = plan.clawback(&claw).unwrap();
        prop_assert_eq!(r.total_recoverable, 0.0);
        for l in &r.lines {
            prop_assert_eq!(l.reported_amount.to_bits(), l.restated_amount.to_bits());
            prop_assert!(l.restated_values.is_empty());
        }
    }

    #[test]
    fn bulk_equals_the_document_path((pv, modifier) in plan(), rows in prop::collection::vec(values(), 1..20)) {
        let plan = IncentivePlan::from_value(&pv).unwrap();
        let cols: Vec<Vec<f64>> = (0..3).map(|k| rows.iter().map(|r| r[k]).collect()).collect();
        let refs: Vec<&[f64]> = cols.iter().map(|c| c.as_slice()).collect();
        let tb = vec![1000.0; rows.len()];
        let m = vec![modifier; rows.len()];
        let b = plan.evaluate_columns(&refs, &tb, Some(&m), None).unwrap();
        for (i, r) in rows.iter().enumerate() {
            let one = plan.evaluate(&input(r)).unwrap();
            prop_assert_eq!(b.factor[i].to_bits(), one.participants[0].factor.to_bits());
            prop_assert_eq!(b.amount[i].to_bits(), one.participants[0].amount.to_bits());
        }
    }
}
