//! Mergeable partials as native classes. `merge` returns a new partial (the inputs are left unchanged); JSON
//! (the core's serde form) is the interchange and pickling format.

use pyo3::prelude::*;
use pyo3::types::PyAny;

use cxkpi::CxkpiError as CoreError;

use crate::convert::to_py;
use crate::errors::IntoPy;
use crate::{opt_slice, options, slice, Col};

fn to_json<T: serde::Serialize>(py: Python<'_>, p: &T) -> PyResult<String> {
    serde_json::to_string(p)
        .map_err(|e| CoreError::InvalidArgument {
            arg: "partial".into(),
            message: format!("cannot serialise: {e}"),
        })
        .py(py)
}

fn from_json<T: serde::de::DeserializeOwned>(py: Python<'_>, s: &str) -> PyResult<T> {
    serde_json::from_str(s)
        .map_err(|e| CoreError::InvalidArgument {
            arg: "json".into(),
            message: format!("is not a valid partial: {e}"),
        })
        .py(py)
}

/// One #[pymethods] block per class (no `multiple-pymethods`): the shared methods plus the constructor.
macro_rules! partial_class {
    ($name:ident, $core:ty, { $($extra:tt)* }) => {
        #[pymethods]
        impl $name {
            $($extra)*

            /// A new partial holding both shards.
            fn merge(&self, py: Python<'_>, other: PyRef<'_, $name>) -> PyResult<$name> {
                let mut p = self.0.clone();
                p.merge(&other.0).py(py)?;
                Ok($name(p))
            }

            /// The core's JSON form.
            fn to_json(&self, py: Python<'_>) -> PyResult<String> {
                to_json(py, &self.0)
            }

            /// Rebuild from `to_json()` output.
            #[staticmethod]
            fn from_json(py: Python<'_>, data: &str) -> PyResult<$name> {
                from_json::<$core>(py, data).map($name)
            }

            /// Final result (options: the interval options of the metric).
            #[pyo3(signature = (options=None))]
            fn finish<'py>(&self, py: Python<'py>, options: Option<Bound<'py, PyAny>>) -> PyResult<Bound<'py, PyAny>> {
                let o = self::options(py, options.as_ref())?;
                let r = py.detach(|| self.0.finish(&o)).py(py)?;
                to_py(py, &r)
            }
        }
    };
}

/// Native NPS partial.
#[pyclass(module = "cxkpi._cxkpi", frozen)]
pub struct NpsPartial(cxkpi::NpsPartial);
partial_class!(NpsPartial, cxkpi::NpsPartial, {
    #[staticmethod]
    #[pyo3(signature = (scores, weights=None, options=None))]
    fn from_scores<'py>(
        py: Python<'py>,
        scores: Col<'py>,
        weights: Option<Col<'py>>,
        options: Option<Bound<'py, PyAny>>,
    ) -> PyResult<NpsPartial> {
        let o = self::options(py, options.as_ref())?;
        let (s, w) = (slice(&scores), opt_slice(&weights));
        py.detach(|| cxkpi::NpsPartial::from_scores(&s, w.as_deref(), &o))
            .py(py)
            .map(NpsPartial)
    }
});

/// Native top-box partial.
#[pyclass(module = "cxkpi._cxkpi", frozen)]
pub struct TopBoxPartial(cxkpi::TopBoxPartial);
partial_class!(TopBoxPartial, cxkpi::TopBoxPartial, {
    #[staticmethod]
    #[pyo3(signature = (scores, weights=None, options=None))]
    fn from_scores<'py>(
        py: Python<'py>,
        scores: Col<'py>,
        weights: Option<Col<'py>>,
        options: Option<Bound<'py, PyAny>>,
    ) -> PyResult<TopBoxPartial> {
        let o = self::options(py, options.as_ref())?;
        let (s, w) = (slice(&scores), opt_slice(&weights));
        py.detach(|| cxkpi::TopBoxPartial::from_scores(&s, w.as_deref(), &o))
            .py(py)
            .map(TopBoxPartial)
    }
});

/// Native mean partial.
#[pyclass(module = "cxkpi._cxkpi", frozen)]
pub struct MeanPartial(cxkpi::MeanPartial);
partial_class!(MeanPartial, cxkpi::MeanPartial, {
    #[staticmethod]
    #[pyo3(signature = (values, weights=None, options=None))]
    fn from_values<'py>(
        py: Python<'py>,
        values: Col<'py>,
        weights: Option<Col<'py>>,
        options: Option<Bound<'py, PyAny>>,
    ) -> PyResult<MeanPartial> {
        let o = self::options(py, options.as_ref())?;
        let (s, w) = (slice(&values), opt_slice(&weights));
        py.detach(|| cxkpi::MeanPartial::from_values(&s, w.as_deref(), &o))
            .py(py)
            .map(MeanPartial)
    }
});

/// Native sentiment partial.
#[pyclass(module = "cxkpi._cxkpi", frozen)]
pub struct SentimentPartial(cxkpi::SentimentPartial);
partial_class!(SentimentPartial, cxkpi::SentimentPartial, {
    #[staticmethod]
    #[pyo3(signature = (labels, weights=None, options=None))]
    fn from_labels<'py>(
        py: Python<'py>,
        labels: Col<'py>,
        weights: Option<Col<'py>>,
        options: Option<Bound<'py, PyAny>>,
    ) -> PyResult<SentimentPartial> {
        let o = self::options(py, options.as_ref())?;
        let (s, w) = (slice(&labels), opt_slice(&weights));
        py.detach(|| cxkpi::SentimentPartial::from_labels(&s, w.as_deref(), &o))
            .py(py)
            .map(SentimentPartial)
    }
});

/// Native churn partial.
#[pyclass(module = "cxkpi._cxkpi", frozen)]
pub struct ChurnPartial(cxkpi::ChurnPartial);
partial_class!(ChurnPartial, cxkpi::ChurnPartial, {
    #[new]
    #[pyo3(signature = (customers_start, lost, customers_end=None))]
    fn new(
        py: Python<'_>,
        customers_start: f64,
        lost: f64,
        customers_end: Option<f64>,
    ) -> PyResult<ChurnPartial> {
        cxkpi::ChurnPartial::new(customers_start, lost, customers_end)
            .py(py)
            .map(ChurnPartial)
    }
});

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<NpsPartial>()?;
    m.add_class::<TopBoxPartial>()?;
    m.add_class::<MeanPartial>()?;
    m.add_class::<SentimentPartial>()?;
    m.add_class::<ChurnPartial>()?;
    Ok(())
}
