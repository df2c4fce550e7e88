//! Privacy of grouped outputs: minimum group size, complementary suppression and role-based view policies.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{CxkpiError, Result};
use crate::options::{option_enum, OptionReader, Options};

option_enum! {
    /// Whether an empty cell (n = 0) is a small group.
    ZeroCells {
        /// Zero cells are published (no respondent can be identified in them) (default).
        Safe => "safe",
        /// Zero cells are suppressed like any cell under the minimum.
        Suppress => "suppress",
    }
}

impl Default for ZeroCells {
    fn default() -> Self {
        ZeroCells::Safe
    }
}

option_enum! {
    /// The status of one cell or margin after suppression.
    CellStatus {
        /// Shown.
        Published => "published",
        /// Suppressed because its group is smaller than the minimum.
        Primary => "primary",
        /// Suppressed so that a primary cell cannot be recovered from a total.
        Complementary => "complementary",
    }
}

/// Options of [`suppress_one_way`] and [`suppress_two_way`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SuppressionOptions {
    /// Cells (and margins) with fewer respondents are suppressed (default 10).
    pub min_group_size: u64,
    /// Whether to add complementary suppressions (default true).
    pub complementary: bool,
    /// Whether empty cells count as small (default `safe`: they do not).
    pub zero_cells: ZeroCells,
}

impl Default for SuppressionOptions {
    fn default() -> Self {
        SuppressionOptions {
            min_group_size: 10,
            complementary: true,
            zero_cells: ZeroCells::Safe,
        }
    }
}

impl SuppressionOptions {
    /// Checks `min_group_size >= 1`.
    pub fn validate(&self) -> Result<()> {
        if self.min_group_size == 0 {
            return Err(CxkpiError::invalid("min_group_size", "must be at least 1"));
        }
        Ok(())
    }

    /// Reads the options from an options map (`min_group_size`, `complementary`, `zero_cells`).
    pub fn from_options(o: &Options) -> Result<Self> {
        let mut r = OptionReader::new(o);
        let d = SuppressionOptions::default();
        let min = r.i64("min_group_size")?;
        let s = SuppressionOptions {
            min_group_size: match min {
                Some(m) if m < 1 => {
                    return Err(CxkpiError::invalid(
                        "min_group_size",
                        format!("{m} must be at least 1"),
                    ))
                }
                Some(m) => m as u64,
                None => d.min_group_size,
            },
            complementary: r.bool("complementary")?.unwrap_or(d.complementary),
            zero_cells: r.enumeration("zero_cells")?.unwrap_or_default(),
        };
        r.finish()?;
        s.validate()?;
        Ok(s)
    }
}

/// The outcome of a suppression: the status of every cell and margin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SuppressionResult {
    /// Cell statuses, one row per table row (a one-way table is one row).
    pub cells: Vec<Vec<CellStatus>>,
    /// The status of each row total (a one-way table: its total).
    pub row_totals: Vec<CellStatus>,
    /// The status of each column total (empty for a one-way table).
    pub column_totals: Vec<CellStatus>,
    /// The status of the grand total (null for a one-way table).
    pub grand_total: Option<CellStatus>,
    pub n_primary: u64,
    pub n_complementary: u64,
    /// Sweeps over the lines until every line was protected.
    pub iterations: u32,
    pub min_group_size: u64,
    /// Named heuristic: `line_pairs_smallest_first`.
    pub method: String,
}

impl SuppressionResult {
    /// Whether the cell at (row, col) is shown.
    pub fn published(&self, row: usize, col: usize) -> bool {
        self.cells[row][col] == CellStatus::Published
    }
}

