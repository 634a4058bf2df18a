//! Wards, users, ward assignments, refresh tokens, login throttling, audit.

diesel::table! {
    wards (id) {
        id -> Uuid,
        code -> Text,
        name -> Text,
        service_line -> Text,
        active -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        ods_site_code -> Nullable<Text>,
    }
}

diesel::table! {
    users (id) {
        id -> Uuid,
        username -> Text,
        display_name -> Text,
        password_hash -> Text,
        role -> Text,
        active -> Bool,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        external_id -> Nullable<Text>,
    }
}

diesel::table! {
    ward_assignments (user_id, ward_id) {
        user_id -> Uuid,
        ward_id -> Uuid,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> Uuid,
        family_id -> Uuid,
        user_id -> Uuid,
        token_hash -> Bytea,
        issued_at -> Timestamptz,
        expires_at -> Timestamptz,
        rotated_at -> Nullable<Timestamptz>,
        revoked_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    login_throttle (key) {
        key -> Text,
        failures -> Int4,
        blocked_until -> Nullable<Timestamptz>,
        expires_at -> Timestamptz,
    }
}

diesel::table! {
    sign_ins (id) {
        id -> Uuid,
        user_id -> Uuid,
        method -> Text,
        created_at -> Timestamptz,
        revoked_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Int8,
        occurred_at -> Timestamptz,
        actor_id -> Nullable<Uuid>,
        actor_role -> Nullable<Text>,
        action -> Text,
        entity_type -> Text,
        entity_id -> Nullable<Text>,
        ward_id -> Nullable<Uuid>,
        request_id -> Nullable<Text>,
        client_ip -> Nullable<Text>,
        user_agent -> Nullable<Text>,
        details -> Jsonb,
    }
}

diesel::joinable!(ward_assignments -> users (user_id));
diesel::joinable!(ward_assignments -> wards (ward_id));
diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(sign_ins -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    wards,
    users,
    ward_assignments,
    refresh_tokens,
    login_throttle,
    sign_ins,
    audit_log,
);
