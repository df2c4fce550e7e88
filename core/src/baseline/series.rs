//! Daily series with explicit missing days, built from (date, value) pairs, and daily aggregation of
//! row-level answers.
//!
//! A [`DailySeries`] is a start date plus one slot per calendar day; a day without a value is `None`
//! (never a silent NaN, never a dropped day). Building from pairs reports every gap and refuses duplicate
//! dates with a typed error naming both positions. The slice-first functions of the other baseline
//! modules take `&[f64]` with NaN marking a missing day: [`DailySeries::values_nan`] gives that view.
//!
//! ```
//! use chrono::NaiveDate;
//! use cxkpi::baseline::series::DailySeries;
//! let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
//! let built = DailySeries::from_pairs(&[(d("2026-01-01"), 40.0), (d("2026-01-04"), 42.0), (d("2026-01-02"), 41.0)]).unwrap();
//! assert_eq!(built.series.len(), 4);
//! assert_eq!(built.gaps.len(), 1); // 2026-01-03 is missing
//! assert_eq!(built.series.values[2], None);
//! ```

use crate::error::{CxkpiError, Result};
use crate::options::option_enum;
use crate::stats::sum::NeumaierSum;
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

/// The calendar date type (chrono's `NaiveDate`), re-exported so that bindings need no chrono dependency.
pub type Date = NaiveDate;

/// Serde for `chrono::NaiveDate` as an ISO `YYYY-MM-DD` string.
pub mod iso_date {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Serialises a date as `YYYY-MM-DD`.
    pub fn serialize<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&d.format("%Y-%m-%d").to_string())
    }

    /// Parses `YYYY-MM-DD`.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        let s = String::deserialize(d)?;
        NaiveDate::parse_from_str(&s, "%Y-%m-%d")
            .map_err(|e| serde::de::Error::custom(format!("date \"{s}\" is not YYYY-MM-DD: {e}")))
    }
}

/// Parses an ISO `YYYY-MM-DD` date; `arg` names the argument in the error.
pub fn parse_date(arg: &str, s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|e| CxkpiError::invalid(arg, format!("\"{s}\" is not a YYYY-MM-DD date ({e})")))
}

/// The ISO `YYYY-MM-DD` text of a date.
pub fn format_date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The date `d` days after 1970-01-01 (negative = before); `arg[index]` names it in the error when out of range.
/// This is how numpy `datetime64[D]` and JavaScript day numbers cross the bindings.
pub fn epoch_day(arg: &str, index: usize, d: i64) -> Result<NaiveDate> {
    let e = NaiveDate::from_ymd_opt(1970, 1, 1).expect("epoch");
    let r = if d >= 0 {
        e.checked_add_days(Days::new(d as u64))
    } else {
        e.checked_sub_days(Days::new(d.unsigned_abs()))
    };
    r.ok_or_else(|| {
        CxkpiError::invalid(
            arg,
            format!("element {index} ({d} days from 1970-01-01) is out of range"),
        )
    })
}

/// Number of days from `a` to `b` (negative if `b` is before `a`).
pub fn days_between(a: NaiveDate, b: NaiveDate) -> i64 {
    (b - a).num_days()
}

/// A daily series: `values[i]` belongs to `start + i` days; `None` is a missing day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DailySeries {
    /// Date of `values[0]`.
    #[serde(with = "iso_date")]
    pub start: NaiveDate,
    /// One slot per calendar day.
    pub values: Vec<Option<f64>>,
}

/// A run of consecutive missing days.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Gap {
    /// First missing day.
    #[serde(with = "iso_date")]
    pub start: NaiveDate,
    /// Last missing day (inclusive).
    #[serde(with = "iso_date")]
    pub end: NaiveDate,
    /// Index of the first missing day in the series.
    pub index: usize,
    /// Number of missing days.
    pub days: usize,
}

/// A series built from pairs, with the gaps it contains.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BuiltSeries {
    /// The series, first to last given date.
    pub series: DailySeries,
    /// Runs of missing days, in date order.
    pub gaps: Vec<Gap>,
    /// Total missing days.
    pub n_missing: usize,
}

