//! Declarative response validation: rule sets, the columnar evaluation and the exclusion account.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{CxkpiError, Result};
use crate::options::option_enum;

/// Seconds in a day (the unit of `window_days`).
const DAY: f64 = 86_400.0;
/// Rows per parallel chunk of the row-wise rules.
const CHUNK: usize = 1 << 16;

option_enum! {
    /// Which response of a duplicate run is kept.
    KeepPolicy {
        /// The earliest (ties: the lowest row index); later responses within the window are duplicates.
        First => "first",
        /// The latest (ties: the highest row index); earlier responses within the window are duplicates.
        Last => "last",
    }
}

impl Default for KeepPolicy {
    fn default() -> Self {
        KeepPolicy::First
    }
}

fn default_true() -> bool {
    true
}

/// Answers outside a closed scale `min..=max` (and, with `integer`, answers that are not whole points).
/// A missing answer (NaN) is not out of scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutOfScaleRule {
    pub id: String,
    /// The answer columns checked.
    pub columns: Vec<String>,
    pub min: f64,
    pub max: f64,
    /// Whether an answer must be a whole scale point (default true).
    #[serde(default = "default_true")]
    pub integer: bool,
}

/// Responses of the same customer (and survey) within `window_days` of a kept response.
///
/// Rows are grouped by customer (and survey, if given), ordered by timestamp (ties by row index). With
/// `keep = "first"` the first row of a group is kept and every later row within `window_days`
/// (inclusive) of the last kept row is a duplicate; a row beyond the window is kept and starts a new
/// window. `"last"` walks the group backwards. Rows with a missing customer, survey or timestamp are
/// never duplicates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DuplicateRule {
    pub id: String,
    /// The customer column (numeric or text).
    pub customer: String,
    /// The survey column (numeric or text); absent means one survey.
    #[serde(default)]
    pub survey: Option<String>,
    /// The response timestamp column (seconds since 1970-01-01 UTC).
    pub timestamp: String,
    /// The window in days (>= 0).
    pub window_days: f64,
    /// Which response is kept (default `first`).
    #[serde(default)]
    pub keep: KeepPolicy,
}

/// Completion time under `min_seconds` or under `min_fraction_of_median` times the median completion time.
///
/// The median is that of the rows kept by every other rule and not speeding themselves, found as a fixed
/// point (threshold from the median, drop the rows under it, recompute, until no row moves); so the rule
/// applied to the kept rows gives the same threshold. Even counts take the mean of the two middle values.
/// A missing duration is not a speeder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpeederRule {
    pub id: String,
    /// The completion-time column in seconds.
    pub duration: String,
    #[serde(default)]
    pub min_seconds: Option<f64>,
    #[serde(default)]
    pub min_fraction_of_median: Option<f64>,
}

/// Identical answers across a grid: at least `min_items` non-missing answers in `columns`, all equal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StraightLinerRule {
    pub id: String,
    pub columns: Vec<String>,
    pub min_items: usize,
}

/// Impossible timestamps: completed before started, or started or completed after `as_of`.
/// Missing timestamps are not impossible.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImpossibleTimestampsRule {
    pub id: String,
    pub started: String,
    pub completed: String,
    /// A date (`2026-11-23`, midnight UTC) or RFC 3339 instant; timestamps after it are in the future.
    #[serde(default)]
    pub as_of: Option<String>,
}

/// Identical answer vectors in bulk: rows whose answers over `columns` equal (bit for bit, missing equal
/// to missing) those of at least `min_count` rows in all (themselves included). Rows with every answer
/// missing are not checked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdenticalVectorsRule {
    pub id: String,
    pub columns: Vec<String>,
    pub min_count: u64,
}

/// Internal test entries: a flag column (numeric, non-zero = test; text `true`/`yes`/`1`/`y`/`t`) and/or
/// an e-mail (or e-mail domain) column whose domain (after the last `@` if any, case-folded) is in
/// `domains` or a subdomain of one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestEntriesRule {
    pub id: String,
    #[serde(default)]
    pub flag: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub domains: Vec<String>,
}

/// A field period `[start, end)` (dates mean midnight UTC; either end may be open).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldPeriod {
    #[serde(default)]
    pub start: Option<String>,
    #[serde(default)]
    pub end: Option<String>,
}

/// Responses outside the survey's field period `[start, end)`.
///
/// Either one period (`start`, `end`) for every row, or a `survey` column with `periods` per survey id; a
/// row whose survey has no declared period is outside. A missing timestamp is not outside.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldPeriodRule {
    pub id: String,
    pub timestamp: String,
    #[serde(default)]
    pub start: Option<String>,
    #[serde(default)]
    pub end: Option<String>,
    #[serde(default)]
    pub survey: Option<String>,
    #[serde(default)]
    pub periods: Option<BTreeMap<String, FieldPeriod>>,
}

/// One validation rule (`kind` names the variant).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Rule {
    OutOfScale(OutOfScaleRule),
    Duplicate(DuplicateRule),
    Speeder(SpeederRule),
    StraightLiner(StraightLinerRule),
    ImpossibleTimestamps(ImpossibleTimestampsRule),
    IdenticalVectors(IdenticalVectorsRule),
    TestEntries(TestEntriesRule),
    FieldPeriod(FieldPeriodRule),
}

impl Rule {
    /// The rule's id.
    pub fn id(&self) -> &str {
        match self {
            Rule::OutOfScale(r) => &r.id,
            Rule::Duplicate(r) => &r.id,
            Rule::Speeder(r) => &r.id,
            Rule::StraightLiner(r) => &r.id,
            Rule::ImpossibleTimestamps(r) => &r.id,
            Rule::IdenticalVectors(r) => &r.id,
            Rule::TestEntries(r) => &r.id,
            Rule::FieldPeriod(r) => &r.id,
        }
    }

    /// The rule's kind (the `kind` key).
    pub fn kind(&self) -> &'static str {
        match self {
            Rule::OutOfScale(_) => "out_of_scale",
            Rule::Duplicate(_) => "duplicate",
            Rule::Speeder(_) => "speeder",
            Rule::StraightLiner(_) => "straight_liner",
            Rule::ImpossibleTimestamps(_) => "impossible_timestamps",
            Rule::IdenticalVectors(_) => "identical_vectors",
            Rule::TestEntries(_) => "test_entries",
            Rule::FieldPeriod(_) => "field_period",
        }
    }
}

