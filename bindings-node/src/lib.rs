//! Node binding of cxkpi (npm package `cxkpi`): customer-experience KPIs from one Rust core.
//!
//! Thin layer: argument conversion (typed arrays borrowed, plain arrays copied once), options objects
//! (camelCase -> snake_case -> core `from_options`), results as plain objects with camelCase keys, errors as
//! JS `Error`s with `code = "CXKPI_<KIND>"`, heavy calls also as promises computed off the event loop.
//! Survey weighting (`weighting`) takes data as named columns and targets keyed by variable and level.

mod baseline;
mod charts;
mod composite;
mod convert;
mod error;
mod governance;
mod incentive;
mod metrics;
mod quality;
mod screens;
mod stats;
mod text;
mod types;
mod weighting;

use napi_derive::napi;

/// Version of the cxkpi core this module was built from (the npm package has the same version).
#[napi]
pub fn version() -> String {
    cxkpi::VERSION.to_string()
}

/// The error kinds of cxkpi, in order; a thrown error has `code === 'CXKPI_' + kind.toUpperCase()`.
#[napi(
    ts_return_type = "Array<'empty_input' | 'missing_value' | 'out_of_scale' | 'non_integer' | 'length_mismatch' | 'invalid_weight' | 'zero_weight_sum' | 'invalid_confidence' | 'unknown_method' | 'invalid_argument' | 'insufficient_data' | 'incompatible_partials' | 'unsupported' | 'inconsistent_margins' | 'empty_level' | 'infeasible' | 'not_converged'>"
)]
pub fn error_kinds() -> Vec<String> {
    cxkpi::CxkpiError::KINDS
        .iter()
        .map(|k| k.to_string())
        .collect()
}
