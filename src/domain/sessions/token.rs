//! Signing in with username and password.

use diesel_async::AsyncPgConnection;
use uuid::Uuid;

use super::{open, throttle, Issuer, Opening, Tokens};
use crate::access::{RequestMeta, Role};
use crate::audit::{self, AuditActor, AuditEvent};
use crate::domain::{tablets, DomainError, DomainResult};
use crate::identity::device::{self, DeviceKeys};
use crate::identity::password;
use crate::models::{self, login_throttle, sign_in, user};

/// The longest device token read.
const MAX_DEVICE_TOKEN: usize = 2048;

/// What a person types, and what their device remembers.
#[derive(Debug)]
pub struct PasswordSignIn<'a> {
    pub username: &'a str,
    pub password: String,
    /// The `device_token` of the body, if any.
    pub device_token: Option<&'a str>,
    /// The `peerlog_device` cookie's value, if the browser sent one.
    pub device_cookie: Option<&'a str>,
    /// The `peerlog_tablet` cookie's value: an enrolled tablet's secret.
    pub tablet_secret: Option<&'a str>,
}

/// A password session: its tokens, and this device's new device token
/// with the cookie value that keeps it beside the device's others.
#[derive(Debug)]
pub struct PasswordSession {
    pub tokens: Tokens,
    pub device_token: String,
    pub device_cookie: String,
    /// The enrolled tablet signed in on, if it was one.
    pub tablet: Option<Uuid>,
}

/// Signs in. Wrong password, unknown username and disabled account are
/// all `invalid_credentials`, in about the same time, and each failure is
/// audited. The attempt counts against its throttles first (see
/// [`throttle::count`]); a success forgives them in the transaction that
/// opens the session.
pub async fn sign_in(
    conn: &mut AsyncPgConnection,
    issuer: Issuer<'_>,
    devices: &DeviceKeys,
    limits: &throttle::Limits,
    input: PasswordSignIn<'_>,
    meta: &RequestMeta,
) -> DomainResult<PasswordSession> {
    if input
        .device_token
        .is_some_and(|t| t.len() > MAX_DEVICE_TOKEN)
    {
        return Err(DomainError::field(
            "device_token",
            "too_long",
            "at most 2048 characters",
        ));
    }
    let username = input.username.trim().to_ascii_lowercase();
    let password = input.password;
    let invalid = || DomainError::Unauthorized("invalid_credentials");
    if username.is_empty() || username.len() > 64 || password.is_empty() || password.len() > 1024 {
        return Err(invalid());
    }

    // Which throttles this attempt counts against: on an enrolled tablet,
    // this person's on that tablet; otherwise its own device token's, or
    // the (username, client) pair's and the address's.
    let tablet = tablets::recognise(conn, input.tablet_secret)
        .await?
        .map(|t| t.id);
    let presented = input
        .device_token
        .into_iter()
        .chain(input.device_cookie.into_iter().flat_map(|c| c.split('~')))
        .filter(|t| t.len() <= MAX_DEVICE_TOKEN)
        .take(device::COOKIE_MAX_TOKENS + 1);
    let known_device = devices.find(&username, presented);
    let keys = match tablet {
        Some(id) => login_throttle::Keys::on_tablet(&username, id),
        None => login_throttle::Keys::new(&username, meta.client_ip.as_deref(), known_device),
    };
    throttle::count(conn, &keys, limits).await?;

    let account = user::credentials(conn, &username).await?;
    let stored_hash = account.as_ref().map(|(_, _, _, hash)| hash.clone());
    let password_ok = tokio::task::spawn_blocking(move || match stored_hash {
        // Accounts that sign in only through the identity provider have no
        // usable hash: spend the same time as for a wrong password.
        Some(hash) if hash.starts_with("$argon2") => password::verify(&password, &hash),
        _ => {
            password::verify_against_dummy(&password);
            false
        }
    })
    .await
    .map_err(DomainError::internal)?;

    let signed_in: Option<(Uuid, Role)> = match account {
        Some((id, role, true, _)) if password_ok => Some((id, role)),
        _ => None,
    };
    let Some((user_id, role)) = signed_in else {
        let known_id = account.map(|(id, ..)| id);
        let mut event =
            AuditEvent::new("login_failed", "session", "").details(tablet_details(tablet));
        event.entity_id = known_id.map(|id| id.to_string());
        audit::record(conn, &AuditActor::anonymous(meta), event).await?;
        return Err(invalid());
    };

    let opening = Opening {
        user_id,
        role,
        method: sign_in::Method::Password,
        details: tablet_details(tablet),
        throttle: Some(&keys),
    };
    let tokens = open(conn, issuer, opening, meta).await?;
    if let Some(id) = tablet {
        models::tablet::signed_in(conn, id).await?;
    }
    let device_token = devices.issue(&username).map_err(DomainError::internal)?;
    let device_cookie = devices.cookie_value(&username, &device_token, input.device_cookie);
    Ok(PasswordSession {
        tokens,
        device_token,
        device_cookie,
        tablet,
    })
}

/// The audit details of a sign-in attempt: the enrolled tablet it was on.
fn tablet_details(tablet: Option<Uuid>) -> serde_json::Value {
    match tablet {
        Some(id) => serde_json::json!({ "tablet_id": id }),
        None => serde_json::json!({}),
    }
}
