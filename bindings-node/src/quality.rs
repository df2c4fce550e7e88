//! Bindings of core `quality`: columnar response validation (`validateResponses`, returning the
//! `Validation` class), rule sets (`ruleSet`), privacy suppression (`suppress`), view policies
//! (`viewPolicy`, `evaluateView`) and reconciliation (`reconcile`).
//!
//! Columns come as an object of named columns: a `Float64Array` is borrowed for the duration of the call
//! (no copy); other typed arrays and arrays of numbers (`null`/`undefined`/`NaN` = missing) are copied once;
//! arrays of strings (`null`/`undefined`/`''` = missing) are text columns. Documents (rule sets, view
//! policies) are objects with the document's own snake_case keys, or JSON/TOML text, parsed by the core with
//! serde (the same document in Rust, Python and Node). The validation's keep mask and failed-rule bit sets
//! go to JS as typed arrays that take over the core's vectors; the readable account of the excluded rows is
//! built when asked for (`excluded()`, `toObject()`).

use napi::bindgen_prelude::{AsyncTask, BigUint64Array, Int8Array, Task, Uint8Array};
use napi::{Env, Unknown, ValueType};
use napi_derive::napi;
use serde_json::Value;

use cxkpi::quality::{
    self as q, json as qj, Column as QColumn, ResponseTable, RuleSet, ViewPolicy,
};

use crate::convert::{column, options, Column, Js, Tree};
use crate::error::{guard, invalid, js, to_js_error, Res};
use crate::metrics::{arg, opt_arg, run};

// ------------------------------------------------------------------------------------------------------
// documents

/// A document given as an object (its own keys) or as JSON / TOML text: the JSON value to parse.
pub(crate) fn doc_value(
    v: Value,
    arg: &str,
    parse_text: fn(&str, &str) -> cxkpi::Result<Value>,
) -> Res<Value> {
    match v {
        Value::String(text) => {
            let format = if text.trim_start().starts_with('{') {
                "json"
            } else {
                "toml"
            };
            Ok(parse_text(&text, format)?)
        }
        Value::Object(_) => Ok(v),
        other => Err(invalid(
            arg,
            format!("must be an object or JSON / TOML text, got {other}"),
        )),
    }
}

fn rules_of(v: Value) -> Res<RuleSet> {
    Ok(RuleSet::from_value(&doc_value(
        v,
        "rules",
        qj::rules_from_text,
    )?)?)
}

fn policy_of(v: Value) -> Res<ViewPolicy> {
    Ok(ViewPolicy::from_value(&doc_value(
        v,
        "policy",
        qj::view_policy_from_text,
    )?)?)
}

/// Reads and validates a validation rule set (an object with the document's snake_case keys, or JSON /
/// TOML text; format in docs/data-quality.md); returns the normalised document (every default filled in),
/// which `validateResponses` accepts as is.
///
/// @example
/// const rules = ruleSet('[[rules]]\nid = "fast"\nkind = "speeder"\nduration = "secs"\nmin_seconds = 30\n')
/// rules.rules[0].kind // 'speeder'
#[napi(
    ts_args_type = "rules: string | Record<string, any>",
    ts_return_type = "Record<string, any>"
)]
pub fn rule_set(env: Env, rules: Value) -> napi::Result<Tree> {
    run(&env, || Tree::of_raw(&rules_of(rules)?))
}

// ------------------------------------------------------------------------------------------------------
// columns

/// One data column: numbers (borrowed `Float64Array` or a copy) or text.
enum DataColumn<'a> {
    Num(Column<'a>),
    Text(Vec<String>),
}

impl DataColumn<'_> {
    fn len(&self) -> usize {
        match self {
            DataColumn::Num(c) => c.len(),
            DataColumn::Text(t) => t.len(),
        }
    }
}

const COLUMN_KINDS: &str =
    "must be a Float64Array, an array of numbers (null = missing) or an array of strings (null = missing)";

