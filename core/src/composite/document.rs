//! The scorecard document: KPI definitions, the tree, settings and rules (serde, JSON and TOML), its
//! validation, and its compiled form used by evaluation.

use super::{
    Aggregation, Frequency, Inclusivity, Indicator, KpiDirection as Direction, MissingKpiPolicy,
    NormalisationMethod, PeriodAggregation, Perspective, ScoringMethod, ZeroPolicy,
    ZeroRangePolicy,
};
use crate::error::{CxkpiError, Result};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Scorecard-wide settings (every field has a default; each is a named, recorded policy).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Top of the score scale: 10 (default) or 100. Scores are capped to `[0, score_max]`.
    pub score_max: f64,
    /// `target` (default): thresholds → score; `normalised`: a benchmarking normalisation across units.
    pub scoring: ScoringMethod,
    /// The normalisation used when `scoring = "normalised"` (default `min_max`).
    pub normalisation: NormalisationMethod,
    /// What a KPI whose values have zero range (or zero SD) gets under normalisation (default `error`).
    pub zero_range: ZeroRangePolicy,
    /// Default aggregation of every node (default `arithmetic`); a node may override it.
    pub aggregation: Aggregation,
    /// Zero components in geometric and harmonic means (default `propagate`: the mean is 0).
    pub zero_policy: ZeroPolicy,
    /// Missing KPI values in a node (default `renormalise`).
    pub missing_kpi: MissingKpiPolicy,
    /// Whether a value exactly at a threshold earns it (default `inclusive`).
    pub inclusivity: Inclusivity,
    /// Status bands of node scores as fractions of `score_max`: [amber from, green from, blue from]
    /// (default [1/3, 2/3, 1]).
    pub node_status_bands: [f64; 3],
    /// Aggregation of unit composites in roll-ups by business unit, segment and region (default arithmetic).
    pub unit_aggregation: Aggregation,
    /// |r| at or above which two KPIs are flagged as redundant (default 0.9).
    pub redundancy_threshold: f64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            score_max: 10.0,
            scoring: ScoringMethod::Target,
            normalisation: NormalisationMethod::MinMax,
            zero_range: ZeroRangePolicy::Error,
            aggregation: Aggregation::Arithmetic,
            zero_policy: ZeroPolicy::Propagate,
            missing_kpi: MissingKpiPolicy::Renormalise,
            inclusivity: Inclusivity::Inclusive,
            node_status_bands: [1.0 / 3.0, 2.0 / 3.0, 1.0],
            unit_aggregation: Aggregation::Arithmetic,
            redundancy_threshold: 0.9,
        }
    }
}

/// The four thresholds of a KPI (each optional; at least two for higher/lower, `target` for closer).
///
/// Higher is better: `red_flag < threshold < target < stretch`. Lower is better: the reverse. Closer to
/// target: `target` is the centre and `red_flag > threshold > stretch >= 0` are distances from it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Thresholds {
    pub red_flag: Option<f64>,
    pub threshold: Option<f64>,
    pub target: Option<f64>,
    pub stretch: Option<f64>,
}

/// A directional goal: the KPI should improve over the last `periods` periods (slope t-test).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DirectionalGoal {
    /// Number of most recent periods in the slope test (at least 3; default 4).
    pub periods: u32,
    /// One-sided significance level of the slope test (default 0.05).
    pub alpha: f64,
}

impl Default for DirectionalGoal {
    fn default() -> Self {
        DirectionalGoal {
            periods: 4,
            alpha: 0.05,
        }
    }
}

/// One KPI definition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KpiDef {
    pub id: String,
    #[serde(default)]
    pub name: String,
    /// Unit of measure ("%", "days", "EUR", ...).
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub perspective: Perspective,
    /// The strategic objective it serves.
    #[serde(default)]
    pub objective: Option<String>,
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub business_unit: Option<String>,
    #[serde(default)]
    pub segment: Option<String>,
    #[serde(default)]
    pub region: Option<String>,
    /// Leading or lagging (default lagging).
    #[serde(default)]
    pub indicator: Indicator,
    /// Higher, lower or closer-to-target is better (default higher).
    #[serde(default)]
    pub direction: Direction,
    #[serde(default)]
    pub frequency: Option<Frequency>,
    /// How periods combine into the evaluated value (default `last`).
    #[serde(default)]
    pub period_aggregation: PeriodAggregation,
    #[serde(default)]
    pub thresholds: Option<Thresholds>,
    /// Score anchors (fractions of `score_max`, increasing from 0 to 1), one per present threshold point;
    /// default equally spaced.
    #[serde(default)]
    pub anchors: Option<Vec<f64>>,
    #[serde(default)]
    pub goal: Option<DirectionalGoal>,
    /// Goalposts [lower, upper] for `normalisation = "goalposts"`.
    #[serde(default)]
    pub goalposts: Option<[f64; 2]>,
    /// Relative weight among its siblings (default 1, must be >= 0).
    #[serde(default = "one")]
    pub weight: f64,
    /// The node it belongs to (default: the root).
    #[serde(default)]
    pub parent: Option<String>,
    /// Definition version (default "1").
    #[serde(default = "v1")]
    pub version: String,
    /// First period (inclusive, compared as text, e.g. "2026-01") the definition applies to.
    #[serde(default)]
    pub effective_from: Option<String>,
    /// Last period (inclusive) the definition applies to.
    #[serde(default)]
    pub effective_to: Option<String>,
}