impl DailySeries {
    /// A series from a start date and values; a non-finite `Some` value is an error naming its index.
    pub fn new(start: NaiveDate, values: Vec<Option<f64>>) -> Result<Self> {
        for (i, v) in values.iter().enumerate() {
            if let Some(x) = v {
                if !x.is_finite() {
                    return Err(CxkpiError::invalid(
                        "values",
                        format!("element {i} is {x}; use None for a missing day"),
                    ));
                }
            }
        }
        Ok(DailySeries { start, values })
    }

    /// A series from a column where NaN marks a missing day (±Infinity is an error).
    pub fn from_values(start: NaiveDate, values: &[f64]) -> Result<Self> {
        Self::new(
            start,
            values
                .iter()
                .map(|&x| if x.is_nan() { None } else { Some(x) })
                .collect(),
        )
    }

    /// Builds a series from (date, value) pairs in any order. Days between the first and last date
    /// that have no pair become `None` and are reported as [`Gap`]s; a NaN value is also a missing day.
    /// Two pairs with the same date are an `invalid_argument` error naming the date and both positions.
    pub fn from_pairs(pairs: &[(NaiveDate, f64)]) -> Result<BuiltSeries> {
        if pairs.is_empty() {
            return Err(CxkpiError::EmptyInput {
                arg: "pairs".into(),
            });
        }
        let mut order: Vec<usize> = (0..pairs.len()).collect();
        order.sort_by_key(|&i| (pairs[i].0, i));
        for w in order.windows(2) {
            if pairs[w[0]].0 == pairs[w[1]].0 {
                return Err(CxkpiError::invalid(
                    "dates",
                    format!(
                        "date {} appears twice (positions {} and {}); aggregate to one value per day first",
                        format_date(pairs[w[0]].0),
                        w[0],
                        w[1]
                    ),
                ));
            }
        }
        let start = pairs[order[0]].0;
        let end = pairs[*order.last().unwrap()].0;
        let n = days_between(start, end) as usize + 1;
        let mut values = vec![None; n];
        for &(d, x) in pairs {
            if x.is_infinite() {
                return Err(CxkpiError::invalid(
                    "values",
                    format!("value on {} is {x}; values must be finite", format_date(d)),
                ));
            }
            values[days_between(start, d) as usize] = if x.is_nan() { None } else { Some(x) };
        }
        let series = DailySeries { start, values };
        let gaps = series.gaps();
        let n_missing = gaps.iter().map(|g| g.days).sum();
        Ok(BuiltSeries {
            series,
            gaps,
            n_missing,
        })
    }

    /// Number of days.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// True when the series has no day.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Date of day `i`.
    pub fn date(&self, i: usize) -> NaiveDate {
        self.start + Days::new(i as u64)
    }

    /// Last date.
    pub fn end(&self) -> NaiveDate {
        self.date(self.len().saturating_sub(1))
    }

    /// Index of `date`, if inside the series.
    pub fn index_of(&self, date: NaiveDate) -> Option<usize> {
        let k = days_between(self.start, date);
        (k >= 0 && (k as usize) < self.len()).then_some(k as usize)
    }

    /// The values as a column with NaN for missing days (the input of the slice-first functions).
    pub fn values_nan(&self) -> Vec<f64> {
        self.values.iter().map(|v| v.unwrap_or(f64::NAN)).collect()
    }

    /// Indices of missing days.
    pub fn missing(&self) -> Vec<usize> {
        (0..self.len())
            .filter(|&i| self.values[i].is_none())
            .collect()
    }

    /// Runs of missing days.
    pub fn gaps(&self) -> Vec<Gap> {
        let mut gaps = Vec::new();
        let mut i = 0;
        while i < self.len() {
            if self.values[i].is_none() {
                let s = i;
                while i < self.len() && self.values[i].is_none() {
                    i += 1;
                }
                gaps.push(Gap {
                    start: self.date(s),
                    end: self.date(i - 1),
                    index: s,
                    days: i - s,
                });
            } else {
                i += 1;
            }
        }
        gaps
    }
}

