//! The registry of versioned, effective-dated metric and survey-instrument definitions.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{CxkpiError, Result};
use crate::options::option_enum;
use crate::quality::Validation;

option_enum! {
    /// What a definition defines.
    DefinitionKind {
        /// A KPI (formula, bands, denominators).
        Metric => "metric",
        /// A survey instrument (question wording, scale).
        Instrument => "instrument",
    }
}

impl Default for DefinitionKind {
    fn default() -> Self {
        DefinitionKind::Metric
    }
}

option_enum! {
    /// The life-cycle status of one definition version.
    Status {
        /// Proposed, not approved: never in force.
        Draft => "draft",
        /// Approved and in force within its effective interval.
        Active => "active",
        /// In force within its interval but flagged for replacement.
        Deprecated => "deprecated",
        /// No longer in force after its `effective_to`; still returned for dates inside its interval.
        Retired => "retired",
    }
}

/// Who retired a definition, when and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Retirement {
    /// The first date on which the definition is no longer in force (its `effective_to`).
    pub date: String,
    pub approver: String,
    pub reason: String,
}

/// One version of a metric or instrument definition, in force on `[effective_from, effective_to)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Definition {
    pub id: String,
    #[serde(default)]
    pub kind: DefinitionKind,
    /// Version number (>= 1), unique per id, increasing with `effective_from`.
    pub version: u32,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// First day in force, `YYYY-MM-DD` (inclusive).
    pub effective_from: String,
    /// First day no longer in force, `YYYY-MM-DD` (exclusive); absent = open-ended.
    #[serde(default)]
    pub effective_to: Option<String>,
    pub status: Status,
    pub owner: String,
    /// Required unless the status is draft.
    #[serde(default)]
    pub approver: Option<String>,
    /// Required for every non-draft version after an id's first.
    #[serde(default)]
    pub change_reason: Option<String>,
    /// Free-form content of the definition (formula, bands, question text, scale, ...).
    #[serde(default)]
    pub spec: Option<serde_json::Value>,
    #[serde(default)]
    pub retirement: Option<Retirement>,
}

/// A registry of definitions (all versions of all ids).
///
/// ```
/// use cxkpi::governance::Registry;
/// let reg = Registry::from_json(r#"{"definitions": [
///   {"id": "nps", "version": 1, "effective_from": "2025-01-01", "effective_to": "2026-01-01",
///    "status": "deprecated", "owner": "cx", "approver": "cfo"},
///   {"id": "nps", "version": 2, "effective_from": "2026-01-01", "status": "active", "owner": "cx",
///    "approver": "cfo", "change_reason": "detractors 0-6 -> 0-5"}]}"#).unwrap();
/// assert_eq!(reg.in_force("nps", "2025-12-31").unwrap().version, Some(1));
/// assert_eq!(reg.in_force("nps", "2026-01-01").unwrap().version, Some(2)); // [from, to)
/// assert_eq!(reg.in_force("nps", "2024-06-30").unwrap().version, None);
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Registry {
    pub definitions: Vec<Definition>,
}

/// The answer to "which version of `id` was in force on `date`".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lookup {
    pub id: String,
    pub date: String,
    /// The version in force (null if none).
    pub version: Option<u32>,
    pub status: Option<Status>,
    /// Why: `in_force` (a retired version is still returned for dates inside its interval), `deprecated`
    /// (in force, flagged), `before_first` (before the first version), `retired` (after the retirement of
    /// the last version), `ended` (after the end of a last version that was not retired) or `gap` (between
    /// two versions).
    pub reason: String,
    pub definition: Option<Definition>,
}

/// One exclusion rule applied to the data behind a result, with its count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExclusionApplied {
    pub rule: String,
    #[serde(default)]
    pub kind: Option<String>,
    /// Rows for which this was the first failed rule.
    #[serde(default)]
    pub n_excluded: Option<u64>,
}

/// Where a result came from: source systems, transformations and exclusion rules applied.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Lineage {
    pub source_systems: Vec<String>,
    pub transformations: Vec<String>,
    pub exclusion_rules: Vec<ExclusionApplied>,
}