/// A declarative validation rule set. Rules are applied in declared order: the first failed rule is the
/// one an excluded row is accounted to.
///
/// ```
/// use cxkpi::quality::RuleSet;
/// let rs = RuleSet::from_json(r#"{"id": "2026", "rules": [
///   {"id": "tests", "kind": "test_entries", "email": "email", "domains": ["example.com"]}]}"#).unwrap();
/// assert_eq!(rs.rules[0].kind(), "test_entries");
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSet {
    /// An identifier for lineage (optional).
    #[serde(default)]
    pub id: Option<String>,
    /// A version label for lineage (optional).
    #[serde(default)]
    pub version: Option<String>,
    pub rules: Vec<Rule>,
}

fn doc_error(what: &str, e: impl std::fmt::Display) -> CxkpiError {
    CxkpiError::invalid("rules", format!("not a valid {what} rule set: {e}"))
}

/// Parses an instant: a date `YYYY-MM-DD` (midnight UTC) or an RFC 3339 date-time; returns seconds since
/// 1970-01-01 UTC.
pub fn parse_instant(arg: &str, s: &str) -> Result<f64> {
    if let Ok(d) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        let t = d.and_hms_opt(0, 0, 0).expect("midnight exists");
        return Ok(t.and_utc().timestamp() as f64);
    }
    match chrono::DateTime::parse_from_rfc3339(s) {
        Ok(t) => Ok(t.timestamp() as f64 + t.timestamp_subsec_nanos() as f64 * 1e-9),
        Err(_) => Err(CxkpiError::invalid(
            arg,
            format!("\"{s}\" is neither a date YYYY-MM-DD nor an RFC 3339 date-time"),
        )),
    }
}

fn nonempty_id(i: usize, id: &str) -> Result<()> {
    if id.is_empty() {
        Err(CxkpiError::invalid(
            &format!("rules[{i}].id"),
            "must not be empty",
        ))
    } else {
        Ok(())
    }
}

impl RuleSet {
    /// Reads and validates a rule set from JSON text.
    pub fn from_json(text: &str) -> Result<RuleSet> {
        let r: RuleSet = serde_json::from_str(text).map_err(|e| doc_error("JSON", e))?;
        r.validate()?;
        Ok(r)
    }

    /// Reads and validates a rule set from TOML text (`[[rules]]` tables).
    pub fn from_toml(text: &str) -> Result<RuleSet> {
        let r: RuleSet = toml::from_str(text).map_err(|e| doc_error("TOML", e))?;
        r.validate()?;
        Ok(r)
    }

    /// Reads and validates a rule set from a JSON value.
    pub fn from_value(v: &serde_json::Value) -> Result<RuleSet> {
        let r: RuleSet = serde_json::from_value(v.clone()).map_err(|e| doc_error("JSON", e))?;
        r.validate()?;
        Ok(r)
    }

    /// Checks ids (non-empty, unique), parameters and dates; at most 64 rules and at most one speeder rule
    /// relative to the median.
    pub fn validate(&self) -> Result<()> {
        if self.rules.len() > 64 {
            return Err(CxkpiError::invalid(
                "rules",
                format!("at most 64 rules are supported, got {}", self.rules.len()),
            ));
        }
        let mut seen = std::collections::BTreeSet::new();
        let mut relative = 0;
        for (i, rule) in self.rules.iter().enumerate() {
            let id = rule.id();
            nonempty_id(i, id)?;
            if !seen.insert(id) {
                return Err(CxkpiError::invalid(
                    &format!("rules[{i}].id"),
                    format!("\"{id}\" is used by an earlier rule"),
                ));
            }
            let at = |k: &str| format!("rules[{i}].{k}");
            match rule {
                Rule::OutOfScale(r) => {
                    if r.columns.is_empty() {
                        return Err(CxkpiError::invalid(&at("columns"), "must not be empty"));
                    }
                    if !(r.min.is_finite() && r.max.is_finite() && r.min <= r.max) {
                        return Err(CxkpiError::invalid(
                            &at("min"),
                            format!(
                                "min ({}) and max ({}) must be finite with min <= max",
                                r.min, r.max
                            ),
                        ));
                    }
                }
                Rule::Duplicate(r) => {
                    if !(r.window_days.is_finite() && r.window_days >= 0.0) {
                        return Err(CxkpiError::invalid(
                            &at("window_days"),
                            format!("{} must be finite and >= 0", r.window_days),
                        ));
                    }
                }
                Rule::Speeder(r) => {
                    if r.min_seconds.is_none() && r.min_fraction_of_median.is_none() {
                        return Err(CxkpiError::invalid(
                            &at("min_seconds"),
                            "give min_seconds, min_fraction_of_median or both",
                        ));
                    }
                    if let Some(s) = r.min_seconds {
                        if !s.is_finite() {
                            return Err(CxkpiError::invalid(
                                &at("min_seconds"),
                                format!("{s} must be finite"),
                            ));
                        }
                    }
                    if let Some(f) = r.min_fraction_of_median {
                        if !(f > 0.0 && f < 1.0) {
                            return Err(CxkpiError::invalid(
                                &at("min_fraction_of_median"),
                                format!("{f} must lie strictly between 0 and 1"),
                            ));
                        }
                        relative += 1;
                        if relative > 1 {
                            return Err(CxkpiError::invalid(
                                &at("min_fraction_of_median"),
                                "only one speeder rule may be relative to the median",
                            ));
                        }
                    }
                }
                Rule::StraightLiner(r) => {
                    if r.min_items < 2 || r.columns.len() < r.min_items {
                        return Err(CxkpiError::invalid(
                            &at("min_items"),
                            format!(
                                "min_items ({}) must be >= 2 and at most the number of columns ({})",
                                r.min_items,
                                r.columns.len()
                            ),
                        ));
                    }
                }
                Rule::ImpossibleTimestamps(r) => {
                    if let Some(a) = &r.as_of {
                        parse_instant(&at("as_of"), a)?;
                    }
                }
                Rule::IdenticalVectors(r) => {
                    if r.columns.is_empty() {
                        return Err(CxkpiError::invalid(&at("columns"), "must not be empty"));
                    }
                    if r.min_count < 2 {
                        return Err(CxkpiError::invalid(
                            &at("min_count"),
                            format!("{} must be >= 2", r.min_count),
                        ));
                    }
                }
                Rule::TestEntries(r) => {
                    if r.flag.is_none() && r.email.is_none() {
                        return Err(CxkpiError::invalid(&at("flag"), "give flag, email or both"));
                    }
                    if r.email.is_some() && r.domains.is_empty() {
                        return Err(CxkpiError::invalid(
                            &at("domains"),
                            "an email column needs at least one domain",
                        ));
                    }
                }
                Rule::FieldPeriod(r) => {
                    let one = r.start.is_some() || r.end.is_some();
                    match (&r.survey, &r.periods) {
                        (None, None) if one => {}
                        (Some(_), Some(p)) if !one => {
                            for (s, fp) in p {
                                period_bounds(&at(&format!("periods.{s}")), fp)?;
                            }
                        }
                        _ => {
                            return Err(CxkpiError::invalid(
                                &at("periods"),
                                "give either start/end, or survey with periods",
                            ))
                        }
                    }
                    if one {
                        period_bounds(
                            &at("start"),
                            &FieldPeriod {
                                start: r.start.clone(),
                                end: r.end.clone(),
                            },
                        )?;
                    }
                }
            }
        }
        Ok(())
    }
}

