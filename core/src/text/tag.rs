//! Multi-label theme tagging of verbatims with one Aho-Corasick automaton over the folded phrases.
//!
//! Per verbatim: fold the text ([`fold_into`](crate::text::fold_into)); find every occurrence of every
//! folded phrase/keyword (overlapping search, so no match hides another); keep the whole-word ones (the
//! character before the match and, unless the rule ends in `*`, the one after it are not word characters; a
//! `*` rule's span extends to the end of the word); resolve overlaps by the taxonomy's `overlap_policy`;
//! look for a negation cue in the `window` tokens before each match (stopping at clause punctuation and at a
//! terminator such as "but"); apply the `negation.policy`; add ancestors under `parent_policy = implied`;
//! report each theme once per verbatim (negated only if every match that tagged it was negated).

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{CxkpiError, Result};
use crate::text::fold::{char_at, char_before, fold, fold_into, is_clause_punct, is_word_char};
use crate::text::taxonomy::{fold_rule, NegationPolicy, OverlapPolicy, ParentPolicy, Taxonomy};

/// Verbatims per parallel work unit.
const CHUNK: usize = 4096;

#[derive(Debug, Clone)]
struct PatternInfo {
    prefix: bool,
    themes: Vec<u32>,
}

/// A compiled taxonomy, ready to tag verbatims (build once, tag many).
///
/// ```
/// use cxkpi::text::{Taxonomy, ThemeTagger};
/// let tax = Taxonomy::from_json(r#"{"version": "1", "themes": [
///   {"id": "delivery", "keywords": ["delivery", "livraison"]},
///   {"id": "delivery.late", "parent": "delivery", "phrases": ["late delivery", "en retard"]},
///   {"id": "staff", "keywords": ["staff", "personnel"]}]}"#).unwrap();
/// let tagger = ThemeTagger::new(&tax).unwrap();
/// let tags = tagger.tag(&["Late DELIVERY again", "Le personnel n'était pas aimable", "ok"]).unwrap();
/// assert_eq!(tags.ids_of(0), vec!["delivery", "delivery.late"]);
/// assert_eq!(tags.ids_of(1), vec!["staff"]);
/// assert_eq!(tags.n_untagged, 1);
/// ```
#[derive(Debug, Clone)]
pub struct ThemeTagger {
    taxonomy: Taxonomy,
    ac: AhoCorasick,
    patterns: Vec<PatternInfo>,
    ancestors: Vec<Vec<u32>>,
    cues: HashMap<String, u64>,
    terminators: HashMap<String, u64>,
    languages: HashMap<String, u32>,
    all_languages: u64,
}

/// Per-thread scratch buffers (no allocation per verbatim once warm).
#[derive(Default)]
struct Scratch {
    buf: String,
    matches: Vec<(usize, usize, u32)>,
    hits: Vec<(u32, bool)>,
}

/// Tags of many verbatims in compressed-sparse-row form, with coverage and per-theme counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThemeTags {
    /// Version of the taxonomy used.
    pub taxonomy_version: String,
    /// Theme ids in document order; `theme_index` points into this list.
    pub theme_ids: Vec<String>,
    /// Row offsets: the themes of verbatim i are `theme_index[offsets[i]..offsets[i+1]]` (length n + 1).
    pub offsets: Vec<u64>,
    /// Theme positions (ascending within a verbatim).
    pub theme_index: Vec<u32>,
    /// Parallel to `theme_index`: the theme was tagged only through negated matches (policy `flip`).
    pub negated: Vec<bool>,
    /// Number of verbatims.
    pub n_verbatims: u64,
    /// Verbatims with at least one theme.
    pub n_tagged: u64,
    /// Verbatims with no theme.
    pub n_untagged: u64,
    /// Share of verbatims with no theme, n_untagged / n.
    pub share_untagged: f64,
    /// Coverage: share of verbatims with at least one theme, n_tagged / n.
    pub coverage: f64,
    /// Verbatims tagged with each theme (document order).
    pub counts: Vec<u64>,
    /// Of those, verbatims where the theme is negated.
    pub negated_counts: Vec<u64>,
    /// `suppress`, `flip` or `ignore`.
    pub negation_policy: String,
    /// `implied` or `explicit`.
    pub parent_policy: String,
    /// `all` or `longest`.
    pub overlap_policy: String,
}

