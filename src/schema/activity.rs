//! Service users, activities, their versions and the activity outbox.

use super::foundation::{users, wards};

diesel::table! {
    service_users (id) {
        id -> Uuid,
        reference -> Text,
        display_label -> Text,
        ward_id -> Uuid,
        admitted_on -> Date,
        discharged_on -> Nullable<Date>,
        nhs_number -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        bed_or_bay -> Nullable<Text>,
    }
}

diesel::table! {
    activities (id) {
        id -> Uuid,
        ward_id -> Uuid,
        kind -> Text,
        recorded_by -> Uuid,
        started_at -> Timestamptz,
        ended_at -> Timestamptz,
        duration_minutes -> Int4,
        note -> Nullable<Text>,
        status -> Text,
        version -> Int4,
        details -> Jsonb,
        restraint_avoided -> Nullable<Bool>,
        staff_called -> Nullable<Bool>,
        leave_minutes -> Nullable<Int4>,
        returned_as_planned -> Nullable<Bool>,
        attendees_named -> Nullable<Int4>,
        attendees_unnamed -> Nullable<Int4>,
        content_hash -> Text,
        void_reason -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        leave_confirmed_by -> Nullable<Uuid>,
        leave_confirmed_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    activity_co_workers (activity_id, user_id) {
        activity_id -> Uuid,
        user_id -> Uuid,
    }
}

diesel::table! {
    activity_service_users (activity_id, service_user_id) {
        activity_id -> Uuid,
        service_user_id -> Uuid,
    }
}

diesel::table! {
    activity_versions (activity_id, version) {
        activity_id -> Uuid,
        version -> Int4,
        change -> Text,
        changed_by -> Uuid,
        changed_at -> Timestamptz,
        reason -> Nullable<Text>,
        snapshot -> Jsonb,
    }
}

/// `xid8`, a transaction id, which diesel does not ship: the outbox's
/// `xid` is compared only in the SQL of the feeds, never loaded.
#[derive(diesel::sql_types::SqlType, diesel::query_builder::QueryId)]
#[diesel(postgres_type(name = "xid8"))]
pub struct Xid8;

diesel::table! {
    use diesel::sql_types::*;
    use super::Xid8;

    activity_events (id) {
        id -> Int8,
        activity_id -> Uuid,
        ward_id -> Uuid,
        event_type -> Text,
        version -> Int4,
        occurred_at -> Timestamptz,
        payload -> Jsonb,
        xid -> Xid8,
    }
}

// Escorted leave as it happens (planned → authorised → out → returned, or
// cancelled): `crate::domain::leave`.
diesel::table! {
    leaves (id) {
        id -> Uuid,
        ward_id -> Uuid,
        service_user_id -> Uuid,
        planned_by -> Uuid,
        state -> Text,
        authorisation -> Text,
        destination -> Text,
        purpose -> Nullable<Text>,
        planned_out_at -> Timestamptz,
        expected_minutes -> Int4,
        authorised_by -> Nullable<Uuid>,
        authorised_at -> Nullable<Timestamptz>,
        departed_at -> Nullable<Timestamptz>,
        returned_at -> Nullable<Timestamptz>,
        activity_id -> Nullable<Uuid>,
        cancelled_by -> Nullable<Uuid>,
        cancelled_at -> Nullable<Timestamptz>,
        cancel_reason -> Nullable<Text>,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::joinable!(service_users -> wards (ward_id));
diesel::joinable!(activities -> wards (ward_id));
diesel::joinable!(activities -> users (recorded_by));
diesel::joinable!(activity_co_workers -> activities (activity_id));
diesel::joinable!(activity_co_workers -> users (user_id));
diesel::joinable!(activity_service_users -> activities (activity_id));
diesel::joinable!(activity_service_users -> service_users (service_user_id));
diesel::joinable!(activity_versions -> activities (activity_id));
diesel::joinable!(activity_events -> activities (activity_id));

// Only pairs involving this file's tables: the foundation declares its own,
// and other areas declare theirs, so no pair is declared twice.
diesel::allow_tables_to_appear_in_same_query!(
    service_users,
    activities,
    activity_co_workers,
    activity_service_users,
    activity_versions,
    activity_events,
    leaves,
);
diesel::allow_tables_to_appear_in_same_query!(leaves, wards);
diesel::allow_tables_to_appear_in_same_query!(leaves, users);
diesel::allow_tables_to_appear_in_same_query!(service_users, wards);
diesel::allow_tables_to_appear_in_same_query!(service_users, users);
diesel::allow_tables_to_appear_in_same_query!(activities, wards);
diesel::allow_tables_to_appear_in_same_query!(activities, users);
diesel::allow_tables_to_appear_in_same_query!(activity_co_workers, users);
diesel::allow_tables_to_appear_in_same_query!(activity_co_workers, wards);
diesel::allow_tables_to_appear_in_same_query!(activity_service_users, wards);
diesel::allow_tables_to_appear_in_same_query!(activity_versions, users);