fn one() -> f64 {
    1.0
}
fn v1() -> String {
    "1".into()
}

/// An inner node of the tree (a perspective, an objective, the root).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeDef {
    pub id: String,
    #[serde(default)]
    pub name: String,
    /// Parent node (none for the root; exactly one root).
    #[serde(default)]
    pub parent: Option<String>,
    #[serde(default = "one")]
    pub weight: f64,
    #[serde(default)]
    pub perspective: Option<Perspective>,
    /// Aggregation of its children (default: the scorecard's).
    #[serde(default)]
    pub aggregation: Option<Aggregation>,
}

/// A unit being scored (a store, team, country...), with its roll-up groups.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitDef {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub business_unit: Option<String>,
    #[serde(default)]
    pub segment: Option<String>,
    #[serde(default)]
    pub region: Option<String>,
    /// Weight of the unit in roll-ups (default 1).
    #[serde(default = "one")]
    pub weight: f64,
}

/// A balance rule: the share of total weight on a perspective or on leading/lagging indicators must lie in
/// `[min_share, max_share]`; a broken rule is a warning.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BalanceRule {
    #[serde(default)]
    pub perspective: Option<Perspective>,
    #[serde(default)]
    pub indicator: Option<Indicator>,
    #[serde(default)]
    pub min_share: Option<f64>,
    #[serde(default)]
    pub max_share: Option<f64>,
}

/// A metric-myopia link: `kpi` (e.g. satisfaction) improving while `linked` (quality, efficiency) worsens
/// between the first and last of the last `periods` periods is flagged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MyopiaLink {
    pub kpi: String,
    pub linked: String,
    #[serde(default = "two")]
    pub periods: u32,
}
fn two() -> u32 {
    2
}

/// A scorecard document.
///
/// ```
/// use cxkpi::composite::Scorecard;
/// let sc = Scorecard::from_json(r#"{"id": "demo", "kpis": [
///     {"id": "nps", "thresholds": {"red_flag": 0, "threshold": 20, "target": 40, "stretch": 60}}]}"#).unwrap();
/// assert_eq!(sc.kpis.len(), 1);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scorecard {
    pub id: String,
    #[serde(default)]
    pub name: String,
    /// Version of the scorecard definition (default "1").
    #[serde(default = "v1")]
    pub version: String,
    #[serde(default)]
    pub effective_from: Option<String>,
    #[serde(default)]
    pub effective_to: Option<String>,
    #[serde(default)]
    pub settings: Settings,
    /// Inner nodes; when empty, every KPI hangs from an implicit root `composite`.
    #[serde(default)]
    pub nodes: Vec<NodeDef>,
    pub kpis: Vec<KpiDef>,
    #[serde(default)]
    pub units: Vec<UnitDef>,
    #[serde(default)]
    pub balance_rules: Vec<BalanceRule>,
    #[serde(default)]
    pub myopia_links: Vec<MyopiaLink>,
}

fn doc_error(format: &str, e: impl std::fmt::Display) -> CxkpiError {
    CxkpiError::invalid("scorecard", format!("invalid {format} document: {e}"))
}

impl Scorecard {
    /// Parses and validates a JSON document.
    pub fn from_json(text: &str) -> Result<Scorecard> {
        let sc: Scorecard = serde_json::from_str(text).map_err(|e| doc_error("JSON", e))?;
        sc.validate()?;
        Ok(sc)
    }

    /// Parses and validates a TOML document.
    pub fn from_toml(text: &str) -> Result<Scorecard> {
        let sc: Scorecard = toml::from_str(text).map_err(|e| doc_error("TOML", e))?;
        sc.validate()?;
        Ok(sc)
    }

