//! `fluxcd_core::embed::Error` to the exception classes of `fluxcd_core._errors`.
//!
//! The classes are defined in Python (so they can be subclassed, pickled and
//! documented like any other); the class is picked by the error's category.

use fluxcd_core::embed::{Category, Error};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyModule};

use crate::convert;

static ERRORS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

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

/// The Python exception for `e`: `cls(message, code=..., location=..., details=...)`.
pub fn to_pyerr(py: Python<'_>, e: Error) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let module = ERRORS.get_or_try_init(py, || {
            PyModule::import(py, "fluxcd_core._errors").map(Bound::unbind)
        })?;
        let cls = module.bind(py).getattr(class_name(e.category))?;
        let kwargs = PyDict::new(py);
        kwargs.set_item("code", &e.code)?;
        kwargs.set_item("location", convert::ser_to_py(py, &e.location)?)?;
        kwargs.set_item("details", convert::to_py(py, &e.details)?)?;
        let exc = cls.call((&e.message,), Some(&kwargs))?;
        Ok(PyErr::from_value(exc))
    };
    build().unwrap_or_else(|err| err)
}

/// `Result<T, embed::Error>` to `PyResult<T>`.
pub trait IntoPy<T> {
    /// Maps the error to its Python exception.
    fn py_err(self, py: Python<'_>) -> PyResult<T>;
}

impl<T> IntoPy<T> for Result<T, Error> {
    fn py_err(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|e| to_pyerr(py, e))
    }
}
