//! `/api/v1/service-users`: one file per URL. `{id}` has no file of its
//! own: reading one record is part of the story told in `index`.

mod by_reference;
mod index;
