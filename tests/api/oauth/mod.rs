//! `/api/v1/oauth`: the SMART Backend Services token endpoint.

mod scopes;
mod token;
