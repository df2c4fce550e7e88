#![doc = "cxkpi: customer-experience KPIs. See the README."]
pub mod error;
pub use error::{CxkpiError, Result};