impl ThemeTags {
    /// Theme positions of verbatim `i`.
    pub fn themes_of(&self, i: usize) -> &[u32] {
        &self.theme_index[self.offsets[i] as usize..self.offsets[i + 1] as usize]
    }

    /// Theme ids of verbatim `i`.
    pub fn ids_of(&self, i: usize) -> Vec<&str> {
        self.themes_of(i)
            .iter()
            .map(|&t| self.theme_ids[t as usize].as_str())
            .collect()
    }

    /// Per verbatim, its theme ids (a list of lists; convenient for small inputs).
    pub fn to_lists(&self) -> Vec<Vec<String>> {
        (0..self.n_verbatims as usize)
            .map(|i| self.ids_of(i).into_iter().map(String::from).collect())
            .collect()
    }
}

fn lang_mask_map(
    map: &std::collections::BTreeMap<String, Vec<String>>,
    languages: &HashMap<String, u32>,
) -> HashMap<String, u64> {
    let mut out: HashMap<String, u64> = HashMap::new();
    for (lang, words) in map {
        let bit = 1u64 << languages[lang.as_str()];
        for w in words {
            *out.entry(fold(w)).or_insert(0) |= bit;
        }
    }
    out
}

impl ThemeTagger {
    /// Compiles a (validated) taxonomy.
    pub fn new(taxonomy: &Taxonomy) -> Result<Self> {
        taxonomy.validate()?;
        let mut languages: HashMap<String, u32> = HashMap::new();
        for lang in taxonomy
            .negation
            .cues
            .keys()
            .chain(taxonomy.negation.terminators.keys())
        {
            let n = languages.len() as u32;
            languages.entry(lang.clone()).or_insert(n);
        }
        if languages.len() > 64 {
            return Err(CxkpiError::invalid(
                "taxonomy.negation",
                format!("{} languages; at most 64 are supported", languages.len()),
            ));
        }
        let all_languages = if languages.len() == 64 {
            u64::MAX
        } else {
            (1u64 << languages.len()) - 1
        };
        let cues = lang_mask_map(&taxonomy.negation.cues, &languages);
        let terminators = lang_mask_map(&taxonomy.negation.terminators, &languages);

        let mut key_to_pid: HashMap<(String, bool), usize> = HashMap::new();
        let mut texts: Vec<String> = Vec::new();
        let mut patterns: Vec<PatternInfo> = Vec::new();
        for (ti, t) in taxonomy.themes.iter().enumerate() {
            let rules = t.phrases.iter().chain(t.keywords.iter());
            for r in rules {
                let (f, prefix) = fold_rule(r, "taxonomy")?;
                let pid = *key_to_pid.entry((f.clone(), prefix)).or_insert_with(|| {
                    texts.push(f);
                    patterns.push(PatternInfo {
                        prefix,
                        themes: Vec::new(),
                    });
                    patterns.len() - 1
                });
                if !patterns[pid].themes.contains(&(ti as u32)) {
                    patterns[pid].themes.push(ti as u32);
                }
            }
        }
        let mut builder = AhoCorasick::builder();
        builder.match_kind(MatchKind::Standard);
        if texts.len() <= 5000 {
            builder.kind(Some(AhoCorasickKind::DFA));
        }
        let ac = builder
            .build(&texts)
            .map_err(|e| CxkpiError::invalid("taxonomy", format!("cannot compile phrases: {e}")))?;
        Ok(ThemeTagger {
            taxonomy: taxonomy.clone(),
            ac,
            patterns,
            ancestors: taxonomy.ancestors(),
            cues,
            terminators,
            languages,
            all_languages,
        })
    }

    /// The taxonomy this tagger was compiled from.
    pub fn taxonomy(&self) -> &Taxonomy {
        &self.taxonomy
    }

    /// Number of distinct folded rules in the automaton.
    pub fn n_patterns(&self) -> usize {
        self.patterns.len()
    }

    /// Tags every verbatim, looking for negation cues of every language of the document.
    pub fn tag<S: AsRef<str> + Sync>(&self, verbatims: &[S]) -> Result<ThemeTags> {
        self.tag_impl(verbatims, |_| Ok(self.all_languages))
    }

