//! Moving a pairing through its life: proposed → active → completed, or
//! withdrawn (with a reason) from proposed or active. Any other move is
//! 409 `invalid_transition`.
//!
//! Completion: a pairing completes by itself when the last meeting of its
//! planned series is recorded as held (see `meetings.rs`); asking for
//! `completed` before then is refused with 409 `meeting_series_incomplete`.

use actix_web::{post, web, HttpResponse};
use diesel_async::AsyncConnection;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::pairings::{check_buddy_may_take, check_student_free};
use super::{on_unique, require_staff};
use crate::audit::{self, AuditEvent};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult, Problem};
use crate::extract::Json;
use crate::models::buddy::pairing::{self, Pairing};
use crate::models::buddy::{meeting, PairingStatus, Scope};
use crate::state::AppState;
use crate::validate::Errors;

/// A requested status change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PairingTransition {
    pub status: PairingStatus,
    /// Why; required for `withdrawn`, 1 to 1000 characters.
    #[schema(max_length = 1000)]
    pub reason: Option<String>,
}

/// The 409 for a move the pairing's life does not allow.
pub(super) fn invalid_transition(
    from: impl std::fmt::Display,
    to: impl std::fmt::Display,
    current: serde_json::Value,
) -> ApiError {
    ApiError::Conflict {
        code: "invalid_transition",
        detail: format!("Cannot go from {from} to {to}."),
        current: Some(current),
    }
}

/// Changes a pairing's status (coordinator). Activating re-checks the
/// buddy's registration and capacity and the student's one active pairing;
/// withdrawing cancels the meetings still planned. A pairing completes by
/// itself when its planned number of meetings is held; `completed` asked
/// for before then is refused.
#[utoipa::path(
    tag = "buddy",
    params(("id" = Uuid, Path, description = "Pairing id")),
    request_body = PairingTransition,
    responses(
        (status = 200, description = "The pairing, moved on", body = Pairing),
        (status = 403, description = "Not a coordinator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such pairing", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`invalid_transition`, `meeting_series_incomplete`, `buddy_at_capacity` or `student_already_paired`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or `buddy_not_registered_volunteer`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/buddy/pairings/{id}/status")]
pub async fn transition_pairing(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<Uuid>,
    body: Json<PairingTransition>,
) -> ApiResult<HttpResponse> {
    require_staff(&user, true)?;
    let id = id.into_inner();
    let body = body.0;
    let to = body.status;
    let mut errors = Errors::new();
    if to == PairingStatus::Withdrawn {
        errors.text("reason", body.reason.as_deref().unwrap_or(""), 1, 1000);
    } else if body.reason.is_some() {
        errors.add("reason", "not_allowed", "only a withdrawal takes a reason");
    }
    errors.finish()?;

    let actor = user.audit_actor();
    let mut conn = user.conn(&state.pool).await?;
    let updated = conn
        .transaction::<_, ApiError, _>(async move |conn| {
            let before = pairing::lock(conn, id, Scope::All).await?.ok_or(ApiError::NotFound)?;
            let from = before.status;
            if !from.can_become(to) {
                return Err(invalid_transition(from, to, serde_json::to_value(&before).unwrap_or_default()));
            }
            let mut cancelled = 0;
            match to {
                PairingStatus::Active => {
                    check_buddy_may_take(conn, before.buddy_id, Some(id)).await?;
                    check_student_free(conn, before.student_id, before.cohort_id, Some(id)).await?;
                }
                PairingStatus::Completed => {
                    let held = pairing::meetings_held(conn, id).await?;
                    if held < i64::from(before.planned_meetings) {
                        return Err(ApiError::Conflict {
                            code: "meeting_series_incomplete",
                            detail: format!(
                                "{held} of the {} planned meetings are held; the pairing completes when all are.",
                                before.planned_meetings
                            ),
                            current: Some(serde_json::to_value(&before).unwrap_or_default()),
                        });
                    }
                }
                PairingStatus::Withdrawn => {
                    cancelled = meeting::cancel_planned(conn, id).await?;
                }
                PairingStatus::Proposed => {}
            }
            let reason = body.reason.as_deref().map(str::trim);
            // Two activations racing for one student: the partial unique
            // index refuses the second.
            let after = pairing::set_status(conn, id, to, reason)
                .await
                .map_err(|e| {
                    on_unique(
                        e,
                        "student_already_paired",
                        "The student already has an active pairing in this cohort.",
                    )
                })?;
            audit::record(
                conn,
                &actor,
                AuditEvent::new("transition", "buddy_pairing", id).details(serde_json::json!({
                    "from": from, "to": to, "reason": reason, "meetings_cancelled": cancelled,
                })),
            )
            .await?;
            Ok(after)
        })
        .await?;
    Ok(HttpResponse::Ok().json(updated))
}
