//! Argument and result conversion between JS values and the core.
//!
//! * Data columns: a `Float64Array` is borrowed without a copy; any other typed array or a plain array of
//!   numbers is copied once (`null`/`undefined` elements become NaN = missing).
//! * Code columns (grouped keys): a `Uint32Array` is borrowed; plain arrays of whole numbers are copied.
//! * Options objects: camelCase keys are converted to snake_case and the object becomes a
//!   `serde_json::Map` that the core parses (`XxxOptions::from_options`), so validation is the core's.
//! * Results: any `serde::Serialize` value is turned into a [`Tree`] (numbers stay f64 with NaN and
//!   infinities intact, struct fields renamed to camelCase) which becomes a plain JS object.
//!
//! All JS access uses raw Node-API calls on the JS thread that owns the `env` of the current call.

use std::ffi::CString;
use std::ops::Deref;
use std::ptr;

use napi::bindgen_prelude::{ToNapiValue, TypeName};
use napi::{sys, Env, Unknown, ValueType};
use serde::ser::{self, Serialize};
use serde_json::{Map, Number, Value};

use crate::error::{invalid, Failure, Res};

// ---------------------------------------------------------------------------------------------------------
// key case conversion

/// `se_linearised` -> `seLinearised`. An underscore not followed by a lowercase letter is kept, so the
/// conversion is reversible by [`camel_to_snake`].
pub(crate) fn snake_to_camel(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '_' {
            if let Some(&n) = chars.peek() {
                if n.is_ascii_lowercase() && !out.is_empty() {
                    out.push(n.to_ascii_uppercase());
                    chars.next();
                    continue;
                }
            }
        }
        out.push(c);
    }
    out
}