option_enum! {
    /// The per-day statistic of [`aggregate_daily`].
    #[derive(Default)]
    DailyStat {
        /// Mean of the day's values.
        #[default]
        Mean => "mean",
        /// Sum of the day's values.
        Sum => "sum",
        /// Number of values (answers) that day.
        Count => "count",
        /// NPS on -100..100 of the day's 0-10 answers (promoters 9-10, detractors 0-6).
        Nps => "nps",
        /// Top-2-box share (0..1) of 1-5 answers (4 or 5).
        TopBox => "top_box",
    }
}

/// Row-level answers aggregated to one value per day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DailyAggregate {
    /// The statistic used.
    pub stat: DailyStat,
    /// Per-day statistic (`None` on days without an answer).
    pub series: DailySeries,
    /// Answers per day (0 on missing days).
    pub n: Vec<u64>,
    /// Rows skipped because the value was NaN (missing answer), counted, never silent.
    pub n_missing_values: u64,
    /// Runs of days without any answer.
    pub gaps: Vec<Gap>,
}

/// Aggregates row-level answers (`dates[i]`, `values[i]`) to one value per day, from the first to the last
/// date. NaN answers are skipped and counted; a day without answers is `None`. For `nps` the answers must be
/// whole 0-10 points; for `top_box` whole 1-5 points (errors name the row).
pub fn aggregate_daily(
    dates: &[NaiveDate],
    values: &[f64],
    stat: DailyStat,
) -> Result<DailyAggregate> {
    crate::stats::check::same_len("values", values.len(), "dates", dates.len())?;
    if dates.is_empty() {
        return Err(CxkpiError::EmptyInput {
            arg: "dates".into(),
        });
    }
    let start = *dates.iter().min().unwrap();
    let end = *dates.iter().max().unwrap();
    let n_days = days_between(start, end) as usize + 1;
    let mut sums = vec![NeumaierSum::default(); n_days];
    let mut n = vec![0u64; n_days];
    let mut n_missing_values = 0;
    for (i, (&d, &x)) in dates.iter().zip(values).enumerate() {
        if x.is_nan() {
            n_missing_values += 1;
            continue;
        }
        let (lo, hi) = match stat {
            DailyStat::Nps => (0.0, 10.0),
            DailyStat::TopBox => (1.0, 5.0),
            _ => (f64::NEG_INFINITY, f64::INFINITY),
        };
        if !x.is_finite() && matches!(stat, DailyStat::Mean | DailyStat::Sum | DailyStat::Count) {
            return Err(CxkpiError::invalid(
                "values",
                format!("element {i} is {x}; values must be finite"),
            ));
        }
        if x < lo || x > hi {
            return Err(CxkpiError::OutOfScale {
                arg: "values".into(),
                index: i,
                value: x,
                scale: format!("{lo}..{hi}"),
            });
        }
        if matches!(stat, DailyStat::Nps | DailyStat::TopBox) && x.fract() != 0.0 {
            return Err(CxkpiError::NonInteger {
                arg: "values".into(),
                index: i,
                value: x,
            });
        }
        let k = days_between(start, d) as usize;
        n[k] += 1;
        let contrib = match stat {
            DailyStat::Mean | DailyStat::Sum => x,
            DailyStat::Count => 1.0,
            DailyStat::Nps => {
                if x >= 9.0 {
                    1.0
                } else if x <= 6.0 {
                    -1.0
                } else {
                    0.0
                }
            }
            DailyStat::TopBox => {
                if x >= 4.0 {
                    1.0
                } else {
                    0.0
                }
            }
        };
        sums[k].add(contrib);
    }
    let vals: Vec<Option<f64>> = (0..n_days)
        .map(|k| {
            if n[k] == 0 {
                return None;
            }
            let s = sums[k].value();
            Some(match stat {
                DailyStat::Mean | DailyStat::TopBox => s / n[k] as f64,
                DailyStat::Sum | DailyStat::Count => s,
                DailyStat::Nps => 100.0 * s / n[k] as f64,
            })
        })
        .collect();
    let series = DailySeries {
        start,
        values: vals,
    };
    let gaps = series.gaps();
    Ok(DailyAggregate {
        stat,
        series,
        n,
        n_missing_values,
        gaps,
    })
}

