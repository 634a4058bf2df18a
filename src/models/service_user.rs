//! Service users: the people on the ward, known only by the trust's
//! pseudonymous reference and a display label. An NHS number is kept only
//! when the trust sends one, and only the single-record read shows it.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::access::WardScope;
use crate::schema::service_users;

/// A service user as lists show them: no NHS number.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = service_users)]
pub struct ServiceUserSummary {
    pub id: Uuid,
    /// The trust's pseudonymous reference.
    #[schema(example = "RX4-000123")]
    pub reference: String,
    /// What the ward tablet shows, e.g. initials.
    #[schema(example = "J.S.")]
    pub display_label: String,
    /// The ward they are on, or were on when discharged.
    pub ward_id: Uuid,
    pub admitted_on: NaiveDate,
    pub discharged_on: Option<NaiveDate>,
    pub updated_at: DateTime<Utc>,
    /// The bed or bay they are in, where the trust sends one: with the
    /// initials, it tells apart two people who share them.
    #[schema(example = "Bay 2")]
    pub bed_or_bay: Option<String>,
}

/// One service user's full record, NHS number included.
#[derive(Debug, Clone, Queryable, Selectable, Serialize, ToSchema)]
#[diesel(table_name = service_users)]
pub struct ServiceUser {
    #[serde(flatten)]
    #[diesel(embed)]
    pub summary: ServiceUserSummary,
    /// Ten digits; present only when the trust sent one.
    #[schema(example = "9434765919")]
    pub nhs_number: Option<String>,
}

/// A service user as the trust's system sends them.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceUserUpsert {
    /// What the ward tablet shows, e.g. initials; never a full name.
    #[schema(example = "J.S.", min_length = 1, max_length = 16)]
    pub display_label: String,
    /// The ward they are on (or were discharged from).
    pub ward_id: Uuid,
    pub admitted_on: NaiveDate,
    pub discharged_on: Option<NaiveDate>,
    /// Ten digits with a valid Modulus 11 check digit; spaces are ignored.
    #[schema(example = "943 476 5919")]
    pub nhs_number: Option<String>,
    /// The bed or bay they are in (e.g. "Bay 2", "Bed 14"), up to 16
    /// characters with at most 4 digits; absent when the trust does not
    /// send one (an update without it clears it).
    #[serde(default)]
    #[schema(example = "Bay 2", min_length = 1, max_length = 16)]
    pub bed_or_bay: Option<String>,
}

/// The fields an upsert writes.
#[derive(Debug, Insertable, AsChangeset)]
#[diesel(table_name = service_users)]
#[diesel(treat_none_as_null = true)]
pub struct ServiceUserFields<'a> {
    pub display_label: &'a str,
    pub ward_id: Uuid,
    pub admitted_on: NaiveDate,
    pub discharged_on: Option<NaiveDate>,
    pub nhs_number: Option<&'a str>,
    pub updated_at: DateTime<Utc>,
    pub bed_or_bay: Option<&'a str>,
}

/// Whether a string is a valid NHS number: ten digits whose last is the
/// Modulus 11 check digit of the first nine.
pub fn valid_nhs_number(value: &str) -> bool {
    let digits: Vec<u32> = value.chars().filter_map(|c| c.to_digit(10)).collect();
    if digits.len() != 10 || value.len() != 10 {
        return false;
    }
    let sum: u32 = digits[..9]
        .iter()
        .enumerate()
        .map(|(i, d)| d * (10 - i as u32))
        .sum();
    match 11 - sum % 11 {
        11 => digits[9] == 0,
        10 => false,
        check => digits[9] == check,
    }
}

/// Inserts or updates the service user with this reference; answers the
/// record and whether it was new.
pub async fn upsert(
    conn: &mut AsyncPgConnection,
    reference: &str,
    fields: &ServiceUserFields<'_>,
) -> QueryResult<(ServiceUser, bool)> {
    let inserted = diesel::insert_into(service_users::table)
        .values((
            service_users::id.eq(Uuid::now_v7()),
            service_users::reference.eq(reference),
            fields,
        ))
        .on_conflict(service_users::reference)
        .do_nothing()
        .returning(ServiceUser::as_returning())
        .get_result(conn)
        .await
        .optional()?;
    if let Some(created) = inserted {
        return Ok((created, true));
    }
    let updated = diesel::update(service_users::table)
        .filter(service_users::reference.eq(reference))
        .set(fields)
        .returning(ServiceUser::as_returning())
        .get_result(conn)
        .await?;
    Ok((updated, false))
}