    /// Parses and validates a document already read as a JSON value (what the bindings hand over).
    pub fn from_value(v: &serde_json::Value) -> Result<Scorecard> {
        let sc: Scorecard = Scorecard::deserialize(v).map_err(|e| doc_error("JSON", e))?;
        sc.validate()?;
        Ok(sc)
    }

    /// The document as JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a scorecard serialises")
    }

    /// Checks the whole document: ids, the tree (unknown parents, cycles, childless nodes), weights,
    /// threshold order for the direction, settings.
    pub fn validate(&self) -> Result<()> {
        self.compile().map(|_| ())
    }

    /// Validates and builds the evaluation form.
    pub fn compile(&self) -> Result<Compiled> {
        validate_settings(&self.settings)?;
        if self.kpis.is_empty() {
            return Err(CxkpiError::EmptyInput { arg: "kpis".into() });
        }
        let mut ids: HashMap<&str, usize> = HashMap::new();
        for (i, k) in self.kpis.iter().enumerate() {
            check_id(&k.id, &format!("kpis[{i}].id"))?;
            if ids.insert(k.id.as_str(), i).is_some() {
                return Err(CxkpiError::invalid(
                    &format!("kpis[{i}].id"),
                    format!("duplicate id \"{}\"", k.id),
                ));
            }
            check_weight(k.weight, &format!("kpis[{i}].weight"), i)?;
            validate_kpi(k, i, &self.settings)?;
        }
        let n_k = self.kpis.len();
        let implicit_root = self.nodes.is_empty();
        let nodes: Vec<NodeDef> = if implicit_root {
            vec![NodeDef {
                id: "composite".into(),
                name: self.name.clone(),
                parent: None,
                weight: 1.0,
                perspective: None,
                aggregation: None,
            }]
        } else {
            self.nodes.clone()
        };
        for (j, n) in nodes.iter().enumerate() {
            check_id(&n.id, &format!("nodes[{j}].id"))?;
            if ids.insert(n.id.as_str(), n_k + j).is_some() {
                return Err(CxkpiError::invalid(
                    &format!("nodes[{j}].id"),
                    format!(
                        "duplicate id \"{}\" (ids are shared by KPIs and nodes)",
                        n.id
                    ),
                ));
            }
            check_weight(n.weight, &format!("nodes[{j}].weight"), j)?;
        }
        let roots: Vec<usize> = (0..nodes.len())
            .filter(|&j| nodes[j].parent.is_none())
            .collect();
        if roots.len() != 1 {
            let names: Vec<&str> = roots.iter().map(|&j| nodes[j].id.as_str()).collect();
            return Err(CxkpiError::invalid(
                "nodes",
                format!(
                    "exactly one node must have no parent (the root), found {}: [{}]",
                    roots.len(),
                    names.join(", ")
                ),
            ));
        }
        let root = n_k + roots[0];
        let n_items = n_k + nodes.len();
        let mut parent = vec![None; n_items];
        let resolve = |p: &str, arg: String| -> Result<usize> {
            match ids.get(p) {
                Some(&it) if it >= n_k => Ok(it),
                Some(_) => Err(CxkpiError::invalid(
                    &arg,
                    format!("\"{p}\" is a KPI; a parent must be a node"),
                )),
                None => Err(CxkpiError::invalid(
                    &arg,
                    format!("unknown node id \"{p}\""),
                )),
            }
        };
        for (i, k) in self.kpis.iter().enumerate() {
            parent[i] = Some(match &k.parent {
                None => root,
                Some(p) => resolve(p, format!("kpis[{i}].parent"))?,
            });
        }
        for (j, n) in nodes.iter().enumerate() {
            if let Some(p) = &n.parent {
                parent[n_k + j] = Some(resolve(p, format!("nodes[{j}].parent"))?);
            }
        }
        // Cycles: walk up from every node; a walk longer than the node count revisits a node.
        for j in 0..nodes.len() {
            let mut path = vec![n_k + j];
            let mut cur = n_k + j;
            while let Some(p) = parent[cur] {
                if let Some(pos) = path.iter().position(|&x| x == p) {
                    let cyc: Vec<&str> = path[pos..]
                        .iter()
                        .chain(std::iter::once(&p))
                        .map(|&x| nodes[x - n_k].id.as_str())
                        .collect();
                    return Err(CxkpiError::invalid(
                        "nodes",
                        format!("cycle in the tree: {}", cyc.join(" -> ")),
                    ));
                }
                path.push(p);
                cur = p;
            }
            if cur != root {
                return Err(CxkpiError::invalid(
                    &format!("nodes[{j}]"),
                    format!("node \"{}\" does not reach the root", nodes[j].id),
                ));
            }
        }
        let mut children = vec![Vec::new(); n_items];
        for (it, p) in parent.iter().enumerate() {
            if let Some(p) = p {
                children[*p].push(it);
            }
        }
        for (j, n) in nodes.iter().enumerate() {
            let ch = &children[n_k + j];
            if ch.is_empty() {
                return Err(CxkpiError::invalid(
                    &format!("nodes[{j}]"),
                    format!("node \"{}\" has no children", n.id),
                ));
            }
        }
        // Depth and bottom-up order (deepest nodes first; ties in declaration order).
        let mut depth = vec![0u32; n_items];
        for (it, d) in depth.iter_mut().enumerate() {
            let mut cur = it;
            while let Some(p) = parent[cur] {
                *d += 1;
                cur = p;
            }
        }
        let mut node_order: Vec<usize> = (n_k..n_items).collect();
        node_order.sort_by(|a, b| depth[*b].cmp(&depth[*a]).then(a.cmp(b)));
        let mut ids_v: Vec<String> = self.kpis.iter().map(|k| k.id.clone()).collect();
        ids_v.extend(nodes.iter().map(|n| n.id.clone()));
        let mut weight: Vec<f64> = self.kpis.iter().map(|k| k.weight).collect();
        weight.extend(nodes.iter().map(|n| n.weight));
        let mut aggregation = vec![self.settings.aggregation; n_items];
        for (j, n) in nodes.iter().enumerate() {
            if let Some(a) = n.aggregation {
                aggregation[n_k + j] = a;
            }
        }
        let mut unit_ids = HashMap::new();
        for (i, u) in self.units.iter().enumerate() {
            check_id(&u.id, &format!("units[{i}].id"))?;
            check_weight(u.weight, &format!("units[{i}].weight"), i)?;
            if unit_ids.insert(u.id.clone(), i).is_some() {
                return Err(CxkpiError::invalid(
                    &format!("units[{i}].id"),
                    format!("duplicate unit id \"{}\"", u.id),
                ));
            }
        }
        for (i, r) in self.balance_rules.iter().enumerate() {
            let arg = format!("balance_rules[{i}]");
            if r.perspective.is_some() == r.indicator.is_some() {
                return Err(CxkpiError::invalid(
                    &arg,
                    "give exactly one of `perspective` and `indicator`",
                ));
            }
            for s in [r.min_share, r.max_share].into_iter().flatten() {
                if !(0.0..=1.0).contains(&s) {
                    return Err(CxkpiError::invalid(
                        &arg,
                        format!("shares must lie in [0, 1], got {s}"),
                    ));
                }
            }
            if let (Some(a), Some(b)) = (r.min_share, r.max_share) {
                if a > b {
                    return Err(CxkpiError::invalid(
                        &arg,
                        format!("min_share {a} > max_share {b}"),
                    ));
                }
            }
        }
        for (i, l) in self.myopia_links.iter().enumerate() {
            for (field, id) in [("kpi", &l.kpi), ("linked", &l.linked)] {
                if ids.get(id.as_str()).is_none_or(|&x| x >= n_k) {
                    return Err(CxkpiError::invalid(
                        &format!("myopia_links[{i}].{field}"),
                        format!("unknown KPI id \"{id}\""),
                    ));
                }
            }
            if l.periods < 2 {
                return Err(CxkpiError::invalid(
                    &format!("myopia_links[{i}].periods"),
                    format!("needs at least 2 periods, got {}", l.periods),
                ));
            }
        }
        // Sibling weights must not all be zero.
        for &nd in &node_order {
            if children[nd].iter().all(|&c| weight[c] == 0.0) {
                return Err(CxkpiError::ZeroWeightSum {
                    arg: format!("children of node \"{}\"", ids_v[nd]),
                    n: children[nd].len() as u64,
                });
            }
        }
        Ok(Compiled {
            n_kpis: n_k,
            ids: ids_v,
            parent,
            children,
            depth,
            weight,
            aggregation,
            node_order,
            root,
            implicit_root,
            unit_index: unit_ids,
        })
    }
}