option_enum! {
    /// What to do with missing days (NaN) where a method needs a complete series.
    #[derive(Default)]
    MissingDays {
        /// A missing day is a `missing_value` error naming its index.
        #[default]
        Error => "error",
        /// Fill each missing day by linear interpolation between the nearest observed days (leading or
        /// trailing missing days take the nearest observed value); the filled indices are recorded.
        InterpolateLinear => "interpolate_linear",
    }
}

/// Applies a [`MissingDays`] policy to a column (NaN = missing day): the complete column and the indices
/// that were filled. ±Infinity is always an error; a column without any observed day is `insufficient_data`.
pub fn fill_missing(
    arg: &str,
    values: &[f64],
    policy: MissingDays,
) -> Result<(Vec<f64>, Vec<usize>)> {
    let mut filled = Vec::new();
    for (i, &x) in values.iter().enumerate() {
        if x.is_infinite() {
            return Err(CxkpiError::invalid(
                arg,
                format!("element {i} is {x}; values must be finite"),
            ));
        }
        if x.is_nan() {
            if policy == MissingDays::Error {
                return Err(CxkpiError::MissingValue {
                    arg: arg.to_string(),
                    index: i,
                });
            }
            filled.push(i);
        }
    }
    if filled.is_empty() {
        return Ok((values.to_vec(), filled));
    }
    let obs: Vec<usize> = (0..values.len()).filter(|&i| !values[i].is_nan()).collect();
    if obs.is_empty() {
        return Err(CxkpiError::InsufficientData {
            what: format!("`{arg}` (interpolating missing days)"),
            n: 0,
            required: 1,
        });
    }
    Ok((interpolate_at(values, &filled, &obs), filled))
}

/// Linear interpolation of `values` at `targets` from the observed indices `obs` (ascending).
pub(crate) fn interpolate_at(values: &[f64], targets: &[usize], obs: &[usize]) -> Vec<f64> {
    let mut out = values.to_vec();
    for &t in targets {
        let p = obs.partition_point(|&o| o < t);
        out[t] = if p == 0 {
            values[obs[0]]
        } else if p == obs.len() {
            values[obs[obs.len() - 1]]
        } else {
            let (a, b) = (obs[p - 1], obs[p]);
            let w = (t - a) as f64 / (b - a) as f64;
            values[a] + w * (values[b] - values[a])
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_date("d", s).unwrap()
    }

    #[test]
    fn pairs_gaps_and_duplicates() {
        let b = DailySeries::from_pairs(&[
            (d("2026-03-05"), 1.0),
            (d("2026-03-01"), 2.0),
            (d("2026-03-02"), f64::NAN),
        ])
        .unwrap();
        assert_eq!(b.series.start, d("2026-03-01"));
        assert_eq!(b.series.len(), 5);
        assert_eq!(b.n_missing, 3);
        assert_eq!(b.gaps[0].index, 1);
        assert_eq!(b.gaps[0].days, 3);
        let e =
            DailySeries::from_pairs(&[(d("2026-03-05"), 1.0), (d("2026-03-05"), 2.0)]).unwrap_err();
        assert_eq!(e.kind(), "invalid_argument");
        assert!(e.to_string().contains("2026-03-05"));
    }

    #[test]
    fn daily_nps() {
        let dates = [
            d("2026-01-01"),
            d("2026-01-01"),
            d("2026-01-03"),
            d("2026-01-01"),
        ];
        let a = aggregate_daily(&dates, &[10.0, 3.0, 9.0, 8.0], DailyStat::Nps).unwrap();
        assert_eq!(a.series.values, vec![Some(0.0), None, Some(100.0)]);
        assert_eq!(a.n, vec![3, 0, 1]);
    }

    #[test]
    fn interpolation() {
        let (v, f) = fill_missing(
            "x",
            &[f64::NAN, 1.0, f64::NAN, f64::NAN, 4.0, f64::NAN],
            MissingDays::InterpolateLinear,
        )
        .unwrap();
        assert_eq!(v, vec![1.0, 1.0, 2.0, 3.0, 4.0, 4.0]);
        assert_eq!(f, vec![0, 2, 3, 5]);
        assert_eq!(
            fill_missing("x", &[1.0, f64::NAN], MissingDays::Error)
                .unwrap_err()
                .kind(),
            "missing_value"
        );
    }
}
