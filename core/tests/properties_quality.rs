//! Property tests of the quality and governance modules: validation is idempotent (the rules applied to
//! the kept rows exclude nothing more) and its account adds up (every excluded row has its first rule among
//! its failed rules; the per-rule first counts sum to the excluded count); complementary suppression leaves
//! no row or column of a two-way table (with margins) with exactly one hidden entry; definition lookups
//! return the one version whose [from, to) interval holds the date.

use cxkpi::governance::Registry;
use cxkpi::quality::{
    suppress_two_way, validate, CellStatus, Column, ResponseTable, RuleSet, SuppressionOptions,
};
use proptest::prelude::*;

const RULES: &str = r#"{"rules": [
  {"id": "scale", "kind": "out_of_scale", "columns": ["q1", "q2", "q3", "q4"], "min": 0, "max": 10},
  {"id": "dups", "kind": "duplicate", "customer": "cust", "survey": "survey", "timestamp": "ts", "window_days": 3},
  {"id": "fast", "kind": "speeder", "duration": "secs", "min_seconds": 20, "min_fraction_of_median": 0.4},
  {"id": "flat", "kind": "straight_liner", "columns": ["q1", "q2", "q3", "q4"], "min_items": 3},
  {"id": "time", "kind": "impossible_timestamps", "started": "start", "completed": "ts", "as_of": "1970-01-25"},
  {"id": "bots", "kind": "identical_vectors", "columns": ["q1", "q2", "q3", "q4"], "min_count": 3},
  {"id": "internal", "kind": "test_entries", "flag": "flag", "email": "email", "domains": ["acme.com"]},
  {"id": "period", "kind": "field_period", "timestamp": "ts", "start": "1970-01-02", "end": "1970-01-22"}
]}"#;