    /// Tags every verbatim, looking only for the negation cues of its language (`languages[i]`, a key of the
    /// document's `negation.cues`/`terminators`; an empty string means every language).
    pub fn tag_with_languages<S: AsRef<str> + Sync, L: AsRef<str> + Sync>(
        &self,
        verbatims: &[S],
        languages: &[L],
    ) -> Result<ThemeTags> {
        crate::stats::check::same_len("languages", languages.len(), "verbatims", verbatims.len())?;
        // resolve the codes first, so an unknown code is an error naming its index
        let mut masks = Vec::with_capacity(languages.len());
        for (i, l) in languages.iter().enumerate() {
            let l = l.as_ref();
            if l.is_empty() {
                masks.push(self.all_languages);
                continue;
            }
            match self.languages.get(l) {
                Some(&b) => masks.push(1u64 << b),
                None => {
                    let mut known: Vec<&str> = self.languages.keys().map(|s| s.as_str()).collect();
                    known.sort_unstable();
                    return Err(CxkpiError::invalid(
                        "languages",
                        format!(
                            "languages[{i}] = \"{l}\" has no negation cues in the taxonomy (known: {}; \"\" = all)",
                            known.join(", ")
                        ),
                    ));
                }
            }
        }
        self.tag_impl(verbatims, |i| Ok(masks[i]))
    }

    fn tag_impl<S: AsRef<str> + Sync>(
        &self,
        verbatims: &[S],
        mask_of: impl Fn(usize) -> Result<u64> + Sync,
    ) -> Result<ThemeTags> {
        let n = verbatims.len();
        if n == 0 {
            return Err(CxkpiError::EmptyInput {
                arg: "verbatims".into(),
            });
        }
        type ChunkOut = (Vec<u32>, Vec<u32>, Vec<bool>);
        let run_chunk = |scr: &mut Scratch, ci: usize, chunk: &[S]| -> Result<ChunkOut> {
            let mut lens = Vec::with_capacity(chunk.len());
            let mut themes = Vec::new();
            let mut neg = Vec::new();
            for (k, v) in chunk.iter().enumerate() {
                let mask = mask_of(ci * CHUNK + k)?;
                self.tag_one(v.as_ref(), mask, scr);
                lens.push(scr.hits.len() as u32);
                for &(t, g) in &scr.hits {
                    themes.push(t);
                    neg.push(g);
                }
            }
            Ok((lens, themes, neg))
        };
        let parts: Vec<Result<ChunkOut>> = if n <= CHUNK {
            let mut scr = Scratch::default();
            vec![run_chunk(&mut scr, 0, verbatims)]
        } else {
            verbatims
                .par_chunks(CHUNK)
                .enumerate()
                .map_init(Scratch::default, |scr, (ci, chunk)| {
                    run_chunk(scr, ci, chunk)
                })
                .collect()
        };
        let k = self.taxonomy.themes.len();
        let mut offsets = Vec::with_capacity(n + 1);
        offsets.push(0u64);
        let total: usize = parts
            .iter()
            .map(|p| p.as_ref().map_or(0, |x| x.1.len()))
            .sum();
        let mut theme_index = Vec::with_capacity(total);
        let mut negated = Vec::with_capacity(total);
        let mut n_tagged = 0u64;
        for p in parts {
            let (lens, th, ng) = p?;
            for l in lens {
                if l > 0 {
                    n_tagged += 1;
                }
                let last = *offsets.last().unwrap();
                offsets.push(last + l as u64);
            }
            theme_index.extend_from_slice(&th);
            negated.extend_from_slice(&ng);
        }
        let mut counts = vec![0u64; k];
        let mut negated_counts = vec![0u64; k];
        for (&t, &g) in theme_index.iter().zip(&negated) {
            counts[t as usize] += 1;
            if g {
                negated_counts[t as usize] += 1;
            }
        }
        let n_untagged = n as u64 - n_tagged;
        Ok(ThemeTags {
            taxonomy_version: self.taxonomy.version.clone(),
            theme_ids: self.taxonomy.themes.iter().map(|t| t.id.clone()).collect(),
            offsets,
            theme_index,
            negated,
            n_verbatims: n as u64,
            n_tagged,
            n_untagged,
            share_untagged: n_untagged as f64 / n as f64,
            coverage: n_tagged as f64 / n as f64,
            counts,
            negated_counts,
            negation_policy: self.taxonomy.negation.policy.name().into(),
            parent_policy: self.taxonomy.parent_policy.name().into(),
            overlap_policy: self.taxonomy.overlap_policy.name().into(),
        })
    }

