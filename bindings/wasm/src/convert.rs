//! Conversions between JavaScript values and the JSON the core takes and returns,
//! with the number rules of the Node package (`bindings/node/src/convert.rs`), so both
//! packages give the same answers for the same call:
//!
//! - **In:** a safe integer (|n| ≤ 2^53 − 1, what `Number.isSafeInteger` accepts)
//!   becomes a JSON integer, `-0` becomes `0`; another finite number stays a float; a
//!   `BigInt` within the 64-bit range is the exact integer. Object properties that are
//!   `undefined`, functions or symbols are left out and such array items become
//!   `null` (as `JSON.stringify` does); `NaN` and infinities become `null`.
//! - **Out:** integers beyond ±(2^53 − 1) come back as `BigInt`, so no digit is lost;
//!   other numbers are doubles; objects are plain objects with their keys in order.
//!
//! Values cross by walking them with `js-sys` (not `JSON.stringify`, which cannot
//! carry a `BigInt`); results without large integers cross as JSON text read by
//! `JSON.parse`, the fastest way to build large objects such as a plan.

use js_sys::{Array, BigInt, JsString, Object, Reflect, Uint8Array, JSON};
use serde_json::{Map, Number, Value};
use wasm_bindgen::{JsCast, JsValue};

use crate::errors::{arg_error, ArgError};

/// The largest integer a double holds exactly (`Number.MAX_SAFE_INTEGER`).
const MAX_SAFE: f64 = 9_007_199_254_740_991.0;

/// Deepest nesting accepted from JavaScript (a cyclic object would never end).
const MAX_DEPTH: usize = 1000;

/// A JavaScript value as JSON (see the module documentation for the rules).
pub fn from_js(v: &JsValue) -> Result<Value, JsValue> {
    from_js_at(v, 0)
}

fn from_js_at(v: &JsValue, depth: usize) -> Result<Value, JsValue> {
    if depth > MAX_DEPTH {
        return Err(arg_error(
            ArgError::InvalidArg,
            "value nested too deeply (or cyclic)",
        ));
    }
    if v.is_null() || v.is_undefined() {
        return Ok(Value::Null);
    }
    if let Some(b) = v.as_bool() {
        return Ok(Value::Bool(b));
    }
    if let Some(f) = v.as_f64() {
        return Ok(number(f));
    }
    if let Some(s) = v.as_string() {
        return Ok(Value::String(s));
    }
    if v.is_bigint() {
        return bigint(v);
    }
    if Array::is_array(v) {
        let a: &Array = v.unchecked_ref();
        let mut out = Vec::with_capacity(a.length() as usize);
        for item in a.iter() {
            if skipped(&item) {
                out.push(Value::Null);
            } else {
                out.push(from_js_at(&item, depth + 1)?);
            }
        }
        return Ok(Value::Array(out));
    }
    if v.is_object() {
        let obj: &Object = v.unchecked_ref();
        let mut out = Map::new();
        for key in Object::keys(obj).iter() {
            let item = Reflect::get(obj, &key)?;
            if skipped(&item) {
                continue;
            }
            let key = key.as_string().unwrap_or_default();
            out.insert(key, from_js_at(&item, depth + 1)?);
        }
        return Ok(Value::Object(out));
    }
    // Functions and symbols on their own.
    Ok(Value::Null)
}

/// What `JSON.stringify` leaves out of an object.
fn skipped(v: &JsValue) -> bool {
    v.is_undefined() || v.is_function() || v.is_symbol()
}

fn number(f: f64) -> Value {
    if f.is_finite() && f.fract() == 0.0 && f.abs() <= MAX_SAFE {
        // Exact: a safe integer converts to i64 without rounding (and -0 to 0).
        Value::Number(Number::from(f as i64))
    } else {
        Number::from_f64(f).map_or(Value::Null, Value::Number)
    }
}

fn bigint(v: &JsValue) -> Result<Value, JsValue> {
    let text: String = v
        .unchecked_ref::<BigInt>()
        .to_string(10)
        .map(String::from)
        .unwrap_or_default();
    if let Ok(i) = text.parse::<i64>() {
        return Ok(Value::Number(Number::from(i)));
    }
    if let Ok(u) = text.parse::<u64>() {
        return Ok(Value::Number(Number::from(u)));
    }
    Err(arg_error(
        ArgError::InvalidArg,
        &format!("BigInt {text} is outside the 64-bit range"),
    ))
}

/// A list of JavaScript values (an array) as JSON values.
pub fn from_js_list(v: &JsValue, what: &str) -> Result<Vec<Value>, JsValue> {
    match from_js(v)? {
        Value::Array(items) => Ok(items),
        _ => Err(arg_error(
            ArgError::ArrayExpected,
            &format!("{what} must be an array"),
        )),
    }
}

