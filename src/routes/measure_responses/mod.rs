//! `/api/v1/measure-responses`: the person's own answers, handed over on
//! the tablet. Write-only: an answer is locked on submit and never read
//! back one by one; reports show answers in aggregate only.

pub mod index;
