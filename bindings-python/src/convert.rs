//! Conversions between Python objects and serde.
//!
//! * Python -> `serde_json::Value` (options dicts and result dicts handed back to `compare_*`).
//! * any `serde::Serialize` -> Python objects (results), keeping NaN and infinities as floats
//!   (`serde_json::Value` cannot hold them, so results do not go through it).
//!
//! pythonize would do both, but no pythonize release supports pyo3 0.30 (pythonize 0.29 needs pyo3 0.29),
//! so this small, dependency-free equivalent lives here.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use pyo3::IntoPyObjectExt;
use serde::ser::{self, Serialize};
use serde_json::{Map, Number, Value};

use cxkpi::CxkpiError;

/// Python -> JSON value. `path` names the option for error messages.
///
/// A non-finite float becomes the string "NaN", "Infinity" or "-Infinity", which the core reads as a number
/// (never silently `null`, which would mean "use the default").
pub fn py_to_json(obj: &Bound<'_, PyAny>, path: &str) -> Result<Value, CxkpiError> {
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if obj.is_instance_of::<PyBool>() {
        return Ok(Value::Bool(obj.extract::<bool>().unwrap_or(false)));
    }
    if obj.is_instance_of::<PyInt>() {
        if let Ok(v) = obj.extract::<u64>() {
            return Ok(Value::Number(v.into()));
        }
        if let Ok(v) = obj.extract::<i64>() {
            return Ok(Value::Number(v.into()));
        }
        return Err(invalid(
            path,
            format!("integer {} does not fit in 64 bits", repr(obj)),
        ));
    }
    if obj.is_instance_of::<PyFloat>() {
        let v: f64 = obj
            .extract()
            .map_err(|_| invalid(path, "is not a float".into()))?;
        return float_to_json(v, path);
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::String(s.to_string_lossy().into_owned()));
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        let mut map = Map::new();
        for (k, v) in d.iter() {
            let key: String = k
                .extract()
                .map_err(|_| invalid(path, format!("has a non-string key {}", repr(&k))))?;
            let sub = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            map.insert(key, py_to_json(&v, &sub)?);
        }
        return Ok(Value::Object(map));
    }
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        let mut out = Vec::new();
        for (i, item) in obj
            .try_iter()
            .map_err(|e| invalid(path, e.to_string()))?
            .enumerate()
        {
            let item = item.map_err(|e| invalid(path, e.to_string()))?;
            out.push(py_to_json(&item, &format!("{path}[{i}]"))?);
        }
        return Ok(Value::Array(out));
    }
    // numpy scalars and other number-likes: index first (integers), then float.
    if obj.hasattr("__index__").unwrap_or(false) {
        if let Ok(v) = obj
            .call_method0("__index__")
            .and_then(|o| o.extract::<i64>())
        {
            return Ok(Value::Number(v.into()));
        }
    }
    if obj.hasattr("__float__").unwrap_or(false) {
        if let Ok(v) = obj
            .call_method0("__float__")
            .and_then(|o| o.extract::<f64>())
        {
            return float_to_json(v, path);
        }
    }
    Err(invalid(
        path,
        format!("has a value of unsupported type {}", type_name(obj)),
    ))
}

fn float_to_json(v: f64, _path: &str) -> Result<Value, CxkpiError> {
    // The core reads the strings "NaN", "Infinity" and "-Infinity" as numbers (options::value_to_f64), so a
    // non-finite option reaches the core's own validation (e.g. confidence=nan -> invalid_confidence).
    Ok(match Number::from_f64(v) {
        Some(n) => Value::Number(n),
        None if v.is_nan() => Value::String("NaN".into()),
        None if v > 0.0 => Value::String("Infinity".into()),
        None => Value::String("-Infinity".into()),
    })
}

