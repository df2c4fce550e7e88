//! Alerts that explain themselves, escalated by a ladder that is configuration, not code.
//!
//! Every [`Signal`] (a chart rule, a changepoint confirmation, a manipulation screen) becomes an
//! [`Alert`] that names its rule and parameters, the baseline and how it was computed (method, window,
//! excluded days, seasonal adjustment), the deviation in KPI units and in sigma, n and SE, the rule's
//! in-control false-alarm rate (and ARL = 1 / rate), the points that formed the pattern, and an escalation
//! level (0 context, 1 watch, 2 escalate, 3 strategic review) with its owner role and acknowledgement
//! window, plus a plain-words `explanation` built from those fields.
//!
//! The ladder ([`AlertLadder`]) is a serde document (TOML or JSON): its levels in ascending order, and
//! conditions on rule ids, detectors, |sigma|, |deviation|, persistence (points in the pattern), KPI,
//! segment and direction. A signal's level is the highest level among the conditions it meets (the
//! `default_level` when it meets none).
//!
//! ```toml
//! name = "cx-daily"
//! default_level = 0
//!
//! [[levels]]
//! level = 0
//! name = "context"
//! owner = "CX analyst"
//!
//! [[levels]]
//! level = 2
//! name = "escalate"
//! owner = "Regional CX lead"
//! ack_hours = 24
//! action = "escalate to"
//!
//! [[conditions]]
//! name = "strong shift"
//! level = 2
//! rules = ["cusum_upper", "cusum_lower"]
//! min_sigma = 3.0
//! ```

use crate::baseline::signal::{BaselineInfo, Signal, SignalDirection};
use crate::error::{CxkpiError, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One rung of the ladder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LadderLevel {
    /// 0 context, 1 watch, 2 escalate, 3 strategic review.
    pub level: u8,
    /// Name shown in alerts (e.g. `"watch"`).
    pub name: String,
    /// Owner role who must acknowledge (e.g. `"Regional CX lead"`).
    pub owner: String,
    /// Acknowledgement window in hours (None: no acknowledgement needed, e.g. context).
    #[serde(default)]
    pub ack_hours: Option<f64>,
    /// Words before the owner in the explanation (e.g. `"escalate to"`); default `"<name>:"`.
    #[serde(default)]
    pub action: Option<String>,
}

/// A condition that lifts a signal to `level`. Every given criterion must hold (empty lists and absent
/// thresholds match anything).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct LadderCondition {
    /// Name recorded in `Alert::matched` (default `condition <i>`).
    pub name: Option<String>,
    /// Level this condition assigns.
    pub level: u8,
    /// Rule ids, any of (e.g. `["cusum_upper", "western_electric_1"]`).
    pub rules: Vec<String>,
    /// Detectors, any of (e.g. `["ewma", "screen"]`).
    pub detectors: Vec<String>,
    /// |sigma| at least this (a signal without sigma does not meet it).
    pub min_sigma: Option<f64>,
    /// |deviation| at least this, in KPI units.
    pub min_abs_deviation: Option<f64>,
    /// Points in the pattern at least this (persistence).
    pub min_points: Option<u64>,
    /// KPIs, any of (matched against the alert context's `kpi`).
    pub kpis: Vec<String>,
    /// Segments / series, any of (matched against `Signal::series`).
    pub segments: Vec<String>,
    /// Direction of the signal.
    pub direction: Option<SignalDirection>,
}

/// The escalation ladder: configuration, validated by [`AlertLadder::validate`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlertLadder {
    /// Name recorded in the report.
    #[serde(default)]
    pub name: String,
    /// Levels in strictly ascending order.
    pub levels: Vec<LadderLevel>,
    /// Conditions (order does not matter: the highest level met wins).
    #[serde(default)]
    pub conditions: Vec<LadderCondition>,
    /// Level of a signal that meets no condition (default 0).
    #[serde(default)]
    pub default_level: u8,
}

