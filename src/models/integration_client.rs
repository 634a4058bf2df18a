//! Integration clients (SMART Backend Services): rows and queries, and the
//! assertion ids already used.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::access::Role;
use crate::schema::{client_assertion_jtis, integration_clients, users, ward_assignments};

/// A client's row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = integration_clients)]
pub struct ClientRow {
    pub id: Uuid,
    pub client_id: String,
    pub user_id: Uuid,
    pub jwks: Option<serde_json::Value>,
    pub jwks_url: Option<String>,
    pub scopes: Vec<String>,
    pub trust_wide: bool,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A registered integration client, as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IntegrationClient {
    pub id: Uuid,
    /// The OAuth client id: `iss` and `sub` of its client assertions.
    #[schema(example = "trust-epr")]
    pub client_id: String,
    /// The account it acts as (role `integration`): the audit log names it.
    pub user_id: Uuid,
    /// Its public keys, when registered inline.
    #[schema(value_type = Option<Object>)]
    pub jwks: Option<serde_json::Value>,
    /// Where its public keys are fetched from, when registered by URL.
    pub jwks_url: Option<String>,
    /// The SMART scopes it may be granted.
    #[schema(example = json!(["system/*.rs"]))]
    pub scopes: Vec<String>,
    /// True: every ward of the trust; false: only `ward_ids`.
    pub trust_wide: bool,
    /// The wards it may see when not trust-wide.
    pub ward_ids: Vec<Uuid>,
    /// A disabled client gets no tokens, and its tokens stop working.
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl IntegrationClient {
    pub fn from_row(row: ClientRow, ward_ids: Vec<Uuid>) -> Self {
        IntegrationClient {
            id: row.id,
            client_id: row.client_id,
            user_id: row.user_id,
            jwks: row.jwks,
            jwks_url: row.jwks_url,
            scopes: row.scopes,
            trust_wide: row.trust_wide,
            ward_ids,
            active: row.active,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

/// A new client's row.
#[derive(Debug, Insertable)]
#[diesel(table_name = integration_clients)]
pub struct NewClient<'a> {
    pub id: Uuid,
    pub client_id: &'a str,
    pub user_id: Uuid,
    pub jwks: Option<&'a serde_json::Value>,
    pub jwks_url: Option<&'a str>,
    pub scopes: &'a [String],
    pub trust_wide: bool,
}

/// Changes to a client; `None` leaves a field as it is.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = integration_clients)]
pub struct ClientChanges<'a> {
    pub jwks: Option<Option<&'a serde_json::Value>>,
    pub jwks_url: Option<Option<&'a str>>,
    pub scopes: Option<&'a [String]>,
    pub trust_wide: Option<bool>,
    pub active: Option<bool>,
    pub updated_at: Option<DateTime<Utc>>,
}

/// Inserts a client; false when the client id is taken.
pub async fn insert(conn: &mut AsyncPgConnection, new: NewClient<'_>) -> QueryResult<bool> {
    diesel::insert_into(integration_clients::table)
        .values(new)
        .on_conflict_do_nothing()
        .execute(conn)
        .await
        .map(|n| n > 0)
}

/// Changes a client's row.
pub async fn update(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    changes: &ClientChanges<'_>,
) -> QueryResult<()> {
    diesel::update(integration_clients::table.find(id))
        .set(changes)
        .execute(conn)
        .await
        .map(|_| ())
}

async fn wards_of(conn: &mut AsyncPgConnection, user_id: Uuid) -> QueryResult<Vec<Uuid>> {
    ward_assignments::table
        .filter(ward_assignments::user_id.eq(user_id))
        .select(ward_assignments::ward_id)
        .order(ward_assignments::ward_id)
        .load(conn)
        .await
}

/// One client with its wards, by its row id.
pub async fn find(
    conn: &mut AsyncPgConnection,
    id: Uuid,
) -> QueryResult<Option<IntegrationClient>> {
    let Some(row) = integration_clients::table
        .find(id)
        .select(ClientRow::as_select())
        .first(conn)
        .await
        .optional()?
    else {
        return Ok(None);
    };
    let wards = wards_of(conn, row.user_id).await?;
    Ok(Some(IntegrationClient::from_row(row, wards)))
}

/// A client's row by its OAuth client id (for the token endpoint).
pub async fn by_client_id(
    conn: &mut AsyncPgConnection,
    client_id: &str,
) -> QueryResult<Option<ClientRow>> {
    integration_clients::table
        .filter(integration_clients::client_id.eq(client_id))
        .select(ClientRow::as_select())
        .first(conn)
        .await
        .optional()
}

/// A page of clients in client-id order, after `after`.
pub async fn list(
    conn: &mut AsyncPgConnection,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<IntegrationClient>> {
    let mut query = integration_clients::table
        .select(ClientRow::as_select())
        .order(integration_clients::client_id)
        .limit(limit + 1)
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(integration_clients::client_id.gt(after.to_string()));
    }
    let rows = query.load(conn).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let wards = wards_of(conn, row.user_id).await?;
        out.push(IntegrationClient::from_row(row, wards));
    }
    Ok(out)
}

/// What the per-request account read needs for a system token.
#[derive(Debug, Queryable)]
pub struct ClientAccount {
    pub user_id: Uuid,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// The client and its account both active.
    pub active: bool,
    pub client_id: String,
    pub scopes: Vec<String>,
    pub trust_wide: bool,
    pub ward_ids: Vec<Uuid>,
}

/// The client, its account and the account's wards, in one statement.
pub async fn account(conn: &mut AsyncPgConnection, id: Uuid) -> QueryResult<Option<ClientAccount>> {
    let wards = diesel::dsl::sql::<diesel::sql_types::Array<diesel::sql_types::Uuid>>(
        "ARRAY(SELECT wa.ward_id FROM ward_assignments wa \
         WHERE wa.user_id = integration_clients.user_id ORDER BY wa.ward_id)",
    );
    integration_clients::table
        .inner_join(users::table)
        .filter(integration_clients::id.eq(id))
        .select((
            users::id,
            users::username,
            users::display_name,
            users::role,
            users::active.and(integration_clients::active),
            integration_clients::client_id,
            integration_clients::scopes,
            integration_clients::trust_wide,
            wards,
        ))
        .first::<(
            Uuid,
            String,
            String,
            String,
            bool,
            String,
            Vec<String>,
            bool,
            Vec<Uuid>,
        )>(conn)
        .await
        .optional()
        .map(|row| {
            row.map(
                |(
                    user_id,
                    username,
                    display_name,
                    role,
                    active,
                    client_id,
                    scopes,
                    trust_wide,
                    ward_ids,
                )| {
                    ClientAccount {
                        user_id,
                        username,
                        display_name,
                        role: Role::parse(&role).unwrap_or(Role::BuddyStudent),
                        active,
                        client_id,
                        scopes,
                        trust_wide,
                        ward_ids,
                    }
                },
            )
        })
}

/// Records an assertion's `jti` until it expires; false when this client
/// used it before (a replay). Expired ids are deleted first, so the table
/// holds only the last five minutes' assertions.
pub async fn use_jti(
    conn: &mut AsyncPgConnection,
    client: Uuid,
    jti: &str,
    expires_at: DateTime<Utc>,
) -> QueryResult<bool> {
    diesel::delete(
        client_assertion_jtis::table.filter(client_assertion_jtis::expires_at.lt(Utc::now())),
    )
    .execute(conn)
    .await?;
    diesel::insert_into(client_assertion_jtis::table)
        .values((
            client_assertion_jtis::client_id.eq(client),
            client_assertion_jtis::jti.eq(jti),
            client_assertion_jtis::expires_at.eq(expires_at),
        ))
        .on_conflict_do_nothing()
        .execute(conn)
        .await
        .map(|n| n > 0)
}
