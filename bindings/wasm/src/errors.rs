//! The core's [`embed::Error`] as a JavaScript `Error`, with the same properties as
//! the Node package's errors (`bindings/node/src/errors.rs`):
//!
//! - `code`: the stable dotted code (`subst.undefined`, `deps.cycle`, ...);
//! - `message`: the core's message (upstream's own text where the engine reproduces it);
//! - `name`: the class of failure, from the core's category (`SubstitutionError`,
//!   `ValuesError`, `DependencyCycleError`, `ManifestError`, `ReleaseError`,
//!   `FetchError`, else `FluxError`);
//! - `category`: the core's category as it serializes it (`Substitution`, ...);
//! - `location`: `{file?, document, line, column, path?}` or `null`;
//! - `details`: structured extras (`{}` when there are none);
//! - `cycle`: for `deps.cycle`, the path of the cycle (also in `details.cycle`).
//!
//! An argument of the wrong type throws a `TypeError` whose `code` is the one napi
//! gives the Node package for it (`StringExpected`, `ObjectExpected`, ...).

use fluxcd_core::embed::{self, Category};
use js_sys::{Error, Reflect, TypeError};
use serde_json::Value;
use wasm_bindgen::JsValue;

use crate::convert::to_js;

/// The name given to errors of a category.
fn class_name(category: Category) -> &'static str {
    match category {
        Category::Manifest => "ManifestError",
        Category::Substitution => "SubstitutionError",
        Category::Values => "ValuesError",
        Category::DependencyCycle => "DependencyCycleError",
        Category::Release => "ReleaseError",
        Category::Fetch => "FetchError",
        Category::Other => "FluxError",
    }
}

fn set(obj: &JsValue, key: &str, value: &JsValue) {
    // Setting a property of a fresh Error cannot fail.
    let _ = Reflect::set(obj, &JsValue::from_str(key), value);
}

/// The `Error` thrown for `e`.
pub fn to_js_error(e: embed::Error) -> JsValue {
    let err: JsValue = Error::new(&e.message).into();
    set(&err, "name", &JsValue::from_str(class_name(e.category)));
    set(&err, "code", &JsValue::from_str(&e.code));
    let category = serde_json::to_value(e.category).unwrap_or(Value::Null);
    set(&err, "category", &to_js(&category));
    let location = match &e.location {
        Some(l) => serde_json::to_value(l).unwrap_or(Value::Null),
        None => Value::Null,
    };
    set(&err, "location", &to_js(&location));
    if let Some(cycle) = e.details.get("cycle") {
        set(&err, "cycle", &to_js(cycle));
    }
    set(&err, "details", &to_js(&e.details));
    err
}

/// The core's result with its error as a JavaScript `Error`.
pub fn js<T>(r: Result<T, embed::Error>) -> Result<T, JsValue> {
    r.map_err(to_js_error)
}

/// The kinds of argument errors, named as napi names them.
#[derive(Debug, Clone, Copy)]
pub enum ArgError {
    /// A value napi cannot convert.
    InvalidArg,
    /// Not an object.
    ObjectExpected,
    /// Not a string.
    StringExpected,
    /// Not an array.
    ArrayExpected,
}

/// A `TypeError` for an argument of the wrong type, with `code` as napi's.
pub fn arg_error(kind: ArgError, message: &str) -> JsValue {
    let err: JsValue = TypeError::new(message).into();
    set(&err, "code", &JsValue::from_str(&format!("{kind:?}")));
    err
}
