//! Bindings of core `quality` (`qualityCall`): response validation, privacy suppression, view policies,
//! reconciliation.
//!
//! The input is a JSON string (`JSON.stringify({...})`) with the same snake_case keys as in Rust and Python,
//! so documents, column names and ids reach the core exactly as written (no key renaming); missing numbers
//! are `null` (what `JSON.stringify` makes of `NaN`). Results are plain objects with camelCase keys.

use napi::Env;
use napi_derive::napi;
use serde_json::Value;

use crate::convert::Tree;
use crate::error::{invalid, Res};
use crate::metrics::run;

pub(crate) fn parse(input: &str) -> Res<Value> {
    serde_json::from_str(input).map_err(|e| invalid("input", format!("is not valid JSON: {e}")))
}

/// Runs one quality function on a JSON input: `validate` ({rules, columns}), `suppress` ({counts,
/// min_group_size, complementary, zero_cells}), `view_policy` ({policy, role, level, fields}), `reconcile`
/// ({a, b, kind, tolerance, alpha, share_test, rule, periods}), `rules_from_text` / `view_policy_from_text`
/// ({text, format}). See docs/data-quality.md.
///
/// @example
/// const r = qualityCall('validate', JSON.stringify({
///   rules: { rules: [{ id: 'scale', kind: 'out_of_scale', columns: ['nps'], min: 0, max: 10 }] },
///   columns: { nps: [9, 11, null] } }))
/// r.keep // [true, false, true]
#[napi(ts_return_type = "Record<string, any>")]
pub fn quality_call(env: Env, name: String, input: String) -> napi::Result<Tree> {
    run(&env, || {
        let v = parse(&input)?;
        Tree::of(&cxkpi::quality::json::call(&name, &v)?)
    })
}