/// `seLinearised` -> `se_linearised`; keys already in snake_case pass unchanged.
pub(crate) fn camel_to_snake(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    for c in s.chars() {
        if c.is_ascii_uppercase() {
            if !out.is_empty() {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------------------
// raw JS helpers

/// A JS value of the current call.
#[derive(Clone, Copy)]
pub(crate) struct Js {
    pub env: sys::napi_env,
    pub v: sys::napi_value,
}

fn napi_fail(what: &str) -> Failure {
    invalid(what, "could not be read from JavaScript")
}

impl Js {
    pub(crate) fn new(env: &Env, v: &Unknown<'_>) -> Js {
        use napi::JsValue;
        Js {
            env: env.raw(),
            v: v.raw(),
        }
    }

    pub(crate) fn type_of(&self) -> ValueType {
        let mut t = 0;
        // SAFETY: valid env and value of the current call.
        let s = unsafe { sys::napi_typeof(self.env, self.v, &mut t) };
        if s != sys::Status::napi_ok {
            return ValueType::Unknown;
        }
        ValueType::from(t)
    }

    pub(crate) fn is_nullish(&self) -> bool {
        matches!(self.type_of(), ValueType::Null | ValueType::Undefined)
    }

    pub(crate) fn is_array(&self) -> bool {
        let mut r = false;
        unsafe { sys::napi_is_array(self.env, self.v, &mut r) };
        r
    }

    /// Typed-array info: (napi type code, length, data pointer).
    pub(crate) fn typed_array(&self) -> Option<(i32, usize, *mut std::ffi::c_void)> {
        let mut is = false;
        unsafe { sys::napi_is_typedarray(self.env, self.v, &mut is) };
        if !is {
            return None;
        }
        let (mut ty, mut len, mut data, mut buf, mut off) =
            (0, 0usize, ptr::null_mut(), ptr::null_mut(), 0usize);
        let s = unsafe {
            sys::napi_get_typedarray_info(
                self.env, self.v, &mut ty, &mut len, &mut data, &mut buf, &mut off,
            )
        };
        if s != sys::Status::napi_ok {
            return None;
        }
        Some((ty, len, data))
    }

    pub(crate) fn array_len(&self) -> u32 {
        let mut n = 0u32;
        unsafe { sys::napi_get_array_length(self.env, self.v, &mut n) };
        n
    }

    pub(crate) fn element(&self, i: u32) -> Res<Js> {
        let mut out = ptr::null_mut();
        let s = unsafe { sys::napi_get_element(self.env, self.v, i, &mut out) };
        if s != sys::Status::napi_ok {
            return Err(napi_fail("array element"));
        }
        Ok(Js {
            env: self.env,
            v: out,
        })
    }

    pub(crate) fn number(&self) -> Option<f64> {
        if self.type_of() != ValueType::Number {
            return None;
        }
        let mut x = 0.0;
        unsafe { sys::napi_get_value_double(self.env, self.v, &mut x) };
        Some(x)
    }

    pub(crate) fn string(&self) -> Option<String> {
        if self.type_of() != ValueType::String {
            return None;
        }
        let mut len = 0usize;
        unsafe { sys::napi_get_value_string_utf8(self.env, self.v, ptr::null_mut(), 0, &mut len) };
        let mut buf = vec![0u8; len + 1];
        let mut written = 0usize;
        unsafe {
            sys::napi_get_value_string_utf8(
                self.env,
                self.v,
                buf.as_mut_ptr().cast(),
                len + 1,
                &mut written,
            )
        };
        buf.truncate(written);
        String::from_utf8(buf).ok()
    }

    fn boolean(&self) -> Option<bool> {
        if self.type_of() != ValueType::Boolean {
            return None;
        }
        let mut b = false;
        unsafe { sys::napi_get_value_bool(self.env, self.v, &mut b) };
        Some(b)
    }

    /// Own enumerable string keys of an object.
    pub(crate) fn keys(&self) -> Res<Vec<String>> {
        let mut names = ptr::null_mut();
        let s = unsafe {
            sys::napi_get_all_property_names(
                self.env,
                self.v,
                sys::KeyCollectionMode::own_only,
                sys::KeyFilter::enumerable | sys::KeyFilter::skip_symbols,
                sys::KeyConversion::numbers_to_strings,
                &mut names,
            )
        };
        if s != sys::Status::napi_ok {
            return Err(napi_fail("object keys"));
        }
        let arr = Js {
            env: self.env,
            v: names,
        };
        let n = arr.array_len();
        let mut out = Vec::with_capacity(n as usize);
        for i in 0..n {
            if let Some(k) = arr.element(i)?.string() {
                out.push(k);
            }
        }
        Ok(out)
    }

    pub(crate) fn property(&self, key: &str) -> Res<Js> {
        let k = CString::new(key).map_err(|_| invalid(key, "key contains a NUL character"))?;
        let mut out = ptr::null_mut();
        let s = unsafe { sys::napi_get_named_property(self.env, self.v, k.as_ptr(), &mut out) };
        if s != sys::Status::napi_ok {
            return Err(napi_fail(key));
        }
        Ok(Js {
            env: self.env,
            v: out,
        })
    }
}

// ---------------------------------------------------------------------------------------------------------
// data columns

const TA_INT8: i32 = 0;
const TA_UINT8: i32 = 1;
const TA_UINT8_CLAMPED: i32 = 2;
const TA_INT16: i32 = 3;
const TA_UINT16: i32 = 4;
const TA_INT32: i32 = 5;
const TA_UINT32: i32 = 6;
const TA_FLOAT32: i32 = 7;
const TA_FLOAT64: i32 = 8;

/// A column of f64: borrowed from a `Float64Array` or an owned copy.
pub(crate) enum Column<'a> {
    Borrowed(&'a [f64]),
    Owned(Vec<f64>),
}

impl Deref for Column<'_> {
    type Target = [f64];
    fn deref(&self) -> &[f64] {
        match self {
            Column::Borrowed(s) => s,
            Column::Owned(v) => v,
        }
    }
}

impl Column<'_> {
    pub(crate) fn into_owned(self) -> Vec<f64> {
        match self {
            Column::Borrowed(s) => s.to_vec(),
            Column::Owned(v) => v,
        }
    }
}

unsafe fn copy_typed<T: Copy + Into<f64>>(data: *mut std::ffi::c_void, len: usize) -> Vec<f64> {
    if len == 0 || data.is_null() {
        return Vec::new();
    }
    std::slice::from_raw_parts(data as *const T, len)
        .iter()
        .map(|&x| x.into())
        .collect()
}

/// Reads a numeric column. A `Float64Array` is borrowed for the duration of the call.
pub(crate) fn column<'a>(v: Js, arg: &str) -> Res<Column<'a>> {
    if let Some((ty, len, data)) = v.typed_array() {
        // SAFETY: the typed array is an argument of the current call and outlives it; a Float64Array's
        // data is 8-byte aligned (its byteOffset is a multiple of 8).
        unsafe {
            return Ok(match ty {
                TA_FLOAT64 => {
                    if len == 0 || data.is_null() {
                        Column::Owned(Vec::new())
                    } else {
                        Column::Borrowed(std::slice::from_raw_parts(data as *const f64, len))
                    }
                }
                TA_FLOAT32 => Column::Owned(copy_typed::<f32>(data, len)),
                TA_INT8 => Column::Owned(copy_typed::<i8>(data, len)),
                TA_UINT8 | TA_UINT8_CLAMPED => Column::Owned(copy_typed::<u8>(data, len)),
                TA_INT16 => Column::Owned(copy_typed::<i16>(data, len)),
                TA_UINT16 => Column::Owned(copy_typed::<u16>(data, len)),
                TA_INT32 => Column::Owned(copy_typed::<i32>(data, len)),
                TA_UINT32 => Column::Owned(copy_typed::<u32>(data, len)),
                _ => return Err(invalid(arg, "must be a Float64Array or an array of numbers (BigInt arrays are not accepted)")),
            });
        }
    }
    if v.is_array() {
        return match read_numbers(v) {
            Ok(out) => Ok(Column::Owned(out)),
            Err(i) => Err(invalid(
                &format!("{arg}[{i}]"),
                "must be a number, null or undefined (null and NaN mean missing)",
            )),
        };
    }
    Err(invalid(
        arg,
        "must be a Float64Array or an array of numbers",
    ))
}

/// A JS function that copies an array of numbers into a Float64Array (null/undefined -> NaN) or returns
/// the index of the first element that is not a number. V8 caches the compiled script by its source.
const COPY_NUMBERS_JS: &str =
    "(function cxkpiCopyNumbers(a) { const n = a.length; const out = new Float64Array(n); \
for (let i = 0; i < n; i++) { const x = a[i]; if (typeof x === 'number') out[i] = x; \
else if (x === null || x === undefined) out[i] = NaN; else return i; } return out; })";

/// Below this length elements are read one by one through Node-API; above, through `COPY_NUMBERS_JS`
/// (about ten times faster per element, a few microseconds to set up).
const JS_COPY_MIN_LEN: u32 = 512;

/// Copies a JS array of numbers (null/undefined -> NaN); `Err(i)` names the first other element.
fn read_numbers(v: Js) -> std::result::Result<Vec<f64>, usize> {
    let n = v.array_len();
    if n >= JS_COPY_MIN_LEN {
        if let Some(r) = read_numbers_js(v) {
            return r;
        }
    }
    let mut out = Vec::with_capacity(n as usize);
    for i in 0..n {
        let mut e = ptr::null_mut();
        let mut x = 0.0;
        // SAFETY: valid env and array of the current call.
        let ok = unsafe {
            sys::napi_get_element(v.env, v.v, i, &mut e) == sys::Status::napi_ok
                && sys::napi_get_value_double(v.env, e, &mut x) == sys::Status::napi_ok
        };
        if ok {
            out.push(x);
        } else if !e.is_null() && (Js { env: v.env, v: e }).is_nullish() {
            out.push(f64::NAN);
        } else {
            return Err(i as usize);
        }
    }
    Ok(out)
}

/// The fast path of [`read_numbers`]; `None` when the helper could not run (then the slow path is used).
fn read_numbers_js(v: Js) -> Option<std::result::Result<Vec<f64>, usize>> {
    // SAFETY: every call runs on the JS thread of the current call with values created in its scope.
    unsafe {
        let mut src = ptr::null_mut();
        if sys::napi_create_string_utf8(
            v.env,
            COPY_NUMBERS_JS.as_ptr().cast(),
            COPY_NUMBERS_JS.len() as isize,
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
            return Some(Err(i as usize));
        }
        let (ty, len, data) = r.typed_array()?;
        if ty != TA_FLOAT64 {
            return None;
        }
        if len == 0 || data.is_null() {
            return Some(Ok(Vec::new()));
        }
        Some(Ok(
            std::slice::from_raw_parts(data as *const f64, len).to_vec()
        ))
    }
}

unsafe fn clear_exception(env: sys::napi_env) {
    let mut pending = false;
    sys::napi_is_exception_pending(env, &mut pending);
    if pending {
        let mut e = ptr::null_mut();
        sys::napi_get_and_clear_last_exception(env, &mut e);
    }
}

/// Reads an optional column (`undefined`/`null` = absent).
pub(crate) fn opt_column<'a>(v: Option<Js>, arg: &str) -> Res<Option<Column<'a>>> {
    match v {
        None => Ok(None),
        Some(v) if v.is_nullish() => Ok(None),
        Some(v) => column(v, arg).map(Some),
    }
}

/// A column of u32 codes: borrowed from a `Uint32Array` or an owned copy.
pub(crate) enum CodeColumn<'a> {
    Borrowed(&'a [u32]),
    Owned(Vec<u32>),
}

impl Deref for CodeColumn<'_> {
    type Target = [u32];
    fn deref(&self) -> &[u32] {
        match self {
            CodeColumn::Borrowed(s) => s,
            CodeColumn::Owned(v) => v,
        }
    }
}

impl CodeColumn<'_> {
    pub(crate) fn into_owned(self) -> Vec<u32> {
        match self {
            CodeColumn::Borrowed(s) => s.to_vec(),
            CodeColumn::Owned(v) => v,
        }
    }
}

