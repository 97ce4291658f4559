//! Conversions between Python objects and the JSON values of `fluxcd_core::embed`.
//!
//! Kubernetes objects, values and reports cross as plain Python data (dicts, lists,
//! str, int, float, bool, None) through `pythonize`; keys keep their wire names.

use std::collections::BTreeMap;

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use serde_json::Value;

/// A Python object as JSON; `what` names the argument in the error.
pub fn value(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Value> {
    pythonize::depythonize(obj)
        .map_err(|e| PyTypeError::new_err(format!("{what}: not JSON-like data: {e}")))
}

/// An iterable of objects (a list, a tuple, any sequence) as JSON values.
pub fn values(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<Value>> {
    let mut out = Vec::new();
    for (i, item) in obj.try_iter()?.enumerate() {
        out.push(value(&item?, &format!("{what}[{i}]"))?);
    }
    Ok(out)
}

/// `None` or an iterable of objects.
pub fn opt_values(obj: Option<&Bound<'_, PyAny>>, what: &str) -> PyResult<Vec<Value>> {
    match obj {
        Some(o) if !o.is_none() => values(o, what),
        _ => Ok(Vec::new()),
    }
}

/// A mapping of strings to strings.
pub fn string_map(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<BTreeMap<String, String>> {
    pythonize::depythonize(obj)
        .map_err(|e| PyTypeError::new_err(format!("{what}: expected a mapping of str to str: {e}")))
}

/// A JSON value as a Python object.
pub fn to_py<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    pythonize::pythonize(py, v).map_err(|e| PyTypeError::new_err(e.to_string()))
}

/// Anything serializable (diagnostics, reports) as a Python object.
pub fn ser_to_py<'py, T: serde::Serialize + ?Sized>(
    py: Python<'py>,
    v: &T,
) -> PyResult<Bound<'py, PyAny>> {
    pythonize::pythonize(py, v).map_err(|e| PyTypeError::new_err(e.to_string()))
}
