//! The one error type of cxkpi and its stable kinds.
//!
//! Every fallible function returns [`Result<T>`](crate::Result). Each variant names what was wrong and where
//! (the argument, the index, the offending value) and has a stable snake_case [`CxkpiError::kind`] that the
//! Python binding maps to an exception class and the Node binding to an `Error.code` (`CXKPI_<KIND>`).

use serde::Serialize;

/// Result alias used throughout the crate.
pub type Result<T> = std::result::Result<T, CxkpiError>;

/// Every error cxkpi can return.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CxkpiError {
    /// A required column has no elements.
    #[error("`{arg}` is empty: at least one value is needed")]
    EmptyInput { arg: String },
    /// A missing value (NaN) where the missing-value policy is `error`.
    #[error("`{arg}[{index}]` is missing (NaN) and the missing-value policy is `error`")]
    MissingValue { arg: String, index: usize },
    /// An answer outside the declared scale.
    #[error("`{arg}[{index}]` = {value} is outside the scale {scale}")]
    OutOfScale {
        arg: String,
        index: usize,
        value: f64,
        scale: String,
    },
    /// An answer that should be a whole scale point but is not.
    #[error("`{arg}[{index}]` = {value} is not a whole scale point")]
    NonInteger {
        arg: String,
        index: usize,
        value: f64,
    },
    /// Two columns that must have the same length do not.
    #[error("`{arg}` has length {len} but `{other}` has length {other_len}")]
    LengthMismatch {
        arg: String,
        len: usize,
        other: String,
        other_len: usize,
    },
    /// A weight that is NaN, infinite or negative.
    #[error("`{arg}[{index}]` = {value} is not a valid weight ({reason})")]
    InvalidWeight {
        arg: String,
        index: usize,
        value: f64,
        reason: String,
    },
    /// The weights of the rows that count sum to zero.
    #[error("`{arg}`: the weights of the {n} valid rows sum to zero")]
    ZeroWeightSum { arg: String, n: u64 },
    /// A confidence level outside the open interval (0, 1).
    #[error("`confidence` = {value} must lie strictly between 0 and 1")]
    InvalidConfidence { value: f64 },
    /// A method or policy name that is not known.
    #[error("`{arg}` = \"{value}\" is not known; expected one of: {expected}")]
    UnknownMethod {
        arg: String,
        value: String,
        expected: String,
    },
    /// Any other argument with a value that cannot be used.
    #[error("`{arg}`: {message}")]
    InvalidArgument { arg: String, message: String },
    /// Too few observations for the requested quantity.
    #[error("{what} needs at least {required} valid observations, got {n}")]
    InsufficientData { what: String, n: u64, required: u64 },
    /// Partials computed under different settings cannot be merged.
    #[error("cannot merge partials: {message}")]
    IncompatiblePartials { message: String },
    /// Margins whose totals disagree.
    #[error("margin totals disagree: variable {first} totals {first_total} but variable {other} totals {other_total}")]
    InconsistentMargins {
        first: usize,
        first_total: f64,
        other: usize,
        other_total: f64,
    },
    /// A target level that no respondent has.
    #[error("level {level} of variable {variable} has a target of {target} but no respondent (empty_level: error; use collapse or drop)")]
    EmptyLevel {
        variable: usize,
        level: usize,
        target: f64,
    },
    /// Constraints (bounds, targets) that no solution can meet.
    #[error("infeasible: {message}")]
    Infeasible { message: String },
    /// An iterative fit that did not reach its tolerance.
    #[error("{method} did not converge: largest relative margin error {max_rel_error:.3e} after {iterations} iterations (tolerance {tolerance:e})")]
    NotConverged {
        method: String,
        iterations: u32,
        max_rel_error: f64,
        tolerance: f64,
    },
    /// A valid request that this combination of inputs does not support.
    #[error("{message}")]
    Unsupported { message: String },
}

/// Structured, serialisable view of an error: its kind, message and fields.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorDetails {
    pub kind: &'static str,
    pub message: String,
    pub arg: Option<String>,
    pub index: Option<usize>,
    pub value: Option<f64>,
}

impl CxkpiError {
    /// All kinds, in declaration order (for bindings that build one class or code per kind).
    pub const KINDS: &'static [&'static str] = &[
        "empty_input",
        "missing_value",
        "out_of_scale",
        "non_integer",
        "length_mismatch",
        "invalid_weight",
        "zero_weight_sum",
        "invalid_confidence",
        "unknown_method",
        "invalid_argument",
        "insufficient_data",
        "incompatible_partials",
        "unsupported",
        "inconsistent_margins",
        "empty_level",
        "infeasible",
        "not_converged",
    ];

    /// Stable snake_case name of the error kind.
    pub fn kind(&self) -> &'static str {
        match self {
            CxkpiError::EmptyInput { .. } => "empty_input",
            CxkpiError::MissingValue { .. } => "missing_value",
            CxkpiError::OutOfScale { .. } => "out_of_scale",
            CxkpiError::NonInteger { .. } => "non_integer",
            CxkpiError::LengthMismatch { .. } => "length_mismatch",
            CxkpiError::InvalidWeight { .. } => "invalid_weight",
            CxkpiError::ZeroWeightSum { .. } => "zero_weight_sum",
            CxkpiError::InvalidConfidence { .. } => "invalid_confidence",
            CxkpiError::UnknownMethod { .. } => "unknown_method",
            CxkpiError::InvalidArgument { .. } => "invalid_argument",
            CxkpiError::InsufficientData { .. } => "insufficient_data",
            CxkpiError::IncompatiblePartials { .. } => "incompatible_partials",
            CxkpiError::Unsupported { .. } => "unsupported",
            CxkpiError::InconsistentMargins { .. } => "inconsistent_margins",
            CxkpiError::EmptyLevel { .. } => "empty_level",
            CxkpiError::Infeasible { .. } => "infeasible",
            CxkpiError::NotConverged { .. } => "not_converged",
        }
    }

    /// The argument, index and value the error points at, where it has them.
    pub fn details(&self) -> ErrorDetails {
        let (arg, index, value) = match self {
            CxkpiError::EmptyInput { arg } => (Some(arg.clone()), None, None),
            CxkpiError::MissingValue { arg, index } => (Some(arg.clone()), Some(*index), None),
            CxkpiError::OutOfScale {
                arg, index, value, ..
            }
            | CxkpiError::NonInteger { arg, index, value }
            | CxkpiError::InvalidWeight {
                arg, index, value, ..
            } => (Some(arg.clone()), Some(*index), Some(*value)),
            CxkpiError::LengthMismatch { arg, .. }
            | CxkpiError::ZeroWeightSum { arg, .. }
            | CxkpiError::UnknownMethod { arg, .. }
            | CxkpiError::InvalidArgument { arg, .. } => (Some(arg.clone()), None, None),
            CxkpiError::InvalidConfidence { value } => {
                (Some("confidence".into()), None, Some(*value))
            }
            _ => (None, None, None),
        };
        ErrorDetails {
            kind: self.kind(),
            message: self.to_string(),
            arg,
            index,
            value,
        }
    }

    pub(crate) fn invalid(arg: &str, message: impl Into<String>) -> Self {
        CxkpiError::InvalidArgument {
            arg: arg.to_string(),
            message: message.into(),
        }
    }
}