fn code_from_f64(x: f64, arg: &str, i: usize) -> Res<u32> {
    if x.fract() == 0.0 && (0.0..=u32::MAX as f64).contains(&x) {
        Ok(x as u32)
    } else {
        Err(invalid(
            &format!("{arg}[{i}]"),
            format!("= {x} is not a whole number in 0..=4294967295"),
        ))
    }
}

/// Reads a column of u32 codes (a `Uint32Array` is borrowed; other integer typed arrays and plain arrays
/// of whole numbers >= 0 are copied).
pub(crate) fn code_column<'a>(v: Js, arg: &str) -> Res<CodeColumn<'a>> {
    if let Some((ty, len, data)) = v.typed_array() {
        if ty == TA_UINT32 {
            if len == 0 || data.is_null() {
                return Ok(CodeColumn::Owned(Vec::new()));
            }
            // SAFETY: see `column`; a Uint32Array is 4-byte aligned.
            return Ok(CodeColumn::Borrowed(unsafe {
                std::slice::from_raw_parts(data as *const u32, len)
            }));
        }
        let col = column(v, arg)?;
        return col
            .iter()
            .enumerate()
            .map(|(i, &x)| code_from_f64(x, arg, i))
            .collect::<Res<Vec<u32>>>()
            .map(CodeColumn::Owned);
    }
    if v.is_array() {
        let xs = read_numbers(v)
            .map_err(|i| invalid(&format!("{arg}[{i}]"), "must be a whole number"))?;
        return xs
            .iter()
            .enumerate()
            .map(|(i, &x)| code_from_f64(x, arg, i))
            .collect::<Res<Vec<u32>>>()
            .map(CodeColumn::Owned);
    }
    Err(invalid(
        arg,
        "must be a Uint32Array or an array of whole numbers",
    ))
}