    /// Tags one text; the result (theme, negated) is left in `scr.hits`, ascending by theme.
    fn tag_one(&self, text: &str, lang_mask: u64, scr: &mut Scratch) {
        scr.hits.clear();
        scr.matches.clear();
        fold_into(text, &mut scr.buf);
        let buf = scr.buf.as_str();
        for m in self.ac.find_overlapping_iter(buf) {
            let (s, mut e) = (m.start(), m.end());
            let pid = m.pattern().as_u32();
            if char_before(buf, s).is_some_and(is_word_char) {
                continue;
            }
            if self.patterns[pid as usize].prefix {
                // extend to the end of the word
                while let Some(c) = char_at(buf, e) {
                    if is_word_char(c) {
                        e += c.len_utf8();
                    } else {
                        break;
                    }
                }
            } else if char_at(buf, e).is_some_and(is_word_char) {
                continue;
            }
            scr.matches.push((s, e, pid));
        }
        if scr.matches.is_empty() {
            return;
        }
        if self.taxonomy.overlap_policy == OverlapPolicy::Longest && scr.matches.len() > 1 {
            let ms = &scr.matches;
            let keep: Vec<bool> = ms
                .iter()
                .map(|&(s, e, _)| {
                    !ms.iter()
                        .any(|&(s2, e2, _)| s2 <= s && e <= e2 && (e2 - s2) > (e - s))
                })
                .collect();
            let mut i = 0;
            scr.matches.retain(|_| {
                i += 1;
                keep[i - 1]
            });
        }
        let policy = self.taxonomy.negation.policy;
        for &(s, _e, pid) in &scr.matches {
            let neg = policy != NegationPolicy::Ignore && self.is_negated(buf, s, lang_mask);
            if neg && policy == NegationPolicy::Suppress {
                continue;
            }
            for &t in &self.patterns[pid as usize].themes {
                scr.hits.push((t, neg));
            }
        }
        if self.taxonomy.parent_policy == ParentPolicy::Implied {
            let direct = scr.hits.len();
            for h in 0..direct {
                let (t, g) = scr.hits[h];
                for &a in &self.ancestors[t as usize] {
                    scr.hits.push((a, g));
                }
            }
        }
        // one entry per theme; negated only if every contribution is negated
        scr.hits.sort_unstable();
        scr.hits.dedup_by(|later, earlier| {
            if later.0 == earlier.0 {
                earlier.1 = earlier.1 && later.1;
                true
            } else {
                false
            }
        });
    }

    /// A cue among the `window` tokens before byte `s` (stopping at clause punctuation or a terminator)?
    fn is_negated(&self, buf: &str, s: usize, mask: u64) -> bool {
        let cfg = &self.taxonomy.negation;
        let bytes = buf.as_bytes();
        let mut p = s;
        let mut tokens = 0u32;
        while tokens < cfg.window {
            while p > 0 && bytes[p - 1] == b' ' {
                p -= 1;
            }
            let Some(c) = char_before(buf, p) else {
                return false;
            };
            if is_clause_punct(c) {
                if cfg.stop_at_punctuation {
                    return false;
                }
                p -= c.len_utf8();
                continue;
            }
            let end = p;
            while let Some(c) = char_before(buf, p) {
                if is_word_char(c) || c == '\'' {
                    p -= c.len_utf8();
                } else {
                    break;
                }
            }
            if p == end {
                // not reachable with folded text; step over the character
                p -= c.len_utf8();
                continue;
            }
            let tok = &buf[p..end];
            tokens += 1;
            if self.terminators.get(tok).is_some_and(|&m| m & mask != 0) {
                return false;
            }
            if self.cues.get(tok).is_some_and(|&m| m & mask != 0) {
                return true;
            }
        }
        false
    }
}

/// Compiles `taxonomy` and tags `verbatims` (see [`ThemeTagger`]).
pub fn tag_themes<S: AsRef<str> + Sync>(taxonomy: &Taxonomy, verbatims: &[S]) -> Result<ThemeTags> {
    ThemeTagger::new(taxonomy)?.tag(verbatims)
}