fn period_bounds(arg: &str, p: &FieldPeriod) -> Result<(f64, f64)> {
    let s = match &p.start {
        Some(s) => parse_instant(arg, s)?,
        None => f64::NEG_INFINITY,
    };
    let e = match &p.end {
        Some(e) => parse_instant(arg, e)?,
        None => f64::INFINITY,
    };
    if s >= e {
        return Err(CxkpiError::invalid(
            arg,
            format!(
                "the period start {:?} is not before its end {:?}",
                p.start, p.end
            ),
        ));
    }
    Ok((s, e))
}

/// One column of a response table: numbers (NaN = missing) or text (empty = missing).
#[derive(Debug, Clone, Copy)]
pub enum Column<'a> {
    Num(&'a [f64]),
    Text(&'a [String]),
}

impl Column<'_> {
    fn len(&self) -> usize {
        match self {
            Column::Num(x) => x.len(),
            Column::Text(x) => x.len(),
        }
    }
}

/// A response table: named columns of equal length, borrowed.
#[derive(Debug, Clone, Default)]
pub struct ResponseTable<'a> {
    n: usize,
    columns: BTreeMap<String, Column<'a>>,
}

impl<'a> ResponseTable<'a> {
    /// An empty table of `n` rows.
    pub fn new(n: usize) -> Self {
        ResponseTable {
            n,
            columns: BTreeMap::new(),
        }
    }

    /// The number of rows.
    pub fn len(&self) -> usize {
        self.n
    }

    /// Whether the table has no rows.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// Adds (or replaces) a column; its length must be the table's.
    pub fn add(&mut self, name: &str, col: Column<'a>) -> Result<()> {
        if col.len() != self.n {
            return Err(CxkpiError::LengthMismatch {
                arg: name.into(),
                len: col.len(),
                other: "table rows".into(),
                other_len: self.n,
            });
        }
        self.columns.insert(name.to_string(), col);
        Ok(())
    }

    fn col(&self, rule: &str, name: &str) -> Result<Column<'a>> {
        self.columns.get(name).copied().ok_or_else(|| {
            CxkpiError::invalid(
                name,
                format!("rule \"{rule}\" needs column \"{name}\", which the table does not have"),
            )
        })
    }

    fn num(&self, rule: &str, name: &str) -> Result<&'a [f64]> {
        match self.col(rule, name)? {
            Column::Num(x) => Ok(x),
            Column::Text(_) => Err(CxkpiError::invalid(
                name,
                format!("rule \"{rule}\" needs a numeric column, \"{name}\" is text"),
            )),
        }
    }
}

/// Per-rule totals of a validation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleTotal {
    pub rule: String,
    pub kind: String,
    /// Rows that failed this rule (whether or not an earlier rule excluded them too).
    pub n_failed: u64,
    /// Rows for which this rule is the first failed rule (these add up to `n_excluded`).
    pub n_excluded: u64,
    /// Speeder rules: the median completion time the relative threshold was taken from (null if none).
    pub median: Option<f64>,
    /// Speeder rules: the threshold in seconds applied (null if none).
    pub threshold: Option<f64>,
}

/// The outcome of [`validate`]: a keep mask and a compact per-row account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Validation {
    /// Rule ids in declared order.
    pub rules: Vec<String>,
    pub n_rows: u64,
    pub n_kept: u64,
    pub n_excluded: u64,
    /// `true` for rows that pass every rule.
    pub keep: Vec<bool>,
    /// Per row, the bit set of failed rules (bit `i` = `rules[i]`); 0 for kept rows.
    pub failed: Vec<u64>,
    pub totals: Vec<RuleTotal>,
    /// Named policy: the rule an excluded row is accounted to (`first_in_declared_order`).
    pub attribution: String,
}

/// One excluded row of a [`ValidationReport`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExcludedRow {
    pub row: u64,
    /// The first failed rule in declared order.
    pub first_rule: String,
    /// Every failed rule, in declared order.
    pub failed: Vec<String>,
}

/// The readable form of a [`Validation`]: every excluded row with its rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValidationReport {
    pub rule_set: Option<String>,
    pub rule_set_version: Option<String>,
    pub rules: Vec<String>,
    pub n_rows: u64,
    pub n_kept: u64,
    pub n_excluded: u64,
    pub keep: Vec<bool>,
    pub excluded: Vec<ExcludedRow>,
    pub totals: Vec<RuleTotal>,
    pub attribution: String,
}

impl Validation {
    /// Index of the first failed rule of `row` (None if kept).
    pub fn first_rule(&self, row: usize) -> Option<usize> {
        let m = self.failed[row];
        (m != 0).then(|| m.trailing_zeros() as usize)
    }

    /// Ids of every rule `row` failed, in declared order.
    pub fn failed_rules(&self, row: usize) -> Vec<&str> {
        let m = self.failed[row];
        (0..self.rules.len())
            .filter(|&i| m >> i & 1 == 1)
            .map(|i| self.rules[i].as_str())
            .collect()
    }

    /// The excluded rows with the names of their rules.
    pub fn excluded(&self) -> Vec<ExcludedRow> {
        (0..self.failed.len())
            .filter(|&i| self.failed[i] != 0)
            .map(|i| ExcludedRow {
                row: i as u64,
                first_rule: self.rules[self.first_rule(i).unwrap()].clone(),
                failed: self.failed_rules(i).into_iter().map(String::from).collect(),
            })
            .collect()
    }

    /// The readable report (`rule_set` metadata from `rules`).
    pub fn report(&self, rules: &RuleSet) -> ValidationReport {
        ValidationReport {
            rule_set: rules.id.clone(),
            rule_set_version: rules.version.clone(),
            rules: self.rules.clone(),
            n_rows: self.n_rows,
            n_kept: self.n_kept,
            n_excluded: self.n_excluded,
            keep: self.keep.clone(),
            excluded: self.excluded(),
            totals: self.totals.clone(),
            attribution: self.attribution.clone(),
        }
    }
}

// ---------------------------------------------------------------------------------------------------
// Hashing of keys (deterministic, no random state).

