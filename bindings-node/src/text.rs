//! Bindings of core `text`: theme taxonomies and tagging (`parseTaxonomy`, `tagThemes`), `themeTrend`,
//! `themeImpact`, `validateTaxonomy`, `mapThemeCounts`; sentiment standardisation (`standardiseSentiment`,
//! `isotonicFit`, `isotonicPredict`) and agreement (`cohenKappa`, `blandAltman`, `providerAgreement`,
//! `sentimentSurveyAgreement`); `foldText`.
//!
//! Documents (taxonomy, taxonomy map) are objects with the document's own snake_case keys (the same JSON in
//! Rust, Python and Node) or JSON/TOML text through `parseTaxonomy`; they are parsed by the core with serde.
//! Verbatims are arrays of strings. Results are plain objects with camelCase keys; a tags object returned
//! by `tagThemes` is accepted back by `themeTrend`, `themeImpact` and `validateTaxonomy`.

use napi::{Env, Unknown};
use napi_derive::napi;
use serde::de::DeserializeOwned;
use serde_json::Value;

use cxkpi::text::{self, parse_options, Taxonomy, TaxonomyMap, ThemeTagger, ThemeTags};
use cxkpi::CxkpiError;

use crate::convert::{code_column, column, object, opt_column, options_split, Js, Tree};
use crate::error::{invalid, Res};
use crate::metrics::{arg, opt_arg, run};
use crate::quality::strings;

fn from_map<T: DeserializeOwned>(v: Value, arg_name: &str) -> Res<T> {
    serde_json::from_value(v).map_err(|e| invalid(arg_name, e.to_string()))
}

fn tags_of(v: Js) -> Res<ThemeTags> {
    let m = object(Some(v), "tags")?;
    from_map(Value::Object(m), "tags")
}

fn opts(o: Option<Js>) -> Res<Value> {
    let (m, _) = options_split(o, &[])?;
    Ok(Value::Object(m))
}

/// Parses and validates a taxonomy from JSON or TOML text (`format`: `'json'` or `'toml'`); returns the
/// document (snake_case keys, every default filled in) to pass to `tagThemes`.
///
/// @example
/// parseTaxonomy('version = "1"\n[[themes]]\nid = "price"\nkeywords = ["price*"]', 'toml').version // '1'
#[napi(ts_return_type = "Record<string, any>")]
pub fn parse_taxonomy(env: Env, text: String, format: String) -> napi::Result<Tree> {
    run(&env, || {
        let t = match format.as_str() {
            "json" => Taxonomy::from_json(&text)?,
            "toml" => Taxonomy::from_toml(&text)?,
            other => {
                return Err(CxkpiError::UnknownMethod {
                    arg: "format".into(),
                    value: other.into(),
                    expected: "json, toml".into(),
                }
                .into())
            }
        };
        Tree::of_raw(&t)
    })
}

/// Multi-label theme tagging: texts and rules folded (lower case, accents removed), whole-word matches
/// (`*` at the end of a rule allows a suffix), negation cues within `negation.window` tokens before a match
/// suppress or flip it, parents implied. `taxonomy`: the document object (snake_case keys);
/// `languages[i]` (optional) picks verbatim i's negation cues (`''` = all languages).
///
/// @example
/// tagThemes({ version: '1', themes: [{ id: 'staff', keywords: ['staff'] }] }, ['Rude STAFF', 'ok']).coverage // 0.5
#[napi(
    ts_args_type = "taxonomy: Record<string, any>, verbatims: string[], languages?: string[] | null",
    ts_return_type = "any"
)]
pub fn tag_themes(
    env: Env,
    taxonomy: Value,
    verbatims: Unknown,
    languages: Option<Unknown>,
) -> napi::Result<Tree> {
    run(&env, || {
        // Read here (not by napi) so that a null or a number in the array is a CXKPI_INVALID_ARGUMENT
        // naming its index.
        let verbatims = strings(arg(&env, &verbatims), "verbatims")?;
        let languages = match opt_arg(&env, &languages) {
            Some(l) => Some(strings(l, "languages")?),
            None => None,
        };
        let tax = Taxonomy::from_value(&taxonomy)?;
        let tagger = ThemeTagger::new(&tax)?;
        let t = match &languages {
            Some(l) => tagger.tag_with_languages(&verbatims, l)?,
            None => tagger.tag(&verbatims)?,
        };
        Tree::of(&t)
    })
}

/// Theme frequency per period (`periods[i]`: integer period code of verbatim i) and trend (least-squares
/// slope of the share over the period positions; last change).
#[napi(
    ts_args_type = "tags: any, periods: ReadonlyArray<number>",
    ts_return_type = "any"
)]
pub fn theme_trend(env: Env, tags: Unknown, periods: Vec<i64>) -> napi::Result<Tree> {
    run(&env, || {
        let t = tags_of(arg(&env, &tags))?;
        Tree::of(&text::theme_trend(&t, &periods)?)
    })
}

