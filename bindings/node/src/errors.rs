//! The core's [`embed::Error`] as a JavaScript `Error`.
//!
//! The thrown object is a plain `Error` (so `instanceof Error` holds and the stack is
//! JavaScript's) carrying the core's fields as properties:
//!
//! - `code`: the stable dotted code (`subst.undefined`, `deps.cycle`, ...);
//! - `message`: the core's message (upstream's own text where the engine reproduces it);
//! - `name`: the class of failure, from the core's category (`SubstitutionError`,
//!   `ValuesError`, `DependencyCycleError`, `ManifestError`, `ReleaseError`,
//!   `FetchError`, else `FluxError`), the names the Python package uses for its classes;
//! - `category`: the core's category as it serializes it (`Substitution`, ...);
//! - `location`: `{file?, document, line, column, path?}` or `null`;
//! - `details`: structured extras (`{}` when there are none);
//! - `cycle`: for `deps.cycle`, the path of the cycle (also in `details.cycle`).

use fluxcd_core::embed::{self, Category};
use napi::bindgen_prelude::{JsObjectValue, JsValue};
use napi::{Env, Status};
use serde_json::Value;

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

/// The error napi throws for `e`: a JavaScript `Error` with the properties above.
pub fn to_js(env: &Env, e: embed::Error) -> napi::Error {
    match build(env, &e) {
        Ok(err) => err,
        // Only when the engine cannot make objects any more (shutting down): keep the
        // code and the message at least.
        Err(_) => napi::Error::new(Status::GenericFailure, format!("{}: {}", e.code, e.message)),
    }
}

fn build(env: &Env, e: &embed::Error) -> napi::Result<napi::Error> {
    let mut obj = env.create_error(napi::Error::new(Status::GenericFailure, e.message.clone()))?;
    obj.set_named_property("code", e.code.as_str())?;
    obj.set_named_property("name", class_name(e.category))?;
    let category = serde_json::to_value(e.category).unwrap_or(Value::Null);
    obj.set_named_property("category", category)?;
    let location = match &e.location {
        Some(l) => serde_json::to_value(l).unwrap_or(Value::Null),
        None => Value::Null,
    };
    obj.set_named_property("location", location)?;
    if let Some(cycle) = e.details.get("cycle") {
        obj.set_named_property("cycle", cycle.clone())?;
    }
    obj.set_named_property("details", e.details.clone())?;
    Ok(napi::Error::from(obj.to_unknown()))
}