/// Reads a list of code columns (grouped keys): an array whose items are code columns.
pub(crate) fn code_columns<'a>(v: Js, arg: &str) -> Res<Vec<CodeColumn<'a>>> {
    if !v.is_array() {
        return Err(invalid(
            arg,
            "must be an array of Uint32Array or of arrays of whole numbers",
        ));
    }
    let n = v.array_len();
    (0..n)
        .map(|i| code_column(v.element(i)?, &format!("{arg}[{i}]")))
        .collect()
}

/// Sentiment labels: numeric codes (+1/0/-1, NaN or null missing) or strings
/// ("positive"/"neutral"/"negative", case-insensitive, null missing), parsed by the core.
pub(crate) fn labels<'a>(v: Js, arg: &str) -> Res<Column<'a>> {
    if v.is_array() {
        let n = v.array_len();
        let mut strings: Option<Vec<Option<String>>> = None;
        for i in 0..n {
            let e = v.element(i)?;
            if e.type_of() == ValueType::String {
                let mut out: Vec<Option<String>> = Vec::with_capacity(n as usize);
                for j in 0..n {
                    let e = v.element(j)?;
                    match e.type_of() {
                        ValueType::String => out.push(e.string()),
                        ValueType::Null | ValueType::Undefined => out.push(None),
                        _ => {
                            return Err(invalid(
                                &format!("{arg}[{j}]"),
                                "labels must be all strings (with null for missing) or all numbers",
                            ))
                        }
                    }
                }
                strings = Some(out);
                break;
            }
            if e.type_of() == ValueType::Number {
                break;
            }
        }
        if let Some(s) = strings {
            let refs: Vec<Option<&str>> = s.iter().map(|o| o.as_deref()).collect();
            return Ok(Column::Owned(cxkpi::parse_sentiment_labels(&refs)?));
        }
    }
    column(v, arg)
}

/// A JS function that maps an array of string labels to their positions in `levels` (a Uint32Array) or
/// returns the index of the first element that is not one of the levels.
const LABEL_CODES_JS: &str = "(function cxkpiLabelCodes(a, levels) { const m = new Map(); \
for (let i = 0; i < levels.length; i++) if (!m.has(levels[i])) m.set(levels[i], i); \
const n = a.length; const out = new Uint32Array(n); \
for (let i = 0; i < n; i++) { const c = m.get(a[i]); if (c === undefined) return i; out[i] = c; } \
return out; })";

/// Codes of a JS array of string labels: the position of each label in `levels`; `Err(i)` names the
/// first element that is not one of the levels (not a string, missing or unknown).
pub(crate) fn label_codes(v: Js, levels: &[String]) -> Res<std::result::Result<Vec<u32>, usize>> {
    // SAFETY: every call runs on the JS thread of the current call with values created in its scope.
    unsafe {
        let env = v.env;
        let fail = || napi_fail("labels");
        let mut src = ptr::null_mut();
        if sys::napi_create_string_utf8(
            env,
            LABEL_CODES_JS.as_ptr().cast(),
            LABEL_CODES_JS.len() as isize,
            &mut src,
        ) != sys::Status::napi_ok
        {
            return Err(fail());
        }
        let mut func = ptr::null_mut();
        if sys::napi_run_script(env, src, &mut func) != sys::Status::napi_ok {
            clear_exception(env);
            return Err(fail());
        }
        let mut arr = ptr::null_mut();
        if sys::napi_create_array_with_length(env, levels.len(), &mut arr) != sys::Status::napi_ok {
            return Err(fail());
        }
        for (i, l) in levels.iter().enumerate() {
            let mut s = ptr::null_mut();
            sys::napi_create_string_utf8(env, l.as_ptr().cast(), l.len() as isize, &mut s);
            sys::napi_set_element(env, arr, i as u32, s);
        }
        let mut global = ptr::null_mut();
        sys::napi_get_global(env, &mut global);
        let mut result = ptr::null_mut();
        let argv = [v.v, arr];
        if sys::napi_call_function(env, global, func, 2, argv.as_ptr(), &mut result)
            != sys::Status::napi_ok
        {
            clear_exception(env);
            return Err(fail());
        }
        let r = Js { env, v: result };
        if let Some(i) = r.number() {
            return Ok(Err(i as usize));
        }
        match r.typed_array() {
            Some((TA_UINT32, len, data)) => {
                if len == 0 || data.is_null() {
                    Ok(Ok(Vec::new()))
                } else {
                    Ok(Ok(
                        std::slice::from_raw_parts(data as *const u32, len).to_vec()
                    ))
                }
            }
            _ => Err(fail()),
        }
    }
}