/// The validated tree in index form. Items `0..n_kpis` are KPIs, the rest are nodes.
#[derive(Debug, Clone)]
pub struct Compiled {
    pub n_kpis: usize,
    pub ids: Vec<String>,
    pub parent: Vec<Option<usize>>,
    pub children: Vec<Vec<usize>>,
    pub depth: Vec<u32>,
    pub weight: Vec<f64>,
    pub aggregation: Vec<Aggregation>,
    /// Nodes, deepest first: every node comes after all its descendant nodes.
    pub node_order: Vec<usize>,
    pub root: usize,
    pub implicit_root: bool,
    pub unit_index: HashMap<String, usize>,
}

impl Compiled {
    /// Global weight of every item: the product of its renormalised sibling weights up to the root.
    pub fn global_weights(&self) -> Vec<f64> {
        let mut g = vec![0.0; self.ids.len()];
        g[self.root] = 1.0;
        for &nd in self.node_order.iter().rev() {
            let s: f64 = self.children[nd].iter().map(|&c| self.weight[c]).sum();
            for &c in &self.children[nd] {
                g[c] = g[nd] * self.weight[c] / s;
            }
        }
        g
    }
}

fn check_id(id: &str, arg: &str) -> Result<()> {
    if id.is_empty() {
        return Err(CxkpiError::invalid(arg, "an id must not be empty"));
    }
    Ok(())
}

