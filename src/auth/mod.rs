//! Who is calling: access-token validation, the current user as an
//! extractor, and the role and ward checks handlers call.
//!
//! Two kinds of bearer token are accepted side by side: peerlog's own access
//! tokens (HS256, from a password or provider sign-in) and tokens from the
//! trust's OpenID Connect provider (see [`oidc`]).
//!
//! The token proves identity; the database is the truth about the account.
//! Every request re-reads, in one statement, the user's active flag, role
//! and ward assignments and (for peerlog tokens) whether the token's sign-in
//! is still live, so a disabled account, a logout, a revoked refresh family
//! or a changed assignment takes effect at once, not when the token expires.

pub mod client_ip;
pub mod policy;
pub mod public_url;

use crate::identity::{jwt, oidc, system_token};

use actix_web::dev::Payload;
use actix_web::http::header::{AUTHORIZATION, USER_AGENT};
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use futures_util::future::LocalBoxFuture;
use uuid::Uuid;

pub use crate::access::{Actor, RequestMeta, Role, SystemGrant, WardScope};
use crate::audit::AuditActor;
use crate::db::{DbConn, DbPool};
use crate::domain::sessions;
use crate::error::{ApiError, ApiResult};
use crate::models::user::AccountRow;
use crate::request_id::RequestId;
use crate::state::AppState;

