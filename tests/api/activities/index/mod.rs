//! `/api/v1/activities`: `POST` records one activity, `GET` lists them.
//! The stories of this one URL fill more than one file, so they are told
//! by theme: recording ([`create`]), the rules ([`rules`]), retries
//! ([`retries`]) and lists ([`list`]).

mod create;
mod list;
mod retries;
mod rules;