fn check_weight(w: f64, arg: &str, index: usize) -> Result<()> {
    if !w.is_finite() || w < 0.0 {
        return Err(CxkpiError::InvalidWeight {
            arg: arg.into(),
            index,
            value: w,
            reason: if w < 0.0 {
                "weights must be >= 0".into()
            } else {
                "weights must be finite".into()
            },
        });
    }
    Ok(())
}

fn validate_settings(s: &Settings) -> Result<()> {
    if s.score_max != 10.0 && s.score_max != 100.0 {
        return Err(CxkpiError::invalid(
            "settings.score_max",
            format!("must be 10 or 100, got {}", s.score_max),
        ));
    }
    let b = s.node_status_bands;
    if !(b.iter().all(|x| x.is_finite())
        && 0.0 < b[0]
        && b[0] < b[1]
        && b[1] <= b[2]
        && b[2] <= 1.0)
    {
        return Err(CxkpiError::invalid(
            "settings.node_status_bands",
            format!("needs 0 < amber < green <= blue <= 1, got {b:?}"),
        ));
    }
    if !(s.redundancy_threshold > 0.0 && s.redundancy_threshold <= 1.0) {
        return Err(CxkpiError::invalid(
            "settings.redundancy_threshold",
            format!("must lie in (0, 1], got {}", s.redundancy_threshold),
        ));
    }
    Ok(())
}

/// The (value, anchor fraction) points of a threshold KPI in increasing order of goodness, on the scale
/// the KPI is scored on: the value itself (higher/lower) or the distance from the target (closer).
pub(crate) fn threshold_points(k: &KpiDef) -> Vec<f64> {
    let t = k.thresholds.unwrap_or_default();
    match k.direction {
        Direction::Higher | Direction::Lower => [t.red_flag, t.threshold, t.target, t.stretch]
            .into_iter()
            .flatten()
            .collect(),
        Direction::Closer => {
            let mut p: Vec<f64> = [t.red_flag, t.threshold, t.stretch]
                .into_iter()
                .flatten()
                .collect();
            if t.stretch.is_none() {
                p.push(0.0);
            }
            p
        }
    }
}

/// Anchors (fractions of the scale) for the points: the declared ones or equally spaced from 0 to 1.
pub(crate) fn anchor_fractions(k: &KpiDef, n_points: usize) -> Vec<f64> {
    match &k.anchors {
        Some(a) => a.clone(),
        None => (0..n_points)
            .map(|i| i as f64 / (n_points - 1) as f64)
            .collect(),
    }
}

