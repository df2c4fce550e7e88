//! Event calendar: launches, PR crises, outages, holidays and survey-instrument changes, each with a
//! policy that says how a baseline treats its days ([`crate::baseline::expected`] applies them).
//!
//! | policy | the event's days | after the event |
//! |---|---|---|
//! | `exclude` | left out of the baseline; they get a counterfactual baseline | the baseline continues from the pre-event history |
//! | `level_shift` | left out; the shift δ = mean(observed − counterfactual) over the window is estimated | the pre-event history is moved by δ, so the baseline continues at the new level at once |
//! | `reset` | left out; counterfactual from the pre-event history | the history is forgotten; the baseline restarts from the first day after the event |
//! | `include` | enter the baseline like any day (impact still measured against the baseline) | — |
//!
//! Default policy per kind: `pr_crisis`, `outage`, `holiday` → `exclude`; `launch` → `level_shift`;
//! `instrument_change` → `reset`.
//!
//! A calendar is a serde document, the same in every language:
//!
//! ```
//! use cxkpi::baseline::events::{EventCalendar, EventPolicy};
//! let cal = EventCalendar::from_json(r#"{"events": [
//!   {"name": "EMEA outage", "kind": "outage", "start": "2026-05-12", "end": "2026-05-14"},
//!   {"name": "App 5.0", "kind": "launch", "start": "2026-06-02", "end": "2026-06-08"}
//! ]}"#).unwrap();
//! assert_eq!(cal.events[0].effective_policy(), EventPolicy::Exclude);
//! assert_eq!(cal.events[1].effective_policy(), EventPolicy::LevelShift);
//! ```

use crate::baseline::series::{days_between, format_date, iso_date};
use crate::error::{CxkpiError, Result};
use crate::options::option_enum;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

option_enum! {
    /// What happened.
    EventKind {
        /// A product or feature launch.
        Launch => "launch",
        /// A PR crisis.
        PrCrisis => "pr_crisis",
        /// A service outage.
        Outage => "outage",
        /// A public holiday or seasonal closure.
        Holiday => "holiday",
        /// A change of the survey instrument (question, scale, channel, vendor).
        InstrumentChange => "instrument_change",
    }
}

option_enum! {
    /// How a baseline treats an event's days.
    EventPolicy {
        /// Leave the days out of the baseline (counterfactual baseline on them).
        Exclude => "exclude",
        /// Leave them out and move the pre-event history by the estimated shift afterwards.
        LevelShift => "level_shift",
        /// Leave them out and restart the baseline after the event.
        Reset => "reset",
        /// Keep the days in the baseline.
        Include => "include",
    }
}

impl EventKind {
    /// The default policy of this kind.
    pub fn default_policy(self) -> EventPolicy {
        match self {
            EventKind::PrCrisis | EventKind::Outage | EventKind::Holiday => EventPolicy::Exclude,
            EventKind::Launch => EventPolicy::LevelShift,
            EventKind::InstrumentChange => EventPolicy::Reset,
        }
    }
}

/// One event: a named, dated window (both ends inclusive).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// Unique name.
    pub name: String,
    /// Kind.
    pub kind: EventKind,
    /// First day.
    #[serde(with = "iso_date")]
    pub start: NaiveDate,
    /// Last day (inclusive).
    #[serde(with = "iso_date")]
    pub end: NaiveDate,
    /// Policy; `None` takes the kind's default.
    #[serde(default)]
    pub policy: Option<EventPolicy>,
}

impl Event {
    /// The policy in force (explicit, else the kind's default).
    pub fn effective_policy(&self) -> EventPolicy {
        self.policy.unwrap_or(self.kind.default_policy())
    }

    /// Index range `[a, b]` (inclusive) of the event in a series of `n` days starting at `start`,
    /// clipped to the series; `None` if the event lies outside it.
    pub fn index_range(&self, start: NaiveDate, n: usize) -> Option<(usize, usize)> {
        let a = days_between(start, self.start);
        let b = days_between(start, self.end);
        if n == 0 || b < 0 || a >= n as i64 {
            return None;
        }
        Some((a.max(0) as usize, (b.min(n as i64 - 1)) as usize))
    }
}

/// A list of events.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct EventCalendar {
    /// The events, in any order.
    #[serde(default)]
    pub events: Vec<Event>,
}

impl EventCalendar {
    /// Parses a JSON calendar document and validates it.
    pub fn from_json(s: &str) -> Result<Self> {
        let c: EventCalendar =
            serde_json::from_str(s).map_err(|e| CxkpiError::invalid("events", e.to_string()))?;
        c.validate()?;
        Ok(c)
    }

    /// Reads a calendar from a JSON value (an object `{"events": [...]}` or a bare array of events).
    pub fn from_value(v: &serde_json::Value) -> Result<Self> {
        let c: EventCalendar = if v.is_null() {
            EventCalendar::default()
        } else if v.is_array() {
            EventCalendar {
                events: serde_json::from_value(v.clone())
                    .map_err(|e| CxkpiError::invalid("events", e.to_string()))?,
            }
        } else {
            serde_json::from_value(v.clone())
                .map_err(|e| CxkpiError::invalid("events", e.to_string()))?
        };
        c.validate()?;
        Ok(c)
    }

    /// Names non-empty and unique; `end` not before `start`.
    pub fn validate(&self) -> Result<()> {
        for (i, e) in self.events.iter().enumerate() {
            if e.name.trim().is_empty() {
                return Err(CxkpiError::invalid(
                    &format!("events[{i}].name"),
                    "must not be empty",
                ));
            }
            if e.end < e.start {
                return Err(CxkpiError::invalid(
                    &format!("events[{i}]"),
                    format!(
                        "\"{}\" ends ({}) before it starts ({})",
                        e.name,
                        format_date(e.end),
                        format_date(e.start)
                    ),
                ));
            }
            if let Some(j) = self.events[..i].iter().position(|o| o.name == e.name) {
                return Err(CxkpiError::invalid(
                    &format!("events[{i}].name"),
                    format!("\"{}\" is also the name of events[{j}]", e.name),
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_calendars() {
        let e = EventCalendar::from_json(
            r#"{"events":[{"name":"x","kind":"outage","start":"2026-01-05","end":"2026-01-04"}]}"#,
        )
        .unwrap_err();
        assert_eq!(e.kind(), "invalid_argument");
        let e = EventCalendar::from_json(
            r#"{"events":[{"name":"x","kind":"flood","start":"2026-01-05","end":"2026-01-06"}]}"#,
        )
        .unwrap_err();
        assert_eq!(e.kind(), "invalid_argument");
    }

    #[test]
    fn clipping() {
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let e = Event {
            name: "a".into(),
            kind: EventKind::Outage,
            start: d("2025-12-30"),
            end: d("2026-01-02"),
            policy: None,
        };
        assert_eq!(e.index_range(d("2026-01-01"), 10), Some((0, 1)));
        assert_eq!(e.index_range(d("2026-01-03"), 10), None);
    }
}
