//! Property tests of the open-text module: tagging is invariant to case and accent changes and to how the
//! verbatims are split into parallel chunks; a negation cue only removes themes under `suppress`;
//! isotonic fits are monotone and preserve the weighted mean; kappa is symmetric and bounded by 1.

use cxkpi::text::{
    cohen_kappa, isotonic_fit, IsotonicOptions, KappaOptions, KappaWeights, Taxonomy, ThemeTagger,
};
use proptest::prelude::*;

const WORDS: &[&str] = &[
    "delivery",
    "late",
    "fast",
    "staff",
    "rude",
    "invoice",
    "charged",
    "twice",
    "the",
    "was",
    "and",
    "good",
    "app",
    "crash",
    "prix",
    "eleve",
    "retard",
    "livraison",
    "ok",
    "very",
];

fn taxonomy() -> Taxonomy {
    Taxonomy::from_json(
        r#"{"version":"p","themes":[
        {"id":"delivery","keywords":["delivery","livraison"]},
        {"id":"delivery.late","parent":"delivery","phrases":["late delivery","livraison en retard","retard"]},
        {"id":"staff","keywords":["staff","rude"]},
        {"id":"billing","phrases":["charged twice","invoice*","prix eleve"]},
        {"id":"app","phrases":["app crash*"]}]}"#,
    )
    .unwrap()
}

/// Upper-cases some letters and puts an accent on some vowels (which folding removes again).
fn disguise(s: &str, mask: u64) -> String {
    s.chars()
        .enumerate()
        .map(|(i, c)| {
            let bit = (mask >> (i % 64)) & 1 == 1;
            match (c, bit) {
                ('e', true) => "É".to_string(),
                ('e', false) => "è".to_string(),
                ('a', true) => "Â".to_string(),
                ('o', true) => "ö".to_string(),
                (c, true) => c.to_uppercase().to_string(),
                (c, false) => c.to_string(),
            }
        })
        .collect()
}

fn verbatim() -> impl Strategy<Value = String> {
    prop::collection::vec(0..WORDS.len(), 0..15)
        .prop_map(|ix| ix.iter().map(|&i| WORDS[i]).collect::<Vec<_>>().join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn tagging_invariant_to_case_and_accents(vs in prop::collection::vec(verbatim(), 1..20), mask in any::<u64>()) {
        let tagger = ThemeTagger::new(&taxonomy()).unwrap();
        let plain = tagger.tag(&vs).unwrap();
        let disguised: Vec<String> = vs.iter().map(|v| disguise(v, mask)).collect();
        let other = tagger.tag(&disguised).unwrap();
        prop_assert_eq!(&plain.offsets, &other.offsets);
        prop_assert_eq!(&plain.theme_index, &other.theme_index);
        prop_assert_eq!(&plain.negated, &other.negated);
    }

    #[test]
    fn negation_cue_only_removes_themes(v in verbatim()) {
        let tagger = ThemeTagger::new(&taxonomy()).unwrap();
        let base = tagger.tag(&[v.clone()]).unwrap();
        let negated = tagger.tag(&[format!("not {v}")]).unwrap();
        // every theme of the negated text is a theme of the plain text
        for t in negated.themes_of(0) {
            prop_assert!(base.themes_of(0).contains(t));
        }
    }

    #[test]
    fn isotonic_monotone_and_mean_preserving(
        pts in prop::collection::vec((0u8..12, -1.0f64..1.0, 0.1f64..5.0), 1..40),
        increasing in any::<bool>(),
    ) {
        let x: Vec<f64> = pts.iter().map(|p| p.0 as f64).collect();
        let y: Vec<f64> = pts.iter().map(|p| p.1).collect();
        let w: Vec<f64> = pts.iter().map(|p| p.2).collect();
        let o = IsotonicOptions { increasing, ..IsotonicOptions::default() };
        let f = isotonic_fit(&x, &y, Some(&w), &o).unwrap();
        for k in 1..f.y.len() {
            if increasing {
                prop_assert!(f.y[k] >= f.y[k - 1] - 1e-12);
            } else {
                prop_assert!(f.y[k] <= f.y[k - 1] + 1e-12);
            }
        }
        let fitted: Vec<f64> = x.iter().map(|&v| f.predict_one(v, 0).unwrap().0).collect();
        let a: f64 = fitted.iter().zip(&w).map(|(f, w)| f * w).sum();
        let b: f64 = y.iter().zip(&w).map(|(y, w)| y * w).sum();
        prop_assert!((a - b).abs() <= 1e-9 * b.abs().max(1.0));
    }

    #[test]
    fn kappa_symmetric_and_bounded(pairs in prop::collection::vec((0u32..4, 0u32..4), 2..60)) {
        let a: Vec<u32> = pairs.iter().map(|p| p.0).collect();
        let b: Vec<u32> = pairs.iter().map(|p| p.1).collect();
        for weights in [KappaWeights::None, KappaWeights::Linear, KappaWeights::Quadratic] {
            let o = KappaOptions { weights, n_categories: Some(4), ..KappaOptions::default() };
            let k1 = cohen_kappa(&a, &b, &o).unwrap();
            let k2 = cohen_kappa(&b, &a, &o).unwrap();
            match (k1.kappa, k2.kappa) {
                (Some(x), Some(y)) => {
                    prop_assert!((x - y).abs() < 1e-12);
                    prop_assert!(x <= 1.0 + 1e-12);
                    prop_assert!(k1.se.unwrap() >= 0.0);
                }
                (None, None) => {}
                _ => prop_assert!(false, "asymmetric definedness"),
            }
        }
    }
}

#[test]
fn parallel_chunks_equal_serial_tagging() {
    let tagger = ThemeTagger::new(&taxonomy()).unwrap();
    let vs: Vec<String> = (0..10_000)
        .map(|i| {
            (0..(i % 13))
                .map(|k| WORDS[(i * 7 + k * 3) % WORDS.len()])
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    let all = tagger.tag(&vs).unwrap();
    for i in (0..vs.len()).step_by(97) {
        let one = tagger.tag(&vs[i..i + 1]).unwrap();
        assert_eq!(one.themes_of(0), all.themes_of(i), "verbatim {i}");
    }
}