#[inline]
fn mix(h: u64, x: u64) -> u64 {
    // splitmix64 finaliser of the combination.
    let mut z = (h ^ x.wrapping_mul(0x9E37_79B9_7F4A_7C15)).wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Canonical bits of a number: -0 as 0, every NaN as one NaN.
#[inline]
fn bits(v: f64) -> u64 {
    if v.is_nan() {
        0x7FF8_0000_0000_0000
    } else if v == 0.0 {
        0
    } else {
        v.to_bits()
    }
}

fn text_hash(s: &str) -> u64 {
    let mut h = 0xCBF2_9CE4_8422_2325u64;
    for c in s.as_bytes().chunks(8) {
        let mut b = [0u8; 8];
        b[..c.len()].copy_from_slice(c);
        h = mix(h, u64::from_le_bytes(b));
    }
    mix(h, s.len() as u64)
}

#[derive(Clone, Copy)]
enum KeyCol<'a> {
    Num(&'a [f64]),
    Text(&'a [String]),
}

impl KeyCol<'_> {
    fn missing(&self, i: usize) -> bool {
        match self {
            KeyCol::Num(x) => x[i].is_nan(),
            KeyCol::Text(x) => x[i].is_empty(),
        }
    }
    fn cmp(&self, i: usize, j: usize) -> Ordering {
        match self {
            KeyCol::Num(x) => bits(x[i]).cmp(&bits(x[j])),
            KeyCol::Text(x) => x[i].cmp(&x[j]),
        }
    }
    fn key_string(&self, i: usize) -> String {
        match self {
            KeyCol::Num(x) => {
                let v = x[i];
                if v.fract() == 0.0 && v.abs() < 9.0e15 {
                    format!("{}", v as i64)
                } else {
                    format!("{v}")
                }
            }
            KeyCol::Text(x) => x[i].clone(),
        }
    }
}

fn key_col<'a>(c: Column<'a>) -> KeyCol<'a> {
    match c {
        Column::Num(x) => KeyCol::Num(x),
        Column::Text(x) => KeyCol::Text(x),
    }
}

/// Rows grouped by key: the groups of at least `min` rows, each member with its payload, in ascending row
/// order, flattened (`members[starts[g]..starts[g + 1]]`), groups in a fixed order.
///
/// A key is a 64-bit hash (partitioning and table slot) and a value `K` compared for equality. When `K`
/// holds the key's exact bits, the groups are exact; when it holds a hash of the key (text), groups are
/// candidates whose members' keys the caller compares (a collision can only merge groups, which raises
/// counts, so no real group of `min` rows is ever missed).
struct Groups<P> {
    members: Vec<(u32, P)>,
    starts: Vec<usize>,
}

impl<P> Groups<P> {
    fn len(&self) -> usize {
        self.starts.len() - 1
    }
    fn group(&self, g: usize) -> &[(u32, P)] {
        &self.members[self.starts[g]..self.starts[g + 1]]
    }
}

/// Rows per block of the partitioning pass (fixed, so the result does not depend on the thread count).
const BLOCK: usize = 1 << 16;

/// Groups the rows by key (`key(i)` None = row skipped): radix partitioning on the top hash bits (a
/// counting sort per block of rows, then each partition read from every block in block order, which keeps
/// it in row order) and a cache-resident open-addressing count table per partition. No row is read at
/// random: keys and payloads travel with the entries.
fn group_rows<K, P, F, H>(n: usize, key: F, hash: H, min: usize) -> Groups<P>
where
    K: Copy + Eq + Default + Send + Sync,
    P: Copy + Default + Send + Sync,
    F: Fn(usize) -> Option<(K, P)> + Sync,
    H: Fn(K) -> u64 + Sync,
{
    let min = min.max(1);
    // 2^pbits partitions of ~8k rows each, at most 1024.
    let pbits = ((n / 8192).max(1).ilog2() + 1).min(10);
    let parts = 1usize << pbits;
    let shift = 64 - pbits;
    // The hash is recomputed from the key where needed rather than stored: entries stay small.
    type Entry<K, P> = (K, u32, P);
    // A block's entries ordered by partition, with the partition offsets.
    type Block<K, P> = (Vec<Entry<K, P>>, Vec<u32>);
    // A partition's groups: members and group starts.
    type PartGroups<P> = (Vec<(u32, P)>, Vec<usize>);
    let blocks: Vec<Block<K, P>> = (0..n.div_ceil(BLOCK))
        .into_par_iter()
        .map_init(Vec::new, |scratch: &mut Vec<(u32, Entry<K, P>)>, b| {
            let lo = b * BLOCK;
            let hi = (lo + BLOCK).min(n);
            // One pass computes each row's key once (into per-thread scratch) and the histogram; a
            // counting-sort scatter then orders the block by partition.
            scratch.clear();
            let mut off = vec![0u32; parts + 1];
            for i in lo..hi {
                if let Some((k, pay)) = key(i) {
                    let p = (hash(k) >> shift) as u32;
                    off[p as usize + 1] += 1;
                    scratch.push((p, (k, i as u32, pay)));
                }
            }
            for p in 0..parts {
                off[p + 1] += off[p];
            }
            let mut next = off.clone();
            let mut out = vec![(K::default(), 0u32, P::default()); scratch.len()];
            for &(p, e) in scratch.iter() {
                out[next[p as usize] as usize] = e;
                next[p as usize] += 1;
            }
            (out, off)
        })
        .collect();
    // Per-thread scratch (count table, entry slots, group cursors), reused across partitions.
    type Scratch<K> = (Vec<(u64, K, u32)>, Vec<u32>, Vec<u32>);
    let per_part: Vec<PartGroups<P>> = (0..parts)
        .into_par_iter()
        .map_init(
            || -> Scratch<K> { (Vec::new(), Vec::new(), Vec::new()) },
            |(table, slots, cursor), p| {
                let entries = || {
                    blocks
                        .iter()
                        .flat_map(move |(e, off)| e[off[p] as usize..off[p + 1] as usize].iter())
                };
                let len: usize = blocks
                    .iter()
                    .map(|(_, off)| (off[p + 1] - off[p]) as usize)
                    .sum();
                let mut members = Vec::new();
                let mut starts = Vec::new();
                if len < min {
                    return (members, starts);
                }
                let cap = (2 * len).next_power_of_two();
                let mask = cap - 1;
                // slot: (hash, key, count); count 0 = empty. `slots[e]` = the slot of the partition's e-th entry.
                table.clear();
                table.resize(cap, (0u64, K::default(), 0u32));
                slots.clear();
                for &(k, _, _) in entries() {
                    let h = hash(k);
                    let mut s = (h as usize) & mask;
                    while table[s].2 != 0 && (table[s].0 != h || table[s].1 != k) {
                        s = (s + 1) & mask;
                    }
                    table[s].0 = h;
                    table[s].1 = k;
                    table[s].2 += 1;
                    slots.push(s as u32);
                }
                // Groups in order of their first member; the count of a slot becomes its group's fill cursor.
                cursor.clear();
                cursor.resize(cap, u32::MAX);
                let mut total = 0usize;
                for &s in slots.iter() {
                    let s = s as usize;
                    if table[s].2 as usize >= min && cursor[s] == u32::MAX {
                        cursor[s] = total as u32;
                        starts.push(total);
                        total += table[s].2 as usize;
                    }
                }
                if total == 0 {
                    return (members, starts);
                }
                members.resize(total, (0u32, P::default()));
                for (&s, &(_, i, pay)) in slots.iter().zip(entries()) {
                    let c = &mut cursor[s as usize];
                    if *c != u32::MAX {
                        members[*c as usize] = (i, pay);
                        *c += 1;
                    }
                }
                (members, starts)
            },
        )
        .collect();
    let total: usize = per_part.iter().map(|(m, _)| m.len()).sum();
    let mut members = Vec::with_capacity(total);
    let mut starts = Vec::new();
    for (m, s) in per_part {
        let base = members.len();
        starts.extend(s.iter().map(|x| x + base));
        members.extend_from_slice(&m);
    }
    starts.push(members.len());
    Groups { members, starts }
}