fn validate_kpi(k: &KpiDef, i: usize, s: &Settings) -> Result<()> {
    let arg = format!("kpis[{i}]");
    if let Some(g) = &k.goal {
        if k.thresholds.is_some() {
            return Err(CxkpiError::invalid(
                &arg,
                format!(
                    "KPI \"{}\" has both thresholds and a directional goal; give one",
                    k.id
                ),
            ));
        }
        if k.direction == Direction::Closer {
            return Err(CxkpiError::invalid(
                &format!("{arg}.goal"),
                format!(
                    "KPI \"{}\": a directional goal needs direction higher or lower",
                    k.id
                ),
            ));
        }
        if g.periods < 3 {
            return Err(CxkpiError::invalid(
                &format!("{arg}.goal.periods"),
                format!("needs at least 3 periods, got {}", g.periods),
            ));
        }
        if !(g.alpha > 0.0 && g.alpha < 1.0) {
            return Err(CxkpiError::invalid(
                &format!("{arg}.goal.alpha"),
                format!("must lie in (0, 1), got {}", g.alpha),
            ));
        }
        return Ok(());
    }
    let Some(t) = &k.thresholds else {
        if s.scoring == ScoringMethod::Target {
            return Err(CxkpiError::invalid(
                &arg,
                format!(
                    "KPI \"{}\" needs `thresholds` or a directional `goal` for target scoring",
                    k.id
                ),
            ));
        }
        return check_normalisation_params(k, &arg, s);
    };
    for (name, v) in [
        ("red_flag", t.red_flag),
        ("threshold", t.threshold),
        ("target", t.target),
        ("stretch", t.stretch),
    ] {
        if let Some(v) = v {
            if !v.is_finite() {
                return Err(CxkpiError::invalid(
                    &format!("{arg}.thresholds.{name}"),
                    format!("must be finite, got {v}"),
                ));
            }
        }
    }
    let pts = threshold_points(k);
    let order_err = |what: &str| {
        CxkpiError::invalid(
            &format!("{arg}.thresholds"),
            format!(
                "KPI \"{}\" (direction {}): thresholds out of order: {what}; got red_flag {:?}, threshold {:?}, target {:?}, stretch {:?}",
                k.id, k.direction, t.red_flag, t.threshold, t.target, t.stretch
            ),
        )
    };
    match k.direction {
        Direction::Higher | Direction::Lower => {
            if pts.len() < 2 {
                return Err(CxkpiError::invalid(
                    &format!("{arg}.thresholds"),
                    format!("KPI \"{}\" needs at least two thresholds", k.id),
                ));
            }
            let up = k.direction == Direction::Higher;
            if !pts
                .windows(2)
                .all(|w| if up { w[0] < w[1] } else { w[0] > w[1] })
            {
                return Err(order_err(if up {
                    "higher is better needs red_flag < threshold < target < stretch"
                } else {
                    "lower is better needs red_flag > threshold > target > stretch"
                }));
            }
        }
        Direction::Closer => {
            if t.target.is_none() {
                return Err(CxkpiError::invalid(
                    &format!("{arg}.thresholds.target"),
                    format!("KPI \"{}\" (closer to target) needs a target", k.id),
                ));
            }
            if pts.len() < 2 {
                return Err(CxkpiError::invalid(
                    &format!("{arg}.thresholds"),
                    format!("KPI \"{}\" (closer to target) needs at least one distance (red_flag, threshold or stretch)", k.id),
                ));
            }
            if !(pts.windows(2).all(|w| w[0] > w[1]) && *pts.last().unwrap() >= 0.0) {
                return Err(order_err(
                    "closer to target needs distances red_flag > threshold > stretch >= 0",
                ));
            }
        }
    }
    if let Some(a) = &k.anchors {
        let ok = a.len() == pts.len()
            && a.first() == Some(&0.0)
            && a.last() == Some(&1.0)
            && a.windows(2).all(|w| w[0] < w[1]);
        if !ok {
            return Err(CxkpiError::invalid(
                &format!("{arg}.anchors"),
                format!(
                    "needs {} increasing fractions from 0 to 1 (one per threshold point), got {a:?}",
                    pts.len()
                ),
            ));
        }
    }
    check_normalisation_params(k, &arg, s)
}

fn check_normalisation_params(k: &KpiDef, arg: &str, s: &Settings) -> Result<()> {
    if s.scoring != ScoringMethod::Normalised {
        return Ok(());
    }
    match s.normalisation {
        NormalisationMethod::Goalposts => match k.goalposts {
            Some([l, u]) if l.is_finite() && u.is_finite() && l < u => Ok(()),
            g => Err(CxkpiError::invalid(
                &format!("{arg}.goalposts"),
                format!("KPI \"{}\": goalposts normalisation needs [lower, upper] with lower < upper, got {g:?}", k.id),
            )),
        },
        NormalisationMethod::DistanceToTarget => {
            if k.thresholds.and_then(|t| t.target).is_none() {
                return Err(CxkpiError::invalid(
                    &format!("{arg}.thresholds.target"),
                    format!("KPI \"{}\": distance_to_target needs a target", k.id),
                ));
            }
            Ok(())
        }
        _ => Ok(()),
    }
}
