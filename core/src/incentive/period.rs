//! Fiscal calendars: fiscal years and quarters as date ranges (chrono), pro-rating by days of participation,
//! and the clawback look-back window.

use crate::error::{CxkpiError, Result};
use crate::options::option_enum;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

option_enum! {
    /// Which calendar year names a fiscal year that does not start in January.
    FiscalYearNaming {
        /// FY N ends in calendar year N (FY2026 = 2025-07-01 .. 2026-06-30 when the year starts in July).
        EndYear => "end_year",
        /// FY N starts in calendar year N (FY2025 = 2025-07-01 .. 2026-06-30).
        StartYear => "start_year",
    }
}

// The option_enum! macro owns the derives, so Default is written out.
#[allow(clippy::derivable_impls)]
impl Default for FiscalYearNaming {
    fn default() -> Self {
        FiscalYearNaming::EndYear
    }
}

fn one() -> u32 {
    1
}

/// The plan's fiscal calendar.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FiscalCalendar {
    /// The month (1-12) the fiscal year starts in (default 1, January).
    #[serde(default = "one")]
    pub start_month: u32,
    /// How fiscal years are named (default `end_year`; irrelevant when the year starts in January).
    #[serde(default)]
    pub naming: FiscalYearNaming,
}

impl Default for FiscalCalendar {
    fn default() -> Self {
        FiscalCalendar {
            start_month: 1,
            naming: FiscalYearNaming::EndYear,
        }
    }
}

/// A plan period: a fiscal year, or one quarter of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Period {
    /// The fiscal year (named by the calendar's `naming`).
    pub fiscal_year: i32,
    /// The quarter 1-4, or absent for the whole fiscal year.
    #[serde(default)]
    pub quarter: Option<u32>,
}

/// A period resolved to dates (inclusive).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodDates {
    /// "FY2025" or "FY2025-Q3".
    pub label: String,
    /// First day, ISO.
    pub start: String,
    /// Last day, ISO.
    pub end: String,
    /// Number of days, both ends included.
    pub days: u32,
}

/// Parses an ISO date (`YYYY-MM-DD`), naming `arg` in the error.
pub(crate) fn parse_date(arg: &str, s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| CxkpiError::invalid(arg, format!("\"{s}\" is not a valid YYYY-MM-DD date")))
}

fn ymd(arg: &str, y: i32, m: u32) -> Result<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, 1)
        .ok_or_else(|| CxkpiError::invalid(arg, format!("year {y} is out of range")))
}

impl FiscalCalendar {
    /// Checks the start month.
    pub fn validate(&self) -> Result<()> {
        if !(1..=12).contains(&self.start_month) {
            return Err(CxkpiError::invalid(
                "calendar.start_month",
                format!("must be 1-12, got {}", self.start_month),
            ));
        }
        Ok(())
    }

    /// First day of fiscal year `fy`.
    pub fn year_start(&self, fy: i32) -> Result<NaiveDate> {
        let cal_year = if self.start_month == 1 || self.naming == FiscalYearNaming::StartYear {
            fy
        } else {
            fy - 1
        };
        ymd("fiscal_year", cal_year, self.start_month)
    }

    /// The fiscal year that contains `d`.
    pub fn fiscal_year_of(&self, d: NaiveDate) -> i32 {
        // The calendar year in which the containing fiscal year starts.
        let start_cal = if d.month() >= self.start_month {
            d.year()
        } else {
            d.year() - 1
        };
        if self.start_month == 1 || self.naming == FiscalYearNaming::StartYear {
            start_cal
        } else {
            start_cal + 1
        }
    }

    /// The first and last day of `p`.
    pub fn bounds(&self, p: &Period) -> Result<(NaiveDate, NaiveDate)> {
        let start = self.year_start(p.fiscal_year)?;
        let (first_month, months) = match p.quarter {
            None => (0, 12),
            Some(q @ 1..=4) => (3 * (q - 1), 3),
            Some(q) => {
                return Err(CxkpiError::invalid(
                    "period.quarter",
                    format!("must be 1-4, got {q}"),
                ))
            }
        };
        let add = |d: NaiveDate, m: u32| {
            d.checked_add_months(chrono::Months::new(m))
                .ok_or_else(|| CxkpiError::invalid("period", "date out of range"))
        };
        let s = add(start, first_month)?;
        let e = add(s, months)?
            .pred_opt()
            .ok_or_else(|| CxkpiError::invalid("period", "date out of range"))?;
        Ok((s, e))
    }

    /// The period resolved to dates with its label.
    pub fn dates(&self, p: &Period) -> Result<PeriodDates> {
        let (s, e) = self.bounds(p)?;
        Ok(PeriodDates {
            label: label(p),
            start: s.to_string(),
            end: e.to_string(),
            days: ((e - s).num_days() + 1) as u32,
        })
    }
}

/// "FY2025" or "FY2025-Q3".
pub fn label(p: &Period) -> String {
    match p.quarter {
        None => format!("FY{}", p.fiscal_year),
        Some(q) => format!("FY{}-Q{q}", p.fiscal_year),
    }
}

/// Share of the period `[ps, pe]` covered by `[start, end]` (either end open), counted in days.
pub(crate) fn participation(
    ps: NaiveDate,
    pe: NaiveDate,
    start: Option<NaiveDate>,
    end: Option<NaiveDate>,
) -> (u32, f64) {
    let s = start.map_or(ps, |d| d.max(ps));
    let e = end.map_or(pe, |d| d.min(pe));
    let total = (pe - ps).num_days() + 1;
    if e < s {
        return (0, 0.0);
    }
    let days = (e - s).num_days() + 1;
    (days as u32, days as f64 / total as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_years_and_quarters() {
        let c = FiscalCalendar::default();
        let d = c
            .dates(&Period {
                fiscal_year: 2025,
                quarter: Some(2),
            })
            .unwrap();
        assert_eq!(
            (d.start.as_str(), d.end.as_str(), d.days),
            ("2025-04-01", "2025-06-30", 91)
        );
        let july = FiscalCalendar {
            start_month: 7,
            naming: FiscalYearNaming::EndYear,
        };
        let d = july
            .dates(&Period {
                fiscal_year: 2026,
                quarter: None,
            })
            .unwrap();
        assert_eq!(
            (d.start.as_str(), d.end.as_str()),
            ("2025-07-01", "2026-06-30")
        );
        assert_eq!(
            july.fiscal_year_of(NaiveDate::from_ymd_opt(2025, 7, 1).unwrap()),
            2026
        );
        assert_eq!(
            july.fiscal_year_of(NaiveDate::from_ymd_opt(2025, 6, 30).unwrap()),
            2025
        );
        let sy = FiscalCalendar {
            start_month: 7,
            naming: FiscalYearNaming::StartYear,
        };
        assert_eq!(
            sy.fiscal_year_of(NaiveDate::from_ymd_opt(2025, 7, 1).unwrap()),
            2025
        );
        let e = c
            .bounds(&Period {
                fiscal_year: 2025,
                quarter: Some(5),
            })
            .unwrap_err();
        assert_eq!(e.kind(), "invalid_argument");
    }

    #[test]
    fn participation_by_days() {
        let ps = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
        let pe = NaiveDate::from_ymd_opt(2025, 12, 31).unwrap();
        let (d, f) = participation(ps, pe, NaiveDate::from_ymd_opt(2025, 7, 1), None);
        assert_eq!(d, 184);
        assert_eq!(f, 184.0 / 365.0);
    }
}
