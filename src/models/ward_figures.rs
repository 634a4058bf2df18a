//! Ward-level figures per month from the trust's other systems.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use diesel::upsert::excluded;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::schema::ward_figures;

/// One ward's month.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize, ToSchema)]
#[diesel(table_name = ward_figures)]
pub struct WardFigures {
    pub ward_id: Uuid,
    /// The month's first day.
    #[schema(example = "2026-10-01")]
    pub month: NaiveDate,
    /// Restraint incidents recorded in the trust's incident system.
    pub restraint_incidents: i32,
    /// Occupied bed days, from the patient administration system.
    pub occupied_bed_days: i32,
    pub discharges: i32,
    pub loaded_by: Uuid,
    pub loaded_at: DateTime<Utc>,
}

/// Stores rows, replacing any for the same ward and month.
pub async fn upsert(conn: &mut AsyncPgConnection, rows: &[WardFigures]) -> QueryResult<usize> {
    diesel::insert_into(ward_figures::table)
        .values(rows)
        .on_conflict((ward_figures::ward_id, ward_figures::month))
        .do_update()
        .set((
            ward_figures::restraint_incidents.eq(excluded(ward_figures::restraint_incidents)),
            ward_figures::occupied_bed_days.eq(excluded(ward_figures::occupied_bed_days)),
            ward_figures::discharges.eq(excluded(ward_figures::discharges)),
            ward_figures::loaded_by.eq(excluded(ward_figures::loaded_by)),
            ward_figures::loaded_at.eq(excluded(ward_figures::loaded_at)),
        ))
        .execute(conn)
        .await
}

/// The months from `from` (inclusive) to `to` (exclusive) of some wards
/// (`None`: every ward), by ward and month.
pub async fn list(
    conn: &mut AsyncPgConnection,
    from: NaiveDate,
    to: NaiveDate,
    wards: Option<&[Uuid]>,
) -> QueryResult<Vec<WardFigures>> {
    let mut q = ward_figures::table
        .filter(ward_figures::month.ge(from))
        .filter(ward_figures::month.lt(to))
        .select(WardFigures::as_select())
        .order((ward_figures::ward_id.asc(), ward_figures::month.asc()))
        .into_boxed();
    if let Some(w) = wards {
        q = q.filter(ward_figures::ward_id.eq_any(w.to_vec()));
    }
    q.load(conn).await
}