// ---------------------------------------------------------------------------------------------------
// Rule evaluation. A row-wise rule is a closure that sets its bit in a chunk of the `failed` masks; a
// grouping rule gives the sorted list of its failed rows.

/// Sets `bit` in `out[k]` for every row `base + k` of the chunk for which the rule fails.
type ChunkFn<'a> = Box<dyn Fn(usize, &mut [u64], u64) + Send + Sync + 'a>;

enum Eval<'a> {
    Chunk(ChunkFn<'a>),
    Rows(Vec<u32>),
    Nothing,
}

fn rowwise<'a, F: Fn(usize) -> bool + Send + Sync + 'a>(f: F) -> Eval<'a> {
    Eval::Chunk(Box::new(move |base, out, bit| {
        for (k, o) in out.iter_mut().enumerate() {
            *o |= (f(base + k) as u64) * bit;
        }
    }))
}

fn out_of_scale<'a>(r: &OutOfScaleRule, t: &ResponseTable<'a>) -> Result<Eval<'a>> {
    let cols: Vec<&'a [f64]> = r
        .columns
        .iter()
        .map(|c| t.num(&r.id, c))
        .collect::<Result<_>>()?;
    let (lo, hi, int) = (r.min, r.max, r.integer);
    Ok(Eval::Chunk(Box::new(move |base, out, bit| {
        for col in &cols {
            let x = &col[base..base + out.len()];
            for (o, &v) in out.iter_mut().zip(x) {
                // NaN is missing, not out of scale; ±inf fails the range check.
                let bad = !v.is_nan()
                    && (v < lo || v > hi || (int && v.abs() < 9.0e18 && (v as i64) as f64 != v));
                *o |= (bad as u64) * bit;
            }
        }
    })))
}

/// Runs `f` over the groups in parallel (fixed slices of groups; `f` gets a scratch vector) and
/// concatenates the failed rows it reports, sorted.
fn over_groups<P, F>(groups: &Groups<P>, f: F) -> Vec<u32>
where
    P: Copy + Send + Sync,
    F: Fn(&[(u32, P)], &mut Vec<(u32, P)>, &mut Vec<u32>) + Sync,
{
    const G: usize = 4096;
    let parts: Vec<Vec<u32>> = (0..groups.len().div_ceil(G))
        .into_par_iter()
        .map(|c| {
            let mut out = Vec::new();
            let mut scratch = Vec::new();
            for g in c * G..((c + 1) * G).min(groups.len()) {
                f(groups.group(g), &mut scratch, &mut out);
            }
            out
        })
        .collect();
    let mut rows: Vec<u32> = parts.concat();
    rows.par_sort_unstable();
    rows
}

/// The exact bits of a numeric key, or a hash of a text key.
#[inline]
fn key_bits(c: KeyCol, i: usize) -> u64 {
    match c {
        KeyCol::Num(x) => bits(x[i]),
        KeyCol::Text(x) => text_hash(&x[i]),
    }
}

fn duplicates<'a>(r: &DuplicateRule, t: &ResponseTable<'a>) -> Result<Eval<'a>> {
    let cust = key_col(t.col(&r.id, &r.customer)?);
    let surv = match &r.survey {
        Some(s) => Some(key_col(t.col(&r.id, s)?)),
        None => None,
    };
    let ts = t.num(&r.id, &r.timestamp)?;
    let window = r.window_days * DAY;
    // Numeric keys travel as their exact bits, so their groups are exact; text keys as hashes, whose
    // groups are split by the actual text below.
    let exact = matches!(cust, KeyCol::Num(_)) && !matches!(surv, Some(KeyCol::Text(_)));
    let groups = group_rows(
        t.n,
        |i| {
            if cust.missing(i) || ts[i].is_nan() || surv.is_some_and(|s| s.missing(i)) {
                return None;
            }
            Some((
                (key_bits(cust, i), surv.map_or(0, |s| key_bits(s, i))),
                ts[i],
            ))
        },
        |k: (u64, u64)| mix(mix(0, k.0), k.1),
        2,
    );
    let keep = r.keep;
    let same = |i: usize, j: usize| {
        cust.cmp(i, j) == Ordering::Equal && surv.is_none_or(|s| s.cmp(i, j) == Ordering::Equal)
    };
    let flag = |grp: &[(u32, f64)], out: &mut Vec<u32>| match keep {
        KeepPolicy::First => {
            let mut anchor = grp[0].1;
            for &(i, t) in &grp[1..] {
                if t - anchor <= window {
                    out.push(i);
                } else {
                    anchor = t;
                }
            }
        }
        KeepPolicy::Last => {
            let mut anchor = grp[grp.len() - 1].1;
            for &(i, t) in grp[..grp.len() - 1].iter().rev() {
                if anchor - t <= window {
                    out.push(i);
                } else {
                    anchor = t;
                }
            }
        }
    };
    let rows = over_groups(&groups, |members, run, out| {
        run.clear();
        run.extend_from_slice(members);
        if exact {
            // Members are in row order: a stable sort by time breaks ties by row.
            run.sort_by(|a, b| a.1.total_cmp(&b.1));
            flag(run, out);
            return;
        }
        // Text keys: exact keys first, then time, then row.
        run.sort_by(|&(i, ti), &(j, tj)| {
            let (i, j) = (i as usize, j as usize);
            cust.cmp(i, j)
                .then_with(|| surv.map_or(Ordering::Equal, |s| s.cmp(i, j)))
                .then_with(|| ti.total_cmp(&tj))
                .then_with(|| i.cmp(&j))
        });
        let mut g = 0;
        while g < run.len() {
            let mut h = g + 1;
            while h < run.len() && same(run[g].0 as usize, run[h].0 as usize) {
                h += 1;
            }
            flag(&run[g..h], out);
            g = h;
        }
    });
    Ok(Eval::Rows(rows))
}

