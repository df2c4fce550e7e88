//! Exception classes: base `cxkpi.CxkpiError(ValueError)` and one subclass per core error kind.
//!
//! Every raised exception carries `.kind` (the stable snake_case kind, also a class attribute) and `.details`
//! (a dict with `arg`, `index` and `value` from `CxkpiError::details()`, `None` where the error has none).

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use pyo3::{create_exception, PyTypeInfo};

use cxkpi::CxkpiError as CoreError;

create_exception!(
    cxkpi,
    CxkpiError,
    PyValueError,
    "Base class of every error raised by cxkpi. `.kind` is the stable error kind, `.details` a dict with \
     `arg`, `index` and `value` (None where not applicable)."
);
create_exception!(
    cxkpi,
    EmptyInputError,
    CxkpiError,
    "A required column has no elements (kind `empty_input`)."
);
create_exception!(
    cxkpi,
    MissingValueError,
    CxkpiError,
    "A missing value where the missing-value policy is `error` (kind `missing_value`)."
);
create_exception!(
    cxkpi,
    OutOfScaleError,
    CxkpiError,
    "An answer outside the declared scale (kind `out_of_scale`)."
);
create_exception!(
    cxkpi,
    NonIntegerError,
    CxkpiError,
    "An answer that is not a whole scale point (kind `non_integer`)."
);
create_exception!(
    cxkpi,
    LengthMismatchError,
    CxkpiError,
    "Columns that must have the same length do not (kind `length_mismatch`)."
);
create_exception!(
    cxkpi,
    InvalidWeightError,
    CxkpiError,
    "A weight that is NaN, infinite or negative (kind `invalid_weight`)."
);
create_exception!(
    cxkpi,
    ZeroWeightSumError,
    CxkpiError,
    "The weights of the valid rows sum to zero (kind `zero_weight_sum`)."
);
create_exception!(
    cxkpi,
    InvalidConfidenceError,
    CxkpiError,
    "A confidence level outside (0, 1) (kind `invalid_confidence`)."
);
create_exception!(
    cxkpi,
    UnknownMethodError,
    CxkpiError,
    "A method or policy name that is not known (kind `unknown_method`)."
);
create_exception!(
    cxkpi,
    InvalidArgumentError,
    CxkpiError,
    "An argument with a value that cannot be used (kind `invalid_argument`)."
);
create_exception!(
    cxkpi,
    InsufficientDataError,
    CxkpiError,
    "Too few valid observations for the requested quantity (kind `insufficient_data`)."
);
create_exception!(
    cxkpi,
    IncompatiblePartialsError,
    CxkpiError,
    "Partials computed under different settings (kind `incompatible_partials`)."
);
create_exception!(
    cxkpi,
    UnsupportedError,
    CxkpiError,
    "A valid request that this combination of inputs does not support (kind `unsupported`)."
);

create_exception!(
    cxkpi,
    InconsistentMarginsError,
    CxkpiError,
    "Weighting margins whose totals disagree (kind `inconsistent_margins`)."
);
create_exception!(
    cxkpi,
    EmptyLevelError,
    CxkpiError,
    "A target level that no respondent has (kind `empty_level`)."
);
create_exception!(
    cxkpi,
    InfeasibleError,
    CxkpiError,
    "Constraints (bounds, targets) that no solution can meet (kind `infeasible`)."
);
create_exception!(
    cxkpi,
    NotConvergedError,
    CxkpiError,
    "An iterative fit that did not reach its tolerance (kind `not_converged`)."
);

/// The exception class of an error kind (the base class for a kind this build does not know).
fn class_for<'py>(py: Python<'py>, kind: &str) -> Bound<'py, pyo3::types::PyType> {
    match kind {
        "empty_input" => EmptyInputError::type_object(py),
        "missing_value" => MissingValueError::type_object(py),
        "out_of_scale" => OutOfScaleError::type_object(py),
        "non_integer" => NonIntegerError::type_object(py),
        "length_mismatch" => LengthMismatchError::type_object(py),
        "invalid_weight" => InvalidWeightError::type_object(py),
        "zero_weight_sum" => ZeroWeightSumError::type_object(py),
        "invalid_confidence" => InvalidConfidenceError::type_object(py),
        "unknown_method" => UnknownMethodError::type_object(py),
        "invalid_argument" => InvalidArgumentError::type_object(py),
        "insufficient_data" => InsufficientDataError::type_object(py),
        "incompatible_partials" => IncompatiblePartialsError::type_object(py),
        "unsupported" => UnsupportedError::type_object(py),
        "inconsistent_margins" => InconsistentMarginsError::type_object(py),
        "empty_level" => EmptyLevelError::type_object(py),
        "infeasible" => InfeasibleError::type_object(py),
        "not_converged" => NotConvergedError::type_object(py),
        // A kind added to the core later still raises a CxkpiError with the right `.kind`.
        _ => CxkpiError::type_object(py),
    }
}

/// Convert a core error into the Python exception of its kind, with `.kind` and `.details`.
pub fn to_pyerr(py: Python<'_>, err: CoreError) -> PyErr {
    let d = err.details();
    let cls = class_for(py, d.kind);
    let build = || -> PyResult<PyErr> {
        let exc = cls.call1((d.message.clone(),))?;
        let details = PyDict::new(py);
        details.set_item("arg", d.arg.clone())?;
        details.set_item("index", d.index)?;
        details.set_item("value", d.value)?;
        exc.setattr("kind", d.kind)?;
        exc.setattr("details", details)?;
        Ok(PyErr::from_value(exc))
    };
    build().unwrap_or_else(|e| e)
}

/// Extension trait: `core_result.py(py)?`.
pub trait IntoPy<T> {
    fn py(self, py: Python<'_>) -> PyResult<T>;
}

impl<T> IntoPy<T> for Result<T, CoreError> {
    fn py(self, py: Python<'_>) -> PyResult<T> {
        self.map_err(|e| to_pyerr(py, e))
    }
}

/// Add the exception classes to the module and give each its class attribute `kind`.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    let base = CxkpiError::type_object(py);
    base.setattr("kind", "cxkpi_error")?;
    base.setattr("details", PyDict::new(py))?;
    m.add("CxkpiError", base)?;
    for kind in CoreError::KINDS {
        let cls = class_for(py, kind);
        cls.setattr("kind", *kind)?;
        m.add(cls.name()?, cls)?;
    }
    Ok(())
}
