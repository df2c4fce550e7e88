//! The theme taxonomy document: a versioned hierarchy of themes with phrase and keyword rules, negation cues
//! per language and the named matching policies.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::error::{CxkpiError, Result};
use crate::text::fold::{fold, is_word_char};

/// What a negation cue before a matched phrase does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum NegationPolicy {
    /// A negated match does not count (default): "no problem with billing" does not tag billing.
    #[default]
    Suppress,
    /// A negated match counts and is marked `negated` (its polarity is flipped).
    Flip,
    /// Negation cues are not looked at.
    Ignore,
}

impl NegationPolicy {
    /// The policy name.
    pub fn name(self) -> &'static str {
        match self {
            NegationPolicy::Suppress => "suppress",
            NegationPolicy::Flip => "flip",
            NegationPolicy::Ignore => "ignore",
        }
    }
}

/// Whether a tagged child theme implies its ancestors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ParentPolicy {
    /// Every ancestor of a tagged theme is tagged too (default). The ancestor is `negated` only when every
    /// match that implies it is negated.
    #[default]
    Implied,
    /// Only themes whose own rules match are tagged.
    Explicit,
}

impl ParentPolicy {
    /// The policy name.
    pub fn name(self) -> &'static str {
        match self {
            ParentPolicy::Implied => "implied",
            ParentPolicy::Explicit => "explicit",
        }
    }
}

/// How overlapping matches of different themes resolve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum OverlapPolicy {
    /// Every whole-word match counts, also one lying inside a longer match of another theme (default):
    /// "fast delivery" tags both `speed` ("fast delivery") and `delivery` ("delivery").
    #[default]
    All,
    /// A match whose span lies strictly inside the span of a longer match (of any theme) is dropped
    /// (longest match wins); equal spans (the same phrase in two themes) and partial overlaps all count.
    Longest,
}

impl OverlapPolicy {
    /// The policy name.
    pub fn name(self) -> &'static str {
        match self {
            OverlapPolicy::All => "all",
            OverlapPolicy::Longest => "longest",
        }
    }
}

fn default_window() -> u32 {
    3
}

fn default_true() -> bool {
    true
}

/// The built-in negation cues (used when a document gives no `cues`), already folded.
pub fn default_negation_cues() -> BTreeMap<String, Vec<String>> {
    let mut m = BTreeMap::new();
    let list = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    m.insert(
        "en".into(),
        list(&[
            "not", "no", "never", "without", "nothing", "none", "nor", "neither", "cannot",
            "don't", "doesn't", "didn't", "isn't", "wasn't", "aren't", "weren't", "can't",
            "couldn't", "won't", "wouldn't", "hasn't", "haven't", "hadn't", "dont", "didnt",
            "isnt", "wasnt", "cant", "wont",
        ]),
    );
    m.insert(
        "fr".into(),
        list(&["pas", "jamais", "sans", "aucun", "aucune", "ni", "rien"]),
    );
    m.insert(
        "de".into(),
        list(&[
            "nicht", "kein", "keine", "keinen", "keinem", "keiner", "keines", "nie", "niemals",
            "ohne",
        ]),
    );
    m.insert(
        "es".into(),
        list(&[
            "no", "nunca", "sin", "ningun", "ninguna", "ninguno", "jamas", "tampoco", "ni",
        ]),
    );
    m
}

/// The built-in negation terminators (used when a document gives no `terminators`), already folded.
pub fn default_negation_terminators() -> BTreeMap<String, Vec<String>> {
    let mut m = BTreeMap::new();
    let list = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    m.insert("en".into(), list(&["but", "however", "although", "though"]));
    m.insert("fr".into(), list(&["mais", "pourtant", "cependant"]));
    m.insert("de".into(), list(&["aber", "sondern", "jedoch", "doch"]));
    m.insert("es".into(), list(&["pero", "sino", "aunque"]));
    m
}

