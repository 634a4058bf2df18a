//! What a caller sends to record or change an activity: a new activity, an
//! amendment, a void. The rules they must keep are the domain layer's
//! (`crate::domain::activities`); reading a new activity from its text is
//! in [`super::parse`]; the types of `details` are the stored record's
//! (`crate::models::activity::kinds`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::models::activity::ActivityDetails;

/// A new activity. `kind` selects the schema of `details`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct NewActivity {
    /// Chosen by the client (a UUID) so a retried create is recognised and
    /// never stored twice; the server chooses one when absent.
    pub id: Option<Uuid>,
    pub ward_id: Uuid,
    pub started_at: DateTime<Utc>,
    /// Give `ended_at` or `duration_minutes`, or both when they agree
    /// (`duration_minutes` is the time between start and end, rounded to
    /// the nearest minute), as a record read from the API has them.
    pub ended_at: Option<DateTime<Utc>>,
    #[schema(minimum = 1, maximum = 1440)]
    pub duration_minutes: Option<i32>,
    /// Other peer workers on the ward who took part.
    #[serde(default)]
    pub co_worker_ids: Vec<Uuid>,
    /// The service users involved; none for `staff_support`.
    #[serde(default)]
    pub service_user_ids: Vec<Uuid>,
    #[schema(max_length = 2000)]
    pub note: Option<String>,
    #[serde(flatten)]
    pub details: ActivityDetails,
}

impl NewActivity {
    /// The SHA-256 of the request as the caller meant it, so a retry is
    /// told from a different record reusing the id.
    pub fn content_hash(&self, recorded_by: Uuid) -> String {
        use sha2::{Digest, Sha256};
        let mut normal = self.clone();
        normal.co_worker_ids.sort();
        normal.service_user_ids.sort();
        normal.note = normal.note.map(|n| n.trim().to_string());
        let bytes = serde_json::to_vec(&(recorded_by, &normal)).unwrap_or_default();
        hex::encode(Sha256::digest(bytes))
    }
}

/// Changes to an activity; absent fields stay as they are. The kind cannot
/// change: void the record and record a new one instead.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActivityAmendment {
    /// Why the record is changed; kept with the previous version.
    #[schema(min_length = 1, max_length = 1000)]
    pub reason: String,
    pub started_at: Option<chrono::DateTime<Utc>>,
    pub ended_at: Option<chrono::DateTime<Utc>>,
    #[schema(minimum = 1, maximum = 1440)]
    pub duration_minutes: Option<i32>,
    pub co_worker_ids: Option<Vec<Uuid>>,
    pub service_user_ids: Option<Vec<Uuid>>,
    /// The new note; an empty string removes it.
    #[schema(max_length = 2000)]
    pub note: Option<String>,
    /// The whole new `details` object, of the record's own kind.
    // Kept as raw JSON text until the record's kind is known, then read
    // straight into that kind's shape: no JSON tree of a request.
    #[schema(value_type = Option<Object>)]
    pub details: Option<Box<serde_json::value::RawValue>>,
}

/// Marking a record entered in error.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VoidRequest {
    #[schema(min_length = 1, max_length = 1000)]
    pub reason: String,
}
