//! Open-text feedback: theme taxonomies and tagging, and sentiment standardisation.
//!
//! - [`Taxonomy`]: a versioned hierarchical theme document (JSON/TOML) with phrase and keyword rules,
//!   per-language negation cues and named policies for negation, parents and overlaps.
//! - [`ThemeTagger`] / [`tag_themes`]: multi-label tagging of verbatims (case and accent folding,
//!   whole-word Aho-Corasick matching, negation window), with coverage and per-theme counts.
//! - [`theme_trend`], [`theme_impact`]: frequency by period and pain-point ranking.
//! - [`validate_taxonomy`]: precision, recall, F1 and Cohen's kappa per theme against hand labels.
//! - [`TaxonomyMap`]: declared mapping between taxonomy versions (rename, split with shares, merge).
//! - [`standardise_sentiment`], [`isotonic_fit`]: provider scores onto -1..1 (linear or isotonic).
//! - [`cohen_kappa`], [`bland_altman`], [`provider_agreement`], [`sentiment_survey_agreement`].
//!
//! The conventions are described in `docs/text.md`.

mod agreement;
mod analysis;
mod fold;
mod mapping;
mod sentiment;
mod tag;
mod taxonomy;

pub use agreement::{
    bland_altman, cohen_kappa, provider_agreement, sentiment_survey_agreement, BlandAltmanOptions,
    BlandAltmanResult, KappaOptions, KappaResult, KappaWeights, ProviderAgreement, SurveyAgreement,
    SurveyAgreementOptions,
};
pub use analysis::{
    theme_impact, theme_trend, validate_taxonomy, ImpactOptions, ImpactRow, TaxonomyValidation,
    ThemeImpact, ThemePeriodRow, ThemeTrend, ThemeValidationRow,
};
pub use fold::{fold, fold_into};
pub use mapping::{MapEntry, MapTarget, MappedCounts, MappedTheme, TaxonomyMap, UnmappedPolicy};
pub use sentiment::{
    isotonic_fit, pava, standardise_sentiment, IsotonicFit, IsotonicOptions, OutOfRange,
    SentimentScaleMethod, StandardisedSentiment,
};
pub use tag::{tag_themes, ThemeTagger, ThemeTags};
pub use taxonomy::{
    default_negation_cues, default_negation_terminators, NegationConfig, NegationPolicy,
    OverlapPolicy, ParentPolicy, Taxonomy, Theme,
};

/// Parses an options document (JSON object; `null` = defaults) into one of this module's option structs.
pub use crate::stats::parse_options;
