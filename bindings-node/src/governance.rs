//! Bindings of core `governance` (`governanceCall`): definition registries, lookups, stamps, retirement and
//! scale bridges. The input is a JSON string with the same snake_case keys as in Rust and Python (see
//! `quality.rs`); results are plain objects with camelCase keys.

use napi::Env;
use napi_derive::napi;

use crate::convert::Tree;
use crate::metrics::run;
use crate::quality::parse;

/// Runs one governance function on a JSON input: `in_force` ({registry, id, date}), `history`, `retire`
/// ({registry, id, date, approver, reason}), `stamp` ({registry, id, date, lineage}), `bridge` ({bridge:
/// {method, from_scale, to_scale, old, new}}), `apply_bridge` ({bridge, values}), `bridge_series` ({bridge,
/// periods, values, break_period}), `registry_from_text` ({text, format}). See docs/governance.md.
///
/// @example
/// const b = governanceCall('bridge', JSON.stringify({ bridge: { method: 'linear', from_scale: [1, 5], to_scale: [1, 7] } }))
/// b.table[2].to // 4
#[napi(ts_return_type = "Record<string, any>")]
pub fn governance_call(env: Env, name: String, input: String) -> napi::Result<Tree> {
    run(&env, || {
        let v = parse(&input)?;
        Tree::of(&cxkpi::governance::json::call(&name, &v)?)
    })
}
