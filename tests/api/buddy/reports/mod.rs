//! `/api/v1/buddy/reports/…`.

mod cohorts;