impl Default for AlertLadder {
    /// A four-level ladder: 0 context (CX analyst), 1 watch (team lead, 48 h) for any |sigma| ≥ 2,
    /// 2 escalate (regional CX lead, 24 h) for |sigma| ≥ 3, 3 strategic review (VP customer experience,
    /// 24 h) for |sigma| ≥ 3 persisting 7 points or more.
    fn default() -> Self {
        let lvl =
            |level, name: &str, owner: &str, ack: Option<f64>, action: Option<&str>| LadderLevel {
                level,
                name: name.into(),
                owner: owner.into(),
                ack_hours: ack,
                action: action.map(Into::into),
            };
        AlertLadder {
            name: "default".into(),
            levels: vec![
                lvl(0, "context", "CX analyst", None, Some("for context to")),
                lvl(1, "watch", "Team lead", Some(48.0), Some("watch by")),
                lvl(
                    2,
                    "escalate",
                    "Regional CX lead",
                    Some(24.0),
                    Some("escalate to"),
                ),
                lvl(
                    3,
                    "strategic review",
                    "VP Customer Experience",
                    Some(24.0),
                    Some("strategic review by"),
                ),
            ],
            conditions: vec![
                LadderCondition {
                    name: Some("2 sigma".into()),
                    level: 1,
                    min_sigma: Some(2.0),
                    ..LadderCondition::default()
                },
                LadderCondition {
                    name: Some("3 sigma".into()),
                    level: 2,
                    min_sigma: Some(3.0),
                    ..LadderCondition::default()
                },
                LadderCondition {
                    name: Some("3 sigma for 7 points".into()),
                    level: 3,
                    min_sigma: Some(3.0),
                    min_points: Some(7),
                    ..LadderCondition::default()
                },
            ],
            default_level: 0,
        }
    }
}

impl AlertLadder {
    /// Parses a TOML document and validates it.
    pub fn from_toml(text: &str) -> Result<AlertLadder> {
        let l: AlertLadder =
            toml::from_str(text).map_err(|e| CxkpiError::invalid("ladder", e.to_string()))?;
        l.validate()?;
        Ok(l)
    }

    /// Parses a JSON document and validates it.
    pub fn from_json(text: &str) -> Result<AlertLadder> {
        let l: AlertLadder =
            serde_json::from_str(text).map_err(|e| CxkpiError::invalid("ladder", e.to_string()))?;
        l.validate()?;
        Ok(l)
    }

    /// Reads a JSON value (bindings) and validates it.
    pub fn from_value(v: &serde_json::Value) -> Result<AlertLadder> {
        let l: AlertLadder = serde_json::from_value(v.clone())
            .map_err(|e| CxkpiError::invalid("ladder", e.to_string()))?;
        l.validate()?;
        Ok(l)
    }