/// Pain-point ranking: impact = frequency × negative share × value (revenue at risk from `options.value`,
/// customers otherwise). `sentiment` on -1..1, NaN = missing. Options: `{ value?, negativeBelow? }`.
#[napi(
    ts_args_type = "tags: any, sentiment: Float64Array | ReadonlyArray<number>, options?: { value?: Float64Array | ReadonlyArray<number>, negativeBelow?: number } | null",
    ts_return_type = "any"
)]
pub fn theme_impact(
    env: Env,
    tags: Unknown,
    sentiment: Unknown,
    options: Option<Unknown>,
) -> napi::Result<Tree> {
    run(&env, || {
        let t = tags_of(arg(&env, &tags))?;
        let s = column(arg(&env, &sentiment), "sentiment")?;
        let (m, picked) = options_split(opt_arg(&env, &options), &["value"])?;
        let v = opt_column(picked.into_iter().next().flatten(), "value")?;
        Tree::of(&text::theme_impact(
            &t,
            &s,
            v.as_deref(),
            &parse_options(&Value::Object(m))?,
        )?)
    })
}

/// Per-theme precision, recall, F1 and Cohen's kappa of the tags against hand labels (theme ids per
/// verbatim), with micro and macro summaries.
#[napi(
    ts_args_type = "taxonomy: Record<string, any>, tags: any, labels: string[][]",
    ts_return_type = "any"
)]
pub fn validate_taxonomy(
    env: Env,
    taxonomy: Value,
    tags: Unknown,
    labels: Vec<Vec<String>>,
) -> napi::Result<Tree> {
    run(&env, || {
        let tax = Taxonomy::from_value(&taxonomy)?;
        let t = tags_of(arg(&env, &tags))?;
        Tree::of(&text::validate_taxonomy(&tax, &t, &labels)?)
    })
}

/// Counts per old theme (old document order) carried into the new taxonomy by a declared map
/// (`{ from_version, to_version, map: [{ from, to: [{ id, share }] }] }`): splits by share, merges add.
#[napi(
    ts_args_type = "oldTaxonomy: Record<string, any>, newTaxonomy: Record<string, any>, map: Record<string, any>, counts: Float64Array | ReadonlyArray<number>",
    ts_return_type = "any"
)]
pub fn map_theme_counts(
    env: Env,
    old_taxonomy: Value,
    new_taxonomy: Value,
    map: Value,
    counts: Unknown,
) -> napi::Result<Tree> {
    run(&env, || {
        let old = Taxonomy::from_value(&old_taxonomy)?;
        let new = Taxonomy::from_value(&new_taxonomy)?;
        let m: TaxonomyMap = from_map(map.clone(), "map")?;
        let c = column(arg(&env, &counts), "counts")?;
        Tree::of(&m.map_counts(&old, &new, &c)?)
    })
}

/// Maps scores onto -1..1 by a declared method: `{ method: 'linear', sourceMin, sourceMax, outOfRange? }`
/// or `{ method: 'isotonic', referenceScores, referenceTargets, referenceWeights?, outOfRange? }`.
#[napi(
    ts_args_type = "scores: Float64Array | ReadonlyArray<number>, method: Record<string, any>",
    ts_return_type = "any"
)]
pub fn standardise_sentiment(env: Env, scores: Unknown, method: Unknown) -> napi::Result<Tree> {
    run(&env, || {
        let s = column(arg(&env, &scores), "scores")?;
        let m = object(Some(arg(&env, &method)), "method")?;
        let m: text::SentimentScaleMethod = from_map(Value::Object(m), "method")?;
        Tree::of(&text::standardise_sentiment(&s, &m)?)
    })
}

/// Weighted pool-adjacent-violators fit of `targets` on `scores` (ties pooled by weighted mean, as
/// scikit-learn). Options: `{ weights?, increasing?, outOfRange? }`.
#[napi(
    ts_args_type = "scores: Float64Array | ReadonlyArray<number>, targets: Float64Array | ReadonlyArray<number>, options?: { weights?: Float64Array | ReadonlyArray<number>, increasing?: boolean, outOfRange?: 'clip' | 'error' } | null",
    ts_return_type = "any"
)]
pub fn isotonic_fit(
    env: Env,
    scores: Unknown,
    targets: Unknown,
    options: Option<Unknown>,
) -> napi::Result<Tree> {
    run(&env, || {
        let x = column(arg(&env, &scores), "scores")?;
        let y = column(arg(&env, &targets), "targets")?;
        let (m, picked) = options_split(opt_arg(&env, &options), &["weights"])?;
        let w = opt_column(picked.into_iter().next().flatten(), "weights")?;
        Tree::of(&text::isotonic_fit(
            &x,
            &y,
            w.as_deref(),
            &parse_options(&Value::Object(m))?,
        )?)
    })
}