/// Negation settings of a taxonomy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct NegationConfig {
    /// `suppress` (default), `flip` or `ignore`.
    pub policy: NegationPolicy,
    /// How many tokens before a match are searched for a cue (default 3).
    #[serde(default = "default_window")]
    pub window: u32,
    /// Clause punctuation (`. , ; : ! ?`) ends the window (default true).
    #[serde(default = "default_true")]
    pub stop_at_punctuation: bool,
    /// Negation cues per language code (single tokens; folded before use). Default: built-in lists for
    /// `en`, `fr`, `de`, `es` ([`default_negation_cues`]).
    pub cues: BTreeMap<String, Vec<String>>,
    /// Tokens that end the window ("but", "mais", "aber", "pero"), per language. Default: built-in lists
    /// ([`default_negation_terminators`]).
    pub terminators: BTreeMap<String, Vec<String>>,
}

impl Default for NegationConfig {
    fn default() -> Self {
        NegationConfig {
            policy: NegationPolicy::Suppress,
            window: 3,
            stop_at_punctuation: true,
            cues: default_negation_cues(),
            terminators: default_negation_terminators(),
        }
    }
}

/// One theme of a taxonomy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Theme {
    /// Unique id (any non-empty string, e.g. `billing.overcharge`).
    pub id: String,
    /// Display label.
    pub label: Option<String>,
    /// Id of the parent theme (None for a top-level theme).
    pub parent: Option<String>,
    /// What the theme covers (documentation only).
    pub description: Option<String>,
    /// Phrases: word sequences matched whole-word after folding; a trailing `*` lets the last word take any
    /// suffix (`"refund*"` matches "refunds", "refunded").
    pub phrases: Vec<String>,
    /// Keywords: single words, matched like phrases (a trailing `*` allows suffixes).
    pub keywords: Vec<String>,
}

/// A versioned hierarchical theme taxonomy (serde JSON or TOML; unknown fields are rejected).
///
/// ```
/// use cxkpi::text::Taxonomy;
/// let doc = r#"
/// version = "2026.1"
/// [[themes]]
/// id = "billing"
/// keywords = ["invoice", "bill*"]
/// [[themes]]
/// id = "billing.overcharge"
/// parent = "billing"
/// phrases = ["charged twice", "overcharged"]
/// "#;
/// let tax = Taxonomy::from_toml(doc).unwrap();
/// assert_eq!(tax.themes.len(), 2);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Taxonomy {
    /// Version string (non-empty), recorded in every result.
    pub version: String,
    /// Optional name.
    #[serde(default)]
    pub name: Option<String>,
    /// Negation cues and policy.
    #[serde(default)]
    pub negation: NegationConfig,
    /// `implied` (default) or `explicit`.
    #[serde(default)]
    pub parent_policy: ParentPolicy,
    /// `all` (default) or `longest`.
    #[serde(default)]
    pub overlap_policy: OverlapPolicy,
    /// The themes (their order is the order of every per-theme output).
    pub themes: Vec<Theme>,
}

/// A folded rule: its text and whether the last word may take a suffix.
pub(crate) fn fold_rule(raw: &str, what: &str) -> Result<(String, bool)> {
    let t = raw.trim();
    let (body, prefix) = match t.strip_suffix('*') {
        Some(b) => (b, true),
        None => (t, false),
    };
    let f = fold(body);
    if f.is_empty() || !f.chars().any(is_word_char) {
        return Err(CxkpiError::invalid(
            what,
            format!("\"{raw}\" has no word character after folding"),
        ));
    }
    Ok((f, prefix))
}

impl Taxonomy {
    /// Parses a JSON document and validates it.
    pub fn from_json(s: &str) -> Result<Self> {
        let t: Taxonomy =
            serde_json::from_str(s).map_err(|e| CxkpiError::invalid("taxonomy", e.to_string()))?;
        t.validate()?;
        Ok(t)
    }

    /// Parses a TOML document and validates it.
    pub fn from_toml(s: &str) -> Result<Self> {
        let t: Taxonomy =
            toml::from_str(s).map_err(|e| CxkpiError::invalid("taxonomy", e.to_string()))?;
        t.validate()?;
        Ok(t)
    }

    /// Parses a JSON value and validates it.
    pub fn from_value(v: &serde_json::Value) -> Result<Self> {
        let t: Taxonomy = serde_json::from_value(v.clone())
            .map_err(|e| CxkpiError::invalid("taxonomy", e.to_string()))?;
        t.validate()?;
        Ok(t)
    }

