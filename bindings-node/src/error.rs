//! Error mapping: every core error becomes a JS `Error` with `code = "CXKPI_<KIND>"`, `kind`, the core's
//! message and its details (`arg`, `index`, `value` where the error has them). Mirrors core `error`.
//!
//! A panic inside the core is a bug; it is caught at the binding boundary and thrown as an `Error` with
//! `code = "CXKPI_PANIC"` so that no panic ever unwinds into Node.

use std::ffi::CString;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

use cxkpi::CxkpiError;

use crate::convert::snake_to_camel;
use napi::{sys, Env, Unknown};

/// What can go wrong in a binding call: a core error (bad input) or a caught panic (a bug).
#[derive(Debug)]
pub enum Failure {
    Core(CxkpiError),
    Panic(String),
    /// A core error restated in the caller's own names (data columns, target levels): its kind, with the
    /// message and details given here, passed to JS verbatim (no camelCase conversion of user names).
    Named {
        kind: &'static str,
        message: String,
        arg: Option<String>,
        index: Option<usize>,
        value: Option<f64>,
    },
}

impl From<CxkpiError> for Failure {
    fn from(e: CxkpiError) -> Self {
        Failure::Core(e)
    }
}

/// Result of binding-side work.
pub(crate) type Res<T> = std::result::Result<T, Failure>;

/// An `invalid_argument` error raised by the binding itself (argument conversion).
pub(crate) fn invalid(arg: &str, message: impl Into<String>) -> Failure {
    Failure::Core(CxkpiError::InvalidArgument {
        arg: arg.to_string(),
        message: message.into(),
    })
}

/// Runs `f`, turning a panic into [`Failure::Panic`].
pub(crate) fn guard<T>(f: impl FnOnce() -> Res<T>) -> Res<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => r,
        Err(payload) => {
            let msg = if let Some(s) = payload.downcast_ref::<&str>() {
                (*s).to_string()
            } else if let Some(s) = payload.downcast_ref::<String>() {
                s.clone()
            } else {
                "unknown panic".to_string()
            };
            Err(Failure::Panic(msg))
        }
    }
}

/// `"CXKPI_" + kind.toUpperCase()`.
pub(crate) fn code_of(kind: &str) -> String {
    format!("CXKPI_{}", kind.to_ascii_uppercase())
}

fn cstring(s: &str) -> CString {
    CString::new(s.replace('\0', "\u{FFFD}")).unwrap_or_default()
}

unsafe fn js_string(env: sys::napi_env, s: &str) -> sys::napi_value {
    let mut out = ptr::null_mut();
    sys::napi_create_string_utf8(env, s.as_ptr().cast(), s.len() as isize, &mut out);
    out
}

unsafe fn js_number(env: sys::napi_env, x: f64) -> sys::napi_value {
    let mut out = ptr::null_mut();
    sys::napi_create_double(env, x, &mut out);
    out
}

unsafe fn js_null(env: sys::napi_env) -> sys::napi_value {
    let mut out = ptr::null_mut();
    sys::napi_get_null(env, &mut out);
    out
}

unsafe fn set(env: sys::napi_env, obj: sys::napi_value, key: &str, v: sys::napi_value) {
    let k = cstring(key);
    sys::napi_set_named_property(env, obj, k.as_ptr(), v);
}

/// Builds the JS `Error` object for a failure and wraps it so that napi throws (or rejects with) exactly
/// that object.
pub(crate) fn to_js_error(env: &Env, failure: Failure) -> napi::Error {
    let raw_env = env.raw();
    let (kind, message, arg, index, value) = match &failure {
        Failure::Core(e) => {
            let d = e.details();
            // Name arguments and options as a Node caller spells them (camelCase).
            let (arg, message) = match d.arg {
                Some(a) if a.contains('_') => {
                    let camel = snake_to_camel(&a);
                    (
                        Some(camel.clone()),
                        d.message.replace(&format!("`{a}"), &format!("`{camel}")),
                    )
                }
                other => (other, d.message),
            };
            (d.kind.to_string(), message, arg, d.index, d.value)
        }
        Failure::Named {
            kind,
            message,
            arg,
            index,
            value,
        } => (
            kind.to_string(),
            message.clone(),
            arg.clone(),
            *index,
            *value,
        ),
        Failure::Panic(m) => (
            "panic".to_string(),
            format!("internal error in cxkpi (please report): {m}"),
            None,
            None,
            None,
        ),
    };
    let code = code_of(&kind);
    // SAFETY: all calls run on the JS thread that owns `env`; every value is created in the current scope.
    unsafe {
        let mut err = ptr::null_mut();
        let status = sys::napi_create_error(
            raw_env,
            js_string(raw_env, &code),
            js_string(raw_env, &message),
            &mut err,
        );
        if status != sys::Status::napi_ok || err.is_null() {
            return napi::Error::from_reason(format!("{code}: {message}"));
        }
        set(raw_env, err, "kind", js_string(raw_env, &kind));
        let arg_v = match &arg {
            Some(a) => js_string(raw_env, a),
            None => js_null(raw_env),
        };
        let index_v = match index {
            Some(i) => js_number(raw_env, i as f64),
            None => js_null(raw_env),
        };
        let value_v = match value {
            Some(x) => js_number(raw_env, x),
            None => js_null(raw_env),
        };
        set(raw_env, err, "arg", arg_v);
        set(raw_env, err, "index", index_v);
        set(raw_env, err, "value", value_v);
        let mut details = ptr::null_mut();
        sys::napi_create_object(raw_env, &mut details);
        set(raw_env, details, "arg", arg_v);
        set(raw_env, details, "index", index_v);
        set(raw_env, details, "value", value_v);
        set(raw_env, err, "details", details);
        napi::Error::from(Unknown::from_raw_unchecked(raw_env, err))
    }
}

/// Maps a binding result to a napi result, building the JS error on failure.
pub(crate) fn js<T>(env: &Env, r: Res<T>) -> napi::Result<T> {
    r.map_err(|f| to_js_error(env, f))
}