/// A JS function that checks a text column and joins it with NUL separators (`null`/`undefined` become "",
/// as `Array.prototype.join` does): returns the joined string, the index of the first element that is
/// not a string, null or undefined, or -1 when a string contains a NUL (then the column is read element by
/// element). One call and one string cross Node-API instead of one per element. V8 caches the compiled
/// script by its source.
const JOIN_TEXT_JS: &str = "(function cxkpiJoinText(a) { const n = a.length; \
for (let i = 0; i < n; i++) { const x = a[i]; if (typeof x === 'string') { if (x.indexOf('\\0') !== -1) return -1; } \
else if (x !== null && x !== undefined) return i; } return a.join('\\0'); })";

/// Below this length a text column is read element by element.
const JS_JOIN_MIN_LEN: u32 = 256;

/// The fast path of [`text_column`]: `None` when it cannot be used (then the slow path runs).
fn text_column_js(v: Js, arg: &str) -> Option<Res<Vec<String>>> {
    use napi::sys;
    use std::ptr;
    // SAFETY: every call runs on the JS thread of the current call with values created in its scope.
    unsafe {
        let mut src = ptr::null_mut();
        if sys::napi_create_string_utf8(
            v.env,
            JOIN_TEXT_JS.as_ptr().cast(),
            JOIN_TEXT_JS.len() as isize,
            &mut src,
        ) != sys::Status::napi_ok
        {
            return None;
        }
        let mut func = ptr::null_mut();
        if sys::napi_run_script(v.env, src, &mut func) != sys::Status::napi_ok {
            clear_exception(v.env);
            return None;
        }
        let mut global = ptr::null_mut();
        sys::napi_get_global(v.env, &mut global);
        let mut result = ptr::null_mut();
        let argv = [v.v];
        if sys::napi_call_function(v.env, global, func, 1, argv.as_ptr(), &mut result)
            != sys::Status::napi_ok
        {
            clear_exception(v.env);
            return None;
        }
        let r = Js {
            env: v.env,
            v: result,
        };
        if let Some(i) = r.number() {
            if i < 0.0 {
                return None;
            }
            return Some(Err(invalid(&format!("{arg}[{i}]"), TEXT_ELEMENT)));
        }
        let joined = r.string()?;
        Some(Ok(joined.split('\0').map(str::to_string).collect()))
    }
}

unsafe fn clear_exception(env: napi::sys::napi_env) {
    let mut pending = false;
    napi::sys::napi_is_exception_pending(env, &mut pending);
    if pending {
        let mut e = std::ptr::null_mut();
        napi::sys::napi_get_and_clear_last_exception(env, &mut e);
    }
}

const TEXT_ELEMENT: &str =
    "must be a string, null or undefined in a text column (null means missing)";

/// A text column: strings, `null`/`undefined` = "" (missing).
fn text_column(v: Js, arg: &str) -> Res<Vec<String>> {
    let n = v.array_len();
    if n >= JS_JOIN_MIN_LEN {
        if let Some(r) = text_column_js(v, arg) {
            return r.and_then(|t| {
                if t.len() == n as usize {
                    Ok(t)
                } else {
                    Err(invalid(arg, "could not be read from JavaScript"))
                }
            });
        }
    }
    let mut out = Vec::with_capacity(n as usize);
    for i in 0..n {
        let e = v.element(i)?;
        match e.type_of() {
            ValueType::String => out.push(e.string().unwrap_or_default()),
            ValueType::Null | ValueType::Undefined => out.push(String::new()),
            _ => return Err(invalid(&format!("{arg}[{i}]"), TEXT_ELEMENT)),
        }
    }
    Ok(out)
}

/// An array of strings (every element a string); an error names the first other element.
pub(crate) fn strings(v: Js, arg: &str) -> Res<Vec<String>> {
    if !v.is_array() {
        return Err(invalid(arg, "must be an array of strings"));
    }
    (0..v.array_len())
        .map(|i| {
            v.element(i)?
                .string()
                .ok_or_else(|| invalid(&format!("{arg}[{i}]"), "must be a string"))
        })
        .collect()
}