/// Runs primary and complementary suppression on entries linked by `lines` (each line: cells whose sum is
/// its last entry, the margin). Returns the statuses and the number of sweeps.
fn suppress_lines(
    values: &[u64],
    is_margin: &[bool],
    lines: &[Vec<usize>],
    o: &SuppressionOptions,
) -> (Vec<CellStatus>, u32) {
    let k = o.min_group_size;
    let mut st: Vec<CellStatus> = values
        .iter()
        .map(|&n| {
            let small = n < k && (n > 0 || o.zero_cells == ZeroCells::Suppress);
            if small {
                CellStatus::Primary
            } else {
                CellStatus::Published
            }
        })
        .collect();
    let mut sweeps = 0;
    if !o.complementary {
        return (st, sweeps);
    }
    loop {
        sweeps += 1;
        let mut changed = false;
        for line in lines {
            let hidden = line
                .iter()
                .filter(|&&e| st[e] != CellStatus::Published)
                .count();
            if hidden != 1 {
                continue;
            }
            // The smallest published entry of the line, preferring non-empty cells, then cells over the
            // margin, then the earliest position.
            let pick = line
                .iter()
                .copied()
                .filter(|&e| st[e] == CellStatus::Published)
                .min_by_key(|&e| (values[e] == 0, values[e], is_margin[e], e))
                .expect("a line with one suppression has a published entry");
            st[pick] = CellStatus::Complementary;
            changed = true;
        }
        if !changed {
            break;
        }
    }
    (st, sweeps)
}

fn count(st: &[CellStatus], s: CellStatus) -> u64 {
    st.iter().filter(|&&x| x == s).count() as u64
}

/// Suppresses the small cells of a one-way table (`counts` per group, with its total published) and, with
/// `complementary`, the smallest other cell when exactly one cell would be hidden (else it could be
/// recovered as the total minus the shown cells).
///
/// The heuristic (`line_pairs_smallest_first`): a line (the cells and their total) must have zero or at
/// least two suppressed entries; a line with exactly one gets its smallest non-empty published entry
/// suppressed (ties: cells before the total, then the first). Empty cells are chosen only when nothing
/// else is left.
///
/// ```
/// use cxkpi::quality::{suppress_one_way, CellStatus, SuppressionOptions};
/// let r = suppress_one_way(&[40, 4, 25, 12], &SuppressionOptions::default()).unwrap();
/// assert_eq!(r.cells[0], vec![CellStatus::Published, CellStatus::Primary,
///                            CellStatus::Published, CellStatus::Complementary]);
/// ```
pub fn suppress_one_way(counts: &[u64], o: &SuppressionOptions) -> Result<SuppressionResult> {
    o.validate()?;
    if counts.is_empty() {
        return Err(CxkpiError::EmptyInput {
            arg: "counts".into(),
        });
    }
    let total: u64 = counts.iter().sum();
    let mut values = counts.to_vec();
    values.push(total);
    let mut margin = vec![false; counts.len()];
    margin.push(true);
    let lines = vec![(0..values.len()).collect::<Vec<_>>()];
    let (st, sweeps) = suppress_lines(&values, &margin, &lines, o);
    Ok(SuppressionResult {
        cells: vec![st[..counts.len()].to_vec()],
        row_totals: vec![st[counts.len()]],
        column_totals: vec![],
        grand_total: None,
        n_primary: count(&st, CellStatus::Primary),
        n_complementary: count(&st, CellStatus::Complementary),
        iterations: sweeps,
        min_group_size: o.min_group_size,
        method: "line_pairs_smallest_first".into(),
    })
}