fn straight_liners<'a>(r: &StraightLinerRule, t: &ResponseTable<'a>) -> Result<Eval<'a>> {
    let cols: Vec<&'a [f64]> = r
        .columns
        .iter()
        .map(|c| t.num(&r.id, c))
        .collect::<Result<_>>()?;
    let k = r.min_items;
    Ok(Eval::Chunk(Box::new(move |base, out, bit| {
        let len = out.len();
        let mut first = vec![f64::NAN; len];
        let mut count = vec![0usize; len];
        let mut equal = vec![true; len];
        for col in &cols {
            let x = &col[base..base + len];
            for i in 0..len {
                let v = x[i];
                if v.is_nan() {
                    continue;
                }
                if count[i] == 0 {
                    first[i] = v;
                } else if v != first[i] {
                    equal[i] = false;
                }
                count[i] += 1;
            }
        }
        for i in 0..len {
            out[i] |= ((equal[i] && count[i] >= k) as u64) * bit;
        }
    })))
}

fn impossible<'a>(r: &ImpossibleTimestampsRule, t: &ResponseTable<'a>) -> Result<Eval<'a>> {
    let s = t.num(&r.id, &r.started)?;
    let c = t.num(&r.id, &r.completed)?;
    let as_of = match &r.as_of {
        Some(a) => parse_instant("as_of", a)?,
        None => f64::INFINITY,
    };
    // NaN comparisons are false: a missing timestamp is never impossible.
    Ok(rowwise(move |i| {
        c[i] < s[i] || s[i] > as_of || c[i] > as_of
    }))
}

fn identical_vectors<'a>(r: &IdenticalVectorsRule, t: &ResponseTable<'a>) -> Result<Eval<'a>> {
    let cols: Vec<&[f64]> = r
        .columns
        .iter()
        .map(|c| t.num(&r.id, c))
        .collect::<Result<_>>()?;
    let min = usize::try_from(r.min_count).unwrap_or(usize::MAX);
    // Grouped by a hash of the answers (candidates), then checked answer by answer.
    let groups = group_rows(
        t.n,
        |i| {
            // One multiply per answer, one finaliser per row (the top bits pick the partition).
            let mut h = 0u64;
            let mut any = false;
            for c in &cols {
                h = (h.rotate_left(23) ^ bits(c[i])).wrapping_mul(0x9E37_79B9_7F4A_7C15);
                any |= !c[i].is_nan();
            }
            any.then_some((mix(h, 0), ()))
        },
        |h: u64| h,
        min,
    );
    let cmp = |i: usize, j: usize| {
        for c in &cols {
            let o = bits(c[i]).cmp(&bits(c[j]));
            if o != Ordering::Equal {
                return o;
            }
        }
        Ordering::Equal
    };
    let rows = over_groups(&groups, |members, run, out| {
        let first = members[0].0 as usize;
        if members[1..]
            .iter()
            .all(|&(k, _)| cmp(first, k as usize) == Ordering::Equal)
        {
            out.extend(members.iter().map(|m| m.0));
            return;
        }
        // A hash collision: split the candidate group by the exact answers.
        run.clear();
        run.extend_from_slice(members);
        run.sort_by(|&(i, _), &(j, _)| cmp(i as usize, j as usize).then(i.cmp(&j)));
        let mut g = 0;
        while g < run.len() {
            let mut h = g + 1;
            while h < run.len() && cmp(run[g].0 as usize, run[h].0 as usize) == Ordering::Equal {
                h += 1;
            }
            if h - g >= min {
                out.extend(run[g..h].iter().map(|m| m.0));
            }
            g = h;
        }
    });
    Ok(Eval::Rows(rows))
}

fn is_flag_text(s: &str) -> bool {
    matches!(
        s.trim().to_ascii_lowercase().as_str(),
        "true" | "yes" | "y" | "1" | "t"
    )
}

fn domain_matches(email: &str, domains: &[String]) -> bool {
    // An address gives its domain after the last `@`; a value without `@` is a domain already.
    let d = match email.rfind('@') {
        Some(at) => &email[at + 1..],
        None => email,
    };
    let d = d.trim().to_lowercase();
    if d.is_empty() {
        return false;
    }
    domains.iter().any(|x| {
        d == *x
            || (d.len() > x.len()
                && d.ends_with(x.as_str())
                && d.as_bytes()[d.len() - x.len() - 1] == b'.')
    })
}

fn test_entries<'a>(r: &TestEntriesRule, t: &ResponseTable<'a>) -> Result<Eval<'a>> {
    let flag = match &r.flag {
        Some(f) => Some(t.col(&r.id, f)?),
        None => None,
    };
    let email = match &r.email {
        Some(e) => match t.col(&r.id, e)? {
            Column::Text(x) => Some(x),
            Column::Num(_) => {
                return Err(CxkpiError::invalid(
                    e,
                    format!("rule \"{}\" needs a text e-mail column", r.id),
                ))
            }
        },
        None => None,
    };
    let domains: Vec<String> = r
        .domains
        .iter()
        .map(|d| d.trim().trim_start_matches('@').to_lowercase())
        .collect();
    Ok(rowwise(move |i| {
        let f = match flag {
            Some(Column::Num(x)) => !x[i].is_nan() && x[i] != 0.0,
            Some(Column::Text(x)) => is_flag_text(&x[i]),
            None => false,
        };
        f || email.is_some_and(|e| domain_matches(&e[i], &domains))
    }))
}

fn field_period<'a>(r: &FieldPeriodRule, t: &ResponseTable<'a>) -> Result<Eval<'a>> {
    let ts = t.num(&r.id, &r.timestamp)?;
    match (&r.survey, &r.periods) {
        (Some(scol), Some(periods)) => {
            let bounds: BTreeMap<String, (f64, f64)> = periods
                .iter()
                .map(|(k, p)| Ok((k.clone(), period_bounds("periods", p)?)))
                .collect::<Result<_>>()?;
            let outside = |b: Option<&(f64, f64)>, v: f64| match b {
                Some(&(a, e)) => !(v >= a && v < e),
                None => true,
            };
            match t.col(&r.id, scol)? {
                Column::Text(s) => Ok(rowwise(move |i| {
                    // A missing survey (empty text) has no declared period: outside.
                    !ts[i].is_nan()
                        && (s[i].is_empty() || outside(bounds.get(s[i].as_str()), ts[i]))
                })),
                Column::Num(s) => {
                    // A numeric survey id matches the period key that is its text form (`3` for 3.0);
                    // keyed by the id's bits: a key k matches exactly the value v with text(v) = k.
                    let by_bits: std::collections::HashMap<u64, (f64, f64)> = bounds
                        .iter()
                        .filter_map(|(k, &b)| {
                            let v: f64 = k.trim().parse().ok()?;
                            (!v.is_nan() && KeyCol::Num(&[v]).key_string(0) == *k)
                                .then_some((bits(v), b))
                        })
                        .collect();
                    Ok(rowwise(move |i| {
                        !ts[i].is_nan()
                            && (s[i].is_nan() || outside(by_bits.get(&bits(s[i])), ts[i]))
                    }))
                }
            }
        }
        _ => {
            let (a, b) = period_bounds(
                "start",
                &FieldPeriod {
                    start: r.start.clone(),
                    end: r.end.clone(),
                },
            )?;
            Ok(rowwise(move |i| {
                let v = ts[i];
                !v.is_nan() && (v < a || v >= b)
            }))
        }
    }
}

