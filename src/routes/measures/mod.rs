//! `/api/v1/measures…`: the measure definitions (shipped, and the trust's
//! own licensed ones). The rules are in `crate::domain::measures`.

pub mod by_code;
pub mod index;