    /// Checks the document: a non-empty version, at least one theme, unique non-empty ids, every parent
    /// exists, no cycle in the parent links, every phrase/keyword/cue has a word character after folding,
    /// keywords and cues are single tokens, window ≥ 1.
    pub fn validate(&self) -> Result<()> {
        if self.version.trim().is_empty() {
            return Err(CxkpiError::invalid("taxonomy.version", "must not be empty"));
        }
        if self.themes.is_empty() {
            return Err(CxkpiError::EmptyInput {
                arg: "taxonomy.themes".into(),
            });
        }
        if self.negation.window == 0 {
            return Err(CxkpiError::invalid(
                "taxonomy.negation.window",
                "must be at least 1 token",
            ));
        }
        let mut index: HashMap<&str, usize> = HashMap::new();
        for (i, t) in self.themes.iter().enumerate() {
            if t.id.trim().is_empty() {
                return Err(CxkpiError::invalid(
                    &format!("taxonomy.themes[{i}].id"),
                    "must not be empty",
                ));
            }
            if let Some(j) = index.insert(t.id.as_str(), i) {
                return Err(CxkpiError::invalid(
                    &format!("taxonomy.themes[{i}].id"),
                    format!("\"{}\" is already the id of themes[{j}]", t.id),
                ));
            }
        }
        for (i, t) in self.themes.iter().enumerate() {
            if let Some(p) = &t.parent {
                if !index.contains_key(p.as_str()) {
                    return Err(CxkpiError::invalid(
                        &format!("taxonomy.themes[{i}].parent"),
                        format!(
                            "theme \"{}\" names parent \"{p}\", which is not a theme",
                            t.id
                        ),
                    ));
                }
            }
            for (k, ph) in t.phrases.iter().enumerate() {
                fold_rule(ph, &format!("taxonomy.themes[{i}].phrases[{k}]"))?;
            }
            for (k, kw) in t.keywords.iter().enumerate() {
                let what = format!("taxonomy.themes[{i}].keywords[{k}]");
                let (f, _) = fold_rule(kw, &what)?;
                if f.contains(' ') {
                    return Err(CxkpiError::invalid(
                        &what,
                        format!("keyword \"{kw}\" is more than one word; put it in `phrases`"),
                    ));
                }
            }
        }
        // cycles: follow parents from each theme; a path longer than the number of themes is a cycle
        for (i, t) in self.themes.iter().enumerate() {
            let mut seen = HashSet::new();
            seen.insert(i);
            let mut cur = t.parent.as_deref();
            while let Some(p) = cur {
                let j = index[p];
                if !seen.insert(j) {
                    return Err(CxkpiError::invalid(
                        &format!("taxonomy.themes[{i}].parent"),
                        format!(
                            "the parent links of theme \"{}\" form a cycle through \"{p}\"",
                            t.id
                        ),
                    ));
                }
                cur = self.themes[j].parent.as_deref();
            }
        }
        for (field, map) in [
            ("cues", &self.negation.cues),
            ("terminators", &self.negation.terminators),
        ] {
            for (lang, words) in map {
                for (k, w) in words.iter().enumerate() {
                    let what = format!("taxonomy.negation.{field}.{lang}[{k}]");
                    let f = fold(w);
                    if f.is_empty() || f.contains(' ') || !f.chars().any(is_word_char) {
                        return Err(CxkpiError::invalid(
                            &what,
                            format!("\"{w}\" must be a single word"),
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    /// Position of theme `id` in `themes`.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.themes.iter().position(|t| t.id == id)
    }

    /// For each theme, its ancestors from the parent up (document order indices).
    pub fn ancestors(&self) -> Vec<Vec<u32>> {
        let index: HashMap<&str, usize> = self
            .themes
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.as_str(), i))
            .collect();
        self.themes
            .iter()
            .map(|t| {
                let mut out = Vec::new();
                let mut cur = t.parent.as_deref();
                while let Some(p) = cur {
                    let j = index[p];
                    out.push(j as u32);
                    cur = self.themes[j].parent.as_deref();
                    if out.len() > self.themes.len() {
                        break; // unreachable after validate()
                    }
                }
                out
            })
            .collect()
    }
}