    /// Levels strictly ascending within 0..=3, names and owners non-empty, acknowledgement windows
    /// positive, every condition's level and the default level defined, thresholds finite and ≥ 0.
    pub fn validate(&self) -> Result<()> {
        if self.levels.is_empty() {
            return Err(CxkpiError::EmptyInput {
                arg: "ladder.levels".into(),
            });
        }
        for (i, l) in self.levels.iter().enumerate() {
            let arg = format!("ladder.levels[{i}]");
            if l.level > 3 {
                return Err(CxkpiError::invalid(
                    &arg,
                    format!(
                        "level {} is outside 0..=3 (0 context, 1 watch, 2 escalate, 3 strategic review)",
                        l.level
                    ),
                ));
            }
            if i > 0 && l.level <= self.levels[i - 1].level {
                return Err(CxkpiError::invalid(
                    &arg,
                    format!(
                        "levels must be strictly ascending: level {} follows level {}",
                        l.level,
                        self.levels[i - 1].level
                    ),
                ));
            }
            if l.name.trim().is_empty() {
                return Err(CxkpiError::invalid(&arg, "name is empty"));
            }
            if l.owner.trim().is_empty() {
                return Err(CxkpiError::invalid(&arg, "owner is empty"));
            }
            if let Some(h) = l.ack_hours {
                if !(h.is_finite() && h > 0.0) {
                    return Err(CxkpiError::invalid(
                        &arg,
                        format!("ack_hours = {h} must be > 0"),
                    ));
                }
            }
        }
        let known = |lv: u8| self.levels.iter().any(|l| l.level == lv);
        if !known(self.default_level) {
            return Err(CxkpiError::invalid(
                "ladder.default_level",
                format!("level {} is not defined in `levels`", self.default_level),
            ));
        }
        for (i, c) in self.conditions.iter().enumerate() {
            let arg = format!("ladder.conditions[{i}]");
            if !known(c.level) {
                return Err(CxkpiError::invalid(
                    &arg,
                    format!("level {} is not defined in `levels`", c.level),
                ));
            }
            for (what, v) in [
                ("min_sigma", c.min_sigma),
                ("min_abs_deviation", c.min_abs_deviation),
            ] {
                if let Some(x) = v {
                    if !(x.is_finite() && x >= 0.0) {
                        return Err(CxkpiError::invalid(
                            &arg,
                            format!("{what} = {x} must be finite and >= 0"),
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    fn level(&self, lv: u8) -> &LadderLevel {
        self.levels
            .iter()
            .find(|l| l.level == lv)
            .unwrap_or(&self.levels[0])
    }
}

/// Context of [`build_alerts`]: what the signals measure and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AlertOptions {
    /// KPI name used in explanations and matched by `kpis` conditions (e.g. `"NPS"`).
    pub kpi: Option<String>,
    /// Unit of the deviation in explanations (default `"points"`).
    pub unit: String,
    /// Labels (dates) of the series positions: `dates[index]` names the point of a signal.
    pub dates: Option<Vec<String>>,
    /// When the alerts are raised (`YYYY-MM-DD` or `YYYY-MM-DDTHH:MM:SS`): gives each acknowledgement
    /// deadline.
    pub raised_at: Option<String>,
    /// Alerts below this level are dropped and counted (default 0: keep all).
    pub min_level: u8,
    /// Decimals of the numbers in explanations (default 1).
    pub decimals: usize,
}

impl Default for AlertOptions {
    fn default() -> Self {
        AlertOptions {
            kpi: None,
            unit: "points".into(),
            dates: None,
            raised_at: None,
            min_level: 0,
            decimals: 1,
        }
    }
}

impl AlertOptions {
    /// Checks the options.
    pub fn validate(&self) -> Result<()> {
        if self.min_level > 3 {
            return Err(CxkpiError::invalid(
                "min_level",
                format!("must be 0..=3, got {}", self.min_level),
            ));
        }
        if self.decimals > 10 {
            return Err(CxkpiError::invalid(
                "decimals",
                format!("must be at most 10, got {}", self.decimals),
            ));
        }
        if let Some(r) = &self.raised_at {
            parse_time(r)?;
        }
        Ok(())
    }
}

fn parse_time(s: &str) -> Result<chrono::NaiveDateTime> {
    if let Ok(t) = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S") {
        return Ok(t);
    }
    if let Ok(d) = chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(d.and_hms_opt(0, 0, 0).unwrap_or_default());
    }
    Err(CxkpiError::invalid(
        "raised_at",
        format!("\"{s}\" is not YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS"),
    ))
}

/// One explained, escalated alert.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alert {
    /// Escalation level 0..=3.
    pub level: u8,
    /// Its name in the ladder.
    pub level_name: String,
    /// Owner role who must acknowledge.
    pub owner: String,
    /// Acknowledgement window in hours (None: none needed).
    pub ack_hours: Option<f64>,
    /// `raised_at` + `ack_hours` (`YYYY-MM-DDTHH:MM:SS`), when both are known.
    pub ack_deadline: Option<String>,
    /// Names of the ladder conditions the signal met (ascending level, then ladder order).
    pub matched: Vec<String>,
    /// Rule id.
    pub rule: String,
    /// The rule's parameters.
    pub parameters: BTreeMap<String, f64>,
    /// Detector (chart) that produced the signal.
    pub detector: String,
    /// Segment / series.
    pub series: Option<String>,
    /// KPI name.
    pub kpi: Option<String>,
    /// Position at which the rule fired.
    pub index: usize,
    /// `dates[index]`, when dates were given.
    pub date: Option<String>,
    /// Points that formed the pattern.
    pub points: Vec<usize>,
    /// Number of points in the pattern (persistence).
    pub persistence: u64,
    /// Observed value (KPI units).
    pub value: f64,
    /// Baseline / centre line (KPI units).
    pub center: f64,
    /// value − center (KPI units).
    pub deviation: f64,
    /// Deviation in sigma.
    pub sigma: Option<f64>,
    /// Sample size behind the point.
    pub n: Option<f64>,
    /// Standard error of the point.
    pub se: Option<f64>,
    /// In-control false-alarm probability per point.
    pub false_alarm_rate: Option<f64>,
    /// In-control average run length 1 / false_alarm_rate.
    pub arl0: Option<f64>,
    /// Direction.
    pub direction: SignalDirection,
    /// How the baseline was computed.
    pub baseline: BaselineInfo,
    /// Plain words, built from the fields above.
    pub explanation: String,
}

/// Result of [`build_alerts`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertReport {
    /// Alerts: level descending, then position, series, rule, detector, deviation.
    pub alerts: Vec<Alert>,
    /// Ladder name.
    pub ladder: String,
    /// Signals received.
    pub n_signals: u64,
    /// Signals dropped for being below `min_level`.
    pub n_below_min_level: u64,
    /// Alerts per level 0..=3.
    pub by_level: Vec<u64>,
}

fn matches(c: &LadderCondition, s: &Signal, kpi: Option<&str>) -> bool {
    if !c.rules.is_empty() && !c.rules.contains(&s.rule) {
        return false;
    }
    if !c.detectors.is_empty() && !c.detectors.contains(&s.detector) {
        return false;
    }
    if let Some(m) = c.min_sigma {
        match s.sigma {
            Some(x) if x.abs() >= m => {}
            _ => return false,
        }
    }
    if let Some(m) = c.min_abs_deviation {
        if s.deviation.abs() < m {
            return false;
        }
    }
    if let Some(m) = c.min_points {
        if (s.points.len() as u64) < m {
            return false;
        }
    }
    if !c.kpis.is_empty() && !kpi.is_some_and(|k| c.kpis.iter().any(|x| x == k)) {
        return false;
    }
    if !c.segments.is_empty()
        && !s
            .series
            .as_deref()
            .is_some_and(|g| c.segments.iter().any(|x| x == g))
    {
        return false;
    }
    if let Some(d) = c.direction {
        if d != s.direction {
            return false;
        }
    }
    true
}

/// A parameter value in words: integers plainly, others with up to 4 decimals, tiny ones in e-notation.
fn num(x: f64) -> String {
    if x == x.trunc() && x.abs() < 1e15 {
        return format!("{}", x as i64);
    }
    if x.abs() >= 1e-3 {
        let s = format!("{x:.4}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        return s.to_string();
    }
    format!("{x:.2e}")
}

fn method_words(m: &str) -> String {
    match m {
        "" => "its".into(),
        m if m.len() <= 4 => format!("its {}", m.to_uppercase()),
        m => format!("its {}", m.replace('_', "-")),
    }
}

fn baseline_words(b: &BaselineInfo) -> String {
    let mut parts: Vec<String> = Vec::new();
    for (k, v) in &b.parameters {
        if k == "window" {
            parts.push(format!("{} days", num(*v)));
        } else {
            parts.push(format!("{k}={}", num(*v)));
        }
    }
    match b.excluded.len() {
        0 => {}
        1 => parts.push("1 event day excluded".into()),
        n => parts.push(format!("{n} event days excluded")),
    }
    if let Some(s) = &b.seasonal_adjustment {
        parts.push(format!("seasonally adjusted by {s}"));
    }
    let head = format!("{} baseline", method_words(&b.method));
    if parts.is_empty() {
        head
    } else {
        format!("{head} ({})", parts.join(", "))
    }
}

fn explain(
    s: &Signal,
    level: &LadderLevel,
    kpi: Option<&str>,
    date: Option<&str>,
    o: &AlertOptions,
) -> String {
    let d = o.decimals;
    let mut out = kpi.unwrap_or("value").to_string();
    if let Some(g) = &s.series {
        out.push_str(&format!(" in {g}"));
    }
    let sig = s
        .sigma
        .map(|x| format!(" ({:.d$} sigma)", x.abs()))
        .unwrap_or_default();
    let base = baseline_words(&s.baseline);
    match s.direction {
        SignalDirection::Up => out.push_str(&format!(
            " rose {:.d$} {}{sig} above {base}",
            s.deviation.abs(),
            o.unit
        )),
        SignalDirection::Down => out.push_str(&format!(
            " fell {:.d$} {}{sig} below {base}",
            s.deviation.abs(),
            o.unit
        )),
        SignalDirection::Neither => out.push_str(&format!(
            " deviated {:+.d$} {}{sig} from {base}",
            s.deviation, o.unit
        )),
    }
    match date {
        Some(t) => out.push_str(&format!(" on {t}")),
        None => out.push_str(&format!(" at point {}", s.index)),
    }
    if s.detector == "screen" {
        out.push_str(&format!(" ({} evidence rows)", s.points.len()));
    } else if s.points.len() > 1 {
        out.push_str(&format!(" ({} points in the pattern)", s.points.len()));
    }
    out.push_str(&format!("; rule {}", s.rule));
    let params: Vec<String> = s
        .parameters
        .iter()
        .map(|(k, v)| format!("{k}={}", num(*v)))
        .collect();
    if !params.is_empty() {
        out.push(' ');
        out.push_str(&params.join(" "));
    }
    if let Some(f) = s.false_alarm_rate.filter(|f| *f > 0.0) {
        if s.detector == "screen" {
            out.push_str(&format!(" (false-alarm level {} after adjustment)", num(f)));
        } else {
            out.push_str(&format!(" (in-control ARL {:.0})", 1.0 / f));
        }
    }
    let action = level
        .action
        .clone()
        .unwrap_or_else(|| format!("{}:", level.name));
    out.push_str(&format!("; {action} {}", level.owner));
    if let Some(h) = level.ack_hours {
        out.push_str(&format!(" within {} h", num(h)));
    }
    out
}

/// Turns signals into explained, escalated alerts with `ladder`.
///
/// ```
/// use cxkpi::baseline::alerts::{build_alerts, AlertLadder, AlertOptions};
/// use cxkpi::baseline::{BaselineInfo, Signal, SignalDirection};
/// use std::collections::BTreeMap;
///
/// let s = Signal {
///     rule: "cusum_lower".into(),
///     parameters: BTreeMap::from([("k".into(), 0.5), ("h".into(), 4.0)]),
///     detector: "cusum".into(),
///     series: Some("EMEA".into()),
///     index: 2,
///     points: vec![0, 1, 2],
///     value: 20.0,
///     center: 32.3,
///     deviation: -12.3,
///     sigma: Some(-3.4),
///     n: Some(410.0),
///     se: Some(3.6),
///     false_alarm_rate: Some(1.0 / 168.0),
///     direction: SignalDirection::Down,
///     baseline: BaselineInfo { method: "ewma".into(), ..BaselineInfo::default() },
/// };
/// let o = AlertOptions { kpi: Some("NPS".into()), ..AlertOptions::default() };
/// let r = build_alerts(&[s], &AlertLadder::default(), &o).unwrap();
/// assert_eq!(r.alerts[0].level, 2);
/// assert!(r.alerts[0].explanation.starts_with("NPS in EMEA fell 12.3 points (3.4 sigma)"));
/// ```
pub fn build_alerts(
    signals: &[Signal],
    ladder: &AlertLadder,
    options: &AlertOptions,
) -> Result<AlertReport> {
    ladder.validate()?;
    options.validate()?;
    let raised = options.raised_at.as_deref().map(parse_time).transpose()?;
    let kpi = options.kpi.as_deref();
    let mut alerts = Vec::with_capacity(signals.len());
    let mut dropped = 0u64;
    for (k, s) in signals.iter().enumerate() {
        if !(s.value.is_finite() && s.center.is_finite() && s.deviation.is_finite()) {
            return Err(CxkpiError::invalid(
                &format!("signals[{k}]"),
                "value, center and deviation must be finite",
            ));
        }
        let date = match &options.dates {
            Some(d) => Some(d.get(s.index).cloned().ok_or_else(|| {
                CxkpiError::invalid(
                    "dates",
                    format!(
                        "signals[{k}].index = {} but only {} dates were given",
                        s.index,
                        d.len()
                    ),
                )
            })?),
            None => None,
        };
        let mut met: Vec<(u8, usize, String)> = Vec::new();
        for (ci, c) in ladder.conditions.iter().enumerate() {
            if matches(c, s, kpi) {
                met.push((
                    c.level,
                    ci,
                    c.name.clone().unwrap_or_else(|| format!("condition {ci}")),
                ));
            }
        }
        let lv = met
            .iter()
            .map(|m| m.0)
            .max()
            .unwrap_or(ladder.default_level);
        if lv < options.min_level {
            dropped += 1;
            continue;
        }
        met.sort();
        let level = ladder.level(lv);
        let ack_deadline = match (raised, level.ack_hours) {
            (Some(t), Some(h)) => Some(
                (t + chrono::Duration::seconds((h * 3600.0).round() as i64))
                    .format("%Y-%m-%dT%H:%M:%S")
                    .to_string(),
            ),
            _ => None,
        };
        let explanation = explain(s, level, kpi, date.as_deref(), options);
        alerts.push(Alert {
            level: lv,
            level_name: level.name.clone(),
            owner: level.owner.clone(),
            ack_hours: level.ack_hours,
            ack_deadline,
            matched: met.into_iter().map(|m| m.2).collect(),
            rule: s.rule.clone(),
            parameters: s.parameters.clone(),
            detector: s.detector.clone(),
            series: s.series.clone(),
            kpi: options.kpi.clone(),
            index: s.index,
            date,
            points: s.points.clone(),
            persistence: s.points.len() as u64,
            value: s.value,
            center: s.center,
            deviation: s.deviation,
            sigma: s.sigma,
            n: s.n,
            se: s.se,
            false_alarm_rate: s.false_alarm_rate,
            arl0: s.false_alarm_rate.filter(|f| *f > 0.0).map(|f| 1.0 / f),
            direction: s.direction,
            baseline: s.baseline.clone(),
            explanation,
        });
    }
    alerts.sort_by(|a, b| {
        b.level
            .cmp(&a.level)
            .then(a.index.cmp(&b.index))
            .then(a.series.cmp(&b.series))
            .then(a.rule.cmp(&b.rule))
            .then(a.detector.cmp(&b.detector))
            .then(a.deviation.total_cmp(&b.deviation))
            .then(a.value.total_cmp(&b.value))
            .then(a.explanation.cmp(&b.explanation))
            .then(a.points.cmp(&b.points))
    });
    let mut by_level = vec![0u64; 4];
    for a in &alerts {
        by_level[a.level as usize] += 1;
    }
    Ok(AlertReport {
        alerts,
        ladder: ladder.name.clone(),
        n_signals: signals.len() as u64,
        n_below_min_level: dropped,
        by_level,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_ladder_is_valid_and_roundtrips_json() {
        let l = AlertLadder::default();
        l.validate().unwrap();
        let text = serde_json::to_string(&l).unwrap();
        assert_eq!(AlertLadder::from_json(&text).unwrap(), l);
    }

    #[test]
    fn levels_out_of_order() {
        let mut l = AlertLadder::default();
        l.levels.swap(1, 2);
        assert_eq!(l.validate().unwrap_err().kind(), "invalid_argument");
    }

    #[test]
    fn numbers_in_words() {
        assert_eq!(num(4.0), "4");
        assert_eq!(num(0.5), "0.5");
        assert_eq!(num(0.0123456), "0.0123");
        assert_eq!(num(1.5e-7), "1.50e-7");
    }
}
