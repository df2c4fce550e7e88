//! Composite KPIs and the balanced scorecard: KPI definitions as a serde document, target scoring and
//! status colours, benchmarking normalisations, aggregation up the tree and across units, balance,
//! redundancy and myopia checks, Monte Carlo sensitivity and a full explanation of every figure.
//!
//! Methods follow the JRC/OECD *Handbook on Constructing Composite Indicators* (2008) and the R package
//! COINr (normalisation `n_minmax`, `n_zscore`, `n_rank`, `n_goalposts`, `n_dist2targ`, `n_dist2max`;
//! aggregation `a_amean`, `a_gmean`, `a_hmean`), and scorecard practice (red flag / threshold / target /
//! stretch scoring, stoplight colours). The document format and every policy are described in
//! `docs/scorecard.md`.
//!
//! ```
//! use cxkpi::composite::{Scorecard, Observations};
//! let sc = Scorecard::from_json(r#"{"id": "demo", "kpis": [
//!   {"id": "nps", "thresholds": {"red_flag": 0, "threshold": 20, "target": 40, "stretch": 60}},
//!   {"id": "aht", "direction": "lower", "thresholds": {"red_flag": 600, "target": 300}}]}"#).unwrap();
//! let obs = Observations::from_rows(&[("north", "nps", "2026-Q1", 30.0), ("north", "aht", "2026-Q1", 450.0)]);
//! let r = sc.evaluate(&obs, &Default::default()).unwrap();
//! // nps 30 lies halfway between threshold (10/3) and target (20/3): 5; aht 450 halfway from 600 to 300: 5.
//! assert!((r.units["north"].composite.unwrap() - 5.0).abs() < 1e-12);
//! ```

// Index loops over parallel columns read best as they are; negated comparisons are NaN-aware on purpose.
#![allow(
    clippy::needless_range_loop,
    clippy::neg_cmp_op_on_partial_ord,
    clippy::too_many_arguments,
    clippy::type_complexity
)]

mod analysis;
mod document;
mod evaluate;
pub mod json;
mod score;
mod sensitivity;
mod suggest;

pub use analysis::{
    balance, myopia, redundancy, BalanceReport, BalanceWarning, MyopiaFlag, RedundancyReport,
    RedundantPair,
};
pub use document::{
    BalanceRule, Compiled, DirectionalGoal, KpiDef, MyopiaLink, NodeDef, Scorecard, Settings,
    Thresholds, UnitDef,
};
pub use evaluate::{
    ColumnsResult, EvaluateOptions, ExplainStep, ItemResult, Observations, Policies, RollupGroup,
    ScorecardResult, UnitResult,
};
pub use score::{aggregate, normalise, score_thresholds, slope_test, SlopeTest};
pub use sensitivity::{sensitivity, SensitivityOptions, SensitivityResult, UnitStability};
pub use suggest::{suggest_weights, WeightSuggestion};

use crate::options::option_enum;

macro_rules! default_enum {
    ($t:ident, $v:ident) => {
        impl Default for $t {
            fn default() -> Self {
                $t::$v
            }
        }
    };
}

option_enum! {
    /// Balanced-scorecard perspective of a KPI.
    Perspective {
        Financial => "financial",
        Customer => "customer",
        InternalProcess => "internal_process",
        LearningGrowth => "learning_growth",
        Custom => "custom",
    }
}
default_enum!(Perspective, Custom);

option_enum! {
    /// Leading (predictive) or lagging (outcome) indicator.
    Indicator {
        Leading => "leading",
        Lagging => "lagging",
    }
}
default_enum!(Indicator, Lagging);

option_enum! {
    /// Which way is better for a KPI.
    KpiDirection {
        /// Higher values are better.
        Higher => "higher",
        /// Lower values are better.
        Lower => "lower",
        /// Values closer to the target are better.
        Closer => "closer",
    }
}
default_enum!(KpiDirection, Higher);

option_enum! {
    /// Reporting frequency of a KPI (informational).
    Frequency {
        Daily => "daily",
        Weekly => "weekly",
        Monthly => "monthly",
        Quarterly => "quarterly",
        Yearly => "yearly",
    }
}

