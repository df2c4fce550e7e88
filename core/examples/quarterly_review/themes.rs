//! Section "Themes" of the quarterly review (core module `text`): what the open comments are about and
//! which pain points cost the most.
//!
//! Reads the `verbatim`, `sentiment`, `nps` and `date` columns of the survey file itself (the shared
//! `Survey` struct carries no text), tags every non-empty verbatim with the taxonomy in
//! `core/examples/data/themes.toml` (case and accent folding, negation window of 3 tokens with
//! per-language cues, parents implied), and prints
//! - coverage (share of verbatims without any theme),
//! - the top five leaf themes by impact = frequency × negative share × customers (the sentiment label is
//!   the provider's: negative = -1, neutral = 0, positive = +1),
//! - the taxonomy validated against the hand-labelled sample `cx_verbatim_labels.csv` (precision, recall,
//!   kappa; negated mentions in the labels count as absent, as the taxonomy suppresses them),
//! - the agreement of the sentiment label with the NPS category of the same response (Cohen's kappa).
//!
//! Wire-up in main.rs: `mod themes;` and `themes::section(&path)?;`.

use std::collections::{BTreeMap, HashSet};

use cxkpi::text::{
    sentiment_survey_agreement, theme_impact, validate_taxonomy, ImpactOptions,
    SurveyAgreementOptions, Taxonomy, ThemeTagger,
};

const TAXONOMY: &str = include_str!("../data/themes.toml");

fn label_value(s: &str) -> f64 {
    match s {
        "negative" => -1.0,
        "neutral" => 0.0,
        "positive" => 1.0,
        _ => f64::NAN,
    }
}

pub(crate) fn section(path: &str) -> cxkpi::Result<()> {
    println!(
        "\n== Themes: what the comments are about (taxonomy core/examples/data/themes.toml) =="
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("header").split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name);
    let (Some(c_id), Some(c_sent), Some(c_nps), Some(c_verb)) = (
        col("response_id"),
        col("sentiment"),
        col("nps"),
        col("verbatim"),
    ) else {
        println!("  (the survey file has no verbatim column: section skipped)");
        return Ok(());
    };
    let mut ids = Vec::new();
    let mut verbatims = Vec::new();
    let mut sentiment = Vec::new();
    let mut nps = Vec::new();
    let mut bad_nps = 0usize;
    for line in lines {
        let f: Vec<&str> = line.split(',').collect();
        let v = f.get(c_verb).copied().unwrap_or("");
        if v.trim().is_empty() {
            continue;
        }
        ids.push(f[c_id].to_string());
        verbatims.push(v.to_string());
        sentiment.push(label_value(f[c_sent]));
        // a blank or invalid answer (out of 0-10, not a whole point) is left out of the agreement (counted)
        let x = f[c_nps].parse::<f64>().unwrap_or(f64::NAN);
        if (0.0..=10.0).contains(&x) && x.fract() == 0.0 {
            nps.push(x);
        } else {
            bad_nps += 1;
            nps.push(f64::NAN);
        }
    }
    let tax = Taxonomy::from_toml(TAXONOMY)?;
    let t0 = std::time::Instant::now();
    let tagger = ThemeTagger::new(&tax)?;
    let tags = tagger.tag(&verbatims)?;
    println!(
        "  {} verbatims tagged in {:.1} ms (taxonomy {}, {} rules): {} with a theme, {} without (share {:.1} %)",
        tags.n_verbatims,
        t0.elapsed().as_secs_f64() * 1e3,
        tax.version,
        tagger.n_patterns(),
        tags.n_tagged,
        tags.n_untagged,
        100.0 * tags.share_untagged
    );

    // Top five pain points: leaf themes ranked by impact (customers at risk).
    let parents: HashSet<&str> = tax
        .themes
        .iter()
        .filter_map(|t| t.parent.as_deref())
        .collect();
    let imp = theme_impact(&tags, &sentiment, None, &ImpactOptions::default())?;
    println!(
        "  top five themes by impact = frequency × negative share × customers ({} verbatims with a label):",
        imp.n_verbatims
    );
    println!(
        "    {:<20} {:>6} {:>9} {:>10} {:>8}",
        "theme", "n", "frequency", "negative", "impact"
    );
    for r in imp
        .rows
        .iter()
        .filter(|r| !parents.contains(r.id.as_str()))
        .take(5)
    {
        println!(
            "    {:<20} {:>6} {:>8.2}% {:>9.1}% {:>8.1}",
            r.id,
            r.n,
            100.0 * r.frequency,
            100.0 * r.negative_share.unwrap_or(0.0),
            r.impact
        );
    }

    // Validation against the hand-labelled sample (labels file next to the survey, if present).
    let labels_path = std::path::Path::new(path)
        .with_file_name("cx_verbatim_labels.csv")
        .to_string_lossy()
        .into_owned();
    if let Ok(lab) = std::fs::read_to_string(&labels_path) {
        let mut gold: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for line in lab.lines().skip(1) {
            let f: Vec<&str> = line.split(',').collect();
            let e = gold.entry(f[0].to_string()).or_default();
            if f.len() > 3 && !f[2].is_empty() && f[3] != "true" {
                e.push(f[2].to_string());
            }
        }
        let pos: Vec<usize> = (0..ids.len())
            .filter(|&i| gold.contains_key(&ids[i]))
            .collect();
        let sample: Vec<&str> = pos.iter().map(|&i| verbatims[i].as_str()).collect();
        let labels: Vec<Vec<String>> = pos.iter().map(|&i| gold[&ids[i]].clone()).collect();
        let st = tagger.tag(&sample)?;
        let v = validate_taxonomy(&tax, &st, &labels)?;
        println!(
            "  validation on {} hand-labelled verbatims: micro precision {:.3}, recall {:.3}, macro F1 {:.3}",
            v.n,
            v.micro_precision.unwrap_or(f64::NAN),
            v.micro_recall.unwrap_or(f64::NAN),
            v.macro_f1.unwrap_or(f64::NAN)
        );
        let weakest = v
            .themes
            .iter()
            .filter(|r| !parents.contains(r.id.as_str()) && r.kappa.is_some())
            .min_by(|a, b| a.kappa.unwrap().total_cmp(&b.kappa.unwrap()));
        if let Some(w) = weakest {
            println!(
                "    weakest theme: {} (precision {:.2}, recall {:.2}, kappa {:.2})",
                w.id,
                w.precision.unwrap_or(f64::NAN),
                w.recall.unwrap_or(f64::NAN),
                w.kappa.unwrap()
            );
        }
    }

    // Does the text sentiment agree with the recommendation score of the same response?
    let ag = sentiment_survey_agreement(&sentiment, &nps, &SurveyAgreementOptions::default())?;
    println!(
        "  sentiment label vs NPS category (n = {}, {bad_nps} blank or invalid answers left out): kappa {:.3} [{:.3}, {:.3}], linear-weighted {:.3}, Spearman {:.3}",
        ag.n,
        ag.kappa.kappa.unwrap_or(f64::NAN),
        ag.kappa.lower.unwrap_or(f64::NAN),
        ag.kappa.upper.unwrap_or(f64::NAN),
        ag.weighted_kappa.kappa.unwrap_or(f64::NAN),
        ag.spearman.r
    );
    Ok(())
}