/// A Python dict (or None) -> options map.
pub fn py_to_options(obj: Option<&Bound<'_, PyAny>>) -> Result<Map<String, Value>, CxkpiError> {
    match obj {
        None => Ok(Map::new()),
        Some(o) if o.is_none() => Ok(Map::new()),
        Some(o) => match py_to_json(o, "")? {
            Value::Object(m) => Ok(m),
            _ => Err(invalid(
                "options",
                format!("must be a dict, got {}", type_name(o)),
            )),
        },
    }
}

fn invalid(arg: &str, message: String) -> CxkpiError {
    let arg = if arg.is_empty() { "options" } else { arg };
    CxkpiError::InvalidArgument {
        arg: arg.to_string(),
        message,
    }
}

fn repr(obj: &Bound<'_, PyAny>) -> String {
    obj.repr()
        .map(|r| r.to_string_lossy().into_owned())
        .unwrap_or_else(|_| "?".into())
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".into())
}

// ---------------------------------------------------------------------------------------------------------
// serde::Serialize -> Python
// ---------------------------------------------------------------------------------------------------------

/// Serialise any serde value into Python objects (dict/list/str/int/float/bool/None).
pub fn to_py<'py, T: Serialize + ?Sized>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    value.serialize(PySer { py }).map_err(|e| e.0)
}

#[derive(Debug)]
pub struct SerError(PyErr);

impl std::fmt::Display for SerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}
impl std::error::Error for SerError {}
impl ser::Error for SerError {
    fn custom<M: std::fmt::Display>(msg: M) -> Self {
        SerError(PyTypeError::new_err(msg.to_string()))
    }
}
impl From<PyErr> for SerError {
    fn from(e: PyErr) -> Self {
        SerError(e)
    }
}

type R<'py> = Result<Bound<'py, PyAny>, SerError>;

#[derive(Clone, Copy)]
struct PySer<'py> {
    py: Python<'py>,
}

impl<'py> PySer<'py> {
    fn obj<T: IntoPyObject<'py>>(self, v: T) -> R<'py> {
        v.into_bound_py_any(self.py).map_err(SerError)
    }
}

pub struct SeqSer<'py> {
    py: Python<'py>,
    items: Vec<Bound<'py, PyAny>>,
    variant: Option<&'static str>,
}

pub struct MapSer<'py> {
    py: Python<'py>,
    dict: Bound<'py, PyDict>,
    key: Option<Bound<'py, PyAny>>,
    variant: Option<&'static str>,
}

