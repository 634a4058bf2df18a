//! `/api/v1/activities`: recording, reading, listing, amending and voiding
//! peer-support activities. Ward scoping everywhere: a record on a ward the
//! caller is not assigned to answers 404 and never appears in a list.

mod amend;
mod batch;
mod create;
mod history;
mod leave_confirmation;
mod list;
mod read;
mod void;

pub use amend::*;
pub use batch::*;
pub use create::*;
pub use history::*;
pub use leave_confirmation::*;
pub use list::*;
pub use read::*;
pub use void::*;

use diesel_async::AsyncPgConnection;

use crate::audit::{self, AuditEvent};
use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::models::activity::Activity;

pub use crate::auth::policy::{ACTIVITY_READERS as READERS, ACTIVITY_RECORDERS as RECORDERS};

/// Audits a read of activities that name service users.
pub(crate) async fn audit_read(
    conn: &mut AsyncPgConnection,
    user: &CurrentUser,
    action: &str,
    activities: &[&Activity],
) -> ApiResult<()> {
    let naming: Vec<&&Activity> = activities
        .iter()
        .filter(|a| !a.service_user_ids.is_empty())
        .collect();
    if naming.is_empty() {
        return Ok(());
    }
    let event = if let [one] = naming.as_slice() {
        AuditEvent::new(action, "activity", one.id)
            .ward(Some(one.ward_id))
            .details(serde_json::json!({ "service_user_ids": one.service_user_ids }))
    } else {
        let ids: Vec<_> = naming.iter().map(|a| a.id).collect();
        let mut event = AuditEvent::new(action, "activity", "");
        event.entity_id = None;
        event.details(serde_json::json!({ "activity_ids": ids }))
    };
    // A read: its audit row need not wait for the disk (see record_read).
    audit::record_read(conn, &user.audit_actor(), event).await?;
    Ok(())
}
