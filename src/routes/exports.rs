//! `GET /api/v1/exports/activities`: everything, incrementally, for the
//! trust's data warehouse, streamed as NDJSON.

use actix_web::http::header::CONTENT_TYPE;
use actix_web::web::Bytes;
use actix_web::{get, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::audit::{self, AuditEvent};
use crate::auth::policy;
use crate::auth::CurrentUser;
use crate::db::DbConn;
use crate::error::{ApiError, ApiResult};
use crate::extract::Query;
use crate::models::feed::{self, Position};
use crate::routes::problems;
use crate::state::AppState;

/// Rows read from the database at a time: the memory one export holds,
/// however long it runs.
const CHUNK: i64 = 1000;

/// The media type of the export.
pub const NDJSON: &str = "application/x-ndjson";

/// Parameters of `GET /api/v1/exports/activities`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// The `next_cursor` of the last line of the previous export; omit to
    /// export everything from the beginning.
    pub cursor: Option<String>,
    /// At most this many activity lines (default: no limit).
    #[param(minimum = 1)]
    pub limit: Option<i64>,
}

/// The last line of an export.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExportEnd {
    /// Pass as `cursor` to continue where this export stopped.
    pub next_cursor: String,
    /// Activity lines before this one.
    pub count: u64,
    /// False when `limit` stopped the export early: ask again at once.
    pub complete: bool,
}

/// Where a streaming export stands between chunks.
struct Cursor {
    conn: DbConn,
    at: Position,
    /// The wards exported (`None`: every ward).
    wards: Option<Vec<uuid::Uuid>>,
    horizon: u64,
    left: Option<i64>,
    count: u64,
    finished: bool,
}

impl Cursor {
    /// The next chunk of lines, or `None` once the end line was sent.
    async fn next_chunk(mut self) -> Option<(Result<Bytes, ApiError>, Cursor)> {
        if self.finished {
            return None;
        }
        let want = self.left.map_or(CHUNK, |l| l.min(CHUNK));
        let rows = if want == 0 {
            Vec::new()
        } else {
            match feed::after(
                &mut self.conn,
                self.at,
                self.wards.as_deref(),
                Some(self.horizon),
                want,
            )
            .await
            {
                Ok(rows) => rows,
                Err(e) => {
                    // The status is sent; ending without the last line
                    // tells the client to resume from its previous cursor.
                    log::error!("export stopped: {e}");
                    self.finished = true;
                    return Some((Err(ApiError::internal(e)), self));
                }
            }
        };
        let mut out = Vec::with_capacity(rows.len() * 1024);
        for row in &rows {
            if serde_json::to_writer(&mut out, &row.payload).is_err() {
                continue;
            }
            out.push(b'\n');
        }
        if let Some(last) = rows.last() {
            self.at = last.position();
        }
        self.count += rows.len() as u64;
        self.left = self.left.map(|l| l - rows.len() as i64);
        if (rows.len() as i64) < CHUNK || self.left == Some(0) {
            self.finished = true;
            let end = ExportEnd {
                next_cursor: self.at.encode(),
                count: self.count,
                complete: (rows.len() as i64) < want,
            };
            let _ = serde_json::to_writer(&mut out, &end);
            out.push(b'\n');
        }
        Some((Ok(Bytes::from(out)), self))
    }
}

/// Every activity change since the cursor, as NDJSON (integration).
///
/// Each line but the last is one activity exactly as `GET
/// /api/v1/activities/{id}` returned it right after a change (with its
/// kind and details, status and version), in the order the changes
/// committed; an activity changed again appears again on a later line, so
/// keep the highest `version` of each `id`. The last line is
/// `{"next_cursor": …, "count": …, "complete": …}`: store `next_cursor`
/// and pass it as `cursor` next time. If the answer ends without that
/// line, the export broke off: ask again with the same cursor (the lines
/// already loaded are repeated, never skipped).
///
/// The export is streamed from the database a thousand rows at a time, so
/// it holds little memory however large it is, and stops at the changes
/// committed when it started.
#[utoipa::path(
    tag = "exports",
    params(ExportQuery),
    responses(
        (status = 200, description = "Activities, one JSON object per line, then the `ExportEnd` line",
            content((String = "application/x-ndjson"))),
        (status = 403, response = inline(problems::Forbidden)),
    )
)]
#[get("/exports/activities")]
pub async fn export_activities(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: Query<ExportQuery>,
) -> ApiResult<HttpResponse> {
    user.require(policy::EXPORTERS)?;
    let at = Position::parse(query.cursor.as_deref(), "cursor")?;
    if query.limit.is_some_and(|l| l < 1) {
        return Err(ApiError::BadRequest {
            code: "invalid_query",
            detail: "Query parameter `limit` must be at least 1.".into(),
        });
    }
    // The rows come from the standby when there is one (its horizon is its
    // own snapshot's, so a cursor it gives out never passes a change it has
    // not replayed); the audit row goes to the primary, and only once the
    // standby has answered, so an export that never started is not audited.
    let mut conn = user.read_conn(&state).await?;
    let horizon = feed::horizon(&mut conn).await?;
    let mut event = AuditEvent::new("export", "activity", "").details(serde_json::json!({
        "cursor": query.cursor,
        "limit": query.limit,
    }));
    event.entity_id = None;
    let actor = user.audit_actor();
    match state.standby {
        Some(_) => audit::record(&mut *user.conn(&state.pool).await?, &actor, event).await?,
        None => audit::record(&mut conn, &actor, event).await?,
    };
    let cursor = Cursor {
        conn,
        at,
        wards: user
            .ward_scope()
            .narrow(None)
            .map_err(|_| ApiError::NotFound)?,
        horizon,
        left: query.limit,
        count: 0,
        finished: false,
    };
    let body = futures_util::stream::unfold(cursor, Cursor::next_chunk);
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, NDJSON))
        .streaming(body))
}