/// A finite or non-finite number argument.
pub(crate) fn number(v: Option<Js>, arg: &str) -> Res<f64> {
    v.and_then(|v| v.number())
        .ok_or_else(|| invalid(arg, "must be a number"))
}

/// A whole-number count argument (0 <= x <= 2^53).
pub(crate) fn count(v: Option<Js>, arg: &str) -> Res<u64> {
    let x = number(v, arg)?;
    if x.fract() == 0.0 && (0.0..=9_007_199_254_740_992.0).contains(&x) {
        Ok(x as u64)
    } else {
        Err(invalid(arg, format!("= {x} must be a whole number >= 0")))
    }
}

/// A string argument.
pub(crate) fn string(v: Option<Js>, arg: &str) -> Res<String> {
    v.and_then(|v| v.string())
        .ok_or_else(|| invalid(arg, "must be a string"))
}

// ---------------------------------------------------------------------------------------------------------
// JS objects -> serde_json (options, results and partials passed back)

pub(crate) fn json_number(x: f64) -> Value {
    if !x.is_finite() {
        return Value::String(
            if x.is_nan() {
                "NaN"
            } else if x > 0.0 {
                "Infinity"
            } else {
                "-Infinity"
            }
            .into(),
        );
    }
    if x.fract() == 0.0 && x.abs() <= 9_007_199_254_740_992.0 && !(x == 0.0 && x.is_sign_negative())
    {
        if x >= 0.0 {
            return Value::Number(Number::from(x as u64));
        }
        return Value::Number(Number::from(x as i64));
    }
    Number::from_f64(x)
        .map(Value::Number)
        .unwrap_or(Value::Null)
}

fn to_json(v: Js, path: &str, depth: u32) -> Res<Option<Value>> {
    if depth > 64 {
        return Err(invalid(path, "is nested too deeply"));
    }
    Ok(Some(match v.type_of() {
        ValueType::Undefined => return Ok(None),
        ValueType::Null => Value::Null,
        ValueType::Boolean => Value::Bool(v.boolean().unwrap_or(false)),
        ValueType::Number => json_number(v.number().unwrap_or(f64::NAN)),
        ValueType::String => Value::String(v.string().unwrap_or_default()),
        ValueType::Object => {
            if v.is_array() || v.typed_array().is_some() {
                if let Some((ty, _, _)) = v.typed_array() {
                    if ty == TA_UINT32 {
                        let c = code_column(v, path)?;
                        return Ok(Some(Value::Array(
                            c.iter().map(|&x| Value::from(x)).collect(),
                        )));
                    }
                    let c = column(v, path)?;
                    return Ok(Some(Value::Array(
                        c.iter().map(|&x| json_number(x)).collect(),
                    )));
                }
                let n = v.array_len();
                let mut out = Vec::with_capacity(n as usize);
                for i in 0..n {
                    out.push(
                        to_json(v.element(i)?, &format!("{path}[{i}]"), depth + 1)?
                            .unwrap_or(Value::Null),
                    );
                }
                Value::Array(out)
            } else {
                Value::Object(to_json_map(v, path, depth)?)
            }
        }
        _ => {
            return Err(invalid(
                path,
                "must be a plain value (number, string, boolean, null, array or object)",
            ))
        }
    }))
}

fn to_json_map(v: Js, path: &str, depth: u32) -> Res<Map<String, Value>> {
    let mut map = Map::new();
    for k in v.keys()? {
        let child = v.property(&k)?;
        let sub = if path.is_empty() {
            k.clone()
        } else {
            format!("{path}.{k}")
        };
        if let Some(val) = to_json(child, &sub, depth + 1)? {
            map.insert(camel_to_snake(&k), val);
        }
    }
    Ok(map)
}