option_enum! {
    /// How a KPI's periods combine into the value that is scored.
    PeriodAggregation {
        /// Sum of the period values.
        Sum => "sum",
        /// Mean of the period values.
        Mean => "mean",
        /// The value of the latest period (default).
        Last => "last",
        /// Σ numerator / Σ denominator over the periods.
        RatioOfSums => "ratio_of_sums",
        /// Mean over periods of numerator / denominator.
        MeanOfRatios => "mean_of_ratios",
        /// Sum of the periods in the year of the latest period (the first four characters of the period).
        Ytd => "ytd",
    }
}
default_enum!(PeriodAggregation, Last);

option_enum! {
    /// Weighted mean used to aggregate children into a node (COINr a_amean / a_gmean / a_hmean).
    Aggregation {
        /// Σ w x / Σ w.
        Arithmetic => "arithmetic",
        /// exp(Σ w ln x / Σ w).
        Geometric => "geometric",
        /// Σ w / Σ (w / x).
        Harmonic => "harmonic",
    }
}
default_enum!(Aggregation, Arithmetic);

option_enum! {
    /// Zero components in a geometric or harmonic mean.
    ZeroPolicy {
        /// Fail with `invalid_argument` naming the node, unit and component (COINr a_gmean refuses zeros).
        Error => "error",
        /// The mean is 0 (its mathematical limit) (default).
        Propagate => "propagate",
        /// Zero components are treated as missing (then the missing-KPI policy applies).
        Exclude => "exclude",
    }
}
default_enum!(ZeroPolicy, Propagate);

option_enum! {
    /// What a missing child does to its node.
    MissingKpiPolicy {
        /// The present children's weights are rescaled to sum to 1 (default).
        Renormalise => "renormalise",
        /// A missing child counts as a score of 0 with its full weight.
        ZeroFill => "zero_fill",
        /// Fail with `missing_value` naming the unit and the item.
        Error => "error",
    }
}
default_enum!(MissingKpiPolicy, Renormalise);

option_enum! {
    /// Whether a value exactly at a threshold earns it (status colours).
    Inclusivity {
        /// At the threshold earns it (default).
        Inclusive => "inclusive",
        /// Must be strictly better than the threshold.
        Exclusive => "exclusive",
    }
}
default_enum!(Inclusivity, Inclusive);

option_enum! {
    /// How KPI values become scores.
    ScoringMethod {
        /// Linear between the KPI's thresholds on 0..score_max, capped (default). For payouts.
        Target => "target",
        /// A normalisation across units (benchmarking only).
        Normalised => "normalised",
    }
}
default_enum!(ScoringMethod, Target);

option_enum! {
    /// Benchmarking normalisations (COINr equivalents in brackets).
    NormalisationMethod {
        /// (x - min) / (max - min) [n_minmax, l_u = c(0, 1)], times score_max.
        MinMax => "min_max",
        /// (x - mean) / sd, sd with n - 1 [n_zscore, m_sd = c(0, 1)]; not rescaled.
        ZScore => "z_score",
        /// Rank, 1 = lowest, ties get the minimum rank [n_rank, ties.method = "min"]; not rescaled.
        Rank => "rank",
        /// (x - lower) / (upper - lower) truncated to [0, 1] [n_goalposts, gposts = c(l, u, 1)], times score_max.
        Goalposts => "goalposts",
        /// (x - min) / (target - min), capped at 1 [n_dist2targ, cap_max = TRUE], times score_max.
        DistanceToTarget => "distance_to_target",
        /// 1 - (max - x) / (max - min) [n_dist2max], times score_max.
        DistanceToBest => "distance_to_best",
    }
}
default_enum!(NormalisationMethod, MinMax);

option_enum! {
    /// What a normalisation does when the KPI's values have zero range (or zero SD).
    ZeroRangePolicy {
        /// Fail with `invalid_argument` naming the KPI (default).
        Error => "error",
        /// Every unit gets the midpoint 0.5 (bounded methods) or 0 (z-score).
        Constant => "constant",
        /// Every unit's value is missing (then the missing-KPI policy applies).
        Missing => "missing",
    }
}
default_enum!(ZeroRangePolicy, Error);

option_enum! {
    /// Status colour of a KPI or node.
    Status {
        /// Worse than the threshold (or than the amber band for nodes).
        Red => "red",
        /// Threshold earned, target not.
        Amber => "amber",
        /// Target earned, stretch not.
        Green => "green",
        /// Stretch earned.
        Blue => "blue",
        /// No value.
        Missing => "missing",
        /// No status defined (no thresholds, or an unbounded normalisation).
        None => "none",
    }
}