fn data_column<'a>(v: Js, arg: &str) -> Res<DataColumn<'a>> {
    if v.typed_array().is_some() {
        return Ok(DataColumn::Num(column(v, arg)?));
    }
    if !v.is_array() {
        return Err(invalid(arg, COLUMN_KINDS));
    }
    // The first present element decides: a string makes a text column.
    let n = v.array_len();
    for i in 0..n {
        let e = v.element(i)?;
        match e.type_of() {
            ValueType::Null | ValueType::Undefined => continue,
            ValueType::String => return Ok(DataColumn::Text(text_column(v, arg)?)),
            _ => break,
        }
    }
    Ok(DataColumn::Num(column(v, arg)?))
}

fn data_columns<'a>(v: Js) -> Res<Vec<(String, DataColumn<'a>)>> {
    if v.type_of() != ValueType::Object || v.is_array() || v.typed_array().is_some() {
        return Err(invalid(
            "columns",
            "must be an object of named columns ({ name: Float64Array | number[] | string[] })",
        ));
    }
    v.keys()?
        .into_iter()
        .map(|k| {
            let c = data_column(v.property(&k)?, &format!("columns.{k}"))?;
            Ok((k, c))
        })
        .collect()
}

// ------------------------------------------------------------------------------------------------------
// validation

/// Totals of one rule of a validation.
#[allow(dead_code)]
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct RuleTotal {
    /// Rule id.
    pub rule: String,
    /// Rule kind (`out_of_scale`, `duplicate`, `speeder`, ...).
    pub kind: String,
    /// Rows that failed this rule (whether or not an earlier rule excluded them too).
    pub n_failed: f64,
    /// Rows for which this rule is the first failed rule (these add up to `nExcluded`).
    pub n_excluded: f64,
    /// Speeder rules: the median completion time the relative threshold was taken from.
    pub median: Option<f64>,
    /// Speeder rules: the threshold in seconds applied.
    pub threshold: Option<f64>,
}

/// One excluded row of a validation.
#[allow(dead_code)]
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct ExcludedRow {
    /// Row index (0-based).
    pub row: f64,
    /// The first failed rule in declared order (the rule the row is accounted to).
    pub first_rule: String,
    /// Every failed rule, in declared order.
    pub failed: Vec<String>,
}

/// The readable report of a validation (the same fields as Rust's `ValidationReport` and Python's
/// `ValidationResult.to_dict()`).
#[allow(dead_code)]
#[napi(object, object_to_js = false, object_from_js = false)]
pub struct ValidationReport {
    /// Rule-set id (null if the document has none).
    pub rule_set: Option<String>,
    /// Rule-set version (null if the document has none).
    pub rule_set_version: Option<String>,
    /// Rule ids in declared order.
    pub rules: Vec<String>,
    pub n_rows: f64,
    pub n_kept: f64,
    pub n_excluded: f64,
    /// `true` for rows that pass every rule.
    pub keep: Vec<bool>,
    /// Every excluded row with its first rule and every failed rule.
    pub excluded: Vec<ExcludedRow>,
    /// Totals by rule, in declared order.
    pub totals: Vec<RuleTotal>,
    /// Named policy: the rule an excluded row is accounted to (`first_in_declared_order`).
    pub attribution: String,
}