/// Suppresses a two-way table of counts (rows of equal length) published with its row totals, column
/// totals and grand total.
///
/// The table and its margins form an (r+1) x (c+1) array whose every row and column is one additive line
/// (cells sum to the margin). Primary suppression hides every cell and margin under `min_group_size`;
/// complementary suppression then sweeps the lines (rows first, then columns, in order) and, in every line
/// with exactly one hidden entry, hides its smallest non-empty published entry (ties: cells before the
/// margin, then the first), repeating until a sweep changes nothing. Afterwards no line has exactly one
/// hidden entry, so no hidden value follows from a single row or column equation. This is a heuristic: it
/// does not audit combinations of several equations (that needs linear programming, as in tau-argus).
///
/// ```
/// use cxkpi::quality::{suppress_two_way, CellStatus, SuppressionOptions};
/// let t = vec![vec![20, 3, 15], vec![30, 25, 40]];
/// let r = suppress_two_way(&t, &SuppressionOptions::default()).unwrap();
/// assert_eq!(r.cells[0][1], CellStatus::Primary);
/// assert_eq!(r.cells[0][2], CellStatus::Complementary); // smallest other cell of row 0
/// assert_eq!(r.cells[1][1], CellStatus::Complementary); // column 1 needed a second
/// assert_eq!(r.cells[1][2], CellStatus::Complementary); // and then column 2
/// ```
pub fn suppress_two_way(table: &[Vec<u64>], o: &SuppressionOptions) -> Result<SuppressionResult> {
    o.validate()?;
    let r = table.len();
    if r == 0 || table[0].is_empty() {
        return Err(CxkpiError::EmptyInput {
            arg: "table".into(),
        });
    }
    let c = table[0].len();
    for (i, row) in table.iter().enumerate() {
        if row.len() != c {
            return Err(CxkpiError::LengthMismatch {
                arg: format!("table[{i}]"),
                len: row.len(),
                other: "table[0]".into(),
                other_len: c,
            });
        }
    }
    // Extended array, row-major (r+1) x (c+1).
    let w = c + 1;
    let mut values = vec![0u64; (r + 1) * w];
    let mut margin = vec![false; (r + 1) * w];
    for i in 0..r {
        for j in 0..c {
            let v = table[i][j];
            values[i * w + j] = v;
            values[i * w + c] += v;
            values[r * w + j] += v;
            values[r * w + c] += v;
        }
    }
    for i in 0..=r {
        margin[i * w + c] = true;
    }
    for j in 0..=c {
        margin[r * w + j] = true;
    }
    let mut lines = Vec::new();
    for i in 0..=r {
        lines.push((0..=c).map(|j| i * w + j).collect::<Vec<_>>());
    }
    for j in 0..=c {
        lines.push((0..=r).map(|i| i * w + j).collect::<Vec<_>>());
    }
    let (st, sweeps) = suppress_lines(&values, &margin, &lines, o);
    Ok(SuppressionResult {
        cells: (0..r).map(|i| st[i * w..i * w + c].to_vec()).collect(),
        row_totals: (0..r).map(|i| st[i * w + c]).collect(),
        column_totals: (0..c).map(|j| st[r * w + j]).collect(),
        grand_total: Some(st[r * w + c]),
        n_primary: count(&st, CellStatus::Primary),
        n_complementary: count(&st, CellStatus::Complementary),
        iterations: sweeps,
        min_group_size: o.min_group_size,
        method: "line_pairs_smallest_first".into(),
    })
}

/// What one role may see.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleView {
    /// Grouping levels the role may see (`"*"` = every level).
    pub levels: Vec<String>,
    /// Fields the role may see (`"*"` = every field).
    pub fields: Vec<String>,
    /// This role's minimum group size (default: the policy's).
    #[serde(default)]
    pub min_group_size: Option<u64>,
}

/// A role-based view policy: roles -> allowed grouping levels and fields, evaluated as data.
///
/// ```
/// use cxkpi::quality::ViewPolicy;
/// let p = ViewPolicy::from_json(r#"{"min_group_size": 10, "roles": {
///   "frontline_manager": {"levels": ["team"], "fields": ["nps", "n"]},
///   "analyst": {"levels": ["*"], "fields": ["*"], "min_group_size": 5}}}"#).unwrap();
/// let d = p.evaluate("frontline_manager", "team", &["nps", "verbatim"]).unwrap();
/// assert!(d.level_allowed);
/// assert_eq!(d.allowed_fields, vec!["nps"]);
/// assert_eq!(d.denied_fields, vec!["verbatim"]);
/// assert!(p.evaluate("intern", "team", &[]).is_err()); // unknown role
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ViewPolicy {
    /// The minimum group size every role gets unless its own is given (default 10).
    #[serde(default = "default_min")]
    pub min_group_size: u64,
    pub roles: BTreeMap<String, RoleView>,
}

fn default_min() -> u64 {
    10
}