/// An options object (camelCase keys) as a core `Options` map (snake_case keys). `undefined`/`null` = empty.
pub(crate) fn options(v: Option<Js>) -> Res<Map<String, Value>> {
    match v {
        None => Ok(Map::new()),
        Some(v) if v.is_nullish() => Ok(Map::new()),
        Some(v) if v.type_of() == ValueType::Object && !v.is_array() => to_json_map(v, "", 0),
        Some(_) => Err(invalid("options", "must be an object")),
    }
}

/// Options with some keys set apart: the core's map and the JS values of the keys set apart.
pub(crate) type SplitOptions = (Map<String, Value>, Vec<Option<Js>>);

/// An options object split into the keys in `special` (returned as JS values, in the order of `special`,
/// for the caller to read itself, e.g. columns) and the other keys as a core `Options` map.
pub(crate) fn options_split(v: Option<Js>, special: &[&str]) -> Res<SplitOptions> {
    let mut picked = vec![None; special.len()];
    let v = match v {
        None => return Ok((Map::new(), picked)),
        Some(v) if v.is_nullish() => return Ok((Map::new(), picked)),
        Some(v) if v.type_of() == ValueType::Object && !v.is_array() => v,
        Some(_) => return Err(invalid("options", "must be an object")),
    };
    let mut map = Map::new();
    for k in v.keys()? {
        let child = v.property(&k)?;
        if let Some(i) = special.iter().position(|s| *s == k) {
            if !child.is_nullish() {
                picked[i] = Some(child);
            }
            continue;
        }
        if let Some(val) = to_json(child, &k, 1)? {
            map.insert(camel_to_snake(&k), val);
        }
    }
    Ok((map, picked))
}

/// A JS object (camelCase keys), e.g. a result or a partial passed back, as serde_json with snake_case keys.
pub(crate) fn object(v: Option<Js>, arg: &str) -> Res<Map<String, Value>> {
    match v {
        Some(v) if v.type_of() == ValueType::Object && !v.is_array() => to_json_map(v, "", 0),
        _ => Err(invalid(arg, "must be an object")),
    }
}

// ---------------------------------------------------------------------------------------------------------
// results -> Tree -> JS

/// A serialised result: numbers as f64 (NaN and infinities kept), struct fields in camelCase, key order
/// kept. Built off the JS thread (in async tasks) and turned into JS values on it.
#[derive(Debug, Clone, PartialEq)]
pub enum Tree {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Seq(Vec<Tree>),
    Map(Vec<(String, Tree)>),
    /// A column of f64 that becomes a `Float64Array`.
    F64s(Vec<f64>),
}

impl Tree {
    /// Serialises any core result.
    pub(crate) fn of<T: Serialize + ?Sized>(value: &T) -> Res<Tree> {
        value
            .serialize(TreeSer { camel: true })
            .map_err(|e| invalid("result", e.0))
    }

    /// Serialises with the core's own (snake_case) field names: the JSON form of partials, which Rust
    /// and Python read and write too.
    pub(crate) fn of_raw<T: Serialize + ?Sized>(value: &T) -> Res<Tree> {
        value
            .serialize(TreeSer { camel: false })
            .map_err(|e| invalid("partial", e.0))
    }

    /// The value of a field of a map.
    pub(crate) fn field_mut(&mut self, key: &str) -> Option<&mut Tree> {
        match self {
            Tree::Map(fields) => fields.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Inserts a field into a map right after the field `after` (at the end when `after` is absent).
    pub(crate) fn insert_after(&mut self, after: &str, key: &str, value: Tree) {
        if let Tree::Map(fields) = self {
            let at = fields
                .iter()
                .position(|(k, _)| k == after)
                .map_or(fields.len(), |i| i + 1);
            fields.insert(at, (key.to_string(), value));
        }
    }

    /// Turns an array of numbers in field `key` of a map into a `Float64Array`.
    pub(crate) fn typed_field(&mut self, key: &str) {
        if let Some(v) = self.field_mut(key) {
            if let Tree::Seq(items) = v {
                if items.iter().all(|t| matches!(t, Tree::Num(_))) {
                    let xs = items
                        .iter()
                        .map(|t| match t {
                            Tree::Num(x) => *x,
                            _ => f64::NAN,
                        })
                        .collect();
                    *v = Tree::F64s(xs);
                }
            }
        }
    }

    /// Adds (or replaces) a top-level field of a map.
    pub(crate) fn with_field(mut self, key: &str, value: Tree) -> Tree {
        if let Tree::Map(ref mut fields) = self {
            fields.retain(|(k, _)| k != key);
            fields.insert(0, (key.to_string(), value));
        }
        self
    }
}

#[derive(Debug)]
pub(crate) struct SerError(String);

impl std::fmt::Display for SerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for SerError {}
impl ser::Error for SerError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        SerError(msg.to_string())
    }
}

#[derive(Clone, Copy)]
struct TreeSer {
    /// Rename struct fields to camelCase (results) or keep them (partials: the core's serde form).
    camel: bool,
}

