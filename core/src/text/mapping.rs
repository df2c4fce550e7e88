//! Mapping between two versions of a taxonomy, so theme counts stay comparable across a refresh.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::error::{CxkpiError, Result};
use crate::stats::sum::NeumaierSum;
use crate::text::taxonomy::Taxonomy;

/// One target of a mapped theme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MapTarget {
    /// Id in the new taxonomy.
    pub id: String,
    /// Share of the old theme's count that goes to this target (required when there are several targets;
    /// default 1 for a single target). The shares of one old theme sum to 1.
    #[serde(default)]
    pub share: Option<f64>,
}

/// How one old theme maps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MapEntry {
    /// Id in the old taxonomy.
    pub from: String,
    /// Targets in the new taxonomy; empty = the theme is retired (its count is reported as dropped).
    pub to: Vec<MapTarget>,
}

/// What happens to an old theme that the map does not list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum UnmappedPolicy {
    /// It maps to the new theme with the same id (default); an error if there is none.
    #[default]
    Identity,
    /// Every old theme must be listed.
    Error,
}

/// A declared map from one taxonomy version to the next (serde JSON/TOML).
///
/// ```
/// use cxkpi::text::{Taxonomy, TaxonomyMap};
/// let old = Taxonomy::from_json(r#"{"version":"2025","themes":[{"id":"delivery","keywords":["delivery"]},
///   {"id":"price","keywords":["price"]},{"id":"fees","keywords":["fee"]}]}"#).unwrap();
/// let new = Taxonomy::from_json(r#"{"version":"2026","themes":[{"id":"delivery.speed","keywords":["late"]},
///   {"id":"delivery.damage","keywords":["damaged"]},{"id":"pricing","keywords":["price","fee"]}]}"#).unwrap();
/// let map: TaxonomyMap = serde_json::from_str(r#"{"from_version":"2025","to_version":"2026","map":[
///   {"from":"delivery","to":[{"id":"delivery.speed","share":0.75},{"id":"delivery.damage","share":0.25}]},
///   {"from":"price","to":[{"id":"pricing"}]},{"from":"fees","to":[{"id":"pricing"}]}]}"#).unwrap();
/// let m = map.map_counts(&old, &new, &[40.0, 10.0, 5.0]).unwrap();
/// assert_eq!(m.counts, vec![30.0, 10.0, 15.0]);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaxonomyMap {
    /// Version of the old taxonomy.
    pub from_version: String,
    /// Version of the new taxonomy.
    pub to_version: String,
    /// `identity` (default) or `error`.
    #[serde(default)]
    pub unmapped: UnmappedPolicy,
    /// The entries (an old id at most once).
    pub map: Vec<MapEntry>,
}

/// How one old theme was carried over.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MappedTheme {
    /// Old id.
    pub from: String,
    /// `identity`, `rename`, `split`, `merge` (one of several old themes into one new theme), or `retired`.
    pub kind: String,
    /// New ids it feeds.
    pub to: Vec<String>,
}

/// Counts carried into the new taxonomy ([`TaxonomyMap::map_counts`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MappedCounts {
    /// Version mapped from.
    pub from_version: String,
    /// Version mapped to.
    pub to_version: String,
    /// New theme ids (new document order).
    pub ids: Vec<String>,
    /// Mapped counts: Σ over old themes of share × old count.
    pub counts: Vec<f64>,
    /// Sum of the counts of retired old themes.
    pub dropped: f64,
    /// New themes that no old theme feeds (their mapped count is 0 and not comparable).
    pub new_only: Vec<String>,
    /// How each old theme (old document order) was carried over.
    pub lineage: Vec<MappedTheme>,
}

/// Tolerance on the sum of shares of one old theme.
pub const SHARE_SUM_TOL: f64 = 1e-9;

impl TaxonomyMap {
    /// Parses a JSON document (validated against the taxonomies when they are mapped).
    pub fn from_json(s: &str) -> Result<Self> {
        serde_json::from_str(s).map_err(|e| CxkpiError::invalid("taxonomy_map", e.to_string()))
    }

    /// Parses a TOML document.
    pub fn from_toml(s: &str) -> Result<Self> {
        toml::from_str(s).map_err(|e| CxkpiError::invalid("taxonomy_map", e.to_string()))
    }

