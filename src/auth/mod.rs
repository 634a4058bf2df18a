//! Who is calling: access-token validation, the current user as an
//! extractor, and the role and ward checks handlers call.
//!
//! The token proves identity; the database is the truth about the account.
//! Every request re-reads the user's active flag, role and ward assignments,
//! so a disabled account or a changed assignment takes effect at once, not
//! only when the token expires.

pub mod jwt;
pub mod password;
pub mod role;

use actix_web::dev::Payload;
use actix_web::http::header::{AUTHORIZATION, USER_AGENT};
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use futures_util::future::LocalBoxFuture;
use uuid::Uuid;

use crate::audit::AuditActor;
use crate::error::{ApiError, ApiResult};
use crate::request_id::RequestId;
use crate::state::AppState;
pub use role::Role;

/// Where a request came from, for the audit log.
#[derive(Debug, Clone, Default)]
pub struct RequestMeta {
    pub request_id: Option<String>,
    pub client_ip: Option<String>,
    pub user_agent: Option<String>,
}

impl RequestMeta {
    /// Reads the request id, peer address and user agent of a request.
    pub fn of(req: &HttpRequest) -> Self {
        RequestMeta {
            request_id: req.extensions().get::<RequestId>().map(|r| r.0.clone()),
            client_ip: req.peer_addr().map(|a| a.ip().to_string()),
            user_agent: req
                .headers()
                .get(USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .map(|v| v.chars().take(256).collect()),
        }
    }
}

impl FromRequest for RequestMeta {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(Ok(RequestMeta::of(req)))
    }
}

/// Which wards a caller may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WardScope {
    /// Every ward (manager, admin, integration).
    All,
    /// Only these (everyone else: their assignments).
    Only(Vec<Uuid>),
}

impl WardScope {
    pub fn contains(&self, ward_id: Uuid) -> bool {
        match self {
            WardScope::All => true,
            WardScope::Only(ids) => ids.contains(&ward_id),
        }
    }

    /// The wards a report or feed covers: the one asked for (404 when it is
    /// outside the scope), else every ward in scope (`None`: all wards).
    pub fn narrow(&self, ward_id: Option<Uuid>) -> ApiResult<Option<Vec<Uuid>>> {
        match (ward_id, self) {
            (Some(w), s) if s.contains(w) => Ok(Some(vec![w])),
            (Some(_), _) => Err(ApiError::NotFound),
            (None, WardScope::All) => Ok(None),
            (None, WardScope::Only(ids)) => Ok(Some(ids.clone())),
        }
    }
}

/// The authenticated caller, as the database says they are now.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// Wards the user is assigned to.
    pub ward_ids: Vec<Uuid>,
    pub meta: RequestMeta,
}

impl CurrentUser {
    /// Refuses (403) unless the caller has one of the roles.
    pub fn require(&self, roles: &[Role]) -> ApiResult<()> {
        if roles.contains(&self.role) {
            Ok(())
        } else {
            Err(ApiError::Forbidden)
        }
    }

    /// The wards this caller may see.
    pub fn ward_scope(&self) -> WardScope {
        if self.role.sees_all_wards() {
            WardScope::All
        } else {
            WardScope::Only(self.ward_ids.clone())
        }
    }

    /// Who to name in audit rows written for this request.
    pub fn audit_actor(&self) -> AuditActor {
        AuditActor::user(self.id, self.role, &self.meta)
    }
}

fn bearer_token(req: &HttpRequest) -> ApiResult<String> {
    let value = req
        .headers()
        .get(AUTHORIZATION)
        .ok_or(ApiError::Unauthorized("missing_token"))?
        .to_str()
        .map_err(|_| ApiError::Unauthorized("invalid_token"))?;
    let (scheme, token) = value
        .split_once(' ')
        .ok_or(ApiError::Unauthorized("invalid_token"))?;
    if !scheme.eq_ignore_ascii_case("bearer") || token.trim().is_empty() {
        return Err(ApiError::Unauthorized("invalid_token"));
    }
    Ok(token.trim().to_string())
}

/// The account and its wards, read in one statement on every request.
#[derive(QueryableByName)]
struct AccountRow {
    #[diesel(sql_type = diesel::sql_types::Uuid)]
    id: Uuid,
    #[diesel(sql_type = diesel::sql_types::Text)]
    username: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    display_name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    role: Role,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    active: bool,
    #[diesel(sql_type = diesel::sql_types::Array<diesel::sql_types::Uuid>)]
    ward_ids: Vec<Uuid>,
}

impl FromRequest for CurrentUser {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = bearer_token(req);
        let meta = RequestMeta::of(req);
        Box::pin(async move {
            let state = state.ok_or_else(|| ApiError::internal("application state missing"))?;
            let claims = state.keys.verify(&token?).map_err(|e| {
                log::debug!("access token refused: {e}");
                ApiError::Unauthorized("invalid_token")
            })?;
            let mut conn = crate::db::conn(&state.pool).await?;
            // One round trip on the hot path: the account and its wards.
            let account = diesel::sql_query(
                "SELECT u.id, u.username, u.display_name, u.role, u.active, \
                   ARRAY(SELECT wa.ward_id FROM ward_assignments wa \
                         WHERE wa.user_id = u.id ORDER BY wa.ward_id) AS ward_ids \
                 FROM users u WHERE u.id = $1",
            )
            .bind::<diesel::sql_types::Uuid, _>(claims.sub)
            .get_result::<AccountRow>(&mut conn)
            .await
            .optional()?
            .filter(|a| a.active)
            .ok_or(ApiError::Unauthorized("invalid_token"))?;
            let role = account.role;
            if role != claims.role {
                // The role changed since the token was issued: sign in again.
                return Err(ApiError::Unauthorized("token_stale"));
            }
            Ok(CurrentUser {
                id: account.id,
                username: account.username,
                display_name: account.display_name,
                role,
                ward_ids: account.ward_ids,
                meta,
            })
        })
    }
}