impl Lineage {
    /// Adds the rules (and counts) of a validation to `exclusion_rules`.
    pub fn with_validation(mut self, v: &Validation) -> Lineage {
        self.exclusion_rules
            .extend(v.totals.iter().map(|t| ExclusionApplied {
                rule: t.rule.clone(),
                kind: Some(t.kind.clone()),
                n_excluded: Some(t.n_excluded),
            }));
        self
    }
}

/// A result's stamp: the definition version in force on the result's date, and its lineage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stamp {
    pub definition: String,
    pub version: u32,
    pub kind: DefinitionKind,
    pub status: Status,
    /// The date the result refers to.
    pub as_of: String,
    pub effective_from: String,
    pub effective_to: Option<String>,
    pub owner: String,
    pub approver: Option<String>,
    pub lineage: Lineage,
}

/// Parses a `YYYY-MM-DD` date.
pub fn parse_date(arg: &str, s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| CxkpiError::invalid(arg, format!("\"{s}\" is not a date YYYY-MM-DD")))
}

fn doc_error(what: &str, e: impl std::fmt::Display) -> CxkpiError {
    CxkpiError::invalid("registry", format!("not a valid {what} registry: {e}"))
}

struct Span {
    idx: usize,
    from: NaiveDate,
    to: Option<NaiveDate>,
}

impl Registry {
    /// Reads and validates a registry from JSON.
    pub fn from_json(text: &str) -> Result<Registry> {
        let r: Registry = serde_json::from_str(text).map_err(|e| doc_error("JSON", e))?;
        r.validate()?;
        Ok(r)
    }

    /// Reads and validates a registry from TOML (`[[definitions]]` tables; dates as quoted strings).
    pub fn from_toml(text: &str) -> Result<Registry> {
        let r: Registry = toml::from_str(text).map_err(|e| doc_error("TOML", e))?;
        r.validate()?;
        Ok(r)
    }

    /// Reads and validates a registry from a JSON value.
    pub fn from_value(v: &serde_json::Value) -> Result<Registry> {
        let r: Registry = serde_json::from_value(v.clone()).map_err(|e| doc_error("JSON", e))?;
        r.validate()?;
        Ok(r)
    }

