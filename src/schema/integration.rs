//! Integration clients (SMART Backend Services) and their used assertion
//! ids; FHIR Bulk Data export jobs and their files.

use super::users;

diesel::table! {
    integration_clients (id) {
        id -> Uuid,
        client_id -> Text,
        user_id -> Uuid,
        jwks -> Nullable<Jsonb>,
        jwks_url -> Nullable<Text>,
        scopes -> Array<Text>,
        trust_wide -> Bool,
        active -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    client_assertion_jtis (client_id, jti) {
        client_id -> Uuid,
        jti -> Text,
        expires_at -> Timestamptz,
    }
}

diesel::joinable!(integration_clients -> users (user_id));
diesel::joinable!(client_assertion_jtis -> integration_clients (client_id));

diesel::allow_tables_to_appear_in_same_query!(integration_clients, users, client_assertion_jtis);

diesel::table! {
    bulk_exports (id) {
        id -> Uuid,
        requested_by -> Uuid,
        request_url -> Text,
        group_id -> Nullable<Uuid>,
        resource_types -> Array<Text>,
        since -> Nullable<Timestamptz>,
        since_horizon -> Int8,
        ward_ids -> Nullable<Array<Uuid>>,
        transaction_time -> Timestamptz,
        horizon -> Int8,
        status -> Text,
        progress -> Nullable<Text>,
        error -> Nullable<Text>,
        created_at -> Timestamptz,
        completed_at -> Nullable<Timestamptz>,
        expires_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    bulk_export_files (export_id, seq) {
        export_id -> Uuid,
        seq -> Int4,
        resource_type -> Text,
        count -> Int8,
    }
}

diesel::joinable!(bulk_export_files -> bulk_exports (export_id));
diesel::allow_tables_to_appear_in_same_query!(bulk_exports, bulk_export_files);