/// The outcome of `validateResponses`: the keep mask and the failed rules of every row as typed arrays
/// (the core's own vectors, no copy), totals by rule, and the readable account of the excluded rows built
/// on demand (`excluded()`, `toObject()`).
///
/// @example
/// const v = validateResponses(rules, { nps: Float64Array.from([9, 11, 7]), secs: Float64Array.from([200, 150, 12]) })
/// v.keep        // Uint8Array [1, 0, 0]
/// v.firstRule   // Int8Array [-1, 0, 1] (index into v.rules; built on access)
/// v.excluded()  // [{ row: 1, firstRule: 'scale', failed: ['scale'] }, { row: 2, firstRule: 'fast', failed: ['fast'] }]
#[napi]
pub struct Validation {
    /// 1 for a row that passes every rule, 0 for an excluded row (one byte per row).
    #[napi(readonly)]
    pub keep: Uint8Array,
    /// Per row, the bit set of the failed rules: bit i (`1n << BigInt(i)`) is `rules[i]`; `0n` for kept rows.
    #[napi(readonly)]
    pub failed: BigUint64Array,
    /// (row, failed bits) of the excluded rows, for the readable account.
    excluded_rows: Vec<(u64, u64)>,
    rule_set: Option<String>,
    rule_set_version: Option<String>,
    /// The core's result without its per-row vectors (moved into the typed arrays).
    inner: q::Validation,
}

impl Validation {
    fn new(rs: &RuleSet, mut v: q::Validation) -> Validation {
        let keep: Vec<u8> = std::mem::take(&mut v.keep)
            .into_iter()
            .map(u8::from)
            .collect();
        let failed = std::mem::take(&mut v.failed);
        let mut excluded_rows = Vec::with_capacity(v.n_excluded as usize);
        for (i, &m) in failed.iter().enumerate() {
            if m != 0 {
                excluded_rows.push((i as u64, m));
            }
        }
        Validation {
            keep: Uint8Array::new(keep),
            failed: BigUint64Array::new(failed),
            excluded_rows,
            rule_set: rs.id.clone(),
            rule_set_version: rs.version.clone(),
            inner: v,
        }
    }

    fn names(&self, m: u64) -> Vec<String> {
        (0..self.inner.rules.len())
            .filter(|&i| m >> i & 1 == 1)
            .map(|i| self.inner.rules[i].clone())
            .collect()
    }

    fn excluded_list(&self) -> Vec<q::ExcludedRow> {
        self.excluded_rows
            .iter()
            .map(|&(row, m)| q::ExcludedRow {
                row,
                first_rule: self.inner.rules[m.trailing_zeros() as usize].clone(),
                failed: self.names(m),
            })
            .collect()
    }
}

#[napi]
impl Validation {
    /// Rule ids in declared order (bit i of `failed` is `rules[i]`).
    #[napi(getter)]
    pub fn rules(&self) -> Vec<String> {
        self.inner.rules.clone()
    }

    /// Per row, the index into `rules` of the first failed rule in declared order (the rule the row is
    /// accounted to); -1 for kept rows. Built on each access (one byte per row): keep a reference.
    #[napi(getter)]
    pub fn first_rule(&self) -> Int8Array {
        let mut first = vec![-1i8; self.inner.n_rows as usize];
        for &(row, m) in &self.excluded_rows {
            first[row as usize] = m.trailing_zeros() as i8;
        }
        Int8Array::new(first)
    }

    /// Rule-set id (null if the document has none).
    #[napi(getter)]
    pub fn rule_set(&self) -> Option<String> {
        self.rule_set.clone()
    }

    /// Rule-set version (null if the document has none).
    #[napi(getter)]
    pub fn rule_set_version(&self) -> Option<String> {
        self.rule_set_version.clone()
    }

    /// Number of rows.
    #[napi(getter)]
    pub fn n_rows(&self) -> f64 {
        self.inner.n_rows as f64
    }

    /// Rows that pass every rule.
    #[napi(getter)]
    pub fn n_kept(&self) -> f64 {
        self.inner.n_kept as f64
    }

    /// Rows excluded by at least one rule.
    #[napi(getter)]
    pub fn n_excluded(&self) -> f64 {
        self.inner.n_excluded as f64
    }

    /// Totals by rule, in declared order.
    #[napi(getter, ts_return_type = "Array<RuleTotal>")]
    pub fn totals(&self, env: Env) -> napi::Result<Tree> {
        run(&env, || Tree::of(&self.inner.totals))
    }