/// The decision of a [`ViewPolicy`] for one role, level and list of fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ViewDecision {
    pub role: String,
    pub level: String,
    pub level_allowed: bool,
    /// Requested fields the role may see (none if the level is not allowed), in request order.
    pub allowed_fields: Vec<String>,
    /// Requested fields the role may not see, in request order.
    pub denied_fields: Vec<String>,
    /// The minimum group size that applies to this role.
    pub min_group_size: u64,
}

impl ViewPolicy {
    /// Reads and validates a policy from JSON.
    pub fn from_json(text: &str) -> Result<ViewPolicy> {
        let p: ViewPolicy = serde_json::from_str(text)
            .map_err(|e| CxkpiError::invalid("policy", format!("not a valid view policy: {e}")))?;
        p.validate()?;
        Ok(p)
    }

    /// Reads and validates a policy from TOML.
    pub fn from_toml(text: &str) -> Result<ViewPolicy> {
        let p: ViewPolicy = toml::from_str(text)
            .map_err(|e| CxkpiError::invalid("policy", format!("not a valid view policy: {e}")))?;
        p.validate()?;
        Ok(p)
    }

    /// Reads and validates a policy from a JSON value.
    pub fn from_value(v: &serde_json::Value) -> Result<ViewPolicy> {
        let p: ViewPolicy = serde_json::from_value(v.clone())
            .map_err(|e| CxkpiError::invalid("policy", format!("not a valid view policy: {e}")))?;
        p.validate()?;
        Ok(p)
    }

    /// Checks: at least one role; no empty names; minimum group sizes >= 1 (a role's own minimum replaces
    /// the policy's, stricter or not).
    pub fn validate(&self) -> Result<()> {
        if self.roles.is_empty() {
            return Err(CxkpiError::invalid("roles", "at least one role is needed"));
        }
        if self.min_group_size == 0 {
            return Err(CxkpiError::invalid("min_group_size", "must be at least 1"));
        }
        for (name, r) in &self.roles {
            if name.is_empty() || r.levels.iter().chain(&r.fields).any(|s| s.is_empty()) {
                return Err(CxkpiError::invalid(
                    &format!("roles.{name}"),
                    "role, level and field names must not be empty",
                ));
            }
            if r.min_group_size == Some(0) {
                return Err(CxkpiError::invalid(
                    &format!("roles.{name}.min_group_size"),
                    "must be at least 1",
                ));
            }
        }
        Ok(())
    }

    /// What `role` may see of `fields` at grouping `level`; an unknown role is an `invalid_argument` error.
    pub fn evaluate(&self, role: &str, level: &str, fields: &[&str]) -> Result<ViewDecision> {
        let r = self.roles.get(role).ok_or_else(|| {
            CxkpiError::invalid(
                "role",
                format!(
                    "\"{role}\" is not in the policy; known roles: {}",
                    self.roles.keys().cloned().collect::<Vec<_>>().join(", ")
                ),
            )
        })?;
        let any = |list: &[String], x: &str| list.iter().any(|s| s == "*" || s == x);
        let level_allowed = any(&r.levels, level);
        let (mut allowed, mut denied) = (vec![], vec![]);
        for &f in fields {
            if level_allowed && any(&r.fields, f) {
                allowed.push(f.to_string());
            } else {
                denied.push(f.to_string());
            }
        }
        Ok(ViewDecision {
            role: role.into(),
            level: level.into(),
            level_allowed,
            allowed_fields: allowed,
            denied_fields: denied,
            min_group_size: r.min_group_size.unwrap_or(self.min_group_size),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_way_total_when_nothing_else() {
        // Two groups: 4 (primary) and 0 (empty). The only other entries are the empty cell and the total:
        // the empty cell is taken last, so the total is hidden.
        let r = suppress_one_way(&[4, 0], &SuppressionOptions::default()).unwrap();
        assert_eq!(r.cells[0][0], CellStatus::Primary);
        assert_eq!(r.row_totals[0], CellStatus::Primary); // 4 < 10: the total is small too
    }
}
