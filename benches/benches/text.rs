//! Criterion benchmark of theme tagging (issue 8): 1,000,000 verbatims of about 30 words against a
//! 500-phrase taxonomy (negation window, parent implication, overlap `all`), ASCII text and a 10%
//! share of accented (non-ASCII) verbatims. Goal: under 2 s on the 2-core machine. Recorded in
//! docs/benchmarks.md.

use criterion::{criterion_group, criterion_main, Criterion};
use cxkpi::text::{Taxonomy, Theme, ThemeTagger};
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;

const VERBATIMS: usize = 1_000_000;
const WORDS: usize = 30;

const FILLER: &[&str] = &[
    "the",
    "a",
    "and",
    "was",
    "very",
    "i",
    "my",
    "it",
    "to",
    "of",
    "with",
    "for",
    "on",
    "this",
    "that",
    "is",
    "were",
    "be",
    "had",
    "have",
    "they",
    "we",
    "you",
    "but",
    "so",
    "really",
    "again",
    "today",
    "order",
    "time",
    "service",
    "experience",
    "customer",
    "store",
    "online",
    "call",
    "team",
    "product",
    "week",
    "month",
    "people",
    "thing",
    "after",
    "before",
    "about",
    "when",
    "just",
    "not",
    "never",
];

fn word(rng: &mut Pcg64) -> String {
    let len = rng.random_range(4..9);
    (0..len)
        .map(|_| (b'a' + rng.random_range(0..26u8)) as char)
        .collect()
}

/// 100 themes (20 parents × 5 children... flattened: 20 top-level, 80 children), 500 phrases of 1-3 words.
fn taxonomy(rng: &mut Pcg64) -> (Taxonomy, Vec<String>) {
    let mut themes = Vec::new();
    let mut phrases_all = Vec::new();
    for t in 0..100 {
        let parent = (t >= 20).then(|| format!("t{}", t % 20));
        let mut phrases = Vec::new();
        for _ in 0..5 {
            let n = rng.random_range(1..4);
            let p: Vec<String> = (0..n).map(|_| word(rng)).collect();
            let p = p.join(" ");
            phrases_all.push(p.clone());
            phrases.push(p);
        }
        themes.push(Theme {
            id: format!("t{t}"),
            parent,
            phrases,
            ..Theme::default()
        });
    }
    let tax = Taxonomy {
        version: "bench".into(),
        themes,
        ..Taxonomy::default()
    };
    (tax, phrases_all)
}

fn verbatims(rng: &mut Pcg64, phrases: &[String]) -> Vec<String> {
    (0..VERBATIMS)
        .map(|i| {
            let mut s = String::with_capacity(200);
            let mut w = 0;
            while w < WORDS {
                if !s.is_empty() {
                    s.push(' ');
                }
                if rng.random_range(0..20) == 0 {
                    let p = &phrases[rng.random_range(0..phrases.len())];
                    s.push_str(p);
                    w += p.split(' ').count();
                } else {
                    let f = FILLER[rng.random_range(0..FILLER.len())];
                    if rng.random_range(0..10) == 0 {
                        s.push_str(&f.to_uppercase());
                    } else {
                        s.push_str(f);
                    }
                    w += 1;
                }
            }
            if i % 10 == 0 {
                s.push_str(" très déçu, Lieferung zu spät");
            }
            s.push('.');
            s
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let mut rng = Pcg64::seed_from_u64(8);
    let (tax, phrases) = taxonomy(&mut rng);
    let vs = verbatims(&mut rng, &phrases);
    let tagger = ThemeTagger::new(&tax).unwrap();
    let mut g = c.benchmark_group("text_1m_verbatims_500_phrases");
    g.sample_size(10);
    g.bench_function("tag", |b| {
        b.iter(|| tagger.tag(&vs).unwrap());
    });
    g.bench_function("compile_taxonomy", |b| {
        b.iter(|| ThemeTagger::new(&tax).unwrap());
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