    /// Checks the map against the two taxonomies and resolves, for each old theme (old order), its
    /// targets as (new index, share).
    pub fn resolve(&self, old: &Taxonomy, new: &Taxonomy) -> Result<Vec<Vec<(usize, f64)>>> {
        if self.from_version != old.version {
            return Err(CxkpiError::invalid(
                "taxonomy_map.from_version",
                format!(
                    "\"{}\" but the old taxonomy is version \"{}\"",
                    self.from_version, old.version
                ),
            ));
        }
        if self.to_version != new.version {
            return Err(CxkpiError::invalid(
                "taxonomy_map.to_version",
                format!(
                    "\"{}\" but the new taxonomy is version \"{}\"",
                    self.to_version, new.version
                ),
            ));
        }
        let old_ix: HashMap<&str, usize> = old
            .themes
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.as_str(), i))
            .collect();
        let new_ix: HashMap<&str, usize> = new
            .themes
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.as_str(), i))
            .collect();
        let mut out: Vec<Option<Vec<(usize, f64)>>> = vec![None; old.themes.len()];
        for (e, entry) in self.map.iter().enumerate() {
            let what = format!("taxonomy_map.map[{e}]");
            let Some(&oi) = old_ix.get(entry.from.as_str()) else {
                return Err(CxkpiError::invalid(
                    &format!("{what}.from"),
                    format!(
                        "\"{}\" is not a theme of version \"{}\"",
                        entry.from, old.version
                    ),
                ));
            };
            if out[oi].is_some() {
                return Err(CxkpiError::invalid(
                    &format!("{what}.from"),
                    format!("\"{}\" is mapped twice", entry.from),
                ));
            }
            let mut targets = Vec::new();
            let mut seen = HashSet::new();
            let mut sum = NeumaierSum::default();
            for (j, t) in entry.to.iter().enumerate() {
                let Some(&ni) = new_ix.get(t.id.as_str()) else {
                    return Err(CxkpiError::invalid(
                        &format!("{what}.to[{j}].id"),
                        format!("\"{}\" is not a theme of version \"{}\"", t.id, new.version),
                    ));
                };
                if !seen.insert(ni) {
                    return Err(CxkpiError::invalid(
                        &format!("{what}.to[{j}].id"),
                        format!("\"{}\" is listed twice", t.id),
                    ));
                }
                let share = match t.share {
                    Some(s) => s,
                    None if entry.to.len() == 1 => 1.0,
                    None => {
                        return Err(CxkpiError::invalid(
                            &format!("{what}.to[{j}].share"),
                            format!(
                                "\"{}\" splits into several themes: every target needs a share",
                                entry.from
                            ),
                        ))
                    }
                };
                if !(share.is_finite() && share > 0.0 && share <= 1.0) {
                    return Err(CxkpiError::invalid(
                        &format!("{what}.to[{j}].share"),
                        format!("{share} must lie in (0, 1]"),
                    ));
                }
                sum.add(share);
                targets.push((ni, share));
            }
            if !targets.is_empty() && (sum.value() - 1.0).abs() > SHARE_SUM_TOL {
                return Err(CxkpiError::invalid(
                    &format!("{what}.to"),
                    format!(
                        "the shares of \"{}\" sum to {}, not 1",
                        entry.from,
                        sum.value()
                    ),
                ));
            }
            out[oi] = Some(targets);
        }
        old.themes
            .iter()
            .zip(out)
            .map(|(t, o)| match o {
                Some(x) => Ok(x),
                None => match (self.unmapped, new_ix.get(t.id.as_str())) {
                    (UnmappedPolicy::Identity, Some(&ni)) => Ok(vec![(ni, 1.0)]),
                    _ => Err(CxkpiError::invalid(
                        "taxonomy_map.map",
                        format!(
                            "old theme \"{}\" is not mapped and version \"{}\" has no theme with that id",
                            t.id, new.version
                        ),
                    )),
                },
            })
            .collect()
    }

    /// Carries counts per old theme (old document order, e.g. `ThemeTags::counts`) into the new taxonomy:
    /// new count = Σ share × old count (a split divides a count by the declared shares, a merge adds
    /// counts). Counts are mention counts: a verbatim that had two merged old themes counts twice, as it
    /// did before the merge (re-tag with the new taxonomy to count verbatims).
    pub fn map_counts(
        &self,
        old: &Taxonomy,
        new: &Taxonomy,
        counts: &[f64],
    ) -> Result<MappedCounts> {
        crate::stats::check::same_len(
            "counts",
            counts.len(),
            "old taxonomy themes",
            old.themes.len(),
        )?;
        for (i, &c) in counts.iter().enumerate() {
            if !c.is_finite() || c < 0.0 {
                return Err(CxkpiError::invalid(
                    "counts",
                    format!("counts[{i}] = {c} must be finite and non-negative"),
                ));
            }
        }
        let targets = self.resolve(old, new)?;
        let k = new.themes.len();
        let mut sums = vec![NeumaierSum::default(); k];
        let mut fed = vec![0usize; k];
        let mut dropped = NeumaierSum::default();
        for (oi, tg) in targets.iter().enumerate() {
            if tg.is_empty() {
                dropped.add(counts[oi]);
            }
            for &(ni, s) in tg {
                sums[ni].add(s * counts[oi]);
                fed[ni] += 1;
            }
        }
        let lineage = old
            .themes
            .iter()
            .zip(&targets)
            .map(|(t, tg)| {
                let to: Vec<String> = tg
                    .iter()
                    .map(|&(ni, _)| new.themes[ni].id.clone())
                    .collect();
                let kind = match tg.len() {
                    0 => "retired",
                    1 if fed[tg[0].0] > 1 => "merge",
                    1 if new.themes[tg[0].0].id == t.id => "identity",
                    1 => "rename",
                    _ => "split",
                };
                MappedTheme {
                    from: t.id.clone(),
                    kind: kind.into(),
                    to,
                }
            })
            .collect();
        Ok(MappedCounts {
            from_version: old.version.clone(),
            to_version: new.version.clone(),
            ids: new.themes.iter().map(|t| t.id.clone()).collect(),
            counts: sums.iter().map(|s| s.value()).collect(),
            dropped: dropped.value(),
            new_only: (0..k)
                .filter(|&i| fed[i] == 0)
                .map(|i| new.themes[i].id.clone())
                .collect(),
            lineage,
        })
    }
}