/// Order-preserving key of a non-NaN f64 (-0 taken as +0, so key order is the order of `<`).
#[inline]
fn order_key(x: f64) -> u64 {
    let b = (x + 0.0).to_bits();
    if b >> 63 == 1 {
        !b
    } else {
        b | 1 << 63
    }
}

#[inline]
fn from_order_key(k: u64) -> f64 {
    f64::from_bits(if k >> 63 == 1 { k & !(1 << 63) } else { !k })
}

/// Exact ranks of a column subset without sorting it: a histogram of the top 16 key bits (one parallel
/// pass), and the few buckets a query lands in gathered and sorted on demand.
struct RankIndex<'a> {
    d: &'a [f64],
    failed: &'a [u64],
    /// `prefix[b]` = values in buckets before `b`.
    prefix: Vec<u64>,
    buckets: BTreeMap<usize, Vec<u64>>,
}

const RANK_BITS: u32 = 16;

impl<'a> RankIndex<'a> {
    /// The values `d[i]` with `failed[i] == 0` and `d[i]` not NaN.
    fn new(d: &'a [f64], failed: &'a [u64]) -> Self {
        let nb = 1usize << RANK_BITS;
        let counts = d
            .par_chunks(CHUNK)
            .zip(failed.par_chunks(CHUNK))
            .fold(
                || vec![0u64; nb],
                |mut h, (d, f)| {
                    for (&x, &m) in d.iter().zip(f) {
                        if m == 0 && !x.is_nan() {
                            h[(order_key(x) >> (64 - RANK_BITS)) as usize] += 1;
                        }
                    }
                    h
                },
            )
            .reduce(
                || vec![0u64; nb],
                |mut a, b| {
                    a.iter_mut().zip(&b).for_each(|(x, y)| *x += y);
                    a
                },
            );
        let mut prefix = vec![0u64; nb + 1];
        for b in 0..nb {
            prefix[b + 1] = prefix[b] + counts[b];
        }
        RankIndex {
            d,
            failed,
            prefix,
            buckets: BTreeMap::new(),
        }
    }

    fn len(&self) -> usize {
        self.prefix[1 << RANK_BITS] as usize
    }

    /// The sorted keys of bucket `b`.
    fn bucket(&mut self, b: usize) -> &Vec<u64> {
        let (d, failed) = (self.d, self.failed);
        self.buckets.entry(b).or_insert_with(|| {
            let mut v: Vec<u64> = d
                .par_iter()
                .zip(failed.par_iter())
                .filter_map(|(&x, &m)| {
                    let k = order_key(x);
                    (m == 0 && !x.is_nan() && (k >> (64 - RANK_BITS)) as usize == b).then_some(k)
                })
                .collect();
            v.par_sort_unstable();
            v
        })
    }

    /// The value of rank `r` (0-based) in ascending order.
    fn rank(&mut self, r: usize) -> f64 {
        let r = r as u64;
        // The bucket b with prefix[b] <= r < prefix[b + 1].
        let b = self.prefix.partition_point(|&p| p <= r) - 1;
        let off = (r - self.prefix[b]) as usize;
        from_order_key(self.bucket(b)[off])
    }

    /// How many values are `< t`.
    fn below(&mut self, t: f64) -> usize {
        if t.is_nan() {
            return 0;
        }
        let b = (order_key(t) >> (64 - RANK_BITS)) as usize;
        let base = self.prefix[b] as usize;
        base + self.bucket(b).partition_point(|&k| from_order_key(k) < t)
    }
}

/// The fixed point of "threshold = frac x median of the values not under the threshold" (0 < frac < 1):
/// returns the final median and threshold (None and -inf for no values). The values under a threshold are
/// the lowest ranks, so every median is a rank query on the whole set ([`RankIndex`]).
fn median_fixed_point(v: &mut RankIndex, frac: f64) -> (Option<f64>, f64) {
    let n = v.len();
    if n == 0 {
        return (None, f64::NEG_INFINITY);
    }
    let mut dropped = 0usize;
    loop {
        let m_count = n - dropped;
        let m = if m_count % 2 == 1 {
            v.rank(dropped + m_count / 2)
        } else {
            let lo = v.rank(dropped + m_count / 2 - 1);
            let hi = v.rank(dropped + m_count / 2);
            lo + (hi - lo) / 2.0
        };
        let t = frac * m;
        let below = v.below(t);
        if below == dropped {
            return (Some(m), t);
        }
        dropped = below;
    }
}

