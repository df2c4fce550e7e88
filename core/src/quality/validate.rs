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
    fn hash(&self, h: u64, i: usize) -> u64 {
        match self {
            KeyCol::Num(x) => mix(h, bits(x[i])),
            KeyCol::Text(x) => mix(h, text_hash(&x[i])),
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

/// Sorts (hash, row) pairs: one counting pass on the top 16 hash bits, a scatter, then the buckets sorted in
/// parallel (cache-sized, so this beats a comparison sort of the whole vector).
fn sort_keys(keys: &mut Vec<(u64, u32)>) {
    const BITS: u32 = 16;
    if keys.len() < 1 << 16 {
        keys.sort_unstable();
        return;
    }
    let mut counts = vec![0usize; 1 << BITS];
    for k in keys.iter() {
        counts[(k.0 >> (64 - BITS)) as usize] += 1;
    }
    let mut starts = vec![0usize; (1 << BITS) + 1];
    for b in 0..1 << BITS {
        starts[b + 1] = starts[b] + counts[b];
    }
    let mut next = starts.clone();
    let mut out = vec![(0u64, 0u32); keys.len()];
    for k in keys.iter() {
        let b = (k.0 >> (64 - BITS)) as usize;
        out[next[b]] = *k;
        next[b] += 1;
    }
    // Split `out` into the bucket slices and sort each.
    let mut slices: Vec<&mut [(u64, u32)]> = Vec::with_capacity(1 << BITS);
    let mut rest: &mut [(u64, u32)] = &mut out;
    for b in 0..1 << BITS {
        let (head, tail) = rest.split_at_mut(counts[b]);
        slices.push(head);
        rest = tail;
    }
    slices.par_iter_mut().for_each(|s| s.sort_unstable());
    *keys = out;
}

// ---------------------------------------------------------------------------------------------------
// Rule evaluation: each returns a failed mask (1 = failed).

fn rowwise<F: Fn(usize) -> bool + Sync>(n: usize, f: F) -> Vec<bool> {
    let mut out = vec![false; n];
    out.par_chunks_mut(CHUNK)
        .enumerate()
        .for_each(|(c, chunk)| {
            let base = c * CHUNK;
            for (k, o) in chunk.iter_mut().enumerate() {
                *o = f(base + k);
            }
        });
    out
}

fn out_of_scale(r: &OutOfScaleRule, t: &ResponseTable) -> Result<Vec<bool>> {
    let cols: Vec<&[f64]> = r
        .columns
        .iter()
        .map(|c| t.num(&r.id, c))
        .collect::<Result<_>>()?;
    let (lo, hi, int) = (r.min, r.max, r.integer);
    let mut out = vec![false; t.n];
    out.par_chunks_mut(CHUNK)
        .enumerate()
        .for_each(|(c, chunk)| {
            let base = c * CHUNK;
            for col in &cols {
                let x = &col[base..base + chunk.len()];
                for (o, &v) in chunk.iter_mut().zip(x) {
                    // NaN is missing, not out of scale; ±inf fails the range check.
                    let bad = !v.is_nan()
                        && (v < lo
                            || v > hi
                            || (int && v.abs() < 9.0e18 && (v as i64) as f64 != v));
                    *o |= bad;
                }
            }
        });
    Ok(out)
}

fn duplicates(r: &DuplicateRule, t: &ResponseTable) -> Result<Vec<bool>> {
    let cust = key_col(t.col(&r.id, &r.customer)?);
    let surv = match &r.survey {
        Some(s) => Some(key_col(t.col(&r.id, s)?)),
        None => None,
    };
    let ts = t.num(&r.id, &r.timestamp)?;
    let window = r.window_days * DAY;
    let n = t.n;
    let mut keys: Vec<(u64, u32)> = (0..n)
        .into_par_iter()
        .filter_map(|i| {
            if cust.missing(i) || ts[i].is_nan() || surv.is_some_and(|s| s.missing(i)) {
                return None;
            }
            let mut h = cust.hash(0, i);
            if let Some(s) = surv {
                h = s.hash(h, i);
            }
            Some((h, i as u32))
        })
        .collect();
    sort_keys(&mut keys);
    let mut out = vec![false; n];
    let mut run: Vec<usize> = Vec::new();
    let mut a = 0;
    while a < keys.len() {
        let mut b = a + 1;
        while b < keys.len() && keys[b].0 == keys[a].0 {
            b += 1;
        }
        if b - a > 1 {
            run.clear();
            run.extend(keys[a..b].iter().map(|k| k.1 as usize));
            run.sort_by(|&i, &j| {
                cust.cmp(i, j)
                    .then_with(|| surv.map_or(Ordering::Equal, |s| s.cmp(i, j)))
                    .then_with(|| ts[i].total_cmp(&ts[j]))
                    .then_with(|| i.cmp(&j))
            });
            let same = |i: usize, j: usize| {
                cust.cmp(i, j) == Ordering::Equal
                    && surv.is_none_or(|s| s.cmp(i, j) == Ordering::Equal)
            };
            let mut g = 0;
            while g < run.len() {
                let mut h = g + 1;
                while h < run.len() && same(run[g], run[h]) {
                    h += 1;
                }
                let grp = &run[g..h];
                match r.keep {
                    KeepPolicy::First => {
                        let mut anchor = ts[grp[0]];
                        for &i in &grp[1..] {
                            if ts[i] - anchor <= window {
                                out[i] = true;
                            } else {
                                anchor = ts[i];
                            }
                        }
                    }
                    KeepPolicy::Last => {
                        let mut anchor = ts[grp[grp.len() - 1]];
                        for &i in grp[..grp.len() - 1].iter().rev() {
                            if anchor - ts[i] <= window {
                                out[i] = true;
                            } else {
                                anchor = ts[i];
                            }
                        }
                    }
                }
                g = h;
            }
        }
        a = b;
    }
    Ok(out)
}

fn straight_liners(r: &StraightLinerRule, t: &ResponseTable) -> Result<Vec<bool>> {
    let cols: Vec<&[f64]> = r
        .columns
        .iter()
        .map(|c| t.num(&r.id, c))
        .collect::<Result<_>>()?;
    let k = r.min_items;
    let mut out = vec![false; t.n];
    out.par_chunks_mut(CHUNK)
        .enumerate()
        .for_each(|(c, chunk)| {
            let base = c * CHUNK;
            let len = chunk.len();
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
                chunk[i] = equal[i] && count[i] >= k;
            }
        });
    Ok(out)
}

fn impossible(r: &ImpossibleTimestampsRule, t: &ResponseTable) -> Result<Vec<bool>> {
    let s = t.num(&r.id, &r.started)?;
    let c = t.num(&r.id, &r.completed)?;
    let as_of = match &r.as_of {
        Some(a) => parse_instant("as_of", a)?,
        None => f64::INFINITY,
    };
    // NaN comparisons are false: a missing timestamp is never impossible.
    Ok(rowwise(t.n, |i| {
        c[i] < s[i] || s[i] > as_of || c[i] > as_of
    }))
}

fn identical_vectors(r: &IdenticalVectorsRule, t: &ResponseTable) -> Result<Vec<bool>> {
    let cols: Vec<&[f64]> = r
        .columns
        .iter()
        .map(|c| t.num(&r.id, c))
        .collect::<Result<_>>()?;
    let n = t.n;
    let mut keys: Vec<(u64, u32)> = vec![(0, 0); n];
    keys.par_chunks_mut(CHUNK)
        .enumerate()
        .for_each(|(c, chunk)| {
            let base = c * CHUNK;
            for (k, o) in chunk.iter_mut().enumerate() {
                *o = (0, (base + k) as u32);
            }
            let mut any = vec![false; chunk.len()];
            for col in &cols {
                let x = &col[base..base + chunk.len()];
                for (k, o) in chunk.iter_mut().enumerate() {
                    o.0 = mix(o.0, bits(x[k]));
                    any[k] |= !x[k].is_nan();
                }
            }
            for (k, o) in chunk.iter_mut().enumerate() {
                if !any[k] {
                    o.0 = u64::MAX; // all missing: marked, skipped below
                }
            }
        });
    keys.retain(|k| {
        k.0 != u64::MAX || {
            let i = k.1 as usize;
            cols.iter().any(|c| !c[i].is_nan())
        }
    });
    sort_keys(&mut keys);
    let min = r.min_count as usize;
    let mut out = vec![false; n];
    let cmp = |i: usize, j: usize| {
        for c in &cols {
            let o = bits(c[i]).cmp(&bits(c[j]));
            if o != Ordering::Equal {
                return o;
            }
        }
        Ordering::Equal
    };
    let mut run: Vec<usize> = Vec::new();
    let mut a = 0;
    while a < keys.len() {
        let mut b = a + 1;
        while b < keys.len() && keys[b].0 == keys[a].0 {
            b += 1;
        }
        if b - a >= min {
            let first = keys[a].1 as usize;
            if keys[a + 1..b]
                .iter()
                .all(|k| cmp(first, k.1 as usize) == Ordering::Equal)
            {
                for k in &keys[a..b] {
                    out[k.1 as usize] = true;
                }
                a = b;
                continue;
            }
            run.clear();
            run.extend(keys[a..b].iter().map(|k| k.1 as usize));
            run.sort_by(|&i, &j| cmp(i, j).then(i.cmp(&j)));
            let mut g = 0;
            while g < run.len() {
                let mut h = g + 1;
                while h < run.len() && cmp(run[g], run[h]) == Ordering::Equal {
                    h += 1;
                }
                if h - g >= min {
                    for &i in &run[g..h] {
                        out[i] = true;
                    }
                }
                g = h;
            }
        }
        a = b;
    }
    Ok(out)
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

fn test_entries(r: &TestEntriesRule, t: &ResponseTable) -> Result<Vec<bool>> {
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
    Ok(rowwise(t.n, |i| {
        let f = match flag {
            Some(Column::Num(x)) => !x[i].is_nan() && x[i] != 0.0,
            Some(Column::Text(x)) => is_flag_text(&x[i]),
            None => false,
        };
        f || email.is_some_and(|e| domain_matches(&e[i], &domains))
    }))
}

fn field_period(r: &FieldPeriodRule, t: &ResponseTable) -> Result<Vec<bool>> {
    let ts = t.num(&r.id, &r.timestamp)?;
    match (&r.survey, &r.periods) {
        (Some(scol), Some(periods)) => {
            let s = key_col(t.col(&r.id, scol)?);
            let bounds: BTreeMap<&str, (f64, f64)> = periods
                .iter()
                .map(|(k, p)| Ok((k.as_str(), period_bounds("periods", p)?)))
                .collect::<Result<_>>()?;
            // Per-row lookups go through a small cache of the survey key strings.
            let mut out = vec![false; t.n];
            for i in 0..t.n {
                if ts[i].is_nan() {
                    continue;
                }
                out[i] = if s.missing(i) {
                    true
                } else {
                    match bounds.get(s.key_string(i).as_str()) {
                        Some(&(a, b)) => !(ts[i] >= a && ts[i] < b),
                        None => true,
                    }
                };
            }
            Ok(out)
        }
        _ => {
            let (a, b) = period_bounds(
                "start",
                &FieldPeriod {
                    start: r.start.clone(),
                    end: r.end.clone(),
                },
            )?;
            Ok(rowwise(t.n, |i| {
                let v = ts[i];
                !v.is_nan() && (v < a || v >= b)
            }))
        }
    }
}

/// The fixed point of "threshold = frac x median of the values not under the threshold" (0 < frac < 1):
/// returns the final median and threshold (None and -inf for no values).
///
/// One selection splits the values at the overall median; the thresholds stay below the medians, which
/// only rise, so every later median lies in the upper part, of which a prefix is sorted on demand.
fn median_fixed_point(mut v: Vec<f64>, frac: f64) -> (Option<f64>, f64) {
    let n = v.len();
    if n == 0 {
        return (None, f64::NEG_INFINITY);
    }
    let half = n / 2;
    v.select_nth_unstable_by(half, |a, b| a.total_cmp(b));
    let max_left = v[..half].iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut done = half + 1; // v[half..done] is sorted and <= v[done..]
    let mut rank = |v: &mut Vec<f64>, r: usize| -> f64 {
        if r < half {
            return max_left; // only r = half - 1 is ever asked for
        }
        if r >= done {
            let want = (r + 1 + (r + 1 - half).max(4096)).min(n);
            v[done..].select_nth_unstable_by(want - done - 1, |a, b| a.total_cmp(b));
            v[done..want].sort_unstable_by(|a, b| a.total_cmp(b));
            done = want;
        }
        v[r]
    };
    let mut dropped = 0usize;
    loop {
        let m_count = n - dropped;
        let m = if m_count % 2 == 1 {
            rank(&mut v, dropped + m_count / 2)
        } else {
            let lo = rank(&mut v, dropped + m_count / 2 - 1);
            let hi = rank(&mut v, dropped + m_count / 2);
            lo + (hi - lo) / 2.0
        };
        let t = frac * m;
        let below = v.par_iter().filter(|&&x| x < t).count();
        if below == dropped {
            return (Some(m), t);
        }
        dropped = below;
    }
}

/// Applies `rules` to `table`: the keep mask, per-row failed rules and totals by rule.
///
/// Every rule is evaluated on every row (one columnar pass per rule, rules in parallel); a speeder rule
/// relative to the median is evaluated last (its median comes from the rows every other rule keeps). An
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
    // Pass 1: every rule except the relative speeder part.
    let masks: Vec<Result<Option<Vec<bool>>>> = rules
        .rules
        .par_iter()
        .map(|rule| {
            Ok(Some(match rule {
                Rule::OutOfScale(r) => out_of_scale(r, table)?,
                Rule::Duplicate(r) => duplicates(r, table)?,
                Rule::Speeder(r) => {
                    let d = table.num(&r.id, &r.duration)?;
                    match r.min_seconds {
                        Some(s) => rowwise(n, |i| d[i] < s),
                        None => vec![false; n],
                    }
                }
                Rule::StraightLiner(r) => straight_liners(r, table)?,
                Rule::ImpossibleTimestamps(r) => impossible(r, table)?,
                Rule::IdenticalVectors(r) => identical_vectors(r, table)?,
                Rule::TestEntries(r) => test_entries(r, table)?,
                Rule::FieldPeriod(r) => field_period(r, table)?,
            }))
        })
        .collect();
    let masks: Vec<Vec<bool>> = masks
        .into_iter()
        .map(|m| m.map(|x| x.expect("every rule gives a mask")))
        .collect::<Result<_>>()?;
    let mut failed = vec![0u64; n];
    failed
        .par_chunks_mut(CHUNK)
        .enumerate()
        .for_each(|(c, chunk)| {
            let base = c * CHUNK;
            for (r, m) in masks.iter().enumerate() {
                let m = &m[base..base + chunk.len()];
                for (f, &x) in chunk.iter_mut().zip(m) {
                    *f |= (x as u64) << r;
                }
            }
        });
    drop(masks);
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
            let s: Vec<f64> = (0..n)
                .into_par_iter()
                .filter(|&i| failed[i] == 0 && !d[i].is_nan())
                .map(|i| d[i])
                .collect();
            let (med, t) = median_fixed_point(s, frac);
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
                    .enumerate()
                    .for_each(|(c, chunk)| {
                        let base = c * CHUNK;
                        for (k, f) in chunk.iter_mut().enumerate() {
                            if d[base + k] < t {
                                *f |= bit;
                            }
                        }
                    });
            }
        }
    }
    let keep: Vec<bool> = failed.par_iter().map(|&f| f == 0).collect();
    let mut n_failed = vec![0u64; nr];
    let mut n_first = vec![0u64; nr];
    for &f in &failed {
        if f != 0 {
            n_first[f.trailing_zeros() as usize] += 1;
            let mut m = f;
            while m != 0 {
                n_failed[m.trailing_zeros() as usize] += 1;
                m &= m - 1;
            }
        }
    }
    let n_kept = keep.iter().filter(|&&k| k).count() as u64;
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