    /// Named policy: the rule an excluded row is accounted to (`first_in_declared_order`).
    #[napi(getter)]
    pub fn attribution(&self) -> String {
        self.inner.attribution.clone()
    }

    /// Every excluded row: `row`, `firstRule` and every `failed` rule (ids, declared order).
    #[napi(ts_return_type = "Array<ExcludedRow>")]
    pub fn excluded(&self, env: Env) -> napi::Result<Tree> {
        run(&env, || Tree::of(&self.excluded_list()))
    }

    /// The readable report as a plain object: the same fields as Rust's `ValidationReport` and Python's
    /// `to_dict()` (`keep` as booleans, every excluded row).
    #[napi(ts_return_type = "ValidationReport")]
    pub fn to_object(&self, env: Env) -> napi::Result<Tree> {
        run(&env, || {
            let mut keep = vec![true; self.inner.n_rows as usize];
            for &(row, _) in &self.excluded_rows {
                keep[row as usize] = false;
            }
            let report = q::ValidationReport {
                rule_set: self.rule_set.clone(),
                rule_set_version: self.rule_set_version.clone(),
                rules: self.inner.rules.clone(),
                n_rows: self.inner.n_rows,
                n_kept: self.inner.n_kept,
                n_excluded: self.inner.n_excluded,
                keep,
                excluded: self.excluded_list(),
                totals: self.inner.totals.clone(),
                attribution: self.inner.attribution.clone(),
            };
            Tree::of(&report)
        })
    }
}

/// Validates responses against a rule set: `rules` an object (the document's snake_case keys, as returned
/// by `ruleSet`) or JSON / TOML text; `columns` an object of named columns, each a `Float64Array` (borrowed,
/// no copy; NaN = missing), another typed array or an array of numbers (copied; `null` = missing), or an
/// array of strings (`null`/`undefined`/`''` = missing). Datetimes are numbers: seconds since 1970-01-01 UTC
/// (`date.getTime() / 1000`). Every row excluded by a rule is accounted to the first failed rule in
/// declared order; nothing is dropped silently.
///
/// @example
/// const v = validateResponses(
///   { rules: [{ id: 'scale', kind: 'out_of_scale', columns: ['nps'], min: 0, max: 10 },
///             { id: 'internal', kind: 'test_entries', email: 'email', domains: ['acme.com'] }] },
///   { nps: Float64Array.from([9, 11, NaN]), email: ['a@x.org', 'b@acme.com', null] })
/// v.keep            // Uint8Array [1, 0, 1]
/// v.failed          // BigUint64Array [0n, 3n, 0n] (row 1 failed both rules)
/// v.excluded()[0]   // { row: 1, firstRule: 'scale', failed: ['scale', 'internal'] }
#[napi(
    ts_args_type = "rules: string | Record<string, any>, columns: Record<string, Float64Array | ArrayLike<number> | ReadonlyArray<number | null | undefined> | ReadonlyArray<string | null | undefined>>"
)]
pub fn validate_responses(env: Env, rules: Value, columns: Unknown) -> napi::Result<Validation> {
    let cols = arg(&env, &columns);
    js(
        &env,
        guard(|| {
            let rs = rules_of(rules)?;
            let data = data_columns(cols)?;
            let n = data.first().map_or(0, |(_, c)| c.len());
            let mut t = ResponseTable::new(n);
            for (name, c) in &data {
                t.add(
                    name,
                    match c {
                        DataColumn::Num(x) => QColumn::Num(x),
                        DataColumn::Text(x) => QColumn::Text(x),
                    },
                )?;
            }
            let v = q::validate(&rs, &t)?;
            Ok(Validation::new(&rs, v))
        }),
    )
}

/// Owned columns of an async validation (copied on the JS thread).
enum OwnedColumn {
    Num(Vec<f64>),
    Text(Vec<String>),
}

/// A validation run on the libuv thread pool; argument errors found while preparing it are carried through
/// so that the promise rejects (never throws synchronously).
pub struct ValidateJob {
    input: Option<Res<JobInput>>,
}

