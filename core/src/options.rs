//! Options as data: every options struct is read from a JSON object with snake_case keys.
//!
//! The Python and Node bindings hand their keyword arguments / option objects to the core as an
//! [`Options`] map, so that all three languages share one set of names, defaults and validation
//! (unknown keys and unknown method names are typed errors, not silently ignored).

use crate::error::{CxkpiError, Result};
use serde_json::Value;

/// A JSON object of options with snake_case keys.
pub type Options = serde_json::Map<String, Value>;

/// An enum option named by a snake_case string (e.g. `"adjusted_wald"`).
pub trait OptionEnum: Sized + Copy {
    /// All accepted names, in declaration order.
    const NAMES: &'static [&'static str];
    /// The value for the name at `NAMES[i]`.
    fn from_index(i: usize) -> Self;
    /// The stable name of this value.
    fn as_str(&self) -> &'static str;

    /// Parses `value` for the option `arg`; an unknown name is an `unknown_method` error.
    fn parse(arg: &str, value: &str) -> Result<Self> {
        Self::NAMES
            .iter()
            .position(|n| *n == value)
            .map(Self::from_index)
            .ok_or_else(|| CxkpiError::UnknownMethod {
                arg: arg.to_string(),
                value: value.to_string(),
                expected: Self::NAMES.join(", "),
            })
    }
}

/// Declares a `Copy` enum with snake_case names, serde support and [`OptionEnum`].
macro_rules! option_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident => $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $($(#[$vm])* #[serde(rename = $s)] $variant),+
        }
        impl $crate::options::OptionEnum for $name {
            const NAMES: &'static [&'static str] = &[$($s),+];
            fn from_index(i: usize) -> Self {
                const ALL: &[$name] = &[$($name::$variant),+];
                ALL[i]
            }
            fn as_str(&self) -> &'static str {
                match self { $($name::$variant => $s),+ }
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str($crate::options::OptionEnum::as_str(self))
            }
        }
    };
}
pub(crate) use option_enum;

/// Reads typed values out of an [`Options`] map, remembering which keys were used so that
/// [`OptionReader::finish`] can reject keys nobody asked for.
pub struct OptionReader<'a> {
    map: &'a Options,
    used: Vec<&'a str>,
}

fn type_error(key: &str, expected: &str, v: &Value) -> CxkpiError {
    CxkpiError::invalid(key, format!("expected {expected}, got {v}"))
}

impl<'a> OptionReader<'a> {
    /// Starts reading `map`.
    pub fn new(map: &'a Options) -> Self {
        OptionReader {
            map,
            used: Vec::new(),
        }
    }

    fn get(&mut self, key: &str) -> Option<&'a Value> {
        match self.map.get_key_value(key) {
            Some((k, v)) => {
                self.used.push(k.as_str());
                if v.is_null() {
                    None
                } else {
                    Some(v)
                }
            }
            None => None,
        }
    }

    /// A number (JSON number or one of the strings "NaN", "Infinity", "-Infinity").
    pub fn f64(&mut self, key: &str) -> Result<Option<f64>> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => value_to_f64(v)
                .map(Some)
                .ok_or_else(|| type_error(key, "a number", v)),
        }
    }

    /// A whole number that fits `i64`.
    pub fn i64(&mut self, key: &str) -> Result<Option<i64>> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => match v.as_i64() {
                Some(i) => Ok(Some(i)),
                None => match v.as_f64() {
                    Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(Some(f as i64)),
                    _ => Err(type_error(key, "a whole number", v)),
                },
            },
        }
    }

    /// A non-negative whole number.
    pub fn u64(&mut self, key: &str) -> Result<Option<u64>> {
        match self.i64(key)? {
            None => Ok(None),
            Some(i) if i >= 0 => Ok(Some(i as u64)),
            Some(i) => Err(CxkpiError::invalid(key, format!("must be >= 0, got {i}"))),
        }
    }

    /// A whole number that fits `i32`.
    pub fn i32(&mut self, key: &str) -> Result<Option<i32>> {
        match self.i64(key)? {
            None => Ok(None),
            Some(i) => i32::try_from(i)
                .map(Some)
                .map_err(|_| CxkpiError::invalid(key, format!("{i} is out of range"))),
        }
    }

    /// A boolean.
    pub fn bool(&mut self, key: &str) -> Result<Option<bool>> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => v
                .as_bool()
                .map(Some)
                .ok_or_else(|| type_error(key, "true or false", v)),
        }
    }

    /// A string.
    pub fn str(&mut self, key: &str) -> Result<Option<&'a str>> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => v
                .as_str()
                .map(Some)
                .ok_or_else(|| type_error(key, "a string", v)),
        }
    }

    /// A pair of numbers given as a two-element array, e.g. `"bounds": [0.5, 3]`.
    pub fn f64_pair(&mut self, key: &str) -> Result<Option<(f64, f64)>> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => match v.as_array().map(|a| a.as_slice()) {
                Some([a, b]) => match (value_to_f64(a), value_to_f64(b)) {
                    (Some(a), Some(b)) => Ok(Some((a, b))),
                    _ => Err(type_error(key, "two numbers [lower, upper]", v)),
                },
                _ => Err(type_error(key, "two numbers [lower, upper]", v)),
            },
        }
    }

    /// An enum option given by name.
    pub fn enumeration<E: OptionEnum>(&mut self, key: &str) -> Result<Option<E>> {
        match self.str(key)? {
            None => Ok(None),
            Some(s) => E::parse(key, s).map(Some),
        }
    }

    /// Fails on any key that was not read: a misspelt option is an error, never ignored.
    pub fn finish(self) -> Result<()> {
        for k in self.map.keys() {
            if !self.used.contains(&k.as_str()) {
                return Err(CxkpiError::invalid(k, "unknown option"));
            }
        }
        Ok(())
    }
}

/// Converts a JSON value to f64, accepting the strings "NaN", "Infinity" and "-Infinity".
pub fn value_to_f64(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => match s.as_str() {
            "NaN" => Some(f64::NAN),
            "Infinity" => Some(f64::INFINITY),
            "-Infinity" => Some(f64::NEG_INFINITY),
            _ => None,
        },
        _ => None,
    }
}

/// Checks a confidence level lies strictly between 0 and 1.
pub fn check_confidence(c: f64) -> Result<f64> {
    if c > 0.0 && c < 1.0 {
        Ok(c)
    } else {
        Err(CxkpiError::InvalidConfidence { value: c })
    }
}
