//! `/api/v1/auth/tablet`: a ward tablet's own side of enrolment. The tablet
//! types the code an admin created (`POST`) and keeps the secret it gets in
//! the `peerlog_tablet` cookie, which only the sign-in endpoints see; it can
//! ask whether it is enrolled (`GET`), to say so on its sign-in screen.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::header::CACHE_CONTROL;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::RequestMeta;
use crate::domain::tablets;
use crate::error::{ApiError, ApiResult};
use crate::extract::Json;
use crate::models::tablet::Tablet;
use crate::routes::problems;
use crate::state::AppState;

/// The cookie an enrolled tablet keeps its secret in.
pub const COOKIE: &str = "peerlog_tablet";
/// How long the cookie lives without a sign-in renewing it (browsers keep
/// a cookie at most 400 days).
const COOKIE_DAYS: i64 = 400;

/// The enrolment code an admin created, as typed on the tablet.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EnrolTablet {
    /// Dashes, spaces and case do not matter.
    #[schema(example = "K7QM4-XPDR9", max_length = 64)]
    pub code: String,
}

/// Whether the device asking is an enrolled tablet, and which.
#[derive(Debug, Serialize, ToSchema)]
pub struct ThisTablet {
    pub enrolled: bool,
    /// Its name, when enrolled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Its ward, when enrolled and the admin gave one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ward_id: Option<Uuid>,
}

impl From<Option<Tablet>> for ThisTablet {
    fn from(t: Option<Tablet>) -> Self {
        ThisTablet {
            enrolled: t.is_some(),
            name: t.as_ref().map(|t| t.name.clone()),
            ward_id: t.and_then(|t| t.ward_id),
        }
    }
}

/// Enrols this device as the tablet awaiting the code: answers which
/// tablet it now is and sets the `peerlog_tablet` cookie (`HttpOnly`,
/// `Secure`, `SameSite=Strict`, sent only to `/api/v1/auth`). From then on
/// its password sign-ins are throttled per person on this tablet, never
/// by the address. A code works once, for 15 minutes.
#[utoipa::path(
    tag = "auth",
    request_body = EnrolTablet,
    responses(
        (status = 200, description = "Enrolled", body = ThisTablet),
        (status = 422, response = inline(problems::Invalid)),
    ),
    security(())
)]
#[post("/auth/tablet")]
pub async fn enrol_tablet(
    state: web::Data<AppState>,
    meta: RequestMeta,
    body: Json<EnrolTablet>,
) -> ApiResult<HttpResponse> {
    if body.code.len() > 64 {
        return Err(ApiError::from(crate::domain::DomainError::field(
            "code",
            "too_long",
            "at most 64 characters",
        )));
    }
    let mut conn = crate::db::conn(&state.pool).await?;
    let enrolled = tablets::enrol(&mut conn, &body.code, &meta).await?;
    let mut res = HttpResponse::Ok()
        .insert_header((CACHE_CONTROL, "no-store"))
        .json(ThisTablet::from(Some(enrolled.tablet)));
    res.add_cookie(&cookie(enrolled.secret))
        .map_err(ApiError::internal)?;
    Ok(res)
}

/// Whether this device is an enrolled tablet (from its `peerlog_tablet`
/// cookie), and its name: a revoked or unknown device is `enrolled: false`.
#[utoipa::path(
    tag = "auth",
    responses((status = 200, description = "This device", body = ThisTablet)),
    security(())
)]
#[get("/auth/tablet")]
pub async fn this_tablet(state: web::Data<AppState>, req: HttpRequest) -> ApiResult<HttpResponse> {
    let secret = req.cookie(COOKIE);
    let mut conn = crate::db::conn(&state.pool).await?;
    let tablet = tablets::recognise(&mut conn, secret.as_ref().map(|c| c.value())).await?;
    Ok(HttpResponse::Ok()
        .insert_header((CACHE_CONTROL, "no-store"))
        .json(ThisTablet::from(tablet)))
}

/// The `peerlog_tablet` cookie: for the sign-in endpoints only, never
/// readable by scripts.
pub(super) fn cookie(secret: String) -> Cookie<'static> {
    Cookie::build(COOKIE, secret)
        .path("/api/v1/auth")
        .http_only(true)
        .secure(true)
        .same_site(SameSite::Strict)
        .max_age(actix_web::cookie::time::Duration::days(COOKIE_DAYS))
        .finish()
}
