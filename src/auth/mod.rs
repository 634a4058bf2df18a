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
use crate::db::{DbConn, DbPool};
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
    /// The connection the account was read on, kept for the handler.
    pub(crate) held: HeldConn,
}

/// The pool connection the extractor checked out, handed on to the handler
/// by [`CurrentUser::conn`] so that a request checks out one connection,
/// not two.
#[derive(Clone, Default)]
pub(crate) struct HeldConn(std::sync::Arc<std::sync::Mutex<Option<DbConn>>>);

impl std::fmt::Debug for HeldConn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HeldConn")
    }
}

impl CurrentUser {
    /// The request's database connection: the one the account was read on,
    /// or (when already taken) a fresh checkout. Handlers with a
    /// `CurrentUser` use this instead of [`crate::db::conn`], which would
    /// hold a second connection while the first waits unused.
    pub async fn conn(&self, pool: &DbPool) -> Result<DbConn, ApiError> {
        let held = self.held.0.lock().ok().and_then(|mut c| c.take());
        match held {
            Some(conn) => Ok(conn),
            None => crate::db::conn(pool).await,
        }
    }

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

/// The account and its wards, read in one statement on every request: a
/// query with a static id, so diesel prepares it once per connection and
/// every later request only binds and executes it (no parse, no plan).
#[derive(diesel::query_builder::QueryId)]
struct AccountQuery {
    user_id: Uuid,
}

impl AccountQuery {
    const SQL: &'static str = "SELECT u.id, u.username, u.display_name, u.role, u.active, \
           ARRAY(SELECT wa.ward_id FROM ward_assignments wa \
                 WHERE wa.user_id = u.id ORDER BY wa.ward_id) AS ward_ids \
         FROM users u WHERE u.id = ";
}

impl diesel::query_builder::Query for AccountQuery {
    type SqlType = (
        diesel::sql_types::Uuid,
        diesel::sql_types::Text,
        diesel::sql_types::Text,
        diesel::sql_types::Text,
        diesel::sql_types::Bool,
        diesel::sql_types::Array<diesel::sql_types::Uuid>,
    );
}

impl diesel::query_builder::QueryFragment<diesel::pg::Pg> for AccountQuery {
    fn walk_ast<'b>(
        &'b self,
        mut out: diesel::query_builder::AstPass<'_, 'b, diesel::pg::Pg>,
    ) -> QueryResult<()> {
        out.push_sql(Self::SQL);
        out.push_bind_param::<diesel::sql_types::Uuid, _>(&self.user_id)
    }
}

/// A row of [`AccountQuery`].
type AccountRow = (Uuid, String, String, Role, bool, Vec<Uuid>);

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
            let (id, username, display_name, role, _, ward_ids) = AccountQuery {
                user_id: claims.sub,
            }
            .get_result::<AccountRow>(&mut conn)
            .await
            .optional()?
            .filter(|a| a.4)
            .ok_or(ApiError::Unauthorized("invalid_token"))?;
            if role != claims.role {
                // The role changed since the token was issued: sign in again.
                return Err(ApiError::Unauthorized("token_stale"));
            }
            Ok(CurrentUser {
                id,
                username,
                display_name,
                role,
                ward_ids,
                meta,
                held: HeldConn(std::sync::Arc::new(std::sync::Mutex::new(Some(conn)))),
            })
        })
    }
}