type SResult = std::result::Result<Tree, SerError>;

pub(crate) struct SeqSer(Vec<Tree>, TreeSer);
pub(crate) struct MapSer {
    ser: TreeSer,
    fields: Vec<(String, Tree)>,
    key: Option<String>,
    variant: Option<&'static str>,
}

impl TreeSer {
    fn key(&self, k: &str) -> String {
        if self.camel {
            snake_to_camel(k)
        } else {
            k.to_string()
        }
    }
}

impl ser::Serializer for TreeSer {
    type Ok = Tree;
    type Error = SerError;
    type SerializeSeq = SeqSer;
    type SerializeTuple = SeqSer;
    type SerializeTupleStruct = SeqSer;
    type SerializeTupleVariant = SeqSer;
    type SerializeMap = MapSer;
    type SerializeStruct = MapSer;
    type SerializeStructVariant = MapSer;

    fn serialize_bool(self, v: bool) -> SResult {
        Ok(Tree::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> SResult {
        Ok(Tree::Num(v as f64))
    }
    fn serialize_i16(self, v: i16) -> SResult {
        Ok(Tree::Num(v as f64))
    }
    fn serialize_i32(self, v: i32) -> SResult {
        Ok(Tree::Num(v as f64))
    }
    fn serialize_i64(self, v: i64) -> SResult {
        Ok(Tree::Num(v as f64))
    }
    fn serialize_u8(self, v: u8) -> SResult {
        Ok(Tree::Num(v as f64))
    }
    fn serialize_u16(self, v: u16) -> SResult {
        Ok(Tree::Num(v as f64))
    }
    fn serialize_u32(self, v: u32) -> SResult {
        Ok(Tree::Num(v as f64))
    }
    fn serialize_u64(self, v: u64) -> SResult {
        Ok(Tree::Num(v as f64))
    }
    fn serialize_f32(self, v: f32) -> SResult {
        Ok(Tree::Num(v as f64))
    }
    fn serialize_f64(self, v: f64) -> SResult {
        Ok(Tree::Num(v))
    }
    fn serialize_char(self, v: char) -> SResult {
        Ok(Tree::Str(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> SResult {
        Ok(Tree::Str(v.to_string()))
    }
    fn serialize_bytes(self, v: &[u8]) -> SResult {
        Ok(Tree::Seq(v.iter().map(|&b| Tree::Num(b as f64)).collect()))
    }
    fn serialize_none(self) -> SResult {
        Ok(Tree::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> SResult {
        value.serialize(self)
    }
    fn serialize_unit(self) -> SResult {
        Ok(Tree::Null)
    }
    fn serialize_unit_struct(self, _name: &'static str) -> SResult {
        Ok(Tree::Null)
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> SResult {
        Ok(Tree::Str(variant.to_string()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> SResult {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> SResult {
        Ok(Tree::Map(vec![(
            variant.to_string(),
            value.serialize(self)?,
        )]))
    }
    fn serialize_seq(self, len: Option<usize>) -> std::result::Result<SeqSer, SerError> {
        Ok(SeqSer(Vec::with_capacity(len.unwrap_or(0)), self))
    }
    fn serialize_tuple(self, len: usize) -> std::result::Result<SeqSer, SerError> {
        Ok(SeqSer(Vec::with_capacity(len), self))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> std::result::Result<SeqSer, SerError> {
        Ok(SeqSer(Vec::with_capacity(len), self))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        len: usize,
    ) -> std::result::Result<SeqSer, SerError> {
        Ok(SeqSer(Vec::with_capacity(len), self))
    }
    fn serialize_map(self, _len: Option<usize>) -> std::result::Result<MapSer, SerError> {
        Ok(MapSer {
            ser: self,
            fields: Vec::new(),
            key: None,
            variant: None,
        })
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> std::result::Result<MapSer, SerError> {
        Ok(MapSer {
            ser: self,
            fields: Vec::new(),
            key: None,
            variant: None,
        })
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> std::result::Result<MapSer, SerError> {
        Ok(MapSer {
            ser: self,
            fields: Vec::new(),
            key: None,
            variant: Some(variant),
        })
    }
}

impl ser::SerializeSeq for SeqSer {
    type Ok = Tree;
    type Error = SerError;
    fn serialize_element<T: Serialize + ?Sized>(
        &mut self,
        value: &T,
    ) -> std::result::Result<(), SerError> {
        self.0.push(value.serialize(self.1)?);
        Ok(())
    }
    fn end(self) -> SResult {
        Ok(Tree::Seq(self.0))
    }
}
impl ser::SerializeTuple for SeqSer {
    type Ok = Tree;
    type Error = SerError;
    fn serialize_element<T: Serialize + ?Sized>(
        &mut self,
        value: &T,
    ) -> std::result::Result<(), SerError> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> SResult {
        Ok(Tree::Seq(self.0))
    }
}
impl ser::SerializeTupleStruct for SeqSer {
    type Ok = Tree;
    type Error = SerError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        value: &T,
    ) -> std::result::Result<(), SerError> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> SResult {
        Ok(Tree::Seq(self.0))
    }
}
impl ser::SerializeTupleVariant for SeqSer {
    type Ok = Tree;
    type Error = SerError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        value: &T,
    ) -> std::result::Result<(), SerError> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> SResult {
        Ok(Tree::Seq(self.0))
    }
}
impl ser::SerializeMap for MapSer {
    type Ok = Tree;
    type Error = SerError;
    fn serialize_key<T: Serialize + ?Sized>(
        &mut self,
        key: &T,
    ) -> std::result::Result<(), SerError> {
        self.key = Some(match key.serialize(self.ser)? {
            Tree::Str(s) => self.ser.key(&s),
            Tree::Num(x) => format!("{x}"),
            Tree::Bool(b) => b.to_string(),
            _ => return Err(SerError("map keys must be strings or numbers".into())),
        });
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(
        &mut self,
        value: &T,
    ) -> std::result::Result<(), SerError> {
        let k = self
            .key
            .take()
            .ok_or_else(|| SerError("value without key".into()))?;
        self.fields.push((k, value.serialize(self.ser)?));
        Ok(())
    }
    fn end(self) -> SResult {
        Ok(Tree::Map(self.fields))
    }
}
impl ser::SerializeStruct for MapSer {
    type Ok = Tree;
    type Error = SerError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> std::result::Result<(), SerError> {
        self.fields
            .push((self.ser.key(key), value.serialize(self.ser)?));
        Ok(())
    }
    fn end(self) -> SResult {
        Ok(Tree::Map(self.fields))
    }
}
impl ser::SerializeStructVariant for MapSer {
    type Ok = Tree;
    type Error = SerError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> std::result::Result<(), SerError> {
        self.fields
            .push((self.ser.key(key), value.serialize(self.ser)?));
        Ok(())
    }
    fn end(self) -> SResult {
        let v = self.variant.unwrap_or("variant").to_string();
        Ok(Tree::Map(vec![(v, Tree::Map(self.fields))]))
    }
}

unsafe fn tree_to_js(env: sys::napi_env, t: &Tree) -> napi::Result<sys::napi_value> {
    let mut out = ptr::null_mut();
    let status = match t {
        Tree::Null => sys::napi_get_null(env, &mut out),
        Tree::Bool(b) => sys::napi_get_boolean(env, *b, &mut out),
        Tree::Num(x) => sys::napi_create_double(env, *x, &mut out),
        Tree::Str(s) => {
            sys::napi_create_string_utf8(env, s.as_ptr().cast(), s.len() as isize, &mut out)
        }
        Tree::Seq(items) => {
            let s = sys::napi_create_array_with_length(env, items.len(), &mut out);
            if s == sys::Status::napi_ok {
                for (i, item) in items.iter().enumerate() {
                    let v = tree_to_js(env, item)?;
                    sys::napi_set_element(env, out, i as u32, v);
                }
            }
            s
        }
        Tree::F64s(xs) => {
            let mut buf = ptr::null_mut();
            let mut data: *mut std::ffi::c_void = ptr::null_mut();
            let s = sys::napi_create_arraybuffer(env, xs.len() * 8, &mut data, &mut buf);
            if s == sys::Status::napi_ok {
                if !xs.is_empty() && !data.is_null() {
                    // SAFETY: `data` is the fresh buffer of xs.len() * 8 bytes that V8 allocated.
                    ptr::copy_nonoverlapping(xs.as_ptr(), data as *mut f64, xs.len());
                }
                sys::napi_create_typedarray(
                    env,
                    sys::TypedarrayType::float64_array,
                    xs.len(),
                    buf,
                    0,
                    &mut out,
                )
            } else {
                s
            }
        }
        Tree::Map(fields) => {
            let s = sys::napi_create_object(env, &mut out);
            if s == sys::Status::napi_ok {
                for (k, item) in fields {
                    let v = tree_to_js(env, item)?;
                    let mut key = ptr::null_mut();
                    sys::napi_create_string_utf8(
                        env,
                        k.as_ptr().cast(),
                        k.len() as isize,
                        &mut key,
                    );
                    sys::napi_set_property(env, out, key, v);
                }
            }
            s
        }
    };
    if status != sys::Status::napi_ok {
        return Err(napi::Error::from_reason(
            "cxkpi: could not create a JavaScript value",
        ));
    }
    Ok(out)
}

impl ToNapiValue for Tree {
    unsafe fn to_napi_value(env: sys::napi_env, val: Self) -> napi::Result<sys::napi_value> {
        tree_to_js(env, &val)
    }
}

impl TypeName for Tree {
    fn type_name() -> &'static str {
        "Object"
    }
    fn value_type() -> ValueType {
        ValueType::Object
    }
}