/// Applies `rules` to `table`: the keep mask, per-row failed rules and totals by rule.
///
/// Every rule is evaluated on every row: the grouping rules (duplicates, identical vectors) by radix
/// partitioning of key hashes with exact key comparison inside candidate groups, the row-wise rules in one
/// sweep over row chunks (both cores); a speeder rule relative to the median is evaluated last (its median comes from the rows every other rule keeps). An
/// excluded row is accounted to the first rule it failed in declared order and lists every rule it failed.
///
/// ```
/// use cxkpi::quality::{validate, Column, ResponseTable, RuleSet};
/// let rules = RuleSet::from_json(r#"{"rules": [
///   {"id": "dups", "kind": "duplicate", "customer": "cust", "timestamp": "ts", "window_days": 7}]}"#).unwrap();
/// let cust = [1.0, 1.0, 2.0, 1.0];
/// let ts = [0.0, 86400.0, 0.0, 10.0 * 86400.0];
/// let mut t = ResponseTable::new(4);
/// t.add("cust", Column::Num(&cust)).unwrap();
/// t.add("ts", Column::Num(&ts)).unwrap();
/// let v = validate(&rules, &t).unwrap();
/// assert_eq!(v.keep, vec![true, false, true, true]); // day 1 repeats day 0; day 10 opens a new window
/// ```
pub fn validate(rules: &RuleSet, table: &ResponseTable) -> Result<Validation> {
    rules.validate()?;
    let n = table.n;
    if n > u32::MAX as usize {
        return Err(CxkpiError::invalid(
            "table",
            format!("at most {} rows are supported, got {n}", u32::MAX),
        ));
    }
    let nr = rules.rules.len();
    // Pass 1: every rule except the relative speeder part. Grouping rules run here (in parallel with each
    // other); row-wise rules only check their columns and return their chunk closure.
    let evals: Vec<Eval> = rules
        .rules
        .par_iter()
        .map(|rule| match rule {
            Rule::OutOfScale(r) => out_of_scale(r, table),
            Rule::Duplicate(r) => duplicates(r, table),
            Rule::Speeder(r) => {
                let d = table.num(&r.id, &r.duration)?;
                Ok(match r.min_seconds {
                    Some(s) => rowwise(move |i| d[i] < s),
                    None => Eval::Nothing,
                })
            }
            Rule::StraightLiner(r) => straight_liners(r, table),
            Rule::ImpossibleTimestamps(r) => impossible(r, table),
            Rule::IdenticalVectors(r) => identical_vectors(r, table),
            Rule::TestEntries(r) => test_entries(r, table),
            Rule::FieldPeriod(r) => field_period(r, table),
        })
        .collect::<Result<_>>()?;
    // Pass 2: one sweep over row chunks sets the bits of every row-wise rule.
    let mut failed = vec![0u64; n];
    failed
        .par_chunks_mut(CHUNK)
        .enumerate()
        .for_each(|(c, chunk)| {
            for (r, e) in evals.iter().enumerate() {
                if let Eval::Chunk(f) = e {
                    f(c * CHUNK, chunk, 1u64 << r);
                }
            }
        });
    for (r, e) in evals.iter().enumerate() {
        if let Eval::Rows(rows) = e {
            for &i in rows {
                failed[i as usize] |= 1u64 << r;
            }
        }
    }
    drop(evals);
    let mut medians = vec![None; nr];
    let mut thresholds: Vec<Option<f64>> = vec![None; nr];
    for (ri, rule) in rules.rules.iter().enumerate() {
        if let Rule::Speeder(r) = rule {
            thresholds[ri] = r.min_seconds;
            let Some(frac) = r.min_fraction_of_median else {
                continue;
            };
            let d = table.num(&r.id, &r.duration)?;
            // Fixed point: S = rows kept by every rule (this one's absolute part included), not under t.
            let (med, t) = median_fixed_point(&mut RankIndex::new(d, &failed), frac);
            medians[ri] = med;
            if let Some(m) = med {
                let th = frac * m;
                thresholds[ri] = Some(match r.min_seconds {
                    Some(a) => a.max(th),
                    None => th,
                });
                let bit = 1u64 << ri;
                failed
                    .par_chunks_mut(CHUNK)
                    .zip(d.par_chunks(CHUNK))
                    .for_each(|(chunk, d)| {
                        for (f, &x) in chunk.iter_mut().zip(d) {
                            *f |= ((x < t) as u64) * bit;
                        }
                    });
            }
        }
    }
    // Keep mask and the per-rule counts, per chunk; integer sums in chunk order.
    let mut keep = vec![false; n];
    let counts: Vec<(Vec<u64>, Vec<u64>, u64)> = keep
        .par_chunks_mut(CHUNK)
        .zip(failed.par_chunks(CHUNK))
        .map(|(k, f)| {
            let mut n_failed = vec![0u64; nr];
            let mut n_first = vec![0u64; nr];
            let mut kept = 0u64;
            for (k, &m) in k.iter_mut().zip(f) {
                *k = m == 0;
                if m == 0 {
                    kept += 1;
                    continue;
                }
                n_first[m.trailing_zeros() as usize] += 1;
                let mut b = m;
                while b != 0 {
                    n_failed[b.trailing_zeros() as usize] += 1;
                    b &= b - 1;
                }
            }
            (n_failed, n_first, kept)
        })
        .collect();
    let mut n_failed = vec![0u64; nr];
    let mut n_first = vec![0u64; nr];
    let mut n_kept = 0u64;
    for (a, b, k) in counts {
        for r in 0..nr {
            n_failed[r] += a[r];
            n_first[r] += b[r];
        }
        n_kept += k;
    }
    let totals = rules
        .rules
        .iter()
        .enumerate()
        .map(|(i, r)| RuleTotal {
            rule: r.id().to_string(),
            kind: r.kind().to_string(),
            n_failed: n_failed[i],
            n_excluded: n_first[i],
            median: medians[i],
            threshold: thresholds[i],
        })
        .collect();
    Ok(Validation {
        rules: rules.rules.iter().map(|r| r.id().to_string()).collect(),
        n_rows: n as u64,
        n_kept,
        n_excluded: n as u64 - n_kept,
        keep,
        failed,
        totals,
        attribution: "first_in_declared_order".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants() {
        assert_eq!(parse_instant("x", "1970-01-02").unwrap(), 86400.0);
        assert_eq!(parse_instant("x", "1970-01-01T01:00:00Z").unwrap(), 3600.0);
        assert!(parse_instant("x", "yesterday").is_err());
    }

    #[test]
    fn domains() {
        let d = vec!["acme.com".to_string()];
        assert!(domain_matches("a@ACME.com", &d));
        assert!(domain_matches("a@qa.acme.com", &d));
        assert!(!domain_matches("a@notacme.com", &d));
        assert!(domain_matches("acme.com", &d)); // a domain column
        assert!(!domain_matches("", &d));
    }

    #[test]
    fn unknown_field_rejected() {
        let e = RuleSet::from_json(
            r#"{"rules": [{"id": "a", "kind": "out_of_scale", "columns": ["x"], "min": 0, "max": 1, "bogus": 1}]}"#,
        )
        .unwrap_err();
        assert_eq!(e.kind(), "invalid_argument");
    }

    #[test]
    fn median_fixed_point() {
        // durations 10, 100, 110, 120, 130; frac 0.5: median of all = 110 -> t = 55 drops 10;
        // median of {100..130} = 115 -> t = 57.5, nothing more dropped.
        let d = [10.0, 100.0, 110.0, 120.0, 130.0];
        let mut t = ResponseTable::new(5);
        t.add("d", Column::Num(&d)).unwrap();
        let rs = RuleSet::from_json(
            r#"{"rules": [{"id": "s", "kind": "speeder", "duration": "d", "min_fraction_of_median": 0.5}]}"#,
        )
        .unwrap();
        let v = validate(&rs, &t).unwrap();
        assert_eq!(v.totals[0].median, Some(115.0));
        assert_eq!(v.totals[0].threshold, Some(57.5));
        assert_eq!(v.keep, vec![false, true, true, true, true]);
    }
}