/// The rule set and owned columns of a [`ValidateJob`].
type JobInput = (RuleSet, Vec<(String, OwnedColumn)>);

impl Task for ValidateJob {
    type Output = Res<(RuleSet, q::Validation)>;
    type JsValue = Validation;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let input = self.input.take();
        Ok(guard(move || {
            let (rs, cols) = match input {
                Some(Ok(x)) => x,
                Some(Err(f)) => return Err(f),
                None => return Err(invalid("validateResponsesAsync", "task computed twice")),
            };
            let n = cols.first().map_or(0, |(_, c)| match c {
                OwnedColumn::Num(x) => x.len(),
                OwnedColumn::Text(x) => x.len(),
            });
            let mut t = ResponseTable::new(n);
            for (name, c) in &cols {
                t.add(
                    name,
                    match c {
                        OwnedColumn::Num(x) => QColumn::Num(x),
                        OwnedColumn::Text(x) => QColumn::Text(x),
                    },
                )?;
            }
            let v = q::validate(&rs, &t)?;
            Ok((rs, v))
        }))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<Validation> {
        match output {
            Ok((rs, v)) => Ok(Validation::new(&rs, v)),
            Err(f) => Err(to_js_error(&env, f)),
        }
    }
}

/// `validateResponses` computed on the libuv thread pool, off the event loop (the columns are copied
/// first). Resolves to the same `Validation`; rejects with the same `CXKPI_*` errors.
///
/// @example
/// const v = await validateResponsesAsync(rules, { nps: Float64Array.from([9, 11, 7]) })
/// v.nExcluded // 1
#[napi(
    ts_args_type = "rules: string | Record<string, any>, columns: Record<string, Float64Array | ArrayLike<number> | ReadonlyArray<number | null | undefined> | ReadonlyArray<string | null | undefined>>",
    ts_return_type = "Promise<Validation>"
)]
pub fn validate_responses_async(
    env: Env,
    rules: Value,
    columns: Unknown,
) -> AsyncTask<ValidateJob> {
    let cols = arg(&env, &columns);
    let input = guard(|| {
        let rs = rules_of(rules)?;
        let owned = data_columns(cols)?
            .into_iter()
            .map(|(k, c)| {
                let c = match c {
                    DataColumn::Num(x) => OwnedColumn::Num(x.into_owned()),
                    DataColumn::Text(x) => OwnedColumn::Text(x),
                };
                (k, c)
            })
            .collect();
        Ok((rs, owned))
    });
    AsyncTask::new(ValidateJob { input: Some(input) })
}

// ------------------------------------------------------------------------------------------------------
// suppression, view policies, reconciliation

/// Minimum group size with complementary suppression so that no suppressed cell can be recovered from a
/// total. `counts`: a one-way table (`number[]` / `Float64Array`) or a two-way table (an array of rows,
/// published with its margins); every count a whole number >= 0. `options`: `{ minGroupSize (default 10),
/// complementary (default true), zeroCells: 'safe' | 'suppress' }`.
///
/// @example
/// suppress([[20, 3, 15], [30, 25, 40]], { minGroupSize: 10 }).cells[0] // ['published', 'primary', 'complementary']
#[napi(
    ts_args_type = "counts: Float64Array | ReadonlyArray<number> | ReadonlyArray<Float64Array | ReadonlyArray<number>>, options?: { minGroupSize?: number, complementary?: boolean, zeroCells?: 'safe' | 'suppress' } | null",
    ts_return_type = "{ cells: Array<Array<'published' | 'primary' | 'complementary'>>, [key: string]: any }"
)]
pub fn suppress(env: Env, counts: Unknown, options: Option<Unknown>) -> napi::Result<Tree> {
    let (c, o) = (arg(&env, &counts), opt_arg(&env, &options));
    run(&env, || {
        let opts = q::SuppressionOptions::from_options(&self::options(o)?)?;
        let two_way = c.typed_array().is_none() && c.is_array() && c.array_len() > 0 && {
            let first = c.element(0)?;
            first.is_array() || first.typed_array().is_some()
        };
        if two_way {
            let rows = (0..c.array_len())
                .map(|i| {
                    let a = format!("counts[{i}]");
                    qj::counts_of(&column(c.element(i)?, &a)?, &a).map_err(Into::into)
                })
                .collect::<Res<Vec<_>>>()?;
            Tree::of(&q::suppress_two_way(&rows, &opts)?)
        } else {
            let x = qj::counts_of(&column(c, "counts")?, "counts")?;
            Tree::of(&q::suppress_one_way(&x, &opts)?)
        }
    })
}

