//! `/api/v1/buddy/reports/…`: the scheme's evaluation reports.

pub mod cohorts;