/// Calibrated values of `scores` under a fit returned by `isotonicFit` (NaN → null).
#[napi(
    ts_args_type = "fit: any, scores: Float64Array | ReadonlyArray<number>",
    ts_return_type = "Array<number | null>"
)]
pub fn isotonic_predict(env: Env, fit: Unknown, scores: Unknown) -> napi::Result<Tree> {
    run(&env, || {
        let f: text::IsotonicFit =
            from_map(Value::Object(object(Some(arg(&env, &fit)), "fit")?), "fit")?;
        let s = column(arg(&env, &scores), "scores")?;
        Tree::of(&f.predict(&s)?)
    })
}

/// Cohen's kappa of two ratings coded 0..k-1 with the Fleiss-Cohen-Everitt standard error. Options:
/// `{ weights?: 'none' | 'linear' | 'quadratic', nCategories?, confidence? }`.
///
/// @example
/// cohenKappa([0, 1, 2, 2], [0, 1, 2, 1]).kappa
#[napi(
    ts_args_type = "a: Uint32Array | ReadonlyArray<number>, b: Uint32Array | ReadonlyArray<number>, options?: { weights?: 'none' | 'linear' | 'quadratic', nCategories?: number, confidence?: number } | null",
    ts_return_type = "any"
)]
pub fn cohen_kappa(
    env: Env,
    a: Unknown,
    b: Unknown,
    options: Option<Unknown>,
) -> napi::Result<Tree> {
    run(&env, || {
        let x = code_column(arg(&env, &a), "a")?;
        let y = code_column(arg(&env, &b), "b")?;
        let o = opts(opt_arg(&env, &options))?;
        Tree::of(&text::cohen_kappa(&x, &y, &parse_options(&o)?)?)
    })
}

/// Bland-Altman bias and limits of agreement of `a - b` with their confidence intervals (Bland & Altman
/// 1999). Options: `{ coverage?, confidence? }`.
#[napi(
    ts_args_type = "a: Float64Array | ReadonlyArray<number>, b: Float64Array | ReadonlyArray<number>, options?: { coverage?: number, confidence?: number } | null",
    ts_return_type = "any"
)]
pub fn bland_altman(
    env: Env,
    a: Unknown,
    b: Unknown,
    options: Option<Unknown>,
) -> napi::Result<Tree> {
    run(&env, || {
        let x = column(arg(&env, &a), "a")?;
        let y = column(arg(&env, &b), "b")?;
        let o = opts(opt_arg(&env, &options))?;
        Tree::of(&text::bland_altman(&x, &y, &parse_options(&o)?)?)
    })
}

/// Pearson and Spearman correlation and Bland-Altman agreement of two providers' standardised scores.
#[napi(
    ts_args_type = "a: Float64Array | ReadonlyArray<number>, b: Float64Array | ReadonlyArray<number>, options?: { coverage?: number, confidence?: number } | null",
    ts_return_type = "any"
)]
pub fn provider_agreement(
    env: Env,
    a: Unknown,
    b: Unknown,
    options: Option<Unknown>,
) -> napi::Result<Tree> {
    run(&env, || {
        let x = column(arg(&env, &a), "a")?;
        let y = column(arg(&env, &b), "b")?;
        let o = opts(opt_arg(&env, &options))?;
        Tree::of(&text::provider_agreement(&x, &y, &parse_options(&o)?)?)
    })
}

/// Agreement of text sentiment (-1..1) with the 0-10 answer of the same response: kappa (unweighted and
/// linear) of sentiment category vs NPS category and the Spearman correlation. Options:
/// `{ neutralBand?, detractorMax?, passiveMax?, scale?, confidence? }`.
#[napi(
    ts_args_type = "sentiment: Float64Array | ReadonlyArray<number>, scores: Float64Array | ReadonlyArray<number>, options?: { neutralBand?: [number, number], detractorMax?: number, passiveMax?: number, scale?: [number, number], confidence?: number } | null",
    ts_return_type = "any"
)]
pub fn sentiment_survey_agreement(
    env: Env,
    sentiment: Unknown,
    scores: Unknown,
    options: Option<Unknown>,
) -> napi::Result<Tree> {
    run(&env, || {
        let x = column(arg(&env, &sentiment), "sentiment")?;
        let y = column(arg(&env, &scores), "scores")?;
        let o = opts(opt_arg(&env, &options))?;
        Tree::of(&text::sentiment_survey_agreement(
            &x,
            &y,
            &parse_options(&o)?,
        )?)
    })
}

/// The folded form the tagger matches on (lower case, accents removed, separators normalised).
#[napi]
pub fn fold_text(text: String) -> String {
    text::fold(&text)
}
