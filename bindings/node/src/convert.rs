//! Conversions between JavaScript values and the JSON the core takes and returns.
//!
//! Objects cross through napi's serde bridge. JavaScript has only doubles, so numbers
//! need a rule each way:
//!
//! - **In:** napi reads an integral number outside the 32-bit range as a float, so a
//!   `5000000000` from JavaScript would reach the core as `5e9` and be written back as a
//!   float (`5e+09` in YAML). [`from_js`] turns every safe integer (|n| ≤ 2^53 − 1, what
//!   `Number.isSafeInteger` accepts) back into an integer, as the core reads the JSON
//!   text `JSON.stringify` writes for it; `-0` becomes `0` for the same reason. A larger
//!   double stays a float (it is not an exact integer). A `BigInt` within the 64-bit
//!   range crosses as the exact integer.
//! - **Out:** napi hands integers beyond ±(2^53 − 1) over as `BigInt`, so no digit is
//!   lost (`JSON.stringify` needs a replacer for them); other numbers are doubles.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Number, Value};

/// The largest integer a double holds exactly (`Number.MAX_SAFE_INTEGER`).
const MAX_SAFE: f64 = 9_007_199_254_740_991.0;

/// A JavaScript value (already read by napi) as the JSON the core expects.
pub fn from_js(mut v: Value) -> Value {
    normalize_in(&mut v);
    v
}

/// A list of JavaScript values as JSON values.
pub fn from_js_list(items: Vec<Value>) -> Vec<Value> {
    items.into_iter().map(from_js).collect()
}

fn normalize_in(v: &mut Value) {
    match v {
        Value::Number(n) if n.is_f64() => {
            if let Some(f) = n.as_f64() {
                if f.fract() == 0.0 && f.abs() <= MAX_SAFE {
                    // Exact: a safe integer converts to i64 without rounding.
                    *n = Number::from(f as i64);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(normalize_in),
        Value::Object(map) => map.values_mut().for_each(normalize_in),
        _ => {}
    }
}

/// A plain JavaScript object of strings (variables, sources) as the sorted map the core takes.
pub fn string_map(map: Option<HashMap<String, String>>) -> BTreeMap<String, String> {
    map.unwrap_or_default().into_iter().collect()
}