/// Reads and validates a role-based view policy (an object with the document's keys, or JSON / TOML
/// text); returns the normalised document.
///
/// @example
/// viewPolicy({ roles: { manager: { levels: ['team'], fields: ['nps'] } } }).roles.manager.levels // ['team']
#[napi(
    ts_args_type = "policy: string | Record<string, any>",
    ts_return_type = "Record<string, any>"
)]
pub fn view_policy(env: Env, policy: Value) -> napi::Result<Tree> {
    run(&env, || Tree::of_raw(&policy_of(policy)?))
}

/// What `role` may see of `fields` at grouping `level` under a view policy (an object or JSON / TOML
/// text); an unknown role is a `CXKPI_INVALID_ARGUMENT` error.
///
/// @example
/// evaluateView(policy, 'manager', 'team', ['nps', 'verbatim']).deniedFields // ['verbatim']
#[napi(
    ts_args_type = "policy: string | Record<string, any>, role: string, level: string, fields?: ReadonlyArray<string> | null",
    ts_return_type = "{ role: string, level: string, levelAllowed: boolean, allowedFields: string[], deniedFields: string[], minGroupSize: number }"
)]
pub fn evaluate_view(
    env: Env,
    policy: Value,
    role: String,
    level: String,
    fields: Option<Unknown>,
) -> napi::Result<Tree> {
    let fields = opt_arg(&env, &fields);
    run(&env, || {
        let p = policy_of(policy)?;
        let fields = match fields {
            Some(v) if !v.is_nullish() => strings(v, "fields")?,
            _ => Vec::new(),
        };
        let f: Vec<&str> = fields.iter().map(String::as_str).collect();
        Tree::of(&p.evaluate(&role, &level, &f)?)
    })
}

/// Reconciles two sources of a KPI per period and group: `a` and `b` arrays of records `{ period, group?,
/// value, n?, se? }`; `options`: `{ kind: 'share' | 'mean', tolerance, alpha, shareTest,
/// rule, periods }` (docs/data-quality.md). Returns matched rows, per-group divergence (and since when)
/// and unmatched periods.
///
/// @example
/// reconcile([{ period: 'Q1', value: 0.6, n: 400 }], [{ period: 'Q1', value: 0.5, n: 400 }], { tolerance: 0.02 }).groups[0].since // 'Q1'
#[napi(
    ts_args_type = "a: ReadonlyArray<{ period: string, group?: string, value: number, n?: number, se?: number }>, b: ReadonlyArray<{ period: string, group?: string, value: number, n?: number, se?: number }>, options?: { kind?: 'share' | 'mean', tolerance?: number, alpha?: number, shareTest?: 'pooled' | 'unpooled', rule?: 'tolerance_and_significant' | 'tolerance' | 'significant', periods?: ReadonlyArray<string> } | null",
    ts_return_type = "{ rows: Array<Record<string, any>>, groups: Array<Record<string, any>>, [key: string]: any }"
)]
pub fn reconcile(env: Env, a: Value, b: Value, options: Option<Unknown>) -> napi::Result<Tree> {
    let o = opt_arg(&env, &options);
    run(&env, || {
        let opts = Value::Object(self::options(o)?);
        Tree::of(&qj::reconcile_value(&a, &b, Some(&opts))?)
    })
}