impl<'py> ser::Serializer for PySer<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = SerError;
    type SerializeSeq = SeqSer<'py>;
    type SerializeTuple = SeqSer<'py>;
    type SerializeTupleStruct = SeqSer<'py>;
    type SerializeTupleVariant = SeqSer<'py>;
    type SerializeMap = MapSer<'py>;
    type SerializeStruct = MapSer<'py>;
    type SerializeStructVariant = MapSer<'py>;

    fn serialize_bool(self, v: bool) -> R<'py> {
        self.obj(v)
    }
    fn serialize_i8(self, v: i8) -> R<'py> {
        self.obj(v)
    }
    fn serialize_i16(self, v: i16) -> R<'py> {
        self.obj(v)
    }
    fn serialize_i32(self, v: i32) -> R<'py> {
        self.obj(v)
    }
    fn serialize_i64(self, v: i64) -> R<'py> {
        self.obj(v)
    }
    fn serialize_i128(self, v: i128) -> R<'py> {
        self.obj(v)
    }
    fn serialize_u8(self, v: u8) -> R<'py> {
        self.obj(v)
    }
    fn serialize_u16(self, v: u16) -> R<'py> {
        self.obj(v)
    }
    fn serialize_u32(self, v: u32) -> R<'py> {
        self.obj(v)
    }
    fn serialize_u64(self, v: u64) -> R<'py> {
        self.obj(v)
    }
    fn serialize_u128(self, v: u128) -> R<'py> {
        self.obj(v)
    }
    fn serialize_f32(self, v: f32) -> R<'py> {
        self.obj(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> R<'py> {
        self.obj(v)
    }
    fn serialize_char(self, v: char) -> R<'py> {
        self.obj(v.to_string())
    }
    fn serialize_str(self, v: &str) -> R<'py> {
        self.obj(v)
    }
    fn serialize_bytes(self, v: &[u8]) -> R<'py> {
        self.obj(v.to_vec())
    }
    fn serialize_none(self) -> R<'py> {
        Ok(self.py.None().into_bound(self.py))
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> R<'py> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> R<'py> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _name: &'static str) -> R<'py> {
        self.serialize_none()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> R<'py> {
        self.obj(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> R<'py> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> R<'py> {
        let d = PyDict::new(self.py);
        d.set_item(variant, value.serialize(self)?)?;
        Ok(d.into_any())
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<SeqSer<'py>, SerError> {
        Ok(SeqSer {
            py: self.py,
            items: Vec::with_capacity(len.unwrap_or(0)),
            variant: None,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<SeqSer<'py>, SerError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<SeqSer<'py>, SerError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<SeqSer<'py>, SerError> {
        Ok(SeqSer {
            py: self.py,
            items: Vec::with_capacity(len),
            variant: Some(variant),
        })
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<MapSer<'py>, SerError> {
        Ok(MapSer {
            py: self.py,
            dict: PyDict::new(self.py),
            key: None,
            variant: None,
        })
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<MapSer<'py>, SerError> {
        self.serialize_map(None)
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<MapSer<'py>, SerError> {
        Ok(MapSer {
            py: self.py,
            dict: PyDict::new(self.py),
            key: None,
            variant: Some(variant),
        })
    }
}

impl<'py> SeqSer<'py> {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), SerError> {
        self.items.push(value.serialize(PySer { py: self.py })?);
        Ok(())
    }
    fn done(self) -> R<'py> {
        let list = PyList::new(self.py, self.items)?.into_any();
        match self.variant {
            None => Ok(list),
            Some(v) => {
                let d = PyDict::new(self.py);
                d.set_item(v, list)?;
                Ok(d.into_any())
            }
        }
    }
}

impl<'py> ser::SerializeSeq for SeqSer<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = SerError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), SerError> {
        self.push(value)
    }
    fn end(self) -> R<'py> {
        self.done()
    }
}
impl<'py> ser::SerializeTuple for SeqSer<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = SerError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), SerError> {
        self.push(value)
    }
    fn end(self) -> R<'py> {
        self.done()
    }
}
impl<'py> ser::SerializeTupleStruct for SeqSer<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = SerError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), SerError> {
        self.push(value)
    }
    fn end(self) -> R<'py> {
        self.done()
    }
}
impl<'py> ser::SerializeTupleVariant for SeqSer<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = SerError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), SerError> {
        self.push(value)
    }
    fn end(self) -> R<'py> {
        self.done()
    }
}

impl<'py> MapSer<'py> {
    fn done(self) -> R<'py> {
        match self.variant {
            None => Ok(self.dict.into_any()),
            Some(v) => {
                let d = PyDict::new(self.py);
                d.set_item(v, self.dict)?;
                Ok(d.into_any())
            }
        }
    }
    fn field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), SerError> {
        self.dict
            .set_item(key, value.serialize(PySer { py: self.py })?)?;
        Ok(())
    }
}

impl<'py> ser::SerializeMap for MapSer<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = SerError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), SerError> {
        self.key = Some(key.serialize(PySer { py: self.py })?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), SerError> {
        let key = self
            .key
            .take()
            .ok_or_else(|| <SerError as ser::Error>::custom("map value without a key"))?;
        self.dict
            .set_item(key, value.serialize(PySer { py: self.py })?)?;
        Ok(())
    }
    fn end(self) -> R<'py> {
        self.done()
    }
}
impl<'py> ser::SerializeStruct for MapSer<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = SerError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), SerError> {
        self.field(key, value)
    }
    fn end(self) -> R<'py> {
        self.done()
    }
}
impl<'py> ser::SerializeStructVariant for MapSer<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = SerError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), SerError> {
        self.field(key, value)
    }
    fn end(self) -> R<'py> {
        self.done()
    }
}