#[derive(Debug, Clone)]
struct Table {
    num: Vec<(&'static str, Vec<f64>)>,
    email: Vec<String>,
}

fn maybe(v: f64, missing: bool) -> f64 {
    if missing {
        f64::NAN
    } else {
        v
    }
}

fn tables() -> impl Strategy<Value = Table> {
    (1usize..80).prop_flat_map(|n| {
        let row = (
            (0u8..6, 0u8..2, 0u32..25, any::<bool>()),
            (0u32..400, any::<bool>(), 0u32..40),
            prop::collection::vec((0u8..12, 0u8..8), 4),
            (0u8..20, 0u8..4),
        );
        prop::collection::vec(row, n).prop_map(|rows| {
            let day = 86400.0;
            let mut c: Vec<(&'static str, Vec<f64>)> = [
                "cust", "survey", "ts", "start", "secs", "q1", "q2", "q3", "q4", "flag",
            ]
            .iter()
            .map(|&k| (k, Vec::new()))
            .collect();
            let mut email = Vec::new();
            for ((cu, sv, d, miss), (secs, smiss, lag), qs, (f, e)) in rows {
                c[0].1.push(cu as f64);
                c[1].1.push(sv as f64);
                let ts = maybe(d as f64 * day + 3600.0, miss && d % 5 == 0);
                c[2].1.push(ts);
                c[3].1.push(
                    d as f64 * day + 3600.0 - lag as f64 * 60.0 + if lag > 35 { 1e4 } else { 0.0 },
                );
                c[4].1.push(maybe(secs as f64, smiss && secs % 7 == 0));
                for (k, &(q, m)) in qs.iter().enumerate() {
                    // Mostly 7 so that straight-liners and identical vectors occur; sometimes 11 (off scale).
                    let v = if q < 6 { 7.0 } else { (q - 1) as f64 };
                    c[5 + k].1.push(maybe(v, m == 0));
                }
                c[9].1.push(if f == 0 { 1.0 } else { 0.0 });
                email.push(match e {
                    0 => "x@acme.com".to_string(),
                    1 => "y@example.org".to_string(),
                    _ => String::new(),
                });
            }
            Table { num: c, email }
        })
    })
}

fn run(t: &Table, rows: &[usize]) -> cxkpi::quality::Validation {
    let rs = RuleSet::from_json(RULES).unwrap();
    let cols: Vec<(&str, Vec<f64>)> = t
        .num
        .iter()
        .map(|(k, v)| (*k, rows.iter().map(|&i| v[i]).collect()))
        .collect();
    let email: Vec<String> = rows.iter().map(|&i| t.email[i].clone()).collect();
    let mut tab = ResponseTable::new(rows.len());
    for (k, v) in &cols {
        tab.add(k, Column::Num(v)).unwrap();
    }
    tab.add("email", Column::Text(&email)).unwrap();
    validate(&rs, &tab).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn validation_is_idempotent_and_accounted(t in tables()) {
        let n = t.email.len();
        let all: Vec<usize> = (0..n).collect();
        let v = run(&t, &all);
        let kept: Vec<usize> = (0..n).filter(|&i| v.keep[i]).collect();
        let again = run(&t, &kept);
        prop_assert_eq!(again.n_excluded, 0, "second pass excluded {:?}", again.excluded());
        let firsts: u64 = v.totals.iter().map(|t| t.n_excluded).sum();
        prop_assert_eq!(firsts, v.n_excluded);
        prop_assert_eq!(v.n_kept + v.n_excluded, n as u64);
        for e in v.excluded() {
            prop_assert!(e.failed.contains(&e.first_rule));
            prop_assert_eq!(&e.failed[0], &e.first_rule);
        }
        for t in &v.totals {
            prop_assert!(t.n_failed >= t.n_excluded);
        }
    }

    #[test]
    fn suppression_leaves_no_single_hidden_entry(
        (r, c, cells) in (1usize..5, 1usize..5).prop_flat_map(|(r, c)| (Just(r), Just(c), prop::collection::vec(0u64..30, r * c))),
        k in 1u64..15,
        zero in any::<bool>(),
    ) {
        let table: Vec<Vec<u64>> = (0..r).map(|i| cells[i * c..(i + 1) * c].to_vec()).collect();
        let o = SuppressionOptions {
            min_group_size: k,
            zero_cells: if zero { cxkpi::quality::ZeroCells::Suppress } else { cxkpi::quality::ZeroCells::Safe },
            ..Default::default()
        };
        let s = suppress_two_way(&table, &o).unwrap();
        let hidden = |x: CellStatus| (x != CellStatus::Published) as usize;
        for i in 0..r {
            let h: usize = s.cells[i].iter().map(|&x| hidden(x)).sum::<usize>() + hidden(s.row_totals[i]);
            prop_assert!(h != 1, "row {} has one hidden entry", i);
        }
        for j in 0..c {
            let h: usize = (0..r).map(|i| hidden(s.cells[i][j])).sum::<usize>() + hidden(s.column_totals[j]);
            prop_assert!(h != 1, "column {} has one hidden entry", j);
        }
        let h: usize = s.column_totals.iter().map(|&x| hidden(x)).sum::<usize>() + hidden(s.grand_total.unwrap());
        prop_assert!(h != 1);
        let h: usize = s.row_totals.iter().map(|&x| hidden(x)).sum::<usize>() + hidden(s.grand_total.unwrap());
        prop_assert!(h != 1);
        // Every cell under the minimum (and not a safe zero) is hidden.
        for i in 0..r {
            for j in 0..c {
                let n = table[i][j];
                if n < k && (n > 0 || zero) {
                    prop_assert_eq!(s.cells[i][j], CellStatus::Primary);
                }
            }
        }
    }

    #[test]
    fn in_force_finds_the_covering_version(
        gaps in prop::collection::vec((0i64..40, 1i64..60), 1..6),
        day in 0i64..400,
    ) {
        let base = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
        let mut defs = Vec::new();
        let mut at = 0i64;
        let mut spans = Vec::new();
        for (v, (gap, len)) in gaps.iter().enumerate() {
            let from = at + gap;
            let to = from + len;
            at = to;
            spans.push((from, to, v as u32 + 1));
            let f = (base + chrono::Duration::days(from)).format("%Y-%m-%d").to_string();
            let t = (base + chrono::Duration::days(to)).format("%Y-%m-%d").to_string();
            defs.push(serde_json::json!({"id": "m", "version": v + 1, "effective_from": f, "effective_to": t,
                "status": "active", "owner": "o", "approver": "a", "change_reason": "r"}));
        }
        let reg = Registry::from_value(&serde_json::json!({"definitions": defs})).unwrap();
        let date = (base + chrono::Duration::days(day)).format("%Y-%m-%d").to_string();
        let got = reg.in_force("m", &date).unwrap().version;
        let want = spans.iter().find(|(f, t, _)| *f <= day && day < *t).map(|s| s.2);
        prop_assert_eq!(got, want);
    }
}
