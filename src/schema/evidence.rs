//! Measure definitions, the people's answers, and ward-level figures.

use super::activity::{activities, service_users};
use super::foundation::{users, wards};

diesel::table! {
    measure_definitions (id) {
        id -> Uuid,
        code -> Text,
        version -> Int4,
        title -> Text,
        licence -> Text,
        shipped -> Bool,
        definition -> Jsonb,
        loaded_by -> Nullable<Uuid>,
        loaded_at -> Timestamptz,
    }
}

diesel::table! {
    measure_responses (id) {
        id -> Uuid,
        definition_id -> Uuid,
        service_user_id -> Uuid,
        ward_id -> Uuid,
        activity_id -> Nullable<Uuid>,
        respondent -> Text,
        completed_at -> Timestamptz,
        declined -> Bool,
        answers -> Jsonb,
        scores -> Jsonb,
        recorded_by -> Uuid,
        content_hash -> Text,
        quote -> Nullable<Text>,
        quote_consent -> Bool,
        quote_withdrawn_at -> Nullable<Timestamptz>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    ward_figures (ward_id, month) {
        ward_id -> Uuid,
        month -> Date,
        restraint_incidents -> Int4,
        occupied_bed_days -> Int4,
        discharges -> Int4,
        loaded_by -> Uuid,
        loaded_at -> Timestamptz,
    }
}

diesel::joinable!(measure_responses -> measure_definitions (definition_id));
diesel::joinable!(measure_responses -> service_users (service_user_id));
diesel::joinable!(measure_responses -> wards (ward_id));
diesel::joinable!(measure_responses -> activities (activity_id));
diesel::joinable!(measure_responses -> users (recorded_by));
diesel::joinable!(ward_figures -> wards (ward_id));

// Only pairs involving this file's tables, so no pair is declared twice.
diesel::allow_tables_to_appear_in_same_query!(measure_definitions, measure_responses, ward_figures);
diesel::allow_tables_to_appear_in_same_query!(measure_responses, service_users);
diesel::allow_tables_to_appear_in_same_query!(measure_responses, wards);
diesel::allow_tables_to_appear_in_same_query!(measure_responses, activities);
diesel::allow_tables_to_appear_in_same_query!(measure_responses, users);
diesel::allow_tables_to_appear_in_same_query!(measure_definitions, users);
diesel::allow_tables_to_appear_in_same_query!(ward_figures, wards);
diesel::allow_tables_to_appear_in_same_query!(ward_figures, users);