    /// Checks every definition and every id's versions: non-empty id and owner; version >= 1 and unique
    /// per id; dates valid with `effective_from < effective_to`; an approver unless draft; a change reason
    /// on every non-draft version after the id's first; `effective_to` on retired versions; one kind per
    /// id; non-draft versions that do not overlap (intervals are `[from, to)`, so one may end on the day the
    /// next begins) and whose effective dates increase with the version number.
    pub fn validate(&self) -> Result<()> {
        let mut ids: Vec<&str> = self.definitions.iter().map(|d| d.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        for (i, d) in self.definitions.iter().enumerate() {
            let at = |k: &str| format!("definitions[{i}].{k}");
            if d.id.is_empty() {
                return Err(CxkpiError::invalid(&at("id"), "must not be empty"));
            }
            if d.owner.is_empty() {
                return Err(CxkpiError::invalid(&at("owner"), "must not be empty"));
            }
            if d.version == 0 {
                return Err(CxkpiError::invalid(&at("version"), "must be at least 1"));
            }
            let from = parse_date(&at("effective_from"), &d.effective_from)?;
            if let Some(t) = &d.effective_to {
                let to = parse_date(&at("effective_to"), t)?;
                if to <= from {
                    return Err(CxkpiError::invalid(
                        &at("effective_to"),
                        format!("{t} is not after effective_from {}", d.effective_from),
                    ));
                }
            }
            if d.status != Status::Draft && d.approver.as_deref().is_none_or(str::is_empty) {
                return Err(CxkpiError::invalid(
                    &at("approver"),
                    format!(
                        "{} v{} is {} and needs an approver",
                        d.id, d.version, d.status
                    ),
                ));
            }
            if d.status == Status::Retired && d.effective_to.is_none() {
                return Err(CxkpiError::invalid(
                    &at("effective_to"),
                    format!("{} v{} is retired and needs effective_to", d.id, d.version),
                ));
            }
            if let Some(r) = &d.retirement {
                parse_date(&at("retirement.date"), &r.date)?;
                if d.effective_to.as_deref() != Some(r.date.as_str()) {
                    return Err(CxkpiError::invalid(
                        &at("retirement.date"),
                        format!("{} must equal effective_to {:?}", r.date, d.effective_to),
                    ));
                }
            }
        }
        for id in ids {
            let vs: Vec<(usize, &Definition)> = self
                .definitions
                .iter()
                .enumerate()
                .filter(|(_, d)| d.id == id)
                .collect();
            let kind = vs[0].1.kind;
            let first_version = vs.iter().map(|(_, d)| d.version).min().unwrap();
            let mut seen = std::collections::BTreeSet::new();
            for &(i, d) in &vs {
                if d.kind != kind {
                    return Err(CxkpiError::invalid(
                        &format!("definitions[{i}].kind"),
                        format!("{id} is both {kind} and {}", d.kind),
                    ));
                }
                if !seen.insert(d.version) {
                    return Err(CxkpiError::invalid(
                        &format!("definitions[{i}].version"),
                        format!("{id} v{} is defined twice", d.version),
                    ));
                }
                if d.status != Status::Draft
                    && d.version != first_version
                    && d.change_reason.as_deref().is_none_or(str::is_empty)
                {
                    return Err(CxkpiError::invalid(
                        &format!("definitions[{i}].change_reason"),
                        format!(
                            "{id} v{} changes an earlier version and needs a change_reason",
                            d.version
                        ),
                    ));
                }
            }
            let mut spans: Vec<Span> = vs
                .iter()
                .filter(|(_, d)| d.status != Status::Draft)
                .map(|&(i, d)| Span {
                    idx: i,
                    from: parse_date("effective_from", &d.effective_from).unwrap(),
                    to: d
                        .effective_to
                        .as_ref()
                        .map(|t| parse_date("effective_to", t).unwrap()),
                })
                .collect();
            spans.sort_by_key(|s| (s.from, self.definitions[s.idx].version));
            for w in spans.windows(2) {
                let (a, b) = (&self.definitions[w[0].idx], &self.definitions[w[1].idx]);
                if w[0].to.is_none_or(|t| t > w[1].from) {
                    return Err(CxkpiError::invalid(
                        &format!("definitions[{}].effective_from", w[1].idx),
                        format!(
                            "{id} v{} [{}, {}) overlaps v{} from {}",
                            a.version,
                            a.effective_from,
                            a.effective_to.as_deref().unwrap_or("open"),
                            b.version,
                            b.effective_from
                        ),
                    ));
                }
                if b.version <= a.version {
                    return Err(CxkpiError::invalid(
                        &format!("definitions[{}].version", w[1].idx),
                        format!(
                            "{id} v{} takes effect after v{}: versions must increase with effective_from",
                            b.version, a.version
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    fn known(&self, id: &str) -> Result<()> {
        if self.definitions.iter().any(|d| d.id == id) {
            Ok(())
        } else {
            Err(CxkpiError::invalid(
                "id",
                format!("\"{id}\" is not in the registry"),
            ))
        }
    }

    /// Every version of `id` (drafts and retired ones included), by version number.
    pub fn history(&self, id: &str) -> Result<Vec<&Definition>> {
        self.known(id)?;
        let mut v: Vec<&Definition> = self.definitions.iter().filter(|d| d.id == id).collect();
        v.sort_by_key(|d| d.version);
        Ok(v)
    }

    /// The version of `id` in force on `date` (`YYYY-MM-DD`): the non-draft version with
    /// `effective_from <= date < effective_to`. An unknown id is an error; no version in force is a lookup
    /// with `version: None` and the reason.
    pub fn in_force(&self, id: &str, date: &str) -> Result<Lookup> {
        self.known(id)?;
        let day = parse_date("date", date)?;
        let spans: Vec<(&Definition, NaiveDate, Option<NaiveDate>)> = self
            .definitions
            .iter()
            .filter(|d| d.id == id && d.status != Status::Draft)
            .map(|d| {
                (
                    d,
                    parse_date("effective_from", &d.effective_from).unwrap(),
                    d.effective_to
                        .as_ref()
                        .map(|t| parse_date("effective_to", t).unwrap()),
                )
            })
            .collect();
        let hit = spans
            .iter()
            .find(|(_, f, t)| *f <= day && t.is_none_or(|t| day < t));
        let (definition, reason) = match hit {
            Some((d, _, _)) => (
                Some((*d).clone()),
                if d.status == Status::Deprecated {
                    "deprecated"
                } else {
                    "in_force"
                },
            ),
            None => {
                let reason = if spans.is_empty() || spans.iter().all(|(_, f, _)| day < *f) {
                    "before_first"
                } else if spans.iter().all(|(_, _, t)| t.is_some_and(|t| day >= t)) {
                    let last = spans.iter().max_by_key(|(_, f, _)| *f).unwrap().0;
                    if last.status == Status::Retired {
                        "retired"
                    } else {
                        "ended"
                    }
                } else {
                    "gap"
                };
                (None, reason)
            }
        };
        Ok(Lookup {
            id: id.into(),
            date: date.into(),
            version: definition.as_ref().map(|d| d.version),
            status: definition.as_ref().map(|d| d.status),
            reason: reason.into(),
            definition,
        })
    }

    /// Retires `id` from `date` on: the version in force on the day before `date` gets
    /// `effective_to = date`, status `retired` and the retirement record; every earlier version stays as it
    /// is, so lookups before `date` still find their version (history stays readable). Fails if no version
    /// is in force the day before `date`, or if a non-draft version starts on or after `date`.
    pub fn retire(&self, id: &str, date: &str, approver: &str, reason: &str) -> Result<Registry> {
        self.known(id)?;
        let day = parse_date("date", date)?;
        if approver.is_empty() || reason.is_empty() {
            return Err(CxkpiError::invalid(
                "approver",
                "retiring needs an approver and a reason",
            ));
        }
        let prev = day
            .pred_opt()
            .ok_or_else(|| CxkpiError::invalid("date", "out of range"))?;
        let look = self.in_force(id, &prev.format("%Y-%m-%d").to_string())?;
        let Some(v) = look.version else {
            return Err(CxkpiError::invalid(
                "date",
                format!("no version of {id} is in force on the day before {date}"),
            ));
        };
        for d in &self.definitions {
            if d.id == id
                && d.status != Status::Draft
                && parse_date("effective_from", &d.effective_from)? >= day
            {
                return Err(CxkpiError::invalid(
                    "date",
                    format!(
                        "{id} v{} takes effect on {}, after the retirement date {date}",
                        d.version, d.effective_from
                    ),
                ));
            }
        }
        let mut out = self.clone();
        for d in out.definitions.iter_mut() {
            if d.id == id && d.version == v {
                d.effective_to = Some(date.to_string());
                d.status = Status::Retired;
                d.retirement = Some(Retirement {
                    date: date.into(),
                    approver: approver.into(),
                    reason: reason.into(),
                });
            }
        }
        out.validate()?;
        Ok(out)
    }

    /// Stamps a result that refers to `date` with the version of `id` in force then and its lineage;
    /// an error if no version is in force.
    pub fn stamp(&self, id: &str, date: &str, lineage: Lineage) -> Result<Stamp> {
        let look = self.in_force(id, date)?;
        let d = look.definition.ok_or_else(|| {
            CxkpiError::invalid(
                "date",
                format!("no version of {id} is in force on {date} ({})", look.reason),
            )
        })?;
        Ok(Stamp {
            definition: d.id,
            version: d.version,
            kind: d.kind,
            status: d.status,
            as_of: date.into(),
            effective_from: d.effective_from,
            effective_to: d.effective_to,
            owner: d.owner,
            approver: d.approver,
            lineage,
        })
    }
}