/// An object argument (a Kubernetes object, values) as JSON.
pub fn from_js_object(v: &JsValue, what: &str) -> Result<Value, JsValue> {
    if !v.is_object() || Array::is_array(v) {
        return Err(arg_error(
            ArgError::ObjectExpected,
            &format!("{what} must be an object"),
        ));
    }
    from_js(v)
}

/// A string argument.
pub fn string(v: &JsValue, what: &str) -> Result<String, JsValue> {
    v.as_string().ok_or_else(|| {
        arg_error(
            ArgError::StringExpected,
            &format!("{what} must be a string"),
        )
    })
}

/// An optional string argument (`undefined` and `null` for none).
pub fn opt_string(v: &JsValue, what: &str) -> Result<Option<String>, JsValue> {
    if v.is_undefined() || v.is_null() {
        Ok(None)
    } else {
        string(v, what).map(Some)
    }
}

/// Text or bytes (`Uint8Array`, `Buffer`) as bytes.
pub fn bytes(v: &JsValue, what: &str) -> Result<Vec<u8>, JsValue> {
    if let Some(s) = v.as_string() {
        return Ok(s.into_bytes());
    }
    if let Some(a) = v.dyn_ref::<Uint8Array>() {
        return Ok(a.to_vec());
    }
    Err(arg_error(
        ArgError::InvalidArg,
        &format!("{what} must be a string or a Uint8Array"),
    ))
}

/// The options object of a call (`undefined` and `null` for the defaults) read into
/// its Rust form; a field of the wrong type throws.
pub fn options<T: serde::de::DeserializeOwned + Default>(
    v: &JsValue,
    what: &str,
) -> Result<T, JsValue> {
    if v.is_undefined() || v.is_null() {
        return Ok(T::default());
    }
    let mut value = from_js_object(v, what)?;
    // An option set to `null` is unset, as in the Node package.
    if let Value::Object(m) = &mut value {
        m.retain(|_, x| !x.is_null());
    }
    serde_json::from_value(value)
        .map_err(|e| arg_error(ArgError::InvalidArg, &format!("{what}: {e}")))
}

/// JSON as a JavaScript value (see the module documentation for the rules).
pub fn to_js(v: &Value) -> JsValue {
    if !has_large_integer(v) {
        if let Ok(text) = serde_json::to_string(v) {
            if let Ok(parsed) = JSON::parse(&text) {
                return parsed;
            }
        }
    }
    walk_out(v)
}

/// A list of JSON values as a JavaScript array.
pub fn to_js_list(items: &[Value]) -> JsValue {
    let arr = Array::new();
    for v in items {
        arr.push(&to_js(v));
    }
    arr.into()
}

/// A list of strings as a JavaScript array of strings.
pub fn to_js_strings(items: &[String]) -> JsValue {
    items
        .iter()
        .map(|s| JsValue::from(JsString::from(s.as_str())))
        .collect::<Array>()
        .into()
}

fn is_large(n: &Number) -> bool {
    match (n.as_i64(), n.as_u64()) {
        (Some(i), _) => i.unsigned_abs() > MAX_SAFE as u64,
        (None, Some(u)) => u > MAX_SAFE as u64,
        _ => false,
    }
}

fn has_large_integer(v: &Value) -> bool {
    match v {
        Value::Number(n) => is_large(n),
        Value::Array(items) => items.iter().any(has_large_integer),
        Value::Object(map) => map.values().any(has_large_integer),
        _ => false,
    }
}

fn walk_out(v: &Value) -> JsValue {
    match v {
        Value::Null => JsValue::NULL,
        Value::Bool(b) => JsValue::from_bool(*b),
        Value::Number(n) => {
            if is_large(n) {
                match (n.as_i64(), n.as_u64()) {
                    (Some(i), _) => BigInt::from(i).into(),
                    (None, Some(u)) => BigInt::from(u).into(),
                    _ => JsValue::from_f64(n.as_f64().unwrap_or(f64::NAN)),
                }
            } else {
                JsValue::from_f64(n.as_f64().unwrap_or(f64::NAN))
            }
        }
        Value::String(s) => JsValue::from_str(s),
        Value::Array(items) => items.iter().map(walk_out).collect::<Array>().into(),
        Value::Object(map) => {
            let obj = Object::new();
            for (k, item) in map {
                let key = JsValue::from_str(k);
                let value = walk_out(item);
                if k == "__proto__" {
                    // An own property, as JSON.parse makes it, not the prototype.
                    let desc = Object::new();
                    let _ = Reflect::set(&desc, &"value".into(), &value);
                    for flag in ["writable", "enumerable", "configurable"] {
                        let _ = Reflect::set(&desc, &flag.into(), &JsValue::TRUE);
                    }
                    Object::define_property(&obj, &key, &desc);
                } else {
                    let _ = Reflect::set(&obj, &key, &value);
                }
            }
            obj.into()
        }
    }
}
