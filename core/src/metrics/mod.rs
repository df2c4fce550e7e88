//! Customer metrics: NPS, top-box shares (CSAT), CES and mean scores, churn and retention, sentiment
//! shares, comparisons, sample-size planning, grouped computation and mergeable partials.

pub mod churn;
pub mod compare;
pub mod grouped;
pub mod mean;
pub mod nps;
pub mod sample_size;
pub mod sentiment;
pub mod share;
pub mod trinomial;

pub use churn::{churn, convert_rate, ChurnBase, ChurnOptions, ChurnPartial, ChurnResult};
pub use compare::{
    compare_means, compare_nps, compare_shares, CompareMethod, CompareOptions, ComparisonResult,
};
pub use grouped::{grouped, GroupMetric, GroupedResult};
pub use mean::{
    ces, mean_from_summary, mean_score, MeanInterval, MeanOptions, MeanPartial, MeanResult,
};
pub use nps::{
    nps, nps_from_counts, NetIntervalOptions, NpsBands, NpsOptions, NpsPartial, NpsResult,
};
pub use sample_size::{sample_size, FpcMethod, SampleMetric, SampleSizeOptions, SampleSizeResult};
pub use sentiment::{
    parse_sentiment_labels, sentiment_from_counts, sentiment_share, SentimentOptions,
    SentimentPartial, SentimentResult,
};
pub use share::{
    proportion_interval, share_from_counts, top_box, BoxSide, BoxSpec, Interval, ProportionOptions,
    ShareOptions, ShareResult, TopBoxOptions, TopBoxPartial,
};
pub use trinomial::NetInterval;