impl RequestMeta {
    /// Reads the request id, client address (through trusted proxies only)
    /// and user agent of a request.
    pub fn of(req: &HttpRequest) -> Self {
        let trusted = req
            .app_data::<web::Data<AppState>>()
            .map(|s| s.config.trusted_proxies.as_slice())
            .unwrap_or_default();
        RequestMeta {
            request_id: req.extensions().get::<RequestId>().map(|r| r.0.clone()),
            client_ip: client_ip::of(req, trusted).map(|ip| ip.to_string()),
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
    /// Set for an integration client signed in with SMART Backend Services
    /// (see `domain::integration_clients`): its scopes and ward limit.
    pub grant: Option<std::sync::Arc<SystemGrant>>,
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

    /// A connection for reads that may lag the primary (reports, exports):
    /// from [`AppState::read_pool`]. With a standby configured the
    /// connection the account was read on goes back to the primary's pool
    /// first, so a request never holds one of each.
    pub async fn read_conn(&self, state: &AppState) -> Result<DbConn, ApiError> {
        match &state.standby {
            Some(standby) => {
                drop(self.held.0.lock().ok().and_then(|mut c| c.take()));
                crate::db::conn(standby).await
            }
            None => self.conn(&state.pool).await,
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
        WardScope::granted(self.role, &self.ward_ids, self.grant.as_deref())
    }

    /// The caller as the domain layer takes it.
    pub fn actor(&self) -> Actor {
        Actor {
            id: self.id,
            role: self.role,
            ward_ids: self.ward_ids.clone(),
            meta: self.meta.clone(),
            grant: self.grant.clone(),
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

/// The account read for a peerlog access token: the user and its wards,
/// refused (`active` false) unless the token's sign-in (`sid`) is still
/// live. A query with a static id, so diesel prepares it once per
/// connection and every later request only binds and executes it.
#[derive(diesel::query_builder::QueryId)]
struct SignInAccountQuery {
    user_id: Uuid,
    sign_in_id: Uuid,
}

impl diesel::query_builder::Query for SignInAccountQuery {
    type SqlType = (
        diesel::sql_types::Uuid,
        diesel::sql_types::Text,
        diesel::sql_types::Text,
        diesel::sql_types::Text,
        diesel::sql_types::Bool,
        diesel::sql_types::Array<diesel::sql_types::Uuid>,
    );
}

impl diesel::query_builder::QueryFragment<diesel::pg::Pg> for SignInAccountQuery {
    fn walk_ast<'b>(
        &'b self,
        mut out: diesel::query_builder::AstPass<'_, 'b, diesel::pg::Pg>,
    ) -> QueryResult<()> {
        out.push_sql(
            "SELECT u.id, u.username, u.display_name, u.role, \
               u.active AND EXISTS (SELECT 1 FROM sign_ins s WHERE s.id = ",
        );
        out.push_bind_param::<diesel::sql_types::Uuid, _>(&self.sign_in_id)?;
        out.push_sql(
            " AND s.user_id = u.id AND s.revoked_at IS NULL) AS active, \
               ARRAY(SELECT wa.ward_id FROM ward_assignments wa \
                     WHERE wa.user_id = u.id ORDER BY wa.ward_id) AS ward_ids \
             FROM users u WHERE u.id = ",
        );
        out.push_bind_param::<diesel::sql_types::Uuid, _>(&self.user_id)
    }
}

/// A row of [`SignInAccountQuery`].
type SignInAccount = (Uuid, String, String, Role, bool, Vec<Uuid>);

/// Who a valid bearer token names.
enum Bearer {
    /// A peerlog access token.
    Local(jwt::Claims),
    /// A token from the trust's identity provider.
    External(oidc::ExternalIdentity),
    /// An integration client's token from the Backend Services endpoint.
    System(system_token::SystemClaims),
}

/// Validates a bearer token of either kind. peerlog's own tokens are HS256
/// and nothing else; the provider's are RS256, PS256 or ES256 and nothing
/// else, so a token cannot pass as the other kind by changing its header.
async fn verify_bearer(state: &AppState, token: &str) -> ApiResult<Bearer> {
    let alg = jsonwebtoken::decode_header(token).map(|h| h.alg);
    let refused = |e: &dyn std::fmt::Display| {
        log::debug!("access token refused: {e}");
        ApiError::Unauthorized("invalid_token")
    };
    match (alg, &state.oidc) {
        (Ok(jsonwebtoken::Algorithm::HS256), _) if system_token::is_system_token(token) => {
            system_token::SystemTokenKeys::new(state.config.token_settings())
                .verify(token)
                .map(Bearer::System)
                .map_err(|e| refused(&e))
        }
        (Ok(jsonwebtoken::Algorithm::HS256), _) | (Ok(_), None) => state
            .keys
            .verify(token)
            .map(Bearer::Local)
            .map_err(|e| refused(&e)),
        (Ok(_), Some(oidc)) => oidc
            .verify(token)
            .await
            .map(Bearer::External)
            .map_err(|e| refused(&e)),
        (Err(e), _) => Err(refused(&e)),
    }
}

/// The account of an integration client whose system token this is, and
/// what it may do now: the token's scopes that the client's registration
/// still covers (so narrowing a client's scopes takes effect at once), and
/// its ward limit. Refused when the client or its account was disabled.
async fn system_account(
    conn: &mut DbConn,
    claims: &system_token::SystemClaims,
) -> ApiResult<(AccountRow, SystemGrant)> {
    let row = crate::models::integration_client::account(conn, claims.sub)
        .await?
        .ok_or(ApiError::Unauthorized("invalid_token"))?;
    if !row.active || row.role != Role::Integration || row.client_id != claims.client_id {
        return Err(ApiError::Unauthorized("invalid_token"));
    }
    let registered = crate::smart_scope::SmartScopes(
        row.scopes
            .iter()
            .filter_map(|s| crate::smart_scope::SmartScope::parse(s).ok())
            .collect(),
    );
    let granted = crate::smart_scope::SmartScopes::parse_list(&claims.scope)
        .map_err(|_| ApiError::Unauthorized("invalid_token"))?;
    let scopes = crate::smart_scope::SmartScopes(
        granted
            .0
            .into_iter()
            .filter(|s| registered.covers(s))
            .collect(),
    );
    let grant = SystemGrant {
        client_id: row.client_id,
        scopes,
        trust_wide: row.trust_wide,
    };
    let account = AccountRow {
        id: row.user_id,
        username: row.username,
        display_name: row.display_name,
        role: row.role,
        active: row.active,
        ward_ids: row.ward_ids,
    };
    Ok((account, grant))
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
            let bearer = verify_bearer(&state, &token?).await?;
            let mut conn = crate::db::conn(&state.pool).await?;
            // One round trip on the hot path: the account, its wards and
            // whether the sign-in is still live.
            let mut grant = None;
            let account = match &bearer {
                Bearer::Local(claims) => {
                    let (id, username, display_name, role, active, ward_ids) = SignInAccountQuery {
                        user_id: claims.sub,
                        sign_in_id: claims.sid,
                    }
                    .get_result::<SignInAccount>(&mut conn)
                    .await
                    .optional()?
                    .ok_or(ApiError::Unauthorized("invalid_token"))?;
                    if role != claims.role {
                        // The role changed since the token was issued (which
                        // also ended the sign-in): sign in again.
                        return Err(ApiError::Unauthorized("token_stale"));
                    }
                    if !active {
                        return Err(ApiError::Unauthorized("invalid_token"));
                    }
                    AccountRow {
                        id,
                        username,
                        display_name,
                        role,
                        active,
                        ward_ids,
                    }
                }
                Bearer::External(person) => {
                    let auto_provision = state
                        .oidc
                        .as_ref()
                        .is_some_and(|o| o.settings().auto_provision);
                    sessions::oidc::linked_account(&mut conn, person, auto_provision).await?
                }
                Bearer::System(claims) => {
                    let (account, client) = system_account(&mut conn, claims).await?;
                    grant = Some(std::sync::Arc::new(client));
                    account
                }
            };
            Ok(CurrentUser {
                id: account.id,
                username: account.username,
                display_name: account.display_name,
                role: account.role,
                ward_ids: account.ward_ids,
                meta,
                grant,
                held: HeldConn(std::sync::Arc::new(std::sync::Mutex::new(Some(conn)))),
            })
        })
    }
}