/// One service user, if their ward is within the scope.
pub async fn find(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    scope: &WardScope,
) -> QueryResult<Option<ServiceUser>> {
    let found = service_users::table
        .find(id)
        .select(ServiceUser::as_select())
        .first(conn)
        .await
        .optional()?;
    Ok(found.filter(|s| scope.contains(s.summary.ward_id)))
}

/// The service users with these ids (any ward).
pub async fn by_ids(
    conn: &mut AsyncPgConnection,
    ids: &[Uuid],
) -> QueryResult<Vec<ServiceUserSummary>> {
    service_users::table
        .filter(service_users::id.eq_any(ids))
        .select(ServiceUserSummary::as_select())
        .load(conn)
        .await
}

/// Filters for listing service users.
#[derive(Debug, Default)]
pub struct ServiceUserFilter {
    pub ward_id: Option<Uuid>,
    /// `Some(false)`: only those still on the ward; `Some(true)`: only discharged.
    pub discharged: Option<bool>,
}

/// A page in (display label, id) order, after the cursor's key.
pub async fn list(
    conn: &mut AsyncPgConnection,
    scope: &WardScope,
    filter: &ServiceUserFilter,
    after: Option<(String, Uuid)>,
    limit: i64,
) -> QueryResult<Vec<ServiceUserSummary>> {
    let mut query = service_users::table
        .select(ServiceUserSummary::as_select())
        .into_boxed();
    if let WardScope::Only(ids) = scope {
        query = query.filter(service_users::ward_id.eq_any(ids.clone()));
    }
    if let Some(ward) = filter.ward_id {
        query = query.filter(service_users::ward_id.eq(ward));
    }
    match filter.discharged {
        Some(true) => query = query.filter(service_users::discharged_on.is_not_null()),
        Some(false) => query = query.filter(service_users::discharged_on.is_null()),
        None => {}
    }
    if let Some((label, id)) = after {
        query = query.filter(
            service_users::display_label
                .gt(label.clone())
                .or(service_users::display_label
                    .eq(label)
                    .and(service_users::id.gt(id))),
        );
    }
    query
        .order((service_users::display_label.asc(), service_users::id.asc()))
        .limit(limit + 1)
        .load(conn)
        .await
}

/// The full records (NHS numbers included) of the service users with
/// these ids within the scope: what FHIR Patients are made from.
pub async fn records_by_ids(
    conn: &mut AsyncPgConnection,
    ids: &[Uuid],
    scope: &WardScope,
) -> QueryResult<Vec<ServiceUser>> {
    let mut query = service_users::table
        .filter(service_users::id.eq_any(ids))
        .select(ServiceUser::as_select())
        .into_boxed();
    if let WardScope::Only(wards) = scope {
        query = query.filter(service_users::ward_id.eq_any(wards.clone()));
    }
    query.order(service_users::id).load(conn).await
}

/// The service users within the scope known by this NHS number or trust
/// reference (FHIR `Patient?identifier=`).
pub async fn by_identifier(
    conn: &mut AsyncPgConnection,
    value: &str,
    scope: &WardScope,
) -> QueryResult<Vec<ServiceUser>> {
    let mut query = service_users::table
        .filter(
            service_users::nhs_number
                .eq(value)
                .or(service_users::reference.eq(value)),
        )
        .select(ServiceUser::as_select())
        .into_boxed();
    if let WardScope::Only(wards) = scope {
        query = query.filter(service_users::ward_id.eq_any(wards.clone()));
    }
    query.order(service_users::id).load(conn).await
}

#[cfg(test)]
mod tests {
    use super::valid_nhs_number;

    #[test]
    fn nhs_numbers_need_a_valid_check_digit() {
        assert!(valid_nhs_number("9434765919"));
        assert!(valid_nhs_number("4010232137"));
        assert!(!valid_nhs_number("9434765918"));
        assert!(!valid_nhs_number("943476591"));
        assert!(!valid_nhs_number("94347659190"));
        assert!(!valid_nhs_number("94347659 9"));
        // Check digit would be 10: never issued.
        assert!(!valid_nhs_number("1000000010"));
    }
}
