//! Property tests of the validation kernels against plain reference implementations written from the rule
//! definitions (grouping in ordered maps, sorting whole vectors): duplicates (keep first and keep last,
//! numeric and text customer keys), identical answer vectors in bulk and the speeder threshold relative
//! to the median. Table sizes reach past one partitioning block (65,536 rows) so that the radix
//! partitioning, the per-partition tables and the block-order gathering are all exercised.

use std::collections::BTreeMap;

use cxkpi::quality::{validate, Column, ResponseTable, RuleSet};
use proptest::prelude::*;

const DAY: f64 = 86400.0;

#[derive(Debug, Clone)]
struct Data {
    cust: Vec<f64>,
    survey: Vec<f64>,
    ts: Vec<f64>,
    secs: Vec<f64>,
    q: Vec<Vec<f64>>,
}

fn data(max_rows: usize, customers: u32) -> impl Strategy<Value = Data> {
    (1usize..max_rows, any::<u64>()).prop_map(move |(n, seed)| {
        // A small deterministic generator (splitmix64) keeps large tables cheap to shrink.
        let mut s = seed;
        let mut next = move || {
            s = s.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = s;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        let mut d = Data {
            cust: vec![],
            survey: vec![],
            ts: vec![],
            secs: vec![],
            q: vec![vec![]; 3],
        };
        for _ in 0..n {
            let r = next();
            d.cust.push(if r % 97 == 0 {
                f64::NAN
            } else {
                (r >> 8) as f64 % customers as f64
            });
            d.survey.push(((r >> 40) % 3) as f64);
            let day = ((r >> 20) % 30) as f64;
            d.ts.push(if r % 89 == 0 {
                f64::NAN
            } else {
                day * DAY + ((r >> 50) % 5) as f64 * 3600.0
            });
            let r2 = next();
            d.secs.push(if r2 % 53 == 0 {
                f64::NAN
            } else {
                [10.0, 50.0, 100.0, 100.0, 200.0, 300.0, 400.0][(r2 % 7) as usize]
                    + ((r2 >> 8) % 3) as f64
            });
            for k in 0..3 {
                // Few distinct vectors so that bulk groups form; some missing answers.
                let v = ((r2 >> (16 + 4 * k)) % 3) as f64;
                d.q[k].push(if (r2 >> (40 + k)) % 17 == 0 {
                    f64::NAN
                } else {
                    v
                });
            }
        }
        d
    })
}

fn table<'a>(d: &'a Data, text: &'a [String]) -> ResponseTable<'a> {
    let mut t = ResponseTable::new(d.cust.len());
    t.add("cust", Column::Num(&d.cust)).unwrap();
    t.add("cust_text", Column::Text(text)).unwrap();
    t.add("survey", Column::Num(&d.survey)).unwrap();
    t.add("ts", Column::Num(&d.ts)).unwrap();
    t.add("secs", Column::Num(&d.secs)).unwrap();
    for k in 0..3 {
        t.add(["q1", "q2", "q3"][k], Column::Num(&d.q[k])).unwrap();
    }
    t
}

fn text_ids(d: &Data) -> Vec<String> {
    d.cust
        .iter()
        .map(|&c| {
            if c.is_nan() {
                String::new()
            } else {
                format!("C-{c}")
            }
        })
        .collect()
}

fn run_one(rule: &str, d: &Data) -> Vec<bool> {
    let text = text_ids(d);
    let rs = RuleSet::from_json(&format!(r#"{{"rules": [{rule}]}}"#)).unwrap();
    let v = validate(&rs, &table(d, &text)).unwrap();
    v.failed.iter().map(|&f| f != 0).collect()
}

/// Duplicates by definition: rows grouped by (customer, survey) in an ordered map, each group ordered
/// by (time, row); keep the first (or last) and mark the rows within the window of the last kept one.
fn dup_reference(d: &Data, window_days: f64, keep_last: bool) -> Vec<bool> {
    let mut groups: BTreeMap<(u64, u64), Vec<usize>> = BTreeMap::new();
    for i in 0..d.cust.len() {
        if d.cust[i].is_nan() || d.ts[i].is_nan() {
            continue;
        }
        groups
            .entry((d.cust[i].to_bits(), d.survey[i].to_bits()))
            .or_default()
            .push(i);
    }
    let mut out = vec![false; d.cust.len()];
    let w = window_days * DAY;
    for (_, mut g) in groups {
        g.sort_by(|&a, &b| d.ts[a].total_cmp(&d.ts[b]).then(a.cmp(&b)));
        if keep_last {
            g.reverse();
        }
        let mut anchor = d.ts[g[0]];
        for &i in &g[1..] {
            if (d.ts[i] - anchor).abs() <= w {
                out[i] = true;
            } else {
                anchor = d.ts[i];
            }
        }
    }
    out
}

fn identical_reference(d: &Data, min: usize) -> Vec<bool> {
    let mut groups: BTreeMap<Vec<u64>, Vec<usize>> = BTreeMap::new();
    for i in 0..d.cust.len() {
        let v: Vec<f64> = (0..3).map(|k| d.q[k][i]).collect();
        if v.iter().all(|x| x.is_nan()) {
            continue;
        }
        let key = v
            .iter()
            .map(|x| if x.is_nan() { u64::MAX } else { x.to_bits() })
            .collect();
        groups.entry(key).or_default().push(i);
    }
    let mut out = vec![false; d.cust.len()];
    for g in groups.values().filter(|g| g.len() >= min) {
        for &i in g {
            out[i] = true;
        }
    }
    out
}

/// Speeder by definition: the threshold is frac x the median of the kept values not under it, found by
/// iterating on the fully sorted values.
fn speeder_reference(d: &Data, min_seconds: f64, frac: f64) -> Vec<bool> {
    let abs: Vec<bool> = d.secs.iter().map(|&x| x < min_seconds).collect();
    let mut v: Vec<f64> = (0..d.secs.len())
        .filter(|&i| !abs[i] && !d.secs[i].is_nan())
        .map(|i| d.secs[i])
        .collect();
    v.sort_by(|a, b| a.total_cmp(b));
    if v.is_empty() {
        return abs;
    }
    let mut dropped = 0;
    let t = loop {
        let u = &v[dropped..];
        let m = if u.len() % 2 == 1 {
            u[u.len() / 2]
        } else {
            let (lo, hi) = (u[u.len() / 2 - 1], u[u.len() / 2]);
            lo + (hi - lo) / 2.0
        };
        let t = frac * m;
        let below = v.iter().filter(|&&x| x < t).count();
        if below == dropped {
            break t;
        }
        dropped = below;
    };
    (0..d.secs.len()).map(|i| abs[i] || d.secs[i] < t).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    #[test]
    fn duplicates_match_the_definition(d in data(3000, 400), keep_last in any::<bool>(), w in 0u8..5) {
        let keep = if keep_last { "last" } else { "first" };
        let want = dup_reference(&d, w as f64, keep_last);
        for cust in ["cust", "cust_text"] {
            let rule = format!(r#"{{"id": "d", "kind": "duplicate", "customer": "{cust}", "survey": "survey",
                "timestamp": "ts", "window_days": {w}, "keep": "{keep}"}}"#);
            prop_assert_eq!(&run_one(&rule, &d), &want, "customer column {}", cust);
        }
    }

    #[test]
    fn identical_vectors_match_the_definition(d in data(3000, 50), min in 2usize..40) {
        let rule = format!(r#"{{"id": "b", "kind": "identical_vectors", "columns": ["q1", "q2", "q3"], "min_count": {min}}}"#);
        prop_assert_eq!(run_one(&rule, &d), identical_reference(&d, min));
    }

    #[test]
    fn speeder_matches_the_definition(d in data(3000, 50), frac in 0.05f64..0.95, min_s in 0u8..60) {
        let rule = format!(r#"{{"id": "s", "kind": "speeder", "duration": "secs", "min_seconds": {min_s},
            "min_fraction_of_median": {frac}}}"#);
        prop_assert_eq!(run_one(&rule, &d), speeder_reference(&d, min_s as f64, frac));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4))]

    /// Past one block of 65,536 rows and several partitions.
    #[test]
    fn large_tables_match_the_definition(d in data(140_000, 60_000).prop_filter("large", |d| d.cust.len() > 70_000)) {
        let rule = r#"{"id": "d", "kind": "duplicate", "customer": "cust", "survey": "survey", "timestamp": "ts", "window_days": 2}"#;
        prop_assert_eq!(run_one(rule, &d), dup_reference(&d, 2.0, false));
        let rule = r#"{"id": "b", "kind": "identical_vectors", "columns": ["q1", "q2", "q3"], "min_count": 2500}"#;
        prop_assert_eq!(run_one(rule, &d), identical_reference(&d, 2500));
        let rule = r#"{"id": "s", "kind": "speeder", "duration": "secs", "min_fraction_of_median": 0.3}"#;
        prop_assert_eq!(run_one(rule, &d), speeder_reference(&d, f64::NEG_INFINITY, 0.3));
    }
}
